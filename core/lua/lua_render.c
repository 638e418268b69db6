/* lua_render.c: the renderers in Lua.
 *
 *   newsform.text(node_or_doc [, {width=, links="inline"|"none", base_url=}])
 *   newsform.markdown(node_or_doc [, {flavor="commonmark"|"gfm", width=,
 *                     links="inline"|"reference"|"none", base_url=}])
 *   newsform.html(node_or_doc [, {document=, xhtml=, unsafe=, title=, lang=,
 *                                 base_url=, offline=}])
 */
#include <string.h>

#include "lua_aux.h"

typedef void (*renderer)(const nf_node *n, const nf_render_opts *o, nf_buf *out);

/* Checks the target (arg 1, nothing after arg 2) and the option table at
 * arg 2 against `allowed`; zeroes *o and reads the width when the renderer
 * has one. Returns the target; *has_opts says whether arg 2 is a table. */
static nf_node *render_args(lua_State *L, const char *const allowed[], int has_width,
                            nf_render_opts *o, int *has_opts) {
  if (lua_gettop(L) > 2) luaL_argerror(L, 3, "too many arguments");
  nf_node *n = nf_lua_tonode_or_root(L, 1, NULL);
  if (!n) luaL_typeerror(L, 1, "node or document");
  memset(o, 0, sizeof *o);
  *has_opts = nf_lua_checkopts(L, 2, allowed);
  if (*has_opts && has_width) {
    o->width = nf_lua_optfield_int(L, 2, "width", 0);
    if (o->width < 0 || o->width > 100000)
      luaL_error(L, "option 'width' must be between 0 and 100000");
  }
  return n;
}

/* The string option `key` at arg 2 as the index of its value in names
 * (NULL-terminated; absent: 0); raises "must be EXPECTED" otherwise. */
static int choice(lua_State *L, const char *key, const char *const names[],
                  const char *expected) {
  const char *v = nf_lua_optfield_string(L, 2, key, names[0]);
  for (int i = 0; names[i]; i++)
    if (!strcmp(v, names[i])) return i;
  return luaL_error(L, "option '%s' must be %s", key, expected);
}

static int render(lua_State *L, renderer fn, const nf_node *n, const nf_render_opts *o) {
  nf_buf out = NF_BUF_INIT;
  nf_buf_init(&out);
  fn(n, o, &out);
  return nf_lua_push_buf(L, &out);
}

/* newsform.text and newsform.markdown: the same options but one, the
 * variant (links for text, flavor for Markdown); Markdown also has links. */
static int render_plain(lua_State *L, int markdown) {
  static const char *const allowed[2][5] = {
      {"width", "links", "base_url", NULL},
      {"flavor", "width", "links", "base_url", NULL}};
  static const char *const md_links[] = {"inline", "reference", "none", NULL};
  static const nf_links md_link_values[] = {NF_LINKS_INLINE, NF_LINKS_REFERENCE,
                                            NF_LINKS_NONE};
  static const char *const key[2] = {"links", "flavor"};
  static const char *const variants[2][3] = {{"none", "inline", NULL},
                                             {"commonmark", "gfm", NULL}};
  static const char *const expected[2] = {"\"inline\" or \"none\"",
                                          "\"commonmark\" or \"gfm\""};
  nf_render_opts o;
  int has_opts;
  nf_node *n = render_args(L, allowed[markdown], 1, &o, &has_opts);
  if (has_opts) {
    int v = choice(L, key[markdown], variants[markdown], expected[markdown]);
    if (markdown) {
      o.gfm = v;
      o.links = md_link_values[choice(L, "links", md_links,
                                      "\"inline\", \"reference\" or \"none\"")];
    } else {
      o.links = v ? NF_LINKS_INLINE : NF_LINKS_NONE;
    }
    o.base_url = nf_lua_optfield_string(L, 2, "base_url", NULL);
  }
  return render(L, markdown ? nf_render_markdown : nf_render_text, n, &o);
}

static int render_text(lua_State *L) { return render_plain(L, 0); }
static int render_markdown(lua_State *L) { return render_plain(L, 1); }

static int render_html(lua_State *L) {
  static const char *const allowed[] = {"document", "xhtml",    "unsafe",  "title",
                                        "lang",     "base_url", "offline", NULL};
  nf_render_opts o;
  int has_opts;
  nf_node *n = render_args(L, allowed, 0, &o, &has_opts);
  if (has_opts) {
    o.document = nf_lua_optfield_bool(L, 2, "document", 0);
    o.xhtml = nf_lua_optfield_bool(L, 2, "xhtml", 0);
    o.unsafe = nf_lua_optfield_bool(L, 2, "unsafe", 0);
    o.offline = nf_lua_optfield_bool(L, 2, "offline", 0);
    o.title = nf_lua_optfield_string(L, 2, "title", NULL);
    o.lang = nf_lua_optfield_string(L, 2, "lang", NULL);
    o.base_url = nf_lua_optfield_string(L, 2, "base_url", NULL);
  }
  return render(L, nf_render_html, n, &o);
}

void nf_lua_open_render(lua_State *L) {
  static const luaL_Reg funcs[] = {{"text", render_text},
                                   {"markdown", render_markdown},
                                   {"html", render_html},
                                   {NULL, NULL}};
  luaL_setfuncs(L, funcs, 0);
}
