/* test_inputs.c: core/inputs.c, the inputs as the command reads them:
 * nf_input_read, nf_input_parse, nf_input_is_url, nf_inputs_*. */
#include "harness.h"
#include "newsform.h"

#include <stdlib.h>
#include <sys/stat.h>

static void put(const char *name, const char *data, size_t len) {
  FILE *f = fopen(nf_test_tmp(name), "wb");
  if (!f || fwrite(data, 1, len, f) != len) {
    perror(name);
    exit(2);
  }
  fclose(f);
}

int main(void) {
  char err[1024];
  nf_test_tmp_open();
  mkdir(nf_test_tmp("d"), 0755);
  mkdir(nf_test_tmp("d/.hidden"), 0755);
  put("d/b.html", "<p>Beta</p>", 11);
  put("d/a.txt", "Alpha\n", 6);
  put("d/.hidden/h.html", "<p>h</p>", 8);
  put("d/img.png", "\x89PNG\r\n\x1a\n\0\0", 10);
  put("l1.html", "<p>Caf\xe9</p>", 11);

  OK(nf_input_is_url("https://x.y/z") && !nf_input_is_url("dir/a.html"),
     "nf_input_is_url");

  nf_doc *d = nf_input_read(nf_test_tmp("l1.html"), NULL, 0, err, sizeof err);
  OK(d != NULL, "nf_input_read reads a file");
  if (d) {
    nf_buf t = NF_BUF_INIT;
    nf_buf_init(&t);
    nf_node_text(nf_doc_body(d), &t);
    STR_EQ(t.ptr, "Caf\xc3\xa9", "Windows-1252 by the encoding policy");
    STR_EQ(nf_doc_source(d), nf_test_tmp("l1.html"), "source is the path");
    nf_buf_free(&t);
    nf_doc_free(d);
  }
  d = nf_input_read(nf_test_tmp("d/img.png"), NULL, 0, err, sizeof err);
  OK(d == NULL, "binary data refused");
  char want[1100];
  snprintf(want, sizeof want, "%s: binary data (PNG image), not an article",
           nf_test_tmp("d/img.png"));
  STR_EQ(err, want, "PATH: reason");
  OK(nf_input_parse("\x7f" "ELF\2\1\1", 7, NULL, err, sizeof err) == NULL,
     "nf_input_parse refuses an executable");

  nf_inputs *in = nf_inputs_new(NULL, 0, 0);
  nf_inputs_add(in, nf_test_tmp("d"));
  nf_inputs_add(in, nf_test_tmp("none"));
  nf_buf names = NF_BUF_INIT;
  nf_buf_init(&names);
  nf_doc *doc;
  const char *name;
  int rc;
  size_t dir_len = strlen(nf_test_tmpdir()) + 1;
  while ((rc = nf_inputs_next(in, &doc, &name, err, sizeof err)) != 0) {
    nf_buf_printf(&names, "%s%s;", rc > 0 ? "" : "!", name + dir_len);
    if (doc) nf_doc_free(doc);
  }
  STR_EQ(names.ptr, "d/a.txt;d/b.html;!none;",
         "sorted, hidden and binary files left out, a failure named");
  INT_EQ((long)nf_inputs_skipped(in), 1L, "one binary file skipped");
  nf_buf_free(&names);
  nf_inputs_free(in);
  nf_test_tmp_close();
  return nf_test_done();
}
