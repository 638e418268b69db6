-- test_warc.lua: web archives from Lua: newsform.inputs and
-- bundle:articles() name records FILE@OFFSET with doc.url from
-- WARC-Target-URI; bundle:skips() counts what was passed over; damaged
-- records fail alone. Uses tests/fixtures/warc/ (run from the repository).
local nf = require("newsform")
local FIX = "tests/fixtures/warc/"

test("inputs: records named FILE@OFFSET, doc.url from the record", function()
  local got = {}
  for doc, name, err in nf.inputs({FIX .. "members.warc.gz", FIX .. "corrupt.warc.gz"}) do
    got[#got + 1] = name .. " " .. (doc and doc.url or ("failed: " .. err:match("damaged record") or err))
  end
  eq(table.concat(got, "\n"), table.concat({
    FIX .. "members.warc.gz@174 http://example.test/one",
    FIX .. "members.warc.gz@471 http://example.test/two",
    FIX .. "members.warc.gz@958 http://example.test/cut",
    FIX .. "corrupt.warc.gz@0 http://example.test/a",
    FIX .. "corrupt.warc.gz@293 failed: damaged record",
    FIX .. "corrupt.warc.gz@588 http://example.test/c"}, "\n"))
end)

test("bundle: entries, skips by reason, format", function()
  local b = assert(nf.bundle.open(FIX .. "plain.warc"))
  eq(b:format(), "warc")
  local names = {}
  for e in b:entries() do names[#names + 1] = e.name end
  eq(table.concat(names, " "), "@213 @846 @1721")
  local s = b:skips()
  eq(s.warcinfo, 1)
  eq(s.revisit, 1)
  eq(s.redirect, nil)
end)

test("bundle: articles of a WET file are text", function()
  local b = assert(nf.bundle.open(FIX .. "wet.warc.wet.gz"))
  local texts = {}
  for doc, name in b:articles() do texts[#texts + 1] = name .. "=" .. doc.title end
  eq(table.concat(texts, " "), "@174=Wet title one @407=Wet title two")
end)

test("FILE@OFFSET opens the one record there", function()
  local b = assert(nf.bundle.open(FIX .. "members.warc.gz@471"))
  local n = 0
  for e in b:entries() do n = n + 1; eq(e.name, "@471") end
  eq(n, 1)
  local nb, msg = nf.bundle.open(FIX .. "members.warc.gz@470")
  eq(nb, nil)
  truthy(msg:find("no WARC record starts at this offset", 1, true), msg)
end)

done_testing()
