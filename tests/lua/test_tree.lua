-- test_tree.lua: the document tree in Lua: fields, edits, walk, identity
-- and the lifetime rules (nodes kept after removal or after close).
local nf = require "newsform"

local PAGE = [[<!DOCTYPE html><html lang="en"><head><title>The Title</title></head>
<body><article id="main" class="story big">
<h1>Heading</h1>
<p class="lede">First <b>bold</b> &amp; <a href="/x">link</a>.</p>
<p>Second paragraph.</p>
<ul><li>one</li><li>two</li></ul>
</article><footer>foot</footer></body></html>]]

local function page() return assert(nf.parse(PAGE, {source = "page.html"})) end

test("document fields", function()
  local doc = page()
  eq(doc.title, "The Title")
  eq(doc.root.tag, "html")
  eq(doc.head.tag, "head")
  eq(doc.body.tag, "body")
  eq(doc.source, "page.html")
  eq(doc.type, "html")
  truthy(doc.html:find("^<!DOCTYPE html>"), "doc.html is the whole page")
  eq(tostring(doc), "newsform.Document (page.html)")
end)

test("node fields", function()
  local doc = page()
  local art = doc.body.children[1]
  eq(art.tag, "article")
  eq(art.type, "element")
  eq(#art.children, 4, "element children only")
  eq(art.children[2].text, "First bold & link.")
  eq(art.children[2].html, '<p class="lede">First <b>bold</b> &amp; <a href="/x">link</a>.</p>')
  eq(art.children[2].inner_html, 'First <b>bold</b> &amp; <a href="/x">link</a>.')
  eq(art.children[2].parent, art)
  eq(art.children[2].next, art.children[3])
  eq(art.children[3].prev, art.children[2])
  eq(art.children[1].prev, nil)
  eq(doc.root.parent, nil, "the root element has no parent node handle")
  eq(art.children[2].line, 4)
  truthy(#art.nodes > #art.children, "nodes include text nodes")
  eq(art.nodes[1].type, "text")
  eq(art.nodes[1].tag, "#text")
end)

test("identity: the same node is the same userdata", function()
  local doc = page()
  local a = doc.body.children[1]
  local b = doc.body.children[1]
  eq(rawequal(a, b), true)
  local t = {}
  t[a] = 1
  eq(t[doc.body.children[1]], 1, "usable as table keys")
  collectgarbage()
  eq(doc.body.children[1].children[1].parent, a)
end)

test("attributes", function()
  local doc = page()
  local art = doc.body.children[1]
  eq(art:attr("id"), "main")
  eq(art:attr("missing"), nil)
  art:attr("data-n", 5)
  eq(art:attr("data-n"), "5", "numbers become strings")
  art:attr("id", nil)
  eq(art:attr("id"), nil, "nil removes")
  local attrs = art:attrs()
  eq(attrs.class, "story big")
  eq(attrs["data-n"], "5")
  truthy(art:has_class("big"))
  eq(art:has_class("bi"), false)
  art:add_class("x"):remove_class("story")
  eq(art:attr("class"), "big x")
  raises(function() art:attr("bad name", "v") end, "invalid attribute name")
  raises(function() art:attr("x", {}) end, "string, number, boolean or nil expected")
end)

test("setting tag, text, inner_html", function()
  local doc = page()
  local p = doc.body.children[1].children[2]
  p.tag = "DIV"
  eq(p.tag, "div")
  raises(function() p.tag = "not valid" end, "invalid tag name")
  p.text = "a < b"
  eq(p.html, '<div class="lede">a &lt; b</div>')
  p.inner_html = "<em>x</em> y"
  eq(p.html, '<div class="lede"><em>x</em> y</div>')
  raises(function() p.foo = 1 end, "cannot set field 'foo'")
  raises(function() doc.title = "x" end, "cannot set field 'title'")
end)

test("remove, unwrap, replace, append, prepend, before, after, clone", function()
  local doc = nf.parse("<div><p>a</p><p>b</p><p>c</p></div>")
  local div = doc.body.children[1]
  local a, b, c = table.unpack(div.children)
  eq(b:remove(), b)
  eq(div.html, "<div><p>a</p><p>c</p></div>")
  eq(b.text, "b", "a removed node still works")
  eq(b.parent, nil)
  a:after(b)
  eq(div.html, "<div><p>a</p><p>b</p><p>c</p></div>", "re-inserted")
  c:before("<hr><p>x</p>")
  eq(div.html, "<div><p>a</p><p>b</p><hr><p>x</p><p>c</p></div>")
  div:append({"<i>1</i>", "<i>2</i>"})
  div:prepend("<h2>h</h2>")
  eq(div.html, "<div><h2>h</h2><p>a</p><p>b</p><hr><p>x</p><p>c</p><i>1</i><i>2</i></div>")
  local strong = div.children[2]:replace("<strong>A</strong>")
  eq(#strong, 1, "replace returns an array of the new nodes")
  eq(strong[1].tag, "strong", "replace returns the new node")
  local copy = div:clone()
  eq(copy.parent, nil)
  eq(copy.html, div.html)
  div.children[1]:unwrap()
  truthy(div.html:find("^<div>h<strong>"), "unwrap keeps children")
  raises(function() div:append(div) end, "into itself")
  raises(function() div.children[1]:append(div) end, "into itself")
  raises(function() div:append(42) end, "expected an HTML string")
  raises(function() doc.body:remove() end, "cannot remove the document's <body>")
  raises(function() doc.root.text = "x" end, "cannot replace the contents of")
end)

test("nodes from another document are copied in", function()
  local d1 = nf.parse("<div id=a></div>")
  local d2 = nf.parse("<p>from two</p>")
  local p = d2.body.children[1]
  d1.body.children[1]:append(p)
  eq(d1.body.children[1].html, '<div id="a"><p>from two</p></div>')
  eq(d2.body.children[1], p, "the original stays in its own document")
  d2:close()
  eq(d1.body.children[1].children[1].text, "from two", "the copy outlives the source document")
end)

test("walk: handlers by tag, css, *, text; nil keeps, false removes, strings replace", function()
  local doc = page()
  local seen = {}
  doc:walk{
    ["*"] = function(n) seen[#seen + 1] = n.tag end,
    b = function(n) return "<strong>" .. n.text .. "</strong>" end,
    ["p.lede"] = function(n) n:attr("data-lede", "1") end,
    footer = function() return false end,
    text = function(t) if t.text == "Second paragraph." then t.text = "2nd." end end,
  }
  eq(seen[1], "html", "top-down from the root")
  eq(doc:select_one("footer"), nil, "false removed the footer")
  eq(doc:select_one("p.lede").html, '<p class="lede" data-lede="1">First <strong>bold</strong> &amp; <a href="/x">link</a>.</p>')
  eq(doc:select("p")[2].text, "2nd.")
end)

test("walk: a handler may mutate the tree freely", function()
  local doc = nf.parse("<div><p>1</p><p>2</p><p>3</p><p>4</p></div>")
  local count = 0
  doc:walk{ p = function(n)
    count = count + 1
    if n.text == "1" then n.next:remove() end  -- remove the next node
    if n.text == "3" then n.parent:append("<p>5</p>") end
    if n.text == "4" then n:remove() end       -- remove itself
  end }
  eq(count, 4, "1, 3, 4 and the appended 5")
  eq(doc.body.html, "<body><div><p>1</p><p>3</p><p>5</p></div></body>")
  doc:walk{ div = function(n) return {n.children[1], "<hr>"} end }
  eq(doc.body.html, "<body><p>1</p><hr></body>", "a list replaces")
  raises(function() doc:walk{ hr = function(n) n.parent:remove() end } end, "cannot remove the document's <body>")
end)

test("walk: errors name the handler and the node", function()
  local doc = page()
  local err = raises(function() doc:walk{ li = function(n) error("boom") end } end, "boom")
  truthy(tostring(err):find("walk handler 'li' on <li> from line 6", 1, true), err)
  raises(function() doc:walk{ [1] = print } end, "handler keys must be strings")
  raises(function() doc:walk{ p = 5 } end, "not a function")
end)

test("node:walk includes the node itself", function()
  local doc = page()
  local tags = {}
  doc.body.children[1].children[4]:walk{ ["*"] = function(n) tags[#tags + 1] = n.tag end }
  eq(table.concat(tags, ","), "ul,li,li")
end)

test("lifetime: nodes kept after removal of their parent and after close", function()
  local doc = page()
  local li = doc.body.children[1].children[4].children[1]
  local ul = li.parent
  ul:remove()
  eq(li.text, "one", "a node whose parent was removed still works")
  li:remove()
  eq(li.html, "<li>one</li>")
  collectgarbage(); collectgarbage()
  eq(li.text, "one")
  doc:close()
  eq(doc.closed, true)
  raises(function() return li.text end, "closed document")
  raises(function() return doc.body end, "closed document")
  raises(function() doc:select("p") end, "closed document")
  doc:close() -- idempotent
end)

test("lifetime: nodes outlive their document variable (kept alive by handles)", function()
  local node
  do
    local doc = page()
    node = doc.body.children[1]
  end
  collectgarbage(); collectgarbage()
  eq(node.tag, "article", "the handle keeps the document alive")
  eq(node.document.title, "The Title")
end)

test("to-be-closed documents", function()
  local kept
  do
    local doc <close> = page()
    kept = doc.body
  end
  raises(function() return kept.tag end, "closed document")
end)

test("parse options are checked", function()
  raises(function() nf.parse("x", {typo = 1}) end, "unknown option 'typo'")
  raises(function() nf.parse("x", {type = "pdf"}) end, "bad option type")
  eq(nf.parse("plain words", {type = "text"}).type, "text")
  local doc, err = nf.parse("<p>x</p>", {encoding = "nope"})
  eq(doc, nil); truthy(err:find("nope"))
end)

test("wrong types raise clear errors", function()
  local doc = page()
  raises(function() doc.body.select(5, "p") end, "bad argument #1")
  raises(function() getmetatable(doc.body).__index(doc, "tag") end, "newsform.Node expected")
end)

test("hostile: many nodes, deep trees, huge attributes", function()
  local parts = {}
  for i = 1, 3000 do parts[#parts + 1] = "<div>" end
  local doc = nf.parse(table.concat(parts) .. "x")
  local n = 0
  doc:walk{ div = function() n = n + 1 end }
  eq(n, 3000)
  local big = nf.parse('<p title="' .. ("a"):rep(1000000) .. '">x</p>')
  eq(#big.body.children[1]:attr("title"), 1000000)
end)
