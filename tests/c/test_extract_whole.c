/* test_extract_whole.c: when extraction finds no main content (a fragment,
 * a short page, a page that is all list or table), the article is the
 * cleaned content of the whole body, and nf_article.source says so; an
 * input without text gives an empty article of 0 words and 0 minutes. */
#include <string.h>

#include "harness.h"

static nf_doc *article_of(const char *html, const nf_article **a) {
  nf_doc *doc = nf_test_parse(html);
  *a = doc ? nf_article_extract(doc) : NULL;
  return doc;
}

static char *body_html(const nf_article *a) {
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  nf_node_html(a->body, &b);
  return nf_buf_detach(&b);
}

static void test_fragment(void) {
  const nf_article *a;
  nf_doc *doc = article_of("<p>Short fragment with one sentence.</p>", &a);
  if (!OK(a, "fragment parsed")) return;
  STR_EQ(a->text, "Short fragment with one sentence.", "fragment: its sentence");
  INT_EQ(a->source, NF_ARTICLE_WHOLE, "fragment: source whole");
  INT_EQ(a->word_count, 5, "fragment: words");
  INT_EQ(a->reading_time, 1, "fragment: a minute");
  nf_doc_free(doc);
}

static void test_list_fragment(void) {
  const nf_article *a;
  nf_doc *doc = article_of("<div><h2>Update</h2><ul><li>First point</li>"
                           "<li>Second point</li></ul></div>", &a);
  if (!OK(a, "list parsed")) return;
  INT_EQ(a->source, NF_ARTICLE_WHOLE, "list: source whole");
  char *html = body_html(a);
  STR_CONTAINS(html, "<h2>Update</h2>", "list: the heading kept");
  STR_CONTAINS(html, "<ul><li>First point</li><li>Second point</li></ul>",
               "list: the list kept");
  free(html);
  STR_EQ(a->text, "Update\n\nFirst point\n\nSecond point", "list: text");
  nf_doc_free(doc);
}

static void test_table_page(void) {
  const nf_article *a;
  nf_doc *doc = article_of(
      "<html><head><title>Results</title></head><body><table>"
      "<tr><th>Team</th><th>Points</th></tr>"
      "<tr><td>Rovers</td><td>12</td></tr>"
      "<tr><td>United</td><td>9</td></tr></table></body></html>", &a);
  if (!OK(a, "table parsed")) return;
  INT_EQ(a->source, NF_ARTICLE_WHOLE, "table page: source whole");
  char *html = body_html(a);
  STR_CONTAINS(html, "<td>Rovers</td><td>12</td>", "table page: rows kept");
  free(html);
  STR_CONTAINS(a->text, "United", "table page: text");
  nf_doc_free(doc);
}

/* One short paragraph is found, but the page's other block (a list) holds
 * most of its text: the whole body, furniture still left out. */
static void test_short_page(void) {
  const nf_article *a;
  nf_doc *doc = article_of(
      "<html><head><title>Pool hours</title></head><body>"
      "<nav><a href='/'>Home</a> <a href='/sport'>Sport</a></nav>"
      "<div class='story'><p>The pool reopens on Monday after two weeks of "
      "repairs.</p></div><div class='schedule'><h3>Opening hours</h3><ul>"
      "<li>Monday to Friday: 6 am to 9 pm</li><li>Saturday: 8 am to 6 pm</li>"
      "<li>Sunday: 9 am to 5 pm</li><li>Holidays: closed all day</li></ul>"
      "</div><footer>Copyright 2026 Town Pool</footer></body></html>", &a);
  if (!OK(a, "short page parsed")) return;
  INT_EQ(a->source, NF_ARTICLE_WHOLE, "short page: source whole");
  STR_CONTAINS(a->text, "The pool reopens on Monday", "short page: the paragraph");
  STR_CONTAINS(a->text, "Holidays: closed all day", "short page: the list");
  OK(!strstr(a->text, "Home") && !strstr(a->text, "Copyright"),
     "short page: nav and footer left out");
  nf_doc_free(doc);
}

/* Only furniture: it is all the page says, so it is kept. */
static void test_only_furniture(void) {
  const nf_article *a;
  nf_doc *doc = article_of("<nav><a href='/'>Home</a> <a href='/news'>News</a>"
                           "</nav>", &a);
  if (!OK(a, "nav parsed")) return;
  INT_EQ(a->source, NF_ARTICLE_WHOLE, "nav only: source whole");
  STR_EQ(a->text, "Home News", "nav only: its text");
  nf_doc_free(doc);
}

