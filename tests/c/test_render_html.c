/* test_render_html.c: nf_render_html, HTML and XHTML, on hand-written
 * fragments; XHTML output is checked with libxml2's XML parser. */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "harness.h"
#include "newsform.h"

static char *render(const char *html, const nf_render_opts *o) {
  char err[256];
  nf_parse_opts po = {NF_INPUT_HTML, NULL, "test", NULL};
  nf_doc *doc = nf_doc_parse(html, strlen(html), &po, err, sizeof err);
  if (!doc) return NULL;
  nf_buf out = NF_BUF_INIT;
  nf_buf_init(&out);
  if (o && o->document) nf_render_html(nf_doc_root(doc), o, &out);
  else nf_render_html(nf_doc_body(doc), o, &out);
  nf_doc_free(doc);
  return nf_buf_detach(&out);
}

static void silent(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }

/* Is s well-formed XML (wrapped in a root element unless whole)? */
static int well_formed(const char *s, int whole) {
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  if (!whole) nf_buf_puts(&b, "<root xmlns=\"http://www.w3.org/1999/xhtml\">");
  nf_buf_puts(&b, s);
  if (!whole) nf_buf_puts(&b, "</root>");
  xmlSetGenericErrorFunc(NULL, silent);
  xmlDocPtr d = xmlReadMemory(b.ptr, (int)b.len, "t.xhtml", "UTF-8",
                              XML_PARSE_NONET | XML_PARSE_NOERROR |
                                  XML_PARSE_NOWARNING);
  int ok = d != NULL;
  xmlFreeDoc(d);
  nf_buf_free(&b);
  return ok;
}

#define CHECK(html, opts, want, name)                                      \
  do {                                                                     \
    char *got_ = render((html), (opts));                                   \
    STR_EQ(got_, (want), (name));                                          \
    free(got_);                                                            \
  } while (0)

