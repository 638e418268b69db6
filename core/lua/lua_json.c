/* lua_json.c: JSON in Lua.
 *
 *   newsform.json(value [, {indent=N}])   → string
 *   newsform.json_decode(string)          → value (raises on invalid JSON)
 *   newsform.json_object([t])             → t marked to encode as an object
 *   newsform.null                         → JSON null (a light userdata)
 *
 * Encoding: tables whose keys are exactly 1..n are arrays, other tables
 * objects with keys sorted bytewise (deterministic output); an empty table
 * is [] unless marked by json_object (or any metatable with __jsontype =
 * "object"; "array" forces an array). Integers print without ".0"; NaN and
 * infinities, cycles, functions and nesting deeper than 1000 raise. Nodes
 * and documents encode as their HTML string. Decoding maps null to
 * newsform.null (so arrays keep their length), objects to tables marked as
 * objects (so they encode back as objects, {} included).
 *
 * The encoder streams (no tree of nf_json values: a large table would cost
 * an allocation per value) with the library's number and string writers,
 * the ones nf_json_write uses. Growing buffers of the encoder live in a
 * userdata with __gc, so a raise in the middle (a closed document, a bad
 * value) frees them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_aux.h"

#define BUFBOX_MT "newsform.buffer"
#define JSONBOX_MT "newsform.json_value"
#define JSON_OBJECT_MT "newsform.json_object"
#define JSON_MAX_DEPTH 1000

static const char null_sentinel = 0;

/* ===== JSON encoding ==================================================== */

typedef struct bufbox {
  nf_buf b;
} bufbox;

static int bufbox_gc(lua_State *L) {
  bufbox *x = luaL_checkudata(L, 1, BUFBOX_MT);
  nf_buf_free(&x->b);
  return 0;
}

static nf_buf *push_bufbox(lua_State *L) {
  bufbox *x = lua_newuserdatauv(L, sizeof *x, 0);
  nf_buf_init(&x->b);
  luaL_setmetatable(L, BUFBOX_MT);
  return &x->b;
}

typedef struct encoder {
  lua_State *L;
  nf_buf *out;
  int indent;
  int visiting;   /* stack index of the table of tables being encoded */
} encoder;

typedef struct json_key {
  const char *str;   /* the key as JSON writes it */
  size_t len;
  int type;          /* LUA_TSTRING or LUA_TNUMBER */
  int is_int;
  lua_Integer i;
  lua_Number d;
} json_key;

static void put_newline(encoder *e, int depth) {
  if (!e->indent) return;
  nf_buf_putc(e->out, '\n');
  for (int i = 0; i < depth * e->indent; i++) nf_buf_putc(e->out, ' ');
}

/* Numbers and strings are written by the library (core/json.c), as by
 * nf_json_write; JSON has no NaN or infinity, so Lua raises on them. */
static void put_number(encoder *e, lua_Number d) {
  if (isnan(d) || isinf(d))
    luaL_error(e->L, "json: cannot encode NaN or infinity");
  nf_json_put_number(e->out, d);
}

static int key_cmp(const void *a, const void *b) {
  const json_key *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->str, y->str, n);
  if (c) return c;
  return x->len < y->len ? -1 : x->len > y->len;
}

static void encode(encoder *e, int idx, int depth);

/* "array", "object" or NULL from a __jsontype metafield. */
static const char *json_type_mark(lua_State *L, int idx) {
  if (luaL_getmetafield(L, idx, "__jsontype") == LUA_TNIL) return NULL;
  const char *s = lua_tostring(L, -1);
  const char *r = s && !strcmp(s, "object") ? "object"
                  : s && !strcmp(s, "array") ? "array"
                                             : NULL;
  lua_pop(L, 1);
  return r;
}