/* A headline alone: the title is all the page says, so it is the text. */
static void test_only_title(void) {
  const nf_article *a;
  nf_doc *doc = article_of("<h1>Breaking: bridge closed</h1>", &a);
  if (!OK(a, "headline parsed")) return;
  STR_EQ(a->title, "Breaking: bridge closed", "headline: the title");
  STR_EQ(a->text, "Breaking: bridge closed", "headline: the text too");
  INT_EQ(a->source, NF_ARTICLE_WHOLE, "headline: source whole");
  nf_doc_free(doc);
  /* A plain-text input of one line: the same. */
  char err[256];
  nf_parse_opts po = {NF_INPUT_TEXT, NULL, "test", NULL};
  const char *line = "Just one line of text.\n";
  doc = nf_doc_parse(line, strlen(line), &po, err, sizeof err);
  if (!OK(doc, "one line parsed")) return;
  a = nf_article_extract(doc);
  STR_EQ(a->text, "Just one line of text.", "one text line: its text");
  INT_EQ(a->source, NF_ARTICLE_WHOLE, "one text line: source whole");
  nf_doc_free(doc);
  /* A text dump with a title and a paragraph keeps its content alone. */
  line = "Title line\n\nA paragraph of the text.\n";
  doc = nf_doc_parse(line, strlen(line), &po, err, sizeof err);
  if (!OK(doc, "text dump parsed")) return;
  a = nf_article_extract(doc);
  STR_EQ(a->text, "A paragraph of the text.", "text dump: the paragraph");
  INT_EQ(a->source, NF_ARTICLE_CONTENT, "text dump: source content");
  nf_doc_free(doc);
}

/* A whole article stays "content": the rule does not touch real pages. */
static void test_article_page(void) {
  nf_doc *doc = nf_test_load("tests/fixtures/extract/basic.html", NF_INPUT_AUTO,
                             NULL);
  if (!OK(doc, "basic page loaded")) return;
  const nf_article *a = nf_article_extract(doc);
  INT_EQ(a->source, NF_ARTICLE_CONTENT, "article page: source content");
  OK(!strstr(a->text, "Politics and government"), "article page: no nav");
  nf_doc_free(doc);
  doc = nf_test_load("tests/fixtures/extract/short.html", NF_INPUT_AUTO, NULL);
  if (!OK(doc, "short page loaded")) return;
  a = nf_article_extract(doc);
  INT_EQ(a->source, NF_ARTICLE_CONTENT, "one-paragraph page: source content");
  nf_doc_free(doc);
}

static void test_no_text(void) {
  const char *pages[] = {
      "",
      "<html><head><title></title></head><body><script>var x = 1;</script>"
      " &nbsp; <div hidden>hidden words</div><!-- a comment --></body></html>",
  };
  for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
    const nf_article *a;
    nf_doc *doc = article_of(pages[i], &a);
    if (!OK(a, "empty page parsed")) continue;
    STR_EQ(a->text, "", "no text: empty text");
    INT_EQ(a->word_count, 0, "no text: 0 words");
    INT_EQ(a->reading_time, 0, "no text: 0 minutes");
    INT_EQ(a->source, NF_ARTICLE_CONTENT, "no text: source content");
    OK(a->body, "no text: a body all the same");
    OK(!nf_node_has_text(nf_doc_body(doc)), "no text: nf_node_has_text is 0");
    nf_doc_free(doc);
  }
}

static void test_has_text(void) {
  nf_doc *doc = nf_test_parse("<p>\xC2\xA0</p><svg><text>drawn</text></svg>"
                              "<div style='display: none'>x</div>");
  if (!doc) return;
  OK(!nf_node_has_text(nf_doc_body(doc)), "has_text: spaces, svg, hidden: none");
  OK(!nf_node_has_text(NULL), "has_text: NULL");
  nf_doc_free(doc);
  doc = nf_test_parse("<div><span> </span><b>\xC3\xA9</b></div>");
  if (!doc) return;
  OK(nf_node_has_text(nf_doc_body(doc)), "has_text: one letter");
  nf_doc_free(doc);
}

int main(void) {
  test_fragment();
  test_list_fragment();
  test_table_page();
  test_short_page();
  test_only_furniture();
  test_only_title();
  test_article_page();
  test_no_text();
  test_has_text();
  return nf_test_done();
}
