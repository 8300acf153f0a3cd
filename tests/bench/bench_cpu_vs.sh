#!/usr/bin/env bash
# bench_cpu_vs.sh: CPU time (user + system) and wall time of two kiosque binaries on the same
# generated archive, EPUB and PDF, run alternately so that the machine's load falls on both
# alike (issue 13: "no more CPU time than at 225fee7"; issue 14: the PDF "no more than 10 %
# slower than before this issue"). Prints each run, the medians and the fastest runs.
# Usage: tests/bench/bench_cpu_vs.sh BASE_BIN NEW_BIN [RUNS [ARTICLES]]   (default 3, 1000)
# A benchmark, not a test: exits 2 when it cannot run.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
base=${1:?BASE_BIN}
new=${2:?NEW_BIN}
runs=${3:-3}
n=${4:-1000}
tools=${KQ_SHARED:-$here/../shared}/tools
[[ -f $tools/gencorpus.py ]] || { echo "bench_cpu_vs: no $tools/gencorpus.py" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "bench_cpu_vs: /usr/bin/time not found" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$tools/gencorpus.py" "$n" "$tmp/archive" >/dev/null
export SOURCE_DATE_EPOCH=1769731200
declare -A all walls
for r in $(seq 1 "$runs"); do
  for fmt in epub pdf; do
    for which in base new; do
      bin=$base
      [[ $which == new ]] && bin=$new
      /usr/bin/time -f "%U %S %e" -o "$tmp/t" "$bin" export -q -f "$fmt" -o "$tmp/out.$fmt" \
        "$tmp/archive" >/dev/null 2>&1 || { echo "bench_cpu_vs: $which $fmt failed" >&2; exit 2; }
      cpu=$(awk '{printf "%.2f", $1 + $2}' "$tmp/t")
      wall=$(awk '{printf "%.2f", $3}' "$tmp/t")
      all[$which.$fmt]+="$cpu "
      walls[$which.$fmt]+="$wall "
      echo "run $r $fmt $which: ${cpu} s CPU, ${wall} s wall"
    done
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
least() { tr ' ' '\n' | grep -v '^$' | sort -n | head -1; }
for fmt in epub pdf; do
  echo "median $fmt: base $(echo "${all[base.$fmt]}" | median) s, new $(echo "${all[new.$fmt]}" | median) s CPU;" \
       "wall base $(echo "${walls[base.$fmt]}" | median) s, new $(echo "${walls[new.$fmt]}" | median) s" \
       "(fastest: base $(echo "${walls[base.$fmt]}" | least) s, new $(echo "${walls[new.$fmt]}" | least) s;" \
       "$n articles)"
done
