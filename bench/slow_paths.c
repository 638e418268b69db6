/* slow_paths.c: times the known slow shapes on synthetic pages (no corpus
 * needed): of-type pseudo-classes over thousands of distinct sibling tags,
 * by nf_select and node by node (nf_selector_matches on every sibling, as
 * Lua walk handlers and node:matches do),
 * XPath axes whose node-set merges are quadratic inside libxml2 (deep
 * ancestor::, wide following-sibling::), extraction of a long page.
 *
 *   slow_paths [-n REPS]
 *
 * Prints the best of REPS runs (default 3) per case, with its answer (a
 * count, or the error when a limit stopped it). Uses only API that older
 * builds have, so the same file measures before and after a change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsform.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* kind 0: n distinct sibling tags; 1: n nested divs; 2: n sibling p. */
static nf_doc *shape(int kind, int n) {
  nf_buf b = NF_BUF_INIT;
  for (int i = 0; i < n; i++) {
    if (kind == 0) nf_buf_printf(&b, "<x-%d>a</x-%d>", i, i);
    else if (kind == 1) nf_buf_puts(&b, "<div>");
    else nf_buf_puts(&b, "<p>a</p>");
  }
  nf_buf_puts(&b, "x");
  char err[256];
  nf_doc *d = nf_doc_parse(b.ptr, b.len, NULL, err, sizeof err);
  nf_buf_free(&b);
  return d;
}

static void run(const char *label, nf_doc *d, const char *css,
                const char *xpath, int reps) {
  double best = 1e300;
  char answer[160] = "";
  for (int r = 0; r < reps; r++) {
    double t0 = now();
    char err[256];
    if (css) {
      nf_nodelist l = {0};
      nf_select_css(nf_doc_node(d), css, &l, err, sizeof err);
      snprintf(answer, sizeof answer, "%zu matches", l.len);
      nf_nodelist_free(&l);
    } else {
      nf_xpath_result res;
      if (nf_xpath(d, NULL, xpath, &res, err, sizeof err) == 0)
        snprintf(answer, sizeof answer, "%g", res.number);
      else
        snprintf(answer, sizeof answer, "%.100s", strrchr(err, ':') + 2);
      nf_xpath_result_free(&res);
    }
    double t = now() - t0;
    if (t < best) best = t;
  }
  printf("%-44s %9.3f s  %s\n", label, best, answer);
  fflush(stdout);
}

/* nf_selector_matches on every element child of the body, in order. */
static void run_nodes(const char *label, nf_doc *d, const char *css, int reps) {
  double best = 1e300;
  size_t hits = 0;
  nf_selector *sel = nf_selector_compile(css, NULL, 0);
  for (int r = 0; r < reps && sel; r++) {
    /* An edit: a document's cached positions go, each run builds them. */
    nf_node_set_name(nf_doc_body(d), "body");
    double t0 = now();
    hits = 0;
    for (nf_node *n = nf_node_first_element(nf_doc_body(d)); n;
         n = nf_node_next_element(n))
      hits += nf_selector_matches(sel, n) != 0;
    double t = now() - t0;
    if (t < best) best = t;
  }
  nf_selector_free(sel);
  printf("%-44s %9.3f s  %zu matches\n", label, best, hits);
  fflush(stdout);
}

int main(int argc, char **argv) {
  int reps = 3;
  if (argc == 3 && strcmp(argv[1], "-n") == 0) reps = atoi(argv[2]);
  if (reps < 1) {
    fprintf(stderr, "usage: slow_paths [-n REPS]\n");
    return 2;
  }
  printf("%-44s %11s  %s\n", "case", "best", "answer");
  nf_doc *d = shape(0, 20000);
  run("20,000 distinct tags  :last-of-type", d, ":last-of-type", NULL, reps);
  run("20,000 distinct tags  :only-of-type", d, ":only-of-type", NULL, reps);
  run("20,000 distinct tags  :nth-last-of-type(1)", d, ":nth-last-of-type(1)", NULL, reps);
  run_nodes("  node by node         :last-of-type", d, ":last-of-type", reps);
  run_nodes("  node by node         :only-of-type", d, ":only-of-type", reps);
  run_nodes("  node by node         :nth-last-of-type(1)", d, ":nth-last-of-type(1)", reps);
  run_nodes("  node by node         :nth-child(2n+1)", d, ":nth-child(2n+1)", reps);
  run_nodes("  node by node         :nth-last-child(1)", d, ":nth-last-child(1)", reps);
  nf_doc_free(d);
  d = shape(2, 20000);
  run("20,000 p              p:nth-of-type(2n)", d, "p:nth-of-type(2n)", NULL, reps);
  run("20,000 p              p:last-of-type", d, "p:last-of-type", NULL, reps);
  run_nodes("  node by node         p:nth-of-type(2n)", d, "p:nth-of-type(2n)", reps);
  run_nodes("  node by node         p:last-of-type", d, "p:last-of-type", reps);
  /* A later-sibling combinator whose left side never matches: a select
   * remembers its last scan per parent; node by node, each sibling still
   * rescans those before it, as it does to count "of S" (which depends on
   * S, so the document keeps no table for it). */
  run("20,000 p              section ~ p", d, "section ~ p", NULL, reps);
  run_nodes("  node by node         section ~ p", d, "section ~ p", reps);
  run_nodes("  node by node         :nth-child(2n of p)", d, ":nth-child(2n of p)", reps);
  nf_doc_free(d);
  d = shape(1, 4000);
  run("4,000 nested divs     count(//*/ancestor::*)", d, NULL, "count(//*/ancestor::*)", reps);
  nf_doc_free(d);
  d = shape(2, 5000);
  run("5,000 sibling p       count(//p/following-sibling::p)", d, NULL,
      "count(//p/following-sibling::p)", reps);
  nf_doc_free(d);
  return 0;
}
