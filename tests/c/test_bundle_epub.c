/* test_bundle_epub.c: EPUB 3 books checked by epubcheck (when java and
 * /usr/share/java/epubcheck.jar are there), read back as zip, remote
 * images turned into links unless their bytes were added, reproducible;
 * and article pages in tar/zip/jsonl bundles. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "newsform.h"

static char dir[64];

static const char png[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00"
    "\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00"
    "\x0d\x49\x44\x41\x54\x78\xda\x63\x64\x60\xf8\x5f\x0f\x00\x02\x87\x01\x80"
    "\xeb\x47\xba\x92\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";
#define PNG_LEN 70

static const char page1[] =
    "<html><head><title>ignored</title></head><body>"
    "<p>Caf&eacute;&nbsp;society &amp; more <a href=\"/local/page\">site link</a>"
    " <a href=\"#nowhere\">dead anchor</a> <a href=\"#here\">live anchor</a>"
    " <a href=\"https://example.test/x\">web</a></p>"
    "<figure><img src=\"https://img.test/a.jpg\" srcset=\"a.jpg 2x\">"
    "<figcaption>The <b>caption</b></figcaption></figure>"
    "<p id=\"here\"><img src=\"https://img.test/b.png\" alt=\"Chart of things\">"
    "<img src=\"https://img.test/kept.png\" alt=\"Kept\"></p>"
    "<iframe src=\"https://video.test/embed/1\"></iframe>"
    "<center><font color=red>old markup</font></center>"
    "<svg width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>"
    "<p>Broken <b><i>nesting</b></i> and <br> void</p>"
    "</body></html>";

static int sh(const char *cmd) { return system(cmd) == 0; }

static int have_epubcheck(void) {
  return access("/usr/share/java/epubcheck.jar", R_OK) == 0 &&
         sh("command -v java >/dev/null 2>&1");
}

/* epubcheck with no errors (warnings are printed but allowed). */
static int epubcheck(const char *path) {
  char cmd[512];
  snprintf(cmd, sizeof cmd,
           "java -jar /usr/share/java/epubcheck.jar '%s' > %s/check.log 2>&1; "
           "rc=$?; if [ $rc -ne 0 ] || grep -q '^ERROR\\|^FATAL' %s/check.log; "
           "then sed 's/^/#   /' %s/check.log | head -30; exit 1; fi",
           path, dir, dir, dir);
  return sh(cmd);
}

static int write_book(const char *path, int with_resource, char *err,
                      size_t errlen) {
  nf_bundle_opts o;
  memset(&o, 0, sizeof o);
  o.title = "Daily digest: caf\xc3\xa9 & <news>";
  o.language = "en";
  o.author = "The Desk";
  o.cover = png;
  o.cover_len = PNG_LEN;
  nf_bundle *b = nf_bundle_create(path, &o, err, errlen);
  if (!b) return -1;
  int rc = 0;
  if (with_resource)
    rc |= nf_bundle_add_resource(b, "https://img.test/kept.png", png, PNG_LEN,
                                 NULL, err, errlen);
  nf_bundle_article a;
  memset(&a, 0, sizeof a);
  a.title = "First story \xe2\x80\x94 caf\xc3\xa9";
  a.author = "Ana B\xc3\xa9la";
  a.published = "2024-05-01T10:00:00Z";
  a.section = "World";
  a.summary = "A summary with <markup> & entities.";
  a.url = "https://news.test/2024/first";
  a.source = "pages/first.html";
  a.html = page1;
  rc |= nf_bundle_add_article(b, &a, err, errlen);
  memset(&a, 0, sizeof a);
  a.title = "Second (plain text)";
  a.section = "World";
  a.text = "First paragraph with a < sign.\n\nSecond \x01 paragraph & more.";
  a.published = "2024-05-02";
  rc |= nf_bundle_add_article(b, &a, err, errlen);
  /* a node body */
  char e2[128];
  nf_parse_opts po;
  memset(&po, 0, sizeof po);
  const char *html = "<article><h2>Inside</h2><p>Node body "
                     "<img src='relative/pic.jpg' alt='rel'></p></article>";
  nf_doc *d = nf_doc_parse(html, strlen(html), &po, e2, sizeof e2);
  memset(&a, 0, sizeof a);
  a.title = "Third, from a node";
  a.section = "Sport";
  a.lang = "fr_FR";
  a.body = d ? nf_node_first_element(nf_doc_body(d)) : NULL;
  rc |= nf_bundle_add_article(b, &a, err, errlen);
  nf_doc_free(d);
  memset(&a, 0, sizeof a);   /* no title, no body at all */
  rc |= nf_bundle_add_article(b, &a, err, errlen);
  if (rc) {
    nf_bundle_abort(b);
    return -1;
  }
  return nf_bundle_close(b, err, errlen);
}

