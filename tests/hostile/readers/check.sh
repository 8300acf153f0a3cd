#!/usr/bin/env bash
# check.sh CASE: issue 12's measure for one hostile reader case (tests/hostile/readers/generate.py):
# the export of an archive holding the bad input beside eighteen good articles in every format
# exits 0 (under ctest's timeout and, outside ASan, a memory cap), both outputs are valid
# (EPUBCheck, qpdf --check), every good article is in both, the bad input is named in exactly
# one warning, and what the case keeps (BADBODY, KEEP) is in both outputs.
set -u
. "$(dirname "$0")/../../lib/kq-test.sh"
case=${1:?usage: check.sh CASE}
dir=$(kq_tmpdir)
if ldd "$KQ_BIN" 2>/dev/null | grep -q libasan; then
  export KQ_HUGE_MB=2 # markdown-16mb: 2 MB under ASan (still past the 512 KB chunked path)
fi
# markdown-16mb's article cap: 1M of text for the 16 MB file; 256K for the 2 MB one, whose
# text (about a quarter of its Markdown) would otherwise fit under 1M and never be cut
huge_cap=1M
[ "${KQ_HUGE_MB:-16}" -lt 8 ] && huge_cap=256K
bad=$(python3 "$KQ_TESTS/hostile/readers/generate.py" "$case" "$dir/archive") || fail "generate.py $case"
out="$dir/out"
mkdir "$out"
limit=""
if ! ldd "$KQ_BIN" 2>/dev/null | grep -q libasan; then
  limit="ulimit -v 1500000;" # 1.5 GB of address space
fi
case_args=()
if [ "$case" = markdown-16mb ]; then
  # reading alone, default caps: the 16 MB file stays far under the memory cap
  bash -c "$limit exec \"\$0\" \"\$@\"" "$KQ_BIN" list "$dir/archive/$bad" >"$KQ_OUT" 2>"$KQ_ERR" </dev/null
  KQ_STATUS=$?
  expect_status 0
  # the edition (a PDF of 4 MB of text is the writers' cost): a smaller article cap
  case_args=(--max-article "$huge_cap")
fi
bash -c "$limit exec \"\$0\" \"\$@\"" "$KQ_BIN" export -f epub,pdf -o "$out/" --title "Hostile $case" \
  "${case_args[@]}" "$dir/archive" >"$KQ_OUT" 2>"$KQ_ERR" </dev/null
KQ_STATUS=$?
expect_status 0
epub=$(grep '\.epub$' "$KQ_OUT")
pdf=$(grep '\.pdf$' "$KQ_OUT")
[ -f "$epub" ] && [ -f "$pdf" ] || fail "$case: outputs not written: $(cat "$KQ_OUT")"

n=$(grep -c "warning: .*$bad" "$KQ_ERR")
[ "$n" -eq 1 ] || fail "$case: $bad named in $n warnings, not exactly one"

r=$(java -jar /usr/share/java/epubcheck.jar "$epub" 2>&1)
echo "$r" | grep -q 'Messages: 0 fatals / 0 errors / 0 warnings' ||
  fail "$case: EPUBCheck: $(echo "$r" | grep -E '^(ERROR|FATAL|WARNING)' | head -5)"
qpdf --check "$pdf" >/dev/null 2>&1 || fail "$case: qpdf --check fails"

etext="$dir/epub.txt"
(cd "$dir" && mkdir x && cd x && unzip -q "$epub" && cat $(find . -name '*.xhtml' | sort)) >"$etext" ||
  fail "$case: unzip"
ptext="$dir/pdf.txt"
pdftotext "$pdf" "$ptext" || fail "$case: pdftotext"
for i in $(seq -w 1 18); do
  grep -q "GOOD$i" "$etext" || fail "$case: good article GOOD$i missing from the EPUB"
  grep -q "GOOD$i" "$ptext" || fail "$case: good article GOOD$i missing from the PDF"
done
case $case in
  html-*) keep_words="BADBODY KEEP" ;;
  *) keep_words=BADBODY ;;
esac
for keep in ${KQ_CASE_KEEP:-$keep_words}; do
  grep -q "$keep" "$etext" || fail "$case: $keep (read from the bad input) missing from the EPUB"
  grep -q "$keep" "$ptext" || fail "$case: $keep (read from the bad input) missing from the PDF"
done
echo "$case: $(grep "warning: .*$bad" "$KQ_ERR" | cut -c1-160)"
pass
