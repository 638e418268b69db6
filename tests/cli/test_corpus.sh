#!/bin/sh
# test_corpus.sh: every page of the shared corpus parses and is processed
# by a trivial script (under AddressSanitizer too, through the sanitized
# binary). Skips when ../shared is absent.
. "$(dirname "$0")/lib.sh"
if [ -z "$SHARED" ] || [ ! -d "$SHARED/corpus" ]; then
  skip "corpus test (../shared absent)"
  exit 0
fi
C="$SHARED/corpus"
set -- "$C"/extraction/html/* "$C"/metadata/*/source.html.gz
[ -f "$C/seed/clinton-pakistan.txt" ] && set -- "$@" "$C/seed/clinton-pakistan.txt"
n=$#
"$NEWSFORM" -j 2 -e 'return ctx.index .. " " .. #doc:select("p") .. " " .. #doc.html' "$@" \
  >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
rc=$?
expect_eq "every corpus page processed (exit status, stderr)" "$rc:$(cat "$T_TMP/err")" "0:"
expect_eq "one result per page ($n)" "$(wc -l <"$T_TMP/out" | tr -d ' ')" "$n"
expect_eq "results in input order" "$(cut -d' ' -f1 "$T_TMP/out" | tr '\n' ' ')" "$(seq 1 "$n" | tr '\n' ' ')"
empty=$(awk '$3 == 0' "$T_TMP/out" | wc -l | tr -d ' ')
expect_eq "no page serializes to nothing" "$empty" "0"
if [ -f "$C/seed/clinton-pakistan.txt" ]; then
  seed=$("$NEWSFORM" -e 'return #doc:select("p")' "$C/seed/clinton-pakistan.txt" 2>&1)
  expect_match "the seed article has body paragraphs" "$seed" "^[1-9][0-9]*$"
fi
