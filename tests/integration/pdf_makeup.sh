#!/usr/bin/env bash
# pdf_makeup.sh: page make-up on the sample archive (issue 14), on A4, A5, A4 two columns and
# A5 two columns, with ../shared/tools/pdfcheck.py: L-6 measure (median 45 to 75 characters per
# line), L-7 no hole (no word gap over one line height) and loose lines rare (p95 of the mean
# gap at most 0.40 on one column, 0.45 on two), L-11 text layer (no private-use character),
# L-1 and FR-1 French line starts and ends, and every contents entry on its page (pdfcheck toc
# on one column; on two columns, where pdftotext interleaves the columns, each entry's number
# is the page whose text holds the title). Also a golden contents page (leaders of separate
# dots after the text, hanging indent, R-5 ordinals) and a golden page with a floated figure
# (L-10).
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
check="${KQ_SHARED:-/nonexistent}/tools/pdfcheck.py"
[ -f "$check" ] || fail "no $check (the shared tools folder beside the project)"
for tool in pdftotext pdfimages mutool pdftoppm python3; do
  command -v $tool >/dev/null || fail "$tool not found (Debian: poppler-utils mupdf-tools)"
done
out=$(kq_tmpdir)
export SOURCE_DATE_EPOCH=1769731200
for variant in "a4 1" "a5 1" "a4 2" "a5 2"; do
  set -- $variant
  paper=$1 columns=$2 pdf="$out/$1-$2.pdf"
  kq_run export -f pdf --paper "$paper" --columns "$columns" -o "$pdf" "$KQ_TESTS/corpus"
  expect_status 0
  gaps=$(python3 "$check" gaps "$pdf") || fail "pdfcheck gaps ($paper, $columns columns)"
  echo "$paper, $columns column(s): $gaps"
  python3 - "$gaps" "$columns" <<'PY' || fail "L-6/L-7 measure or gaps ($paper, $columns columns): $gaps"
import re, sys
g, columns = sys.argv[1], int(sys.argv[2])
p95 = float(re.search(r"p95 ([\d.]+)", g).group(1))
wide = int(re.search(r"a gap > 1.0: (\d+)", g).group(1))
chars = int(re.search(r"characters per line median (\d+)", g).group(1))
bar = 0.40 if columns == 1 else 0.45
ok = wide == 0 and p95 <= bar and 45 <= chars <= 75
print(f"L-7 holes {wide} (bar 0), p95 {p95} (bar {bar}), L-6 measure {chars} (bar 45-75): "
      + ("ok" if ok else "MISSED"))
sys.exit(0 if ok else 1)
PY
  python3 "$check" text "$pdf" || fail "L-11: private-use characters in the text layer ($paper, $columns)"
  french=$(python3 "$check" french "$pdf")
  echo "$french"
  echo "$french" | grep -q "starting with ?!:;» 0, ending with « 0" ||
    fail "L-1/FR-1: a line starts with ?!:;» or ends with « ($paper, $columns columns)"
  if [ "$columns" = 1 ]; then
    python3 "$check" toc "$pdf" || fail "pdfcheck toc ($paper)"
  else
    # two columns: each contents entry's number is a page whose text holds its title
    python3 - "$pdf" <<'PY' || fail "contents page numbers ($paper, two columns)"
import re, subprocess, sys
pdf = sys.argv[1]
pages = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout.split("\f")
out = subprocess.run(["mutool", "show", pdf, "outline"], capture_output=True, text=True).stdout
ents = [(m.group(1), int(m.group(2))) for m in (re.search(r'"(.*)"\s+#(?:page=)?(\d+)', l) for l in out.splitlines()) if m]
norm = lambda s: re.sub(r"[^0-9a-zà-ÿ]+", "", s.replace("\u00ad", "").lower().replace("’", "'"))
first_body = min(p for _, p in ents)
# the contents is set on the full measure in every design: its lines are whole
toc = [l for p in pages[1:first_body - 1] for l in p.splitlines() if l.strip()]
bad = 0
for title, page in ents:
    key = norm(title)[:20]
    num = None
    for i in range(len(toc)):
        if "".join(norm(x) for x in toc[i:i + 3]).startswith(key):
            for l in toc[i:i + 3]:
                m = re.search(r"(\d+)\s*$", l)
                if m: num = int(m.group(1)); break
            break
    body = "".join(norm(x) for x in pages[page - 1].split()) if page <= len(pages) else ""
    if num != page or key[:12] not in body:
        print(f"entry {title[:40]!r}: contents says {num}, outline {page}")
        bad += 1
print(f"{len(ents)} contents entries checked on two columns, {bad} wrong")
sys.exit(1 if bad or len(ents) < 5 else 0)
PY
  fi
done

# golden contents page (A5): dots only after the text, hanging indent, superior ordinal
golden="$KQ_TESTS/golden/pdf-contents.pgm"
pdftoppm -f 2 -l 2 -r 40 -gray "$out/a5-1.pdf" "$out/toc" || fail "pdftoppm"
page=$(ls "$out"/toc*.pgm | head -n 1)
if [ "${KQ_UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$page" "$golden"
  echo "golden page rewritten: $golden"
else
  [ -f "$golden" ] || fail "no golden page $golden (run with KQ_UPDATE_GOLDEN=1)"
  python3 "$KQ_TESTS/lib/pgmdiff.py" "$golden" "$page" || fail "contents page differs from the golden image"
fi

# L-10: a figure that does not fit what is left of the page waits for the next page's top
# while the text after it fills this one (no empty lines at the foot): golden A5 page 5
kq_run export -f pdf --paper a5 -o "$out/float.pdf" "$KQ_TESTS/fixtures/pdf-float"
expect_status 0
[ "$(pdfimages -list "$out/float.pdf" | awk 'NR > 2 {print $1}')" = 5 ] || fail "L-10: the figure is not on page 5"
pdftotext -f 4 -l 4 "$out/float.pdf" - | tr -s ' \n' '  ' | grep -q "le texte reprend" ||
  fail "L-10: the text after the figure does not go on on page 4"
pdftoppm -f 5 -l 5 -r 40 -gray "$out/float.pdf" "$out/float" || fail "pdftoppm"
page=$(ls "$out"/float*.pgm | head -n 1)
golden="$KQ_TESTS/golden/pdf-float.pgm"
if [ "${KQ_UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$page" "$golden"
  echo "golden page rewritten: $golden"
else
  [ -f "$golden" ] || fail "no golden page $golden (run with KQ_UPDATE_GOLDEN=1)"
  python3 "$KQ_TESTS/lib/pgmdiff.py" "$golden" "$page" || fail "the floated figure's page differs from the golden image"
fi
pass
