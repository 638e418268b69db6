/* lua_inputs.c: newsform.read and newsform.inputs, reading files,
 * directories and bundles as the command does (core/inputs.c), so that a
 * script run by a stock lua5.4 needs nothing else.
 *   newsform.read(path [, {type=, encoding=, url=, max_input=}])
 *     → doc, or nil, "PATH: reason"
 *   newsform.inputs(path_or_list [, {type=, encoding=, url=, max_input=,
 *                   max_entry_size=}])
 *     → iterator of doc, name (false, name, msg for an input that fails) */
#include <string.h>

#include "lua_aux.h"

#define INPUTS_MT "newsform.Inputs"
#define DEFAULT_MAX_INPUT ((size_t)512 << 20) /* the command's --max-input */

static const char *const read_opts[] = {"type", "encoding", "url",
                                        "max_input", NULL};
static const char *const inputs_opts[] = {"type", "encoding", "url",
                                          "max_input", "max_entry_size", NULL};

static size_t size_opt(lua_State *L, int idx, const char *k, size_t def) {
  int v = nf_lua_optfield_int(L, idx, k, -1);
  if (v == -1) return def;
  if (v <= 0) luaL_error(L, "bad option %s (expected a positive integer)", k);
  return (size_t)v;
}

static int l_read(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  nf_lua_checkopts(L, 2, read_opts);
  if (lua_gettop(L) > 2) return luaL_error(L, "too many arguments to 'read'");
  nf_parse_opts po;
  nf_lua_parse_opts(L, 2, &po);
  size_t max_input = size_opt(L, 2, "max_input", DEFAULT_MAX_INPUT);
  char err[1024];
  nf_doc *doc = nf_input_read(path, &po, max_input, err, sizeof err);
  if (!doc) return nf_lua_fail(L, err);
  nf_lua_pushdoc(L, doc);
  return 1;
}

typedef struct linputs {
  nf_inputs *in;
} linputs;

static int inputs_gc(lua_State *L) {
  linputs *li = luaL_checkudata(L, 1, INPUTS_MT);
  nf_inputs_free(li->in);
  li->in = NULL;
  return 0;
}

/* upvalue 1: the userdata. doc, name; false, name, msg; nil at the end. */
static int inputs_iter(lua_State *L) {
  linputs *li = luaL_checkudata(L, lua_upvalueindex(1), INPUTS_MT);
  if (!li->in) {
    lua_pushnil(L);
    return 1;
  }
  nf_doc *doc;
  const char *name;
  char err[1024];
  int rc = nf_inputs_next(li->in, &doc, &name, err, sizeof err);
  if (rc == 0) {
    nf_inputs_free(li->in);
    li->in = NULL;
    lua_pushnil(L);
    return 1;
  }
  return nf_lua_push_next_doc(L, rc, doc, name, err);
}

static int l_inputs(lua_State *L) {
  int list = lua_istable(L, 1);
  if (!list) luaL_checkstring(L, 1);
  nf_lua_checkopts(L, 2, inputs_opts);
  if (lua_gettop(L) > 2) return luaL_error(L, "too many arguments to 'inputs'");
  nf_parse_opts po;
  nf_lua_parse_opts(L, 2, &po);
  size_t max_input = size_opt(L, 2, "max_input", DEFAULT_MAX_INPUT);
  size_t max_entry = size_opt(L, 2, "max_entry_size", 0);
  lua_Integer n = list ? luaL_len(L, 1) : 1;
  for (lua_Integer i = 1; list && i <= n; i++) {
    if (lua_geti(L, 1, i) != LUA_TSTRING)
      return luaL_error(L, "bad input #%d (a path string expected, got %s)",
                        (int)i, luaL_typename(L, -1));
    lua_pop(L, 1);
  }
  linputs *li = lua_newuserdatauv(L, sizeof *li, 0);
  li->in = NULL;
  luaL_setmetatable(L, INPUTS_MT);
  li->in = nf_inputs_new(&po, max_input, max_entry);
  for (lua_Integer i = 1; i <= n; i++) {
    if (list) lua_geti(L, 1, i);
    else lua_pushvalue(L, 1);
    nf_inputs_add(li->in, lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  lua_pushcclosure(L, inputs_iter, 1);
  return 1;
}

void nf_lua_open_inputs(lua_State *L) {
  if (luaL_newmetatable(L, INPUTS_MT)) {
    lua_pushcfunction(L, inputs_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lua_pushcfunction(L, l_read);
  lua_setfield(L, -2, "read");
  lua_pushcfunction(L, l_inputs);
  lua_setfield(L, -2, "inputs");
}
