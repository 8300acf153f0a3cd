#!/bin/bash
# typo_cli.sh: `kiosque typo` as a filter: typography (FR/EN), --hyphenate, paragraphs, invalid UTF-8, usage errors.
set -u
: "${KQ_BIN:?KQ_BIN must point to the kiosque binary}"
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
# a missing tool is reported as a skipped test (ctest SKIP_RETURN_CODE 77), never as a pass
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 77; }
[ -f "${KQ_SHARED:-}/tools/gencorpus.py" ] || { echo "SKIP: ${KQ_SHARED:-KQ_SHARED}/tools/gencorpus.py not found"; exit 77; }

# expect NAME LANG INPUT EXPECTED [extra options]: printf-style escapes in
# INPUT/EXPECTED (\u00A0 written as \xc2\xa0, etc.).
expect() {
  local name=$1 lang=$2 input=$3 expected=$4
  shift 4
  local got
  got=$(printf "$input" | "$KQ_BIN" typo --lang "$lang" "$@"; echo x)
  got=${got%x}
  local want
  want=$(printf "$expected"; echo x)
  want=${want%x}
  if [ "$got" != "$want" ]; then
    fail "$name: got [$(printf '%s' "$got" | od -c | head -5)] want [$(printf '%s' "$want" | od -c | head -5)]"
  fi
}

NBSP='\xc2\xa0'
NNBSP='\xe2\x80\xaf'
SHY='\xc2\xad'

# FR-1 FR-2 FR-3 FR-4 FR-5: the style guide's example sentence.
expect "FR-1..FR-5" fr "« Bonjour ! » dit-il : c'est prêt ?\n" \
  "«${NBSP}Bonjour${NNBSP}!${NBSP}» dit-il${NBSP}: c’est prêt${NNBSP}?\n"
# EN-1 EN-2 EN-3
expect "EN-1..EN-3" en "\"Wait ?\" she said. Don't.\n" "“Wait?” she said. Don’t.\n"
# Paragraphs: blank lines separate them (several collapse to one); lines
# inside a paragraph are kept; rules do not cross paragraphs.
expect "paragraphs" fr "Un \"deux\n\ntrois\" ?\n\n\n\nquatre\n  cinq ?\n" \
  "Un \"deux\n\ntrois\"${NNBSP}?\n\nquatre\ncinq${NNBSP}?\n"
# CRLF input
expect "crlf" fr "Oui ?\r\n\r\nNon !\r\n" "Oui${NNBSP}?\n\nNon${NNBSP}!\n"
# Empty input: empty output
expect "empty" fr "" ""
# Plain text: ordinals on the baseline (G-6)
expect "G-6" fr "Le XIXème siècle\n" "Le XIXe${NBSP}siècle\n"
# --hyphenate (HY-2, HY-3, HY-6): no SHY in the last word or capitalized words
expect "HY" fr "Typographie : la typographie française\n" \
  "Typographie${NBSP}: la ty${SHY}po${SHY}gra${SHY}phie française\n" --hyphenate
expect "HY en" en "The typography rules\n" "The ty${SHY}pog${SHY}ra${SHY}phy rules\n" --hyphenate
# Without --hyphenate: never a SHY
expect "no SHY" fr "la typographie française\n" "la typographie française\n"

# Invalid UTF-8: clear error naming the byte offset, exit 1, nothing on stdout.
printf 'Bonjour ?\n\xff\xfe oui\n' | "$KQ_BIN" typo --lang fr >"$tmp/out" 2>"$tmp/err"
status=$?
[ "$status" -eq 1 ] || fail "invalid UTF-8: exit $status, want 1"
[ ! -s "$tmp/out" ] || fail "invalid UTF-8: something was written on stdout"
grep -qx 'kiosque: error: typo: stdin: invalid UTF-8 at byte 10' "$tmp/err" ||
  fail "invalid UTF-8: message was [$(cat "$tmp/err")]"

# A NUL byte is invalid too.
printf 'a\0b' | "$KQ_BIN" typo --lang fr >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && [ ! -s "$tmp/out" ] || fail "NUL byte not rejected"

# Usage errors: exit 2.
echo x | "$KQ_BIN" typo >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "missing --lang: want exit 2"
grep -q 'kiosque: error: typo: --lang' "$tmp/err" || fail "missing --lang: message [$(cat "$tmp/err")]"
echo x | "$KQ_BIN" typo --lang de >/dev/null 2>&1
[ $? -eq 2 ] || fail "--lang de: want exit 2"
echo x | "$KQ_BIN" typo --lang fr extra >/dev/null 2>&1
[ $? -eq 2 ] || fail "extra argument: want exit 2"
echo x | "$KQ_BIN" typo --bogus >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown option: want exit 2"
"$KQ_BIN" typo --help >"$tmp/out" 2>&1
[ $? -eq 0 ] && grep -q -- '--hyphenate' "$tmp/out" || fail "--help"

# Missing dictionary with --hyphenate: run-time failure, exit 1, no output.
echo "la typographie ici" | "$KQ_BIN" typo --lang fr --hyphenate --hyphen-dir "$tmp/none" \
  >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && [ ! -s "$tmp/out" ] || fail "missing dictionary: want exit 1 and no output"
grep -q 'hyph_fr.dic' "$tmp/err" || fail "missing dictionary: message [$(cat "$tmp/err")]"

# Idempotence through the filter on a generated corpus.
python3 "$KQ_SHARED/tools/gencorpus.py" 30 "$tmp/corpus" --formats txt >/dev/null 2>&1 ||
  fail "gencorpus.py"
for lang in fr en; do
  cat "$tmp"/corpus/*.txt 2>/dev/null | "$KQ_BIN" typo --lang "$lang" >"$tmp/t1" || fail "corpus $lang"
  "$KQ_BIN" typo --lang "$lang" <"$tmp/t1" >"$tmp/t2"
  cmp -s "$tmp/t1" "$tmp/t2" || fail "corpus $lang: typo is not idempotent"
done

if [ "$fails" -ne 0 ]; then
  echo "$fails failure(s)" >&2
  exit 1
fi
echo "typo_cli: all checks passed"
