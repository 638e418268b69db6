/* spec.h: spec files, the tests of tests/fixtures/render/ as data (their
 * format: tests/fixtures/README). nf_spec_load reads a file into cases,
 * nf_spec_verdict judges one case's result, nf_spec_run drives a whole file
 * and prints one TAP line per case through harness.h. tests/lua_runner
 * gives Lua tests the same loader and verdict (global table `spec`), so
 * the C library and the Lua binding are held to the same expectations. */
#ifndef NF_TEST_SPEC_H
#define NF_TEST_SPEC_H

#include <stddef.h>

#include "harness.h"
#include "newsform.h"

#define NF_SPEC_FENCE "````````````````````````````````"

typedef struct nf_spec_opt {
  char *key, *value; /* "width=20" → width, 20; a bare word's value is "" */
} nf_spec_opt;

typedef struct nf_spec_case {
  int line;          /* of the opening fence, from 1 */
  char *kind;        /* "example", "error", or a kind the caller knows */
  nf_spec_opt *opts; /* the words between the kind and " # " */
  size_t nopts;
  char *name;        /* what follows " # " on the fence line, or "" */
  char *input;       /* the lines before ".", without the last newline */
  char *expected;    /* the lines after ".", each with its newline; NULL
                        when the case has no "." line */
} nf_spec_case;

typedef struct nf_spec {
  char *path;
  nf_spec_case *cases;
  size_t len;
} nf_spec;

/* Reads the spec file at path into s (zeroed first). -1 with "path:line:
 * why" in err when the file cannot be read or a case is malformed (not
 * closed, or an example or error case without its "." line). */
int nf_spec_load(const char *path, nf_spec *s, char *err, size_t errlen);
void nf_spec_free(nf_spec *s);

/* The value of option key ("" for a bare word), or NULL when absent. */
const char *nf_spec_get(const nf_spec_case *c, const char *key);

/* "file.txt:LINE name": the case's TAP name. */
void nf_spec_name(const nf_spec *s, const nf_spec_case *c, char *out,
                  size_t outlen);

/* Outputs that end without a newline (HTML, selections) are compared with
 * the expected text's last newline left out. */
#define NF_SPEC_NO_FINAL_NEWLINE 1

/* 1 when the case passed, else 0 with why (when not NULL) saying how.
 * example: it ran (ran != 0) and got is the expected text; with the option
 * `contains`, got holds each part of the expected text (parts are separated
 * by blank lines). error: it failed (ran == 0) and its message, got, holds
 * the expected text. Other kinds are the caller's: -1. */
int nf_spec_verdict(const nf_spec_case *c, int ran, const char *got,
                    int flags, nf_buf *why);

/* The renderer options a case's words name (width=N, links=inline|none,
 * gfm, xhtml, document, unsafe, offline, title=, lang=, base_url=; the
 * words contains and escaped belong to the runner). 0, or -1 with the
 * unknown word in err. Strings point into the case. */
int nf_spec_render_opts(const nf_spec_case *c, nf_render_opts *o, char *err,
                        size_t errlen);

/* Runs one case. For example and error cases it returns 1 with the output
 * in out, or 0 with the error message in out; nf_spec_run judges. For other
 * kinds it judges itself: 1 passed, 0 failed (out says why), or -1 when the
 * block is not a check (e.g. the document the next cases select in). */
typedef int (*nf_spec_fn)(const nf_spec_case *c, nf_buf *out, void *ud);

/* An nf_spec_fn for renderer examples: ud points to an nf_test_renderer;
 * the input is HTML and the output what the renderer makes of its body
 * (nf_test_render) with the case's options. */
int nf_spec_render(const nf_spec_case *c, nf_buf *out, void *ud);

/* Runs every case of the spec file at path through fn, one TAP line per
 * check; returns the number of checks (a file that cannot be loaded is one
 * failed check). Defined here, not in spec.c, because harness.h's counters
 * belong to the test program that includes it. */
static inline int nf_spec_run(const char *path, nf_spec_fn fn, void *ud,
                              int flags) {
  char err[512], name[256];
  nf_spec s;
  if (nf_spec_load(path, &s, err, sizeof err) != 0) {
    nf_test_report(0, "spec file loads", path, 0);
    printf("#   %s\n", err);
    return 1;
  }
  int checks = 0;
  nf_buf out = NF_BUF_INIT, why = NF_BUF_INIT;
  nf_buf_init(&out);
  nf_buf_init(&why);
  for (size_t i = 0; i < s.len; i++) {
    const nf_spec_case *c = &s.cases[i];
    nf_buf_clear(&out);
    nf_buf_clear(&why);
    int r = fn(c, &out, ud);
    int ok = nf_spec_verdict(c, r == 1, out.ptr, flags, &why);
    if (ok < 0) { /* the caller's kind: it judged */
      if (r < 0) continue;
      ok = r == 1;
      nf_buf_puts(&why, out.ptr);
    }
    nf_spec_name(&s, c, name, sizeof name);
    nf_test_report(ok, name, s.path, c->line);
    checks++;
    if (!ok)
      for (const char *p = why.ptr; *p;) {
        const char *nl = strchr(p, '\n');
        int n = nl ? (int)(nl - p) : (int)strlen(p);
        printf("#   %.*s\n", n, p);
        p += n + (nl != NULL);
      }
  }
  nf_buf_free(&out);
  nf_buf_free(&why);
  nf_spec_free(&s);
  return checks;
}

#endif
