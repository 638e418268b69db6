/* fuzz_bundle.c: every bundle reader on arbitrary bytes. The bytes are
 * opened from memory (nf_bundle_open_mem) as tar.gz, tar, zip, EPUB,
 * jsonl.gz, WARC/WET and gzipped WARC in turn (and sniffed), every entry
 * is listed and read within a small size limit, then the bundle is read
 * as articles (from a memfd: articles open a path), each parsed.
 * Invariants: no entry read comes back larger than the limit; entry names
 * are NUL-terminated C strings that nf_bundle_safe_name turns into safe
 * names; failures carry a message; iteration ends. The bytes are also read
 * as FILE@0 (a WARC record at its offset: the whole-member path) and as a
 * gzip member found and decompressed whole, which must give what zlib
 * gives for it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <zlib.h>

#include "bundle_io.h"
#include "fuzz.h"

#define LIMIT ((size_t)64 << 10)
#define MAX_ENTRIES 512
#define MAX_ARTICLES 32

static void check_name(const char *name) {
  if (!name) nf_fuzz_fail("bundle entry without a name", NULL, 0);
  char *safe = nf_bundle_safe_name(NULL, name, NULL);
  const char *why = nf_bundle_name_check(safe);
  if (why) nf_fuzz_fail("nf_bundle_safe_name made an unsafe name", safe, strlen(safe));
  free(safe);
}

static void read_entries(const uint8_t *data, size_t size, nf_bundle_format format) {
  char err[512] = "";
  nf_bundle_reader *r =
      nf_bundle_open_mem(data, size, format, "fuzz", LIMIT, err, sizeof err);
  if (!r) {
    if (!err[0]) nf_fuzz_fail("bundle open failed without a message", NULL, 0);
    return;
  }
  nf_bundle_entry e;
  nf_buf out = NF_BUF_INIT;
  int rc;
  size_t n = 0;
  while (n < MAX_ENTRIES && (rc = nf_bundle_next(r, &e, err, sizeof err)) > 0) {
    if (e.index != n++) nf_fuzz_fail("bundle entry indexes skip", NULL, 0);
    check_name(e.name);
    if (e.type != NF_ENTRY_FILE || n % 3 == 2) continue; /* some are skipped */
    nf_buf_clear(&out);
    err[0] = '\0';
    if (nf_bundle_read(r, &out, err, sizeof err) == 0) {
      if (out.len > LIMIT)
        nf_fuzz_fail("bundle entry larger than the limit", e.name, strlen(e.name));
    } else if (!err[0]) {
      nf_fuzz_fail("bundle read failed without a message", e.name, strlen(e.name));
    }
  }
  nf_buf_free(&out);
  nf_bundle_reader_free(r);
}

static void read_articles(const char *path, nf_bundle_format format) {
  char err[512] = "";
  nf_bundle_articles *a = nf_bundle_articles_open(path, format, LIMIT, err, sizeof err);
  if (!a) return;
  nf_parse_opts po = {0};
  nf_doc *doc;
  const char *entry;
  for (int i = 0; i < MAX_ARTICLES; i++) {
    int rc = nf_bundle_articles_next(a, &po, &doc, &entry, err, sizeof err);
    if (rc == 0) break;
    if (entry) check_name(entry);
    if (rc > 0) {
      nf_fuzz_check_tree(doc, nf_doc_node(doc));
      nf_doc_free(doc);
    } else if (!err[0]) {
      nf_fuzz_fail("bundle article failed without a message", NULL, 0);
    }
  }
  nf_bundle_articles_free(a);
}

/* nfb_gz_member_at (libdeflate) against zlib on the member at 0. */
static void check_member_at(const uint8_t *data, size_t size) {
  nfb_src s;
  nfb_src_mem(&s, data, size);
  nf_buf fast = NF_BUF_INIT;
  nf_buf_init(&fast);
  if (nfb_gz_member_at(&s, 0, LIMIT, &fast) == 0) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 31) != Z_OK) nf_fuzz_fail("inflateInit2", NULL, 0);
    unsigned char *slow = malloc(fast.len + 1);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)size;
    z.next_out = slow;
    z.avail_out = (uInt)fast.len + 1;
    int rc = inflate(&z, Z_FINISH);
    if (rc != Z_STREAM_END || z.total_out != fast.len ||
        memcmp(slow, fast.ptr, fast.len) != 0)
      nf_fuzz_fail("a member decompressed whole differs from zlib's", fast.ptr,
                   fast.len);
    inflateEnd(&z);
    free(slow);
  }
  nf_buf_free(&fast);
}

/* FILE@0: the record there, read as workers read records. */
static void read_at_offset(const char *path) {
  char at[80], err[512] = "";
  snprintf(at, sizeof at, "%s@0", path);
  nf_bundle_reader *r = nf_bundle_open(at, NF_BUNDLE_UNKNOWN, LIMIT, err,
                                       sizeof err);
  if (!r) {
    if (!err[0]) nf_fuzz_fail("FILE@0 failed without a message", NULL, 0);
    return;
  }
  nf_bundle_entry e;
  nf_buf out = NF_BUF_INIT;
  nf_buf_init(&out);
  if (nf_bundle_next(r, &e, err, sizeof err) > 0) {
    err[0] = '\0';
    if (nf_bundle_read(r, &out, err, sizeof err) == 0) {
      if (out.len > LIMIT + (64 << 10) + 8)
        nf_fuzz_fail("FILE@0: a record larger than the limit", NULL, 0);
    } else if (!err[0]) {
      nf_fuzz_fail("FILE@0: read failed without a message", NULL, 0);
    }
  }
  nf_buf_free(&out);
  nf_bundle_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > (1u << 20)) return 0;
  static const nf_bundle_format formats[] = {
      NF_BUNDLE_UNKNOWN, NF_BUNDLE_TAR_GZ,   NF_BUNDLE_TAR,
      NF_BUNDLE_ZIP,     NF_BUNDLE_EPUB,     NF_BUNDLE_JSONL_GZ,
      NF_BUNDLE_WARC,    NF_BUNDLE_WARC_GZ};
  for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
    read_entries(data, size, formats[i]);
  int fd = memfd_create("fuzz-bundle", MFD_CLOEXEC);
  if (fd < 0) nf_fuzz_fail("memfd_create failed", NULL, 0);
  for (size_t at = 0; at < size;) {
    ssize_t w = write(fd, data + at, size - at);
    if (w <= 0) nf_fuzz_fail("memfd write failed", NULL, 0);
    at += (size_t)w;
  }
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  /* Articles: as sniffed, and as the formats with their own rules. */
  read_articles(path, NF_BUNDLE_UNKNOWN);
  read_articles(path, NF_BUNDLE_EPUB);
  read_articles(path, NF_BUNDLE_JSONL_GZ);
  read_articles(path, NF_BUNDLE_WARC);
  read_at_offset(path);
  check_member_at(data, size);
  close(fd);
  return 0;
}
