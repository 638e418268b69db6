-- test_text.lua: newsform.sentences, summary, keywords, retag, normalize
-- and the node methods normalize/retag.
local nf = require "newsform"

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

local ARTICLE = assert(read("tests/fixtures/text/article.html"))

local function join(list) return table.concat(list, " | ") end

test("sentences: abbreviations, decimals, quotes, ellipses", function()
  eq(join(nf.sentences("Gen. Kayani met Dr. Ray in the U.S. on Jan. 5. "
    .. "It cost $1.5 billion. \"Why?\" he asked. Well... Then it ended.")),
    "Gen. Kayani met Dr. Ray in the U.S. on Jan. 5. | It cost $1.5 billion. | "
    .. "\"Why?\" he asked. | Well... | Then it ended.")
  eq(#nf.sentences(""), 0)
  eq(join(nf.sentences("  a  line\n  wrapped.  Next.")), "a line wrapped. | Next.",
    "whitespace squashed")
end)

test("sentences: argument checks", function()
  raises(function() nf.sentences() end, "bad argument #1")
  raises(function() nf.sentences({}) end, "bad argument #1")
  raises(function() nf.sentences("a", "b") end, "no more arguments")
end)

test("summary of text: lead and textrank, in text order", function()
  local text = "First. Second. Third. Fourth."
  eq(join(nf.summary(text, 2, {method = "lead"})), "First. | Second.")
  eq(join(nf.summary(text, 9)), "First. | Second. | Third. | Fourth.")
  eq(#nf.summary(text, 0), 0)
  eq(#nf.summary(text), 3, "n defaults to 3")
end)

test("summary of a document uses its article text and keeps order", function()
  local doc = assert(nf.parse(ARTICLE))
  local s = nf.summary(doc, 3)
  eq(#s, 3)
  eq(s[1], "The city council approved a budget for new bridges on Monday.",
    "the lead comes first")
  -- every sentence comes from the article body, in text order
  local body = nf.sentences(table.concat(nf.summary(doc, 100, {method = "lead"}), " "))
  local pos = {}
  for i, x in ipairs(body) do pos[x] = i end
  local last = 0
  for _, x in ipairs(s) do
    truthy(pos[x], "sentence from the article: " .. x)
    truthy(pos[x] > last, "text order")
    last = pos[x]
  end
  for _, x in ipairs(s) do
    truthy(not x:find("Subscribe", 1, true), "no script or nav text")
  end
  local again = nf.summary(doc, 3)
  eq(join(again), join(s), "deterministic")
  local tr = nf.summary(doc, 2, {method = "textrank"})
  eq(#tr, 2)
end)

test("summary of a node", function()
  local doc = assert(nf.parse("<div><p>One here.</p><p>Two here</p><p>Three.</p></div>"))
  eq(join(nf.summary(doc:select_one("div"), 2, {method = "lead"})),
    "One here. | Two here", "block boundaries end sentences")
end)

test("summary of a node: subheadings and bylines are not sentences", function()
  local doc = assert(nf.parse("<div><p>By Jane Roe</p>"
    .. "<p>The council approved the bridge plan on Monday after a long debate.</p>"
    .. "<h2>What Comes Next</h2>"
    .. "<p>Two new lanes will open next year on the east side of the river.</p></div>"))
  eq(join(nf.summary(doc:select_one("div"), 2, {method = "lead"})),
    "The council approved the bridge plan on Monday after a long debate. | "
    .. "Two new lanes will open next year on the east side of the river.")
  eq(#nf.sentences("By Jane Roe\n\nWhat Comes Next\n\nIt rained."), 3,
    "sentences still splits everything")
end)

test("sentences {running = true}: sentences of running text, as summary", function()
  local text = "Bridge Plan Passes\n\nBy Jane Roe\n\n"
    .. "The council approved the bridge plan on Monday after a long debate. It took hours.\n\n"
    .. "What Comes Next\n\nTwo new lanes will open next year on the east side of the river."
  local s = nf.sentences(text, {running = true})
  eq(join(s), "The council approved the bridge plan on Monday after a long debate. | "
    .. "It took hours. | Two new lanes will open next year on the east side of the river.")
  eq(join(nf.summary(text, 100, {method = "lead"})), join(s), "summary's lead = running sentences")
  eq(#nf.sentences(text), 6, "without the option: every piece")
  eq(#nf.sentences(text, {running = false}), 6)
  local doc = assert(nf.parse("<div><p>By Jane Roe</p><p>The council approved the bridge plan on Monday after a long debate.</p>"
    .. "<h2>What Comes Next</h2><p>Two new lanes will open next year on the east side of the river.</p></div>"))
  local node = doc:select_one("div")
  eq(join(nf.sentences(node, {running = true})), join(nf.summary(node, 100, {method = "lead"})),
    "a node: the same")
  eq(#nf.sentences(node, {running = true}), 2)
  raises(function() nf.sentences(text, {runing = true}) end, "unknown option 'runing'")
  raises(function() nf.sentences(text, {}, 3) end, "no more arguments")
end)

test("summary: option checks", function()
  raises(function() nf.summary("a.", 2, {methd = "lead"}) end, "unknown option 'methd'")
  raises(function() nf.summary("a.", 2, {method = "best"}) end, "bad option method 'best'")
  raises(function() nf.summary("a.", -1) end, "must not be negative")
  raises(function() nf.summary(42, 1) end, "string, document or node")
end)

test("keywords", function()
  local doc = assert(nf.parse(ARTICLE))
  local k = nf.keywords(doc, 3)
  eq(#k, 3)
  eq(k[1], "Harbor Bridge", "a repeated proper-noun phrase keeps its capitals")
  eq(k[2], "bridges")
  eq(join(nf.keywords("Zebra, apple; zebra, apple, mango, zebra.", 2)), "zebra | apple")
  eq(#nf.keywords("the and of"), 0)
  raises(function() nf.keywords("x", 1, 2) end, "no more arguments")
end)

test("retag with names and functions", function()
  local doc = assert(nf.parse("<div><b>x</b><i class='k'>y</i><i>z</i><B>w</B></div>"))
  local div = doc:select_one("div")
  local n = nf.retag(div, {B = "strong", i = function(node)
    if node:attr("class") == "k" then return "em" end
  end})
  eq(n, 3)
  eq(div.inner_html, "<strong>x</strong><em class=\"k\">y</em><i>z</i><strong>w</strong>")
  eq(div:retag({strong = "b"}), 2, "node method")
  raises(function() nf.retag(div, {b = 3}) end, "must be a tag name or a function")
  raises(function() nf.retag(div, {b = "no good"}) end, "invalid tag name")
  raises(function() nf.retag(div, {[1] = "b"}) end, "map keys must be tag names")
  raises(function() nf.retag(div, {b = function() return 1 end}) end,
    "must return a tag name or nil")
  raises(function() nf.retag(doc, {body = "div"}) end, "cannot rename the document's <body>")
  -- a function that removes nodes while retagging is safe
  local d2 = assert(nf.parse("<p><b>1</b><b>2</b></p>"))
  local c = nf.retag(d2, {b = function(node)
    local nx = node.next
    if nx then nx:remove() end
    return "strong"
  end})
  eq(c, 2)
  eq(d2:select_one("p").inner_html, "<strong>1</strong>")
end)

test("normalize: node method and module function", function()
  local doc = assert(nf.parse(
    "<div id='x'><center><font color='red'>Hi</font> <b>there</b></center>"
    .. "<p class='lead' style='x'>P</p><p></p><span lang='fr'>oui</span></div>"))
  local div = doc:select_one("div")
  local r = div:normalize()
  eq(r, div, "returns the node")
  eq(div.html, "<div><p>Hi <strong>there</strong></p><p>P</p><span lang=\"fr\">oui</span></div>")
  local d2 = assert(nf.parse("<div><p class='lead' id='a' style='s'>x</p></div>"))
  nf.normalize(d2, {keep_attrs = {"class", "id"}})
  eq(d2:select_one("p").html, "<p class=\"lead\" id=\"a\">x</p>", "keep_attrs on a document")
  local d3 = assert(nf.parse("<div><p class='lead' id='a'>x</p></div>"))
  d3.body:normalize({keep_attrs = "class"})
  eq(d3:select_one("p").html, "<p class=\"lead\">x</p>", "keep_attrs as one string")
  raises(function() div:normalize({keep = {"class"}}) end, "unknown option 'keep'")
  raises(function() div:normalize({keep_attrs = {1}}) end, "list of attribute names")
  raises(function() nf.normalize("x") end, "node or document")
end)

test("normalize keeps removed nodes usable", function()
  local doc = assert(nf.parse("<div><p><span></span></p><p>x</p></div>"))
  local empty = doc:select_one("p")
  doc.body:normalize()
  eq(empty.tag, "p", "a removed node can still be read")
  eq(doc.body.inner_html, "<div><p>x</p></div>")
end)

local seed = read("../shared/corpus/seed/clinton-pakistan.txt")
if seed then
  test("seed: summary starts with the lead", function()
    local doc = assert(nf.parse(seed, {type = "text"}))
    local s = nf.summary(doc, 3)
    eq(#s, 3)
    truthy(s[1]:find("^U%.S%. Secretary of State Hillary Clinton reiterated.*stepping up pressure"), s[1])
    local k = nf.keywords(doc, 6)
    truthy(table.concat(k, ","):find("Pakistan", 1, true), "Pakistan is a keyword")
  end)
else
  skip("seed: summary starts with the lead", "../shared absent")
end

done_testing()

test("normalize and retag survive option tables whose metamethods close the document", function()
  local nf = require "newsform"
  local d = nf.parse("<div><p><b>x</b></p></div>")
  local p = d:select_one("p")
  raises(function()
    nf.normalize(p, setmetatable({}, {__index = function() d:close() end}))
  end, "closed document")
  local d2 = nf.parse("<div><p><b>x</b><i>y</i></p></div>")
  local map = setmetatable({}, {__index = function() d2:close(); return "em" end})
  eq(nf.retag(d2, map), 0, "the map is read raw: its __index never runs")
  eq(d2.closed, false)
end)
