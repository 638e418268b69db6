-- test_fuzz_tree.lua: a deterministic randomized attack on the Lua tree
-- API. It builds small random documents, keeps a pool of node handles
-- (attached, removed, cloned, from other documents, from closed documents,
-- text nodes, select/xpath results) and runs thousands of random operations
-- from the whole API, each under pcall: errors are fine, a crash or an
-- AddressSanitizer report is the failure this test exists to catch. After
-- each document the tree invariants are checked (parent/child links, sibling
-- symmetry, no cycles, select/xpath/walk agree on the element count).
--
-- Usage: lua_runner tests/lua/test_fuzz_tree.lua [SEEDS [OPS]]
-- (defaults 30 seeds x 800 operations; set FUZZ_VERBOSE=1 to trace).
local nf = require "newsform"

local SEEDS = tonumber(arg and arg[1]) or 30
local OPS = tonumber(arg and arg[2]) or 800
local VERBOSE = os.getenv("FUZZ_VERBOSE")

-- ===== PRNG: a 31-bit LCG, the same sequence on every Lua 5.3/5.4 ========

local rng_state = 1
local function seed(s) rng_state = (s * 2654435761 + 12345) % 2147483648 end
local function rand(n) -- 1..n
  rng_state = (rng_state * 1103515245 + 12345) % 2147483648
  return (rng_state >> 8) % n + 1
