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
#include "select.h"
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

/* Gives up after ud's budget of questions (4096 compound tests each): a
 * selection gone exponential fails its count instead of hanging. */
static int stop_after(void *ud) {
  long *left = ud;
  return --*left < 0;
}

/* Selects css below root; *steps gets the selector's work (compound tests
 * and sibling steps, nf_select_steps): deterministic, unlike time. */
static size_t count(nf_node *root, const char *css, unsigned long *steps) {
  char err[256];
  nf_selector *sel = nf_selector_compile(css, err, sizeof err);
  if (!sel) {
    printf("# %s\n", err);
    return (size_t)-1;
  }
  nf_nodelist l = {0};
  long left = 100000; /* 400 M compound tests */
  unsigned long s0 = nf_select_steps();
  int rc = nf_select_checked(sel, root, &l, stop_after, &left);
  *steps = nf_select_steps() - s0;
  nf_selector_free(sel);
  printf("# %10lu steps  %.60s\n", *steps, css);
  size_t n = rc ? (size_t)-2 : l.len;
  nf_nodelist_free(&l);
  return n;
}

static int stop_after_three(void *ud) {
  int *calls = ud;
  return ++*calls >= 3;
}

/* depth nested divs built through libxml2 (the parser caps depth), a p at
 * the bottom; then wide li siblings (a class on every third, a b after
 * every second). */
static nf_doc *pathological_doc(int depth, int wide) {
  const char *html = "<html><body><div id=top></div><ul id=big></ul>"
                     "</body></html>";
  nf_doc *d = nf_doc_parse(html, strlen(html), NULL, NULL, 0);
  nf_nodelist l = {0};
  nf_select_css(nf_doc_node(d), "#top", &l, NULL, 0);
  xmlNodePtr cur = l.items[0];
  nf_nodelist_free(&l);
  for (int i = 0; i < depth; i++)
    cur = xmlAddChild(cur, xmlNewDocNode(d->xml, NULL, BAD_CAST "div", NULL));
  xmlAddChild(cur, xmlNewDocNode(d->xml, NULL, BAD_CAST "p", NULL));
  nf_select_css(nf_doc_node(d), "#big", &l, NULL, 0);
  xmlNodePtr ul = l.items[0];
  nf_nodelist_free(&l);
  for (int i = 0; i < wide; i++) {
    xmlNodePtr li = xmlNewDocNode(d->xml, NULL, BAD_CAST "li", NULL);
    if (i % 3 == 0) xmlNewProp(li, BAD_CAST "class", BAD_CAST "x");
    xmlAddChild(ul, li);
    if (i % 2) xmlAddChild(ul, xmlNewDocNode(d->xml, NULL, BAD_CAST "b", NULL));
  }
  return d;
}

/* Hostile selectors over 5,000 nested divs and 20,000 siblings: the right
 * answers, and work that grows with the tree as the algorithm says, never
 * faster: the same selections over a tree 4 times smaller must take about
 * 4 times fewer steps when linear (sibling runs: an index per parent, the
 * last '~' scan remembered: no rescans) and 16 when quadratic by nature (a descendant chain that fails
 * climbs to the root from every div; :has searches below every div), never
 * 64 (cubic) or the exponential backtracking of a naive matcher. No clock:
 * a loaded machine cannot make it fail. */
