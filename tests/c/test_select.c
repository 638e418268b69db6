/* test_select.c: CSS selectors (core/select.c): the examples and errors of
 * tests/fixtures/render/select.txt, then what is not selector -> ids (the
 * matching API, limits of the error message, hostile selectors on huge
 * trees). The spec file's document is the page those checks use too. */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "doc.h"
#include "harness.h"
#include "newsform.h"
#include "spec.h"

#define SPEC "tests/fixtures/render/select.txt"

static nf_doc *doc;

static nf_node *by_id(const char *id) {
  char css[64];
  snprintf(css, sizeof css, "#%s", id);
  nf_nodelist l = {0};
  char err[256];
  nf_select_css(nf_doc_node(doc), css, &l, err, sizeof err);
  nf_node *n = l.len ? l.items[0] : NULL;
  nf_nodelist_free(&l);
  return n;
}

/* A case of the spec file: a document block replaces the page; an error
 * case's selector must not compile (nf_selector_compile; the output is its
 * message); an example selects (nf_select_css) below the document or the
 * root=ID element, and the output is the ids (else tag names) of what it
 * selected, comma-separated. */
static int run_case(const nf_spec_case *c, nf_buf *out, void *ud) {
  (void)ud;
  char err[512];
  if (!strcmp(c->kind, "document")) {
    nf_doc_free(doc);
    doc = nf_doc_parse(c->input, strlen(c->input), NULL, err, sizeof err);
    if (doc) return -1;
    nf_buf_printf(out, "the document does not parse: %s", err);
    return 0;
  }
  const char *root_id = nf_spec_get(c, "root");
  nf_node *root = !doc ? NULL : root_id ? by_id(root_id) : nf_doc_node(doc);
  if (!root) {
    nf_buf_puts(out, doc ? "no element with the root id" : "no document");
    return 0;
  }
  if (!strcmp(c->kind, "error")) { /* must not compile */
    nf_selector *sel = nf_selector_compile(c->input, err, sizeof err);
    int compiled = sel != NULL;
    nf_buf_puts(out, compiled ? "(compiled)" : err);
    nf_selector_free(sel);
    return compiled;
  }
  nf_nodelist l = {0};
  if (nf_select_css(root, c->input, &l, err, sizeof err) != 0) {
    nf_buf_puts(out, err);
    return 0;
  }
  for (size_t i = 0; i < l.len; i++) {
    const char *id = nf_node_attr(l.items[i], "id");
    if (i) nf_buf_putc(out, ',');
    nf_buf_puts(out, id ? id : nf_node_name(l.items[i]));
  }
  nf_nodelist_free(&l);
  return 1;
}

static void expect_error(const char *css, const char *want, const char *name) {
  char err[512] = "";
  nf_selector *sel = nf_selector_compile(css, err, sizeof err);
  OK(sel == NULL, name);
  STR_CONTAINS(err, want, name);
  nf_selector_free(sel);
}

static void test_errors(void) {
  char long_sel[65 * 3 + 1] = "";
  for (int i = 0; i < 65; i++) strcat(long_sel, i ? " a" : "a");
  expect_error(long_sel, "more than 64 compounds", "65 compounds");
  long_sel[strlen(long_sel) - 2] = '\0';
  nf_selector *ok64 = nf_selector_compile(long_sel, NULL, 0);
  OK(ok64 != NULL, "64 compounds compile");
  nf_selector_free(ok64);

  char huge[1000];
  memset(huge, 'a', sizeof huge - 2);
  huge[sizeof huge - 2] = '[';
  huge[sizeof huge - 1] = '\0';
  char err[300];
  OK(nf_selector_compile(huge, err, sizeof err) == NULL, "long bad selector");
  STR_CONTAINS(err, "...': expected attribute name at offset 999",
               "long selector quoted with an ellipsis");
  char tiny[8];
  OK(nf_selector_compile("div[", tiny, sizeof tiny) == NULL &&
         strlen(tiny) == 7, "error truncated to errlen");
  OK(nf_selector_compile(NULL, NULL, 0) == NULL, "NULL selector is an error");

  nf_nodelist l = {0};
  INT_EQ(nf_select_css(nf_doc_node(doc), "p[", &l, err, sizeof err), -1,
         "nf_select_css reports a bad selector");
  INT_EQ(l.len, 0, "and selects nothing");
}

