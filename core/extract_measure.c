/* extract_measure.c: what the extractor knows of a page before it judges
 * anything: the node table (each element's index, parent and flags), the
 * measuring walk (text, links, commas, paragraphs per subtree), the text
 * measures they rest on, and the two text views the other extractor files
 * share (a source subtree's text, an emitted body's text). It calls only
 * extract_hints.c, so scoring (extract.c), the JSON-LD check
 * (extract_ld.c) and emission (extract_emit.c) all sit above it. */
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "extract_ctx.h"

/* ===== The node table ====================================================== */

static size_t ptr_hash(const void *p) {
  uintptr_t x = (uintptr_t)p;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (size_t)x;
}

static void map_grow(ex_ctx *c) {
  size_t ncap = c->map_cap ? c->map_cap * 2 : 1024;
  int *nm = nf_xcalloc(ncap, sizeof *nm);
  for (size_t i = 0; i < c->len; i++) {
    size_t j = ptr_hash(c->nodes[i].node) & (ncap - 1);
    while (nm[j]) j = (j + 1) & (ncap - 1);
    nm[j] = (int)i + 1;
  }
  free(c->map);
  c->map = nm;
  c->map_cap = ncap;
}

int ex_index_of(const ex_ctx *c, const xmlNode *n) {
  if (!c->map_cap) return -1;
  size_t j = ptr_hash(n) & (c->map_cap - 1);
  while (c->map[j]) {
    int i = c->map[j] - 1;
    if (c->nodes[i].node == n) return i;
    j = (j + 1) & (c->map_cap - 1);
  }
  return -1;
}

static int node_add(ex_ctx *c, xmlNode *n, int parent) {
  if (c->len == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 512;
    c->nodes = nf_xrealloc(c->nodes, c->cap * sizeof *c->nodes);
  }
  if ((c->len + 1) * 2 > c->map_cap) map_grow(c);
  int idx = (int)c->len++;
  ex_node *e = &c->nodes[idx];
  memset(e, 0, sizeof *e);
  e->node = n;
  e->parent = parent;
  e->tagf = ex_node_flags(n);
  size_t j = ptr_hash(n) & (c->map_cap - 1);
  while (c->map[j]) j = (j + 1) & (c->map_cap - 1);
  c->map[j] = idx + 1;
  return idx;
}

static void int_push(int **a, size_t *len, size_t *cap, int v) {
  if (*len == *cap) {
    *cap = *cap ? *cap * 2 : 64;
    *a = nf_xrealloc(*a, *cap * sizeof **a);
  }
  (*a)[(*len)++] = v;
}

void ex_ctx_free(ex_ctx *c) {
  free(c->nodes);
  free(c->map);
  free(c->paras);
  memset(c, 0, sizeof *c);
}

/* ===== Measuring (pass 1) ================================================== */

/* Called on entering element n; returns 0 when its subtree is skipped. */
static int measure_enter(ex_ctx *c, xmlNode *n, int **stack, size_t *depth,
                         size_t *stack_cap) {
  int parent = *depth ? (*stack)[*depth - 1] : -1;
  int idx = node_add(c, n, parent);
  ex_node *e = &c->nodes[idx];
  if ((e->tagf & EX_TAG_JUNK) || ex_is_hidden(n)) {
    e->flags |= EXF_DROP;
    if (parent >= 0 && (ex_tag_is(n, "input") || ex_tag_is(n, "select") ||
                        ex_tag_is(n, "textarea") || ex_tag_is(n, "button")))
      c->nodes[parent].inputs++;
    if (parent >= 0 && (ex_tag_is(n, "iframe") || ex_tag_is(n, "embed") ||
                        ex_tag_is(n, "object") || ex_tag_is(n, "video")))
      c->nodes[parent].embeds++;
    return 0;
  }
  ex_hints h;
  ex_class_hints(n, &h);
  if (h.hover && (e->tagf & EX_TAG_INLINE)) {
    e->flags |= EXF_DROP; /* a card shown on hover, read mid-sentence */
    return 0;
  }
  e->weight = (short)h.weight;
  if (h.boilerplate) e->flags |= EXF_BOILER;
  if (h.strong_body || ex_tag_is(n, "main")) e->flags |= EXF_PROTECT;
  if (h.strong_body) e->flags |= EXF_STRONG;
  if (h.meta) e->flags |= EXF_META;
  if (ex_is_semantic_main(n)) e->flags |= EXF_SEMANTIC;
  if (parent >= 0 && !(e->tagf & EX_TAG_INLINE))
    c->nodes[parent].flags |= EXF_HAS_BLOCK;
  if (ex_tag_is(n, "a")) {
    c->link_depth++;
    const xmlAttr *href = xmlHasProp(n, BAD_CAST "href");
    if (href && href->children && href->children->content &&
        href->children->content[0] == '#')
      e->flags |= EXF_FRAG_LINK;
  }
  int_push(stack, depth, stack_cap, idx);
  return 1;
}

