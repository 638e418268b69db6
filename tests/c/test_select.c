/* test_select.c: CSS selectors (core/select.c). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/tree.h>

#include "doc.h"
#include "harness.h"
#include "newsform.h"

static const char *fixture =
    "<!DOCTYPE html>\n"
    "<html lang=\"en-US\"><head><title>T</title></head>\n"
    "<body>\n"
    "<div id=\"main\" class=\"content wide\">\n"
    "  <h1 id=\"t\" class=\"title\">Title</h1>\n"
    "  <p id=\"p1\" class=\"lead  intro\">One</p>\n"
    "  <p id=\"p2\">Two <a id=\"a1\" href=\"http://a.example/x\" "
    "rel=\"nofollow external\">a1</a></p>\n"
    "  <P ID=\"p3\" CLASS=\"Lead\"><a id=\"a2\" href=\"https://b.example/y.pdf\" "
    "hreflang=\"en-GB\">a2</a><span id=\"sp\"></span></P>\n"
    "  <ul id=\"list\"><li id=\"l1\">1</li><li id=\"l2\">2</li>"
    "<li id=\"l3\">3</li><li id=\"l4\">4</li><li id=\"l5\">5</li>"
    "<li id=\"l6\">6</li><li id=\"l7\">7</li></ul>\n"
    "  <section id=\"s1\"><h2 id=\"h2a\">A</h2><p id=\"p4\">x</p>"
    "<div id=\"d1\"></div><p id=\"p5\"> </p><p id=\"p6\"><!-- c --></p>"
    "</section>\n"
    "</div>\n"
    "<div id=\"other\" data-x=\"a b\" title=\"Hello World\" "
    "data-q=\"a]b\"><p id=\"p7\" class=\"md:x\">y</p></div>\n"
    "</body></html>\n";

static nf_doc *doc;

/* The ids (else tag names) of the selected elements, comma-separated;
 * "ERR: message" for a bad selector. Points into a static buffer. */
static const char *pick_from(nf_node *root, const char *css) {
  static char out[4096];
  char err[512];
  nf_nodelist l = {0};
  if (nf_select_css(root, css, &l, err, sizeof err) != 0) {
    snprintf(out, sizeof out, "ERR: %s", err);
    return out;
  }
  out[0] = '\0';
  for (size_t i = 0; i < l.len; i++) {
    const char *id = nf_node_attr(l.items[i], "id");
    if (i) strncat(out, ",", sizeof out - strlen(out) - 1);
    strncat(out, id ? id : nf_node_name(l.items[i]),
            sizeof out - strlen(out) - 1);
  }
  nf_nodelist_free(&l);
  return out;
}
static const char *pick(const char *css) {
  return pick_from(nf_doc_node(doc), css);
}

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

static void test_simple(void) {
  STR_EQ(pick("p"), "p1,p2,p3,p4,p5,p6,p7", "type selector");
  STR_EQ(pick("P"), "p1,p2,p3,p4,p5,p6,p7", "type selector ignores case");
  STR_EQ(pick("h1"), "t", "h1");
  STR_EQ(pick("blink"), "", "no match is empty");
  STR_EQ(pick("#main > *"), "t,p1,p2,p3,list,s1", "universal");
  STR_EQ(pick(".lead"), "p1", "class is case-sensitive");
  STR_EQ(pick(".Lead"), "p3", "class with upper case");
  STR_EQ(pick(".lead.intro"), "p1", "two classes");
  STR_EQ(pick(".intro.lead"), "p1", "two classes, other order");
  STR_EQ(pick(".lead.missing"), "", "missing class");
  STR_EQ(pick("p.intro"), "p1", "type and class");
  STR_EQ(pick(".content"), "main", "first class of several");
  STR_EQ(pick(".wide"), "main", "last class of several");
  STR_EQ(pick(".con"), "", "class is a whole token");
  STR_EQ(pick("#p2"), "p2", "id");
  STR_EQ(pick("p#p2"), "p2", "type and id");
  STR_EQ(pick("div#p2"), "", "id with the wrong type");
  STR_EQ(pick("#P2"), "", "id is case-sensitive");
  STR_EQ(pick("#p\\32"), "p2", "escaped id (hex escape)");
  STR_EQ(pick(".md\\:x"), "p7", "escaped class (colon)");
  STR_EQ(pick("#t.title"), "t", "id and class");
}

