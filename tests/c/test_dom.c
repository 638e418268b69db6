/* test_dom.c: parsing, the encoding policy, node edits, the iterator and
 * serialization. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "newsform.h"

static nf_doc *parse(const char *html, nf_input_type type) {
  nf_parse_opts o = {type, NULL, "test", NULL};
  char err[256];
  return nf_doc_parse(html, strlen(html), &o, err, sizeof err);
}

static char *html_of(const nf_node *n) {
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  nf_node_html(n, &b);
  return nf_buf_detach(&b);
}

static char *text_of(const nf_node *n) {
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  nf_node_text(n, &b);
  return nf_buf_detach(&b);
}

static void test_buf(void) {
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  STR_EQ(b.ptr, "", "empty buffer is an empty string");
  for (int i = 0; i < 1000; i++) nf_buf_printf(&b, "%d,", i);
  INT_EQ(b.len, 3890, "printf appends");
  INT_EQ(nf_buf_last(&b), ',', "last byte");
  nf_buf_truncate(&b, 2);
  STR_EQ(b.ptr, "0,", "truncate");
  char *s = nf_buf_detach(&b);
  STR_EQ(s, "0,", "detach hands over the string");
  STR_EQ(b.ptr, "", "detached buffer is empty again");
  free(s);
  nf_buf_free(&b);
}

static void test_parse_skeleton(void) {
  nf_doc *d = parse("<p>only a fragment</p>", NF_INPUT_AUTO);
  OK(d != NULL, "fragment parses");
  OK(nf_doc_type(d) == NF_INPUT_HTML, "a fragment starting with a tag is HTML");
  OK(nf_node_is(nf_doc_root(d), "html"), "root is <html>");
  OK(nf_node_is(nf_doc_head(d), "head"), "head is implied");
  OK(nf_node_is(nf_doc_body(d), "body"), "body is implied");
  char *t = text_of(nf_doc_body(d));
  STR_EQ(t, "only a fragment", "body text");
  free(t);
  nf_doc_free(d);

  d = parse("", NF_INPUT_HTML);
  OK(d && nf_doc_body(d) && nf_doc_head(d), "empty input still has head and body");
  char *title = nf_doc_title(d);
  OK(title == NULL, "no title in an empty document");
  nf_doc_free(d);

  d = parse("<title> A \n title </title><h1>Head</h1>", NF_INPUT_HTML);
  title = nf_doc_title(d);
  STR_EQ(title, "A title", "title whitespace collapsed");
  free(title);
  nf_doc_free(d);
  d = parse("<body><h1>First <i>heading</i></h1><h1>Second</h1>", NF_INPUT_HTML);
  title = nf_doc_title(d);
  STR_EQ(title, "First heading", "title falls back to the first h1");
  free(title);
  nf_doc_free(d);
}

static void test_sniff(void) {
  nf_doc *d = parse("Just some words.\n\nAnd a second paragraph with <a><img src=x></a>.", NF_INPUT_AUTO);
  OK(nf_doc_type(d) == NF_INPUT_TEXT, "text with an inline tag stays text");
  nf_doc_free(d);
  d = parse("Intro text</p><p>more</p><div>x</div>", NF_INPUT_AUTO);
  OK(nf_doc_type(d) == NF_INPUT_HTML, "block end tags make it HTML");
  nf_doc_free(d);
}

static void test_encoding(void) {
  /* UTF-8 bytes while the page says Latin-1: the bytes win. */
  const char *mislabeled = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"
                           "<p>caf\xc3\xa9</p>";
  nf_doc *d = parse(mislabeled, NF_INPUT_HTML);
  char *t = text_of(nf_doc_body(d));
  STR_EQ(t, "caf\xc3\xa9", "valid UTF-8 wins over a declared charset");
  free(t);
  nf_doc_free(d);
  /* Latin-1 bytes, declared. */
  d = parse("<meta charset=\"iso-8859-1\"><p>caf\xe9</p>", NF_INPUT_HTML);
  t = text_of(nf_doc_body(d));
  STR_EQ(t, "caf\xc3\xa9", "declared charset used for non-UTF-8 bytes");
  free(t);
  nf_doc_free(d);
  /* Undeclared, not UTF-8: Windows-1252 (0x93/0x94 are curly quotes). */
  d = parse("<p>\x93quoted\x94</p>", NF_INPUT_HTML);
  t = text_of(nf_doc_body(d));
  STR_EQ(t, "\xe2\x80\x9cquoted\xe2\x80\x9d", "fallback is Windows-1252");
  free(t);
  nf_doc_free(d);
  /* BOM wins. */
  d = parse("\xef\xbb\xbf<meta charset=\"iso-8859-1\"><p>\xc3\xa9</p>", NF_INPUT_HTML);
  t = text_of(nf_doc_body(d));
  STR_EQ(t, "\xc3\xa9", "a UTF-8 BOM wins");
  free(t);
  nf_doc_free(d);
  /* Forced. */
  nf_parse_opts o = {NF_INPUT_HTML, "ISO-8859-7", "t", NULL};
  char err[128];
  d = nf_doc_parse("<p>\xe1</p>", 7, &o, err, sizeof err);
  t = text_of(nf_doc_body(d));
  STR_EQ(t, "\xce\xb1", "--encoding forces a charset (Greek alpha)");
  free(t);
  nf_doc_free(d);
  o.encoding = "no-such-charset";
  d = nf_doc_parse("<p>x</p>", 8, &o, err, sizeof err);
  OK(d == NULL, "unknown forced encoding fails");
  STR_CONTAINS(err, "no-such-charset", "error names the encoding");
  /* Entities are decoded. */
  d = parse("<p>a &amp; b &lt;c&gt; &eacute; &#x263A;</p>", NF_INPUT_HTML);
  t = text_of(nf_doc_body(d));
  STR_EQ(t, "a & b <c> \xc3\xa9 \xe2\x98\xba", "entities decoded");
  free(t);
  nf_doc_free(d);
}