static void encode_table(encoder *e, int idx, int depth) {
  lua_State *L = e->L;
  if (depth >= JSON_MAX_DEPTH)
    luaL_error(L, "json: nested deeper than %d levels", JSON_MAX_DEPTH);
  luaL_checkstack(L, 8, "json: nested too deep");
  const void *self = lua_topointer(L, idx);
  if (lua_rawgetp(L, e->visiting, self) != LUA_TNIL)
    luaL_error(L, "json: cannot encode a table that contains itself");
  lua_pop(L, 1);
  lua_pushboolean(L, 1);
  lua_rawsetp(L, e->visiting, self);

  /* Count the keys; is it a sequence 1..n? */
  lua_Integer count = 0, max = 0;
  int sequence = 1;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    count++;
    if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1) {
      lua_Integer k = lua_tointeger(L, -1);
      if (k > max) max = k;
    } else {
      sequence = 0;
    }
  }
  const char *mark = json_type_mark(L, idx);
  int as_array = mark ? !strcmp(mark, "array")
                      : (sequence && max == count);
  if (as_array) {
    lua_Integer n = mark ? (lua_Integer)lua_rawlen(L, idx) : count;
    nf_buf_putc(e->out, '[');
    for (lua_Integer i = 1; i <= n; i++) {
      if (i > 1) nf_buf_putc(e->out, ',');
      put_newline(e, depth + 1);
      lua_rawgeti(L, idx, i);
      encode(e, lua_gettop(L), depth + 1);
      lua_pop(L, 1);
    }
    if (n > 0) put_newline(e, depth);
    nf_buf_putc(e->out, ']');
  } else {
    /* Keys sorted; their storage (and number keys' text) is anchored in
     * Lua so that a raise frees everything. */
    json_key *keys = lua_newuserdatauv(L, (size_t)count * sizeof *keys + 1, 0);
    int keys_idx = lua_gettop(L);
    lua_createtable(L, 0, 0); /* anchors number keys' strings */
    int anchor = lua_gettop(L);
    lua_Integer k = 0;
    lua_pushnil(L);
    while (lua_next(L, idx) && k < count) {
      lua_pop(L, 1);
      json_key *jk = &keys[k];
      memset(jk, 0, sizeof *jk);
      jk->type = lua_type(L, -1);
      if (jk->type == LUA_TSTRING) {
        jk->str = lua_tolstring(L, -1, &jk->len);
      } else if (jk->type == LUA_TNUMBER) {
        jk->is_int = lua_isinteger(L, -1);
        if (jk->is_int) jk->i = lua_tointeger(L, -1);
        else jk->d = lua_tonumber(L, -1);
        if (!jk->is_int && (isnan(jk->d) || isinf(jk->d)))
          luaL_error(L, "json: cannot encode a NaN or infinite key");
        if (jk->is_int) lua_pushfstring(L, "%I", jk->i);
        else lua_pushfstring(L, "%f", jk->d);
        jk->str = lua_tolstring(L, -1, &jk->len);
        lua_rawseti(L, anchor, k + 1);
      } else {
        luaL_error(L, "json: cannot encode a table key of type %s",
                   luaL_typename(L, -1));
      }
      k++;
    }
    qsort(keys, (size_t)k, sizeof *keys, key_cmp);
    nf_buf_putc(e->out, '{');
    for (lua_Integer i = 0; i < k; i++) {
      json_key *jk = &keys[i];
      if (i > 0) nf_buf_putc(e->out, ',');
      put_newline(e, depth + 1);
      nf_json_put_string(e->out, jk->str, jk->len);
      nf_buf_puts(e->out, e->indent ? ": " : ":");
      if (jk->type == LUA_TSTRING) lua_pushlstring(L, jk->str, jk->len);
      else if (jk->is_int) lua_pushinteger(L, jk->i);
      else lua_pushnumber(L, jk->d);
      lua_rawget(L, idx);
      encode(e, lua_gettop(L), depth + 1);
      lua_pop(L, 1);
    }
    if (k > 0) put_newline(e, depth);
    nf_buf_putc(e->out, '}');
    lua_settop(L, keys_idx - 1);
  }
  lua_pushnil(L);
  lua_rawsetp(L, e->visiting, self);
}

static void encode(encoder *e, int idx, int depth) {
  lua_State *L = e->L;
  if ((depth & 255) == 255) nf_lua_check_interrupt(L);
  switch (lua_type(L, idx)) {
  case LUA_TNIL:
    nf_buf_puts(e->out, "null");
    break;
  case LUA_TBOOLEAN:
    nf_buf_puts(e->out, lua_toboolean(L, idx) ? "true" : "false");
    break;
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx))
      nf_buf_printf(e->out, "%lld", (long long)lua_tointeger(L, idx));
    else
      put_number(e, lua_tonumber(L, idx));
    break;
  case LUA_TSTRING: {
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    nf_json_put_string(e->out, s, len);
    break;
  }
  case LUA_TTABLE:
    encode_table(e, idx, depth);
    break;
  case LUA_TLIGHTUSERDATA:
    if (lua_touserdata(L, idx) == (void *)&null_sentinel) {
      nf_buf_puts(e->out, "null");
      break;
    }
    luaL_error(L, "json: cannot encode a light userdata");
    break;
  case LUA_TUSERDATA: {
    nf_node *n = nf_lua_tonode_or_root(L, idx, NULL);
    if (!n) luaL_error(L, "json: cannot encode a %s", luaL_typename(L, idx));
    nf_buf html = NF_BUF_INIT;
    nf_buf_init(&html);
    nf_node_html(n, &html);
    nf_json_put_string(e->out, html.ptr, html.len);
    nf_buf_free(&html);
    break;
  }
  default:
    luaL_error(L, "json: cannot encode a %s", luaL_typename(L, idx));
  }
}

