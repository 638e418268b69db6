/* cli_lua.c: one worker's Lua state for the newsform command: the counting
 * allocator (--max-memory), the instruction-count hook (--timeout and
 * cancellation), the sandbox (--sandbox), pcall that cannot swallow a limit,
 * print() captured into the article's output, and the calls to begin,
 * process (or a recipe) and finish.
 *
 * Every Lua call that can raise runs under lua_pcall: with a memory limit
 * even pushing a string may fail, and an unprotected error would abort. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lua_aux.h"
#include "newsform_lua.h"

#define HOOK_COUNT 10000      /* instructions between two limit checks */
#define FULL_GC_EVERY 64      /* articles between two full collections */
#define DOC_KEY "newsform.cli.doc"

struct nf_cli_state {
  nf_lua_limits lim; /* first: nf_lua_get_limits(L) is the state itself */
  lua_State *L;
  const nf_cli_opts *o;
  int worker, workers;
  int is_recipe, has_begin, has_finish;
  int ref_process, ref_options, ref_state;
  nf_buf *print_out;      /* where print() appends (NULL: stderr) */
  atomic_int cancel;      /* set by another thread: stop soon */
  atomic_llong watch_ms;  /* deadline for the watchdog, 0 = none */
  void *refused_ptr;      /* the last allocation refused by the limit */
  size_t refused_size;
  size_t count;           /* articles processed by this worker */
  int loaded;             /* the script loaded: a worker of the run */
};

static nf_cli_state *state_of(lua_State *L) {
  return (nf_cli_state *)nf_lua_get_limits(L);
}

/* ===== Limits: allocator and hook ======================================== */

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  nf_cli_state *s = ud;
  size_t old = ptr ? osize : 0; /* osize is a type tag for new blocks */
  if (nsize == 0) {
    free(ptr);
    s->lim.mem_used -= old;
    return NULL;
  }
  if (s->lim.mem_limit && nsize > old &&
      s->lim.mem_used - old + nsize > s->lim.mem_limit) {
    s->lim.mem_exceeded = 1;
    s->refused_ptr = ptr;
    s->refused_size = nsize;
    return NULL;
  }
  void *p = realloc(ptr, nsize);
  if (!p) return NULL;
  s->lim.mem_used = s->lim.mem_used - old + nsize;
  /* Lua retries a refused allocation once after an emergency collection;
   * if that retry fits, the limit was not exceeded after all. */
  if (s->lim.mem_exceeded && ptr == s->refused_ptr &&
      nsize == s->refused_size)
    s->lim.mem_exceeded = 0;
  return p;
}

static int limit_hit(nf_cli_state *s) {
  return s->lim.expired || s->lim.mem_exceeded;
}

/* Runs every HOOK_COUNT instructions in every coroutine (new threads
 * inherit the hook). Once expired it raises at every call. */
static void limit_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  nf_cli_state *s = state_of(L);
  if (!s) return;
  if (atomic_load_explicit(&s->cancel, memory_order_relaxed))
    s->lim.expired = 1;
  if (s->lim.expired ||
      (s->lim.deadline > 0 && nf_monotonic() > s->lim.deadline))
    nf_lua_raise_timeout(L);
}

static void set_deadline(nf_cli_state *s) {
  s->lim.expired = 0;
  s->lim.mem_exceeded = 0;
  if (s->o->timeout > 0) {
    s->lim.deadline = nf_monotonic() + s->o->timeout;
    atomic_store(&s->watch_ms, (long long)(s->lim.deadline * 1000));
  }
}

static void clear_deadline(nf_cli_state *s) {
  s->lim.deadline = 0;
  s->lim.expired = 0;
  s->lim.mem_exceeded = 0;
  atomic_store(&s->watch_ms, 0);
}

void nf_cli_state_cancel(nf_cli_state *s) {
  if (s) atomic_store(&s->cancel, 1);
}

double nf_cli_state_deadline(const nf_cli_state *s) {
  return (double)atomic_load(&((nf_cli_state *)s)->watch_ms) / 1000.0;
}

/* ===== pcall that cannot swallow a limit ================================= */

/* After the real pcall/xpcall/coroutine.resume: re-raise when it caught a
 * timeout, a memory-limit error or a cancellation. */
static int after_protected(lua_State *L, int status, lua_KContext ctx) {
  (void)status;
  (void)ctx;
  nf_cli_state *s = state_of(L);
  if (s && limit_hit(s) && lua_gettop(L) >= 1 && !lua_toboolean(L, 1)) {
    lua_settop(L, 2);
    return lua_error(L);
  }
  return lua_gettop(L);
}

/* upvalue 1: the real function. */
static int guarded_call(lua_State *L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, after_protected);
  return after_protected(L, LUA_OK, 0);
}

/* The script's xpcall message handler (upvalue 1) is skipped once a limit
 * is hit: an error raised by the hook reaches the handler with hooks off,
 * where a loop could not be interrupted. */