static void test_serialize(void) {
  nf_doc *d = parse("<div id=\"x\" title='a \"q\" &amp; b'>1 &lt; 2<br>caf\xc3\xa9&nbsp;<img src=a.png><script>if (a < b) x();</script><!-- c --></div>", NF_INPUT_HTML);
  nf_node *div = nf_node_first_element(nf_doc_body(d));
  char *h = html_of(div);
  STR_EQ(h, "<div id=\"x\" title=\"a &quot;q&quot; &amp; b\">1 &lt; 2<br>caf\xc3\xa9&nbsp;<img src=\"a.png\"><script>if (a < b) x();</script><!-- c --></div>",
         "outer HTML: escapes, void elements, raw script text, comments");
  free(h);
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  nf_node_inner_html(div, &b);
  OK(strncmp(b.ptr, "1 &lt; 2<br>", 12) == 0, "inner HTML starts inside the element");
  nf_buf_free(&b);
  nf_node_html(nf_doc_node(d), &b);
  OK(strncmp(b.ptr, "<!DOCTYPE html>\n<html><head></head><body>", 41) == 0, "document serialization");
  nf_buf_free(&b);
  nf_doc_free(d);
}

static void test_edits(void) {
  nf_doc *d = parse("<div><p>one</p><p>two</p><p>three</p></div>", NF_INPUT_HTML);
  nf_node *div = nf_node_first_element(nf_doc_body(d));
  nf_node *one = nf_node_first_element(div);
  nf_node *two = nf_node_next_element(one);
  nf_node *three = nf_node_next_element(two);

  OK(nf_node_unlink(d, two), "unlink");
  OK(!nf_node_attached(two), "unlinked node is detached");
  char *h = html_of(div);
  STR_EQ(h, "<div><p>one</p><p>three</p></div>", "unlink removes from the tree");
  free(h);
  h = html_of(two);
  STR_EQ(h, "<p>two</p>", "a removed node stays readable");
  free(h);

  OK(nf_node_insert_before(d, one, two), "insert before");
  OK(nf_node_insert_after(d, three, one), "insert after moves");
  h = html_of(div);
  STR_EQ(h, "<div><p>two</p><p>three</p><p>one</p></div>", "moves keep order right");
  free(h);
  OK(!nf_node_append(d, two, div), "appending an ancestor into its descendant is refused");
  OK(!nf_node_append(d, div, div), "appending a node into itself is refused");

  nf_node *t1 = nf_node_new_text(d, "a");
  nf_node *t2 = nf_node_new_text(d, "b");
  nf_node_append(d, three, t1);
  nf_node_append(d, three, t2);
  OK(nf_node_next(t1) == t2, "adjacent text nodes are not merged (no node is freed)");

  OK(nf_node_set_name(three, "H2"), "rename");
  OK(nf_node_is(three, "h2"), "renamed in lower case");
  OK(!nf_node_set_name(three, "bad name"), "invalid tag refused");

  OK(nf_node_set_attr(three, "Data-X", "1"), "set attribute");
  STR_EQ(nf_node_attr(three, "data-x"), "1", "attribute names are lower-cased");
  nf_node_set_attr(three, "data-x", NULL);
  OK(nf_node_attr(three, "data-x") == NULL, "attribute removed");
  OK(!nf_node_set_attr(three, "a b", "x"), "invalid attribute name refused");

  nf_node *em = nf_node_new_element(d, "em");
  nf_node_append(d, one, em);
  nf_node_append(d, em, nf_node_new_text(d, "!"));
  OK(nf_node_unwrap(d, em), "unwrap");
  h = html_of(one);
  STR_EQ(h, "<p>one!</p>", "unwrap keeps the children in place");
  free(h);

  nf_node *copy = nf_node_clone(d, div);
  OK(copy && !nf_node_attached(copy), "clone is detached");
  nf_node_set_text(d, div, "plain & simple");
  h = html_of(div);
  STR_EQ(h, "<div>plain &amp; simple</div>", "set_text replaces the children");
  free(h);
  OK(!nf_node_attached(one), "children replaced by set_text are detached, still alive");
  h = html_of(copy);
  STR_EQ(h, "<div><p>two</p><h2>threeab</h2><p>one!</p></div>", "the clone kept the old content");
  free(h);

  OK(nf_node_set_inner_html(d, div, "<b>x</b> y", 10), "set inner html");
  h = html_of(div);
  STR_EQ(h, "<div><b>x</b> y</div>", "inner html parsed as a fragment (no implied <p>)");
  free(h);
  /* A subtree detached, then its parent detached too: both freed once. */
  nf_node *b = nf_node_first_element(div);
  nf_node_unlink(d, b);
  nf_node_append(d, copy, b);
  nf_node_unlink(d, b);
  nf_node_append(d, div, b);
  nf_doc_free(d); /* ASan checks that nothing leaks or is freed twice */
  OK(1, "document with moved and detached nodes frees cleanly");
}

