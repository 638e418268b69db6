-- test_select.lua: CSS selectors and XPath from Lua (doc:select, select_one,
-- node:select, doc:xpath). The selector language itself is tested in C
-- (tests/c/test_select.c); this checks what scripts see.
local nf = require "newsform"

local html = [[
<html><body>
<div id="main"><p id="p1" class="lead">One</p><p id="p2">Two <a href="http://x">x</a></p></div>
<div id="side"><p id="p3">Three</p></div>
</body></html>]]

local function ids(nodes)
  local out = {}
  for i, n in ipairs(nodes) do out[i] = n:attr("id") or n.tag end
  return table.concat(out, ",")
end

test("doc:select returns an array in document order", function()
  local doc = nf.parse(html)
  eq(ids(doc:select("p")), "p1,p2,p3")
  eq(ids(doc:select("#p3, #p1, p.lead")), "p1,p3", "groups do not duplicate")
  eq(#doc:select("blink"), 0, "no match is an empty table")
end)

test("select_one and identity", function()
  local doc = nf.parse(html)
  eq(doc:select_one("div > p + p"):attr("id"), "p2")
  eq(doc:select_one("blink"), nil)
  truthy(doc:select("p")[1] == doc:select_one("p"), "same node, same userdata")
end)

test("node:select stays below the node", function()
  local doc = nf.parse(html)
  local side = doc:select_one("#side")
  eq(ids(side:select("p")), "p3")
  eq(ids(side:select(":scope > p")), "p3")
  eq(#side:select("#side"), 0, "the node itself is excluded")
end)

test("invalid selectors raise, quoting the selector", function()
  local doc = nf.parse(html)
  raises(function() doc:select("p[") end, "invalid selector 'p['")
  raises(function() doc:select_one("a >") end, "expected selector after '>'")
  raises(function() doc.body:select("p:hover") end, "unknown pseudo-class ':hover'")
end)

test("doc:xpath kinds", function()
  local doc = nf.parse(html)
  local ps = doc:xpath("//p")
  eq(#ps, 3)
  truthy(ps[1] == doc:select_one("p"), "nodes are the same userdata")
  eq(doc:xpath("count(//p)"), 3)
  eq(doc:xpath("string(//p[@id='p2'])"), "Two x")
  eq(doc:xpath("count(//p) > 2"), true)
  eq(doc:xpath("boolean(//blink)"), false)
end)

test("invalid XPath raises, quoting the expression", function()
  local doc = nf.parse(html)
  raises(function() doc:xpath("//p[") end, "invalid XPath expression '//p['")
  raises(function() doc:xpath("nosuch()") end, "unknown function")
end)

