/* test_meta.c: metadata extraction (meta.c, meta_date.c), one fixture per
 * source, and fixtures where a source must not fire. */
#include "harness.h"
#include "meta_date.h"
#include "newsform.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static nf_article *extract(const char *name, nf_doc **doc_out) {
  char path[256];
  snprintf(path, sizeof path, "tests/fixtures/meta/%s", name);
  nf_doc *doc = nf_test_load(path, NF_INPUT_HTML, NULL);
  if (!doc) return NULL;
  nf_article *a = nf_xcalloc(1, sizeof *a);
  nf_meta_extract(doc, a);
  *doc_out = doc;
  return a;
}

static void done(nf_article *a, nf_doc *doc) {
  nf_article_free(a);
  nf_doc_free(doc);
}

static const char *item(const nf_pathlist *l, size_t i) {
  return i < l->len ? l->items[i] : NULL;
}

static void test_jsonld(void) {
  nf_doc *d = NULL;
  nf_article *a = extract("jsonld-graph.html", &d);
  OK(a != NULL, "jsonld fixture");
  if (!a) return;
  STR_EQ(a->title, "Ferry Line Approved After Decade of Debate",
         "JSON-LD headline wins over og:title");
  STR_EQ(a->byline, "Jane Doe, John Roe", "JSON-LD author array (URL skipped)");
  INT_EQ(a->authors.len, 2, "two authors");
  STR_EQ(item(&a->authors, 1), "John Roe", "author name cleaned");
  STR_EQ(a->site_name, "Harbor Times", "publisher.name");
  STR_EQ(a->published, "2020-03-04T09:30:00+01:00", "datePublished");
  STR_EQ(a->modified, "2020-03-05", "dateModified");
  STR_EQ(a->description, "The council voted to fund the line.", "description");
  STR_EQ(a->image.url, "https://harbor.example/ferry.jpg", "image object url");
  STR_EQ(a->image.caption, "The new ferry.", "image caption");
  STR_EQ(a->url, "https://harbor.example/ferry", "JSON-LD url");
  STR_EQ(a->lang, "en-GB", "<html lang> wins over inLanguage");
  INT_EQ(a->tags.len, 4, "keywords + section");
  STR_EQ(item(&a->tags, 3), "Local", "articleSection tag");
  done(a, d);

  a = extract("jsonld-website-only.html", &d);
  if (!a) return;
  STR_EQ(a->title, "Real Headline About The Harbor",
         "WebSite JSON-LD does not give the title; site suffix cut");
  OK(a->byline == NULL, "Organization JSON-LD gives no byline");
  OK(a->published == NULL, "Organization JSON-LD gives no date");
  STR_EQ(a->site_name, "Example News", "og:site_name");
  done(a, d);
}

static void test_opengraph(void) {
  nf_doc *d = NULL;
  nf_article *a = extract("opengraph.html", &d);
  OK(a != NULL, "opengraph fixture");
  if (!a) return;
  STR_EQ(a->title, "Ferry Line Approved", "og:title minus ' | Site'");
  STR_EQ(a->site_name, "Harbor Times", "og:site_name");
  STR_EQ(a->description, "The council voted \"yes\" to the line.",
         "og:description, double escaping undone");
  STR_EQ(a->byline, "Jane Doe, John Roe & Ann Poe",
         "name=author as written (article:author URL ignored)");
  INT_EQ(a->authors.len, 3, "authors split on , and &");
  STR_EQ(item(&a->authors, 2), "Ann Poe", "third author");
  STR_EQ(a->published, "2020-03-04T09:30:00Z", "article:published_time");
  STR_EQ(a->modified, "2020-03-05T10:00:00Z", "article:modified_time");
  STR_EQ(a->lang, "en-US", "og:locale as a language tag");
  STR_EQ(a->url, "https://harbor.example/ferry", "og:url");
  STR_EQ(a->image.url, "https://harbor.example/ferry.jpg", "og:image");
  STR_EQ(a->image.alt, "A ferry at the pier", "og:image:alt");
  STR_EQ(a->image.credit, "Jane Roe", "credit from the matching figure");
  STR_CONTAINS(a->image.caption, "The new ferry.", "caption from the figure");
  INT_EQ(a->tags.len, 4, "section, tag (deduped), keywords");
  done(a, d);

  a = extract("og-title-is-site.html", &d);
  if (!a) return;
  STR_EQ(a->title, "Ferry Line Approved After Debate",
         "og:title equal to the site name is skipped");
  done(a, d);
}

