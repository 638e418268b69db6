/* test_xpath.c: XPath 1.0 evaluation (core/xpath.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "doc.h"
#include "harness.h"
#include "newsform.h"

static const char *fixture =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\"><head><title>Hello &amp; welcome</title></head>\n"
    "<body>\n"
    "<div id=\"main\">\n"
    "  <p id=\"p1\" class=\"lead\">One <b>bold</b> tail</p>\n"
    "  <p id=\"p2\">Two <a href=\"/x\">link</a></p>\n"
    "  <!-- note -->\n"
    "  <ul><li>1</li><li>2</li><li>3</li></ul>\n"
    "</div>\n"
    "<p id=\"p3\">Three</p>\n"
    "</body></html>\n";

static nf_doc *doc;

/* Describes a result in one line: "nodes: p1,#text(One ),@href(/x)",
 * "string: ...", "number: 3", "boolean: 1" or "ERR: message". */
static const char *run_at(nf_node *ctx, const char *expr) {
  static char out[2048];
  char err[512];
  nf_xpath_result r;
  if (nf_xpath(doc, ctx, expr, &r, err, sizeof err) != 0) {
    snprintf(out, sizeof out, "ERR: %s", err);
    OK(r.nodes.len == 0 && r.string == NULL, "a failed call leaves no result");
    return out;
  }
  switch (r.kind) {
  case NF_XPATH_NODES:
    strcpy(out, "nodes: ");
    for (size_t i = 0; i < r.nodes.len; i++) {
      nf_node *n = r.nodes.items[i];
      char item[256];
      if (n->type == XML_ATTRIBUTE_NODE)
        snprintf(item, sizeof item, "@%s(%s)", (const char *)n->name,
                 nf_node_content(n));
      else if (n->type == XML_ELEMENT_NODE)
        snprintf(item, sizeof item, "%s",
                 nf_node_attr(n, "id") ? nf_node_attr(n, "id")
                                       : nf_node_name(n));
      else
        snprintf(item, sizeof item, "%s(%s)", nf_node_name(n),
                 nf_node_content(n));
      if (i) strncat(out, ",", sizeof out - strlen(out) - 1);
      strncat(out, item, sizeof out - strlen(out) - 1);
    }
    break;
  case NF_XPATH_STRING:
    snprintf(out, sizeof out, "string: %s", r.string);
    break;
  case NF_XPATH_NUMBER:
    if (isnan(r.number))
      snprintf(out, sizeof out, "number: NaN");
    else
      snprintf(out, sizeof out, "number: %g", r.number);
    break;
  case NF_XPATH_BOOLEAN:
    snprintf(out, sizeof out, "boolean: %d", r.boolean);
    break;
  }
  nf_xpath_result_free(&r);
  return out;
}
static const char *run(const char *expr) { return run_at(NULL, expr); }

static nf_node *first(const char *css) {
  nf_nodelist l = {0};
  nf_select_css(nf_doc_node(doc), css, &l, NULL, 0);
  nf_node *n = l.len ? l.items[0] : NULL;
  nf_nodelist_free(&l);
  return n;
}

static void test_nodes(void) {
  STR_EQ(run("//p"), "nodes: p1,p2,p3", "elements in document order");
  STR_EQ(run("//p[@class='lead']"), "nodes: p1", "predicate on an attribute");
  STR_EQ(run("//div[@id='main']/p[2]"), "nodes: p2", "positional predicate");
  STR_EQ(run("//li[last()]"), "nodes: li", "last()");
  STR_EQ(run("(//p)[1]/text()"), "nodes: #text(One ),#text( tail)",
         "text nodes");
  STR_EQ(run("//a/@href"), "nodes: @href(/x)", "attribute nodes");
  STR_EQ(run("//comment()"), "nodes: #comment( note )", "comment nodes");
  STR_EQ(run("//blink"), "nodes: ", "empty node-set");
  STR_EQ(run("/"), "nodes: html", "the document node stands for the root");
  STR_EQ(run("/ | /html"), "nodes: html", "and is not listed twice");
  STR_EQ(run("//b | //p"), "nodes: p1,b,p2,p3", "union in document order");
  STR_EQ(run("//*[@id='p2']/following-sibling::*"), "nodes: ul",
         "axes");
  STR_EQ(run("//namespace::*"), "nodes: ", "namespace nodes are skipped");
}

