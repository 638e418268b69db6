/* lua_doc.c: the "newsform.Document" type and newsform.parse.
 * Only documents have __gc/__close: node handles keep their document alive
 * through a user value, so a document is never collected before them, and
 * closing it makes every handle raise instead of touching freed memory. */
#include <stdlib.h>
#include <string.h>

#include "lua_tree.h"

static nf_lua_doc *todoc(lua_State *L, int idx) {
  return luaL_checkudata(L, idx, NF_DOC_MT);
}

nf_doc *nf_lua_checkdoc(lua_State *L, int idx) {
  nf_lua_doc *d = todoc(L, idx);
  if (!d->doc) luaL_error(L, "attempt to use a closed document");
  return d->doc;
}

void nf_lua_pushdoc(lua_State *L, nf_doc *doc) {
  nf_lua_doc *d = lua_newuserdatauv(L, sizeof *d, 2);
  d->doc = d->pending = NULL; /* closed until set up: __gc is safe at any point */
  luaL_setmetatable(L, NF_DOC_MT);
  lua_newtable(L); /* node cache, weak values */
  lua_newtable(L);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_setiuservalue(L, -2, DOC_UV_NODES);
  lua_newtable(L);
  lua_setiuservalue(L, -2, DOC_UV_EXTRA);
  d->doc = doc;
}

/* A finalizer (__gc of any object) may run at any allocation, including in
 * the middle of a C function that holds node pointers of this document; a
 * close from there only marks the document closed, and the memory goes
 * when the userdata is collected. Inside finalizers lua_gc answers -1
 * (5.4.4+) or 0 (older 5.4, or a stopped collector: deferring is harmless). */
static int doc_close(lua_State *L) {
  nf_lua_doc *d = todoc(L, 1);
  if (d->doc && lua_gc(L, LUA_GCISRUNNING) != 1) {
    d->pending = d->doc;
    d->doc = NULL;
  }
  if (d->doc) {
    nf_doc_free(d->doc);
    d->doc = NULL;
  }
  return 0;
}

static int doc_gc(lua_State *L) {
  nf_lua_doc *d = todoc(L, 1);
  nf_doc_free(d->pending); /* NULL-safe */
  d->pending = NULL;
  if (d->doc) {
    nf_doc_free(d->doc);
    d->doc = NULL;
  }
  return 0;
}

static int doc_tostring(lua_State *L) {
  nf_lua_doc *d = todoc(L, 1);
  if (!d->doc) lua_pushliteral(L, "newsform.Document (closed)");
  else lua_pushfstring(L, "newsform.Document (%s)", nf_doc_source(d->doc));
  return 1;
}

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
  return nf_lua_tree_walk(L, 1, nf_doc_root(doc), 2);
}

static int push_buf(lua_State *L, nf_buf *b) { return nf_lua_push_buf(L, b); }

static const luaL_Reg doc_methods[] = {
    {"select", doc_select}, {"select_one", doc_select_one}, {"xpath", doc_xpath},
    {"walk", doc_walk},     {"close", doc_close},           {NULL, NULL}};

static int doc_index(lua_State *L) {
  nf_lua_doc *d = todoc(L, 1);
  const char *k = luaL_checkstring(L, 2);
  for (const luaL_Reg *m = doc_methods; m->name; m++)
    if (strcmp(k, m->name) == 0) {
      lua_pushcfunction(L, m->func);
      return 1;
    }
  if (strcmp(k, "closed") == 0) {
    lua_pushboolean(L, d->doc == NULL);
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
  } else if (strcmp(k, "article") == 0) nf_lua_push_article(L, 1);
  else lua_pushnil(L);
  return 1;
}

static int doc_newindex(lua_State *L) {
  return luaL_error(L, "cannot set field '%s' of a document", luaL_checkstring(L, 2));
}

static const char *const parse_opts[] = {"type", "encoding", "source", "url", NULL};

/* newsform.parse(string [, {type=, encoding=, source=, url=}]) → document */
static int l_parse(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  nf_lua_checkopts(L, 2, parse_opts);
  nf_parse_opts o = {0};
  const char *type = nf_lua_optfield_string(L, 2, "type", NULL);
  if (type) {
    if (strcmp(type, "html") == 0) o.type = NF_INPUT_HTML;
    else if (strcmp(type, "text") == 0) o.type = NF_INPUT_TEXT;
    else if (strcmp(type, "auto") != 0)
      return luaL_error(L, "bad option type '%s' (expected html, text or auto)", type);
  }
  o.encoding = nf_lua_optfield_string(L, 2, "encoding", NULL);
  o.source = nf_lua_optfield_string(L, 2, "source", "");
  o.url = nf_lua_optfield_string(L, 2, "url", NULL);
  char err[256];
  nf_doc *doc = nf_doc_parse(s, len, &o, err, sizeof err);
  if (!doc) return nf_lua_fail(L, err);
  nf_lua_pushdoc(L, doc);
  return 1;
}

static const luaL_Reg doc_meta[] = {
    {"__index", doc_index}, {"__newindex", doc_newindex}, {"__gc", doc_gc},
    {"__close", doc_close}, {"__tostring", doc_tostring}, {NULL, NULL}};

void nf_lua_open_tree(lua_State *L) {
  luaL_newmetatable(L, NF_DOC_MT);
  luaL_setfuncs(L, doc_meta, 0);
  lua_pop(L, 1);
  nf_lua_open_node(L);
  lua_pushcfunction(L, l_parse);
  lua_setfield(L, -2, "parse");
}
