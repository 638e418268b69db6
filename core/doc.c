/* doc.c: the document itself: making one around a libxml2 tree (with the
 * html/head/body skeleton every caller may rely on), freeing it with all
 * it owns, and reading it. The parser (parse.c) builds documents through
 * nf_doc_adopt; everything that only reads documents needs this file, not
 * the parser. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "doc.h"

static nf_node *child_named(xmlNodePtr parent, const char *name) {
  for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && xmlStrcasecmp(c->name, BAD_CAST name) == 0)
      return c;
  return NULL;
}

/* Every document has <html> with <head> and <body>, so scripts and
 * renderers never meet a missing one. */
static void ensure_skeleton(xmlDocPtr xml) {
  xmlNodePtr html = xmlDocGetRootElement(xml);
  if (!html || xmlStrcasecmp(html->name, BAD_CAST "html") != 0) {
    xmlNodePtr old = html;
    html = xmlNewDocNode(xml, NULL, BAD_CAST "html", NULL);
    if (old) {
      xmlUnlinkNode(old);
      xmlDocSetRootElement(xml, html);
      xmlNodePtr body = xmlNewDocNode(xml, NULL, BAD_CAST "body", NULL);
      xmlAddChild(html, body);
      xmlAddChild(body, old); /* an element: no text merging */
    } else {
      xmlDocSetRootElement(xml, html);
    }
  }
  xmlNodePtr head = child_named(html, "head");
  xmlNodePtr body = child_named(html, "body");
  if (!head) {
    head = xmlNewDocNode(xml, NULL, BAD_CAST "head", NULL);
    if (html->children) xmlAddPrevSibling(html->children, head);
    else xmlAddChild(html, head);
  }
  if (!body) {
    body = xmlNewDocNode(xml, NULL, BAD_CAST "body", NULL);
    /* Content libxml2 left directly under <html> (frameset pages, odd
     * markup) moves into the new body. */
    xmlNodePtr c = head->next;
    xmlAddNextSibling(head, body);
    while (c) {
      xmlNodePtr next = c->next;
      if (c != body) {
        xmlUnlinkNode(c);
        if (body->last) { c->prev = body->last; body->last->next = c; }
        else body->children = c;
        c->parent = body;
        body->last = c;
      }
      c = next;
    }
  }
  /* After a stray </html> libxml2 may start a second top-level <html>:
   * content outside the root would be seen by select but not by walk,
   * renderers or doc.body; it goes to the end of the body. */
  for (xmlNodePtr c = html->next, next; c; c = next) {
    next = c->next;
    if (c->type != XML_ELEMENT_NODE && c->type != XML_TEXT_NODE &&
        c->type != XML_CDATA_SECTION_NODE)
      continue;
    xmlUnlinkNode(c);
    if (body->last) { c->prev = body->last; body->last->next = c; }
    else body->children = c;
    c->parent = body;
    body->last = c;
  }
}

nf_doc *nf_doc_adopt(xmlDocPtr xml, nf_input_type type, const char *source) {
  nf_doc *doc = nf_xcalloc(1, sizeof *doc);
  doc->xml = xml ? xml : htmlNewDocNoDtD(NULL, NULL);
  if (!doc->xml) nf_oom();
  doc->xml->_private = doc;
  doc->type = type;
  doc->source = nf_xstrdup(source ? source : "");
  ensure_skeleton(doc->xml);
  return doc;
}

nf_doc *nf_doc_new_empty(nf_input_type type, const char *source) {
  return nf_doc_adopt(NULL, type, source);
}

void nf_doc_free(nf_doc *doc) {
  if (!doc) return;
  if (doc->article && doc->article_free) doc->article_free(doc->article);
  if (doc->select_cache && doc->select_cache_free)
    doc->select_cache_free(doc->select_cache);
  /* Free the roots of detached subtrees first (they use doc's dictionary);
   * a tracked node that was re-inserted somewhere has a parent now and is
   * freed with that tree. Decide all roots before freeing any. */
  size_t roots = 0;
  for (size_t i = 0; i < doc->detached.len; i++) {
    xmlNodePtr n = doc->detached.items[i];
    if (n->parent == NULL) doc->detached.items[roots++] = n;
  }
  for (size_t i = 0; i < roots; i++) xmlFreeNode(doc->detached.items[i]);
  nf_nodelist_free(&doc->detached);
  xmlFreeDoc(doc->xml);
  free(doc->source);
  free(doc->url);
  free(doc);
}

nf_input_type nf_doc_type(const nf_doc *doc) { return doc->type; }
const char *nf_doc_source(const nf_doc *doc) { return doc->source ? doc->source : ""; }
const char *nf_doc_url(const nf_doc *doc) { return doc->url; }
nf_node *nf_doc_node(nf_doc *doc) { return (nf_node *)doc->xml; }
nf_node *nf_doc_root(nf_doc *doc) { return xmlDocGetRootElement(doc->xml); }
nf_node *nf_doc_head(nf_doc *doc) { return child_named(nf_doc_root(doc), "head"); }
nf_node *nf_doc_body(nf_doc *doc) { return child_named(nf_doc_root(doc), "body"); }

char *nf_doc_title(nf_doc *doc) {
  nf_node *title = child_named(nf_doc_head(doc), "title");
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  if (title) nf_node_text(title, &b);
  if (!b.len) {
    nf_iter it;
    nf_iter_init(&it, nf_doc_body(doc));
    nf_event ev;
    while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
      nf_node *n = nf_iter_node(&it);
      if (ev == NF_EV_ENTER && nf_node_is(n, "h1")) {
        nf_node_text(n, &b);
        break;
      }
    }
  }
  /* Collapse whitespace: titles are one line. */
  size_t w = 0;
  int space = 1;
  for (size_t r = 0; r < b.len; r++) {
    unsigned char c = (unsigned char)b.ptr[r];
    if (isspace(c)) {
      if (!space) b.ptr[w++] = ' ';
      space = 1;
    } else {
      b.ptr[w++] = (char)c;
      space = 0;
    }
  }
  while (w && b.ptr[w - 1] == ' ') w--;
  nf_buf_truncate(&b, w);
  if (!b.len) {
    nf_buf_free(&b);
    return NULL;
  }
  return nf_buf_detach(&b);
}
