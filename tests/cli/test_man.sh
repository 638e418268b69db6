#!/bin/sh
# The manual pages: newsform(1) and newsform-lua(3) are installed by
# `make install PREFIX=...`, render with man(1) and mandoc, are lint-clean, and
# stay true with the command and the README: every long option of --help, of
# the README's option table and of the man page's OPTIONS is in the other two;
# every shipped script and environment variable is in the page; the Lua page
# names every newsform.X of the README and of the module itself.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
MAN1=doc/newsform.1
MAN3=doc/newsform-lua.3

# section FILE NAME: the mdoc source lines of section NAME (.Sh NAME up to the next .Sh).
section() { awk -v s=".Sh $2" '$0 == s {on = 1; next} /^\.Sh / {on = 0} on' "$1"; }
# missing_from LIST_A LIST_B: the lines of A that are not in B.
missing_from() { printf '%s\n' "$1" | grep -vxF -f "$(printf '%s\n' "$2" >"$T_TMP/b"; echo "$T_TMP/b")" | tr '\n' ' '; }

# --- installed where man finds them ------------------------------------------
P=$T_TMP/prefix
if (unset MAKEFLAGS MFLAGS MAKELEVEL; make -s install PREFIX="$P") >"$T_TMP/install.log" 2>&1; then
  ok "make install PREFIX=tmp"
else
  not_ok "make install PREFIX=tmp" "$(tail -20 "$T_TMP/install.log")"
fi
check "newsform.1 installed in PREFIX/share/man/man1" test -f "$P/share/man/man1/newsform.1"
check "newsform-lua.3 installed in PREFIX/share/man/man3" test -f "$P/share/man/man3/newsform-lua.3"

if have man && have groff; then
  out=$(MANPAGER=cat MANWIDTH=80 man -M "$P/share/man" newsform 2>&1)
  expect_match "man -M PREFIX/share/man newsform renders the page" "$out" "run a Lua script over news articles"
  expect_match "... with its options" "$out" "--keep-going"
  out=$(MANPAGER=cat MANWIDTH=80 man -M "$P/share/man" 3 newsform-lua 2>&1)
  expect_match "man -M PREFIX/share/man 3 newsform-lua renders the Lua page" "$out" "newsform\.parse"
else
  skip "man or groff missing"
fi

# --- lint-clean ---------------------------------------------------------------
if have mandoc; then
  out=$(mandoc -Tascii "$P/share/man/man1/newsform.1" 2>&1 | sed 's/.\x08//g')
  expect_match "mandoc renders newsform(1)" "$out" "EXIT STATUS"
  out=$(mandoc -Tlint -W warning "$MAN1" "$MAN3" 2>&1)
  expect_eq "mandoc -Tlint: no warnings or errors" "$out" ""
  # Style messages too, but for cross-references to pages not yet in a
  # mandoc.db (each page names the other) and the system's own database.
  out=$(mandoc -Tlint "$MAN1" "$MAN3" 2>&1 | grep -v -e 'referenced manual not found' -e 'mandoc\.db')
  expect_eq "mandoc -Tlint: no style messages" "$out" ""
else
  skip "mandoc missing"
fi
if have groff; then
  out=$(groff -ww -z -mandoc "$MAN1" "$MAN3" 2>&1)
  expect_eq "groff -ww -z: no warnings" "$out" ""
else
  skip "groff missing"
fi

# --- sections -------------------------------------------------------------------
for s in NAME SYNOPSIS DESCRIPTION OPTIONS ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SHIPPED SCRIPTS"; do
  check "newsform(1) has $s" grep -qx ".Sh $s" "$MAN1"
done
for s in NAME SYNOPSIS DESCRIPTION RECIPES EXAMPLES; do
  check "newsform-lua(3) has $s" grep -qx ".Sh $s" "$MAN3"
done

# --- the options: --help, the README's table and the page agree -----------------
run --help
help_opts=$(printf '%s\n' "$OUT" | grep -oE -- '(^|[ ,])--[a-z][a-z-]*' | grep -oE -- '--[a-z-]+' | sort -u)
readme_opts=$(awk '/^\| option \| meaning/ {on = 1; next} on && !/^\|/ {exit} on' README.md |
  awk -F'|' 'NR > 1 {print $2}' | grep -oE -- '--[a-z][a-z-]*' | sort -u)
