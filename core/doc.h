/* doc.h: the document structure shared by parse.c, dom.c and friends. */
#ifndef NF_DOC_H
#define NF_DOC_H

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

#include "newsform.h"

struct nf_doc {
  xmlDocPtr xml;
  nf_input_type type;
  char *source;
  char *url;           /* page URL: <base href>, canonical or given; or NULL */
  nf_nodelist detached; /* roots of subtrees owned by the doc but unlinked */
  void *article;        /* cached nf_article (extract.c), freed with the doc */
  void (*article_free)(void *); /* how to free it (set by whoever caches) */
};

/* An empty <html><head/><body/></html> document (parse_text.c fills it). */
nf_doc *nf_doc_new_empty(nf_input_type type, const char *source);
/* Records a node as owned-but-detached (called by every function that
 * makes or unlinks a node). */
void nf_doc_track_detached(nf_doc *doc, nf_node *n);

/* parse_text.c: builds the article tree of a plain-text dump into doc's
 * body (and <title> into head). Returns 0, or -1 with err set. */
int nf_parse_text_article(nf_doc *doc, const char *data, size_t len,
                          char *err, size_t errlen);

#endif
