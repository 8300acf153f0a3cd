#!/usr/bin/env bash
# issue12_images_links.sh: issue 12 items 2 and 4, issue 13 item 2. Hostile images (a FIFO, a
# progressive JPEG of 50,000 scans, an SVG with heavy filters on a 6000x6000 canvas, truncated
# PNG and JPEG) beside good articles: exit 0, valid EPUB and PDF, good articles all there, each
# bad image named in exactly one warning. Links from Markdown, HTML (<base> elsewhere), a feed
# and an SVG image: the PDF's URIs are http, https or mailto only, as the EPUB's. The same
# images in the EPUB and the PDF for a Markdown file given alone with an image beside it, and
# for HTML with a data: image. Inputs are generated here.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
jar=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}
[ -f "$jar" ] || fail "EPUBCheck not found at $jar"
command -v cjpeg >/dev/null || fail "cjpeg (libjpeg-turbo-progs) not found"
work=$(kq_tmpdir)
in="$work/in"
mkdir -p "$in/img"

# ---- inputs ---------------------------------------------------------------------------------
for n in un deux trois; do
  printf -- '---\ntitle: Bon article %s\ndate: 2026-03-0%d\nlang: fr\n---\n\nUn texte sain, numéro %s.\n' \
    "$n" "${#n}" "$n" >"$in/bon-$n.md"
done
mkfifo "$in/img/pipe.png"
python3 - "$in" <<'PY' || fail "generating the inputs"
import struct, subprocess, sys, zlib
d = sys.argv[1]
def chunk(t, b):
    return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xFFFFFFFF)