/* An inline subtree with an image and several links, mostly link text:
 * a hover card of headlines inside a paragraph (class 7 of issue 10). */
static int is_hover_card(const ex_node *e) {
  return (e->tagf & EX_TAG_INLINE) && !(e->flags & EXF_BLOCK_BELOW) &&
         !ex_tag_is(e->node, "a") && e->imgs > 0 &&
         e->anchors >= W_HOVER_CARD_MIN_LINKS &&
         ex_link_density(e) >= W_HOVER_CARD_LINK_DENSITY;
}

static void measure_exit(ex_ctx *c, int idx) {
  ex_node *e = &c->nodes[idx];
  const xmlNode *n = e->node;
  if (ex_tag_is(n, "a") && c->link_depth > 0) c->link_depth--;
  if (ex_tag_is(n, "a")) e->anchors++;
  if (!(e->tagf & EX_TAG_INLINE)) e->flags |= EXF_BLOCK_BELOW;
  if (ex_tag_is(n, "img")) e->imgs++;
  if (is_hover_card(e)) {
    /* Dropped: its measures never reach its ancestors, and its text is
     * taken back from the block that counted it as its own. */
    int b = e->parent;
    while (b >= 0 && (c->nodes[b].tagf & EX_TAG_INLINE)) b = c->nodes[b].parent;
    if (b >= 0) {
      c->nodes[b].own -= e->text;
      c->nodes[b].own_commas -= e->commas;
    }
    e->flags |= EXF_DROP;
    return;
  }
  if (ex_tag_is(n, "p")) e->paras++;
  else if (ex_tag_is(n, "li")) e->lis++;
  else if (ex_is_embedded_post(n)) e->embed_text = e->text;
  /* An <article> long enough to be the story protects its ancestors from
   * the furniture filter (a short one is a teaser card: no protection). */
  if ((e->flags & EXF_SEMANTIC) && e->text >= W_PROTECT_ARTICLE_CHARS)
    e->flags |= EXF_PROTECT;
  if (e->own >= W_PARA_MIN_CHARS) int_push(&c->paras, &c->npara, &c->para_cap, idx);
  if (e->parent >= 0) {
    ex_node *p = &c->nodes[e->parent];
    p->text += e->text;
    p->links += e->links;
    p->commas += e->commas;
    p->paras += e->paras;
    p->imgs += e->imgs;
    p->lis += e->lis;
    p->inputs += e->inputs;
    p->embeds += e->embeds;
    p->anchors += e->anchors;
    p->embed_text += e->embed_text;
    p->flags |= e->flags & (EXF_PROTECT | EXF_META | EXF_BLOCK_BELOW | EXF_FRAG_LINK);
  }
}

static void measure_text(ex_ctx *c, const xmlNode *t, const int *stack,
                         size_t depth) {
  if (!depth || !t->content) return;
  ex_textcount tc = {0, 0, 0};
  int in_space = 1;
  ex_count_text((const char *)t->content, strlen((const char *)t->content),
                &tc, &in_space);
  if (!tc.chars) return;
  ex_node *top = &c->nodes[stack[depth - 1]];
  top->text += tc.chars;
  top->commas += tc.commas;
  if (c->link_depth) top->links += tc.chars;
  /* Direct text belongs to the nearest block ancestor: its "own" text. */
  size_t k = depth;
  while (k > 1 && (c->nodes[stack[k - 1]].tagf & EX_TAG_INLINE)) k--;
  ex_node *blk = &c->nodes[stack[k - 1]];
  blk->own += tc.chars;
  blk->own_commas += tc.commas;
}

