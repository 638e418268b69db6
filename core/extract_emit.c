/* extract_emit.c: copying the chosen content into a clean detached tree
 * (its plain text is ex_body_text, extract_measure.c).
 *
 * The copy is built from fresh libxml2 nodes linked by hand (xmlAddChild
 * would merge text nodes); only its root is registered with the document,
 * which frees it. Loose inline content between blocks is wrapped in <p>;
 * wrappers (div, section, span...) are unwrapped; furniture, empty
 * elements and link-heavy blocks are left out. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/uri.h>

#include "extract_ctx.h"
#include "strset.h"

/* ===== Conditional cleaning =============================================== */

static int has_ancestor_tag(const ex_ctx *c, int idx, const char *tag) {
  for (int a = c->nodes[idx].parent; a >= 0; a = c->nodes[a].parent)
    if (ex_tag_is(c->nodes[a].node, tag)) return 1;
  return 0;
}

/* Containers that conditional cleaning looks at: wrappers, lists, tables,
 * forms (not paragraphs, headings or inline elements). */
static int is_cleanable(const ex_node *e) {
  if (e->tagf & (EX_TAG_INLINE | EX_TAG_PARA | EX_TAG_VOID)) return 0;
  const char *t = (const char *)e->node->name;
  if (e->tagf & EX_TAG_KEEP)
    return !strcmp(t, "ul") || !strcmp(t, "ol") || !strcmp(t, "dl") ||
           !strcmp(t, "table");
  return 1; /* div, section, form, unknown custom elements... */
}

/* Is the element before list idx in the page a short label naming other
 * stories ("More great stories")? */
static int has_related_label(const ex_ctx *c, int idx) {
  const xmlNode *prev = c->nodes[idx].node->prev;
  while (prev && prev->type != XML_ELEMENT_NODE) prev = prev->prev;
  int p = prev ? ex_index_of(c, prev) : -1;
  if (p < 0 || !c->nodes[p].text || c->nodes[p].text > W_LIST_LABEL_MAX_CHARS) return 0;
  nf_buf t = NF_BUF_INIT;
  nf_buf_init(&t);
  ex_source_text(c, c->nodes[p].node, &t);
  int label = ex_is_related_label(t.ptr, t.len);
  nf_buf_free(&t);
  return label;
}

/* Is list idx a section of the story: right after a heading that does not
 * name other stories ("Performance", "What changed")? */
static int is_section_list(const ex_ctx *c, int idx) {
  const xmlNode *prev = c->nodes[idx].node->prev;
  while (prev && prev->type != XML_ELEMENT_NODE) prev = prev->prev;
  if (!prev) return 0;
  const char *t = (const char *)prev->name;
  if (!(t[0] == 'h' && t[1] >= '2' && t[1] <= '6' && !t[2])) return 0;
  return !has_related_label(c, idx);
}

/* A list whose items mostly carry a link covering half their text, or,
 * after a label naming other stories, whose items all carry one covering
 * a part of it: related stories, even when their teaser text keeps the
 * list's link share low (class 4). */
static int is_related_list(const ex_ctx *c, int idx) {
  int items = 0, linked = 0, partly = 0;
  for (const xmlNode *ch = c->nodes[idx].node->children; ch; ch = ch->next) {
    if (ch->type != XML_ELEMENT_NODE || !ex_tag_is(ch, "li")) continue;
    int i = ex_index_of(c, ch);
    if (i < 0 || !c->nodes[i].text) continue;
    items++;
    double ld = ex_link_density(&c->nodes[i]);
    if (ld >= W_RELATED_ITEM_LINK_SHARE) linked++;
    if (ld >= W_RELATED_ALL_ITEMS_LINK_SHARE) partly++;
  }
  if (items >= W_RELATED_MIN_ITEMS && linked > items * W_RELATED_LIST_SHARE &&
      !is_section_list(c, idx))
    return 1;
  return items >= W_RELATED_ALL_MIN_ITEMS && partly == items && has_related_label(c, idx);
}

/* A label and its links: "Tags: a, b, c", "Related: a | b": at least two
 * links, and outside them only a short label and separators (class 4). */
static int is_link_list_line(const ex_node *e) {
  return e->anchors >= 2 && e->text - e->links <= W_LABEL_MAX_CHARS + 2 * e->anchors;
}

/* A wrapper holding one paragraph and nothing else: judged as that
 * paragraph, which conditional cleaning never drops (class 6). */
