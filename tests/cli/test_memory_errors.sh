#!/bin/sh
# test_memory_errors.sh: a memory limit hit while newsform hands C-built
# strings to Lua (doc.html, inner_html, titles, XPath strings, renderers)
# ends the article cleanly. Under the sanitized build, the test runner
# fails the run on any leak report, so C memory must never leak through
# the Lua error.
. "$(dirname "$0")/lib.sh"
PAGES=$(cd "$(dirname "$0")/../../examples/pages" && pwd)
cat > "$T_TMP/hog.lua" <<'LUA'
function process(doc)
  local keep = {}
  for i = 1, 1e9 do
    keep[#keep + 1] = doc.html
    keep[#keep + 1] = doc.body.inner_html
    keep[#keep + 1] = doc.title
    keep[#keep + 1] = doc:xpath("string(//body)")
    keep[#keep + 1] = newsform.text(doc.body)
    keep[#keep + 1] = newsform.markdown(doc.body)
  end
end
LUA
ERR=$("$NEWSFORM" --max-memory 8 -k "$T_TMP/hog.lua" "$PAGES/01-harbour-bridge.html" "$PAGES/02-city-council.html" 2>&1 >/dev/null)
RC=$?
expect_eq "exit status 1" "$RC" 1
expect_match "each article ends with the memory message" "$ERR" "memory limit of 8 MB exceeded \(while processing .*02-city-council.html\)"
expect_match "and the run counts both" "$ERR" "2 of 2 inputs failed"
