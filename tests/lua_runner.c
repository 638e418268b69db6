/* lua_runner.c: runs one Lua test file with the newsform module preloaded
 * (linked in, so the sanitized build tests the same code), the spec runner
 * as the global `spec` (tests/spec_lua.c) and tests/lua/testlib.lua loaded
 * first. Exit status 1 when a test failed. */
#include <stdio.h>
#include <stdlib.h>

#include <lauxlib.h>
#include <lualib.h>

#include "newsform_lua.h"

void nf_spec_open_lua(lua_State *L); /* tests/spec_lua.c: global `spec` */

static int msgh(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  luaL_traceback(L, L, msg ? msg : "(error object is not a string)", 1);
  return 1;
}

static int run(lua_State *L, const char *path) {
  lua_pushcfunction(L, msgh);
  int h = lua_gettop(L);
  if (luaL_loadfile(L, path) != LUA_OK || lua_pcall(L, 0, 1, h) != LUA_OK) {
    fprintf(stderr, "%s\n", lua_tostring(L, -1));
    printf("not ok - %s did not run to the end\n", path);
    return 0;
  }
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: lua_runner TEST.lua [ARGS...]\n");
    return 2;
  }
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  nf_spec_open_lua(L);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_newsform);
  lua_setfield(L, -2, "newsform");
  lua_pop(L, 1);
  lua_newtable(L);
  for (int i = 1; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  lua_setglobal(L, "arg");
  int ok = run(L, "tests/lua/testlib.lua") && run(L, argv[1]);
  if (ok) {
    lua_getglobal(L, "done_testing");
    ok = lua_pcall(L, 0, 1, 0) == LUA_OK && lua_toboolean(L, -1);
  }
  lua_close(L);
  return ok ? 0 : 1;
}
