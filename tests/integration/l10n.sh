#!/usr/bin/env bash
# l10n.sh: one edition, two writers (issue 13 items 1 and 3). The same inputs (a Markdown file
# given alone with a local image beside it, an HTML page with a data: image, an RSS feed) are
# exported as EPUB and PDF in fr, en, de, es and pt editions. For every article the EPUB's
# furniture text (title, kicker, byline, dateline with the date in words and the grouped view
# count, original-article line, cited-sources line) is found word for word in the PDF's text
# (pdftotext); the sources line has typographic apostrophes ("l’Union", never "l'Union") in
# both; labels and dates are the edition language's; the title page says when it was generated
# in words (no ISO date in a sentence); both carry the same number of images; EPUBCheck
# passes each EPUB with no error and no warning. An edition of one week is named after its days.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require python3 python3
kq_require pdftotext poppler-utils
kq_require pdfimages poppler-utils
kq_require unzip unzip
kq_require java default-jre-headless
jar=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}
[ -f "$jar" ] || skip "EPUBCheck not found at $jar (Debian package epubcheck)"

dir=$(kq_tmpdir)
export SOURCE_DATE_EPOCH=1774915200 # 2026-03-31
declare -A generated=([fr]="Édition générée le 31 mars 2026" [en]="Generated on March 31, 2026"
  [de]="Erstellt am 31. März 2026" [es]="Generada el 31 de marzo de 2026"
  [pt]="Gerada em 31 de março de 2026")
declare -A date=([fr]="1er mars 2026" [en]="March 1, 2026" [de]="1. März 2026"
  [es]="1 de marzo de 2026" [pt]="1 de março de 2026")
declare -A views=([fr]="15 204 vues" [en]="15,204 views" [de]="15.204 Aufrufe"
  [es]="15.204 visitas" [pt]="15.204 visualizações")
declare -A byline=([fr]="Par Jean Dupont, Marie Curie" [en]="By Jean Dupont, Marie Curie"
  [de]="Von Jean Dupont, Marie Curie" [es]="Por Jean Dupont, Marie Curie"
  [pt]="Por Jean Dupont, Marie Curie")
declare -A sources=([fr]="Sources : l’Union, AFP" [en]="Sources: l’Union, AFP"
  [de]="Quellen: l’Union, AFP" [es]="Fuentes: l’Union, AFP" [pt]="Fontes: l’Union, AFP")

# ---- inputs ---------------------------------------------------------------------------------
mkdir -p "$dir/in/md"
python3 - "$dir/in" <<'PY' || fail "generating the inputs"
import base64, struct, sys, zlib
d = sys.argv[1]
def chunk(t, b):
    return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xFFFFFFFF)
