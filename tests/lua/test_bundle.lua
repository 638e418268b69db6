-- test_bundle.lua: newsform.bundle from Lua: write every format, read it
-- back, to-be-closed commit/abort, errors.
local nf = require("newsform")

local dir = io.popen("mktemp -d /tmp/nf-lua-bundle-XXXXXX"):read("l")
local function path(name) return dir .. "/" .. name end
local function exists(p) local f = io.open(p, "rb"); if f then f:close() end; return f ~= nil end
local function have(tool) return os.execute("command -v " .. tool .. " >/dev/null 2>&1") == true end

local PNG = "\137\80\78\71\13\10\26\10\0\0\0\13\73\72\68\82\0\0\0\1\0\0\0\1\8\6\0\0\0\31\21\196\137\0\0\0\13\73\68\65\84\120\218\99\100\96\248\95\15\0\2\135\1\128\235\71\186\146\0\0\0\0\73\69\78\68\174\66\96\130"   -- a 1x1 image
local big = ("newsform lua bundle "):rep(1 << 16)   -- 1.25 MiB
local long = "long/" .. ("n"):rep(120) .. ".txt"
local files = {
  {"a.txt", "alpha\n"},
  {"caf\u{e9}/\u{65e5}\u{672c}.md", "# \u{e9}t\u{e9}\n"},
  {long, "long name"},
  {"empty.txt", ""},
  {"big.txt", big},
}

local function write(name, opts)
  local b = assert(nf.bundle.open(path(name), "w", opts))
  for _, f in ipairs(files) do
    eq(b:add(f[1], f[2], {mtime = "2024-05-01T10:00:00Z", source = "in/" .. f[1]}), true)
  end
  return b:close()
end

