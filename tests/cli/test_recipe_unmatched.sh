#!/bin/sh
# test_recipe_unmatched.sh: a recipe handler whose key matched nothing in the
# whole run (all inputs, all workers) is reported once on standard error;
# handlers keyed by class fire although remove_attrs strips class.
. "$(dirname "$0")/lib.sh"
cd "$T_TMP" || exit 2
printf '<p class="lede">Lede</p><p>one</p>\n' >a.html
printf '<p>two</p><blink>old</blink>\n' >b.html
printf '<p>three</p>\n' >c.html
cat >r.lua <<'LUA'
return {
  remove_attrs = {"class"},
  [".lede"] = function(n) n.tag = "strong" end,
  [".nothing-here"] = function(n) n:remove() end,
  blink = function(n) n:unwrap() end,
  marquee = function(n) n:unwrap() end,
  process = function(doc) return doc.body.inner_html end,
}
LUA

run r.lua a.html
expect_eq "class handler fired, class stripped after" "$RC:$OUT" "0:<strong>Lede</strong><p>one</p>"
expect_eq "one warning per handler that matched nothing, sorted" "$ERR" \
"newsform: r.lua: the recipe handler '.nothing-here' matched nothing in 1 input
newsform: r.lua: the recipe handler 'blink' matched nothing in 1 input
newsform: r.lua: the recipe handler 'marquee' matched nothing in 1 input"

for j in 1 2 3; do
  run -j $j r.lua a.html b.html c.html
  expect_eq "-j $j: output" "$RC:$OUT" "0:<strong>Lede</strong><p>one</p>
<p>two</p>old
<p>three</p>"
  expect_eq "-j $j: a handler that matched on any worker is not reported" "$ERR" \
"newsform: r.lua: the recipe handler '.nothing-here' matched nothing in 3 inputs
newsform: r.lua: the recipe handler 'marquee' matched nothing in 3 inputs"
done

cat >all.lua <<'LUA'
return { p = function(n) n.tag = "div" end, text = function() end }
LUA
run all.lua a.html b.html
expect_eq "every handler matched: no warning" "$RC:$ERR" "0:"

run r.lua missing.html
expect_eq "no input processed: only the input's error" "$RC:$ERR" \
  "1:newsform: missing.html: No such file or directory"
echo "1..$T_N"
