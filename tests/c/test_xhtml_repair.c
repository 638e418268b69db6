/* test_xhtml_repair.c: the XHTML content model repaired on a tree
 * (core/xhtml_repair.c): each rule on a small fragment, a valid fragment
 * left byte for byte, and an EPUB whose chapters are given as broken XHTML
 * (nf_bundle_article.xhtml, which no renderer touches) passing epubcheck
 * with no errors and no warnings (when java and epubcheck are there). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "newsform.h"
#include "xhtml_repair.h"

static char *repaired(const char *in) {
  nf_buf out = NF_BUF_INIT;
  nf_buf_init(&out);
  nf_xhtml_repair_fragment(in, strlen(in), &out);
  return nf_buf_detach(&out);
}

#define REPAIR(in, want, name)                                             \
  do {                                                                     \
    char *got_ = repaired(in);                                             \
    STR_EQ(got_, want, name);                                              \
    free(got_);                                                            \
  } while (0)

/* Broken XHTML, each well-formed: what a script or an older newsform may
 * hand the EPUB writer as a finished chapter. */
static const char *const broken[] = {
    /* tables */
    "<table id=\"t\"><tfoot><tr><td>Total</td></tr></tfoot><caption>Cap</caption>"
    "<tbody><tr><td>a</td></tr></tbody><tr><td>b</td></tr>"
    "<thead><tr><th>H</th></tr></thead>text<div>block</div></table>",
    "<td>lone cell</td><td>second</td><tr><td>lone row</td></tr>"
    "<tbody><tr><td>lone body</td></tr></tbody><caption>lone caption</caption>",
    "<table><tr><p>para in row</p><td>x</td></tr><col/></table>",
    "<table><thead><tr><th>1</th></tr></thead><thead><tr><th>2</th></tr></thead>"
    "<tfoot><tr><td>f1</td></tr></tfoot><tfoot><tr><td>f2</td></tr></tfoot></table>",
    /* lists */
    "<ul>loose<p>para</p><li>item</li></ul><li>stray item</li>",
    "<dl><dd>no term</dd><dt>no definition</dt></dl>"
    "<dl><dt>t</dt><dd>d</dd><p>p</p><div>mixed</div></dl><dd>stray dd</dd>",
    /* blocks inside inline elements */
    "<p>a <span><div>div</div><table><tr><td>t</td></tr></table></span>"
    " <em><ul><li>l</li></ul></em> <a href=\"https://x.test/\"><p>bl</p></a><hr/></p>",
    "<h2><p>p in h2</p></h2><span><h3>h3 in span</h3><blockquote>q</blockquote></span>",
    /* nested a and form, unknown and hidden elements */
    "<p><a href=\"https://x.test/o\">outer <span><a href=\"https://x.test/i\">inner</a></span></a></p>"
    "<form action=\"/a\"><div><form action=\"/b\"><p>form in form</p></form></div>"
    "<input type=\"text\"/><button>b</button></form>",
    "<p><my-cite>custom</my-cite><script>x()</script><font>font</font></p>"
    "<details><p>no summary</p></details><summary>stray summary</summary>"
    "<header><header>hh</header></header><main>m</main><figcaption>fc</figcaption>",
    /* ids, attributes, links */
    "<p id=\"top\">a</p><p id=\"top\">dup</p><p id=\"9 lives\">sp</p><p id=\"\">e</p>"
    "<p id=\"a:b\">colon</p><p id=\"12\">digits</p><p id=\"ok-id_1.2\">ok</p>",
    "<p align=\"center\" onclick=\"x()\" style=\"color:red\" width=\"5\" "
    "data-Bad=\"1\" data-ok=\"1\" tabindex=\"1\" xml:space=\"preserve\" "
    "xml:lang=\"en\" lang=\"not a lang\">attrs</p>"
    "<a href=\"javascript:alert(1)\">js</a><a href=\" JaVaScRiPt:x\">js2</a>"
    "<a href=\"#top\">top</a><img src=\"javascript:x\" alt=\"i\"/>",
    NULL};

static int sh(const char *cmd) { return system(cmd) == 0; }

static int have_epubcheck(void) {
  return access("/usr/share/java/epubcheck.jar", R_OK) == 0 &&
         sh("command -v java >/dev/null 2>&1");
}

