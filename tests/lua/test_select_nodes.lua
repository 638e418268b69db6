-- test_select_nodes.lua: selectors matched node by node (walk handlers with
-- selector keys, node:matches) over long sibling runs give what doc:select
-- gives, and see the edits a script makes between two matches (the
-- document keeps sibling positions between matches until its next edit).
local nf = require "newsform"

local function distinct(n)
  local parts = { "<div id=w>" }
  for i = 1, n do parts[#parts + 1] = ("<x-%d>a</x-%d>"):format(i, i) end
  parts[#parts + 1] = "</div>"
  return nf.parse(table.concat(parts))
end

-- "ok", or the first selector and position where node by node differs.
local function compare(doc, selectors)
  local w = doc:select_one("#w")
  for _, css in ipairs(selectors) do
    local want = {}
    for _, n in ipairs(w:select(":scope > " .. css)) do want[n] = true end
    local walked, i = {}, 0
    w:walk{ [css] = function(n) walked[n] = true end }
    for _, n in ipairs(w:select(":scope > *")) do
      i = i + 1
      if n:matches(css) ~= (want[n] == true) then return ("%s: matches at %d"):format(css, i) end
      if (walked[n] == true) ~= (want[n] == true) then return ("%s: walk at %d"):format(css, i) end
    end
  end
  return "ok"
end

local SIBLING = { ":last-of-type", ":only-of-type", ":first-of-type", ":nth-of-type(1)",
                  ":nth-last-of-type(1)", ":nth-child(3n+1)", ":nth-last-child(2)",
                  ":last-child", ":first-child" }

test("walk and node:matches over 20,000 distinct sibling tags = doc:select", function()
  local doc = distinct(20000)
  eq(compare(doc, SIBLING), "ok")
  eq(#doc:select("#w > :only-of-type"), 20000)
end)

test("an edit between two matches is seen", function()
  local parts = { "<div id=w>" }
  for i = 1, 80 do parts[#parts + 1] = i % 2 == 1 and "<p></p>" or ("<x-%d></x-%d>"):format(i, i) end
  parts[#parts + 1] = "</div>"
  local doc = nf.parse(table.concat(parts))
  local w = doc:select_one("#w")
  local kids = w:select(":scope > *")
  -- each check looks 40 or more siblings away: past the scan, from the table
  eq(kids[1]:matches(":nth-last-child(80)"), true)
  w:append("<p></p>")
  eq(kids[1]:matches(":nth-last-child(81)"), true, "after append")
  eq(kids[79]:matches("p:nth-of-type(40)"), true)
  kids[1].tag = "q"
  eq(kids[79]:matches("p:nth-of-type(39)"), true, "after rename")
  eq(kids[40]:matches(":nth-child(40)"), true)
  kids[2]:remove()
  eq(kids[40]:matches(":nth-child(39)"), true, "after remove")
  kids[10]:before("<b></b><b></b>")
  eq(kids[40]:matches(":nth-child(41)"), true, "after before()")
  eq(compare(doc, SIBLING), "ok", "every sibling after the edits")
end)

test("a walk that edits as it goes matches what it reaches", function()
  local doc = nf.parse("<div id=w>" .. ("<p></p>"):rep(200) .. "</div>")
  local w = doc:select_one("#w")
  -- each handler removes the p after it: the k-th p reached is the k-th
  -- child, with 200 - 2k + 2 children from it to the end
  local k, wrong = 0, nil
  w:walk{ p = function(n)
    k = k + 1
    local first = n:matches((":nth-child(%d)"):format(k))
    local last = n:matches((":nth-last-of-type(%d)"):format(200 - 2 * k + 2))
    if not (first and last) and not wrong then wrong = k end
    local nx = n.next
    if nx then nx:remove() end
  end }
  eq(k, 100, "every other p reached")
  eq(wrong, nil, "positions right after each removal")
end)
