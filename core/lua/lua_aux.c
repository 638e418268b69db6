/* lua_aux.c: the helpers every binding file uses, and nothing above them:
 * option checks, pushes, limits, scratch memory, and the document and node
 * userdata (check, push, identity cache, lifetime). The binding files sit
 * on top of this file and never call each other back. */
#include <string.h>
#include <time.h>

#include "lua_aux.h"

#define LIMITS_KEY "newsform.limits"
#define NODE_METHODS_KEY "newsform.Node.methods"
#define DOC_FIELDS_KEY "newsform.Document.fields"
#define SCRATCH_MT "newsform.Scratch"

/* ===== Limits ============================================================= */

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

int nf_lua_deadline_passed(void *ud) {
  nf_lua_limits *lim = ud;
  if (lim->expired || (lim->deadline > 0 && nf_monotonic() > lim->deadline)) {
    lim->expired = 1;
    return 1;
  }
  return 0;
}

void nf_lua_check_interrupt(lua_State *L) {
  nf_lua_limits *lim = nf_lua_get_limits(L);
  if (lim && nf_lua_deadline_passed(lim)) nf_lua_raise_timeout(L);
}

/* ===== Options ============================================================ */

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

/* ===== Pushes ============================================================= */

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

int nf_lua_push_next_doc(lua_State *L, int rc, nf_doc *doc, const char *name,
                         const char *err) {
  if (rc < 0) {
    lua_pushboolean(L, 0);
    if (name) lua_pushstring(L, name);
    else lua_pushnil(L);
    lua_pushstring(L, err);
    return 3;
  }
  nf_lua_pushdoc(L, doc);
  lua_pushstring(L, name);
  return 2;
}

int nf_lua_fail(lua_State *L, const char *msg) {
  lua_pushnil(L);
  lua_pushstring(L, msg);
  return 2;
}

/* ===== Scratch memory ===================================================== */

void nf_lua_scratch_clear(nf_lua_scratch *s) {
  nf_spanlist_free(&s->spans);
  nf_keywordlist_free(&s->keywords);
  nf_nodelist_free(&s->nodes);
  nf_nodelist_free(&s->nodes2);
  nf_buf_free(&s->buf);
}

static int scratch_gc(lua_State *L) {
  nf_lua_scratch *s = luaL_checkudata(L, 1, SCRATCH_MT);
  nf_lua_scratch_clear(s);
  return 0;
}

nf_lua_scratch *nf_lua_scratch_new(lua_State *L) {
  nf_lua_scratch *s = lua_newuserdatauv(L, sizeof *s, 0);
  memset(s, 0, sizeof *s);
  nf_buf_init(&s->buf);
  if (luaL_newmetatable(L, SCRATCH_MT)) {
    lua_pushcfunction(L, scratch_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, scratch_gc);
    lua_setfield(L, -2, "__close");
  }
  lua_setmetatable(L, -2);
  return s;
}

/* ===== Documents ==========================================================
 * Only documents have __gc/__close: node handles keep their document alive
 * through a user value, so a document is never collected before them, and
 * closing it makes every handle raise instead of touching freed memory. */

/* User values of a document userdata (DOC_UV_EXTRA: lua_aux.h). */
#define DOC_UV_NODES 1 /* weak-valued cache: lightuserdata(node) → handle */

typedef struct nf_lua_doc {
  nf_doc *doc;     /* NULL once closed */
  nf_doc *pending; /* closed from a finalizer: freed by __gc (see doc_close) */
} nf_lua_doc;

typedef struct nf_lua_node {
  nf_node *node;
} nf_lua_node;

static nf_lua_doc *todoc(lua_State *L, int idx) {
  return luaL_checkudata(L, idx, NF_DOC_MT);
}

nf_doc *nf_lua_checkdoc(lua_State *L, int idx) {
  nf_lua_doc *d = todoc(L, idx);
  if (!d->doc) luaL_error(L, "attempt to use a closed document");
  return d->doc;
}

int nf_lua_doc_closed(lua_State *L, int idx) { return todoc(L, idx)->doc == NULL; }

/* A finalizer (__gc of any object) may run at any allocation, including in
 * the middle of a C function that holds node pointers of this document; a
 * close from there only marks the document closed, and the memory goes
 * when the userdata is collected. Inside finalizers lua_gc answers -1
 * (5.4.4+) or 0 (older 5.4, or a stopped collector: deferring is harmless). */
static int release(lua_State *L, int collecting) {
  nf_lua_doc *d = todoc(L, 1);
  if (collecting) {
    nf_doc_free(d->pending); /* NULL-safe */
    d->pending = NULL;
  } else if (d->doc && lua_gc(L, LUA_GCISRUNNING) != 1) {
    d->pending = d->doc;
    d->doc = NULL;
  }
  nf_doc_free(d->doc);
  d->doc = NULL;
  return 0;
}

int nf_lua_doc_close(lua_State *L) { return release(L, 0); }
static int doc_gc(lua_State *L) { return release(L, 1); }

