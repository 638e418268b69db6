/* lua_recipe.c: declarative recipes, the table a script may return instead
 * of defining process:
 *
 *   return {
 *     remove = {".share", "aside", "figure.ad"},
 *     keep = {"article .story-body", "h1"},
 *     remove_attrs = {"style", "class", "on*"},
 *     ["a[href^='javascript:']"] = function(n) n:unwrap() end,
 *     process = function(doc, ctx) ... end,
 *   }
 *
 * The steps run in this order on each document:
 *   0. doc.article is computed (and cached) first, so metadata and the
 *      extracted article reflect the original page, not the cleaned one.
 *   1. remove: every element matching any selector is removed (from the
 *      whole document, head included; html/head/body themselves stay).
 *   2. keep: the body is narrowed to the elements matching any selector:
 *      all matches of all selectors, in document order, each once; a match
 *      inside another match comes along with its ancestor. When no selector
 *      matches anything, the body is left as it was and a warning goes
 *      through nf_warn (by default to standard error: "newsform: SOURCE:
 *      recipe keep matched nothing").
 *   3. every other key is a doc:walk handler (tag name, "*", "text" or a
 *      CSS selector → function), run through doc:walk.
 *   4. remove_attrs: the named attributes are removed from every element;
 *      a name ending in '*' is a prefix ("on*", "data-*"). After the
 *      handlers (as calibre strips attributes last), so that a handler
 *      keyed by class or id still sees them.
 *   5. process(doc, ctx), when present, runs last and its result is the
 *      result; without it the cleaned document is the result.
 *
 * Which handlers ran on some node is remembered per recipe table (a weak
 * registry table), so that the command can warn about a handler whose key
 * matched nothing in the whole run (nf_lua_recipe_unmatched).
 *
 * Why remove before keep (calibre runs keep_only_tags first): removal then
 * sees the whole page, so a selector such as "#main .related" still matches
 * content nested in what keep picks, while keep's own selectors rarely
 * depend on things a recipe removes. Either order gives the same result
 * for the usual recipe (keep the story, drop widgets inside it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lua_tree.h"

#define RECORDS_KEY "newsform.recipe_records"

static int is_reserved(const char *k) {
  return !strcmp(k, "keep") || !strcmp(k, "remove") ||
         !strcmp(k, "remove_attrs") || !strcmp(k, "process");
}

/* A key doc:walk takes as a tag name rather than a selector. */
static int is_plain_tag(const char *k) {
  return !strcmp(k, "*") || !strcmp(k, "text") || nf_lua_plain_tag(k);
}

static void check_selector(lua_State *L, const char *key, const char *css) {
  char err[256];
  nf_selector *sel = nf_selector_compile(css, err, sizeof err);
  if (!sel) luaL_error(L, "recipe: bad selector in %s: %s", key, err);
  nf_selector_free(sel);
}

/* The value at the top is a string or a list of non-empty strings. */
static void check_string_list(lua_State *L, const char *key, int selectors) {
  int idx = lua_gettop(L);
  if (lua_type(L, idx) == LUA_TSTRING) {
    if (lua_rawlen(L, idx) == 0) luaL_error(L, "recipe: %s is empty", key);
    if (selectors) check_selector(L, key, lua_tostring(L, idx));
    return;
  }
  if (lua_type(L, idx) != LUA_TTABLE)
    luaL_error(L, "recipe: %s must be a string or a list of strings, not %s",
               key, luaL_typename(L, idx));
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 ||
        lua_tointeger(L, -1) > n)
      luaL_error(L, "recipe: %s must be a list of strings (found key %s)",
                 key, luaL_tolstring(L, -1, NULL));
  }
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, idx, i);
    if (lua_type(L, -1) != LUA_TSTRING || lua_rawlen(L, -1) == 0)
      luaL_error(L, "recipe: %s[%d] must be a non-empty string, not %s", key,
                 (int)i, luaL_typename(L, -1));
    if (selectors) check_selector(L, key, lua_tostring(L, -1));
    lua_pop(L, 1);
  }
}

