-- test_lua_results.lua: what methods hand back to scripts: XPath numbers
-- (whole ones as integers) and the inserted nodes of the insertion
-- methods (one array table).
local nf = require "newsform"

test("xpath: whole numbers come back as Lua integers", function()
  local doc = nf.parse("<p>a</p><p>b</p><p>c</p>")
  local n = doc:xpath("count(//p)")
  eq(n, 3)
  eq(math.type(n), "integer")
  eq(tostring(n), "3", "prints as 3, not 3.0")
  eq(math.type(doc.body:xpath("count(p)")), "integer", "node:xpath too")
  eq(math.type(doc:xpath("number('x')")), "float", "NaN stays a float")
  eq(doc:xpath("count(//p) div 2"), 1.5, "fractions stay floats")
  eq(math.type(doc:xpath("count(//p) div 2")), "float")
  eq(math.type(doc:xpath("-count(//q)")), "integer", "-0 is 0")
  eq(doc:xpath("string-length('abcd')"), 4)
end)

test("insertion methods return one array of the inserted nodes", function()
  local doc = nf.parse("<div><p>a</p></div>")
  local p = doc:select_one("p")
  local ins = p:after("<i>1</i><b>2</b>")
  eq(type(ins), "table")
  eq(#ins, 2)
  eq(ins[1].tag, "i"); eq(ins[2].tag, "b")
  ins = p:before("<hr>")
  eq(#ins, 1); eq(ins[1].tag, "hr")
  ins = doc:select_one("div"):append({"<em>x</em>", "tail"})
  eq(#ins, 2); eq(ins[1].tag, "em"); eq(ins[2].type, "text")
  ins = doc:select_one("div"):prepend("<h2>t</h2>")
  eq(#ins, 1); eq(ins[1].tag, "h2")
  ins = p:replace("<span>s</span><span>t</span>")
  eq(#ins, 2); eq(ins[2].text, "t")
  eq(p.attached, false)
  eq(doc:select_one("div").inner_html, "<h2>t</h2><hr><span>s</span><span>t</span><i>1</i><b>2</b><em>x</em>tail")
  ins = ins[1]:replace("")
  eq(#ins, 0, "nothing inserted: an empty array")
  local many = {}
  for i = 1, 300 do many[i] = "<i>" .. i .. "</i>" end
  ins = doc.body:append(many)
  eq(#ins, 300, "every inserted node, not only the first 200")
end)
