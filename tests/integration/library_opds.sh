#!/usr/bin/env bash
# library_opds.sh: `kiosque library DIR` (issue 16, item 5): an OPDS 1.2 acquisition catalog
# read from the EPUBs themselves, newest first, paged past 50 with next/previous links, one
# entry per edition (title, period, language, article count, thumbnail, EPUB and PDF links),
# every link resolving to a file; parsed by a real OPDS client library (opds-feed-parser,
# npm, in tests/opds-client; that part is skipped where Node is absent); `export --library`
# refreshes it; a damaged EPUB is named and left out; stale pages and covers are removed.
# The OPDS 1.2 RelaxNG schema (opds-community/specs, schema/1.2/opds.rnc) could not be
# obtained here (no network but package registries): the structure is checked below instead.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"

dir=$(kq_tmpdir)
cd "$dir" || fail "cd"
export XDG_CONFIG_HOME="$dir/xdg" XDG_STATE_HOME="$dir/state"
mkdir arch lib
# 53 days of articles, one in three in English
for i in $(seq 1 53); do
  d=$(date -u -d "2026-01-01 +$((i - 1)) days" +%F)
  l=fr; t="Article numéro $i"
  [ $((i % 3)) -eq 0 ] && l=en && t="Article number $i"
  printf -- '---\ntitle: %s\ndate: %s\nlang: %s\n---\n\nCorps de l’article %s.\n' "$t" "$d" "$l" "$i" \
    > "arch/a$i.md"
done
# one edition per day (53 EPUBs), the last two days also as PDF
kq_run export -q -f epub --split --group-by day -o lib/ arch
expect_status 0
kq_run export -q -f epub,pdf --split --group-by day --since 2026-02-21 -o lib/ arch
expect_status 0
[ "$(ls lib/*.epub | wc -l)" -eq 53 ] || fail "expected 53 EPUBs"
# a damaged EPUB is named and left out; a name that needs escaping
printf 'not a zip' > lib/broken.epub
cp lib/revue-de-presse-tech-2026-01-05.epub "lib/édition spéciale #1.epub"

kq_run library lib
expect_status 0
grep -qx "kiosque: warning: lib/broken.epub: not a readable EPUB (zip: Not a zip archive): left out of the library" \
  "$KQ_ERR" || fail "the broken EPUB not named: $(cat "$KQ_ERR")"
grep -qx "lib/catalog.xml" "$KQ_OUT" && grep -qx "lib/catalog-2.xml" "$KQ_OUT" &&
  grep -qx "lib/index.html" "$KQ_OUT" || fail "written files not listed: $(cat "$KQ_OUT")"
for f in lib/catalog.xml lib/catalog-2.xml; do
  xmllint --noout "$f" || fail "$f: not well-formed"
done
ls lib/.catalog* lib/.index* 2>/dev/null | grep -v '\.lock$' && fail "temporary files left"

# structure, order, paging, links (python: the checks a reading app relies on)
python3 - lib <<'EOF' || fail "catalog structure"
import os, re, sys, urllib.parse, xml.etree.ElementTree as ET
lib = sys.argv[1]
A = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/terms/}"
ACQ = "application/atom+xml;profile=opds-catalog;kind=acquisition"
def links(node):
    return [(l.get("rel"), l.get("href"), l.get("type")) for l in node.findall(A + "link")]
def target(href):
    assert not re.match(r"^[a-z]+:", href), href          # relative: works served and from disk
    path = os.path.join(lib, urllib.parse.unquote(href))
    assert os.path.isfile(path), "link to a missing file: " + href
    return path
pages = [ET.parse(os.path.join(lib, p)).getroot() for p in ("catalog.xml", "catalog-2.xml")]
assert not os.path.exists(os.path.join(lib, "catalog-3.xml"))
entries = []
for n, feed in enumerate(pages, 1):
    assert feed.tag == A + "feed"
    for tag in ("id", "title", "updated"):
        assert feed.find(A + tag) is not None and feed.find(A + tag).text, tag
    rels = {r: (h, t) for r, h, t in links(feed)}
    assert rels["self"] == (["catalog.xml", "catalog-2.xml"][n - 1], ACQ), rels
    assert rels["start"] == ("catalog.xml", ACQ)
    assert rels["first"][0] == "catalog.xml" and rels["last"][0] == "catalog-2.xml"
    if n == 1:
        assert rels["next"] == ("catalog-2.xml", ACQ) and "previous" not in rels
    else:
        assert rels["previous"] == ("catalog.xml", ACQ) and "next" not in rels
    for r, h, t in links(feed):
        target(h)
    entries += feed.findall(A + "entry")