static void test_dublin_core_and_microdata(void) {
  nf_doc *d = NULL;
  nf_article *a = extract("dublin-core.html", &d);
  OK(a != NULL, "dublin core fixture");
  if (!a) return;
  STR_EQ(a->title, "Dublin Core Title", "dc.title");
  STR_EQ(a->byline, "Jane Doe", "dc.creator");
  STR_EQ(a->published, "2011-10-21", "dcterms.created normalized");
  STR_EQ(a->description, "Dublin Core description.", "dc.description");
  done(a, d);

  a = extract("microdata.html", &d);
  if (!a) return;
  STR_EQ(a->title, "Microdata Headline Here", "itemprop=headline");
  STR_EQ(a->byline, "Jane Doe", "itemprop=author > itemprop=name");
  STR_EQ(a->published, "2019-04-28T06:01:07-07:00", "itemprop=datePublished");
  STR_EQ(a->modified, "2019-04-29", "meta itemprop=dateModified");
  STR_CONTAINS(a->description, "Body text of the microdata article",
               "first paragraph as excerpt");
  done(a, d);
}

static void test_bylines(void) {
  nf_doc *d = NULL;
  nf_article *a = extract("byline-class.html", &d);
  OK(a != NULL, "byline fixture");
  if (!a) return;
  STR_EQ(a->byline, "Jane Doe and John Roe",
         ".byline: 'By' and trailing date removed, nav rel=author ignored");
  INT_EQ(a->authors.len, 2, "split on ' and '");
  STR_EQ(a->published, "2017-03-09T08:00:00-05:00", "<time pubdate>");
  STR_EQ(a->title, "A Long Enough Headline For The Page",
         "<title> cut where the h1 ends");
  done(a, d);

  a = extract("by-line.html", &d);
  if (!a) return;
  STR_EQ(a->byline, "Jane Doe", "'By Jane Doe' paragraph, not 'By the way'");
  done(a, d);

  a = extract("no-byline.html", &d);
  if (!a) return;
  OK(a->byline == NULL, "'By the way' and #authorization are no bylines");
  OK(a->published == NULL, "garbage dates rejected");
  STR_EQ(a->title, "Rock - Paper - Scissors",
         "dashes that are part of a short title are kept");
  done(a, d);
}

static void test_lang_dir_and_more(void) {
  nf_doc *d = NULL;
  nf_article *a = extract("lang-dir.html", &d);
  OK(a != NULL, "lang fixture");
  if (!a) return;
  STR_EQ(a->lang, "ar", "<html lang>");
  STR_EQ(a->dir, "rtl", "<html dir>");
  STR_EQ(a->url, "https://example.org/ar/article", "canonical link");
  STR_EQ(a->byline, "Parsely Author", "parsely-author");
  STR_EQ(a->published, "2024-04-20T04:20:00Z", "parsely-pub-date");
  INT_EQ(a->tags.len, 2, "news_keywords");
  done(a, d);
}