static void test_iter(void) {
  nf_doc *d = parse("<div><p>a<b>b</b></p><hr><p>c</p></div>", NF_INPUT_HTML);
  nf_node *div = nf_node_first_element(nf_doc_body(d));
  nf_iter it;
  nf_iter_init(&it, div);
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  nf_event ev;
  while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
    nf_node *n = nf_iter_node(&it);
    nf_buf_printf(&b, "%s%s ", ev == NF_EV_ENTER ? "+" : "-", nf_node_name(n));
  }
  STR_EQ(b.ptr, "+div +p +#text +b +#text -b -p +hr -hr +p +#text -p -div ", "enter/exit order");
  nf_buf_clear(&b);
  nf_iter_init(&it, div);
  while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
    nf_node *n = nf_iter_node(&it);
    if (ev == NF_EV_ENTER && nf_node_is(n, "p")) nf_iter_skip_children(&it);
    nf_buf_printf(&b, "%s%s ", ev == NF_EV_ENTER ? "+" : "-", nf_node_name(n));
  }
  STR_EQ(b.ptr, "+div +p -p +hr -hr +p -p -div ", "skip children");
  nf_buf_free(&b);
  nf_doc_free(d);
}

static void test_deep(void) {
  /* Deep nesting: iteration and serialization must not recurse. */
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  for (int i = 0; i < 3000; i++) nf_buf_puts(&b, "<div>");
  nf_buf_puts(&b, "deep");
  nf_doc *d = parse(b.ptr, NF_INPUT_HTML);
  OK(d != NULL, "3000 nested divs parse");
  nf_buf_clear(&b);
  nf_node_html(nf_doc_root(d), &b);
  OK(strstr(b.ptr, "deep") != NULL, "deep document serializes");
  nf_buf_clear(&b);
  for (int i = 0; i < 100000; i++) nf_buf_puts(&b, "<span>");
  nf_doc *deeper = parse(b.ptr, NF_INPUT_HTML);
  OK(deeper != NULL, "100000 nested spans: no crash");
  nf_doc_free(deeper);
  nf_buf_free(&b);
  nf_doc_free(d);
}