static int is_paragraph_wrapper(const ex_node *e) {
  if (e->paras != 1 || e->own) return 0;
  const xmlNode *only = NULL;
  for (const xmlNode *ch = e->node->children; ch; ch = ch->next) {
    if (ch->type != XML_ELEMENT_NODE) continue;
    if (only) return 0;
    only = ch;
  }
  return only && ex_tag_is(only, "p");
}

int ex_clean_conditionally(const ex_ctx *c, int idx) {
  const ex_node *e = &c->nodes[idx];
  if (!is_cleanable(e) || (e->flags & (EXF_STRONG | EXF_PROTECT))) return 0;
  if (ex_is_embed_wrapper(e) || is_paragraph_wrapper(e)) return 0;
  int weight = e->weight;
  double score = (e->flags & EXF_CANDIDATE) ? e->score : 0.0;
  /* Votes are positive: a negative total with a neutral class is the tag's
   * base score alone, which never removes content (class 6). */
  if (weight + score < 0 && weight < 0) return 1;
  double ld = ex_link_density(e);
  int is_list = (e->tagf & EX_TAG_LIST) != 0;
  /* A list that is mostly links: "related", "more stories", tag lists. */
  if (is_list && ld > W_LINK_LIST_DENSITY) return 1;
  if (is_list && e->text <= c->emit_text * W_RELATED_MAX_SHARE && is_related_list(c, idx))
    return 1;
  if (e->commas >= W_CLEAN_MIN_COMMAS) return 0;
  int p = e->paras, img = e->imgs;
  if (img > 1 && (double)p / img < 0.5 && !has_ancestor_tag(c, idx, "figure"))
    return 1;
  if (!is_list && e->lis - 100 > p) return 1;
  if (e->inputs > p / 3) return 1;
  if (!is_list && e->text < W_CLEAN_MIN_CHARS && (img == 0 || img > 2) &&
      !has_ancestor_tag(c, idx, "figure"))
    return 1;
  if (!is_list && weight < W_CLASS_POSITIVE && ld > W_CLEAN_LINK_DENSITY)
    return 1;
  if (weight >= W_CLASS_POSITIVE && ld > W_CLEAN_LINK_DENSITY_STRONG) return 1;
  if ((e->embeds == 1 && e->text < 75) || e->embeds > 1) return 1;
  return 0;
}

/* A short paragraph that is one link: "Read more: ...", "Subscribe". */
static int is_link_line(const ex_node *e) {
  return e->text > 0 && e->text <= W_LINK_ONLY_MAX_CHARS &&
         ex_link_density(e) >= W_LINK_ONLY_DENSITY;
}

/* Does inline element e stand alone in a wrapper (div, section...): no
 * text or inline element beside it, so it renders as a block? */
static int is_alone_in_wrapper(const ex_ctx *c, const ex_node *e) {
  if (e->parent < 0) return 0;
  const ex_node *p = &c->nodes[e->parent];
  if (p->tagf & (EX_TAG_INLINE | EX_TAG_PARA | EX_TAG_KEEP)) return 0;
  const xmlNode *sides[2] = {e->node->prev, e->node->next};
  for (int k = 0; k < 2; k++)
    for (const xmlNode *s = sides[k]; s; s = k ? s->next : s->prev) {
      if (s->type == XML_TEXT_NODE && s->content &&
          s->content[strspn((const char *)s->content, " \t\r\n")])
        return 0;
      if (s->type != XML_ELEMENT_NODE) continue;
      int i = ex_index_of(c, s);
      if (i >= 0 && (c->nodes[i].tagf & EX_TAG_INLINE) &&
          !(c->nodes[i].flags & EXF_EXCLUDED) && c->nodes[i].text)
        return 0;
      break; /* a block: this side ends here */
    }
  return 1;
}

/* ===== Deciding each element ============================================== */

/* EMIT_DROP_LIST: a related list, dropped with the label right before it. */
enum { EMIT_DROP, EMIT_UNWRAP, EMIT_KEEP, EMIT_CAPTION, EMIT_DROP_LIST };

static const char *const kept_inline[] = {
    "a",   "abbr", "b",   "br",  "cite", "code", "del", "dfn", "em",
    "i",   "img",  "ins", "kbd", "mark", "q",    "s",   "samp", "small",
    "strong", "sub", "sup", "u",  "var",  NULL};

