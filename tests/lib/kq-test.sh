# kq-test.sh: helpers sourced by the integration scripts in tests/integration/.
# Environment from ctest: KQ_BIN (the binary), KQ_SRC (repo), KQ_TESTS (tests/), KQ_SHARED.
: "${KQ_BIN:?KQ_BIN not set (run through ctest)}"
: "${KQ_TESTS:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
KQ_TMP_DIRS=()
kq_cleanup() { for d in "${KQ_TMP_DIRS[@]}"; do chmod -R u+rwX "$d" 2>/dev/null; rm -rf "$d"; done; }
trap kq_cleanup EXIT

kq_tmpdir() {
  local d
  d=$(mktemp -d "${TMPDIR:-/tmp}/kq-test.XXXXXX")
  KQ_TMP_DIRS+=("$d")
  echo "$d"
}

_KQ_LOGDIR=$(kq_tmpdir)
KQ_OUT="$_KQ_LOGDIR/stdout"
KQ_ERR="$_KQ_LOGDIR/stderr"
KQ_STATUS=0

# kq_run ARGS...: runs the binary, keeps stdout/stderr in $KQ_OUT/$KQ_ERR.
kq_run() {
  "$KQ_BIN" "$@" >"$KQ_OUT" 2>"$KQ_ERR" </dev/null
  KQ_STATUS=$?
}

# kq_run_as_nobody ARGS...: the same as an unprivileged user (tests run as root).
kq_run_as_nobody() {
  chmod 644 "$KQ_OUT" "$KQ_ERR" 2>/dev/null
  chmod 755 "$_KQ_LOGDIR"
  setpriv --reuid=65534 --regid=65534 --clear-groups "$KQ_BIN" "$@" >"$KQ_OUT" 2>"$KQ_ERR" </dev/null
  KQ_STATUS=$?
}

fail() {
  echo "FAIL: $*" >&2
  echo "--- stderr of the last run:" >&2
  head -n 30 "$KQ_ERR" >&2
  exit 1
}

expect_status() {
  [ "$KQ_STATUS" -eq "$1" ] || fail "expected exit status $1, got $KQ_STATUS"
}

pass() { echo "PASS: $(basename "$0")"; exit 0; }

# skip REASON: the test cannot run here (ctest reports it skipped: SKIP_RETURN_CODE 77)
skip() { echo "SKIP: $(basename "$0"): $*"; exit 77; }

# kq_require TOOL [PACKAGE]: skips the whole test unless TOOL is on the PATH.
kq_require() {
  command -v "$1" >/dev/null || skip "$1 not found${2:+ (Debian package $2)}"
}

# expect_corpus_in_pdf PDF: every titled article of tests/corpus is in PDF (its title's first
# 20 characters, spaces, no-break spaces, soft hyphens and hyphens aside), or the test fails.
expect_corpus_in_pdf() {
  kq_run list --json "$KQ_TESTS/corpus"
  python3 - "$KQ_OUT" "$1" <<'PY' || fail "a good article is missing from the PDF"
import json, subprocess, sys, re
arts = json.load(open(sys.argv[1]))
pdf = subprocess.run(["pdftotext", sys.argv[2], "-"], capture_output=True, text=True).stdout
norm = lambda s: re.sub(r"[\s\u00a0\u202f\u00ad-]+", "", s)
pdf = norm(pdf)
missing = [a["title"] for a in arts if a["title"] and norm(a["title"])[:20] not in pdf]
if missing:
    print("missing:", missing, file=sys.stderr)
    sys.exit(1)
PY
}
