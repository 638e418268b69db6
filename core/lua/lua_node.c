/* lua_node.c: the "newsform.Node" type, selection, XPath and walk.
 * A node handle is a small userdata holding the node pointer; its user
 * value is the document userdata, which keeps the document alive and tells
 * whether it is closed. Nodes are never freed while their document is open
 * (unlink never frees), so a handle can never point to freed memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_tree.h"

#define NODE_METHODS_KEY "newsform.Node.methods"
#define WALK_STATE_MT "newsform.WalkState"

/* ===== Handles ============================================================ */

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
  luaL_setmetatable(L, NF_NODE_MT);
  lua_pushvalue(L, doc_idx);
  lua_setiuservalue(L, -2, 1);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, -3, n);
  lua_remove(L, -2);
}

void nf_lua_push_node_methods(lua_State *L) {
  lua_getfield(L, LUA_REGISTRYINDEX, NODE_METHODS_KEY);
}

/* The document's <html>, <head> and <body> stay where they are: code all
 * over (renderers, extractor, doc.body) relies on them. */
static void check_not_skeleton(lua_State *L, nf_doc *doc, nf_node *n, const char *what) {
  if (n == nf_doc_root(doc) || n == nf_doc_head(doc) || n == nf_doc_body(doc))
    luaL_error(L, "cannot %s the document's <%s> element", what, nf_node_name(n));
}

static int push_buf(lua_State *L, nf_buf *b) { return nf_lua_push_buf(L, b); }

/* ===== Insertable arguments: HTML strings, nodes, documents, lists ======== */

/* Raises before anything is allocated when arg idx cannot be inserted. */
static void check_insertable(lua_State *L, int idx, int depth) {
  int t = lua_type(L, idx);
  if (t == LUA_TSTRING) return;
  if (luaL_testudata(L, idx, NF_NODE_MT)) {
    nf_doc *d;
    nf_node *n = nf_lua_checknode(L, idx, &d);
    if (nf_node_kind_of(n) == NF_NODE_OTHER || nf_node_kind_of(n) == NF_NODE_DOCUMENT)
      luaL_error(L, "this node cannot be inserted");
    check_not_skeleton(L, d, n, "move");
    return;
  }
  if (luaL_testudata(L, idx, NF_DOC_MT)) {
    nf_lua_checkdoc(L, idx);
    return;
  }
  if (t == LUA_TTABLE && depth == 0) {
    /* Raw reads here and in collect_insertable: a metamethod could close
     * the document or change the list between the two passes. */
    idx = lua_absindex(L, idx);
    lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
    for (lua_Integer i = 1; i <= len; i++) {
      lua_rawgeti(L, idx, i);
      check_insertable(L, -1, 1);
      lua_pop(L, 1);
    }
    return;
  }
  luaL_error(L, "expected an HTML string, a node, a document or a list of them, got %s",
             luaL_typename(L, idx));
}

/* Collects the nodes to insert into doc (after check_insertable: does not
 * raise). Nodes of another document are copied; a document gives a copy of
 * its body's children. */
static void collect_insertable(lua_State *L, int idx, nf_doc *doc, nf_nodelist *out) {
  if (lua_type(L, idx) == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    nf_doc_parse_fragment(doc, s, len, out);
  } else if (luaL_testudata(L, idx, NF_NODE_MT)) {
    nf_lua_node *h = lua_touserdata(L, idx);
    nf_lua_doc *d = doc_of_handle(L, idx);
    if (d->doc == doc) nf_nodelist_push(out, h->node);
    else {
      nf_node *c = nf_node_clone(doc, h->node);
      if (c) nf_nodelist_push(out, c);
    }
  } else if (luaL_testudata(L, idx, NF_DOC_MT)) {
    nf_lua_doc *d = lua_touserdata(L, idx);
    for (nf_node *c = nf_node_first_child(nf_doc_body(d->doc)); c; c = nf_node_next(c)) {
      nf_node *copy = nf_node_clone(doc, c);
      if (copy) nf_nodelist_push(out, copy);
    }
  } else if (lua_type(L, idx) == LUA_TTABLE) {
    idx = lua_absindex(L, idx);
    lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
    for (lua_Integer i = 1; i <= len; i++) {
      lua_rawgeti(L, idx, i);
      collect_insertable(L, -1, doc, out);
      lua_pop(L, 1);
    }
  }
}

