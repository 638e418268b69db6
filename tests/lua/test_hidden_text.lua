-- test_hidden_text.lua: text, sentences, keywords and summaries never hold
-- the text of script, style, template, button, select, svg, math, canvas
-- or hidden elements (hidden attribute, inline display:none).
local nf = require "newsform"

local f = assert(io.open("tests/fixtures/text/hidden.html", "rb"))
local HTML = f:read("a")
f:close()

local function no_zebra(list, what)
  for _, x in ipairs(list) do
    truthy(not x:lower():find("zebra", 1, true), what .. " holds hidden text: " .. x)
  end
end

local function phrases(kw)
  local out = {}
  for i, k in ipairs(kw) do out[i] = type(k) == "table" and (k.phrase or k[1]) or k end
  return out
end

test("document: article text, summary, sentences, keywords", function()
  local doc = assert(nf.parse(HTML))
  local text = doc.article.text
  truthy(text:find("ferry", 1, true), "the prose is there")
  truthy(not text:lower():find("zebra", 1, true), "article text: " .. text)
  local s = nf.summary(doc, 100, {method = "lead"})
  truthy(#s >= 4, "several sentences")
  no_zebra(s, "summary")
  no_zebra(nf.summary(doc, 3), "summary (auto)")
  no_zebra(nf.sentences(text), "sentences")
  no_zebra(phrases(nf.keywords(doc, 100)), "keywords")
  no_zebra(phrases(nf.keywords(nf.text(doc), 100)), "keywords of newsform.text")
  no_zebra(nf.sentences(nf.text(doc)), "sentences of newsform.text")
end)

test("node: paragraphs of the body and the article element", function()
  local doc = assert(nf.parse(HTML))
  for _, sel in ipairs({"body", "article"}) do
    local n = doc:select_one(sel)
    local s = nf.summary(n, 100, {method = "lead"})
    truthy(#s >= 4, sel .. ": several sentences")
    no_zebra(s, sel .. " summary")
    no_zebra(phrases(nf.keywords(n, 100)), sel .. " keywords")
  end
end)

test("newsform.text and newsform.markdown agree", function()
  local doc = assert(nf.parse(HTML))
  local body = doc:select_one("body")
  for _, r in ipairs({"text", "markdown"}) do
    local out = assert(nf[r](body))
    truthy(out:find("ferry", 1, true), r .. ": the prose is there")
    truthy(not out:lower():find("zebra", 1, true), r .. ": " .. out)
  end
end)
