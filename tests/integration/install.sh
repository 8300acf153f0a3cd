#!/usr/bin/env bash
# install.sh: `cmake --install BUILD --prefix TMP` puts the binary, data files, man page and
# completion in place; the installed binary (also moved elsewhere) finds its data beside
# itself and lists and exports tests/corpus like the build-tree binary.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require python3 python3
kq_require man man-db

build=$(dirname "$KQ_BIN")
[ -f "$build/CMakeCache.txt" ] || fail "no CMakeCache.txt beside KQ_BIN ($build)"
dir=$(kq_tmpdir)
prefix="$dir/prefix"
cmake --install "$build" --prefix "$prefix" >"$dir/install.log" 2>&1 ||
  { cat "$dir/install.log" >&2; fail "cmake --install failed"; }

for f in bin/kiosque share/kiosque/styles/default.css share/kiosque/styles/default.theme \
         share/kiosque/fonts/fonts.conf share/kiosque/fonts/manifest.ini \
         share/man/man1/kiosque.1 share/bash-completion/completions/kiosque; do
  [ -f "$prefix/$f" ] || fail "not installed: $f"
done
[ -x "$prefix/bin/kiosque" ] || fail "installed binary not executable"

# the man page renders without a warning
warnings=$(MANWIDTH=80 man --warnings -l "$prefix/share/man/man1/kiosque.1" 2>&1 >/dev/null)
[ -z "$warnings" ] || fail "man page warnings: $warnings"
MANWIDTH=80 man -l "$prefix/share/man/man1/kiosque.1" 2>/dev/null | grep -q "EXIT STATUS" ||
  fail "man page does not render"

corpus="$KQ_TESTS/corpus"
export XDG_CONFIG_HOME="$dir/xdg" XDG_STATE_HOME="$dir/state"
unset KQ_DATADIR KIOSQUE_STYLES_DIR KIOSQUE_FONTS_DIR
cd "$dir" || fail "cd"

# check_installed BIN PREFIX: the binary under PREFIX finds PREFIX's data and works
check_installed() {
  local bin=$1 pre=$2
  KQ_BIN=$bin kq_run --version
  expect_status 0
  KQ_BIN=$bin kq_run config
  expect_status 0
  grep -qx "# styles: $pre/share/kiosque/styles" "$KQ_OUT" ||
    fail "$bin: styles not found beside the binary: $(grep '^# ' "$KQ_OUT" | tail -4)"
  grep -qx "# fonts: $pre/share/kiosque/fonts" "$KQ_OUT" ||
    fail "$bin: fonts not found beside the binary"
  KQ_BIN=$bin kq_run list --json "$corpus"
  expect_status 0
  cmp -s "$KQ_OUT" "$dir/list.build" || fail "$bin: list differs from the build-tree binary"
  rm -rf "$dir/out" && mkdir "$dir/out"
  SOURCE_DATE_EPOCH=1767225600 KQ_BIN=$bin kq_run export -q -f epub --month 2026-02 \
    -o "$dir/out/" "$corpus"
  expect_status 0
  local epub
  epub=$(cat "$KQ_OUT")
  [ -f "$epub" ] || fail "$bin: export printed '$epub', no such file"
  # the style sheet inside is the installed one (marked below), not the source tree's
  python3 - "$epub" "$marker" <<'PY' || fail "$bin: the EPUB does not use the installed styles"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
css = [n for n in z.namelist() if n.endswith(".css")]
assert css and any(sys.argv[2] in z.read(n).decode() for n in css), css
PY
}

# mark the installed style sheet to tell it from the source tree's
marker="installed-copy-$$"
printf '\n/* %s */\n' "$marker" >> "$prefix/share/kiosque/styles/default.css"

kq_run list --json "$corpus"
expect_status 0
cp "$KQ_OUT" "$dir/list.build"
check_installed "$prefix/bin/kiosque" "$prefix"

# relocated: the whole tree moved elsewhere still works (paths relative to the binary)
mv "$prefix" "$dir/moved"
check_installed "$dir/moved/bin/kiosque" "$dir/moved"

# an installed binary never looks in the build or source tree (issue 13 item 6, KQ_SOURCE_DIR
# is compiled in): without its own styles it fails and says where it looked
KQ_BIN="$dir/moved/bin/kiosque" kq_run config
expect_status 0
grep -qF "$KQ_SRC" "$KQ_OUT" && fail "the installed binary lists the source tree: $(grep -F "$KQ_SRC" "$KQ_OUT")"
mv "$dir/moved/share/kiosque/styles" "$dir/styles.off"
KQ_BIN="$dir/moved/bin/kiosque" kq_run export -q -f epub -o "$dir/out/none.epub" "$corpus"
[ "$KQ_STATUS" -ne 0 ] || fail "an installed binary without its styles used another tree's"
grep -q "default.css not found" "$KQ_ERR" || fail "missing style not reported"
grep -qF "$KQ_SRC" "$KQ_ERR" && fail "the installed binary looked in the source tree"
mv "$dir/styles.off" "$dir/moved/share/kiosque/styles"

# KQ_DATADIR is searched first
mkdir -p "$dir/data/styles"
cp "$dir/moved/share/kiosque/styles/default.css" "$dir/data/styles/"
KQ_DATADIR="$dir/data" KQ_BIN="$dir/moved/bin/kiosque" kq_run config
grep -qx "# styles: $dir/data/styles" "$KQ_OUT" || fail "KQ_DATADIR not searched first"
grep -qx "# fonts: $dir/moved/share/kiosque/fonts" "$KQ_OUT" ||
  fail "what KQ_DATADIR lacks must come from the next folder"
pass