static int json_encode(lua_State *L) {
  static const char *const allowed[] = {"indent", NULL};
  luaL_checkany(L, 1);
  if (lua_gettop(L) > 2) return luaL_argerror(L, 3, "too many arguments");
  int indent = 0;
  if (nf_lua_checkopts(L, 2, allowed)) {
    indent = nf_lua_optfield_int(L, 2, "indent", 0);
    if (indent < 0 || indent > 16)
      return luaL_error(L, "option 'indent' must be between 0 and 16");
  }
  lua_settop(L, 2);
  nf_lua_push_json(L, 1, indent);
  return 1;
}

void nf_lua_push_json(lua_State *L, int idx, int indent) {
  idx = lua_absindex(L, idx);
  encoder e;
  e.L = L;
  e.indent = indent;
  lua_newtable(L);
  e.visiting = lua_gettop(L);
  e.out = push_bufbox(L);
  encode(&e, idx, 0);
  lua_pushlstring(L, e.out->ptr, e.out->len);
  nf_buf_free(e.out);
  lua_replace(L, e.visiting); /* the string; the buffer box goes */
  lua_settop(L, e.visiting);
}

/* ===== JSON decoding ==================================================== */

typedef struct jsonbox {
  nf_json *v;
} jsonbox;

static int jsonbox_gc(lua_State *L) {
  jsonbox *x = luaL_checkudata(L, 1, JSONBOX_MT);
  nf_json_free(x->v);
  x->v = NULL;
  return 0;
}

static void push_json(lua_State *L, const nf_json *v) {
  luaL_checkstack(L, 4, "json: nested too deep");
  switch (v->type) {
  case NF_JSON_NULL:
    lua_pushlightuserdata(L, (void *)&null_sentinel);
    break;
  case NF_JSON_FALSE:
    lua_pushboolean(L, 0);
    break;
  case NF_JSON_TRUE:
    lua_pushboolean(L, 1);
    break;
  case NF_JSON_NUMBER:
    if (v->number == floor(v->number) && fabs(v->number) < 9.2e18)
      lua_pushinteger(L, (lua_Integer)v->number);
    else
      lua_pushnumber(L, v->number);
    break;
  case NF_JSON_STRING:
    lua_pushlstring(L, v->string ? v->string : "", v->string_len);
    break;
  case NF_JSON_ARRAY:
    lua_createtable(L, v->len > 1000000 ? 1000000 : (int)v->len, 0);
    for (size_t i = 0; i < v->len; i++) {
      push_json(L, v->items[i]);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    break;
  case NF_JSON_OBJECT:
    lua_createtable(L, 0, v->len > 1000000 ? 1000000 : (int)v->len);
    for (size_t i = 0; i < v->len; i++) {
      size_t klen;
      const char *k = nf_json_key(v, i, &klen); /* "a\u0000b": all of it */
      lua_pushlstring(L, k, klen);
      push_json(L, v->items[i]);
      lua_rawset(L, -3); /* a duplicate key: the last one wins */
    }
    luaL_setmetatable(L, JSON_OBJECT_MT);
    break;
  }
}

static int json_decode(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  if (lua_gettop(L) > 1) return luaL_argerror(L, 2, "too many arguments");
  jsonbox *box = lua_newuserdatauv(L, sizeof *box, 0);
  box->v = NULL;
  luaL_setmetatable(L, JSONBOX_MT);
  char err[256];
  err[0] = 0;
  box->v = nf_json_parse(s, len, err, sizeof err);
  if (!box->v)
    return luaL_error(L, "json_decode: invalid JSON (%s)",
                      err[0] ? err : "parse error");
  push_json(L, box->v);
  nf_json_free(box->v);
  box->v = NULL;
  return 1;
}

static int json_object(lua_State *L) {
  if (lua_isnoneornil(L, 1)) {
    lua_settop(L, 0);
    lua_newtable(L);
  } else {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
  }
  luaL_setmetatable(L, JSON_OBJECT_MT);
  return 1;
}

void nf_lua_open_json(lua_State *L) {
  static const luaL_Reg funcs[] = {{"json", json_encode},
                                   {"json_decode", json_decode},
                                   {"json_object", json_object},
                                   {NULL, NULL}};
  luaL_newmetatable(L, BUFBOX_MT);
  lua_pushcfunction(L, bufbox_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_newmetatable(L, JSONBOX_MT);
  lua_pushcfunction(L, jsonbox_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_newmetatable(L, JSON_OBJECT_MT);
  lua_pushliteral(L, "object");
  lua_setfield(L, -2, "__jsontype");
  lua_pop(L, 1);
  luaL_setfuncs(L, funcs, 0);
  lua_pushlightuserdata(L, (void *)&null_sentinel);
  lua_setfield(L, -2, "null");
}
