/* newsform_lua.h: the Lua 5.4 module, for embedders. */
#ifndef NEWSFORM_LUA_H
#define NEWSFORM_LUA_H
#include <lua.h>
/* Opens the module: require "newsform" calls this. Leaves the module table. */
int luaopen_newsform(lua_State *L);
#endif
