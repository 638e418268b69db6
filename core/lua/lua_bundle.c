/* lua_bundle.c: newsform.bundle.open and the "newsform.Bundle" type.
 *
 *   local b <close> = newsform.bundle.open("out.zip", "w" [, opts])
 *   b:add(name, data [, {mtime=, compress=, source=, title=, published=}])
 *   b:add_article(doc_or_table)     b:add_resource(name, bytes [, type])
 *   b:close()  --> true | nil, msg (idempotent)
 *   for entry in newsform.bundle.open("x.tar.gz"):entries() do
 *     print(entry.name, entry.size, #entry:read())
 *   end
 *   for doc, name, err in newsform.bundle.open("x.epub"):articles() do
 *     -- doc: the article's document (false, name, err when it is bad)
 *   end
 *
 * Misuse raises (bad names, duplicates, unknown options, a closed bundle);
 * the environment's failures return nil, msg (cannot create, write error);
 * a corrupt bundle raises while iterating, like a read error. A writer that
 * is garbage collected without close is aborted (its temporary file
 * removed) with a warning; __close commits unless the block raised. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_aux.h"

#define BUNDLE_MT "newsform.Bundle"
#define ENTRY_MT "newsform.BundleEntry"
#define MAX_COVER ((size_t)64 << 20)

typedef struct lbundle {
  nf_bundle *w;           /* writer, NULL when closed */
  nf_bundle_reader *r;    /* reader, NULL when closed */
  nf_bundle_articles *arts; /* articles(): the listing being walked */
  nf_bundle_format rformat; /* the reader's format, for articles() */
  size_t rmax;            /* its max_entry_size */
  int writing;
  size_t current;         /* index + 1 of the current entry, 0 before */
  char *path;
} lbundle;

typedef struct lentry {
  size_t seq;             /* the bundle's current at creation */
} lentry;

static lbundle *tobundle(lua_State *L, int idx) {
  return luaL_checkudata(L, idx, BUNDLE_MT);
}

static lbundle *checkwriter(lua_State *L, int idx) {
  lbundle *b = tobundle(L, idx);
  if (!b->writing) luaL_error(L, "bundle is open for reading, not writing");
  if (!b->w) luaL_error(L, "attempt to use a closed bundle");
  return b;
}

/* A time given as Unix seconds or as an ISO 8601 string. */
static long long opt_time(lua_State *L, int idx, const char *key) {
  long long t = 0;
  if (lua_getfield(L, idx, key) == LUA_TNUMBER) {
    t = (long long)lua_tointeger(L, -1);
    if (t <= 0) t = 1;  /* 0 would mean "default" below */
  } else if (lua_type(L, -1) == LUA_TSTRING) {
    t = nf_bundle_parse_time(lua_tostring(L, -1));
    if (t < 0) luaL_error(L, "bad option %s '%s' (expected an ISO 8601 date or "
                          "Unix seconds)", key, lua_tostring(L, -1));
    if (t == 0) t = 1;
  } else if (!lua_isnil(L, -1)) {
    luaL_error(L, "bad option %s (expected a number or a date string)", key);
  }
  lua_pop(L, 1);
  return t;
}

/* Reads a whole (small) file; NULL with err set. */
static char *slurp(const char *path, size_t max, size_t *len, char *err,
                   size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return NULL;
  }
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    nf_buf_put(&b, chunk, n);
    if (b.len > max) break;
  }
  int bad = ferror(f) || b.len > max;
  fclose(f);
  if (bad) {
    snprintf(err, errlen, "%s: %s", path,
             b.len > max ? "file too large" : "read error");
    nf_buf_free(&b);
    return NULL;
  }
  *len = b.len;
  return nf_buf_detach(&b);
}

/* ===== open ============================================================ */

static const char *const write_opts[] = {
    "title", "language", "author", "cover", "mtime", "identifier", "level",
    "manifest", "zip64", "format", NULL};
static const char *const read_opts[] = {"max_entry_size", "format", NULL};

static nf_bundle_format format_opt(lua_State *L, int idx) {
  const char *f = nf_lua_optfield_string(L, idx, "format", NULL);
  if (!f) return NF_BUNDLE_UNKNOWN;
  nf_bundle_format fmt = nf_bundle_format_named(f);
  if (fmt != NF_BUNDLE_UNKNOWN) return fmt;
  luaL_error(L, "bad option format '%s' (expected tar.gz, zip, epub, "
             "jsonl.gz or dir)", f);
  return NF_BUNDLE_UNKNOWN;
}

