#!/usr/bin/env bash
# cron_line.sh: the README's crontab lines and tools/systemd/kiosque-monthly.service run as
# printed (issue 16 item 3): kiosque installed with `cmake --install --prefix ~/.local` for a
# system user created here, each job run by that user in a bare environment (`env -i`, the
# crontab's own PATH= line, /bin/sh as cron does; the unit's ExecStart without a shell, %h
# expanded, as systemd does), twice with new articles between, then once with nothing new:
# status 0 every time (3 is "nothing new", accepted by the line and by SuccessExitStatus),
# and no output at all the third time. `systemd-analyze verify` checks the units when present.
# Skipped (77) when not root: another user cannot be created then.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"

[ "$(id -u)" -eq 0 ] || skip "not root: cannot create the test user"
command -v useradd >/dev/null && command -v setpriv >/dev/null || skip "useradd or setpriv absent"
build=$(dirname "$KQ_BIN")
[ -f "$build/CMakeCache.txt" ] || fail "no CMakeCache.txt beside KQ_BIN ($build)"

dir=$(kq_tmpdir)
chmod 755 "$dir"
user="kqcron$$"
user=${user:0:31}
home="$dir/home"
useradd --system --no-create-home --home-dir "$home" --shell /bin/sh --user-group "$user" ||
  skip "useradd failed"
trap 'userdel "$user" 2>/dev/null; kq_cleanup' EXIT
mkdir -p "$home"
cmake --install "$build" --prefix "$home/.local" >"$dir/install.log" 2>&1 ||
  { cat "$dir/install.log" >&2; fail "cmake --install failed"; }

# The sanitizer runtime's own options, only in a sanitizer build (not the job's environment).
san_env=()
if grep -q '^KQ_SANITIZE:BOOL=ON' "$build/CMakeCache.txt"; then
  install -m 644 "$KQ_SRC/tests/lsan.supp" "$dir/lsan.supp"
  san_env=("ASAN_OPTIONS=${ASAN_OPTIONS:-}" "UBSAN_OPTIONS=${UBSAN_OPTIONS:-}"
           "LSAN_OPTIONS=suppressions=$dir/lsan.supp:print_suppressions=0")
fi

last_month=$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m)
this_month=$(date +%Y-%m)
article() { # article FILE TITLE DAY
  mkdir -p "$home/archives/tech"
  printf -- '---\ntitle: %s\ndate: %s\nlang: fr\n---\n\nUn article de test, lu par la tâche.\n' "$2" "$3" \
    > "$home/archives/tech/$1"
}
fresh_home() {
  rm -rf "$home/archives" "$home/revues" "$home/.local/state"
  article a1.md "Premier article" "$last_month-03"
  article a2.md "Deuxième article" "$last_month-12"
  article a3.md "Troisième article" "$last_month-20"
  mkdir -p "$home/revues"
  chown -R "$user:$user" "$home"
}
knows_fetch_images=1
"$home/.local/bin/kiosque" export --help | grep -q -- '--fetch-images' || knows_fetch_images=0
adapt() { # the line as printed; --fetch-images dropped only while this binary lacks it
  if [ $knows_fetch_images -eq 0 ]; then
    echo "NOTE: this kiosque has no --fetch-images yet: run without it" >&2
    sed 's/ --fetch-images//'
  else
    cat
  fi
}