void nf_lua_check_recipe(lua_State *L, int recipe_idx) {
  recipe_idx = lua_absindex(L, recipe_idx);
  luaL_checktype(L, recipe_idx, LUA_TTABLE);
  int top = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, recipe_idx)) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      const char *type = luaL_typename(L, -2);
      const char *key = luaL_tolstring(L, -2, NULL); /* pushes */
      luaL_error(L,
                 "recipe: unexpected %s key %s (keys are keep, remove, "
                 "remove_attrs, process, or tag names and selectors for "
                 "walk handlers)",
                 type, key);
    }
    const char *k = lua_tostring(L, -2);
    if (!strcmp(k, "keep") || !strcmp(k, "remove")) {
      check_string_list(L, k, 1);
    } else if (!strcmp(k, "remove_attrs")) {
      check_string_list(L, k, 0);
    } else if (!strcmp(k, "process")) {
      if (lua_type(L, -1) != LUA_TFUNCTION)
        luaL_error(L, "recipe: process must be a function, not %s",
                   luaL_typename(L, -1));
    } else {
      if (lua_type(L, -1) != LUA_TFUNCTION)
        luaL_error(L,
                   "recipe: the walk handler '%s' must be a function, not %s "
                   "(known keys: keep, remove, remove_attrs, process)",
                   k, luaL_typename(L, -1));
      if (!is_plain_tag(k)) check_selector(L, k, k);
    }
    lua_settop(L, top + 1); /* keep the key for lua_next */
  }
  lua_settop(L, top);
}

/* Pushes field key of the recipe as a list: a string becomes {string},
 * nil an empty list. */
static void push_list(lua_State *L, int recipe_idx, const char *key) {
  lua_getfield(L, recipe_idx, key);
  if (lua_type(L, -1) == LUA_TSTRING) {
    lua_createtable(L, 1, 0);
    lua_insert(L, -2);
    lua_rawseti(L, -2, 1);
  } else if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_newtable(L);
  }
}

/* Selects css below root into s->nodes; raises (after clearing) on a bad
 * selector. The scratch's __gc frees the list if anything else raises. */
static void select_into(lua_State *L, nf_node *root, const char *css,
                        nf_lua_scratch *s) {
  char err[256];
  if (nf_select_css(root, css, &s->nodes, err, sizeof err) < 0) {
    nf_lua_scratch_clear(s);
    luaL_error(L, "recipe: %s", err);
  }
}

static void step_remove(lua_State *L, int recipe_idx, nf_doc *doc,
                        nf_lua_scratch *s) {
  push_list(L, recipe_idx, "remove");
  int list = lua_gettop(L);
  lua_Integer n = (lua_Integer)lua_rawlen(L, list);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, list, i);
    s->nodes.len = 0;
    select_into(L, nf_doc_root(doc), lua_tostring(L, -1), s);
    lua_pop(L, 1);
    for (size_t j = 0; j < s->nodes.len; j++) {
      nf_node *m = s->nodes.items[j];
      if (!nf_lua_is_skeleton(doc, m) && nf_node_attached(m)) nf_node_unlink(doc, m);
    }
    nf_lua_check_interrupt(L);
  }
  lua_pop(L, 1);
}

static int cmp_ptr(const void *a, const void *b) {
  const void *x = *(const void *const *)a, *y = *(const void *const *)b;
  return x < y ? -1 : x > y;
}

static void step_keep(lua_State *L, int recipe_idx, nf_doc *doc,
                      nf_lua_scratch *s) {
  lua_getfield(L, recipe_idx, "keep");
  int present = !lua_isnil(L, -1);
  lua_pop(L, 1);
  if (!present) return;
  push_list(L, recipe_idx, "keep");
  int list = lua_gettop(L);
  lua_Integer n = (lua_Integer)lua_rawlen(L, list);
  nf_node *body = nf_doc_body(doc);
  s->nodes.len = 0;
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, list, i);
    select_into(L, body, lua_tostring(L, -1), s);
    lua_pop(L, 1);
  }
  if (s->nodes.len == 0) {
    /* Leave the page whole rather than print nothing; say why. */
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (lua_Integer i = 1; i <= n; i++) {
      luaL_addstring(&b, i > 1 ? ", '" : "'");
      lua_rawgeti(L, list, i);
      luaL_addvalue(&b);
      luaL_addchar(&b, '\'');
    }
    luaL_pushresult(&b);
    nf_warn(nf_doc_source(doc),
            "recipe keep matched nothing (%s); the body is left as it was",
            lua_tostring(L, -1));
    lua_pop(L, 2);
    return;
  }
  /* The matches as a sorted set; a walk in document order picks each
   * outermost match once. */
  qsort(s->nodes.items, s->nodes.len, sizeof *s->nodes.items, cmp_ptr);
  s->nodes2.len = 0;
  nf_iter it;
  nf_iter_init(&it, body);
  nf_event ev;
  while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
    nf_node *cur = nf_iter_node(&it);
    if (ev != NF_EV_ENTER || cur == body ||
        nf_node_kind_of(cur) != NF_NODE_ELEMENT)
      continue;
    if (bsearch(&cur, s->nodes.items, s->nodes.len, sizeof *s->nodes.items,
                cmp_ptr)) {
      nf_nodelist_push(&s->nodes2, cur);
      nf_iter_skip_children(&it);
    }
  }
  while (nf_node_first_child(body))
    nf_node_unlink(doc, nf_node_first_child(body));
  for (size_t i = 0; i < s->nodes2.len; i++) {
    nf_node_append(doc, body, nf_node_new_text(doc, "\n"));
    nf_node_append(doc, body, s->nodes2.items[i]);
  }
  nf_node_append(doc, body, nf_node_new_text(doc, "\n"));
  lua_pop(L, 1);
}

