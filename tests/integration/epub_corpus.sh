#!/usr/bin/env bash
# epub_corpus.sh: exports the sample archive (every --group-by mode, --split) and the readers'
# fixtures to EPUB and validates each file with EPUBCheck 4.2.6: 0 fatals, 0 errors, 0 warnings
# (issue 5, "How it is measured").
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require unzip unzip
corpus="$KQ_TESTS/corpus"
jar=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}
[ -f "$jar" ] || skip "EPUBCheck not found at $jar (Debian package epubcheck)"
kq_require java default-jre-headless
out=$(kq_tmpdir)
checked=0

# epubcheck FILE: EPUBCheck must exit 0 and report no fatal, error or warning.
epubcheck() {
  local log="$out/epubcheck.log"
  java -jar "$jar" "$1" >"$log" 2>&1
  local rc=$?
  if [ $rc -ne 0 ] || grep -qE '^(FATAL|ERROR|WARNING)' "$log" ||
     ! grep -q 'Messages: 0 fatals / 0 errors / 0 warnings' "$log"; then
    cat "$log" >&2
    fail "EPUBCheck rejects $1"
  fi
  checked=$((checked + 1))
}

# 1. one edition per grouping mode
for mode in month week day year topic site; do
  kq_run export -f epub --group-by "$mode" -o "$out/by-$mode.epub" "$corpus"
  expect_status 0
  [ "$(cat "$KQ_OUT")" = "$out/by-$mode.epub" ] || fail "stdout must be the written path, got: $(cat "$KQ_OUT")"
  epubcheck "$out/by-$mode.epub"
done

# 2. --split: one EPUB per group, all valid, in a series
kq_run export -f epub --split -o "$out/split/" "$corpus"
expect_status 0
n=$(wc -l <"$KQ_OUT")
[ "$n" -ge 3 ] || fail "--split by month gave $n files"
pos=0
while read -r f; do
  pos=$((pos + 1))
  [ -f "$f" ] || fail "--split printed $f but it does not exist"
  epubcheck "$f"
  opf=$(unzip -p "$f" OEBPS/content.opf)
  echo "$opf" | grep -q 'property="belongs-to-collection"' || fail "$f: no belongs-to-collection"
  echo "$opf" | grep -q "property=\"group-position\">$pos<" || fail "$f: group-position is not $pos"
done <"$KQ_OUT"

# 3. the readers' fixtures (HTML, feeds, JSON, Markdown, text; damaged ones give warnings)
kq_run export -f epub --group-by topic -o "$out/fixtures.epub" "$KQ_TESTS/fixtures"
expect_status 0
epubcheck "$out/fixtures.epub"

# 4. --embed-fonts and --cover
cover="$KQ_TESTS/fixtures/epub/images/pics/diagram.webp"
kq_run export -f epub --embed-fonts --cover "$cover" -o "$out/fonts.epub" "$corpus"
expect_status 0
unzip -l "$out/fonts.epub" | grep -q 'OEBPS/fonts/.*\.otf' || fail "--embed-fonts embedded no font"
unzip -p "$out/fonts.epub" OEBPS/style.css | grep -q '@font-face' || fail "no @font-face rule"
unzip -p "$out/fonts.epub" OEBPS/content.opf | grep -q 'href="images/cover.jpg" media-type="image/jpeg" properties="cover-image"' ||
  fail "--cover: the WebP cover is not converted and marked as the cover"
epubcheck "$out/fonts.epub"

echo "EPUBCheck: $checked files, 0 fatals / 0 errors / 0 warnings"
pass