static void test_attributes(void) {
  STR_EQ(pick("[href]"), "a1,a2", "[attr]");
  STR_EQ(pick("[HREF]"), "a1,a2", "attribute names ignore case");
  STR_EQ(pick("[id=p1]"), "p1", "[attr=v] unquoted");
  STR_EQ(pick("[id=\"p1\"]"), "p1", "[attr=v] double quotes");
  STR_EQ(pick("[id='p1']"), "p1", "[attr=v] single quotes");
  STR_EQ(pick("[ id = 'p1' ]"), "p1", "[attr=v] with spaces");
  STR_EQ(pick("[rel~=external]"), "a1", "[attr~=v]");
  STR_EQ(pick("[rel~=ext]"), "", "[attr~=v] needs a whole token");
  STR_EQ(pick("[data-x~=\"a b\"]"), "", "[attr~=v] with a space never matches");
  STR_EQ(pick("[data-x~='']"), "", "[attr~=''] never matches");
  STR_EQ(pick("[hreflang|=en]"), "a2", "[attr|=v] prefix with dash");
  STR_EQ(pick("[lang|=en]"), "html", "[attr|=v] on the root");
  STR_EQ(pick("[lang|=en-US]"), "html", "[attr|=v] whole value");
  STR_EQ(pick("[lang|=e]"), "", "[attr|=v] not a plain prefix");
  STR_EQ(pick("a[href^=http]"), "a1,a2", "[attr^=v]");
  STR_EQ(pick("a[href^='https']"), "a2", "[attr^=v] quoted");
  STR_EQ(pick("a[href^='']"), "", "[attr^=''] never matches");
  STR_EQ(pick("a[href$=\".pdf\"]"), "a2", "[attr$=v]");
  STR_EQ(pick("a[href$=\".PDF\" i]"), "a2", "[attr$=v i]");
  STR_EQ(pick("a[href$=\".PDF\"]"), "", "[attr$=v] is case-sensitive");
  STR_EQ(pick("a[href*=example]"), "a1,a2", "[attr*=v]");
  STR_EQ(pick("a[href*=EXAMPLE i]"), "a1,a2", "[attr*=v i]");
  STR_EQ(pick("a[href*=EXAMPLE]"), "", "[attr*=v] is case-sensitive");
  STR_EQ(pick("[title=\"hello world\" i]"), "other", "[attr=v i]");
  STR_EQ(pick("[title=\"hello world\" I]"), "other", "[attr=v I]");
  STR_EQ(pick("[title=\"hello world\"]"), "", "[attr=v] is case-sensitive");
  STR_EQ(pick("[title=\"Hello World\" s]"), "other", "[attr=v s]");
  STR_EQ(pick("[title^=HELLO i]"), "other", "[attr^=v i]");
  STR_EQ(pick("[rel~=EXTERNAL i]"), "a1", "[attr~=v i]");
  STR_EQ(pick("[data-x=\"a b\"]"), "other", "value with a space");
  STR_EQ(pick("[data-q='a]b']"), "other", "']' inside a quoted value");
  STR_EQ(pick("[data-q=\"a\\5d b\"]"), "other", "escape inside a string");
  STR_EQ(pick("[class=lead]"), "", "[class=v] compares the whole value");
}

