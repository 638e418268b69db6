#!/bin/sh
# test_json_script.sh: scripts/json.lua, the Readability-compatible output.
. "$(dirname "$0")/lib.sh"
FIX=tests/fixtures/extract

out=$("$NEWSFORM" json "$FIX/basic.html" 2>&1)
check "json: valid JSON" sh -c 'printf "%s" "$1" | python3 -m json.tool >/dev/null' _ "$out"
fields=$(printf '%s' "$out" | python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin))))')
for f in title byline dir lang content textContent length excerpt siteName publishedTime \
         modifiedTime url image authors tags wordCount; do
  case " $fields " in *" $f "*) ok "json: field $f" ;; *) not_ok "json: field $f" "$fields" ;; esac
done
text=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["textContent"][:40])')
expect_eq "json: textContent is the story" "$text" "The new bridge over the Elm River opened"
len=$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["length"] == len(d["textContent"]))')
expect_eq "json: length counts characters" "$len" "True"
content=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["content"][:5])')
expect_eq "json: content is the body HTML" "$content" "<div>"

n=$("$NEWSFORM" json -j 2 "$FIX" 2>/dev/null | python3 -c 'import json,sys; print(sum(1 for l in sys.stdin if json.loads(l)))')
expect_eq "json: one object per input of a directory" "$n" "$(ls "$FIX" | wc -l | tr -d ' ')"

if [ -n "$SHARED" ] && [ -d "$SHARED/corpus/extraction/html" ]; then
  bad=$("$NEWSFORM" json -j 4 "$SHARED/corpus/extraction/html" | python3 -c '
import json, sys
bad = 0
for line in sys.stdin:
    try: json.loads(line)
    except ValueError: bad += 1
print(bad)')
  expect_eq "json: every corpus page gives valid JSON" "$bad" "0"
else
  skip "json: corpus pages (../shared absent)"
fi
