#!/usr/bin/env python3
"""generate.py DIR: writes the large and structural hostile cases into DIR (an archive
folder), next to copies of the small static cases of tests/hostile/. Not committed as
files because of their size (100 MB) or because they are symlinks."""
import os, shutil, struct, sys, zlib

out = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(out, exist_ok=True)
for name in os.listdir(here):
    if name not in ("generate.py",) and os.path.isfile(os.path.join(here, name)):
        shutil.copy(os.path.join(here, name), out)

def png(width, height, body=True):
    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    if body:
        raw = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
        data += chunk(b"IDAT", zlib.compress(raw))
    else:  # a header promising 30000x30000 pixels, then a tiny truncated stream
        data += chunk(b"IDAT", zlib.compress(b"\0" * 64))
    return data + chunk(b"IEND", b"")

os.makedirs(os.path.join(out, "img"), exist_ok=True)
open(os.path.join(out, "img", "one-pixel.png"), "wb").write(png(1, 1))
open(os.path.join(out, "img", "huge-header.png"), "wb").write(png(30000, 30000, body=False))
open(os.path.join(out, "img", "not-an-image.jpg"), "wb").write(b"GIF89a but really text")

with open(os.path.join(out, "images.md"), "w") as f:
    f.write("---\ntitle: Hostile images\ndate: 2026-02-10\nlang: en\n---\n\n"
            "A one-pixel PNG: ![one pixel](img/one-pixel.png)\n\n"
            "A PNG header of 30000x30000 pixels: ![huge](img/huge-header.png)\n\n"
            "Not an image: ![fake](img/not-an-image.jpg) and ![fake2](images-not-image.png)\n\n"
            "Outside the archive: ![passwd](../../../../../../etc/passwd) "
            "![abs](/etc/passwd) ![fileurl](file:///etc/passwd) ![remote](https://example.org/x.png)\n\n"
            "Through a symlink: ![link](outside-link/passwd)\n")

# 100 MB on a single line (over the default 16 MB cap: skipped with a warning)
with open(os.path.join(out, "single-line-100mb.txt"), "wb") as f:
    chunk = b"Lorem ipsum dolor sit amet " * 4096
    for _ in range(100 * 1024 * 1024 // len(chunk) + 1):
        f.write(chunk)

# 10,000-level nested HTML (under the cap: read, depth capped with a warning)
with open(os.path.join(out, "nested-10000.html"), "w") as f:
    f.write("<!DOCTYPE html><html lang='en'><head><title>Nested ten thousand levels</title></head><body>")
    f.write("<div>" * 10000 + "<p>Deep text at the bottom of ten thousand divs.</p>" + "</div>" * 10000)
    f.write("<article><p>" + "Readable text near the surface. " * 20 + "</p></article></body></html>")
with open(os.path.join(out, "nested-10000.md"), "w") as f:
    f.write("---\ntitle: Nested quotes\n---\n\n" + "> " * 10000 + "deep\n")

# a title of 100,000 characters
with open(os.path.join(out, "long-title.md"), "w") as f:
    f.write("---\ntitle: \"" + "Titre interminable " * 5263 + "\"\ndate: 2026-02-11\nlang: fr\n---\n\nCorps.\n")

# symlinks: outside the archive, and a loop
os.symlink("/etc", os.path.join(out, "outside-link"))
os.symlink("/etc/passwd", os.path.join(out, "passwd.txt"))
os.makedirs(os.path.join(out, "loop"), exist_ok=True)
os.symlink("..", os.path.join(out, "loop", "up"))
os.symlink("self-b.md", os.path.join(out, "self-a.md"))
os.symlink("self-a.md", os.path.join(out, "self-b.md"))