static void test_combinators(void) {
  STR_EQ(pick("div p"), "p1,p2,p3,p4,p5,p6,p7", "descendant");
  STR_EQ(pick("#main > p"), "p1,p2,p3", "child");
  STR_EQ(pick("#main>p"), "p1,p2,p3", "child without spaces");
  STR_EQ(pick("body > p"), "", "child is not descendant");
  STR_EQ(pick("#p1 + p"), "p2", "next sibling");
  STR_EQ(pick("#p1+p"), "p2", "next sibling without spaces");
  STR_EQ(pick("#p1 ~ p"), "p2,p3", "later siblings");
  STR_EQ(pick("h2 + p"), "p4", "next sibling skips text nodes");
  STR_EQ(pick("h1 + p + p"), "p2", "two next-sibling steps");
  STR_EQ(pick("ul > li + li"), "l2,l3,l4,l5,l6,l7", "child then sibling");
  STR_EQ(pick("#main p a"), "a1,a2", "two descendant steps");
  STR_EQ(pick("body div > p"), "p1,p2,p3,p7", "descendant then child");
  STR_EQ(pick("div > section > p ~ div"), "d1", "mixed chain");
  /* needs backtracking: the nearest div ancestor of p4 is not a child of
   * body, a farther one is */
  STR_EQ(pick("body > div p + div"), "d1", "child then descendant backtracks");
  STR_EQ(pick("h1 ~ ul li:first-child"), "l1", "later sibling then descendant");
  STR_EQ(pick("\n #main \t>\n p "), "p1,p2,p3", "whitespace of all kinds");
}

static void test_groups(void) {
  STR_EQ(pick("#p3, p, #p1"), "p1,p2,p3,p4,p5,p6,p7",
         "group: document order, no duplicates");
  STR_EQ(pick("li#l2 , #t,#a1"), "t,a1,l2", "group of ids");
  STR_EQ(pick("h2, h1"), "t,h2a", "group in document order");
  STR_EQ(pick("#main > p, p > a"), "p1,p2,a1,p3,a2", "group mixing levels");
}

static void test_structural(void) {
  STR_EQ(pick("li:first-child"), "l1", ":first-child");
  STR_EQ(pick("li:last-child"), "l7", ":last-child");
  STR_EQ(pick("#s1 > :first-child"), "h2a", ":first-child alone");
  STR_EQ(pick("#s1 > :last-child"), "p6", ":last-child alone");
  STR_EQ(pick("#other > :only-child"), "p7", ":only-child");
  STR_EQ(pick("#p3 > :only-child"), "", ":only-child with a sibling");
  STR_EQ(pick("li:nth-child(2n+1)"), "l1,l3,l5,l7", ":nth-child(2n+1)");
  STR_EQ(pick("li:nth-child(odd)"), "l1,l3,l5,l7", ":nth-child(odd)");
  STR_EQ(pick("li:nth-child(EVEN)"), "l2,l4,l6", ":nth-child(even)");
  STR_EQ(pick("li:nth-child(3)"), "l3", ":nth-child(3)");
  STR_EQ(pick("li:nth-child(+3)"), "l3", ":nth-child(+3)");
  STR_EQ(pick("li:nth-child(0)"), "", ":nth-child(0)");
  STR_EQ(pick("li:nth-child(-n+3)"), "l1,l2,l3", ":nth-child(-n+3)");
  STR_EQ(pick("li:nth-child(n+5)"), "l5,l6,l7", ":nth-child(n+5)");
  STR_EQ(pick("li:nth-child(n)"), "l1,l2,l3,l4,l5,l6,l7", ":nth-child(n)");
  STR_EQ(pick("li:nth-child( 3n - 1 )"), "l2,l5", ":nth-child( 3n - 1 )");
  STR_EQ(pick("li:nth-child(3n-1)"), "l2,l5", ":nth-child(3n-1)");
  STR_EQ(pick("li:nth-child(-2n+5)"), "l1,l3,l5", ":nth-child(-2n+5)");
  STR_EQ(pick("li:nth-child(0n+4)"), "l4", ":nth-child(0n+4)");
  STR_EQ(pick("li:nth-last-child(1)"), "l7", ":nth-last-child(1)");
  STR_EQ(pick("li:nth-last-child(2n)"), "l2,l4,l6", ":nth-last-child(2n)");
  STR_EQ(pick("li:nth-last-child(-n+2)"), "l6,l7", ":nth-last-child(-n+2)");
  STR_EQ(pick("li:nth-child(2 of #l3, #l5, #l6)"), "l5",
         ":nth-child(2 of S)");
  STR_EQ(pick("li:nth-last-child(1 of :not(#l7))"), "l6",
         ":nth-last-child(1 of S)");
  STR_EQ(pick("#s1 p:nth-of-type(2)"), "p5", ":nth-of-type");
  STR_EQ(pick("#s1 > :nth-of-type(1)"), "h2a,p4,d1", ":nth-of-type per type");
  STR_EQ(pick("#s1 > :nth-last-of-type(1)"), "h2a,d1,p6", ":nth-last-of-type");
  STR_EQ(pick("#s1 p:first-of-type"), "p4", ":first-of-type");
  STR_EQ(pick("#s1 p:last-of-type"), "p6", ":last-of-type");
  STR_EQ(pick("#s1 > :only-of-type"), "h2a,d1", ":only-of-type");
  STR_EQ(pick("#s1 :empty"), "d1,p6", ":empty (comments allowed, spaces not)");
  STR_EQ(pick("p :empty"), "sp", ":empty span");
  STR_EQ(pick(":root"), "html", ":root");
  STR_EQ(pick(":root > body > #other"), "other", ":root in a chain");
  STR_EQ(pick_from(by_id("main"), ":scope > p"), "p1,p2,p3",
         ":scope is the selection root");
  STR_EQ(pick_from(by_id("main"), "body p"), "p1,p2,p3,p4,p5,p6",
         "ancestors outside the root count, as in querySelectorAll");
  STR_EQ(pick_from(by_id("main"), "#main"), "", "the root is excluded");
}

