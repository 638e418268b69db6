/* xhtml_repair.c: the XHTML content model, repaired on a tree (see
 * xhtml_repair.h for the rules). One pass in document order over a
 * private libxml2 tree: each element, when reached, first fixes what its
 * children are (renamed, unwrapped, dropped), then where they stand
 * (wrapped, reordered), then its children are visited. Nodes are linked
 * by hand: xmlAddChild and friends merge text nodes under our feet. */
#include "xhtml_repair.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "escape.h"
#include "html_elements.h"
#include "strset.h"
#include "url.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define SVG_NS "http://www.w3.org/2000/svg"
#define MATHML_NS "http://www.w3.org/1998/Math/MathML"
#define EPUB_NS "http://www.idpf.org/2007/ops"

static int in_list(const char *s, const char *const *list) {
  for (; *list; list++)
    if (!strcmp(s, *list)) return 1;
  return 0;
}

/* ===== Attributes ======================================================= */

static const char *const global_attrs[] = {"id", "class", "title", "lang",
                                           "dir", "xml:lang", NULL};
static const struct {
  const char *tag;
  const char *attrs[6];
} element_attrs[] = {
    {"a", {"href", "hreflang", "rel", "type", NULL}},
    {"img", {"src", "alt", "width", "height", NULL}},
    {"td", {"colspan", "rowspan", "headers", NULL}},
    {"th", {"colspan", "rowspan", "headers", "scope", "abbr", NULL}},
    {"col", {"span", NULL}},
    {"colgroup", {"span", NULL}},
    {"ol", {"start", "reversed", "type", NULL}},
    {"li", {"value", NULL}},
    {"blockquote", {"cite", NULL}},
    {"q", {"cite", NULL}},
    {"del", {"cite", "datetime", NULL}},
    {"ins", {"cite", "datetime", NULL}},
    {"time", {"datetime", NULL}},
    {"data", {"value", NULL}},
    {"details", {"open", NULL}},
};

static int all_digits(const char *s, int sign_ok) {
  if (sign_ok && *s == '-') s++;
  if (!*s) return 0;
  for (; *s; s++)
    if (!isdigit((unsigned char)*s)) return 0;
  return 1;
}

static int is_lang_tag(const char *s) {
  size_t part = 0;
  if (!*s) return 0;
  for (; *s; s++) {
    if (*s == '-') {
      if (part == 0) return 0;
      part = 0;
    } else if (isalnum((unsigned char)*s) && ++part <= 8) {
      continue;
    } else {
      return 0;
    }
  }
  return part > 0;
}

static int is_datetime(const char *s) {
  if (!isdigit((unsigned char)*s)) return 0;
  for (; *s; s++)
    if (!(isdigit((unsigned char)*s) || strchr("-:.TZ+ ", *s))) return 0;
  return 1;
}

int nf_xhtml_attr_allowed(const char *tag, const char *name,
                          const char *value) {
  if (!strncmp(name, "data-", 5) && name[5] && !strchr(name, ':')) {
    for (const char *p = name; *p; p++)
      if (isupper((unsigned char)*p)) return 0;
    return 1;
  }
  int ok = in_list(name, global_attrs);
  for (size_t i = 0; !ok && i < sizeof element_attrs / sizeof *element_attrs;
       i++)
    if (!strcmp(tag, element_attrs[i].tag))
      for (int j = 0; element_attrs[i].attrs[j]; j++)
        if (!strcmp(name, element_attrs[i].attrs[j])) ok = 1;
  if (!ok) return 0;
  if (!strcmp(name, "width") || !strcmp(name, "height") ||
      !strcmp(name, "span"))
    return all_digits(value, 0);
  if (!strcmp(name, "colspan") || !strcmp(name, "rowspan"))
    return all_digits(value, 0) && atol(value) > 0 && atol(value) < 1000;
  if (!strcmp(name, "start") || !strcmp(name, "value"))
    return all_digits(value, 1) && strlen(value) < 10;
  if (!strcmp(name, "dir"))
    return !strcmp(value, "ltr") || !strcmp(value, "rtl") ||
           !strcmp(value, "auto");
  if (!strcmp(name, "lang") || !strcmp(name, "xml:lang"))
    return is_lang_tag(value);
  if (!strcmp(name, "datetime")) return is_datetime(value);
  if (!strcmp(name, "scope"))
    return !strcmp(value, "row") || !strcmp(value, "col") ||
           !strcmp(value, "rowgroup") || !strcmp(value, "colgroup");
  if (!strcmp(name, "type") && !strcmp(tag, "ol"))
    return strlen(value) == 1 && strchr("1aAiI", value[0]);
  if (!strcmp(name, "reversed") || !strcmp(name, "open"))
    return !*value || !strcmp(value, name);
  return 1;
}

