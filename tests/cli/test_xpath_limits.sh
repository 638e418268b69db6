#!/bin/sh
# test_xpath_limits.sh: XPath that libxml2 would run for minutes (ancestor::
# over a tree thousands deep) ends at --timeout as a timeout, or at XPath's
# own one-second limit as a script error, never at the watchdog.
. "$(dirname "$0")/lib.sh"
cd "$T_TMP" || exit 1
awk 'BEGIN { for (i = 0; i < 4000; i++) printf "<div>"; print "x" }' >deep.html
EXPR='return doc:xpath("count(//*/ancestor::*)")'
run --timeout 0.3 -e "$EXPR" deep.html
expect_eq "deep ancestor:: under --timeout: a timeout, not the watchdog" "$RC:$ERR" \
  "1:newsform: -e: timeout of 0.3 seconds exceeded (while processing deep.html)"
run -e "$EXPR" deep.html
expect_eq "deep ancestor:: without --timeout: XPath's own time limit" "$RC:$ERR" \
  "1:newsform: -e:1: invalid XPath expression 'count(//*/ancestor::*)': too much work (time limit of 1 s) (while processing deep.html)"
run --timeout 5 -e 'return doc:xpath("count(//div[not(div)]/ancestor::*)")' deep.html
expect_eq "one deep ancestor walk: its answer" "$RC:$OUT" "0:4001"
echo "1..$T_N"
