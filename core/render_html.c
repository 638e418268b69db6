/* render_html.c: clean HTML or XHTML of a node (nf_render_html).
 *
 * Safe by default, as cmark's html.c: script and plugin elements, on*
 * attributes and javascript:-like URLs are dropped unless opts->unsafe.
 * Obsolete tags are mapped (center → div, tt → code, strike → s) or
 * unwrapped (font, big, blink).
 *
 * With opts->xhtml the output is well-formed XML that EPUB checkers accept:
 * only XML's own entities (U+00A0 is written as the character), every
 * element closed, void elements as <br/>, attributes quoted and limited to
 * those HTML5 allows on the element, names that are not XML names dropped,
 * characters XML forbids removed, iframes and other embeds replaced by a
 * link to their source, unknown elements unwrapped, duplicate ids dropped,
 * and flow elements inside phrasing elements (a div in a span) renamed to
 * span so that the content model stays valid. What needs all of a
 * parent's children (table parts in order and in their table, dt/dd
 * pairs, ids that are XML names) is repaired on the finished XHTML by
 * xhtml_repair.c, whose attribute allowlist this file shares. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "render.h"
#include "strset.h"
#include "xhtml_repair.h"

/* ===== Element tables =================================================== */

static int in_list(const char *tag, const char *const *list) {
  for (; *list; list++)
    if (strcmp(tag, *list) == 0) return 1;
  return 0;
}

/* Obsolete elements (each NF_EL_OBSOLETE in the element table): renamed
 * (to) or unwrapped (to == NULL). */
static const struct {
  const char *from, *to;
} obsolete[] = {
    {"acronym", "abbr"}, {"big", NULL},       {"blink", NULL},
    {"center", "div"},   {"dir", "ul"},       {"font", NULL},
    {"listing", "pre"},  {"marquee", "div"},  {"multicol", "div"},
    {"nobr", NULL},      {"plaintext", "pre"}, {"strike", "s"},
    {"tt", "code"},      {"xmp", "pre"},      {"image", "img"},
    {"content", NULL},   {"shadow", NULL},    {"spacer", NULL},
};

/* Never rendered (with their content). */
static const char *const dropped_tags[] = {
    "base", "basefont", "bgsound", "frame", "frameset", "isindex", "keygen",
    "link", "menuitem", "meta", "nextid", "noembed", "noframes", "param",
    NULL};
/* Dropped unless unsafe. */
static const char *const unsafe_tags[] = {"script", "style", "template",
                                          "applet", "object", "embed", NULL};
/* Embedded content: a link to the source in XHTML. */
static const char *const embed_tags[] = {"iframe", "embed", "object",
                                         "applet", "video", "audio", NULL};

/* The HTML5 elements kept in XHTML (others are unwrapped or dropped). */
static const char *const xhtml_tags[] = {
    "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo",
    "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "data",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "i", "img", "ins", "kbd", "li", "main", "mark", "nav",
    "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
    NULL};
/* XHTML: dropped with their content, beside the elements never rendered
 * as text (NF_EL_HIDDEN): form parts that are not valid there alone. */
static const char *const xhtml_dropped[] = {"option", "optgroup", "output",
                                            NULL};
/* XHTML: renamed to fit the HTML5 content models. */
static const struct {
  const char *from, *to;
} xhtml_renamed[] = {
    {"fieldset", "div"}, {"legend", "p"}, {"dialog", "div"}, {"menu", "ul"},
    {"form", "div"},
};

/* Elements that may hold only phrasing content. */
static const char *const phrasing_only[] = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "span", "em", "strong",
    "b", "i", "u", "s", "small", "mark", "abbr", "cite", "code", "dfn",
    "kbd", "q", "samp", "sub", "sup", "var", "time", "bdi", "bdo", "data",
    "label", "dt", "summary", "rt", "rp", "legend", "caption", NULL};
/* Attributes holding one URL. */
static const char *const url_attrs[] = {
    "href", "src", "action", "formaction", "poster", "cite", "background",
    "longdesc", "data", "codebase", "lowsrc", "dynsrc", "xlink:href",
    "manifest", "icon", NULL};

/* ===== State ============================================================ */

