#!/usr/bin/env bash
# cron_export.sh: export for unattended runs: --only-new across runs with new articles
# added between them (state written only after success, exit 3 when nothing is new, lock),
# --if-changed, --max-size volumes, title and file-name templates, the configuration file,
# the progress line, and the crontab line of the README run as cron would (sh, bare env).
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require python3 python3
kq_require pdfinfo poppler-utils
kq_require flock util-linux
kq_require script bsdutils

corpus="$KQ_TESTS/corpus"
dir=$(kq_tmpdir)
export XDG_CONFIG_HOME="$dir/config" XDG_STATE_HOME="$dir/state"
unset SOURCE_DATE_EPOCH
cd "$dir" || fail "cd"

# titles FILE.epub: the titles of the articles inside an EPUB, one per line, sorted
titles() {
  python3 - "$1" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
out = []
for n in z.namelist():
    if re.search(r"/art-\d+\.xhtml$", n):
        m = re.search(r"<title>(.*?)</title>", z.read(n).decode(), re.S)
        out.append(m.group(1).strip() if m else "?")
print("\n".join(sorted(out)))
PY
}
count() { titles "$1" | grep -c .; }
# opf_title FILE.epub: the edition title (no-break spaces of the typography made plain)
opf_title() {
  python3 - "$1" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
opf = next(n for n in z.namelist() if n.endswith(".opf"))
m = re.search(r"<dc:title[^>]*>(.*?)</dc:title>", z.read(opf).decode(), re.S)
print(re.sub("[\u00a0\u202f]", " ", m.group(1)) if m else "")
PY
}

# ---- 1. --only-new: three runs, new articles between them -------------------------
mkdir arch out
cp "$corpus"/2026-01-08-ces-ecrans-oled.md "$corpus"/2026-01-14-open-weights-licences.md \
   "$corpus"/2026-01-21-faille-routeurs-box.md arch/
kq_run export -q -f epub --only-new nightly -o out/run1.epub arch
expect_status 0
[ "$(cat "$KQ_OUT")" = "out/run1.epub" ] || fail "run 1 printed '$(cat "$KQ_OUT")'"
[ "$(count out/run1.epub)" -eq 3 ] || fail "run 1 must export the 3 articles"
state="$XDG_STATE_HOME/kiosque/nightly.ids"
[ "$(grep -vc '^#' "$state")" -eq 3 ] || fail "state must hold 3 ids after run 1"

# nothing new: exit 3, nothing written, nothing said with -q
kq_run export -q -f epub --only-new nightly -o out/run2.epub arch
expect_status 3
[ -s "$KQ_OUT" ] && fail "nothing new: nothing may be printed on stdout"
[ -s "$KQ_ERR" ] && fail "nothing new is not an error: stderr must stay empty with -q"
[ -e out/run2.epub ] && fail "nothing new: no file may be written"
kq_run export -v -f epub --only-new nightly -o out/run2.epub arch
expect_status 3
grep -q "nothing new for job 'nightly'" "$KQ_ERR" || fail "-v must say there is nothing new"

# new articles: only they are exported
cp "$corpus"/2026-02-03-ariane-6-lancement.md "$corpus"/2026-02-11-passkeys-adoption.md arch/
kq_run export -q -f epub --only-new nightly -o out/run2.epub arch
expect_status 0
[ "$(count out/run2.epub)" -eq 2 ] || fail "run 2 must export only the 2 new articles: $(titles out/run2.epub)"
titles out/run1.epub > run1.titles
titles out/run2.epub | grep -qxFf run1.titles && fail "run 2 repeated an article of run 1"
[ "$(grep -vc '^#' "$state")" -eq 5 ] || fail "state must hold 5 ids after run 2"
# another job has its own memory
kq_run export -q -f epub --only-new weekly -o out/weekly.epub arch
expect_status 0
[ "$(count out/weekly.epub)" -eq 5 ] || fail "job weekly must export all 5 articles"

# a failed export leaves the state alone: the next run exports the article again
cp "$corpus"/2026-02-17-deepseek-v4-codage.md arch/
cp "$state" state.before
: > not-a-dir
kq_run export -q -f epub --only-new nightly -o not-a-dir/run3.epub arch
expect_status 1
cmp -s "$state" state.before || fail "a failed export must not update the state"
kq_run export -q -f epub --only-new nightly -o out/run3.epub arch
expect_status 0
[ "$(count out/run3.epub)" -eq 1 ] || fail "run 3 must export the 1 new article"
[ "$(grep -vc '^#' "$state")" -eq 6 ] || fail "state must hold 6 ids after run 3"
kq_run export -q -f epub --only-new nightly -o out/run4.epub arch
expect_status 3

# with --only-new, date placeholders name the run's day
cp "$corpus"/2026-03-10-fin-reseau-cuivre.md arch/
KQ_TODAY=2026-11-28 kq_run export -q -f epub --only-new nightly -o 'out/new-{yyyy}{mm}{dd}.epub' arch
expect_status 0
[ "$(cat "$KQ_OUT")" = "out/new-20261128.epub" ] || fail "--only-new file name: $(cat "$KQ_OUT")"