static int in_list(const char *const *list, const char *s) {
  for (; *list; list++)
    if (!strcmp(*list, s)) return 1;
  return 0;
}

static int is_squashed(unsigned char ch) { return isalnum(ch) || ch >= 0x80; }

/* Is the text of source element idx the title, compared on lower-cased
 * letters and digits only? Compared as it is read: the first difference
 * ends it (every short block is asked). */
static int heading_is_title(ex_ctx *c, int idx) {
  if (!c->title || !*c->title) return 0;
  const unsigned char *t = (const unsigned char *)c->title;
  xmlNode *root = c->nodes[idx].node;
  int any = 0;
  for (xmlNode *n = root; n;) {
    if (n->type == XML_ELEMENT_NODE) {
      int i = ex_index_of(c, n);
      if (i < 0 || (c->nodes[i].flags & EXF_DROP)) {
        n = ex_next_after(n, root);
        continue;
      }
    } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
               n->content) {
      for (const unsigned char *p = n->content; *p; p++) {
        if (!is_squashed(*p)) continue;
        while (*t && !is_squashed(*t)) t++;
        if (!*t || tolower(*t) != tolower(*p)) return 0;
        t++;
        any = 1;
      }
    }
    n = ex_next_in(n, root);
  }
  while (*t && !is_squashed(*t)) t++;
  return any && !*t;
}

/* A short block named caption/credit, holding at most one or two short
 * paragraphs: emitted as <figcaption> (or as <figure> when it holds the
 * image). */
static int is_caption_block(const ex_ctx *c, int idx) {
  const ex_node *e = &c->nodes[idx];
  const char *tag = (const char *)e->node->name;
  return e->paras <= (!strcmp(tag, "p") ? 1 : W_CAPTION_MAX_PARAS) &&
         e->text < W_CAPTION_MAX_CHARS && strcmp(tag, "figcaption") &&
         strcmp(tag, "a") && ex_is_caption(e->node);
}

/* Is an ancestor already a caption (a credit inside a caption stays where
 * it is)? */
static int inside_caption(const ex_ctx *c, int idx) {
  for (int a = c->nodes[idx].parent; a >= 0; a = c->nodes[a].parent)
    if (ex_tag_is(c->nodes[a].node, "figcaption") ||
        (c->nodes[a].imgs == 0 && is_caption_block(c, a)))
      return 1;
  return 0;
}

/* A short block before the first real paragraph that is a dateline, a
 * byline or a meta line, or a line of such pieces (class 5). */
static int is_meta_line_block(ex_ctx *c, int idx) {
  const ex_node *e = &c->nodes[idx];
  if (c->seen_story || (e->tagf & EX_TAG_INLINE) || e->text > W_META_PIECES_MAX_CHARS)
    return 0;
  if (e->text > W_META_LINE_MAX_CHARS && !ex_holds_meta_separator(e->node)) return 0;
  if ((e->flags & EXF_META) && e->text <= W_META_LINE_MAX_CHARS) return 1;
  nf_buf t = NF_BUF_INIT;
  nf_buf_init(&t);
  ex_source_text(c, e->node, &t);
  int meta = ex_is_meta_line(t.ptr, t.len);
  nf_buf_free(&t);
  return meta;
}

/* Any block whose text is the title, whatever its tag. */
static int block_is_title(ex_ctx *c, int idx) {
  const ex_node *e = &c->nodes[idx];
  if ((e->tagf & EX_TAG_INLINE) || !c->title_chars) return 0;
  if (e->text < c->title_chars / 2 || e->text > c->title_chars + c->title_chars / 4 + 8)
    return 0;
  return heading_is_title(c, idx);
}

/* A layout table holds paragraphs or other tables: unwrap it. */
static int is_layout_table(const ex_node *e) {
  return e->paras > 0 || (e->flags & EXF_HAS_BLOCK && e->text > 1000);
}

