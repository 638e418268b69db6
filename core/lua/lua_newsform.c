/* lua_newsform.c: the module table, shared binding helpers (option checks,
 * limits) and luaopen_newsform. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "lua_aux.h"
#include "newsform_lua.h"

#define LIMITS_KEY "newsform.limits"

double nf_monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void nf_lua_set_limits(lua_State *L, nf_lua_limits *lim) {
  lua_pushlightuserdata(L, lim);
  lua_setfield(L, LUA_REGISTRYINDEX, LIMITS_KEY);
}

nf_lua_limits *nf_lua_get_limits(lua_State *L) {
  lua_getfield(L, LUA_REGISTRYINDEX, LIMITS_KEY);
  nf_lua_limits *lim = lua_touserdata(L, -1);
  lua_pop(L, 1);
  return lim;
}

int nf_lua_raise_timeout(lua_State *L) {
  nf_lua_limits *lim = nf_lua_get_limits(L);
  if (lim) lim->expired = 1;
  return luaL_error(L, "timeout: the article took longer than the time limit");
}

void nf_lua_check_interrupt(lua_State *L) {
  nf_lua_limits *lim = nf_lua_get_limits(L);
  if (!lim) return;
  if (lim->expired || (lim->deadline > 0 && nf_monotonic() > lim->deadline))
    nf_lua_raise_timeout(L);
}

int nf_lua_checkopts(lua_State *L, int idx, const char *const allowed[]) {
  if (lua_isnoneornil(L, idx)) return 0;
  luaL_checktype(L, idx, LUA_TTABLE);
  idx = lua_absindex(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    int ok = 0;
    if (lua_type(L, -1) == LUA_TSTRING) {
      const char *k = lua_tostring(L, -1);
      for (int i = 0; allowed[i]; i++)
        if (strcmp(allowed[i], k) == 0) { ok = 1; break; }
    }
    if (!ok) {
      luaL_Buffer b;
      luaL_buffinit(L, &b);
      for (int i = 0; allowed[i]; i++) {
        if (i) luaL_addstring(&b, ", ");
        luaL_addstring(&b, allowed[i]);
      }
      luaL_pushresult(&b);
      const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2)
                                                      : luaL_typename(L, -2);
      return luaL_error(L, "unknown option '%s' (expected one of: %s)", key,
                        lua_tostring(L, -1));
    }
  }
  return 1;
}

/* Option fields are read raw: an __index could close a document whose node
 * the caller holds, and a string it returns would be anchored nowhere
 * (collected while C still reads it). */
static void rawfield(lua_State *L, int idx, const char *k) {
  idx = lua_absindex(L, idx);
  lua_pushstring(L, k);
  lua_rawget(L, idx);
}

int nf_lua_optfield_int(lua_State *L, int idx, const char *k, int def) {
  if (!lua_istable(L, idx)) return def;
  rawfield(L, idx, k);
  int v = def;
  if (!lua_isnil(L, -1)) {
    int isnum;
    lua_Integer n = lua_tointegerx(L, -1, &isnum);
    if (!isnum || n < -1000000000 || n > 1000000000)
      luaL_error(L, "option '%s' must be an integer", k);
    v = (int)n;
  }
  lua_pop(L, 1);
  return v;
}

int nf_lua_optfield_bool(lua_State *L, int idx, const char *k, int def) {
  if (!lua_istable(L, idx)) return def;
  rawfield(L, idx, k);
  int v = lua_isnil(L, -1) ? def : lua_toboolean(L, -1);
  lua_pop(L, 1);
  return v;
}

const char *nf_lua_optfield_string(lua_State *L, int idx, const char *k, const char *def) {
  if (!lua_istable(L, idx)) return def;
  rawfield(L, idx, k);
  const char *v = def;
  if (!lua_isnil(L, -1)) {
    if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "option '%s' must be a string", k);
    v = lua_tostring(L, -1); /* kept alive by the table */
  }
  lua_pop(L, 1);
  return v;
}

static int push_bytes(lua_State *L) {
  const nf_buf *b = lua_touserdata(L, 1);
  lua_pushlstring(L, b->ptr, b->len);
  return 1;
}

int nf_lua_push_buf(lua_State *L, nf_buf *b) {
  /* lua_pushcfunction and lua_pushlightuserdata do not allocate; the push
   * that may runs protected, so b is freed before any error goes on. */
  lua_pushcfunction(L, push_bytes);
  lua_pushlightuserdata(L, b);
  int status = lua_pcall(L, 1, 1, 0);
  nf_buf_free(b);
  if (status != LUA_OK) lua_error(L);
  return 1;
}

int nf_lua_push_owned(lua_State *L, char *s) {
  if (!s) {
    lua_pushnil(L);
    return 1;
  }
  nf_buf b = {s, strlen(s), strlen(s) + 1}; /* owns s: freed by the push */
  return nf_lua_push_buf(L, &b);
}

int nf_lua_fail(lua_State *L, const char *msg) {
  lua_pushnil(L);
  lua_pushstring(L, msg);
  return 2;
}

int luaopen_newsform(lua_State *L) {
  lua_newtable(L);
  lua_pushliteral(L, NF_VERSION);
  lua_setfield(L, -2, "version");
  nf_lua_open_tree(L);
  nf_lua_open_render(L);
  nf_lua_open_text(L);
  nf_lua_open_article(L);
  nf_lua_open_bundle(L);
  return 1;
}