static void test_matches(void) {
  char err[256];
  nf_selector *sel = nf_selector_compile("#main > p.lead, li:last-child", err,
                                         sizeof err);
  OK(sel != NULL, "compile");
  nf_node *p1 = by_id("p1"), *p2 = by_id("p2"), *l7 = by_id("l7");
  INT_EQ(nf_selector_matches(sel, p1), 1, "matches p1");
  INT_EQ(nf_selector_matches(sel, p2), 0, "not p2");
  INT_EQ(nf_selector_matches(sel, l7), 1, "matches l7 (second of the group)");
  INT_EQ(nf_selector_matches(sel, nf_node_first_child(p1)), 0,
         "a text node never matches");
  INT_EQ(nf_selector_matches(sel, NULL), 0, "NULL never matches");
  nf_nodelist l = {0};
  nf_select(sel, by_id("list"), &l);
  INT_EQ(l.len, 1, "nf_select below a node");
  OK(l.len == 1 && l.items[0] == l7, "finds l7");
  nf_nodelist_free(&l);
  nf_select(sel, nf_node_first_child(p1), &l);
  INT_EQ(l.len, 0, "nf_select below a text node finds nothing");
  nf_selector_free(sel);

  /* One compiled selector reused over a detached copy. */
  sel = nf_selector_compile("li:nth-child(2n)", err, sizeof err);
  nf_node *copy = nf_node_clone(doc, by_id("list"));
  nf_select(sel, copy, &l);
  INT_EQ(l.len, 3, "selecting in a detached subtree");
  nf_nodelist_free(&l);
  nf_selector_free(sel);
}

static size_t count(nf_node *root, const char *css, double *secs) {
  char err[256];
  nf_nodelist l = {0};
  double t0 = nf_test_now();
  if (nf_select_css(root, css, &l, err, sizeof err) != 0) {
    printf("# %s\n", err);
    return (size_t)-1;
  }
  *secs = nf_test_now() - t0;
  printf("# %.3f s  %.60s\n", *secs, css);
  size_t n = l.len;
  nf_nodelist_free(&l);
  return n;
}

static int stop_after_three(void *ud) {
  int *calls = ud;
  return ++*calls >= 3;
}

/* 5,000 nested divs built through libxml2 (the parser caps depth), a p at
 * the bottom; then 20,000 siblings. Hostile selectors must stay fast. */
