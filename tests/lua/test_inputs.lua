-- test_inputs.lua: newsform.read and newsform.inputs read files,
-- directories and bundles as the command does.
local nf = require("newsform")

local dir = io.popen("mktemp -d /tmp/nf-lua-inputs-XXXXXX"):read("l")
local function path(name) return dir .. "/" .. name end
local function write(name, bytes)
  local f = assert(io.open(path(name), "wb"))
  f:write(bytes)
  f:close()
end
local function sh(cmd) return os.execute(cmd .. " >/dev/null 2>&1") == true end

sh("mkdir -p " .. path("d/sub") .. " " .. path("d/.hidden") .. " " .. path("t"))
write("d/b.html", "<html><head><title>B</title></head><body><p>Beta caf\u{e9}</p></body></html>")
write("d/a.txt", "Alpha line\n\nsecond paragraph\n")
write("d/.hidden/h.html", "<p>hidden</p>")
write("d/img.png", "\137PNG\r\n\26\n\0\0\0\13IHDR")
write("latin1.html", "<p>Caf\233 cr\232me</p>")
write("t/x.html", "<p>In the tar</p>")
write("t/y.txt", "Text in the tar")
local gzp = io.popen("gzip >" .. path("d/sub/c.html.gz"), "w")
gzp:write("<p>Gzipped page</p>")
local gz = gzp:close()
local tar = sh("tar czf " .. path("b.tar.gz") .. " -C " .. path("t") .. " x.html y.txt")

test("read: gzip, encoding policy, type detection", function()
  truthy(gz, "gzip ran")
  local d = assert(nf.read(path("d/sub/c.html.gz")))
  eq(d.text, "Gzipped page")
  eq(d.source, path("d/sub/c.html.gz"))
  eq(nf.read(path("latin1.html")).text, "Caf\u{e9} cr\u{e8}me")
  eq(nf.read(path("d/a.txt")).type, "text")
  eq(nf.read(path("d/b.html")).type, "html")
end)

test("read: options", function()
  eq(nf.read(path("d/b.html"), {type = "text"}).type, "text")
  eq(nf.read(path("latin1.html"), {encoding = "iso-8859-15"}).text, "Caf\u{e9} cr\u{e8}me")
  eq(nf.read(path("d/b.html"), {url = "https://example.com/b"}).url, "https://example.com/b")
  local d, msg = nf.read(path("d/b.html"), {max_input = 10})
  eq(d, nil)
  truthy(msg:find(path("d/b.html") .. ": ", 1, true) == 1, msg)
  truthy(not pcall(nf.read, path("d/b.html"), {type = "pdf"}), "bad type raises")
  truthy(not pcall(nf.read, path("d/b.html"), {colour = 1}), "unknown option raises")
end)

test("read: failures are nil, \"PATH: reason\"", function()
  local d, msg = nf.read(path("nope.html"))
  eq(d, nil)
  eq(msg, path("nope.html") .. ": No such file or directory")
  d, msg = nf.read(path("d/img.png"))
  eq(d, nil)
  eq(msg, path("d/img.png") .. ": binary data (PNG image), not an article")
end)

test("inputs: a directory, sorted, hidden and binary files left out", function()
  local got = {}
  for doc, name in nf.inputs(path("d")) do
    got[#got + 1] = name .. "=" .. doc.text:sub(1, 10)
    eq(doc.source, name)
  end
  eq(table.concat(got, ","), path("d/a.txt") .. "=Alpha line," .. path("d/b.html") ..
     "=Beta caf\u{e9}," .. path("d/sub/c.html.gz") .. "=Gzipped pa")
end)

test("inputs: a list with a bundle and failures", function()
  truthy(tar, "tar ran")
  local got = {}
  for doc, name, msg in nf.inputs({path("b.tar.gz"), path("nope"), "https://example.com/x",
                                    path("latin1.html")}) do
    if doc then got[#got + 1] = name .. "=" .. doc.text
    else
      eq(doc, false)
      got[#got + 1] = name .. "!" .. msg
    end
  end
  eq(got[1], path("b.tar.gz") .. ":x.html=In the tar")
  eq(got[2], path("b.tar.gz") .. ":y.txt=Text in the tar")
  eq(got[3], path("nope") .. "!" .. path("nope") .. ": No such file or directory")
  truthy(got[4]:find("^https://example.com/x!.*URLs are not fetched"), got[4])
  eq(got[5], path("latin1.html") .. "=Caf\u{e9} cr\u{e8}me")
  eq(#got, 5)
end)

test("inputs: options and bad arguments", function()
  for doc in nf.inputs({path("d/b.html")}, {type = "text"}) do eq(doc.type, "text") end
  truthy(not pcall(nf.inputs, {path("d"), 3}), "a number in the list raises")
  truthy(not pcall(nf.inputs, path("d"), {nope = true}), "unknown option raises")
  local it = nf.inputs(path("d"))
  it() -- dropped half way: collected without a leak
  it = nil
  collectgarbage()
end)

sh("rm -rf " .. dir)