static int l_open(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  static const char *const modes[] = {"r", "w", NULL};
  int writing = luaL_checkoption(L, 2, "r", modes);
  int has_opts = nf_lua_checkopts(L, 3, writing ? write_opts : read_opts);
  if (lua_gettop(L) > 3) return luaL_error(L, "too many arguments to 'open'");
  /* the userdata first, closed: __gc copes with any later failure */
  lbundle *b = lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, BUNDLE_MT);
  b->writing = writing;
  char err[1024];
  if (!writing) {
    size_t max = 0;
    nf_bundle_format f = NF_BUNDLE_UNKNOWN;
    if (has_opts) {
      long long m = nf_lua_optfield_int(L, 3, "max_entry_size", 0);
      if (m < 0) return luaL_error(L, "bad option max_entry_size (negative)");
      max = (size_t)m;
      f = format_opt(L, 3);
    }
    b->r = nf_bundle_open(path, f, max, err, sizeof err);
    if (!b->r) return nf_lua_fail(L, err);
    b->rformat = nf_bundle_reader_format(b->r);
    b->rmax = max;
    b->path = nf_xstrdup(path);
    return 1;
  }
  nf_bundle_opts o;
  memset(&o, 0, sizeof o);
  char *cover = NULL;
  if (has_opts) {
    o.title = nf_lua_optfield_string(L, 3, "title", NULL);
    o.language = nf_lua_optfield_string(L, 3, "language", NULL);
    o.author = nf_lua_optfield_string(L, 3, "author", NULL);
    o.identifier = nf_lua_optfield_string(L, 3, "identifier", NULL);
    o.level = nf_lua_optfield_int(L, 3, "level", 0);
    if (o.level < 0 || o.level > 9)
      return luaL_error(L, "bad option level %d (expected 1..9)", o.level);
    o.no_manifest = !nf_lua_optfield_bool(L, 3, "manifest", 1);
    o.zip64 = nf_lua_optfield_bool(L, 3, "zip64", 0);
    o.mtime = opt_time(L, 3, "mtime");
    o.format = format_opt(L, 3);
    const char *cover_path = nf_lua_optfield_string(L, 3, "cover", NULL);
    if (cover_path) {
      cover = slurp(cover_path, MAX_COVER, &o.cover_len, err, sizeof err);
      if (!cover) return nf_lua_fail(L, err);
      o.cover = cover;
    }
  }
  b->w = nf_bundle_create(path, &o, err, sizeof err);
  free(cover);
  if (!b->w) return nf_lua_fail(L, err);
  b->path = nf_xstrdup(path);
  return 1;
}

/* ===== writing ========================================================= */

/* The result of a writer call: true, or nil + msg for a write failure
 * (sticky), or a raise for misuse. */
static int add_result(lua_State *L, lbundle *b, int rc, const char *err) {
  if (rc == 0) {
    lua_pushboolean(L, 1);
    return 1;
  }
  if (nf_bundle_failed(b->w)) return nf_lua_fail(L, err);
  return luaL_error(L, "%s", err);
}

static const char *const add_opts[] = {"mtime", "compress", "source", "title",
                                       "published", NULL};

static int b_add(lua_State *L) {
  lbundle *b = checkwriter(L, 1);
  const char *name = luaL_checkstring(L, 2);
  size_t len;
  const char *data = luaL_checklstring(L, 3, &len);
  nf_bundle_meta m;
  memset(&m, 0, sizeof m);
  if (nf_lua_checkopts(L, 4, add_opts)) {
    m.mtime = opt_time(L, 4, "mtime");
    m.store = !nf_lua_optfield_bool(L, 4, "compress", 1);
    m.source = nf_lua_optfield_string(L, 4, "source", NULL);
    m.title = nf_lua_optfield_string(L, 4, "title", NULL);
    m.published = nf_lua_optfield_string(L, 4, "published", NULL);
  }
  if (lua_gettop(L) > 4) return luaL_error(L, "too many arguments to 'add'");
  char err[1024];
  int rc = nf_bundle_add(b->w, name, data, len, &m, err, sizeof err);
  return add_result(L, b, rc, err);
}

static const char *const article_keys[] = {
    "title", "author", "html", "body", "text", "date", "published", "section",
    "summary", "url", "source", "lang", NULL};

