/* lua_node.c: the "newsform.Node" type: fields, editing methods, and the
 * node forms of select, xpath and walk (lua_tree.c). Handles, their
 * identity and lifetime are lua_aux.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_tree.h"

static int push_buf(lua_State *L, nf_buf *b) { return nf_lua_push_buf(L, b); }

/* ===== Inserting ========================================================== */

typedef enum { INSERT_APPEND, INSERT_PREPEND, INSERT_BEFORE, INSERT_AFTER, INSERT_REPLACE } insert_mode;

/* Inserts the value at arg 2 relative to the node at arg 1; returns one
 * array of the inserted nodes (for replace, the nodes now in its place). */
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
    if (mode == INSERT_REPLACE) nf_lua_check_not_skeleton(L, doc, target, "replace");
  }
  nf_lua_check_insertable(L, 2, 0);
  /* The list lives in a scratch userdata: a memory error while pushing the
   * results frees it. */
  nf_lua_scratch *held = nf_lua_scratch_new(L);
  nf_nodelist *list = &held->nodes;
  nf_lua_collect_insertable(L, 2, doc, list);
  int refused = 0;
  nf_node *anchor = target;
  for (size_t i = 0; i < list->len && !refused; i++) {
    nf_node *n = list->items[i];
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
    nf_lua_scratch_clear(held);
    return luaL_error(L, "cannot insert a node into itself or its own descendant");
  }
  if (mode == INSERT_REPLACE) {
    int kept = 0;
    for (size_t i = 0; i < list->len; i++) kept |= list->items[i] == target;
    if (!kept) nf_node_unlink(doc, target);
  }
  lua_getiuservalue(L, 1, 1);
  nf_lua_push_nodelist(L, -1, list);
  return 1;
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
  nf_lua_check_not_skeleton(L, doc, n, "remove");
  nf_node_unlink(doc, n);
  lua_settop(L, 1);
  return 1;
}

static int node_unwrap(lua_State *L) {
  nf_doc *doc;
  nf_node *n = nf_lua_checknode(L, 1, &doc);
  nf_lua_check_not_skeleton(L, doc, n, "unwrap");
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
  return nf_lua_tree_walk(L, 1, n, 2, 0);
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
    nf_lua_check_not_skeleton(L, doc, n, "rename");
    if (!nf_node_set_name(n, tag)) return luaL_error(L, "invalid tag name '%s'", tag);
  } else if (strcmp(k, "text") == 0) {
    const char *text = luaL_checkstring(L, 3);
    if (n == nf_doc_root(doc)) nf_lua_check_not_skeleton(L, doc, n, "replace the contents of");
    if (!nf_node_set_text(doc, n, text)) return luaL_error(L, "cannot set the text of this node");
  } else if (strcmp(k, "inner_html") == 0) {
    size_t len;
    const char *html = luaL_checklstring(L, 3, &len);
    if (n == nf_doc_root(doc)) nf_lua_check_not_skeleton(L, doc, n, "replace the contents of");
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

/* ===== Registration ======================================================= */

static const luaL_Reg node_meta[] = {{"__index", node_index},
                                     {"__newindex", node_newindex},
                                     {"__tostring", node_tostring},
                                     {NULL, NULL}};

void nf_lua_open_node(lua_State *L) {
  nf_lua_node_metatable(L);
  luaL_setfuncs(L, node_meta, 0);
  lua_pop(L, 1);
  nf_lua_push_node_methods(L);
  luaL_setfuncs(L, node_methods, 0);
  lua_pop(L, 1);
}
