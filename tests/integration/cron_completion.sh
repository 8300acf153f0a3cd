#!/usr/bin/env bash
# cron_completion.sh: the bash completion script completes commands, options and their values.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"

script="$KQ_SRC/completion/kiosque.bash"
bash -n "$script" || fail "completion/kiosque.bash: syntax error"

dir=$(kq_tmpdir)
# the binary the completion asks for styles
mkdir "$dir/bin"
ln -s "$KQ_BIN" "$dir/bin/kiosque"
export PATH="$dir/bin:$PATH"
export XDG_STATE_HOME="$dir/state"
mkdir -p "$XDG_STATE_HOME/kiosque"
: > "$XDG_STATE_HOME/kiosque/nightly.ids"
: > "$XDG_STATE_HOME/kiosque/weekly.ids"
mkdir "$dir/work" && cd "$dir/work" || fail "cd"
touch a.css b.theme c.txt
mkdir sub

# complete WORDS...: the completions for the last word (the cursor is at its end)
complete_words() {
  bash -c '
    . "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _kiosque
    printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$script" "$@"
}
expect() { # expect "WANTED LINES" WORDS...
  local want=$1; shift
  local got
  got=$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')
  [ "$got" = "$want" ] || fail "completing '$*': got '$got', want '$want'"
}

expect "--help --version check config export list typo" kiosque ""
expect "export" kiosque ex
expect "--help --hyphen-dir --hyphenate" kiosque typo --h
expect "--edition-lang --embed-fonts" kiosque export --e
expect "--only-new" kiosque export --on
expect "--lock-timeout" kiosque export --loc
expect "--week" kiosque list --we
expect "--path" kiosque config --pat
expect "day month site topic week year" kiosque list --group-by ""
expect "a4 a5 letter" kiosque export --paper ""
expect "a4 a5 letter" kiosque export --paper =
expect "letter" kiosque export --paper = l
expect "last" kiosque export --month la
expect "this" kiosque list --week t
expect "epub" kiosque export -f e
expect "pdf,epub" kiosque export -f pdf,e
expect "json text" kiosque list --log-format ""
expect "nightly" kiosque export --only-new n
expect "fr" kiosque typo --lang f
expect "a.css sub" kiosque export --css ""
expect "b.theme sub" kiosque export --theme ""
expect "compact default" kiosque export --style ""
expect "-1m -1w -1y" kiosque list --since -1
expect "today" kiosque list --until to
expect "a.css b.theme c.txt sub" kiosque list ""
pass