typedef struct hframe {
  const nf_node *node;
  const char *name;   /* the tag written, NULL when unwrapped */
  int phrasing;       /* only phrasing content allowed below */
  int link;           /* inside an a element */
} hframe;

typedef struct html_state {
  nf_buf *out;
  const nf_render_opts *o;
  int xhtml, safe;
  hframe *stack;
  size_t depth, cap;
  nf_strset ids;
  nf_buf scratch;
} html_state;

/* Text content, escaped for XML. */
static void put_text(nf_buf *out, const char *s) {
  nf_xml_escape(out, s, strlen(s), 0);
}

/* ===== Names and values ================================================= */

/* An ASCII XML name (colons allowed only when colon_ok). */
static int is_xml_name(const char *s, int colon_ok) {
  if (!s || !*s) return 0;
  if (!(isalpha((unsigned char)*s) || *s == '_')) return 0;
  for (s++; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (!(isalnum(c) || c == '-' || c == '.' || c == '_' ||
          (c == ':' && colon_ok)))
      return 0;
  }
  return 1;
}

/* ===== Writing ========================================================== */

static void write_attr(html_state *h, const char *name, const char *value,
                       int is_url) {
  nf_buf_putc(h->out, ' ');
  for (const char *p = name; *p; p++)
    nf_buf_putc(h->out, tolower((unsigned char)*p));
  if (!value && !h->xhtml) return;
  nf_buf_puts(h->out, "=\"");
  if (value && is_url) {
    nf_buf_clear(&h->scratch);
    nf_url_resolve(h->o->base_url, value, &h->scratch);
    if (h->xhtml) {
      char *resolved = nf_xstrdup(h->scratch.ptr);
      nf_buf_clear(&h->scratch);
      nf_url_clean(&h->scratch, resolved);
      free(resolved);
    }
    nf_xml_escape(h->out, h->scratch.ptr, h->scratch.len, 1);
  } else if (value) {
    nf_xml_escape(h->out, value, strlen(value), 1);
  }
  nf_buf_putc(h->out, '"');
}

static int contains_ci(const char *s, const char *needle) {
  size_t n = strlen(needle);
  for (; *s; s++)
    if (strncasecmp(s, needle, n) == 0) return 1;
  return 0;
}

static void write_attrs(html_state *h, const nf_node *n, const char *tag) {
  const char *name, *value;
  for (size_t i = 0; nf_node_attr_at(n, i, &name, &value); i++) {
    char lname[64];
    size_t k = 0;
    for (; name[k] && k + 1 < sizeof lname; k++)
      lname[k] = (char)tolower((unsigned char)name[k]);
    if (name[k]) continue; /* absurdly long name */
    lname[k] = 0;
    const char *v = value ? value : "";
    if (!is_xml_name(lname, !h->xhtml || !strcmp(lname, "xml:lang")))
      continue;
    if (!strncmp(lname, "xmlns", 5)) continue;
    int is_url = in_list(lname, url_attrs);
    if (h->safe) {
      if (!strncmp(lname, "on", 2) || !strcmp(lname, "srcdoc") ||
          !strcmp(lname, "formaction"))
        continue;
      if (is_url && nf_url_is_unsafe(v)) continue;
      if ((!strcmp(lname, "srcset") || !strcmp(lname, "style")) &&
          (contains_ci(v, "script:") || contains_ci(v, "expression(")))
        continue;
    }
    if (h->xhtml) {
      if (!nf_xhtml_attr_allowed(tag, lname, v)) continue;
      if (!strcmp(lname, "id")) {
        if (!*v || strpbrk(v, " \t\n\r\f") || !nf_strset_add(&h->ids, v))
          continue;
      }
    }
    write_attr(h, lname, value, is_url);
  }
  if (h->xhtml && !strcmp(tag, "img") && !nf_node_attr(n, "alt"))
    nf_buf_puts(h->out, " alt=\"\"");
}

static hframe *push(html_state *h, const nf_node *n, const char *name,
                    int phrasing, int link) {
  if (h->depth == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 32;
    h->stack = nf_xrealloc(h->stack, h->cap * sizeof *h->stack);
  }
  hframe *f = &h->stack[h->depth++];
  f->node = n;
  f->name = name;
  f->phrasing = phrasing;
  f->link = link;
  return f;
}