typedef enum { INSERT_APPEND, INSERT_PREPEND, INSERT_BEFORE, INSERT_AFTER, INSERT_REPLACE } insert_mode;

/* Inserts the value at arg 2 relative to the node at arg 1; pushes the
 * inserted nodes and returns their count. */
static int insert(lua_State *L, insert_mode mode) {
  nf_doc *doc;
  nf_node *target = nf_lua_checknode(L, 1, &doc);
  luaL_checkany(L, 2);
  if (mode == INSERT_APPEND || mode == INSERT_PREPEND) {
    if (nf_node_kind_of(target) != NF_NODE_ELEMENT)
      return luaL_error(L, "cannot insert into a %s node", nf_node_name(target));
  } else {
    if (!nf_node_parent(target) || nf_node_kind_of(nf_node_parent(target)) != NF_NODE_ELEMENT)
      return luaL_error(L, "cannot insert next to a node that has no parent element");
    if (mode == INSERT_REPLACE) check_not_skeleton(L, doc, target, "replace");
  }
  check_insertable(L, 2, 0);
  nf_nodelist list = {0};
  collect_insertable(L, 2, doc, &list);
  int refused = 0;
  nf_node *anchor = target;
  for (size_t i = 0; i < list.len && !refused; i++) {
    nf_node *n = list.items[i];
    if (n == target) { refused = mode != INSERT_REPLACE; continue; }
    switch (mode) {
    case INSERT_APPEND: refused = !nf_node_append(doc, target, n); break;
    case INSERT_PREPEND:
      refused = i == 0 ? !nf_node_prepend(doc, target, n) : !nf_node_insert_after(doc, anchor, n);
      anchor = n;
      break;
    case INSERT_BEFORE:
    case INSERT_REPLACE: refused = !nf_node_insert_before(doc, target, n); break;
    case INSERT_AFTER:
      refused = !nf_node_insert_after(doc, anchor, n);
      anchor = n;
      break;
    }
  }
  if (refused) {
    nf_nodelist_free(&list);
    return luaL_error(L, "cannot insert a node into itself or its own descendant");
  }
  if (mode == INSERT_REPLACE) {
    int kept = 0;
    for (size_t i = 0; i < list.len; i++) kept |= list.items[i] == target;
    if (!kept) nf_node_unlink(doc, target);
  }
  lua_getiuservalue(L, 1, 1);
  int doc_idx = lua_gettop(L);
  size_t count = list.len < 200 ? list.len : 200; /* results: a few at most */
  luaL_checkstack(L, (int)count + 2, "too many nodes");
  for (size_t i = 0; i < count; i++) nf_lua_pushnode(L, doc_idx, list.items[i]);
  nf_nodelist_free(&list);
  return (int)count;
}

static int node_append(lua_State *L) { return insert(L, INSERT_APPEND); }
static int node_prepend(lua_State *L) { return insert(L, INSERT_PREPEND); }
static int node_before(lua_State *L) { return insert(L, INSERT_BEFORE); }
static int node_after(lua_State *L) { return insert(L, INSERT_AFTER); }
static int node_replace(lua_State *L) { return insert(L, INSERT_REPLACE); }

/* ===== Methods ============================================================ */

static int node_remove(lua_State *L) {
  nf_doc *doc;
  nf_node *n = nf_lua_checknode(L, 1, &doc);
  check_not_skeleton(L, doc, n, "remove");
  nf_node_unlink(doc, n);
  lua_settop(L, 1);
  return 1;
}

static int node_unwrap(lua_State *L) {
  nf_doc *doc;
  nf_node *n = nf_lua_checknode(L, 1, &doc);
  check_not_skeleton(L, doc, n, "unwrap");
  if (nf_node_kind_of(n) != NF_NODE_ELEMENT) return luaL_error(L, "cannot unwrap a %s node", nf_node_name(n));
  if (!nf_node_parent(n) || nf_node_kind_of(nf_node_parent(n)) != NF_NODE_ELEMENT) {
    /* A detached element: its children simply become detached too. */
    for (nf_node *c = nf_node_first_child(n), *next; c; c = next) { /* never spins */
      next = nf_node_next(c);
      nf_node_unlink(doc, c);
    }
    return 0;
  }
  nf_node_unwrap(doc, n);
  return 0;
}

