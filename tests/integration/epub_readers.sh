#!/usr/bin/env bash
# epub_readers.sh: the EPUB as reading systems show it (issue 15): read back with MuPDF
# (mutool draw -F txt) and pandoc (-t plain), no landmarks text; heading levels kept relative
# (siblings equal, nesting kept) in the XHTML and in the PDF's structure tags, for Markdown
# and HTML fixtures; L-4 break opportunities in URLs; the cover's alt text names the period
# once; EPUBCheck 0/0/0. pandoc is a test package (tools/install-deps.sh); without it that
# part says so and the rest runs.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
for tool in mutool unzip java pdfinfo; do
  command -v "$tool" >/dev/null || fail "$tool not installed (tools/install-deps.sh)"
done
out=$(kq_tmpdir)

# 1. Headings (item 1): three ## / <h2> siblings with one nested section each
kq_run export -f epub,pdf -o "$out/h/" "$KQ_TESTS/fixtures/epub/headings"
expect_status 0
epub=$(ls "$out"/h/*.epub) pdf=$(ls "$out"/h/*.pdf)
mkdir "$out/hx" && (cd "$out/hx" && unzip -q "$epub") || fail "unzip"
levels() { grep -o '<h[1-6][ >]' "$1" | tr -d '<> ' | tr '\n' ' ' | sed 's/ $//'; }
for doc in "$out"/hx/OEBPS/art-*.xhtml; do
  got=$(levels "$doc")
  [ "$got" = "h1 h2 h2 h3 h2" ] || fail "$(basename "$doc"): heading levels '$got', want 'h1 h2 h2 h3 h2'"
done
[ "$(ls "$out"/hx/OEBPS/art-*.xhtml | wc -l)" -eq 2 ] || fail "expected the Markdown and the HTML article"
# the PDF: the title is H2 (the group H1), the sections H3, the nested one H4
got=$(pdfinfo -struct-text "$pdf" | grep -oE '^ *H[1-6] ' | tr -d ' ' | tr '\n' ' ' | sed 's/ $//')
want="H1 H2 H3 H3 H4 H3 H2 H3 H3 H4 H3"
case "$got" in
  *"H2 H3 H3 H4 H3 H2 H3 H3 H4 H3") ;;
  *) fail "PDF heading tags '$got', want ... '$want'" ;;
esac

# 2. L-4: the long URL of the Markdown fixture has break opportunities
grep -q 'https://<wbr/>example<wbr/>.org/<wbr/>prix<wbr/><span class="nobr">-memoire</span><wbr/><span class="nobr">-vive/</span><wbr/>' "$out"/hx/OEBPS/art-0001.xhtml ||
  fail "no <wbr/> break opportunities in the long URL (L-4)"

# 3. Landmarks invisible where the EPUB is read (item 2), on the sample archive
kq_run export -f epub -o "$out/corpus.epub" "$KQ_TESTS/corpus"
expect_status 0
mutool draw -F txt -o "$out/mupdf.txt" "$out/corpus.epub" 2>/dev/null || fail "mutool draw failed"
[ -s "$out/mupdf.txt" ] || fail "mutool drew no text"
grep -q "Couverture" "$out/mupdf.txt" && fail "MuPDF shows the landmarks (Couverture)"
grep -q "La flambée des prix de la mémoire vive" "$out/mupdf.txt" || fail "MuPDF text lacks an article title"
if command -v pandoc >/dev/null; then
  pandoc "$out/corpus.epub" -t plain -o "$out/pandoc.txt" 2>/dev/null || fail "pandoc failed"
  grep -q "La flambée des prix de la mémoire vive" "$out/pandoc.txt" || fail "pandoc text lacks an article title"
  grep -q "Couverture" "$out/pandoc.txt" && fail "pandoc shows the landmarks (Couverture)"
  # the period once in the cover's alt text (item 5)
  head -n 5 "$out/pandoc.txt" | tr '\n' ' ' | grep -q "mars 2026 — décembre 2025" &&
    fail "the cover's alt text repeats the period"
else
  echo "NOTE: pandoc not installed: the pandoc read-back was not run"
fi
mkdir "$out/cx" && (cd "$out/cx" && unzip -q "$out/corpus.epub") || fail "unzip"
alt=$(grep -o 'alt="[^"]*"' "$out/cx/OEBPS/cover.xhtml")
[ "$(echo "$alt" | grep -o "2026" | wc -l)" -eq 1 ] || fail "cover alt text repeats the period: $alt"

# 4. EPUBCheck 0/0/0 on both
for f in "$epub" "$out/corpus.epub"; do
  java -jar /usr/share/java/epubcheck.jar "$f" >"$out/check.log" 2>&1
  grep -q "Messages: 0 fatals / 0 errors / 0 warnings" "$out/check.log" ||
    { cat "$out/check.log" >&2; fail "EPUBCheck: $(basename "$f")"; }
done
pass
