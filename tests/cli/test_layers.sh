#!/bin/sh
# test_layers.sh: the layers are one-way. From the object files of the build
# (nm: who defines and who uses each global symbol) it checks that
#  - no dependency cycle exists between object files (tsort finds loops),
#  - the library (core/*.o) uses nothing of the Lua module or the command,
#    and the Lua module (core/lua/*.o) nothing of the command,
#  - newsform.so exports luaopen_newsform and no other function,
#  - the library's default-visibility symbols are exactly the names that
#    include/newsform.h marks NF_API (the export macro).
. "$(dirname "$0")/lib.sh"
B=${NF_BUILD:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUTDIR=$(dirname "$NEWSFORM")
if ! command -v nm >/dev/null || ! command -v tsort >/dev/null; then
  skip "nm or tsort missing"; echo "1..$T_N"; exit 0
fi
objs=$(ls "$ROOT/$B"/core/*.o "$ROOT/$B"/core/lua/*.o "$ROOT/$B"/core/cli/*.o 2>/dev/null)
if [ -z "$objs" ]; then not_ok "object files in $B/core"; echo "1..$T_N"; exit 0; fi

# layer:name for each object file: lib:dom, lua:lua_node, cli:main
name_of() { case $1 in */core/lua/*) l=lua ;; */core/cli/*) l=cli ;; *) l=lib ;; esac
            echo "$l:$(basename "$1" .o)"; }
for o in $objs; do
  n=$(name_of "$o")
  nm --defined-only -g "$o" | awk -v f="$n" 'NF==3 && $2 ~ /[TDBRCV]/ {print $3, f}'
done | sort -k1,1 >"$T_TMP/defs"
for o in $objs; do
  n=$(name_of "$o")
  nm -u "$o" | awk -v f="$n" '{print $NF, f}'
done | sort -k1,1 >"$T_TMP/uses"
# edges "user definer"
join "$T_TMP/uses" "$T_TMP/defs" | awk '$2 != $3 {print $2, $3}' | sort -u >"$T_TMP/edges"
expect_match "the objects depend on each other (nm works)" "$(wc -l <"$T_TMP/edges")" '^ *[1-9]'

loops=$(tsort "$T_TMP/edges" 2>&1 >/dev/null | grep -v 'input contains a loop' | sed 's/^tsort: //' | tr '\n' ' ')
expect_eq "no dependency cycle between object files" "$loops" ""

up=$(awk '{split($1,a,":"); split($2,b,":");
           r["lib"]=0; r["lua"]=1; r["cli"]=2;
           if (r[a[1]] < r[b[1]]) print $1 " -> " $2}' "$T_TMP/edges" | tr '\n' ' ')
expect_eq "no layer uses a layer above it (library < Lua module < command)" "$up" ""

so="$ROOT/$OUTDIR/newsform.so"
[ -f "$so" ] || so="$OUTDIR/newsform.so"
if [ -f "$so" ]; then
  exports=$(nm -D --defined-only "$so" | awk '$2 ~ /[TtWi]/ {print $3}' | sort | tr '\n' ' ')
  expect_eq "newsform.so exports luaopen_newsform only" "$exports" "luaopen_newsform "
else
  not_ok "newsform.so built beside $NEWSFORM"
fi
if command -v readelf >/dev/null; then
  # (names starting with __ are the sanitizers', not ours)
  for o in "$ROOT/$B"/core/*.o; do
    readelf -sW "$o" | awk '$5 == "GLOBAL" && $6 == "DEFAULT" && $7 != "UND" && $8 !~ /^__/ {print $8}'
  done | sort -u >"$T_TMP/visible"
  sed -n 's/^NF_API[^(]*[ *]\([a-z_0-9]*\)\(\[[0-9]*\];\|(\).*/\1/p' "$ROOT/include/newsform.h" |
    sort -u >"$T_TMP/marked"
  expect_match "newsform.h marks the public API with NF_API" "$(wc -l <"$T_TMP/marked")" '^ *[1-9][0-9]'
  expect_eq "the library exports exactly what NF_API marks" \
    "$(comm -3 "$T_TMP/visible" "$T_TMP/marked" | tr -d '\t' | tr '\n' ' ')" ""
  unmarked=$(grep -nE '^(const |unsigned |struct |enum |long |_Noreturn )*[a-z_][a-z0-9_]*[ *]+[a-z_][a-z0-9_]*\(' \
    "$ROOT/include/newsform.h" | grep -v typedef | tr '\n' ' ')
  expect_eq "every function newsform.h declares is marked NF_API" "$unmarked" ""
else
  skip "readelf missing"
fi
echo "1..$T_N"
