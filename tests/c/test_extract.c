/* test_extract.c: the content extractor. One small hand-written page per
 * heuristic (tests/fixtures/extract/), with pages where it must not fire,
 * plus the named helpers of core/extract_hints.c. */
#include <stdlib.h>
#include <string.h>

#include "extract_ctx.h"
#include "harness.h"

static nf_doc *load(const char *name, const char *url) {
  char path[256], err[256];
  snprintf(path, sizeof path, "tests/fixtures/extract/%s", name);
  nf_buf raw = NF_BUF_INIT;
  nf_buf_init(&raw);
  if (nf_read_input(path, 0, &raw, err, sizeof err) < 0) {
    printf("# %s: %s\n", path, err);
    nf_buf_free(&raw);
    return NULL;
  }
  nf_parse_opts o = {NF_INPUT_AUTO, NULL, path, url};
  nf_doc *doc = nf_doc_parse(raw.ptr, raw.len, &o, err, sizeof err);
  nf_buf_free(&raw);
  return doc;
}

static int has(const char *text, const char *needle) {
  return text && strstr(text, needle) != NULL;
}

static char *body_html(const nf_article *a) {
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  if (a->body) nf_node_html(a->body, &b);
  return nf_buf_detach(&b);
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

static void test_basic(void) {
  nf_doc *doc = load("basic.html", NULL);
  OK(doc != NULL, "basic: parsed");
  if (!doc) return;
  nf_buf before = NF_BUF_INIT;
  nf_buf_init(&before);
  nf_node_html(nf_doc_root(doc), &before);
  nf_article *a = nf_article_extract(doc);
  OK(a && a->body && a->text, "basic: article with body and text");
  OK(nf_article_extract(doc) == a, "basic: cached on the document");
  STR_CONTAINS(a->text, "The new bridge over the Elm River opened", "basic: first paragraph");
  STR_CONTAINS(a->text, "cycle lane on its north side", "basic: last paragraph");
  STR_CONTAINS(a->text, "A long road", "basic: h2 kept");
  OK(!has(a->text, "River Town Opens New Bridge"), "basic: h1 (title) left out");
  OK(!has(a->text, "Politics and government"), "basic: nav left out");
  OK(!has(a->text, "Copyright"), "basic: footer left out");
  OK(!has(a->text, "Share this story"), "basic: share widget left out");
  OK(!has(a->text, "Hidden text"), "basic: display:none left out");
  OK(!has(a->text, "window.track"), "basic: script left out");
  OK(!has(a->text, "bridge at dawn, seen"), "basic: caption not in the text");
  OK(has(a->text, "opened on Saturday morning, ending four years of detours, delays and "
                  "complaints from commuters who crossed the water every day.\n\nMayor"),
     "basic: paragraphs split by one blank line");
  char *html = body_html(a);
  STR_CONTAINS(html, "<figcaption>The bridge at dawn", "basic: figcaption in the body");
  STR_CONTAINS(html, "src=\"https://news.example.com/local/img/bridge.jpg\"",
               "basic: image URL absolute against <base href>");
  STR_CONTAINS(html, "href=\"https://news.example.com/reports/bridge.pdf\"",
               "basic: link URL absolute");
  STR_CONTAINS(html, "<h2>A long road</h2>", "basic: heading markup kept");
  OK(!has(html, "<script") && !has(html, "<style") && !has(html, "class="),
     "basic: no script, style or class attributes");
  OK(!has(html, "<div><div"), "basic: wrappers unwrapped");
  OK(a->word_count > 100 && a->word_count < 200, "basic: word count");
  INT_EQ(a->reading_time, 1, "basic: reading time at least 1");
  OK(!nf_node_attached(a->body), "basic: body is detached");
  nf_buf after = NF_BUF_INIT;
  nf_buf_init(&after);
  nf_node_html(nf_doc_root(doc), &after);
  OK(before.len == after.len && !strcmp(before.ptr, after.ptr),
     "basic: the page itself is not changed");
  nf_buf_free(&before);
  nf_buf_free(&after);
  free(html);
  nf_doc_free(doc);
}

static void test_comments_only_long_text(void) {
  nf_doc *doc = load("comments.html", NULL);
  if (!OK(doc != NULL, "comments: parsed")) return;
  nf_article *a = nf_article_extract(doc);
  STR_CONTAINS(a->text, "The public library will close at six", "comments: short story found");
  OK(!has(a->text, "thirty years"), "comments: comments left out");
  OK(!has(a->text, "previous commenter"), "comments: no comment at all");
  nf_doc_free(doc);
}

static void test_related_links(void) {
  nf_doc *doc = load("related.html", NULL);
  if (!OK(doc != NULL, "related: parsed")) return;
  nf_article *a = nf_article_extract(doc);
  STR_CONTAINS(a->text, "best harvest in a decade", "related: story found");
  STR_CONTAINS(a->text, "at the end of the month", "related: last story paragraph");
  OK(!has(a->text, "Pear growers"), "related: list of links left out");
  OK(!has(a->text, "Farmers market"), "related: related-stories block left out");
  OK(!has(a->text, "Read more"), "related: link-only paragraph left out");
  nf_doc_free(doc);
}

static void test_teaser_article(void) {
  nf_doc *doc = load("teaser.html", NULL);
  if (!OK(doc != NULL, "teaser: parsed")) return;
  nf_article *a = nf_article_extract(doc);
  STR_CONTAINS(a->text, "The city museum reopened", "teaser: story found");
  STR_CONTAINS(a->text, "ask for donations", "teaser: whole story");
  OK(!has(a->text, "lion cubs"), "teaser: <article> teaser cards left out");
  nf_doc_free(doc);
}

static void test_long_nav(void) {
  nf_doc *doc = load("longnav.html", NULL);
  if (!OK(doc != NULL, "longnav: parsed")) return;
  nf_article *a = nf_article_extract(doc);
  STR_CONTAINS(a->text, "Heavy snow closed more than forty schools", "longnav: story found");
  OK(!has(a->text, "navigation link"), "longnav: long link texts left out");
  nf_doc_free(doc);
}

static void test_short_article(void) {
  nf_doc *doc = load("short.html", NULL);
  if (!OK(doc != NULL, "short: parsed")) return;
  nf_article *a = nf_article_extract(doc);
  STR_EQ(a->text, "Main Street will be closed to traffic on Sunday for the marathon.",
         "short: the one short paragraph, alone");
  nf_doc_free(doc);
}

static void test_sibling_merge(void) {
  nf_doc *doc = load("split.html", NULL);
  if (!OK(doc != NULL, "split: parsed")) return;
  nf_article *a = nf_article_extract(doc);
  STR_CONTAINS(a->text, "Ferry workers walked out", "split: first block");
  STR_CONTAINS(a->text, "the strike may continue", "split: sibling block merged");
  OK(!has(a->text, "Subscribe now"), "split: promo sibling not merged");
  nf_doc_free(doc);
}

static void test_ld_article_body(void) {
  nf_doc *doc = load("ld.html", NULL);
  if (!OK(doc != NULL, "ld: parsed")) return;
  char *ld = ex_ld_article_body(doc);
  STR_CONTAINS(ld, "The Green party won six seats", "ld: articleBody found in @graph");
  free(ld);
  nf_article *a = nf_article_extract(doc);
  STR_CONTAINS(a->text, "The Green party won six seats", "ld: story found");
  STR_CONTAINS(a->text, "elect a leader and a chair.", "ld: whole story");
  OK(!has(a->text, "Live coverage"), "ld: container chosen by the articleBody");
  nf_doc_free(doc);

  doc = load("ld-only.html", NULL);
  if (!OK(doc != NULL, "ld-only: parsed")) return;
  a = nf_article_extract(doc);
  STR_EQ(a->text,
         "Phone makers AT&T and others met on Monday to agree on a common charger, "
         "after years of talks that went nowhere, and of drawers full of cables.\n\nThe deal covers every new phone "
         "sold from 2026, the group said in a statement.",
         "ld-only: the articleBody (HTML read as HTML) when the page has no story");
  nf_doc_free(doc);

  doc = load("ld-teaser.html", NULL);
  if (!OK(doc != NULL, "ld-teaser: parsed")) return;
  a = nf_article_extract(doc);
  STR_CONTAINS(a->text, "Fishing boats", "ld-teaser: a short articleBody does not cut the story");
  nf_doc_free(doc);
}

static void test_fallback(void) {
  nf_doc *doc = load("scattered.html", NULL);
  if (!OK(doc != NULL, "scattered: parsed")) return;
  nf_article *a = nf_article_extract(doc);
  STR_CONTAINS(a->text, "First paragraph of an unusual page", "scattered: first");
  STR_CONTAINS(a->text, "Second paragraph", "scattered: second");
  STR_CONTAINS(a->text, "Fourth paragraph", "scattered: fourth");
  nf_doc_free(doc);
}

static void test_text_dump(void) {
  nf_doc *doc = load("dump.txt", NULL);
  if (!OK(doc != NULL, "dump: parsed")) return;
  INT_EQ(nf_doc_type(doc), NF_INPUT_TEXT, "dump: a text document");
  nf_article *a = nf_article_extract(doc);
  OK(a->text && !strncmp(a->text, "The town hall's new clock", 25),
     "dump: body starts at the first paragraph");
  OK(!has(a->text, "Town Hall Gets New Clock"), "dump: no title in the body");
  OK(!has(a->text, "stopped in 1987"), "dump: no standfirst in the body");
  OK(!has(a->text, "10/3/2020"), "dump: no dateline in the body");
  STR_CONTAINS(a->text, "sponsored walk.", "dump: last paragraph");
  nf_doc_free(doc);
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

/* With no declared description, the description is the first paragraph of
 * the article body (whitespace collapsed), not the page's first paragraph
 * (here a masthead outside the article). A declared one still wins. */
static void test_undeclared_description(void) {
  nf_doc *doc = load("undeclared-description.html", NULL);
  if (!OK(doc != NULL, "undeclared description: parsed")) return;
  nf_article *a = nf_article_extract(doc);
  STR_EQ(a->description,
         "The new tram line between the station and the hospital opened on Monday, two years late "
         "and twelve million over budget, the transport authority said.",
         "undeclared description: the body's first paragraph");
  nf_doc_free(doc);
  doc = load("short.html", NULL);
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

int main(void) {
  test_hints();
  test_scoring_units();
  test_basic();
  test_comments_only_long_text();
  test_related_links();
  test_teaser_article();
  test_long_nav();
  test_short_article();
  test_sibling_merge();
  test_ld_article_body();
  test_fallback();
  test_text_dump();
  test_empty_and_hostile();
  test_undeclared_description();
  test_halves_agree();
  return nf_test_done();
}