local function read_all(name)
  local got = {}
  for entry in assert(nf.bundle.open(path(name))):entries() do
    got[#got + 1] = {entry.name, entry:read(), entry.size, entry.mtime, entry.type}
  end
  return got
end

for _, fmt in ipairs({"tar.gz", "zip"}) do
  test(fmt .. ": write and read back", function()
    eq(write("t." .. fmt), true)
    local got = read_all("t." .. fmt)
    eq(#got, #files + 1, "entries + manifest")
    for i, f in ipairs(files) do
      eq(got[i][1], f[1], "name")
      eq(got[i][2], f[2], "bytes of " .. f[1])
      eq(got[i][3], #f[2], "size")
      eq(got[i][4], 1714557600, "mtime")
      eq(got[i][5], "file")
    end
    eq(got[#got][1], "manifest.json")
    truthy(got[#got][2]:find('"name": "a.txt", "source": "in/a.txt"', 1, true), "manifest lists a.txt")
  end)
  test(fmt .. ": reproducible", function()
    eq(write("u." .. fmt), true)
    eq(os.execute(("cmp -s %s %s"):format(path("t." .. fmt), path("u." .. fmt))), true)
  end)
end

test("tar.gz: tar and gzip accept it", function()
  if not have("tar") then return skip("tar", "missing") end
  eq(os.execute(("gzip -t %s && tar tzf %s | grep -qx '%s'"):format(path("t.tar.gz"), path("t.tar.gz"), long)), true)
end)

test("zip: unzip accepts it", function()
  if not have("unzip") then return skip("unzip", "missing") end
  eq(os.execute(("unzip -tq %s >/dev/null"):format(path("t.zip"))), true)
end)

test("jsonl.gz: tables of text become lines", function()
  local b = assert(nf.bundle.open(path("d.jsonl.gz"), "w"))
  b:add("one", '{"title": "One",\n "n": 1}')
  b:add("two", "plain text")
  eq(b:add_article({title = "Three", text = "Para one.\n\nPara two.", url = "https://x.test/3"}), true)
  eq(b:close(), true)
  local got = read_all("d.jsonl.gz")
  eq(#got, 3)
  eq(got[1][1], "line-1.json")
  eq(got[1][2], '{"title": "One",  "n": 1}')
  eq(got[2][1], "two")
  truthy(got[2][2]:find('"content":"plain text"', 1, true))
  eq(got[3][1], "Three")
  truthy(got[3][2]:find('"url":"https://x.test/3"', 1, true))
end)

test("epub: articles from tables and documents", function()
  local b = assert(nf.bundle.open(path("d.epub"), "w", {title = "Digest", language = "en", author = "Desk", mtime = 1714557600}))
  eq(b:add_article({title = "From a table", author = "Ann", html = "<p>Hello <b>there</b>&nbsp;!</p>", date = "2024-05-01", section = "News"}), true)
  local doc = nf.parse("<html><head><title>Doc title</title></head><body><article><h1>Doc title</h1><p>"
    .. ("Some words of the article body. "):rep(20) .. "</p><img src='https://x.test/i.png' alt='pic'></article></body></html>",
    {source = "doc.html"})
  eq(b:add_article(doc), true)
  eq(b:add_article({title = "Node body", body = doc}), true)
  eq(b:add_resource("https://x.test/i.png", PNG, "image/png"), true)
  eq(b:format(), "epub")
  eq(b:close(), true)
  eq(b:close(), true, "close is idempotent")
  local names = {}
  for e in nf.bundle.open(path("d.epub")):entries() do names[#names + 1] = e.name end
  eq(names[1], "mimetype")
  local found
  for _, n in ipairs(names) do if n == "OEBPS/ch003.xhtml" then found = true end end
  truthy(found, "three chapters")
end)

test("epub: epubcheck accepts the Lua-built book", function()
  if not (have("java") and exists("/usr/share/java/epubcheck.jar")) then
    return skip("epubcheck", "missing")
  end
  local ok = os.execute(("java -jar /usr/share/java/epubcheck.jar %s >%s 2>&1"):format(path("d.epub"), path("check.log")))
  local log = io.open(path("check.log")):read("a")
  truthy(ok and not log:find("\nERROR"), log)
end)

test("to-be-closed: commits at the end of the block", function()
  do
    local b <close> = assert(nf.bundle.open(path("tbc.zip"), "w"))
    b:add("x.txt", "x")
    eq(exists(path("tbc.zip")), false, "nothing at OUT while writing")
  end
  eq(exists(path("tbc.zip")), true)
end)

test("to-be-closed: aborts when the block raises", function()
  local ok = pcall(function()
    local b <close> = assert(nf.bundle.open(path("fail.zip"), "w"))
    b:add("x.txt", "x")
    error("script failed")
  end)
  eq(ok, false)
  eq(exists(path("fail.zip")), false, "no output")
  local leftovers = io.popen("ls -A " .. dir .. " | grep -c newsform-tmp"):read("l")
  eq(leftovers, "0", "no temporary file")
end)

test("garbage collected writer is discarded", function()
  local b = assert(nf.bundle.open(path("gc.tar.gz"), "w"))
  b:add("a", "a")
  b = nil
  collectgarbage(); collectgarbage()
  eq(exists(path("gc.tar.gz")), false)
end)

test("misuse raises, environment failures return nil, msg", function()
  local b = assert(nf.bundle.open(path("m.zip"), "w"))
  raises(function() b:add("../x", "x") end, "contains ..")
  raises(function() b:add("/x", "x") end, "absolute path")
  b:add("dup", "1")
  raises(function() b:add("dup", "2") end, "duplicate entry name")
  raises(function() b:add("x", "x", {mtiem = 1}) end, "mtiem")
  raises(function() b:add_article({title = "no body"}) end, "needs html, body or text")
  raises(function() b:entries() end, "open for writing")
  b:close()
  raises(function() b:add("y", "y") end, "closed bundle")
  local nb, msg = nf.bundle.open("/nonexistent-dir/x.zip", "w")
  eq(nb, nil)
  truthy(msg:find("cannot create temporary file", 1, true), msg)
  nb, msg = nf.bundle.open(path("x.rar"), "w")
  eq(nb, nil)
  truthy(msg:find("unknown bundle format", 1, true), msg)
  nb, msg = nf.bundle.open(path("missing.zip"))
  eq(nb, nil)
  truthy(msg:find("No such file", 1, true), msg)
  raises(function() nf.bundle.open(path("m.zip"), "a") end, "invalid option")
end)

test("corrupt and truncated bundles raise while iterating", function()
  local src = io.open(path("t.tar.gz"), "rb"):read("a")
  io.open(path("cut.tar.gz"), "wb"):write(src:sub(1, #src // 2)):close()
  local err = raises(function()
    for e in assert(nf.bundle.open(path("cut.tar.gz"))):entries() do e:read() end
  end, "truncated")
  truthy(err:find("cut.tar.gz", 1, true), "names the file")
  local z = io.open(path("t.zip"), "rb"):read("a")
  io.open(path("cut.zip"), "wb"):write(z:sub(1, 200)):close()
  local nb, msg = nf.bundle.open(path("cut.zip"))
  eq(nb, nil)
  truthy(msg:find("not a zip file or truncated", 1, true), msg)
end)

test("size limit on reading", function()
  raises(function()
    for e in assert(nf.bundle.open(path("t.zip"), "r", {max_entry_size = 1000})):entries() do e:read() end
  end, "exceeds the limit")
end)

test("entries: read only while current", function()
  local saved
  for e in assert(nf.bundle.open(path("t.zip"))):entries() do saved = saved or e end
  raises(function() saved:read() end, "no longer current")
end)

test("safe_name", function()
  eq(nf.bundle.safe_name("news/My Story.html", ".md"), "news/My-Story.md")
  local b = assert(nf.bundle.open(path("n.zip"), "w"))
  b:add(b:safe_name("x.html", ".md"), "1")
  eq(b:safe_name("X.htm", ".md"), "X-2.md")
  b:close()
end)

-- optional: the whole extraction corpus as one book, checked by epubcheck
test("epub: the extraction corpus passes epubcheck", function()
  local corpus = "../shared/corpus/extraction/html"
  if not exists(corpus .. "/../ground-truth.json") then return skip("corpus epub", "../shared absent") end
  if not (have("java") and exists("/usr/share/java/epubcheck.jar")) then
    return skip("corpus epub", "epubcheck missing")
  end
  local b <close> = assert(nf.bundle.open(path("corpus.epub"), "w", {title = "Corpus", language = "en"}))
  local n = 0
  for name in io.popen("ls " .. corpus):lines() do
    local data = io.popen("gzip -dcf " .. corpus .. "/" .. name):read("a")
    local doc = nf.parse(data, {source = name})
    if doc then assert(b:add_article(doc)); n = n + 1; doc:close() end
  end
  assert(b:close())
  truthy(n > 10, "corpus pages read")
  local ok = os.execute(("java -jar /usr/share/java/epubcheck.jar %s >%s 2>&1"):format(path("corpus.epub"), path("corpus.log")))
  local log = io.open(path("corpus.log")):read("a")
  truthy(ok and not log:find("ERROR"), log:sub(1, 2000))
end)

-- articles(): a bundle's articles as documents, chosen and named as the
-- command line does
test("articles: epub chapters in spine order, named like the command", function()
  local b = assert(nf.bundle.open(path("arts.epub"), "w", {title = "Arts"}))
  assert(b:add_article({title = "First", html = "<p>one</p>"}))
  assert(b:add_article({title = "Second", text = "two"}))
  assert(b:add_resource("pic.png", PNG))
  assert(b:close())
  local r = assert(nf.bundle.open(path("arts.epub")))
  local names, titles, sources = {}, {}, {}
  for doc, name in r:articles() do
    names[#names + 1] = name
    titles[#titles + 1] = doc.title
    sources[#sources + 1] = doc.source
    truthy(doc.text:find(#names == 1 and "one" or "two", 1, true), "body text")
  end
  eq(table.concat(names, " "), "OEBPS/ch001.xhtml OEBPS/ch002.xhtml")
  eq(table.concat(titles, " "), "First Second")
  eq(sources[1], path("arts.epub") .. ":OEBPS/ch001.xhtml")
  local again = 0
  for _ in r:articles() do again = again + 1 end
  eq(again, 2, "each articles() starts from the first")
  r:close()
  raises(function() r:articles() end, "closed")
end)

test("articles: zip entries by kind, jsonl lines by field", function()
  local z = assert(nf.bundle.open(path("arts.zip"), "w"))
  assert(z:add("a.html", "<title>A</title><p>alpha</p>"))
  assert(z:add("pic.png", PNG))
  assert(z:add("notes/b.md", "# Bee\n\nbuzz\n"))
  assert(z:close())
  local got = {}
  for doc, name in assert(nf.bundle.open(path("arts.zip"))):articles() do
    got[#got + 1] = name .. "=" .. tostring(doc.title)
  end
  eq(table.concat(got, " "), "a.html=A notes/b.md=Bee")

  local j = assert(nf.bundle.open(path("arts.jsonl.gz"), "w"))
  assert(j:add("x", '{"url": "https://example.com/x", "title": "X", "html": "<p>ex</p>"}'))
  assert(j:add("y", '{"name": "why", "text": "plain words"}'))
  assert(j:add("z", '{"name": "zed", "nothing": 1}'))
  assert(j:close())
  local rows = {}
  for doc, name, err in assert(nf.bundle.open(path("arts.jsonl.gz"))):articles() do
    if doc then
      rows[#rows + 1] = {name, doc.title, doc.url}
    else
      rows[#rows + 1] = {name, false, err}
    end
  end
  eq(#rows, 3)
  eq(rows[1][1], "https://example.com/x")
  eq(rows[1][2], "X")
  eq(rows[1][3], "https://example.com/x")
  eq(rows[2][1], "why")
  eq(rows[3][1], "zed")
  eq(rows[3][2], false)
  truthy(rows[3][3]:find('no "html"', 1, true), rows[3][3])
end)

os.execute("rm -rf " .. dir)