/* ===== Element tables =================================================== */

/* The HTML5 elements kept (the renderer's XHTML set). */
static const char *const known[] = {
    "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo",
    "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "data",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "i", "img", "ins", "kbd", "li", "mark", "nav", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul", "var", "wbr", NULL};
static const struct {
  const char *from, *to;
} renamed[] = {{"fieldset", "div"}, {"legend", "p"},   {"dialog", "div"},
               {"menu", "ul"},      {"form", "div"},   {"main", "div"},
               {"center", "div"},   {"strike", "s"},   {"tt", "code"},
               {"acronym", "abbr"}, {"listing", "pre"}, {"xmp", "pre"}};
/* Elements whose content must be phrasing content. */
static const char *const phrasing_only[] = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "span", "em", "strong",
    "b", "i", "u", "s", "small", "mark", "abbr", "cite", "code", "dfn",
    "kbd", "q", "samp", "sub", "sup", "var", "time", "bdi", "bdo", "data",
    "dt", "summary", "rt", "rp", "caption", "ruby", NULL};
static const char *const table_parts[] = {"tr", "td", "th", "thead", "tbody",
                                          "tfoot", NULL};

/* ===== Tree helpers ===================================================== */

typedef struct repair {
  xmlDoc *doc;
  xmlNs *ns;           /* the XHTML namespace of new elements */
  nf_strset ids;
  size_t changes;
} repair;

static const char *name_of(const xmlNode *n) { return (const char *)n->name; }

static int is_xhtml(const xmlNode *n) {
  return n->type == XML_ELEMENT_NODE &&
         (!n->ns || !n->ns->href || !strcmp((const char *)n->ns->href, XHTML_NS));
}

static int is_el(const xmlNode *n, const char *name) {
  return n && is_xhtml(n) && !strcmp(name_of(n), name);
}

static int is_foreign_ok(const xmlNode *n) {
  return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
         (!strcmp((const char *)n->ns->href, SVG_NS) ||
          !strcmp((const char *)n->ns->href, MATHML_NS));
}

static int is_blank_text(const xmlNode *n) {
  if (n->type != XML_TEXT_NODE) return 0;
  for (const xmlChar *s = n->content; s && *s; s++)
    if (!strchr(" \t\n\r\f", *s)) return 0;
  return 1;
}

/* Phrasing content (svg and math are). */
static int is_phrasing(const xmlNode *n) {
  if (n->type != XML_ELEMENT_NODE) return 1;
  if (!is_xhtml(n)) return 1;
  return nf_html_is_inline(name_of(n)) || !strcmp(name_of(n), "rp");
}

static void unlink_node(xmlNode *n) {
  xmlNode *p = n->parent;
  if (n->prev) n->prev->next = n->next;
  else if (p) p->children = n->next;
  if (n->next) n->next->prev = n->prev;
  else if (p) p->last = n->prev;
  n->parent = n->prev = n->next = NULL;
}

static void append_child(xmlNode *parent, xmlNode *child) {
  child->parent = parent;
  child->next = NULL;
  child->prev = parent->last;
  if (parent->last) parent->last->next = child;
  else parent->children = child;
  parent->last = child;
}