static const hframe *top(const html_state *h) {
  return h->depth ? &h->stack[h->depth - 1] : NULL;
}

/* The nearest element actually written above the current position. */
static const char *written_parent(const html_state *h) {
  for (size_t i = h->depth; i > 0; i--)
    if (h->stack[i - 1].name) return h->stack[i - 1].name;
  return NULL;
}

/* XHTML: an embed becomes a link to its source (or nothing without one). */
static void write_embed_link(html_state *h, const nf_node *n) {
  const char *src = nf_node_attr(n, "src");
  if (!src || !*src) src = nf_node_attr(n, "data");
  if (!src || !*src) {
    /* video/audio: the first <source> */
    for (nf_node *c = nf_node_first_element(n); c && (!src || !*src);
         c = nf_node_next_element(c))
      if (nf_node_is(c, "source")) src = nf_node_attr(c, "src");
  }
  if (!src || !*src || nf_url_is_unsafe(src)) return;
  const hframe *t = top(h);
  const char *label = nf_node_attr(n, "title");
  nf_buf_clear(&h->scratch);
  nf_url_resolve(h->o->base_url, src, &h->scratch);
  char *url = nf_xstrdup(h->scratch.ptr);
  if (!t || !t->link) {
    nf_buf_puts(h->out, "<a");
    write_attr(h, "href", url, 1);
    nf_buf_putc(h->out, '>');
  }
  put_text(h->out, label && *label ? label : url);
  if (!t || !t->link) nf_buf_puts(h->out, "</a>");
  free(url);
}

/* XHTML, offline: a remote image becomes a link labelled by its alt text. */
static void write_image_link(html_state *h, const nf_node *n,
                             const char *src) {
  const char *alt = nf_node_attr(n, "alt");
  const hframe *t = top(h);
  if (t && t->link) {
    if (alt) put_text(h->out, alt);
    return;
  }
  nf_buf_puts(h->out, "<a");
  write_attr(h, "href", src, 1);
  nf_buf_putc(h->out, '>');
  put_text(h->out, alt && *alt ? alt : "image");
  nf_buf_puts(h->out, "</a>");
}

typedef enum { A_WRITE, A_UNWRAP, A_DROP } action;

/* Decides what ENTER of element n does; *name receives the tag to write. */
static action decide(html_state *h, const nf_node *n, const char **name) {
  const char *tag = nf_node_name(n);
  *name = tag;
  size_t nobsolete = nf_html_flags(tag) & NF_EL_OBSOLETE
                         ? sizeof obsolete / sizeof *obsolete : 0;
  for (size_t i = 0; i < nobsolete; i++)
    if (!strcmp(tag, obsolete[i].from)) {
      if (!obsolete[i].to) return A_UNWRAP;
      *name = tag = obsolete[i].to;
      break;
    }
  if (in_list(tag, dropped_tags)) return A_DROP;
  if (h->safe && in_list(tag, unsafe_tags)) return A_DROP;
  if (!h->xhtml) {
    if (!is_xml_name(tag, 1)) return A_UNWRAP;
    return A_WRITE;
  }
  /* XHTML from here on. */
  if ((nf_html_flags(tag) & NF_EL_HIDDEN) || in_list(tag, xhtml_dropped) ||
      in_list(tag, embed_tags))
    return A_DROP;
  for (size_t i = 0; i < sizeof xhtml_renamed / sizeof *xhtml_renamed; i++)
    if (!strcmp(tag, xhtml_renamed[i].from)) {
      *name = tag = xhtml_renamed[i].to;
      break;
    }
  if (!in_list(tag, xhtml_tags)) return A_UNWRAP;
  if (!strcmp(tag, "img")) {
    const char *src = nf_node_attr(n, "src");
    if (!src || !*src || (h->safe && nf_url_is_unsafe(src)))
      return A_DROP;
  }
  const hframe *t = top(h);
  const char *parent = written_parent(h);
  /* A block (flow content) inside phrasing content becomes a span; hr is
   * dropped there instead (below). */
  if (t && t->phrasing && nf_html_is_block(tag) && strcmp(tag, "hr") != 0) {
    *name = "span";
  } else if (!strcmp(tag, "li") && !(parent && (!strcmp(parent, "ul") ||
                                                 !strcmp(parent, "ol")))) {
    *name = "div";
  } else if ((!strcmp(tag, "dt") || !strcmp(tag, "dd")) &&
             !(parent && !strcmp(parent, "dl"))) {
    *name = "div";
  } else if (!strcmp(tag, "figcaption") &&
             !(parent && !strcmp(parent, "figure"))) {
    *name = "div";
  } else if (parent && (!strcmp(parent, "ul") || !strcmp(parent, "ol")) &&
             strcmp(tag, "li") != 0) {
    *name = "li";
  } else if (!strcmp(tag, "a") && t && t->link) {
    return A_UNWRAP;
  }
  if (!strcmp(*name, "hr") && t && t->phrasing) return A_DROP;
  return A_WRITE;
}