static int node_clone(lua_State *L) {
  nf_doc *doc;
  nf_node *n = nf_lua_checknode(L, 1, &doc);
  nf_node *c = nf_node_clone(doc, n);
  lua_getiuservalue(L, 1, 1);
  nf_lua_pushnode(L, -1, c);
  return 1;
}

static int node_attr(lua_State *L) {
  nf_node *n = nf_lua_checknode(L, 1, NULL);
  const char *name = luaL_checkstring(L, 2);
  if (lua_gettop(L) < 3) {
    const char *v = nf_node_attr(n, name);
    if (v) lua_pushstring(L, v);
    else lua_pushnil(L);
    return 1;
  }
  if (nf_node_kind_of(n) != NF_NODE_ELEMENT)
    return luaL_error(L, "cannot set an attribute on a %s node", nf_node_name(n));
  if (!lua_isnil(L, 3) && lua_type(L, 3) != LUA_TSTRING && lua_type(L, 3) != LUA_TNUMBER &&
      lua_type(L, 3) != LUA_TBOOLEAN)
    return luaL_argerror(L, 3, "string, number, boolean or nil expected");
  /* Not luaL_tolstring: a __tostring (e.g. on the string metatable) could
   * close the document under n. */
  const char *value = lua_type(L, 3) == LUA_TBOOLEAN ? (lua_toboolean(L, 3) ? "true" : "false")
                      : lua_isnil(L, 3)               ? NULL
                                                      : lua_tostring(L, 3);
  if (!nf_node_set_attr(n, name, value))
    return luaL_error(L, "invalid attribute name '%s'", name);
  lua_settop(L, 1);
  return 1;
}

static int node_attrs(lua_State *L) {
  nf_node *n = nf_lua_checknode(L, 1, NULL);
  lua_newtable(L);
  const char *k, *v;
  for (size_t i = 0; nf_node_attr_at(n, i, &k, &v); i++) {
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
  }
  return 1;
}

static int has_class(const char *classes, const char *cls) {
  size_t n = strlen(cls);
  if (!classes || !n) return 0;
  for (const char *p = classes; (p = strstr(p, cls)) != NULL; p += n) {
    int start = p == classes || strchr(" \t\n\r\f", p[-1]);
    int end = p[n] == '\0' || strchr(" \t\n\r\f", p[n]);
    if (start && end) return 1;
  }
  return 0;
}

static int node_has_class(lua_State *L) {
  nf_node *n = nf_lua_checknode(L, 1, NULL);
  lua_pushboolean(L, has_class(nf_node_attr(n, "class"), luaL_checkstring(L, 2)));
  return 1;
}

static int node_add_class(lua_State *L) {
  nf_node *n = nf_lua_checknode(L, 1, NULL);
  const char *cls = luaL_checkstring(L, 2);
  if (nf_node_kind_of(n) != NF_NODE_ELEMENT) return luaL_error(L, "not an element");
  const char *cur = nf_node_attr(n, "class");
  if (!has_class(cur, cls)) {
    lua_pushfstring(L, "%s%s%s", cur ? cur : "", cur && *cur ? " " : "", cls);
    nf_node_set_attr(n, "class", lua_tostring(L, -1));
  }
  lua_settop(L, 1);
  return 1;
}

static int node_remove_class(lua_State *L) {
  nf_node *n = nf_lua_checknode(L, 1, NULL);
  const char *cls = luaL_checkstring(L, 2);
  const char *cur = nf_node_attr(n, "class");
  if (cur && has_class(cur, cls)) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    const char *p = cur;
    int first = 1;
    while (*p) {
      while (*p && strchr(" \t\n\r\f", *p)) p++;
      const char *s = p;
      while (*p && !strchr(" \t\n\r\f", *p)) p++;
      if (p > s && !((size_t)(p - s) == strlen(cls) && strncmp(s, cls, (size_t)(p - s)) == 0)) {
        if (!first) luaL_addchar(&b, ' ');
        luaL_addlstring(&b, s, (size_t)(p - s));
        first = 0;
      }
    }
    luaL_pushresult(&b);
    nf_node_set_attr(n, "class", lua_tostring(L, -1));
  }
  lua_settop(L, 1);
  return 1;
}

