/* select_bench.c: the selector benchmark's driver (bench/select.sh).
 *
 *   select_bench [-n REPS] FILE...
 *
 * Every file is read, gunzipped and parsed first. Then for each selector
 * (compiled once) and each page, nf_select over the whole document is timed
 * REPS times (default 20); a page's time is the median of its runs. Printed
 * per selector: the median and the slowest page time in microseconds, and
 * the total number of matches. A last row times compile + select + free
 * through nf_select_css, the one-shot path scripts use; three XPath rows
 * ask the first questions again through nf_xpath, for comparison. */
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

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static const char *const selectors[] = {
    "*",
    "p",
    "div.content p",
    "a[href^=http]",
    "article p, .entry-content p, [itemprop~=articleBody] p",
    "li:nth-child(2n+1)",
    "div:not(.nav) > p:first-child",
    "div:has(> p)",
};

int main(int argc, char **argv) {
  int reps = 20, argi = 1;
  if (argi + 1 < argc && strcmp(argv[argi], "-n") == 0) {
    reps = atoi(argv[argi + 1]);
    argi += 2;
  }
  if (reps < 1 || argi >= argc) {
    fprintf(stderr, "usage: select_bench [-n REPS] FILE...\n");
    return 2;
  }
  size_t npages = 0;
  nf_doc **docs = nf_xcalloc((size_t)(argc - argi), sizeof *docs);
  size_t bytes = 0;
  for (int i = argi; i < argc; i++) {
    nf_buf in = NF_BUF_INIT;
    char err[256];
    nf_buf_init(&in);
    if (nf_read_input(argv[i], 64u << 20, &in, err, sizeof err) != 0) {
      fprintf(stderr, "select_bench: %s\n", err);
      nf_buf_free(&in);
      continue;
    }
    nf_parse_opts opts = {NF_INPUT_HTML, NULL, argv[i], NULL};
    nf_doc *d = nf_doc_parse(in.ptr, in.len, &opts, err, sizeof err);
    bytes += in.len;
    nf_buf_free(&in);
    if (d) docs[npages++] = d;
  }
  printf("%zu pages, %.1f KB on average, %d runs each; times per page\n",
         npages, npages ? bytes / 1024.0 / npages : 0.0, reps);
  printf("%-56s %10s %10s %8s\n", "selector", "median us", "max us",
         "matches");
  double *runs = nf_xcalloc((size_t)reps, sizeof *runs);
  double *pages = nf_xcalloc(npages ? npages : 1, sizeof *pages);
  size_t nsel = sizeof selectors / sizeof *selectors;
  for (size_t s = 0; s <= nsel; s++) {
    int oneshot = s == nsel; /* the last row: compile every time */
    const char *css = oneshot ? selectors[2] : selectors[s];
    char err[256];
    nf_selector *sel = nf_selector_compile(css, err, sizeof err);
    if (!sel) {
      fprintf(stderr, "select_bench: %s\n", err);
      return 1;
    }
    size_t matches = 0;
    nf_nodelist out = {0};
    for (size_t p = 0; p < npages; p++) {
      for (int r = 0; r < reps; r++) {
        out.len = 0; /* reuse the list's memory, as a caller would */
        double t0 = now();
        if (oneshot)
          nf_select_css(nf_doc_node(docs[p]), css, &out, NULL, 0);
        else
          nf_select(sel, nf_doc_node(docs[p]), &out);
        runs[r] = now() - t0;
      }
      matches += out.len;
      qsort(runs, (size_t)reps, sizeof *runs, cmp_double);
      pages[p] = runs[reps / 2];
    }
    nf_nodelist_free(&out);
    nf_selector_free(sel);
    qsort(pages, npages, sizeof *pages, cmp_double);
    char label[80];
    snprintf(label, sizeof label, "%s%.50s", oneshot ? "(compile) " : "", css);
    printf("%-56s %10.1f %10.1f %8zu\n", label,
           npages ? pages[npages / 2] * 1e6 : 0.0,
           npages ? pages[npages - 1] * 1e6 : 0.0, matches);
  }
  /* The same questions through XPath, for comparison. */
  static const char *const xpaths[] = {
      "//p",
      "//div[contains(concat(' ', normalize-space(@class), ' '), ' content ')]"
      "//p",
      "//a[starts-with(@href, 'http')]"};
  for (size_t x = 0; x < sizeof xpaths / sizeof *xpaths; x++) {
    size_t matches = 0;
    for (size_t p = 0; p < npages; p++) {
      for (int r = 0; r < reps; r++) {
        nf_xpath_result res;
        double t0 = now();
        if (nf_xpath(docs[p], NULL, xpaths[x], &res, NULL, 0) == 0 &&
            r == 0)
          matches += res.nodes.len;
        runs[r] = now() - t0;
        nf_xpath_result_free(&res);
      }
      qsort(runs, (size_t)reps, sizeof *runs, cmp_double);
      pages[p] = runs[reps / 2];
    }
    qsort(pages, npages, sizeof *pages, cmp_double);
    char label[80];
    snprintf(label, sizeof label, "(xpath) %.48s", xpaths[x]);
    printf("%-56s %10.1f %10.1f %8zu\n", label,
           npages ? pages[npages / 2] * 1e6 : 0.0,
           npages ? pages[npages - 1] * 1e6 : 0.0, matches);
  }
  for (size_t p = 0; p < npages; p++) nf_doc_free(docs[p]);
  free(docs);
  free(runs);
  free(pages);
  return 0;
}
