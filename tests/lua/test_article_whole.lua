-- test_article_whole.lua: doc.article.source, and the whole body as the
-- article when extraction finds no main content.
local newsform = require("newsform")

test("a fragment: its content, source whole", function()
  local a = newsform.parse("<p>Short fragment with one sentence.</p>").article
  eq(a.source, "whole")
  eq(a.text, "Short fragment with one sentence.")
  eq(a.word_count, 5)
  eq(#a.body:select("p"), 1)
end)

test("a list fragment keeps heading and list", function()
  local a = newsform.parse("<div><h2>Update</h2><ul><li>First point</li>" ..
    "<li>Second point</li></ul></div>").article
  eq(a.source, "whole")
  eq(#a.body:select("h2"), 1)
  eq(#a.body:select("li"), 2)
  eq(newsform.markdown(a.body), "## Update\n\n- First point\n- Second point\n")
end)

test("a news page: source content", function()
  local f = assert(io.open("tests/fixtures/extract/basic.html", "rb"))
  local a = newsform.parse(f:read("a")).article
  f:close()
  eq(a.source, "content")
end)

test("no text: 0 words, 0 minutes", function()
  local a = newsform.parse("<html><body><script>x()</script> </body></html>").article
  eq(a.text, "")
  eq(a.word_count, 0)
  eq(a.reading_time, 0)
  eq(a.source, "content")
end)
