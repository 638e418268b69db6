/* test_warc.c: the WARC record and HTTP parser (core/warc.c), SHA-1 and
 * its base32 digests (core/sha1.c), the reader on memory, standard input
 * and FILE@OFFSET, the skip counters, the HTTP charset in the encoding
 * policy, and damaged archives (never a crash: cut and mutated at every
 * few bytes, under ASan in make check-asan). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "harness.h"
#include "newsform.h"
#include "sha1.h"
#include "warc.h"

static void sha1_hex(const void *p, size_t n, char out[41]) {
  nf_sha1 s;
  unsigned char d[20];
  nf_sha1_init(&s);
  nf_sha1_update(&s, p, n);
  nf_sha1_final(&s, d);
  for (int i = 0; i < 20; i++) sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_sha1(void) {
  char hex[41], b32[38];
  sha1_hex("abc", 3, hex);
  STR_EQ(hex, "a9993e364706816aba3e25717850c26c9cd0d89d", "sha1(abc)");
  sha1_hex("", 0, hex);
  STR_EQ(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709", "sha1(empty)");
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  sha1_hex(two, strlen(two), hex);
  STR_EQ(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1", "sha1 two blocks");
  /* fed in odd pieces: the same digest */
  char *mil = malloc(1000000);
  memset(mil, 'a', 1000000);
  nf_sha1 s;
  unsigned char d[20];
  nf_sha1_init(&s);
  for (size_t i = 0; i < 1000000; i += 7)
    nf_sha1_update(&s, mil + i, i + 7 <= 1000000 ? 7 : 1000000 - i);
  nf_sha1_final(&s, d);
  for (int i = 0; i < 20; i++) sprintf(hex + 2 * i, "%02x", d[i]);
  STR_EQ(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f", "sha1 million a");
  free(mil);
  nf_sha1_base32("", 0, b32);
  STR_EQ(b32, "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ", "base32 digest");
}

static void test_fields(void) {
  const char *h = "WARC-Type: response\r\ncontent-length:  12 \r\n"
                  "X: a\r\nWARC-Target-URI: http://x/\r\n\r\n";
  nfw_fields f = {h, strlen(h)};
  size_t n;
  const char *v = nfw_field(f, "Content-Length", &n);
  OK(v && n == 2 && memcmp(v, "12", 2) == 0, "field: case-insensitive, trimmed");
  OK(!nfw_field(f, "WARC-Date", &n), "field: absent");
  char buf[8];
  nfw_field_copy(f, "WARC-Target-URI", buf, sizeof buf);
  STR_EQ(buf, "http://", "field copy: truncated to the buffer");
  INT_EQ(nfw_header_end(h, strlen(h)), strlen(h), "header end after CRLF CRLF");
  INT_EQ(nfw_header_end("a: b\n\nbody", 10), 6, "header end after LF LF");
  INT_EQ(nfw_header_end("a: b\r\n", 6), 0, "no header end");
  char type[32], cs[32];
  const char *ct = "Text/HTML ; foo=bar; Charset=\"Windows-1251\"";
  nfw_content_type(ct, strlen(ct), type, sizeof type, cs, sizeof cs);
  STR_EQ(type, "text/html", "content type: lower case, no parameters");
  STR_EQ(cs, "windows-1251", "content type: charset, quotes dropped");
  OK(nfw_is_html_type("application/xhtml+xml") && !nfw_is_html_type("text/plain"),
     "html types");
}

