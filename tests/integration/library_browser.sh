#!/usr/bin/env bash
# library_browser.sh: the library's index.html in headless Chromium (Debian `chromium`), opened
# from disk and served by a static web server (python3 -m http.server): every cover and every
# link loads (checked in the page by tests/fixtures/library/kq-check.html; served, the server
# answers 200 to every request, never 404); a missing cover is caught (control); a screenshot
# is saved beside the binary (library-shelf.png, the README's picture). Skipped without chromium.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"

command -v chromium >/dev/null || skip "chromium absent"
dir=$(kq_tmpdir)
cd "$dir" || fail "cd"
export XDG_CONFIG_HOME="$dir/xdg" XDG_STATE_HOME="$dir/state"
corpus="$KQ_TESTS/corpus"

mkdir shelf
kq_run export -q -f epub,pdf --month 2026-02 -o shelf/ "$corpus"
expect_status 0
kq_run export -q -f epub --month 2026-01 --library -o shelf/ "$corpus"
expect_status 0
kq_run library -q --title "Revues de presse" shelf
expect_status 0
cp "$KQ_TESTS/fixtures/library/kq-check.html" shelf/

# chromium URL OUT [flags...]: the page's DOM after it settled, in OUT
chromium_dump() {
  local url=$1 out=$2 profile
  shift 2
  profile=$(mktemp -d "$dir/profile.XXXXXX")
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --virtual-time-budget=15000 --dump-dom "$@" "$url" >"$out" 2>"$out.err"
}
# check FILE WHAT: the checker's report holds only "ok" lines, for pictures and links
check_report() {
  local report=$1 what=$2
  sed -n '/<pre id="result">/,/<\/pre>/p' "$report" | sed 's/<[^>]*>//g' > "$report.lines"
  grep -qx "done" "$report.lines" || fail "$what: the check page did not finish: $(head -c 300 "$report")"
  grep "BROKEN" "$report.lines" && fail "$what: a cover or link does not load"
  [ "$(grep -c '^ok img covers/' "$report.lines")" -eq 2 ] || fail "$what: not two covers"
  grep -q '^ok link .*\.pdf$' "$report.lines" && grep -q '^ok link catalog.xml$' "$report.lines" ||
    fail "$what: links missing: $(cat "$report.lines")"
}

# 1. opened from disk
chromium_dump "file://$dir/shelf/kq-check.html" disk.html --allow-file-access-from-files
check_report disk.html "from disk"

# 2. served by a static web server
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd shelf && exec python3 -m http.server "$port" --bind 127.0.0.1) >server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; kq_cleanup' EXIT
for _ in $(seq 50); do grep -q "Serving HTTP" server.log && break; sleep 0.1; done
chromium_dump "http://127.0.0.1:$port/kq-check.html" served.html
check_report served.html "served"
grep -q '"GET /index.html HTTP/1.1" 200' server.log || fail "index.html not requested"
grep -q '"GET /covers/.*\.thumb\.jpg HTTP/1.1" 200' server.log || fail "no cover requested"
grep -E '" (4|5)[0-9][0-9] ' server.log && fail "the server answered an error"

# 3. the screenshot for the README
shot="$(dirname "$KQ_BIN")/library-shelf.png"
profile=$(mktemp -d "$dir/profile.XXXXXX")
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --virtual-time-budget=5000 --window-size=1000,640 \
  --screenshot="$shot" "http://127.0.0.1:$port/index.html" >/dev/null 2>&1
[ -s "$shot" ] || fail "no screenshot"
echo "screenshot: $shot"

# 4. control: a missing cover is caught
rm shelf/covers/*2026-01.thumb.jpg
chromium_dump "file://$dir/shelf/kq-check.html" broken.html --allow-file-access-from-files
grep -q "BROKEN img covers/" broken.html || fail "control: a missing cover went unnoticed"
pass
