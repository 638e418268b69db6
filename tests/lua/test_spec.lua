-- test_spec.lua: the spec files of tests/fixtures/render/ through the Lua
-- binding (newsform.text / markdown / html, doc:select, node:select),
-- judged by the same runner as the C tests (tests/spec.c, through the
-- global `spec` that tests/lua_runner sets up). So the binding is held to
-- the library's expectations, case by case.
local nf = require "newsform"
local DIR = "tests/fixtures/render/"

-- Runs every case of a spec file: example and error cases through fn
-- (which returns the output or raises), judged by spec.check; other kinds
-- go to other(c), which runs its own test when it is one.
local function run(file, fn, flag, other)
  local cases = spec.cases(DIR .. file)
  for _, c in ipairs(cases) do
    if c.kind == "example" or c.kind == "error" then
      test(c.name, function()
        local ran, got = pcall(fn, c)
        local pass, why = spec.check(c, ran, got, flag)
        if not pass then error(why, 0) end
      end)
    elseif other then
      other(c)
    else
      test(c.name, function() error("unknown kind of case: " .. c.kind, 0) end)
    end
  end
  return #cases
end

-- A case's renderer options as the binding spells them.
local function render_opts(c)
  local o = {}
  for k, v in pairs(c.opts) do
    if k == "gfm" then o.flavor = "gfm"
    elseif k == "width" then o.width = math.tointeger(tonumber(v))
    elseif k ~= "contains" and k ~= "escaped" then o[k] = v
    end
  end
  return o
end

-- The body of the case's HTML (its document with the `document` option)
-- through a renderer.
local function renderer(render)
  return function(c)
    local doc = assert(nf.parse(c.input, {type = "html"}))
    local o = render_opts(c)
    return render(o.document and doc or doc.body, o)
  end
end

run("text.txt", renderer(nf.text))
run("markdown.txt", renderer(nf.markdown))
local html = renderer(nf.html)
-- Well-formedness needs an XML parser (the C test has one): here such a
-- case must render to a non-empty string.
run("html.txt", html, "no-final-newline", function(c)
  if c.kind ~= "wellformed" then return end
  test(c.name .. " (renders)", function()
    local out = html(c)
    truthy(type(out) == "string" and #out > 0, "no output")
  end)
end)

-- Selection: the document block is the page; root=ID selects below an element.
local page
run("select.txt", function(c)
  local root = page
  if c.opts.root then root = assert(page:select_one("#" .. c.opts.root)) end
  local ids = {}
  for i, n in ipairs(root:select(c.input)) do ids[i] = n:attr("id") or n.tag end
  return table.concat(ids, ",")
end, "no-final-newline", function(c)
  if c.kind == "document" then page = assert(nf.parse(c.input)) end
end)
