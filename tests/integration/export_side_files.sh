#!/usr/bin/env bash
# export_side_files.sh (issue 12 item 5): kiosque removes only the temporary files it
# created. A user's hidden files beside the target (".NAME.backup", ".NAME.old123", even
# ".NAME.Ab12Cd", the shape kiosque used to give its temporaries, and ".NAME.lock") survive
# an export and an interrupted (SIGKILLed) export; output names of 246 to 255 bytes work.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
corpus="$KQ_TESTS/corpus"
out=$(kq_tmpdir)
export SOURCE_DATE_EPOCH=1767225600
users=(.ed.epub.backup .ed.epub.old123 .ed.pdf.Ab12Cd .ed.pdf.lock .ed.epub.XXXXXX.tmp)
for f in "${users[@]}"; do printf 'user file %s\n' "$f" >"$out/$f"; done
users_intact() {
  for f in "${users[@]}"; do
    [ "$(cat "$out/$f" 2>/dev/null)" = "user file $f" ] || fail "$1: the user's $f was touched"
  done
}

# 1. an ordinary export
kq_run export -q -o "$out/ed.pdf" "$corpus"
expect_status 0
[ -s "$out/ed.pdf" ] && [ -s "$out/ed.epub" ] || fail "export wrote nothing"
users_intact "export"
[ -z "$(find "$out" -name '.kiosque-*')" ] || fail "kiosque's own files left: $(ls -a "$out")"

# 2. an export killed while its temporary file exists, then the next export
rm -f "$out/ed.pdf"
"$KQ_BIN" export -q -f pdf -o "$out/ed.pdf" "$corpus" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 2000); do
  [ -n "$(find "$out" -name '.kiosque-*.tmp')" ] && break
  sleep 0.01
done
temp=$(find "$out" -name '.kiosque-*.tmp')
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ -n "$temp" ] || fail "the export never created its temporary file"
[ -e "$out/ed.pdf" ] && fail "a killed export left a target"
users_intact "interrupted export"
kq_run export -q -f pdf -o "$out/ed.pdf" "$corpus"
expect_status 0
[ -e "$temp" ] && fail "the killed export's temporary file $temp was not cleaned up"
users_intact "export after the kill"
[ -z "$(find "$out" -name '.kiosque-*')" ] || fail "kiosque's own files left: $(ls -a "$out")"

# 3. names of 246 to 255 bytes (NAME_MAX): the lock and temporary files must still fit
for len in 246 250 255; do
  name=$(printf 'n%.0s' $(seq 1 $((len - 5)))).epub
  [ ${#name} -eq "$len" ] || fail "test bug: name of ${#name} bytes"
  kq_run export -q -f epub,pdf -o "$out/$name" "$corpus"
  expect_status 0
  [ -s "$out/$name" ] || fail "$len-byte name: no EPUB"
  [ -s "$out/${name%.epub}.pdf" ] || fail "$len-byte name: no PDF"
  grep -qxF "$out/$name" "$KQ_OUT" || fail "$len-byte name: not listed on stdout"
  rm -f "$out/$name" "$out/${name%.epub}.pdf"
done
users_intact "long names"
pass