static void test_http(void) {
  const char *r = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n";
  nfw_http h;
  OK(nfw_http_split(r, strlen(r), &h) == 0 && h.status == 200, "status line");
  nf_buf out = NF_BUF_INIT;
  nf_buf_init(&out);
  char err[200];
  OK(nfw_http_payload(&h, 1000, &out, err, sizeof err) == 0, "chunked decoded");
  STR_EQ(out.ptr, "hello, world", "chunked body");
  nf_buf_clear(&out);
  OK(nfw_http_payload(&h, 5, &out, err, sizeof err) < 0, "chunked over the limit");
  OK(nfw_http_split("HTTP/1.1 20", 11, &h) < 0, "a cut status line");
  OK(nfw_http_split("GET / HTTP/1.1\r\n\r\n", 18, &h) < 0, "a request is not a response");
  /* gzip and raw deflate content codings */
  const char *page = "<p>compressed page</p>";
  unsigned char z[256];
  for (int raw = 0; raw < 2; raw++) {
    z_stream s;
    memset(&s, 0, sizeof s);
    deflateInit2(&s, 6, Z_DEFLATED, raw ? -15 : 31, 8, Z_DEFAULT_STRATEGY);
    s.next_in = (Bytef *)page;
    s.avail_in = (uInt)strlen(page);
    s.next_out = z;
    s.avail_out = sizeof z;
    deflate(&s, Z_FINISH);
    size_t zn = sizeof z - s.avail_out;
    deflateEnd(&s);
    nf_buf msg = NF_BUF_INIT;
    nf_buf_init(&msg);
    nf_buf_printf(&msg, "HTTP/1.0 200 OK\nContent-Encoding: %s\n\n",
                  raw ? "deflate" : "gzip");
    nf_buf_put(&msg, z, zn);
    OK(nfw_http_split(msg.ptr, msg.len, &h) == 0, "LF-only header");
    nf_buf_clear(&out);
    OK(nfw_http_payload(&h, 1000, &out, err, sizeof err) == 0 &&
           strcmp(out.ptr, page) == 0,
       raw ? "raw deflate decoded" : "gzip decoded");
    nf_buf_clear(&out);
    OK(nfw_http_payload(&h, 5, &out, err, sizeof err) < 0 &&
           strstr(err, "limit"),
       "a decoded body over the limit fails");
    nf_buf_free(&msg);
  }
  nf_buf_free(&out);
}

/* A WARC record's bytes. */
static void put_record(nf_buf *b, const char *type, const char *uri,
                       const char *block, const char *extra) {
  nf_buf_printf(b, "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Record-ID: "
                "<urn:uuid:%s-%zu>\r\nWARC-Date: 2020-02-02T02:02:02Z\r\n",
                type, type, b->len);
  if (uri) nf_buf_printf(b, "WARC-Target-URI: <%s>\r\n", uri);
  nf_buf_printf(b, "%sContent-Length: %zu\r\n\r\n%s\r\n\r\n", extra ? extra : "",
                strlen(block), block);
}

#define PAGE(w)                                                              \
  "<html><head><title>" w "</title></head><body><article><p>" w " " w " " w \
  " words of a page that is long enough to be the article.</p></article>"    \
  "</body></html>"

/* The records of a small crawl, each also as its own gzip member; with_big:
 * a last page of 200 KB. */
static void make_warc(nf_buf *plain, nf_buf *gz, size_t *starts,
                      int with_big) {
  const char *recs[][4] = {
      {"warcinfo", NULL, "software: test\r\n", NULL},
      {"request", "http://a.test/", "GET / HTTP/1.1\r\n\r\n", NULL},
      {"response", "http://a.test/",
       "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" PAGE("Alpha"),
       NULL},
      {"response", "http://a.test/r", "HTTP/1.1 302 Found\r\nLocation: /\r\n\r\n",
       NULL},
      {"response", "http://a.test/i", "HTTP/1.1 200 OK\r\nContent-Type: "
       "image/gif\r\n\r\nGIF89a", NULL},
      {"metadata", "http://a.test/", "via: x\r\n", NULL},
      {"revisit", "http://a.test/", "HTTP/1.1 200 OK\r\n\r\n", NULL},
      {"resource", "http://a.test/b", PAGE("Bravo"), "Content-Type: text/html\r\n"},
      {"response", "http://a.test/5", "HTTP/1.1 503 Busy\r\n\r\n", NULL},
      {"response", "http://a.test/big", NULL, NULL},
  };
  size_t n_recs = sizeof recs / sizeof *recs - (with_big ? 0 : 1);
  for (size_t i = 0; i < n_recs; i++) {
    nf_buf one = NF_BUF_INIT;
    nf_buf_init(&one);
    char *big = NULL;
    if (!recs[i][2]) { /* a page over the reader's first look (64 KiB) */
      size_t n = 200000;
      big = malloc(n + 200);
      int k = sprintf(big, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
                           "<title>Big</title><p>");
      memset(big + k, 'w', n);
      strcpy(big + k + n, "</p>");
    }
    put_record(&one, recs[i][0], recs[i][1], big ? big : recs[i][2],
               recs[i][3]);
    free(big);
    starts[i] = gz->len;
    nf_buf_put(plain, one.ptr, one.len);
    nf_test_gzip_append(gz, one.ptr, one.len);
    nf_buf_free(&one);
  }
}

