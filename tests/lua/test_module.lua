-- test_module.lua: the module table that luaopen_newsform builds from its
-- binding parts, and what one part adds to another's types (doc.article
-- from lua_article.c, node:normalize/node:retag from lua_text.c).
local nf = require "newsform"

test("the module table has every part's functions", function()
  local keys = {}
  for k in pairs(nf) do keys[#keys + 1] = k end
  table.sort(keys)
  eq(table.concat(keys, " "), "apply_recipe bundle extract html inputs json json_decode json_object"
     .. " keywords markdown normalize null parse read retag sentences summary text version")
end)

test("doc.article comes from the article part, cached per document", function()
  local doc = assert(nf.parse("<html><head><title>T</title></head><body><article>"
    .. "<h1>T</h1><p>" .. ("Words in a paragraph. "):rep(20) .. "</p></article></body></html>"))
  local a = doc.article
  eq(type(a), "table")
  truthy(a == doc.article, "the same table each time")
  truthy(a == nf.extract(doc), "newsform.extract gives the same table")
  eq(doc.no_such_field, nil)
  doc:close()
  raises(function() return doc.article end, "closed document")
  eq(doc.closed, true)
end)

test("unknown document fields are nil, before and after close", function()
  local doc = assert(nf.parse("<p>x</p>"))
  eq(doc.__index, nil)
  eq(doc.articles, nil)
  doc:close()
  raises(function() return doc.__index end, "closed document")
end)

test("node methods added by the text part", function()
  local doc = assert(nf.parse("<div><b>x</b><i>y</i></div>"))
  local div = doc:select_one("div")
  eq(type(div.normalize), "function")
  eq(div:retag{ b = "strong" }, 1)
  eq(div.inner_html, "<strong>x</strong><i>y</i>")
  eq(div:normalize(), div)
end)

test("a document pushed by one part is usable by all", function()
  local doc = assert(nf.parse("<p>One sentence here. Another one there.</p>"))
  eq(#nf.sentences(nf.text(doc)), 2)
  eq(nf.json({ doc:select_one("p") }), '["<p>One sentence here. Another one there.</p>"]')
  truthy(tostring(doc):find("^newsform.Document"), "tostring")
  local recipe_result = nf.apply_recipe(doc, { remove = "p" })
  eq(recipe_result, doc)
  eq(doc:select_one("p"), nil)
end)

test("closing from __close and __gc", function()
  local p
  do
    local doc <close> = assert(nf.parse("<p>x</p>"))
    p = doc:select_one("p")
  end
  raises(function() return p.text end, "closed document")
  for _ = 1, 200 do nf.parse("<p>garbage</p>") end
  collectgarbage()
  collectgarbage()
end)
