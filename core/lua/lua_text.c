/* lua_text.c: newsform.sentences, summary, keywords, retag, normalize and
 * the node methods normalize/retag. Thin over core/text.c and
 * core/normalize.c. */
#include <stdlib.h>
#include <string.h>

#include "lua_aux.h"

/* ===== The text of an argument =========================================== */

/* Pushes the text that arg idx stands for: a string as is; a document's
 * article text (doc.article.text), or its body's paragraphs when the
 * article has no text; a node's paragraphs (nf_text_paragraphs). */
static void push_text_arg(lua_State *L, int idx, nf_lua_scratch *s) {
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) == LUA_TSTRING) {
    lua_pushvalue(L, idx);
    return;
  }
  if (luaL_testudata(L, idx, NF_DOC_MT)) {
    nf_doc *doc = nf_lua_checkdoc(L, idx);
    nf_lua_push_article(L, idx);
    if (lua_type(L, -1) == LUA_TTABLE || lua_type(L, -1) == LUA_TUSERDATA) {
      lua_getfield(L, -1, "text");
      if (lua_type(L, -1) == LUA_TSTRING && lua_rawlen(L, -1) > 0) {
        lua_remove(L, -2);
        return;
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    nf_buf_clear(&s->buf);
    nf_text_paragraphs(nf_doc_body(doc), &s->buf);
    lua_pushlstring(L, s->buf.ptr, s->buf.len);
    nf_buf_clear(&s->buf);
    return;
  }
  if (luaL_testudata(L, idx, NF_NODE_MT)) {
    nf_node *n = nf_lua_checknode(L, idx, NULL);
    nf_buf_clear(&s->buf);
    nf_text_paragraphs(n, &s->buf);
    lua_pushlstring(L, s->buf.ptr, s->buf.len);
    nf_buf_clear(&s->buf);
    return;
  }
  luaL_typeerror(L, idx, "string, document or node");
}

/* Pushes an array of the spans' texts, whitespace squashed. */
static void push_spans(lua_State *L, const char *text, nf_lua_scratch *s) {
  lua_createtable(L, (int)(s->spans.len < 1000 ? s->spans.len : 1000), 0);
  for (size_t i = 0; i < s->spans.len; i++) {
    nf_buf_clear(&s->buf);
    nf_text_squash(text + s->spans.items[i].start, s->spans.items[i].len,
                   &s->buf);
    lua_pushlstring(L, s->buf.ptr, s->buf.len);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  nf_buf_clear(&s->buf);
}

static size_t check_count(lua_State *L, int idx, lua_Integer def) {
  lua_Integer n = luaL_optinteger(L, idx, def);
  luaL_argcheck(L, n >= 0, idx, "must not be negative");
  if (n > 100000) n = 100000;
  return (size_t)n;
}

static const char *const sentences_opts[] = {"running", NULL};

/* newsform.sentences(doc | node | text [, {running = false}]) → array of
 * sentence strings; running: only sentences of running text (what summary
 * picks from) */
static int l_sentences(lua_State *L) {
  luaL_argcheck(L, lua_gettop(L) <= 2, 3, "no more arguments expected");
  luaL_argcheck(L, lua_isnoneornil(L, 2) || lua_istable(L, 2), 2,
                "an option table or no more arguments expected");
  nf_lua_checkopts(L, 2, sentences_opts);
  int running = nf_lua_optfield_bool(L, 2, "running", 0);
  nf_lua_scratch *s = nf_lua_scratch_new(L);
  push_text_arg(L, 1, s);
  size_t len;
  const char *text = lua_tolstring(L, -1, &len);
  if (running) nf_sentences_running(text, len, &s->spans);
  else nf_sentences(text, len, &s->spans);
  push_spans(L, text, s);
  nf_lua_scratch_clear(s);
  return 1;
}

static const char *const summary_opts[] = {"method", NULL};
static const char *const summary_methods[] = {"auto", "lead", "textrank",
                                              NULL};

/* newsform.summary(doc | node | text [, n = 3 [, {method = "auto"}]])
 *   → array of n sentence strings, in text order */
static int l_summary(lua_State *L) {
  size_t n = check_count(L, 2, 3);
  nf_lua_checkopts(L, 3, summary_opts);
  const char *m = nf_lua_optfield_string(L, 3, "method", "auto");
  nf_summary_method method = NF_SUMMARY_AUTO;
  int found = 0;
  for (int i = 0; summary_methods[i]; i++) {
    if (!strcmp(m, summary_methods[i])) {
      method = (nf_summary_method)i; /* same order as the enum */
      found = 1;
    }
  }
  if (!found)
    return luaL_error(L,
                      "bad option method '%s' (expected auto, lead or "
                      "textrank)",
                      m);
  nf_lua_scratch *s = nf_lua_scratch_new(L);
  push_text_arg(L, 1, s);
  size_t len;
  const char *text = lua_tolstring(L, -1, &len);
  nf_summary(text, len, n, method, &s->spans);
  push_spans(L, text, s);
  nf_lua_scratch_clear(s);
  return 1;
}

/* newsform.keywords(doc | node | text [, n = 10]) → array of strings */
static int l_keywords(lua_State *L) {
  size_t n = check_count(L, 2, 10);
  luaL_argcheck(L, lua_gettop(L) <= 2, 3, "no more arguments expected");
  nf_lua_scratch *s = nf_lua_scratch_new(L);
  push_text_arg(L, 1, s);
  size_t len;
  const char *text = lua_tolstring(L, -1, &len);
  nf_keywords(text, len, n, &s->keywords);
  lua_createtable(L, (int)s->keywords.len, 0);
  for (size_t i = 0; i < s->keywords.len; i++) {
    lua_pushstring(L, s->keywords.items[i].phrase);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  nf_lua_scratch_clear(s);
  return 1;
}

/* ===== Retag ============================================================== */

/* Letters, digits, '-', '_', ':' and '.', starting with a letter. */
static int valid_tag(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > 64) return 0;
  if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
    return 0;
  for (size_t i = 1; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':' ||
          c == '.'))
      return 0;
  }
  return 1;
}