# a running job holds a lock; bad job names are usage errors
flock "$XDG_STATE_HOME/kiosque/nightly.lock" "$KQ_BIN" export -q -f epub --only-new nightly \
  -o out/locked.epub arch >"$KQ_OUT" 2>"$KQ_ERR"
KQ_STATUS=$?
expect_status 1
grep -q "running already" "$KQ_ERR" || fail "lock held: no clear message"
kq_run export -f epub --only-new ../evil -o out/x.epub arch
expect_status 2
printf '# damaged\nnot an id!\n' > "$XDG_STATE_HOME/kiosque/broken.ids"
kq_run export -f epub --only-new broken -o out/x.epub arch
expect_status 1
grep -q "broken.ids:2:" "$KQ_ERR" || fail "damaged state file not named with its line"

# ---- 2. --if-changed ----------------------------------------------------------------
mkdir ic
kq_run export -q -f epub,pdf -o ic/revue.pdf arch
expect_status 0
ino_epub=$(stat -c %i ic/revue.epub); ino_pdf=$(stat -c %i ic/revue.pdf)
kq_run export -v --if-changed -f epub,pdf -o ic/revue.pdf arch
expect_status 0
[ -s "$KQ_OUT" ] && fail "--if-changed: unchanged outputs must not be printed: $(cat "$KQ_OUT")"
grep -q "ic/revue.epub: unchanged" "$KQ_ERR" || fail "--if-changed -v must say the file is unchanged"
[ "$(stat -c %i ic/revue.epub)" = "$ino_epub" ] || fail "--if-changed replaced an identical EPUB"
[ "$(stat -c %i ic/revue.pdf)" = "$ino_pdf" ] || fail "--if-changed replaced an identical PDF"
ls -a ic | grep -q kiosque-stage && fail "staging folder left behind"
# without --if-changed the file is replaced (same bytes, new file)
kq_run export -q -f epub -o ic/revue.epub arch
[ "$(stat -c %i ic/revue.epub)" != "$ino_epub" ] || fail "a plain export must replace the file"
ino_epub=$(stat -c %i ic/revue.epub)
cp "$corpus"/2026-03-04-risc-v-laptop.md arch/
kq_run export -q --if-changed -f epub -o ic/revue.epub arch
expect_status 0
[ "$(cat "$KQ_OUT")" = "ic/revue.epub" ] || fail "--if-changed: a changed output must be written and printed"
[ "$(stat -c %i ic/revue.epub)" != "$ino_epub" ] || fail "--if-changed kept a changed output"
kq_run export -q --if-changed --no-clobber -f pdf -o ic/revue.pdf arch
expect_status 1
grep -q "already exists" "$KQ_ERR" || fail "--no-clobber must still refuse with --if-changed"

# ---- 3. --max-size -----------------------------------------------------------------
mkdir ms
kq_run export -q -f epub,pdf -o ms/whole.epub "$corpus"
expect_status 0
whole_epub=$(stat -c %s ms/whole.epub); whole_pdf=$(stat -c %s ms/whole.pdf)
limit=$(( (whole_pdf * 3 / 4) / 1024 ))   # KiB: the PDF needs two volumes at least
kq_run export -q -f epub,pdf --max-size "${limit}k" -o ms/revue.epub "$corpus"
expect_status 0
grep -qx "ms/revue-1.pdf" "$KQ_OUT" && grep -qx "ms/revue-2.pdf" "$KQ_OUT" ||
  fail "--max-size: PDF volumes not printed: $(cat "$KQ_OUT")"
[ -e ms/revue.pdf ] && fail "--max-size: the oversized whole file must not be written"
for f in ms/revue-*.pdf; do
  [ "$(stat -c %s "$f")" -le $((limit * 1024)) ] || fail "$f is over --max-size"
  pdfinfo "$f" >/dev/null 2>&1 || fail "$f is not a valid PDF"
done
pdfinfo ms/revue-1.pdf | grep -q "^Title:.*(1/" || fail "volume title lacks its number"
# the EPUB volumes hold every article once, in order
if [ "$whole_epub" -gt $((limit * 1024)) ]; then
  titles ms/whole.epub > whole.titles
  : > volumes.titles
  n=1
  while [ -e "ms/revue-$n.epub" ]; do
    titles "ms/revue-$n.epub" >> volumes.titles
    n=$((n + 1))
  done
  [ "$n" -gt 2 ] || fail "--max-size: the EPUB was not split"
  sort volumes.titles | cmp -s - whole.titles || fail "EPUB volumes do not hold every article once"
fi
# {n} in -o names the volumes
kq_run export -q -f pdf --max-size "${limit}k" -o 'ms/vol{n}-{yyyy}.pdf' "$corpus"
expect_status 0
grep -qx "ms/vol1-2026.pdf" "$KQ_OUT" && grep -qx "ms/vol2-2026.pdf" "$KQ_OUT" ||
  fail "-o with {n}: $(cat "$KQ_OUT")"
kq_run export -q -f pdf --max-size 64x "$corpus"
expect_status 2

