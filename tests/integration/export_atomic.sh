#!/usr/bin/env bash
# export_atomic.sh: a failed export exits 1 and leaves the existing EPUB untouched, with no
# temporary file left behind: an unprivileged user on a folder it may not write, a path under
# a regular file (ENOTDIR), a file size limit hit mid-write (RLIMIT_FSIZE), --no-clobber.
# Tests run as root, hence setpriv (design.md, "Tests run as root").
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require setpriv util-linux
corpus="$KQ_TESTS/corpus"
out=$(kq_tmpdir)
chmod 755 "$out"

# a reference EPUB to protect
kq_run export -f epub -o "$out/revue.epub" "$corpus"
expect_status 0
cp "$out/revue.epub" "$out/before.epub"
sum() { sha256sum "$1" | cut -d' ' -f1; }
ref=$(sum "$out/revue.epub")
untouched() {
  [ "$(sum "$out/revue.epub")" = "$ref" ] || fail "$1: the existing EPUB was modified"
  local extra
  extra=$(find "$out" -name '.kiosque-*')
  [ -z "$extra" ] || fail "$1: temporary file left behind: $extra"
}

# 1. unprivileged user, folder owned by root (0755): cannot create the temporary file
chmod 644 "$out/revue.epub"
# the corpus must stay readable for nobody
kq_run_as_nobody export -f epub -o "$out/revue.epub" "$corpus"
expect_status 1
grep -q "kiosque: error: .*revue.epub" "$KQ_ERR" || fail "no error naming the output"
[ -s "$KQ_OUT" ] && fail "nothing was written, yet stdout lists: $(cat "$KQ_OUT")"
untouched "setpriv"

# 2. a path under a regular file: ENOTDIR
kq_run export -f epub -o "$out/revue.epub/sub.epub" "$corpus"
expect_status 1
grep -q "Not a directory" "$KQ_ERR" || fail "ENOTDIR not reported"
untouched "ENOTDIR"

# 3. the disk fills up mid-write: RLIMIT_FSIZE of 64 KB (SIGXFSZ ignored, so write() fails
# with EFBIG as it would with ENOSPC on a full disk)
size=$(stat -c %s "$out/revue.epub")
[ "$size" -gt 65536 ] || fail "reference EPUB too small ($size bytes) for the size-limit test"
(trap '' XFSZ; ulimit -f 64; exec "$KQ_BIN" export -f epub -o "$out/revue.epub" "$corpus") \
  >"$KQ_OUT" 2>"$KQ_ERR"
KQ_STATUS=$?
expect_status 1
grep -q "File too large" "$KQ_ERR" || fail "EFBIG not reported"
untouched "RLIMIT_FSIZE"

# 4. --no-clobber: the existing file is kept, exit 1; a new name is written
kq_run export -f epub --no-clobber -o "$out/revue.epub" "$corpus"
expect_status 1
grep -q "already exists" "$KQ_ERR" || fail "--no-clobber: no 'already exists' error"
untouched "--no-clobber"
kq_run export -f epub --no-clobber -o "$out/autre.epub" "$corpus"
expect_status 0
[ -f "$out/autre.epub" ] || fail "--no-clobber refused a new file"

# 5. a successful export replaces the file (same content here: reproducible)
kq_run export -f epub -o "$out/revue.epub" "$corpus"
expect_status 0
untouched "replace"
pass
