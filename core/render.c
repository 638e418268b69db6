/* render.c: the line engine of the text-like renderers (see render.h) and
 * small helpers the renderers share. */
#include "render.h"

#include "utf8.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#define NO_BREAK SIZE_MAX

/* ===== The line engine ================================================== */

void nf_renderer_init(nf_renderer *r, nf_buf *out, int width) {
  memset(r, 0, sizeof *r);
  r->out = out;
  nf_buf_init(&r->prefix);
  r->width = width > 0 ? width : 0;
  r->begin_line = 1;
  r->content_start = out->len;
  r->last_breakable = NO_BREAK;
}

void nf_renderer_free(nf_renderer *r) { nf_buf_free(&r->prefix); }

/* The prefix without its trailing spaces: what a blank line carries. */
static size_t prefix_trimmed_len(const nf_renderer *r) {
  size_t n = r->prefix.len;
  while (n > 0 && r->prefix.ptr[n - 1] == ' ') n--;
  return n;
}

size_t nf_renderer_trim_spaces(nf_renderer *r) {
  size_t n = r->out->len, floor = r->content_start;
  if (r->begin_line) return 0;
  while (n > floor && (r->out->ptr[n - 1] == ' ' || r->out->ptr[n - 1] == '\t'))
    n--;
  size_t removed = r->out->len - n;
  if (removed) {
    nf_buf_truncate(r->out, n);
    r->column -= removed < r->column ? removed : r->column;
    if (r->last_breakable != NO_BREAK && r->last_breakable >= n)
      r->last_breakable = NO_BREAK;
  }
  return removed;
}

/* Writes the newlines owed (need_cr) with the prefix on blank lines. */
static void flush_newlines(nf_renderer *r) {
  int n = r->need_cr;
  r->need_cr = 0;
  if (n <= 0) return;
  if (!r->begin_line) {
    /* Trim spaces the line ends with (a prefix "> " alone included). */
    size_t len = r->out->len;
    while (len > 0 && r->out->ptr[len - 1] == ' ') len--;
    nf_buf_truncate(r->out, len);
    nf_buf_putc(r->out, '\n');
  }
  for (n--; n > 0; n--) {
    nf_buf_put(r->out, r->prefix.ptr, prefix_trimmed_len(r));
    nf_buf_putc(r->out, '\n');
  }
  r->begin_line = 1;
  r->column = 0;
  r->last_breakable = NO_BREAK;
}

static int at_block_start(const nf_renderer *r) {
  return r->need_cr == 0 && r->out->len == r->content_start;
}

void nf_renderer_cr(nf_renderer *r) {
  if (at_block_start(r) || (r->begin_line && r->need_cr == 0)) return;
  if (r->need_cr < 1) r->need_cr = 1;
}

void nf_renderer_blankline(nf_renderer *r) {
  if (at_block_start(r)) return;
  if (r->need_cr < 2) r->need_cr = 2;
}

int nf_renderer_at_line_start(const nf_renderer *r) {
  return r->need_cr > 0 || r->begin_line || r->out->len == r->content_start;
}

int nf_renderer_last(const nf_renderer *r) {
  if (nf_renderer_at_line_start(r)) return -1;
  return (unsigned char)r->out->ptr[r->out->len - 1];
}

static void start_line(nf_renderer *r) {
  nf_buf_put(r->out, r->prefix.ptr, r->prefix.len);
  r->column = nf_utf8_len(r->prefix.ptr, r->prefix.len);
  r->begin_line = 0;
}

/* Moves the word(s) after the last breakable space to a new line when the
 * line has grown past the width. */
static void maybe_wrap(nf_renderer *r) {
  if (!r->width || r->column <= (size_t)r->width ||
      r->last_breakable == NO_BREAK || r->last_breakable >= r->out->len)
    return;
  size_t tail_at = r->last_breakable + 1;
  const char *tail = r->out->ptr + tail_at;
  size_t tail_len = r->out->len - tail_at;
  if (r->can_start_line && !r->can_start_line(tail, tail_len)) {
    r->last_breakable = NO_BREAK;
    return;
  }
  char *copy = nf_xstrndup(tail, tail_len);
  size_t cut = r->last_breakable;
  while (cut > 0 && r->out->ptr[cut - 1] == ' ' && cut > r->content_start)
    cut--;
  nf_buf_truncate(r->out, cut);
  nf_buf_putc(r->out, '\n');
  start_line(r);
  nf_buf_put(r->out, copy, tail_len);
  r->column += nf_utf8_len(copy, tail_len);
  r->last_breakable = NO_BREAK;
  free(copy);
}

void nf_renderer_out(nf_renderer *r, const char *s, size_t len, int wrap) {
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (r->need_cr) flush_newlines(r);
    if (c == '\n') {
      if (r->begin_line) nf_buf_put(r->out, r->prefix.ptr, prefix_trimmed_len(r));
      nf_buf_putc(r->out, '\n');
      r->begin_line = 1;
      r->column = 0;
      r->last_breakable = NO_BREAK;
      continue;
    }
    if (r->begin_line) start_line(r);
    if (c == ' ' && wrap && r->width) {
      maybe_wrap(r);
      nf_buf_putc(r->out, ' ');
      r->column++;
      if (r->out->len - 1 > r->content_start) r->last_breakable = r->out->len - 1;
      continue;
    }
    /* Copy a run of ordinary bytes at once. */
    size_t j = i;
    while (j < len && s[j] != '\n' && !(s[j] == ' ' && wrap && r->width)) j++;
    nf_buf_put(r->out, s + i, j - i);
    r->column += nf_utf8_len(s + i, j - i);
    i = j - 1;
  }
  maybe_wrap(r);
}

void nf_renderer_puts(nf_renderer *r, const char *s, int wrap) {
  nf_renderer_out(r, s, strlen(s), wrap);
}

void nf_renderer_marker(nf_renderer *r, const char *s) {
  nf_renderer_out(r, s, strlen(s), 0);
  r->content_start = r->out->len;
  r->last_breakable = NO_BREAK;
}

void nf_renderer_end_block(nf_renderer *r) {
  /* Forget the marker: at_block_start() must now be false. */
  if (r->out->len == r->content_start) r->content_start = 0;
  if (r->need_cr < 1 && !r->begin_line) r->need_cr = 1;
}

size_t nf_renderer_push_prefix(nf_renderer *r, const char *s) {
  size_t old = r->prefix.len;
  nf_buf_puts(&r->prefix, s);
  return old;
}

void nf_renderer_pop_prefix(nf_renderer *r, size_t old_len) {
  if (old_len <= r->prefix.len) nf_buf_truncate(&r->prefix, old_len);
}

void nf_renderer_finish(nf_renderer *r) {
  size_t n = r->out->len;
  while (n > 0 && (r->out->ptr[n - 1] == ' ' || r->out->ptr[n - 1] == '\n' ||
                   r->out->ptr[n - 1] == '\t'))
    n--;
  nf_buf_truncate(r->out, n);
  r->need_cr = 0;
  if (n > 0) nf_buf_putc(r->out, '\n');
}

/* ===== Shared helpers =================================================== */

static int is_html_space(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

void nf_render_collapse(const char *s, nf_buf *out, int *at_space) {
  for (; *s; s++) {
    if (is_html_space((unsigned char)*s)) {
      if (!*at_space) nf_buf_putc(out, ' ');
      *at_space = 1;
    } else {
      nf_buf_putc(out, *s);
      *at_space = 0;
    }
  }
}
