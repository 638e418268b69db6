/* test_input.c: nf_read_input, nf_gunzip, nf_is_gzip, nf_pathlist_add. */
#include "harness.h"
#include "newsform.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static void test_gunzip(void) {
  char err[256] = "";
  nf_buf gz = NF_BUF_INIT, out = NF_BUF_INIT;
  const char *text = "<p>Hello, gzip</p>";
  nf_test_gzip_append(&gz, text, strlen(text));
  OK(nf_is_gzip(gz.ptr, gz.len), "gzip magic bytes recognised");
  OK(!nf_is_gzip(text, strlen(text)), "plain text is not gzip");
  OK(!nf_is_gzip("\x1f", 1), "one byte is not gzip");
  INT_EQ(nf_gunzip(gz.ptr, gz.len, 0, &out, err, sizeof err), 0, "gunzip ok");
  STR_EQ(out.ptr, text, "gunzip gives the original bytes");

  /* Two members, as `cat a.gz b.gz` makes. */
  nf_test_gzip_append(&gz, " and more", 9);
  nf_buf_clear(&out);
  INT_EQ(nf_gunzip(gz.ptr, gz.len, 0, &out, err, sizeof err), 0,
         "multi-member gunzip ok");
  STR_EQ(out.ptr, "<p>Hello, gzip</p> and more", "both members decoded");

  /* Trailing zero padding after the last member is ignored. */
  nf_buf_put(&gz, "\0\0\0\0", 4);
  nf_buf_clear(&out);
  INT_EQ(nf_gunzip(gz.ptr, gz.len, 0, &out, err, sizeof err), 0,
         "trailing padding ignored");

  /* Truncated. */
  nf_buf_clear(&out);
  err[0] = '\0';
  INT_EQ(nf_gunzip(gz.ptr, 20, 0, &out, err, sizeof err), -1,
         "truncated gzip fails");
  STR_CONTAINS(err, "truncated", "truncated gzip message");

  /* Corrupt deflate data. */
  nf_buf bad = NF_BUF_INIT;
  nf_buf_put(&bad, gz.ptr, gz.len);
  for (size_t i = 10; i < 18 && i < bad.len; i++) bad.ptr[i] ^= 0x55;
  nf_buf_clear(&out);
  err[0] = '\0';
  INT_EQ(nf_gunzip(bad.ptr, bad.len, 0, &out, err, sizeof err), -1,
         "corrupt gzip fails");
  OK(strstr(err, "corrupt") || strstr(err, "truncated"),
     "corrupt gzip message");
  nf_buf_free(&bad);

  /* A bomb: 10 MB of zeros is stopped at the limit. */
  size_t big = 10 * 1024 * 1024;
  char *zeros = calloc(1, big);
  nf_buf bomb = NF_BUF_INIT;
  nf_test_gzip_append(&bomb, zeros, big);
  free(zeros);
  OK(bomb.len < 100000, "bomb compresses well");
  nf_buf_clear(&out);
  INT_EQ(nf_gunzip(bomb.ptr, bomb.len, 1024 * 1024, &out, err, sizeof err),
         -1, "bomb stopped by max_bytes");
  STR_CONTAINS(err, "size limit (1 MiB)", "bomb message names the limit");
  OK(out.len <= 1024 * 1024, "output never grows past the limit");
  nf_buf_clear(&out);
  INT_EQ(nf_gunzip(bomb.ptr, bomb.len, big, &out, err, sizeof err), 0,
         "exactly at the limit is fine");
  INT_EQ(out.len, big, "full size decoded");
  nf_buf_free(&bomb);

  nf_buf_clear(&out);
  INT_EQ(nf_gunzip("abc", 3, 0, &out, err, sizeof err), -1,
         "non-gzip data refused");
  nf_buf_free(&gz);
  nf_buf_free(&out);
}

