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
python3 - "$golden" "$page" <<'PY' || fail "page 4 differs from the golden image"
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
PY
pass
