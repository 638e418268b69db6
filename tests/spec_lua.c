/* spec_lua.c: the spec runner for Lua tests (tests/lua_runner sets it up):
 * a global table `spec` with
 *   spec.cases(path) → array of cases {kind=, line=, name=, input=,
 *     expected= (nil without a "." line), opts = {key = "value" or true}}
 *   spec.check(case, ran, got [, "no-final-newline"]) → true | false, why
 * built on tests/spec.c, so a Lua test reads the same files and judges its
 * results exactly as the C tests do. */
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "spec.h"

#define SPEC_MT "newsform.test.spec"

/* The loaded file lives in a userdata that every case table refers to. */
static int spec_gc(lua_State *L) {
  nf_spec_free(luaL_checkudata(L, 1, SPEC_MT));
  return 0;
}

static int l_cases(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  nf_spec *s = lua_newuserdatauv(L, sizeof *s, 0);
  memset(s, 0, sizeof *s);
  luaL_setmetatable(L, SPEC_MT);
  int ud = lua_gettop(L);
  char err[512], name[256];
  if (nf_spec_load(path, s, err, sizeof err) != 0)
    return luaL_error(L, "%s", err);
  lua_createtable(L, (int)s->len, 0);
  for (size_t i = 0; i < s->len; i++) {
    const nf_spec_case *c = &s->cases[i];
    lua_createtable(L, 0, 9);
    lua_pushstring(L, c->kind);
    lua_setfield(L, -2, "kind");
    lua_pushinteger(L, c->line);
    lua_setfield(L, -2, "line");
    nf_spec_name(s, c, name, sizeof name);
    lua_pushstring(L, name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, c->input);
    lua_setfield(L, -2, "input");
    if (c->expected) {
      lua_pushstring(L, c->expected);
      lua_setfield(L, -2, "expected");
    }
    lua_createtable(L, 0, (int)c->nopts);
    for (size_t k = 0; k < c->nopts; k++) {
      if (*c->opts[k].value) lua_pushstring(L, c->opts[k].value);
      else lua_pushboolean(L, 1);
      lua_setfield(L, -2, c->opts[k].key);
    }
    lua_setfield(L, -2, "opts");
    lua_pushvalue(L, ud);
    lua_setfield(L, -2, "spec");
    lua_pushinteger(L, (lua_Integer)i);
    lua_setfield(L, -2, "index");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static int l_check(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  int ran = lua_toboolean(L, 2);
  const char *got = lua_isnoneornil(L, 3) ? "" : luaL_tolstring(L, 3, NULL);
  static const char *const flag_names[] = {"", "no-final-newline", NULL};
  int flags = luaL_checkoption(L, 4, "", flag_names) == 1
                  ? NF_SPEC_NO_FINAL_NEWLINE
                  : 0;
  lua_getfield(L, 1, "spec");
  nf_spec *s = luaL_checkudata(L, -1, SPEC_MT);
  lua_getfield(L, 1, "index");
  lua_Integer i = lua_tointeger(L, -1);
  if (i < 0 || (size_t)i >= s->len) return luaL_error(L, "not a spec case");
  const nf_spec_case *c = &s->cases[i];
  if (strcmp(c->kind, "example") != 0 && strcmp(c->kind, "error") != 0)
    return luaL_error(L, "%s cases are the test's to judge", c->kind);
  nf_buf why = NF_BUF_INIT;
  nf_buf_init(&why);
  int ok = nf_spec_verdict(c, ran, got, flags, &why);
  lua_pushboolean(L, ok == 1);
  if (ok == 1) lua_pushnil(L);
  else lua_pushstring(L, why.ptr);
  nf_buf_free(&why);
  return 2;
}

/* Called by tests/lua_runner.c before the test file runs. */
void nf_spec_open_lua(lua_State *L) {
  luaL_newmetatable(L, SPEC_MT);
  lua_pushcfunction(L, spec_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  static const luaL_Reg fns[] = {
      {"cases", l_cases}, {"check", l_check}, {NULL, NULL}};
  luaL_newlib(L, fns);
  lua_setglobal(L, "spec");
}
