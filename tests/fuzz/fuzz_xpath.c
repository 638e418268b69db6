/* fuzz_xpath.c: XPath 1.0 with its operation budget. The input up to its
 * first NUL is the expression; after the NUL come the bytes of the page
 * (none: a fixed page). Evaluated from the document and from an element.
 * Invariants: an error has a message and leaves the result empty; node
 * sets hold nodes of this document (attached or attributes), each once;
 * strings are valid UTF-8. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "utf8.h"

static const char fixed_page[] =
    "<html><head><title>T</title><meta name=author content=Ann></head><body>"
    "<div id=a class=x><p>one <b>two</b> three</p><p lang=en>caf\xc3\xa9"
    "</p><!-- note --><ul><li>1</li><li>2</li><li><ol><li>x</li></ol></li>"
    "</ul></div><div id=b><table><tr><td>1</td><td>2.5</td></tr></table>"
    "<a href=\"/x?y=1&amp;z\">link</a><img src=i.png alt=\"\"></div>"
    "</body></html>";

static void eval(nf_doc *doc, nf_node *ctx, const char *expr) {
  nf_xpath_result res;
  char err[256] = "";
  if (nf_xpath(doc, ctx, expr, &res, err, sizeof err) < 0) {
    if (!err[0]) nf_fuzz_fail("XPath error without a message", expr, strlen(expr));
    return;
  }
  switch (res.kind) {
  case NF_XPATH_NODES:
    for (size_t i = 0; i < res.nodes.len; i++) {
      nf_node *n = res.nodes.items[i];
      if (!n) nf_fuzz_fail("XPath: NULL node in a node-set", expr, strlen(expr));
      const char *c = nf_node_content(n);
      if (c && !nf_utf8_valid(c, strlen(c)))
        nf_fuzz_fail("XPath: node content is not UTF-8", c, strlen(c));
    }
    break;
  case NF_XPATH_STRING:
    if (!res.string || !nf_utf8_valid(res.string, strlen(res.string)))
      nf_fuzz_fail("XPath: string result is not UTF-8", expr, strlen(expr));
    break;
  default:
    break;
  }
  nf_xpath_result_free(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > (1u << 18)) return 0;
  const char *bytes = (const char *)data;
  const char *nul = memchr(bytes, '\0', size);
  size_t elen = nul ? (size_t)(nul - bytes) : size;
  char *expr = nf_xstrndup(bytes, elen);
  char err[256];
  nf_doc *doc;
  if (nul && elen + 1 < size)
    doc = nf_doc_parse(nul + 1, size - elen - 1, NULL, err, sizeof err);
  else
    doc = nf_doc_parse(fixed_page, sizeof fixed_page - 1, NULL, err, sizeof err);
  if (doc) {
    eval(doc, NULL, expr);
    nf_nodelist ps = {0};
    nf_select_css(nf_doc_node(doc), "p, li, td", &ps, err, sizeof err);
    if (ps.len) eval(doc, ps.items[ps.len / 2], expr);
    nf_nodelist_free(&ps);
    nf_fuzz_check_tree(doc, nf_doc_node(doc));
    nf_doc_free(doc);
  }
  free(expr);
  return 0;
}
