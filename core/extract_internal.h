/* extract_internal.h: shared pieces of the content extractor (extract.c,
 * extract_hints.c, extract_measure.c, extract_ld.c, extract_emit.c). */
#ifndef NF_EXTRACT_INTERNAL_H
#define NF_EXTRACT_INTERNAL_H

#include <string.h>

#include <libxml/tree.h>

#include "doc.h"
#include "extract_weights.h"

/* ---- tag classes (extract_hints.c) --------------------------------------- */
enum {
  EX_TAG_JUNK = 1 << 0,     /* never content: script, style, form controls */
  EX_TAG_INLINE = 1 << 1,   /* phrasing content: a, b, em, span... */
  EX_TAG_PARA = 1 << 2,     /* votes for its ancestors: p, pre, td, h2-h6 */
  EX_TAG_CHROME = 1 << 3,   /* page chrome: nav, aside, footer, header */
  EX_TAG_SEMANTIC = 1 << 4, /* article, main */
  EX_TAG_LIST = 1 << 5,     /* ul, ol, dl */
  EX_TAG_KEEP = 1 << 6,     /* kept as is in the body: p, h2, ul, table... */
  EX_TAG_VOID = 1 << 7      /* img, br, hr... */
};
/* Flags of the lower-case tag name (0 for unknown tags). */
unsigned ex_tag_flags(const char *tag);
/* Flags of element n: by its tag, and for a custom or unknown element by
 * its content model (nf_html_unknown_is_inline): EX_TAG_INLINE when
 * inline, else 0 (a container, treated as div). */
unsigned ex_node_flags(const xmlNode *n);
/* Is element n named tag (lower case, as the HTML parser names them)? */
static inline int ex_tag_is(const xmlNode *n, const char *tag) {
  return n->name && !strcmp((const char *)n->name, tag);
}

/* ---- class/id hints ------------------------------------------------------ */
/* Readability-style class weight of an element: W_CLASS_POSITIVE when its
 * class/id says content, W_CLASS_NEGATIVE when it says boilerplate, both
 * when both (they cancel), W_CLASS_BODY_STRONG for "articleBody" names. */
int ex_class_weight(const xmlNode *el);
/* Does the class/id name page furniture (comments, share, related, promo,
 * newsletter, nav, sidebar, ads...) so strongly that the element is dropped
 * before scoring? Content names (article, body, content, post, story...)
 * veto the weak words (nav, menu, header, sidebar, meta...) but not the
 * strong ones (comment, share, related, promo, newsletter, ad). */
int ex_is_boilerplate(const xmlNode *el);
/* Does the element declare itself the article body (itemprop=articleBody,
 * class/id article-body, story-body, post-content, entry-content...)? */
int ex_is_strong_body(const xmlNode *el);
/* The three answers above in one pass over the class/id. */
typedef struct ex_hints {
  int weight, boilerplate, strong_body;
  int meta; /* a date or author line: <time>, itemprop=date*|author */
  int hover; /* class/id says tooltip, popover, hovercard */
} ex_hints;
void ex_class_hints(const xmlNode *el, ex_hints *out);
/* class/id says caption or credit (wp-caption-text, image-credit...). */
int ex_is_caption(const xmlNode *el);
/* hidden attribute, aria-hidden=true, style display:none/visibility:hidden. */
int ex_is_hidden(const xmlNode *el);
/* <article>, <main>, role=main|article. */
int ex_is_semantic_main(const xmlNode *el);
/* The DPUB-ARIA role of a note link, from its role or its footnote class
 * (the class is not copied into the body; the role is): "doc-noteref",
 * "doc-backlink" or NULL. */
const char *ex_note_role(const xmlNode *a);
/* Is el the standard markup of an embedded social post (blockquote with
 * class twitter-tweet, instagram-media, tiktok-embed...)? */
int ex_is_embedded_post(const xmlNode *el);
/* Readability's base score of a candidate by tag. */
int ex_tag_base_score(const char *tag);

/* ---- text measures (extract_measure.c) ----------------------------------- */
typedef struct ex_textcount {
  int chars;   /* code points with whitespace runs collapsed to one */
  int commas;  /* , and its CJK/Arabic cousins */
  int words;
} ex_textcount;
/* Adds the measures of s[0..len) to tc; *in_space carries the state of the
 * previous piece (start with 1). */
void ex_count_text(const char *s, size_t len, ex_textcount *tc, int *in_space);
/* The node after n in document order within root (n itself or below it),
 * or NULL: a walk without recursion. */
xmlNode *ex_next_in(const xmlNode *n, const xmlNode *root);
/* The same, past n's subtree. */
xmlNode *ex_next_after(const xmlNode *n, const xmlNode *root);
/* Plain text of an emitted body: blocks separated by a blank line,
 * captions left out. */
void ex_body_text(const xmlNode *body, nf_buf *out);

/* ---- JSON-LD articleBody (extract_ld.c) ---------------------------------- */
/* The longest articleBody string of the page's JSON-LD blocks, malloc'd, or
 * NULL (also when shorter than W_LD_MIN_CHARS). */
char *ex_ld_article_body(nf_doc *doc);


/* Is the declared body ld a teaser of the answer (text, len): cut short
 * (it ends in an ellipsis) or cut from it (its words run unbroken in the
 * answer and stop in the middle of a paragraph)? A teaser may add recall
 * to a shorter answer, never replace a longer one. */
int ex_ld_is_teaser(const char *ld, const char *text, size_t len);

/* A set of lower-cased words, to compare texts word by word. */
typedef struct ex_wordset {
  uint64_t *slots;   /* hashes; 0 = empty */
  size_t cap, len;
} ex_wordset;
void ex_wordset_add_text(ex_wordset *ws, const char *s, size_t len);
int ex_wordset_has(const ex_wordset *ws, uint64_t h);
void ex_wordset_free(ex_wordset *ws);
/* Share of the words of s (counted with repeats) found in ws; *nwords
 * receives their number. */
double ex_wordset_coverage(const ex_wordset *ws, const char *s, size_t len,
                           size_t *nwords);

#endif