int main(void) {
  /* tables */
  REPAIR("<table><tfoot><tr><td>f</td></tr></tfoot><tbody><tr><td>b</td></tr></tbody></table>",
         "<table><tbody><tr><td>b</td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>",
         "tfoot after the tbody");
  REPAIR("<table><tbody><tr><td>b</td></tr></tbody><caption>c</caption>"
         "<thead><tr><th>h</th></tr></thead></table>",
         "<table><caption>c</caption><thead><tr><th>h</th></tr></thead>"
         "<tbody><tr><td>b</td></tr></tbody></table>",
         "caption first, then thead");
  REPAIR("<table><tbody><tr><td>a</td></tr></tbody><tr><td>b</td></tr></table>",
         "<table><tbody><tr><td>a</td></tr></tbody><tbody><tr><td>b</td></tr></tbody></table>",
         "rows beside a tbody get their own");
  REPAIR("<table><thead><tr><th>1</th></tr></thead><thead><tr><th>2</th></tr></thead>"
         "<tfoot><tr><td>f1</td></tr></tfoot><tfoot><tr><td>f2</td></tr></tfoot></table>",
         "<table><thead><tr><th>1</th></tr></thead><tbody><tr><th>2</th></tr></tbody>"
         "<tbody><tr><td>f2</td></tr></tbody><tfoot><tr><td>f1</td></tr></tfoot></table>",
         "one thead, one tfoot: the others are bodies");
  REPAIR("<div><td>a</td><td>b</td></div>",
         "<div><table><tbody><tr><td>a</td><td>b</td></tr></tbody></table></div>",
         "cells outside a row and a table get both");
  REPAIR("<tr><td>a</td></tr>\n<tr><td>b</td></tr><p>after</p>",
         "<table><tbody><tr><td>a</td></tr>\n<tr><td>b</td></tr></tbody></table><p>after</p>",
         "rows outside a table get one (one table for the run)");
  REPAIR("<table><tr><p>p</p><td>x</td>y</tr></table>",
         "<table><tbody><tr><td><p>p</p></td><td>x</td><td>y</td></tr></tbody></table>",
         "content outside cells gets a cell");
  REPAIR("<table>text<tr><td>x</td></tr><div>d</div><col/></table>",
         "<table><tbody><tr><td>text</td></tr><tr><td>x</td></tr><tr><td><div>d</div></td></tr></tbody></table>",
         "text and blocks in a table get a row and a cell; a lone col goes");
  REPAIR("<caption>c</caption><colgroup><col/></colgroup>",
         "<div>c</div>", "caption outside a table is a div, colgroup goes");
  /* lists */
  REPAIR("<ul>t<p>p</p><li>i</li></ul>", "<ul><li>t<p>p</p></li><li>i</li></ul>",
         "list content outside li gets one");
  REPAIR("<li>a</li><dt>t</dt><dd>d</dd><figcaption>f</figcaption>",
         "<div>a</div><div>t</div><div>d</div><div>f</div>",
         "li, dt, dd, figcaption outside their parents are divs");
  REPAIR("<dl><dd>d</dd></dl>", "<dl><dt></dt><dd>d</dd></dl>",
         "dd with no term gets an empty dt");
  REPAIR("<dl><dt>t</dt><dd>d</dd><dt>last</dt></dl>",
         "<dl><dt>t</dt><dd>d</dd><dt>last</dt><dd></dd></dl>",
         "a last dt gets an empty dd");
  REPAIR("<dl><dt>t</dt><p>p</p></dl>", "<dl><dt>t</dt><dd><p>p</p></dd></dl>",
         "other content in a dl goes in a dd");
  /* phrasing */
  REPAIR("<p>a<span><div>d</div><table><tr><td>t</td></tr></table></span><hr/></p>",
         "<p>a<span><span>d</span><span><span><span>t</span></span></span></span></p>",
         "blocks inside phrasing content become spans, hr goes");
  REPAIR("<h2><ul><li>x</li></ul></h2>", "<h2><span><span>x</span></span></h2>",
         "a list in a heading becomes spans");
  REPAIR("<p><a href=\"https://a.test/\">o<a href=\"https://b.test/\">i</a></a></p>",
         "<p><a href=\"https://a.test/\">oi</a></p>", "a inside a is unwrapped");
  REPAIR("<form><div><form><p>x</p></form></div></form>", "<div><div><div><p>x</p></div></div></div>",
         "forms are divs: never one inside another");
  REPAIR("<p><x-term>t</x-term><script>s</script><input/></p>", "<p>t</p>",
         "unknown elements unwrapped, hidden ones dropped");
  REPAIR("<p>a<br>b</br>c</p>", "<p>a<br/>c</p>", "void elements hold nothing");
  REPAIR("<details><p>d</p></details>", "<div><p>d</p></div>",
         "details without its summary is a div");
  /* ids and attributes */
  REPAIR("<p id=\"a\">1</p><p id=\"a\">2</p><p id=\"x y\">3</p><p id=\"9\">4</p>"
         "<p id=\"a:b\">5</p><p id=\"\">6</p><p id=\"b-1.c_d\">7</p>",
         "<p id=\"a\">1</p><p>2</p><p>3</p><p>4</p><p>5</p><p>6</p><p id=\"b-1.c_d\">7</p>",
         "ids: unique, XML names without colons");
  REPAIR("<p align=\"center\" onclick=\"x()\" style=\"c\" data-ok=\"1\" data-Bad=\"1\" "
         "xml:space=\"preserve\" xml:lang=\"en\" lang=\"a b\" class=\"k\">t</p>",
         "<p data-ok=\"1\" xml:lang=\"en\" class=\"k\">t</p>",
         "attributes XHTML does not allow are dropped");
  REPAIR("<a href=\"javascript:alert(1)\">j</a><a href=\" JaVaScRiPt:x\">k</a>"
         "<a href=\"https://ok.test/\">o</a>",
         "<a>j</a><a>k</a><a href=\"https://ok.test/\">o</a>",
         "javascript: links lose their href");
  /* valid input: unchanged, byte for byte */
  {
    const char *valid = "<p>caf\xc3\xa9 &amp; <b>x</b><br/></p>\n<table><caption>c</caption>"
                        "<tbody><tr><td>1</td></tr></tbody></table><ul><li>a</li></ul>"
                        "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\"/></svg>";
    REPAIR(valid, valid, "a valid fragment is left as it is");
  }
  {
    const char *bad = "<p>not <b>well</p> formed";
    REPAIR(bad, bad, "a fragment that is not well-formed is left as it is");
  }
  INT_EQ(nf_xhtml_attr_allowed("td", "colspan", "2"), 1, "allowlist: td colspan");
  INT_EQ(nf_xhtml_attr_allowed("p", "colspan", "2"), 0, "allowlist: p colspan");

  /* an EPUB of broken chapters, given as XHTML: epubcheck, no errors and
   * no warnings */
  char dir[] = "/tmp/nf-xhtml-repair-XXXXXX";
  OK(mkdtemp(dir) != NULL, "temp dir");
  char path[128];
  snprintf(path, sizeof path, "%s/broken.epub", dir);
  char err[256] = "";
  nf_bundle_opts o;
  memset(&o, 0, sizeof o);
  o.title = "Broken XHTML";
  o.language = "en";
  nf_bundle *b = nf_bundle_create(path, &o, err, sizeof err);
  OK(b != NULL, "book created");
  int rc = b ? 0 : -1;
  for (int i = 0; b && broken[i]; i++) {
    nf_bundle_article a;
    memset(&a, 0, sizeof a);
    char title[32];
    snprintf(title, sizeof title, "Broken %d", i + 1);
    a.title = title;
    a.xhtml = broken[i];
    rc |= nf_bundle_add_article(b, &a, err, sizeof err);
  }
  if (b) rc |= nf_bundle_close(b, err, sizeof err);
  OK(rc == 0, "broken chapters written");
  if (rc) printf("# %s\n", err);
  if (have_epubcheck()) {
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "java -jar /usr/share/java/epubcheck.jar '%s' > %s/check.log 2>&1; "
             "if grep -q 'No errors or warnings detected' %s/check.log; then exit 0; fi; "
             "sed 's/^/#   /' %s/check.log | head -40; exit 1",
             path, dir, dir, dir);
    OK(sh(cmd), "epubcheck: broken XHTML chapters, 0 errors and 0 warnings");
  } else {
    OK(1, "# SKIP epubcheck (java or epubcheck.jar missing)");
  }
  char rm[160];
  snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
  sh(rm);
  return nf_test_done();
}