/* retag(target, map): target at 1 (node or document), map at 2. Values are
 * tag names or functions(node) → tag name | nil. Returns the count. */
static int do_retag(lua_State *L) {
  nf_doc *doc;
  nf_node *root = nf_lua_tonode_or_root(L, 1, &doc);
  if (!root) return luaL_typeerror(L, 1, "node or document");
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_argcheck(L, lua_gettop(L) <= 2, 3, "no more arguments expected");
  /* A lower-cased copy of the map, checked before anything changes. */
  lua_newtable(L);
  int map = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    if (lua_type(L, -2) != LUA_TSTRING)
      return luaL_error(L, "retag: map keys must be tag names, not %s",
                        luaL_typename(L, -2));
    int vt = lua_type(L, -1);
    if (vt != LUA_TSTRING && vt != LUA_TFUNCTION)
      return luaL_error(L,
                        "retag: the value for '%s' must be a tag name or a "
                        "function, not %s",
                        lua_tostring(L, -2), luaL_typename(L, -1));
    if (vt == LUA_TSTRING && !valid_tag(lua_tostring(L, -1)))
      return luaL_error(L, "retag: invalid tag name '%s'",
                        lua_tostring(L, -1));
    size_t kl;
    const char *k = lua_tolstring(L, -2, &kl); /* a string: no conversion */
    luaL_Buffer b;
    char *p = luaL_buffinitsize(L, &b, kl);
    for (size_t i = 0; i < kl; i++)
      p[i] = (char)((k[i] >= 'A' && k[i] <= 'Z') ? k[i] + 32 : k[i]);
    luaL_pushresultsize(&b, kl);
    lua_pushvalue(L, -2);
    lua_rawset(L, map);
    lua_pop(L, 1);
  }
  /* Snapshot the elements first: handlers may change the tree. */
  if (luaL_testudata(L, 1, NF_DOC_MT)) lua_pushvalue(L, 1);
  else nf_lua_pushdoc_of_node(L, 1);
  int doc_idx = lua_gettop(L);
  lua_newtable(L);
  int list = lua_gettop(L);
  lua_Integer count = 0;
  nf_iter it;
  nf_iter_init(&it, root);
  for (nf_node *n; (n = nf_iter_next_element(&it));) {
    lua_pushstring(L, nf_node_name(n)); /* raw: no metamethod runs mid-walk */
    lua_rawget(L, map);
    int has = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (!has) continue;
    nf_lua_pushnode(L, doc_idx, n);
    lua_rawseti(L, list, ++count);
    if ((count & 1023) == 0) nf_lua_check_interrupt(L);
  }
  lua_Integer renamed = 0;
  for (lua_Integer i = 1; i <= count; i++) {
    if ((i & 255) == 0) nf_lua_check_interrupt(L);
    lua_rawgeti(L, list, i);
    int node_idx = lua_gettop(L);
    nf_node *n = nf_lua_checknode(L, node_idx, &doc);
    if (nf_node_kind_of(n) != NF_NODE_ELEMENT) {
      lua_settop(L, list);
      continue;
    }
    lua_pushstring(L, nf_node_name(n)); /* raw: no metamethod runs mid-walk */
    lua_rawget(L, map);
    if (lua_type(L, -1) == LUA_TFUNCTION) {
      lua_pushvalue(L, node_idx);
      lua_call(L, 1, 1);
      doc = NULL;
      n = nf_lua_checknode(L, node_idx, &doc); /* still open? */
      int rt = lua_type(L, -1);
      if (rt != LUA_TNIL && rt != LUA_TSTRING &&
          !(rt == LUA_TBOOLEAN && !lua_toboolean(L, -1)))
        return luaL_error(L,
                          "retag: a function must return a tag name or nil, "
                          "not %s",
                          luaL_typename(L, -1));
    }
    if (lua_type(L, -1) == LUA_TSTRING) {
      const char *to = lua_tostring(L, -1);
      if (strcmp(to, nf_node_name(n)) != 0) {
        if (nf_lua_is_skeleton(doc, n))
          return luaL_error(L, "retag: cannot rename the document's <%s> "
                               "element", nf_node_name(n));
        if (!nf_node_set_name(n, to))
          return luaL_error(L, "retag: invalid tag name '%s'", to);
        renamed++;
      }
    }
    lua_settop(L, list);
  }
  lua_pushinteger(L, renamed);
  return 1;
}

