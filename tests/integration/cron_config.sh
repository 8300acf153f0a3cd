#!/usr/bin/env bash
# cron_config.sh: relative periods against an injected today (KQ_TODAY), the configuration
# file (location, precedence, ~ expansion, errors with file:line:key, config --show),
# paths taken from the configuration, --quiet and --log-format json.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
kq_require python3 python3

corpus="$KQ_TESTS/corpus"
dir=$(kq_tmpdir)
export XDG_CONFIG_HOME="$dir/xdg"   # never the user's own configuration
mkdir -p "$XDG_CONFIG_HOME"

# ids NAME ARGS...: the sorted article ids `list --json ARGS` prints, into $dir/NAME
ids() {
  local name=$1; shift
  kq_run list --json "$@"
  [ "$KQ_STATUS" -eq 0 ] || [ "$KQ_STATUS" -eq 3 ] || fail "list $* exited $KQ_STATUS"
  python3 -c 'import json,sys; [print(a["id"]) for a in json.load(open(sys.argv[1]))]' \
    "$KQ_OUT" | sort > "$dir/$name" || fail "list $* did not print JSON"
}
same() { # same A B WHAT
  cmp -s "$dir/$1" "$dir/$2" || fail "$3: $(paste -d' ' "$dir/$1" "$dir/$2" | head)"
  [ -s "$dir/$1" ] || fail "$3: no article at all (the comparison proves nothing)"
}

# 1. relative periods == the absolute ones they stand for
KQ_TODAY=2026-03-15 ids rel --month last "$corpus";  ids abs --month 2026-02 "$corpus"
same rel abs "--month last (today 2026-03-15)"
KQ_TODAY=2026-03-15 ids rel --month this "$corpus";  ids abs --month 2026-03 "$corpus"
same rel abs "--month this"
KQ_TODAY=2026-01-01 ids rel --month last "$corpus";  ids abs --month 2025-12 "$corpus"
same rel abs "--month last across a year"
KQ_TODAY=2026-02-05 ids rel --week last "$corpus"
ids abs --since 2026-01-26 --until 2026-02-01 "$corpus"
same rel abs "--week last (today 2026-02-05, week 2026-W05)"
ids rel2 --week 2026-W05 "$corpus"
same rel2 abs "--week 2026-W05"
KQ_TODAY=2026-03-31 ids rel --since -30d "$corpus";  ids abs --since 2026-03-01 "$corpus"
same rel abs "--since -30d"
KQ_TODAY=2026-03-31 ids rel --since -2w --until today "$corpus"
ids abs --since 2026-03-17 --until 2026-03-31 "$corpus"
same rel abs "--since -2w --until today"
KQ_TODAY=2026-01-01 ids rel --until yesterday "$corpus";  ids abs --until 2025-12-31 "$corpus"
same rel abs "--until yesterday"
ids all "$corpus"
KQ_TODAY=2026-03-31 ids rel --week this "$corpus"   # 2026-03-30..04-05: nothing dated then
[ -s "$dir/rel" ] && fail "--week this found articles outside its week"
expect_status 3

# 2. bad periods and a bad KQ_TODAY are usage errors
KQ_TODAY=2026-03-31 kq_run list --since -3x "$corpus"
expect_status 2
grep -q "^kiosque: error: --since: '-3x' is not a day" "$KQ_ERR" || fail "bad --since message"
kq_run list --week 2025-W53 "$corpus"
expect_status 2
grep -q "week 53" "$KQ_ERR" || fail "2025-W53 must be refused (52 weeks)"
KQ_TODAY=31/03/2026 kq_run list --month last "$corpus"
expect_status 2
grep -q "KQ_TODAY" "$KQ_ERR" || fail "bad KQ_TODAY not named"

# 3. the configuration file: default location, paths, precedence
mkdir -p "$XDG_CONFIG_HOME/kiosque" "$dir/home"
cp -r "$corpus" "$dir/home/archive"
cat > "$XDG_CONFIG_HOME/kiosque/kiosque.conf" <<CONF
# cron_config.sh
[kiosque]
paths = ~/archive
group-by = year
CONF
HOME="$dir/home" kq_run list --json
expect_status 0
python3 - "$KQ_OUT" <<'PY' || fail "paths/group-by from the configuration not used"
import json, sys
arts = json.load(open(sys.argv[1]))
assert arts and all(a["group"] in ("2025", "2026") for a in arts), [a["group"] for a in arts]
assert all("/home/archive/" in a["path"] for a in arts), arts[0]["path"]
PY
HOME="$dir/home" kq_run list --json --group-by month
expect_status 0
grep -q '"group" : "2026-01"' "$KQ_OUT" || fail "--group-by must override the configuration"
# a PATH on the command line replaces the configured paths
HOME="$dir/home" kq_run list --json "$corpus/2026-03-04-risc-v-laptop.md"
expect_status 0
[ "$(grep -c '"id"' "$KQ_OUT")" -eq 1 ] || fail "command-line PATH must replace configured paths"
# --no-config: back to the defaults (no PATH: usage error)
HOME="$dir/home" kq_run list --no-config
expect_status 2

