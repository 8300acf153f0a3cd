#!/usr/bin/env bash
# hostile.sh: the hostile-input corpus (tests/hostile/ + generate.py) exported to EPUB and
# PDF: kiosque exits normally (0, or 4 with --strict) under a memory watchdog, the outputs
# are valid (EPUBCheck, qpdf), and nothing outside the archive or active leaks into them.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require python3 python3
kq_require java default-jre-headless
kq_require qpdf qpdf
kq_require unzip unzip
kq_require pdftotext poppler-utils

dir=$(kq_tmpdir)
chmod 755 "$dir"
python3 "$KQ_TESTS/hostile/generate.py" "$dir/archive" || fail "generate.py"
out="$dir/out"
mkdir "$out"

# RLIMIT_AS as a watchdog (not under ASan, which reserves terabytes of address space);
# ctest's TIMEOUT is the time watchdog.
limit=""
if ! ldd "$KQ_BIN" 2>/dev/null | grep -q libasan; then
  limit="ulimit -v 3000000;" # 3 GB
fi
bash -c "$limit exec \"\$0\" \"\$@\"" "$KQ_BIN" export -f epub,pdf -o "$out/" --title "Hostile" \
  "$dir/archive" >"$KQ_OUT" 2>"$KQ_ERR" </dev/null
KQ_STATUS=$?
expect_status 0
epub=$(grep '\.epub$' "$KQ_OUT")
pdf=$(grep '\.pdf$' "$KQ_OUT")
[ -f "$epub" ] && [ -f "$pdf" ] || fail "outputs not written: $(cat "$KQ_OUT")"

# every hostile case named in a warning, none crashed the run
for f in zero-byte.md truncated.json single-line-100mb.txt outside-link passwd.txt self-a.md \
         loop/up nested-10000.md dates.md; do
  grep -q "warning: .*$f" "$KQ_ERR" || fail "no warning naming $f"
done

# valid outputs
r=$(java -jar /usr/share/java/epubcheck.jar "$epub" 2>&1)
echo "$r" | grep -qE '^(ERROR|FATAL|WARNING)' && fail "EPUBCheck: $(echo "$r" | grep -E '^(ERROR|FATAL|WARNING)' | head -5)"
qpdf --check "$pdf" >/dev/null 2>&1 || fail "qpdf --check fails on the hostile PDF"

# nothing from outside the archive, nothing active
x="$dir/x"
mkdir "$x"
(cd "$x" && unzip -q "$epub") || fail "unzip"
passwd_line=$(head -n 1 /etc/passwd)
grep -rqF "$passwd_line" "$x" && fail "/etc/passwd content inside the EPUB"
pdftotext "$pdf" - | grep -qF "$passwd_line" && fail "/etc/passwd content inside the PDF"
grep -rqiE '<script|javascript:|onclick=|onload=|<iframe|<form' "$x" && fail "active content inside the EPUB"
grep -rqE $'\u202e|\u202d|\u2066|\u2069|\uFFFE' "$x" && fail "bidi controls or U+FFFE inside the EPUB"
find "$x" -name '*passwd*' | grep -q . && fail "a file named passwd was packaged"

# --strict: the same run exits 4 and still writes
kq_run export -q --strict -f epub -o "$out/strict.epub" "$dir/archive"
expect_status 4
[ -f "$out/strict.epub" ] || fail "--strict must still write the edition"
pass