static int b_add_article(lua_State *L) {
  lbundle *b = checkwriter(L, 1);
  if (lua_gettop(L) > 2)
    return luaL_error(L, "too many arguments to 'add_article'");
  nf_bundle_article a;
  memset(&a, 0, sizeof a);
  char *doc_title = NULL;
  if (lua_istable(L, 2)) {
    nf_lua_checkopts(L, 2, article_keys);
    a.title = nf_lua_optfield_string(L, 2, "title", NULL);
    a.author = nf_lua_optfield_string(L, 2, "author", NULL);
    a.published = nf_lua_optfield_string(L, 2, "published", NULL);
    if (!a.published) a.published = nf_lua_optfield_string(L, 2, "date", NULL);
    a.section = nf_lua_optfield_string(L, 2, "section", NULL);
    a.summary = nf_lua_optfield_string(L, 2, "summary", NULL);
    a.url = nf_lua_optfield_string(L, 2, "url", NULL);
    a.source = nf_lua_optfield_string(L, 2, "source", NULL);
    a.lang = nf_lua_optfield_string(L, 2, "lang", NULL);
    a.text = nf_lua_optfield_string(L, 2, "text", NULL);
    size_t hlen = 0;
    if (lua_getfield(L, 2, "html") == LUA_TSTRING) {
      a.html = lua_tolstring(L, -1, &hlen);
      a.html_len = hlen;
    } else if (!lua_isnil(L, -1)) {
      return luaL_error(L, "bad field html (expected a string)");
    }
    lua_pop(L, 1);
    /* body: HTML text, a node or a document (kept on the stack) */
    int t = lua_getfield(L, 2, "body");
    if (t == LUA_TSTRING) {
      a.html = lua_tolstring(L, -1, &hlen);
      a.html_len = hlen;
    } else if (t != LUA_TNIL) {
      nf_node *n = nf_lua_tonode_or_root(L, lua_gettop(L), NULL);
      if (!n) return luaL_error(L, "bad field body (expected HTML text, a node "
                                   "or a document)");
      a.body = n;
    }
    if (!a.html && !a.body && !a.text)
      return luaL_error(L, "article table needs html, body or text");
    if (a.html && !a.html_len) a.html = "";
  } else if (luaL_testudata(L, 2, NF_DOC_MT)) {
    nf_bundle_article *art = nf_bundle_article_new(nf_lua_checkdoc(L, 2), NULL);
    char err[1024];
    int rc = nf_bundle_add_article(b->w, art, err, sizeof err);
    nf_bundle_article_free(art);
    return add_result(L, b, rc, err);
  } else {
    nf_doc *owner = NULL;
    nf_node *n = nf_lua_tonode_or_root(L, 2, &owner);
    if (!n) return luaL_argerror(L, 2, "expected a document, a node or a table");
    a.body = n;
    a.source = nf_doc_source(owner);
    a.title = doc_title = nf_doc_title(owner);
  }
  char err[1024];
  int rc = nf_bundle_add_article(b->w, &a, err, sizeof err);
  free(doc_title);
  return add_result(L, b, rc, err);
}

static int b_add_resource(lua_State *L) {
  lbundle *b = checkwriter(L, 1);
  const char *name = luaL_checkstring(L, 2);
  size_t len;
  const char *data = luaL_checklstring(L, 3, &len);
  const char *type = luaL_optstring(L, 4, NULL);
  if (lua_gettop(L) > 4)
    return luaL_error(L, "too many arguments to 'add_resource'");
  char err[1024];
  int rc = nf_bundle_add_resource(b->w, name, data, len, type, err, sizeof err);
  return add_result(L, b, rc, err);
}

static int b_add_failure(lua_State *L) {
  lbundle *b = checkwriter(L, 1);
  const char *source = luaL_checkstring(L, 2);
  const char *msg = luaL_checkstring(L, 3);
  nf_bundle_add_failure(b->w, source, msg);
  return 0;
}

static int b_safe_name(lua_State *L) {
  lbundle *b = checkwriter(L, 1);
  const char *hint = luaL_checkstring(L, 2);
  const char *ext = luaL_optstring(L, 3, NULL);
  char *s = nf_bundle_safe_name(b->w, hint, ext);
  lua_pushstring(L, s);
  free(s);
  return 1;
}

/* Frees the reading side and commits the writer: 0, or -1 with err. */
static int finish(lbundle *b, char *err, size_t errlen) {
  if (b->r) {
    nf_bundle_reader_free(b->r);
    b->r = NULL;
  }
  nf_bundle_articles_free(b->arts);
  b->arts = NULL;
  nf_bundle *w = b->w;
  b->w = NULL;
  return w ? nf_bundle_close(w, err, errlen) : 0;
}