static int decide(ex_ctx *c, int idx, int is_root) {
  const ex_node *e = &c->nodes[idx];
  const char *tag = (const char *)e->node->name;
  if (e->flags & EXF_EXCLUDED) return EMIT_DROP;
  if (e->tagf & EX_TAG_VOID) {
    if (!strcmp(tag, "img") || !strcmp(tag, "br")) return EMIT_KEEP;
    return EMIT_DROP;
  }
  if (e->text == 0 && e->imgs == 0) return EMIT_DROP;
  int heading = tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6' && !tag[2];
  /* An h1 is dropped when it is the title or comes before the story; an
   * h1 inside the story is one of its headings (class 6). */
  if (heading && tag[1] == '1' && !c->whole && (!c->seen_story || heading_is_title(c, idx)))
    return EMIT_DROP;
  if (heading)
    return c->whole != EX_WHOLE_TITLE && heading_is_title(c, idx) ? EMIT_DROP
                                                                   : EMIT_KEEP;
  /* The whole body (a fragment, a short page) keeps every block. */
  if (!c->whole && !is_root && (e->tagf & EX_TAG_LIST) && is_cleanable(e) &&
      !(e->flags & (EXF_STRONG | EXF_PROTECT)) &&
      e->text <= c->emit_text * W_RELATED_MAX_SHARE && is_related_list(c, idx))
    return EMIT_DROP_LIST;
  if (!c->whole && !is_root && ex_clean_conditionally(c, idx)) return EMIT_DROP;
  if (!c->whole && !is_root && (is_meta_line_block(c, idx) || block_is_title(c, idx)))
    return EMIT_DROP;
  /* A paragraph joined as a sibling may be the byline line (class 5). */
  if (!c->whole && is_root && (e->tagf & EX_TAG_PARA) && is_meta_line_block(c, idx))
    return EMIT_DROP;
  if (!c->whole && !strcmp(tag, "p") && (is_link_line(e) || is_link_list_line(e)))
    return EMIT_DROP;
  /* A link that renders as a block of its own ("Also on ...") is a link
   * line too. */
  if (!c->whole && !is_root && ex_tag_is(e->node, "a") && is_link_line(e) &&
      is_alone_in_wrapper(c, e))
    return EMIT_DROP;
  if (is_caption_block(c, idx) && !inside_caption(c, idx)) return EMIT_CAPTION;
  if (!strcmp(tag, "table") && is_layout_table(e)) return EMIT_UNWRAP;
  if (e->tagf & EX_TAG_KEEP) return EMIT_KEEP;
  if ((e->tagf & EX_TAG_INLINE) && in_list(kept_inline, tag)) return EMIT_KEEP;
  return EMIT_UNWRAP;
}

/* ===== Building the copy ================================================== */

enum { OUT_WRAP, OUT_FLOW, OUT_LIST, OUT_TABLE, OUT_INLINE };

typedef struct out_entry {
  xmlNode *node;
  int kind;
  int src_depth;  /* closed when the source element at this depth ends */
  int implicit;   /* a <p>/<li> we opened for loose content */
} out_entry;

typedef struct emitter {
  ex_ctx *c;
  xmlDocPtr xml;
  out_entry *out;
  size_t nout, cap;
  unsigned char *src_inline; /* per source depth: inline element? */
  size_t src_cap;
  /* open source tables: depth, and whether unwrapped as layout */
  int table_depth[64];
  unsigned char table_layout[64];
  int ntables;
  /* In-body fragment links: the ids they name (targets keep their id
   * attribute) and the ids the copy holds (each once). */
  nf_strset link_ids, kept_ids;
} emitter;

static int out_kind_of(const char *tag) {
  if (!strcmp(tag, "div") || !strcmp(tag, "blockquote")) return OUT_WRAP;
  if (!strcmp(tag, "li") || !strcmp(tag, "dd") || !strcmp(tag, "td") ||
      !strcmp(tag, "th") || !strcmp(tag, "figure") || !strcmp(tag, "dl") ||
      !strcmp(tag, "figcaption"))
    return OUT_FLOW;
  if (!strcmp(tag, "ul") || !strcmp(tag, "ol")) return OUT_LIST;
  if (!strcmp(tag, "table") || !strcmp(tag, "thead") || !strcmp(tag, "tbody") ||
      !strcmp(tag, "tfoot") || !strcmp(tag, "tr"))
    return OUT_TABLE;
  return OUT_INLINE;
}

static void append_child(xmlNode *parent, xmlNode *child) {
  child->parent = parent;
  child->doc = parent->doc;
  child->next = NULL;
  if (!parent->children) {
    child->prev = NULL;
    parent->children = parent->last = child;
  } else {
    child->prev = parent->last;
    parent->last->next = child;
    parent->last = child;
  }
}