def png(w, h):
    raw = b"".join(b"\0" + b"".join(bytes(((x * 7) & 255, (y * 5) & 255, 128)) for x in range(w))
                   for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
def jpeg(w, h, progressive):
    ppm = b"P6 %d %d 255\n" % (w, h) + bytes(((x * 3 + y) & 255) for y in range(h) for x in range(w) for _ in range(3))
    return subprocess.run(["cjpeg", "-quality", "80"] + (["-progressive"] if progressive else []),
                          input=ppm, capture_output=True, check=True).stdout
def segments(j):
    i, segs = 2, []
    while j[i + 1] != 0xD9:
        m, ln = j[i + 1], (j[i + 2] << 8) | j[i + 3]
        k = i + 2 + ln
        if m == 0xDA:  # entropy-coded data runs to the next marker
            while not (j[k] == 0xFF and j[k + 1] != 0 and not 0xD0 <= j[k + 1] <= 0xD7):
                k += 1
        segs.append((m, j[i:k]))
        i = k
    return segs
w = lambda name, data: open(f"{d}/{name}", "wb").write(data)
md = lambda name, title, body: open(f"{d}/{name}", "w").write(
    f"---\ntitle: {title}\ndate: 2026-03-10\nlang: fr\n---\n\n{body}\n")
# a progressive JPEG whose smallest scan is repeated to 50,000 scans (< 2 MB)
segs = segments(jpeg(1000, 1000, True))
scans = [s for m, s in segs if m == 0xDA]
small = min(scans, key=len)
w("img/scans.jpg", b"\xff\xd8" + b"".join(s for _, s in segs) + small * (50000 - len(scans)) + b"\xff\xd9")
# heavy filters on a 6000x6000 canvas (700 bytes)
w("img/filters.svg", b'''<svg xmlns="http://www.w3.org/2000/svg" width="6000" height="6000">
<filter id="f" x="-1" y="-1" width="3" height="3"><feTurbulence baseFrequency="0.9" numOctaves="10"/>
<feGaussianBlur stdDeviation="300"/><feMorphology operator="dilate" radius="400"/>
<feConvolveMatrix order="9" kernelMatrix="''' + b"1 " * 81 + b'''"/></filter>
<g filter="url(#f)"><g filter="url(#f)"><rect width="6000" height="6000" fill="red"/></g></g></svg>''')
good = png(64, 48)
w("img/cut.png", good[: len(good) // 2])
gj = jpeg(200, 150, False)
w("img/cut.jpg", gj[: len(gj) // 2])
w("img/good.png", good)
# an SVG image with its own links
w("img/linked.svg", b'''<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="60">
<a xlink:href="javascript:alert(1)"><rect width="60" height="60" fill="blue"/></a>
<a href="https://evil.example/svg-link"><rect x="60" width="60" height="60" fill="green"/></a></svg>''')
md("fifo.md", "Image FIFO", "![tube](img/pipe.png)")
md("scans.md", "Image aux scans", "![scans](img/scans.jpg)")
md("filters.md", "Image aux filtres", "![filtres](img/filters.svg)")
md("cut-png.md", "PNG tronqué", "![png](img/cut.png)")
md("cut-jpg.md", "JPEG tronqué", "![jpeg](img/cut.jpg)")
bad = ["javascript:alert(1)", "vbscript:msgbox(1)", "data:text/html,x", "file:///etc/passwd",
       "smb://host/share", "ms-msdt:/id", "relative/page.html", "#ancre"]
md("liens.md", "Liens en Markdown", "Liens : " + " ".join(f"[l{i}]({u})" for i, u in enumerate(bad)) +
   " [bon](https://example.org/ok-md) [courriel](mailto:a@example.org)\n\n![svg](img/linked.svg)")
open(f"{d}/liens.html", "w").write('''<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Liens en HTML</title><link rel="canonical" href="https://example.org/dossier/page.html">
<base href="https://evil.example/"></head><body><article><h1>Liens en HTML</h1>
<p>Un paragraphe assez long pour être gardé par l'extraction, avec des liens : ''' +
  " ".join(f'<a href="{u}">h{i}</a>' for i, u in enumerate(bad)) +
  ''' <a href="autre.html">relatif</a> <a href="https://example.org/ok-html">bon</a>.</p>
<p>Encore une phrase pour que le corps de l'article soit assez long, et une image.</p>
<figure><img src="img/linked.svg" alt="svg"></figure></article></body></html>''')
open(f"{d}/flux.rss", "w").write('''<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Flux</title><link>https://example.org/</link><description>d</description>
<item><title>Liens dans un flux</title><link>https://example.org/item</link><pubDate>Tue, 10 Mar 2026 10:00:00 GMT</pubDate>
<description>''' + "".join(f'&lt;a href="{u.replace("&", "&amp;amp;")}"&gt;f{i}&lt;/a&gt; ' for i, u in enumerate(bad)) +
  '''&lt;a href="https://example.org/ok-feed"&gt;bon&lt;/a&gt; et du texte.</description></item></channel></rss>''')
PY

# ---- one export of everything ---------------------------------------------------------------
kq_run export -f epub,pdf -o "$work/all" "$in"
expect_status 0
for f in pipe.png scans.jpg filters.svg cut.png cut.jpg; do
  n=$(grep -c -- "$f" "$KQ_ERR")
  [ "$n" -eq 1 ] || fail "$f named in $n warnings, not exactly one"
done
grep -q "fifo.md: image img/pipe.png: not a regular file" "$KQ_ERR" || fail "FIFO warning"
grep -q "scans.md: image img/scans.jpg: JPEG with more than 100 scans" "$KQ_ERR" || fail "scan budget warning"
grep -q "filters.md: image img/filters.svg: SVG with filter effects" "$KQ_ERR" || fail "SVG filter warning"
grep -q "cut-png.md: image img/cut.png: truncated PNG" "$KQ_ERR" || fail "truncated PNG warning"
grep -q "cut-jpg.md: image img/cut.jpg: truncated JPEG" "$KQ_ERR" || fail "truncated JPEG warning"

java -jar "$jar" "$work/all.epub" >"$work/epubcheck.log" 2>&1 ||
  { cat "$work/epubcheck.log" >&2; fail "EPUBCheck rejects the EPUB"; }
qpdf --check "$work/all.pdf" >"$work/qpdf.log" 2>&1 || { cat "$work/qpdf.log" >&2; fail "qpdf --check"; }
pdftotext "$work/all.pdf" "$work/all.txt"
x="$work/x"
mkdir "$x" && (cd "$x" && unzip -q "$work/all.epub") || fail "unzip"
for t in "Bon article un" "Bon article deux" "Bon article trois" "Liens en HTML" "Liens dans un flux"; do
  grep -q "$t" "$work/all.txt" || fail "'$t' missing from the PDF"
  grep -rq "$t" "$x/OEBPS" || fail "'$t' missing from the EPUB"
done

# ---- links: the PDF's URIs are the EPUB's kind (http, https, mailto) ---------------------------
qpdf --json "$work/all.pdf" >"$work/pdf.json" || fail "qpdf --json"
python3 - "$work/pdf.json" "$x/OEBPS" <<'PY' || fail "link schemes"
import json, os, re, sys
uris = []
def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == "/URI" and isinstance(v, str):
                uris.append(v[2:] if v.startswith("u:") else v)
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(json.load(open(sys.argv[1])))
bad = [u for u in uris if not re.match(r"(https?://|mailto:)", u)]
assert not bad, "PDF URIs outside http/https/mailto: %s" % bad
assert not [u for u in uris if "evil.example" in u], "a <base> or SVG link elsewhere: %s" % uris
for want in ("https://example.org/ok-md", "mailto:a@example.org", "https://example.org/ok-html",
             "https://example.org/dossier/autre.html", "https://example.org/ok-feed"):
    assert want in uris, "%s missing from the PDF links %s" % (want, sorted(set(uris)))
hrefs = set()
for root, _, files in os.walk(sys.argv[2]):
    for f in files:
        if f.endswith(".xhtml"):
            hrefs.update(re.findall(r'<a [^>]*href="([^"#][^"]*)"', open(os.path.join(root, f)).read()))
web = {h.replace("&amp;", "&") for h in hrefs if re.match(r"(https?://|mailto:)", h)}
extra = set(uris) - web
assert not extra, "links in the PDF and not in the EPUB: %s" % extra
PY
# the SVG is drawn as pixels: no vector content of its own, no links
pdfimages -list "$work/all.pdf" | tail -n +3 | grep -q . || fail "the SVG image is missing from the PDF"

# ---- the same images in both: Markdown given alone with its image beside it -------------------
one="$work/one"
mkdir -p "$one/img"
cp "$in/img/good.png" "$one/img/logo.png"
printf -- '---\ntitle: Un logo\ndate: 2026-03-01\nlang: fr\n---\n\nTexte.\n\n![logo](img/logo.png)\n' >"$one/a.md"
html="$work/html"
mkdir -p "$html"
python3 - "$html/data.html" "$in/img/good.png" <<'PY'
import base64, sys
b64 = base64.b64encode(open(sys.argv[2], "rb").read()).decode()
open(sys.argv[1], "w").write(f'''<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Image en ligne</title></head><body><article><h1>Image en ligne</h1>
<p>Un paragraphe assez long pour être gardé par l'extraction de l'article, avec une image.</p>
<figure><img src="data:image/png;base64,{b64}" alt="en ligne"></figure>
<p>Une seconde phrase pour que le texte de l'article soit assez long.</p></article></body></html>''')
PY
same_images() { # $1: output stem; the article images of the EPUB and the PDF, as WxH lists
  local stem=$1
  python3 - "$stem.epub" <<'PY' >"$stem.epub-images"
import struct, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for n in sorted(z.namelist()):
    if n.startswith("OEBPS/images/img-"):
        b = z.read(n)
        if b[:8] == b"\x89PNG\r\n\x1a\n":
            print("%dx%d" % struct.unpack(">II", b[16:24]))
        else:
            print("other", n)
PY
  pdfimages -list "$stem.pdf" | tail -n +3 | awk '{print $4 "x" $5}' >"$stem.pdf-images"
  [ -s "$stem.epub-images" ] || fail "$stem: no image in the EPUB"
  cmp -s "$stem.epub-images" "$stem.pdf-images" ||
    fail "$stem: EPUB images $(tr '\n' ' ' <"$stem.epub-images") but PDF images $(tr '\n' ' ' <"$stem.pdf-images")"
}
kq_run export -f epub,pdf -o "$work/single" "$one/a.md"
expect_status 0
[ ! -s "$KQ_ERR" ] || fail "warnings for a sound local image"
same_images "$work/single"
kq_run export -f epub,pdf -o "$work/inline" "$html/data.html"
expect_status 0
[ ! -s "$KQ_ERR" ] || fail "warnings for a sound data: image"
same_images "$work/inline"
grep -qx "64x48" "$work/inline.pdf-images" || fail "the data: image is not the one given"
echo "ok"
