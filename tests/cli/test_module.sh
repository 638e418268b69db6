#!/bin/sh
# The Lua module newsform.so loads in a stock lua5.4 from the repo root,
# with the same API as inside scripts.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
case "${NF_BUILD:-build}" in
  *asan*) skip "module test (the sanitized build has no module for a stock lua5.4)"; exit 0 ;;
esac
if ! command -v lua5.4 >/dev/null 2>&1; then skip "lua5.4 is not installed"; exit 0; fi
out=$(lua5.4 -e 'local nf = require "newsform"
local d = nf.parse("<p>hi <b>x</b></p><p>2</p>")
io.write(nf.version, " ", d:select_one("b").text, " ", #d:select("p"))' 2>&1)
expect_eq "require 'newsform' from lua5.4" "$out" "0.1.0 x 2"
out=$(lua5.4 -e 'local nf = require "newsform"
local d = nf.parse("<p>x</p>"); local p = d.body.children[1]; d:close()
local ok, err = pcall(function() return p.text end); io.write(tostring(ok), " ", err)' 2>&1)
expect_match "closed-document errors in the module too" "$out" "^false .*closed document"