static void out_push(emitter *em, xmlNode *n, int kind, int depth, int implicit) {
  if (em->nout == em->cap) {
    em->cap = em->cap ? em->cap * 2 : 32;
    em->out = nf_xrealloc(em->out, em->cap * sizeof *em->out);
  }
  em->out[em->nout++] = (out_entry){n, kind, depth, implicit};
}

static out_entry *out_top(emitter *em) { return &em->out[em->nout - 1]; }

/* Depth of the nearest non-inline source element at or above depth. */
static int block_depth(const emitter *em, int depth) {
  while (depth > 0 && em->src_inline[depth]) depth--;
  return depth;
}

static xmlNode *new_element(emitter *em, const char *tag) {
  return xmlNewDocNode(em->xml, NULL, BAD_CAST tag, NULL);
}

/* The output parent for a block (is_block) or inline piece coming from the
 * source element at depth. Opens implicit <p>/<li> as needed. */
static xmlNode *place(emitter *em, int is_block, const char *tag, int depth) {
  if (is_block) {
    while (em->nout > 1 && out_top(em)->kind == OUT_INLINE) em->nout--;
    out_entry *top = out_top(em);
    if (top->kind == OUT_LIST && strcmp(tag, "li")) {
      xmlNode *li = new_element(em, "li");
      append_child(top->node, li);
      out_push(em, li, OUT_FLOW, block_depth(em, depth), 1);
    }
    return out_top(em)->node;
  }
  out_entry *top = out_top(em);
  if (top->kind == OUT_WRAP) {
    xmlNode *p = new_element(em, "p");
    append_child(top->node, p);
    out_push(em, p, OUT_INLINE, block_depth(em, depth), 1);
  } else if (top->kind == OUT_LIST) {
    xmlNode *li = new_element(em, "li");
    append_child(top->node, li);
    out_push(em, li, OUT_FLOW, block_depth(em, depth), 1);
  }
  return out_top(em)->node;
}

static int is_blank(const char *s) {
  for (; *s; s++)
    if (!isspace((unsigned char)*s) && !((unsigned char)*s == 0xC2 &&
                                         (unsigned char)s[1] == 0xA0))
      return 0;
    else if ((unsigned char)*s == 0xC2) s++;
  return 1;
}

static void emit_text(emitter *em, const xmlNode *t, int depth) {
  const char *s = (const char *)t->content;
  if (!s || !*s) return;
  int kind = out_top(em)->kind;
  if (is_blank(s) && (kind == OUT_WRAP || kind == OUT_LIST || kind == OUT_TABLE))
    return;
  if (kind == OUT_TABLE) return; /* stray text between table rows */
  xmlNode *parent = place(em, 0, "#text", depth);
  append_child(parent, xmlNewDocText(em->xml, BAD_CAST s));
}

/* The URL of attribute value v resolved against the page, malloc'd. */
static char *absolute_url(const emitter *em, const char *v) {
  while (*v && isspace((unsigned char)*v)) v++;
  size_t n = strlen(v);
  while (n && isspace((unsigned char)v[n - 1])) n--;
  char *trimmed = nf_xstrndup(v, n);
  if (!em->c->base_url || !*trimmed) return trimmed;
  xmlChar *abs = xmlBuildURI(BAD_CAST trimmed, BAD_CAST em->c->base_url);
  if (!abs) return trimmed;
  free(trimmed);
  char *out = nf_xstrdup((const char *)abs);
  xmlFree(abs);
  return out;
}

static const char *src_attr(const xmlNode *n, const char *name) {
  for (const xmlAttr *a = n->properties; a; a = a->next)
    if (a->name && !strcmp((const char *)a->name, name))
      return a->children && a->children->content
                 ? (const char *)a->children->content
                 : "";
  return NULL;
}

static void set_attr(xmlNode *n, const char *name, const char *value) {
  xmlNewProp(n, BAD_CAST name, BAD_CAST value);
}

/* The real image URL: lazy-loading attributes first, then src, then the
 * first srcset candidate. NULL when there is none. */