static int guarded_handler(lua_State *L) {
  nf_cli_state *s = state_of(L);
  if (s && limit_hit(s)) return 1; /* the error as it is */
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n, 1);
  return 1;
}

/* xpcall(f, msgh, ...) with msgh guarded; upvalue 1: the real xpcall. */
static int guarded_xpcall(lua_State *L) {
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, guarded_handler, 1);
  lua_replace(L, 2);
  return guarded_call(L);
}

/* Replaces tbl[name] (tbl at idx) with guarded_call over the original. */
static void guard_field(lua_State *L, int idx, const char *name) {
  idx = lua_absindex(L, idx);
  if (lua_getfield(L, idx, name) != LUA_TFUNCTION) {
    lua_pop(L, 1);
    return;
  }
  lua_pushcclosure(L, strcmp(name, "xpcall") == 0 ? guarded_xpcall
                                                  : guarded_call, 1);
  lua_setfield(L, idx, name);
}

/* ===== print captured into the article's output ========================== */

static int cli_print(lua_State *L) {
  nf_cli_state *s = state_of(L);
  int n = lua_gettop(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 1; i <= n; i++) {
    size_t len;
    const char *str = luaL_tolstring(L, i, &len);
    if (i > 1) luaL_addchar(&b, '\t');
    luaL_addvalue(&b); /* pops str */
    (void)str;
    (void)len;
  }
  luaL_addchar(&b, '\n');
  luaL_pushresult(&b);
  size_t len;
  const char *line = lua_tolstring(L, -1, &len);
  if (s && s->print_out) {
    nf_buf_put(s->print_out, line, len);
  } else {
    fwrite(line, 1, len, stderr);
  }
  return 0;
}

/* ===== Sandbox ============================================================ */

/* load() for text chunks only: the mode argument is forced to "t". */
static int sandbox_load(lua_State *L) {
  int n = lua_gettop(L);
  if (n < 2) lua_settop(L, 2);
  if (lua_gettop(L) < 3) lua_settop(L, 3);
  lua_pushliteral(L, "t");
  lua_replace(L, 3);
  n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L);
}

/* setmetatable without __gc: a finalizer runs with hooks off, so a loop in
 * it could not be interrupted. */
static int sandbox_setmetatable(lua_State *L) {
  if (lua_istable(L, 2)) {
    lua_pushliteral(L, "__gc");
    int has_gc = lua_rawget(L, 2) != LUA_TNIL;
    lua_pop(L, 1);
    if (has_gc)
      return luaL_error(L, "__gc metamethods are not allowed in the sandbox");
  }
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, 2, 1);
  return 1;
}

static int sandbox_collectgarbage(lua_State *L) {
  static const char *const allowed[] = {"collect", "count", "step",
                                        "isrunning", NULL};
  luaL_checkoption(L, 1, "collect", allowed);
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L);
}

/* require: only the libraries of the sandbox (upvalue 1 maps names). */
static int sandbox_require(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  if (lua_getfield(L, lua_upvalueindex(1), name) == LUA_TNIL)
    return luaL_error(L, "module '%s' is not available in the sandbox", name);
  return 1;
}

/* Fields of the newsform module that touch the file system. */
static const char *const sandbox_module_denied[] = {"bundle", "read", "inputs",
                                                     NULL};

static void open_sandbox(lua_State *L) {
  static const luaL_Reg libs[] = {
      {LUA_GNAME, luaopen_base},         {LUA_COLIBNAME, luaopen_coroutine},
      {LUA_TABLIBNAME, luaopen_table},   {LUA_STRLIBNAME, luaopen_string},
      {LUA_MATHLIBNAME, luaopen_math},   {LUA_UTF8LIBNAME, luaopen_utf8},
      {NULL, NULL}};
  lua_newtable(L); /* modules that require() may return */
  int mods = lua_gettop(L);
  for (const luaL_Reg *lib = libs; lib->func; lib++) {
    luaL_requiref(L, lib->name, lib->func, 1);
    if (strcmp(lib->name, LUA_GNAME) != 0) lua_setfield(L, mods, lib->name);
    else lua_pop(L, 1);
  }
  /* os: only the clock and dates. */
  luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
  lua_createtable(L, 0, 3);
  static const char *const os_keep[] = {"time", "date", "clock", "difftime",
                                        NULL};
  for (int i = 0; os_keep[i]; i++) {
    lua_getfield(L, -2, os_keep[i]);
    lua_setfield(L, -2, os_keep[i]);
  }
  lua_pushvalue(L, -1);
  lua_setglobal(L, LUA_OSLIBNAME);
  lua_setfield(L, mods, LUA_OSLIBNAME);
  lua_pop(L, 1);
  /* The full os library stays in the registry's _LOADED table, out of
   * reach: the sandbox has no debug, package or registry access. */
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushnil(L);
  lua_setfield(L, -2, LUA_OSLIBNAME);
  lua_pop(L, 1);

  luaL_requiref(L, "newsform", luaopen_newsform, 1);
  for (int i = 0; sandbox_module_denied[i]; i++) {
    lua_pushnil(L);
    lua_setfield(L, -2, sandbox_module_denied[i]);
  }
  lua_setfield(L, mods, "newsform");

  lua_pushvalue(L, mods);
  lua_pushcclosure(L, sandbox_require, 1);
  lua_setglobal(L, "require");
  lua_pop(L, 1); /* mods */

  static const char *const removed[] = {"dofile", "loadfile", NULL};
  for (int i = 0; removed[i]; i++) {
    lua_pushnil(L);
    lua_setglobal(L, removed[i]);
  }
  /* The string metatable's __index is this very table. */
  lua_getglobal(L, LUA_STRLIBNAME);
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  lua_pop(L, 1);

  lua_getglobal(L, "load");
  lua_pushcclosure(L, sandbox_load, 1);
  lua_setglobal(L, "load");
  lua_getglobal(L, "setmetatable");
  lua_pushcclosure(L, sandbox_setmetatable, 1);
  lua_setglobal(L, "setmetatable");
  lua_getglobal(L, "collectgarbage");
  lua_pushcclosure(L, sandbox_collectgarbage, 1);
  lua_setglobal(L, "collectgarbage");
}

