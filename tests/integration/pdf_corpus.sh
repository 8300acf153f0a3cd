#!/usr/bin/env bash
# pdf_corpus.sh: exports the sample archive to PDF and checks it with the real tools (issue 6,
# "How it is measured"): qpdf --check, embedded fonts, metadata, outline, contents page numbers,
# structure tags, links, images, text extraction, text inside its area, reproducibility.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
corpus="$KQ_TESTS/corpus"
out=$(kq_tmpdir)
for tool in qpdf pdffonts pdfinfo pdftotext mutool pdfimages python3; do
  kq_require $tool "qpdf poppler-utils mupdf-tools"
done
export SOURCE_DATE_EPOCH=1769731200 # 2026-01-30T00:00:00Z
pdf="$out/revue.pdf"
kq_run export -f pdf -o "$pdf" "$corpus"
expect_status 0
[ "$(cat "$KQ_OUT")" = "$pdf" ] || fail "stdout must be the written path, got: $(cat "$KQ_OUT")"

# 1. structure of the file
qpdf --check "$pdf" >"$out/qpdf.log" 2>&1 || { cat "$out/qpdf.log" >&2; fail "qpdf --check"; }
grep -q "No syntax or stream encoding errors" "$out/qpdf.log" || fail "qpdf reports errors"

# 2. every font embedded
pdffonts "$pdf" >"$out/fonts.txt" || fail "pdffonts"
nfonts=$(tail -n +3 "$out/fonts.txt" | wc -l)
[ "$nfonts" -ge 3 ] || fail "only $nfonts fonts"
notemb=$(tail -n +3 "$out/fonts.txt" | awk '{ if ($(NF-4) != "yes") print }' | wc -l)
[ "$notemb" -eq 0 ] || { cat "$out/fonts.txt" >&2; fail "$notemb fonts not embedded"; }
grep -q "LinLibertineO" "$out/fonts.txt" || fail "body font is not Linux Libertine O"
grep -q "LinBiolinumO" "$out/fonts.txt" || fail "heading font is not Linux Biolinum O"

# 3. metadata (design.md: dates from SOURCE_DATE_EPOCH)
pdfinfo -isodates "$pdf" >"$out/info.txt"
grep -q "^Title: *Revue de presse tech" "$out/info.txt" || fail "title: $(grep Title "$out/info.txt")"
grep -q "^Creator: *kiosque" "$out/info.txt" || fail "creator"
grep -q "^Author: *." "$out/info.txt" || fail "author empty"
grep -q "^Subject: *." "$out/info.txt" || fail "subject empty"
grep -q "^Keywords: *." "$out/info.txt" || fail "keywords empty"
grep -q "^CreationDate: *2026-01-30T00:00:00" "$out/info.txt" || fail "$(grep CreationDate "$out/info.txt")"
grep -q "^ModDate: *2026-01-30T00:00:00" "$out/info.txt" || fail "$(grep ModDate "$out/info.txt")"
grep -q "^Tagged: *yes" "$out/info.txt" || fail "not a tagged PDF"
grep -q "^Page size: *595.* x 841.* (A4)" "$out/info.txt" || fail "not A4"