static char *read_entry(const char *path, const char *name, size_t *first_idx) {
  char err[256];
  nf_bundle_reader *r = nf_bundle_open(path, 0, 0, err, sizeof err);
  if (!r) return NULL;
  nf_bundle_entry e;
  char *out = NULL;
  while (nf_bundle_next(r, &e, err, sizeof err) == 1) {
    if (strcmp(e.name, name) != 0) continue;
    nf_buf b = NF_BUF_INIT;
    nf_buf_init(&b);
    if (nf_bundle_read(r, &b, err, sizeof err) == 0) out = nf_buf_detach(&b);
    nf_buf_free(&b);
    if (first_idx) *first_idx = e.index;
    break;
  }
  nf_bundle_reader_free(r);
  return out;
}

static void test_book(void) {
  char path[128], path2[128], plain[128], err[512], cmd[512];
  snprintf(path, sizeof path, "%s/book.epub", dir);
  snprintf(path2, sizeof path2, "%s/again.epub", dir);
  snprintf(plain, sizeof plain, "%s/plain.epub", dir);
  int rc = write_book(path, 1, err, sizeof err);
  if (!OK(rc == 0, "epub: written")) printf("#   %s\n", err);
  OK(write_book(path2, 1, err, sizeof err) == 0, "epub: written again");
  snprintf(cmd, sizeof cmd, "cmp -s %s %s", path, path2);
  OK(sh(cmd), "epub: same input gives identical bytes");
  OK(write_book(plain, 0, err, sizeof err) == 0, "epub: written without the image bytes");
  /* mimetype first, stored, at offset 38 as readers expect */
  FILE *f = fopen(path, "rb");
  char head[64] = {0};
  OK(f && fread(head, 1, 58, f) == 58 && memcmp(head + 30, "mimetype", 8) == 0 &&
         memcmp(head + 38, "application/epub+zip", 20) == 0 && head[8] == 0,
     "epub: mimetype first and stored");
  if (f) fclose(f);
  if (have_epubcheck()) {
    OK(epubcheck(path), "epub: epubcheck reports no errors");
    OK(epubcheck(plain), "epub: epubcheck, remote images only");
  } else {
    OK(1, "# SKIP epubcheck (java or epubcheck.jar missing)");
  }
  if (sh("command -v unzip >/dev/null 2>&1")) {
    snprintf(cmd, sizeof cmd, "unzip -tq %s >/dev/null", path);
    OK(sh(cmd), "epub: unzip -t accepts it");
  }
  char *ch1 = read_entry(path, "OEBPS/ch001.xhtml", NULL);
  OK(ch1 != NULL, "epub: chapter 1 reads back");
  STR_CONTAINS(ch1, "<img src=\"images/res-001.png\"", "epub: image with bytes shown");
  STR_CONTAINS(ch1, "href=\"https://img.test/b.png\" class=\"image-link\">Chart of things</a>",
               "epub: remote image becomes a link with its alt text");
  OK(ch1 && !strstr(ch1, "src=\"https://"), "epub: no remote src left");
  OK(ch1 && !strstr(ch1, "srcset"), "epub: no srcset");
  OK(ch1 && !strstr(ch1, "&nbsp;"), "epub: no HTML entities");
  OK(ch1 && !strstr(ch1, "href=\"/local"), "epub: site-relative link dropped");
  OK(ch1 && !strstr(ch1, "#nowhere"), "epub: dead anchor dropped");
  STR_CONTAINS(ch1, "href=\"#here\"", "epub: live anchor kept");
  OK(ch1 && !strstr(ch1, "<iframe"), "epub: no iframe");
  STR_CONTAINS(ch1, "Ana B\xc3\xa9la", "epub: byline");
  free(ch1);
  char *plain1 = read_entry(plain, "OEBPS/ch001.xhtml", NULL);
  STR_CONTAINS(plain1, "href=\"https://img.test/kept.png\" class=\"image-link\">Kept</a>",
               "epub: without the bytes the image is a link");
  free(plain1);
  char *opf = read_entry(path, "OEBPS/content.opf", NULL);
  STR_CONTAINS(opf, "<meta property=\"dcterms:modified\">2024-05-02T00:00:00Z</meta>",
               "epub: dcterms:modified from the newest article");
  STR_CONTAINS(opf, "<dc:identifier id=\"bookid\">urn:uuid:", "epub: identifier");
  STR_CONTAINS(opf, "properties=\"cover-image\"", "epub: cover image");
  STR_CONTAINS(opf, "<dc:creator>The Desk</dc:creator>", "epub: creator");
  free(opf);
  char *nav = read_entry(path, "OEBPS/nav.xhtml", NULL);
  STR_CONTAINS(nav, "<span>World</span>", "epub: nav groups by section");
  STR_CONTAINS(nav, "href=\"ch004.xhtml\">Untitled</a>", "epub: nav lists every article");
  free(nav);
  char *toc = read_entry(path, "OEBPS/toc.xhtml", NULL);
  STR_CONTAINS(toc, "A summary with &lt;markup&gt; &amp; entities.",
               "epub: toc page shows summaries");
  free(toc);
  size_t idx = 0;
  char *man = read_entry(path, "META-INF/manifest.json", &idx);
  STR_CONTAINS(man, "\"name\": \"OEBPS/ch001.xhtml\", \"source\": \"pages/first.html\"",
               "epub: manifest lists chapters with their source");
  free(man);
}

