/* test_normalize.c: nf_retag and nf_normalize, each rule and where it must
 * not fire. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "newsform.h"

static nf_doc *parse(const char *body_html) {
  nf_buf b;
  nf_buf_init(&b);
  nf_buf_printf(&b, "<!DOCTYPE html><html><head><title>t</title></head>"
                    "<body>%s</body></html>", body_html);
  nf_parse_opts o = {0};
  o.type = NF_INPUT_HTML;
  char err[256];
  nf_doc *doc = nf_doc_parse(b.ptr, b.len, &o, err, sizeof err);
  nf_buf_free(&b);
  return doc;
}

static char *body_html(nf_doc *doc) {
  nf_buf b;
  nf_buf_init(&b);
  nf_node_inner_html(nf_doc_body(doc), &b);
  return nf_buf_detach(&b);
}

/* Normalizes the body of a page and compares its inner HTML. */
static void check_norm(const char *in, const char *want,
                       const nf_normalize_opts *o, const char *name) {
  nf_doc *doc = parse(in);
  if (!doc) {
    OK(0, name);
    return;
  }
  nf_normalize(doc, nf_doc_body(doc), o);
  char *got = body_html(doc);
  STR_EQ(got, want, name);
  free(got);
  nf_doc_free(doc);
}

static void test_renames(void) {
  check_norm("<p><b>x</b> <i>y</i> <tt>z</tt> <strike>w</strike> <s>v</s></p>",
             "<p><strong>x</strong> <em>y</em> <code>z</code> <del>w</del> "
             "<del>v</del></p>",
             NULL, "b i tt strike s renamed");
  check_norm("<center><p>a</p></center>", "<div><p>a</p></div>", NULL,
             "center with blocks becomes div");
  check_norm("<center>a</center>", "<p>a</p>", NULL,
             "center with text becomes div, then p");
  check_norm("<p><acronym>NATO</acronym></p>", "<p><abbr>NATO</abbr></p>",
             NULL, "acronym to abbr");
  check_norm("<p><strong>x</strong> <em>y</em> <u>u</u></p>",
             "<p><strong>x</strong> <em>y</em> <u>u</u></p>", NULL,
             "semantic markup left alone");
}

static void test_attributes(void) {
  check_norm("<p style=\"color:red\" class=\"c\" id=\"i\" onclick=\"x()\" "
             "ONMOUSEOVER=\"y()\" align=\"center\" title=\"t\">a</p>",
             "<p title=\"t\">a</p>", NULL,
             "style class id on* align dropped, title kept");
  check_norm("<p><a href=\"/x\" rel=\"nofollow\" class=\"l\">a</a></p>",
             "<p><a href=\"/x\" rel=\"nofollow\">a</a></p>", NULL,
             "href and rel kept");
  check_norm("<p><img src=\"a.jpg\" alt=\"A\" width=\"10\" height=\"20\" "
             "border=\"0\" style=\"x\"></p>",
             "<p><img src=\"a.jpg\" alt=\"A\" width=\"10\" height=\"20\"></p>",
             NULL, "img keeps size, loses border and style");
  check_norm("<table width=\"100%\" cellpadding=\"2\" border=\"1\"><tr>"
             "<td bgcolor=\"red\" colspan=\"2\" valign=\"top\">x</td></tr>"
             "</table>",
             "<table><tr><td colspan=\"2\">x</td></tr></table>",
             NULL, "table presentational attributes dropped, colspan kept");
  const char *keep[] = {"class", "id"};
  nf_normalize_opts o = {keep, 2};
  check_norm("<p class=\"lead\" id=\"top\" style=\"s\">a</p>",
             "<p class=\"lead\" id=\"top\">a</p>", &o, "keep list keeps them");
  const char *keep_on[] = {"onclick"};
  nf_normalize_opts o2 = {keep_on, 1};
  check_norm("<p onclick=\"a\" onload=\"b\">a</p>", "<p onclick=\"a\">a</p>",
             &o2, "keep list works for on* too");
}

