/* fuzz_lua.c: a fixed Lua script over a fuzzed page through the Lua
 * module: select, a walk with edits, remove/replace/clone/unwrap and
 * inserts, then Markdown, text, XHTML, the article, a summary and
 * keywords. A fresh state per input with the command's kind of limits on
 * (a counting allocator, an instruction hook with a deadline), so a
 * limit error is an ordinary outcome. Invariants: the script never
 * crashes the process; the outputs are valid UTF-8, the XHTML is
 * well-formed; afterwards the tree's parent/child links hold. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "lua_aux.h"
#include "newsform_lua.h"

#define MEM_LIMIT ((size_t)64 << 20)
#define TIME_LIMIT 5.0 /* seconds of wall clock per input */

static const char script[] =
    "local nf = require 'newsform'\n"
    "local page, kind = ...\n"
    "local doc = nf.parse(page, {type = kind})\n"
    "if not doc then return nil end\n"
    "local nodes = doc:select('p, div, span, a, li, td, img, b, i, h1, h2, "
    "section, article, ul, table, pre')\n"
    "local first = doc:select_one('h1, h2, p')\n"
    "local n_sel = #doc:select('li:last-of-type, :only-of-type, div:has(> p), "
    "p + p, :not(div) > a[href]')\n"
    "doc:walk{\n"
    "  b = function(n) n.tag = 'strong' end,\n"
    "  i = function(n) n.tag = 'em' end,\n"
    "  script = function() return false end,\n"
    "  img = function(n) return '<span class=img>' .. (n:attr('alt') or '') "
    ".. '</span>' end,\n"
    "  [\"a[href^='javascript:']\"] = function(n) n:unwrap() end,\n"
    "  ['.ad, aside, nav'] = function() return false end,\n"
    "  text = function(t) local s = t.text if #s > 60 then t.text = s:sub(1, 60) "
    "end end,\n"
    "  ['*'] = function(n) if n:attr('style') then n:attr('style', nil) end "
    "end,\n"
    "}\n"
    "for i, n in ipairs(nodes) do\n"
    "  local k = i % 7\n"
    "  pcall(function()\n"
    "    if k == 0 then n:remove()\n"
    "    elseif k == 1 then n:after(n:clone())\n"
    "    elseif k == 2 then n:replace('<p>r<b>' .. i .. '</b></p>')\n"
    "    elseif k == 3 then n:prepend('<em>x</em>'); n:append(first or 'y')\n"
    "    elseif k == 4 then n:unwrap()\n"
    "    elseif k == 5 then n.inner_html = n.text\n"
    "    else n:before(nodes[#nodes - i + 1]) end\n"
    "  end)\n"
    "end\n"
    "local md = nf.markdown(doc.body, {flavor = 'gfm'})\n"
    "local txt = nf.text(doc.body, {width = 40})\n"
    "local a = doc.article\n"
    "local x = nf.html(a.body, {xhtml = true})\n"
    "local s = table.concat(nf.summary(doc, 3), ' ')\n"
    "local kw = table.concat(nf.keywords(a.text, 5), ' ')\n"
    "return doc, md, txt, x, s, kw, n_sel\n";

/* Counts the heap against lim->mem_limit. Unlike the command's, a refusal
 * stays on record even when Lua's retry after a collection fits: the
 * harness only needs to know that the limit may have stopped the script. */
static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  nf_lua_limits *lim = ud;
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    free(ptr);
    lim->mem_used -= old;
    return NULL;
  }
  if (nsize > old && lim->mem_used - old + nsize > lim->mem_limit) {
    lim->mem_exceeded = 1;
    return NULL;
  }
  void *p = realloc(ptr, nsize);
  if (p) lim->mem_used = lim->mem_used - old + nsize;
  return p;
}

static void limit_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  nf_lua_limits *lim = nf_lua_get_limits(L);
  if (lim->expired || nf_monotonic() > lim->deadline) nf_lua_raise_timeout(L);
}

static int panic_handler(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  nf_fuzz_fail("unprotected Lua error", msg, msg ? strlen(msg) : 0);
}

static void check_string(lua_State *L, int idx, const char *what, int xml) {
  size_t len;
  const char *s = lua_tolstring(L, idx, &len);
  if (!s) nf_fuzz_fail(what, "(not a string)", 14);
  nf_buf b = NF_BUF_INIT;
  nf_buf_put(&b, s, len);
  if (!xml || memchr(s, '\0', len) == NULL) nf_fuzz_check_utf8(what, &b);
  if (xml) nf_fuzz_check_xml("Lua: XHTML is not well-formed", &b, 1);
  nf_buf_free(&b);
}

/* Runs with the script's results on the stack (protected: a closed
 * document raises). */
static int check_results(lua_State *L) {
  nf_doc *doc = nf_lua_checkdoc(L, 1);
  nf_fuzz_check_tree(doc, nf_doc_node(doc));
  check_string(L, 2, "Lua: Markdown is not UTF-8", 0);
  check_string(L, 3, "Lua: text is not UTF-8", 0);
  check_string(L, 4, "Lua: XHTML is not UTF-8", 1);
  check_string(L, 5, "Lua: summary is not UTF-8", 0);
  check_string(L, 6, "Lua: keywords are not UTF-8", 0);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > (1u << 20)) return 0;
  nf_lua_limits lim = {0};
  lim.mem_limit = MEM_LIMIT;
  lim.deadline = nf_monotonic() + TIME_LIMIT;
  lua_State *L = lua_newstate(limited_alloc, &lim);
  if (!L) nf_oom();
  lua_atpanic(L, panic_handler);
  nf_lua_set_limits(L, &lim);
  lua_sethook(L, limit_hook, LUA_MASKCOUNT, 10000);
  luaL_openlibs(L);
  luaL_requiref(L, "newsform", luaopen_newsform, 0);
  lua_pop(L, 1);
  if (luaL_loadbufferx(L, script, sizeof script - 1, "=fuzz", "t") != LUA_OK)
    nf_fuzz_fail("the fixed script does not load", lua_tostring(L, -1), 0);
  lua_pushlstring(L, (const char *)data, size);
  static const char *const kinds[] = {"auto", "html", "text"};
  lua_pushstring(L, kinds[size ? data[size - 1] % 3 : 0]);
  int rc = lua_pcall(L, 2, 7, 0);
  int limited = lim.mem_exceeded || lim.expired;
  if (rc != LUA_OK && !limited) {
    /* The script is fixed: only the limits may stop it. */
    const char *msg = lua_tostring(L, -1);
    nf_fuzz_fail("Lua: the script failed", msg, msg ? strlen(msg) : 0);
  }
  if (rc == LUA_OK && !lua_isnil(L, 1)) {
    lua_pushcfunction(L, check_results);
    lua_insert(L, 1);
    if (lua_pcall(L, 7, 0, 0) != LUA_OK && !lim.mem_exceeded &&
        !lim.expired) {
      const char *msg = lua_tostring(L, -1);
      nf_fuzz_fail("Lua: checking the results failed", msg, msg ? strlen(msg) : 0);
    }
  }
  lua_close(L);
  return 0;
}
