/* lua_text.h: scratch memory for the text and recipe bindings. C lists
 * that live while Lua code may raise (pushing results, calling handlers,
 * the timeout check) sit in a userdata whose __gc frees them, so an error
 * never leaks them. */
#ifndef NF_LUA_TEXT_H
#define NF_LUA_TEXT_H

#include "lua_aux.h"

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

/* Adds newsform.apply_recipe to the module table at the top (lua_recipe.c;
 * called by nf_lua_open_text). */
void nf_lua_open_recipe(lua_State *L);

#endif