static void test_unwrap(void) {
  check_norm("<p>a <font face=\"Arial\" color=\"red\">big</font> word</p>",
             "<p>a big word</p>", NULL, "font unwrapped");
  check_norm("<p>a <span class=\"x\" style=\"y\">b</span> c</p>",
             "<p>a b c</p>", NULL, "span without meaning unwrapped");
  check_norm("<p>a <span lang=\"fr\">bonjour</span> c</p>",
             "<p>a <span lang=\"fr\">bonjour</span> c</p>", NULL,
             "span with lang kept");
  check_norm("<p><span dir=\"rtl\">x</span><span title=\"t\">y</span></p>",
             "<p><span dir=\"rtl\">x</span><span title=\"t\">y</span></p>",
             NULL, "span with dir/title kept");
  const char *keep[] = {"class"};
  nf_normalize_opts o = {keep, 1};
  check_norm("<p><span class=\"dateline\">x</span></p>",
             "<p><span class=\"dateline\">x</span></p>", &o,
             "span with a kept attribute stays");
  check_norm("<p><span><span><b>deep</b></span></span></p>",
             "<p><strong>deep</strong></p>", NULL, "nested spans unwrapped");
}

static void test_div_to_p(void) {
  check_norm("<div>Just text with <a href=\"#\">a link</a>.</div>",
             "<p>Just text with <a href=\"#\">a link</a>.</p>", NULL,
             "div with inline content becomes p");
  check_norm("<div><p>a</p><p>b</p></div>", "<div><p>a</p><p>b</p></div>",
             NULL, "div with blocks stays");
  check_norm("<div>text <ul><li>x</li></ul></div>",
             "<div>text <ul><li>x</li></ul></div>", NULL,
             "div mixing text and a list stays");
  check_norm("<div><div>inner</div></div>", "<div><p>inner</p></div>", NULL,
             "inner div becomes p, outer stays div");
  check_norm("<div><img src=\"a.jpg\"></div>", "<p><img src=\"a.jpg\"></p>",
             NULL, "div holding an image becomes p");
  /* Issue 9: unknown elements follow their content model. */
  check_norm("<div><custom-el>x</custom-el></div>",
             "<p><custom-el>x</custom-el></p>", NULL,
             "an unknown element holding only text is inline");
  check_norm("<div><custom-el><p>x</p></custom-el></div>",
             "<div><custom-el><p>x</p></custom-el></div>", NULL,
             "an unknown element holding a block is not inline");
}

static void test_empty(void) {
  check_norm("<p>a</p><p></p><div>  </div><p>&nbsp;</p><p>b</p>",
             "<p>a</p><p>b</p>", NULL, "empty blocks removed");
  check_norm("<p>a<br>b</p><hr><p><img src=\"x.png\"></p>",
             "<p>a<br>b</p><hr><p><img src=\"x.png\"></p>", NULL,
             "void elements stay");
  check_norm("<p><a name=\"sec1\"></a>Text</p>",
             "<p><a name=\"sec1\"></a>Text</p>", NULL, "a[name] anchor stays");
  check_norm("<p><a href=\"/x\"></a>Text</p>", "<p>Text</p>", NULL,
             "empty link removed");
  check_norm("<table><tr><td></td><td>x</td></tr></table>",
             "<table><tr><td></td><td>x</td></tr></table>",
             NULL, "empty table cell stays");
  check_norm("<div><p><span></span></p></div>", "", NULL,
             "emptiness propagates upwards");
  check_norm("<p>word<b> </b>next</p>", "<p>word next</p>", NULL,
             "whitespace-only inline element keeps words apart");
  check_norm("<p>word<em></em>next</p>", "<p>wordnext</p>", NULL,
             "truly empty inline element removed");
  const char *keep[] = {"id"};
  nf_normalize_opts o = {keep, 1};
  check_norm("<div id=\"anchor\"></div><p>x</p>",
             "<div id=\"anchor\"></div><p>x</p>", &o,
             "element with a kept id stays even when empty");
  check_norm("<div id=\"anchor\"></div><p>x</p>", "<p>x</p>", NULL,
             "without the keep list the id goes and so does the div");
}

