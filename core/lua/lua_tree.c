/* lua_tree.c: what documents and nodes share: the values a script may
 * insert (HTML strings, nodes, documents, lists), select, xpath and walk.
 * Above lua_aux.c, below lua_doc.c and lua_node.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_tree.h"

#define WALK_STATE_MT "newsform.WalkState"
#define HELD_LIST_MT "newsform.WalkStateList"

/* ===== Insertable arguments: HTML strings, nodes, documents, lists ======== */

/* Raises before anything is allocated when arg idx cannot be inserted. */
void nf_lua_check_insertable(lua_State *L, int idx, int depth) {
  int t = lua_type(L, idx);
  if (t == LUA_TSTRING) return;
  if (luaL_testudata(L, idx, NF_NODE_MT)) {
    nf_doc *d;
    nf_node *n = nf_lua_checknode(L, idx, &d);
    if (nf_node_kind_of(n) == NF_NODE_OTHER || nf_node_kind_of(n) == NF_NODE_DOCUMENT)
      luaL_error(L, "this node cannot be inserted");
    nf_lua_check_not_skeleton(L, d, n, "move");
    return;
  }
  if (luaL_testudata(L, idx, NF_DOC_MT)) {
    nf_lua_checkdoc(L, idx);
    return;
  }
  if (t == LUA_TTABLE && depth == 0) {
    /* Raw reads here and in nf_lua_collect_insertable: a metamethod could close
     * the document or change the list between the two passes. */
    idx = lua_absindex(L, idx);
    lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
    for (lua_Integer i = 1; i <= len; i++) {
      lua_rawgeti(L, idx, i);
      nf_lua_check_insertable(L, -1, 1);
      lua_pop(L, 1);
    }
    return;
  }
  luaL_error(L, "expected an HTML string, a node, a document or a list of them, got %s",
             luaL_typename(L, idx));
}

void nf_lua_collect_insertable(lua_State *L, int idx, nf_doc *doc, nf_nodelist *out) {
  if (lua_type(L, idx) == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    nf_doc_parse_fragment(doc, s, len, out);
  } else if (luaL_testudata(L, idx, NF_NODE_MT)) {
    nf_doc *owner;
    nf_node *n = nf_lua_checknode(L, idx, &owner); /* checked: open */
    if (owner == doc) nf_nodelist_push(out, n);
    else {
      nf_node *c = nf_node_clone(doc, n);
      if (c) nf_nodelist_push(out, c);
    }
  } else if (luaL_testudata(L, idx, NF_DOC_MT)) {
    nf_doc *src = nf_lua_checkdoc(L, idx); /* checked: open */
    for (nf_node *c = nf_node_first_child(nf_doc_body(src)); c; c = nf_node_next(c)) {
      nf_node *copy = nf_node_clone(doc, c);
      if (copy) nf_nodelist_push(out, copy);
    }
  } else if (lua_type(L, idx) == LUA_TTABLE) {
    idx = lua_absindex(L, idx);
    lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
    for (lua_Integer i = 1; i <= len; i++) {
      lua_rawgeti(L, idx, i);
      nf_lua_collect_insertable(L, -1, doc, out);
      lua_pop(L, 1);
    }
  }
}


/* ===== select / xpath ===================================================== */

static int held_list_gc(lua_State *L) {
  nf_nodelist_free(lua_touserdata(L, 1));
  return 0;
}

/* Moves list into a new userdata whose __gc frees it, so that a memory
 * error while pushing handles does not leak it. Returns the held list. */
