/* test_fuzz_fixes.c: unit tests for what the coverage-guided fuzzers of
 * tests/fuzz/ found (each finding's input is also kept under
 * tests/fuzz/regressions/ and replayed in every test run). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "newsform.h"
#include "utf8.h"

static int utf8_ok(const nf_buf *b) { return nf_utf8_valid(b->ptr, b->len); }

/* fuzz_lua: a script cut a text in the middle of a character
 * (s:sub(1, 60)) and set it; the renderers then wrote invalid UTF-8. The
 * tree now takes text, attribute values and names as UTF-8 only. */
static void test_edit_text_utf8(void) {
  nf_doc *d = nf_test_parse("<p id=a>x</p>");
  nf_nodelist l = {0};
  char err[128];
  nf_select_css(nf_doc_node(d), "p", &l, err, sizeof err);
  nf_node *p = l.items[0];
  OK(nf_node_set_text(d, p, "caf\xc3"), "set_text with a cut character");
  nf_buf out = NF_BUF_INIT;
  nf_render_markdown(p, NULL, &out);
  OK(utf8_ok(&out), "set_text: Markdown stays UTF-8");
  STR_CONTAINS(out.ptr, "caf\xef\xbf\xbd", "set_text: the cut byte is U+FFFD");
  nf_buf_clear(&out);
  nf_node_set_text(d, nf_node_first_child(p), "\xff text node");
  nf_render_text(p, NULL, &out);
  OK(utf8_ok(&out), "text node content stays UTF-8");
  nf_buf_clear(&out);
  nf_node_set_attr(p, "title", "bad \xe2\x82");
  nf_node_html(p, &out);
  OK(utf8_ok(&out), "attribute value stays UTF-8");
  OK(!nf_node_set_attr(p, "x\xff", "v"), "an attribute name that is not UTF-8 is refused");
  nf_node *t = nf_node_new_text(d, "\xc3(");
  OK(nf_utf8_valid(nf_node_content(t), strlen(nf_node_content(t))), "new text node is UTF-8");
  nf_buf_free(&out);
  nf_nodelist_free(&l);
  nf_doc_free(d);
}

/* fuzz_xpath: a string literal with invalid UTF-8 in the expression came
 * back as the (invalid) string result. */
static void test_xpath_literal_utf8(void) {
  nf_doc *d = nf_test_parse("<p>x</p>");
  nf_xpath_result r;
  char err[256];
  INT_EQ(nf_xpath(d, NULL, "concat('\x80" "a', string(//p))", &r, err, sizeof err), 0,
         "XPath with a bad byte in a literal evaluates");
  OK(r.kind == NF_XPATH_STRING && nf_utf8_valid(r.string, strlen(r.string)),
     "XPath string result is UTF-8");
  STR_EQ(r.string, "\xef\xbf\xbd" "ax", "XPath: the bad byte became U+FFFD");
  nf_xpath_result_free(&r);
  nf_doc_free(d);
}

int main(void) {
  test_edit_text_utf8();
  test_xpath_literal_utf8();
  return nf_test_done();
}
