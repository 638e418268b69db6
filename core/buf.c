/* buf.c: the growable byte buffer every renderer and writer appends to,
 * and the one abort-on-out-of-memory path. */
#include "newsform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char nf_buf_empty_[1]; /* shared by every empty buffer; never written */

_Noreturn void nf_oom(void) {
  fputs("newsform: out of memory, aborting\n", stderr);
  abort();
}

void *nf_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) nf_oom();
  return p;
}

void *nf_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) nf_oom();
  return p;
}

void *nf_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) nf_oom();
  return q;
}

char *nf_xstrdup(const char *s) { return nf_xstrndup(s, strlen(s)); }

char *nf_xstrndup(const char *s, size_t n) {
  char *p = nf_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

void nf_buf_init(nf_buf *b) {
  b->ptr = nf_buf_empty_;
  b->len = 0;
  b->cap = 0;
}

/* cap == 0 means ptr is the shared empty string (or NULL from NF_BUF_INIT). */
static void grow(nf_buf *b, size_t extra) {
  if (extra > SIZE_MAX / 2 - b->len) nf_oom();
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) cap *= 2;
  char *p = b->cap ? nf_xrealloc(b->ptr, cap) : nf_xmalloc(cap);
  if (!b->cap) {
    if (b->len && b->ptr) memcpy(p, b->ptr, b->len);
    p[b->len] = '\0';
  }
  b->ptr = p;
  b->cap = cap;
}

void nf_buf_reserve(nf_buf *b, size_t extra) {
  if (!b->ptr) nf_buf_init(b);
  grow(b, extra);
}

void nf_buf_put(nf_buf *b, const void *data, size_t len) {
  if (!b->ptr) nf_buf_init(b);
  if (!len) return;
  grow(b, len);
  memmove(b->ptr + b->len, data, len);
  b->len += len;
  b->ptr[b->len] = '\0';
}

void nf_buf_puts(nf_buf *b, const char *s) { nf_buf_put(b, s, strlen(s)); }

void nf_buf_putc(nf_buf *b, int c) {
  char ch = (char)c;
  nf_buf_put(b, &ch, 1);
}

void nf_buf_vprintf(nf_buf *b, const char *fmt, va_list ap) {
  if (!b->ptr) nf_buf_init(b);
  va_list ap2;
  va_copy(ap2, ap);
  char small[256];
  int n = vsnprintf(small, sizeof small, fmt, ap2);
  va_end(ap2);
  if (n < 0) return;
  if ((size_t)n < sizeof small) {
    nf_buf_put(b, small, (size_t)n);
    return;
  }
  grow(b, (size_t)n);
  vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void nf_buf_printf(nf_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  nf_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

void nf_buf_clear(nf_buf *b) { nf_buf_truncate(b, 0); }

void nf_buf_truncate(nf_buf *b, size_t len) {
  if (!b->ptr) nf_buf_init(b);
  if (len >= b->len) return;
  b->len = len;
  if (b->cap) b->ptr[len] = '\0';
}

void nf_buf_free(nf_buf *b) {
  if (b->cap) free(b->ptr);
  nf_buf_init(b);
}

char *nf_buf_detach(nf_buf *b) {
  char *p = b->cap ? b->ptr : nf_xstrdup("");
  nf_buf_init(b);
  return p;
}

int nf_buf_last(const nf_buf *b) {
  return b->len ? (unsigned char)b->ptr[b->len - 1] : -1;
}
