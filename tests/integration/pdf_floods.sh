#!/usr/bin/env bash
# pdf_floods.sh (issue 12, cost out of proportion, and item 6 "say what was lost"): beside
# the good sample archive, a paragraph of 20,000 links (the PDF finds each line's links by
# binary search and colours them line by line, so the cost grows with the links, not with
# their square; no timing here, ctest's timeout is the watchdog), a table of 1000 columns
# and one of 2,100 rows (the PDF sets 24 columns and 2,000 rows, README "Limits"): the
# export exits 0, both outputs are valid, every link is a clickable annotation, each table
# is named in exactly one warning, the EPUB keeps the tables whole, the good articles are
# all there.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
dir=$(kq_tmpdir)
arch="$dir/archive"
mkdir -p "$arch" "$dir/out"
cp -r "$KQ_TESTS/corpus/." "$arch/"
n=20000
python3 - "$arch" "$n" <<'PY' || fail "generator"
import sys
d, n = sys.argv[1], int(sys.argv[2])
with open(d + "/link-flood.md", "w") as f:
    f.write("---\ntitle: Link flood\ndate: 2026-01-10\nurl: https://ex.org/flood\n---\n\n")
    f.write(" ".join(f"[w{i}](https://ex.org/{i})" for i in range(n)) + "\n\nAfter the flood.\n")
def table(name, rows, cols):
    with open(f"{d}/{name}.html", "w") as f:
        f.write(f'<html lang="en"><head><title>{name}</title><meta property="article:published_time"'
                f' content="2026-01-11"></head><body><article><h1>{name}</h1><p>Before the table,'
                ' a paragraph with enough words to be the body of the article.</p><table>')
        f.write("<tr>" + "".join(f"<th>h{c}</th>" for c in range(cols)) + "</tr>")
        for r in range(rows):
            f.write("<tr>" + "".join(f"<td>{r}.{c}</td>" for c in range(cols)) + "</tr>")
        f.write("</table><p>After the table.</p></article></body></html>")
table("wide-table", 50, 1000)
table("long-table", 2100, 3)
PY
kq_run export -f epub,pdf -o "$dir/out/ed.pdf" "$arch"
expect_status 0
pdf="$dir/out/ed.pdf"
epub="$dir/out/ed.epub"
qpdf --check "$pdf" >/dev/null 2>&1 || fail "qpdf --check fails"
r=$(java -jar /usr/share/java/epubcheck.jar "$epub" 2>&1)
echo "$r" | grep -qE '^(ERROR|FATAL|WARNING)' && fail "EPUBCheck: $(echo "$r" | grep -E '^(ERROR|FATAL|WARNING)' | head -5)"
# every link of the flood is an annotation, each with its own target
qpdf --json "$pdf" >"$dir/pdf.json" || fail "qpdf --json"
python3 - "$dir/pdf.json" "$n" <<'PY' || fail "link annotations"
import json, sys, re
doc = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
objs = doc.get("qpdf", [{}, {}])[1] if "qpdf" in doc else doc["objects"]
uris = set()
for k, v in objs.items():
    val = v.get("value", v) if isinstance(v, dict) else v
    if isinstance(val, dict):
        a = val.get("/A")
        if isinstance(a, dict) and "/URI" in a:
            uris.add(a["/URI"])
flood = {u for u in uris if re.fullmatch(r"u:https://ex\.org/\d+|https://ex\.org/\d+", u)}
if len(flood) != n:
    print(f"{len(flood)} flood links of {n}", file=sys.stderr)
    sys.exit(1)
PY
text=$(pdftotext "$pdf" -)
echo "$text" | grep -q "After the flood" || fail "the paragraph after the flood is missing"
echo "$text" | grep -q "w19999" || fail "the end of the flood is missing"
for t in wide-table long-table; do
  c=$(grep -c "warning: .*$t.html" "$KQ_ERR")
  [ "$c" -eq 1 ] || fail "$t named in $c warnings, not exactly one"
done
grep -q "wide-table.html: table of 51 rows and 1000 columns: the PDF sets the first 51 rows and 24 columns" "$KQ_ERR" ||
  fail "the wide table's warning does not say what was lost"
grep -q "long-table.html: table of 2101 rows and 3 columns: the PDF sets the first 2000 rows" "$KQ_ERR" ||
  fail "the long table's warning does not say what was lost"
echo "$text" | grep -q "1998.2" || fail "the long table's kept rows are missing from the PDF"
echo "$text" | grep -q "2000.2" && fail "the long table's row 2001 is in the PDF"
x="$dir/x"
mkdir "$x"
(cd "$x" && unzip -q "$epub") || fail "unzip"
grep -rq ">49.999<" "$x" || fail "the EPUB lost the wide table's last cell"
grep -rq ">2099.2<" "$x" || fail "the EPUB lost the long table's last row"
expect_corpus_in_pdf "$pdf"
pass
