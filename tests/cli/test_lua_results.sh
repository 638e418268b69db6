#!/bin/sh
# test_lua_results.sh: what scripts hand back and what they are told: a table
# returned by process is one line of JSON; ctx.count, doc.source for
# standard input, newsform.text's default width and the timeout message
# agree with the README.
. "$(dirname "$0")/lib.sh"
README="$ROOT/README.md"
cd "$T_TMP" || exit 2
mkdir pages
printf '<html><head><title>One</title></head><body><h1>One</h1><p>a</p><p>b</p><p>c</p></body></html>\n' >pages/1.html
printf '<html><head><title>Two "q"</title></head><body><p>x</p></body></html>\n' >pages/2.html

# ---- process may return a table: JSON Lines --------------------------------
run -e 'return {title=doc.article.title, n=#doc:select("p")}' pages/
expect_eq "a table per input: one JSON object per line" "$RC:$OUT" '0:{"n":3,"title":"One"}
{"n":1,"title":"Two \"q\""}'
if have python3; then
  "$NEWSFORM" -e 'return {title=doc.article.title, n=#doc:select("p")}' pages/ >lines.jsonl 2>/dev/null
  check "the lines parse as JSON (python3)" python3 -c '
import json, sys
rows = [json.loads(l) for l in open("lines.jsonl")]
sys.exit(0 if [r["n"] for r in rows] == [3, 1] else 1)'
else
  skip "python3 missing"
fi
run -e 'return {doc.title, {}, newsform.json_object(), 1.5, true}' pages/1.html
expect_eq "an array, with newsform.json's rules" "$RC:$OUT" '0:["One",[],{},1.5,true]'
run -e 'return {p=doc:select_one("p")}' pages/1.html
expect_eq "nodes in the table as their HTML" "$OUT" '{"p":"<p>a</p>"}'
run -e 'ctx.name = "n" .. ctx.index; return {i=ctx.index}' -o res/ pages/
expect_eq "-o DIR/: the entries are .json files" "$RC:$(ls res | tr '\n' ' ')" "0:n1.json n2.json "
expect_eq "-o DIR/: entry contents" "$(cat res/n2.json)" '{"i":2}'
run -e 'return {f=print}' pages/1.html
expect_eq "a table JSON cannot hold: one-line error naming the input" "$RC:$ERR" \
  "1:newsform: -e: process returned a table that is not JSON (json: cannot encode a function) (while processing pages/1.html)"
cat >fin.lua <<'LUA'
function process(doc, ctx) end
function finish(ctx) return {articles=ctx.count} end
LUA
run fin.lua pages/
expect_eq "finish may return a table too" "$RC:$OUT" '0:{"articles":2}'

# ---- ctx.count -------------------------------------------------------------
cat >count.lua <<'LUA'
function begin(ctx) return "begin " .. ctx.count end
function process(doc, ctx) return ctx.index .. ":" .. ctx.count end
function finish(ctx) return "finish " .. ctx.count end
LUA
cp pages/1.html pages/3.html
run -j 1 count.lua pages/
expect_eq "ctx.count: articles this worker processed, this one included" "$RC:$OUT" "0:begin 0
1:1
2:2
3:3
finish 3"
expect_match "README explains ctx.count" "$(tr '\n' ' ' <"$README")" \
  '`count` \(how many articles this worker has processed, this one included'

# ---- doc.source for standard input -----------------------------------------
out=$(printf '<p>x</p>' | "$NEWSFORM" -e 'return doc.source .. "|" .. ctx.input' 2>&1)
expect_eq "doc.source and ctx.input for standard input" "$out" "<stdin>|<stdin>"
expect_match "README: doc.source is \"<stdin>\" for standard input" \
  "$(grep -F '| `doc.source` |' "$README")" '"<stdin>"` for standard input'

# ---- newsform.text: no wrapping unless width is given ----------------------
long=$(printf 'word%.0s ' $(seq 1 60))
printf '<p>%s</p>' "$long" >long.html
run -e 'return newsform.text(doc)' long.html
expect_eq "newsform.text: one line per paragraph by default" "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" 1
run -e 'return newsform.text(doc, {width=72})' long.html
expect_eq "newsform.text: width=72 wraps" "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" 5
row=$(grep -F '| `newsform.text(' "$README")
expect_match "README: newsform.text is not wrapped by default" "$row" 'not wrapped by default'
case $row in *'{width=72'*) says72=yes ;; *) says72=no ;; esac
expect_eq "README: no width=72 default in newsform.text's signature" "$says72" no

# ---- the timeout message: "1 second" ---------------------------------------
run --timeout 1 -e 'while true do end' pages/1.html
expect_eq "timeout of 1 second (singular)" "$RC:$ERR" \
  "1:newsform: -e: timeout of 1 second exceeded (while processing pages/1.html)"
run --timeout 1 -o stuck.txt -e 'return (string.rep("a", 30000):find(".-.-.-.-b"))' pages/1.html
expect_eq "the watchdog's message: 1 second" "$RC:$ERR" \
  "1:newsform: -e: timeout of 1 second exceeded (while processing pages/1.html); it cannot be interrupted, stopping"
echo "1..$T_N"