static void test_root_and_edits(void) {
  nf_doc *doc = parse("<span class=\"x\"><b>a</b></span><p></p>");
  nf_nodelist l = {0};
  nf_node *body = nf_doc_body(doc);
  nf_node *span = nf_node_first_element(body);
  size_t edits = nf_normalize(doc, span, NULL);
  OK(nf_node_attached(span), "root span is never unwrapped");
  STR_EQ(nf_node_name(span), "span", "root keeps its tag");
  INT_EQ(edits, 2, "edits counted (rename + class)");
  char *h = body_html(doc);
  STR_EQ(h, "<span><strong>a</strong></span><p></p>",
         "only the subtree at root changes");
  free(h);
  INT_EQ(nf_normalize(doc, NULL, NULL), 0, "NULL root is a no-op");
  nf_nodelist_free(&l);
  nf_doc_free(doc);

  doc = parse("<p>x</p>");
  body = nf_doc_body(doc);
  nf_node *p = nf_node_first_element(body);
  nf_normalize(doc, p, NULL);
  OK(nf_node_attached(p), "a p root is untouched");
  nf_doc_free(doc);

  /* Removed nodes stay valid: hold one across normalize. */
  doc = parse("<div><span></span></div><p>y</p>");
  body = nf_doc_body(doc);
  nf_node *div = nf_node_first_element(body);
  nf_normalize(doc, body, NULL);
  OK(!nf_node_attached(div), "empty div detached");
  STR_EQ(nf_node_name(div), "div", "detached node still readable");
  nf_doc_free(doc);
}

static void test_retag(void) {
  nf_doc *doc = parse("<div><b>x</b><i>y</i><b>z</b></div>");
  nf_retag_pair map[] = {{"b", "strong"}, {"I", "em"}, {"div", "bad name!"}};
  size_t n = nf_retag(doc, nf_doc_body(doc), map, 3);
  INT_EQ(n, 3, "three renamed (invalid target ignored)");
  char *h = body_html(doc);
  STR_EQ(h, "<div><strong>x</strong><em>y</em><strong>z</strong></div>",
         "retag result");
  free(h);
  nf_retag_pair self[] = {{"div", "section"}};
  nf_node *div = nf_node_first_element(nf_doc_body(doc));
  INT_EQ(nf_retag(doc, div, self, 1), 1, "root included");
  STR_EQ(nf_node_name(div), "section", "root renamed");
  nf_retag_pair first[] = {{"em", "i"}, {"em", "b"}};
  nf_retag(doc, div, first, 2);
  h = body_html(doc);
  STR_CONTAINS(h, "<i>y</i>", "first matching pair wins");
  free(h);
  INT_EQ(nf_retag(doc, div, NULL, 0), 0, "empty map");
  nf_retag_pair skel[] = {{"body", "div"}, {"html", "x"}, {"head", "y"}};
  INT_EQ(nf_retag(doc, nf_doc_root(doc), skel, 3), 0,
         "html/head/body never renamed");
  STR_EQ(nf_node_name(nf_doc_body(doc)), "body", "body is still body");
  nf_doc_free(doc);
}

static void test_deep(void) {
  /* Deep nesting: no recursion, all unwrapped. */
  nf_buf b;
  nf_buf_init(&b);
  nf_buf_puts(&b, "<div>");
  for (int i = 0; i < 3000; i++) nf_buf_puts(&b, "<span>");
  nf_buf_puts(&b, "deep");
  for (int i = 0; i < 3000; i++) nf_buf_puts(&b, "</span>");
  nf_buf_puts(&b, "</div>");
  nf_doc *doc = parse(b.ptr);
  nf_buf_free(&b);
  nf_normalize(doc, nf_doc_body(doc), NULL);
  char *h = body_html(doc);
  STR_EQ(h, "<p>deep</p>", "3000 nested spans");
  free(h);
  nf_doc_free(doc);
}

/* Inline and keep-when-empty come from the element table. */
static void test_element_table(void) {
  check_norm("<div><label>a</label> <nobr>b</nobr></div>",
             "<p><label>a</label> <nobr>b</nobr></p>", NULL,
             "label and nobr are phrasing: the div becomes p");
  check_norm("<div>a <button>b</button></div>",
             "<div>a <button>b</button></div>", NULL,
             "a button is not prose: the div stays");
  check_norm("<p>a<button></button><canvas></canvas>b</p>",
             "<p>a<button></button><canvas></canvas>b</p>", NULL,
             "empty hidden elements stay");
  check_norm("<p>a<span class=x> </span>b<q> </q>c</p>", "<p>a b c</p>", NULL,
             "empty phrasing with a space unwrapped");
}

int main(void) {
  test_element_table();
  test_renames();
  test_attributes();
  test_unwrap();
  test_div_to_p();
  test_empty();
  test_root_and_edits();
  test_retag();
  test_deep();
  return nf_test_done();
}