static void insert_before(xmlNode *ref, xmlNode *child) {
  child->parent = ref->parent;
  child->next = ref;
  child->prev = ref->prev;
  if (ref->prev) ref->prev->next = child;
  else if (ref->parent) ref->parent->children = child;
  ref->prev = child;
}

static xmlNode *new_el(repair *r, const char *name) {
  r->changes++;
  return xmlNewDocNode(r->doc, r->ns, BAD_CAST name, NULL);
}

static void rename_el(repair *r, xmlNode *n, const char *name) {
  xmlNodeSetName(n, BAD_CAST name);
  r->changes++;
}

static void drop(repair *r, xmlNode *n) {
  unlink_node(n);
  xmlFreeNode(n);
  r->changes++;
}

/* Moves n's children in its place and frees n; returns the first moved
 * child (or what followed n). */
static xmlNode *unwrap(repair *r, xmlNode *n) {
  xmlNode *first = n->children ? n->children : n->next;
  while (n->children) {
    xmlNode *c = n->children;
    unlink_node(c);
    insert_before(n, c);
  }
  drop(r, n);
  return first;
}

/* Wraps the run of siblings from first that fit (fits(node) or blank text
 * between fitting nodes) into a new element wrap; returns it. */
static xmlNode *wrap_run(repair *r, xmlNode *first, const char *wrap,
                         int (*fits)(const xmlNode *)) {
  xmlNode *w = new_el(r, wrap);
  insert_before(first, w);
  xmlNode *n = first;
  while (n) {
    xmlNode *next = n->next;
    if (!fits(n)) {
      if (!is_blank_text(n)) break;
      /* blank text: only when a fitting node follows */
      xmlNode *m = next;
      while (m && is_blank_text(m)) m = m->next;
      if (!m || !fits(m)) break;
    }
    unlink_node(n);
    append_child(w, n);
    n = next;
  }
  return w;
}

/* ===== Children: what they are ========================================== */

typedef struct ctx {
  int phrasing;    /* content must be phrasing */
  int in_a;        /* inside an a */
  int in_hf;       /* inside a header or footer */
} ctx;

/* Fixes what child c of parent is; returns the node to look at next (c
 * itself when kept, else what replaced it or followed it). */
static xmlNode *fix_identity(repair *r, xmlNode *parent, xmlNode *c,
                             const ctx *x) {
  if (c->type != XML_ELEMENT_NODE) {
    if (c->type == XML_TEXT_NODE) return c->next;
    xmlNode *next = c->next;   /* comments, PIs: nothing of the content */
    if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE) drop(r, c);
    return next;
  }
  if (is_foreign_ok(c)) return c->next;
  if (!is_xhtml(c)) return unwrap(r, c);
  const char *tag = name_of(c);
  for (size_t i = 0; i < sizeof renamed / sizeof *renamed; i++)
    if (!strcmp(tag, renamed[i].from)) {
      rename_el(r, c, renamed[i].to);
      tag = name_of(c);
      break;
    }
  if (!in_list(tag, known)) {
    if (nf_html_is_hidden(tag)) {
      xmlNode *next = c->next;
      drop(r, c);
      return next;
    }
    return unwrap(r, c);
  }
  if ((nf_html_flags(tag) & NF_EL_VOID) && c->children) {
    while (c->children) drop(r, c->children);   /* <br>x</br> */
  }
  const char *ptag = is_xhtml(parent) ? name_of(parent) : "";
  int content_phrasing = x->phrasing || in_list(ptag, phrasing_only);
  if (!strcmp(tag, "a") && (x->in_a || !strcmp(ptag, "a")))
    return unwrap(r, c);
  if (content_phrasing && !is_phrasing(c)) {
    if (!strcmp(tag, "hr") || !strcmp(tag, "col") ||
        !strcmp(tag, "colgroup")) {
      xmlNode *next = c->next;
      drop(r, c);
      return next;
    }
    rename_el(r, c, "span");
    return c;
  }
  if (!strcmp(tag, "li") && strcmp(ptag, "ul") && strcmp(ptag, "ol"))
    rename_el(r, c, "div");
  else if ((!strcmp(tag, "dt") || !strcmp(tag, "dd")) && strcmp(ptag, "dl") &&
           !(!strcmp(ptag, "div") && is_el(parent->parent, "dl")))
    rename_el(r, c, "div");
  else if (!strcmp(tag, "figcaption") && strcmp(ptag, "figure"))
    rename_el(r, c, "div");
  else if (!strcmp(tag, "caption") && strcmp(ptag, "table"))
    rename_el(r, c, "div");
  else if ((!strcmp(tag, "rt") || !strcmp(tag, "rp")) && strcmp(ptag, "ruby"))
    rename_el(r, c, "span");
  else if (!strcmp(tag, "summary") &&
           !(!strcmp(ptag, "details") && c == xmlFirstElementChild(parent)))
    rename_el(r, c, "div");
  else if (!strcmp(tag, "details") &&
           !is_el(xmlFirstElementChild(c), "summary"))
    rename_el(r, c, "div");
  else if (!strcmp(tag, "details") && x->in_a)
    rename_el(r, c, "div");
  else if ((!strcmp(tag, "header") || !strcmp(tag, "footer")) && x->in_hf)
    rename_el(r, c, "div");
  else if ((!strcmp(tag, "col") && strcmp(ptag, "colgroup")) ||
           (!strcmp(tag, "colgroup") && strcmp(ptag, "table"))) {
    xmlNode *next = c->next;
    drop(r, c);
    return next;
  }
  return c;
}

