/* harness.h: a tiny TAP-style test harness for the C tests.
 * Each check prints "ok N - name" or "not ok N - name"; tests/run.sh
 * counts them. main() ends with `return nf_test_done();`. Below the checks,
 * the helpers several tests need (parse, load a fixture, render, time). */
#ifndef NF_TEST_HARNESS_H
#define NF_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "newsform.h"

static int nf_test_count, nf_test_failed;

static inline int nf_test_report(int ok, const char *name, const char *file,
                                 int line) {
  nf_test_count++;
  if (!ok) nf_test_failed++;
  printf("%sok %d - %s\n", ok ? "" : "not ", nf_test_count, name);
  if (!ok) printf("#   at %s:%d\n", file, line);
  fflush(stdout);
  return ok;
}

#define OK(cond, name) nf_test_report(!!(cond), (name), __FILE__, __LINE__)
#define INT_EQ(got, want, name)                                            \
  do {                                                                     \
    long long g_ = (long long)(got), w_ = (long long)(want);               \
    if (!nf_test_report(g_ == w_, (name), __FILE__, __LINE__))             \
      printf("#   got %lld, want %lld\n", g_, w_);                         \
  } while (0)
#define STR_EQ(got, want, name)                                            \
  do {                                                                     \
    const char *g_ = (got), *w_ = (want);                                  \
    int ok_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;                 \
    if (!nf_test_report(ok_, (name), __FILE__, __LINE__))                  \
      printf("#   got  \"%s\"\n#   want \"%s\"\n", g_ ? g_ : "(null)",     \
             w_ ? w_ : "(null)");                                          \
  } while (0)
#define STR_CONTAINS(got, needle, name)                                    \
  do {                                                                     \
    const char *g_ = (got), *n_ = (needle);                                \
    if (!nf_test_report(g_ && strstr(g_, n_) != NULL, (name), __FILE__,    \
                        __LINE__))                                         \
      printf("#   \"%s\"\n#   does not contain \"%s\"\n",                   \
             g_ ? g_ : "(null)", n_);                                      \
  } while (0)

/* ---- helpers ------------------------------------------------------------ */

/* html parsed as HTML (source "test"), or NULL with the reason printed. */
static inline nf_doc *nf_test_parse(const char *html) {
  char err[256];
  nf_parse_opts po = {NF_INPUT_HTML, NULL, "test", NULL};
  nf_doc *doc = nf_doc_parse(html, strlen(html), &po, err, sizeof err);
  if (!doc) printf("# parse: %s\n", err);
  return doc;
}

/* The file at path (a fixture) parsed as type with path as its source and
 * url as its address (may be NULL), or NULL with the reason printed. */
static inline nf_doc *nf_test_load(const char *path, nf_input_type type,
                                   const char *url) {
  char err[256];
  nf_buf raw = NF_BUF_INIT;
  nf_buf_init(&raw);
  if (nf_read_input(path, 0, &raw, err, sizeof err) < 0) {
    printf("# %s: %s\n", path, err);
    nf_buf_free(&raw);
    return NULL;
  }
  nf_parse_opts o = {type, NULL, path, url};
  nf_doc *doc = nf_doc_parse(raw.ptr, raw.len, &o, err, sizeof err);
  if (!doc) printf("# %s: %s\n", path, err);
  nf_buf_free(&raw);
  return doc;
}

/* The node's HTML (nf_node_html), malloc'd; "" for NULL. */
static inline char *nf_test_html(const nf_node *n) {
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  if (n) nf_node_html(n, &b);
  return nf_buf_detach(&b);
}

/* What a renderer (nf_render_text, _markdown, _html) makes of html's body,
 * or of its root element with o->document; malloc'd, NULL when html does
 * not parse. */
typedef void (*nf_test_renderer)(const nf_node *, const nf_render_opts *,
                                 nf_buf *);
static inline char *nf_test_render(nf_test_renderer render, const char *html,
                                   const nf_render_opts *o) {
  nf_doc *doc = nf_test_parse(html);
  if (!doc) return NULL;
  nf_buf out = NF_BUF_INIT;
  nf_buf_init(&out);
  render(o && o->document ? nf_doc_root(doc) : nf_doc_body(doc), o, &out);
  nf_doc_free(doc);
  return nf_buf_detach(&out);
}

/* Seconds on the monotonic clock. */
static inline double nf_test_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A temporary directory for a test's files: nf_test_tmp_open makes it
 * (the test exits 2 when it cannot), nf_test_tmp(NAME) is a path inside
 * it (four rotating buffers, so a call may take two or three), and
 * nf_test_tmp_close removes it with everything in it. */
static inline char *nf_test_tmpdir(void) {
  static char dir[64] = "/tmp/nf_test_XXXXXX";
  return dir;
}
static inline void nf_test_tmp_open(void) {
  if (!mkdtemp(nf_test_tmpdir())) {
    perror("mkdtemp");
    exit(2);
  }
}
static inline char *nf_test_tmp(const char *name) {
  static char path[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(path[k], sizeof path[k], "%s/%s", nf_test_tmpdir(), name);
  return path[k];
}
static inline void nf_test_tmp_close(void) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", nf_test_tmpdir());
  if (system(cmd) != 0) printf("# could not remove %s\n", nf_test_tmpdir());
}

/* Writes len bytes to path (the test exits 2 when it cannot). */
static inline void nf_test_write_file(const char *path, const void *data,
                                      size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    exit(2);
  }
  fwrite(data, 1, len, f);
  fclose(f);
}

static inline int nf_test_done(void) {
  printf("# %d checks, %d failed\n", nf_test_count, nf_test_failed);
  return nf_test_failed ? 1 : 0;
}

/* data as one gzip member at zlib level (0: stored blocks, the data as it
 * is), appended to out. */
static inline void nf_test_gzip_level_append(nf_buf *out, const void *data,
                                             size_t len, int level) {
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  size_t bound = deflateBound(&zs, (uLong)len) + 32;
  unsigned char *tmp = malloc(bound);
  zs.next_in = (Bytef *)data;
  zs.avail_in = (uInt)len;
  zs.next_out = tmp;
  zs.avail_out = (uInt)bound;
  deflate(&zs, Z_FINISH);
  nf_buf_put(out, tmp, bound - zs.avail_out);
  deflateEnd(&zs);
  free(tmp);
}

/* The same at level 6, gzip's default. */
static inline void nf_test_gzip_append(nf_buf *out, const void *data,
                                       size_t len) {
  nf_test_gzip_level_append(out, data, len, 6);
}

#endif