/* Errors that do not start with the input's name ("cut", "flip"...). */
static int unnamed_errors;

/* A small crawl, plain and gzipped, and the names read from it. */
typedef struct crawl {
  nf_buf plain, gz, names;
  size_t starts[16];
} crawl;

static void crawl_make(crawl *c, int with_big) {
  nf_buf_init(&c->plain);
  nf_buf_init(&c->gz);
  nf_buf_init(&c->names);
  make_warc(&c->plain, &c->gz, c->starts, with_big);
}

static void crawl_free(crawl *c) {
  nf_buf_free(&c->plain);
  nf_buf_free(&c->gz);
  nf_buf_free(&c->names);
}

/* Reads every entry of r: their names ("@N ...") into names. */
static int read_all(nf_bundle_reader *r, nf_buf *names, int *failed) {
  nf_bundle_entry e;
  char err[512];
  const char *const names_ok[] = {"mem", "cut", "flip", "mid", "/", NULL};
  int rc, n = 0;
  *failed = 0;
  while ((rc = nf_bundle_next(r, &e, err, sizeof err)) == 1) {
    nf_buf data = NF_BUF_INIT;
    nf_buf_init(&data);
    if (nf_bundle_read(r, &data, err, sizeof err) < 0) {
      (*failed)++;
      int named = 0;
      for (int i = 0; names_ok[i]; i++)
        named |= strncmp(err, names_ok[i], strlen(names_ok[i])) == 0;
      unnamed_errors += !named;
    }
    nf_buf_printf(names, "%s ", e.name);
    nf_buf_free(&data);
    n++;
  }
  return rc < 0 ? -1 : n;
}

