#!/usr/bin/env bash
# cli_list.sh: `kiosque list` on the sample archive: grouping, filters, JSON fields, and the
# seed page dump read back exactly (issue: foundation, "Done when").
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require python3 python3
corpus="$KQ_TESTS/corpus"
seed="$corpus/seed-deepseek-h200.txt"

# 1. the archive, grouped by month, with no warning
kq_run list "$corpus"
expect_status 0
[ -s "$KQ_ERR" ] && fail "the sample archive must read without warnings"
grep -q "^Janvier 2026 (" "$KQ_OUT" || fail "no 'Janvier 2026' group"
grep -q "^Février 2026 (" "$KQ_OUT" || fail "no 'Février 2026' group"
grep -q "^Mars 2026 (" "$KQ_OUT" || fail "no 'Mars 2026' group"

# 2. JSON: fields and types of design.md, parsed back
json="$(kq_tmpdir)/all.json"
"$KQ_BIN" list --json --body "$corpus" >"$json" || fail "list --json failed"
python3 - "$json" <<'EOF' || fail "list --json contract"
import json, sys
arts = json.load(open(sys.argv[1]))
assert len(arts) >= 12, len(arts)
fields = {"id": str, "path": str, "format": str, "authors": list, "topics": list,
          "sources": list, "words": int, "group": str, "group_title": str, "text": str}
nullable = {"title": str, "standfirst": str, "site": str, "url": str, "published": str,
            "updated": str, "lang": str, "views": int}
for a in arts:
    for k, t in fields.items():
        assert isinstance(a[k], t), (k, a[k])
    for k, t in nullable.items():
        assert a[k] is None or isinstance(a[k], t), (k, a[k])
    assert a["format"] in ("html", "feed", "markdown", "json", "text")
langs = {a["lang"] for a in arts}
assert {"fr", "en"} <= langs, langs
months = {a["published"][:7] for a in arts if a["published"]}
assert len(months) >= 3, months
topics = {t for a in arts for t in a["topics"]}
assert len(topics) >= 4, topics
formats = {a["format"] for a in arts}
assert {"markdown", "text"} <= formats, formats
ids = [a["id"] for a in arts]
assert len(ids) == len(set(ids)), "ids must be unique after dedupe"
# reading order: groups chronological, dates non-decreasing
dates = [a["published"][:10] for a in arts if a["published"]]
assert dates == sorted(dates), dates
EOF

# 3. the seed page dump (plain-text reader)
kq_run list --json --body "$seed"
expect_status 0
python3 - "$KQ_OUT" <<'EOF' || fail "seed page dump fields"
import json, sys
(a,) = json.load(open(sys.argv[1]))
assert a["title"] == ("La Chine approuve conditionnellement l'achat de puces NVIDIA H200 "
                      "par DeepSeek dans un virage stratégique"), a["title"]
assert a["published"] == "2026-01-30", a["published"]
assert a["lang"] == "fr", a["lang"]
assert a["topics"] == ["Technologie"], a["topics"]
assert a["views"] == 448, a["views"]
assert a["sources"] == ["Reuters", "TrendForce", "South China Morning Post", "The Information"], a["sources"]
assert a["format"] == "text"
paras = [p for p in a["text"].split("\n\n") if p.strip()]
assert len(paras) == 5, len(paras)
assert "Retour à l'accueil" not in a["text"] and "Commentaires" not in a["text"]
assert paras[0].startswith("La Chine a accordé une approbation conditionnelle")
EOF

# 4. grouping and filters change the output as expected
count() { python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$1"; }
run_json() { "$KQ_BIN" list --json "$@" "$corpus" >"$json" 2>/dev/null; }
run_json; total=$(count "$json")

run_json --group-by topic
python3 - "$json" <<'EOF' || fail "--group-by topic"
import json, sys, unicodedata
arts = json.load(open(sys.argv[1]))
def key(s): return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().casefold()
groups = []
for a in arts:
    if not groups or groups[-1] != a["group_title"]:
        groups.append(a["group_title"])
    assert a["group_title"] == (a["topics"][0] if a["topics"] else a["group_title"])
assert len(groups) == len(set(groups)), "a topic group appears twice"
named = [g for g in groups if g not in ("Sans rubrique", "Uncategorized")]
assert named == sorted(named, key=key), groups
EOF

run_json --since 2026-02-01; since=$(count "$json")
python3 -c "import json,sys; assert all(a['published'] and a['published'][:10] >= '2026-02-01' for a in json.load(open(sys.argv[1])))" "$json" || fail "--since"
run_json --until 2026-01-31; until=$(count "$json")
python3 -c "import json,sys; assert all(a['published'] and a['published'][:10] <= '2026-01-31' for a in json.load(open(sys.argv[1])))" "$json" || fail "--until"
[ $((since + until)) -le "$total" ] && [ "$since" -gt 0 ] && [ "$until" -gt 0 ] || fail "--since/--until counts: $since + $until vs $total"
run_json --month 2026-02
python3 -c "import json,sys; a=json.load(open(sys.argv[1])); assert a and all(x['published'].startswith('2026-02') for x in a)" "$json" || fail "--month"
run_json --lang en
python3 -c "import json,sys; a=json.load(open(sys.argv[1])); assert a and all(x['lang'].startswith('en') for x in a)" "$json" || fail "--lang"
run_json --topic espace
python3 -c "import json,sys; a=json.load(open(sys.argv[1])); assert a and all('espace' in [t.lower() for t in x['topics']] for x in a)" "$json" || fail "--topic"
run_json --reverse
python3 -c "
import json,sys
d=[a['published'][:10] for a in json.load(open(sys.argv[1])) if a['published']]
assert d == sorted(d, reverse=True), d" "$json" || fail "--reverse"
run_json --group-by week --edition-lang en
python3 -c "
import json,sys,re
a=json.load(open(sys.argv[1]))
assert all(re.fullmatch(r'\d{4}-W\d\d', x['group']) for x in a if x['published'])
assert all(x['group_title'].startswith('Week ') for x in a if x['published'])" "$json" || fail "--group-by week"

# 5. table output follows the grouping
kq_run list --group-by year "$corpus"
grep -q "^2026 (" "$KQ_OUT" || fail "--group-by year table"
pass
