/* test_bundle_article.c: the article layer of bundles. A document plus a
 * script's result as one article (nf_bundle_article_new), its chapter
 * rendered once and outliving the document, the XHTML handed to each
 * format; a bundle's articles read back (nf_bundle_articles_*); ISO dates
 * to Unix seconds in the date module. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "newsform.h"

static char dir[64];

static const char page[] =
    "<html lang=\"fr\"><head><title>Le titre</title>"
    "<meta name=\"author\" content=\"Ana Autor\">"
    "<meta name=\"description\" content=\"What it says.\">"
    "<link rel=\"canonical\" href=\"https://news.test/a\">"
    "</head><body><article><h1>Le titre</h1>"
    "<p>First paragraph of the article, long enough to be the content of a "
    "page that extraction keeps.</p><p>Second paragraph, also with words "
    "that make it an article body and not a navigation bar.</p>"
    "</article></body></html>";

static nf_doc *parse(void) {
  char err[256];
  nf_parse_opts po = {NF_INPUT_HTML, NULL, "in/a.html", NULL};
  return nf_doc_parse(page, strlen(page), &po, err, sizeof err);
}

static char *path(const char *name) {
  static char p[128];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  return p;
}

/* The bytes of one entry of a bundle. */
static char *entry_of(const char *bundle, const char *want) {
  char err[512];
  nf_bundle_reader *r = nf_bundle_open(bundle, NF_BUNDLE_UNKNOWN, 0, err,
                                       sizeof err);
  if (!r) return NULL;
  nf_bundle_entry e;
  char *got = NULL;
  while (!got && nf_bundle_next(r, &e, err, sizeof err) == 1) {
    if (strcmp(e.name, want) != 0) continue;
    nf_buf b = NF_BUF_INIT;
    nf_buf_init(&b);
    if (nf_bundle_read(r, &b, err, sizeof err) == 0) got = nf_buf_detach(&b);
    else nf_buf_free(&b);
  }
  nf_bundle_reader_free(r);
  return got;
}

static void mapping(void) {
  nf_doc *doc = parse();
  OK(doc, "page parses");
  /* the document itself: metadata from its article */
  nf_bundle_article *a = nf_bundle_article_new(doc, NULL);
  STR_EQ(a->title, "Le titre", "doc: title");
  STR_EQ(a->author, "Ana Autor", "doc: byline");
  STR_EQ(a->summary, "What it says.", "doc: description");
  STR_EQ(a->url, "https://news.test/a", "doc: url");
  STR_EQ(a->lang, "fr", "doc: lang");
  STR_EQ(a->source, "in/a.html", "doc: source");
  OK(a->body && !a->html && !a->text, "doc: the article body node");
  nf_bundle_article_free(a);

  /* a Markdown result: the script's metadata wins, the body is the node */
  const char md[] = "# Le titre\n\nmarkdown\n";
  nf_bundle_result res = {md, strlen(md), "md", "Set by ctx", NULL,
                          "2024-05-01", "World", NULL, "bundle:entry"};
  a = nf_bundle_article_new(doc, &res);
  STR_EQ(a->title, "Set by ctx", "md: ctx.title");
  STR_EQ(a->author, "Ana Autor", "md: byline from the article");
  STR_EQ(a->section, "World", "md: ctx.section");
  STR_EQ(a->published, "2024-05-01", "md: ctx.published");
  STR_EQ(a->source, "bundle:entry", "md: the result's source");
  OK(a->body != NULL, "md: the article body");
  nf_bundle_article_render(a);
  OK(a->xhtml && !a->body, "render: XHTML, nothing borrowed");
  nf_doc_free(doc);   /* the rendered article outlives the document */
  STR_CONTAINS(a->xhtml, "First paragraph", "render: the body's text");
  OK(strstr(a->xhtml, "markdown") == NULL, "render: not the Markdown source");

  /* written to a book: the chapter is the rendered XHTML */
  char err[512];
  nf_bundle_opts o;
  memset(&o, 0, sizeof o);
  o.title = "Book";
  nf_bundle *b = nf_bundle_create(path("a.epub"), &o, err, sizeof err);
  OK(b, "epub created");
  INT_EQ(nf_bundle_add_article(b, a, err, sizeof err), 0, "epub: add");
  INT_EQ(nf_bundle_close(b, err, sizeof err), 0, "epub: close");
  char *ch = entry_of(path("a.epub"), "OEBPS/ch001.xhtml");
  STR_CONTAINS(ch, "First paragraph", "epub: chapter body");
  STR_CONTAINS(ch, "Set by ctx", "epub: chapter title");
  free(ch);

  /* and to jsonl: its text from the XHTML, no HTML parsed */
  b = nf_bundle_create(path("a.jsonl.gz"), NULL, err, sizeof err);
  INT_EQ(nf_bundle_add_article(b, a, err, sizeof err), 0, "jsonl: add");
  INT_EQ(nf_bundle_close(b, err, sizeof err), 0, "jsonl: close");
  nf_bundle_article_free(a);

  /* a text result without a document: its title line is not repeated */
  const char txt[] = "Titled\nbody words\n";
  nf_bundle_result t = {txt, strlen(txt), "txt", "Titled", NULL, NULL,
                        NULL, NULL, "x"};
  a = nf_bundle_article_new(NULL, &t);
  STR_EQ(a->text, "\nbody words\n", "txt: without the title line");
  nf_bundle_article_render(a);
  STR_EQ(a->xhtml, "<p>body words\n</p>\n", "txt: one paragraph");
  nf_bundle_article_free(a);

  /* an HTML result: parsed once, when rendered */
  const char html[] = "<p>from <b>html</b></p>";
  nf_bundle_result h = {html, strlen(html), "html", NULL, NULL, NULL,
                        NULL, NULL, NULL};
  a = nf_bundle_article_new(NULL, &h);
  OK(a->html == html && !a->body, "html: borrowed until rendered");
  nf_bundle_article_render(a);
  STR_CONTAINS(a->xhtml, "<b>html</b>", "html: rendered");
  nf_bundle_article_free(a);
}

