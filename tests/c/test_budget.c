/* test_budget.c: extraction, rendering and XPath within a work or time
 * budget (nf_budget): exhausted calls fail with "budget exhausted" and
 * leave no partial result; generous budgets change nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "newsform.h"

/* A long article: n paragraphs in nested sections. */
static nf_doc *big_page(int n) {
  nf_buf b = NF_BUF_INIT;
  nf_buf_puts(&b, "<html><head><title>Big</title></head><body><article>"
                  "<h1>Big</h1>");
  for (int i = 0; i < n; i++)
    nf_buf_printf(&b, "<section><p>Paragraph %d, with some words, and more "
                      "words <a href=/x%d>a link</a>.</p></section>", i, i);
  nf_buf_puts(&b, "</article></body></html>");
  nf_doc *d = nf_test_parse(b.ptr);
  nf_buf_free(&b);
  return d;
}

static void test_extract(void) {
  nf_doc *d = big_page(3000);
  nf_budget b;
  char err[256] = "";
  nf_budget_init(&b, 1000, 0);
  nf_article *a = nf_article_extract_budget(d, &b, err, sizeof err);
  OK(a == NULL, "extraction: 1000 operations are not enough");
  STR_EQ(err, "extraction: budget exhausted (1000 operations)", "its error");
  INT_EQ(b.exhausted, NF_BUDGET_OPS, "exhausted by operations");
  OK(nf_doc_cached_article(d) == NULL, "nothing cached after a failure");
  a = nf_article_extract_budget(d, &b, err, sizeof err);
  OK(a == NULL, "an exhausted budget stays exhausted");

  nf_budget_init(&b, 100000000, 60);
  a = nf_article_extract_budget(d, &b, err, sizeof err);
  OK(a != NULL && !nf_budget_exhausted(&b), "a generous budget: the article");
  OK(b.ops > 3000, "operations counted");
  nf_doc *d2 = big_page(3000);
  nf_article *plain = nf_article_extract(d2);
  OK(a && plain && !strcmp(a->text, plain->text) &&
     !strcmp(a->title, plain->title), "same article as without a budget");
  OK(nf_article_extract_budget(d, &b, err, sizeof err) == a, "cached");
  nf_doc_free(d2);
  nf_doc_free(d);

  /* Time: a budget with a past deadline stops as soon as the clock is read. */
  d = big_page(3000);
  nf_budget_init(&b, 0, 1e-9);
  a = nf_article_extract_budget(d, &b, err, sizeof err);
  OK(a == NULL && b.exhausted == NF_BUDGET_TIME, "extraction: out of time");
  STR_CONTAINS(err, "budget exhausted (1e-09 s)", "time error");
  nf_doc_free(d);
}

static void test_render(void) {
  nf_doc *d = big_page(2000);
  nf_render_fn fns[] = {nf_render_text, nf_render_markdown, nf_render_html};
  const char *names[] = {"text", "markdown", "html"};
  for (int i = 0; i < 3; i++) {
    nf_buf out = NF_BUF_INIT, plain = NF_BUF_INIT;
    nf_buf_puts(&out, "kept:");
    nf_budget b;
    char err[256] = "", name[64];
    nf_budget_init(&b, 500, 0);
    int rc = nf_render_budget(fns[i], nf_doc_body(d), NULL, &b, &out, err,
                              sizeof err);
    snprintf(name, sizeof name, "%s: exhausted, output as it was", names[i]);
    OK(rc == -1 && !strcmp(out.ptr, "kept:"), name);
    STR_EQ(err, "rendering: budget exhausted (500 operations)", "its error");
    nf_budget_init(&b, 0, 60);
    nf_buf_clear(&out);
    rc = nf_render_budget(fns[i], nf_doc_body(d), NULL, &b, &out, err,
                          sizeof err);
    fns[i](nf_doc_body(d), NULL, &plain);
    snprintf(name, sizeof name, "%s: enough budget, same output", names[i]);
    OK(rc == 0 && out.len > 10000 && !strcmp(out.ptr, plain.ptr), name);
    nf_buf_free(&out);
    nf_buf_free(&plain);
  }
  nf_doc_free(d);
}

static void test_counts(void) {
  nf_doc *d = big_page(2000);
  nf_budget b;
  char err[256] = "";
  nf_budget_init(&b, 0, 0);
  nf_buf out = NF_BUF_INIT;
  OK(nf_render_budget(nf_render_text, nf_doc_body(d), NULL, &b, &out, err,
                      sizeof err) == 0 && b.ops > 2000,
     "no limits: counts only");
  nf_buf_free(&out);
  nf_doc_free(d);
}

int main(void) {
  test_extract();
  test_render();
  test_counts();
  return nf_test_done();
}