def png(w, h):
    raw = b"".join(b"\0" + b"".join(bytes(((x * 9) & 255, (y * 5) & 255, 90)) for x in range(w))
                   for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
open(f"{d}/md/logo.png", "wb").write(png(40, 30))
open(f"{d}/md/a.md", "w").write("""---
title: "L'IA au 1er rang"
standfirst: "Un chapô d'essai : les modèles s'installent"
date: 2026-03-01
lang: fr
views: 15204
authors: [Jean Dupont, Marie Curie]
topics: [Technologie]
site: "L'Usine"
url: https://example.org/ia
sources: ["l'Union", AFP]
---

Le corps de l'article parle d'IA.

![Le logo](logo.png)
""")
data = base64.b64encode(png(24, 24)).decode()
body = " ".join(["The browser renders pages faster than ever, and the team's work shows."] * 6)
open(f"{d}/page.html", "w").write(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A faster browser</title>
<meta property="og:site_name" content="Example News">
<meta name="author" content="Ada Lovelace">
<meta property="article:published_time" content="2026-03-02T10:00:00+00:00">
</head><body><article><h1>A faster browser</h1>
<p>{body}</p><p><img src="data:image/png;base64,{data}" alt="a chart"></p><p>{body}</p>
</article></body></html>
""")
open(f"{d}/feed.xml", "w").write("""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Le fil</title><link>https://example.net/</link><language>fr</language>
<item><title>Le réseau s'étend</title><link>https://example.net/reseau</link>
<dc:creator>Paul Martin</dc:creator><pubDate>Tue, 03 Mar 2026 09:00:00 +0100</pubDate>
<description>Le réseau s'étend encore, et l'opérateur le dit : c'est prévu.</description></item>
</channel></rss>
""")
PY

# ---- one edition per language ------------------------------------------------------------------
for lang in fr en de es pt; do
  out="$dir/$lang"
  mkdir -p "$out"
  kq_run export -q -f epub,pdf --edition-lang "$lang" -o "$out/e.epub" \
    "$dir/in/md/a.md" "$dir/in/page.html" "$dir/in/feed.xml"
  expect_status 0
  pdftotext "$out/e.pdf" "$out/e.txt" || fail "pdftotext $lang"
  (cd "$out" && unzip -q e.epub -d x) || fail "unzip $lang"
  pdfimages -list "$out/e.pdf" > "$out/images.txt" || fail "pdfimages $lang"
  # the furniture's markup (lang spans, labels in five languages) keeps the EPUB valid
  java -jar "$jar" "$out/e.epub" > "$out/epubcheck.txt" 2>&1 ||
    fail "EPUBCheck, $lang edition: $(grep -E 'ERROR|WARNING' "$out/epubcheck.txt" | head -5)"
  grep -q "0 fatals / 0 errors / 0 warnings" "$out/epubcheck.txt" ||
    fail "EPUBCheck, $lang edition: $(grep -E 'ERROR|WARNING' "$out/epubcheck.txt" | head -5)"
  python3 - "$out" "${generated[$lang]}" "${date[$lang]}" "${views[$lang]}" "${byline[$lang]}" \
    "${sources[$lang]}" <<'PY' || fail "$lang edition"
import glob, html, re, sys
out, gen, date, views, byline, sources = sys.argv[1:7]
def norm(s):  # every kind of space as one space
    return re.sub(r"[\s\u00a0\u202f\u2009]+", " ", s).strip()
def text(fragment):
    return norm(html.unescape(re.sub(r"<[^>]+>", "", fragment)))
pdf = norm(open(f"{out}/e.txt").read())
assert gen in pdf, ("generated", gen, pdf[:300])
assert not re.search(r"\b20\d\d-\d\d-\d\d\b", pdf), "an ISO date in the PDF's text"
docs = sorted(glob.glob(f"{out}/x/OEBPS/art-*.xhtml"))
assert len(docs) == 3, docs
found = {}
epub_images = 0
for path in docs:
    x = open(path).read()
    epub_images += len(re.findall(r"<img\b", x))
    for cls in ("h1", "standfirst", "kicker", "byline", "dateline", "source-url", "cited-sources"):
        pat = r"<h1>(.*?)</h1>" if cls == "h1" else r'<p class="%s"[^>]*>(.*?)</p>' % cls
        m = re.search(pat, x, re.S)
        if not m:
            continue
        t = text(m.group(1))
        found.setdefault(cls, []).append(t)
        # every furniture line of the EPUB is in the PDF, word for word
        assert t in pdf, (cls, t, pdf[:2000])
        assert "'" not in t, ("a straight apostrophe in the EPUB's furniture", cls, t)
# the Markdown article's furniture, in the edition language
assert "L’IA au 1er rang" in found["h1"], found["h1"]
assert f"{date} · {views}" in found["dateline"], (found["dateline"], date, views)
assert byline in found["byline"], (found["byline"], byline)
assert sources in found["cited-sources"], (found["cited-sources"], sources)
assert sources in pdf, ("PDF sources line", sources)
assert "l'Union" not in pdf and "L'IA" not in pdf, "a straight apostrophe in the PDF's furniture"
assert any(t.startswith("Technologie · L’Usine") for t in found["kicker"]), found["kicker"]
assert len(found["h1"]) == 3 and len(found["dateline"]) == 3, found
# the same images: the article images of the EPUB are the PDF's (the EPUB's cover is not in the PDF)
rows = [l for l in open(f"{out}/images.txt").read().splitlines()[2:] if l.split()[2] == "image"]
assert epub_images == 2 and len(rows) == 2, (epub_images, rows)
PY
done
# an edition of one ISO week is named after its days (item 3: date ranges), as a title and in
# the title page's sentence, and its file after the week
mkdir -p "$dir/week"
kq_run export -f pdf --edition-lang fr --week 2026-W10 -o "$dir/week/" \
  "$dir/in/md/a.md" "$dir/in/page.html" "$dir/in/feed.xml"
expect_status 0
grep -qx "$dir/week/revue-de-presse-tech-2026-w10.pdf" "$KQ_OUT" || fail "week file name: $(cat "$KQ_OUT")"
pdftotext "$dir/week/revue-de-presse-tech-2026-w10.pdf" - | tr '\n' ' ' |
  sed 's/\xc2\xa0/ /g; s/\xe2\x80\xaf/ /g' > "$dir/week/text.txt"
grep -q "Revue de presse tech — 2 – 8 mars 2026" "$dir/week/text.txt" ||
  fail "week title: $(head -c 300 "$dir/week/text.txt")"
grep -q "2 articles · du 2 au 8 mars 2026" "$dir/week/text.txt" ||
  fail "week title page: $(head -c 300 "$dir/week/text.txt")"
# French groups with U+202F, as FR-7 says (pdftotext shows the PDF's as a space: checked above)
grep -q $'15\u202f204' "$dir/fr/x/OEBPS/art-0001.xhtml" || fail "EPUB: 15204 not grouped with U+202F"
pass
