-- test_recipe_order.lua: recipe handlers run before remove_attrs (as calibre
-- strips attributes last), so handlers keyed by class or id still fire.
local nf = require "newsform"

test("a handler keyed by class fires although remove_attrs lists class", function()
  local doc = nf.parse('<div class="byline">By A</div><p id="x" class="lede">L</p><p>b</p>')
  local fired = {}
  nf.apply_recipe(doc, {
    remove_attrs = {"class", "id"},
    [".byline"] = function(n) fired[#fired + 1] = "byline"; n.tag = "address" end,
    ["#x"] = function(n) fired[#fired + 1] = "#x"; n.tag = "strong" end,
    ["p.lede"] = function(n) fired[#fired + 1] = "p.lede" end,
  })
  table.sort(fired)
  eq(table.concat(fired, ","), "#x,byline,p.lede")
  eq(doc.body.inner_html, "<address>By A</address><strong>L</strong><p>b</p>",
    "renamed by the handlers, then the attributes stripped")
end)

test("process sees the document after remove_attrs", function()
  local doc = nf.parse('<p class="a" style="x">t</p>')
  local seen
  nf.apply_recipe(doc, {
    remove_attrs = "class",
    p = function(n) seen = n:attr("class") end,
    process = function(d) eq(d.body.inner_html, '<p style="x">t</p>') end,
  })
  eq(seen, "a", "the handler saw the class")
end)
