/* extract_ctx.h: the extractor's per-page state (extract*.c only). */
#ifndef NF_EXTRACT_CTX_H
#define NF_EXTRACT_CTX_H

#include "extract_internal.h"

enum {
  EXF_DROP = 1 << 0,      /* never content: script, style, hidden... */
  EXF_BOILER = 1 << 1,    /* class/id names furniture */
  EXF_EXCLUDED = 1 << 2,  /* itself or an ancestor dropped or furniture */
  EXF_PROTECT = 1 << 3,   /* itself or a descendant is the declared story */
  EXF_HAS_BLOCK = 1 << 4, /* has a block-level element child */
  EXF_CANDIDATE = 1 << 5, /* received paragraph votes */
  EXF_SEMANTIC = 1 << 6,  /* article, main, role=main|article */
  EXF_STRONG = 1 << 7,    /* itemprop=articleBody, class article-body... */
  EXF_META = 1 << 8,      /* itself or a descendant: <time>, itemprop=date*|author */
  EXF_BLOCK_BELOW = 1 << 9, /* itself or a descendant is not inline */
  EXF_FRAG_LINK = 1 << 10  /* itself or a descendant: <a href="#id"> */
};

/* What the extractor knows of one element of the page. */
typedef struct ex_node {
  xmlNode *node;
  int parent;            /* index in ex_ctx.nodes, -1 for the root */
  unsigned tagf;         /* ex_tag_flags */
  unsigned flags;        /* EXF_* */
  int text, links, commas; /* whole subtree (visible text, collapsed) */
  int own, own_commas;   /* loose text directly in this block */
  int paras, imgs, lis, inputs, embeds; /* counts in the subtree */
  int anchors;           /* <a> elements in the subtree */
  int embed_text;        /* text inside standard embedded posts below */
  int ld_chars;          /* text of articleBody-like paragraphs below */
  short weight;          /* class/id weight */
  double score;          /* paragraph votes (Readability's content score) */
  double best_below;     /* best final score in the subtree (itself too) */
} ex_node;

typedef struct ex_ctx {
  nf_doc *doc;
  ex_node *nodes;        /* document order: parents before children */
  size_t len, cap;
  int *map;              /* open addressing: node pointer -> index + 1 */
  size_t map_cap;
  int *paras;            /* elements with >= W_PARA_MIN_CHARS own text */
  size_t npara, para_cap;
  int link_depth;        /* while measuring */
  double best_score;     /* of the best candidate */
  int story_article;     /* the <article> holding the h1 when other stories
                            share the page (class 3), else -1 */
  /* emission */
  const char *base_url;
  const char *title;     /* headings equal to it are dropped */
  int title_chars;       /* its length, as ex_count_text counts */
  const char *description; /* declared (og:description, JSON-LD), or NULL */
  int text_doc;          /* NF_INPUT_TEXT document */
  int whole;             /* emitting the whole body (EX_WHOLE...) */
  int seen_story;        /* emitted a paragraph longer than a meta line */
  int emit_text;         /* text of the roots being emitted */
} ex_ctx;

/* ex_ctx.whole: emitting the whole body keeps every block (no conditional
 * cleaning), and h1 too unless it is the title (EX_WHOLE), or even then
 * (EX_WHOLE_TITLE: the title is all the page says). */
enum { EX_WHOLE = 1, EX_WHOLE_TITLE = 2 };

/* extract_measure.c: the node table and the measures */
/* Fills the table from the subtree at root (one walk, no recursion). */
void ex_measure(ex_ctx *c, xmlNode *root);
/* Index of element n in the table, or -1 (not measured: skipped). */
int ex_index_of(const ex_ctx *c, const xmlNode *n);
double ex_link_density(const ex_node *e);
/* Is e mostly embedded posts (their wrapper)? */
int ex_is_embed_wrapper(const ex_node *e);
/* Text of a source subtree, skipping dropped (script, hidden) elements. */
void ex_source_text(const ex_ctx *c, xmlNode *root, nf_buf *out);
void ex_ctx_free(ex_ctx *c);

/* extract.c: judging the measured page */
int ex_is_furniture(const ex_node *e);
void ex_mark_excluded(ex_ctx *c, int use_filter);
double ex_paragraph_vote(const ex_node *e);
void ex_score(ex_ctx *c);
double ex_final_score(const ex_node *e);
int ex_pick_top(ex_ctx *c);
int ex_sibling_joins(const ex_ctx *c, int top, int s);
void ex_collect_roots(const ex_ctx *c, int top, nf_nodelist *roots);
void ex_collect_paragraphs(const ex_ctx *c, nf_nodelist *roots, int *chars);
int ex_align_with_ld(ex_ctx *c, const ex_wordset *ld);

/* extract_emit.c */
/* Would conditional cleaning drop this container (Readability's
 * _cleanConditionally: link-heavy, image/list/input-heavy, negative)? */
int ex_clean_conditionally(const ex_ctx *c, int idx);
/* Copies the given source subtrees into a fresh detached <div> of clean
 * block elements. */
xmlNode *ex_emit(ex_ctx *c, const nf_nodelist *roots);
/* A fresh detached <div> of <p>s from plain text (paragraphs split at
 * newlines). */
xmlNode *ex_emit_plain(ex_ctx *c, const char *text);

/* extract_edges.c */
/* Does a short block's text read as a dateline or byline ("By ...",
 * "Updated ...", a date: a year and another number in a few words)? */
int ex_is_meta_line(const char *text, size_t len);
/* Does a text node of b hold a separator of meta pieces ("|", "•", "·")?
 * (Only then can a line longer than one meta line be one.) */
int ex_holds_meta_separator(const xmlNode *b);
/* Does a label's text name other stories ("More great stories",
 * "Related")? */
int ex_is_related_label(const char *text, size_t len);
/* Trims calls to action, promos, credits, a comments heading and what
 * follows, datelines and the repeated title from the edges of an emitted
 * body (its top-level blocks). */
void ex_trim_edges(ex_ctx *c, xmlNode *body);
/* Makes captions of the blocks that are captions by position (a short
 * block in emphasis, or a photo credit, right after an image that says
 * nothing) and of gallery counters ("Image 1 of 5"). */
void ex_mark_captions(xmlNode *body);
/* Drops "()", "(, )", "[ ]" left by removed links and elements from the
 * text nodes of an emitted body, line by line (the inline run of one
 * block), by nf_text_drop_empty_brackets_at: the body and the text made
 * from it agree. Code (pre, code) is left alone. */
void ex_drop_empty_brackets(xmlNode *body);

#endif