static void enter_element(html_state *h, nf_iter *it, const nf_node *n) {
  const char *name;
  action a = decide(h, n, &name);
  const hframe *t = top(h);
  int phrasing = t ? t->phrasing : 0;
  int link = t ? t->link : 0;
  if (a == A_DROP) {
    if (h->xhtml && in_list(nf_node_name(n), embed_tags))
      write_embed_link(h, n);
    nf_iter_skip_children(it);
    push(h, n, NULL, phrasing, link);
    return;
  }
  if (a == A_UNWRAP) {
    push(h, n, NULL, phrasing, link);
    return;
  }
  if (h->xhtml && h->o->offline && !strcmp(name, "img")) {
    const char *src = nf_node_attr(n, "src");
    if (src && nf_url_is_remote(src)) {
      nf_buf_clear(&h->scratch);
      nf_url_resolve(h->o->base_url, src, &h->scratch);
      char *url = nf_xstrdup(h->scratch.ptr);
      write_image_link(h, n, url);
      free(url);
      nf_iter_skip_children(it);
      push(h, n, NULL, phrasing, link);
      return;
    }
  }
  nf_buf_putc(h->out, '<');
  nf_buf_puts(h->out, name);
  write_attrs(h, n, name);
  if (nf_html_is_void(name)) {
    nf_buf_puts(h->out, h->xhtml ? "/>" : ">");
    nf_iter_skip_children(it);
    push(h, n, NULL, phrasing, link);
    return;
  }
  nf_buf_putc(h->out, '>');
  push(h, n, name, phrasing || in_list(name, phrasing_only),
       link || !strcmp(name, "a"));
}

static void exit_element(html_state *h, const nf_node *n) {
  if (!h->depth || h->stack[h->depth - 1].node != n) return;
  const hframe *f = &h->stack[--h->depth];
  if (f->name) {
    nf_buf_puts(h->out, "</");
    nf_buf_puts(h->out, f->name);
    nf_buf_putc(h->out, '>');
  }
}

static void write_text(html_state *h, const nf_node *n) {
  const char *s = nf_node_content(n);
  if (!s) return;
  const nf_node *p = nf_node_parent(n);
  const hframe *t = top(h);
  if (h->xhtml && t && t->name && (!strcmp(t->name, "ul") ||
                                   !strcmp(t->name, "ol") ||
                                   !strcmp(t->name, "table") ||
                                   !strcmp(t->name, "tr") ||
                                   !strcmp(t->name, "tbody") ||
                                   !strcmp(t->name, "thead") ||
                                   !strcmp(t->name, "tfoot") ||
                                   !strcmp(t->name, "dl"))) {
    /* Only whitespace may stand between the children of these. */
    for (const char *c = s; *c; c++)
      if (!strchr(" \t\n\r\f", *c)) return;
  }
  if (!h->xhtml && p && (nf_node_is(p, "script") || nf_node_is(p, "style"))) {
    /* Raw text: keep it as is, but never let it close its element early. */
    for (const char *c = s; *c; c++) {
      if (c[0] == '<' && c[1] == '/') nf_buf_puts(h->out, "<\\/");
      else nf_buf_putc(h->out, *c);
      if (c[0] == '<' && c[1] == '/') c++;
    }
    return;
  }
  put_text(h->out, s);
}

