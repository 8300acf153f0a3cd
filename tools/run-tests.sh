#!/usr/bin/env bash
# Builds kiosque and runs the whole test suite with ctest.
# Usage: tools/run-tests.sh [--sanitize] [ctest args...]
#   --sanitize  build in build-asan/ with AddressSanitizer + UBSan and run the suite there
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build
flags=()
if [ "${1:-}" = "--sanitize" ]; then
  shift
  dir=build-asan
  flags=(-DKQ_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
fi
cmake -S . -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)"
ctest --test-dir "$dir" --output-on-failure -j2 "$@"
