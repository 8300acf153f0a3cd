#!/usr/bin/env bash
# l10n.sh: localization in one place (issue 13 item 3). In fr, en, de, es and pt editions the
# PDF says when it was generated in words (no ISO date in a sentence), gives the article's
# date in words, and its dateline and view count read as the EPUB's (FR-7 groups "15 204" in
# French in both); labels come from the same table ("Sources : " in French only).
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require python3 python3
kq_require pdftotext poppler-utils
kq_require unzip unzip

dir=$(kq_tmpdir)
export SOURCE_DATE_EPOCH=1774915200 # 2026-03-31
declare -A generated=([fr]="Édition générée le 31 mars 2026" [en]="Generated on March 31, 2026"
  [de]="Erstellt am 31. März 2026" [es]="Generada el 31 de marzo de 2026"
  [pt]="Gerada em 31 de março de 2026")
declare -A views=([fr]="15 204 vues" [en]="15204 views" [de]="15204 Aufrufe"
  [es]="15204 visitas" [pt]="15204 visualizações")
declare -A sources=([fr]="Sources : AFP" [en]="Sources: AFP" [de]="Quellen: AFP"
  [es]="Fuentes: AFP" [pt]="Fontes: AFP")
for lang in fr en de es pt; do
  mkdir -p "$dir/$lang"
  printf -- '---\ntitle: Un titre\ndate: 2026-03-01\nlang: %s\nviews: 15204\nsources: [AFP]\n---\n\nCorps.\n' \
    "$lang" > "$dir/$lang/a.md"
  kq_run export -q -f epub,pdf -o "$dir/$lang.epub" "$dir/$lang"
  expect_status 0
  pdftotext "$dir/$lang.pdf" "$dir/$lang.txt" || fail "pdftotext $lang"
  unzip -p "$dir/$lang.epub" OEBPS/art-0001.xhtml > "$dir/$lang.xhtml" || fail "unzip $lang"
  python3 - "$dir/$lang.txt" "$dir/$lang.xhtml" "${generated[$lang]}" "${views[$lang]}" \
    "${sources[$lang]}" <<'PY' || fail "$lang edition"
import re, sys, html
def norm(s):  # every kind of space as one space
    return re.sub(r"[\s\u00a0\u202f]+", " ", s).strip()
pdf = norm(open(sys.argv[1]).read())
x = open(sys.argv[2]).read()
gen, views, sources = sys.argv[3:6]
assert gen in pdf, (gen, pdf[:300])
assert not re.search(r"\b20\d\d-\d\d-\d\d\b", pdf), "an ISO date in the PDF's text"
m = re.search(r'<p class="dateline"[^>]*>(.*?)</p>', x, re.S)
assert m, "no dateline in the EPUB"
dateline = norm(html.unescape(re.sub(r"<[^>]+>", "", m.group(1))))
assert dateline in pdf, (dateline, pdf[:400])
assert views in dateline, (views, dateline)
assert sources in pdf, (sources, pdf[-300:])
assert sources in norm(html.unescape(re.sub(r"<[^>]+>", "", x))), "EPUB sources label"
PY
done
# French groups with U+202F, as FR-7 says (pdftotext shows the PDF's as a space: checked above)
grep -q $'15\u202f204' "$dir/fr.xhtml" || fail "EPUB: 15204 not grouped with U+202F"
pass