static void test_logical(void) {
  STR_EQ(pick("#main > p:not(.lead)"), "p2,p3", ":not(class)");
  STR_EQ(pick("p:not(#p1, #p2)"), "p3,p4,p5,p6,p7", ":not(list)");
  STR_EQ(pick("p:not(div > p)"), "p4,p5,p6", ":not(complex)");
  STR_EQ(pick("li:not(:nth-child(odd))"), "l2,l4,l6", ":not(:nth-child)");
  STR_EQ(pick("li:not(:not(#l3))"), "l3", ":not(:not())");
  STR_EQ(pick(":is(h1, h2)"), "t,h2a", ":is()");
  STR_EQ(pick(":where(#main, #other) > p"), "p1,p2,p3,p7", ":where()");
  STR_EQ(pick("div:has(> h1)"), "main", ":has(> child)");
  STR_EQ(pick("p:has(a)"), "p2,p3", ":has(descendant)");
  STR_EQ(pick("div:has(p.lead)"), "main", ":has(compound)");
  STR_EQ(pick("h2:has(+ p)"), "h2a", ":has(+ next)");
  STR_EQ(pick("li:has(~ #l7)"), "l1,l2,l3,l4,l5,l6", ":has(~ later)");
  STR_EQ(pick("ul:has(> li:nth-child(7))"), "list", ":has(> :nth-child)");
  STR_EQ(pick("div:has(> section p ~ p)"), "main", ":has(> a b ~ c)");
  STR_EQ(pick("h1:has(~ ul li)"), "t", ":has(~ a b) looks inside siblings");
  STR_EQ(pick("section:has(~ p)"), "", ":has(~) with no such sibling");
  STR_EQ(pick("div:not(:has(p))"), "d1", ":not(:has())");
  STR_EQ(pick("#main:has(h1, blink)"), "main", ":has(list)");
}

static void expect_error(const char *css, const char *want, const char *name) {
  char err[512] = "";
  nf_selector *sel = nf_selector_compile(css, err, sizeof err);
  OK(sel == NULL, name);
  STR_CONTAINS(err, want, name);
  nf_selector_free(sel);
}

