-- test_article.lua: doc.article and newsform.extract.
local newsform = require("newsform")

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local page = read("tests/fixtures/extract/basic.html")

test("doc.article is a table, computed once", function()
  local doc = newsform.parse(page)
  local a = doc.article
  eq(type(a), "table")
  truthy(rawequal(a, doc.article), "same table on every access")
  truthy(rawequal(a, newsform.extract(doc)), "newsform.extract gives the same table")
end)

test("article fields", function()
  local doc = newsform.parse(page, { url = "https://news.example.com/local/bridge" })
  local a = doc.article
  eq(type(a.text), "string")
  truthy(a.text:find("The new bridge over the Elm River opened", 1, true), "text has the story")
  truthy(not a.text:find("Politics and government", 1, true), "no nav in the text")
  truthy(a.text:find("every day.\n\nMayor", 1, true), "paragraphs split by a blank line")
  eq(math.type(a.word_count), "integer")
  truthy(a.word_count > 100, "word count")
  eq(a.reading_time, 1)
  eq(type(a.authors), "table")
  eq(type(a.tags), "table")
  truthy(a.title == nil or type(a.title) == "string", "title string or nil")
end)

test("body is a detached node of the document", function()
  local doc = newsform.parse(page)
  local body = doc.article.body
  eq(type(body), "userdata")
  eq(body.tag, "div")
  eq(body.attached, false)
  truthy(rawequal(body, doc.article.body), "same handle")
  truthy(body.html:find("<figcaption>", 1, true), "figure kept in the body")
  truthy(not body.html:find("<script", 1, true), "no script in the body")
  local ps = body:select("p")
  truthy(#ps >= 4, "paragraphs selectable in the body")
end)

test("the page is not changed by extraction", function()
  local doc = newsform.parse(page)
  local before = doc.html
  local _ = doc.article
  eq(doc.html, before)
end)

test("text dumps", function()
  local doc = newsform.parse(read("tests/fixtures/extract/dump.txt"))
  local a = doc.article
  eq(a.text:sub(1, 25), "The town hall's new clock")
  truthy(not a.text:find("Town Hall Gets New Clock", 1, true), "no title in the text")
end)

test("bad arguments raise", function()
  raises(function() newsform.extract("not a doc") end)
  raises(function() newsform.extract() end)
end)

test("closed documents raise", function()
  local doc = newsform.parse(page)
  doc:close()
  raises(function() return doc.article end, "closed")
end)

test("a title with no letters or digits does not crash the extractor", function()
  local nf = require "newsform"
  local doc = nf.parse("<html><head><title>'</title></head><body><article><h2>Heading</h2><p>"
    .. ("Some words of text here. "):rep(20) .. "</p></article></body></html>")
  local a = doc.article
  truthy(a.text:find("Some words of text here.", 1, true))
end)
