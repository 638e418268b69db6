/* test_render_markdown.c: nf_render_markdown on the examples of
 * tests/fixtures/render/markdown.txt (HTML in, Markdown out) and a few
 * option and robustness checks. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "newsform.h"

#define FENCE "````````````````````````````````"
#define SPEC "tests/fixtures/render/markdown.txt"

static char *render(const char *html, const nf_render_opts *o) {
  char err[256];
  nf_parse_opts po = {NF_INPUT_HTML, NULL, "test", NULL};
  nf_doc *doc = nf_doc_parse(html, strlen(html), &po, err, sizeof err);
  if (!doc) return NULL;
  nf_buf out = NF_BUF_INIT;
  nf_buf_init(&out);
  nf_render_markdown(nf_doc_body(doc), o, &out);
  nf_doc_free(doc);
  return nf_buf_detach(&out);
}

/* Runs every example of the spec file; returns how many ran. */
static int run_spec(void) {
  char err[256];
  nf_buf file = NF_BUF_INIT;
  nf_buf_init(&file);
  if (nf_read_input(SPEC, 0, &file, err, sizeof err) != 0) {
    OK(0, "spec file readable");
    return 0;
  }
  int count = 0;
  char *p = file.ptr;
  for (;;) {
    char *start = strstr(p, FENCE " example");
    if (!start) break;
    char *line_end = strchr(start, '\n');
    if (!line_end) break;
    int gfm = strstr(start, "example gfm") != NULL &&
              strstr(start, "example gfm") < line_end;
    char *html = line_end + 1;
    char *dot = strstr(html, "\n.\n");
    char *end = dot ? strstr(dot + 3, "\n" FENCE) : NULL;
    if (!dot || !end) {
      OK(0, "spec example well-formed");
      break;
    }
    *dot = 0;
    char *want = dot + 3;
    end[1] = 0; /* keep the expected text's final newline */
    nf_render_opts o = {0};
    o.gfm = gfm;
    char *got = render(html, &o);
    char name[128];
    int line = 1;
    for (char *q = file.ptr; q < start; q++) line += *q == '\n';
    snprintf(name, sizeof name, "spec example at line %d", line);
    STR_EQ(got, want, name);
    free(got);
    count++;
    p = end + 1 + strlen(FENCE) + 1;
    if (p > file.ptr + file.len) break;
  }
  nf_buf_free(&file);
  return count;
}

int main(void) {
  int n = run_spec();
  OK(n >= 15, "spec file has examples");

  nf_render_opts w = {0};
  w.width = 20;
  char *got = render("<p>The quick brown fox - jumps over 1. the lazy dog # "
                     "again + more</p>", &w);
  /* No wrapped line may start with a block marker. */
  int bad = 0, lines = 0;
  for (char *q = got; q && *q; q++) {
    if (q[0] == '\n' && q[1] && strchr("-+#>=0123456789", q[1])) bad = 1;
    lines += q[0] == '\n';
  }
  OK(!bad && lines >= 3, "no line starts with a marker after wrapping");
  if (bad) printf("#   %s", got);
  free(got);
  got = render("<p>The quick brown fox jumps over the lazy dog again and "
               "again</p>", &w);
  STR_EQ(got, "The quick brown fox\njumps over the lazy\ndog again and "
              "again\n", "wrapped lines fit in the width");
  free(got);

  nf_render_opts base = {0};
  base.base_url = "https://news.example/a/b.html";
  got = render("<p><a href='c.html'>c</a> <img src='/i.png'></p>", &base);
  STR_EQ(got, "[c](https://news.example/a/c.html) "
              "![](https://news.example/i.png)\n", "base_url resolves links");
  free(got);

  got = render("", NULL);
  STR_EQ(got, "", "empty body");
  free(got);
  {
    nf_buf h = NF_BUF_INIT;
    nf_buf_init(&h);
    for (int i = 0; i < 80; i++) nf_buf_puts(&h, "<blockquote><ol><li><em>");
    nf_buf_puts(&h, "deep");
    got = render(h.ptr, NULL);
    OK(got && strstr(got, "deep") && strlen(got) < 20000,
       "deep nesting is bounded");
    free(got);
    nf_buf_free(&h);
  }
  return nf_test_done();
}
