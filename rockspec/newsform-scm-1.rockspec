-- The Lua module newsform.so, built from a clone by the project's Makefile:
--   luarocks make --lua-version 5.4 rockspec/newsform-scm-1.rockspec
-- (run from the top of the clone; needs gcc, make, pkg-config and the
-- Debian packages liblua5.4-dev libxml2-dev zlib1g-dev libdeflate-dev).
rockspec_format = "3.0"
package = "newsform"
version = "scm-1"
source = {
  url = "git+file:///dev/null", -- luarocks make builds the clone it runs in
}
description = {
  summary = "News pages to clean articles, Markdown, text and JSON",
  detailed = [[
The newsform Lua module: parse HTML pages, extract the article, select
nodes, render Markdown, text or HTML, read and write bundles, and read
files and directories as the newsform command does (newsform.read,
newsform.inputs).]],
}
dependencies = {
  "lua >= 5.4, < 5.5",
}
external_dependencies = {
  LIBXML2 = { header = "libxml2/libxml/parser.h" },
  ZLIB = { header = "zlib.h" },
  LIBDEFLATE = { header = "libdeflate.h" },
}
build = {
  type = "make",
  build_target = "newsform.so",
  build_variables = {
    CFLAGS = "$(CFLAGS)",
    LUA_INCDIR = "$(LUA_INCDIR)",
  },
  install_pass = false,
  install = {
    lib = { newsform = "newsform.so" },
  },
}