void ex_measure(ex_ctx *c, xmlNode *root) {
  int *stack = NULL;
  size_t depth = 0, stack_cap = 0;
  xmlNode *n = root;
  int descend = measure_enter(c, n, &stack, &depth, &stack_cap);
  if (!descend) goto done;
  for (;;) {
    (void)nf_budget_tick();   /* counts; a later walk stops if exhausted */
    if (descend && n->children) {
      n = n->children;
    } else {
      if (descend && n->type == XML_ELEMENT_NODE)
        measure_exit(c, stack[--depth]);
      while (n != root && !n->next) {
        n = n->parent;
        measure_exit(c, stack[--depth]);
      }
      if (n == root) break;
      n = n->next;
    }
    descend = 0;
    if (n->type == XML_ELEMENT_NODE)
      descend = measure_enter(c, n, &stack, &depth, &stack_cap);
    else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
      measure_text(c, n, stack, depth);
  }
done:
  free(stack);
}

/* ===== Measures every extractor file reads =============================== */

/* Share of a subtree's text inside links. */
double ex_link_density(const ex_node *e) {
  return e->text > 0 ? (double)e->links / (double)e->text : 0.0;
}

xmlNode *ex_next_after(const xmlNode *n, const xmlNode *root) {
  while (n != root && !n->next) n = n->parent;
  return n == root ? NULL : n->next;
}

xmlNode *ex_next_in(const xmlNode *n, const xmlNode *root) {
  if (n->type == XML_ELEMENT_NODE && n->children) return n->children;
  return ex_next_after(n, root);
}

/* Is e mostly an embedded post (its wrapper)? Standard embed markup
 * outranks class words such as social or widget (class 6). */
int ex_is_embed_wrapper(const ex_node *e) {
  return e->embed_text > 0 && e->embed_text >= e->text * W_EMBED_WRAPPER_SHARE;
}

/* Text of a source subtree, skipping dropped (script, hidden) elements. */
void ex_source_text(const ex_ctx *c, xmlNode *root, nf_buf *out) {
  xmlNode *n = root;
  for (;;) {
    int descend = 1;
    (void)nf_budget_tick();
    if (n->type == XML_ELEMENT_NODE) {
      int i = ex_index_of(c, n);
      if (i < 0 || (c->nodes[i].flags & EXF_DROP)) descend = 0;
      else if (n != root && !(c->nodes[i].tagf & EX_TAG_INLINE))
        nf_buf_putc(out, ' ');
    } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
               n->content) {
      nf_buf_puts(out, (const char *)n->content);
    }
    if (descend && n->type == XML_ELEMENT_NODE && n->children) {
      n = n->children;
      continue;
    }
    while (n != root && !n->next) n = n->parent;
    if (n == root) break;
    n = n->next;
  }
}

/* ===== Text measures ====================================================== */

void ex_count_text(const char *s, size_t len, ex_textcount *tc, int *in_space) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  int space = *in_space;
  while (p < end) {
    unsigned char c = *p;
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
      if (!space) tc->chars++;
      space = 1;
      p++;
      continue;
    }
    /* U+00A0 no-break space counts as space. */
    if (c == 0xC2 && p + 1 < end && p[1] == 0xA0) {
      if (!space) tc->chars++;
      space = 1;
      p += 2;
      continue;
    }
    if (space) tc->words++;
    space = 0;
    if (c == ',') tc->commas++;
    /* U+060C Arabic comma, U+3001 ideographic comma, U+FF0C fullwidth. */
    else if ((c == 0xD8 && p + 1 < end && p[1] == 0x8C) ||
             (c == 0xE3 && p + 2 < end && p[1] == 0x80 && p[2] == 0x81) ||
             (c == 0xEF && p + 2 < end && p[1] == 0xBC && p[2] == 0x8C))
      tc->commas++;
    if ((c & 0xC0) != 0x80) tc->chars++;
    p++;
  }
  *in_space = space;
}