static void open_full(lua_State *L) {
  luaL_openlibs(L);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_newsform);
  lua_setfield(L, -2, "newsform");
  lua_pop(L, 1);
  luaL_requiref(L, "newsform", luaopen_newsform, 1);
  lua_pop(L, 1);
}

/* ===== Errors ============================================================= */

/* Does msg start with "chunk:LINE:"? */
static int has_position(const char *msg) {
  const char *colon = strchr(msg, ':');
  while (colon) {
    const char *p = colon + 1;
    if (*p >= '0' && *p <= '9') {
      while (*p >= '0' && *p <= '9') p++;
      if (*p == ':') return 1;
    }
    if (colon - msg > 200) return 0;
    colon = strchr(colon + 1, ':');
  }
  return 0;
}

/* Message handler: the error as a string, with the position of the
 * innermost Lua function when the message has none (errors raised by C
 * functions), and a traceback with --verbose. */
static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (!msg) {
    if (luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL) {
      lua_pop(L, 1);
      msg = luaL_tolstring(L, 1, NULL);
    } else if (lua_type(L, 1) == LUA_TTABLE || lua_isuserdata(L, 1)) {
      msg = lua_pushfstring(L, "(error object is a %s value)",
                            luaL_typename(L, 1));
    } else {
      msg = luaL_tolstring(L, 1, NULL); /* nil, booleans */
    }
  }
  if (!has_position(msg)) {
    lua_Debug ar;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
      if (!lua_getinfo(L, "Sl", &ar)) break;
      if (ar.currentline > 0) {
        msg = lua_pushfstring(L, "%s:%d: %s", ar.short_src, ar.currentline,
                              msg);
        break;
      }
    }
  }
  nf_cli_state *s = state_of(L);
  if (s && s->o->verbose) luaL_traceback(L, L, msg, 1);
  return 1;
}

static char *xstrdup_printf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static char *xstrdup_printf(const char *fmt, ...) {
  nf_buf b;
  nf_buf_init(&b);
  va_list ap;
  va_start(ap, fmt);
  nf_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  return nf_buf_detach(&b);
}

/* The message for a failed protected call (status != LUA_OK), with the
 * error object on top; pops it. what: " (while processing X)" etc. */
static char *error_message(nf_cli_state *s, int status, const char *what) {
  char *msg;
  if (s->lim.mem_exceeded || status == LUA_ERRMEM) {
    msg = xstrdup_printf("%s: memory limit of %g MB exceeded%s",
                         s->o->script_label, s->o->max_memory_mb, what);
  } else if (atomic_load(&s->cancel)) {
    msg = xstrdup_printf("%s: interrupted%s", s->o->script_label, what);
  } else if (s->lim.expired) {
    msg = xstrdup_printf("%s: timeout of %g second%s exceeded%s",
                         s->o->script_label, s->o->timeout,
                         s->o->timeout == 1 ? "" : "s", what);
  } else {
    const char *e = lua_type(s->L, -1) == LUA_TSTRING
                        ? lua_tostring(s->L, -1)
                        : "(error object is not a string)";
    /* "(while processing X)" goes on the message's line, before a
     * traceback (--verbose). */
    const char *nl = strchr(e, '\n');
    if (nl) msg = xstrdup_printf("%.*s%s%s", (int)(nl - e), e, what, nl);
    else msg = xstrdup_printf("%s%s", e, what);
  }
  lua_pop(s->L, 1);
  return msg;
}