# run_as OUT ENV... -- COMMAND...: as the test user, with only ENV
run_as() {
  local out=$1
  shift
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  env -i HOME="$home" LOGNAME="$user" USER="$user" "${envs[@]}" "${san_env[@]}" \
    /usr/bin/setpriv --reuid="$user" --regid="$user" --init-groups "$@" >"$out.out" 2>"$out.err" </dev/null
  echo $? > "$out.status"
}
# three runs of JOB (a function of a name): two with new articles between, one with none
three_runs() {
  local job=$1 what=$2
  fresh_home
  $job "$dir/run1"
  [ "$(cat "$dir/run1.status")" -eq 0 ] || { cat "$dir/run1.err"; fail "$what run 1: status $(cat "$dir/run1.status")"; }
  [ ! -s "$dir/run1.err" ] || fail "$what run 1: stderr: $(cat "$dir/run1.err")"
  grep -qx "$home/revues/revue-de-presse-tech-$last_month.epub" "$dir/run1.out" &&
    grep -qx "$home/revues/revue-de-presse-tech-$last_month.pdf" "$dir/run1.out" ||
    fail "$what run 1: not written: $(cat "$dir/run1.out")"
  [ "$(grep -c '<entry>' "$home/revues/catalog.xml")" -eq 1 ] || fail "$what run 1: library"
  article b1.md "Nouvel article" "$this_month-01"
  article b2.md "Autre nouvel article" "$this_month-01"
  chown -R "$user:$user" "$home/archives"
  $job "$dir/run2"
  [ "$(cat "$dir/run2.status")" -eq 0 ] || fail "$what run 2: status $(cat "$dir/run2.status"): $(cat "$dir/run2.err")"
  [ ! -s "$dir/run2.err" ] || fail "$what run 2: stderr: $(cat "$dir/run2.err")"
  grep -qx "$home/revues/revue-de-presse-tech-$this_month.epub" "$dir/run2.out" ||
    fail "$what run 2: the new articles not written: $(cat "$dir/run2.out")"
  [ "$(unzip -l "$home/revues/revue-de-presse-tech-$this_month.epub" | grep -c 'art-[0-9]*\.xhtml')" -eq 2 ] ||
    fail "$what run 2: not only the two new articles"
  [ "$(grep -c '<entry>' "$home/revues/catalog.xml")" -eq 2 ] || fail "$what run 2: library not refreshed"
  [ "$(stat -c %U "$home/revues/catalog.xml")" = "$user" ] || fail "$what: files not the user's"
  $job "$dir/run3"
  [ "$(cat "$dir/run3.status")" -eq "$3" ] || fail "$what run 3 (nothing new): status $(cat "$dir/run3.status")"
  [ ! -s "$dir/run3.out" ] && [ ! -s "$dir/run3.err" ] ||
    fail "$what run 3 (nothing new): output: $(cat "$dir/run3.out" "$dir/run3.err")"
  echo "$what: three runs as $user in env -i: 0, 0, $3 (silent)"
}

# ---- the crontab, as the README prints it (after the marker line) -----------------------
crontab=$(awk '/<!-- crontab: tested by tests\/integration\/cron_line.sh/ {on = 1; next}
               on && /^    / {sub(/^    /, ""); print; n++; next}
               on && n && !/^    / {exit}' "$KQ_SRC/README.md")
[ -n "$crontab" ] || fail "README: no crontab block after the marker"
cron_path=/usr/bin:/bin # cron's own default
job_line=""
while IFS= read -r line; do
  case $line in
    PATH=*) cron_path=${line#PATH=} ;;
    [0-9@*]*) job_line=$line ;;
  esac
done <<<"$crontab"
[ -n "$job_line" ] || fail "README: no job line in the crontab block"
echo "$job_line" | grep -q -- "--only-new" && echo "$job_line" | grep -q -- "--fetch-images" &&
  echo "$job_line" | grep -q -- "--library" || fail "README: the job lacks --only-new, --fetch-images or --library"
cron_path=${cron_path//\/home\/me/$home}
command=$(echo "$job_line" | cut -d' ' -f6- | adapt)
cron_job() { run_as "$1" SHELL=/bin/sh PATH="$cron_path" -- /bin/sh -c "$command"; }
three_runs cron_job "crontab" 0

# ---- the systemd unit: ExecStart as systemd runs it (no shell, %h expanded) --------------
unit="$KQ_SRC/tools/systemd/kiosque-monthly.service"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit" | adapt)
exec_start=${exec_start//%h/$home}
grep -qx "SuccessExitStatus=3" "$unit" || fail "the unit does not take status 3 as a success"
systemd_job() { # word splitting as systemd does for a line without quotes
  set -f
  # shellcheck disable=SC2086
  run_as "$1" PATH=/usr/bin:/bin -- $exec_start
  set +f
}
three_runs systemd_job "systemd unit" 3

if command -v systemd-analyze >/dev/null; then
  mkdir "$dir/units"
  for f in kiosque-monthly.service kiosque-monthly.timer; do
    sed "s|%h|$home|g" "$KQ_SRC/tools/systemd/$f" > "$dir/units/$f"
  done
  MANPATH="$home/.local/share/man:" systemd-analyze verify "$dir/units/kiosque-monthly.service" \
    "$dir/units/kiosque-monthly.timer" > "$dir/verify.log" 2>&1 ||
    fail "systemd-analyze verify: $(cat "$dir/verify.log")"
  echo "systemd-analyze verify: clean"
fi
pass
