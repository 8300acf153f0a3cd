#!/usr/bin/env bash
# epub_calibre.sh: the EPUB's metadata as Calibre reads it (issue 15 item 6): ebook-meta shows
# one author and the language fra for a French-majority edition that also holds English
# articles, --creator names that author, and ebook-convert to AZW3 keeps the language and the
# table of contents. Calibre (Debian calibre, about 100 packages with Qt) is not in the CI
# install list: without ebook-meta/ebook-convert the test is SKIPPED (exit 77, ctest).
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
if ! command -v ebook-meta >/dev/null || ! command -v ebook-convert >/dev/null; then
  echo "SKIP: Calibre (ebook-meta, ebook-convert) not installed (apt-get install calibre)"
  exit 77
fi
export QT_QPA_PLATFORM=offscreen HOME=$(kq_tmpdir) # Calibre writes its settings under HOME
out=$(kq_tmpdir)
# the sample archive: mostly French, some English articles, six sites
kq_run export -f epub -o "$out/book.epub" "$KQ_TESTS/corpus"
expect_status 0
ebook-meta "$out/book.epub" >"$out/meta.txt" 2>&1 || fail "ebook-meta failed"
author=$(sed -n 's/^Author(s) *: //p' "$out/meta.txt")
[ "$author" = "kiosque" ] || fail "ebook-meta author(s): '$author', want one author 'kiosque'"
lang=$(sed -n 's/^Languages *: //p' "$out/meta.txt")
[ "$lang" = "fra" ] || fail "ebook-meta languages: '$lang', want 'fra'"
# --creator names the one author
kq_run export -f epub --creator "Rédaction Kiosque" -o "$out/named.epub" "$KQ_TESTS/corpus"
expect_status 0
ebook-meta "$out/named.epub" | grep -q "^Author(s) *: Rédaction Kiosque$" || fail "--creator not the author"

# AZW3 keeps the language and the contents (read back through an EPUB conversion)
timeout 600 ebook-convert "$out/book.epub" "$out/x.azw3" >"$out/conv.log" 2>&1 ||
  { tail -n 20 "$out/conv.log" >&2; fail "ebook-convert to AZW3 failed"; }
lang=$(ebook-meta "$out/x.azw3" | sed -n 's/^Languages *: //p')
[ "$lang" = "fra" ] || fail "AZW3 language '$lang', want 'fra'"
timeout 600 ebook-convert "$out/x.azw3" "$out/back.epub" >"$out/conv2.log" 2>&1 ||
  { tail -n 20 "$out/conv2.log" >&2; fail "ebook-convert of the AZW3 back failed"; }
mkdir "$out/b" && (cd "$out/b" && unzip -q "$out/back.epub") || fail "unzip"
ncx=$(find "$out/b" -name '*.ncx' | head -n 1)
[ -n "$ncx" ] || fail "the AZW3 has no table of contents"
for title in "Décembre 2025" "La flambée des prix de la mémoire vive" "Retour vers la Lune"; do
  grep -q "$title" "$ncx" || fail "AZW3 table of contents lacks '$title'"
done
n=$(grep -c "<navPoint" "$ncx")
[ "$n" -ge 22 ] || fail "AZW3 table of contents has $n entries, want the 4 groups and 18 articles"
pass