static void test_reader(void) {
  crawl c;
  crawl_make(&c, 1);
  char err[512], want[128];
  int failed;
  for (int k = 0; k < 2; k++) {
    nf_buf *src = k ? &c.gz : &c.plain;
    nf_bundle_reader *r = nf_bundle_open_mem(src->ptr, src->len, 0, "mem",
                                             0, err, sizeof err);
    OK(r != NULL, k ? "gzip WARC in memory: opened" : "plain WARC in memory: opened");
    if (!r) continue;
    INT_EQ(nf_bundle_reader_format(r), k ? NF_BUNDLE_WARC_GZ : NF_BUNDLE_WARC,
           "sniffed format");
    nf_buf_clear(&c.names);
    INT_EQ(read_all(r, &c.names, &failed), 3,
           "three articles: the 200 pages, the resource");
    INT_EQ(failed, 0, "both read");
    if (k) {
      snprintf(want, sizeof want, "@%zu @%zu @%zu ", c.starts[2], c.starts[7],
               c.starts[9]);
      STR_EQ(c.names.ptr, want, "gzip: named by member offsets");
    }
    const char *const *reasons;
    const unsigned long long *counts;
    size_t n = nf_bundle_reader_skips(r, &reasons, &counts);
    nf_buf s = NF_BUF_INIT;
    nf_buf_init(&s);
    for (size_t i = 0; i < n; i++)
      if (counts[i]) nf_buf_printf(&s, "%s=%llu,", reasons[i], counts[i]);
    STR_EQ(s.ptr, "warcinfo=1,request=1,metadata=1,revisit=1,redirect=1,"
           "status 5xx=1,not HTML=1,", "skips by reason");
    nf_buf_free(&s);
    nf_bundle_reader_free(r);
  }
  /* the same from a file, at an offset, and from standard input */
  char path[512], at[600];
  snprintf(path, sizeof path, "%s", nf_test_tmp("t.warc.gz"));
  nf_test_write_file(path, c.gz.ptr, c.gz.len);
  snprintf(at, sizeof at, "%s@%zu", path, c.starts[7]);
  nf_bundle_reader *r = nf_bundle_open(at, 0, 0, err, sizeof err);
  nf_buf_clear(&c.names);
  OK(r && read_all(r, &c.names, &failed) == 1 && !failed, "FILE@OFFSET: one record");
  snprintf(want, sizeof want, "@%zu ", c.starts[7]);
  STR_EQ(c.names.ptr, want, "FILE@OFFSET: its name");
  nf_bundle_reader_free(r);
  snprintf(at, sizeof at, "%s@%zu", path, c.starts[7] + 1);
  r = nf_bundle_open(at, 0, 0, err, sizeof err);
  OK(!r && strstr(err, "no WARC record starts at this offset") &&
         strstr(err, at),
     "FILE@OFFSET off a record: an error naming it");
  nf_bundle_reader_free(r);
  nf_bundle_articles *a = nf_bundle_articles_open(path, 0, 0, err, sizeof err);
  INT_EQ(a ? nf_bundle_articles_count(a) : 0, 3, "articles of the WARC");
  const char *const *reasons;
  const unsigned long long *counts;
  OK(a && nf_bundle_articles_skips(a, &reasons, &counts) > 0 && counts[1] == 1,
     "articles: the listing's skips");
  nf_doc *doc;
  const char *entry;
  int rc = a ? nf_bundle_articles_next(a, NULL, &doc, &entry, err, sizeof err) : -1;
  OK(rc == 1 && doc && strcmp(nf_doc_url(doc), "http://a.test/") == 0,
     "doc.url from WARC-Target-URI (WARC 1.0 brackets dropped)");
  char *title = doc ? nf_doc_title(doc) : NULL;
  STR_EQ(title, "Alpha", "the page parsed");
  free(title);
  nf_doc_free(doc);
  nf_bundle_articles_free(a);
  /* standard input, a pipe-like read front to back */
  int saved = dup(0);
  OK(freopen(path, "rb", stdin) != NULL, "stdin from the file");
  r = nf_bundle_open("-", 0, 0, err, sizeof err);
  nf_buf_clear(&c.names);
  OK(r && read_all(r, &c.names, &failed) == 3, "standard input read as a WARC");
  nf_bundle_reader_free(r);
  dup2(saved, 0);
  close(saved);
  crawl_free(&c);
}

/* Damaged archives: every cut and many flipped bytes; errors, never a
 * crash, and the records before the damage still read. */