static void test_pathological(void) {
  enum { DEPTH = 5000, WIDE = 20000 };
  static char chain[5][2048];
  strcpy(chain[0], "");
  for (int i = 0; i < 62; i++) strcat(chain[0], "div ");
  strcat(chain[0], "p");
  strcpy(chain[1], "section");
  for (int i = 0; i < 63; i++) strcat(chain[1], " div");
  strcpy(chain[2], "");
  for (int i = 0; i < 31; i++) strcat(chain[2], "div > div ");
  strcat(chain[2], "p");
  strcpy(chain[3], "body > div");
  for (int i = 0; i < 30; i++) strcat(chain[3], " div > div");
  strcat(chain[3], " > span");
  strcpy(chain[4], "ul > div");
  for (int i = 0; i < 62; i++) strcat(chain[4], " div");
  static const struct {
    const char *css; /* NULL: chain[chain] */
    int chain;
    size_t want;
    int quadratic; /* by nature, on the deep tree */
    const char *name;
  } cases[] = {
      {NULL, 0, 1, 0, "62 descendant steps find the p"},
      {NULL, 1, 0, 1, "failing descendant chain"},
      {NULL, 2, 1, 0, "alternating > and descendant"},
      {NULL, 3, 0, 1, "chain needing backtracking, no match"},
      {NULL, 4, 0, 1, "chain failing at the top"},
      {"div:has(p)", 0, 5001, 1, ":has over a deep tree"},
      {":not(:not(:not(:not(div)))) p", 0, 1, 0, "nested :not over a deep tree"},
      {"div:only-child:empty", 0, 0, 0, "no empty div"},
      {"li:nth-child(odd)", 0, 6667 + 3333, 0, "nth-child over 30,000 siblings"},
      {"li.x:nth-last-of-type(2n+1)", 0, 3333, 0,
       "filtered nth-last-of-type over 30,000 siblings"},
      {"ul > :nth-of-type(1)", 0, 2, 0, "nth-of-type, two types"},
      {"li ~ li ~ b + li", 0, 9999, 0, "sibling chains"},
      {"li:nth-last-child(2n)", 0, 5000 + 5000, 0, "nth-last-child over 30,000 siblings"},
      {"ul > :last-of-type", 0, 2, 0, "last-of-type over 30,000 siblings"},
      {"ul > :only-of-type", 0, 0, 0, "only-of-type over 30,000 siblings"},
      {"section ~ li", 0, 0, 0, "later siblings, the left side never matching"},
      {"b ~ li.x ~ li", 0, 19996, 0, "two later-sibling steps"},
      {"ul:has(> section ~ li)", 0, 0, 0, ":has with later siblings"},
  };
  enum { NCASES = sizeof cases / sizeof *cases };
  unsigned long small[NCASES];
  nf_doc *d = pathological_doc(DEPTH / 4, WIDE / 4);
  for (size_t i = 0; i < NCASES; i++) {
    const char *css = cases[i].css ? cases[i].css : chain[cases[i].chain];
    char what[160];
    snprintf(what, sizeof what, "%s (a quarter of the size)", cases[i].name);
    OK(count(nf_doc_node(d), css, &small[i]) != (size_t)-2, what);
  }
  nf_doc_free(d);
  d = pathological_doc(DEPTH, WIDE);
  nf_node *root = nf_doc_node(d);
  for (size_t i = 0; i < NCASES; i++) {
    const char *css = cases[i].css ? cases[i].css : chain[cases[i].chain];
    unsigned long big;
    size_t n = count(root, css, &big);
    INT_EQ(n, cases[i].want, cases[i].name);
    double ratio = small[i] ? (double)big / (double)small[i] : 0;
    char what[160];
    snprintf(what, sizeof what, "%s: %s at 4x the size (%lu -> %lu steps, %.1fx)",
             cases[i].name, cases[i].quadratic ? "at most quadratic" : "linear",
             small[i], big, ratio);
    OK(big <= (cases[i].quadratic ? 20 : 5) * small[i] + 1000, what);
  }

  /* nf_select_checked: asked regularly, gives up when told. */
  nf_nodelist l = {0};
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
  nf_doc_free(d);
}

/* Of-type pseudo-classes beyond the sibling scan limit: the same answers
 * as counting by hand, from nf_select (tables per call) and from
 * nf_selector_matches (the document's tables). */
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

  nf_buf_free(&b);
}

/* The elements below root that sel matches, by nf_select and node by node
 * (nf_selector_matches on every element child of root in order, as walk
 * handlers and node:matches do); 1 when both give the same elements. The
 * steps of each way are added to steps[0] (select) and steps[1]. */
static int both_ways(const nf_selector *sel, nf_node *root, size_t *hits,
                     unsigned long steps[2]) {
  nf_nodelist got = {0};
  unsigned long s0 = nf_select_steps();
  nf_select(sel, root, &got);
  unsigned long s1 = nf_select_steps();
  size_t k = 0;
  int same = 1;
  for (nf_node *n = nf_node_first_element(root); n; n = nf_node_next_element(n)) {
    if (!nf_selector_matches(sel, n)) continue;
    same &= k < got.len && got.items[k] == n;
    k++;
  }
  steps[0] += s1 - s0;
  steps[1] += nf_select_steps() - s1;
  same &= k == got.len;
  *hits = got.len;
  nf_nodelist_free(&got);
  return same;
}

static nf_doc *distinct_doc(int n, nf_node **div) {
  nf_buf b = NF_BUF_INIT;
  nf_buf_puts(&b, "<div>");
  for (int i = 0; i < n; i++) nf_buf_printf(&b, "<x-%d>a</x-%d>", i, i);
  nf_buf_puts(&b, "</div>");
  nf_doc *d = nf_test_parse(b.ptr);
  nf_buf_free(&b);
  *div = nf_node_first_element(nf_doc_body(d));
  return d;
}

/* 20,000 distinct sibling tags (custom elements): every sibling-counting
 * pseudo-class gives the same answers node by node as nf_select, and both
 * take about 4 times the steps for 4 times the siblings. Node by node took
 * 3-6 s a selector (each sibling scanned its siblings: 16 times the steps
 * at 4 times the size); now the document keeps one table per parent. */