static void test_iter_elements(void) {
  nf_doc *d = nf_test_parse("<div id=r><p>a</p>text<!--c--><span>b<i></i></span></div>");
  nf_nodelist l = {0};
  nf_select_css(nf_doc_node(d), "#r", &l, NULL, 0);
  nf_iter it;
  nf_iter_init(&it, l.items[0]);
  nf_buf names = NF_BUF_INIT;
  for (nf_node *n; (n = nf_iter_next_element(&it));) {
    nf_buf_puts(&names, nf_node_name(n));
    nf_buf_putc(&names, ' ');
  }
  STR_EQ(names.ptr, "div p span i ", "nf_iter_next_element: elements only, root first, in order");
  OK(nf_iter_next_element(&it) == NULL, "nf_iter_next_element: NULL after the end");
  nf_iter_init(&it, NULL);
  OK(nf_iter_next_element(&it) == NULL, "nf_iter_next_element: NULL root gives nothing");
  nf_buf_free(&names);
  nf_nodelist_free(&l);
  nf_doc_free(d);
}

/* From the document node, the iterator visits what nf_select sees. */
static void test_iter_document(void) {
  nf_doc *d = nf_test_parse("<!DOCTYPE html><!--top--><html><head><title>t</title>"
                            "</head><body><p>a<b>b</b></p></body></html><!--end-->");
  nf_nodelist all = {0};
  nf_select_css(nf_doc_node(d), "*", &all, NULL, 0);
  nf_iter it;
  nf_iter_init(&it, nf_doc_node(d));
  size_t i = 0, same = 1;
  for (nf_node *n; (n = nf_iter_next_element(&it));)
    if (i >= all.len || all.items[i++] != n) same = 0;
  OK(all.len == 6 && same && i == all.len,
     "document node: every element, in nf_select's order");
  nf_buf b = NF_BUF_INIT;
  nf_iter_init(&it, nf_doc_node(d));
  nf_event ev;
  int doc_enter = 0, doc_exit = 0, comments = 0;
  while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
    nf_node *n = nf_iter_node(&it);
    if (nf_node_kind_of(n) == NF_NODE_DOCUMENT) {
      if (ev == NF_EV_ENTER) doc_enter++;
      else doc_exit++;
    }
    if (nf_node_kind_of(n) == NF_NODE_COMMENT) comments++;
    if (ev == NF_EV_ENTER && nf_node_is(n, "head")) nf_iter_skip_children(&it);
    if (nf_node_kind_of(n) == NF_NODE_ELEMENT)
      nf_buf_printf(&b, "%s%s ", ev == NF_EV_ENTER ? "+" : "-", nf_node_name(n));
  }
  OK(doc_enter == 1 && doc_exit == 1, "document: one ENTER, one EXIT");
  INT_EQ(comments, 2, "comments around <html> visited");
  STR_EQ(b.ptr, "+html +head -head +body +p +b -b -p -body -html ",
         "document: enter/exit order, skip children");
  nf_iter_init(&it, nf_doc_node(d));
  nf_iter_next(&it);
  nf_iter_skip_children(&it);
  OK(nf_iter_next(&it) == NF_EV_EXIT && nf_iter_next(&it) == NF_EV_NONE,
     "document: skip children goes to its EXIT");
  nf_buf_free(&b);
  nf_nodelist_free(&all);
  nf_doc_free(d);
}

int main(void) {
  test_buf();
  test_parse_skeleton();
  test_sniff();
  test_encoding();
  test_serialize();
  test_edits();
  test_iter();
  test_iter_elements();
  test_iter_document();
  test_deep();
  return nf_test_done();
}
