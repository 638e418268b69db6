/* lua_article.c: doc.article and newsform.extract(doc). Above the document
 * binding: doc.article is a field this file registers in the document
 * fields table (lua_aux.c), so lua_doc.c never calls it.
 * The article is computed once per document (nf_article_extract caches it
 * on the nf_doc) and its Lua table once per document userdata (kept in the
 * userdata's "extra" user value), so doc.article == doc.article. */
#include <string.h>

#include "lua_aux.h"

static void set_string(lua_State *L, const char *key, const char *value) {
  if (!value) return; /* absent fields stay nil */
  lua_pushstring(L, value);
  lua_setfield(L, -2, key);
}

static void set_array(lua_State *L, const char *key, const nf_pathlist *list) {
  lua_createtable(L, (int)list->len, 0);
  for (size_t i = 0; i < list->len; i++) {
    lua_pushstring(L, list->items[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, key);
}

static void set_image(lua_State *L, const nf_article_image *img) {
  if (!img->url) return;
  lua_createtable(L, 0, 4);
  set_string(L, "url", img->url);
  set_string(L, "caption", img->caption);
  set_string(L, "credit", img->credit);
  set_string(L, "alt", img->alt);
  lua_setfield(L, -2, "image");
}

/* Builds the article table of the document userdata at doc_idx. */
static void build_article(lua_State *L, int doc_idx, nf_doc *doc) {
  nf_article *a = nf_article_extract(doc);
  lua_createtable(L, 0, 18);
  set_string(L, "title", a->title);
  set_string(L, "byline", a->byline);
  set_array(L, "authors", &a->authors);
  set_string(L, "published", a->published);
  set_string(L, "modified", a->modified);
  set_string(L, "description", a->description);
  set_string(L, "site_name", a->site_name);
  set_string(L, "lang", a->lang);
  set_string(L, "dir", a->dir);
  set_string(L, "url", a->url);
  set_image(L, &a->image);
  set_array(L, "tags", &a->tags);
  if (a->body) {
    nf_lua_pushnode(L, doc_idx, a->body);
    lua_setfield(L, -2, "body");
  }
  set_string(L, "text", a->text ? a->text : "");
  lua_pushinteger(L, (lua_Integer)a->word_count);
  lua_setfield(L, -2, "word_count");
  lua_pushinteger(L, a->reading_time);
  lua_setfield(L, -2, "reading_time");
  set_string(L, "source", a->source == NF_ARTICLE_WHOLE ? "whole" : "content");
}

void nf_lua_push_article(lua_State *L, int doc_idx) {
  doc_idx = lua_absindex(L, doc_idx);
  nf_doc *doc = nf_lua_checkdoc(L, doc_idx);
  lua_getiuservalue(L, doc_idx, DOC_UV_EXTRA);
  if (lua_getfield(L, -1, "article") == LUA_TTABLE) {
    lua_remove(L, -2);
    return;
  }
  lua_pop(L, 1);
  build_article(L, doc_idx, doc);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "article");
  lua_remove(L, -2);
}

/* newsform.extract(doc) → the same table as doc.article. */
static int l_extract(lua_State *L) {
  nf_lua_checkdoc(L, 1);
  luaL_argcheck(L, lua_gettop(L) == 1, 2, "no value expected");
  nf_lua_push_article(L, 1);
  return 1;
}

/* doc.article: the document fields table calls it with the document. */
static int doc_article(lua_State *L) {
  nf_lua_push_article(L, 1);
  return 1;
}

void nf_lua_open_article(lua_State *L) {
  nf_lua_push_doc_fields(L);
  lua_pushcfunction(L, doc_article);
  lua_setfield(L, -2, "article");
  lua_pop(L, 1);
  lua_pushcfunction(L, l_extract);
  lua_setfield(L, -2, "extract");
}
