/* test_edge_outputs.c: output names of issue 9 in the library: the
 * uncompressed .tar bundle format (written, read back by name and by its
 * first bytes) and nf_gzip_file (one gzip stream, atomic, reproducible). */
#include "harness.h"
#include "newsform.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

/* The bundle's entry names and bytes, "name=data;" each. */
static void read_back(const char *path, nf_buf *out) {
  char err[512];
  nf_bundle_reader *r = nf_bundle_open(path, NF_BUNDLE_UNKNOWN, 0, err,
                                       sizeof err);
  if (!r) {
    nf_buf_printf(out, "error: %s", err);
    return;
  }
  nf_bundle_entry e;
  while (nf_bundle_next(r, &e, err, sizeof err) == 1) {
    if (strcmp(e.name, "manifest.json") == 0) continue;
    nf_buf_printf(out, "%s=", e.name);
    nf_bundle_read(r, out, err, sizeof err);
    nf_buf_puts(out, ";");
  }
  nf_buf_printf(out, "[%s]", nf_bundle_format_name(nf_bundle_reader_format(r)));
  nf_bundle_reader_free(r);
}

static void test_tar(void) {
  INT_EQ(nf_bundle_format_of("out.tar"), NF_BUNDLE_TAR, ".tar by name");
  INT_EQ(nf_bundle_format_of("out.TAR.GZ"), NF_BUNDLE_TAR_GZ,
         ".tar.gz is still tar.gz");
  STR_EQ(nf_bundle_format_name(NF_BUNDLE_TAR), "tar", "its name");
  INT_EQ(nf_bundle_format_named("tar"), NF_BUNDLE_TAR, "by its name");
  char err[512];
  nf_bundle *b = nf_bundle_create(nf_test_tmp("out.tar"), NULL, err, sizeof err);
  if (!OK(b, "create a .tar")) {
    printf("#   %s\n", err);
    return;
  }
  char longname[200];
  memset(longname, 'n', sizeof longname);
  memcpy(longname + sizeof longname - 5, ".txt", 5);
  OK(nf_bundle_add(b, "a.txt", "alpha", 5, NULL, err, sizeof err) == 0 &&
         nf_bundle_add(b, longname, "long", 4, NULL, err, sizeof err) == 0,
     "entries added, one with a pax name");
  OK(nf_bundle_close(b, err, sizeof err) == 0, "closed");
  FILE *f = fopen(nf_test_tmp("out.tar"), "rb");
  unsigned char head[512] = {0};
  size_t n = f ? fread(head, 1, sizeof head, f) : 0;
  if (f) fseek(f, 0, SEEK_END);
  long size = f ? ftell(f) : 0;
  if (f) fclose(f);
  OK(n == 512 && !nf_is_gzip(head, n), "not compressed");
  INT_EQ(size % 10240, 0, "whole 10 KiB records, like tar(1)");
  nf_buf got;
  nf_buf_init(&got);
  read_back(nf_test_tmp("out.tar"), &got);
  nf_buf want;
  nf_buf_init(&want);
  nf_buf_printf(&want, "a.txt=alpha;%s=long;[tar]", longname);
  STR_EQ(got.ptr, want.ptr, "read back by name");
  rename(nf_test_tmp("out.tar"), nf_test_tmp("unnamed"));
  nf_buf_clear(&got);
  read_back(nf_test_tmp("unnamed"), &got);
  STR_EQ(got.ptr, want.ptr, "read back by its first bytes");
  nf_buf_free(&got);
  nf_buf_free(&want);
}

static void test_gzip_file(void) {
  char err[512];
  const char *path = nf_test_tmp("out.md.gz");
  nf_gzip_file *g = nf_gzip_file_create(path, err, sizeof err);
  if (!OK(g, "create a gzip file")) {
    printf("#   %s\n", err);
    return;
  }
  const char *tmp = nf_gzip_file_temp_path(g);
  OK(tmp && exists(tmp) && !exists(path), "written beside, under a temporary name");
  OK(nf_gzip_file_write(g, "# One\n", 6, err, sizeof err) == 0 &&
         nf_gzip_file_write(g, "", 0, err, sizeof err) == 0 &&
         nf_gzip_file_write(g, "# Two\n", 6, err, sizeof err) == 0,
     "written");
  OK(nf_gzip_file_close(g, err, sizeof err) == 0, "closed");
  nf_buf raw, plain;
  nf_buf_init(&raw);
  nf_buf_init(&plain);
  FILE *f = fopen(path, "rb");
  char chunk[4096];
  size_t n;
  while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
    nf_buf_put(&raw, chunk, n);
  if (f) fclose(f);
  OK(nf_is_gzip(raw.ptr, raw.len), "gzip bytes");
  OK(raw.len > 10 && (unsigned char)raw.ptr[9] == 255 && raw.ptr[4] == 0 &&
         raw.ptr[5] == 0 && raw.ptr[6] == 0 && raw.ptr[7] == 0,
     "reproducible header: no time, OS 255");
  OK(nf_gunzip(raw.ptr, raw.len, 0, &plain, err, sizeof err) == 0 &&
         strcmp(plain.ptr, "# One\n# Two\n") == 0,
     "the stream's bytes");
  nf_buf_free(&raw);
  nf_buf_free(&plain);

  g = nf_gzip_file_create(nf_test_tmp("dropped.gz"), err, sizeof err);
  char *tmp_copy = g ? nf_xstrdup(nf_gzip_file_temp_path(g)) : NULL;
  nf_gzip_file_write(g, "x", 1, err, sizeof err);
  nf_gzip_file_abort(g);
  OK(tmp_copy && !exists(tmp_copy) && !exists(nf_test_tmp("dropped.gz")),
     "abort leaves nothing");
  free(tmp_copy);
  nf_gzip_file_abort(NULL);
  OK(!nf_gzip_file_create(nf_test_tmp("no/such/dir/x.gz"), err, sizeof err),
     "a directory that does not exist");
  STR_CONTAINS(err, "no/such/dir", "names it");
}

int main(void) {
  nf_test_tmp_open();
  test_tar();
  test_gzip_file();
  nf_test_tmp_close();
  return nf_test_done();
}
