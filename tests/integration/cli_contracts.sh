#!/usr/bin/env bash
# cli_contracts.sh: issue 16's "What was seen", one row each: the status and message a cron
# job can trust (missing paths, quiet months, output folders, -o -, sizes, progress line,
# --strict -q, -f docx, export --help, -v and --debug, list with nothing matched, --body).
set -u
. "$(dirname "$0")/../lib/kq-test.sh"

corpus="$KQ_TESTS/corpus"
dir=$(kq_tmpdir)
chmod 755 "$dir"
cd "$dir" || fail "cd"
export XDG_CONFIG_HOME="$dir/xdg" XDG_STATE_HOME="$dir/state"
row() { echo "row $*"; }
no_error_word() { ! grep -q "error" "$KQ_ERR" || fail "$1: an error message: $(cat "$KQ_ERR")"; }

# ---- 1. a PATH operand that does not exist or cannot be read is an error (status 4) -----
row "1a: -q with a missing archive"
kq_run export -q -f epub -o out/ /nonexistent
expect_status 4
grep -qx "kiosque: error: /nonexistent: No such file or directory" "$KQ_ERR" ||
  fail "1a: the missing path is not named as an error"
[ ! -s "$KQ_OUT" ] || fail "1a: something written"

row "1b: a missing archive beside a good one: the good one is still exported, status 4"
kq_run export -q -f epub -o out/ /nonexistent "$corpus"
expect_status 4
[ "$(wc -l < "$KQ_OUT")" -eq 1 ] && [ -f "$(cat "$KQ_OUT")" ] || fail "1b: the rest not exported"