static void test_pathological(void) {
  const char *html = "<html><body><div id=top></div><ul id=big></ul>"
                     "</body></html>";
  nf_doc *d = nf_doc_parse(html, strlen(html), NULL, NULL, 0);
  nf_nodelist l = {0};
  nf_select_css(nf_doc_node(d), "#top", &l, NULL, 0);
  xmlNodePtr cur = l.items[0];
  nf_nodelist_free(&l);
  for (int i = 0; i < 5000; i++)
    cur = xmlAddChild(cur, xmlNewDocNode(d->xml, NULL, BAD_CAST "div", NULL));
  xmlAddChild(cur, xmlNewDocNode(d->xml, NULL, BAD_CAST "p", NULL));
  nf_node *root = nf_doc_node(d);

  double secs, worst = 0;
  char css[2048];
  css[0] = '\0';
  for (int i = 0; i < 62; i++) strcat(css, "div ");
  strcat(css, "p");
  INT_EQ(count(root, css, &secs), 1, "62 descendant steps find the p");
  worst = secs > worst ? secs : worst;

  strcpy(css, "section");
  for (int i = 0; i < 63; i++) strcat(css, " div");
  INT_EQ(count(root, css, &secs), 0, "failing descendant chain");
  worst = secs > worst ? secs : worst;

  css[0] = '\0';
  for (int i = 0; i < 31; i++) strcat(css, "div > div ");
  strcat(css, "p");
  INT_EQ(count(root, css, &secs), 1, "alternating > and descendant");
  worst = secs > worst ? secs : worst;

  strcpy(css, "body > div");
  for (int i = 0; i < 30; i++) strcat(css, " div > div");
  strcat(css, " > span");
  INT_EQ(count(root, css, &secs), 0, "chain needing backtracking, no match");
  worst = secs > worst ? secs : worst;

  strcpy(css, "ul > div");
  for (int i = 0; i < 62; i++) strcat(css, " div");
  INT_EQ(count(root, css, &secs), 0, "chain failing at the top");
  worst = secs > worst ? secs : worst;

  INT_EQ(count(root, "div:has(p)", &secs), 5001, ":has over a deep tree");
  worst = secs > worst ? secs : worst;
  INT_EQ(count(root, ":not(:not(:not(:not(div)))) p", &secs), 1,
         "nested :not over a deep tree");
  worst = secs > worst ? secs : worst;
  INT_EQ(count(root, "div:only-child:empty", &secs), 0, "no empty div");
  worst = secs > worst ? secs : worst;

  nf_select_css(root, "#big", &l, NULL, 0);
  xmlNodePtr ul = l.items[0];
  nf_nodelist_free(&l);
  for (int i = 0; i < 20000; i++) {
    xmlNodePtr li = xmlNewDocNode(d->xml, NULL, BAD_CAST "li", NULL);
    if (i % 3 == 0) xmlNewProp(li, BAD_CAST "class", BAD_CAST "x");
    xmlAddChild(ul, li);
    if (i % 2) xmlAddChild(ul, xmlNewDocNode(d->xml, NULL, BAD_CAST "b", NULL));
  }
  INT_EQ(count(root, "li:nth-child(odd)", &secs), 6667 + 3333,
         "nth-child over 30,000 siblings");
  worst = secs > worst ? secs : worst;
  INT_EQ(count(root, "li.x:nth-last-of-type(2n+1)", &secs), 3333,
         "filtered nth-last-of-type over 30,000 siblings");
  worst = secs > worst ? secs : worst;
  INT_EQ(count(root, "ul > :nth-of-type(1)", &secs), 2, "nth-of-type, two types");
  worst = secs > worst ? secs : worst;
  INT_EQ(count(root, "li ~ li ~ b + li", &secs), 9999, "sibling chains");
  worst = secs > worst ? secs : worst;
  printf("# slowest pathological selection: %.3f s\n", worst);

  /* nf_select_checked: asked regularly, gives up when told. */
  int calls = 0;
  nf_selector *sel = nf_selector_compile("div:has(p)", NULL, 0);
  INT_EQ(nf_select_checked(sel, root, &l, stop_after_three, &calls), -1,
         "nf_select_checked stops when asked");
  INT_EQ(calls, 3, "after three questions");
  OK(l.len < 5001, "with part of the matches");
  nf_nodelist_free(&l);
  calls = -1000000;
  INT_EQ(nf_select_checked(sel, root, &l, stop_after_three, &calls), 0,
         "nf_select_checked runs to the end otherwise");
  INT_EQ(l.len, 5001, "with every match");
  OK(calls > -1000000 + 100, "asking many times on the way");
  nf_nodelist_free(&l);
  nf_selector_free(sel);
  OK(worst < 5.0, "pathological selections finish quickly");
  nf_doc_free(d);
}

/* Of-type pseudo-classes beyond the sibling scan limit: the same answers
 * as counting by hand, from nf_select (per-parent tables) and from
 * nf_selector_matches (scans); and linear on thousands of distinct tags. */