/* ===== Creating the state and loading the script ========================= */

typedef struct load_args {
  nf_cli_state *s;
} load_args;

/* Builds ctx.options from --set and the per-worker ctx.state. */
static void make_shared_tables(lua_State *L, nf_cli_state *s) {
  const nf_cli_opts *o = s->o;
  lua_createtable(L, 0, (int)o->n_set);
  for (size_t i = 0; i < o->n_set; i++) {
    lua_pushstring(L, o->set_values[i]);
    lua_setfield(L, -2, o->set_keys[i]);
  }
  s->ref_options = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_newtable(L);
  s->ref_state = luaL_ref(L, LUA_REGISTRYINDEX);
}

static int is_function_global(lua_State *L, const char *name) {
  int t = lua_getglobal(L, name);
  lua_pop(L, 1);
  return t == LUA_TFUNCTION;
}

/* Protected: open the libraries, load and run the script, find process. */
static int load_protected(lua_State *L) {
  nf_cli_state *s = lua_touserdata(L, 1);
  const nf_cli_opts *o = s->o;
  lua_settop(L, 0);
  if (o->sandbox) open_sandbox(L);
  else open_full(L);
  lua_pushcfunction(L, cli_print);
  lua_setglobal(L, "print");
  /* Limits cannot be swallowed by the script's own protected calls. */
  lua_pushglobaltable(L);
  guard_field(L, -1, "pcall");
  guard_field(L, -1, "xpcall");
  lua_pop(L, 1);
  if (lua_getglobal(L, LUA_COLIBNAME) == LUA_TTABLE) {
    guard_field(L, -1, "resume");
    guard_field(L, -1, "close");
  }
  lua_pop(L, 1);
  make_shared_tables(L, s);

  int rc;
  if (o->code) {
    /* -e CODE is the body of process(doc, ctx); same line, same numbers. */
    lua_pushliteral(L, "local doc, ctx = ...; ");
    lua_pushstring(L, o->code);
    lua_concat(L, 2);
    size_t len;
    const char *src = lua_tolstring(L, -1, &len);
    rc = luaL_loadbufferx(L, src, len, "=-e", "t");
    if (rc != LUA_OK) return lua_error(L);
    s->ref_process = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
  }
  const char *src = o->script_src;
  size_t len = o->script_src_len;
  if (len > 0 && src[0] == '#') { /* "#!" line: keep its newline */
    const char *nl = memchr(src, '\n', len);
    len = nl ? len - (size_t)(nl - src) : 0;
    src = nl ? nl : src + o->script_src_len;
  }
  lua_pushfstring(L, "@%s", o->script_path);
  rc = luaL_loadbufferx(L, src, len, lua_tostring(L, -1), "t");
  if (rc != LUA_OK) return lua_error(L);
  lua_call(L, 0, 1);
  int t = lua_type(L, -1);
  if (t == LUA_TTABLE) {
    nf_lua_check_recipe(L, lua_gettop(L));
    s->is_recipe = 1;
    s->ref_process = luaL_ref(L, LUA_REGISTRYINDEX);
  } else if (t != LUA_TNIL) {
    return luaL_error(L,
                      "%s: the script returned a %s (expected a recipe "
                      "table, or nothing when it defines process)",
                      o->script_label, lua_typename(L, t));
  } else {
    lua_pop(L, 1);
    if (lua_getglobal(L, "process") != LUA_TFUNCTION)
      return luaL_error(L,
                        "%s: the script defines no process(doc, ctx) "
                        "function and returns no recipe table",
                        o->script_label);
    s->ref_process = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  s->has_begin = is_function_global(L, "begin");
  s->has_finish = is_function_global(L, "finish");
  return 0;
}

static int panic_handler(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  fprintf(stderr, "newsform: unprotected Lua error: %s\n",
          msg ? msg : "(not a string)");
  abort();
  return 0;
}

nf_cli_state *nf_cli_state_new(const nf_cli_opts *o, int worker, int workers,
                               char *err, size_t errlen) {
  nf_cli_state *s = nf_xcalloc(1, sizeof *s);
  s->o = o;
  s->worker = worker;
  s->workers = workers;
  s->ref_process = s->ref_options = s->ref_state = LUA_NOREF;
  atomic_init(&s->cancel, 0);
  atomic_init(&s->watch_ms, 0);
  if (o->max_memory_mb > 0)
    s->lim.mem_limit = (size_t)(o->max_memory_mb * 1048576.0);
  s->L = lua_newstate(limited_alloc, s);
  if (!s->L) {
    snprintf(err, errlen, "cannot create a Lua state (out of memory)");
    free(s);
    return NULL;
  }
  lua_atpanic(s->L, panic_handler);
  nf_lua_set_limits(s->L, &s->lim);
  lua_sethook(s->L, limit_hook, LUA_MASKCOUNT, HOOK_COUNT);
  lua_pushcfunction(s->L, msghandler);
  lua_pushcfunction(s->L, load_protected);
  lua_pushlightuserdata(s->L, s);
  set_deadline(s);
  int rc = lua_pcall(s->L, 1, 0, 1);
  if (rc != LUA_OK) {
    char *msg = error_message(s, rc, " (while loading the script)");
    snprintf(err, errlen, "%s", msg);
    free(msg);
    nf_cli_state_free(s);
    return NULL;
  }
  lua_settop(s->L, 0);
  clear_deadline(s);
  s->loaded = 1;
  return s;
}

/* ===== Recipe handlers that matched nothing in the whole run ============= */

/* The workers' reports, merged: a handler is reported when it matched
 * nothing on any worker. The last worker to finish prints the warnings. */
static struct {
  pthread_mutex_t mu;
  int freed;            /* states of the run freed so far */
  int cancelled;        /* the run was stopped: no warnings */
  long long applied;    /* documents the recipe was applied to */
  int have;             /* unmatched holds a worker's report */
  char **unmatched;
  size_t n;
} tally = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, NULL, 0};

