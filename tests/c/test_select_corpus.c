/* test_select_corpus.c: CSS selectors checked against XPath on real pages.
 * Each pair asks the same question both ways; over every page of
 * ../shared/corpus/extraction/html/ the two node lists must be identical
 * (same nodes, same order). Skips when the shared corpus is absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "newsform.h"

#define CLASS_HAS(c) \
  "contains(concat(' ', normalize-space(@class), ' '), ' " c " ')"

static const char *const pairs[][2] = {
    {"div p", "//div//p"},
    {"div > p", "//div/p"},
    {"p + p", "//p[preceding-sibling::*[1][self::p]]"},
    {"h2 ~ p", "//p[preceding-sibling::h2]"},
    {"li:first-child", "//li[not(preceding-sibling::*)]"},
    {"li:last-child", "//li[not(following-sibling::*)]"},
    {"li:nth-child(2n+1)", "//li[count(preceding-sibling::*) mod 2 = 0]"},
    {"li:nth-last-child(-n+2)", "//li[count(following-sibling::*) < 2]"},
    {"p:nth-of-type(2)", "//p[count(preceding-sibling::p) = 1]"},
    {"a:not([href])", "//a[not(@href)]"},
    {"a[href^=http]", "//a[starts-with(@href, 'http')]"},
    {"div:has(> p)", "//div[p]"},
    {"div:has(img)", "//div[.//img]"},
    {"div div div a", "//div//div//div//a"},
    {".content p", "//*[" CLASS_HAS("content") "]//p"},
    {"body > * > div > p", "/html/body/*/div/p"},
    {"section p, article p", "//section//p | //article//p"},
    {"div > :only-child",
     "//div/*[not(preceding-sibling::*) and not(following-sibling::*)]"},
    {"li:has(+ li) a", "//li[following-sibling::*[1][self::li]]//a"},
    {"meta[property^='og:' i]",
     "//meta[starts-with(translate(@property, 'OG', 'og'), 'og:')]"},
};

int main(void) {
  const char *dir = "../shared/corpus/extraction/html";
  nf_pathlist pages = {0};
  char err[512];
  if (nf_pathlist_add(&pages, dir, err, sizeof err) != 0 || pages.len == 0) {
    printf("ok 1 - # SKIP no corpus at %s\n", dir);
    nf_pathlist_free(&pages);
    return 0;
  }
  size_t npairs = sizeof pairs / sizeof *pairs, differences = 0, nodes = 0;
  size_t *per_pair = nf_xcalloc(npairs, sizeof *per_pair);
  for (size_t i = 0; i < pages.len; i++) {
    nf_buf in = NF_BUF_INIT;
    nf_buf_init(&in);
    if (nf_read_input(pages.items[i], 0, &in, err, sizeof err) != 0) {
      nf_buf_free(&in);
      continue;
    }
    nf_parse_opts opts = {NF_INPUT_HTML, NULL, pages.items[i], NULL};
    nf_doc *doc = nf_doc_parse(in.ptr, in.len, &opts, err, sizeof err);
    nf_buf_free(&in);
    if (!doc) continue;
    for (size_t k = 0; k < npairs; k++) {
      nf_nodelist css = {0};
      nf_xpath_result xp;
      int rc1 = nf_select_css(nf_doc_node(doc), pairs[k][0], &css, err,
                              sizeof err);
      int rc2 = nf_xpath(doc, NULL, pairs[k][1], &xp, err, sizeof err);
      int same = rc1 == 0 && rc2 == 0 && css.len == xp.nodes.len &&
                 (css.len == 0 ||
                  memcmp(css.items, xp.nodes.items,
                         css.len * sizeof *css.items) == 0);
      if (!same) {
        differences++;
        per_pair[k]++;
        printf("# %s: '%s' finds %zu, XPath %zu\n", pages.items[i],
               pairs[k][0], css.len, xp.nodes.len);
      }
      nodes += css.len;
      nf_nodelist_free(&css);
      nf_xpath_result_free(&xp);
    }
    nf_doc_free(doc);
  }
  for (size_t k = 0; k < npairs; k++) {
    char name[160];
    snprintf(name, sizeof name, "'%s' agrees with XPath on every page",
             pairs[k][0]);
    INT_EQ(per_pair[k], 0, name);
  }
  printf("# %zu pages, %zu selected nodes compared, %zu differences\n",
         pages.len, nodes, differences);
  OK(nodes > 1000, "the pages hold enough to compare");
  free(per_pair);
  nf_pathlist_free(&pages);
  return nf_test_done();
}