static void test_wide_siblings(void) {
  enum { N = 5000 };
  static const char *const css[] = {
      ":last-of-type", ":only-of-type", ":first-of-type", ":nth-of-type(1)",
      ":nth-last-of-type(1)", ":nth-of-type(2)", ":nth-child(2n+1)",
      ":nth-last-child(3n)", ":nth-child(4999)", ":last-child", ":first-child",
      ":only-child"};
  static const size_t want[] = {4 * N, 4 * N, 4 * N, 4 * N, 4 * N, 0,
                                2 * N, 4 * N / 3, 1, 1, 1, 0};
  unsigned long steps[2][2] = {{0, 0}, {0, 0}};
  int all_same = 1;
  for (int scale = 0; scale < 2; scale++) {
    nf_node *div;
    nf_doc *d = distinct_doc(scale ? 4 * N : N, &div);
    for (size_t s = 0; s < sizeof css / sizeof *css; s++) {
      nf_selector *sel = nf_selector_compile(css[s], NULL, 0);
      size_t hits;
      if (!both_ways(sel, div, &hits, steps[scale])) {
        printf("# %s: node by node differs from nf_select\n", css[s]);
        all_same = 0;
      }
      if (scale) INT_EQ(hits, want[s], css[s]);
      nf_selector_free(sel);
    }
    nf_doc_free(d);
  }
  OK(all_same, "node by node gives what nf_select gives, 5,000 and 20,000 siblings");
  for (int way = 0; way < 2; way++) {
    char what[160];
    snprintf(what, sizeof what,
             "%s over 4x the siblings: linear (%lu -> %lu steps, %.1fx)",
             way ? "node by node" : "nf_select", steps[0][way], steps[1][way],
             (double)steps[1][way] / (double)(steps[0][way] ? steps[0][way] : 1));
    OK(steps[1][way] <= 5 * steps[0][way], what);
  }
}

/* The document's table of positions never outlives an edit: after each
 * kind of edit of dom.c, node by node answers what nf_select answers
 * (which builds its tables afresh). */
static void test_edits_seen(void) {
  nf_buf b = NF_BUF_INIT;
  nf_buf_puts(&b, "<div>");
  for (int i = 0; i < 80; i++) /* beyond the scan limit: tables are used */
    nf_buf_printf(&b, i % 2 ? "<x-%d></x-%d>" : "<p></p>", i, i);
  nf_buf_puts(&b, "</div>");
  nf_doc *d = nf_test_parse(b.ptr);
  nf_buf_free(&b);
  nf_node *div = nf_node_first_element(nf_doc_body(d));
  static const char *const css[] = {"p:last-of-type", "p:first-of-type",
                                    ":nth-child(40)", ":nth-last-child(7)",
                                    "x-41:nth-last-of-type(1)", ":last-child"};
  enum { NCSS = sizeof css / sizeof *css };
  nf_selector *sel[NCSS];
  for (int s = 0; s < NCSS; s++) sel[s] = nf_selector_compile(css[s], NULL, 0);
  nf_node *last_p = nf_node_prev_element(nf_node_last_child(div));
  nf_node *first = nf_node_first_element(div);
  for (int edit = 0; edit <= 6; edit++) {
    static const char *const names[] = {
        "before any edit", "after appending a p", "after renaming the first p",
        "after removing a sibling", "after inserting before the 10th",
        "after moving the last to the front", "after set_inner_html"};
    switch (edit) {
    case 1: /* p:last-of-type was last_p; now the new one */
      INT_EQ(nf_selector_matches(sel[0], last_p), 1, "the last p before");
      nf_node_append(d, div, nf_node_new_element(d, "p"));
      INT_EQ(nf_selector_matches(sel[0], last_p), 0,
             "an appended p is seen by the next match");
      break;
    case 2:
      INT_EQ(nf_selector_matches(sel[1], first), 1, "the first p before");
      nf_node_set_name(first, "q");
      INT_EQ(nf_selector_matches(sel[1], first), 0, "a rename is seen");
      break;
    case 3:
      nf_node_unlink(d, nf_node_next_element(nf_node_first_element(div)));
      break;
    case 4: {
      nf_node *ref = nf_node_first_element(div);
      for (int i = 0; i < 9; i++) ref = nf_node_next_element(ref);
      nf_node_insert_before(d, ref, nf_node_new_element(d, "x-41"));
      break;
    }
    case 5:
      nf_node_prepend(d, div, nf_node_last_child(div));
      break;
    case 6: {
      nf_buf h = NF_BUF_INIT;
      for (int i = 0; i < 50; i++) nf_buf_puts(&h, i % 3 ? "<p></p>" : "<x-41></x-41>");
      nf_node_set_inner_html(d, div, h.ptr, h.len);
      nf_buf_free(&h);
      break;
    }
    }
    int same = 1;
    unsigned long steps[2] = {0, 0};
    for (int s = 0; s < NCSS; s++) {
      size_t hits;
      if (!both_ways(sel[s], div, &hits, steps)) {
        printf("# %s: node by node differs from nf_select %s\n", css[s], names[edit]);
        same = 0;
      }
    }
    OK(same, names[edit]);
  }
  for (int s = 0; s < NCSS; s++) nf_selector_free(sel[s]);
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
  test_wide_siblings();
  test_edits_seen();
  nf_doc_free(doc);
  return nf_test_done();
}
