/* fuzz_common.c: the invariant checks of the fuzz harnesses (fuzz.h). */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "fuzz.h"
#include "utf8.h"

#ifdef NF_FUZZ_CMARK
#include <cmark.h>
#endif

void nf_fuzz_fail(const char *what, const char *text, size_t len) {
  fprintf(stderr, "newsform fuzz: %s\n", what);
  if (text) {
    size_t n = len < 200 ? len : 200;
    fprintf(stderr, "  near: %.*s\n", (int)n, text);
  }
  abort();
}

void nf_fuzz_check_utf8(const char *what, const nf_buf *b) {
  if (!nf_utf8_valid(b->ptr, b->len)) nf_fuzz_fail(what, b->ptr, b->len);
  if (strlen(b->ptr) != b->len) nf_fuzz_fail(what, b->ptr, b->len);
}

static void quiet_xml_error(void *ctx, const char *msg, ...) {
  (void)ctx;
  (void)msg;
}

void nf_fuzz_check_xml(const char *what, const nf_buf *b, int fragment) {
  xmlSetGenericErrorFunc(NULL, quiet_xml_error);
  nf_buf doc = NF_BUF_INIT;
  if (fragment) {
    nf_buf_puts(&doc, "<div xmlns=\"http://www.w3.org/1999/xhtml\" "
                      "xmlns:epub=\"http://www.idpf.org/2007/ops\">");
    nf_buf_put(&doc, b->ptr, b->len);
    nf_buf_puts(&doc, "</div>");
  } else {
    nf_buf_put(&doc, b->ptr, b->len);
  }
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) nf_oom();
  xmlDocPtr x = xmlCtxtReadMemory(
      ctxt, doc.ptr, (int)doc.len, "fuzz.xhtml", "UTF-8",
      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
          XML_PARSE_HUGE);
  /* libxml2's XML parser stops at 2048 levels, its HTML parser at 4096:
   * output nested that deep is not the renderer's fault. */
  int too_deep = ctxt->lastError.message &&
                 strstr(ctxt->lastError.message, "depth") != NULL;
  int ok = x != NULL && ctxt->wellFormed;
  if (!ok && !too_deep) {
    fprintf(stderr, "libxml2: %s", ctxt->lastError.message
                                       ? ctxt->lastError.message
                                       : "(no message)\n");
    xmlFreeDoc(x);
    xmlFreeParserCtxt(ctxt);
    nf_fuzz_fail(what, b->ptr, b->len);
  }
  xmlFreeDoc(x);
  xmlFreeParserCtxt(ctxt);
  nf_buf_free(&doc);
}

nf_json *nf_fuzz_check_json(const char *what, const nf_buf *b) {
  char err[256];
  nf_json *v = nf_json_parse(b->ptr, b->len, err, sizeof err);
  if (!v) {
    fprintf(stderr, "json: %s\n", err);
    nf_fuzz_fail(what, b->ptr, b->len);
  }
  return v;
}

void nf_fuzz_check_markdown(const nf_buf *b) {
#ifdef NF_FUZZ_CMARK
  char *html = cmark_markdown_to_html(b->ptr, b->len, CMARK_OPT_DEFAULT);
  if (!html) nf_fuzz_fail("cmark could not render the Markdown", b->ptr, b->len);
  free(html);
#else
  (void)b;
#endif
}

/* ===== Tree links ======================================================== */

static void check_links(xmlDocPtr xd, xmlNodePtr parent) {
  xmlNodePtr prev = NULL;
  for (xmlNodePtr c = parent->children; c; c = c->next) {
    if (c->parent != parent) nf_fuzz_fail("tree: child's parent is wrong", NULL, 0);
    if (c->prev != prev) nf_fuzz_fail("tree: sibling links disagree", NULL, 0);
    if (c->doc != xd) nf_fuzz_fail("tree: node of another document", NULL, 0);
    prev = c;
  }
  if (parent->last != prev) nf_fuzz_fail("tree: last child is wrong", NULL, 0);
  if (parent->type == XML_ELEMENT_NODE) {
    xmlAttrPtr aprev = NULL;
    for (xmlAttrPtr a = parent->properties; a; a = a->next) {
      if (a->parent != parent || a->prev != aprev)
        nf_fuzz_fail("tree: attribute links disagree", NULL, 0);
      aprev = a;
    }
  }
}

void nf_fuzz_check_tree(nf_doc *doc, nf_node *root) {
  xmlDocPtr xd = doc->xml;
  if (!root) return;
  /* Walks with the links themselves (no stack): a cycle shows up as more
   * nodes than any input here can make. */
  size_t seen = 0;
  xmlNodePtr n = root;
  for (;;) {
    if (++seen > 50u * 1000 * 1000) nf_fuzz_fail("tree: cycle", NULL, 0);
    check_links(xd, n);
    if (n->children && n->type != XML_ENTITY_REF_NODE) {
      n = n->children;
      continue;
    }
    while (n != root && !n->next) n = n->parent;
    if (n == root) break;
    n = n->next;
  }
}

int nf_fuzz_budget_stop(void *ud) {
  nf_fuzz_budget *b = ud;
  return --b->left < 0;
}
