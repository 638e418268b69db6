#!/bin/sh
# test_limits.sh: hostile scripts end with a clear error, never a crash or a
# hang: --timeout, --max-memory (also through the script's own pcall), deep
# recursion, and a worker's memory across many inputs.
. "$(dirname "$0")/lib.sh"
F=$(cd "$(dirname "$0")/../fixtures/cli" && pwd)
cd "$T_TMP" || exit 2
A="$F/a.html"

now() { date +%s.%N; }
# quick NAME START MAX-SECONDS
quick() {
  took=$(echo "$(now) - $2" | bc 2>/dev/null || echo 0)
  if [ "$(echo "$took < $3" | bc 2>/dev/null || echo 1)" = 1 ]; then ok "$1"
  else not_ok "$1" "took $took s"; fi
}
TIMEOUT_MSG="newsform: -e: timeout of 0.3 seconds exceeded (while processing $A)"

# ---- --timeout -------------------------------------------------------------
t=$(now)
run --timeout 0.3 -e 'while true do end' "$A"
expect_eq "infinite loop: timeout message" "$RC:$ERR" "1:$TIMEOUT_MSG"
quick "infinite loop ends quickly" "$t" 5
t=$(now)
run --timeout 0.3 -e 'while true do pcall(function() while true do end end) end' "$A"
expect_eq "loop inside pcall: still a timeout" "$RC:$ERR" "1:$TIMEOUT_MSG"
quick "loop inside pcall ends quickly" "$t" 5
run --timeout 0.3 -e 'while true do xpcall(function() while true do end end, function(m) while true do end end) end' "$A"
expect_eq "xpcall whose handler loops too" "$RC:$ERR" "1:$TIMEOUT_MSG"
run --timeout 0.3 -e 'local co = coroutine.create(function() while true do end end) while true do coroutine.resume(co) end' "$A"
expect_eq "loop inside a coroutine" "$RC:$ERR" "1:$TIMEOUT_MSG"
run --timeout 0.3 -e 'local f = coroutine.wrap(function() while true do end end) while true do pcall(f) end' "$A"
expect_eq "loop inside coroutine.wrap under pcall" "$RC:$ERR" "1:$TIMEOUT_MSG"
run --timeout 0.3 -e 'local n = 0 while true do local ok, e = pcall(error, "x") n = n + 1 end' "$A"
expect_eq "busy loop of caught errors" "$RC:$ERR" "1:$TIMEOUT_MSG"
run --timeout 0.3 -e 'while true do for _, p in ipairs(doc:select("p")) do local _ = p.text end end' "$A"
expect_eq "loop over module calls" "$RC:$ERR" "1:$TIMEOUT_MSG"
run --timeout 5 -e 'local x = 0 for i = 1, 1e5 do x = x + i end return x' "$A"
expect_eq "a quick script is not stopped" "$RC:$OUT" "0:5000050000"
run -k --timeout 0.3 -e 'if ctx.index == 1 then while true do end end return doc.title' "$A" "$F/b.txt"
expect_eq "after a timeout the worker goes on (--keep-going)" "$OUT" "Fixture B Title"
expect_match "after a timeout: count" "$ERR" "1 of 2 inputs failed$"
cat >slow_begin.lua <<'EOF'
function begin(ctx) while true do end end
function process(doc, ctx) return "x" end
EOF
run --timeout 0.3 slow_begin.lua "$A"
expect_eq "a loop in begin" "$RC:$ERR" "1:newsform: slow_begin.lua: timeout of 0.3 seconds exceeded (in begin)"
echo 'while true do end' >slow_load.lua
run --timeout 0.3 slow_load.lua "$A"
expect_eq "a loop in the script's main chunk" "$RC:$ERR" "1:newsform: slow_load.lua: timeout of 0.3 seconds exceeded (while loading the script)"
# A C function that never checks the clock (Lua's pattern matcher): the
# watchdog stops the run.
t=$(now)
run --timeout 0.2 -o stuck.txt -e 'return (string.rep("a", 30000):find(".-.-.-.-b"))' "$A"
expect_eq "stuck in C: watchdog message" "$RC:$ERR" "1:newsform: -e: timeout of 0.2 seconds exceeded (while processing $A); it cannot be interrupted, stopping"
quick "stuck in C: stopped within seconds" "$t" 10
expect_eq "stuck in C: no output file, no temporary file" "$(ls -a | grep -c stuck)" "0"

