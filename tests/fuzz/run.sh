#!/usr/bin/env bash
# run.sh: builds the libFuzzer targets with clang and runs each for SECONDS, two at a time.
# Usage: tests/fuzz/run.sh SECONDS [TARGET...]      (default: every target)
# KQ_FUZZ_TIMEOUT (default 1 s) is the per-input timeout. Crashes, leaks and timeouts are written to build-fuzz/artifacts/;
# copy each into tests/fuzz/regress/TARGET/ once fixed. Corpora grow in build-fuzz/corpus/.
set -euo pipefail
secs=${1:?usage: run.sh SECONDS [TARGET...]}
shift
cd "$(dirname "$0")/../.."
src=$PWD
all=(html feed markdown json text date typo image frontmatter)
targets=("${@:-${all[@]}}")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
CC=clang cmake -S . -B build-fuzz -DKQ_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" $(printf -- '--target fuzz_%s ' "${targets[@]}") >/dev/null

seeds() {
  case $1 in
    html) echo tests/fixtures/html tests/fixtures/readability ;;
    feed) echo tests/fixtures/feeds ;;
    markdown) echo tests/fixtures/md tests/corpus ;;
    json) echo tests/fixtures/json ;;
    text) echo tests/fixtures/text tests/corpus ;;
    date) echo tests/fuzz/seeds/date ;;
    typo) echo tests/fuzz/seeds/typo ;;
    image) echo tests/fuzz/seeds/image ;;
    frontmatter) echo tests/fuzz/seeds/frontmatter ;;
  esac
}
dict() { [ -f "tests/fuzz/dict/$1.dict" ] && echo "-dict=tests/fuzz/dict/$1.dict"; true; }

run_one() {
  local t=$1 corpus=build-fuzz/corpus/$1 art=build-fuzz/artifacts/$1/
  mkdir -p "$corpus" "$art"
  # seed once: copy the fixture files flat into the corpus
  if [ -z "$(ls -A "$corpus")" ]; then
    for s in $(seeds "$t") "tests/fuzz/regress/$t"; do
      [ -d "$s" ] && find "$s" -type f ! -name .keep -size -1024k -exec cp -t "$corpus" {} + 2>/dev/null || true
    done
  fi
  LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:print_suppressions=0" \
  ./build-fuzz/tests/fuzz/fuzz_"$t" "$corpus" $(dict "$t") -max_total_time="$secs" -timeout="${KQ_FUZZ_TIMEOUT:-1}" \
    -rss_limit_mb=2048 -max_len=262144 -artifact_prefix="$art" -print_final_stats=1 \
    >"build-fuzz/fuzz-$t.log" 2>&1 || { echo "fuzz_$t: stopped with findings (see build-fuzz/fuzz-$t.log, $art)"; touch "build-fuzz/failed-$t"; }
  printf '%-9s %s\n' "$t" "$(grep -E '^stat::number_of_executed_units|cov:' "build-fuzz/fuzz-$t.log" | tail -n 2 | tr '\n' ' ')"
}

# two at a time on two cores
rm -f build-fuzz/failed-*
i=0
for t in "${targets[@]}"; do
  run_one "$t" &
  i=$((i + 1))
  if [ $((i % 2)) -eq 0 ]; then wait; fi
done
wait
# the exit status says whether any target stopped with a finding
if ls build-fuzz/failed-* >/dev/null 2>&1; then
  exit 1
fi
