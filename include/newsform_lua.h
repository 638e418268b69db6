/* newsform_lua.h: the Lua 5.4 module, for embedders. */
#ifndef NEWSFORM_LUA_H
#define NEWSFORM_LUA_H
#include <lua.h>
/* The module is built with hidden visibility: this is its one export. */
#define NF_LUA_API __attribute__((visibility("default")))
/* Opens the module: require "newsform" calls this. Leaves the module table. */
NF_LUA_API int luaopen_newsform(lua_State *L);
#endif
