#!/usr/bin/env bash
# bench_epub.sh: kiosque's EPUB against pandoc's on the same 1,000-article archive, run
# alternately: wall time and peak RSS (GNU time -v). Bars (issue 5): kiosque at most 1/20 of
# pandoc's wall time and 1/10 of its peak memory.
#
# Usage: tests/bench/bench_epub.sh [KIOSQUE_BIN [RUNS [ARTICLES]]]
#   KIOSQUE_BIN  default $KQ_BIN, else ./build/kiosque (build it in Release for figures)
#   RUNS         default 3 runs of each tool, alternating
#   ARTICLES     default 1000
# Needs python3, /usr/bin/time and pandoc (apt-get install pandoc); ../shared/tools for
# gencorpus.py and combine.py ($KQ_SHARED). A benchmark, not a test: prints the figures and
# exits 1 when a bar is missed, 2 when it cannot run.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-${KQ_BIN:-$here/build/kiosque}}
runs=${2:-3}
n=${3:-1000}
tools=${KQ_SHARED:-$here/../shared}/tools

for need in python3 pandoc /usr/bin/time; do
  command -v "$need" >/dev/null || { echo "bench_epub: $need not found" >&2; exit 2; }
done
[[ -x $bin ]] || { echo "bench_epub: no kiosque binary at $bin" >&2; exit 2; }
[[ -f $tools/gencorpus.py ]] || { echo "bench_epub: no $tools/gencorpus.py" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$tools/gencorpus.py" "$n" "$tmp/archive" >/dev/null
python3 "$tools/combine.py" "$tmp/archive" "$tmp/book.md" >/dev/null

# measure NAME CMD...: appends "seconds kilobytes" to $tmp/NAME.txt
measure() {
  local name=$1; shift
  /usr/bin/time -v "$@" >/dev/null 2>"$tmp/time.txt" || { cat "$tmp/time.txt" >&2; exit 2; }
  local wall kb
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
                      for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$tmp/time.txt")
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
  echo "$wall $kb" >>"$tmp/$name.txt"
  printf '  %-8s %6.2f s  %7d KB\n' "$name" "$wall" "$kb"
}

echo "bench_epub: $n articles ($(du -sh "$tmp/archive" | cut -f1)), $runs runs each, alternating"
for ((i = 1; i <= runs; i++)); do
  measure kiosque "$bin" export -f epub -q -o "$tmp/k.epub" "$tmp/archive"
  measure pandoc pandoc "$tmp/book.md" -o "$tmp/p.epub" --toc --epub-chapter-level=2
done

# medians
median() { sort -n -k"$2" "$tmp/$1.txt" | awk -v c="$2" '{v[NR] = $c} END {print v[int((NR + 1) / 2)]}'; }
kt=$(median kiosque 1); km=$(median kiosque 2)
pt=$(median pandoc 1); pm=$(median pandoc 2)
echo "median wall:  kiosque ${kt} s, pandoc ${pt} s  (ratio 1/$(awk -v a="$pt" -v b="$kt" 'BEGIN {printf "%.1f", a / b}'), bar 1/20)"
echo "median peak:  kiosque ${km} KB, pandoc ${pm} KB  (ratio 1/$(awk -v a="$pm" -v b="$km" 'BEGIN {printf "%.1f", a / b}'), bar 1/10)"
echo "sizes:        kiosque $(stat -c %s "$tmp/k.epub") B, pandoc $(stat -c %s "$tmp/p.epub") B"
ok=$(awk -v kt="$kt" -v pt="$pt" -v km="$km" -v pm="$pm" 'BEGIN {print (kt * 20 <= pt && km * 10 <= pm) ? 1 : 0}')
[[ $ok = 1 ]] && echo "bars met" || { echo "bar missed"; exit 1; }
