/* test_render_html.c: nf_render_html, HTML and XHTML, on the examples of
 * tests/fixtures/render/html.txt; XHTML that must be well-formed is checked
 * with libxml2's XML parser. */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "harness.h"
#include "newsform.h"
#include "spec.h"

#define SPEC "tests/fixtures/render/html.txt"

static void silent(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }

/* Is s well-formed XML (wrapped in a root element unless whole)? */
static int well_formed(const char *s, int whole) {
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  if (!whole) nf_buf_puts(&b, "<root xmlns=\"http://www.w3.org/1999/xhtml\">");
  nf_buf_puts(&b, s);
  if (!whole) nf_buf_puts(&b, "</root>");
  xmlSetGenericErrorFunc(NULL, silent);
  xmlDocPtr d = xmlReadMemory(b.ptr, (int)b.len, "t.xhtml", "UTF-8",
                              XML_PARSE_NONET | XML_PARSE_NOERROR |
                                  XML_PARSE_NOWARNING);
  int ok = d != NULL;
  xmlFreeDoc(d);
  nf_buf_free(&b);
  return ok;
}

/* Examples as the shared runner does them; a wellformed case renders and
 * parses its output as XML (a whole document with `document`). */
static int run_case(const nf_spec_case *c, nf_buf *out, void *ud) {
  int r = nf_spec_render(c, out, ud);
  if (strcmp(c->kind, "wellformed") != 0 || r != 1) return r;
  if (well_formed(out->ptr, nf_spec_get(c, "document") != NULL)) return 1;
  nf_buf_puts(out, "\n(not well-formed XML)");
  return 0;
}

int main(void) {
  nf_test_renderer html = nf_render_html;
  int n = nf_spec_run(SPEC, run_case, &html, NF_SPEC_NO_FINAL_NEWLINE);
  OK(n >= 28, "spec file has examples");
  xmlCleanupParser();
  return nf_test_done();
}