static void test_of_type(void) {
  static const char *const names[] = {"p", "span", "b", "i", "em", "x-a", "X-A"};
  nf_buf b = NF_BUF_INIT;
  nf_buf_puts(&b, "<div id=mix>");
  unsigned r = 12345;
  int kinds[300];
  for (int i = 0; i < 300; i++) {
    r = r * 1103515245u + 12345u;
    kinds[i] = (int)((r >> 16) % 7);
    /* "x-a" and "X-A" are one type (names compare in any case) */
    nf_buf_printf(&b, "<%s>t</%s>", names[kinds[i]], names[kinds[i]]);
  }
  nf_buf_puts(&b, "only</div>");
  nf_doc *d = nf_test_parse(b.ptr);
  nf_nodelist kids = {0};
  nf_select_css(nf_doc_node(d), "#mix > *", &kids, NULL, 0);
  INT_EQ(kids.len, 300, "300 mixed siblings");
  static const char *const css[] = {":first-of-type", ":last-of-type",
                                    ":only-of-type", ":nth-of-type(3)",
                                    ":nth-last-of-type(2)", ":nth-of-type(2n+1)"};
  int all_same = 1;
  for (size_t s = 0; s < sizeof css / sizeof *css && kids.len == 300; s++) {
    char full[64];
    snprintf(full, sizeof full, "#mix > %s", css[s]);
    nf_nodelist got = {0};
    nf_select_css(nf_doc_node(d), full, &got, NULL, 0);
    nf_selector *sel = nf_selector_compile(css[s], NULL, 0);
    size_t k = 0;
    for (int i = 0; i < 300; i++) {
      int type = kinds[i] == 6 ? 5 : kinds[i], before = 0, after = 0;
      for (int j = 0; j < 300; j++) {
        int t = kinds[j] == 6 ? 5 : kinds[j];
        if (t == type) before += j < i, after += j > i;
      }
      int want = s == 0 ? before == 0 : s == 1 ? after == 0
               : s == 2 ? before + after == 0 : s == 3 ? before == 2
               : s == 4 ? after == 1 : before % 2 == 0;
      int listed = k < got.len && got.items[k] == kids.items[i];
      k += listed;
      if (listed != want || nf_selector_matches(sel, kids.items[i]) != want) {
        printf("# %s: sibling %d (%s) wrong\n", css[s], i, names[kinds[i]]);
        all_same = 0;
      }
    }
    if (k != got.len) all_same = 0;
    nf_selector_free(sel);
    nf_nodelist_free(&got);
  }
  OK(all_same, "of-type answers as counted by hand, select and matches");
  nf_nodelist_free(&kids);
  nf_doc_free(d);

  /* 20,000 distinct tags: each took 7-23 s (every sibling scanned every
   * sibling); now one table per parent. */
  nf_buf_clear(&b);
  nf_buf_puts(&b, "<div>");
  for (int i = 0; i < 20000; i++) nf_buf_printf(&b, "<x-%d>a</x-%d>", i, i);
  nf_buf_puts(&b, "</div>");
  d = nf_test_parse(b.ptr);
  double secs, worst = 0;
  static const char *const wide[] = {"div > :last-of-type", "div > :only-of-type",
                                     "div > :first-of-type", "div > :nth-of-type(1)",
                                     "div > :nth-last-of-type(1)"};
  for (size_t s = 0; s < sizeof wide / sizeof *wide; s++) {
    size_t n = count(nf_doc_node(d), wide[s], &secs);
    if (n != 20000) printf("# %s: %zu\n", wide[s], n);
    OK(n == 20000, wide[s]);
    worst = secs > worst ? secs : worst;
  }
  printf("# slowest of-type selection over 20,000 distinct tags: %.3f s\n", worst);
  OK(worst < 5.0, "of-type over 20,000 distinct tags: quickly");
  nf_buf_free(&b);
  nf_doc_free(d);
}

int main(void) {
  int n = nf_spec_run(SPEC, run_case, NULL, NF_SPEC_NO_FINAL_NEWLINE);
  OK(n >= 150, "spec file has examples");
  if (!OK(doc != NULL, "parse the fixture")) return nf_test_done();
  test_errors();
  test_matches();
  test_pathological();
  test_of_type();
  nf_doc_free(doc);
  return nf_test_done();
}