static void test_context(void) {
  nf_node *main_div = first("#main");
  STR_EQ(run_at(main_div, "p"), "nodes: p1,p2", "relative to the context");
  STR_EQ(run_at(main_div, "./p[@id='p2']/a"), "nodes: a", "./ path");
  STR_EQ(run_at(main_div, "//p"), "nodes: p1,p2,p3", "// stays absolute");
  STR_EQ(run_at(main_div, "count(.//li)"), "number: 3", "count below ctx");
  STR_EQ(run_at(main_div, "name(..)"), "string: body", "parent axis");
  STR_EQ(run_at(first("#p3"), "string(.)"), "string: Three",
         "string of the context node");
  STR_EQ(run_at(first("#p1"), "normalize-space(.)"), "string: One bold tail",
         "string-value concatenates descendants");
}

static void test_values(void) {
  STR_EQ(run("string(//title)"), "string: Hello & welcome",
         "string (entities decoded)");
  STR_EQ(run("concat('a', 'b')"), "string: ab", "concat");
  STR_EQ(run("string(//p[9])"), "string: ", "empty string");
  STR_EQ(run("count(//p)"), "number: 3", "count()");
  STR_EQ(run("1 div 4"), "number: 0.25", "arithmetic");
  STR_EQ(run("number('x')"), "number: NaN", "NaN");
  STR_EQ(run("sum(//li)"), "number: 6", "sum()");
  STR_EQ(run("count(//li) > 2"), "boolean: 1", "true");
  STR_EQ(run("boolean(//blink)"), "boolean: 0", "false");
  STR_EQ(run("contains(//p[@id='p2'], 'Two')"), "boolean: 1", "contains()");
  STR_EQ(run("not(//p)"), "boolean: 0", "not()");
}