/* Protected: pushes the recipe's unmatched keys and the count applied. */
static int unmatched_protected(lua_State *L) {
  nf_cli_state *s = lua_touserdata(L, 1);
  lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref_process);
  lua_Integer applied = nf_lua_recipe_unmatched(L, -1);
  lua_pushinteger(L, applied);
  return 2;
}

/* Keeps the keys of the tally that are also in this worker's list (the
 * array at the top of L), or takes the list when it is the first. */
static void tally_merge(lua_State *L) {
  size_t n = lua_rawlen(L, -1);
  if (!tally.have) {
    tally.unmatched = nf_xcalloc(n + 1, sizeof *tally.unmatched);
    for (size_t i = 0; i < n; i++) {
      lua_rawgeti(L, -1, (lua_Integer)i + 1);
      tally.unmatched[tally.n++] = nf_xstrdup(lua_tostring(L, -1));
      lua_pop(L, 1);
    }
    tally.have = 1;
    return;
  }
  size_t kept = 0;
  for (size_t k = 0; k < tally.n; k++) {
    int found = 0;
    for (size_t i = 0; i < n && !found; i++) {
      lua_rawgeti(L, -1, (lua_Integer)i + 1);
      found = strcmp(lua_tostring(L, -1), tally.unmatched[k]) == 0;
      lua_pop(L, 1);
    }
    if (found) tally.unmatched[kept++] = tally.unmatched[k];
    else free(tally.unmatched[k]);
  }
  tally.n = kept;
}

/* Adds the worker's report to the tally; the last worker of the run warns
 * once per handler that matched nothing. */
static void report_unmatched(nf_cli_state *s) {
  lua_State *L = s->L;
  s->lim.mem_limit = 0; /* the report must not be refused memory */
  s->lim.expired = 0;
  clear_deadline(s);
  pthread_mutex_lock(&tally.mu);
  if (atomic_load(&s->cancel)) tally.cancelled = 1;
  if (s->is_recipe && !tally.cancelled) {
    lua_settop(L, 0);
    lua_pushcfunction(L, unmatched_protected);
    lua_pushlightuserdata(L, s);
    if (lua_pcall(L, 1, 2, 0) == LUA_OK && lua_tointeger(L, -1) > 0) {
      tally.applied += lua_tointeger(L, -1);
      lua_pop(L, 1);
      tally_merge(L);
    }
    lua_settop(L, 0);
  }
  if (++tally.freed == s->workers) {
    for (size_t k = 0; k < tally.n; k++) {
      if (!tally.cancelled && tally.applied > 0)
        fprintf(stderr,
                "newsform: %s: the recipe handler '%s' matched nothing in "
                "%lld input%s\n",
                s->o->script_label, tally.unmatched[k], tally.applied,
                tally.applied == 1 ? "" : "s");
      free(tally.unmatched[k]);
    }
    free(tally.unmatched);
    tally.unmatched = NULL;
    tally.n = 0;
    tally.have = 0;
    tally.applied = 0;
    tally.freed = 0;
    tally.cancelled = 0;
  }
  pthread_mutex_unlock(&tally.mu);
}

void nf_cli_state_free(nf_cli_state *s) {
  if (!s) return;
  if (s->loaded) report_unmatched(s);
  if (s->L) lua_close(s->L);
  free(s);
}

int nf_cli_state_has_begin(const nf_cli_state *s) { return s->has_begin; }
int nf_cli_state_has_finish(const nf_cli_state *s) { return s->has_finish; }
void nf_cli_state_set_workers(nf_cli_state *s, int workers) {
  s->workers = workers;
}

/* ===== Running articles ================================================== */

