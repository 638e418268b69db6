-- test_recipe.lua: declarative recipes (keep, remove, remove_attrs, walk
-- handlers, process), their order, and their load-time checks.
local nf = require "newsform"

local f = assert(io.open("tests/fixtures/text/recipe.html", "rb"))
local PAGE = f:read("a")
f:close()

local function page() return assert(nf.parse(PAGE, {source = "recipe.html"})) end
local function count(doc, css) return #doc:select(css) end

test("remove drops every match, head included", function()
  local doc = page()
  local r = nf.apply_recipe(doc, {remove = {".share", "aside", "figure.ad", "link[rel=stylesheet]", "style"}})
  eq(r, doc, "without process the document is the result")
  eq(count(doc, ".share"), 0)
  eq(count(doc, "aside"), 0)
  eq(count(doc, "figure"), 0)
  eq(count(doc, "link"), 0)
  eq(count(doc, "style"), 0)
  eq(count(doc, "p"), 3, "paragraphs untouched")
end)

test("remove accepts one string; html/head/body are never removed", function()
  local doc = page()
  nf.apply_recipe(doc, {remove = "body, head, nav"})
  eq(count(doc, "nav"), 0)
  truthy(doc.body and doc.head, "skeleton stays")
  eq(doc.body.tag, "body")
end)

test("keep narrows the body to matches in document order", function()
  local doc = page()
  nf.apply_recipe(doc, {keep = {".story-body", "h1"}})
  local kids = doc.body.children
  eq(#kids, 2, "h1 and the outer story body")
  eq(kids[1].tag, "h1", "document order, not selector order")
  eq(kids[2]:attr("class"), "story-body")
  eq(count(doc, "div.story-body"), 2, "the nested match comes once, inside its ancestor")
  eq(count(doc, "nav"), 0)
  eq(count(doc, "footer"), 0)
  eq(doc.title, "Harbor Bridge to be rebuilt | City Times", "head untouched")
end)

test("keep that matches nothing leaves the body whole", function()
  local doc = page()
  local before = doc.body.html
  nf.apply_recipe(doc, {keep = {".nothing-here", "#nor-this"}})
  eq(doc.body.html, before)
end)

test("remove runs before keep (remove sees the whole page)", function()
  local doc = page()
  nf.apply_recipe(doc, {keep = ".story-body", remove = {"#main .related", "#main figure"}})
  eq(count(doc, "aside"), 0, "a selector using an ancestor outside keep still applies")
  eq(count(doc, "figure"), 0)
  eq(doc.body.children[1]:attr("class"), "story-body")
end)

test("remove_attrs strips names and prefix patterns everywhere", function()
  local doc = page()
  nf.apply_recipe(doc, {remove_attrs = {"style", "CLASS", "on*", "data-*"}})
  eq(count(doc, "[class]"), 0)
  eq(count(doc, "[style]"), 0)
  eq(count(doc, "[onclick]"), 0)
  eq(count(doc, "[data-track]"), 0)
  eq(doc.body:attr("onload"), nil, "body too")
  eq(count(doc, "[href]"), 7, "other attributes stay")
  eq(doc:select_one("link"):attr("rel"), "stylesheet")
end)

test("other keys are walk handlers (selectors and tags)", function()
  local doc = page()
  local seen = 0
  nf.apply_recipe(doc, {
    ["a[href^='javascript:']"] = function(n) n:unwrap() end,
    footer = function() return false end,
    h1 = function(n) seen = seen + 1; return "<h2>" .. n.text .. "</h2>" end,
  })
  eq(count(doc, "a[href^='javascript:']"), 0)
  truthy(doc.body.text:find("officials said", 1, true), "unwrapped link keeps its text")
  eq(count(doc, "footer"), 0)
  eq(seen, 1)
  eq(doc:select_one("h2").text, "Harbor Bridge to be rebuilt")
end)

test("process runs last with doc and ctx; metadata is from the original page", function()
  local doc = page()
  local ctx = {options = {}}
  local order = {}
  local r = nf.apply_recipe(doc, {
    keep = ".story-body",
    remove_attrs = "class",
    p = function(n) order[#order + 1] = "walk" end,
    process = function(d, c)
      order[#order + 1] = "process"
      eq(c, ctx)
      eq(count(d, "[class]"), 0, "after remove_attrs")
      eq(count(d, "h1"), 0, "after keep")
      return d.article.title .. "|" .. #d:select("p")
    end,
  }, ctx)
  eq(r, "Harbor Bridge to be rebuilt|3")
  eq(order[#order], "process")
  eq(order[1], "walk")
end)

test("load-time checks give clear errors", function()
  raises(function() nf.apply_recipe(page(), {keep = 3}) end,
    "recipe: keep must be a string or a list of strings")
  raises(function() nf.apply_recipe(page(), {remove = {"p", ""}}) end,
    "recipe: remove[2] must be a non-empty string")
  raises(function() nf.apply_recipe(page(), {remove = {"p["}}) end,
    "recipe: bad selector in remove")
  raises(function() nf.apply_recipe(page(), {keep = {a = "p"}}) end,
    "keep must be a list of strings")
  raises(function() nf.apply_recipe(page(), {process = "x"}) end,
    "recipe: process must be a function")
  raises(function() nf.apply_recipe(page(), {proces = function() end, kep = "p"}) end,
    "must be a function")
  raises(function() nf.apply_recipe(page(), {"p"}) end, "recipe: unexpected number key")
  raises(function() nf.apply_recipe(page(), {["div >"] = function() end}) end,
    "recipe: bad selector in div >")
  raises(function() nf.apply_recipe(page(), {remove_attrs = {true}}) end,
    "remove_attrs[1] must be a non-empty string")
end)

test("errors inside handlers propagate", function()
  raises(function()
    nf.apply_recipe(page(), {p = function() error("boom") end})
  end, "boom")
  raises(function()
    nf.apply_recipe(page(), {process = function() error("late") end})
  end, "late")
end)

done_testing()
