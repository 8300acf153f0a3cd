#!/usr/bin/env bash
# threads_repro.sh: one ordered worker pool (issue 13 item 4): the scan, the EPUB and the PDF
# honour KIOSQUE_THREADS, and 1, 2 or 4 threads give byte-identical EPUB and PDF files and
# the same warnings in the same order; an invalid KIOSQUE_THREADS is warned about.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require python3 python3

dir=$(kq_tmpdir)
a="$dir/archive"
mkdir -p "$a"
cp -r "$KQ_TESTS/corpus/." "$a/"
# and enough generated articles (every input format) to keep several threads busy
[ -f "$KQ_SHARED/tools/gencorpus.py" ] || skip "$KQ_SHARED/tools/gencorpus.py not found"
python3 "$KQ_SHARED/tools/gencorpus.py" 80 "$a/generated" >/dev/null 2>&1 || fail "gencorpus.py"
# inputs that warn, from the readers and from both writers
printf -- '---\ntitle: Bad\n---\n\nCaf\xe9\n' > "$a/zz-invalid-utf8.md"
printf -- '---\ntitle: Images\n---\n\nA ![x](absent-1.png) and ![y](absent-2.png).\n' > "$a/zz-img.md"
export SOURCE_DATE_EPOCH=1769731200
for t in 1 2 4; do
  KIOSQUE_THREADS=$t kq_run export -f epub,pdf -o "$dir/t$t.epub" "$a"
  expect_status 0
  cp "$KQ_ERR" "$dir/t$t.err"
done
for t in 2 4; do
  cmp -s "$dir/t1.epub" "$dir/t$t.epub" || fail "EPUB with $t threads differs from 1 thread"
  cmp -s "$dir/t1.pdf" "$dir/t$t.pdf" || fail "PDF with $t threads differs from 1 thread"
  cmp -s "$dir/t1.err" "$dir/t$t.err" || fail "warnings with $t threads differ: $(diff "$dir/t1.err" "$dir/t$t.err")"
done
[ "$(grep -c 'absent-' "$dir/t1.err")" -eq 2 ] || fail "expected one warning per missing image"

KIOSQUE_THREADS=lots kq_run list "$a"
expect_status 0
grep -q "KIOSQUE_THREADS=lots is not a number" "$KQ_ERR" || fail "invalid KIOSQUE_THREADS not reported"
pass
