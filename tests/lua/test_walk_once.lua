-- test_walk_once.lua: doc:walk matches each node against the handlers once,
-- by what the node was when the walk reached it (as pandoc filters do):
-- renaming it in a handler never makes another handler fire on it.
local nf = require "newsform"

local function rename(to) return function(n) n.tag = to end end

test("walk: a chain of tag renames moves each heading one level", function()
  local doc = nf.parse("<h1>A</h1><h2>B</h2><h3>C</h3>")
  doc:walk{ h1 = rename("h2"), h2 = rename("h3"), h3 = rename("h4") }
  eq(doc.body.inner_html, "<h2>A</h2><h3>B</h3><h4>C</h4>")
end)

test("walk: a swap of two tags swaps them", function()
  local doc = nf.parse("<b>x</b> <i>y</i>")
  doc:walk{ b = rename("i"), i = rename("b") }
  eq(doc.body.inner_html, "<i>x</i> <b>y</b>")
end)

test("walk: selector keys are matched once too (chain and swap)", function()
  local doc = nf.parse('<p class="one">1</p><p class="two">2</p><p class="three">3</p>')
  local calls = 0
  local function move(from, to)
    return function(n) calls = calls + 1; n:remove_class(from); n:add_class(to) end
  end
  doc:walk{ ["p.one"] = move("one", "two"), ["p.two"] = move("two", "three"),
            ["p.three"] = move("three", "four") }
  eq(doc.body.inner_html, '<p class="two">1</p><p class="three">2</p><p class="four">3</p>')
  eq(calls, 3, "one handler call per node")
  doc = nf.parse('<span class="a">x</span> <span class="b">y</span>')
  doc:walk{ [".a"] = move("a", "b"), [".b"] = move("b", "a") }
  eq(doc.body.inner_html, '<span class="b">x</span> <span class="a">y</span>')
end)

test("walk: tag and selector keys mixed: a renamed node is not re-dispatched", function()
  local doc = nf.parse('<b class="k">x</b><i class="k">y</i><em>z</em>')
  local seen = {}
  doc:walk{
    b = function(n) seen[#seen + 1] = "b:" .. n.text; n.tag = "i" end,
    ["i.k"] = function(n) seen[#seen + 1] = "i.k:" .. n.text; n.tag = "em" end,
    em = function(n) seen[#seen + 1] = "em:" .. n.text; n.tag = "b" end,
  }
  eq(table.concat(seen, " "), "b:x i.k:y em:z")
  eq(doc.body.inner_html, '<i class="k">x</i><em class="k">y</em><b>z</b>')
end)

test("walk: every handler that matched on arrival still runs after a rename", function()
  local doc = nf.parse('<b class="k">x</b>')
  local seen = {}
  doc:walk{
    b = function(n) seen[#seen + 1] = "b"; n.tag = "i" end,
    [".k"] = function(n) seen[#seen + 1] = ".k on " .. n.tag end,
    i = function() seen[#seen + 1] = "i" end,
    ["*"] = function(n) if n.tag ~= "html" and n.tag ~= "head" and n.tag ~= "body" then
      seen[#seen + 1] = "* on " .. n.tag end end,
  }
  eq(table.concat(seen, ", "), "b, .k on i, * on i")
end)

test("walk: node:walk and children of a renamed node are still walked", function()
  local doc = nf.parse("<div><h1>A <b>b</b></h1></div>")
  doc.body.children[1]:walk{ h1 = rename("h2"), h2 = rename("h3"), b = rename("strong") }
  eq(doc.body.inner_html, "<div><h2>A <strong>b</strong></h2></div>")
end)