# 4. outline: one entry per group and per article
"$KQ_BIN" list --json "$corpus" 2>/dev/null >"$out/list.json"
read -r narticles ngroups nurls < <(python3 -c '
import json,sys; a=json.load(open(sys.argv[1]))
print(len(a), len(set(x["group"] for x in a)), sum(1 for x in a if x["url"]))' "$out/list.json")
mutool show "$pdf" outline >"$out/outline.txt"
og=$(grep -c '^+' "$out/outline.txt"); oa=$(grep -c '^|' "$out/outline.txt")
[ "$og" -eq "$ngroups" ] || fail "outline has $og groups, the edition $ngroups"
[ "$oa" -eq "$narticles" ] || fail "outline has $oa articles, the edition $narticles"

# 5. contents: the page each entry prints is the page where the title is (physical numbers)
python3 - "$pdf" "$out/outline.txt" <<'PY' || fail "contents page numbers"
import re, subprocess, sys
pdf, outline = sys.argv[1], sys.argv[2]
pages = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout.split("\f")
norm = lambda s: re.sub(r"\W+", "", s.replace("\u00ad", "").lower())
ents = [(m.group(1), int(m.group(2))) for m in
        (re.search(r'"(.*)"\s+#page=(\d+)', l) for l in open(outline, encoding="utf-8")) if m]
first_body = min(p for _, p in ents)
# contents pages: after the title page, before the first part; minus each running head
toc = [l for p in pages[1:first_body - 1] for l in [x for x in p.splitlines() if x.strip()][1:]]
bad = 0
for title, page in ents:
    key = norm(title)
    num = None
    for i in range(len(toc)):
        joined = "".join(norm(x) for x in toc[i:i + 3])
        if joined.startswith(key[:40]):
            for l in toc[i:i + 3]:
                m = re.search(r"(\d+)\s*$", l)
                if m: num = int(m.group(1)); break
            break
    where = [i + 1 for i, p in enumerate(pages) if i + 1 >= first_body and key[:40] in norm(p)]
    if num is None or num not in where or num != page:
        print(f"entry {title[:40]!r}: contents says {num}, outline {page}, found on {where[:3]}")
        bad += 1
print(f"{len(ents)} contents entries checked, {bad} wrong")
sys.exit(1 if bad or len(ents) < 5 else 0)
PY
if [ -f "${KQ_SHARED:-/nonexistent}/tools/pdfcheck.py" ]; then
  python3 "$KQ_SHARED/tools/pdfcheck.py" toc "$pdf" || fail "pdfcheck.py toc"
fi

# 6. structure tags and links
pdfinfo -struct "$pdf" >"$out/struct.txt" 2>&1
for tag in Document Part Sect H1 H2 P L LI Figure Link TOC; do
  grep -q "^ *$tag\b" "$out/struct.txt" || fail "no $tag structure element"
done
qpdf --qdf --object-streams=disable "$pdf" "$out/qdf.pdf"
nuri=$(grep -a -c "/S /URI" "$out/qdf.pdf"); ndest=$(grep -a -c "^ */Dest " "$out/qdf.pdf")
[ "$nuri" -ge "$nurls" ] || fail "$nuri external links for $nurls articles with a URL"
[ "$ndest" -ge "$narticles" ] || fail "$ndest internal links for $narticles contents entries"

# 7. images: PNG and JPEG, the JPEG embedded as is (DCT)
pdfimages -list "$pdf" >"$out/images.txt"
grep -q " jpeg " "$out/images.txt" || { cat "$out/images.txt" >&2; fail "JPEG not embedded as DCT"; }
[ "$(tail -n +3 "$out/images.txt" | wc -l)" -ge 2 ] || fail "images missing"

# images over the pixel cap are skipped before decoding, with a warning naming the article
kq_run export -f pdf --max-image-pixels 1000 -o "$out/capped.pdf" "$corpus"
expect_status 0
grep -q "corpus/.*image .*over the 1000-pixel limit (--max-image-pixels); dropped" "$KQ_ERR" || fail "no pixel-cap warning"
[ "$(pdfimages -list "$out/capped.pdf" | tail -n +3 | wc -l)" -eq 0 ] || fail "capped images embedded"

# 8. the text comes back: every title and a body sentence
pdftotext "$pdf" "$out/all.txt"
python3 - "$out/all.txt" "$out/list.json" <<'PY' || fail "text extraction"
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
flat = re.sub(r"\u00ad\s*|-\n", "", text)
flat = re.sub(r"\s+", " ", flat).replace("\u202f", " ").replace("\u00a0", " ")
norm = lambda s: re.sub(r"[\s\u00a0\u202f]+", " ", s.replace("'", "’").replace("\u00ad", ""))
missing = [a["title"] for a in json.load(open(sys.argv[2])) if a["title"] and
           re.sub(r"\W", "", norm(a["title"])[:30]) not in re.sub(r"\W", "", flat)]
assert "Le mot « expérimental » a disparu" in flat or "Le mot « expérimental » a disparu" in flat.replace("\u00a0", " "), "body sentence"
print(f"titles missing from the text: {missing}")
sys.exit(1 if missing else 0)
PY

# 9. no text outside the text area and the head and foot bands; French line starts/ends
check_area() { # PDF PAPER [columns]
  python3 - "$1" "$2" "${3:-1}" <<'PY'
import re, subprocess, sys, html
pdf, paper, columns = sys.argv[1], sys.argv[2], int(sys.argv[3])
mm = 72 / 25.4
W, H = {"a4": (595.28, 841.89), "a5": (419.53, 595.28), "letter": (612, 792)}[paper]
# styles/default.theme's designs (L-6): inner, outer, top, bottom margins in mm
inner, outer, top, bottom = (v * mm for v in {
    ("a4", 1): (40, 57, 24, 26), ("a4", 2): (18, 20, 20, 22), ("a5", 1): (20, 25, 20, 22),
    ("a5", 2): (10, 10, 16, 18), ("letter", 1): (42, 64, 24, 26), ("letter", 2): (20, 22, 18, 20),
}[(paper, columns)])
band = 26   # head and foot bands, points beyond the text area
x = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True, text=True).stdout
bad, starts, ends, lines = 0, 0, 0, 0
for n, page in enumerate(re.findall(r"<page[^>]*>(.*?)</page>", x, re.S), 1):
    left = inner if n % 2 else outer
    right = W - (outer if n % 2 else inner)
    if n == 1:   # the title page is centred on the paper, 12 mm from its edges
        left, right = 12 * mm, W - 12 * mm
    for line in re.findall(r"<line[^>]*>(.*?)</line>", page, re.S):
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', line)
        if not words: continue
        lines += 1
        first, last = html.unescape(words[0][4]), html.unescape(words[-1][4])
        starts += first[:1] in ("?", "!", ":", ";", "»")
        ends += last.endswith("«")
        for x0, y0, x1, y1, w in words:
            x0, y0, x1, y1 = map(float, (x0, y0, x1, y1))
            if x0 < left - 0.5 or x1 > right + 0.5 or y0 < top - band or y1 > H - bottom + band:
                bad += 1
                if bad < 5: print(f"page {n}: {html.unescape(w)!r} at {x0:.1f},{y0:.1f}-{x1:.1f},{y1:.1f} outside [{left:.1f},{right:.1f}]")
print(f"{paper}: {lines} lines, {bad} words outside the text area, {starts} lines start with ?!:;», {ends} end with «")
# two narrow columns: a justified line with few spaces may be split in two by
# pdftotext's line finder, so only the area is checked there
sys.exit(1 if bad or (columns == 1 and (starts or ends)) else 0)
PY
}
check_area "$pdf" a4 || fail "A4: text outside its area or a French line fault"
kq_run export -f pdf --paper a5 -o "$out/a5.pdf" "$corpus"
expect_status 0
check_area "$out/a5.pdf" a5 || fail "A5: text outside its area or a French line fault"
kq_run export -f pdf --paper a5 --columns 2 -o "$out/a5-2.pdf" "$corpus"
expect_status 0
qpdf --check "$out/a5-2.pdf" >/dev/null 2>&1 || fail "qpdf --check (A5, two columns)"
check_area "$out/a5-2.pdf" a5 2 || fail "A5, 2 columns: text outside its area"
kq_run export -f pdf --paper letter -o "$out/letter.pdf" "$corpus"
expect_status 0
pdfinfo "$out/letter.pdf" | grep -q "612 x 792" || fail "letter size"
# French articles alone (English ones glue ? ! ; by EN-1): FR-1 spacing and line starts
for paper in a4 a5; do
  kq_run export -f pdf --lang fr --paper $paper -o "$out/fr-$paper.pdf" "$corpus"
  expect_status 0
  check_area "$out/fr-$paper.pdf" $paper || fail "French, $paper"
  if [ -f "${KQ_SHARED:-/nonexistent}/tools/pdfcheck.py" ]; then
    python3 "$KQ_SHARED/tools/pdfcheck.py" french "$out/fr-$paper.pdf" || fail "pdfcheck.py french ($paper)"
  fi