static void test_dates(void) {
  static const struct { const char *in, *out; } ok[] = {
      {"10/21/2011", "2011-10-21"},
      {"2011-10-21", "2011-10-21"},
      {"October 21, 2011", "2011-10-21"},
      {"21 Oct 2011", "2011-10-21"},
      {"Fri, 21 Oct 2011 14:03:00 GMT", "2011-10-21T14:03:00Z"},
      {"2021-11-01T10:52:50+0100", "2021-11-01T10:52:50+01:00"},
      {"2015-03-27T13:07:55.096Z", "2015-03-27T13:07:55Z"},
      {"April 28, 2019 at 6:01 pm", "2019-04-28T18:01:00"},
      {"21.10.2011", "2011-10-21"},
      {"13/2/2020", "2020-02-13"},
      {"Sept. 3rd, 2019", "2019-09-03"},
      {"29 Feb 2020", "2020-02-29"},
      {NULL, NULL}};
  for (int i = 0; ok[i].in; i++) {
    char out[NF_DATE_MAX], name[96];
    snprintf(name, sizeof name, "date '%s'", ok[i].in);
    OK(nf_date_parse(ok[i].in, out), name);
    STR_EQ(out, ok[i].out, name);
  }
  static const char *const bad[] = {"2/30/2020", "29 Feb 2019", "1999",
                                    "Updated:", "13/13/2020", "2011-10-21x",
                                    "Mayday 5 2020", "", "0000-01-01", NULL};
  for (int i = 0; bad[i]; i++) {
    char out[NF_DATE_MAX], name[96];
    snprintf(name, sizeof name, "not a date '%s'", bad[i]);
    OK(!nf_date_parse(bad[i], out), name);
  }
  char out[NF_DATE_MAX];
  OK(nf_date_parse_loose("1445000000", out) && strcmp(out, "2015-10-16T12:53:20Z") == 0,
     "Unix timestamp (loose)");
  OK(!nf_date_parse("1445000000", out), "timestamp not a strict date");
}

/* Bylines people would print: the name, without what sits next to it. */
static void test_byline_people(void) {
  static const struct { const char *file, *byline, *why; } cases[] = {
      {"byline-parts.html", "Jane Roe",
       "no job title or 'Published' glued from nested elements"},
      {"byline-blocks.html", "JANE ROE",
       "adjacent blocks are two parts; the desk is no name"},
      {"byline-published.html", "Jane Roe",
       "no site name or 'Published ...' from the next element"},
      {"byline-label-bio.html", "Sam Poe", "label text and an author bio rejected"},
      {"byline-handle.html", "Jane Roe",
       "the display name of the profile link, not the handle"},
      {"byline-handle-path.html", "Jane Roe",
       "a meta handle: the display name of the link to /@handle"},
      {"byline-meta-disagrees.html", "Jane Roe",
       "the visible byline in the article beats meta author"},
      {"byline-posted.html", "Sam Poe", "'Posted by ... on <date>': the name"},
      {NULL, NULL, NULL}};
  for (int i = 0; cases[i].file; i++) {
    nf_doc *d = NULL;
    nf_article *a = extract(cases[i].file, &d);
    OK(a != NULL, cases[i].file);
    if (!a) continue;
    STR_EQ(a->byline, cases[i].byline, cases[i].why);
    done(a, d);
  }
  nf_doc *d = NULL;
  nf_article *a = extract("byline-blocks.html", &d);
  if (a) {
    INT_EQ(a->authors.len, 1, "one person in the blocks byline");
    done(a, d);
  }
}

