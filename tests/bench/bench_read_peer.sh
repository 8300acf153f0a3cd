#!/usr/bin/env bash
# bench_read_peer.sh: times `kiosque list --json` reading all of shared/peer/ (target: under 1 s).
#
# Usage: tests/bench/bench_read_peer.sh [KIOSQUE_BIN [PEER_DIR [RUNS]]]
#   KIOSQUE_BIN  default $KQ_BIN, else ./build/kiosque
#   PEER_DIR     default $KQ_SHARED/peer, else ../shared/peer beside the repository
#   RUNS         default 5; the best and the median wall-clock and CPU times are printed
# A benchmark, not a test: it prints figures and fails only when it cannot run.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-${KQ_BIN:-$here/build/kiosque}}
peer=${2:-${KQ_SHARED:-$here/../shared}/peer}
runs=${3:-5}

if [[ ! -x $bin ]]; then
  echo "bench_read_peer: no kiosque binary at $bin (build first or pass its path)" >&2
  exit 2
fi
if [[ ! -d $peer ]]; then
  echo "bench_read_peer: no peer directory at $peer" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# one warm-up run, which also gives the article count
"$bin" list --json "$peer" >"$tmp/out.json" 2>"$tmp/err.txt" || true
articles=$( (grep -oE '"id" *:' "$tmp/out.json" || true) | wc -l)
inputs=$(find "$peer" -type f \( -name '*.html' -o -name '*.htm' -o -name '*.xhtml' \
  -o -name '*.xml' -o -name '*.rss' -o -name '*.atom' -o -name '*.rdf' -o -name '*.md' \
  -o -name '*.markdown' -o -name '*.json' -o -name '*.jsonl' -o -name '*.txt' \) | wc -l)
bytes=$(find "$peer" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
warnings=$(grep -c 'warning' "$tmp/err.txt" || true)

# wall-clock and CPU (user + sys) milliseconds per run; CPU time is the
# steadier figure on a shared, loaded machine
times=()
cpus=()
for ((i = 0; i < runs; i++)); do
  start=$(date +%s%N)
  cpu=$( { TIMEFORMAT='%3U %3S'; time "$bin" list --json "$peer" >/dev/null 2>&1 || true; } 2>&1 )
  end=$(date +%s%N)
  times+=("$(( (end - start) / 1000000 ))")
  cpus+=("$(echo "$cpu" | awk '{printf "%d", ($1 + $2) * 1000}')")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
best=$(echo "$sorted" | head -1)
median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
cpu_sorted=$(printf '%s\n' "${cpus[@]}" | sort -n)
cpu_best=$(echo "$cpu_sorted" | head -1)
cpu_median=$(echo "$cpu_sorted" | sed -n "$(( (runs + 1) / 2 ))p")

printf 'bench_read_peer: %s articles from %s input files (%s bytes), %s warnings\n' \
  "$articles" "$inputs" "$bytes" "$warnings"
printf 'bench_read_peer: list --json over %s: best %d.%03d s, median %d.%03d s over %d runs (target < 1 s)\n' \
  "$peer" $((best / 1000)) $((best % 1000)) $((median / 1000)) $((median % 1000)) "$runs"
printf 'bench_read_peer: CPU time (user + sys): best %d.%03d s, median %d.%03d s; load average %s\n' \
  $((cpu_best / 1000)) $((cpu_best % 1000)) $((cpu_median / 1000)) $((cpu_median % 1000)) \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