static nf_nodelist *hold_list(lua_State *L, nf_nodelist *list) {
  nf_nodelist *held = lua_newuserdatauv(L, sizeof *held, 0);
  *held = *list;
  *list = (nf_nodelist){0};
  if (luaL_newmetatable(L, HELD_LIST_MT)) {
    lua_pushcfunction(L, held_list_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return held;
}

int nf_lua_tree_select(lua_State *L, int doc_idx, nf_node *root, int one) {
  const char *css = luaL_checkstring(L, 2);
  nf_nodelist list = {0};
  char err[256];
  nf_selector *sel = nf_selector_compile(css, err, sizeof err);
  if (!sel) return luaL_error(L, "%s", err);
  nf_lua_limits *lim = nf_lua_get_limits(L);
  /* The matcher holds memory: it polls the deadline, it does not raise. */
  int rc = lim ? nf_select_checked(sel, root, &list, nf_lua_deadline_passed, lim)
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
  nf_lua_push_nodelist(L, doc_idx, hold_list(L, &list));
  return 1;
}

void nf_lua_push_nodelist(lua_State *L, int doc_idx, nf_nodelist *held) {
  doc_idx = lua_absindex(L, doc_idx);
  lua_createtable(L, held->len < 1000000 ? (int)held->len : 0, 0);
  for (size_t i = 0; i < held->len; i++) {
    if ((i & 1023) == 1023) nf_lua_check_interrupt(L);
    nf_lua_pushnode(L, doc_idx, held->items[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  nf_nodelist_free(held);
}

int nf_lua_tree_xpath(lua_State *L, int doc_idx, nf_node *ctx) {
  const char *expr = luaL_checkstring(L, 2);
  nf_doc *doc = nf_lua_checkdoc(L, doc_idx);
  nf_xpath_result res;
  char err[256];
  /* Under --timeout, XPath gets what is left of it as its time budget, so
   * a hostile expression ends as a timeout, not at the watchdog. */
  nf_lua_limits *lim = nf_lua_get_limits(L);
  nf_budget budget;
  int timed = lim && lim->deadline > 0;
  double left = timed ? lim->deadline - nf_monotonic() : 0;
  nf_budget_init(&budget, 0, left > 1e-6 ? left : 1e-6);
  int rc = timed ? nf_xpath_budget(doc, ctx, expr, &res, &budget, err, sizeof err)
                 : nf_xpath(doc, ctx, expr, &res, err, sizeof err);
  if (rc < 0) {
    nf_xpath_result_free(&res);
    if (nf_budget_exhausted(&budget)) {
      lim->expired = 1;
      return nf_lua_raise_timeout(L);
    }
    return luaL_error(L, "%s", err);
  }
  switch (res.kind) {
  case NF_XPATH_STRING:
    nf_lua_push_owned(L, res.string ? res.string : nf_xstrdup(""));
    res.string = NULL;
    break;
  case NF_XPATH_NUMBER:
    /* Whole numbers (count(), sums of integers) as integers: 3, not 3.0. */
    if (res.number == floor(res.number) && fabs(res.number) < 9.2e18)
      lua_pushinteger(L, (lua_Integer)res.number);
    else
      lua_pushnumber(L, res.number);
    break;
  case NF_XPATH_BOOLEAN: lua_pushboolean(L, res.boolean); break;
  case NF_XPATH_NODES: {
    nf_nodelist *held = hold_list(L, &res.nodes);
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
  unsigned char due; /* matches the current node, as the walk reached it */
  unsigned char hit; /* matched some node during this walk */
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
  if (luaL_newmetatable(L, WALK_STATE_MT)) {
    lua_pushcfunction(L, walk_state_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  size_t cap = 0;
  lua_pushnil(L);
  while (lua_next(L, handlers_idx)) {
    if (lua_type(L, -2) != LUA_TSTRING)
      luaL_error(L, "walk: handler keys must be strings (tag names, \"*\", \"text\" or CSS selectors)");
    if (!lua_isfunction(L, -1))
      luaL_error(L, "walk: the handler for '%s' is not a function", lua_tostring(L, -2));
    const char *k = lua_tostring(L, -2);
    walk_handler h = {H_TAG, NULL, NULL, 0, 0};
    if (strcmp(k, "*") == 0) h.kind = H_STAR;
    else if (strcmp(k, "text") == 0) h.kind = H_TEXT;
    else if (!nf_lua_plain_tag(k)) {
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

int nf_lua_tree_walk(lua_State *L, int doc_idx, nf_node *root, int handlers_idx, int hits_idx) {
  nf_doc *doc = nf_lua_checkdoc(L, doc_idx);
  handlers_idx = lua_absindex(L, handlers_idx);
  if (hits_idx) hits_idx = lua_absindex(L, hits_idx);
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
      /* Which handlers apply is decided once, by what the node is now: a
       * handler that renames it (or changes its classes) does not make
       * another handler fire on it (h1 -> h2 never also runs "h2"). */
      int any = 0;
      for (size_t i = 0; i < ws->len; i++) {
        walk_handler *h = &ws->items[i];
        h->due = kind == NF_NODE_TEXT ? h->kind == H_TEXT
                 : h->kind == H_TAG   ? strcmp(h->key, nf_node_name(cur)) == 0
                 : h->kind == H_CSS   ? nf_selector_matches(h->sel, cur)
                                      : h->kind == H_STAR;
        any |= h->due;
      }
      for (size_t i = 0; any && i < ws->len && !replaced && !removed; i++) {
        walk_handler *h = &ws->items[i];
        if (!h->due) continue;
        h->hit = 1;
        doc = nf_lua_checkdoc(L, doc_idx); /* a handler may have closed it */
        call_handler(L, handlers_idx, h->key, node_idx, cur);
        called = 1;
        doc = nf_lua_checkdoc(L, doc_idx);
        int rt = lua_type(L, -1);
        if (rt == LUA_TNIL || (rt == LUA_TBOOLEAN && lua_toboolean(L, -1))) {
          /* keep */
        } else if (rt == LUA_TBOOLEAN) {
          if (nf_lua_is_skeleton(doc, cur))
            luaL_error(L, "walk: cannot remove the document's <%s> element", nf_node_name(cur));
          nf_node_unlink(doc, cur);
          removed = 1;
        } else {
          int res_idx = lua_gettop(L);
          if (nf_lua_is_skeleton(doc, cur))
            luaL_error(L, "walk: cannot replace the document's <%s> element", nf_node_name(cur));
          if (!nf_node_parent(cur) || nf_node_kind_of(nf_node_parent(cur)) != NF_NODE_ELEMENT)
            luaL_error(L, "walk: cannot replace a node that has no parent element");
          nf_lua_check_insertable(L, res_idx, 0);
          nf_nodelist list = {0};
          nf_lua_collect_insertable(L, res_idx, doc, &list);
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
  for (size_t i = 0; hits_idx && i < ws->len; i++) {
    if (!ws->items[i].hit) continue;
    lua_pushboolean(L, 1);
    lua_setfield(L, hits_idx, ws->items[i].key);
  }
  lua_settop(L, 1);
  return 1;
}