# ---- 4. templates and relative periods -------------------------------------------
mkdir tpl
KQ_TODAY=2026-03-15 kq_run export -q -f epub --month last \
  --title 'Revue tech — {month} {year}' -o 'tpl/revue-{yyyy}-{mm}.epub' "$corpus"
expect_status 0
[ "$(cat "$KQ_OUT")" = "tpl/revue-2026-02.epub" ] || fail "file-name template: $(cat "$KQ_OUT")"
[ "$(opf_title tpl/revue-2026-02.epub)" = "Revue tech — février 2026" ] ||
  fail "title template not expanded in the EPUB: $(opf_title tpl/revue-2026-02.epub)"
KQ_TODAY=2026-02-05 kq_run export -q -f epub --week last --edition-lang en \
  -o 'tpl/weekly-{isoyear}-w{ww}-{month}.epub' "$corpus"
expect_status 0
[ "$(cat "$KQ_OUT")" = "tpl/weekly-2026-w05-february.epub" ] || fail "week template: $(cat "$KQ_OUT")"
kq_run export -q -f epub -o 'tpl/{nope}.epub' "$corpus"
expect_status 2
grep -q "unknown placeholder {nope}" "$KQ_ERR" || fail "unknown placeholder message"

# ---- 5. the configuration file drives export ------------------------------------
mkdir -p "$XDG_CONFIG_HOME/kiosque" cfgout
cat > "$XDG_CONFIG_HOME/kiosque/kiosque.conf" <<CONF
[kiosque]
paths = $corpus
output = $dir/cfgout/digest-{yyyy}-{mm}.epub
formats = epub
title = Digest {Month} {year}
CONF
KQ_TODAY=2026-04-02 kq_run export -q --month last
expect_status 0
[ "$(cat "$KQ_OUT")" = "$dir/cfgout/digest-2026-03.epub" ] || fail "configured export: $(cat "$KQ_OUT")"
[ "$(opf_title cfgout/digest-2026-03.epub)" = "Digest Mars 2026" ] ||
  fail "configured title: $(opf_title cfgout/digest-2026-03.epub)"
KQ_TODAY=2026-04-02 kq_run export -q --month last -f pdf -o cfgout/x.pdf
expect_status 0
[ "$(cat "$KQ_OUT")" = "cfgout/x.pdf" ] || fail "command line must override the configuration"
rm "$XDG_CONFIG_HOME/kiosque/kiosque.conf"

# ---- 6. progress line: only on a terminal (or --progress), never with -q ----------
kq_run export -f epub -o out/p.epub arch
grep -q $'\r' "$KQ_ERR" && fail "progress line written to a non-terminal"
kq_run export --progress -f epub -o out/p.epub arch
grep -q $'\r'"kiosque: writing p.epub" "$KQ_ERR" || fail "--progress shows no progress line"
grep -qE $'\r'"kiosque: inputs \[[#.]{20}\] [0-9]+/[0-9]+" "$KQ_ERR" || fail "--progress: no count of inputs read"
grep -qE $'\r'"kiosque: articles \[[#.]{20}\] [0-9]+/[0-9]+" "$KQ_ERR" || fail "--progress: no count of articles written"
kq_run export --progress -f pdf -o out/p.pdf arch
grep -qE $'\r'"kiosque: pages \[#{20}\] ([0-9]+)/\1" "$KQ_ERR" || fail "--progress: no count of pages laid out"
kq_run export --progress -q -f epub -o out/p.epub arch
[ -s "$KQ_ERR" ] && fail "-q must silence the progress line"
script -qec "'$KQ_BIN' export -f epub -o out/tty.epub arch" /dev/null > tty.log 2>&1
grep -q $'\r'"kiosque: writing tty.epub" tty.log || fail "no progress line on a terminal"

# ---- 7. the README's crontab line, as cron runs it (sh, bare environment) --------
mkdir -p home/archives/tech home/liseuse
cp "$corpus"/*.md home/archives/tech/
# a bare environment, but the sanitizer settings of a sanitizer build survive
bare=(env -i HOME="$dir/home" PATH="$(dirname "$KQ_BIN"):/usr/bin:/bin")
for v in LSAN_OPTIONS ASAN_OPTIONS UBSAN_OPTIONS; do
  [ -n "${!v:-}" ] && bare+=("$v=${!v}")
done
line="kiosque export -q -f epub --month last -o '~/liseuse/revue-{yyyy}-{mm}.epub' ~/archives/tech || [ \$? -eq 3 ]"
"${bare[@]}" KQ_TODAY=2026-03-01 sh -c "$line" >cron.out 2>cron.err || fail "crontab line failed: $(cat cron.err)"
[ -s cron.err ] && fail "crontab line wrote to stderr (cron would mail it): $(cat cron.err)"
[ -f home/liseuse/revue-2026-02.epub ] || fail "crontab line: no home/liseuse/revue-2026-02.epub"
# a month without articles is not a failure for cron
"${bare[@]}" KQ_TODAY=2027-06-01 sh -c "$line" >cron.out 2>cron.err || fail "an empty month must not fail the crontab line"
pass
