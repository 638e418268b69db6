/* lua_tree.h: lua_tree.c, what the document and node bindings share. */
#ifndef NF_LUA_TREE_H
#define NF_LUA_TREE_H
#include "lua_aux.h"

/* Raises before anything is allocated when arg idx cannot be inserted
 * (an HTML string, a node, a document, or at depth 0 a list of them). */
void nf_lua_check_insertable(lua_State *L, int idx, int depth);
/* Collects the nodes to insert into doc (after nf_lua_check_insertable:
 * does not raise). Nodes of another document are copied; a document gives
 * a copy of its body's children. */
void nf_lua_collect_insertable(lua_State *L, int idx, nf_doc *doc, nf_nodelist *out);

/* Pushes an array of the handles of held's nodes (doc_idx: their document)
 * and frees held, which a userdata with __gc must own meanwhile: pushing
 * may raise (a timeout, a memory limit). */
void nf_lua_push_nodelist(lua_State *L, int doc_idx, nf_nodelist *held);

/* select / select_one / xpath / walk for documents and nodes: root (or the
 * XPath context, NULL for the document) is where the search starts;
 * doc_idx is the document userdata; the argument is at 2. */
int nf_lua_tree_select(lua_State *L, int doc_idx, nf_node *root, int one);
int nf_lua_tree_xpath(lua_State *L, int doc_idx, nf_node *ctx);
/* walk: each node is matched against the handlers once, as it is when the
 * walk reaches it; renaming it in a handler never dispatches it again.
 * hits_idx, when not 0, is a table that gets key = true for every handler
 * that ran on some node (recipes report handlers that never matched). */
int nf_lua_tree_walk(lua_State *L, int doc_idx, nf_node *root, int handlers_idx, int hits_idx);

#endif