static const char *image_source(const xmlNode *img, char *buf, size_t cap) {
  static const char *const lazy[] = {"data-src", "data-lazy-src",
                                     "data-original", "data-url", NULL};
  for (int i = 0; lazy[i]; i++) {
    const char *v = src_attr(img, lazy[i]);
    if (v && *v && strncmp(v, "data:", 5)) return v;
  }
  const char *src = src_attr(img, "src");
  if (src && *src && strncmp(src, "data:", 5)) return src;
  const char *srcset = src_attr(img, "srcset");
  if (!srcset) srcset = src_attr(img, "data-srcset");
  if (srcset) {
    while (*srcset && isspace((unsigned char)*srcset)) srcset++;
    size_t n = 0;
    while (srcset[n] && !isspace((unsigned char)srcset[n]) && srcset[n] != ',')
      n++;
    if (n && n < cap) {
      memcpy(buf, srcset, n);
      buf[n] = 0;
      return buf;
    }
  }
  return src && *src ? src : NULL;
}

static int is_tracking_pixel(const xmlNode *img) {
  const char *w = src_attr(img, "width"), *h = src_attr(img, "height");
  return (w && atoi(w) > 0 && atoi(w) <= 2) || (h && atoi(h) > 0 && atoi(h) <= 2);
}

/* ===== In-body fragment links ============================================= */

/* The id an href names when it is a fragment of this page ("#fn1"), or
 * NULL. */
static const char *fragment_id(const char *href) {
  return href[0] == '#' && href[1] ? href + 1 : NULL;
}

/* Collects the ids that links inside the roots point to ("#fn1"): their
 * targets keep the id so that a note reference (and a back-link) still
 * finds its note in the copy. */
static void collect_link_ids(emitter *em, const nf_nodelist *roots) {
  for (size_t i = 0; i < roots->len; i++) {
    xmlNode *root = roots->items[i], *n = root;
    while (n) {
      int idx = n->type == XML_ELEMENT_NODE ? ex_index_of(em->c, n) : -1;
      if (idx < 0 || !(em->c->nodes[idx].flags & EXF_FRAG_LINK)) {
        n = ex_next_after(n, root); /* nothing below links to a fragment */
        continue;
      }
      if (ex_tag_is(n, "a")) {
        const char *href = src_attr(n, "href");
        const char *id = href ? fragment_id(href) : NULL;
        if (id) nf_strset_add(&em->link_ids, id);
      }
      n = ex_next_in(n, root);
    }
  }
}

/* Is n the target of an in-body fragment link? */
static int is_link_target(const emitter *em, const xmlNode *n) {
  const char *id = em->link_ids.len ? src_attr(n, "id") : NULL;
  return id && nf_strset_has(&em->link_ids, id);
}

/* A fragment link whose target is in the copy stays relative (the body is
 * read as a document of its own: Markdown footnotes, EPUB chapters); one
 * whose target was left out goes to the page. */
static void resolve_fragment_links(emitter *em, xmlNode *body) {
  for (xmlNode *n = body; n; n = ex_next_in(n, body)) {
    if (n->type == XML_ELEMENT_NODE && ex_tag_is(n, "a")) {
      xmlAttr *a = xmlHasProp(n, BAD_CAST "href");
      const char *href = a && a->children ? (const char *)a->children->content : NULL;
      const char *id = href ? fragment_id(href) : NULL;
      if (id && !nf_strset_has(&em->kept_ids, id)) {
        char *abs = absolute_url(em, href);
        xmlSetProp(n, BAD_CAST "href", BAD_CAST abs);
        free(abs);
      }
    }
  }
}

/* Makes the output element for a kept source element; NULL to drop it. */
static xmlNode *copy_element(emitter *em, const xmlNode *src, const char *tag) {
  char buf[1024];
  if (!strcmp(tag, "img")) {
    const char *s = image_source(src, buf, sizeof buf);
    if (!s || is_tracking_pixel(src)) return NULL;
    xmlNode *img = new_element(em, "img");
    char *abs = absolute_url(em, s);
    set_attr(img, "src", abs);
    free(abs);
    const char *alt = src_attr(src, "alt");
    if (alt) set_attr(img, "alt", alt);
    return img;
  }
  xmlNode *n = new_element(em, tag);
  if (!strcmp(tag, "a")) {
    const char *href = src_attr(src, "href");
    if (href && fragment_id(href)) {
      /* Resolved after the copy, by resolve_fragment_links. */
      set_attr(n, "href", href);
      const char *role = ex_note_role(src);
      if (role) set_attr(n, "role", role);
    } else if (href && strncmp(href, "javascript:", 11)) {
      char *abs = absolute_url(em, href);
      set_attr(n, "href", abs);
      free(abs);
    }
    const char *title = src_attr(src, "title");
    if (title && *title) set_attr(n, "title", title);
  } else if (!strcmp(tag, "td") || !strcmp(tag, "th")) {
    const char *v;
    if ((v = src_attr(src, "colspan"))) set_attr(n, "colspan", v);
    if ((v = src_attr(src, "rowspan"))) set_attr(n, "rowspan", v);
  } else if (!strcmp(tag, "ol")) {
    const char *v = src_attr(src, "start");
    if (v) set_attr(n, "start", v);
  }
  const char *id = src_attr(src, "id");
  if (id && nf_strset_has(&em->link_ids, id) && nf_strset_add(&em->kept_ids, id))
    set_attr(n, "id", id);
  return n;
}

