/* test_render_markdown.c: nf_render_markdown on the examples of
 * tests/fixtures/render/markdown.txt (HTML in, Markdown out) and the
 * checks that are not input -> output (wrapping rules, deep nesting). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "newsform.h"
#include "spec.h"

#define SPEC "tests/fixtures/render/markdown.txt"

int main(void) {
  nf_test_renderer md = nf_render_markdown;
  int n = nf_spec_run(SPEC, nf_spec_render, &md, 0);
  OK(n >= 15, "spec file has examples");

  nf_render_opts w = {0};
  w.width = 20;
  char *got = nf_test_render(nf_render_markdown,
                             "<p>The quick brown fox - jumps over 1. the lazy "
                             "dog # again + more</p>", &w);
  /* No wrapped line may start with a block marker. */
  int bad = 0, lines = 0;
  for (char *q = got; q && *q; q++) {
    if (q[0] == '\n' && q[1] && strchr("-+#>=0123456789", q[1])) bad = 1;
    lines += q[0] == '\n';
  }
  OK(!bad && lines >= 3, "no line starts with a marker after wrapping");
  if (bad) printf("#   %s", got);
  free(got);
  {
    nf_buf h = NF_BUF_INIT;
    nf_buf_init(&h);
    for (int i = 0; i < 80; i++) nf_buf_puts(&h, "<blockquote><ol><li><em>");
    nf_buf_puts(&h, "deep");
    got = nf_test_render(nf_render_markdown, h.ptr, NULL);
    OK(got && strstr(got, "deep") && strlen(got) < 20000,
       "deep nesting is bounded");
    free(got);
    nf_buf_free(&h);
  }
  return nf_test_done();
}