/* Pushes a fresh ctx table. */
static void push_ctx(lua_State *L, nf_cli_state *s, const char *input,
                     lua_Integer index) {
  lua_createtable(L, 0, 8);
  if (input) {
    lua_pushstring(L, input);
    lua_setfield(L, -2, "input");
  }
  lua_pushinteger(L, index);
  lua_setfield(L, -2, "index");
  lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref_options);
  lua_setfield(L, -2, "options");
  lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref_state);
  lua_setfield(L, -2, "state");
  lua_pushinteger(L, s->worker);
  lua_setfield(L, -2, "worker");
  lua_pushinteger(L, s->workers);
  lua_setfield(L, -2, "workers");
  lua_pushinteger(L, (lua_Integer)s->count);
  lua_setfield(L, -2, "count");
}

static int json_protected(lua_State *L) {
  nf_lua_push_json(L, 1, 0);
  return 1;
}

/* Appends the value at idx (a result) to out, newline-terminated: a table
 * as one line of JSON (newsform.json's rules). */
static void put_result(lua_State *L, nf_cli_state *s, int idx, nf_buf *out) {
  idx = lua_absindex(L, idx);
  int t = lua_type(L, idx);
  if (t == LUA_TNIL) return;
  if (t == LUA_TUSERDATA && (luaL_testudata(L, idx, NF_DOC_MT) ||
                             luaL_testudata(L, idx, NF_NODE_MT))) {
    lua_getfield(L, idx, "html");
    lua_replace(L, idx);
    t = lua_type(L, idx);
  } else if (t == LUA_TTABLE) {
    /* One JSON value on one line: JSON Lines over many inputs. */
    lua_pushcfunction(L, json_protected);
    lua_pushvalue(L, idx);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
      if (limit_hit(s)) lua_error(L);
      luaL_error(L, "%s: process returned a table that is not JSON (%s)",
                 s->o->script_label, lua_tostring(L, -1));
    }
    lua_replace(L, idx);
    t = LUA_TSTRING;
  }
  if (t != LUA_TSTRING && t != LUA_TNUMBER) {
    luaL_error(L,
               "%s: process returned a %s (expected a string, a number, a "
               "table, a node, a document or nil)",
               s->o->script_label, luaL_typename(L, idx));
    return;
  }
  size_t len;
  const char *data = lua_tolstring(L, idx, &len);
  if (len == 0) return;
  nf_buf_put(out, data, len);
  if (data[len - 1] != '\n') nf_buf_putc(out, '\n');
}

/* ctx.<key> as a malloc'd string, NULL when absent; raises on a non-string. */
static char *ctx_string(lua_State *L, nf_cli_state *s, int ctx,
                        const char *key) {
  int t = lua_getfield(L, ctx, key);
  char *v = NULL;
  if (t == LUA_TSTRING) {
    v = nf_xstrdup(lua_tostring(L, -1));
  } else if (t != LUA_TNIL) {
    luaL_error(L, "%s: ctx.%s must be a string, not a %s",
               s->o->script_label, key, lua_typename(L, t));
  }
  lua_pop(L, 1);
  return v;
}

typedef struct article_args {
  nf_cli_state *s;
  nf_doc *doc;        /* handed to Lua by the protected function */
  int doc_taken;
  const nf_cli_input *in;
  const char *entry;  /* the bundle entry's name, or NULL */
  nf_cli_result *r;
  const nf_warc_info *warc; /* a web archive's record: where it came from */
} article_args;

/* ctx.warc: the record's provenance (file, record_id, date, offset,
 * digest, truncated, type, url). */
static void push_warc(lua_State *L, const article_args *a) {
  const nf_warc_info *w = a->warc;
  lua_createtable(L, 0, 8);
  /* the file, also when the input was FILE@OFFSET */
  const char *file = nf_cli_input_path(a->in);
  size_t flen = strlen(file), elen = a->entry ? strlen(a->entry) : 0;
  if (elen && flen > elen && strcmp(file + flen - elen, a->entry) == 0)
    flen -= elen;
  lua_pushlstring(L, file, flen);
  lua_setfield(L, -2, "file");
  const char *at = a->entry && a->entry[0] == '@' ? a->entry + 1 : NULL;
  if (at) {
    lua_pushinteger(L, (lua_Integer)strtoll(at, NULL, 10));
    lua_setfield(L, -2, "offset");
  }
  const char *const keys[] = {"record_id", "date", "digest", "type", "url",
                              "truncated"};
  const char *const vals[] = {w->record_id, w->date, w->payload_digest,
                              w->type, w->target_uri, w->truncated};
  for (int i = 0; i < 6; i++) {
    if (!vals[i]) continue;
    lua_pushstring(L, vals[i]);
    lua_setfield(L, -2, keys[i]);
  }
  if (!w->truncated) {
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "truncated");
  }
}

static char *dup_nonempty(const char *s) {
  return s && *s ? nf_xstrdup(s) : NULL;
}