static int b_close(lua_State *L) {
  lbundle *b = tobundle(L, 1);
  char err[1024];
  if (finish(b, err, sizeof err) < 0) return nf_lua_fail(L, err);
  lua_pushboolean(L, 1);
  return 1;
}

/* to-be-closed: commit on a normal exit, abort when the block raised */
static int b_tbc(lua_State *L) {
  lbundle *b = tobundle(L, 1);
  if (b->w && !lua_isnil(L, 2)) {
    nf_bundle_abort(b->w);
    b->w = NULL;
    return 0;
  }
  char err[1024];
  if (finish(b, err, sizeof err) < 0) return luaL_error(L, "%s", err);
  return 0;
}

static int b_gc(lua_State *L) {
  lbundle *b = tobundle(L, 1);
  if (b->w) {
    lua_warning(L, "newsform: bundle ", 1);
    lua_warning(L, b->path ? b->path : "?", 1);
    lua_warning(L, " was never closed: discarded", 0);
    nf_bundle_abort(b->w);
    b->w = NULL;
  }
  if (b->r) {
    nf_bundle_reader_free(b->r);
    b->r = NULL;
  }
  nf_bundle_articles_free(b->arts);
  b->arts = NULL;
  free(b->path);
  b->path = NULL;
  return 0;
}

static int b_tostring(lua_State *L) {
  lbundle *b = tobundle(L, 1);
  if (!b->w && !b->r)
    lua_pushliteral(L, "newsform.Bundle (closed)");
  else
    lua_pushfstring(L, "newsform.Bundle (%s, %s)", b->path,
                    b->writing ? "w" : "r");
  return 1;
}

/* ===== reading ========================================================= */

static lbundle *checkreader(lua_State *L, int idx) {
  lbundle *b = tobundle(L, idx);
  if (b->writing) luaL_error(L, "bundle is open for writing, not reading");
  if (!b->r) luaL_error(L, "attempt to use a closed bundle");
  return b;
}

static const char *type_name(nf_entry_type t) {
  switch (t) {
  case NF_ENTRY_DIR: return "dir";
  case NF_ENTRY_LINK: return "link";
  case NF_ENTRY_OTHER: return "other";
  default: return "file";
  }
}

/* upvalue 1: the bundle. Returns the next entry, or nil at the end. */
static int entries_iter(lua_State *L) {
  lbundle *b = checkreader(L, lua_upvalueindex(1));
  nf_bundle_entry e;
  char err[1024];
  int rc = nf_bundle_next(b->r, &e, err, sizeof err);
  if (rc < 0) return luaL_error(L, "%s", err);
  if (rc == 0) {
    b->current = 0;
    lua_pushnil(L);
    return 1;
  }
  b->current = e.index + 1;
  lentry *le = lua_newuserdatauv(L, sizeof *le, 2);
  le->seq = b->current;
  luaL_setmetatable(L, ENTRY_MT);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_setiuservalue(L, -2, 1);
  lua_createtable(L, 0, 5);
  lua_pushstring(L, e.name);
  lua_setfield(L, -2, "name");
  lua_pushinteger(L, (lua_Integer)e.size);
  lua_setfield(L, -2, "size");
  lua_pushinteger(L, (lua_Integer)e.mtime);
  lua_setfield(L, -2, "mtime");
  lua_pushstring(L, type_name(e.type));
  lua_setfield(L, -2, "type");
  lua_pushinteger(L, (lua_Integer)e.index + 1);
  lua_setfield(L, -2, "index");
  lua_setiuservalue(L, -2, 2);
  return 1;
}

static int b_entries(lua_State *L) {
  checkreader(L, 1);
  /* one pass: a second entries() goes on where the first stopped */
  lua_pushvalue(L, 1);
  lua_pushcclosure(L, entries_iter, 1);
  return 1;
}

/* upvalue 1: the bundle. The next article: doc, name; false, name, msg
 * for an article that cannot be read or parsed; nil at the end. */
static int articles_iter(lua_State *L) {
  lbundle *b = checkreader(L, lua_upvalueindex(1));
  if (!b->arts) {
    lua_pushnil(L);
    return 1;
  }
  nf_doc *doc;
  const char *name;
  char err[1024];
  int rc = nf_bundle_articles_next(b->arts, NULL, &doc, &name, err,
                                   sizeof err);
  if (rc == 0) {
    nf_bundle_articles_free(b->arts);
    b->arts = NULL;
    lua_pushnil(L);
    return 1;
  }
  return nf_lua_push_next_doc(L, rc, doc, name, err);
}

