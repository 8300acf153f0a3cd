#!/usr/bin/env bash
# bench_pdf.sh: kiosque's PDF against WeasyPrint, xelatex (both through pandoc) and Typst 0.14
# on the same 1,000-article archive, run alternately: wall time, CPU time and peak RSS
# (GNU time -v), then the typographic figures of each output (pdfcheck.py french, spacing)
# and kiosque's peak memory at 1,000, 2,000 and 4,000 articles.
# Bars (issue 6): kiosque at most 1/10 of WeasyPrint's wall time, 1/6 of xelatex's, less than
# Typst's, peak memory under 100 MB at 1,000 articles.
#
# Usage: tests/bench/bench_pdf.sh [KIOSQUE_BIN [RUNS [ARTICLES]]]
#   KIOSQUE_BIN  default $KQ_BIN, else ./build/kiosque (build it in Release for figures)
#   RUNS         default 3 runs of each tool, alternating
#   ARTICLES     default 1000
# Anchors that are not installed are skipped: pandoc + weasyprint, pandoc + xelatex
# (texlive-xetex texlive-lang-french), Typst through node (TYPST_NODE_MODULES, default
# /tmp/typst/node_modules; ../shared/tools/README.md says how to install it).
# KQ_BENCH_GROWTH=0 skips the 2,000 and 4,000-article memory runs.
# A benchmark, not a test: prints the figures, exits 1 when a bar is missed, 2 when it cannot run.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-${KQ_BIN:-$here/build/kiosque}}
runs=${2:-3}
n=${3:-1000}
tools=${KQ_SHARED:-$here/../shared}/tools
typst_modules=${TYPST_NODE_MODULES:-/tmp/typst/node_modules}
fontdir=/usr/share/fonts/opentype/linux-libertine

for need in python3 /usr/bin/time; do
  command -v "$need" >/dev/null || { echo "bench_pdf: $need not found" >&2; exit 2; }
done
[[ -x $bin ]] || { echo "bench_pdf: no kiosque binary at $bin" >&2; exit 2; }
[[ -f $tools/gencorpus.py ]] || { echo "bench_pdf: no $tools/gencorpus.py" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$tools/gencorpus.py" "$n" "$tmp/archive" >/dev/null
python3 "$tools/combine.py" "$tmp/archive" "$tmp/book.md" >/dev/null

anchors=()
if command -v pandoc >/dev/null && command -v weasyprint >/dev/null; then anchors+=(weasyprint)
else echo "bench_pdf: WeasyPrint anchor skipped (pandoc or weasyprint missing)"; fi
if command -v pandoc >/dev/null && command -v xelatex >/dev/null; then anchors+=(xelatex)
else echo "bench_pdf: xelatex anchor skipped (pandoc or xelatex missing)"; fi
if command -v node >/dev/null && [[ -d $typst_modules/@myriaddreamin/typst-ts-node-compiler ]]; then
  anchors+=(typst)
  python3 "$tools/md2typst.py" "$tmp/book.md" "$tmp/book.typ" >/dev/null
else echo "bench_pdf: Typst anchor skipped (no $typst_modules/@myriaddreamin/typst-ts-node-compiler)"; fi

# run_tool NAME: one run of that tool, output $tmp/NAME.pdf
run_tool() {
  case $1 in
    kiosque) "$bin" export -f pdf -q -o "$tmp/kiosque.pdf" "$tmp/archive" ;;
    weasyprint) pandoc -s "$tmp/book.md" -o "$tmp/book.html" --toc &&
                weasyprint "$tmp/book.html" "$tmp/weasyprint.pdf" ;;
    xelatex) pandoc "$tmp/book.md" -o "$tmp/xelatex.pdf" --pdf-engine=xelatex --toc -V lang=fr ;;
    typst) TYPST_NODE_MODULES=$typst_modules node "$tools/typst-compile.js" "$tmp/book.typ" \
             "$tmp/typst.pdf" "$fontdir" ;;
  esac
}
export -f run_tool
export bin tmp tools typst_modules fontdir

