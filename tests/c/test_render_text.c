/* test_render_text.c: nf_render_text on hand-written fragments. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "newsform.h"

/* Renders the body of html with opts; returns a malloc'd string. */
static char *render(const char *html, const nf_render_opts *o) {
  char err[256];
  nf_parse_opts po = {NF_INPUT_HTML, NULL, "test", NULL};
  nf_doc *doc = nf_doc_parse(html, strlen(html), &po, err, sizeof err);
  if (!doc) return NULL;
  nf_buf out = NF_BUF_INIT;
  nf_buf_init(&out);
  nf_render_text(nf_doc_body(doc), o, &out);
  nf_doc_free(doc);
  return nf_buf_detach(&out);
}

#define CHECK(html, opts, want, name)                                      \
  do {                                                                     \
    char *got_ = render((html), (opts));                                   \
    STR_EQ(got_, (want), (name));                                          \
    free(got_);                                                            \
  } while (0)

int main(void) {
  nf_render_opts wide = {0};
  CHECK("<p>One  two\n three</p><p>Four</p>", NULL, "One two three\n\nFour\n",
        "paragraphs: blank line, whitespace collapsed");
  CHECK("<p>a<br>b</p>", NULL, "a\nb\n", "br is a newline");
  CHECK("<div>lead <b>bold</b> <i>it</i>.</div>", NULL, "lead bold it.\n",
        "inline elements are transparent");
  CHECK("<ul><li>one</li><li>two<ul><li>deep</li></ul></li></ul>", NULL,
        "- one\n- two\n  - deep\n", "nested unordered list");
  CHECK("<ol start=9><li>nine</li><li>ten<p>more</p></li></ol>", NULL,
        "9. nine\n10. ten\n\n    more\n", "ordered list with start");
  CHECK("<h2>Title</h2>text", NULL, "Title\n\ntext\n", "heading own line");
  CHECK("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td> 2 </td></tr>"
        "</table>", NULL, "A | B\n1 | 2\n", "table rows with | cells");
  CHECK("<pre>  a\n    b</pre><p>x   y</p>", NULL, "  a\n    b\n\nx y\n",
        "pre keeps spacing");
  CHECK("<p>&amp; &lt;tag&gt; &eacute;&nbsp;x</p>", NULL,
        "& <tag> \xc3\xa9\xc2\xa0x\n", "entities decoded");
  CHECK("<p>a<script>bad()</script><style>p{}</style><template>t</template>"
        "<noscript>ns</noscript>b</p>", NULL, "ab\n",
        "script, style, template, noscript hidden");
  CHECK("<blockquote><p>q1</p><p>q2</p></blockquote>", NULL,
        "> q1\n>\n> q2\n", "blockquote");
  nf_render_opts w20 = {0};
  w20.width = 20;
  CHECK("<p>The quick brown fox jumps over the lazy dog again</p>", &w20,
        "The quick brown fox\njumps over the lazy\ndog again\n", "wrap at 20");
  CHECK("<p>aaaaaaaaaaaaaaaaaaaaaaaaa bb</p>", &w20,
        "aaaaaaaaaaaaaaaaaaaaaaaaa\nbb\n", "never break inside a word");
  CHECK("<p>\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9"
        "\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 x</p>", &w20,
        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
        "\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 x\n",
        "width counts code points, not bytes");
  CHECK("<ul><li>The quick brown fox jumps over</li></ul>", &w20,
        "- The quick brown\n  fox jumps over\n", "wrapped list item indents");
  nf_render_opts links = {0};
  links.links = NF_LINKS_INLINE;
  CHECK("<p>See <a href='https://x.org/a'>this</a> and "
        "<a href='https://y.org'>https://y.org</a>.</p>", &links,
        "See this (https://x.org/a) and https://y.org.\n", "links inline");
  CHECK("<p>See <a href='https://x.org/a'>this</a>.</p>", &wide,
        "See this.\n", "links none by default");
  links.base_url = "https://site.org/news/";
  CHECK("<p><a href='/b'>b</a> <a href='#top'>top</a> "
        "<a href='javascript:x()'>js</a></p>", &links,
        "b (https://site.org/b) top js\n", "relative links resolved");
  CHECK("<p>  </p><div></div>", NULL, "", "empty output");
  CHECK("<p>a</p><hr><p>b</p>", NULL, "a\n\n---\n\nb\n", "hr");
  /* Deep nesting stays bounded and does not crash. */
  {
    nf_buf h = NF_BUF_INIT;
    nf_buf_init(&h);
    for (int i = 0; i < 80; i++) nf_buf_puts(&h, "<blockquote><ul><li>");
    nf_buf_puts(&h, "deep");
    char *got = render(h.ptr, NULL);
    OK(got && strstr(got, "deep") && strlen(got) < 2000,
       "deep nesting is bounded");
    free(got);
    nf_buf_free(&h);
  }
  return nf_test_done();
}