static int b_articles(lua_State *L) {
  lbundle *b = checkreader(L, 1);
  if (lua_gettop(L) > 1)
    return luaL_error(L, "too many arguments to 'articles'");
  /* a fresh listing: every articles() starts from the first article */
  nf_bundle_articles_free(b->arts);
  char err[1024];
  b->arts = nf_bundle_articles_open(b->path, b->rformat, b->rmax, err,
                                    sizeof err);
  if (!b->arts) return luaL_error(L, "%s", err);
  lua_pushvalue(L, 1);
  lua_pushcclosure(L, articles_iter, 1);
  return 1;
}

static int b_format(lua_State *L) {
  lbundle *b = tobundle(L, 1);
  if (b->r) lua_pushstring(L, nf_bundle_format_name(nf_bundle_reader_format(b->r)));
  else if (b->w) lua_pushstring(L, nf_bundle_format_name(nf_bundle_format_get(b->w)));
  else return luaL_error(L, "attempt to use a closed bundle");
  return 1;
}

static int e_read(lua_State *L) {
  lentry *le = luaL_checkudata(L, 1, ENTRY_MT);
  lua_getiuservalue(L, 1, 1);
  lbundle *b = checkreader(L, -1);
  if (b->current != le->seq)
    return luaL_error(L, "entry is no longer current (read it inside the loop)");
  nf_buf out = NF_BUF_INIT;
  nf_buf_init(&out);
  char err[1024];
  if (nf_bundle_read(b->r, &out, err, sizeof err) < 0) {
    nf_buf_free(&out);
    return luaL_error(L, "%s", err);
  }
  return nf_lua_push_buf(L, &out);
}

static int e_index(lua_State *L) {
  luaL_checkudata(L, 1, ENTRY_MT);
  const char *k = luaL_checkstring(L, 2);
  if (strcmp(k, "read") == 0) {
    lua_pushcfunction(L, e_read);
    return 1;
  }
  lua_getiuservalue(L, 1, 2);
  lua_getfield(L, -1, k);
  return 1;
}

static int e_tostring(lua_State *L) {
  luaL_checkudata(L, 1, ENTRY_MT);
  lua_getiuservalue(L, 1, 2);
  lua_getfield(L, -1, "name");
  lua_pushfstring(L, "newsform.BundleEntry (%s)", lua_tostring(L, -1));
  return 1;
}

/* Records the reader passed over so far (a web archive's: "redirect",
 * "not HTML"...), as {reason = count}; only reasons that counted. */
static int b_skips(lua_State *L) {
  lbundle *b = checkreader(L, 1);
  const char *const *reasons;
  const unsigned long long *counts;
  size_t n = nf_bundle_reader_skips(b->r, &reasons, &counts);
  lua_createtable(L, 0, (int)n);
  for (size_t i = 0; i < n; i++) {
    if (!counts[i]) continue;
    lua_pushinteger(L, (lua_Integer)counts[i]);
    lua_setfield(L, -2, reasons[i]);
  }
  return 1;
}

static const luaL_Reg bundle_methods[] = {
    {"skips", b_skips},
    {"add", b_add},
    {"add_article", b_add_article},
    {"add_resource", b_add_resource},
    {"add_failure", b_add_failure},
    {"safe_name", b_safe_name},
    {"close", b_close},
    {"entries", b_entries},
    {"articles", b_articles},
    {"format", b_format},
    {NULL, NULL}};

static const luaL_Reg bundle_meta[] = {
    {"__gc", b_gc}, {"__close", b_tbc}, {"__tostring", b_tostring},
    {NULL, NULL}};

static const luaL_Reg entry_meta[] = {
    {"__index", e_index}, {"__tostring", e_tostring}, {NULL, NULL}};

static int l_safe_name(lua_State *L) {
  const char *hint = luaL_checkstring(L, 1);
  const char *ext = luaL_optstring(L, 2, NULL);
  char *s = nf_bundle_safe_name(NULL, hint, ext);
  lua_pushstring(L, s);
  free(s);
  return 1;
}

void nf_lua_open_bundle(lua_State *L) {
  luaL_newmetatable(L, BUNDLE_MT);
  luaL_setfuncs(L, bundle_meta, 0);
  luaL_newlib(L, bundle_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newmetatable(L, ENTRY_MT);
  luaL_setfuncs(L, entry_meta, 0);
  lua_pop(L, 1);
  lua_createtable(L, 0, 2);
  lua_pushcfunction(L, l_open);
  lua_setfield(L, -2, "open");
  lua_pushcfunction(L, l_safe_name);
  lua_setfield(L, -2, "safe_name");
  lua_setfield(L, -2, "bundle");
}