static int node_select(lua_State *L) {
  nf_node *n = nf_lua_checknode(L, 1, NULL);
  lua_getiuservalue(L, 1, 1);
  lua_replace(L, 1); /* arg 1 is now the document: select keeps arg 2 */
  return nf_lua_tree_select(L, 1, n, 0);
}

static int node_select_one(lua_State *L) {
  nf_node *n = nf_lua_checknode(L, 1, NULL);
  lua_getiuservalue(L, 1, 1);
  lua_replace(L, 1);
  return nf_lua_tree_select(L, 1, n, 1);
}

static int node_xpath(lua_State *L) {
  nf_node *n = nf_lua_checknode(L, 1, NULL);
  lua_getiuservalue(L, 1, 1);
  lua_replace(L, 1);
  return nf_lua_tree_xpath(L, 1, n);
}

static int node_walk(lua_State *L) {
  nf_node *n = nf_lua_checknode(L, 1, NULL);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_getiuservalue(L, 1, 1);
  lua_replace(L, 1);
  return nf_lua_tree_walk(L, 1, n, 2);
}

static nf_selector *check_selector(lua_State *L, int idx) {
  char err[256];
  nf_selector *sel = nf_selector_compile(luaL_checkstring(L, idx), err, sizeof err);
  if (!sel) luaL_error(L, "%s", err);
  return sel;
}

static int node_matches(lua_State *L) {
  nf_node *n = nf_lua_checknode(L, 1, NULL);
  nf_selector *sel = check_selector(L, 2);
  int m = nf_node_kind_of(n) == NF_NODE_ELEMENT && nf_selector_matches(sel, n);
  nf_selector_free(sel);
  lua_pushboolean(L, m);
  return 1;
}

static int node_closest(lua_State *L) {
  nf_node *n = nf_lua_checknode(L, 1, NULL);
  nf_selector *sel = check_selector(L, 2);
  nf_node *found = NULL;
  for (nf_node *p = n; p && nf_node_kind_of(p) != NF_NODE_DOCUMENT; p = nf_node_parent(p))
    if (nf_node_kind_of(p) == NF_NODE_ELEMENT && nf_selector_matches(sel, p)) { found = p; break; }
  nf_selector_free(sel);
  lua_getiuservalue(L, 1, 1);
  nf_lua_pushnode(L, -1, found);
  return 1;
}

static const luaL_Reg node_methods[] = {
    {"attr", node_attr},       {"attrs", node_attrs},       {"remove", node_remove},
    {"unwrap", node_unwrap},   {"replace", node_replace},   {"append", node_append},
    {"prepend", node_prepend}, {"before", node_before},     {"after", node_after},
    {"clone", node_clone},     {"select", node_select},     {"select_one", node_select_one},
    {"xpath", node_xpath},     {"walk", node_walk},         {"matches", node_matches},
    {"closest", node_closest}, {"has_class", node_has_class}, {"add_class", node_add_class},
    {"remove_class", node_remove_class}, {NULL, NULL}};

/* ===== Fields ============================================================= */

static const char *kind_name(nf_node *n) {
  switch (nf_node_kind_of(n)) {
  case NF_NODE_ELEMENT: return "element";
  case NF_NODE_TEXT: return "text";
  case NF_NODE_COMMENT: return "comment";
  default: return "other";
  }
}

static int push_children(lua_State *L, nf_node *n, int elements_only) {
  lua_getiuservalue(L, 1, 1);
  int doc_idx = lua_gettop(L);
  lua_newtable(L);
  lua_Integer i = 0;
  for (nf_node *c = nf_node_first_child(n); c; c = nf_node_next(c)) {
    nf_node_kind k = nf_node_kind_of(c);
    if (elements_only ? k != NF_NODE_ELEMENT : (k == NF_NODE_OTHER)) continue;
    nf_lua_pushnode(L, doc_idx, c);
    lua_rawseti(L, -2, ++i);
  }
  return 1;
}