row "1c: list and a folder that cannot be read (as an unprivileged user)"
mkdir -p locked && cp "$corpus"/*.md locked/ && chmod 700 locked
kq_run_as_nobody list -q "$dir/locked"
expect_status 4
grep -q "error: $dir/locked: Permission denied" "$KQ_ERR" || fail "1c: the folder not named"

row "1d: check -q with a missing path: an error, status 4"
kq_run check -q /nonexistent "$corpus"
expect_status 4
grep -qx "kiosque: error: /nonexistent: No such file or directory" "$KQ_ERR" || fail "1d: not named"
grep -q ", 1 unreadable$" "$KQ_OUT" || fail "1d: the summary does not count it"

# ---- 2. status 3: nothing with -q, a plain note without ---------------------------------
row "2a: no article matched, -q: status 3 and nothing at all"
kq_run export -q -f epub --author Nobody "$corpus"
expect_status 3
[ ! -s "$KQ_ERR" ] && [ ! -s "$KQ_OUT" ] || fail "2a: output with -q: $(cat "$KQ_ERR")"

row "2b: no article matched, without -q: a plain note, not an error"
kq_run export -f epub --author Nobody "$corpus"
expect_status 3
grep -qx "kiosque: export: no article matched; nothing written" "$KQ_ERR" || fail "2b: no note"
no_error_word 2b

row "2c: --only-new with nothing new, -q: status 3, silent"
kq_run export -q -f epub -o out/ --only-new monthly "$corpus"
expect_status 0
kq_run export -q -f epub -o out/ --only-new monthly "$corpus"
expect_status 3
[ ! -s "$KQ_ERR" ] && [ ! -s "$KQ_OUT" ] || fail "2c: output with -q"
kq_run export -f epub -o out/ --only-new monthly "$corpus"
expect_status 3
grep -qx "kiosque: export: nothing new for job 'monthly'; nothing written" "$KQ_ERR" ||
  fail "2c: no note without -q"

# ---- 4. output folders ----------------------------------------------------------------------
row "4a: -o in a missing folder names the folder, not the lock"
kq_run export -q -f epub -o o2/r.epub "$corpus"
expect_status 1
grep -qx "kiosque: error: o2/r.epub: the folder o2 does not exist (create it, or end -o with '/' to have kiosque create it)" \
  "$KQ_ERR" || fail "4a: message"
! grep -q lock "$KQ_ERR" || fail "4a: the lock named"
[ ! -e o2 ] || fail "4a: o2 created"

row "4b: -o ending in / creates the folder"
kq_run export -q -f epub -o o3/sub/ "$corpus"
expect_status 0
[ -f "$(cat "$KQ_OUT")" ] || fail "4b: not written in the new folder"

row "4c: a read-only output folder (as an unprivileged user)"
mkdir ro && chmod 555 ro
kq_run_as_nobody export -q -f epub -o "$dir/ro/r.epub" "$corpus"
expect_status 1
grep -qx "kiosque: error: $dir/ro/r.epub: cannot write in the folder $dir/ro: Permission denied" \
  "$KQ_ERR" || fail "4c: message"

# ---- 5. -o - -----------------------------------------------------------------------------------
row "5a: -o - -f epub writes the EPUB on standard output"
kq_run export -q -f epub -o - "$corpus"
expect_status 0
unzip -tq "$KQ_OUT" >/dev/null 2>&1 || fail "5a: stdout is not a zip"
[ "$(unzip -p "$KQ_OUT" mimetype)" = "application/epub+zip" ] || fail "5a: not an EPUB"
[ ! -e ./-.epub ] || fail "5a: a file named -.epub"
kq_run export -q -f pdf -o - "$corpus"
expect_status 0
[ "$(head -c 5 "$KQ_OUT")" = "%PDF-" ] || fail "5a: not a PDF"

row "5b: -o - with two formats is refused clearly"
kq_run export -q -o - "$corpus"
expect_status 2
grep -qx "kiosque: error: export: -o -: standard output takes a single format: add -f epub or -f pdf" \
  "$KQ_ERR" || fail "5b: message"
[ ! -e ./-.epub ] && [ ! -e ./-.pdf ] || fail "5b: a file named -"

# ---- 6. sizes ----------------------------------------------------------------------------------
row "6a: a size without a unit is refused"
for opt in --max-size --max-input --max-article; do
  kq_run export -q -f epub "$opt" 45 -o out6/ "$corpus"
  expect_status 2
  grep -q "error: $opt: '45' is not a size with a unit" "$KQ_ERR" || fail "6a: $opt message"
done
[ ! -e out6 ] || fail "6a: something written"

row "6b: a limit no volume can meet says why (the cover's weight), once, and writes one file"
mkdir -p ms
kq_run export -f epub --max-size 50K -o ms/r.epub "$corpus"
expect_status 0
[ "$(grep -c warning "$KQ_ERR")" -eq 1 ] || fail "6b: not one warning: $(cat "$KQ_ERR")"
grep -q "warning: ms/r.epub: --max-size 50K cannot be met: a volume of a single article is [0-9]* bytes, and the cover image every volume carries (OEBPS/images/cover.jpg) weighs [0-9]* bytes of it; written whole" \
  "$KQ_ERR" || fail "6b: the cover not named: $(cat "$KQ_ERR")"
[ "$(cat "$KQ_OUT")" = ms/r.epub ] || fail "6b: volumes written: $(cat "$KQ_OUT")"

# ---- 7. a warning clears the progress line first --------------------------------------------
row "7: progress line, then warnings"
kq_run export -f epub --progress -o out7/ "$corpus" "$KQ_TESTS/hostile/truncated.json"
expect_status 0
grep -q $'\r''kiosque: ' "$KQ_ERR" || fail "7: no progress line drawn"
grep -q "kiosque: warning" "$KQ_ERR" || fail "7: no warning"
# each warning starts a line or follows the erasing sequence "\r ESC[K"
grep -a "kiosque: warning" "$KQ_ERR" | tr '\r' '\n' | grep "kiosque: warning" |
  grep -v '^kiosque: warning\|^'$'\033''\[Kkiosque: warning' && fail "7: a warning on the progress line"

# ---- 8. --strict -q names its cause ---------------------------------------------------------
row "8: --strict -q"
kq_run export -q --strict -f epub -o out8/ "$corpus" "$KQ_TESTS/hostile/truncated.json"
expect_status 4
grep -qx "kiosque: error: --strict: 1 input could not be read: $KQ_TESTS/hostile/truncated.json" \
  "$KQ_ERR" || fail "8: the input not named"

# ---- 9. -f docx names --format -------------------------------------------------------------
row "9: -f docx"
kq_run export -f docx "$corpus"
expect_status 2
grep -q "error: --format: 'docx' is not one of epub, pdf" "$KQ_ERR" || fail "9: message"
! grep -q -- "--formats" "$KQ_ERR" || fail "9: --formats named"

# ---- 10. export --help shows every option a job needs ---------------------------------------
row "10: export --help"
kq_run export --help
expect_status 0
grep -q "^  kiosque export \[OPTION…\] PATH…" "$KQ_OUT" || fail "10: usage line without kiosque"
for o in --since --until --month --week --topic --site --author --lang --only-new --if-changed \
         --max-size --strict -q --quiet; do
  grep -q -- " $o[ =,]" "$KQ_OUT" || fail "10: $o missing from export --help"
done
# every option of --help-all is in --help (so --fetch-images and later ones too)
"$KQ_BIN" export --help-all | grep -o '^  \(-., \)\?--[a-z-]*' | sed 's/.*--/--/' | sort -u > all
grep -o '^  \(-., \)\?--[a-z-]*' "$KQ_OUT" | sed 's/.*--/--/' | sort -u > shown
missing=$(comm -23 all shown | grep -v '^--help-')
[ -z "$missing" ] || fail "10: not in --help: $missing"

# ---- 12. -v, --debug, list with nothing matched, --body --------------------------------------
row "12a: -v says what is skipped and why, not internal timings"
kq_run export -v -f pdf --month 2026-01 -o out12/ "$corpus"
expect_status 0
grep -q "info: [0-9]* articles\? outside the filters, left out" "$KQ_ERR" || fail "12a: no skip note"
! grep -q "paragraph layouts\|measure [0-9.]* s\|kiosque-stage" "$KQ_ERR" || fail "12a: timings"
kq_run export --debug -f pdf --month 2026-01 -o out12/ "$corpus"
grep -q "debug: .*paragraph layouts" "$KQ_ERR" || fail "12a: --debug shows no figures"

row "12b: list with nothing matched prints nothing on stdout"
kq_run list --author Nobody "$corpus"
expect_status 3
[ ! -s "$KQ_OUT" ] || fail "12b: stdout: $(cat "$KQ_OUT")"
grep -qx "kiosque: list: no article matched" "$KQ_ERR" || fail "12b: no note"
kq_run list -q --author Nobody "$corpus"
expect_status 3
[ ! -s "$KQ_OUT" ] && [ ! -s "$KQ_ERR" ] || fail "12b: output with -q"
kq_run list --json --author Nobody "$corpus"
expect_status 3
[ "$(tr -d ' \n' < "$KQ_OUT")" = "[]" ] || fail "12b: --json is not an empty array"

row "12c: --body without --json is refused"
kq_run list --body "$corpus"
expect_status 2
grep -qx "kiosque: error: list: --body needs --json (the table has no room for it)" "$KQ_ERR" ||
  fail "12c: message"
pass
