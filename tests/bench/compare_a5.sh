#!/usr/bin/env bash
# compare_a5.sh: issue 14's comparison. The 1,000-article archive of ../shared/tools/gencorpus.py
# set on A5 by kiosque, by xelatex (pandoc, Linux Libertine O) and by Typst 0.14 (md2typst.py,
# paper a5, Linux Libertine O), and the page make-up figures of each PDF side by side:
# pdfcheck.py gaps (mean word gap median and p95, loose lines, gaps over one line height,
# characters per line), french (bad line starts and ends), text (private-use characters in
# the text layer) and L-8 (a very loose line beside a tight one). Typographic figures only, no timing (tests/bench/bench_pdf.sh times).
#
# Usage: tests/bench/compare_a5.sh [KIOSQUE_BIN [ARTICLES [OUTDIR]]]
#   KIOSQUE_BIN  default $KQ_BIN, else ./build/kiosque
#   ARTICLES     default 1000
#   OUTDIR       where the PDFs and figures stay (default: a temporary folder, removed)
# An anchor that is not installed is skipped: pandoc + xelatex (texlive-xetex
# texlive-lang-french fonts-linuxlibertine), Typst through node (TYPST_NODE_MODULES, default
# /tmp/typst/node_modules; ../shared/tools/README.md says how to install it from npm).
# A benchmark, not a test: prints the figures; exits 2 when it cannot run.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-${KQ_BIN:-$here/build/kiosque}}
n=${2:-1000}
tools=${KQ_SHARED:-$here/../shared}/tools
typst_modules=${TYPST_NODE_MODULES:-/tmp/typst/node_modules}
fontdir=/usr/share/fonts/opentype/linux-libertine

command -v python3 >/dev/null || { echo "compare_a5: python3 not found" >&2; exit 2; }
command -v pdftotext >/dev/null || { echo "compare_a5: pdftotext (poppler-utils) not found" >&2; exit 2; }
[[ -x $bin ]] || { echo "compare_a5: no kiosque binary at $bin" >&2; exit 2; }
[[ -f $tools/gencorpus.py ]] || { echo "compare_a5: no $tools/gencorpus.py" >&2; exit 2; }

if [[ -n ${3:-} ]]; then
  out=$3
  mkdir -p "$out"
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
rm -rf "$out/archive"
python3 "$tools/gencorpus.py" "$n" "$out/archive" >/dev/null
python3 "$tools/combine.py" "$out/archive" "$out/book.md" >/dev/null

made=()
echo "compare_a5: $n articles, A5"
SOURCE_DATE_EPOCH=1769731200 "$bin" export -f pdf --paper a5 -o "$out/kiosque.pdf" "$out/archive" \
  >"$out/kiosque.log" 2>&1 || { echo "compare_a5: kiosque failed (see $out/kiosque.log)" >&2; exit 2; }
made+=(kiosque)

if command -v pandoc >/dev/null && command -v xelatex >/dev/null; then
  if pandoc "$out/book.md" -o "$out/xelatex.pdf" --pdf-engine=xelatex --toc -V lang=fr \
    -V geometry:a5paper -V mainfont="Linux Libertine O" >"$out/xelatex.log" 2>&1; then
    made+=(xelatex)
  else
    echo "compare_a5: xelatex failed (see $out/xelatex.log)"
  fi
else
  echo "compare_a5: xelatex anchor skipped (pandoc or xelatex missing)"
fi

if command -v node >/dev/null && [[ -d $typst_modules/@myriaddreamin/typst-ts-node-compiler ]]; then
  python3 "$tools/md2typst.py" --font "Linux Libertine O" "$out/book.md" "$out/book.typ" >/dev/null
  sed -i 's/paper: "a4"/paper: "a5"/' "$out/book.typ"
  grep -q 'paper: "a5"' "$out/book.typ" || { echo "compare_a5: md2typst.py gave no page set-up" >&2; exit 2; }
  if TYPST_NODE_MODULES=$typst_modules node "$tools/typst-compile.js" "$out/book.typ" \
    "$out/typst.pdf" "$fontdir" >"$out/typst.log" 2>&1; then
    made+=(typst)
  else
    echo "compare_a5: Typst failed (see $out/typst.log)"
  fi
else
  echo "compare_a5: Typst anchor skipped (no $typst_modules/@myriaddreamin/typst-ts-node-compiler)"
fi

# L-8 on the page: pairs of successive justified lines of one column (a common right edge,
# baselines one line apart) where one line's mean word gap is tight (under 0.8 times the
# natural gap, the median of the lines set ragged) and the other very loose (over 1.5 times
# it): the fitness classes of
# the Knuth-Plass breaker (spaces shrunk past half their shrink, stretched past their whole
# stretch), measured from pdftotext's word boxes.
fitness() {
  python3 - "$1" <<'PY'
import re, statistics, subprocess, sys
x = subprocess.run(["pdftotext", "-bbox-layout", sys.argv[1], "-"], capture_output=True, text=True).stdout
lines = []   # (page, right edge, baseline, height, mean gap)
for pno, page in enumerate(re.findall(r"<page[^>]*>(.*?)</page>", x, re.S)):
    for blk in re.findall(r"<block[^>]*>(.*?)</block>", page, re.S):
        by_base = {}
        for a, b, c, d in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', blk):
            by_base.setdefault(round(float(d) * 2), []).append((float(a), float(b), float(c), float(d)))
        for _, ws in sorted(by_base.items()):
            ws.sort()
            if len(ws) < 3: continue
            h = statistics.median(w[3] - w[1] for w in ws)
            g = [ws[i + 1][0] - ws[i][2] for i in range(len(ws) - 1)]
            lines.append((pno, ws[-1][2], ws[-1][3], h, statistics.mean(g)))
if not lines: print("no lines"); sys.exit(0)
# justified: the right edge within 1.5 pt of one that 4 lines of the page share
by_page = {}
for l in lines: by_page.setdefault(l[0], []).append(l[1])
def justified(l):
    return any(sum(1 for v in by_page[l[0]] if abs(v - e) <= 1.5) >= 4
               for e in {round(v) for v in by_page[l[0]]} if abs(l[1] - e) <= 1.5)
flags = [justified(l) for l in lines]
just = [l for l, f in zip(lines, flags) if f]
# the natural word gap: that of the lines set ragged (paragraphs' last lines)
m = statistics.median(l[4] for l, f in zip(lines, flags) if not f)
pairs = bad = 0
for a, b in zip(just, just[1:]):
    if a[0] != b[0] or abs(a[1] - b[1]) > 2 or not 0 < b[2] - a[2] < 1.8 * a[3]: continue
    pairs += 1
    cls = lambda g: 0 if g < 0.8 * m else 3 if g > 1.5 * m else 1
    bad += abs(cls(a[4]) - cls(b[4])) == 3
print(f"{pairs} pairs of successive justified lines, very loose beside tight {bad} "
      f"({100 * bad / max(pairs, 1):.2f}%; natural gap {m:.2f} pt)")
PY
}

for tool in "${made[@]}"; do
  pages=$(pdfinfo "$out/$tool.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
  echo "== $tool: ${pages:-?} pages"
  for check in gaps french text; do
    if [[ $check = text ]] && ! command -v mutool >/dev/null; then
      echo "  text: skipped (mutool missing)"
      continue
    fi
    printf '  %s: %s\n' "$check" "$(python3 "$tools/pdfcheck.py" "$check" "$out/$tool.pdf" || true)"
  done
  printf '  L-8: %s\n' "$(fitness "$out/$tool.pdf")"
done
