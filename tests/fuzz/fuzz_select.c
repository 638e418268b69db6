/* fuzz_select.c: CSS selectors both ways. The input, as a selector, is
 * compiled and matched on a fixed page; the input, as a page, is matched
 * by a fixed set of selectors (the structural pseudo-classes, :has, :not,
 * attribute operators). Invariants: nf_select gives each element once, in
 * document order, and exactly the elements nf_selector_matches accepts;
 * a bad selector is an error message, never a crash. Both run under a
 * budget of compound tests (hostile selectors are quadratic). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static const char fixed_page[] =
    "<!DOCTYPE html><html lang=en><head><title>T</title></head><body>"
    "<header id=top class='site head'><nav><a href=/>Home</a> <a href=/x "
    "rel=next>Next</a></nav></header><main><article class=story data-id=7>"
    "<h1>Title</h1><p class='lede first'>Lede <b>bold</b> <i>it</i>.</p>"
    "<p>Two <a href='https://e.com/a?b=1' lang=en-GB>link</a></p><p></p>"
    "<figure><img src=a.png alt=''><figcaption>Cap</figcaption></figure>"
    "<ul><li>1<li class=odd>2<li>3<li><ul><li>nested</ul></ul>"
    "<table><tr><th>h<td>d<tr><td colspan=2>x</table><section><h2>S</h2>"
    "<p>in section</p><span></span><em>e</em><span>s</span></section>"
    "<div hidden><p>hidden</p></div><x-custom foo=bar>c</x-custom>"
    "</article><aside class=ad>ad</aside></main><footer>f<!-- c --></footer>"
    "</body></html>";

static const char *const fixed_selectors[] = {
    "p", "*", "div p", "body > *", "h1 + p", "h1 ~ p", "p:first-child",
    "p:last-child", ":only-child", "li:first-of-type", "li:last-of-type",
    ":only-of-type", ":empty", ":root", "li:nth-child(2n+1)",
    ":nth-last-child(-n+3)", "p:nth-of-type(odd)", "td:nth-last-of-type(2)",
    ":nth-child(even of p, li)", "div:not(.a, #b)", ":is(h1, h2) + p",
    ":where(section, article) p", "div:has(> p)", "section:has(+ aside)",
    ":has(~ footer)", "article:has(p:not(:empty))", "a[href]",
    "a[href^=http]", "[class~=lede]", "[lang|=en]", "[href$='.html' i]",
    "[data-x*=y]", "img[alt='']", ":scope > body", "a:not([href]) > b",
    "div div div div", "* > * > * > * > *", "p, li, td, h1, h2, h3",
};

static void check_selection(const nf_selector *sel, nf_node *root,
                            nf_fuzz_budget *budget) {
  nf_nodelist got = {0};
  if (nf_select_checked(sel, root, &got, nf_fuzz_budget_stop, budget) < 0) {
    nf_nodelist_free(&got);
    return; /* out of budget: what came so far is not the whole answer */
  }
  /* Every element below root (nf_iter from the document node covers the
   * whole tree): the same set, in the same order. */
  size_t at = 0;
  long tests = 0;
  nf_iter it;
  nf_iter_init(&it, root);
  nf_node *el;
  while ((el = nf_iter_next_element(&it)) != NULL) {
    if (el == root) continue;
    if (++tests > 20000) {
      nf_nodelist_free(&got);
      return;
    }
    if (!nf_selector_matches(sel, el)) continue;
    if (at >= got.len || got.items[at] != el)
      nf_fuzz_fail("nf_select and nf_selector_matches disagree", NULL, 0);
    at++;
  }
  if (at != got.len)
    nf_fuzz_fail("nf_select returned elements that do not match", NULL, 0);
  nf_nodelist_free(&got);
}

static nf_doc *page;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > (1u << 18)) return 0;
  char err[256];
  if (!page) {
    page = nf_doc_parse(fixed_page, sizeof fixed_page - 1, NULL, err, sizeof err);
    if (!page) nf_fuzz_fail("fixed page does not parse", err, strlen(err));
  }
  /* The input as a selector (up to its first NUL). */
  char *css = nf_xstrndup((const char *)data, size);
  nf_selector *sel = nf_selector_compile(css, err, sizeof err);
  if (sel) {
    nf_fuzz_budget budget = {200};
    /* :scope differs on purpose: the root element for matches, the
     * starting node for select. */
    if (!strstr(css, "scope")) {
      check_selection(sel, nf_doc_node(page), &budget);
      check_selection(sel, nf_doc_body(page), &budget);
    }
    nf_selector_free(sel);
  } else if (!err[0]) {
    nf_fuzz_fail("a bad selector without a message", css, strlen(css));
  }
  free(css);

  /* The input as a page. */
  nf_doc *doc = nf_doc_parse((const char *)data, size, NULL, err, sizeof err);
  if (!doc) return 0;
  size_t n = sizeof fixed_selectors / sizeof *fixed_selectors;
  for (size_t i = 0; i < n; i++) {
    sel = nf_selector_compile(fixed_selectors[i], err, sizeof err);
    if (!sel) nf_fuzz_fail("a fixed selector does not compile", err, strlen(err));
    nf_fuzz_budget budget = {50};
    if (!strstr(fixed_selectors[i], "scope"))
      check_selection(sel, nf_doc_node(doc), &budget);
    else {
      nf_nodelist got = {0};
      nf_select_checked(sel, nf_doc_node(doc), &got, nf_fuzz_budget_stop, &budget);
      nf_nodelist_free(&got);
    }
    nf_selector_free(sel);
  }
  nf_doc_free(doc);
  return 0;
}