/* For -o X.epub: the chapter (nf_bundle_article_new: what the script set,
 * the rest from the article), rendered here, in the worker, while the
 * document is open: a closed one gives only what the script set. */
static void epub_chapter(lua_State *L, article_args *a, int ctx) {
  nf_cli_state *s = a->s;
  nf_cli_result *r = a->r;
  char *author = ctx_string(L, s, ctx, "author");
  char *section = ctx_string(L, s, ctx, "section");
  char *summary = ctx_string(L, s, ctx, "summary");
  lua_getfield(L, 1, "closed");
  int closed = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (r->data.len) {
    nf_bundle_result res = {
        r->data.ptr, r->data.len,
        nf_cli_guess_ext(r->ext, r->data.ptr, r->data.len),
        r->title, author, r->published, section, summary, r->input};
    r->article = nf_bundle_article_new(closed ? NULL : a->doc, &res);
    nf_bundle_article_render(r->article);
  }
  free(author);
  free(section);
  free(summary);
}

/* Runs fn(ud) protected, with print() captured into r->data and the
 * traceback-adding message handler; a failure becomes r->error (the
 * partial output is dropped), suffixed with `what`. Returns the status. */
static int run_for_result(nf_cli_state *s, lua_CFunction fn, void *ud,
                          nf_cli_result *r, const char *what) {
  lua_State *L = s->L;
  s->print_out = &r->data;
  lua_settop(L, 0);
  lua_pushcfunction(L, msghandler);
  lua_pushcfunction(L, fn);
  lua_pushlightuserdata(L, ud);
  int rc = lua_pcall(L, 1, 0, 1);
  s->print_out = NULL;
  if (rc != LUA_OK) {
    r->error = error_message(s, rc, what);
    nf_buf_clear(&r->data);
  }
  return rc;
}

static int article_protected(lua_State *L) {
  article_args *a = lua_touserdata(L, 1);
  nf_cli_state *s = a->s;
  lua_settop(L, 0);
  nf_lua_pushdoc(L, a->doc); /* 1: doc */
  a->doc_taken = 1;
  lua_pushvalue(L, 1);
  lua_setfield(L, LUA_REGISTRYINDEX, DOC_KEY);
  push_ctx(L, s, a->r->input, (lua_Integer)a->r->index + 1); /* 2: ctx */
  if (a->in->bundle) {
    lua_pushstring(L, nf_cli_input_path(a->in));
    lua_setfield(L, 2, "bundle");
    lua_pushstring(L, a->entry);
    lua_setfield(L, 2, "entry");
  }
  if (a->warc) {
    push_warc(L, a);
    lua_setfield(L, 2, "warc");
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref_process);          /* 3 */
  if (s->is_recipe) {
    nf_lua_apply_recipe(L, 3, 1, 2);
  } else {
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_call(L, 2, 1);
  }
  put_result(L, s, -1, &a->r->data);
  nf_cli_result *r = a->r;
  r->name = ctx_string(L, s, 2, "name");
  r->ext = ctx_string(L, s, 2, "ext");
  r->title = ctx_string(L, s, 2, "title");
  r->published = ctx_string(L, s, 2, "published");
  if (s->o->epub) epub_chapter(L, a, 2);
  if ((!r->title || !r->published) && s->o->want_meta) {
    /* Bundle entries are named, listed and dated from the article: from
     * doc.article when the script computed it, else from the page's
     * metadata alone (cheap: no content extraction). */
    lua_getfield(L, 1, "closed");
    int closed = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (!closed) {
      const nf_article *cached = nf_doc_cached_article(a->doc);
      nf_article meta;
      memset(&meta, 0, sizeof meta);
      if (!cached) nf_meta_extract(a->doc, &meta);
      const nf_article *art = cached ? cached : &meta;
      if (!r->title) r->title = dup_nonempty(art->title);
      if (!r->published) r->published = dup_nonempty(art->published);
      if (!cached) nf_article_clear(&meta);
    }
  }
  return 0;
}

/* Closes the document handed to Lua (if the script kept a handle, it now
 * raises "closed document" instead of holding the tree). */
static int close_protected(lua_State *L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, DOC_KEY) == LUA_TUSERDATA) {
    lua_getfield(L, -1, "close");
    lua_pushvalue(L, -2);
    lua_call(L, 1, 0);
  }
  lua_pushnil(L);
  lua_setfield(L, LUA_REGISTRYINDEX, DOC_KEY);
  return 0;
}

/* Memory the articles left behind is collected little by little, fully
 * now and then, and at once after a failure (which may have left a lot). */
static void collect(nf_cli_state *s, int failed) {
  if (failed || s->count % FULL_GC_EVERY == 0)
    lua_gc(s->L, LUA_GCCOLLECT);
  else
    lua_gc(s->L, LUA_GCSTEP, 0);
}