/* ===== Children: where they stand ======================================= */

static int is_cell(const xmlNode *n) { return is_el(n, "td") || is_el(n, "th"); }
static int is_row(const xmlNode *n) { return is_el(n, "tr"); }
static int is_li(const xmlNode *n) { return is_el(n, "li"); }
static int is_table_part(const xmlNode *n) {
  return is_xhtml(n) && in_list(name_of(n), table_parts);
}
static int is_row_group(const xmlNode *n) {
  return is_el(n, "thead") || is_el(n, "tbody") || is_el(n, "tfoot");
}
static int is_content(const xmlNode *n) {   /* an element or real text */
  return n->type == XML_ELEMENT_NODE ||
         (n->type == XML_TEXT_NODE && !is_blank_text(n));
}
static int not_cell(const xmlNode *n) { return is_content(n) && !is_cell(n); }
static int not_li(const xmlNode *n) { return is_content(n) && !is_li(n); }
static int not_row_part(const xmlNode *n) {
  return is_content(n) && !is_cell(n) && !is_row(n);
}
static int not_dl_part(const xmlNode *n) {
  return is_content(n) && !is_el(n, "dt") && !is_el(n, "dd");
}

static int not_table_part(const xmlNode *n) {
  return not_row_part(n) && !is_row_group(n) && !is_el(n, "caption") &&
         !is_el(n, "colgroup");
}

/* In a row group (or a table): cells get a row, other content a cell in a
 * row. */
static void fix_rows(repair *r, xmlNode *group, int in_table) {
  int (*misplaced)(const xmlNode *) = in_table ? not_table_part : not_row_part;
  for (xmlNode *c = group->children; c; c = c->next) {
    if (is_cell(c)) {
      c = wrap_run(r, c, "tr", is_cell);
    } else if (misplaced(c)) {
      xmlNode *td = wrap_run(r, c, "td", misplaced);
      xmlNode *tr = new_el(r, "tr");
      insert_before(td, tr);
      unlink_node(td);
      append_child(tr, td);
      c = tr;
    }
  }
}

/* Where a table's child goes: caption, colgroups, thead, bodies, tfoot. */
static int table_rank(const xmlNode *c) {
  return is_el(c, "caption")    ? 0
         : is_el(c, "colgroup") ? 1
         : is_el(c, "thead")    ? 2
         : is_el(c, "tfoot")    ? 4
                                : 3;
}

