#!/usr/bin/env bash
# pdf_uncovered_glyphs.sh (issue 12 item 6, "say what was lost"): articles in Chinese,
# Japanese, Korean, Thai and with emoji beside the good sample archive. Characters that no
# installed font covers come out as boxes in the PDF: the export still exits 0 with valid
# outputs, and each such input is named in exactly one warning that names the scripts and
# the Debian package covering them (fonts-noto-cjk, fonts-noto-color-emoji, fonts-noto-core).
# Expectations follow what the PDF shows (pdftotext gives back drawn characters, not boxes),
# so the test holds on a machine that has those fonts too (then no warning is expected).
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
dir=$(kq_tmpdir)
arch="$dir/archive"
mkdir -p "$arch" "$dir/out"
cp -r "$KQ_TESTS/corpus/." "$arch/"
python3 - "$arch" <<'PY' || fail "generator"
import sys
d = sys.argv[1]
def md(name, title, body, date):
    with open(f"{d}/{name}", "w", encoding="utf-8") as f:
        f.write(f"---\ntitle: \"{title}\"\ndate: {date}\nurl: https://ex.org/{name}\n---\n\n{body}\n")
md("cjk.md", "中文标题 et かな", "这是一个中文段落。ひらがなとカタカナ。한국어 문단입니다.", "2026-01-12")
md("emoji.md", "Emoji 🪐 title", "Un paragraphe avec 🧑 et 🚀 dedans.", "2026-01-13")
md("thai.md", "Thai ภาษาไทย", "ข้อความภาษาไทยในย่อหน้า", "2026-01-14")
md("latin.md", "Plain title", "Nothing but Latin text, é à ç œ.", "2026-01-15")
PY
kq_run export -f epub,pdf -o "$dir/out/ed.pdf" "$arch"
expect_status 0
qpdf --check "$dir/out/ed.pdf" >/dev/null 2>&1 || fail "qpdf --check fails"
r=$(java -jar /usr/share/java/epubcheck.jar "$dir/out/ed.epub" 2>&1)
echo "$r" | grep -qE '^(ERROR|FATAL|WARNING)' && fail "EPUBCheck: $(echo "$r" | grep -E '^(ERROR|FATAL|WARNING)' | head -5)"
# The oracle is the PDF itself: a character Pango drew with a real glyph comes back from
# pdftotext; one it could not (a hex box) does not. Warned about <=> not drawn.
drawn=$(pdftotext "$dir/out/ed.pdf" -)
# expect FILE CHARACTER SCRIPT PACKAGE
expect() {
  local f=$1 ch=$2 script=$3 pkg=$4 n
  n=$(grep -c "warning: .*/$f: .*no installed font covers" "$KQ_ERR")
  if echo "$drawn" | grep -qF "$ch"; then
    grep -q "warning: .*/$f: .*no installed font covers.*$script" "$KQ_ERR" &&
      fail "$f: $ch is drawn, yet a warning names $script"
  else
    [ "$n" -eq 1 ] || fail "$f: $ch not drawn, and named in $n coverage warnings, not exactly one"
    grep -q "warning: .*/$f: .*no installed font covers.*$script.*install.*$pkg" "$KQ_ERR" ||
      fail "$f: $ch not drawn, and no warning names $script and $pkg"
  fi
}
expect cjk.md 中 Hani fonts-noto-cjk
expect cjk.md ひ Hira fonts-noto-cjk
expect cjk.md 한 Hang fonts-noto-cjk
expect emoji.md 🪐 emoji fonts-noto-color-emoji
expect thai.md ข Thai fonts-noto-core
grep -q "latin.md" "$KQ_ERR" && fail "latin.md warned about: $(grep latin.md "$KQ_ERR")"
# the sample archive's own articles are all covered: no coverage warning names them
grep "no installed font covers" "$KQ_ERR" | grep -vE "/(cjk|emoji|thai).md:" && fail "a good article warned"
# the articles are in the PDF all the same, the good ones too
pdftotext "$dir/out/ed.pdf" - | grep -q "Emoji" || fail "the emoji article is missing"
expect_corpus_in_pdf "$dir/out/ed.pdf"
pass