static int attr_matches(const char *name, const char *pattern, size_t plen) {
  if (plen > 0 && pattern[plen - 1] == '*')
    return strncasecmp(name, pattern, plen - 1) == 0;
  return strcasecmp(name, pattern) == 0;
}

static void step_remove_attrs(lua_State *L, int recipe_idx, nf_doc *doc) {
  push_list(L, recipe_idx, "remove_attrs");
  int list = lua_gettop(L);
  size_t n = lua_rawlen(L, list);
  if (n == 0) {
    lua_pop(L, 1);
    return;
  }
  /* Borrowed pointers: the recipe table keeps the strings alive. */
  const char **pat = lua_newuserdatauv(L, n * sizeof *pat, 0);
  size_t *plen = lua_newuserdatauv(L, n * sizeof *plen, 0);
  for (size_t i = 0; i < n; i++) {
    lua_rawgeti(L, list, (lua_Integer)i + 1);
    pat[i] = lua_tolstring(L, -1, &plen[i]);
    lua_pop(L, 1);
  }
  nf_iter it;
  nf_iter_init(&it, nf_doc_root(doc));
  unsigned long steps = 0;
  for (nf_node *e; (e = nf_iter_next_element(&it));) {
    if ((++steps & 1023) == 0) nf_lua_check_interrupt(L);
    size_t i = 0;
    const char *name, *value;
    while (nf_node_attr_at(e, i, &name, &value)) {
      int hit = 0;
      for (size_t k = 0; k < n && !hit; k++)
        hit = attr_matches(name, pat[k], plen[k]);
      char copy[256];
      size_t nl = strlen(name);
      if (hit && nl < sizeof copy) {
        memcpy(copy, name, nl + 1); /* name dies with the attribute */
        if (nf_node_set_attr(e, copy, NULL)) continue;
      }
      i++;
    }
  }
  lua_pop(L, 3);
}

/* Pushes the record of the recipe at recipe_idx in this Lua state:
 * {applied = documents walked, hits = {key = true for handlers that ran}}. */
static void push_record(lua_State *L, int recipe_idx) {
  recipe_idx = lua_absindex(L, recipe_idx);
  if (!luaL_getsubtable(L, LUA_REGISTRYINDEX, RECORDS_KEY)) {
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
  }
  lua_pushvalue(L, recipe_idx);
  if (lua_rawget(L, -2) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, 0, 2);
    lua_newtable(L);
    lua_setfield(L, -2, "hits");
    lua_pushinteger(L, 0);
    lua_setfield(L, -2, "applied");
    lua_pushvalue(L, recipe_idx);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
  }
  lua_remove(L, -2);
}

/* recipe_walk(doc, handlers, hits): doc:walk that records the handlers
 * that ran in hits. */
static int recipe_walk(lua_State *L) {
  nf_doc *doc = nf_lua_checkdoc(L, 1);
  return nf_lua_tree_walk(L, 1, nf_doc_root(doc), 2, 3);
}