static void test_damage(void) {
  crawl c;
  crawl_make(&c, 0);
  char err[512];
  int first_kept = 1;
  unnamed_errors = 0;
  for (int k = 0; k < 2; k++) {
    nf_buf *src = k ? &c.gz : &c.plain;
    for (size_t cut = 0; cut < src->len; cut += 7) {
      nf_bundle_reader *r = nf_bundle_open_mem(src->ptr, cut, 0, "cut", 0, err,
                                               sizeof err);
      int failed;
      nf_buf_clear(&c.names);
      if (r) read_all(r, &c.names, &failed);
      size_t first_end = k ? c.starts[3] : 0;
      if (k && cut >= first_end && !strstr(c.names.ptr ? c.names.ptr : "", "@"))
        first_kept = 0;
      nf_bundle_reader_free(r);
    }
    unsigned char *m = malloc(src->len);
    for (size_t at = 0; at < src->len; at += 5) {
      memcpy(m, src->ptr, src->len);
      m[at] ^= 0x5a;
      nf_bundle_reader *r = nf_bundle_open_mem(m, src->len, 0, "flip", 0, err,
                                               sizeof err);
      int failed;
      nf_buf_clear(&c.names);
      if (r) read_all(r, &c.names, &failed);
      nf_bundle_reader_free(r);
    }
    free(m);
  }
  INT_EQ(unnamed_errors, 0, "cut and flipped archives: every error names the input");
  OK(first_kept, "a cut archive still gives the records before the cut");
  /* a corrupt member in the middle: the others read, it fails alone */
  nf_buf mid = NF_BUF_INIT;
  nf_buf_init(&mid);
  nf_buf_put(&mid, c.gz.ptr, c.gz.len);
  for (size_t i = c.starts[2] + 20; i < c.starts[2] + 40; i++) mid.ptr[i] ^= 0x33;
  nf_bundle_reader *r = nf_bundle_open_mem(mid.ptr, mid.len, 0, "mid", 0, err,
                                           sizeof err);
  int failed;
  nf_buf_clear(&c.names);
  int n = r ? read_all(r, &c.names, &failed) : -1;
  INT_EQ(n, 2, "corrupt member: it and the resource are entries");
  INT_EQ(failed, 1, "corrupt member: it alone fails");
  char want[64];
  snprintf(want, sizeof want, "@%zu @%zu ", c.starts[2], c.starts[7]);
  STR_EQ(c.names.ptr, want, "corrupt member: resynchronised at the next member");
  nf_bundle_reader_free(r);
  nf_buf_free(&mid);
  crawl_free(&c);
}

/* The title of bytes parsed with an HTTP charset (NULL: none). */
static void title_is(const char *html, size_t len, const char *charset,
                     const char *want, const char *name) {
  nf_parse_opts po = {NF_INPUT_HTML, NULL, "t", NULL};
  char err[256];
  nf_doc *d = nf_doc_parse_charset(html, len, &po, charset, err, sizeof err);
  char *t = d ? nf_doc_title(d) : NULL;
  STR_EQ(t, want, name);
  free(t);
  nf_doc_free(d);
}

/* The HTTP header's charset comes after the BOM and before <meta>. */
static void test_charset(void) {
  /* "Привет" in windows-1251, a <meta> that says iso-8859-1 */
  const char page[] = "<html><head><meta charset=\"iso-8859-1\"><title>"
                      "\xcf\xf0\xe8\xe2\xe5\xf2</title></head><body>x</body></html>";
  title_is(page, sizeof page - 1, "windows-1251", "Привет",
           "HTTP charset wins over <meta>");
  title_is(page, sizeof page - 1, NULL, "Ïðèâåò", "without it, <meta> decides");
  title_is(page, sizeof page - 1, "no-such-charset", "Ïðèâåò",
           "an unknown HTTP charset is left to <meta>");
  const char bom[] = "\xef\xbb\xbf<title>\xc3\xa9t\xc3\xa9</title>";
  title_is(bom, sizeof bom - 1, "windows-1251", "été",
           "a BOM wins over the HTTP charset");
}

