#!/usr/bin/env bash
# export_safety.sh: a previous good export survives everything: SIGKILL at random moments
# (50 times: the target is always the old file or the complete new one), a full disk
# (RLIMIT_FSIZE), and a concurrent export of the same file (lock, --lock-timeout).
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require flock util-linux

dir=$(kq_tmpdir)
arch="$dir/archive"
mkdir -p "$arch" "$dir/out"
# a long export: the sample archive many times over, each copy its own article
for i in $(seq 1 12); do
  mkdir -p "$arch/copy$i"
  for f in "$KQ_TESTS"/corpus/*.md; do
    sed -e "s|^title: \"\{0,1\}|&[$i] |" -e "s|^url: .*|url: https://copy$i.example.org/$(basename "$f")|" \
      "$f" >"$arch/copy$i/$(basename "$f")"
  done
done
target="$dir/out/revue.pdf"
epub="$dir/out/revue.epub"
export SOURCE_DATE_EPOCH=1767225600

# the old file, and the reference new one (outputs are reproducible)
printf 'old good export\n' >"$target"
printf 'old good export\n' >"$epub"
old=$(sha256sum <"$target" | cut -d' ' -f1)
ref="$dir/ref"
mkdir "$ref"
start=$(date +%s%N)
"$KQ_BIN" export -q -o "$ref/revue.pdf" "$arch" >/dev/null || fail "reference export"
ns=$(( $(date +%s%N) - start ))
new_pdf=$(sha256sum <"$ref/revue.pdf" | cut -d' ' -f1)
new_epub=$(sha256sum <"$ref/revue.epub" | cut -d' ' -f1)

# a user's own hidden files beside the targets, shaped like temporaries: kiosque's clean-up
# must never touch them (issue 12 item 5)
side() { printf '%s' "$1" | sha256sum | cut -c1-16; }
for f in .revue.pdf.backup .revue.pdf.old123 .revue.epub.Ab12Cd .revue.pdf.lock; do
  printf 'user file %s\n' "$f" >"$dir/out/$f"
done
users_intact() {
  for f in .revue.pdf.backup .revue.pdf.old123 .revue.epub.Ab12Cd .revue.pdf.lock; do
    [ "$(cat "$dir/out/$f" 2>/dev/null)" = "user file $f" ] || fail "$1: the user's $f was touched"
  done
}

# 1. SIGKILL at random moments, 50 times
for i in $(seq 1 50); do
  "$KQ_BIN" export -q -o "$target" "$arch" >/dev/null 2>&1 &
  pid=$!
  delay_us=$(( (RANDOM * 32768 + RANDOM) % (ns / 1000 * 12 / 10 + 1) ))
  sleep "$(printf '0.%06d' "$delay_us")" 2>/dev/null || sleep "$((delay_us / 1000000)).$(printf '%06d' $((delay_us % 1000000)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  for f in "$target" "$epub"; do
    [ -f "$f" ] || fail "kill $i: $f disappeared"
    h=$(sha256sum <"$f" | cut -d' ' -f1)
    [ "$h" = "$old" ] || [ "$h" = "$new_pdf" ] || [ "$h" = "$new_epub" ] ||
      fail "kill $i after ${delay_us} us: $f is neither the old file nor a complete new one"
  done
  users_intact "kill $i"
  # start each round from the old files again
  printf 'old good export\n' >"$target"
  printf 'old good export\n' >"$epub"
done
# the next export cleans what the killed ones left behind, and completes
"$KQ_BIN" export -q -o "$target" "$arch" >/dev/null || fail "export after the kills"
[ "$(sha256sum <"$target" | cut -d' ' -f1)" = "$new_pdf" ] || fail "export after the kills differs"
leftover=$(find "$dir/out" -name '.kiosque-*' | wc -l)
[ "$leftover" -eq 0 ] || fail "temporary files left behind: $(ls -a "$dir/out")"
users_intact "export after the kills"

# 2. a full disk: the write fails, exit 1, the old file stays, no temporary file left;
#    the disk fills at several points of the file (early, in the pages, in the fonts at the
#    end), on this archive and on the test corpus (images, tables, code)
for case in "$arch:16 96 400 1200 1400" "$KQ_TESTS/corpus:16 96 200 260"; do
  src=${case%%:*}
  for limit_kb in ${case#*:}; do
    printf 'old good export\n' >"$target"
    (ulimit -f "$limit_kb"; exec "$KQ_BIN" export -f pdf -o "$target" "$src") >"$KQ_OUT" 2>"$KQ_ERR"
    KQ_STATUS=$?
    what="full disk at $limit_kb KB ($src)"
    [ "$KQ_STATUS" -eq 1 ] || fail "$what: expected exit status 1, got $KQ_STATUS"
    [ "$(sha256sum <"$target" | cut -d' ' -f1)" = "$old" ] || fail "$what: the old file was touched"
    grep -q "^kiosque: error: .*File too large" "$KQ_ERR" || fail "$what: no error message"
    [ "$(find "$dir/out" -name ".kiosque-$(side revue.pdf).*.tmp" | wc -l)" -eq 0 ] ||
      fail "$what: temporary file left"
  done
done

# 3. two concurrent exports of the same file: the second waits for the lock
#    (held here by flock(1) on the lock file, so the test does not depend on timing)
lockfile="$dir/out/.kiosque-$(side revue.pdf).lock"
touch "$lockfile"
flock "$lockfile" sleep 4 &
holder=$!
sleep 0.5
kq_run export -f pdf --lock-timeout 1 -o "$target" "$arch"
expect_status 1
grep -q "another export is writing it" "$KQ_ERR" || fail "lock: no clear message"
[ "$(sha256sum <"$target" | cut -d' ' -f1)" = "$old" ] || fail "lock: the old file was touched"
kq_run export -q -f pdf -o "$target" "$arch" # default timeout: waits for the holder, then writes
expect_status 0
wait "$holder"
[ "$(sha256sum <"$target" | cut -d' ' -f1)" = "$new_pdf" ] || fail "lock: final file differs"
# and two real exports at once both succeed, one after the other
"$KQ_BIN" export -q -f pdf -o "$target" "$arch" >/dev/null 2>&1 &
first=$!
kq_run export -q -f pdf -o "$target" "$arch"
expect_status 0
wait "$first" || fail "the first of two concurrent exports failed"
[ "$(sha256sum <"$target" | cut -d' ' -f1)" = "$new_pdf" ] || fail "concurrent: final file differs"
users_intact "the end"
pass