# measure NAME: appends "wall cpu kilobytes" to $tmp/NAME.txt
measure() {
  local name=$1
  /usr/bin/time -v bash -c "run_tool $name" >/dev/null 2>"$tmp/time.txt" ||
    { tail -n 30 "$tmp/time.txt" >&2; echo "bench_pdf: $name failed" >&2; exit 2; }
  local wall cpu kb
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
                      for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$tmp/time.txt")
  cpu=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$tmp/time.txt")
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
  echo "$wall $cpu $kb" >>"$tmp/$name.txt"
  printf '  %-10s %7.2f s wall %7.2f s cpu %8d KB\n' "$name" "$wall" "$cpu" "$kb"
}

echo "bench_pdf: $n articles ($(du -sh "$tmp/archive" | cut -f1)), $runs runs each, alternating;" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
for ((i = 1; i <= runs; i++)); do
  for t in kiosque "${anchors[@]}"; do measure "$t"; done
done

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
col() { awk -v c="$2" '{print $c}' "$tmp/$1.txt" | median; }
echo "medians (wall s, cpu s, peak MB), pages, typography:"
declare -A wall
for t in kiosque "${anchors[@]}"; do
  wall[$t]=$(col "$t" 1)
  pages=$(pdfinfo "$tmp/$t.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
  printf '  %-10s %7.2f %7.2f %7.1f  %5s pages\n' "$t" "${wall[$t]}" "$(col "$t" 2)" \
    "$(col "$t" 3 | awk '{print $1 / 1024}')" "${pages:-?}"
  if [[ -f $tools/pdfcheck.py ]]; then
    printf '             french:  %s\n' "$(python3 "$tools/pdfcheck.py" french "$tmp/$t.pdf" || true)"
    printf '             spacing: %s\n' "$(python3 "$tools/pdfcheck.py" spacing "$tmp/$t.pdf" || true)"
  fi
done

status=0
kmb=$(col kiosque 3 | awk '{print $1 / 1024}')
awk -v m="$kmb" 'BEGIN {exit !(m < 100)}' || { echo "BAR MISSED: peak memory $kmb MB >= 100 MB"; status=1; }
bar() { # ANCHOR FRACTION LABEL
  [[ -n ${wall[$1]:-} ]] || return 0
  local ratio
  ratio=$(awk -v k="${wall[kiosque]}" -v a="${wall[$1]}" 'BEGIN {printf "%.3f", k / a}')
  if awk -v r="$ratio" -v f="$2" 'BEGIN {exit !(r <= f)}'; then
    echo "  kiosque / $1 = $ratio (bar: at most $3)"
  else
    echo "  BAR MISSED: kiosque / $1 = $ratio (bar: at most $3)"; status=1
  fi
}
echo "ratios of median wall times:"
bar weasyprint 0.1 1/10
bar xelatex 0.1667 1/6
bar typst 0.9999 "less than 1"

if [[ ${KQ_BENCH_GROWTH:-1} != 0 ]]; then
  echo "kiosque peak memory as the archive grows:"
  for m in 1000 2000 4000; do
    rm -rf "$tmp/grow"
    python3 "$tools/gencorpus.py" "$m" "$tmp/grow" >/dev/null
    /usr/bin/time -v "$bin" export -f pdf -q -o "$tmp/grow.pdf" "$tmp/grow" >/dev/null 2>"$tmp/time.txt"
    printf '  %5d articles: %7.1f MB peak, %6.2f s wall, %5s pages\n' "$m" \
      "$(awk -F': ' '/Maximum resident/ {print $2 / 1024}' "$tmp/time.txt")" \
      "$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
          for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$tmp/time.txt")" \
      "$(pdfinfo "$tmp/grow.pdf" | awk '/^Pages:/ {print $2}')"
  done
fi
exit $status
