#!/usr/bin/env bash
# extraction_benchmark.sh: issue 17 item 1: the HTML reader on 88 real news pages with a
# person's ground truth (tests/extraction/), scored with the benchmark's metric: F1 >= 0.975
# (above every extractor the set was published with), no page empty.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
set_dir="$KQ_TESTS/extraction"
pages=$(kq_tmpdir)
for f in "$set_dir"/html/*.html.gz; do
  gunzip -c "$f" >"$pages/$(basename "$f" .gz)" || fail "cannot unpack $f"
done
out="$(kq_tmpdir)/out.json"
"$KQ_BIN" list --no-config --json --body "$pages" >"$out" 2>"$KQ_ERR" || fail "list --json failed"
python3 - "$out" "$set_dir/ground-truth.json" "$KQ_TESTS/lib/extract_score.py" <<'PY' || fail "extraction below the bar"
import importlib.util, json, os, sys
spec = importlib.util.spec_from_file_location("score", sys.argv[3])
score = importlib.util.module_from_spec(spec)
spec.loader.exec_module(score)
truth = {k: v.get("articleBody", "") for k, v in json.load(open(sys.argv[2], encoding="utf-8")).items()}
pred = {}
for o in json.load(open(sys.argv[1], encoding="utf-8")):
    pred[os.path.basename(o.get("path") or "").split(".")[0]] = o.get("text") or ""
p, r, f, acc, per = score.score(truth, pred)
print(f"extraction: {len(truth)} pages  precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}  accuracy {acc:.3f}")
missing = [k for k in truth if k not in pred]
empty = [k for k in truth if k in pred and not score.TOKEN.findall(pred[k])]
assert not missing, f"pages missing from the output: {missing}"
assert not empty, f"empty pages: {empty}"
assert f >= 0.975, f"F1 {f:.3f} < 0.975"
PY
exit 0