static int node_index(lua_State *L) {
  nf_node *n = nf_lua_checknode(L, 1, NULL);
  const char *k = luaL_checkstring(L, 2);
  nf_lua_push_node_methods(L);
  if (lua_getfield(L, -1, k) != LUA_TNIL) return 1;
  lua_pop(L, 2);
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  if (strcmp(k, "tag") == 0) lua_pushstring(L, nf_node_name(n));
  else if (strcmp(k, "type") == 0) lua_pushstring(L, kind_name(n));
  else if (strcmp(k, "text") == 0) { nf_node_text(n, &b); return push_buf(L, &b); }
  else if (strcmp(k, "html") == 0) { nf_node_html(n, &b); return push_buf(L, &b); }
  else if (strcmp(k, "inner_html") == 0) { nf_node_inner_html(n, &b); return push_buf(L, &b); }
  else if (strcmp(k, "line") == 0) {
    long line = nf_node_line(n);
    if (line > 0) lua_pushinteger(L, line);
    else lua_pushnil(L);
  } else if (strcmp(k, "children") == 0) return push_children(L, n, 1);
  else if (strcmp(k, "nodes") == 0) return push_children(L, n, 0);
  else if (strcmp(k, "attached") == 0) lua_pushboolean(L, nf_node_attached(n));
  else if (strcmp(k, "document") == 0) lua_getiuservalue(L, 1, 1);
  else {
    nf_node *rel = NULL;
    if (strcmp(k, "parent") == 0) rel = nf_node_parent(n);
    else if (strcmp(k, "next") == 0) rel = nf_node_next_element(n);
    else if (strcmp(k, "prev") == 0) rel = nf_node_prev_element(n);
    else if (strcmp(k, "next_node") == 0) rel = nf_node_next(n);
    else if (strcmp(k, "prev_node") == 0) rel = nf_node_prev(n);
    else if (strcmp(k, "first_child") == 0) rel = nf_node_first_element(n);
    else {
      lua_pushnil(L);
      return 1;
    }
    lua_getiuservalue(L, 1, 1);
    nf_lua_pushnode(L, -1, rel);
  }
  return 1;
}

static int node_newindex(lua_State *L) {
  nf_doc *doc;
  nf_node *n = nf_lua_checknode(L, 1, &doc);
  const char *k = luaL_checkstring(L, 2);
  if (strcmp(k, "tag") == 0) {
    const char *tag = luaL_checkstring(L, 3);
    if (nf_node_kind_of(n) != NF_NODE_ELEMENT)
      return luaL_error(L, "cannot rename a %s node", nf_node_name(n));
    check_not_skeleton(L, doc, n, "rename");
    if (!nf_node_set_name(n, tag)) return luaL_error(L, "invalid tag name '%s'", tag);
  } else if (strcmp(k, "text") == 0) {
    const char *text = luaL_checkstring(L, 3);
    if (n == nf_doc_root(doc)) check_not_skeleton(L, doc, n, "replace the contents of");
    if (!nf_node_set_text(doc, n, text)) return luaL_error(L, "cannot set the text of this node");
  } else if (strcmp(k, "inner_html") == 0) {
    size_t len;
    const char *html = luaL_checklstring(L, 3, &len);
    if (n == nf_doc_root(doc)) check_not_skeleton(L, doc, n, "replace the contents of");
    if (nf_node_kind_of(n) != NF_NODE_ELEMENT)
      return luaL_error(L, "cannot set inner_html of a %s node", nf_node_name(n));
    nf_node_set_inner_html(doc, n, html, len);
  } else {
    return luaL_error(L, "cannot set field '%s' of a node (settable: tag, text, inner_html)", k);
  }
  return 0;
}

static int node_tostring(lua_State *L) {
  nf_node *n = nf_lua_checknode(L, 1, NULL);
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  nf_node_html(n, &b);
  return push_buf(L, &b);
}

/* ===== select / xpath ===================================================== */

/* Polled by the matcher: says stop once --timeout has passed (it must not
 * raise: the matcher holds memory). */
static int deadline_passed(void *ud) {
  nf_lua_limits *lim = ud;
  if (lim->expired || (lim->deadline > 0 && nf_monotonic() > lim->deadline)) {
    lim->expired = 1;
    return 1;
  }
  return 0;
}

