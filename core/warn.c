/* warn.c: warnings of the library and the Lua module (a recipe whose keep
 * matched nothing...) go through one handler, so an embedder or a fuzz
 * harness can collect or silence them; by default they go to standard
 * error as "newsform: SOURCE: MESSAGE" lines, as they always did. The
 * handler is process-wide; a mutex keeps calls from worker threads whole
 * (one line at a time) and the handler from changing under a call. */
#include <pthread.h>
#include <stdio.h>

#include "newsform.h"

static pthread_mutex_t warn_mu = PTHREAD_MUTEX_INITIALIZER;
static nf_warning_fn warn_fn;
static void *warn_ud;

void nf_set_warning_handler(nf_warning_fn fn, void *ud) {
  pthread_mutex_lock(&warn_mu);
  warn_fn = fn;
  warn_ud = fn ? ud : NULL;
  pthread_mutex_unlock(&warn_mu);
}

void nf_warn(const char *source, const char *fmt, ...) {
  nf_buf msg = NF_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  nf_buf_vprintf(&msg, fmt, ap);
  va_end(ap);
  if (!source) source = "";
  pthread_mutex_lock(&warn_mu);
  if (warn_fn) {
    warn_fn(warn_ud, source, msg.ptr);
  } else {
    fprintf(stderr, "newsform: %s%s%s\n", source, *source ? ": " : "",
            msg.ptr);
    fflush(stderr);
  }
  pthread_mutex_unlock(&warn_mu);
  nf_buf_free(&msg);
}