static void test_read_input(void) {
  char err[512] = "";
  nf_buf out = NF_BUF_INIT;
  const char *page = "<html><body><p>x</p></body></html>";
  nf_test_write_file(nf_test_tmp("page.html"), page, strlen(page));
  INT_EQ(nf_read_input(nf_test_tmp("page.html"), 0, &out, err, sizeof err), 0,
         "read a file");
  STR_EQ(out.ptr, page, "file bytes");

  nf_buf gz = NF_BUF_INIT;
  nf_test_gzip_append(&gz, page, strlen(page));
  /* The name says nothing: gzip is found by its magic bytes. */
  nf_test_write_file(nf_test_tmp("page.html"), gz.ptr, gz.len);
  nf_buf_clear(&out);
  INT_EQ(nf_read_input(nf_test_tmp("page.html"), 0, &out, err, sizeof err), 0,
         "read a gzipped file");
  STR_EQ(out.ptr, page, "gzipped file decoded by magic bytes");

  nf_test_write_file(nf_test_tmp("cut.html.gz"), gz.ptr, gz.len / 2);
  nf_buf_clear(&out);
  INT_EQ(nf_read_input(nf_test_tmp("cut.html.gz"), 0, &out, err, sizeof err), -1,
         "truncated gzip input fails");
  STR_CONTAINS(err, "cut.html.gz: truncated gzip data",
               "truncated gzip error names the input");
  nf_buf_free(&gz);

  INT_EQ(nf_read_input(nf_test_tmp("nope.html"), 0, &out, err, sizeof err), -1,
         "missing file fails");
  STR_CONTAINS(err, "nope.html: No such file or directory",
               "missing file message");
  INT_EQ(nf_read_input(nf_test_tmpdir(), 0, &out, err, sizeof err), -1,
         "directory is not readable as input");
  STR_CONTAINS(err, "Is a directory", "directory message");

  nf_test_write_file(nf_test_tmp("big.txt"), "0123456789", 10);
  INT_EQ(nf_read_input(nf_test_tmp("big.txt"), 5, &out, err, sizeof err), -1,
         "raw input over max_bytes fails");
  STR_CONTAINS(err, "big.txt: input exceeds the size limit (5 bytes)",
               "size limit message");
  nf_buf_clear(&out);
  INT_EQ(nf_read_input(nf_test_tmp("big.txt"), 10, &out, err, sizeof err), 0,
         "input of exactly max_bytes is fine");
  INT_EQ(out.len, 10, "length of a file at the limit");

  nf_test_write_file(nf_test_tmp("empty.txt"), "", 0);
  nf_buf_clear(&out);
  INT_EQ(nf_read_input(nf_test_tmp("empty.txt"), 0, &out, err, sizeof err), 0,
         "empty file reads");
  INT_EQ(out.len, 0, "empty file is empty");
  OK(out.ptr && out.ptr[0] == '\0', "empty buffer is NUL-terminated");
  nf_buf_free(&out);
}

static void test_pathlist(void) {
  char err[512] = "";
  const char *dirs[] = {"tree", "tree/b", "tree/a", "tree/a/z", "tree/.git"};
  for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
    mkdir(nf_test_tmp(dirs[i]), 0755);
  const char *files[] = {"tree/c.html", "tree/B.html", "tree/a/2.txt",
                         "tree/a/10.txt", "tree/a/z/deep.html",
                         "tree/.hidden.html", "tree/.git/config",
                         "tree/b/x.htm"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++)
    nf_test_write_file(nf_test_tmp(files[i]), "x", 1);
  symlink("c.html", nf_test_tmp("tree/d-link.html"));
  symlink("a", nf_test_tmp("tree/e-dirlink")); /* not followed: no cycles */

  nf_pathlist list = {0};
  INT_EQ(nf_pathlist_add(&list, nf_test_tmp("tree"), err, sizeof err), 0,
         "walk a directory");
  const char *want[] = {"tree/B.html", "tree/a/10.txt", "tree/a/2.txt",
                        "tree/a/z/deep.html", "tree/b/x.htm", "tree/c.html",
                        "tree/d-link.html"};
  size_t nwant = sizeof want / sizeof *want;
  INT_EQ(list.len, nwant, "visible files found, hidden skipped");
  int in_order = list.len == nwant;
  for (size_t i = 0; in_order && i < nwant; i++) {
    const char *got = list.items[i] + strlen(nf_test_tmpdir()) + 1;
    if (strcmp(got, want[i]) != 0) {
      printf("# item %zu: got %s want %s\n", i, got, want[i]);
      in_order = 0;
    }
  }
  OK(in_order, "byte-wise sorted, depth first");

  /* A trailing slash does not double. */
  nf_pathlist_free(&list);
  char slashed[600];
  snprintf(slashed, sizeof slashed, "%s/", nf_test_tmp("tree/b"));
  INT_EQ(nf_pathlist_add(&list, slashed, err, sizeof err), 0, "dir/ walks");
  INT_EQ(list.len, 1, "one file in tree/b");
  if (list.len) STR_CONTAINS(list.items[0], "tree/b/x.htm", "joined path");
  OK(list.len && !strstr(list.items[0], "//"), "no double slash");

  /* Files and "-" are kept as given, appended in order. */
  INT_EQ(nf_pathlist_add(&list, "-", err, sizeof err), 0, "- is stdin");
  INT_EQ(nf_pathlist_add(&list, nf_test_tmp("tree/c.html"), err, sizeof err), 0,
         "a file");
  INT_EQ(list.len, 3, "appended");
  if (list.len == 3) STR_EQ(list.items[1], "-", "- kept as is");

  INT_EQ(nf_pathlist_add(&list, nf_test_tmp("missing"), err, sizeof err), -1,
         "missing path fails");
  STR_CONTAINS(err, "missing: No such file or directory",
               "missing path message");
  INT_EQ(list.len, 3, "nothing added for a missing path");
  nf_pathlist_free(&list);
  INT_EQ(list.len, 0, "freed list is empty");
  OK(list.items == NULL, "freed list has no items");
}

int main(void) {
  nf_test_tmp_open();
  test_gunzip();
  test_read_input();
  test_pathlist();
  nf_test_tmp_close();
  return nf_test_done();
}
