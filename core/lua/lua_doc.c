/* lua_doc.c: the fields and methods of "newsform.Document", and
 * newsform.parse. The userdata, its lifetime (__gc, __close) and node
 * handles are lua_aux.c's; select, xpath and walk are lua_tree.c's; fields
 * of higher binding files (doc.article) come from the registry's document
 * fields table. */
#include <stdlib.h>
#include <string.h>

#include "lua_tree.h"

static int doc_select(lua_State *L) {
  nf_doc *doc = nf_lua_checkdoc(L, 1);
  return nf_lua_tree_select(L, 1, nf_doc_node(doc), 0);
}

static int doc_select_one(lua_State *L) {
  nf_doc *doc = nf_lua_checkdoc(L, 1);
  return nf_lua_tree_select(L, 1, nf_doc_node(doc), 1);
}

static int doc_xpath(lua_State *L) {
  nf_lua_checkdoc(L, 1);
  return nf_lua_tree_xpath(L, 1, NULL);
}

static int doc_walk(lua_State *L) {
  nf_doc *doc = nf_lua_checkdoc(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  return nf_lua_tree_walk(L, 1, nf_doc_root(doc), 2, 0);
}

static int push_buf(lua_State *L, nf_buf *b) { return nf_lua_push_buf(L, b); }

static const luaL_Reg doc_methods[] = {
    {"select", doc_select}, {"select_one", doc_select_one}, {"xpath", doc_xpath},
    {"walk", doc_walk},     {"close", nf_lua_doc_close},    {NULL, NULL}};

static int doc_index(lua_State *L) {
  int closed = nf_lua_doc_closed(L, 1);
  const char *k = luaL_checkstring(L, 2);
  for (const luaL_Reg *m = doc_methods; m->name; m++)
    if (strcmp(k, m->name) == 0) {
      lua_pushcfunction(L, m->func);
      return 1;
    }
  if (strcmp(k, "closed") == 0) {
    lua_pushboolean(L, closed);
    return 1;
  }
  nf_doc *doc = nf_lua_checkdoc(L, 1);
  if (strcmp(k, "root") == 0) nf_lua_pushnode(L, 1, nf_doc_root(doc));
  else if (strcmp(k, "head") == 0) nf_lua_pushnode(L, 1, nf_doc_head(doc));
  else if (strcmp(k, "body") == 0) nf_lua_pushnode(L, 1, nf_doc_body(doc));
  else if (strcmp(k, "title") == 0) {
    nf_lua_push_owned(L, nf_doc_title(doc));
  } else if (strcmp(k, "source") == 0) lua_pushstring(L, nf_doc_source(doc));
  else if (strcmp(k, "url") == 0) {
    if (nf_doc_url(doc)) lua_pushstring(L, nf_doc_url(doc));
    else lua_pushnil(L);
  } else if (strcmp(k, "type") == 0)
    lua_pushstring(L, nf_doc_type(doc) == NF_INPUT_TEXT ? "text" : "html");
  else if (strcmp(k, "html") == 0) {
    nf_buf b = NF_BUF_INIT;
    nf_buf_init(&b);
    nf_node_html(nf_doc_node(doc), &b);
    return push_buf(L, &b);
  } else if (strcmp(k, "text") == 0) {
    nf_buf b = NF_BUF_INIT;
    nf_buf_init(&b);
    nf_node_text(nf_doc_body(doc), &b);
    return push_buf(L, &b);
  } else {
    nf_lua_push_doc_fields(L);
    if (lua_getfield(L, -1, k) != LUA_TFUNCTION) {
      lua_pushnil(L);
      return 1;
    }
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
  }
  return 1;
}

static int doc_newindex(lua_State *L) {
  return luaL_error(L, "cannot set field '%s' of a document", luaL_checkstring(L, 2));
}

void nf_lua_parse_opts(lua_State *L, int idx, nf_parse_opts *o) {
  memset(o, 0, sizeof *o);
  const char *type = nf_lua_optfield_string(L, idx, "type", NULL);
  if (type) {
    if (strcmp(type, "html") == 0) o->type = NF_INPUT_HTML;
    else if (strcmp(type, "text") == 0) o->type = NF_INPUT_TEXT;
    else if (strcmp(type, "auto") != 0)
      luaL_error(L, "bad option type '%s' (expected html, text or auto)", type);
  }
  o->encoding = nf_lua_optfield_string(L, idx, "encoding", NULL);
  o->url = nf_lua_optfield_string(L, idx, "url", NULL);
}

static const char *const parse_opts[] = {"type", "encoding", "source", "url", NULL};

/* newsform.parse(string [, {type=, encoding=, source=, url=}]) → document */
static int l_parse(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  nf_lua_checkopts(L, 2, parse_opts);
  nf_parse_opts o;
  nf_lua_parse_opts(L, 2, &o);
  o.source = nf_lua_optfield_string(L, 2, "source", "");
  char err[256];
  nf_doc *doc = nf_doc_parse(s, len, &o, err, sizeof err);
  if (!doc) return nf_lua_fail(L, err);
  nf_lua_pushdoc(L, doc);
  return 1;
}

static const luaL_Reg doc_meta[] = {
    {"__index", doc_index}, {"__newindex", doc_newindex}, {NULL, NULL}};

void nf_lua_open_doc(lua_State *L) {
  nf_lua_doc_metatable(L);
  luaL_setfuncs(L, doc_meta, 0);
  lua_pop(L, 1);
  lua_pushcfunction(L, l_parse);
  lua_setfield(L, -2, "parse");
}