static void test_article_pages(void) {
  char path[128], err[256];
  const char *kinds[] = {"arts.zip", "arts.tar.gz", "arts.jsonl.gz"};
  for (int k = 0; k < 3; k++) {
    snprintf(path, sizeof path, "%s/%s", dir, kinds[k]);
    nf_bundle *b = nf_bundle_create(path, NULL, err, sizeof err);
    nf_bundle_article a;
    memset(&a, 0, sizeof a);
    a.title = "Hello World";
    a.html = "<p>Body <b>text</b></p>";
    a.published = "2024-01-02";
    int rc = nf_bundle_add_article(b, &a, err, sizeof err);
    rc |= nf_bundle_add_article(b, &a, err, sizeof err);
    rc |= nf_bundle_close(b, err, sizeof err);
    char name[80];
    snprintf(name, sizeof name, "%s: articles added", kinds[k]);
    if (!OK(rc == 0, name)) printf("#   %s\n", err);
    const char *want = k == 2 ? "Hello-World-2" : "Hello-World-2.html";
    char *page = read_entry(path, want, NULL);
    snprintf(name, sizeof name, "%s: second article de-duplicated", kinds[k]);
    OK(page != NULL, name);
    snprintf(name, sizeof name, "%s: article body", kinds[k]);
    STR_CONTAINS(page, k == 2 ? "\"text\":\"Body text" : "<b>text</b>", name);
    free(page);
  }
}

static void test_errors(void) {
  char path[128], err[256];
  snprintf(path, sizeof path, "%s/bad.epub", dir);
  nf_bundle_opts o;
  memset(&o, 0, sizeof o);
  o.cover = "not an image";
  o.cover_len = 12;
  nf_bundle *b = nf_bundle_create(path, &o, err, sizeof err);
  OK(!b && strstr(err, "cover"), "epub: a cover that is not an image is refused");
  b = nf_bundle_create(path, NULL, err, sizeof err);
  OK(nf_bundle_add_resource(b, "nav.xhtml", "x", 1, NULL, err, sizeof err) < 0 &&
         strstr(err, "used by the book"),
     "epub: resource names of the book are reserved");
  nf_bundle_abort(b);
  b = nf_bundle_create(path, NULL, err, sizeof err);
  OK(nf_bundle_add_resource(b, "../x.png", png, PNG_LEN, NULL, err, sizeof err) < 0,
     "epub: unsafe resource name refused");
  nf_bundle_abort(b);
  OK(access(path, F_OK) != 0, "epub: nothing left after abort");
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/nf-epub-XXXXXX");
  if (!mkdtemp(dir)) return 1;
  test_book();
  test_article_pages();
  test_errors();
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  sh(cmd);
  return nf_test_done();
}
