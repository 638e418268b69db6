/* test_spec.c: the spec runner itself (tests/spec.c): how a file is cut
 * into cases, options and names, escapes, the verdicts, and the errors of
 * malformed files. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "spec.h"

#define F NF_SPEC_FENCE

static char path[64];

/* Writes text to a temporary file and loads it; the load's status. */
static int load(const char *text, nf_spec *s, char *err, size_t errlen) {
  snprintf(path, sizeof path, "/tmp/nf_spec_XXXXXX");
  int fd = mkstemp(path);
  if (fd < 0) return -2;
  size_t len = strlen(text);
  int wrote = write(fd, text, len) == (ssize_t)len;
  close(fd);
  int rc = wrote ? nf_spec_load(path, s, err, errlen) : -2;
  unlink(path);
  return rc;
}

static void test_cases(void) {
  char err[256] = "";
  nf_spec s;
  int rc = load("Prose first.\n\n"
                F " example width=20 links=inline # a name\n"
                "line one\nline two\n.\nout one\n\nout two\n" F "\n"
                "more prose\n"
                F " example\n.\n" F "\n"
                F " document\n<p>page</p>\n" F "\n"
                F " error escaped #\n\\x41\\x00b\\q\n.\nmsg \\x7e\n" F "\n",
                &s, err, sizeof err);
  if (!OK(rc == 0, "a well-formed file loads")) {
    printf("#   %s\n", err);
    return;
  }
  INT_EQ(s.len, 4, "four cases");
  nf_spec_case *c = &s.cases[0];
  STR_EQ(c->kind, "example", "kind");
  INT_EQ(c->line, 3, "line of the opening fence");
  STR_EQ(c->name, "a name", "name after ' # '");
  STR_EQ(nf_spec_get(c, "width"), "20", "key=value option");
  STR_EQ(nf_spec_get(c, "links"), "inline", "second option");
  OK(nf_spec_get(c, "gfm") == NULL, "absent option");
  STR_EQ(c->input, "line one\nline two", "input without its last newline");
  STR_EQ(c->expected, "out one\n\nout two\n", "expected with its newlines");
  char name[128];
  nf_spec_name(&s, c, name, sizeof name);
  OK(!strncmp(name, "nf_spec_", 8) && strstr(name, ":3 a name"),
     "TAP name: file:line name");
  c = &s.cases[1];
  STR_EQ(c->input, "", "empty input");
  STR_EQ(c->expected, "", "empty expected text");
  STR_EQ(c->name, "", "no name");
  c = &s.cases[2];
  STR_EQ(c->kind, "document", "a kind of the caller's");
  OK(c->expected == NULL, "no '.' line: no expected text");
  STR_EQ(c->input, "<p>page</p>", "its input");
  c = &s.cases[3];
  STR_EQ(nf_spec_get(c, "escaped"), "", "bare word");
  STR_EQ(c->input, "A\\x00b\\q", "escaped: \\xHH decoded, \\x00 and others kept");
  STR_EQ(c->expected, "msg ~\n", "escaped expected text");
  nf_spec_free(&s);
}

static void test_verdicts(void) {
  nf_spec_case c;
  memset(&c, 0, sizeof c);
  nf_spec_opt contains = {"contains", ""};
  nf_buf why = NF_BUF_INIT;
  nf_buf_init(&why);
  c.kind = "example";
  c.expected = "a\nb\n";
  INT_EQ(nf_spec_verdict(&c, 1, "a\nb\n", 0, NULL), 1, "example: equal");
  INT_EQ(nf_spec_verdict(&c, 1, "a\nb", 0, &why), 0, "example: final newline counts");
  STR_CONTAINS(why.ptr, "want \"a\nb\n\"", "why: got and want");
  INT_EQ(nf_spec_verdict(&c, 1, "a\nb", NF_SPEC_NO_FINAL_NEWLINE, NULL), 1,
         "example: no final newline when told");
  INT_EQ(nf_spec_verdict(&c, 0, "a\nb\n", 0, NULL), 0, "example: must run");
  c.expected = "one\nline\n\ntwo\n";
  c.opts = &contains;
  c.nopts = 1;
  INT_EQ(nf_spec_verdict(&c, 1, "x two y one\nline z", 0, NULL), 1,
         "contains: every part, any order");
  INT_EQ(nf_spec_verdict(&c, 1, "x one\nline z", 0, NULL), 0,
         "contains: a missing part fails");
  c.opts = NULL;
  c.nopts = 0;
  c.kind = "error";
  c.expected = "at offset 4\n";
  INT_EQ(nf_spec_verdict(&c, 0, "bad: at offset 4", 0, NULL), 1,
         "error: message holds the text");
  INT_EQ(nf_spec_verdict(&c, 0, "bad: at offset 5", 0, NULL), 0,
         "error: another message fails");
  INT_EQ(nf_spec_verdict(&c, 1, "at offset 4", 0, NULL), 0,
         "error: running fails");
  c.kind = "document";
  INT_EQ(nf_spec_verdict(&c, 1, "", 0, NULL), -1, "other kinds: the caller's");
  nf_buf_free(&why);
}

static void test_malformed(void) {
  static const struct {
    const char *text, *err, *name;
  } bad[] = {
      {"x\n" F " example\nin\n", ":2: a case without its closing fence",
       "unclosed case"},
      {F " example\nin\nout\n" F "\n", ":1: a case without its '.' line",
       "example without '.'"},
      {"a\n\n" F "\n", ":3: a fence without a kind", "fence without a kind"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char err[256] = "";
    nf_spec s;
    INT_EQ(load(bad[i].text, &s, err, sizeof err), -1, bad[i].name);
    STR_CONTAINS(err, bad[i].err, bad[i].name);
    INT_EQ(s.len, 0, "and no cases");
  }
  char err[256];
  nf_spec s;
  INT_EQ(nf_spec_load("/nonexistent/spec.txt", &s, err, sizeof err), -1,
         "a missing file");
}

int main(void) {
  test_cases();
  test_verdicts();
  test_malformed();
  return nf_test_done();
}