end
local function chance(p) return rand(1000) <= p * 1000 end
local function pick(t) return t[rand(#t)] end

-- ===== Random inputs =====================================================

local TAGS = {"div", "p", "span", "a", "b", "i", "em", "ul", "ol", "li", "table",
  "tr", "td", "th", "h1", "h2", "pre", "code", "br", "img", "hr", "section",
  "article", "aside", "figure", "figcaption", "blockquote", "script", "style",
  "template", "noscript", "iframe", "textarea", "select", "option", "svg",
  "math", "font", "center", "head", "body", "html", "title", "meta", "form",
  "input", "label", "sup", "time", "nav", "footer", "x-custom", "p:q"}
local ATTRS = {"id", "class", "href", "src", "alt", "title", "data-x", "style",
  "onclick", "lang", "name", "rel", "content", "charset", "xml:lang", "xmlns",
  "ID", "Class"}
local WORDS = {"alpha", "beta", "gamma", "&amp;", "&lt;", "&nbsp;", "&#x1F600;",
  "&bogus;", "caf\xc3\xa9", "\xe2\x80\x94", "\xff\xfe", "\xc3", "x\0y", " ",
  "\n", "\t", "<", ">", "\"", "'", "&", "&#0;", "&#xD800;", "\xed\xa0\x80",
  "1.5", "U.S.", "Mr. Smith.", "end.", "\xe4\xb8\xad\xe6\x96\x87"}

local allow_pi = false -- per document: processing instructions in the HTML

local function random_text(max)
  local parts = {}
  for _ = 1, rand(max or 4) do parts[#parts + 1] = pick(WORDS) end
  return table.concat(parts, chance(0.5) and " " or "")
end

local function random_attr_value()
  local r = rand(10)
  if r == 1 then return "" end
  if r == 2 then return string.rep("v", rand(300)) end
  if r == 3 then return "javascript:alert(1)" end
  if r == 4 then return "a b c" end
  return random_text(2)
end

local function random_html(depth)
  depth = depth or 0
  local out = {}
  for _ = 1, rand(depth > 3 and 2 or 4) do
    local r = rand(20)
    if r <= 7 or depth > 5 then
      out[#out + 1] = random_text(3)
    elseif r == 8 then
      out[#out + 1] = "<!--" .. random_text(2) .. "-->"
    elseif r == 9 and allow_pi then
      out[#out + 1] = "<?php " .. random_text(1) .. " ?>"
    elseif r == 10 then
      out[#out + 1] = "<" .. pick(TAGS) .. ">" -- unclosed
    elseif r == 11 then
      out[#out + 1] = "</" .. pick(TAGS) .. ">" -- stray end tag
    elseif r == 12 then
      out[#out + 1] = "<![CDATA[" .. random_text(1) .. "]]>"
    else
      local tag = pick(TAGS)
      local attrs = {}
      for _ = 1, rand(3) - 1 do
        attrs[#attrs + 1] = (" %s=\"%s\""):format(pick(ATTRS), random_attr_value():gsub('"', "&quot;"))
      end
      out[#out + 1] = ("<%s%s>%s</%s>"):format(tag, table.concat(attrs), random_html(depth + 1), tag)
    end
  end
  return table.concat(out)
end

local function random_page()
  local body = random_html(0)
  local r = rand(6)
  if r == 1 then return body end
  if r == 2 then return "<!DOCTYPE html><html><head><title>" .. random_text(2) ..
    "</title></head><body>" .. body .. "</body></html>" end
  if r == 3 then return "<html><body><h1>" .. random_text(2) .. "</h1>" .. body end
  if r == 4 then return "Title line\n\n" .. random_text(6) .. "\n\n" .. random_text(6) end
  if r == 5 then return "<frameset><frame src=x></frameset>" .. body end
  return "<div>" .. body .. "</div>"
end

local SELECTORS = {"*", "p", "div p", "div > p", "p + p", "p ~ span", "a[href]",
  "[id]", "[class~=a]", "[href^=java]", "[title$=a]", "[data-x*=l]", "#x",
  ".a", "li:first-child", "li:last-child", "p:nth-child(2n+1)", ":not(p)",
  ":not(div, span)", "div:has(p)", ":is(a, b) i", ":root", ":empty",
  ":scope > *", "p:nth-of-type(odd)", "td:only-child", "html body *",
  "body > *:nth-last-child(-n+2)", "[lang|=en i]", "svg", "P", "DIV > B",
  -- invalid ones: must raise, never crash
  "", " ", "p[", "::before", "a:hover", ":nth-child(", "div >", ">", ",", "[=x]",
  ":has(:has(p))", "ns|p", "p)", "\0", "\xff", string.rep(":not(", 20) .. "p" .. string.rep(")", 20),
  string.rep("div ", 80), "#", ".", "[a='unterminated"}
local XPATHS = {"//p", "//*", "//text()", "//@*", "//@id", "count(//*)", "string(//p)",
  "boolean(//div)", "/html/body/*", ".", "..", "node()", "*", "text()", "@class",
  "//comment()", "//processing-instruction()", "//node()", "/", "/..",
  "id('x')", "//p[1]", "//*[last()]", "ancestor::*", "following::*",
  "preceding-sibling::node()", "concat('a', 'b')", "1 div 0", "namespace::*",
  -- invalid
  "//p[", "", "))", "foo(", "$x", "//*[", "a::b", "\0"}

-- ===== The pool of handles ================================================

local pool = {}      -- node handles (any document, any state)
local docs = {}      -- documents (some closed)
local POOL_MAX = 150

local function add(v)
  if v == nil then return end
  if #pool < POOL_MAX then pool[#pool + 1] = v else pool[rand(POOL_MAX)] = v end
end
local function add_many(t)
  if type(t) ~= "table" then return end
  local n = 0
  for _, v in ipairs(t) do
    if type(v) == "userdata" and rand(3) == 1 then add(v); n = n + 1 end
    if n > 10 then break end
  end
end
local function is_live(n) return (pcall(function() return n.tag end)) end
-- Mostly nodes of open documents (closed ones only raise), sometimes any.
local function any_node()
  local n = pool[rand(#pool)]
  for _ = 1, 6 do
    if rand(10) == 1 or is_live(n) then return n end
    n = pool[rand(#pool)]
  end
  return n
end
local function any_doc() return docs[rand(#docs)] end

local doc -- the current document

local function new_doc(text)
  local d = nf.parse(text or random_page(), rand(4) == 1 and {type = pick{"html", "text", "auto"}} or nil)
  if not d then return nil end
  docs[#docs + 1] = d
  if #docs > 8 then table.remove(docs, 1) end
  return d
end

-- A value a method can insert: strings, nodes, lists, documents, junk.
local function insertable()
  local r = rand(14)
  if r <= 3 then return random_html(1) end
  if r <= 7 then return any_node() end
  if r == 8 then return {any_node(), random_html(2), any_node()} end
  if r == 9 then return any_doc() end
  if r == 10 then return {} end
  if r == 11 then return 42 end
  if r == 12 then return {{any_node()}} end -- nested list: an error
  if r == 13 then
    -- a list whose metamethods would close documents if they were called
    return setmetatable({any_node()}, {__len = function() pcall(doc.close, doc) return 3 end,
      __index = function() pcall(doc.close, doc) return any_node() end})
  end
  return ""
end

-- ===== Operations ==========================================================

local READ_FIELDS = {"tag", "type", "text", "html", "inner_html", "line", "parent",
  "children", "nodes", "next", "prev", "next_node", "prev_node", "first_child",
  "attached", "document", "nonexistent"}
local DOC_FIELDS = {"root", "head", "body", "title", "source", "url", "type", "html",
  "text", "closed", "nope"}
local NEW_TAGS = {"div", "P", "section", "x-y", "h1", "body", "head", "html", "", "a b",
  "1x", string.rep("t", 70), "svg:rect", "\0", "br", "script"}

local op_count, walk_budget = 0, 0
local semantic_failures = {}
local DEEP = string.rep("<div>", 3000) .. "<b>deep</b>" -- libxml2's parser stops at 4096 levels
local ops -- forward

local function random_walk_handler()
  return function(n)
    walk_budget = walk_budget - 1
    if walk_budget < 0 then return nil end
    local r = rand(14)
    if r == 1 then return false end
    if r == 2 then return random_html(1) end
    if r == 3 then return any_node() end
    if r == 4 then return {any_node(), "<b>x</b>"} end
    if r == 5 then error("handler error") end
    if r == 6 and chance(0.3) then
      pcall(n.document.close, n.document)
      if chance(0.5) then error("closed it") end
    end
    if r == 7 then add(n) end
    if r == 8 then return 17 end -- not insertable: an error
    if r == 9 then return n end
    if r == 10 then return true end
    if r <= 13 then pcall(pick(ops), n) end -- mutate from inside the walk
    return nil
  end
end

local function random_handlers()
  local h = {}
  for _ = 1, rand(3) do
    local r = rand(6)
    local key = r == 1 and "*" or r == 2 and "text" or r <= 4 and pick(TAGS) or pick(SELECTORS)
    if key ~= "" then h[key] = random_walk_handler() end
  end
  if chance(0.05) then h[1] = print end      -- bad key: raises
  if chance(0.05) then h.p = "not a function" end
  return h
end

ops = {
  function(n) return n[pick(READ_FIELDS)] end,
  function(n) for _, f in ipairs(READ_FIELDS) do local _ = n[f] end end,
  function(n) n.tag = pick(NEW_TAGS) end,
  function(n) n.text = random_text(3) end,
  function(n) n.inner_html = random_html(1) end,
  function(n) n.foo = 1 end,
  function(n) return n:attr(pick(ATTRS)) end,
  function(n) n:attr(pick(ATTRS), random_attr_value()) end,
  function(n) n:attr(pick(ATTRS), nil) end,
  function(n) n:attr(pick{"bad name", "", "a=b", "\0", string.rep("n", 300)}, "v") end,
  function(n) n:attr("n", pick{1, 2.5, true, false, {}, n}) end,
  function(n) return n:attrs() end,
  function(n) n:add_class(pick{"a", "b", "", " "}); n:remove_class("a"); return n:has_class("b") end,
  function(n) n:remove() end,
  function(n) n:unwrap() end,
  function(n) add_many(n:replace(insertable())) end,
  function(n) add_many(n:append(insertable())) end,
  function(n) add_many(n:prepend(insertable())) end,
  function(n) add_many(n:before(insertable())) end,
  function(n) add_many(n:after(insertable())) end,
  function(n) n:append(n) end,
  function(n) local p = n.parent if p then n:append(p) end end,
  function(n)
    local c = n:clone()
    add(c)
    if c and n.type == "element" and c.html ~= n.html then
      semantic_failures[#semantic_failures + 1] = "clone differs: " .. n.html:sub(1, 200)
    end
  end,
  function(n) add_many(n:select(pick(SELECTORS))) end,
  function(n) add(n:select_one(pick(SELECTORS))) end,
  function(n) local r = n:xpath(pick(XPATHS)) add_many(r) end,
  function(n) return n:matches(pick(SELECTORS)) end,
  function(n) add(n:closest(pick(SELECTORS))) end,
  function(n) walk_budget = 40; n:walk(random_handlers()) end,
  function(n) add_many(n.nodes) end,
  function(n) add_many(n.children) end,
  function(n) return tostring(n) end,
  function(n) return nf.text(n), nf.markdown(n), nf.html(n) end,
  function(n) return nf.html(n, {xhtml = true, document = chance(0.5)}) end,
  function(n) nf.normalize(n) end,
  function(n) nf.retag(n, {p = "div", div = "section", b = "strong", x = "bad name"}) end,
  function(n) return nf.json({n, n.document}) end,
  function(n) if chance(0.2) then n:append(DEEP) end end, -- deeper than any parse, once appended twice
  function(n) -- nested walks mutating the same tree
    local outer = 4
    n:walk{["*"] = function(m)
      if outer > 0 then outer = outer - 1; walk_budget = 10; pcall(m.walk, m, random_handlers()) end
    end}
  end,
  function(n) -- a handler that yields: an error, not a crash
    local co = coroutine.wrap(function() n:walk{["*"] = function() coroutine.yield(1) end} end)
    return co()
  end,
  function(n) n:walk{["*"] = function() error({"a table as error"}) end} end,
  function(n) -- a handlers table whose __index closes the document
    local d = n.document
    n:walk(setmetatable({div = function(m) m:remove() end, p = function() end},
      {__index = function() pcall(d.close, d) end}))
  end,
  function(n) -- __tostring on strings runs on luaL_tolstring: it must not be used under a node
    local mt = getmetatable("")
    local d = n.document
    mt.__tostring = function() pcall(d.close, d) return "x" end
    local ok, err = pcall(function() n:attr("x", "v"); n:attr("y", 5); n.text = "t"; n.tag = "div" end)
    mt.__tostring = nil
    if not ok then error(err, 0) end
  end,
  function(n)
    return nf.apply_recipe(n.document, {remove = {pick(SELECTORS)},
    ["*"] = function(m) if chance(0.1) then return false end end}) end,
}

local doc_ops = {
  function(d) return d[pick(DOC_FIELDS)] end,
  function(d) add_many(d:select(pick(SELECTORS))) end,
  function(d) add(d:select_one(pick(SELECTORS))) end,
  function(d) add_many(d:xpath(pick(XPATHS))) end,
  function(d) walk_budget = 60; d:walk(random_handlers()) end,
  function(d) add(d.body); add(d.head); add(d.root) end,
  function(d) if chance(0.2) then d:close() end end,
  function(d) return tostring(d), d.closed end,
  function(d) return d.article end,
  function(d) return nf.text(d), nf.markdown(d, {flavor = "gfm", width = rand(80),
                                                          links = pick({"inline", "reference", "none"})}) end,
  function(d) nf.normalize(d) end,
  function(d) d.title = "x" end,
}

-- A finalizer that closes a document whenever the collector gets to it:
-- it may run in the middle of any C function that allocates.
local function plant_closer(d)
  local victim = any_node()
  setmetatable({}, {__gc = function()
    if rand(2) == 1 then pcall(d.close, d) else pcall(victim.remove, victim) end
  end})
end

-- ===== Invariants ===========================================================

-- Walks the document by node handles with an explicit stack and checks the
-- links; returns nil or a message.
local function check_tree_raw(d, strict)
  if d.closed then return nil end
  local root = d.root
  if not root or root.tag ~= "html" then return "doc.root is not <html>" end
  if not d.head or d.head.parent ~= root then return "doc.head is not a child of the root" end
  if not d.body or d.body.parent ~= root then return "doc.body is not a child of the root" end
  local html = d.html
  if type(html) ~= "string" or not html:find("^<!DOCTYPE html>") then return "doc.html lacks the doctype" end
  local seen, elements, stack = {}, 0, {root}
  while #stack > 0 do
    local n = table.remove(stack)
    if seen[n] then return "cycle or shared node at " .. n.tag end
    seen[n] = true
    if not n.attached then return "reachable node not attached: " .. n.tag end
    if n.type == "element" then elements = elements + 1 end
    local kids = n.nodes
    for i, c in ipairs(kids) do
      if c.parent ~= n then return ("child %d (%s) of <%s> has another parent"):format(i, c.tag, n.tag) end
      local nx, pv = c.next_node, c.prev_node
      if strict then
        if nx ~= kids[i + 1] then return ("next_node of child %d of <%s> is wrong"):format(i, n.tag) end
        if pv ~= kids[i - 1] then return ("prev_node of child %d of <%s> is wrong"):format(i, n.tag) end
      end
      if nx and nx.prev_node ~= c then return "next/prev not symmetric under <" .. n.tag .. ">" end
      if pv and pv.next_node ~= c then return "prev/next not symmetric under <" .. n.tag .. ">" end
      stack[#stack + 1] = c
    end
    local els = n.children
    for i, c in ipairs(els) do
      if c.type ~= "element" then return "children holds a non-element" end
      if c.next ~= els[i + 1] or c.prev ~= els[i - 1] then return "next/prev element links are wrong" end
    end
  end
  local sel = #d:select("*")
  if sel ~= elements then
    if VERBOSE then
      io.stderr:write(html, "\n")
      for _, e in ipairs(d:select("*")) do
        local chain, p = {}, e
        while p do chain[#chain + 1] = p.tag; p = p.parent end
        io.stderr:write(("  %s seen=%s chain=%s\n"):format(e.tag, tostring(seen[e]), table.concat(chain, "<")))
      end
    end
    return ("select('*') found %d elements, the tree has %d"):format(sel, elements)
  end
  local xp = d:xpath("count(//*)")
  if xp ~= elements then return ("xpath count(//*) = %s, the tree has %d"):format(tostring(xp), elements) end
  local walked = 0
  d:walk{["*"] = function() walked = walked + 1 end}
  if walked ~= elements then return ("walk saw %d elements, the tree has %d"):format(walked, elements) end
  -- The serialization parses back.
  local again = nf.parse(html, {type = "html"})
  if not again then return "doc.html does not parse back" end
  again:close()
  return nil
end

-- A closed document raises, which is right; any other error is a failure.
local function check_tree(d, strict)
  collectgarbage("stop") -- finalizers of plant_closer would edit the tree under the check
  local ok, msg = pcall(check_tree_raw, d, strict)
  collectgarbage("restart")
  if ok then return msg end
  if d.closed then return nil end
  return "the invariant check raised: " .. tostring(msg)
end

-- Any handle: its parent chain ends (no cycles), at the root element (or a
-- top-level comment) when the node says it is attached.
local function check_handle(n)
  local ok, attached = pcall(function() return n.attached end)
  if not ok then return nil end -- closed document: raising is right
  local p, last, steps = n, n, 0
  while p do
    steps = steps + 1
    if steps > 100000 then return "parent chain does not end" end
    last, p = p, p.parent
  end
  if attached and last ~= n.document.root and last.type ~= "comment" then -- comments may sit beside <html>
    return "attached node outside the root: " .. n.tag
  end
  return nil
end

-- ===== The run ================================================================

local function run_seed(s)
  seed(s)
  pool, docs = {}, {}
  allow_pi = rand(2) == 1
  -- Every third seed collects all the time, so finalizers run inside C
  -- functions at any allocation.
  if s % 3 == 0 then collectgarbage("incremental", 40, 400) else collectgarbage("incremental", 200, 100) end
  doc = new_doc()
  local other = new_doc()
  local closed = new_doc(); closed:close()
  for _, d in ipairs{doc, other} do
    pcall(function()
      add(d.body); add(d.root)
      add_many(d:select("*")); add_many(d:xpath("//text()")); add_many(d.body.nodes)
    end)
  end
  add(nf.parse("<p>x</p>"):select_one("p")) -- its document only lives through the handle
  local failures = {}
  local ok_count, err_count = 0, 0
  for i = 1, OPS do
    op_count = op_count + 1
    local ok, err
    if #pool == 0 or rand(8) == 1 then
      local d = rand(4) == 1 and any_doc() or doc
      local f = pick(doc_ops)
      ok, err = pcall(f, d)
    else
      local f = pick(ops)
      ok, err = pcall(f, any_node())
    end
    if ok then ok_count = ok_count + 1 else err_count = err_count + 1 end
    if VERBOSE and not ok then io.stderr:write(("seed %d op %d: %s\n"):format(s, i, tostring(err))) end
    if rand(50) == 1 then collectgarbage(pick{"collect", "step"}) end
    if rand(s % 3 == 0 and 20 or 200) == 1 then plant_closer(any_doc()) end
    if doc.closed or rand(150) == 1 then
      local msg = check_tree(doc, not allow_pi)
      if msg then failures[#failures + 1] = ("seed %d op %d: %s"):format(s, i, msg) end
      doc = new_doc() or doc
      pcall(function() add(doc.body); add_many(doc:select("*")) end)
    end
    -- Keep documents small: growth ops may double them.
    if rand(25) == 1 then
      pcall(function() if #doc.html > 60000 then doc.body.inner_html = random_html(1) end end)
    end
  end
  for _, d in ipairs(docs) do
    local msg = check_tree(d, not allow_pi)
    if msg then failures[#failures + 1] = ("seed %d end: %s"):format(s, msg) end
  end
  collectgarbage("stop")
  for _, n in ipairs(pool) do
    local msg = check_handle(n)
    if msg then failures[#failures + 1] = ("seed %d handle: %s"):format(s, msg) end
  end
  collectgarbage("restart")
  for _, d in ipairs(docs) do if rand(2) == 1 then d:close() end end
  pool, docs, doc = {}, {}, nil
  collectgarbage()
  return failures, ok_count, err_count
end

local total_ok, total_err = 0, 0
for s = 1, SEEDS do
  test(("random operations keep the tree consistent (seed %d, %d ops)"):format(s, OPS), function()
    local failures, ok_count, err_count = run_seed(s)
    total_ok, total_err = total_ok + ok_count, total_err + err_count
    for _, m in ipairs(semantic_failures) do failures[#failures + 1] = m end
    semantic_failures = {}
    if #failures > 0 then error(table.concat(failures, "\n", 1, math.min(#failures, 5))) end
  end)
end

test("the fuzz run did real work (both successes and raised errors)", function()
  truthy(total_ok > SEEDS * OPS / 4, ("only %d operations succeeded"):format(total_ok))
  truthy(total_err > SEEDS * OPS / 20, ("only %d operations raised"):format(total_err))
  print(("# %d operations: %d succeeded, %d raised"):format(op_count, total_ok, total_err))
end)

-- Regression: a finalizer that closes the document while a C function is
-- pushing node handles (each push may run the collector) must not free
-- the nodes under it.
test("finalizers closing the document in the middle of select, children, attrs, walk", function()
  collectgarbage("incremental", 10, 400)
  for round = 1, 30 do
    local d = nf.parse("<div>" .. string.rep('<p class="a" id="i" title="t">x</p>', 300) .. "</div>")
    for _ = 1, 20 do setmetatable({}, {__gc = function() pcall(d.close, d) end}) end
    local ok, div = pcall(d.select_one, d, "div")
    for _ = 1, ok and 5 or 0 do
      pcall(d.select, d, "p")
      pcall(function() return div.children, div.nodes, d:xpath("//p"), d:xpath("//@*") end)
      pcall(function() for _, p in ipairs(div.children) do local _ = p:attrs() end end)
      pcall(d.walk, d, {p = function(p) p:attr("x", "y") end})
    end
    d = nil
  end
  collectgarbage("incremental", 200, 100)
  collectgarbage()
end)

test("deep trees built by a script: clone, walk, html, close", function()
  local d = nf.parse("<div id=top></div>")
  local cur = d:select_one("#top")
  for _ = 1, 10 do
    cur:append(string.rep("<div>", 3000) .. "<b id=leaf>x</b>")
    cur = d:select_one("#leaf"); cur:attr("id", nil)
  end
  local top = d:select_one("#top")
  local copy = top:clone()
  eq(copy.html, top.html, "a 30000-level clone")
  local n = 0
  d:walk{b = function() n = n + 1 end}
  eq(n, 10)
  local other = nf.parse("<p></p>")
  other.body:append(top)
  eq(#other:select("b"), 10, "copied into another document")
  d:close(); other:close()
end)

test("processing instructions never block emptying an element", function()
  local d = nf.parse("<div id=d><?php echo 1 ?>x<?y?></div><p id=p><?z?></p>")
  local div = d:select_one("#d")
  div.text = "y"
  eq(div.html, '<div id="d">y</div>')
  div.inner_html = "<?q?>z"
  d:select_one("#p"):unwrap()
  div:remove(); div:unwrap()
  eq(#div.nodes, 0, "unwrapping a detached element detaches its children")
end)

test("a second top-level <html> after a stray </html> goes into the body", function()
  local d = nf.parse("<!DOCTYPE html><html><body><p>a</p></html><p>b</p>")
  eq(d:xpath("count(/*)"), 1)
  eq(#d.body:select("p"), 2)
end)

test("a walk handler that closes the document, then raises", function()
  local d = nf.parse("<p>a</p><p>b</p>")
  raises(function() d:walk{p = function() d:close(); error("boom") end} end, "boom")
  eq(d.closed, true)
  d = nf.parse("<p>a</p><p>b</p>")
  raises(function() d:walk{p = function() d:close() end} end, "closed document")
end)

test("metamethods of an inserted list never run (they could close the document)", function()
  local d = nf.parse("<div></div>")
  local other = nf.parse("<p>o</p>")
  local p = other:select_one("p")
  local list = setmetatable({}, {__len = function() d:close(); return 1 end,
    __index = function() d:close(); other:close(); return p end})
  d:select_one("div"):append(list)
  eq(d.closed, false)
  eq(d:select_one("div").html, "<div></div>", "an empty list (raw length 0)")
  d:select_one("div"):append({p, "<i>x</i>"})
  eq(d:select_one("div").html, "<div><p>o</p><i>x</i></div>")
end)

test("attr values are converted without __tostring", function()
  local d = nf.parse("<p>a</p>")
  local p = d:select_one("p")
  local mt = getmetatable("")
  mt.__tostring = function() d:close(); return "x" end
  local ok, err = pcall(function() p:attr("a", "v"); p:attr("n", 5); p:attr("b", true) end)
  mt.__tostring = nil
  truthy(ok, err)
  eq(p.html, '<p a="v" n="5" b="true">a</p>')
end)

test("option tables are read raw: an __index can neither close the document nor hand out unanchored strings", function()
  local d = nf.parse("<p>x</p>")
  local p = d:select_one("p")
  local evil = setmetatable({}, {__index = function() d:close(); return ("s"):rep(40) .. tostring({}) end})
  eq(nf.text(p, evil), "x\n")
  eq(nf.html(p, evil), nf.html(p))
  eq(nf.markdown(p, evil), nf.markdown(p))
  eq(d.closed, false)
  for _ = 1, 20 do
    local o = setmetatable({}, {__index = function() collectgarbage() return ("src"):rep(30) .. tostring({}) end})
    eq(nf.parse("<p>x</p>", o).source, "", "the __index is not consulted")
  end
end)
