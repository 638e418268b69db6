/* article.h: the inner entry points of the article pipeline. article.c
 * owns the public article API (nf_article_extract, nf_meta_extract,
 * nf_content_extract...) and reaches metadata and content only through
 * these two functions. */
#ifndef NF_ARTICLE_H
#define NF_ARTICLE_H

#include "doc.h"

/* How far nf_meta_read goes for a description the page does not declare. */
typedef enum {
  NF_META_DECLARED = 0,  /* none: article.c takes the body's first paragraph */
  NF_META_PAGE_PARAGRAPH /* the page's first paragraph of 80+ characters */
} nf_meta_mode;

/* meta.c: fills the fields of a that are still NULL from what doc
 * declares (see the order of trust at the top of meta.c). */
void nf_meta_read(nf_doc *doc, nf_article *a, nf_meta_mode mode);

/* extract.c: the main content of doc as a new detached <div> owned by doc
 * (never NULL), and its running text in text (pass an empty buffer). When
 * there is no main content (a fragment, a short page, a page that is all
 * list or table), the cleaned content of the whole body instead; *source
 * (may be NULL) says which. meta (may be NULL) lends the title: headings
 * equal to it are left out. */
nf_node *nf_content_read(nf_doc *doc, const nf_article *meta, nf_buf *text,
                         nf_article_source *source);

#endif
