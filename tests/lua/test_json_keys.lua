-- test_json_keys.lua: object keys holding U+0000 keep their full length
-- through json_decode -> Lua table -> json (a key used to be cut at its
-- first NUL, so "a\u0000b" and "a\u0000c" became one key "a").
local nf = require "newsform"

test("a key with a NUL round-trips byte for byte", function()
  local src = '{"a\\u0000b":1}'
  local t = nf.json_decode(src)
  eq(t["a\0b"], 1)
  eq(t["a"], nil)
  eq(nf.json(t), src)
end)

test("two keys differing after the NUL stay two", function()
  local t = nf.json_decode('{"a\\u0000b":1,"a\\u0000c":2}')
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  eq(n, 2)
  eq(t["a\0b"], 1)
  eq(t["a\0c"], 2)
  eq(nf.json(t), '{"a\\u0000b":1,"a\\u0000c":2}')
end)

test("nested objects and a key that is only a NUL", function()
  local src = '{"\\u0000":{"x\\u0000":[true]},"x":null}'
  local t = nf.json_decode(src)
  eq(t["\0"]["x\0"][1], true)
  eq(nf.json(t), src)
end)