# 4. config --show: values and where they come from
HOME="$dir/home" kq_run config --show --paper a4
expect_status 0
grep -q "^group-by=year$" "$KQ_OUT" || fail "config --show: group-by"
grep -q "kiosque.conf:4$" "$KQ_OUT" || fail "config --show: file and line of group-by"
grep -q "^paths=$dir/home/archive;*$" "$KQ_OUT" || fail "config --show: ~ expanded in paths"
grep -B1 "^paper=a4$" "$KQ_OUT" | grep -q "command line" || fail "config --show: command line"
grep -q "^formats=epub,pdf$" "$KQ_OUT" || fail "config --show: default formats"
HOME="$dir/home" kq_run config --path
expect_status 0
[ "$(cat "$KQ_OUT")" = "$XDG_CONFIG_HOME/kiosque/kiosque.conf" ] || fail "config --path"
# the shown configuration loads back as it is
cp "$KQ_OUT" "$dir/shown.conf"
HOME="$dir/home" kq_run config --show
cp "$KQ_OUT" "$dir/shown.conf"
HOME="$dir/home" kq_run config --show --config "$dir/shown.conf"
expect_status 0
grep -q "^group-by=year$" "$KQ_OUT" || fail "config --show output does not load back"

# 5. errors: file, line and key; exit 2
printf '[kiosque]\n# x\nformats = epub\npaper = a3\n' > "$dir/bad.conf"
kq_run list --config "$dir/bad.conf" "$corpus"
expect_status 2
grep -q "^kiosque: error: $dir/bad.conf:4: key 'paper': 'a3' is not one of a4, a5, letter$" \
  "$KQ_ERR" || fail "bad value message"
printf '[kiosque]\ncolour = blue\n' > "$dir/bad.conf"
kq_run list --config "$dir/bad.conf" "$corpus"
expect_status 2
grep -q "bad.conf:2: unknown key 'colour'" "$KQ_ERR" || fail "unknown key message"
printf '[kiosque]\nstyle = default\nnonsense\n' > "$dir/bad.conf"
kq_run export --config "$dir/bad.conf" "$corpus"
expect_status 2
grep -q "bad.conf:3: not a 'key = value' line" "$KQ_ERR" || fail "syntax error message"
kq_run list --config "$dir/missing.conf" "$corpus"
expect_status 2
grep -q "missing.conf" "$KQ_ERR" || fail "missing --config file not named"
# an invalid default file is an error too, naming it
printf '[kiosque]\ngroup-by = fortnight\n' > "$XDG_CONFIG_HOME/kiosque/kiosque.conf"
kq_run list "$corpus"
expect_status 2
grep -q "kiosque/kiosque.conf:2: key 'group-by'" "$KQ_ERR" || fail "default file error"
rm "$XDG_CONFIG_HOME/kiosque/kiosque.conf"

# 6. --quiet, quiet = true, -v; --log-format json
mkdir "$dir/arch"
cp "$corpus/2026-03-04-risc-v-laptop.md" "$dir/arch/"
: > "$dir/arch/empty.md"
kq_run list "$dir/arch"
expect_status 0
grep -q "^kiosque: warning: .*empty.md" "$KQ_ERR" || fail "no warning for empty.md"
kq_run list -q "$dir/arch"
expect_status 0
[ -s "$KQ_ERR" ] && fail "-q must leave errors only"
printf '[kiosque]\nquiet = true\n' > "$dir/quiet.conf"
kq_run list --config "$dir/quiet.conf" "$dir/arch"
[ -s "$KQ_ERR" ] && fail "quiet = true must leave errors only"
kq_run list --config "$dir/quiet.conf" -v "$dir/arch"
grep -q "empty.md" "$KQ_ERR" || fail "-v must win over quiet = true"
kq_run list --log-format json "$dir/arch"
expect_status 0
python3 - "$KQ_ERR" <<'PY' || fail "--log-format json: not one JSON object per line"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert lines, "no message"
w = [l for l in lines if l["level"] == "warning" and l.get("path", "").endswith("empty.md")]
assert w and w[0]["program"] == "kiosque" and w[0]["message"], lines
PY
kq_run list --log-format=json --group-by colour "$dir/arch"
expect_status 2
python3 -c 'import json,sys; l=json.loads(open(sys.argv[1]).readline()); assert l["level"]=="error" and "group-by" in l["message"], l' \
  "$KQ_ERR" || fail "usage errors must be JSON too with --log-format json"
kq_run list --log-format xml "$dir/arch"
expect_status 2

pass