/* <br><br> inside loose text ends the implicit paragraph. */
static void emit_br(emitter *em, int depth) {
  out_entry *top = out_top(em);
  if (top->kind == OUT_WRAP || top->kind == OUT_LIST || top->kind == OUT_TABLE)
    return;
  if (top->implicit && top->kind == OUT_INLINE) {
    xmlNode *last = top->node->last;
    if (!last) return;
    if (last->type == XML_ELEMENT_NODE && ex_tag_is(last, "br")) {
      /* Our own fresh node: nothing else refers to it. */
      xmlUnlinkNode(last);
      xmlFreeNode(last);
      em->nout--;
      return;
    }
  }
  append_child(top->node, new_element(em, "br"));
  (void)depth;
}

static void close_to_depth(emitter *em, int depth) {
  while (em->nout > 1 && out_top(em)->src_depth >= depth) em->nout--;
}

static int is_table_part(const char *tag) {
  return !strcmp(tag, "tr") || !strcmp(tag, "td") ||
         !strcmp(tag, "th") || !strcmp(tag, "tbody") || !strcmp(tag, "thead") ||
         !strcmp(tag, "tfoot") || !strcmp(tag, "caption") ||
         !strcmp(tag, "colgroup") || !strcmp(tag, "col");
}

/* Is out block b a list's label: a heading, or a short line that does not
 * end a sentence ("More stories", "Related:")? */
static int is_list_label(const xmlNode *b) {
  if (b->type != XML_ELEMENT_NODE) return 0;
  const char *t = (const char *)b->name;
  int heading = t[0] == 'h' && t[1] >= '2' && t[1] <= '6' && !t[2];
  if (!heading && strcmp(t, "p")) return 0;
  nf_buf text = NF_BUF_INIT;
  nf_buf_init(&text);
  ex_body_text(b, &text);
  ex_textcount tc = {0, 0, 0};
  int sp = 1;
  ex_count_text(text.ptr, text.len, &tc, &sp);
  char last = text.len ? text.ptr[text.len - 1] : 0;
  int label = tc.chars > 0 && tc.chars <= W_LIST_LABEL_MAX_CHARS &&
              (heading || (last != '.' && last != '!' && last != '?' && last != '"'));
  nf_buf_free(&text);
  return label;
}

/* Drops the label or heading right before a dropped related list: the
 * last block of the copy so far (our own node: freed). */
static void drop_list_label(emitter *em) {
  while (em->nout > 1 && out_top(em)->kind == OUT_INLINE) em->nout--;
  xmlNode *last = out_top(em)->node->last;
  while (last && last->type == XML_TEXT_NODE) last = last->prev;
  if (last && is_list_label(last)) {
    xmlUnlinkNode(last);
    xmlFreeNode(last);
  }
}

