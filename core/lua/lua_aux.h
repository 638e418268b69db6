/* lua_aux.h: the Lua module's internal header. lua_aux.c is the bottom of
 * the module: every binding file (core/lua/lua_*.c) calls it, it calls
 * none of them. The last sections list what the binding files define for
 * the opener, for higher binding files and for the command. */
#ifndef NF_LUA_AUX_H
#define NF_LUA_AUX_H

#include <lauxlib.h>
#include <lua.h>

#include "newsform.h"

#define NF_DOC_MT "newsform.Document"
#define NF_NODE_MT "newsform.Node"

/* ===== lua_aux.c: documents and nodes ===================================== */

/* User value of a document userdata: a table binding files cache values
 * in (lua_article.c: the article table). */
#define DOC_UV_EXTRA 2

/* Checks that arg idx is an open document; raises otherwise. */
nf_doc *nf_lua_checkdoc(lua_State *L, int idx);
/* lua_doc.c: type ("html", "text", "auto"), encoding and url of the option
 * table at idx (borrowed strings; source NULL), raising on a bad type. */
void nf_lua_parse_opts(lua_State *L, int idx, nf_parse_opts *o);
/* Is the document userdata at idx closed? Raises if idx is no document. */
int nf_lua_doc_closed(lua_State *L, int idx);
/* Checks that arg idx is a node of an open document; raises otherwise.
 * When doc_out is given it receives the node's document. */
nf_node *nf_lua_checknode(lua_State *L, int idx, nf_doc **doc_out);
/* A node or a document (its root element) at idx, else NULL (no raise). */
nf_node *nf_lua_tonode_or_root(lua_State *L, int idx, nf_doc **doc_out);
/* Pushes a new document userdata that takes ownership of doc. */
void nf_lua_pushdoc(lua_State *L, nf_doc *doc);
/* Pushes the handle of node n of the document whose userdata is at doc_idx
 * (the same userdata for the same node every time). n NULL pushes nil. */
void nf_lua_pushnode(lua_State *L, int doc_idx, nf_node *n);
/* Pushes the document userdata of the node at idx. */
void nf_lua_pushdoc_of_node(lua_State *L, int idx);
/* doc:close() and __close: frees the document (deferred when called from a
 * finalizer); its handles raise from then on. */
int nf_lua_doc_close(lua_State *L);
/* Push the metatable of documents / nodes, made on first use. The
 * document's carries the lifetime fields (__gc, __close, __tostring); the
 * binding files add __index, __newindex (and __tostring for nodes). */
void nf_lua_doc_metatable(lua_State *L);
void nf_lua_node_metatable(lua_State *L);
/* Node methods table (in the registry): binding files add methods to it in
 * their nf_lua_open_<part>. Pushes it. */
void nf_lua_push_node_methods(lua_State *L);
/* Document fields table (in the registry): name → function(doc) → value;
 * a higher binding file adds a field (lua_article.c: doc.article) without
 * the document binding calling it. Pushes it. */
void nf_lua_push_doc_fields(lua_State *L);

/* The document's <html>, <head> and <body>: never removed or renamed. */
int nf_lua_is_skeleton(nf_doc *doc, nf_node *n);
/* Raises "cannot WHAT the document's <tag> element" for those three. */
void nf_lua_check_not_skeleton(lua_State *L, nf_doc *doc, nf_node *n, const char *what);
/* A key doc:walk reads as a tag name (letters, digits, '-', '_'), not as
 * a CSS selector. */
int nf_lua_plain_tag(const char *k);

/* ===== lua_aux.c: options, pushes, errors ================================= */

/* Option tables: if arg idx is a table, raise on a key not in `allowed`
 * (NULL-terminated). Returns 1 when idx is a table, 0 when nil/none. */
int nf_lua_checkopts(lua_State *L, int idx, const char *const allowed[]);
/* Field readers for option tables (default when absent). */
int nf_lua_optfield_int(lua_State *L, int idx, const char *k, int def);
int nf_lua_optfield_bool(lua_State *L, int idx, const char *k, int def);
/* Borrowed from the table (valid while the table holds it). */
const char *nf_lua_optfield_string(lua_State *L, int idx, const char *k,
                                   const char *def);

/* Pushes the bytes of b as a string and frees b, also when the push itself
 * fails (a memory error under --max-memory): C memory never leaks through
 * a Lua error. Returns 1. */
int nf_lua_push_buf(lua_State *L, nf_buf *b);
/* The same for a malloc'd NUL-terminated string (NULL pushes nil). */
int nf_lua_push_owned(lua_State *L, char *s);

