#!/usr/bin/env bash
# layering.sh: layers only look down (issue 13 item 6), and the writers write no words of their
# own (item 1). Nothing in the shared lower layers
# (src/util, src/render, src/typo, src/model and their public headers) includes a header of
# the collector, the readers or the writers; src/cli includes only public headers.
set -u
. "$(dirname "$0")/../lib/kq-test.sh"
src="$KQ_SRC/src"
inc="$KQ_SRC/include/kiosque"
# the public headers of the upper layers: collector, readers, writers
upper='kiosque/(collect|furniture|reader|html|lang|writer|library|fetch)\.h'
# and any private header of theirs
private='"(collect|readers|epub|pdf|writer|library|cli)/'
bad=$(grep -nE "#include \"($upper)\"|#include $private" \
        "$src"/util/*.[ch] "$src"/render/*.[ch] "$src"/typo/*.[ch] "$src"/model/*.[ch] 2>/dev/null)
[ -z "$bad" ] || fail "a lower layer includes an upper layer's header:
$bad"
lower_headers=(article date log pool l10n output datadir config template period state lock theme image link roots
               fonts cover typo dir chunk)
for h in "${lower_headers[@]}"; do
  [ -f "$inc/$h.h" ] || fail "lower-layer header $h.h not found (update this list)"
  b=$(grep -nE "#include \"($upper)\"" "$inc/$h.h")
  [ -z "$b" ] || fail "lower-layer header $h.h includes an upper layer's header: $b"
done
# every public header is classified: a new one must be placed in a layer here
for f in "$inc"/*.h; do
  n=$(basename "$f" .h)
  [[ " ${lower_headers[*]} collect furniture reader html lang writer library fetch " == *" $n "* ]] ||
    fail "include/kiosque/$n.h belongs to no layer in layering.sh"
done
# the writers render the edition's furniture and write no words of their own (item 1): no
# localized text, long date or label is looked up in src/epub or src/pdf
b=$(grep -nE '#include "kiosque/l10n\.h"|kq_l10n|kq_date_format_long' "$src"/epub/*.[ch] "$src"/pdf/*.[ch])
[ -z "$b" ] || fail "a writer looks up words itself instead of reading the furniture: $b"
# the command line uses only the public headers (and its own)
b=$(grep -nE '#include "(util|render|typo|model|collect|readers|epub|pdf|writer|library)/' "$src"/cli/*.c)
[ -z "$b" ] || fail "src/cli includes a private header: $b"
pass
