/* test_edge_inputs.c: inputs that are not articles (issue 9), in the
 * library: nf_binary_kind, nf_read_input_head, UTF-16 and UTF-32 pages
 * (byte-order marks, a wide encoding, a <meta charset=utf-16> on bytes
 * that are not), and a JSON Lines bundle whose bad or oversized line fails
 * alone. */
#include "harness.h"
#include "newsform.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

/* ===== nf_binary_kind ==================================================== */

static const char *kind_of(const char *data, size_t len, const char *enc) {
  const char *k = nf_binary_kind(data, len, enc);
  return k ? k : "text";
}

static void test_binary_kind(void) {
  STR_EQ(kind_of("\x7f" "ELF\x02\x01\x01", 7, NULL), "ELF executable", "ELF");
  STR_EQ(kind_of("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, NULL), "PNG image",
         "PNG");
  STR_EQ(kind_of("\xff\xd8\xff\xe0", 4, NULL), "JPEG image", "JPEG");
  STR_EQ(kind_of("GIF89a\x01\x00", 8, NULL), "GIF image", "GIF");
  STR_EQ(kind_of("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 15, NULL), "PDF document",
         "PDF: by its signature, no NUL byte");
  STR_EQ(kind_of("PK\x03\x04\x14\x00", 6, NULL), "ZIP archive", "ZIP");
  STR_EQ(kind_of("\x1f\x8b\x08\x00", 4, NULL), "gzip data", "gzip");
  STR_EQ(kind_of("BZh91AY&SY", 10, NULL), "bzip2 data", "bzip2");
  STR_EQ(kind_of("BZh is not bzip2 data", 21, NULL), "text",
         "a text starting with BZh");
  STR_EQ(kind_of("RIFF\x10\0\0\0WEBPVP8 ", 16, NULL), "WebP image", "WebP");
  STR_EQ(kind_of("WEBPWEBPWEBP", 12, NULL), "text", "WEBP without RIFF");
  char tar[1024];
  memset(tar, 0, sizeof tar);
  memcpy(tar, "page.html", 9);
  memcpy(tar + 257, "ustar", 5);
  STR_EQ(kind_of(tar, sizeof tar, NULL), "tar archive", "tar");
  STR_EQ(kind_of("<p>a</p>\0<p>b</p>", 17, NULL), "NUL bytes",
         "a NUL byte in the first KB");
  STR_EQ(kind_of("<html><p>caf\xc3\xa9</p>", 18, NULL), "text", "HTML");
  STR_EQ(kind_of("", 0, NULL), "text", "empty");
  STR_EQ(kind_of("\xff\xfe<\0p\0>\0", 8, NULL), "text",
         "UTF-16LE with a BOM: its NUL bytes are expected");
  STR_EQ(kind_of("\xfe\xff\0<\0p\0>", 8, NULL), "text", "UTF-16BE with a BOM");
  STR_EQ(kind_of("<\0p\0>\0", 6, "UTF-16LE"), "text",
         "UTF-16 named by the encoding");
  STR_EQ(kind_of("<\0p\0>\0", 6, "iso-8859-1"), "NUL bytes",
         "NUL bytes with an ASCII-compatible encoding");
  STR_EQ(kind_of("\xef\xbb\xbf<p>\0", 7, NULL), "NUL bytes",
         "a UTF-8 BOM does not excuse NUL bytes");
  STR_EQ(kind_of("\x89PNG\r\n\x1a\n", 8, "utf-16"), "PNG image",
         "signatures count whatever the encoding");
  size_t n = 9000;
  char *late = malloc(n);
  memset(late, 'a', n);
  late[8500] = '\0';
  STR_EQ(kind_of(late, n, NULL), "text", "a NUL byte past the first 8 KiB");
  free(late);
  char mz[128];
  memset(mz, 0, sizeof mz);
  memcpy(mz, "MZ\x90", 3);
  STR_EQ(kind_of(mz, sizeof mz, NULL), "Windows executable", "MZ");
}

/* ===== nf_read_input_head ================================================ */

static void test_read_head(void) {
  const char *text = "<p>The first bytes of a page.</p>";
  nf_test_write_file(nf_test_tmp("plain.html"), text, strlen(text));
  gzFile g = gzopen(nf_test_tmp("page.html.gz"), "wb");
  gzwrite(g, text, (unsigned)strlen(text));
  gzclose(g);
  nf_buf b;
  nf_buf_init(&b);
  char err[256];
  INT_EQ(nf_read_input_head(nf_test_tmp("plain.html"), 6, &b, err, sizeof err), 0,
         "head of a file");
  STR_EQ(b.ptr, "<p>The", "its first bytes");
  nf_buf_clear(&b);
  INT_EQ(nf_read_input_head(nf_test_tmp("page.html.gz"), 100, &b, err, sizeof err),
         0, "head of a gzipped file");
  STR_EQ(b.ptr, text, "decompressed");
  nf_buf_clear(&b);
  INT_EQ(nf_read_input_head(nf_test_tmp("missing"), 10, &b, err, sizeof err), -1,
         "missing file");
  STR_CONTAINS(err, "missing: No such file", "its message");
  nf_buf_free(&b);
}

/* ===== UTF-16 and UTF-32 ================================================= */

/* s (UTF-8, BMP only) as UTF-16 or UTF-32 of either order, after bom. */
static void encode_wide(nf_buf *out, const char *bom, size_t bom_len,
                        const char *s, int unit, int big) {
  nf_buf_put(out, bom, bom_len);
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    uint32_t cp;
    if (*p < 0x80) cp = *p++;
    else if ((*p & 0xe0) == 0xc0) cp = (uint32_t)(*p & 0x1f) << 6 | (p[1] & 0x3f), p += 2;
    else cp = (uint32_t)(*p & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f), p += 3;
    unsigned char b[4];
    for (int i = 0; i < unit; i++) {
      int shift = 8 * (big ? unit - 1 - i : i);
      b[i] = (unsigned char)(cp >> shift);
    }
    nf_buf_put(out, b, (size_t)unit);
  }
}

static nf_doc *parse_with(const nf_buf *data, nf_input_type type,
                          const char *enc, char *err, size_t errlen) {
  nf_parse_opts po = {type, enc, "test", NULL};
  return nf_doc_parse(data->ptr, data->len, &po, err, errlen);
}

static void expect_title(const nf_buf *data, const char *enc,
                         nf_input_type want_type, const char *want,
                         const char *name) {
  char err[256] = "";
  nf_doc *doc = parse_with(data, NF_INPUT_AUTO, enc, err, sizeof err);
  char *title = doc ? nf_doc_title(doc) : NULL;
  int ok = doc && title && strcmp(title, want) == 0 &&
           nf_doc_type(doc) == want_type;
  if (!OK(ok, name))
    printf("#   title \"%s\" type %d (%s)\n", title ? title : "(null)",
           doc ? (int)nf_doc_type(doc) : -1, err);
  free(title);
  nf_doc_free(doc);
}

static void test_wide(void) {
  const char *html = "<html><head><title>Caf\xc3\xa9 cr\xc3\xa8me</title>"
                     "</head><body><p>D\xc3\xa9j\xc3\xa0 vu.</p></body></html>";
  const char *want = "Caf\xc3\xa9 cr\xc3\xa8me";
  static const struct {
    const char *bom;
    size_t bom_len;
    int unit, big;
    const char *name;
  } boms[] = {{"\xff\xfe", 2, 2, 0, "UTF-16LE BOM: HTML, decoded"},
              {"\xfe\xff", 2, 2, 1, "UTF-16BE BOM: HTML, decoded"},
              {"\xff\xfe\0\0", 4, 4, 0, "UTF-32LE BOM: HTML, decoded"},
              {"\0\0\xfe\xff", 4, 4, 1, "UTF-32BE BOM: HTML, decoded"}};
  for (size_t i = 0; i < sizeof boms / sizeof *boms; i++) {
    nf_buf b;
    nf_buf_init(&b);
    encode_wide(&b, boms[i].bom, boms[i].bom_len, html, boms[i].unit,
                boms[i].big);
    expect_title(&b, NULL, NF_INPUT_HTML, want, boms[i].name);
    if (i == 0)
      expect_title(&b, "iso-8859-1", NF_INPUT_HTML, want,
                   "a BOM wins over --encoding");
    nf_buf_free(&b);
  }
  nf_buf b;
  nf_buf_init(&b);
  encode_wide(&b, "\xff\xfe", 2, "A plain title\n\nA text article, d\xc3\xa9j\xc3\xa0 vu.\n",
              2, 0);
  expect_title(&b, NULL, NF_INPUT_TEXT, "A plain title",
               "a UTF-16 text dump is read as text");
  nf_buf_clear(&b);
  encode_wide(&b, "", 0, html, 2, 0);
  expect_title(&b, "utf-16le", NF_INPUT_HTML, want,
               "--encoding utf-16le without a BOM");
  expect_title(&b, "UTF-16", NF_INPUT_HTML, want,
               "a bare utf-16 label is little-endian (WHATWG)");
  nf_buf_clear(&b);
  encode_wide(&b, "", 0, html, 2, 1);
  expect_title(&b, "utf-16be", NF_INPUT_HTML, want,
               "--encoding utf-16be without a BOM");
  char err[256] = "";
  nf_doc *doc = parse_with(&b, NF_INPUT_AUTO, "utf-16-nonsense", err,
                           sizeof err);
  OK(!doc, "an unknown wide encoding is refused");
  STR_CONTAINS(err, "unknown encoding 'utf-16-nonsense'", "with its name");
  nf_doc_free(doc);
  nf_buf_clear(&b);
  /* ASCII-compatible bytes that are not valid UTF-8, declaring UTF-16 */
  nf_buf_puts(&b, "<html><head><meta charset=\"utf-16\"><title>Caf\xc3\xa9"
                  "</title></head><body><p>A stray \xff byte.</p></body></html>");
  expect_title(&b, NULL, NF_INPUT_HTML, "Caf\xc3\xa9",
               "<meta charset=utf-16> on ASCII bytes is read as UTF-8");
  nf_buf_clear(&b);
  nf_buf_puts(&b, "<html><head><meta http-equiv=\"Content-Type\" "
                  "content=\"text/html; charset=UTF-16LE\"><title>T\xc3\xa9"
                  "</title></head><body><p>\xfe</p></body></html>");
  expect_title(&b, NULL, NF_INPUT_HTML, "T\xc3\xa9",
               "charset=UTF-16LE in http-equiv, the same");
  nf_buf_free(&b);
}

/* ===== A bad line in JSON Lines ========================================== */

static void test_jsonl_bad_line(void) {
  char big[3000];
  memset(big, 'x', sizeof big);
  memcpy(big, "{\"text\":\"", 9);
  memcpy(big + sizeof big - 3, "\"}\n", 3);
  nf_buf b;
  nf_buf_init(&b);
  nf_buf_puts(&b, "{\"title\":\"One\",\"html\":\"<p>First body.</p>\"}\n"
                  "{\"title\":\"Two\", not JSON\n"
                  "[1, 2]\n");
  nf_buf_put(&b, big, sizeof big);
  nf_buf_puts(&b, "{\"title\":\"Five\",\"text\":\"Fifth body.\"}\n");
  const char *path = nf_test_tmp("lines.jsonl");
  nf_test_write_file(path, b.ptr, b.len);
  nf_buf_free(&b);

  char err[512] = "";
  nf_bundle_articles *a =
      nf_bundle_articles_open(path, NF_BUNDLE_JSONL_GZ, 2000, err, sizeof err);
  if (!OK(a, "a bundle with bad lines opens")) {
    printf("#   %s\n", err);
    return;
  }
  INT_EQ(nf_bundle_articles_count(a), 5, "every line is an article");
  const char *want_title[] = {"One", NULL, NULL, NULL, "Five"};
  const char *want_err[] = {NULL, "lines.jsonl:line-2: not a JSON object",
                            "lines.jsonl:line-3: not a JSON object",
                            "lines.jsonl: line-4: entry of 2999 bytes exceeds "
                            "the limit of 2000 bytes",
                            NULL};
  for (int i = 0; i < 5; i++) {
    nf_doc *doc = NULL;
    const char *entry = NULL;
    err[0] = '\0';
    int rc = nf_bundle_articles_next(a, NULL, &doc, &entry, err, sizeof err);
    char name[96];
    snprintf(name, sizeof name, "line %d: %s", i + 1,
             want_title[i] ? "read" : "fails alone");
    if (want_title[i]) {
      char *t = doc ? nf_doc_title(doc) : NULL;
      OK(rc == 1 && t && strcmp(t, want_title[i]) == 0, name);
      free(t);
    } else {
      OK(rc == -1 && !doc, name);
      STR_CONTAINS(err, want_err[i], "its message names BUNDLE:line-N");
    }
    nf_doc_free(doc);
  }
  nf_doc *doc = NULL;
  const char *entry = NULL;
  INT_EQ(nf_bundle_articles_next(a, NULL, &doc, &entry, err, sizeof err), 0,
         "then the end");
  nf_bundle_articles_free(a);
}

int main(void) {
  nf_test_tmp_open();
  test_binary_kind();
  test_read_head();
  test_wide();
  test_jsonl_bad_line();
  nf_test_tmp_close();
  return nf_test_done();
}
