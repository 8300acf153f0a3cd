#!/usr/bin/env bash
# text_noncharacters.sh (issue 12 item 3, "an edition lost for one character"): titles and
# bodies holding Unicode noncharacters (U+FFFE, U+FFFF, U+FDD0, U+10FFFF) or a lone
# surrogate escape, from JSON, a Markdown heading, a text dump and HTML, beside the good
# sample archive: the export exits 0, EPUBCheck and qpdf --check pass, every good article
# is there, the bad articles are set without the bad characters, and each bad input is
# named in exactly one warning.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
dir=$(kq_tmpdir)
arch="$dir/archive"
mkdir -p "$arch" "$dir/out"
cp -r "$KQ_TESTS/corpus/." "$arch/"
python3 - "$arch" <<'PY' || fail "generator"
import sys, os
d = sys.argv[1]
def w(name, text):
    with open(os.path.join(d, name), "wb") as f:
        f.write(text.encode("utf-8", "surrogatepass"))
w("bad-json.json", '{"title": "Mot \\ud800 isole \\uffff JSON", "url": "https://ex.org/j",'
  ' "date": "2026-01-10", "content": "<p>Corps \\ufdd0 du texte et \\udbff\\udfff fin.</p>"}')
w("bad-heading.md", "---\ndate: 2026-01-11\nurl: https://ex.org/m\n---\n\n"
  "# Titre \ufffe Markdown\n\nCorps \U0010ffff du texte.\n")
w("bad-dump.txt", "Titre \uffff vidage texte\n\nPublié le 12 janvier 2026\n\n"
  "Un paragraphe \ufdef du corps du texte, assez long pour compter comme un article.\n")
w("bad-page.html", '<html lang="fr"><head><title>Titre \ufdd0 HTML</title></head><body>'
  '<article><h1>Titre \ufdd0 HTML</h1><p>Un paragraphe &#xFFFE; avec une entité et \U0001fffe '
  'brut, assez long pour que le lecteur le prenne comme le corps de la page.</p></article>'
  '</body></html>')
PY
kq_run export -f epub,pdf -o "$dir/out/ed.pdf" "$arch"
expect_status 0
epub="$dir/out/ed.epub"
pdf="$dir/out/ed.pdf"
[ -s "$epub" ] && [ -s "$pdf" ] || fail "outputs not written"
r=$(java -jar /usr/share/java/epubcheck.jar "$epub" 2>&1)
echo "$r" | grep -qE '^(ERROR|FATAL|WARNING)' && fail "EPUBCheck: $(echo "$r" | grep -E '^(ERROR|FATAL|WARNING)' | head -5)"
qpdf --check "$pdf" >/dev/null 2>&1 || fail "qpdf --check fails"

for f in bad-json.json bad-heading.md bad-dump.txt bad-page.html; do
  n=$(grep -c "warning: .*$f" "$KQ_ERR")
  [ "$n" -eq 1 ] || fail "$f named in $n warnings, not exactly one"
done
text=$(pdftotext "$pdf" - | tr '\n' ' ')
for t in "Mot isole JSON" "Titre Markdown" "Titre vidage texte" "Titre HTML"; do
  echo "$text" | grep -qF "$t" || fail "bad article \"$t\" missing from the PDF"
done
# every good article of the sample archive is in both outputs
x="$dir/x"
mkdir "$x"
(cd "$x" && unzip -q "$epub") || fail "unzip"
kq_run list --json "$KQ_TESTS/corpus"
python3 - "$KQ_OUT" "$x" "$pdf" <<'PY' || fail "a good article is missing"
import json, subprocess, sys, glob, re, html
arts = json.load(open(sys.argv[1]))
epub = " ".join(html.unescape(open(f, encoding="utf-8").read()) for f in glob.glob(sys.argv[2] + "/**/*.xhtml", recursive=True))
pdf = subprocess.run(["pdftotext", sys.argv[3], "-"], capture_output=True, text=True).stdout
norm = lambda s: re.sub(r"[\s\u00a0\u202f\u00ad-]+", "", s)
epub, pdf = norm(epub), norm(pdf)
missing = [a["title"] for a in arts if a["title"] and norm(a["title"])[:20] not in pdf]
missing += [a["title"] for a in arts if a["title"] and norm(a["title"])[:20] not in epub]
if missing:
    print("missing:", missing, file=sys.stderr)
    sys.exit(1)
PY
# and nothing of the bad characters reached either output
python3 - "$x" <<'PY' || fail "a noncharacter inside the EPUB"
import glob, sys, re
bad = re.compile("[\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0010ffff]")
for f in glob.glob(sys.argv[1] + "/**/*", recursive=True):
    if f.endswith((".xhtml", ".opf", ".ncx")):
        if bad.search(open(f, encoding="utf-8").read()):
            sys.exit(1)
PY
pass