/* ===== Plain text ========================================================= */

typedef struct text_state {
  nf_buf *out;
  size_t para_start; /* where the current paragraph began in out */
  int space;         /* last byte written was (collapsed) space */
} text_state;

static void end_paragraph(text_state *ts) {
  nf_buf *o = ts->out;
  while (o->len > ts->para_start &&
         (o->ptr[o->len - 1] == ' ' || o->ptr[o->len - 1] == '\n'))
    o->len--;
  /* never into the shared empty string (cap 0): other threads read it */
  if (o->cap) o->ptr[o->len] = 0;
  if (o->len > ts->para_start) {
    nf_buf_puts(o, "\n\n");
    ts->para_start = o->len;
  }
  ts->space = 1;
}

static void put_collapsed(text_state *ts, const char *s, int pre) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (pre) {
      nf_buf_putc(ts->out, *p);
      continue;
    }
    int sp = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' || *p == '\f';
    if (*p == 0xC2 && p[1] == 0xA0) sp = 1, p++;
    if (sp) {
      if (!ts->space) nf_buf_putc(ts->out, ' ');
      ts->space = 1;
    } else {
      nf_buf_putc(ts->out, *p);
      ts->space = 0;
    }
  }
}

static int is_text_block(const xmlNode *n) {
  return !(ex_node_flags(n) & EX_TAG_INLINE);
}

/* Is text node t loose inline content of a <figure> (its caption, when a
 * caption block held its image)? Text in a block inside the figure (a
 * quotation, a paragraph) is not. */
static int in_figure_flow(const xmlNode *t) {
  const xmlNode *a = t->parent;
  while (a && a->type == XML_ELEMENT_NODE && !is_text_block(a)) a = a->parent;
  return a && a->type == XML_ELEMENT_NODE && ex_tag_is(a, "figure");
}

void ex_body_text(const xmlNode *body, nf_buf *out) {
  text_state ts = {out, out->len, 1};
  const xmlNode *n = body;
  int pre = 0, figures = 0; /* open <pre>, open <figure> */
  for (;;) {
    int descend = 1;
    if (n->type == XML_ELEMENT_NODE && ex_tag_is(n, "figcaption")) {
      descend = 0;
    } else if (n->type == XML_ELEMENT_NODE) {
      if (ex_tag_is(n, "br")) {
        nf_buf_putc(out, '\n');
        ts.space = 1;
      } else if (ex_tag_is(n, "td") || ex_tag_is(n, "th")) {
        if (!ts.space) nf_buf_putc(out, ' ');
        ts.space = 1;
      } else if (is_text_block(n)) {
        end_paragraph(&ts);
      }
      if (ex_tag_is(n, "pre")) pre++;
      if (ex_tag_is(n, "figure")) figures++;
    } else if (n->type == XML_TEXT_NODE && n->content &&
               !(figures && in_figure_flow(n))) {
      put_collapsed(&ts, (const char *)n->content, pre > 0);
    }
    if (descend && n->type == XML_ELEMENT_NODE && n->children) {
      n = n->children;
      continue;
    }
    for (;;) {
      if (n->type == XML_ELEMENT_NODE) {
        if (ex_tag_is(n, "pre") && pre) pre--;
        if (ex_tag_is(n, "figure") && figures) figures--;
        if (is_text_block(n) && !ex_tag_is(n, "td") && !ex_tag_is(n, "th"))
          end_paragraph(&ts);
      }
      if (n == body || n->next) break;
      n = n->parent;
    }
    if (n == body) break;
    n = n->next;
  }
  end_paragraph(&ts);
  /* Drop the final blank line. */
  while (out->len && out->ptr[out->len - 1] == '\n') out->len--;
  if (out->cap) out->ptr[out->len] = 0;
}
