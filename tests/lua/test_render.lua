-- test_render.lua: newsform.text / markdown / html and their options.
local nf = require "newsform"

local doc = nf.parse([[<html><head><title>Page &amp; title</title></head><body>
<h1>Head</h1><p>One <b>two</b> <a href="/x">link</a>.</p>
<ul><li>a</li><li>b</li></ul><p>x<script>bad()</script></p>
<table><tr><td>1</td><td>2|3</td></tr></table></body></html>]])

test("text of a document and of a node", function()
  eq(nf.text(doc), "Head\n\nOne two link.\n\n- a\n- b\n\nx\n\n1 | 2|3\n")
  eq(nf.text(doc:select_one("p")), "One two link.\n")
end)

test("text options: width and links", function()
  local d = nf.parse("<p>alpha beta gamma delta <a href='https://e.org/'>epsilon</a></p>")
  eq(nf.text(d, {width = 11}), "alpha beta\ngamma delta\nepsilon\n")
  eq(nf.text(d, {links = "inline"}), "alpha beta gamma delta epsilon (https://e.org/)\n")
  eq(nf.text(d, {links = "none"}), "alpha beta gamma delta epsilon\n")
end)

test("markdown: commonmark and gfm", function()
  local md = nf.markdown(doc.body)
  truthy(md:find("# Head\n\nOne **two** [link](/x).\n\n- a\n- b\n\nx\n\n<table>", 1, true), md)
  local gfm = nf.markdown(doc.body, {flavor = "gfm"})
  truthy(gfm:find("| 1 | 2\\|3 |\n| --- | --- |", 1, true), gfm)
end)

test("markdown: base_url and width", function()
  local d = nf.parse("<p><a href='b.html'>b</a> one two three four five six</p>")
  eq(nf.markdown(d, {base_url = "https://x.org/a/"}),
     "[b](https://x.org/a/b.html) one two three four five six\n")
  eq(nf.markdown(d, {width = 20}), "[b](b.html) one two\nthree four five six\n")
end)

test("html: safe fragment, document, xhtml", function()
  local h = nf.html(doc:select("p")[2])
  eq(h, "<p>x</p>")
  eq(nf.html(doc:select("p")[2], {unsafe = true}), "<p>x<script>bad()</script></p>")
  local page = nf.html(doc, {document = true})
  truthy(page:find("<title>Page &amp; title</title>", 1, true), page)
  truthy(page:find("<!DOCTYPE html>", 1, true))
  local x = nf.html(doc, {document = true, xhtml = true, title = "T", lang = "en"})
  truthy(x:find('<html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">', 1, true), x)
  truthy(x:find("<title>T</title>", 1, true))
  local n = nf.parse("<p>a&nbsp;b<br><img src='https://i.example/x.png' alt='X'></p>")
  eq(nf.html(n:select_one("p"), {xhtml = true}),
     '<p>a\194\160b<br/><img src="https://i.example/x.png" alt="X"/></p>')
  eq(nf.html(n:select_one("p"), {xhtml = true, offline = true}),
     '<p>a\194\160b<br/><a href="https://i.example/x.png">X</a></p>')
end)

test("renderers check their arguments and options strictly", function()
  raises(function() nf.text("not a node") end, "node or document")
  raises(function() nf.text(doc, {widht = 72}) end, "unknown option 'widht'")
  raises(function() nf.text(doc, {width = -1}) end, "width")
  raises(function() nf.text(doc, {width = "wide"}) end, "width")
  raises(function() nf.text(doc, {links = "footnotes"}) end, "links")
  raises(function() nf.markdown(doc, {flavor = "markdown-it"}) end, "flavor")
  raises(function() nf.markdown(doc, {gfm = true}) end, "unknown option 'gfm'")
  raises(function() nf.markdown(doc, {links = "footnotes"}) end,
         "option 'links' must be \"inline\", \"reference\" or \"none\"")
  raises(function() nf.markdown(doc, {links = 1}) end, "links")
  raises(function() nf.html(doc, {documnet = true}) end, "unknown option")
  raises(function() nf.html(doc, {title = 5}) end, "title")
  raises(function() nf.html(doc, {}, 3) end, "too many arguments")
end)

test("markdown links: reference numbers, none, footnotes on many references", function()
  local d = nf.parse('<p><a href="/a">x</a> <a href="/b">y</a> <a href="/a">z</a></p>')
  eq(nf.markdown(d.body, {links = "reference"}), "[x][1] [y][2] [z][1]\n\n[1]: /a\n[2]: /b\n")
  eq(nf.markdown(d.body, {links = "none"}), "x y z\n")
  eq(nf.markdown(d.body, {links = "inline"}), nf.markdown(d.body))
  -- Many references to one big note: each is [^1], the note written once.
  local refs = string.rep('<sup><a href="#n">1</a></sup>', 20000)
  local big = nf.parse("<p>" .. refs .. '</p><ol><li id="n">' .. string.rep("note ", 20000) .. "</li></ol>")
  local md = nf.markdown(big.body, {flavor = "gfm"})
  local _, count = md:gsub("%[%^1%]", "")
  eq(count, 20001)
  truthy(md:find("\n%[%^1%]: note note"), "the note at the end")
end)

test("renderers work on removed nodes", function()
  local d = nf.parse("<div><p>keep <em>me</em></p></div>")
  local p = d:select_one("p")
  p:remove()
  eq(nf.markdown(p), "keep *me*\n")
  eq(nf.text(d), "")
end)