static void reading(void) {
  char err[512];
  nf_bundle_articles *arts = nf_bundle_articles_open(
      path("a.epub"), NF_BUNDLE_UNKNOWN, 0, err, sizeof err);
  OK(arts, "articles: open the book");
  INT_EQ(nf_bundle_articles_count(arts), 1, "articles: one chapter");
  const nf_bundle_item *it = nf_bundle_articles_item(arts, 0);
  INT_EQ(it->kind, NF_ARTICLE_HTML, "articles: read as HTML");
  INT_EQ(it->hint_at, 6, "articles: named below OEBPS/");
  OK(nf_bundle_articles_item(arts, 1) == NULL, "articles: no second");
  nf_doc *doc;
  const char *entry;
  INT_EQ(nf_bundle_articles_next(arts, NULL, &doc, &entry, err, sizeof err),
         1, "next: the chapter");
  STR_EQ(entry, "OEBPS/ch001.xhtml", "next: its entry");
  char want[160];
  snprintf(want, sizeof want, "%s:OEBPS/ch001.xhtml", path("a.epub"));
  STR_EQ(nf_doc_source(doc), want, "next: source BUNDLE:ENTRY");
  nf_doc_free(doc);
  INT_EQ(nf_bundle_articles_next(arts, NULL, &doc, &entry, err, sizeof err),
         0, "next: the end");
  nf_bundle_articles_free(arts);

  arts = nf_bundle_articles_open(path("a.jsonl.gz"), NF_BUNDLE_UNKNOWN, 0,
                                 err, sizeof err);
  OK(arts, "articles: open the jsonl");
  INT_EQ(nf_bundle_articles_count(arts), 1, "jsonl: one line");
  INT_EQ(nf_bundle_articles_next(arts, NULL, &doc, &entry, err, sizeof err),
         1, "jsonl: next");
  char *title = doc ? nf_doc_title(doc) : NULL;
  STR_EQ(title, "Set by ctx", "jsonl: the line's title");
  free(title);
  nf_doc_free(doc);
  nf_bundle_articles_free(arts);

  OK(!nf_bundle_articles_open(path("missing.zip"), NF_BUNDLE_UNKNOWN, 0, err,
                              sizeof err),
     "articles: a missing bundle fails");
}

static void dates(void) {
  INT_EQ(nf_bundle_parse_time("2024-05-01"), 1714521600LL, "date");
  INT_EQ(nf_bundle_parse_time(" 2024-05-01 10:00"), 1714557600LL,
         "date and time, no zone: UTC");
  INT_EQ(nf_bundle_parse_time("2024-05-01T05:30:00-04:30"), 1714557600LL,
         "negative offset");
  INT_EQ(nf_bundle_parse_time("2024-02-30"), -1, "not a calendar day");
  INT_EQ(nf_bundle_parse_time(NULL), -1, "NULL");
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/nf-bundle-article-XXXXXX");
  if (!mkdtemp(dir)) return 1;
  mapping();
  reading();
  dates();
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) return 1;
  return nf_test_done();
}
