#!/usr/bin/env bash
# pdf_floods.sh (issue 12, cost out of proportion): a paragraph of 20,000 links beside the
# good sample archive: the export exits 0 (the PDF finds each line's links by binary search
# and colours them line by line, so the cost grows with the links, not with their square:
# tests/bench has no timing here, ctest's timeout is the watchdog), both outputs are valid,
# every link is a clickable annotation, and the good articles are all there.
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
kq_run list --json "$KQ_TESTS/corpus"
python3 - "$KQ_OUT" "$pdf" <<'PY' || fail "a good article is missing from the PDF"
import json, subprocess, sys, re
arts = json.load(open(sys.argv[1]))
pdf = subprocess.run(["pdftotext", sys.argv[2], "-"], capture_output=True, text=True).stdout
norm = lambda s: re.sub(r"[\s\u00a0\u202f\u00ad-]+", "", s)
pdf = norm(pdf)
missing = [a["title"] for a in arts if a["title"] and norm(a["title"])[:20] not in pdf]
if missing:
    print("missing:", missing, file=sys.stderr)
    sys.exit(1)
PY
pass