man_opts=$(section "$MAN1" OPTIONS | grep -oE 'Fl \\-[a-z][a-z-]*' | sed 's/^Fl \\/-/' | sort -u)
expect_match "--help lists long options" "$(echo $help_opts)" "--eval .*--output"
expect_match "the README's table lists long options" "$(echo $readme_opts)" "--eval .*--output"
expect_match "the man page's OPTIONS lists long options" "$(echo $man_opts)" "--eval .*--output"
expect_eq "every --help option is in the man page" "$(missing_from "$help_opts" "$man_opts")" ""
expect_eq "every man page option is in --help" "$(missing_from "$man_opts" "$help_opts")" ""
expect_eq "every README option is in the man page" "$(missing_from "$readme_opts" "$man_opts")" ""
expect_eq "every man page option is in the README" "$(missing_from "$man_opts" "$readme_opts")" ""
expect_eq "every --help option is in the README" "$(missing_from "$help_opts" "$readme_opts")" ""

# --- scripts, environment, exit statuses --------------------------------------
shipped=$(ls scripts/*.lua | sed 's|.*/||; s|\.lua$||' | sort)
paged=$(section "$MAN1" "SHIPPED SCRIPTS" | sed -n 's/^\.It Cm \([a-z_-]*\)$/\1/p' | sort)
expect_eq "the page lists every shipped script" "$(missing_from "$shipped" "$paged")" ""
expect_eq "every script the page lists is shipped" "$(missing_from "$paged" "$shipped")" ""
envs=$(cat core/cli/*.c scripts/*.lua | grep -oE 'getenv\("[A-Z_]+"\)' | grep -oE '[A-Z_]{2,}' | sort -u)
paged_env=$(section "$MAN1" ENVIRONMENT | sed -n 's/^\.It Ev \([A-Z_]*\)$/\1/p' | sort -u)
expect_match "the command reads NEWSFORM_PATH" "$(echo $envs)" "NEWSFORM_PATH"
expect_eq "the page names every environment variable read" "$(missing_from "$envs" "$paged_env")" ""
statuses=$(section "$MAN1" "EXIT STATUS" | sed -n 's/^\.It \([0-9]*\)$/\1/p' | tr '\n' ' ')
expect_eq "EXIT STATUS lists 0, 1 and 2" "$statuses" "0 1 2 "
run --no-such-option
expect_eq "a usage error exits 2, as the page says" "$RC" "2"

# --- the Lua page ---------------------------------------------------------------
# newsform.X in the README (not file names such as newsform.h, newsform.so).
readme_lua=$(grep -oE '(^|[^A-Za-z0-9_])newsform\.[a-z_]+(\.[a-z_]+)*' README.md |
  sed 's/^[^n]*//' | grep -vE '^newsform\.(a|h|so|pc|lua|bash|1|3|7)(\.|$)' | sort -u)
expect_match "the README lists Lua functions" "$(echo $readme_lua)" "newsform\.parse"
named() { grep -qE "(^|[^A-Za-z0-9_.])$(printf '%s' "$1" | sed 's/\./\\./g')([^A-Za-z0-9_]|$)" "$MAN3"; }
absent=""
for f in $readme_lua; do named "$f" || absent="$absent $f"; done
expect_eq "the Lua page names every newsform.X of the README" "$absent" ""
RUNNER=${NF_BUILD:-build}/tests/lua_runner
if [ -x "$RUNNER" ]; then
  cat >"$T_TMP/keys.lua" <<'EOF'
local nf = require "newsform"
for k, v in pairs(nf) do
  print("newsform." .. k)
  if k == "bundle" then for k2 in pairs(v) do print("newsform.bundle." .. k2) end end
end
EOF
  keys=$("$RUNNER" "$T_TMP/keys.lua" | grep '^newsform\.' | sort)
  expect_match "the module's keys are listed" "$(echo $keys)" "newsform\.parse"
  absent=""
  for f in $keys; do named "$f" || absent="$absent $f"; done
  expect_eq "the Lua page names every key of the module" "$absent" ""
else
  skip "lua_runner missing (make test-bins)"
fi
