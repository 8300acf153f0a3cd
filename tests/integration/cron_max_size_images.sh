#!/usr/bin/env bash
# cron_max_size_images.sh: --max-size scales large pictures down before it splits an edition
# into volumes: an archive whose only bulk is one 3000x2000 photo fits in one file.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require python3 python3
kq_require unzip unzip
kq_require pdfimages poppler-utils

dir=$(kq_tmpdir)
arch="$dir/archive"
mkdir -p "$arch/img" "$dir/out"
# a 3000x2000 PNG of noise: ~18 MB that no compression saves
python3 - "$arch/img/photo.png" <<'EOF' || fail "cannot make the test picture"
import os, struct, sys, zlib
w, h = 3000, 2000
def chunk(kind, data):
    c = kind + data
    return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)
raw = b"".join(b"\0" + os.urandom(w * 3) for _ in range(h))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))
open(sys.argv[1], "wb").write(png)
EOF
for i in 1 2; do
  cat >"$arch/a$i.md" <<EOF
---
title: Article $i with a large photo
date: 2026-02-0$i
lang: en
---

A paragraph of text.

![A large photo](img/photo.png)
EOF
done

# without --max-size the photo is kept as it is (over 10 MB)
kq_run export -q -f epub -o "$dir/out/full.epub" "$arch"
expect_status 0
[ "$(stat -c %s "$dir/out/full.epub")" -gt 10000000 ] || fail "the unlimited EPUB should carry the full photo"

# with --max-size 10M: one file, under the size, the photo scaled to 1600 px
for fmt in epub pdf; do
  kq_run export -q -f "$fmt" --max-size 10M -o "$dir/out/small.$fmt" "$arch"
  expect_status 0
  [ "$(wc -l <"$KQ_OUT")" -eq 1 ] || fail "$fmt: split into volumes instead of scaling: $(cat "$KQ_OUT")"
  size=$(stat -c %s "$(cat "$KQ_OUT")")
  [ "$size" -le 10485760 ] || fail "$fmt: $size bytes, over --max-size"
done
x="$dir/x"
mkdir "$x"
(cd "$x" && unzip -q "$dir/out/small.epub") || fail "unzip"
dims=$(file "$x"/OEBPS/images/img-* | grep -oE '[0-9]+ ?x ?[0-9]+' | head -n 1 | tr -d ' ')
[ "${dims%x*}" -le 1600 ] && [ "${dims#*x}" -le 1600 ] || fail "EPUB image not scaled down: $dims"
w=$(pdfimages -list "$dir/out/small.pdf" | awk 'NR>2 {print $4; exit}')
[ -n "$w" ] && [ "$w" -le 1600 ] || fail "PDF image not scaled down: width $w"
pass