int nf_lua_tree_select(lua_State *L, int doc_idx, nf_node *root, int one) {
  const char *css = luaL_checkstring(L, 2);
  nf_nodelist list = {0};
  char err[256];
  nf_selector *sel = nf_selector_compile(css, err, sizeof err);
  if (!sel) return luaL_error(L, "%s", err);
  nf_lua_limits *lim = nf_lua_get_limits(L);
  int rc = lim ? nf_select_checked(sel, root, &list, deadline_passed, lim)
               : (nf_select(sel, root, &list), 0);
  nf_selector_free(sel);
  if (rc < 0) {
    nf_nodelist_free(&list);
    return nf_lua_raise_timeout(L);
  }
  if (one) {
    nf_lua_pushnode(L, doc_idx, list.len ? list.items[0] : NULL);
    nf_nodelist_free(&list);
    return 1;
  }
  /* Pushing handles cannot fail except on memory errors; keep the list in
   * a to-be-freed userdata so even those do not leak. */
  nf_nodelist *held = lua_newuserdatauv(L, sizeof *held, 0);
  *held = list;
  luaL_setmetatable(L, WALK_STATE_MT "List");
  lua_createtable(L, list.len < 1000000 ? (int)list.len : 0, 0);
  for (size_t i = 0; i < held->len; i++) {
    if ((i & 1023) == 1023) nf_lua_check_interrupt(L);
    nf_lua_pushnode(L, doc_idx, held->items[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  nf_nodelist_free(held);
  return 1;
}

static int held_list_gc(lua_State *L) {
  nf_nodelist_free(lua_touserdata(L, 1));
  return 0;
}

int nf_lua_tree_xpath(lua_State *L, int doc_idx, nf_node *ctx) {
  const char *expr = luaL_checkstring(L, 2);
  nf_lua_doc *d = lua_touserdata(L, doc_idx);
  nf_xpath_result res;
  char err[256];
  if (nf_xpath(d->doc, ctx, expr, &res, err, sizeof err) < 0) {
    nf_xpath_result_free(&res);
    return luaL_error(L, "%s", err);
  }
  switch (res.kind) {
  case NF_XPATH_STRING:
    nf_lua_push_owned(L, res.string ? res.string : nf_xstrdup(""));
    res.string = NULL;
    break;
  case NF_XPATH_NUMBER: lua_pushnumber(L, res.number); break;
  case NF_XPATH_BOOLEAN: lua_pushboolean(L, res.boolean); break;
  case NF_XPATH_NODES: {
    nf_nodelist *held = lua_newuserdatauv(L, sizeof *held, 0);
    *held = res.nodes;
    res.nodes = (nf_nodelist){0};
    luaL_setmetatable(L, WALK_STATE_MT "List");
    lua_createtable(L, (int)(held->len < 1000000 ? held->len : 0), 0);
    lua_Integer j = 0;
    for (size_t i = 0; i < held->len; i++) {
      nf_node *n = held->items[i];
      if (nf_node_kind_of(n) == NF_NODE_OTHER) lua_pushstring(L, nf_node_content(n)); /* attribute */
      else nf_lua_pushnode(L, doc_idx, n);
      if (lua_isnil(L, -1)) { lua_pop(L, 1); continue; }
      lua_rawseti(L, -2, ++j);
    }
    nf_nodelist_free(held);
    break;
  }
  }
  nf_xpath_result_free(&res);
  return 1;
}

/* ===== walk =============================================================== */

typedef enum { H_TAG, H_CSS, H_STAR, H_TEXT } handler_kind;
typedef struct {
  handler_kind kind;
  char *key;         /* the handlers table key */
  nf_selector *sel;  /* H_CSS */
} walk_handler;
typedef struct {
  walk_handler *items;
  size_t len;
} walk_state;

static int walk_state_gc(lua_State *L) {
  walk_state *ws = lua_touserdata(L, 1);
  for (size_t i = 0; i < ws->len; i++) {
    free(ws->items[i].key);
    if (ws->items[i].sel) nf_selector_free(ws->items[i].sel);
  }
  free(ws->items);
  ws->items = NULL;
  ws->len = 0;
  return 0;
}

static int plain_tag_name(const char *k) {
  if (!*k) return 0;
  for (const char *p = k; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
          (*p >= 'A' && *p <= 'Z')))
      return 0;
  return 1;
}

static int cmp_handlers(const void *a, const void *b) {
  const walk_handler *x = a, *y = b;
  if (x->kind != y->kind) return (int)x->kind - (int)y->kind;
  return strcmp(x->key, y->key);
}

/* Reads the handlers table into a state userdata (left on the stack). */
static walk_state *read_handlers(lua_State *L, int handlers_idx) {
  walk_state *ws = lua_newuserdatauv(L, sizeof *ws, 0);
  ws->items = NULL;
  ws->len = 0;
  luaL_setmetatable(L, WALK_STATE_MT);
  size_t cap = 0;
  lua_pushnil(L);
  while (lua_next(L, handlers_idx)) {
    if (lua_type(L, -2) != LUA_TSTRING)
      luaL_error(L, "walk: handler keys must be strings (tag names, \"*\", \"text\" or CSS selectors)");
    if (!lua_isfunction(L, -1))
      luaL_error(L, "walk: the handler for '%s' is not a function", lua_tostring(L, -2));
    const char *k = lua_tostring(L, -2);
    walk_handler h = {H_TAG, NULL, NULL};
    if (strcmp(k, "*") == 0) h.kind = H_STAR;
    else if (strcmp(k, "text") == 0) h.kind = H_TEXT;
    else if (!plain_tag_name(k)) {
      char err[256];
      h.kind = H_CSS;
      h.sel = nf_selector_compile(k, err, sizeof err);
      if (!h.sel) luaL_error(L, "walk: %s", err);
    }
    if (ws->len == cap) {
      cap = cap ? cap * 2 : 8;
      walk_handler *grown = realloc(ws->items, cap * sizeof *grown);
      if (!grown) {
        if (h.sel) nf_selector_free(h.sel);
        luaL_error(L, "not enough memory");
      }
      ws->items = grown;
    }
    h.key = strdup(k);
    if (!h.key) {
      if (h.sel) nf_selector_free(h.sel);
      luaL_error(L, "not enough memory");
    }
    if (h.kind == H_TAG)
      for (char *p = h.key; *p; p++) *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    ws->items[ws->len++] = h;
    lua_pop(L, 1);
  }
  /* Order for one node: its tag handler, CSS handlers by key, then "*". */
  if (ws->len) qsort(ws->items, ws->len, sizeof *ws->items, cmp_handlers);
  return ws;
}

/* Next node in document order after n's subtree, staying inside root. */
static nf_node *after_subtree(nf_node *root, nf_node *n) {
  while (n && n != root) {
    if (nf_node_next(n)) return nf_node_next(n);
    n = nf_node_parent(n);
  }
  return NULL;
}

static int in_raw_text(nf_node *n) {
  nf_node *p = nf_node_parent(n);
  return p && (nf_node_is(p, "script") || nf_node_is(p, "style") || nf_node_is(p, "template"));
}

/* Calls handler `key` on the node handle at node_idx; leaves its result. */
static void call_handler(lua_State *L, int handlers_idx, const char *key, int node_idx, nf_node *n) {
  /* Read n now: the handler (or a __index of the handlers table) may close
   * the document and free n. */
  long line = nf_node_line(n);
  char tag[72];
  snprintf(tag, sizeof tag, "%s", nf_node_name(n));
  lua_getfield(L, handlers_idx, key);
  lua_pushvalue(L, node_idx);
  int status = lua_pcall(L, 1, 1, 0);
  if (status == LUA_OK) return;
  if (status == LUA_ERRRUN && lua_type(L, -1) == LUA_TSTRING) {
    if (line > 0)
      lua_pushfstring(L, "%s (in walk handler '%s' on <%s> from line %d)", lua_tostring(L, -1), key,
                      tag, (int)line);
    else
      lua_pushfstring(L, "%s (in walk handler '%s' on <%s>)", lua_tostring(L, -1), key, tag);
  }
  lua_error(L);
}

int nf_lua_tree_walk(lua_State *L, int doc_idx, nf_node *root, int handlers_idx) {
  nf_doc *doc = nf_lua_checkdoc(L, doc_idx);
  handlers_idx = lua_absindex(L, handlers_idx);
  walk_state *ws = read_handlers(L, handlers_idx);
  int base = lua_gettop(L);
  nf_node *cur = root;
  unsigned long steps = 0;
  while (cur) {
    if ((++steps & 255) == 0) nf_lua_check_interrupt(L);
    nf_node_kind kind = nf_node_kind_of(cur);
    nf_node *saved_parent = nf_node_parent(cur), *saved_next = nf_node_next(cur);
    int replaced = 0, removed = 0, called = 0;
    nf_node *last_inserted = NULL;
    if (kind == NF_NODE_ELEMENT || (kind == NF_NODE_TEXT && !in_raw_text(cur))) {
      nf_lua_pushnode(L, doc_idx, cur);
      int node_idx = lua_gettop(L);
      for (size_t i = 0; i < ws->len && !replaced && !removed; i++) {
        walk_handler *h = &ws->items[i];
        int match = kind == NF_NODE_TEXT ? h->kind == H_TEXT
                    : h->kind == H_TAG   ? strcmp(h->key, nf_node_name(cur)) == 0
                    : h->kind == H_CSS   ? nf_selector_matches(h->sel, cur)
                                         : h->kind == H_STAR;
        if (!match) continue;
        doc = nf_lua_checkdoc(L, doc_idx); /* a handler may have closed it */
        call_handler(L, handlers_idx, h->key, node_idx, cur);
        called = 1;
        doc = nf_lua_checkdoc(L, doc_idx);
        int rt = lua_type(L, -1);
        if (rt == LUA_TNIL || (rt == LUA_TBOOLEAN && lua_toboolean(L, -1))) {
          /* keep */
        } else if (rt == LUA_TBOOLEAN) {
          if (cur == nf_doc_root(doc) || cur == nf_doc_head(doc) || cur == nf_doc_body(doc))
            luaL_error(L, "walk: cannot remove the document's <%s> element", nf_node_name(cur));
          nf_node_unlink(doc, cur);
          removed = 1;
        } else {
          int res_idx = lua_gettop(L);
          if (cur == nf_doc_root(doc) || cur == nf_doc_head(doc) || cur == nf_doc_body(doc))
            luaL_error(L, "walk: cannot replace the document's <%s> element", nf_node_name(cur));
          if (!nf_node_parent(cur) || nf_node_kind_of(nf_node_parent(cur)) != NF_NODE_ELEMENT)
            luaL_error(L, "walk: cannot replace a node that has no parent element");
          check_insertable(L, res_idx, 0);
          nf_nodelist list = {0};
          collect_insertable(L, res_idx, doc, &list);
          int refused = 0, kept = 0;
          for (size_t j = 0; j < list.len && !refused; j++) {
            if (list.items[j] == cur) { kept = 1; last_inserted = cur; continue; }
            refused = !nf_node_insert_before(doc, cur, list.items[j]);
            if (!refused) last_inserted = list.items[j];
          }
          nf_nodelist_free(&list);
          if (refused) luaL_error(L, "walk: a handler returned a node that contains the node it replaces");
          if (!kept) {
            nf_node_unlink(doc, cur);
            replaced = 1;
          } else {
            replaced = 1;
          }
        }
        lua_pop(L, 1);
      }
      lua_settop(L, base);
    }
    if (cur == root && (replaced || removed)) break;
    if (replaced) {
      cur = last_inserted ? after_subtree(root, last_inserted)
                          : (saved_next && nf_node_contains(root, saved_next) ? saved_next
                                                                              : after_subtree(root, saved_parent));
    } else if (called && !nf_node_contains(root, cur)) {
      /* (Only a handler can move cur; the check is O(depth).) */
      /* Removed (by `false` or by the handler itself): go on from where it was. */
      if (saved_next && nf_node_parent(saved_next) == saved_parent && nf_node_contains(root, saved_next))
        cur = saved_next;
      else if (saved_parent && nf_node_contains(root, saved_parent))
        cur = after_subtree(root, saved_parent);
      else
        cur = NULL;
    } else if (nf_node_kind_of(cur) == NF_NODE_ELEMENT && nf_node_first_child(cur)) {
      cur = nf_node_first_child(cur);
    } else {
      cur = after_subtree(root, cur);
    }
  }
  lua_settop(L, 1);
  return 1;
}

/* ===== Registration ======================================================= */

static const luaL_Reg node_meta[] = {{"__index", node_index},
                                     {"__newindex", node_newindex},
                                     {"__tostring", node_tostring},
                                     {NULL, NULL}};

void nf_lua_open_node(lua_State *L) {
  luaL_newmetatable(L, NF_NODE_MT);
  luaL_setfuncs(L, node_meta, 0);
  lua_pop(L, 1);
  lua_newtable(L);
  luaL_setfuncs(L, node_methods, 0);
  lua_setfield(L, LUA_REGISTRYINDEX, NODE_METHODS_KEY);
  luaL_newmetatable(L, WALK_STATE_MT);
  lua_pushcfunction(L, walk_state_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_newmetatable(L, WALK_STATE_MT "List");
  lua_pushcfunction(L, held_list_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
}