static void test_errors(void) {
  STR_CONTAINS(run("//p["), "ERR: invalid XPath expression '//p[': ",
               "unclosed predicate");
  STR_CONTAINS(run("//p["), "invalid expression at offset 4", "libxml2's reason is kept");
  STR_CONTAINS(run(""), "invalid XPath expression '': ", "empty expression");
  STR_CONTAINS(run("))"), "invalid XPath expression '))'", "junk");
  STR_CONTAINS(run("//p[@class='x"), "invalid XPath expression", "open literal");
  STR_CONTAINS(run("nosuch(1)"), "invalid XPath expression 'nosuch(1)'",
               "unknown function");
  STR_CONTAINS(run("$v"), "invalid XPath expression '$v'", "unknown variable");
  STR_CONTAINS(run("//x:p"), "invalid XPath expression", "unknown prefix");
  STR_CONTAINS(run("count(1)"), "invalid XPath expression", "type error");
  char err[64];
  nf_xpath_result r;
  OK(nf_xpath(NULL, NULL, "//p", &r, err, sizeof err) == -1, "no document");
  OK(nf_xpath(doc, NULL, NULL, &r, err, sizeof err) == -1, "NULL expression");
  char tiny[10];
  OK(nf_xpath(doc, NULL, "//p[", &r, tiny, sizeof tiny) == -1 &&
         strlen(tiny) == 9, "error truncated to errlen");
  nf_xpath_result_free(&r);
  nf_xpath_result_free(NULL);

  /* Nothing may reach stderr: point it at a file while evaluating. */
  char path[] = "/tmp/nf_xpath_stderrXXXXXX";
  int fd = mkstemp(path);
  fflush(stderr);
  int saved = dup(2);
  dup2(fd, 2);
  const char *bad[] = {"//p[", "nosuch()", "$v", "//x:p", "count(1)", "1 +"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    nf_xpath(doc, NULL, bad[i], &r, err, sizeof err);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  off_t size = lseek(fd, 0, SEEK_END);
  close(fd);
  unlink(path);
  INT_EQ(size, 0, "libxml2 prints nothing to stderr");
}

static void test_hostile(void) {
  /* Deep expression nesting: libxml2's own depth limits turn it into an
   * error, not a stack overflow. */
  size_t depth = 20000;
  char *deep = malloc(depth * 2 + 2);
  memset(deep, '(', depth);
  deep[depth] = '1';
  memset(deep + depth + 1, ')', depth);
  deep[depth * 2 + 1] = '\0';
  char err[256];
  nf_xpath_result r;
  OK(nf_xpath(doc, NULL, deep, &r, err, sizeof err) == -1,
     "20,000 nested parentheses are refused");
  STR_CONTAINS(err, "invalid XPath expression '((((", "and quoted");
  OK(strstr(err, "...'") != NULL, "the quote is shortened");
  free(deep);

  /* A combinatorial expression over a wide tree hits the operation limit
   * instead of running for minutes. */
  const char *wide_html_head = "<html><body>";
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  nf_buf_puts(&b, wide_html_head);
  for (int i = 0; i < 300; i++) nf_buf_puts(&b, "<div><p>x</p></div>");
  nf_buf_puts(&b, "</body></html>");
  nf_doc *wide = nf_doc_parse(b.ptr, b.len, NULL, NULL, 0);
  nf_buf_free(&b);
  int rc = nf_xpath(wide, NULL, "count(//*[count(//*[count(//*) > 0]) > 0])",
                    &r, err, sizeof err);
  OK(rc == -1, "runaway expression stopped");
  STR_CONTAINS(err, "invalid XPath expression 'count(//*[count(//*[",
               "with a message quoting it");
  printf("# runaway: %s\n", err);
  nf_xpath_result_free(&r);
  nf_doc_free(wide);
}

/* n nested divs, or n sibling paragraphs (flat). */
static nf_doc *shaped(int n, int flat) {
  nf_buf b = NF_BUF_INIT;
  for (int i = 0; i < n; i++) nf_buf_puts(&b, flat ? "<p>x</p>" : "<div>");
  nf_buf_puts(&b, "x");
  nf_doc *d = nf_doc_parse(b.ptr, b.len, NULL, NULL, 0);
  nf_buf_free(&b);
  return d;
}

/* libxml2's node-set merges are quadratic: ancestor:: over a deep tree and
 * following-sibling:: over many siblings ran for seconds to minutes within
 * the operation limit; the time limit and budgets stop them. */
static void test_slow_axes(void) {
  nf_doc *deep = shaped(4000, 0), *flat = shaped(5000, 1);
  nf_xpath_result r;
  char err[256];
  double t0 = nf_test_now();
  int rc = nf_xpath(deep, NULL, "count(//*/ancestor::*)", &r, err, sizeof err);
  double took = nf_test_now() - t0;
  OK(rc == -1, "ancestor:: over 4000 levels: stopped");
  STR_EQ(err, "invalid XPath expression 'count(//*/ancestor::*)': too much "
              "work (time limit of 1 s)", "by the time limit");
  OK(took < 30, "within seconds, not minutes");
  printf("# deep ancestor:: stopped after %.2f s\n", took);
  nf_xpath_result_free(&r);

  nf_budget b;
  nf_budget_init(&b, 0, 0.05);
  t0 = nf_test_now();
  rc = nf_xpath_budget(flat, NULL, "count(//p/following-sibling::p)", &r, &b,
                       err, sizeof err);
  took = nf_test_now() - t0;
  OK(rc == -1 && b.exhausted == NF_BUDGET_TIME,
     "following-sibling:: over 5000 siblings: a 0.05 s budget stops it");
  STR_EQ(err, "XPath: budget exhausted (0.05 s)", "budget error");
  OK(took < 10, "at once (the test's own bound)");
  printf("# flat following-sibling:: stopped after %.3f s\n", took);
  nf_xpath_result_free(&r);

  nf_budget_init(&b, 1000, 0);
  rc = nf_xpath_budget(flat, NULL, "count(//p)", &r, &b, err, sizeof err);
  OK(rc == -1 && b.exhausted == NF_BUDGET_OPS, "1000 operations: exhausted");
  STR_EQ(err, "XPath: budget exhausted (1000 operations)", "ops error");
  nf_xpath_result_free(&r);

  nf_budget_init(&b, 1000000, 10);
  rc = nf_xpath_budget(flat, NULL, "count(//p)", &r, &b, err, sizeof err);
  OK(rc == 0 && r.number == 5000 && b.ops >= 5000 && !b.exhausted,
     "a generous budget: the answer, its operations charged");
  nf_xpath_result_free(&r);
  rc = nf_xpath(deep, NULL, "count(//div[not(div)]/ancestor::*)", &r, err,
                sizeof err);
  OK(rc == 0 && r.number == 4001, "one deep ancestor walk is fine");
  nf_xpath_result_free(&r);
  nf_doc_free(deep);
  nf_doc_free(flat);
}

int main(void) {
  char err[256];
  doc = nf_doc_parse(fixture, strlen(fixture), NULL, err, sizeof err);
  if (!OK(doc != NULL, "parse the fixture")) return nf_test_done();
  test_nodes();
  test_context();
  test_values();
  test_errors();
  test_hostile();
  test_slow_axes();
  nf_doc_free(doc);
  return nf_test_done();
}
