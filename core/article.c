/* article.c: the article of a document, in one place. Metadata (meta.c)
 * and content (extract.c) are read through one entry point each
 * (article.h); this file combines them, derives the description fallback,
 * word count and reading time, and caches the result on the document,
 * which frees it: one article per document, one lifetime. The public
 * halves (nf_meta_extract, nf_meta_extract_declared, nf_content_extract)
 * are thin doors onto the same two entry points. */
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "budget.h"
#include "extract_internal.h"
#include "text.h"

static size_t count_words(const char *s) {
  ex_textcount tc = {0, 0, 0};
  int sp = 1;
  ex_count_text(s, strlen(s), &tc, &sp);
  return (size_t)tc.words;
}

/* A description when the page declares none: the first paragraph of the
 * article body (as Readability's excerpt), else of its text. */
static char *first_paragraph(const nf_article *a) {
  nf_buf raw = NF_BUF_INIT, out = NF_BUF_INIT;
  nf_buf_init(&raw);
  nf_buf_init(&out);
  nf_iter it;
  nf_iter_init(&it, a->body);
  nf_event ev;
  while (a->body && (ev = nf_iter_next(&it)) != NF_EV_NONE) {
    nf_node *n = nf_iter_node(&it);
    if (ev != NF_EV_ENTER || !nf_node_is(n, "p")) continue;
    nf_buf_clear(&raw);
    nf_node_text(n, &raw);
    nf_text_squash(raw.ptr, raw.len, &out);
    if (out.len) break;
    nf_iter_skip_children(&it);
  }
  if (!out.len && a->text) {
    const char *end = strstr(a->text, "\n\n");
    size_t len = end ? (size_t)(end - a->text) : strlen(a->text);
    nf_text_squash(a->text, len, &out);
  }
  nf_buf_free(&raw);
  nf_text_drop_empty_brackets(&out, 0);
  if (!out.len) {
    nf_buf_free(&out);
    return NULL;
  }
  return nf_buf_detach(&out);
}

/* The one path to an article: declared metadata, then the content (which
 * borrows the title), then what is derived from both. The document owns
 * the result and frees it with itself. */
nf_article *nf_article_extract(nf_doc *doc) {
  if (!doc) return NULL;
  if (doc->article) return doc->article;
  nf_article *a = nf_xcalloc(1, sizeof *a);
  nf_meta_read(doc, a, NF_META_DECLARED);
  nf_buf text = NF_BUF_INIT;
  nf_buf_init(&text);
  a->body = nf_content_read(doc, a, &text, &a->source);
  /* (Empty brackets of removed links are gone from the body, so from its
   * text: ex_drop_empty_brackets.) */
  a->text = nf_buf_detach(&text);
  if (!a->description) a->description = first_paragraph(a);
  a->word_count = count_words(a->text);
  /* Rounded up: any text takes a minute; no text takes none. */
  a->reading_time = (int)((a->word_count + W_WORDS_PER_MINUTE - 1) / W_WORDS_PER_MINUTE);
  doc->article = a;
  doc->article_free = (void (*)(void *))nf_article_free;
  return a;
}

/* The same within a budget: the article is cached only when it was made
 * whole (walks stop early once the budget is exhausted). */
nf_article *nf_article_extract_budget(nf_doc *doc, nf_budget *b, char *err,
                                      size_t errlen) {
  if (!doc) return NULL;
  if (doc->article || !b) return nf_article_extract(doc);
  nf_budget *prev = nf_budget_enter(b);
  nf_article *a = nf_budget_tick() ? NULL : nf_article_extract(doc);
  nf_budget_leave(prev);
  if (nf_budget_exhausted(b)) {
    if (a) {
      doc->article = NULL;
      nf_article_free(a);
    }
    nf_budget_error(b, "extraction", err, errlen);
    return NULL;
  }
  return a;
}

const nf_article *nf_doc_cached_article(const nf_doc *doc) {
  return doc ? doc->article : NULL;
}

void nf_article_clear(nf_article *a) {
  if (!a) return;
  free(a->title);
  free(a->byline);
  free(a->description);
  free(a->site_name);
  free(a->lang);
  free(a->dir);
  free(a->url);
  free(a->published);
  free(a->modified);
  nf_pathlist_free(&a->authors);
  nf_pathlist_free(&a->tags);
  free(a->image.url);
  free(a->image.caption);
  free(a->image.credit);
  free(a->image.alt);
  free(a->text);
  memset(a, 0, sizeof *a);
}

void nf_article_free(nf_article *a) {
  nf_article_clear(a);
  free(a);
}

/* ===== The halves, for tests and scripts ================================= */

void nf_meta_extract(nf_doc *doc, nf_article *a) {
  nf_meta_read(doc, a, NF_META_PAGE_PARAGRAPH);
}

void nf_meta_extract_declared(nf_doc *doc, nf_article *a) {
  nf_meta_read(doc, a, NF_META_DECLARED);
}

nf_node *nf_content_extract(nf_doc *doc, const nf_article *meta) {
  nf_buf text = NF_BUF_INIT;
  nf_buf_init(&text);
  nf_node *out = nf_content_read(doc, meta, &text, NULL);
  nf_buf_free(&text);
  return out;
}