static void test_errors(void) {
  expect_error("div[", "invalid selector 'div[': expected attribute name at "
               "offset 4", "unclosed attribute");
  expect_error("div[x", "expected ']' or an attribute operator at offset 5",
               "attribute without ]");
  expect_error("[x=y", "expected ']' at offset 4", "attribute value without ]");
  expect_error("[x=]", "expected attribute value", "empty attribute value");
  expect_error("[x='abc", "unterminated string at offset 3", "open string");
  expect_error("[x=a i j]", "expected ']'", "two flags");
  expect_error("", "invalid selector '': expected selector at offset 0",
               "empty selector");
  expect_error("   ", "expected selector", "blank selector");
  expect_error("a >", "expected selector after '>' at offset 3",
               "dangling combinator");
  expect_error("a + > b", "expected selector after '+'", "two combinators");
  expect_error("a,,b", "expected selector at offset 2", "empty group item");
  expect_error("a,", "expected selector at offset 2", "trailing comma");
  expect_error(",a", "expected selector at offset 0", "leading comma");
  expect_error("> a", "expected selector at offset 0", "leading combinator");
  expect_error("p:hover", "unknown pseudo-class ':hover' at offset 1",
               "unknown pseudo-class");
  expect_error("p:foo(1)", "unknown pseudo-class ':foo()'",
               "unknown functional pseudo-class");
  expect_error("p:first-child(1)", "unexpected '(' after ':first-child'",
               "arguments to a plain pseudo-class");
  expect_error("p:not", "expected '(' after ':not'", ":not without (");
  expect_error("p:not(", "expected selector at offset 6", "open :not(");
  expect_error("p:not(a", "expected ')' at offset 7", ":not( without )");
  expect_error("p:not()", "expected selector", "empty :not()");
  expect_error("p:nth-child(x)", "expected an+b, 'odd' or 'even'",
               "bad an+b");
  expect_error("p:nth-child(2n+)", "expected a number in an+b", "2n+");
  expect_error("p:nth-child(2", "expected ')' at offset 13", "open nth");
  expect_error("p:nth-child(- n)", "expected an+b", "sign then space");
  expect_error("p:nth-child(99999999999)", "number too large",
               "huge number");
  expect_error("p:nth-of-type(1 of p)", "expected ')'",
               "'of' only for nth-child");
  expect_error("p::before", "pseudo-elements are not supported",
               "pseudo-element");
  expect_error("svg|rect", "namespaces are not supported", "namespace");
  expect_error("[xlink|href]", "namespaces are not supported",
               "attribute namespace");
  expect_error("div!", "unexpected character '!' at offset 3", "junk");
  expect_error("p)", "unexpected ')' at offset 1", "stray )");
  expect_error(".5", "expected class name after '.' at offset 1",
               "class starting with a digit");
  expect_error("#", "expected id after '#'", "empty id");
  expect_error("[x]div", "unexpected character 'd'", "type after attribute");
  expect_error(":has(:has(p))", ":has() cannot be nested", "nested :has");
  expect_error(":has(:is(:has(p)))", ":has() cannot be nested",
               "nested :has through :is");
  expect_error(":not(:not(:not(:not(:not(:not(:not(:not(:not(p)))))))))",
               "selector nested too deeply", "nine levels of :not");
  nf_selector *eight = nf_selector_compile(
      ":not(:not(:not(:not(:not(:not(:not(:not(p))))))))", NULL, 0);
  OK(eight != NULL, "eight levels of :not compile");
  nf_selector_free(eight);

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

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t count(nf_node *root, const char *css, double *secs) {
  char err[256];
  nf_nodelist l = {0};
  double t0 = now();
  if (nf_select_css(root, css, &l, err, sizeof err) != 0) {
    printf("# %s\n", err);
    return (size_t)-1;
  }
  *secs = now() - t0;
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

int main(void) {
  char err[256];
  doc = nf_doc_parse(fixture, strlen(fixture), NULL, err, sizeof err);
  if (!OK(doc != NULL, "parse the fixture")) return nf_test_done();
  test_simple();
  test_attributes();
  test_combinators();
  test_groups();
  test_structural();
  test_logical();
  test_errors();
  test_matches();
  test_pathological();
  nf_doc_free(doc);
  return nf_test_done();
}
