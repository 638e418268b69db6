/* test_unknown_elements.c: custom and unknown elements (my-cite, x-term...)
 * follow their content model, decided once (nf_html_unknown_is_inline
 * through nf_html_node_flags): inline where they sit in text or hold only
 * inline content, block otherwise; the extractor, the renderers, text and
 * normalize never drop them with their text. */
#include <string.h>

#include "harness.h"
#include "html_elements.h"

static const char *const citation_page =
    "<html><head><title>Sleep</title></head><body><article>"
    "<p>Studies of sleep in adults (<my-cite><a href=\"/x\">1</a></my-cite>) "
    "show that a <x-term>custom term</x-term> matters more than most people "
    "think, and the effect holds across ages, countries and seasons.</p>"
    "<p>A second paragraph with enough words to be read as prose by the "
    "extractor, with commas, clauses, and a full stop.</p>"
    "</article></body></html>";

/* The first element named tag below the body of doc. */
static nf_node *find(nf_doc *doc, const char *tag) {
  nf_iter it;
  nf_iter_init(&it, nf_doc_body(doc));
  nf_event ev;
  while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
    nf_node *n = nf_iter_node(&it);
    if (ev == NF_EV_ENTER && nf_node_is(n, tag)) return n;
  }
  return NULL;
}

static void test_content_model(void) {
  nf_doc *doc = nf_test_parse(
      "<div><b>Bold</b><x-card>Card title<p>Para</p></x-card>"
      "<x-box>only <i>inline</i></x-box><x-empty></x-empty>"
      "<x-embed> <!-- c --> <div>block</div></x-embed> text after"
      "<x-hidden><template><div>t</div></template>shown</x-hidden></div>"
      "<span><x-in-span><div>x</div></x-in-span></span>");
  if (!doc) return;
  struct { const char *tag; unsigned want; const char *name; } cases[] = {
      {"x-card", NF_EL_BLOCK, "holds a block, no text beside it: block"},
      {"x-box", NF_EL_INLINE, "holds only inline content: inline"},
      {"x-empty", NF_EL_INLINE, "holds nothing: inline"},
      {"x-embed", NF_EL_INLINE, "text beside it (past a comment): inline"},
      {"x-hidden", NF_EL_INLINE, "a hidden block does not count"},
      {"x-in-span", NF_EL_INLINE, "inside a phrasing element: inline"},
      {"div", NF_EL_BLOCK, "a listed tag keeps the table's flags"},
      {"b", NF_EL_INLINE, "a listed inline tag"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    nf_node *n = find(doc, cases[i].tag);
    if (!OK(n, cases[i].tag)) continue;
    INT_EQ(nf_html_node_flags(n) & (NF_EL_BLOCK | NF_EL_INLINE), cases[i].want,
           cases[i].name);
  }
  INT_EQ(nf_html_node_flags(NULL), 0, "NULL: no flags");
  INT_EQ(nf_html_node_flags(nf_node_first_child(find(doc, "x-box"))), 0,
         "a text node: no flags");
  nf_doc_free(doc);
}

/* Past NF_EL_UNKNOWN_SCAN nodes without a block, a container: block. */
static void test_scan_bound(void) {
  nf_buf html = NF_BUF_INIT;
  nf_buf_init(&html);
  nf_buf_puts(&html, "<div><x-big>");
  for (int i = 0; i < NF_EL_UNKNOWN_SCAN + 10; i++) nf_buf_puts(&html, "<b>w</b>");
  nf_buf_puts(&html, "</x-big><x-small><b>w</b></x-small></div>");
  nf_doc *doc = nf_test_parse(html.ptr);
  nf_buf_free(&html);
  if (!doc) return;
  OK(nf_html_node_is_block(find(doc, "x-big")), "a huge unknown element: block");
  OK(nf_html_node_is_inline(find(doc, "x-small")), "a small one: inline");
  nf_doc_free(doc);
}

static void test_extractor_keeps_them(void) {
  nf_doc *doc = nf_test_parse(citation_page);
  if (!doc) return;
  const nf_article *a = nf_article_extract(doc);
  STR_CONTAINS(a->text, "in adults (1) show that a custom term matters",
               "article text: the citation and the term");
  char *html = nf_test_html(a->body);
  STR_CONTAINS(html, "(<a href=\"/x\">1</a>) show", "article body: the link");
  free(html);
  nf_doc_free(doc);
  /* A custom container holding the story's paragraphs is read as div. */
  doc = nf_test_parse(
      "<body><story-body><p>The first paragraph of the story, long enough to "
      "vote, with a comma or two, and more.</p><p>The second paragraph of "
      "the story, also long enough, with commas, clauses and words.</p>"
      "</story-body></body>");
  if (!doc) return;
  a = nf_article_extract(doc);
  STR_CONTAINS(a->text, "and more.\n\nThe second paragraph",
               "custom container: paragraphs kept apart");
  nf_doc_free(doc);
}

static void test_renderers(void) {
  nf_render_opts o = {0};
  const char *p = "<p>adults (<my-cite><a href=\"/x\">1</a></my-cite>) and a "
                  "<x-term>custom term</x-term>.</p>";
  char *out = nf_test_render(nf_render_text, p, &o);
  STR_EQ(out, "adults (1) and a custom term.\n", "text: inline custom elements");
  free(out);
  out = nf_test_render(nf_render_markdown, p, &o);
  STR_EQ(out, "adults ([1](/x)) and a custom term.\n", "markdown: inline custom elements");
  free(out);
  const char *card = "<div><b>Bold</b><x-card>Card title<p>Para</p></x-card></div>";
  out = nf_test_render(nf_render_text, card, &o);
  STR_EQ(out, "Bold\n\nCard title\n\nPara\n", "text: a block custom element");
  free(out);
  out = nf_test_render(nf_render_markdown, card, &o);
  STR_EQ(out, "**Bold**\n\nCard title\n\nPara\n", "markdown: a block custom element");
  free(out);
  nf_doc *doc = nf_test_parse(card);
  if (!doc) return;
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  nf_text_paragraphs(nf_doc_body(doc), &b);
  STR_EQ(b.ptr, "Bold\n\nCard title\n\nPara", "nf_text_paragraphs: a block custom element");
  nf_buf_free(&b);
  nf_doc_free(doc);
}

static void test_normalize(void) {
  nf_doc *doc = nf_test_parse("<div>Text with a <x-term>term</x-term>.</div>"
                              "<div>a<x-sep> </x-sep>b</div>"
                              "<div><x-card><p>Card</p></x-card></div>");
  if (!doc) return;
  nf_normalize(doc, nf_doc_body(doc), NULL);
  char *html = nf_test_html(nf_doc_body(doc));
  STR_EQ(html, "<body><p>Text with a <x-term>term</x-term>.</p><p>a b</p>"
               "<div><x-card><p>Card</p></x-card></div></body>",
         "normalize: inline custom elements make a p; blocks stay");
  free(html);
  nf_doc_free(doc);
}

int main(void) {
  test_content_model();
  test_scan_bound();
  test_extractor_keeps_them();
  test_renderers();
  test_normalize();
  return nf_test_done();
}