assert len(pages[0].findall(A + "entry")) == 50
assert len(entries) == 54, len(entries)       # 53 days + the copy with an odd name, not broken.epub
dates = [e.find(A + "updated").text for e in entries]
assert dates == sorted(dates, reverse=True), "not newest first"
assert dates[0].startswith("2026-02-22"), dates[0]
pdfs = 0
for e in entries:
    title = e.find(A + "title").text
    assert title and e.find(A + "id").text.startswith("urn:"), title
    lang = e.find(DC + "language").text
    assert lang in ("fr", "en"), lang
    summary = e.find(A + "summary")
    assert summary.get("type") == "text"
    # period and article count
    assert re.match(r"^.+ · 1 article$", summary.text), summary.text
    rels = {}
    for r, h, t in links(e):
        rels.setdefault(r, []).append((h, t))
        target(h)
    assert rels["http://opds-spec.org/image/thumbnail"][0][1] == "image/jpeg"
    assert rels["http://opds-spec.org/image"][0][1] == "image/jpeg"
    acq = rels["http://opds-spec.org/acquisition"]
    assert acq[0][1] == "application/epub+zip" and acq[0][0].endswith(".epub"), acq
    if len(acq) == 2:
        assert acq[1][1] == "application/pdf" and acq[1][0].endswith(".pdf")
        pdfs += 1
assert pdfs == 2, pdfs
odd = [e for e in entries if any("%C3%A9dition%20sp%C3%A9ciale%20%231.epub" == h
                                 for r, h, t in links(e))]
assert len(odd) == 1, "the odd name is not escaped as a URL"
# the thumbnail is a small JPEG of the cover
from struct import unpack
thumb = open(target(links(entries[0])[1][1]), "rb").read()
assert thumb[:2] == b"\xff\xd8", "thumbnail is not a JPEG"
EOF

# a real OPDS client library reads every page
if command -v node >/dev/null && command -v npm >/dev/null; then
  client="$KQ_TESTS/opds-client"
  if [ ! -d "$client/node_modules/opds-feed-parser" ]; then
    (cd "$client" && npm ci --no-audit --no-fund >"$dir/npm.log" 2>&1) ||
      { echo "SKIP part: npm ci failed (offline?): $(tail -3 "$dir/npm.log")"; client=""; }
  fi
  if [ -n "$client" ]; then
    node "$client/check.js" lib/catalog.xml lib/catalog-2.xml > parsed.jsonl ||
      fail "opds-feed-parser refused the catalog"
    python3 - parsed.jsonl <<'EOF' || fail "opds-feed-parser does not see the catalog as written"
import json, sys
pages = [json.loads(l) for l in open(sys.argv[1])]
assert [p["kind"] for p in pages] == ["AcquisitionFeed", "AcquisitionFeed"], pages[0]["kind"]
n = 0
for p in pages:
    for e in p["entries"]:
        n += 1
        kinds = [l["kind"] for l in e["links"]]
        assert kinds.count("OPDSArtworkLink") == 2, kinds
        assert "OPDSAcquisitionLink" in kinds, kinds
        assert e["language"] in ("fr", "en") and e["summary"].endswith("1 article"), e
        assert e["title"] and e["issued"], e
assert n == 54, n
rels = {l["rel"] for l in pages[0]["links"]}
assert {"self", "start", "next"} <= rels, rels
EOF
    echo "opds-feed-parser: $(wc -l < parsed.jsonl) pages parsed"
  fi
else
  echo "SKIP part: Node.js absent, opds-feed-parser not run"
fi

# index.html: the same shelf, every link and picture a file
python3 - lib <<'EOF' || fail "index.html"
import html.parser, os, sys, urllib.parse
lib = sys.argv[1]
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.refs = []; self.items = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "li": self.items += 1
        for k in ("href", "src"):
            if k in a and not a[k].startswith("data:"): self.refs.append(a[k])
p = P(); p.feed(open(os.path.join(lib, "index.html"), encoding="utf-8").read())
assert p.items == 54, p.items
for r in p.refs:
    assert os.path.isfile(os.path.join(lib, urllib.parse.unquote(r))), "missing: " + r
EOF

# removing editions removes their covers and the second page
rm lib/revue-de-presse-tech-2026-01-0*.epub
kq_run library -q lib
expect_status 0
[ ! -e lib/catalog-2.xml ] || fail "a stale second page kept"
ls lib/covers | grep -q "2026-01-01" && fail "a stale cover kept"
[ "$(grep -c '<entry>' lib/catalog.xml)" -eq 45 ] || fail "not 45 entries after removal"

# export --library refreshes the shelf of the folder written to
mkdir shelf
kq_run export -q -f epub --month 2026-01 --library -o shelf/ arch
expect_status 0
grep -q "<entry>" shelf/catalog.xml && [ -f shelf/index.html ] || fail "--library: no catalog"
[ "$(cat "$KQ_OUT")" = "shelf/revue-de-presse-tech-2026-01.epub" ] ||
  fail "--library: stdout must list the editions only: $(cat "$KQ_OUT")"
kq_run export -q -f epub --month 2026-02 --library -o shelf/ arch
[ "$(grep -c '<entry>' shelf/catalog.xml)" -eq 2 ] || fail "--library: the second edition not added"
grep -o '<updated>[^<]*' shelf/catalog.xml | sed -n 2p | grep -q 2026-02 ||
  fail "--library: the newest edition not first"

# a missing folder is an error (status 4), never an empty catalog
kq_run library "$dir/nowhere"
expect_status 4
grep -q "error: library: $dir/nowhere: " "$KQ_ERR" || fail "missing folder not named"
pass
