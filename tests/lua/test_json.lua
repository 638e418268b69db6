-- test_json.lua: newsform.json / json_decode / json_object / null.
local nf = require "newsform"

test("scalars", function()
  eq(nf.json(nil), "null")
  eq(nf.json(true), "true")
  eq(nf.json(false), "false")
  eq(nf.json(42), "42")
  eq(nf.json(-7.0), "-7")
  eq(nf.json(1.5), "1.5")
  eq(nf.json(0.1), "0.1")
  eq(nf.json(1e300), "1e+300")
  eq(nf.json("a\"b\\c\n\1é"), '"a\\"b\\\\c\\n\\u0001é"')
  eq(nf.json(nf.null), "null")
end)

test("arrays and objects, keys sorted", function()
  eq(nf.json({1, 2, "x"}), '[1,2,"x"]')
  eq(nf.json({b = 1, a = {true}, c = {d = nf.null}}), '{"a":[true],"b":1,"c":{"d":null}}')
  eq(nf.json({[1] = "a", [3] = "c"}), '{"1":"a","3":"c"}')
  eq(nf.json({}), "[]")
  eq(nf.json(nf.json_object()), "{}")
  eq(nf.json(nf.json_object({x = 1})), '{"x":1}')
  eq(nf.json(setmetatable({}, {__jsontype = "object"})), "{}")
end)

test("indent", function()
  eq(nf.json({a = {1, 2}, b = {}}, {indent = 2}), '{\n  "a": [\n    1,\n    2\n  ],\n  "b": []\n}')
end)

test("nodes and documents as HTML", function()
  local d = nf.parse("<p>x <b>y</b></p>")
  eq(nf.json({p = d:select_one("p")}), '{"p":"<p>x <b>y</b></p>"}')
  truthy(nf.json(d):find("<body><p>x <b>y</b></p></body>", 1, true))
end)

test("errors", function()
  raises(function() nf.json(0/0) end, "NaN")
  raises(function() nf.json(math.huge) end, "infinity")
  raises(function() nf.json(print) end, "cannot encode a function")
  local t = {}; t.self = t
  raises(function() nf.json(t) end, "contains itself")
  raises(function() nf.json({[true] = 1}) end, "table key")
  local deep = {}
  local cur = deep
  for _ = 1, 1100 do cur[1] = {}; cur = cur[1] end
  raises(function() nf.json(deep) end, "nested deeper")
  raises(function() nf.json({}, {ident = 2}) end, "unknown option 'ident'")
  local d = nf.parse("<p>x</p>")
  local p = d:select_one("p")
  d:close()
  raises(function() nf.json({p}) end, "closed")
end)

test("shared tables are not cycles", function()
  local s = {1}
  eq(nf.json({a = s, b = s}), '{"a":[1],"b":[1]}')
end)

test("decode", function()
  local v = nf.json_decode('{"a":[1,2.5,null,"s"],"b":{},"c":true}')
  eq(v.a[1], 1)
  eq(math.type(v.a[1]), "integer")
  eq(v.a[2], 2.5)
  eq(v.a[3], nf.null)
  eq(#v.a, 4)
  eq(v.c, true)
  eq(nf.json(v), '{"a":[1,2.5,null,"s"],"b":{},"c":true}')
  eq(nf.json_decode('"\\u00e9"'), "é")
  eq(nf.json_decode("[]")[1], nil)
end)

test("decode errors", function()
  raises(function() nf.json_decode("{") end, "invalid JSON")
  raises(function() nf.json_decode("[1,]") end, "invalid JSON")
  raises(function() nf.json_decode("") end, "invalid JSON")
  raises(function() nf.json_decode({}) end, "string expected")
end)

