#!/bin/sh
# test_sandbox.sh: --sandbox refuses every way out (files, processes, C
# modules, bytecode, debug) with a clear error, and keeps what scripts need.
. "$(dirname "$0")/lib.sh"
F=$(cd "$(dirname "$0")/../fixtures/cli" && pwd)
cd "$T_TMP" || exit 2
A="$F/a.html"

# refused NAME CODE EXPECTED-ERROR-REGEX: the run fails with that message.
refused() {
  run --sandbox -e "$2" "$A"
  expect_match "sandbox refuses $1" "$RC:$ERR" "^1:newsform: -e:1: $3 \(while processing $A\)$"
}
# allowed NAME CODE EXPECTED-OUTPUT
allowed() {
  run --sandbox -e "$2" "$A"
  expect_eq "sandbox allows $1" "$RC:$OUT" "0:$3"
}

echo secret >secret.txt
refused "io.open" 'return io.open("secret.txt"):read("a")' "attempt to index a nil value \(global 'io'\)"
refused "io.popen" 'return io.popen("id")' "attempt to index a nil value \(global 'io'\)"
refused "os.execute" 'return os.execute("touch pwned")' "attempt to call a nil value \(field 'execute'\)"
refused "os.remove" 'return os.remove("secret.txt")' "attempt to call a nil value \(field 'remove'\)"
refused "os.getenv" 'return os.getenv("HOME")' "attempt to call a nil value \(field 'getenv'\)"
refused "os.exit" 'os.exit(0)' "attempt to call a nil value \(field 'exit'\)"
refused "require of io" 'return require("io")' "module 'io' is not available in the sandbox"
refused "require of os (the full one)" 'return require("os").execute("id")' "attempt to call a nil value \(field 'execute'\)"
refused "require of a C module" 'return require("lfs")' "module 'lfs' is not available in the sandbox"
refused "require of debug" 'return require("debug")' "module 'debug' is not available in the sandbox"
refused "package.loadlib" 'return package.loadlib("libc.so.6", "system")' "attempt to index a nil value \(global 'package'\)"
refused "debug.sethook" 'debug.sethook()' "attempt to index a nil value \(global 'debug'\)"
refused "debug.getregistry" 'return debug.getregistry()' "attempt to index a nil value \(global 'debug'\)"
refused "dofile" 'return dofile("secret.txt")' "attempt to call a nil value \(global 'dofile'\)"
refused "loadfile" 'return loadfile("secret.txt")' "attempt to call a nil value \(global 'loadfile'\)"
refused "string.dump" 'return string.dump(function() end)' "attempt to call a nil value \(field 'dump'\)"
refused "string.dump through the string metatable" 'return ("x").dump(print)' "attempt to call a nil value \(field 'dump'\)"
refused "getmetatable(\"\").__index.dump" 'return getmetatable("").__index.dump(print)' "attempt to call a nil value \(field 'dump'\)"
refused "__gc finalizers" 'setmetatable({}, {__gc = function() while true do end end})' "__gc metamethods are not allowed in the sandbox"
refused "collectgarbage(\"stop\")" 'collectgarbage("stop")' "bad argument #1 to 'collectgarbage' \(invalid option 'stop'\)"
# A bytecode chunk (made here, outside the sandbox): load refuses it.
"$NEWSFORM" -e 'return (string.dump(function() return "bytecode ran" end):gsub(".", function(c) return string.format("\\%d", c:byte()) end))' "$A" >bc.txt 2>/dev/null
BC=$(cat bc.txt)
run --sandbox -e "local f, e = load(\"$BC\") return tostring(f) .. ' ' .. e" "$A"
expect_eq "load refuses bytecode" "$RC:$OUT" "0:nil attempt to load a binary chunk (mode is 't')"
run --sandbox -e "local f, e = load(\"$BC\", 'x', 'b') return tostring(f) .. ' ' .. e" "$A"
expect_eq "load refuses bytecode even when asked for mode b" "$RC:$OUT" "0:nil attempt to load a binary chunk (mode is 't')"
run -e "return load(\"$BC\")()" "$A"
expect_eq "(without --sandbox the same bytecode loads)" "$OUT" "bytecode ran"
run --sandbox -e 'return newsform.bundle' "$A"
expect_eq "no bundle writing in the sandbox" "$RC:$OUT" "0:"
expect_eq "nothing was created or removed" "$(ls | tr '\n' ' ')" "bc.txt err out secret.txt "

allowed "os.time/os.date/os.clock" 'return type(os.time()) .. " " .. os.date("!%Y-%m-%d", 0) .. " " .. type(os.clock())' "number 1970-01-01 number"
allowed "load of text" 'return load("return 6 * 7")()' "42"
allowed "load with an env" 'return load("return x", "chunk", "t", {x = "env"})()' "env"
allowed "string methods" 'return ("%s-%d"):format("a", 1):upper()' "A-1"
allowed "require of newsform" 'return require("newsform").version' "0.1.0"
allowed "require of string" 'return tostring(require("string") == string)' "true"
allowed "the tree API" 'return doc:select_one("h1").text' "Heading A"
allowed "pcall of an ordinary error" 'return select(2, pcall(error, "plain", 0))' "plain"
allowed "coroutines" 'local co = coroutine.wrap(function() coroutine.yield(1) end) return co()' "1"
allowed "collectgarbage count" 'return type(collectgarbage("count"))' "number"
allowed "setmetatable without __gc" 'return getmetatable(setmetatable({}, {__index = {x = 1}})).__index.x' "1"

# Limits work together with the sandbox.
run --sandbox --timeout 0.3 -e 'while true do end' "$A"
expect_eq "sandbox + timeout" "$RC:$ERR" "1:newsform: -e: timeout of 0.3 seconds exceeded (while processing $A)"
run --sandbox --max-memory 16 -e 'return #string.rep("x", 1e9)' "$A"
expect_eq "sandbox + memory limit" "$RC:$ERR" "1:newsform: -e: memory limit of 16 MB exceeded (while processing $A)"
cat >escape.lua <<'EOF'
-- a script file under the sandbox: no io at load time either
local f = io.open("secret.txt")
function process(doc, ctx) return "escaped" end
EOF
run --sandbox escape.lua "$A"
expect_match "sandbox applies to the script's main chunk" "$RC:$ERR" "^1:newsform: escape.lua:2: attempt to index a nil value \(global 'io'\)"
