#!/usr/bin/env python3
# pgmdiff.py GOLDEN PAGE: compares two grey PGM renderings, tolerant to anti-aliasing: a moved
# line or a changed break fails (mean difference, strongly differing pixels, ink rows changed).
import sys
def pgm(path):
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:                      # P5 width height maxval, comments skipped
        while data[pos:pos + 1].isspace(): pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1; continue
        end = pos
        while not data[end:end + 1].isspace(): end += 1
        fields.append(data[pos:end]); pos = end
    return int(fields[1]), int(fields[2]), data[pos + 1:]
gw, gh, g = pgm(sys.argv[1]); pw, ph, p = pgm(sys.argv[2])
if (gw, gh) != (pw, ph):
    print(f"size {pw}x{ph}, golden {gw}x{gh}"); sys.exit(1)
n = gw * gh
diff = [abs(a - b) for a, b in zip(g, p)]
mean = sum(diff) / n
strong = sum(1 for d in diff if d > 96) / n
# ink rows: a line moved up or down changes which rows carry text
rows = lambda img: [sum(1 for x in range(gw) if img[y * gw + x] < 128) > 0 for y in range(gh)]
moved = sum(1 for a, b in zip(rows(g), rows(p)) if a != b)
print(f"mean difference {mean:.3f} levels, {strong:.4%} pixels differ strongly, {moved} ink rows changed")
sys.exit(0 if mean < 1.5 and strong < 0.004 and moved <= 3 else 1)
