#!/bin/sh
# tests/cli/test_users.sh: newsform for C and Lua users, from outside the
# clone: make install into a temporary prefix, then a C program built with
# `pkg-config --cflags --libs newsform` only, and the module from a stock
# lua5.4 (newsform.read, newsform.inputs); luarocks make with the rockspec
# from a copy of the clone into a temporary tree.
. "$(dirname "$0")/lib.sh"
PREFIX=$T_TMP/prefix
if ! make -C "$ROOT" -s install PREFIX="$PREFIX" >"$T_TMP/install.log" 2>&1; then
  not_ok "make install PREFIX=..." "$(tail -20 "$T_TMP/install.log")"
  exit 0
fi
ok "make install PREFIX=..."
check "headers installed" test -f "$PREFIX/include/newsform.h" -a -f "$PREFIX/include/newsform_lua.h"
check "newsform.pc installed" test -f "$PREFIX/lib/pkgconfig/newsform.pc"

# ----- C users ---------------------------------------------------------
if ! have pkg-config || ! have cc; then
  skip "C program via pkg-config (pkg-config or cc missing)"
else
  export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"
  expect_eq "pkg-config --modversion" "$(pkg-config --modversion newsform 2>&1)" \
    "$(sed -n 's/^#define NF_VERSION "\(.*\)"/\1/p' "$ROOT/include/newsform.h")"
  expect_match "pkg-config --cflags names the prefix" \
    "$(pkg-config --cflags newsform 2>&1)" "-I$PREFIX/include"
  mkdir -p "$T_TMP/cuser"
  cat >"$T_TMP/cuser/main.c" <<'C'
#include <newsform.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
  const char *html = "<html><head><title>Hi</title></head><body><article>"
                     "<h1>Hi</h1><p>Hello from C, a <b>small</b> program.</p>"
                     "</article></body></html>";
  char err[256];
  nf_parse_opts po = {0};
  nf_doc *doc = nf_doc_parse(html, strlen(html), &po, err, sizeof err);
  if (!doc) { fprintf(stderr, "%s\n", err); return 1; }
  nf_render_opts ro;
  memset(&ro, 0, sizeof ro);
  nf_buf out;
  nf_buf_init(&out);
  nf_render_text((const nf_node *)nf_doc_root(doc), &ro, &out);
  printf("%s|%s\n", NF_VERSION, out.ptr ? out.ptr : "");
  nf_buf_free(&out);
  nf_doc_free(doc);
  return 0;
}
C
  (cd "$T_TMP/cuser" && cc -o prog main.c $(pkg-config --cflags --libs newsform)) >"$T_TMP/cc.log" 2>&1
  if [ -x "$T_TMP/cuser/prog" ]; then
    ok "a C program builds with pkg-config --cflags --libs newsform"
    expect_match "and runs" "$("$T_TMP/cuser/prog" 2>&1 | tr "\n" " ")" "^[0-9.]+\|.*Hello from C, a small program"
  else
    not_ok "a C program builds with pkg-config --cflags --libs newsform" "$(cat "$T_TMP/cc.log")"
  fi
fi

# ----- Lua users: the installed module from a stock lua5.4 ------------
if ! have lua5.4; then
  skip "newsform.read and newsform.inputs from a stock lua5.4 (lua5.4 missing)"
else
  mkdir -p "$T_TMP/pages/sub" "$T_TMP/t"
  printf '<p>Caf\351 page</p>' >"$T_TMP/pages/a.html"
  printf '<p>Gzipped</p>' | gzip >"$T_TMP/pages/sub/b.html.gz"
  printf '<p>In the tar</p>' >"$T_TMP/t/x.html"
  tar czf "$T_TMP/pages/c.tar.gz" -C "$T_TMP/t" x.html
  cat >"$T_TMP/users.lua" <<'LUA'
local nf = require "newsform"
local out = {}
local d, msg = nf.read("pages/sub/b.html.gz")
out[#out + 1] = d and d.text or msg
out[#out + 1] = select(2, nf.read("pages/none.html"))
for doc, name, err in nf.inputs({"pages", "missing"}) do
  out[#out + 1] = name .. "=" .. (doc and doc.text or err)
end
io.write(table.concat(out, "|"))
LUA
  got=$(cd "$T_TMP" && LUA_CPATH="$PREFIX/lib/lua/5.4/?.so" lua5.4 users.lua 2>&1)
  expect_eq "newsform.read and newsform.inputs from a stock lua5.4" "$got" \
"Gzipped|pages/none.html: No such file or directory|pages/a.html=$(printf "Caf\303\251") page|\
pages/c.tar.gz:x.html=In the tar|pages/sub/b.html.gz=Gzipped|missing=missing: No such file or directory"
fi

# ----- The sandbox: no file reading through the module -----------------
printf '<p>page</p>' >"$T_TMP/page.html"
printf 'secret' >"$T_TMP/secret.txt"
run --sandbox -e 'return tostring(newsform.read) .. " " .. tostring(newsform.inputs)' "$T_TMP/page.html"
expect_eq "no newsform.read or newsform.inputs under --sandbox" "$RC:$OUT" "0:nil nil"
run -e "return newsform.read('$T_TMP/secret.txt').text" "$T_TMP/page.html"
expect_eq "(without --sandbox scripts can read)" "$RC:$OUT" "0:secret"

# ----- LuaRocks --------------------------------------------------------
if ! have luarocks || ! have lua5.4 || ! have git; then
  skip "luarocks make rockspec/newsform-scm-1.rockspec (luarocks, lua5.4 or git missing)"
else
  mkdir -p "$T_TMP/clone"
  (cd "$ROOT" && git ls-files -co --exclude-standard | tar cf - -T -) | (cd "$T_TMP/clone" && tar xf -)
  (cd "$T_TMP/clone" && luarocks make --lua-version 5.4 --tree "$T_TMP/tree" \
     rockspec/newsform-scm-1.rockspec) >"$T_TMP/rocks.log" 2>&1
  if [ -f "$T_TMP/tree/lib/lua/5.4/newsform.so" ]; then
    ok "luarocks make --lua-version 5.4 --tree ... builds and installs the module"
    got=$(cd "$T_TMP" && eval "$(luarocks --lua-version 5.4 --tree "$T_TMP/tree" path)" &&
          lua5.4 -e 'local nf = require "newsform"
                     local d = nf.parse("<p>From the <b>rock</b></p>")
                     io.write(package.searchpath("newsform", package.cpath), "|", d.text)' 2>&1)
    expect_match "require \"newsform\" from a stock lua5.4 with the tree's paths" "$got" \
      "^$T_TMP/tree/lib/lua/5.4/newsform.so\|From the rock"
  else
    not_ok "luarocks make --lua-version 5.4 --tree ... builds and installs the module" \
      "$(tail -20 "$T_TMP/rocks.log")"
  fi
fi
