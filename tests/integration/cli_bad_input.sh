#!/usr/bin/env bash
# cli_bad_input.sh: each bad input gives one warning naming the file, the rest is still
# listed, exit 0 (4 with --strict); non-inputs are ignored silently; usage errors exit 2.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require python3 python3
kq_require setpriv util-linux

dir=$(kq_tmpdir)
chmod 755 "$dir"
mkdir "$dir/archive"
a="$dir/archive"
cat > "$a/good.md" <<'EOF'
---
title: Un article valide
date: 2026-01-15
lang: fr
topics: [Tests]
---

Ce texte est lisible par tous.
EOF
cat > "$a/good2.md" <<'EOF'
---
title: A valid English article
date: 2026-02-01
lang: en
---

Readable text.
EOF
printf -- '---\ntitle: Bad\n---\n\nCaf\xe9 au lait\n' > "$a/invalid-utf8.md"
: > "$a/empty.md"
printf -- '---\ntitle: "unclosed\ndate: [2026\n---\n\nBody kept.\n' > "$a/broken-front.md"
head -c 4096 /dev/urandom > "$a/binary.md"
printf '\0\0\0binary' >> "$a/binary.md"
# 20 MB, over the 16 MB default cap
python3 -c "import sys; sys.stdout.write(('Lorem ipsum dolor sit amet. ' * 40 + '\n\n') * 18000)" > "$a/huge.txt"
printf 'Un titre\n\nUn paragraphe.\n' > "$a/unreadable.txt"
chmod 000 "$a/unreadable.txt"
printf 'MIT License\n' > "$a/LICENSE"
printf 'a\tb\n' > "$a/index.tsv"

# 1. all bad inputs warned about, good ones listed, exit 0; a PATH operand that does not
# exist is an error (exit 4, issue 16), the rest still listed
kq_run list --json "$a" "$dir/does-not-exist"
expect_status 4
for f in invalid-utf8.md empty.md binary.md huge.txt; do
  n=$(grep -c "^kiosque: warning: .*$f" "$KQ_ERR")
  [ "$n" -eq 1 ] || fail "expected one warning naming $f, got $n: $(cat "$KQ_ERR")"
done
[ "$(grep -c "^kiosque: error: $dir/does-not-exist: No such file or directory$" "$KQ_ERR")" -eq 1 ] ||
  fail "the missing PATH is not one error"
grep -q '"title"' "$KQ_OUT" || fail "the readable rest not listed"
kq_run list --json "$a"
expect_status 0
grep -q "^kiosque: warning: .*invalid-utf8.md:5: " "$KQ_ERR" || fail "no line number for invalid UTF-8"
grep -q "^kiosque: warning: .*broken-front.md:[0-9]*: front matter" "$KQ_ERR" ||
  fail "broken front matter not reported with its line"
grep -q "LICENSE\|index.tsv" "$KQ_ERR" && fail "non-inputs must be ignored silently"
python3 - "$KQ_OUT" <<'EOF' || fail "good articles missing from list --json"
import json, sys
arts = json.load(open(sys.argv[1]))
titles = {a["title"] for a in arts}
assert "Un article valide" in titles and "A valid English article" in titles, titles
assert "Body kept." in json.dumps(arts) or any(a["path"].endswith("broken-front.md") for a in arts)
EOF

# 2. --strict: exit 4, output still complete
kq_run list --strict "$a"
expect_status 4
grep -q "Un article valide" "$KQ_OUT" || fail "--strict must still list the readable articles"

# 3. a file the running user may not read (tests run as root: drop privileges)
# given as a PATH operand: an error (exit 4, issue 16); inside a folder: a warning
kq_run_as_nobody list "$a/unreadable.txt" "$a/good.md"
expect_status 4
grep -q "^kiosque: error: .*unreadable.txt: .*[Pp]ermission denied" "$KQ_ERR" ||
  fail "unreadable operand not reported: $(cat "$KQ_ERR")"
grep -q "Un article valide" "$KQ_OUT" || fail "readable article missing next to an unreadable one"
kq_run_as_nobody list "$a"
grep -q "^kiosque: warning: .*unreadable.txt: .*[Pp]ermission denied" "$KQ_ERR" ||
  fail "unreadable file not reported: $(cat "$KQ_ERR")"
grep -q "Un article valide" "$KQ_OUT" || fail "readable article missing next to an unreadable one"

# 4. check: reports and exits 4; exits 0 on a clean archive
kq_run check "$a"
expect_status 4
kq_run check "$a/good.md" "$a/good2.md"
expect_status 0

# 5. usage errors exit 2; no match exits 3
kq_run list --group-by color "$a/good.md"
expect_status 2
grep -q "^kiosque: error: --group-by" "$KQ_ERR" || fail "bad --group-by message"
kq_run list --since 2026-13-01 "$a/good.md"
expect_status 2
kq_run frobnicate
expect_status 2
kq_run list --month 1999-01 "$a/good.md"
expect_status 3
kq_run --version
expect_status 0
grep -q "^kiosque [0-9]" "$KQ_OUT" || fail "--version output"
kq_run --help
expect_status 0
grep -q "Exit status" "$KQ_OUT" || fail "--help lists the exit statuses"

pass
