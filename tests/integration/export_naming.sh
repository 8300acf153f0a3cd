#!/usr/bin/env bash
# export_naming.sh: `kiosque export` output naming and exit statuses (design.md, Command line):
# OUT as folder or file name, default names (title slug + period), --split keys, stdout listing
# every written path, 3 when nothing matched, 2 on a bad command line, 4 with --strict.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require unzip unzip
corpus="$KQ_TESTS/corpus"
out=$(kq_tmpdir)
cd "$out" || fail "cd $out"

# 1. no -o: the current folder, slug of the default title + period
kq_run export -f epub "$corpus"
expect_status 0
name=$(cat "$KQ_OUT")
[[ "$name" =~ ^revue-de-presse-tech-[0-9]{4}-[0-9]{2}(-[0-9]{4}-[0-9]{2})?\.epub$ ]] ||
  fail "default name: $name"
[ -f "$name" ] || fail "$name not written"

# 2. --title: its slug
kq_run export -f epub --title "Revue Tech — Édition spéciale" --month 2026-01 "$corpus"
expect_status 0
[ "$(cat "$KQ_OUT")" = "revue-tech-edition-speciale-2026-01.epub" ] || fail "title slug: $(cat "$KQ_OUT")"
# (typeset: the space after the dash may become a no-break space)
unzip -p revue-tech-edition-speciale-2026-01.epub OEBPS/content.opf |
  grep -q '<dc:title id="title">Revue Tech —.*Édition spéciale</dc:title>' || fail "dc:title"

# 3. OUT ending in / (created) and OUT naming an existing folder
kq_run export -f epub --month 2026-02 -o "new/dir/" "$corpus"
expect_status 0
[ "$(cat "$KQ_OUT")" = "new/dir/revue-de-presse-tech-2026-02.epub" ] || fail "OUT/: $(cat "$KQ_OUT")"
mkdir -p existing
kq_run export -f epub --month 2026-02 -o existing "$corpus"
expect_status 0
[ "$(cat "$KQ_OUT")" = "existing/revue-de-presse-tech-2026-02.epub" ] || fail "OUT dir: $(cat "$KQ_OUT")"

# 4. OUT as a file name: the extension is replaced per format
kq_run export -f epub -o "revue.pdf" "$corpus"
expect_status 0
[ "$(cat "$KQ_OUT")" = "revue.epub" ] || fail "-o revue.pdf -f epub: $(cat "$KQ_OUT")"
[ -f revue.epub ] && [ ! -e revue.pdf ] || fail "-o revue.pdf -f epub wrote the wrong files"

# 5. --split: one file per group, the group key appended
kq_run export -f epub --split -o "split/" "$corpus"
expect_status 0
grep -qx "split/revue-de-presse-tech-2026-01.epub" "$KQ_OUT" || fail "--split month names: $(cat "$KQ_OUT")"
kq_run export -f epub --split --group-by week -o "weeks/" "$corpus"
expect_status 0
grep -qE "^weeks/revue-de-presse-tech-2026-w[0-9]{2}\.epub$" "$KQ_OUT" || fail "--split week names: $(cat "$KQ_OUT")"
kq_run export -f epub --split -o "named.epub" "$corpus"
expect_status 0
grep -qx "named-2026-01.epub" "$KQ_OUT" || fail "--split -o FILE: $(cat "$KQ_OUT")"
while read -r f; do [ -f "$f" ] || fail "listed but missing: $f"; done <"$KQ_OUT"

# 6. nothing matched: 3, nothing written
before=$(find . -type f | wc -l)
kq_run export -f epub --topic "no-such-topic" -o "none/" "$corpus"
expect_status 3
[ -s "$KQ_OUT" ] && fail "status 3 but stdout lists files"
[ "$(find . -type f | wc -l)" = "$before" ] || fail "status 3 but something was written"

# 7. bad command lines: 2
kq_run export -f docx "$corpus"; expect_status 2
kq_run export -f epub; expect_status 2
kq_run export -f epub --columns 3 "$corpus"; expect_status 2
kq_run export -f epub --style nosuchstyle "$corpus"; expect_status 2
kq_run export -f epub --css /nonexistent.css "$corpus"; expect_status 2
kq_run export -f epub --style "../etc" "$corpus"; expect_status 2
grep -q "style" "$KQ_ERR" || fail "bad --style not reported"

# 8. --strict with an unreadable input: 4 (the edition is still written, as list prints)
mkdir -p mixed
cp "$corpus"/2026-01-*.md mixed/
: > mixed/empty.md
kq_run export -f epub --strict -o "strict/" mixed
expect_status 4
grep -q "warning: .*empty.md" "$KQ_ERR" || fail "the unreadable input is not named"
kq_run export -f epub -o "lenient/" mixed
expect_status 0
pass
