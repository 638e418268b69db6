/* normalize.c: renaming elements by a map, and turning presentational markup
 * into semantic markup. Only nf_node_* edits: nothing is ever freed. */
#include "newsform.h"
#include "html_elements.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static int cmp_cstr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Lists below are sorted byte-wise for bsearch. */
static int in_list(const char *const *list, size_t n, const char *w) {
  return w && bsearch(&w, list, n, sizeof *list, cmp_cstr) != NULL;
}

/* ===== Retag ============================================================ */

size_t nf_retag(nf_doc *doc, nf_node *root, const nf_retag_pair *map,
                size_t count) {
  if (!root || !map || nf_node_kind_of(root) != NF_NODE_ELEMENT) return 0;
  size_t renamed = 0;
  nf_iter it;
  nf_iter_init(&it, root);
  /* Renaming does not change the structure, so the walk stays valid. */
  for (nf_node *n; (n = nf_iter_next_element(&it));) {
    /* <html>, <head> and <body> stay: everything else relies on them. */
    if (doc && (n == nf_doc_root(doc) || n == nf_doc_head(doc) ||
                n == nf_doc_body(doc)))
      continue;
    const char *name = nf_node_name(n);
    for (size_t i = 0; i < count; i++) {
      if (!map[i].from || strcasecmp(map[i].from, name) != 0) continue;
      if (map[i].to && strcasecmp(map[i].to, name) != 0 &&
          nf_node_set_name(n, map[i].to))
        renamed++;
      break;
    }
  }
  return renamed;
}

/* ===== Normalize ======================================================== */

typedef struct rename_rule {
  const char *from, *to;
} rename_rule;

static const rename_rule renames[] = {
    {"acronym", "abbr"}, {"b", "strong"},   {"center", "div"}, {"dir", "ul"},
    {"i", "em"},         {"s", "del"},      {"strike", "del"}, {"tt", "code"},
};

/* Attributes that only say how things look. */
static const char *const presentational_attrs[] = {
    "align",  "alink",   "background", "bgcolor", "border", "cellpadding",
    "cellspacing", "class", "clear", "color", "face", "frame", "hspace",
    "id", "link", "nowrap", "rules", "style", "text", "valign", "vlink",
    "vspace",
};

/* Elements whose width/height describe content (kept there). */
static const char *const sized_elements[] = {
    "audio", "canvas", "embed", "iframe", "img", "input", "object",
    "source", "svg", "video",
};

/* Attributes that make a span/font worth keeping. */
static const char *const meaningful_attrs[] = {
    "dir", "itemid", "itemprop", "itemscope", "itemtype", "lang", "title",
    "translate", "xml:lang",
};

/* Never removed for being empty, beside void and hidden elements (whose
 * emptiness says nothing): media, table structure, document structure. */
static const char *const keep_when_empty[] = {
    "audio", "body", "colgroup", "html", "option", "picture", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "video",
};

static int kept_attr(const nf_normalize_opts *o, const char *name) {
  if (!o) return 0;
  for (size_t i = 0; i < o->keep_attrs_len; i++)
    if (o->keep_attrs[i] && strcasecmp(o->keep_attrs[i], name) == 0) return 1;
  return 0;
}

static int drops_attr(const char *tag, const char *name,
                      const nf_normalize_opts *o) {
  if (kept_attr(o, name)) return 0;
  if ((name[0] == 'o' || name[0] == 'O') && (name[1] == 'n' || name[1] == 'N'))
    return 1; /* event handlers */
  char lower[32];
  size_t n = strlen(name);
  if (n >= sizeof lower) return 0;
  for (size_t i = 0; i <= n; i++)
    lower[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] + 32
                                                          : name[i]);
  if (in_list(presentational_attrs, COUNT_OF(presentational_attrs), lower))
    return 1;
  if (!strcmp(lower, "width") || !strcmp(lower, "height"))
    return !in_list(sized_elements, COUNT_OF(sized_elements), tag);
  if (!strcmp(lower, "size"))
    return !strcmp(tag, "font") || !strcmp(tag, "basefont") ||
           !strcmp(tag, "hr");
  return 0;
}

/* Drops the attributes that normalize does not keep; returns how many. */
static size_t drop_attrs(nf_node *e, const nf_normalize_opts *o) {
  size_t dropped = 0, i = 0;
  const char *name, *value;
  const char *tag = nf_node_name(e);
  while (nf_node_attr_at(e, i, &name, &value)) {
    char copy[256];
    size_t n = strlen(name);
    if (n < sizeof copy && drops_attr(tag, name, o)) {
      memcpy(copy, name, n + 1); /* name dies with the attribute */
      if (nf_node_set_attr(e, copy, NULL)) {
        dropped++;
        continue; /* the next attribute moved to index i */
      }
    }
    i++;
  }
  return dropped;
}

