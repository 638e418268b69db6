/* render.h: the line engine shared by the text-like renderers (plain text,
 * Markdown). It owns what is hard to get right by hand: pending newlines
 * (one per line break, two for a blank line, never more), a prefix written
 * at the start of every line (blockquote "> ", list indentation), trailing
 * spaces trimmed at line ends, and wrapping at a column count in code
 * points, only at spaces the renderer marked as breakable and only where
 * the next line may safely start. */
#ifndef NF_RENDER_H
#define NF_RENDER_H

#include "newsform.h"
#include "html_elements.h"
#include "url.h"
#include "utf8.h"

/* Containers deeper than this do not add to the prefix (bounds the output
 * of hostile nesting to O(input * NF_RENDER_MAX_DEPTH)). */
#define NF_RENDER_MAX_DEPTH 32

typedef struct nf_renderer {
  nf_buf *out;
  nf_buf prefix;          /* written at the start of every line */
  int width;              /* wrap column, 0 = none */
  size_t column;          /* code points on the current line */
  int need_cr;            /* newlines owed before the next output (0..2) */
  int begin_line;         /* nothing (not even the prefix) on this line yet */
  size_t content_start;   /* out->len right after the last marker */
  size_t last_breakable;  /* offset in out of a space to wrap at; 0 = none */
  /* May a wrapped line start with the text at s (len bytes)? NULL: yes. */
  int (*can_start_line)(const char *s, size_t len);
} nf_renderer;

void nf_renderer_init(nf_renderer *r, nf_buf *out, int width);
void nf_renderer_free(nf_renderer *r);

/* End the current line before the next output (no-op at a block start). */
void nf_renderer_cr(nf_renderer *r);
/* One blank line before the next output (no-op at a block start). */
void nf_renderer_blankline(nf_renderer *r);
/* Is the next output the first of its line (after prefix and marker)? */
int nf_renderer_at_line_start(const nf_renderer *r);

/* Writes s. With wrap, each space is a place where the line may break
 * (runs of spaces are kept as the renderer gave them). A '\n' in s is a
 * literal line break followed by the prefix (pre and code blocks). */
void nf_renderer_out(nf_renderer *r, const char *s, size_t len, int wrap);
void nf_renderer_puts(nf_renderer *r, const char *s, int wrap);
/* Writes a list or quote marker; the next output still counts as the
 * start of the block (nf_renderer_blankline stays a no-op). */
void nf_renderer_marker(nf_renderer *r, const char *s);

/* Ends a container (list item, quote, heading): what follows starts a new
 * line even when the container wrote nothing after its marker. */
void nf_renderer_end_block(nf_renderer *r);

/* Prefix stack: push returns the old length to pop back to. */
size_t nf_renderer_push_prefix(nf_renderer *r, const char *s);
void nf_renderer_pop_prefix(nf_renderer *r, size_t old_len);

/* Removes spaces at the end of the output's current line; returns how many. */
size_t nf_renderer_trim_spaces(nf_renderer *r);
/* Last byte written, or -1 (also at a line start). */
int nf_renderer_last(const nf_renderer *r);

/* Ends the output with exactly one newline (nothing for empty output). */
void nf_renderer_finish(nf_renderer *r);

/* ===== Helpers shared by the renderers ================================== */
/* Element properties come from html_elements.h, URLs from url.h, UTF-8
 * from utf8.h (included above for every renderer). */

/* Collapses runs of HTML whitespace in s into one space, appended to out;
 * when *at_space, leading whitespace is dropped. Updates *at_space. */
void nf_render_collapse(const char *s, nf_buf *out, int *at_space);

#endif
