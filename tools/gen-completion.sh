#!/usr/bin/env bash
# gen-completion.sh BIN TEMPLATE OUT: writes the bash completion OUT from TEMPLATE, filling
# @KQ_COMMANDS@ and @KQ_OPTIONS@ from the built binary's own help (`BIN --help` lists the
# commands, `BIN COMMAND --help` every option of a command, all groups), so the completion
# always offers exactly the options the program has. Run by the build (CMakeLists.txt).
set -euo pipefail
bin=$1 template=$2 out=$3
commands=$("$bin" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' | tr '\n' ' ')
commands=${commands% }
[ -n "$commands" ] || { echo "gen-completion: no command in '$bin --help'" >&2; exit 1; }
cases=""
for c in $commands; do
  # "  -f, --format=epub,pdf   Formats…" -> "-f --format"
  opts=$("$bin" "$c" --help | sed -n 's/^  \(-[A-Za-z?], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\1\2/p' |
    sed 's/, / /' | tr '\n' ' ')
  [ -n "$opts" ] || { echo "gen-completion: no option in '$bin $c --help'" >&2; exit 1; }
  cases+="        $c) opts=\"${opts% }\" ;;"$'\n'
done
tmp="$out.tmp.$$"
awk -v commands="$commands" -v cases="${cases%$'\n'}" '
  { gsub(/@KQ_COMMANDS@/, commands) }
  /^@KQ_OPTIONS@$/ { print cases; next }
  { print }' "$template" > "$tmp"
bash -n "$tmp"
mv "$tmp" "$out"
