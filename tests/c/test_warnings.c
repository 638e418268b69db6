/* test_warnings.c: warnings go through nf_set_warning_handler's handler;
 * the default writes "newsform: SOURCE: MESSAGE" lines to standard error. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "newsform.h"

typedef struct seen {
  nf_buf text;
  int calls;
} seen;

static void collect(void *ud, const char *source, const char *message) {
  seen *s = ud;
  nf_buf_printf(&s->text, "[%s|%s]", source, message);
  s->calls++;
}

/* Runs fn with standard error in a file; returns what was written. */
static char *capture_stderr(void (*fn)(void)) {
  char *path = nf_test_tmp("stderr");
  fflush(stderr);
  int saved = dup(2);
  FILE *f = fopen(path, "w+");
  if (!f || saved < 0) exit(2);
  dup2(fileno(f), 2);
  fn();
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  fclose(f);
  nf_buf b = NF_BUF_INIT;
  char err[128];
  nf_read_input(path, 0, &b, err, sizeof err);
  return nf_buf_detach(&b);
}

static void warn_twice(void) {
  nf_warn("page.html", "recipe keep matched nothing (%s)", "'.story'");
  nf_warn("", "no source %d", 7);
}

static void test_default(void) {
  char *got = capture_stderr(warn_twice);
  STR_EQ(got, "newsform: page.html: recipe keep matched nothing ('.story')\n"
              "newsform: no source 7\n", "default: stderr lines as before");
  free(got);
}

static void test_handler(void) {
  seen s = {NF_BUF_INIT, 0};
  nf_set_warning_handler(collect, &s);
  char *got = capture_stderr(warn_twice);
  STR_EQ(got, "", "with a handler: nothing on stderr");
  free(got);
  STR_EQ(s.text.ptr, "[page.html|recipe keep matched nothing ('.story')]"
                     "[|no source 7]", "handler gets source and message");
  nf_warn(NULL, "%s", "null source");
  STR_CONTAINS(s.text.ptr, "[|null source]", "NULL source is \"\"");
  nf_set_warning_handler(NULL, NULL);
  got = capture_stderr(warn_twice);
  STR_CONTAINS(got, "newsform: no source 7\n", "NULL restores stderr");
  free(got);
  INT_EQ(s.calls, 3, "handler called once per warning");
  nf_buf_free(&s.text);
}

static void *warn_many(void *arg) {
  (void)arg;
  for (int i = 0; i < 200; i++) nf_warn("t", "w%d", i);
  return NULL;
}

static void test_threads(void) {
  seen s = {NF_BUF_INIT, 0};
  nf_set_warning_handler(collect, &s);
  pthread_t t[4];
  for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, warn_many, NULL);
  for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
  nf_set_warning_handler(NULL, NULL);
  INT_EQ(s.calls, 800, "threads: every warning delivered, one at a time");
  nf_buf_free(&s.text);
}

int main(void) {
  nf_test_tmp_open();
  test_default();
  test_handler();
  test_threads();
  nf_test_tmp_close();
  return nf_test_done();
}
