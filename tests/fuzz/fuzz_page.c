/* fuzz_page.c: bytes → parse (auto, then the other of HTML/text) →
 * article extraction → every renderer (text, Markdown, HTML, XHTML
 * fragment and document, the article as JSON through nf_json_write), all
 * within an nf_budget. Invariants: every output is valid UTF-8, XHTML is
 * well-formed XML, the JSON parses back to the same strings, the Markdown
 * goes through cmark, the tree's links hold; an exhausted budget is an
 * error with a message and no output.
 * The first byte also picks renderer options (width, GFM, links). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "utf8.h"

static void set_string(nf_json *obj, const char *key, const char *val) {
  if (val) nf_json_set(obj, key, nf_json_new_string(val, strlen(val)));
}

/* The article as JSON (nf_json_write), parsed back: the text and the
 * Markdown come back byte for byte. */
static void check_article_json(const nf_article *a, const nf_buf *md) {
  nf_json *o = nf_json_new_object();
  set_string(o, "title", a->title);
  set_string(o, "byline", a->byline);
  set_string(o, "published", a->published);
  set_string(o, "description", a->description);
  set_string(o, "url", a->url);
  set_string(o, "lang", a->lang);
  set_string(o, "text", a->text);
  set_string(o, "markdown", md->ptr);
  nf_json_set(o, "word_count", nf_json_new_integer((long long)a->word_count));
  nf_json *authors = nf_json_set(o, "authors", nf_json_new_array());
  for (size_t i = 0; i < a->authors.len; i++)
    nf_json_push(authors, nf_json_new_string(a->authors.items[i],
                                             strlen(a->authors.items[i])));
  nf_buf j = NF_BUF_INIT;
  nf_json_write(&j, o, 0);
  nf_fuzz_check_utf8("article JSON is not UTF-8", &j);
  nf_json *v = nf_fuzz_check_json("article JSON does not parse", &j);
  const char *text = nf_json_string(nf_json_get(v, "text"));
  const char *mdback = nf_json_string(nf_json_get(v, "markdown"));
  if (!text || strcmp(text, a->text) != 0 || !mdback || strcmp(mdback, md->ptr) != 0)
    nf_fuzz_fail("article JSON did not give the text back", j.ptr, j.len);
  nf_json_free(v);
  nf_json_free(o);
  nf_buf_free(&j);
}

/* One renderer within the budget: 1 with out filled, 0 when it ran out. */
static int render(nf_render_fn fn, const nf_node *n, const nf_render_opts *o,
                  nf_budget *b, nf_buf *out) {
  char err[256];
  nf_buf_clear(out);
  if (nf_render_budget(fn, n, o, b, out, err, sizeof err) == 0) return 1;
  if (!err[0] || out->len) nf_fuzz_fail("a budget error without a message or with output", err, strlen(err));
  return 0;
}

static void render_all(nf_node *n, const nf_render_opts *base, int md_check,
                       nf_budget *b) {
  nf_render_opts o = *base;
  nf_buf out = NF_BUF_INIT;
  if (render(nf_render_text, n, &o, b, &out))
    nf_fuzz_check_utf8("text output is not UTF-8", &out);
  if (render(nf_render_markdown, n, &o, b, &out)) {
    nf_fuzz_check_utf8("Markdown output is not UTF-8", &out);
    if (md_check) nf_fuzz_check_markdown(&out);
  }
  if (render(nf_render_html, n, &o, b, &out))
    nf_fuzz_check_utf8("HTML output is not UTF-8", &out);
  o.xhtml = 1;
  if (render(nf_render_html, n, &o, b, &out)) {
    nf_fuzz_check_utf8("XHTML output is not UTF-8", &out);
    nf_fuzz_check_xml("XHTML fragment is not well-formed", &out, 1);
  }
  o.document = 1;
  o.offline = 1;
  if (render(nf_render_html, n, &o, b, &out)) {
    nf_fuzz_check_utf8("XHTML document is not UTF-8", &out);
    nf_fuzz_check_xml("XHTML document is not well-formed", &out, 0);
  }
  nf_buf_free(&out);
}

static void one_doc(nf_doc *doc, const nf_render_opts *o) {
  nf_fuzz_check_tree(doc, nf_doc_node(doc));
  /* A budget as an embedder would set one: pathological pages end with
   * an error instead of taking the fuzzer's time. */
  nf_budget b;
  nf_budget_init(&b, 50u * 1000 * 1000, 20.0);
  char err[256];
  nf_article *a = nf_article_extract_budget(doc, &b, err, sizeof err);
  if (!a) {
    if (!err[0]) nf_fuzz_fail("extraction failed without a message", NULL, 0);
    return;
  }
  nf_fuzz_check_tree(doc, nf_doc_node(doc));
  nf_fuzz_check_tree(doc, a->body);
  render_all(a->body, o, 1, &b);
  render_all(nf_doc_node(doc), o, 0, &b);
  nf_buf md = NF_BUF_INIT;
  if (render(nf_render_markdown, a->body, o, &b, &md)) check_article_json(a, &md);
  nf_buf_free(&md);
  char *title = nf_doc_title(doc);
  if (title && !nf_utf8_valid(title, strlen(title)))
    nf_fuzz_fail("title is not UTF-8", title, strlen(title));
  free(title);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > (1u << 20)) return 0;
  unsigned flags = size ? data[0] : 0;
  nf_render_opts o = {0};
  o.width = (flags & 1) ? 40 : 0;
  o.gfm = (flags >> 1) & 1;
  o.links = (nf_links)((flags >> 2) & 3);
  o.base_url = (flags & 16) ? "https://example.com/a/b" : NULL;
  char err[256];
  nf_parse_opts po = {0};
  po.source = "fuzz";
  nf_doc *doc = nf_doc_parse((const char *)data, size, &po, err, sizeof err);
  if (!doc) return 0;
  nf_input_type got = nf_doc_type(doc);
  one_doc(doc, &o);
  nf_doc_free(doc);
  po.type = got == NF_INPUT_TEXT ? NF_INPUT_HTML : NF_INPUT_TEXT;
  doc = nf_doc_parse((const char *)data, size, &po, err, sizeof err);
  if (!doc) return 0;
  one_doc(doc, &o);
  nf_doc_free(doc);
  return 0;
}
