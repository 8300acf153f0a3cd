#!/usr/bin/env bash
# log_sink.sh: one structured log sink (issue 13 item 5, issue 12 item 3). With
# --log-format json every warning about an input carries that input's "path" (and its
# "line", a number, where known), from the readers and from either writer; no warning
# repeats its path in its message; every line is valid JSON and valid UTF-8 even for file
# names that are not; in text mode names and titles holding newlines or terminal escapes
# are shown escaped (\n, \x1b), so they can neither forge a log line nor drive a terminal.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require python3 python3

dir=$(kq_tmpdir)
a="$dir/archive"
mkdir -p "$a" "$dir/out"
cat > "$a/good.md" <<'EOF'
---
title: Un article valide
date: 2026-01-15
lang: fr
---

Ce texte est lisible. ![logo](absent.png)
EOF
printf -- '---\ntitle: Bad\n---\n\nline 5: Caf\xe9 au lait\n' > "$a/invalid-utf8.md"
printf '<?xml version="1.0"?>\n<rss version="2.0">\n<channel>\n<item><title>x</title>\n</rss>\n' \
  > "$a/broken.rss"
printf '<html><head></head><body></body></html>\n' > "$a/empty.html"
# names a user cannot see in a log: a newline forging a line, an escape sequence, a byte
# that is not UTF-8
forged=$'x\nkiosque: error: forged\n.md'
printf -- '# T\x1b]0;owned\x07 \x1b[31mred\n\nText ![i](nope.png)\n' > "$a/$forged"
printf -- '---\ntitle: Escape\n---\n\nText.\n' > "$a/"$'esc\x1b[2J'".md"
printf -- '---\ntitle: Latin-1 name\n---\n\nText.\n' > "$a/"$'caf\xe9'".md"

kq_run export --log-format json -f epub,pdf -o "$dir/out/ed.epub" "$a"
expect_status 0
python3 - "$KQ_ERR" "$a" <<'EOF' || fail "--log-format json contract"
import json, sys
raw = open(sys.argv[1], "rb").read()
raw.decode("utf-8")                                   # every line valid UTF-8
lines = [json.loads(l) for l in raw.decode().splitlines()]   # every line valid JSON
warn = [l for l in lines if l["level"] == "warning"]
assert warn, "no warning at all"
for l in warn:
    assert "path" in l, f"warning without a path: {l}"
    assert l["path"] not in l["message"], f"path repeated in the message: {l}"
    if "line" in l:
        assert isinstance(l["line"], int) and l["line"] > 0, l
    assert not l["message"].startswith("line "), f"line number as text: {l}"
def about(name):
    return [l for l in warn if l["path"].endswith(name)]
# readers: the line travels as a number
u = about("invalid-utf8.md")
assert len(u) == 1 and u[0].get("line") == 5, u
b = about("broken.rss")
assert len(b) == 1 and isinstance(b[0].get("line"), int), b
e = about("empty.html")
assert len(e) == 1 and "no title and no text" in e[0]["message"], e
# the image warning (one for both writers: one image resolver) names the input
g = [l for l in about("good.md") if "absent.png" in l["message"]]
assert len(g) == 1, f"one image warning naming good.md expected: {g}"
f = [l for l in warn if "forged" in l["path"]]
assert f and all("\n" in l["path"] for l in f), f    # JSON escapes the newline itself
EOF

# each writer alone names the input of its warnings too
for fmt in epub pdf; do
  kq_run export --log-format json -f $fmt -o "$dir/out/one.$fmt" "$a"
  expect_status 0
  python3 - "$KQ_ERR" <<'PY' || fail "--log-format json, -f $fmt: image warning without its input's path"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
g = [l for l in lines if "absent.png" in l["message"]]
assert len(g) == 1 and g[0].get("path", "").endswith("good.md"), g
PY
done

# text mode: one line per message, nothing raw
kq_run export -f epub,pdf -o "$dir/out/ed.epub" "$a"
expect_status 0
grep -q '^kiosque: error: forged' "$KQ_ERR" && fail "a file name forged a log line"
grep -q $'\x1b' "$KQ_ERR" && fail "an escape sequence reached stderr raw"
grep -qF 'x\nkiosque: error: forged\n.md' "$KQ_ERR" || fail "newline in a name not shown as \\n"
printf -- '---\ntitle: [broken\n---\n\nText.\n' > "$a/"$'esc\x1b[2J'".md"
kq_run export -f epub -o "$dir/out/ed.epub" "$a"
grep -qF 'esc\x1b[2J.md' "$KQ_ERR" || fail "escape sequence in a name not shown as \\x1b"
n=$(grep -c '^kiosque: ' "$KQ_ERR")
[ "$n" -eq "$(wc -l < "$KQ_ERR")" ] || fail "a message spans several lines"
# no path printed twice
grep -E '^kiosque: warning: ([^:]+): \1' "$KQ_ERR" && fail "a path printed twice"

# list: titles escaped on the terminal, list --json valid UTF-8
kq_run list "$a"
expect_status 0
grep -q $'\x1b' "$KQ_OUT" && fail "list printed an escape sequence raw"
kq_run list --json "$a"
expect_status 0
python3 - "$KQ_OUT" <<'EOF' || fail "list --json is not valid UTF-8 JSON"
import json, sys
arts = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
# the article whose file name is not UTF-8 is listed (its name escaped or cleaned)
assert any(a["title"] == "Latin-1 name" for a in arts), [a["path"] for a in arts]
EOF
pass