/* Renders n (or only its children, when children_only) into h->out. */
static void render_tree(html_state *h, const nf_node *n, int children_only) {
  nf_iter it;
  nf_iter_init(&it, (nf_node *)n);
  nf_event ev;
  while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
    nf_node *cur = nf_iter_node(&it);
    if (children_only && cur == n) continue;
    switch (nf_node_kind_of(cur)) {
    case NF_NODE_ELEMENT:
      if (ev == NF_EV_ENTER) enter_element(h, &it, cur);
      else exit_element(h, cur);
      break;
    case NF_NODE_TEXT:
      write_text(h, cur);
      break;
    default:
      break;
    }
  }
}

/* Renders like render_tree; XHTML is then repaired as a whole
 * (xhtml_repair.c: what needs all of a parent's children, as a tfoot
 * before its tbody or cells without a row). */
static void render_content(html_state *h, const nf_node *n,
                           int children_only) {
  if (!h->xhtml) {
    render_tree(h, n, children_only);
    return;
  }
  nf_buf *out = h->out;
  nf_buf frag = NF_BUF_INIT;
  nf_buf_init(&frag);
  h->out = &frag;
  render_tree(h, n, children_only);
  h->out = out;
  nf_xhtml_repair_fragment(frag.ptr ? frag.ptr : "", frag.len, out);
  nf_buf_free(&frag);
}

static const nf_node *child_named(const nf_node *n, const char *tag) {
  for (nf_node *c = nf_node_first_element(n); c; c = nf_node_next_element(c))
    if (nf_node_is(c, tag)) return c;
  return NULL;
}

static void write_document(html_state *h, const nf_node *n) {
  const nf_node *content = n;
  int children_only = 0;
  char *title = NULL;
  const char *lang = h->o->lang;
  if (nf_node_kind_of(n) == NF_NODE_DOCUMENT) n = nf_node_first_element(n);
  if (n && nf_node_is(n, "html")) {
    const nf_node *head = child_named(n, "head");
    const nf_node *t = head ? child_named(head, "title") : NULL;
    if (t && !h->o->title) {
      nf_buf tb = NF_BUF_INIT;
      nf_buf_init(&tb);
      int at_space = 1;
      nf_buf raw = NF_BUF_INIT;
      nf_buf_init(&raw);
      nf_node_text(t, &raw);
      nf_render_collapse(raw.ptr, &tb, &at_space);
      nf_buf_free(&raw);
      title = nf_buf_detach(&tb);
    }
    if (!lang) lang = nf_node_attr(n, "lang");
    content = child_named(n, "body");
    children_only = 1;
  } else if (n && nf_node_is(n, "body")) {
    children_only = 1;
  }
  if (lang && !nf_xhtml_attr_allowed("html", "lang", lang)) lang = NULL;
  if (h->xhtml) {
    nf_buf_puts(h->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<!DOCTYPE html>\n"
                        "<html xmlns=\"http://www.w3.org/1999/xhtml\"");
    if (lang) {
      write_attr(h, "lang", lang, 0);
      write_attr(h, "xml:lang", lang, 0);
    }
    nf_buf_puts(h->out, ">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
  } else {
    nf_buf_puts(h->out, "<!DOCTYPE html>\n<html");
    if (lang) write_attr(h, "lang", lang, 0);
    nf_buf_puts(h->out, ">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, "
                        "initial-scale=1\">\n<title>");
  }
  const char *t = h->o->title ? h->o->title : title ? title : "";
  put_text(h->out, t);
  nf_buf_puts(h->out, "</title>\n</head>\n<body>\n");
  if (content) render_content(h, content, children_only);
  nf_buf_puts(h->out, "\n</body>\n</html>\n");
  free(title);
}

void nf_render_html(const nf_node *n, const nf_render_opts *o, nf_buf *out) {
  static const nf_render_opts defaults;
  html_state h;
  memset(&h, 0, sizeof h);
  h.out = out;
  h.o = o ? o : &defaults;
  h.xhtml = h.o->xhtml;
  h.safe = !h.o->unsafe;
  nf_buf_init(&h.scratch);
  if (n) {
    if (h.o->document) {
      write_document(&h, n);
    } else {
      if (nf_node_kind_of(n) == NF_NODE_DOCUMENT) n = nf_node_first_element(n);
      if (n) render_content(&h, n, 0);
    }
  }
  free(h.stack);
  nf_strset_free(&h.ids);
  nf_buf_free(&h.scratch);
}
