-- testlib.lua: loaded by tests/lua_runner before each test file.
-- test(name, fn) runs fn under pcall and prints "ok N - name" / "not ok N - name".
local n, failed = 0, 0
local function report(ok, name, msg)
  n = n + 1
  if ok then print(("ok %d - %s"):format(n, name))
  else failed = failed + 1; print(("not ok %d - %s"):format(n, name))
    if msg then print("#   " .. tostring(msg):gsub("\n", "\n#   ")) end
  end
end
function test(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  report(ok, name, err)
end
function eq(got, want, what)
  if got ~= want then
    error(("%sgot %s, want %s"):format(what and (what .. ": ") or "",
      type(got) == "string" and ("%q"):format(got) or tostring(got),
      type(want) == "string" and ("%q"):format(want) or tostring(want)), 2)
  end
end
function truthy(v, what) if not v then error((what or "expected a true value"), 2) end end
-- raises(fn, pattern): fn must raise an error whose message contains pattern (plain).
function raises(fn, pattern)
  local ok, err = pcall(fn)
  if ok then error("expected an error" .. (pattern and (" matching " .. pattern) or ""), 2) end
  if pattern and not tostring(err):find(pattern, 1, true) then
    error(("error %q does not contain %q"):format(tostring(err), pattern), 2)
  end
  return err
end
function skip(name, why) n = n + 1; print(("ok %d - # SKIP %s (%s)"):format(n, name, why)) end
function done_testing() print(("# %d tests, %d failed"):format(n, failed)); return failed == 0 end