static void fix_table(repair *r, xmlNode *t) {
  /* extra captions are cells, extra theads and tfoots bodies */
  int captions = 0, theads = 0, tfoots = 0;
  for (xmlNode *c = t->children; c; c = c->next) {
    if (is_el(c, "caption") && captions++) rename_el(r, c, "td");
    else if (is_el(c, "thead") && theads++) rename_el(r, c, "tbody");
    else if (is_el(c, "tfoot") && tfoots++) rename_el(r, c, "tbody");
  }
  fix_rows(r, t, 1);
  for (xmlNode *c = t->children; c; c = c->next)
    if (is_row(c)) c = wrap_run(r, c, "tbody", is_row);
  /* a stable sort by rank (blank text between the parts goes) */
  xmlNode *parts[5] = {0}, *tails[5] = {0};
  int last = 0, moved = 0;
  while (t->children) {
    xmlNode *c = t->children;
    unlink_node(c);
    if (c->type != XML_ELEMENT_NODE) {
      xmlFreeNode(c);
      continue;
    }
    int k = table_rank(c);
    if (k < last) moved = 1;
    last = k;
    if (tails[k]) {
      tails[k]->next = c;
      c->prev = tails[k];
    } else {
      parts[k] = c;
    }
    tails[k] = c;
  }
  if (moved) r->changes++;
  for (int k = 0; k < 5; k++)
    for (xmlNode *c = parts[k]; c;) {
      xmlNode *next = c->next;
      c->prev = c->next = NULL;
      append_child(t, c);
      c = next;
    }
}

/* A dl: groups of dt+ then dd+; other content goes in a dd. */
static void fix_dl(repair *r, xmlNode *dl) {
  for (xmlNode *c = dl->children; c; c = c->next) {
    if (not_dl_part(c) && !(is_el(c, "div") && is_el(dl, "dl")))
      c = wrap_run(r, c, "dd", not_dl_part);
  }
  int have_dt = 0, last_dt = 0;
  xmlNode *last = NULL;
  for (xmlNode *c = dl->children; c; c = c->next) {
    if (is_el(c, "dt")) {
      have_dt = 1;
      last_dt = 1;
      last = c;
    } else if (is_el(c, "dd")) {
      if (!have_dt) insert_before(c, new_el(r, "dt"));
      have_dt = 1;
      last_dt = 0;
      last = c;
    }
  }
  if (last_dt && last) {
    xmlNode *dd = new_el(r, "dd");
    if (last->next) insert_before(last->next, dd);
    else append_child(dl, dd);
  }
}

/* A dl of div groups, or of dt/dd: not both. */
static void fix_dl_divs(repair *r, xmlNode *dl) {
  int divs = 0, parts = 0;
  for (xmlNode *c = dl->children; c; c = c->next) {
    if (is_el(c, "div")) divs++;
    else if (is_content(c)) parts++;
  }
  if (divs && parts) {   /* mixed: the divs go in dds */
    for (xmlNode *c = dl->children; c; c = c->next)
      if (is_el(c, "div")) {
        xmlNode *dd = new_el(r, "dd");
        insert_before(c, dd);
        unlink_node(c);
        append_child(dd, c);
        c = dd;
      }
  }
  fix_dl(r, dl);
}

static void fix_placement(repair *r, xmlNode *n) {
  const char *tag = is_xhtml(n) ? name_of(n) : "";
  if (!strcmp(tag, "table")) {
    fix_table(r, n);
  } else if (!strcmp(tag, "thead") || !strcmp(tag, "tbody") ||
             !strcmp(tag, "tfoot")) {
    fix_rows(r, n, 0);
  } else if (!strcmp(tag, "tr")) {
    for (xmlNode *c = n->children; c; c = c->next)
      if (not_cell(c)) c = wrap_run(r, c, "td", not_cell);
  } else if (!strcmp(tag, "ul") || !strcmp(tag, "ol")) {
    for (xmlNode *c = n->children; c; c = c->next)
      if (not_li(c)) c = wrap_run(r, c, "li", not_li);
  } else if (!strcmp(tag, "dl")) {
    fix_dl_divs(r, n);
  } else if (!strcmp(tag, "div") && is_el(n->parent, "dl")) {
    fix_dl(r, n);
  } else {
    /* table parts outside a table get one */
    for (xmlNode *c = n->children; c; c = c->next)
      if (is_table_part(c)) c = wrap_run(r, c, "table", is_table_part);
  }
}

