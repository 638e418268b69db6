/* render_text.c: readable plain text of a node (nf_render_text).
 *
 * One pass over nf_iter events into the line engine of render.c: blocks
 * are separated by one blank line, list items get "- " / "1. " and indent
 * their continuation lines, blockquotes get "> ", table rows become lines
 * of cells joined by " | ", pre keeps its spacing and all other whitespace
 * collapses. Elements that pushed something (lists, items, quotes, links,
 * cells) get a frame on a small stack, popped at their EXIT event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

typedef enum { F_LIST, F_ITEM, F_QUOTE, F_LINK, F_CELL, F_PRE } frame_kind;

typedef struct frame {
  const nf_node *node;
  frame_kind kind;
  size_t old_prefix;   /* F_ITEM, F_QUOTE */
  long counter;        /* F_LIST: next number (ordered lists), else -1 */
  size_t start;        /* F_LINK: out->len at the link's start */
} frame;

#define MAX_FRAMES (NF_RENDER_MAX_DEPTH * 2)

typedef struct text_state {
  nf_renderer r;
  const nf_render_opts *o;
  nf_buf scratch;
  frame frames[MAX_FRAMES];
  int nframes;
  int pre;           /* inside pre: keep spacing */
  int cells;         /* inside a table cell: blocks become spaces */
  int cell_index;    /* cells written in the current row */
} text_state;

static frame *push_frame(text_state *t, const nf_node *n, frame_kind kind) {
  if (t->nframes >= MAX_FRAMES) return NULL;
  frame *f = &t->frames[t->nframes++];
  memset(f, 0, sizeof *f);
  f->node = n;
  f->kind = kind;
  f->counter = -1;
  return f;
}

static frame *top_frame(text_state *t, const nf_node *n) {
  if (t->nframes == 0 || t->frames[t->nframes - 1].node != n) return NULL;
  return &t->frames[t->nframes - 1];
}

static int quote_depth(const text_state *t) {
  int d = 0;
  for (int i = 0; i < t->nframes; i++)
    if (t->frames[i].kind == F_ITEM || t->frames[i].kind == F_QUOTE) d++;
  return d;
}

/* A space between words, unless one is there already. */
static void soft_space(text_state *t) {
  int last = nf_renderer_last(&t->r);
  if (last >= 0 && last != ' ') nf_renderer_out(&t->r, " ", 1, 1);
}

static void block_break(text_state *t) {
  if (t->cells) soft_space(t);
  else nf_renderer_blankline(&t->r);
}

static void put_text(text_state *t, const char *s) {
  if (t->pre && !t->cells) {
    nf_renderer_puts(&t->r, s, 0);
    return;
  }
  int at_space = nf_renderer_last(&t->r) < 0 || nf_renderer_last(&t->r) == ' ';
  nf_buf_clear(&t->scratch);
  nf_render_collapse(s, &t->scratch, &at_space);
  nf_renderer_out(&t->r, t->scratch.ptr, t->scratch.len, 1);
}

static void enter_item(text_state *t, const nf_node *n) {
  if (t->cells) {
    soft_space(t);
    return;
  }
  nf_renderer_cr(&t->r);
  frame *list = NULL;
  if (t->nframes && t->frames[t->nframes - 1].kind == F_LIST &&
      t->frames[t->nframes - 1].node == nf_node_parent(n))
    list = &t->frames[t->nframes - 1];
  char marker[32];
  if (list && list->counter >= 0)
    snprintf(marker, sizeof marker, "%ld. ", list->counter++);
  else
    strcpy(marker, "- ");
  nf_renderer_marker(&t->r, marker);
  if (quote_depth(t) >= NF_RENDER_MAX_DEPTH) return;
  frame *f = push_frame(t, n, F_ITEM);
  if (!f) return;
  char pad[32];
  size_t w = strlen(marker);
  memset(pad, ' ', w);
  pad[w] = 0;
  f->old_prefix = nf_renderer_push_prefix(&t->r, pad);
}

static void enter_list(text_state *t, const nf_node *n) {
  if (t->cells) {
    soft_space(t);
    return;
  }
  const nf_node *p = nf_node_parent(n);
  if (p && nf_node_is(p, "li")) nf_renderer_cr(&t->r);
  else nf_renderer_blankline(&t->r);
  frame *f = push_frame(t, n, F_LIST);
  if (f && nf_node_is(n, "ol")) {
    const char *start = nf_node_attr(n, "start");
    long v = start ? strtol(start, NULL, 10) : 1;
    f->counter = v < 0 || v > 999999999 ? 1 : v;
  }
}

static void enter_link(text_state *t, const nf_node *n) {
  frame *f = push_frame(t, n, F_LINK);
  if (f) f->start = t->r.out->len;
}

/* "text (url)" unless the text already says the url. */
static void exit_link(text_state *t, const nf_node *n, frame *f) {
  const char *href = nf_node_attr(n, "href");
  if (!href || !*href || href[0] == '#' || nf_url_is_unsafe(href))
    return;
  nf_buf url = NF_BUF_INIT;
  nf_buf_init(&url);
  nf_url_resolve(t->o->base_url, href, &url);
  const char *text = t->r.out->ptr + f->start;
  size_t text_len = t->r.out->len - f->start;
  const char *bare = url.ptr;
  if (!strncmp(bare, "mailto:", 7)) bare += 7;
  if (strlen(bare) != text_len || memcmp(bare, text, text_len) != 0) {
    if (text_len) soft_space(t);
    nf_renderer_puts(&t->r, "(", 1);
    nf_renderer_out(&t->r, url.ptr, url.len, 0);
    nf_renderer_puts(&t->r, ")", 0);
  }
  nf_buf_free(&url);
}

