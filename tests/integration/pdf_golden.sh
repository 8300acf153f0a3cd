#!/usr/bin/env bash
# pdf_golden.sh: renders one page of the sample archive's PDF (the first article: title,
# standfirst, meta line, justified and hyphenated paragraphs, headings, a list, code, a quote)
# with pdftoppm and compares it with tests/golden/pdf-page4.pgm, tolerant to anti-aliasing:
# layout regressions (a moved line, a changed break) fail. KQ_UPDATE_GOLDEN=1 rewrites the file.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require python3 python3
kq_require pdftoppm poppler-utils
golden="$KQ_TESTS/golden/pdf-page4.pgm"
out=$(kq_tmpdir)
export SOURCE_DATE_EPOCH=1769731200
kq_run export -f pdf --paper a4 -o "$out/revue.pdf" "$KQ_TESTS/corpus"
expect_status 0
pdftoppm -f 4 -l 4 -r 40 -gray "$out/revue.pdf" "$out/page" || fail "pdftoppm"
page=$(ls "$out"/page*.pgm | head -n 1)
if [ "${KQ_UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$page" "$golden"
  echo "golden page rewritten: $golden"
  pass
fi
[ -f "$golden" ] || fail "no golden page $golden (run with KQ_UPDATE_GOLDEN=1)"
python3 "$KQ_TESTS/lib/pgmdiff.py" "$golden" "$page" || fail "page 4 differs from the golden image"
pass