/* ===== Attributes of one element ======================================== */

static int is_url_attr(const char *name) {
  return !strcmp(name, "href") || !strcmp(name, "src") ||
         !strcmp(name, "cite");
}

/* An XML name without colons (what epubcheck asks of an id); characters
 * beyond ASCII are taken as name characters. */
static int valid_id(const char *v) {
  unsigned char c = (unsigned char)*v;
  if (!(isalpha(c) || c == '_' || c >= 0x80)) return 0;
  for (; *v; v++) {
    c = (unsigned char)*v;
    if (!(isalnum(c) || c == '_' || c == '-' || c == '.' || c >= 0x80))
      return 0;
  }
  return 1;
}

static void fix_attrs(repair *r, xmlNode *n) {
  const char *tag = name_of(n);
  xmlAttr *a = n->properties;
  while (a) {
    xmlAttr *next = a->next;
    const char *name = (const char *)a->name;
    xmlChar *value = xmlNodeGetContent((xmlNode *)a);
    const char *v = value ? (const char *)value : "";
    int keep;
    if (a->ns && a->ns->href) {
      const char *href = (const char *)a->ns->href;
      if (!strcmp(href, EPUB_NS)) keep = 1;
      else if (!strcmp(name, "lang") && a->ns->prefix &&
               !strcmp((const char *)a->ns->prefix, "xml"))
        keep = is_lang_tag(v);
      else keep = 0;
    } else {
      keep = nf_xhtml_attr_allowed(tag, name, v);
      if (keep && !strcmp(name, "id"))
        keep = valid_id(v) && nf_strset_add(&r->ids, v);
      if (keep && is_url_attr(name)) keep = !nf_url_is_unsafe(v);
    }
    xmlFree(value);
    if (!keep) {
      xmlRemoveProp(a);
      r->changes++;
    }
    a = next;
  }
}

/* ===== The pass ========================================================= */

typedef struct frame {
  xmlNode *node;
  ctx x;       /* the context of node's content */
} frame;

size_t nf_xhtml_repair(xmlNode *root) {
  if (!root) return 0;
  repair r;
  memset(&r, 0, sizeof r);
  r.doc = root->doc;
  r.ns = root->ns;
  frame *stack = NULL;
  size_t depth = 0, cap = 0;
  cap = 64;
  stack = nf_xmalloc(cap * sizeof *stack);
  stack[depth++] = (frame){root, {0, 0, 0}};
  while (depth) {
    frame f = stack[--depth];
    xmlNode *n = f.node;
    if (n != root) fix_attrs(&r, n);
    for (xmlNode *c = n->children; c;) {
      xmlNode *next = fix_identity(&r, n, c, &f.x);
      c = next == c ? c->next : next;
    }
    fix_placement(&r, n);
    /* children, pushed last first so that they are visited in order */
    size_t start = depth;
    for (xmlNode *c = n->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE || is_foreign_ok(c)) continue;
      if (depth == cap) {
        cap *= 2;
        stack = nf_xrealloc(stack, cap * sizeof *stack);
      }
      const char *tag = name_of(c);
      ctx x = f.x;
      x.phrasing = x.phrasing || in_list(tag, phrasing_only);
      x.in_a = x.in_a || !strcmp(tag, "a");
      x.in_hf = x.in_hf || !strcmp(tag, "header") || !strcmp(tag, "footer");
      stack[depth++] = (frame){c, x};
    }
    for (size_t i = start, j = depth; i + 1 < j; i++, j--) {
      frame t = stack[i];
      stack[i] = stack[j - 1];
      stack[j - 1] = t;
    }
  }
  free(stack);
  nf_strset_free(&r.ids);
  return r.changes;
}

