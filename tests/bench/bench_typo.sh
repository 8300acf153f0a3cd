#!/bin/bash
# bench_typo.sh: typography + hyphenation of the 1,000-article generated archive, on one core (target < 0.5 s).
# Usage: tests/bench/bench_typo.sh [N_ARTICLES]   (env KQ_BENCH_BUILD: build dir, KQ_SHARED: shared dir)
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${KQ_SHARED:-$SRC/../shared}
BUILD=${KQ_BENCH_BUILD:-/tmp/kq-bench-typo}
N=${1:-1000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DKQ_TESTS=OFF >/dev/null
cmake --build "$BUILD" --target kiosque -j2 >/dev/null
DEPS="glib-2.0 gio-2.0 pango pangocairo pangoft2 cairo cairo-pdf fontconfig libzip libxml-2.0
      libcmark yaml-0.1 json-glib-1.0 gdk-pixbuf-2.0 librsvg-2.0"
# shellcheck disable=SC2046,SC2086
cc -O2 -std=c11 -D_GNU_SOURCE -o "$WORK/bench_typo" "$SRC/tests/bench/bench_typo.c" \
  -I"$SRC/include" $(pkg-config --cflags $DEPS) "$BUILD/libkiosque.a" \
  $(pkg-config --libs $DEPS) -lhyphen -lm

python3 "$SHARED/tools/gencorpus.py" "$N" "$WORK/corpus" >/dev/null
PIN=""
command -v taskset >/dev/null && PIN="taskset -c 0"
$PIN "$WORK/bench_typo" "$WORK/corpus" 3