/* newsform.retag(node | doc, map) → number renamed */
static int l_retag(lua_State *L) { return do_retag(L); }

/* ===== Normalize ========================================================== */

static const char *const normalize_opts[] = {"keep_attrs", NULL};

/* normalize(target [, {keep_attrs = {...}}]) → target. A document
 * normalizes its body. */
static int do_normalize(lua_State *L) {
  nf_doc *doc;
  nf_node *root;
  if (luaL_testudata(L, 1, NF_DOC_MT)) {
    doc = nf_lua_checkdoc(L, 1);
    root = nf_doc_body(doc);
  } else if (luaL_testudata(L, 1, NF_NODE_MT)) {
    root = nf_lua_checknode(L, 1, &doc);
  } else {
    return luaL_typeerror(L, 1, "node or document");
  }
  luaL_argcheck(L, lua_gettop(L) <= 2, 3, "no more arguments expected");
  nf_lua_checkopts(L, 2, normalize_opts);
  nf_normalize_opts o = {NULL, 0};
  if (lua_istable(L, 2)) {
    lua_getfield(L, 2, "keep_attrs");
    int keep = lua_gettop(L);
    if (lua_type(L, keep) == LUA_TSTRING) {
      lua_createtable(L, 1, 0);
      lua_pushvalue(L, keep);
      lua_rawseti(L, -2, 1);
      lua_replace(L, keep);
    }
    if (lua_istable(L, keep)) {
      lua_Integer n = luaL_len(L, keep);
      if (n < 0 || n > 10000)
        return luaL_error(L, "option 'keep_attrs' is too long");
      /* Pointers into strings the option table keeps alive. */
      const char **names =
          lua_newuserdatauv(L, ((size_t)n + 1) * sizeof *names, 0);
      for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, keep, i);
        if (lua_type(L, -1) != LUA_TSTRING)
          return luaL_error(L, "option 'keep_attrs' must be a list of "
                               "attribute names");
        names[i - 1] = lua_tostring(L, -1);
        lua_pop(L, 1);
      }
      o.keep_attrs = names;
      o.keep_attrs_len = (size_t)n;
    } else if (!lua_isnil(L, keep)) {
      return luaL_error(L, "option 'keep_attrs' must be a list of attribute "
                           "names");
    }
  }
  /* Reading the options may have run metamethods (which can close the
   * document): fetch the target again. */
  if (luaL_testudata(L, 1, NF_DOC_MT)) {
    doc = nf_lua_checkdoc(L, 1);
    root = nf_doc_body(doc);
  } else {
    root = nf_lua_checknode(L, 1, &doc);
  }
  if (nf_node_kind_of(root) == NF_NODE_ELEMENT) nf_normalize(doc, root, &o);
  lua_pushvalue(L, 1);
  return 1;
}

static int l_normalize(lua_State *L) { return do_normalize(L); }

static const luaL_Reg text_funcs[] = {
    {"sentences", l_sentences}, {"summary", l_summary},
    {"keywords", l_keywords},   {"retag", l_retag},
    {"normalize", l_normalize}, {NULL, NULL}};

void nf_lua_open_text(lua_State *L) {
  luaL_setfuncs(L, text_funcs, 0);
  /* node:normalize([opts]) and node:retag(map) */
  nf_lua_push_node_methods(L);
  lua_pushcfunction(L, do_normalize);
  lua_setfield(L, -2, "normalize");
  lua_pushcfunction(L, do_retag);
  lua_setfield(L, -2, "retag");
  lua_pop(L, 1);
}