/* What an iterator of documents yields (bundle:articles(), inputs()):
 * doc, name when rc > 0 (the document becomes the userdata's first, so a
 * failing push cannot leak it), or false, name (or nil), err when rc < 0.
 * Returns the number of values. */
int nf_lua_push_next_doc(lua_State *L, int rc, nf_doc *doc, const char *name,
                         const char *err);
/* Pushes nil, msg and returns 2 (the "fail" convention). */
int nf_lua_fail(lua_State *L, const char *msg);

/* Scratch memory: C lists that live while Lua code may raise (pushing
 * results, calling handlers, the timeout check) sit in a userdata whose
 * __gc frees them, so an error never leaks them. */
typedef struct nf_lua_scratch {
  nf_spanlist spans;
  nf_keywordlist keywords;
  nf_nodelist nodes, nodes2;
  nf_buf buf;
} nf_lua_scratch;
/* Pushes a new, empty scratch userdata and returns it. */
nf_lua_scratch *nf_lua_scratch_new(lua_State *L);
/* Frees what the scratch holds now (it stays usable). */
void nf_lua_scratch_clear(nf_lua_scratch *s);

/* ===== lua_aux.c: limits ================================================== */

/* Limits set by the CLI: checked by long C loops of the module. */
typedef struct nf_lua_limits {
  double deadline;      /* monotonic seconds; 0 = none */
  volatile int expired; /* set once the deadline passed */
  size_t mem_limit;     /* bytes; 0 = none */
  size_t mem_used;
  int mem_exceeded;
} nf_lua_limits;
void nf_lua_set_limits(lua_State *L, nf_lua_limits *lim);
nf_lua_limits *nf_lua_get_limits(lua_State *L);
/* Raises the timeout error when the deadline has passed. Cheap. */
void nf_lua_check_interrupt(lua_State *L);
/* Raises the sentinel timeout error (that the sandbox's pcall re-raises). */
int nf_lua_raise_timeout(lua_State *L);
/* For C loops that hold memory and must not raise (ud: nf_lua_limits *):
 * 1 once the deadline has passed (and marks the limits expired). */
int nf_lua_deadline_passed(void *ud);
double nf_monotonic(void);

/* ===== Binding parts ======================================================
 * Each nf_lua_open_<part> adds its functions to the module table at the top
 * of the stack (and its metatable fields); luaopen_newsform calls them. */
void nf_lua_open_doc(lua_State *L);     /* lua_doc.c */
void nf_lua_open_node(lua_State *L);    /* lua_node.c */
void nf_lua_open_article(lua_State *L); /* lua_article.c */
void nf_lua_open_text(lua_State *L);    /* lua_text.c */
void nf_lua_open_recipe(lua_State *L);  /* lua_recipe.c */
void nf_lua_open_render(lua_State *L);  /* lua_render.c */
void nf_lua_open_json(lua_State *L);    /* lua_json.c */
void nf_lua_open_bundle(lua_State *L);  /* lua_bundle.c */
void nf_lua_open_inputs(lua_State *L);  /* lua_inputs.c */

/* ===== Entry points of binding files, for higher ones and the command ==== */

/* lua_article.c: pushes the cached article table of the document userdata
 * at doc_idx (doc.article). */
void nf_lua_push_article(lua_State *L, int doc_idx);

/* lua_json.c: pushes the value at idx as JSON text, by newsform.json's
 * rules (indent 0: one line). Raises like newsform.json on a value it
 * cannot encode. */
void nf_lua_push_json(lua_State *L, int idx, int indent);

/* lua_recipe.c: applies the declarative recipe table at recipe_idx to the
 * document userdata at doc_idx (remove, keep, walk handlers, remove_attrs,
 * then process(doc, ctx) when present, ctx at ctx_idx). Leaves the result
 * on the stack (the document itself when the recipe has no process) and
 * returns the number of values pushed (1). Raises on error like any Lua
 * function. */
int nf_lua_apply_recipe(lua_State *L, int recipe_idx, int doc_idx, int ctx_idx);
/* lua_recipe.c: pushes a sorted array of the walk handler keys of the
 * recipe at recipe_idx that have run on no node so far in this Lua state,
 * and returns on how many documents the recipe has been applied. */
lua_Integer nf_lua_recipe_unmatched(lua_State *L, int recipe_idx);
/* lua_recipe.c: checks a recipe table at load time; raises with a clear
 * message on an unknown key type or a bad value. */
void nf_lua_check_recipe(lua_State *L, int recipe_idx);

#endif