static int has_meaningful_attr(nf_node *e, const nf_normalize_opts *o) {
  const char *name, *value;
  for (size_t i = 0; nf_node_attr_at(e, i, &name, &value); i++) {
    char lower[32];
    size_t n = strlen(name);
    if (kept_attr(o, name)) return 1;
    if (n >= sizeof lower) continue;
    for (size_t k = 0; k <= n; k++)
      lower[k] = (char)((name[k] >= 'A' && name[k] <= 'Z') ? name[k] + 32
                                                            : name[k]);
    if (in_list(meaningful_attrs, COUNT_OF(meaningful_attrs), lower)) return 1;
  }
  return 0;
}

static int is_blank_text(const char *t) {
  for (const unsigned char *p = (const unsigned char *)t; p && *p; p++) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
      continue;
    if (p[0] == 0xC2 && p[1] == 0xA0) { /* no-break space */
      p++;
      continue;
    }
    return 0;
  }
  return 1;
}

/* No element children and no visible text: 1; also *has_space when some
 * whitespace text is inside. */
static int is_empty(nf_node *e, int *has_space) {
  *has_space = 0;
  for (nf_node *c = nf_node_first_child(e); c; c = nf_node_next(c)) {
    nf_node_kind k = nf_node_kind_of(c);
    if (k == NF_NODE_ELEMENT) return 0;
    if (k == NF_NODE_TEXT) {
      const char *t = nf_node_content(c);
      if (!is_blank_text(t)) return 0;
      if (t && *t) *has_space = 1;
    }
  }
  return 1;
}

static int keeps_when_empty(nf_node *e, const char *tag) {
  if (nf_html_flags(tag) & (NF_EL_VOID | NF_EL_HIDDEN)) return 1;
  if (in_list(keep_when_empty, COUNT_OF(keep_when_empty), tag)) return 1;
  if (nf_node_attr(e, "id")) return 1; /* an anchor target (kept id) */
  if (!strcmp(tag, "a") && nf_node_attr(e, "name")) return 1;
  return 0;
}

/* Only text and phrasing elements inside, and something visible. */
static int holds_only_inline(nf_node *e) {
  int visible = 0;
  for (nf_node *c = nf_node_first_child(e); c; c = nf_node_next(c)) {
    nf_node_kind k = nf_node_kind_of(c);
    if (k == NF_NODE_ELEMENT) {
      if (!nf_html_node_is_inline(c)) return 0;
      visible = 1;
    } else if (k == NF_NODE_TEXT) {
      if (!is_blank_text(nf_node_content(c))) visible = 1;
    } else if (k != NF_NODE_COMMENT) {
      return 0;
    }
  }
  return visible;
}

/* One element, after all of its descendants were normalized. */
static size_t normalize_one(nf_doc *doc, nf_node *e, int is_root,
                            const nf_normalize_opts *o) {
  size_t edits = 0;
  const char *tag = nf_node_name(e);
  for (size_t i = 0; i < COUNT_OF(renames); i++) {
    if (!strcmp(tag, renames[i].from)) {
      if (nf_node_set_name(e, renames[i].to)) edits++;
      break;
    }
  }
  tag = nf_node_name(e);
  edits += drop_attrs(e, o);
  if (is_root) {
    if (!strcmp(tag, "div") && holds_only_inline(e) &&
        nf_node_set_name(e, "p"))
      edits++;
    return edits;
  }
  if ((!strcmp(tag, "span") || !strcmp(tag, "font") ||
       !strcmp(tag, "basefont")) &&
      !has_meaningful_attr(e, o)) {
    return edits + (size_t)nf_node_unwrap(doc, e);
  }
  int has_space;
  if (!keeps_when_empty(e, tag) && is_empty(e, &has_space)) {
    /* "a<b> </b>b": unwrap to keep the words apart; else remove. */
    if (has_space && nf_html_node_is_inline(e))
      return edits + (size_t)nf_node_unwrap(doc, e);
    return edits + (size_t)nf_node_unlink(doc, e);
  }
  if (!strcmp(tag, "div") && holds_only_inline(e) && nf_node_set_name(e, "p"))
    edits++;
  return edits;
}

size_t nf_normalize(nf_doc *doc, nf_node *root, const nf_normalize_opts *opts) {
  if (!doc || !root || nf_node_kind_of(root) != NF_NODE_ELEMENT) return 0;
  /* Elements in document order; processed backwards, so every element
   * comes after its descendants and sees them already normalized. */
  nf_nodelist els = {0};
  nf_iter it;
  nf_iter_init(&it, root);
  for (nf_node *n; (n = nf_iter_next_element(&it));) nf_nodelist_push(&els, n);
  size_t edits = 0;
  for (size_t i = els.len; i-- > 0;)
    edits += normalize_one(doc, els.items[i], els.items[i] == root, opts);
  nf_nodelist_free(&els);
  return edits;
}