/* Our writer's records read back, with their digests and references. */
static void test_writer(void) {
  char path[512], err[512];
  snprintf(path, sizeof path, "%s", nf_test_tmp("out.warc.gz"));
  nf_bundle *b = nf_bundle_create(path, NULL, err, sizeof err);
  OK(b != NULL, "warc.gz writer");
  nf_bundle_meta m;
  memset(&m, 0, sizeof m);
  m.url = "http://a.test/x";
  m.refers_to = "urn:uuid:src";
  OK(b && nf_bundle_add(b, "a.txt", "some text\n", 10, &m, err, sizeof err) == 0,
     "a text result");
  OK(b && nf_bundle_add(b, "b.html", "<p>hi</p>", 9, NULL, err, sizeof err) == 0,
     "an HTML result");
  OK(b && nf_bundle_close(b, err, sizeof err) == 0, "closed");
  nf_bundle_reader *r = nf_bundle_open(path, 0, 0, err, sizeof err);
  nf_bundle_entry e;
  nf_buf data = NF_BUF_INIT;
  nf_buf_init(&data);
  int n = 0;
  while (r && nf_bundle_next(r, &e, err, sizeof err) == 1) {
    nf_buf_clear(&data);
    if (nf_bundle_read(r, &data, err, sizeof err) < 0) break;
    nf_warc_info w;
    OK(nf_warc_info_read(data.ptr, data.len, &w) == 0, "a record");
    if (n == 0) {
      STR_EQ(w.type, "conversion", "text: a conversion record");
      STR_EQ(w.target_uri, "http://a.test/x", "WARC-Target-URI");
      STR_EQ(w.refers_to, "urn:uuid:src", "WARC-Refers-To");
      char digest[38];
      nf_sha1_base32("some text\n", 10, digest);
      STR_EQ(w.payload_digest, digest, "WARC-Payload-Digest: sha1 base32");
    } else {
      STR_EQ(w.type, "resource", "HTML: a resource record");
    }
    nf_warc_info_clear(&w);
    n++;
  }
  INT_EQ(n, 2, "both read back (the warcinfo skipped)");
  const char *const *reasons;
  const unsigned long long *counts;
  OK(r && nf_bundle_reader_skips(r, &reasons, &counts) && counts[0] == 1,
     "a warcinfo record first");
  nf_bundle_reader_free(r);
  nf_buf_free(&data);
}

/* Every readable format from memory, as from its file. */
static void test_formats_in_memory(void) {
  const char *names[] = {"m.tar.gz", "m.tar", "m.zip", "m.epub", "m.jsonl.gz",
                         "m.warc", "m.warc.gz"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    char path[512], err[512];
    snprintf(path, sizeof path, "%s", nf_test_tmp(names[i]));
    nf_bundle *b = nf_bundle_create(path, NULL, err, sizeof err);
    if (b) nf_bundle_add(b, "a.html", "<p>one</p>", 10, NULL, err, sizeof err);
    if (b) nf_bundle_add(b, "b.txt", "two", 3, NULL, err, sizeof err);
    OK(b && nf_bundle_close(b, err, sizeof err) == 0, names[i]);
    nf_buf bytes = NF_BUF_INIT;
    nf_buf_init(&bytes);
    FILE *f = fopen(path, "rb"); /* the raw bytes (nf_read_input gunzips) */
    char chunk[4096];
    size_t k;
    while (f && (k = fread(chunk, 1, sizeof chunk, f)) > 0)
      nf_buf_put(&bytes, chunk, k);
    if (f) fclose(f);
    nf_bundle_reader *r = nf_bundle_open_mem(bytes.ptr, bytes.len, 0, names[i],
                                             0, err, sizeof err);
    nf_buf seen = NF_BUF_INIT;
    nf_buf_init(&seen);
    int failed, n = r ? read_all(r, &seen, &failed) : -1;
    char what[700];
    snprintf(what, sizeof what, "%s from memory: its entries (%s)", names[i],
             r ? nf_bundle_format_name(nf_bundle_reader_format(r)) : err);
    OK(n >= 2 && !failed, what);
    nf_bundle_reader_free(r);
    nf_buf_free(&seen);
    nf_buf_free(&bytes);
  }
}

int main(void) {
  nf_test_tmp_open();
  test_sha1();
  test_fields();
  test_http();
  test_reader();
  test_damage();
  test_charset();
  test_writer();
  test_formats_in_memory();
  nf_test_tmp_close();
  return nf_test_done();
}
