/* test_elements.c: the element table, and that text, sentences, keywords,
 * summaries and the renderers leave out what a browser does not show. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "html_elements.h"
#include "newsform.h"

#define NAME_(name, flags) #name,
static const char *const all_names[] = {NF_HTML_ELEMENTS(NAME_)};
#undef NAME_

static void test_table(void) {
  int sorted = 1, found = 1;
  for (int i = 0; i < NF_ELEMENT_COUNT; i++) {
    if (i && strcmp(all_names[i - 1], all_names[i]) >= 0) sorted = 0;
    if (nf_html_element(all_names[i]) != i) found = 0;
  }
  OK(sorted, "table: names sorted and unique (bsearch needs it)");
  OK(found, "table: every name found at its index");
  INT_EQ(nf_html_element("custom-widget"), -1, "unknown tag");
  INT_EQ(nf_html_element(""), -1, "empty tag");
  INT_EQ(nf_html_element(NULL), -1, "NULL tag");
  INT_EQ(nf_html_flags("zzz"), 0, "unknown tag: no flags");
  INT_EQ(nf_html_element("h1"), NF_ELEMENT_h1, "index by enum");
  static const char *const hidden[] = {"script", "style", "template",
      "button", "select", "svg", "math", "canvas", "input", "textarea",
      "iframe", "object", "noscript", "head", "title", NULL};
  for (int i = 0; hidden[i]; i++) OK(nf_html_is_hidden(hidden[i]), hidden[i]);
  static const char *const shown[] = {"p", "span", "a", "option", "video",
                                      "audio", "img", "div", NULL};
  for (int i = 0; shown[i]; i++) OK(!nf_html_is_hidden(shown[i]), shown[i]);
  OK(nf_html_is_void("br") && nf_html_is_void("img") &&
     nf_html_is_void("wbr") && !nf_html_is_void("p"), "void");
  OK(nf_html_is_block("p") && nf_html_is_block("li") &&
     !nf_html_is_block("span"), "block");
  OK(nf_html_is_inline("em") && nf_html_is_inline("acronym") &&
     !nf_html_is_inline("button") && !nf_html_is_inline("div"), "inline");
  OK(nf_html_flags("script") & NF_EL_RAWTEXT, "raw text");
  OK((nf_html_flags("center") & NF_EL_OBSOLETE) &&
     (nf_html_flags("tt") & NF_EL_OBSOLETE) &&
     !(nf_html_flags("code") & NF_EL_OBSOLETE), "obsolete");
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  nf_buf b = NF_BUF_INIT;
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) nf_buf_put(&b, chunk, n);
  fclose(f);
  return nf_buf_detach(&b);
}

/* Every marker word the fixture hides ("...zebra"). */
static const char *const markers[] = {
    "Stylezebra", "Scriptzebra", "Buttonzebra", "Svgzebra", "Svgtitlezebra",
    "Mathzebra", "Canvaszebra", "Selectzebra", "Templatezebra",
    "Hiddenzebra", "Displaynonezebra", "Inlinescriptzebra", NULL};

static void no_markers(const char *text, const char *what) {
  char name[128];
  int clean = 1;
  for (int i = 0; markers[i]; i++) {
    if (strstr(text, markers[i]) ||
        strstr(text, "zebra")) { /* lower-cased keywords too */
      snprintf(name, sizeof name, "%s: has %s", what, markers[i]);
      OK(0, name);
      clean = 0;
      break;
    }
  }
  if (clean) {
    snprintf(name, sizeof name, "%s: no hidden text", what);
    OK(1, name);
  }
}

static void spans_text(const char *text, const nf_spanlist *l, nf_buf *out) {
  for (size_t i = 0; i < l->len; i++) {
    nf_buf_put(out, text + l->items[i].start, l->items[i].len);
    nf_buf_putc(out, '\n');
  }
}

static void check_text_of(const char *text, const char *what) {
  char name[128];
  size_t len = strlen(text);
  nf_buf all = NF_BUF_INIT;
  nf_spanlist l = {0};
  nf_sentences(text, len, &l);
  spans_text(text, &l, &all);
  nf_spanlist_free(&l);
  memset(&l, 0, sizeof l);
  nf_summary(text, len, 100, NF_SUMMARY_TEXTRANK, &l);
  spans_text(text, &l, &all);
  nf_spanlist_free(&l);
  nf_keywordlist k = {0};
  nf_keywords(text, len, 200, &k);
  for (size_t i = 0; i < k.len; i++) {
    nf_buf_puts(&all, k.items[i].phrase);
    nf_buf_putc(&all, '\n');
  }
  nf_keywordlist_free(&k);
  snprintf(name, sizeof name, "%s: sentences, summary, keywords", what);
  no_markers(all.ptr, name);
  OK(strstr(all.ptr, "ferry") != NULL, "the prose is there");
  nf_buf_free(&all);
}

static void test_hidden_text(void) {
  char *html = read_file("tests/fixtures/text/hidden.html");
  OK(html != NULL, "fixture");
  if (!html) return;
  char err[256];
  nf_doc *doc = nf_doc_parse(html, strlen(html), NULL, err, sizeof err);
  OK(doc != NULL, "parse");
  if (!doc) { free(html); return; }

  nf_buf b = NF_BUF_INIT;
  nf_text_paragraphs(nf_doc_body(doc), &b);
  no_markers(b.ptr, "paragraphs of the body");
  check_text_of(b.ptr, "body");
  nf_buf_clear(&b);
  nf_text_paragraphs(nf_doc_node(doc), &b);
  no_markers(b.ptr, "paragraphs of the document");
  nf_buf_clear(&b);

  nf_article *a = nf_article_extract(doc);
  no_markers(a->text, "article text");
  check_text_of(a->text, "article");

  nf_render_text(nf_doc_body(doc), NULL, &b);
  no_markers(b.ptr, "text renderer");
  nf_buf_clear(&b);
  nf_render_markdown(nf_doc_body(doc), NULL, &b);
  no_markers(b.ptr, "markdown renderer");
  nf_buf_free(&b);
  nf_doc_free(doc);
  free(html);
}

int main(void) {
  test_table();
  test_hidden_text();
  return nf_test_done();
}
