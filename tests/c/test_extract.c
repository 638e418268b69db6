/* test_extract.c: the content extractor's named helpers (core/
 * extract_hints.c), scoring units, the JSON-LD articleBody reader, and
 * documents built in code. The pages of tests/fixtures/extract/ (one small
 * hand-written page per heuristic, with pages where it must not fire) are
 * checked against their .expect sidecars by test_extract_pages.c. */
#include <stdlib.h>
#include <string.h>

#include "extract_ctx.h"
#include "harness.h"

static nf_doc *load(const char *name, const char *url) {
  char path[256];
  snprintf(path, sizeof path, "tests/fixtures/extract/%s", name);
  return nf_test_load(path, NF_INPUT_AUTO, url);
}

/* ---- helpers of extract_hints.c ------------------------------------------ */

static xmlNode *element(xmlDocPtr d, const char *tag, const char *cls,
                        const char *id) {
  xmlNode *n = xmlNewDocNode(d, NULL, BAD_CAST tag, NULL);
  if (cls) xmlNewProp(n, BAD_CAST "class", BAD_CAST cls);
  if (id) xmlNewProp(n, BAD_CAST "id", BAD_CAST id);
  return n;
}

static void test_hints(void) {
  xmlDocPtr d = xmlNewDoc(BAD_CAST "1.0");
  struct { const char *cls, *id; int boiler; const char *name; } cases[] = {
      {"comments-area", NULL, 1, "comments are furniture"},
      {"article-comments", NULL, 1, "comments inside an article- name"},
      {"share-tools", NULL, 1, "share bar"},
      {"relatedStories", NULL, 1, "camelCase related"},
      {"ad-slot", NULL, 1, "ad token"},
      {"main-nav", NULL, 1, "nav"},
      {"site-footer", NULL, 1, "footer"},
      {"article-header", NULL, 1, "a name ending in a weak word"},
      {"sidebar-content", NULL, 0, "a name ending in a content word"},
      {"entry-content share-enabled", NULL, 0, "body class vetoes a modifier"},
      {"content", NULL, 0, "content"},
      {"header-image", "loader", 1, "header"},
      {"shadow", "load-more", 0, "no token match inside words (load, shadow)"},
      {"readability", NULL, 0, "ad not matched inside a word"},
      {NULL, "story", 0, "id story"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    xmlNode *n = element(d, "div", cases[i].cls, cases[i].id);
    INT_EQ(ex_is_boilerplate(n), cases[i].boiler, cases[i].name);
    xmlFreeNode(n);
  }
  xmlNode *n = element(d, "div", "article-body", NULL);
  OK(ex_is_strong_body(n), "article-body is the declared body");
  INT_EQ(ex_class_weight(n), W_CLASS_BODY_STRONG, "strong body weight");
  xmlFreeNode(n);
  n = element(d, "div", "storyContent", NULL);
  OK(ex_is_strong_body(n), "storyContent (camelCase) is the declared body");
  xmlFreeNode(n);
  n = element(d, "div", "article-list", NULL);
  OK(!ex_is_strong_body(n), "article-list is not the body");
  xmlFreeNode(n);
  n = element(d, "div", NULL, NULL);
  xmlNewProp(n, BAD_CAST "itemprop", BAD_CAST "articleBody");
  OK(ex_is_strong_body(n), "itemprop=articleBody");
  xmlFreeNode(n);
  n = element(d, "div", "post sidebar", NULL);
  INT_EQ(ex_class_weight(n), 0, "positive and negative cancel");
  xmlFreeNode(n);
  n = element(d, "div", "wp-caption-text", NULL);
  OK(ex_is_caption(n), "caption class");
  xmlFreeNode(n);
  n = element(d, "div", NULL, NULL);
  xmlNewProp(n, BAD_CAST "style", BAD_CAST "color:red; DISPLAY : none");
  OK(ex_is_hidden(n), "display:none hides");
  xmlFreeNode(n);
  n = element(d, "div", NULL, NULL);
  xmlNewProp(n, BAD_CAST "style", BAD_CAST "display:block");
  OK(!ex_is_hidden(n), "display:block does not hide");
  xmlFreeNode(n);
  n = element(d, "div", NULL, NULL);
  xmlNewProp(n, BAD_CAST "role", BAD_CAST "main");
  OK(ex_is_semantic_main(n), "role=main is semantic");
  xmlFreeNode(n);
  xmlFreeDoc(d);

  INT_EQ(ex_tag_flags("script") & EX_TAG_JUNK, EX_TAG_JUNK, "script is junk");
  INT_EQ(ex_tag_flags("nav") & EX_TAG_CHROME, EX_TAG_CHROME, "nav is chrome");
  INT_EQ(ex_tag_flags("custom-element"), 0, "unknown tag: like a div");
  INT_EQ(ex_tag_base_score("div"), W_TAG_DIV, "div base score");
  INT_EQ(ex_tag_base_score("h2"), W_TAG_HEADING, "heading base score");

  ex_textcount tc = {0, 0, 0};
  int sp = 1;
  const char *s = "  Hello,   world\xef\xbc\x8c caf\xc3\xa9 ";
  ex_count_text(s, strlen(s), &tc, &sp);
  INT_EQ(tc.words, 3, "words");
  INT_EQ(tc.commas, 2, "ASCII and fullwidth commas");
  INT_EQ(tc.chars, 19, "code points, whitespace runs count one");

  ex_wordset ws = {0, 0, 0};
  ex_wordset_add_text(&ws, "The cat sat", 11);
  size_t nw = 0;
  double cov = ex_wordset_coverage(&ws, "the CAT sat on the mat", 22, &nw);
  INT_EQ(nw, 6, "coverage counts words");
  OK(cov > 0.66 && cov < 0.67, "coverage is 4 of 6 words, case-folded");
  ex_wordset_free(&ws);
}

/* ---- paragraph votes and link density ------------------------------------ */

static void test_scoring_units(void) {
  ex_node e;
  memset(&e, 0, sizeof e);
  e.own = 250;
  e.own_commas = 3;
  OK(ex_paragraph_vote(&e) == 1 + 3 + 2, "vote: 1 + commas + chars/100");
  e.own = 5000;
  e.own_commas = 0;
  OK(ex_paragraph_vote(&e) == 1 + W_PARA_MAX_LEN_POINTS, "length points capped");
  e.text = 200;
  e.links = 50;
  OK(ex_link_density(&e) == 0.25, "link density");
  e.flags = EXF_BOILER;
  OK(ex_is_furniture(&e), "boilerplate is furniture");
  e.flags = EXF_BOILER | EXF_PROTECT;
  OK(!ex_is_furniture(&e), "protection wins over a furniture name");
}

/* ---- whole pages ---------------------------------------------------------- */

static void test_ld_article_body(void) {
  nf_doc *doc = load("ld.html", NULL);
  if (!OK(doc != NULL, "ld: parsed")) return;
  char *ld = ex_ld_article_body(doc);
  STR_CONTAINS(ld, "The Green party won six seats", "ld: articleBody found in @graph");
  free(ld);
  nf_doc_free(doc);
  /* A key that only starts with articleBody (up to a U+0000) is another
   * one, even when its text is the longest. */
  nf_buf page = NF_BUF_INIT;
  nf_buf_init(&page);
  nf_buf_puts(&page, "<html><head><script type=\"application/ld+json\">"
              "{\"articleBody\\u0000x\": \"");
  for (int i = 0; i < 40; i++) nf_buf_puts(&page, "Not the body. ");
  nf_buf_puts(&page, "\", \"articleBody\": \"");
  for (int i = 0; i < 30; i++) nf_buf_puts(&page, "The body. ");
  nf_buf_puts(&page, "\"}</script></head><body><p>x</p></body></html>");
  doc = nf_test_parse(page.ptr);
  ld = doc ? ex_ld_article_body(doc) : NULL;
  OK(ld && strncmp(ld, "The body. ", 10) == 0,
     "ld: \"articleBody\\u0000x\" is not articleBody");
  free(ld);
  nf_doc_free(doc);
  nf_buf_free(&page);
}

static void test_empty_and_hostile(void) {
  char err[128];
  nf_doc *doc = nf_doc_parse("<html><body></body></html>", 26, NULL, err, sizeof err);
  if (OK(doc != NULL, "empty: parsed")) {
    nf_article *a = nf_article_extract(doc);
    OK(a && a->body && a->text && !*a->text, "empty: empty body and text");
    INT_EQ(a->word_count, 0, "empty: no words");
    nf_doc_free(doc);
  }
  /* Deep nesting (as deep as the parser keeps): no recursion anywhere. */
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  for (int i = 0; i < 250; i++) nf_buf_puts(&b, "<div>");
  nf_buf_puts(&b, "<p>Deep text, with a comma, at the bottom of many wrappers, long enough.</p>");
  doc = nf_doc_parse(b.ptr, b.len, NULL, err, sizeof err);
  if (OK(doc != NULL, "deep: parsed")) {
    nf_article *a = nf_article_extract(doc);
    STR_CONTAINS(a->text, "Deep text", "deep: found");
    nf_doc_free(doc);
  }
  nf_buf_free(&b);
  /* nf_content_extract alone gives a fresh copy each time. */
  doc = load("short.html", NULL);
  if (doc) {
    nf_node *x = nf_content_extract(doc, NULL), *y = nf_content_extract(doc, NULL);
    OK(x && y && x != y, "content_extract: a new detached copy per call");
    nf_doc_free(doc);
  }
}

/* With no declared description, nf_article_extract uses the first paragraph
 * of the article body (tests/fixtures/extract/undeclared-description.expect);
 * nf_meta_extract_declared has no paragraph fallback at all. */
static void test_undeclared_description(void) {
  nf_doc *doc = load("short.html", NULL);
  if (!doc) return;
  nf_article declared;
  memset(&declared, 0, sizeof declared);
  nf_meta_extract_declared(doc, &declared);
  OK(declared.description == NULL, "nf_meta_extract_declared: no paragraph fallback");
  nf_article_clear(&declared);
  nf_doc_free(doc);
}

/* The public halves are doors onto the article's own path: the declared
 * metadata equal the article's fields, the content is the same tree, and
 * nf_meta_extract differs only where no description is declared. */
static void test_halves_agree(void) {
  const char *pages[] = {"basic.html", "ld.html", "undeclared-description.html",
                         "dump.txt"};
  for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
    nf_doc *doc = load(pages[i], "https://example.com/news/story");
    if (!OK(doc != NULL, "halves: parsed")) continue;
    OK(nf_doc_cached_article(doc) == NULL, "halves: nothing cached before");
    nf_article declared, full;
    memset(&declared, 0, sizeof declared);
    memset(&full, 0, sizeof full);
    nf_meta_extract_declared(doc, &declared);
    nf_meta_extract(doc, &full);
    nf_node *alone = nf_content_extract(doc, &declared);
    OK(nf_doc_cached_article(doc) == NULL, "halves: the halves cache nothing");
    nf_article *a = nf_article_extract(doc);
    OK(nf_doc_cached_article(doc) == a, "halves: the article is cached");
    STR_EQ(declared.title, a->title, "halves: same title");
    STR_EQ(declared.byline, a->byline, "halves: same byline");
    STR_EQ(declared.published, a->published, "halves: same date");
    STR_EQ(full.title, a->title, "halves: nf_meta_extract, same title");
    if (declared.description) {
      STR_EQ(full.description, declared.description,
             "halves: a declared description is the same in both");
      STR_EQ(a->description, declared.description,
             "halves: the article keeps the declared description");
    }
    nf_buf x = NF_BUF_INIT, y = NF_BUF_INIT;
    nf_buf_init(&x);
    nf_buf_init(&y);
    nf_node_html(alone, &x);
    nf_node_html(a->body, &y);
    STR_EQ(x.ptr, y.ptr, "halves: nf_content_extract gives the article's body");
    nf_buf_free(&x);
    nf_buf_free(&y);
    nf_article_clear(&declared);
    nf_article_clear(&full);
    nf_doc_free(doc);
  }
}

