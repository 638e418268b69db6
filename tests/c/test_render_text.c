/* test_render_text.c: nf_render_text on the examples of
 * tests/fixtures/render/text.txt (HTML in, text out), and what is not an
 * input -> output check. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "newsform.h"
#include "spec.h"

#define SPEC "tests/fixtures/render/text.txt"

int main(void) {
  nf_test_renderer text = nf_render_text;
  int n = nf_spec_run(SPEC, nf_spec_render, &text, 0);
  OK(n >= 20, "spec file has examples");
  /* Deep nesting stays bounded and does not crash. */
  {
    nf_buf h = NF_BUF_INIT;
    nf_buf_init(&h);
    for (int i = 0; i < 80; i++) nf_buf_puts(&h, "<blockquote><ul><li>");
    nf_buf_puts(&h, "deep");
    char *got = nf_test_render(nf_render_text, h.ptr, NULL);
    OK(got && strstr(got, "deep") && strlen(got) < 2000,
       "deep nesting is bounded");
    free(got);
    nf_buf_free(&h);
  }
  return nf_test_done();
}