/* Enters source element n at depth; returns 1 to descend into it. */
static int emit_enter(emitter *em, xmlNode *n, int depth, int is_root) {
  if ((size_t)depth >= em->src_cap) {
    size_t ncap = em->src_cap ? em->src_cap * 2 : 64;
    while (ncap <= (size_t)depth) ncap *= 2;
    em->src_inline = nf_xrealloc(em->src_inline, ncap);
    em->src_cap = ncap;
  }
  int idx = ex_index_of(em->c, n);
  if (idx < 0) return 0;
  const ex_node *e = &em->c->nodes[idx];
  const char *tag = (const char *)n->name;
  em->src_inline[depth] = (e->tagf & EX_TAG_INLINE) != 0;
  int what = decide(em->c, idx, is_root);
  if (what == EMIT_DROP_LIST) drop_list_label(em);
  if (what == EMIT_DROP || what == EMIT_DROP_LIST) return 0;
  if ((e->tagf & EX_TAG_PARA) && e->text > W_META_LINE_MAX_CHARS) em->c->seen_story = 1;
  if (!strcmp(tag, "table") && em->ntables < 64) {
    em->table_depth[em->ntables] = depth;
    em->table_layout[em->ntables++] = what == EMIT_UNWRAP;
  }
  if (what == EMIT_UNWRAP &&
      !(is_link_target(em, n) && strcmp(tag, "table") && !is_table_part(tag)))
    return 1;
  /* A link's target that would be unwrapped is kept, as a plain wrapper,
   * to carry its id. */
  if (what == EMIT_UNWRAP) tag = (e->tagf & EX_TAG_INLINE) ? "span" : "div";
  /* Parts of a layout table, or of a table left out of the copy (a root
   * inside a table: a cell or a row chosen as the content), are unwrapped:
   * a table part never stands outside its table. */
  if ((!em->ntables || em->table_layout[em->ntables - 1]) && is_table_part(tag))
    return 1;
  if (!strcmp(tag, "br")) {
    emit_br(em, depth);
    return 0;
  }
  if (what == EMIT_CAPTION) tag = e->imgs ? "figure" : "figcaption";
  xmlNode *copy = copy_element(em, n, tag);
  if (!copy) return 0;
  int is_block = !(e->tagf & EX_TAG_INLINE) || what == EMIT_CAPTION;
  xmlNode *parent = place(em, is_block, tag, depth - 1 >= 0 ? depth - 1 : 0);
  append_child(parent, copy);
  if (e->tagf & EX_TAG_VOID) return 0;
  out_push(em, copy, out_kind_of(tag), depth, 0);
  return 1;
}

static void emit_exit(emitter *em, xmlNode *n, int depth) {
  if (em->ntables && em->table_depth[em->ntables - 1] == depth &&
      ex_tag_is(n, "table"))
    em->ntables--;
  close_to_depth(em, depth);
}

static void emit_root(emitter *em, xmlNode *root) {
  int depth = 0;
  xmlNode *n = root;
  int descend = emit_enter(em, n, 0, 1);
  if (!descend) {
    close_to_depth(em, 0);
    return;
  }
  for (;;) {
    if (descend && n->children) {
      n = n->children;
      depth++;
    } else {
      if (descend && n->type == XML_ELEMENT_NODE) emit_exit(em, n, depth);
      while (n != root && !n->next) {
        n = n->parent;
        depth--;
        emit_exit(em, n, depth);
      }
      if (n == root) break;
      n = n->next;
    }
    descend = 0;
    if (n->type == XML_ELEMENT_NODE)
      descend = emit_enter(em, n, depth, 0);
    else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
      emit_text(em, n, depth - 1);
  }
  close_to_depth(em, 0);
}

xmlNode *ex_emit(ex_ctx *c, const nf_nodelist *roots) {
  emitter em;
  memset(&em, 0, sizeof em);
  em.c = c;
  em.xml = c->doc->xml;
  xmlNode *body = new_element(&em, "div");
  out_push(&em, body, OUT_WRAP, -1, 0);
  collect_link_ids(&em, roots);
  c->seen_story = 0;
  c->emit_text = 0;
  for (size_t i = 0; i < roots->len; i++) {
    int r = ex_index_of(c, roots->items[i]);
    if (r >= 0) c->emit_text += c->nodes[r].text;
  }
  for (size_t i = 0; i < roots->len; i++) {
    em.ntables = 0;
    emit_root(&em, roots->items[i]);
    em.nout = 1;
  }
  if (em.link_ids.len) resolve_fragment_links(&em, body);
  nf_strset_free(&em.link_ids);
  nf_strset_free(&em.kept_ids);
  free(em.out);
  free(em.src_inline);
  return body;
}

xmlNode *ex_emit_plain(ex_ctx *c, const char *text) {
  xmlDocPtr xml = c->doc->xml;
  xmlNode *body = xmlNewDocNode(xml, NULL, BAD_CAST "div", NULL);
  const char *p = text;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    char *line = nf_xstrndup(p, n);
    if (!is_blank(line)) {
      xmlNode *para = xmlNewDocNode(xml, NULL, BAD_CAST "p", NULL);
      append_child(para, xmlNewDocText(xml, BAD_CAST line));
      append_child(body, para);
    }
    free(line);
    p += n;
    if (*p) p++;
  }
  ex_drop_empty_brackets(body);
  return body;
}
