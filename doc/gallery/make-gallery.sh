#!/usr/bin/env bash
# make-gallery.sh: renders the README gallery: one page of the PDF digest and the EPUB cover, as PNGs.
# Usage: doc/gallery/make-gallery.sh [KIOSQUE-BINARY]   (needs pdftoppm, pdftotext, mutool, python3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
bin=${1:-kiosque}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1772323200 XDG_CONFIG_HOME="$tmp/config"
"$bin" export -q --no-config -f epub,pdf --month 2026-02 --paper a5 -o "$tmp/revue.pdf" \
  "$src/tests/corpus" >/dev/null
# the first page of the first article: the first page with a paragraph of text after the
# title page, the contents and the group title page
pdftotext "$tmp/revue.pdf" "$tmp/revue.txt"
page=$(awk -v RS='\f' '!found && NR > 2 && length($0) > 800 { print NR; found = 1 }' "$tmp/revue.txt")
pdftoppm -png -r 72 -f "${page:-3}" -l "${page:-3}" -singlefile "$tmp/revue.pdf" "$here/pdf-page"
cover=$(python3 - "$tmp/revue.epub" "$tmp" <<'PY'
import os, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
name = next(n for n in z.namelist() if re.search(r"images/cover\.", n, re.I))
out = os.path.join(sys.argv[2], "cover" + os.path.splitext(name)[1])
open(out, "wb").write(z.read(name))
print(out)
PY
)
mutool draw -q -r 48 -o "$here/epub-cover.png" "$cover"
ls -l "$here"/*.png
