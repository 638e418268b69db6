/* lua_tree.h: internals shared by lua_doc.c and lua_node.c. */
#ifndef NF_LUA_TREE_H
#define NF_LUA_TREE_H
#include "lua_aux.h"

typedef struct nf_lua_doc {
  nf_doc *doc;     /* NULL once closed */
  nf_doc *pending; /* closed from a finalizer: freed by __gc (see doc_close) */
} nf_lua_doc;

typedef struct nf_lua_node {
  nf_node *node;
} nf_lua_node;

/* User values of a document userdata. */
#define DOC_UV_NODES 1  /* weak-valued cache: lightuserdata(node) → handle */
#define DOC_UV_EXTRA 2  /* a table for cached values (article, ...) */

/* Shared by document and node methods; root is where the search starts
 * (the document node for documents). doc_idx is the document userdata. */
int nf_lua_tree_select(lua_State *L, int doc_idx, nf_node *root, int one);
int nf_lua_tree_xpath(lua_State *L, int doc_idx, nf_node *ctx);
int nf_lua_tree_walk(lua_State *L, int doc_idx, nf_node *root, int handlers_idx);
void nf_lua_open_node(lua_State *L);

#endif