static int doc_tostring(lua_State *L) {
  nf_lua_doc *d = todoc(L, 1);
  if (!d->doc) lua_pushliteral(L, "newsform.Document (closed)");
  else lua_pushfstring(L, "newsform.Document (%s)", nf_doc_source(d->doc));
  return 1;
}

/* Metatables are made on first use, whichever file asks first, so a
 * document pushed before the module's parts are open still has its __gc. */
static void push_metatable(lua_State *L, const char *name, const luaL_Reg *fixed) {
  if (luaL_newmetatable(L, name) && fixed) luaL_setfuncs(L, fixed, 0);
}

void nf_lua_doc_metatable(lua_State *L) {
  static const luaL_Reg lifetime[] = {{"__gc", doc_gc},
                                      {"__close", nf_lua_doc_close},
                                      {"__tostring", doc_tostring},
                                      {NULL, NULL}};
  push_metatable(L, NF_DOC_MT, lifetime);
}

void nf_lua_node_metatable(lua_State *L) { push_metatable(L, NF_NODE_MT, NULL); }

void nf_lua_pushdoc(lua_State *L, nf_doc *doc) {
  nf_lua_doc *d = lua_newuserdatauv(L, sizeof *d, 2);
  d->doc = d->pending = NULL; /* closed until set up: __gc is safe at any point */
  nf_lua_doc_metatable(L);
  lua_setmetatable(L, -2);
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

void nf_lua_push_doc_fields(lua_State *L) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, DOC_FIELDS_KEY);
}

/* ===== Nodes ==============================================================
 * A node handle is a small userdata holding the node pointer; its user
 * value is the document userdata, which keeps the document alive and tells
 * whether it is closed. Nodes are never freed while their document is open
 * (unlink never frees), so a handle can never point to freed memory. */

static nf_lua_doc *doc_of_handle(lua_State *L, int idx) {
  lua_getiuservalue(L, idx, 1);
  nf_lua_doc *d = lua_touserdata(L, -1);
  lua_pop(L, 1); /* the handle at idx keeps it alive */
  return d;
}

nf_node *nf_lua_checknode(lua_State *L, int idx, nf_doc **doc_out) {
  nf_lua_node *h = luaL_checkudata(L, idx, NF_NODE_MT);
  nf_lua_doc *d = doc_of_handle(L, idx);
  if (!d || !d->doc) luaL_error(L, "attempt to use a node of a closed document");
  if (doc_out) *doc_out = d->doc;
  return h->node;
}

nf_node *nf_lua_tonode_or_root(lua_State *L, int idx, nf_doc **doc_out) {
  if (luaL_testudata(L, idx, NF_NODE_MT)) return nf_lua_checknode(L, idx, doc_out);
  if (luaL_testudata(L, idx, NF_DOC_MT)) {
    nf_doc *doc = nf_lua_checkdoc(L, idx);
    if (doc_out) *doc_out = doc;
    return nf_doc_root(doc);
  }
  return NULL;
}

void nf_lua_pushdoc_of_node(lua_State *L, int idx) { lua_getiuservalue(L, idx, 1); }

void nf_lua_pushnode(lua_State *L, int doc_idx, nf_node *n) {
  if (!n || nf_node_kind_of(n) == NF_NODE_DOCUMENT || nf_node_kind_of(n) == NF_NODE_OTHER) {
    lua_pushnil(L);
    return;
  }
  doc_idx = lua_absindex(L, doc_idx);
  lua_getiuservalue(L, doc_idx, DOC_UV_NODES);
  if (lua_rawgetp(L, -1, n) != LUA_TNIL) {
    lua_remove(L, -2);
    return;
  }
  lua_pop(L, 1);
  nf_lua_node *h = lua_newuserdatauv(L, sizeof *h, 1);
  h->node = n;
  nf_lua_node_metatable(L);
  lua_setmetatable(L, -2);
  lua_pushvalue(L, doc_idx);
  lua_setiuservalue(L, -2, 1);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, -3, n);
  lua_remove(L, -2);
}

void nf_lua_push_node_methods(lua_State *L) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, NODE_METHODS_KEY);
}

/* ===== Tree rules shared by the bindings ================================== */

/* The document's <html>, <head> and <body> stay where they are: code all
 * over (renderers, extractor, doc.body) relies on them. */
int nf_lua_is_skeleton(nf_doc *doc, nf_node *n) {
  return n == nf_doc_root(doc) || n == nf_doc_head(doc) || n == nf_doc_body(doc);
}

void nf_lua_check_not_skeleton(lua_State *L, nf_doc *doc, nf_node *n, const char *what) {
  if (nf_lua_is_skeleton(doc, n))
    luaL_error(L, "cannot %s the document's <%s> element", what, nf_node_name(n));
}

int nf_lua_plain_tag(const char *k) {
  if (!*k) return 0;
  for (const char *p = k; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
          (*p >= 'A' && *p <= 'Z')))
      return 0;
  return 1;
}
