#!/usr/bin/env bash
# epub_hostile.sh: untrusted content (script tags, event handlers, javascript:/data:/file: links,
# images escaping the input paths, a 2 MB paragraph, control characters, U+FFFE, bidi overrides,
# soft hyphens) exports to a valid EPUB with none of it inside (issue 5, hostile fixture).
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require python3 python3
kq_require unzip unzip
jar=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}
[ -f "$jar" ] || skip "EPUBCheck not found at $jar (Debian package epubcheck)"
kq_require java default-jre-headless
work=$(kq_tmpdir)
in="$work/archive/inputs"
mkdir -p "$in"
cp "$KQ_TESTS"/fixtures/epub/hostile/* "$in/"
cp -r "$KQ_TESTS"/fixtures/epub/images "$in/"
# a symbolic link out of the archive, used as an image
ln -s /etc/passwd "$in/images/pics/link.png"
printf '\n![lien symbolique](pics/link.png)\n' >>"$in/images/article.md"
# a 2 MB single paragraph
python3 - "$in/huge.md" <<'PY'
import sys
words = "kiosque lit une archive hostile sans broncher et produit un EPUB valide".split()
para = " ".join(words[i % len(words)] for i in range(400000))[:2 * 1024 * 1024]
open(sys.argv[1], "w").write("---\ntitle: Un paragraphe de deux mégaoctets\ndate: 2026-01-20\nlang: fr\n---\n\n"
                             + para + "\n")
PY

kq_run export -f epub -o "$work/hostile.epub" "$in"
expect_status 0
grep -q "passwd.*outside the paths\|outside the paths.*passwd" "$KQ_ERR" || fail "no warning for the escaping image"
grep -q "link.png.*outside the paths" "$KQ_ERR" || fail "no warning for the symlink escaping the archive"
grep -q "remote images\? not fetched (use --fetch-images)" "$KQ_ERR" || fail "no warning for remote images"

java -jar "$jar" "$work/hostile.epub" >"$work/epubcheck.log" 2>&1 ||
  { cat "$work/epubcheck.log" >&2; fail "EPUBCheck rejects the hostile EPUB"; }
grep -q 'Messages: 0 fatals / 0 errors / 0 warnings' "$work/epubcheck.log" ||
  { cat "$work/epubcheck.log" >&2; fail "EPUBCheck warnings on the hostile EPUB"; }

x="$work/x"
mkdir "$x"
(cd "$x" && unzip -q "$work/hostile.epub") || fail "unzip"
# 1. markup and URL schemes that must never reach the package
for pat in '<script' '<iframe' '<form' '<input' '<object' '<embed' '<style' '<svg' \
           'javascript:' 'vbscript:' 'data:' 'file:' 'src="http' 'src="/' 'src="..' \
           'xlink:href' '&xxe;' 'root:x:0:0' 'alert(1)'; do
  hits=$(grep -rlF -- "$pat" "$x" | grep -v '/images/' || true)
  [ -z "$hits" ] || fail "'$pat' found in: $hits"
done
# event handler attributes (on...=) in any markup
if grep -rEl '<[^>]*[[:space:]]on[a-z]+[[:space:]]*=' "$x" --include='*.xhtml' --include='*.opf' --include='*.ncx'; then
  fail "event handler attribute in the package"
fi
# 2. characters that must never reach the package (in every text entry)
python3 - "$x" <<'PY' || fail "forbidden characters in the package"
import os, re, sys
bad = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]")
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        if f.endswith((".xhtml", ".opf", ".ncx", ".xml", ".css")):
            text = open(os.path.join(root, f), encoding="utf-8").read()
            m = bad.search(text)
            assert not m, "%s: U+%04X" % (f, ord(m.group()))
PY
# 3. every image is a core media type sniffed from its bytes; no SVG script survives
for f in "$x"/OEBPS/images/*; do
  case "$(file -b --mime-type "$f")" in
    image/jpeg|image/png|image/gif) ;;
    *) fail "$f is $(file -b --mime-type "$f")" ;;
  esac
done
[ "$(ls "$x"/OEBPS/images | wc -l)" -ge 6 ] || fail "local images were not packaged"
# 4. the 2 MB paragraph is all there, in one document
big=$(grep -l "deux mégaoctets" "$x"/OEBPS/art-*.xhtml)
[ "$(stat -c %s "$big")" -gt 2000000 ] || fail "the 2 MB paragraph was truncated"
# 5. text around the dropped things is kept; safe links survive
grep -rq 'href="https://example.org/ok?a=1&amp;b=%3C2%3E"' "$x/OEBPS" || fail "the safe link was lost"
grep -rq 'Faux PNG' "$x/OEBPS" || fail "the alt text of a dropped image was lost"
pass