/* ===== Fragments ======================================================== */

/* prefix:name of an element or attribute. */
static void put_qname(nf_buf *out, const xmlNs *ns, const xmlChar *name) {
  if (ns && ns->prefix) {
    nf_buf_puts(out, (const char *)ns->prefix);
    nf_buf_putc(out, ':');
  }
  nf_buf_puts(out, (const char *)name);
}

static void end_tag(nf_buf *out, const xmlNode *c) {
  nf_buf_puts(out, "</");
  put_qname(out, c->ns, c->name);
  nf_buf_putc(out, '>');
}

/* XHTML of n's children, in the renderer's style: every non-void element
 * closed by an end tag, void ones as <br/>. */
static void serialize(const xmlNode *n, nf_buf *out) {
  const xmlNode *root = n;
  const xmlNode *c = n->children;
  while (c) {
    int descend = 0;
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      const char *s = (const char *)c->content;
      if (s) nf_xml_escape(out, s, strlen(s), 0);
    } else if (c->type == XML_ELEMENT_NODE) {
      nf_buf_putc(out, '<');
      put_qname(out, c->ns, c->name);
      for (xmlNs *d = c->nsDef; d; d = d->next) {
        nf_buf_puts(out, d->prefix ? " xmlns:" : " xmlns");
        if (d->prefix) nf_buf_puts(out, (const char *)d->prefix);
        nf_buf_puts(out, "=\"");
        if (d->href)
          nf_xml_escape(out, (const char *)d->href, strlen((const char *)d->href), 1);
        nf_buf_putc(out, '"');
      }
      for (xmlAttr *a = c->properties; a; a = a->next) {
        nf_buf_putc(out, ' ');
        put_qname(out, a->ns, a->name);
        nf_buf_puts(out, "=\"");
        xmlChar *v = xmlNodeGetContent((xmlNode *)a);
        if (v) nf_xml_escape(out, (const char *)v, strlen((const char *)v), 1);
        xmlFree(v);
        nf_buf_putc(out, '"');
      }
      if (!c->children && is_xhtml(c) && nf_html_flags(name_of(c)) & NF_EL_VOID) {
        nf_buf_puts(out, "/>");
      } else if (!c->children && !is_xhtml(c)) {
        nf_buf_puts(out, "/>");
      } else {
        nf_buf_putc(out, '>');
        descend = c->children != NULL;
        if (!descend) end_tag(out, c);
      }
    }
    if (descend) {
      c = c->children;
      continue;
    }
    while (c && !c->next) {
      c = c->parent;
      if (!c || c == root) return;
      end_tag(out, c);
    }
    c = c->next;
  }
}

xmlDoc *nf_xhtml_parse_fragment(const char *xhtml, size_t len) {
  nf_buf wrapped = NF_BUF_INIT;
  nf_buf_init(&wrapped);
  nf_buf_puts(&wrapped, "<div xmlns=\"" XHTML_NS "\" xmlns:epub=\"" EPUB_NS
                        "\">");
  nf_buf_put(&wrapped, xhtml, len);
  nf_buf_puts(&wrapped, "</div>");
  xmlDoc *doc = xmlReadMemory(wrapped.ptr, (int)wrapped.len, "fragment.xhtml",
                              "UTF-8",
                              XML_PARSE_NONET | XML_PARSE_NOERROR |
                                  XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
  nf_buf_free(&wrapped);
  return doc;
}

void nf_xhtml_repair_fragment(const char *xhtml, size_t len, nf_buf *out) {
  xmlDoc *doc = nf_xhtml_parse_fragment(xhtml, len);
  xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
  if (root && nf_xhtml_repair(root)) serialize(root, out);
  else nf_buf_put(out, xhtml, len);
  xmlFreeDoc(doc);
}