static void enter_element(text_state *t, nf_iter *it, const nf_node *n) {
  const char *tag = nf_node_name(n);
  if (nf_html_node_hidden(n)) {
    nf_iter_skip_children(it);
    return;
  }
  if (!strcmp(tag, "br")) {
    if (t->cells) soft_space(t);
    else if (!nf_renderer_at_line_start(&t->r) || t->r.need_cr)
      t->r.need_cr = t->r.need_cr < 1 ? 1 : 2;
    return;
  }
  if (!strcmp(tag, "a")) {
    if (t->o->links == NF_LINKS_INLINE) enter_link(t, n);
    return;
  }
  if (!nf_html_node_is_block(n)) return;
  if (!strcmp(tag, "li")) {
    enter_item(t, n);
  } else if (nf_html_flags(tag) & NF_EL_LIST) {
    enter_list(t, n);
  } else if (!strcmp(tag, "blockquote") && !t->cells) {
    nf_renderer_blankline(&t->r);
    nf_renderer_marker(&t->r, "> ");
    if (quote_depth(t) < NF_RENDER_MAX_DEPTH) {
      frame *f = push_frame(t, n, F_QUOTE);
      if (f) f->old_prefix = nf_renderer_push_prefix(&t->r, "> ");
    }
  } else if (!strcmp(tag, "tr")) {
    if (t->cells) soft_space(t);
    else nf_renderer_cr(&t->r);
    t->cell_index = 0;
  } else if (!strcmp(tag, "td") || !strcmp(tag, "th")) {
    if (t->cell_index++ > 0 && !t->cells) {
      nf_renderer_trim_spaces(&t->r);
      nf_renderer_puts(&t->r, " | ", 0);
    } else if (t->cells) {
      soft_space(t);
    }
    if (push_frame(t, n, F_CELL)) t->cells++;
  } else if (!strcmp(tag, "hr")) {
    block_break(t);
    if (!t->cells) nf_renderer_puts(&t->r, "---", 0);
    block_break(t);
  } else if (nf_html_flags(tag) & NF_EL_PRE) {
    block_break(t);
    if (push_frame(t, n, F_PRE)) t->pre++;
  } else if (!strcmp(tag, "table") || !strcmp(tag, "thead") ||
             !strcmp(tag, "tbody") || !strcmp(tag, "tfoot")) {
    if (!strcmp(tag, "table")) block_break(t);
  } else {
    block_break(t);
  }
}

static void exit_element(text_state *t, const nf_node *n) {
  const char *tag = nf_node_name(n);
  if (nf_html_is_hidden(tag)) return;
  frame *f = top_frame(t, n);
  if (f) {
    t->nframes--;
    switch (f->kind) {
    case F_ITEM:
    case F_QUOTE:
      nf_renderer_pop_prefix(&t->r, f->old_prefix);
      nf_renderer_end_block(&t->r);
      break;
    case F_LINK:
      exit_link(t, n, f);
      return;
    case F_CELL:
      t->cells--;
      return;
    case F_PRE:
      t->pre--;
      break;
    case F_LIST:
      break;
    }
  }
  if (!nf_html_node_is_block(n)) return;
  if (!strcmp(tag, "li") || !strcmp(tag, "tr")) {
    if (t->cells) soft_space(t);
    else nf_renderer_cr(&t->r);
  } else if (!strcmp(tag, "thead") || !strcmp(tag, "tbody") ||
             !strcmp(tag, "tfoot")) {
    /* rows already end their lines */
  } else if ((!strcmp(tag, "ul") || !strcmp(tag, "ol")) &&
             nf_node_parent(n) && nf_node_is(nf_node_parent(n), "li")) {
    nf_renderer_cr(&t->r);
  } else {
    block_break(t);
  }
}

void nf_render_text(const nf_node *n, const nf_render_opts *o, nf_buf *out) {
  static const nf_render_opts defaults;
  text_state t;
  memset(&t, 0, sizeof t);
  t.o = o ? o : &defaults;
  if (!n) return;
  nf_renderer_init(&t.r, out, t.o->width);
  nf_buf_init(&t.scratch);
  nf_iter it;
  nf_iter_init(&it, (nf_node *)n);
  nf_event ev;
  while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
    nf_node *cur = nf_iter_node(&it);
    switch (nf_node_kind_of(cur)) {
    case NF_NODE_ELEMENT:
      if (ev == NF_EV_ENTER) enter_element(&t, &it, cur);
      else exit_element(&t, cur);
      break;
    case NF_NODE_TEXT:
      put_text(&t, nf_node_content(cur) ? nf_node_content(cur) : "");
      break;
    default:
      break;
    }
  }
  nf_renderer_finish(&t.r);
  nf_renderer_free(&t.r);
  nf_buf_free(&t.scratch);
}