int main(void) {
  nf_render_opts x = {0};
  x.xhtml = 1;
  nf_render_opts unsafe = {0};
  unsafe.unsafe = 1;

  /* In XHTML the body element itself is unwrapped: its content is what an
   * EPUB page template embeds. */
  CHECK("<p>a<b>b</b></p>", NULL, "<body><p>a<b>b</b></p></body>",
        "plain HTML");
  CHECK("<p onclick='x()' class=c>t<script>evil()</script></p>"
        "<a href=' javascript:alert(1)'>j</a><a href='java\tscript:x'>k</a>"
        "<img src='data:text/html,x' alt=d><img src='data:image/png;base64,AA'>",
        NULL,
        "<body><p class=\"c\">t</p><a>j</a><a>k</a><img alt=\"d\">"
        "<img src=\"data:image/png;base64,AA\"></body>",
        "safe: script, on*, javascript: and data:text dropped");
  CHECK("<p onclick='x()'>t<script>a('</p>')</script></p>", &unsafe,
        "<body><p onclick=\"x()\">t<script>a('<\\/p>')</script></p></body>",
        "unsafe keeps scripts (raw text cannot close early)");
  CHECK("<center><font color=red>c</font></center><tt>m</tt><strike>s</strike>"
        "<big>b</big>", NULL,
        "<body><div>c</div><code>m</code><s>s</s>b</body>", "obsolete tags");
  CHECK("<p>a&nbsp;b &amp; &lt;c&gt; \"q\"</p>", &x,
        "<p>a\xc2\xa0" "b &amp; &lt;c&gt; \"q\"</p>",
        "xhtml: nbsp as the character, only XML entities");
  CHECK("<p>a<br>b<hr><img src=i.png></p>", &x,
        "<p>a<br/>b</p><hr/><img src=\"i.png\" alt=\"\"/>",
        "xhtml: void elements closed, img gets alt");
  CHECK("<p>x\x01y\x0bz</p>", &x, "<p>xyz</p>",
        "xhtml: invalid XML characters removed");
  CHECK("<div align=center bgcolor=red data-x=1 foo:bar=2 id=a>"
        "<span id=a>s</span><img src=a.png width=100% height=20></div>", &x,
        "<div data-x=\"1\" id=\"a\"><span>s</span>"
        "<img src=\"a.png\" height=\"20\" alt=\"\"/></div>",
        "xhtml: attribute allowlist, duplicate ids, bad values dropped");
  CHECK("<p>v<iframe src='https://www.youtube.com/embed/x'></iframe></p>"
        "<object data='/m.swf'></object>", &x,
        "<p>v<a href=\"https://www.youtube.com/embed/x\">"
        "https://www.youtube.com/embed/x</a></p><a href=\"/m.swf\">/m.swf</a>"
        "", "xhtml: embeds become links");
  nf_render_opts xb = x;
  xb.base_url = "https://news.example/world/story.html";
  CHECK("<p><a href='/a b'>a</a><a href='rel'>r</a><a href='#f'>f</a>"
        "<img src='//cdn.example/i.png'></p>", &xb,
        "<p><a href=\"https://news.example/a%20b\">a</a>"
        "<a href=\"https://news.example/world/rel\">r</a>"
        "<a href=\"#f\">f</a><img src=\"https://cdn.example/i.png\" alt=\"\"/>"
        "</p>", "xhtml: links resolved against base_url");
  nf_render_opts xo = x;
  xo.offline = 1;
  CHECK("<p><img src='https://x.org/i.png' alt='A cat'><img src='img/b.png'>"
        "</p>", &xo,
        "<p><a href=\"https://x.org/i.png\">A cat</a>"
        "<img src=\"img/b.png\" alt=\"\"/></p>",
        "xhtml offline: remote images become links");
  CHECK("<span><div>d</div><ul><li>i</li></ul></span><li>stray</li>"
        "<ul><p>np</p></ul>", &x,
        "<span><span>d</span><span><span>i</span></span></span>"
        "<div>stray</div><ul><li>np</li></ul>",
        "xhtml: content models repaired");
  CHECK("<p><o:p>word</o:p><amp-img src=x>y</amp-img><svg><path/></svg>"
        "<marquee>m</marquee></p>", &x,
        "<p><span>word</span>y<span>m</span></p>",
        "xhtml: namespaced (o:p read as p), unknown and svg elements");
  {
    nf_render_opts d = x;
    d.document = 1;
    d.lang = "en";
    char *got = render("<html><head><title>T &amp; U</title></head>"
                       "<body><p>Hi</p></body></html>", &d);
    STR_CONTAINS(got, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "xml decl");
    STR_CONTAINS(got, "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\""
                      " xml:lang=\"en\">", "xhtml html element");
    STR_CONTAINS(got, "<title>T &amp; U</title>", "page title kept");
    STR_CONTAINS(got, "<meta charset=\"utf-8\"/>", "meta charset");
    STR_CONTAINS(got, "<body>\n<p>Hi</p>\n</body>", "body content");
    OK(well_formed(got, 1), "xhtml document is well-formed XML");
    free(got);
    nf_render_opts hd = {0};
    hd.document = 1;
    hd.title = "Given";
    got = render("<p>x</p>", &hd);
    STR_CONTAINS(got, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">",
                 "html5 document head");
    STR_CONTAINS(got, "<title>Given</title>", "title option");
    free(got);
  }
  /* Messy inputs must all give well-formed XHTML. */
  static const char *const messy[] = {
      "<p>a<b>b<i>c</b>d</i></p>",
      "<table><tr><td>1<td>2</table>text<table>x<tr><td>y</table>",
      "<div id='a b' lang='not a lang!' dir=up xml:lang=en>x</div>",
      "<p>&copy; &mdash; &#0; &#xD800; &#x1F600; \xff\xfe bad</p>",
      "<a href='x\"y<z>'>q</a><a href='%zz'>p</a>",
      "<ul>text<li>1</li><div>d</div></ul><dl><dt>t<dd>d</dl>",
      "<h1><p>in heading</p></h1><a><div><p>block link</p></div></a>",
      "<form action=x><input type=text><button>b</button><select><option>o"
      "</select><textarea>t</textarea></form>",
      "<video src=v.mp4 controls><source src=v.webm>fallback</video>"
      "<audio><source src=a.mp3></audio>",
      "<div xmlns='http://evil' xmlns:x='y' x:attr=1 :bad=2 1num=3 "
      "a\"b=4>q</div>",
      "<p>]]&gt; <![CDATA[x]]></p><!-- c --><?pi x?>",
      "<figure><picture><source srcset=a.webp><img src=a.jpg srcset='a 1x'>"
      "</picture><figcaption>cap</figcaption></figure>",
      NULL};
  for (int i = 0; messy[i]; i++) {
    char *got = render(messy[i], &x);
    char name[64];
    snprintf(name, sizeof name, "messy input %d is well-formed XHTML", i + 1);
    OK(got && well_formed(got, 0), name);
    if (got && !well_formed(got, 0)) printf("#   %s\n", got);
    free(got);
  }
  xmlCleanupParser();
  return nf_test_done();
}
