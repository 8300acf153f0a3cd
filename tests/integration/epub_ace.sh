#!/usr/bin/env bash
# epub_ace.sh: Ace by DAISY (EPUB Accessibility, axe-core in headless Chromium) on the sample
# archive's EPUB: no critical, serious or moderate violation (issue 5). Ace is installed by
# ../shared/tools/ace-setup.sh (default /tmp/ace; set KQ_ACE to its launcher). When Ace is not
# installed the test is reported as skipped (ctest SKIP, exit 77): it needs npm and Chromium.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
ace=${KQ_ACE:-/tmp/ace/ace}
if [ ! -x "$ace" ]; then
  skip "Ace by DAISY not installed at $ace (run ${KQ_SHARED:-../shared}/tools/ace-setup.sh)"
fi
out=$(kq_tmpdir)
kq_run export -f epub -o "$out/corpus.epub" "$KQ_TESTS/corpus"
expect_status 0
# a second, smaller edition with images, tables and mixed languages
kq_run export -f epub -o "$out/images.epub" "$KQ_TESTS/fixtures/epub/images" "$KQ_TESTS/fixtures/epub/hostile"
expect_status 0
for book in corpus images; do
  timeout 900 "$ace" -s -o "$out/ace-$book" "$out/$book.epub" >"$out/ace-$book.log" 2>&1 ||
    { tail -n 20 "$out/ace-$book.log" >&2; fail "Ace failed to run on $book.epub"; }
  python3 - "$out/ace-$book/report.json" <<'PY' || fail "Ace violations in $book.epub"
import json, sys
report = json.load(open(sys.argv[1]))
bad = []
for doc in report.get("assertions", []):
    for a in doc.get("assertions", []):
        test = a.get("earl:test", {})
        impact = test.get("earl:impact")
        if impact in ("critical", "serious", "moderate"):
            bad.append("%s: %s (%s)" % (doc.get("earl:testSubject", {}).get("url"), test.get("dct:title"), impact))
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
done
pass