/* Empty brackets left by removed links and elements ("()", "(, )",
 * "[ ]") are gone from the body HTML, as from the text; code stays. */
static void test_body_empty_brackets(void) {
  const char *html =
      "<html><body><article><h1>Plan</h1>"
      "<p>The mayor said (<a href=\"https://t.co/x\"><svg></svg></a>) that the "
      "bridge plan (<span hidden>x</span>, <button>Share</button>) would pass "
      "this year, while a call to f() in the code sample stays as it is.</p>"
      "<p>The council will vote [ ] on the plan next week, and (this) stays, "
      "as does <code>g ()</code> in code.</p>"
      "<p><em>()</em> Opening brackets go with their space, and so do the ones "
      "at the end of a paragraph (<a href=\"/x\"><img></a><a href=\"/y\"></a>)</p>"
      "<pre>h ( ) stays in pre</pre></article></body></html>";
  nf_doc *doc = nf_test_parse(html);
  OK(doc != NULL, "bracket page parses");
  if (!doc) return;
  const nf_article *a = nf_article_extract(doc);
  nf_buf b;
  nf_buf_init(&b);
  if (a) nf_node_inner_html(a->body, &b);
  STR_CONTAINS(b.ptr, "<p>The mayor said that the bridge plan would pass this year, "
                      "while a call to f() in the code sample stays as it is.</p>",
               "body: '()' and '(, )' across text nodes gone, f() kept");
  STR_CONTAINS(b.ptr, "The council will vote on the plan next week, and (this) stays",
               "body: '[ ]' gone, full brackets kept");
  STR_CONTAINS(b.ptr, "<code>g ()</code>", "body: code left alone");
  STR_CONTAINS(b.ptr, "<pre>h ( ) stays in pre</pre>", "body: pre left alone");
  STR_CONTAINS(b.ptr, "Opening brackets go with their space",
               "body: brackets opening a paragraph gone");
  OK(b.ptr && !strstr(b.ptr, "<em>()") && !strstr(b.ptr, "(, )") &&
         !strstr(b.ptr, "[ ]") && !strstr(b.ptr, "said (") &&
         !strstr(b.ptr, "paragraph ("),
     "body: no empty brackets left");
  STR_CONTAINS(a ? a->text : NULL, "\n\nOpening brackets go with their space",
               "text: the paragraph starts with its first word");
  nf_buf_free(&b);
  nf_doc_free(doc);
}

int main(void) {
  test_hints();
  test_scoring_units();
  test_ld_article_body();
  test_empty_and_hostile();
  test_undeclared_description();
  test_halves_agree();
  test_body_empty_brackets();
  return nf_test_done();
}