/* Does the input hold any text: in its body, or a title? */
static int has_any_text(nf_doc *doc) {
  if (nf_node_has_text(nf_doc_body(doc))) return 1;
  char *title = nf_doc_title(doc);
  int has = title && title[strspn(title, " \t\r\n\f")];
  free(title);
  return has;
}

void nf_cli_state_process(nf_cli_state *s, const nf_cli_input *in,
                          const char *entry, const nf_buf *data,
                          nf_cli_result *r) {
  const nf_cli_opts *o = s->o;
  lua_State *L = s->L;
  char err[1024];
  if (!r->input) r->input = nf_cli_input_label(in, entry);
  nf_buf_init(&r->data);
  nf_doc *doc;
  nf_buf record;
  nf_buf_init(&record);
  if (data && in->kind == NF_CLI_KIND_WARC && data->len == 0 &&
      in->offset >= 0) {
    /* a web archive's record, read here, in the worker */
    if (nf_cli_input_read_record(in, &record, err, sizeof err) < 0) {
      r->error = nf_xstrdup(err);
      nf_buf_free(&record);
      return;
    }
    data = &record;
  }
  if (data) {
    doc = nf_cli_input_parse(in, o, r->input, data->ptr, data->len, err,
                             sizeof err);
  } else {
    nf_buf bytes;
    nf_buf_init(&bytes);
    if (nf_read_input(in->path, o->max_input, &bytes, err, sizeof err) < 0) {
      r->error = nf_xstrdup(err);
      nf_buf_free(&bytes);
      return;
    }
    doc = nf_cli_input_parse(in, o, r->input, bytes.ptr, bytes.len, err,
                             sizeof err);
    nf_buf_free(&bytes);
  }
  if (!doc) {
    r->error = xstrdup_printf("%s: %s", r->input, err);
    nf_buf_free(&record);
    return;
  }
  if (!has_any_text(doc))
    r->warning = xstrdup_printf("%s: no text, the article is empty", r->input);
  s->count++;
  nf_warc_info warc;
  int is_warc = data && in->kind == NF_CLI_KIND_WARC &&
                nf_warc_info_read(data->ptr, data->len, &warc) == 0;
  nf_buf_free(&record); /* the provenance is copied */
  /* for a web archive output: the source record and the page's URL */
  const char *url = nf_doc_url(doc);
  r->url = url ? nf_xstrdup(url) : NULL;
  r->refers_to = is_warc && warc.record_id ? nf_xstrdup(warc.record_id) : NULL;
  article_args a = {s, doc, 0, in, entry, r, is_warc ? &warc : NULL};
  char what[600];
  snprintf(what, sizeof what, " (while processing %s)", r->input);
  set_deadline(s);
  int rc = run_for_result(s, article_protected, &a, r, what);
  /* Closing needs no time limit but must not be refused memory. */
  s->lim.expired = 0;
  s->lim.mem_exceeded = 0;
  size_t limit = s->lim.mem_limit;
  s->lim.mem_limit = 0;
  if (a.doc_taken) {
    lua_settop(L, 0);
    lua_pushcfunction(L, close_protected);
    if (lua_pcall(L, 0, 0, 0) != LUA_OK) lua_pop(L, 1);
  } else {
    nf_doc_free(doc);
  }
  s->lim.mem_limit = limit;
  if (is_warc) nf_warc_info_clear(&warc);
  collect(s, rc != LUA_OK);
  lua_settop(L, 0);
  clear_deadline(s);
}

typedef struct hook_args {
  nf_cli_state *s;
  const char *which;
  nf_cli_result *r;
} hook_args;

static int hook_protected(lua_State *L) {
  hook_args *h = lua_touserdata(L, 1);
  lua_settop(L, 0);
  lua_getglobal(L, h->which);
  push_ctx(L, h->s, NULL, 0);
  lua_call(L, 1, 1);
  put_result(L, h->s, -1, &h->r->data);
  return 0;
}

void nf_cli_state_run_hook(nf_cli_state *s, const char *which,
                           nf_cli_result *r) {
  lua_State *L = s->L;
  if (!r->input) r->input = nf_xstrdup(which);
  nf_buf_init(&r->data);
  int defined = strcmp(which, "begin") == 0 ? s->has_begin : s->has_finish;
  if (!defined) return;
  hook_args h = {s, which, r};
  char what[64];
  snprintf(what, sizeof what, " (in %s)", which);
  set_deadline(s);
  run_for_result(s, hook_protected, &h, r, what);
  lua_settop(L, 0);
  lua_gc(L, LUA_GCCOLLECT);
  clear_deadline(s);
}

void nf_cli_result_clear(nf_cli_result *r) {
  free(r->input);
  free(r->hint);
  nf_buf_free(&r->data);
  free(r->name);
  free(r->ext);
  free(r->title);
  free(r->published);
  free(r->url);
  free(r->refers_to);
  nf_bundle_article_free(r->article);
  free(r->warning);
  free(r->error);
  memset(r, 0, sizeof *r);
}
