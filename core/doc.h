/* doc.h: the document structure (doc.c makes, frees and reads it; parse.c
 * fills it; dom.c tracks the nodes it owns). */
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
  /* The article cache (article.c): one per document, freed with it by
   * article_free, so doc.c needs to know nothing of articles. */
  void *article;
  void (*article_free)(void *);
  /* Bumped by every edit of dom.c that adds, moves, removes or renames a
   * node; select.c's cache of sibling positions (freed with the document
   * through select_cache_free) is valid only for the generation it saw. */
  unsigned long generation;
  void *select_cache;
  void (*select_cache_free)(void *);
};

/* doc.c: a document around xml (NULL: a new empty one), which it then
 * owns; the html/head/body skeleton is completed. Never NULL. xml's
 * _private then points back to the document (nf_doc_of). */
nf_doc *nf_doc_adopt(xmlDocPtr xml, nf_input_type type, const char *source);
/* An empty <html><head/><body/></html> document (parse_text.c fills it). */
nf_doc *nf_doc_new_empty(nf_input_type type, const char *source);
/* dom.c: records a node as owned-but-detached (called by every function
 * that makes or unlinks a node). It stays beside the edits that call it:
 * doc.c reads text with dom.c, so dom.c must not need doc.c. */
void nf_doc_track_detached(nf_doc *doc, nf_node *n);

/* The document that owns n's tree, or NULL for trees made outside
 * nf_doc_adopt (the extractor's scratch documents, EPUB chapters). */
static inline nf_doc *nf_doc_of(const nf_node *n) {
  nf_doc *d = n && n->doc ? (nf_doc *)n->doc->_private : NULL;
  return d && d->xml == n->doc ? d : NULL;
}

/* parse_text.c: builds the article tree of a plain-text dump into doc's
 * body (and <title> into head). Returns 0, or -1 with err set. */
int nf_parse_text_article(nf_doc *doc, const char *data, size_t len,
                          char *err, size_t errlen);

#endif