static void test_authors_people(void) {
  nf_doc *d = NULL;
  nf_article *a = extract("authors-people.html", &d);
  OK(a != NULL, "authors fixture");
  if (a) {
    INT_EQ(a->authors.len, 2, "'Last, F.' is one person; credentials and the site are not");
    STR_EQ(item(&a->authors, 0), "Roe, J.", "'Roe, J.' kept whole");
    STR_EQ(item(&a->authors, 1), "Jane Poe", "second person");
    done(a, d);
  }
  a = extract("authors-org.html", &d);
  if (a) {
    STR_EQ(a->byline, "Sam Poe and the interior and defence ministries",
           "JSON-LD author without its leading 'By'");
    INT_EQ(a->authors.len, 1, "ministries are not people");
    STR_EQ(item(&a->authors, 0), "Sam Poe", "the person");
    done(a, d);
  }
  a = extract("authors-blog.html", &d);
  if (a) {
    INT_EQ(a->authors.len, 1, "a site named after its one author: a person");
    STR_EQ(item(&a->authors, 0), "Jane Roe", "the blog's author");
    done(a, d);
  }
  a = extract("authors-roles.html", &d);
  if (a) {
    STR_EQ(a->byline, "Written by Rob Roe Edited by Ann Poe", "byline as written");
    INT_EQ(a->authors.len, 2, "'Written by X Edited by Y': two people");
    STR_EQ(item(&a->authors, 0), "Rob Roe", "the writer");
    STR_EQ(item(&a->authors, 1), "Ann Poe", "the editor");
    done(a, d);
  }
}

/* One field of one fixture each: dates in the page's offset, the direction
 * nearest the content, bracketed site suffixes. */
static void test_page_offsets_dir_titles(void) {
  static const struct {
    const char *file;
    size_t field;   /* offset of a char * field of nf_article */
    const char *want, *why;
  } cases[] = {
      {"date-offset.html", offsetof(nf_article, published),
       "2020-11-11T22:00:00-05:00",
       "a timestamp in the page's own offset (UTC would be the 12th)"},
      {"date-utc-local.html", offsetof(nf_article, published),
       "2020-11-11T23:00:00-06:00", "the same instant in the page's offset beats UTC"},
      {"dir-body.html", offsetof(nf_article, dir), "rtl",
       "<body dir=rtl> inside <html dir=ltr>"},
      {"dir-article.html", offsetof(nf_article, dir), "rtl",
       "<main dir=rtl>: nearest the content"},
      {"title-bracketed-site.html", offsetof(nf_article, title),
       "Bike Lanes Approved", "a bracketed last '| ...' part is a site suffix"},
      {"title-bracketed-known.html", offsetof(nf_article, title),
       "Bike Lanes Approved", "bracketed known site name"},
      {NULL, 0, NULL, NULL}};
  for (int i = 0; cases[i].file; i++) {
    nf_doc *d = NULL;
    nf_article *a = extract(cases[i].file, &d);
    OK(a != NULL, cases[i].file);
    if (!a) continue;
    STR_EQ(*(char **)((char *)a + cases[i].field), cases[i].want, cases[i].why);
    done(a, d);
  }
}

/* Bylines in other languages: "Por", "Von", "di" before names are
 * openers; "Por qué", "Von der Leyen sagte", a lone surname are not. */
static void test_bylines_other_languages(void) {
  nf_doc *d = NULL;
  nf_article *a = extract("byline-por.html", &d);
  OK(a != NULL, "Por fixture");
  if (!a) return;
  STR_EQ(a->byline, "Ana Gil Mart\xC3\xADnez", "'Por Ana Gil' line, not 'Por qu\xC3\xA9'");
  done(a, d);
  a = extract("byline-von.html", &d);
  if (!a) return;
  STR_EQ(a->byline, "Max Roth", ".byline 'Von Max Roth | date': 'Von' and the date removed");
  done(a, d);
  a = extract("byline-di.html", &d);
  if (!a) return;
  STR_EQ(a->byline, "Mario Rossi", "'di Mario Rossi' line");
  done(a, d);
  a = extract("byline-von-der-leyen.html", &d);
  if (!a) return;
  OK(a->byline == NULL, "'Von der Leyen sagte', 'De Luca': no byline");
  if (a->byline) printf("# got %s\n", a->byline);
  done(a, d);
}

int main(void) {
  test_jsonld();
  test_opengraph();
  test_dublin_core_and_microdata();
  test_bylines();
  test_bylines_other_languages();
  test_lang_dir_and_more();
  test_dates();
  test_byline_people();
  test_authors_people();
  test_page_offsets_dir_titles();
  return nf_test_done();
}