done

# 10. reproducible: the same input gives the same bytes
sleep 1
kq_run export -f pdf -o "$out/again.pdf" "$corpus"
expect_status 0
cmp -s "$pdf" "$out/again.pdf" || fail "two exports differ"
# ... whatever the number of layout threads, run after run (a race once made 1 run in 8 differ)
for threads in 1 2 4 2 2 2 2 2; do
  KIOSQUE_THREADS=$threads kq_run export -f pdf -o "$out/again.pdf" "$corpus"
  expect_status 0
  cmp -s "$pdf" "$out/again.pdf" || fail "export with $threads threads differs"
done

# 11. a theme without part pages: contents still right
printf '[page]\ngroups-new-page=false\n' >"$out/nopart.theme"
kq_run export -f pdf --theme "$out/nopart.theme" -o "$out/nopart.pdf" "$corpus"
expect_status 0
qpdf --check "$out/nopart.pdf" >/dev/null 2>&1 || fail "qpdf --check (no part pages)"
check_area "$out/nopart.pdf" a4 || fail "no part pages: text outside its area"
if [ -f "${KQ_SHARED:-/nonexistent}/tools/pdfcheck.py" ]; then
  python3 "$KQ_SHARED/tools/pdfcheck.py" toc "$out/nopart.pdf" || fail "pdfcheck.py toc (no part pages)"
fi

# 12. a missing font: exit 1, the message names the font (and the package when known)
printf '[text]\nfont=Linux Libertine Nowhere O\n' >"$out/bad.theme"
kq_run export -f pdf --theme "$out/bad.theme" -o "$out/bad.pdf" "$corpus"
expect_status 1
grep -q 'Linux Libertine Nowhere O' "$KQ_ERR" || fail "missing-font message"
[ ! -e "$out/bad.pdf" ] || fail "a file was written despite the missing font"
pass
