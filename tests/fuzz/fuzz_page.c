/* fuzz_page.c: bytes → parse (auto, then the other of HTML/text) →
 * article extraction → every renderer (text, Markdown, HTML, XHTML
 * fragment and document, the article as JSON). Invariants: every output
 * is valid UTF-8, XHTML is well-formed XML, the JSON parses back to the
 * same strings, the Markdown goes through cmark, the tree's links hold.
 * The first byte also picks renderer options (width, GFM, links). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "utf8.h"

static void put_field(nf_buf *j, const char *key, const char *val) {
  if (!val) return;
  nf_buf_putc(j, j->len ? ',' : '{');
  nf_json_put_string(j, key, strlen(key));
  nf_buf_putc(j, ':');
  nf_json_put_string(j, val, strlen(val));
}

/* The article as the command's JSON output has it (strings only), parsed
 * back: every string must come back as a valid UTF-8 string. */
static void check_article_json(const nf_article *a, const nf_buf *md) {
  nf_buf j = NF_BUF_INIT;
  put_field(&j, "title", a->title);
  put_field(&j, "byline", a->byline);
  put_field(&j, "published", a->published);
  put_field(&j, "description", a->description);
  put_field(&j, "url", a->url);
  put_field(&j, "lang", a->lang);
  put_field(&j, "text", a->text);
  put_field(&j, "markdown", md->ptr);
  nf_buf_putc(&j, '}');
  nf_fuzz_check_utf8("article JSON is not UTF-8", &j);
  nf_json *v = nf_fuzz_check_json("article JSON does not parse", &j);
  const char *text = nf_json_string(nf_json_get(v, "text"));
  if (!text || !nf_json_get(v, "markdown"))
    nf_fuzz_fail("article JSON lost a field", j.ptr, j.len);
  nf_json_free(v);
  nf_buf_free(&j);
}

static void render_all(nf_node *n, const nf_render_opts *base, int md_check) {
  nf_render_opts o = *base;
  nf_buf out = NF_BUF_INIT;
  nf_render_text(n, &o, &out);
  nf_fuzz_check_utf8("text output is not UTF-8", &out);
  nf_buf_clear(&out);
  nf_render_markdown(n, &o, &out);
  nf_fuzz_check_utf8("Markdown output is not UTF-8", &out);
  if (md_check) nf_fuzz_check_markdown(&out);
  nf_buf_clear(&out);
  nf_render_html(n, &o, &out);
  nf_fuzz_check_utf8("HTML output is not UTF-8", &out);
  nf_buf_clear(&out);
  o.xhtml = 1;
  nf_render_html(n, &o, &out);
  nf_fuzz_check_utf8("XHTML output is not UTF-8", &out);
  nf_fuzz_check_xml("XHTML fragment is not well-formed", &out, 1);
  nf_buf_clear(&out);
  o.document = 1;
  o.offline = 1;
  nf_render_html(n, &o, &out);
  nf_fuzz_check_utf8("XHTML document is not UTF-8", &out);
  nf_fuzz_check_xml("XHTML document is not well-formed", &out, 0);
  nf_buf_free(&out);
}

static void one_doc(nf_doc *doc, const nf_render_opts *o) {
  nf_fuzz_check_tree(doc, nf_doc_node(doc));
  nf_article *a = nf_article_extract(doc);
  nf_fuzz_check_tree(doc, nf_doc_node(doc));
  nf_fuzz_check_tree(doc, a->body);
  render_all(a->body, o, 1);
  render_all(nf_doc_node(doc), o, 0);
  nf_buf md = NF_BUF_INIT;
  nf_render_markdown(a->body, o, &md);
  check_article_json(a, &md);
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
