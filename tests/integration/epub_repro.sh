#!/usr/bin/env bash
# epub_repro.sh: the EPUB is reproducible: two exports of the same input in different time zones
# and locales are byte-identical; dates come from SOURCE_DATE_EPOCH, else the newest article
# (design.md, "Output is reproducible").
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require python3 python3
kq_require unzip unzip
corpus="$KQ_TESTS/corpus"
out=$(kq_tmpdir)

run() { # run NAME ENV... : exports the corpus to $out/NAME.epub with the given environment
  local name=$1; shift
  env "$@" "$KQ_BIN" export -f epub -o "$out/$name.epub" "$corpus" >/dev/null 2>"$KQ_ERR" ||
    fail "export $name failed"
}

run utc TZ=UTC LC_ALL=C
run auckland TZ=Pacific/Auckland LC_ALL=C.UTF-8
run honolulu TZ=Pacific/Honolulu
cmp "$out/utc.epub" "$out/auckland.epub" || fail "UTC and Pacific/Auckland exports differ"
cmp "$out/utc.epub" "$out/honolulu.epub" || fail "UTC and Pacific/Honolulu exports differ"

# Without SOURCE_DATE_EPOCH: every zip time and dcterms:modified is the newest article's
# instant, in UTC.
python3 - "$out/utc.epub" "$out/auckland.epub" <<'PY' || fail "zip entry times / dcterms:modified"
import re, sys, zipfile
for path in sys.argv[1:]:
    z = zipfile.ZipFile(path)
    infos = z.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    times = {i.date_time for i in infos}
    assert len(times) == 1, times
    opf = z.read("OEBPS/content.opf").decode()
    m = re.search(r'dcterms:modified">(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z<', opf)
    assert m, "no dcterms:modified"
    stamp = tuple(int(x) for x in m.groups())
    t = times.pop()
    # DOS times have a 2-second resolution
    assert t[:5] == stamp[:5] and t[5] == stamp[5] - stamp[5] % 2, (t, stamp)
PY

# With SOURCE_DATE_EPOCH: that instant everywhere, in any zone; another value, other bytes.
run sde1 TZ=UTC SOURCE_DATE_EPOCH=1775000000
run sde2 TZ=Asia/Kolkata SOURCE_DATE_EPOCH=1775000000
run sde3 TZ=UTC SOURCE_DATE_EPOCH=1775000100
cmp "$out/sde1.epub" "$out/sde2.epub" || fail "SOURCE_DATE_EPOCH exports differ across zones"
cmp -s "$out/sde1.epub" "$out/sde3.epub" && fail "SOURCE_DATE_EPOCH is ignored"
unzip -p "$out/sde1.epub" OEBPS/content.opf |
  grep -q '<meta property="dcterms:modified">2026-03-31T23:33:20Z</meta>' ||
  fail "dcterms:modified is not SOURCE_DATE_EPOCH"
python3 - "$out/sde1.epub" <<'PY' || fail "zip times are not SOURCE_DATE_EPOCH in UTC"
import sys, zipfile
for i in zipfile.ZipFile(sys.argv[1]).infolist():
    assert i.date_time == (2026, 3, 31, 23, 33, 20), i.date_time
    assert i.extra == b"", i.filename
PY
# A date before 1980 is clamped to the first DOS date, not wrapped.
run old TZ=UTC SOURCE_DATE_EPOCH=86400
python3 - "$out/old.epub" <<'PY' || fail "SOURCE_DATE_EPOCH before 1980"
import sys, zipfile
for i in zipfile.ZipFile(sys.argv[1]).infolist():
    assert i.date_time == (1980, 1, 1, 0, 0, 0), i.date_time
PY

# Same articles, same identifier; the split volumes get their own.
id_of() { unzip -p "$1" OEBPS/content.opf | grep -o 'urn:uuid:[0-9a-f-]*'; }
[ "$(id_of "$out/utc.epub")" = "$(id_of "$out/sde1.epub")" ] || fail "identifier depends on the date"
pass