static void step_walk(lua_State *L, int recipe_idx, int doc_idx) {
  push_record(L, recipe_idx);
  int record = lua_gettop(L);
  lua_getfield(L, record, "applied");
  lua_Integer applied = lua_tointeger(L, -1);
  lua_pop(L, 1);
  lua_pushinteger(L, applied + 1);
  lua_setfield(L, record, "applied");
  lua_newtable(L);
  int handlers = lua_gettop(L);
  int any = 0;
  lua_pushnil(L);
  while (lua_next(L, recipe_idx)) {
    if (lua_type(L, -2) == LUA_TSTRING && !is_reserved(lua_tostring(L, -2))) {
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_rawset(L, handlers);
      any = 1;
    } else {
      lua_pop(L, 1);
    }
  }
  if (any) {
    lua_pushcfunction(L, recipe_walk);
    lua_pushvalue(L, doc_idx);
    lua_pushvalue(L, handlers);
    lua_getfield(L, record, "hits");
    lua_call(L, 3, 0);
  }
  lua_pop(L, 2);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

lua_Integer nf_lua_recipe_unmatched(lua_State *L, int recipe_idx) {
  recipe_idx = lua_absindex(L, recipe_idx);
  push_record(L, recipe_idx);
  int record = lua_gettop(L);
  lua_getfield(L, record, "applied");
  lua_Integer applied = lua_tointeger(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, record, "hits");
  int hits = lua_gettop(L);
  lua_newtable(L);
  int out = lua_gettop(L);
  lua_Integer n = 0;
  lua_pushnil(L);
  while (lua_next(L, recipe_idx)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING || is_reserved(lua_tostring(L, -1))) continue;
    lua_pushvalue(L, -1);
    if (lua_rawget(L, hits) == LUA_TNIL) {
      lua_pushvalue(L, -2);
      lua_rawseti(L, out, ++n);
    }
    lua_pop(L, 1);
  }
  /* Sorted (the keys are anchored by the recipe table meanwhile). */
  const char **keys = lua_newuserdatauv(L, (size_t)n * sizeof *keys + 1, 0);
  for (lua_Integer i = 0; i < n; i++) {
    lua_rawgeti(L, out, i + 1);
    keys[i] = lua_tostring(L, -1);
    lua_pop(L, 1);
  }
  qsort(keys, (size_t)n, sizeof *keys, cmp_str);
  lua_createtable(L, (int)n, 0);
  for (lua_Integer i = 0; i < n; i++) {
    lua_pushstring(L, keys[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_replace(L, record);
  lua_settop(L, record);
  return applied;
}

int nf_lua_apply_recipe(lua_State *L, int recipe_idx, int doc_idx,
                        int ctx_idx) {
  recipe_idx = lua_absindex(L, recipe_idx);
  doc_idx = lua_absindex(L, doc_idx);
  ctx_idx = ctx_idx ? lua_absindex(L, ctx_idx) : 0;
  nf_lua_check_recipe(L, recipe_idx);
  nf_doc *doc = nf_lua_checkdoc(L, doc_idx);

  nf_lua_push_article(L, doc_idx); /* 0: metadata from the original page */
  lua_pop(L, 1);
  doc = nf_lua_checkdoc(L, doc_idx);

  nf_lua_scratch *s = nf_lua_scratch_new(L);
  int scratch = lua_gettop(L);
  step_remove(L, recipe_idx, doc, s);       /* 1 */
  step_keep(L, recipe_idx, doc, s);         /* 2 */
  nf_lua_scratch_clear(s);
  lua_remove(L, scratch);
  step_walk(L, recipe_idx, doc_idx);        /* 3 */
  doc = nf_lua_checkdoc(L, doc_idx);        /* a handler may close it */
  nf_lua_check_interrupt(L);
  step_remove_attrs(L, recipe_idx, doc);    /* 4 */

  if (lua_getfield(L, recipe_idx, "process") == LUA_TFUNCTION) { /* 5 */
    lua_pushvalue(L, doc_idx);
    if (ctx_idx) lua_pushvalue(L, ctx_idx);
    else lua_pushnil(L);
    lua_call(L, 2, 1);
    return 1;
  }
  lua_pop(L, 1);
  lua_pushvalue(L, doc_idx);
  return 1;
}

/* newsform.apply_recipe(doc, recipe [, ctx]) → the recipe's result (the
 * document itself when the recipe has no process). Lets a script apply a
 * recipe table itself, and tests run recipes without the CLI. */
static int l_apply_recipe(lua_State *L) {
  nf_lua_checkdoc(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_argcheck(L, lua_gettop(L) <= 3, 4, "no more arguments expected");
  lua_settop(L, 3);
  return nf_lua_apply_recipe(L, 2, 1, 3);
}

void nf_lua_open_recipe(lua_State *L) {
  lua_pushcfunction(L, l_apply_recipe);
  lua_setfield(L, -2, "apply_recipe");
}
