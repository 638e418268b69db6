/* lua_aux.h: shared helpers of the Lua binding files (core/lua_*.c). */
#ifndef NF_LUA_AUX_H
#define NF_LUA_AUX_H

#include <lauxlib.h>
#include <lua.h>

#include "newsform.h"

#define NF_DOC_MT "newsform.Document"
#define NF_NODE_MT "newsform.Node"

/* Checks that arg idx is an open document; raises otherwise. */
nf_doc *nf_lua_checkdoc(lua_State *L, int idx);
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

/* Pushes nil, msg and returns 2 (the "fail" convention). */
int nf_lua_fail(lua_State *L, const char *msg);

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
double nf_monotonic(void);

/* Binding parts: each adds its functions to the module table at the top of
 * the stack (and registers its metatables). */
void nf_lua_open_tree(lua_State *L);    /* lua_doc.c, lua_node.c */
void nf_lua_open_render(lua_State *L);  /* lua_render.c */
void nf_lua_open_text(lua_State *L);    /* lua_text.c */
void nf_lua_open_article(lua_State *L); /* lua_article.c */
void nf_lua_open_bundle(lua_State *L);  /* lua_bundle.c */

/* doc.article: pushes the cached article table of the document userdata at
 * doc_idx (lua_article.c). */
void nf_lua_push_article(lua_State *L, int doc_idx);

/* Recipes (lua_recipe.c): applies the declarative recipe table at
 * recipe_idx to the document userdata at doc_idx (keep, remove,
 * remove_attrs, walk handlers, then process(doc, ctx) when present, ctx at
 * ctx_idx). Leaves the result on the stack (the document itself when the
 * recipe has no process) and returns the number of values pushed (1).
 * Raises on error like any Lua function. */
int nf_lua_apply_recipe(lua_State *L, int recipe_idx, int doc_idx, int ctx_idx);
/* Checks a recipe table at load time; raises with a clear message on an
 * unknown key type or a bad value. */
void nf_lua_check_recipe(lua_State *L, int recipe_idx);

/* Node methods table (registry "newsform.Node.methods"): other binding files
 * may add methods to it in their nf_lua_open_<part>. Pushes it. */
void nf_lua_push_node_methods(lua_State *L);

#endif