# ---- --max-memory ----------------------------------------------------------
MEM_MSG="newsform: -e: memory limit of 16 MB exceeded (while processing $A)"
run --max-memory 16 -e 'return #string.rep("x", 1e9)' "$A"
expect_eq "string.rep blow-up" "$RC:$ERR" "1:$MEM_MSG"
run --max-memory 16 -e 'local ok = pcall(string.rep, "x", 1e9) return tostring(ok)' "$A"
expect_eq "string.rep blow-up inside pcall" "$RC:$ERR" "1:$MEM_MSG"
run --max-memory 16 -e 'local t = {} for i = 1, 1e9 do t[i] = {i} end' "$A"
expect_eq "table-growing loop" "$RC:$ERR" "1:$MEM_MSG"
run --max-memory 16 -e 'local t = {} while true do local ok = pcall(function() for i = 1, 1e9 do t[#t + 1] = ("y"):rep(100) .. i end end) end' "$A"
expect_eq "table-growing loop inside pcall, retried" "$RC:$ERR" "1:$MEM_MSG"
run --max-memory 16 -e 'local s = "x" while true do s = s .. s end' "$A"
expect_eq "doubling string" "$RC:$ERR" "1:$MEM_MSG"
run --max-memory 16 -e 'local t = {} for i = 1, 2e5 do t[i] = i end return #t' "$A"
expect_eq "work under the limit is fine" "$RC:$OUT" "0:200000"
run -k --max-memory 16 -e 'if ctx.index == 1 then local t = {} for i = 1, 1e9 do t[i] = {i} end end return doc.title' "$A" "$F/b.txt"
expect_eq "after a memory error the worker goes on" "$OUT" "Fixture B Title"
run --max-memory 0.01 -e 'return 1' "$A"
expect_match "a limit too small to load the script" "$RC:$ERR" "^1:newsform: -e: memory limit of 0.01 MB exceeded \(while loading the script\)$"

# ---- deep recursion ---------------------------------------------------------
run -e 'local function f() return f() + 1 end return f()' "$A"
expect_eq "Lua recursion: stack overflow is an error" "$RC:$ERR" "1:newsform: -e:1: stack overflow (while processing $A)"
run -e 'local function f(s) return (s:gsub(".", f)) end return f("aaaa")' "$A"
expect_match "recursion through C: an error" "$RC:$ERR" "^1:newsform: -e:1: .*(stack overflow|too complex)"
run -e 'local function f() local ok, e = pcall(f) if not ok then error(e, 0) end end f()' "$A"
expect_match "recursion through pcall: an error" "$RC:$ERR" "^1:newsform: -e:1: .*stack overflow"
run -e 'local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x' "$A"
expect_match "recursion through __index: an error" "$RC:$ERR" "^1:newsform: -e:1: .*stack overflow"
run --max-memory 16 -e 'local function f(n) return f(n + 1) + 1 end return f(1)' "$A"
expect_match "recursion under a memory limit" "$RC:$ERR" "^1:newsform: -e(:1)?: (memory limit of 16 MB exceeded|stack overflow)"

# ---- memory across many inputs -----------------------------------------------
write_pages many 400 '<title>t%d</title><p>%d</p><p>more</p>\n'
cat >heap.lua <<'EOF'
-- Lua heap (KB) after the 20th and after the last article.
function process(doc, ctx)
  local keep = doc:select("p")        -- nodes held until the doc is closed
  local s = doc.html .. string.rep("x", 10000)
  if ctx.index == 20 then ctx.state.early = collectgarbage("count") end
  ctx.state.late = collectgarbage("count")
end
function finish(ctx)
  collectgarbage()
  return string.format("%d %d", math.floor(ctx.state.early), math.floor(collectgarbage("count")))
end
EOF
run -j1 heap.lua many
early=${OUT% *}
late=${OUT#* }
if [ -n "$early" ] && [ "$RC" = 0 ] && [ "$late" -lt $((early + 200)) ]; then
  ok "Lua memory does not grow with the number of inputs ($early KB → $late KB)"
else
  not_ok "Lua memory does not grow with the number of inputs" "rc=$RC early=$early late=$late err=$ERR"
fi
run -j2 --max-memory 8 -e 'local s = doc.html .. string.rep("y", 100000) return #doc:select("p")' many
expect_eq "400 inputs under an 8 MB limit" "$RC:$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" "0:400"
