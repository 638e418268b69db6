/* lua_newsform.c: luaopen_newsform, the module table. It only builds the
 * table: one nf_lua_open_<part> per binding file, lower parts first (a
 * part may add methods to what a lower one registered). */
#include "lua_aux.h"
#include "newsform_lua.h"

int luaopen_newsform(lua_State *L) {
  lua_newtable(L);
  lua_pushliteral(L, NF_VERSION);
  lua_setfield(L, -2, "version");
  nf_lua_open_doc(L);
  nf_lua_open_node(L);
  nf_lua_open_article(L);
  nf_lua_open_text(L);
  nf_lua_open_recipe(L);
  nf_lua_open_render(L);
  nf_lua_open_json(L);
  nf_lua_open_bundle(L);
  nf_lua_open_inputs(L);
  return 1;
}
