/* render_markdown.c: CommonMark (or GFM) of a node (nf_render_markdown).
 *
 * One pass over nf_iter events into the line engine of render.c, in the
 * manner of cmark's commonmark.c, but from an HTML tree, which can hold
 * what Markdown cannot say. The rules that keep the round trip
 * (Markdown → cmark → HTML) faithful:
 * - text is escaped where a reader would see syntax: always \ ` * [ ] and
 *   entity-like &name; ; _ unless inside a word; < before a tag or
 *   autolink; at a line start also # > - + = ~ and "1." / "1)";
 * - wrapping never puts one of those at the start of a line;
 * - emphasis is written only where CommonMark's flanking rules let the
 *   delimiters open and close (whitespace inside moves outside), never
 *   nested in itself and never around blocks; otherwise the text stays;
 * - a br at the end of a block is dropped (a trailing backslash would be
 *   literal);
 * - lists are tight unless an item holds two blocks; a list right after a
 *   list of the same kind changes its bullet ("-" / "*", "." / ")") so the
 *   two do not merge;
 * - code spans and fences are longer than any backtick run inside;
 * - CommonMark has no tables: a table is one line of raw HTML (an HTML
 *   block), which cmark --unsafe passes through; with gfm, a pipe table.
 * Headings, table cells and links that contain blocks are written on one
 * line ("inline mode": blocks become spaces). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

typedef enum {
  F_LIST, F_ITEM, F_QUOTE, F_EMPH, F_LINK, F_INLINE, F_BLOCK
} frame_kind;

typedef struct frame {
  const nf_node *node;
  frame_kind kind;
  size_t old_prefix;    /* F_ITEM, F_QUOTE */
  int saved_tight;      /* F_LIST, F_QUOTE */
  long counter;         /* F_LIST: next number, -1 for bullets */
  char bullet;          /* F_LIST: '-', '*', '.' or ')' */
  const char *delim;    /* F_EMPH: "*", "**", "~~"; NULL when not written */
  int *depth;           /* F_EMPH: the counter of open emphasis it bumped */
  int trailing_ws;      /* F_EMPH: content ends with whitespace */
  int flatten;          /* F_LINK: blocks inside, written on one line */
  int written;          /* F_LINK: link syntax written */
} frame;

#define MAX_FRAMES 256

typedef struct md_state {
  nf_renderer r;
  const nf_render_opts *o;
  int gfm;
  nf_buf scratch, esc;
  frame frames[MAX_FRAMES];
  int nframes;
  int inline_mode;      /* >0: no line breaks (headings, cells, links) */
  int tight;            /* blocks in the current list item: cr, not blank */
  int em, strong, del;  /* emphasis already open */
  int link;             /* inside a written link */
  int pending_break;    /* a br waiting for text on the same block */
  int skip_space;       /* just opened emphasis: drop leading whitespace */
  int digit_start;      /* the line so far is "123": escape a "." next */
  int containers;       /* item and quote prefixes pushed */
  size_t list_end_len;  /* out->len when the last list ended */
  char list_end_bullet;
} md_state;

/* ===== Small helpers ==================================================== */

static frame *push_frame(md_state *m, const nf_node *n, frame_kind kind) {
  if (m->nframes >= MAX_FRAMES) return NULL;
  frame *f = &m->frames[m->nframes++];
  memset(f, 0, sizeof *f);
  f->node = n;
  f->kind = kind;
  f->counter = -1;
  return f;
}

static int is_tag(const char *tag, const char *const *list) {
  for (; *list; list++)
    if (!strcmp(tag, *list)) return 1;
  return 0;
}

static const char *const code_tags[] = {"code", "kbd", "samp", "tt", NULL};
static const char *const em_tags[] = {"em", "i", "cite", "dfn", "var", NULL};
static const char *const strong_tags[] = {"strong", "b", NULL};
static const char *const del_tags[] = {"del", "s", "strike", NULL};

/* May a wrapped line start with s? Not with what a reader would take for
 * a block marker. */
static int md_can_start_line(const char *s, size_t len) {
  if (!len) return 0;
  return !strchr("-+=>#~|*_0123456789", s[0]);
}

/* Writes through the engine, first emitting a pending hard break. */
static void md_out(md_state *m, const char *s, size_t len, int wrap) {
  m->skip_space = 0;
  m->digit_start = 0;
  if (m->pending_break) {
    m->pending_break = 0;
    if (!nf_renderer_at_line_start(&m->r)) {
      nf_renderer_trim_spaces(&m->r);
      nf_renderer_out(&m->r, "\\", 1, 0);
      m->r.need_cr = 1;
    }
  }
  nf_renderer_out(&m->r, s, len, wrap && !m->inline_mode);
}

static void md_puts(md_state *m, const char *s) {
  md_out(m, s, strlen(s), 0);
}

static void soft_space(md_state *m) {
  if (m->skip_space) return;
  int last = nf_renderer_last(&m->r);
  if (last >= 0 && last != ' ') nf_renderer_out(&m->r, " ", 1, 1);
}

static void block_break(md_state *m) {
  m->pending_break = 0;
  if (m->inline_mode) soft_space(m);
  else if (m->tight) nf_renderer_cr(&m->r);
  else nf_renderer_blankline(&m->r);
}

/* ===== Escaping ========================================================= */

static int entity_like(const char *s) {
  /* s at '&': "&name;" or "&#123;" */
  const char *p = s + 1;
  if (*p == '#') p++;
  const char *start = p;
  while (isalnum((unsigned char)*p)) p++;
  return p > start && *p == ';' && p - start <= 32;
}

/* Appends text s (whitespace already collapsed) escaped for Markdown;
 * line_start: s begins a line. prev: the byte before s (-1: none). */
static void md_escape(md_state *m, const char *s, size_t len, int line_start,
                      int prev, nf_buf *out) {
  size_t i = 0;
  if (line_start && len) {
    /* "1986. " would start an ordered list. */
    size_t d = 0;
    while (d < len && d < 10 && isdigit((unsigned char)s[d])) d++;
    if (d > 0 && d < len && (s[d] == '.' || s[d] == ')') &&
        (d + 1 == len || s[d + 1] == ' ')) {
      nf_buf_put(out, s, d);
      nf_buf_putc(out, '\\');
      i = d;
    } else if (strchr("-+=>#~|", s[0])) {
      nf_buf_putc(out, '\\');
    }
  } else if (m->digit_start && len && (s[0] == '.' || s[0] == ')') &&
             (len == 1 || s[1] == ' ')) {
    nf_buf_putc(out, '\\'); /* "1" then "." from another text node */
  }
  for (; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    int next = i + 1 < len ? (unsigned char)s[i + 1] : -1;
    int before = i > 0 ? (unsigned char)s[i - 1] : prev;
    int esc = 0;
    switch (c) {
    case '\\': case '`': case '*': case '[': case ']':
      esc = 1;
      break;
    case '_':
      esc = !(before >= 0 && isalnum(before) && next >= 0 && isalnum(next));
      break;
    case '<':
      esc = next >= 0 && (isalpha(next) || next == '/' || next == '!' ||
                          next == '?');
      break;
    case '&':
      esc = entity_like(s + i);
      break;
    case '#':
      esc = m->inline_mode > 0; /* a closing sequence in a heading */
      break;
    case '|': case '~':
      esc = m->gfm;
      break;
    default:
      if (c < 0x20 && c != '\t') continue; /* control characters */
      break;
    }
    if (esc) nf_buf_putc(out, '\\');
    nf_buf_putc(out, c);
  }
}

/* Writes text (a text node's content). */
static void put_text(md_state *m, const char *s) {
  int last = nf_renderer_last(&m->r);
  int at_space = last < 0 || last == ' ' || m->skip_space;
  nf_buf_clear(&m->scratch);
  nf_render_collapse(s, &m->scratch, &at_space);
  if (!m->scratch.len) return;
  if (m->pending_break && m->scratch.ptr[0] == ' ' && m->scratch.len == 1)
    return; /* a space between <br> and the next line */
  const char *t = m->scratch.ptr;
  size_t len = m->scratch.len;
  if (m->pending_break)
    while (len && *t == ' ') t++, len--;
  if (!len) return;
  /* The hard break (if any) goes out first so the line start is known. */
  if (m->pending_break) md_out(m, "", 0, 0);
  nf_buf_clear(&m->esc);
  int line_start = nf_renderer_at_line_start(&m->r);
  md_escape(m, t, len, line_start, nf_renderer_last(&m->r), &m->esc);
  md_out(m, m->esc.ptr, m->esc.len, 1);
  m->digit_start = line_start && len <= 9 && strspn(t, "0123456789") == len;
}

/* ===== Looking around in the tree ======================================= */

typedef enum { C_NONE = 0, C_SPACE, C_PUNCT, C_OTHER } char_class;

static char_class classify_cp(const unsigned char *s, size_t len) {
  uint32_t c;
  if (!nf_utf8_decode((const char *)s, len, &c)) return C_OTHER;
  if (c < 0x80) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
      return C_SPACE;
    return ispunct((int)c) ? C_PUNCT : C_OTHER;
  }
  if (c == 0xA0) return C_SPACE;
  if (c >= 0xA1 && c <= 0xBF) return C_PUNCT;
  if (c >= 0x2000 && c <= 0x203F) /* spaces, then general punctuation */
    return c <= 0x200A || c == 0x202F ? C_SPACE : C_PUNCT;
  if (c >= 0x3000 && c <= 0x303F) /* CJK punctuation */
    return c == 0x3000 ? C_SPACE : C_PUNCT;
  return C_OTHER;
}

/* Class of the last code point of s[0..len). */
static char_class last_class(const char *s, size_t len) {
  if (!len) return C_NONE;
  size_t i = nf_utf8_prev(s, len);
  return classify_cp((const unsigned char *)s + i, len - i);
}

typedef struct scan {
  char_class first, last;  /* first/last non-space content */
  int lead_ws, trail_ws;   /* whitespace before/after it */
  int has_block;
} scan;

/* What a node's content starts and ends with, as emphasis needs to know.
 * Bounded: past 20000 nodes it reports a block (no emphasis). */
static void scan_content(const nf_node *n, scan *sc) {
  memset(sc, 0, sizeof *sc);
  nf_iter it;
  nf_iter_init(&it, (nf_node *)n);
  nf_event ev;
  long steps = 0;
  int seen_ws = 0;
  while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
    if (++steps > 20000) {
      sc->has_block = 1;
      return;
    }
    nf_node *c = nf_iter_node(&it);
    if (c == n) continue;
    char_class open = C_NONE, close = C_NONE;
    if (nf_node_kind_of(c) == NF_NODE_ELEMENT) {
      if (ev != NF_EV_ENTER) continue;
      const char *tag = nf_node_name(c);
      if (nf_html_is_hidden(tag)) {
        nf_iter_skip_children(&it);
        continue;
      }
      if (nf_html_node_is_block(c)) sc->has_block = 1;
      if (!strcmp(tag, "br")) {
        seen_ws = 1;
        continue;
      }
      if (!strcmp(tag, "img") || !strcmp(tag, "a") ||
          is_tag(tag, code_tags)) {
        /* Written as markup: ![..](..), [..](..), `..`: punctuation at
         * both ends (or, for a link written as text, stricter than the
         * truth, which is the safe side). */
        open = close = C_PUNCT;
        nf_iter_skip_children(&it);
      } else {
        continue;
      }
    } else if (nf_node_kind_of(c) == NF_NODE_TEXT) {
      const char *s = nf_node_content(c);
      if (!s) continue;
      size_t len = strlen(s);
      size_t i = 0;
      while (i < len && strchr(" \t\n\r\f", s[i])) i++;
      if (i == len) {
        if (len) seen_ws = 1;
        continue;
      }
      if (i > 0) seen_ws = 1;
      open = classify_cp((const unsigned char *)s + i, len - i);
      size_t e = len;
      while (e > i && strchr(" \t\n\r\f", s[e - 1])) e--;
      close = last_class(s + i, e - i);
      if (!sc->first) {
        sc->first = open;
        sc->lead_ws = seen_ws;
      }
      sc->last = close;
      sc->trail_ws = e < len;
      seen_ws = e < len;
      continue;
    } else {
      continue;
    }
    if (!sc->first) {
      sc->first = open;
      sc->lead_ws = seen_ws;
    }
    sc->last = close ? close : open;
    sc->trail_ws = 0;
    seen_ws = 0;
  }
  if (seen_ws && sc->first) sc->trail_ws = 1;
}

/* Class of the first character written after n ends (C_SPACE at a block
 * boundary or the end). */
static char_class next_class(const nf_node *n) {
  const nf_node *cur = n;
  int into = 0; /* visit cur's first child next */
  for (int steps = 0; steps < 200; steps++) {
    const nf_node *next = into ? nf_node_first_child(cur) : NULL;
    into = 0;
    if (!next) {
      next = nf_node_next(cur);
      while (!next) {
        cur = nf_node_parent(cur);
        if (!cur || nf_node_kind_of(cur) != NF_NODE_ELEMENT ||
            nf_html_node_is_block(cur))
          return C_SPACE;
        next = nf_node_next(cur);
      }
    }
    cur = next;
    if (nf_node_kind_of(cur) == NF_NODE_TEXT) {
      const char *s = nf_node_content(cur);
      if (s && *s) return classify_cp((const unsigned char *)s, strlen(s));
      continue;
    }
    if (nf_node_kind_of(cur) != NF_NODE_ELEMENT) continue;
    const char *tag = nf_node_name(cur);
    if (nf_html_is_hidden(tag)) continue;
    if (nf_html_node_is_block(cur) || !strcmp(tag, "br")) return C_SPACE;
    if (!strcmp(tag, "img") || is_tag(tag, code_tags) ||
        (!strcmp(tag, "a") && nf_node_attr(cur, "href")))
      return C_PUNCT;
    into = 1; /* other inline elements: their text decides */
  }
  return C_OTHER;
}

/* ===== Inline elements ================================================== */

static void enter_emphasis(md_state *m, const nf_node *n, const char *delim,
                           int *depth) {
  frame *f = push_frame(m, n, F_EMPH);
  if (!f) return;
  if (*depth > 0) return; /* already emphasised: *a *b* c* is not nested */
  scan sc;
  scan_content(n, &sc);
  if (sc.has_block || !sc.first) return;
  char_class prev = sc.lead_ws ? C_SPACE : C_NONE;
  if (!prev) {
    int last = nf_renderer_last(&m->r);
    if (last < 0) prev = C_SPACE;
    else if (last == delim[0]) return; /* ** next to * would merge */
    else prev = last_class(m->r.out->ptr, m->r.out->len);
  }
  char_class next = sc.trail_ws ? C_SPACE : next_class(n);
  /* Unicode spaces (no-break) at the edges cannot move out: no emphasis. */
  int opens = sc.first != C_SPACE &&
              (sc.first != C_PUNCT || prev == C_SPACE || prev == C_PUNCT);
  int closes = sc.last != C_SPACE &&
               (sc.last != C_PUNCT || next == C_SPACE || next == C_PUNCT);
  if (!opens || !closes) return;
  if (sc.lead_ws) soft_space(m);
  md_puts(m, delim);
  m->skip_space = 1;
  f->delim = delim;
  f->depth = depth;
  f->trailing_ws = sc.trail_ws;
  (*depth)++;
}

static void exit_emphasis(md_state *m, frame *f) {
  if (!f->delim) return;
  int held = m->pending_break; /* a br at the end stays outside */
  m->pending_break = 0;
  size_t trimmed = nf_renderer_trim_spaces(&m->r);
  md_puts(m, f->delim);
  if (trimmed || f->trailing_ws) md_puts(m, " ");
  m->pending_break = held;
  (*f->depth)--;
}

/* A link destination: bare with backslash escapes, or <...> when it holds
 * spaces or brackets. */
static void put_url(nf_buf *out, const char *url) {
  int pointy = !*url;
  int depth = 0;
  for (const char *p = url; *p; p++) {
    if ((unsigned char)*p <= 0x20 || *p == '<' || *p == '>') pointy = 1;
    if (*p == '(') depth++;
    if (*p == ')' && --depth < 0) pointy = 1;
  }
  if (depth) pointy = 1;
  if (pointy) nf_buf_putc(out, '<');
  for (const char *p = url; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '\n' || c == '\r') nf_buf_puts(out, "%0A");
    else if (c < 0x20) nf_buf_printf(out, "%%%02X", c);
    else if (pointy && c == '<') nf_buf_puts(out, "%3C");
    else if (pointy && c == '>') nf_buf_puts(out, "%3E");
    else if (c == '&' && entity_like(p))
      nf_buf_puts(out, "&amp;"); /* cmark decodes entities before \ */
    else if (c == '\\' || (!pointy && (c == '(' || c == ')'))) {
      nf_buf_putc(out, '\\');
      nf_buf_putc(out, c);
    } else {
      nf_buf_putc(out, c);
    }
  }
  if (pointy) nf_buf_putc(out, '>');
}

static void put_title(nf_buf *out, const char *title) {
  if (!title || !*title) return;
  nf_buf_puts(out, " \"");
  int at_space = 0;
  for (const char *p = title; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (strchr(" \t\n\r\f", c)) {
      if (!at_space) nf_buf_putc(out, ' ');
      at_space = 1;
      continue;
    }
    at_space = 0;
    if (c == '&' && entity_like(p)) {
      nf_buf_puts(out, "&amp;");
      continue;
    }
    if (c == '"' || c == '\\') nf_buf_putc(out, '\\');
    if (c >= 0x20) nf_buf_putc(out, c);
  }
  nf_buf_putc(out, '"');
}

/* "](url "title")" after a link's or image's text. */
static void put_destination(md_state *m, const char *href,
                            const char *title) {
  nf_buf url = NF_BUF_INIT, tail = NF_BUF_INIT;
  nf_buf_init(&url);
  nf_buf_init(&tail);
  /* Browsers ignore whitespace around URLs. */
  while (*href && strchr(" \t\n\r\f", *href)) href++;
  nf_url_resolve(m->o->base_url, href, &url);
  while (url.len && strchr(" \t\n\r\f", url.ptr[url.len - 1]))
    nf_buf_truncate(&url, url.len - 1);
  nf_buf_puts(&tail, "](");
  put_url(&tail, url.ptr);
  put_title(&tail, title);
  nf_buf_putc(&tail, ')');
  md_out(m, tail.ptr, tail.len, 0);
  nf_buf_free(&url);
  nf_buf_free(&tail);
}

static void enter_link(md_state *m, const nf_node *n) {
  frame *f = push_frame(m, n, F_LINK);
  if (!f) return;
  const char *href = nf_node_attr(n, "href");
  if (!href || m->link || nf_url_is_unsafe(href)) return;
  scan sc;
  scan_content(n, &sc);
  if (sc.has_block) {
    f->flatten = 1;
    m->inline_mode++;
    soft_space(m);
  }
  md_puts(m, "[");
  m->skip_space = 1;
  f->written = 1;
  m->link++;
}

static void exit_link(md_state *m, const nf_node *n, frame *f) {
  if (f->flatten) m->inline_mode--;
  if (!f->written) return;
  m->link--;
  int held = m->pending_break;
  m->pending_break = 0;
  nf_renderer_trim_spaces(&m->r);
  put_destination(m, nf_node_attr(n, "href"), nf_node_attr(n, "title"));
  m->pending_break = held;
  if (f->flatten) block_break(m);
}

static void put_image(md_state *m, const nf_node *n) {
  const char *src = nf_node_attr(n, "src");
  if (!src || !*src) src = nf_node_attr(n, "data-src");
  if (!src || !*src || nf_url_is_unsafe(src)) return;
  const char *alt = nf_node_attr(n, "alt");
  md_puts(m, "![");
  if (alt && *alt) {
    nf_buf_clear(&m->scratch);
    int at_space = 1;
    nf_render_collapse(alt, &m->scratch, &at_space);
    nf_buf_clear(&m->esc);
    md_escape(m, m->scratch.ptr, m->scratch.len, 0, '[', &m->esc);
    md_out(m, m->esc.ptr, m->esc.len, 0);
  }
  put_destination(m, src, nf_node_attr(n, "title"));
}

/* Longest run of c in s. */
static size_t longest_run(const char *s, size_t len, char c) {
  size_t best = 0, run = 0;
  for (size_t i = 0; i < len; i++) {
    run = s[i] == c ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

static void put_code_span(md_state *m, const nf_node *n) {
  nf_buf raw = NF_BUF_INIT, code = NF_BUF_INIT, span = NF_BUF_INIT;
  nf_buf_init(&raw);
  nf_buf_init(&code);
  nf_buf_init(&span);
  nf_node_text(n, &raw);
  int at_space = 0;
  nf_render_collapse(raw.ptr, &code, &at_space);
  int blank = 1;
  for (size_t i = 0; i < code.len; i++)
    if (code.ptr[i] != ' ') blank = 0;
  if (code.len && blank) {
    soft_space(m);
  } else if (code.len) {
    size_t ticks = longest_run(code.ptr, code.len, '`') + 1;
    int pad = code.ptr[0] == '`' || code.ptr[code.len - 1] == '`' ||
              (code.ptr[0] == ' ' && code.ptr[code.len - 1] == ' ');
    for (size_t i = 0; i < ticks; i++) nf_buf_putc(&span, '`');
    if (pad) nf_buf_putc(&span, ' ');
    nf_buf_put(&span, code.ptr, code.len);
    if (pad) nf_buf_putc(&span, ' ');
    for (size_t i = 0; i < ticks; i++) nf_buf_putc(&span, '`');
    md_out(m, span.ptr, span.len, 1);
  }
  nf_buf_free(&raw);
  nf_buf_free(&code);
  nf_buf_free(&span);
}

/* ===== Blocks =========================================================== */

/* The language of a code block: class="language-x" (or lang-x) on the
 * pre or on its code child. */
static const char *code_language(const nf_node *pre, nf_buf *out) {
  const nf_node *cands[2] = {pre, nf_node_first_element(pre)};
  for (int i = 0; i < 2; i++) {
    const nf_node *c = cands[i];
    if (!c) continue;
    const char *cls = nf_node_attr(c, "class");
    if (!cls) continue;
    for (const char *p = cls; *p;) {
      while (*p && isspace((unsigned char)*p)) p++;
      const char *e = p;
      while (*e && !isspace((unsigned char)*e)) e++;
      size_t skip = !strncmp(p, "language-", 9) ? 9
                    : !strncmp(p, "lang-", 5)   ? 5
                                                : 0;
      if (skip && (size_t)(e - p) > skip) {
        nf_buf_clear(out);
        for (const char *q = p + skip; q < e; q++)
          if (*q != '`' && *q != '~') nf_buf_putc(out, *q);
        if (out->len) return out->ptr;
      }
      p = e;
    }
  }
  return NULL;
}

/* Text of a pre: text nodes as they are, br as newlines. */
static void pre_text(const nf_node *n, nf_buf *out) {
  nf_iter it;
  nf_iter_init(&it, (nf_node *)n);
  nf_event ev;
  while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
    nf_node *c = nf_iter_node(&it);
    if (nf_node_kind_of(c) == NF_NODE_TEXT) {
      const char *s = nf_node_content(c);
      if (s) nf_buf_puts(out, s);
    } else if (ev == NF_EV_ENTER && nf_node_kind_of(c) == NF_NODE_ELEMENT) {
      if (nf_node_is(c, "br")) nf_buf_putc(out, '\n');
      else if (c != n && nf_html_is_hidden(nf_node_name(c)))
        nf_iter_skip_children(&it);
    }
  }
}

static void put_code_block(md_state *m, const nf_node *n) {
  nf_buf code = NF_BUF_INIT, lang = NF_BUF_INIT, fence = NF_BUF_INIT;
  nf_buf_init(&code);
  nf_buf_init(&lang);
  nf_buf_init(&fence);
  pre_text(n, &code);
  /* Tabs and carriage returns, and the newlines at the end. */
  size_t w = 0;
  for (size_t i = 0; i < code.len; i++) {
    char c = code.ptr[i];
    if (c == '\r') {
      if (i + 1 < code.len && code.ptr[i + 1] == '\n') continue;
      c = '\n';
    }
    if ((unsigned char)c < 0x20 && c != '\n' && c != '\t') continue;
    code.ptr[w++] = c;
  }
  while (w > 0 && code.ptr[w - 1] == '\n') w--;
  nf_buf_truncate(&code, w);
  const char *language = code_language(n, &lang);
  size_t ticks = longest_run(code.ptr, code.len, '`') + 1;
  if (ticks < 3) ticks = 3;
  for (size_t i = 0; i < ticks; i++) nf_buf_putc(&fence, '`');
  block_break(m);
  md_puts(m, fence.ptr);
  if (language) md_puts(m, language);
  md_puts(m, "\n");
  if (code.len) {
    nf_renderer_out(&m->r, code.ptr, code.len, 0);
    md_puts(m, "\n");
  }
  md_puts(m, fence.ptr);
  block_break(m);
  nf_buf_free(&code);
  nf_buf_free(&lang);
  nf_buf_free(&fence);
}

/* Is a list loose: does one of its items hold two blocks? */
static int list_is_loose(const nf_node *list) {
  for (nf_node *li = nf_node_first_element(list); li;
       li = nf_node_next_element(li)) {
    int count = 0, in_run = 0;
    for (nf_node *c = nf_node_first_child(li); c; c = nf_node_next(c)) {
      if (nf_node_kind_of(c) == NF_NODE_TEXT) {
        const char *s = nf_node_content(c);
        if (s && s[strspn(s, " \t\n\r\f")] && !in_run) {
          count++;
          in_run = 1;
        }
      } else if (nf_node_kind_of(c) == NF_NODE_ELEMENT) {
        const char *tag = nf_node_name(c);
        if (nf_html_is_hidden(tag)) continue;
        if (nf_html_flags(tag) & NF_EL_LIST) {
          in_run = 0;
        } else if (nf_html_node_is_block(c)) {
          count++;
          in_run = 0;
        } else if (!in_run && strcmp(tag, "br") != 0) {
          count++;
          in_run = 1;
        }
      }
      if (count >= 2) return 1;
    }
  }
  return 0;
}

static void enter_list(md_state *m, const nf_node *n) {
  if (m->inline_mode) {
    soft_space(m);
    return;
  }
  int ordered = nf_node_is(n, "ol");
  int adjacent = m->r.out->len == m->list_end_len && m->r.out->len > 0;
  /* A list first in an item goes on the next line: "- - -" would be a
   * thematic break. */
  if (m->containers > 0 && m->r.out->len == m->r.content_start &&
      m->r.out->len > 0)
    nf_renderer_end_block(&m->r);
  block_break(m);
  frame *f = push_frame(m, n, F_LIST);
  if (!f) return;
  f->saved_tight = m->tight;
  m->tight = !list_is_loose(n);
  if (ordered) {
    const char *start = nf_node_attr(n, "start");
    long v = start ? strtol(start, NULL, 10) : 1;
    f->counter = v < 0 || v > 999999999 ? 1 : v;
    f->bullet = adjacent && m->list_end_bullet == '.' ? ')' : '.';
  } else {
    f->bullet = adjacent && m->list_end_bullet == '-' ? '*' : '-';
  }
}

static void enter_item(md_state *m, const nf_node *n) {
  if (m->inline_mode) {
    soft_space(m);
    return;
  }
  frame *list = NULL;
  if (m->nframes && m->frames[m->nframes - 1].kind == F_LIST &&
      m->frames[m->nframes - 1].node == nf_node_parent(n))
    list = &m->frames[m->nframes - 1];
  block_break(m);
  nf_renderer_cr(&m->r);
  char marker[32];
  if (list && list->counter >= 0)
    snprintf(marker, sizeof marker, "%ld%c ", list->counter++, list->bullet);
  else
    snprintf(marker, sizeof marker, "%c ", list ? list->bullet : '-');
  m->pending_break = 0;
  nf_renderer_marker(&m->r, marker);
  if (m->containers >= NF_RENDER_MAX_DEPTH) return;
  frame *f = push_frame(m, n, F_ITEM);
  if (!f) return;
  char pad[32];
  size_t w = strlen(marker);
  memset(pad, ' ', w);
  pad[w] = 0;
  f->old_prefix = nf_renderer_push_prefix(&m->r, pad);
  m->containers++;
}

static void enter_quote(md_state *m, const nf_node *n) {
  if (m->inline_mode) {
    soft_space(m);
    return;
  }
  block_break(m);
  m->pending_break = 0;
  nf_renderer_marker(&m->r, "> ");
  if (m->containers >= NF_RENDER_MAX_DEPTH) return;
  frame *f = push_frame(m, n, F_QUOTE);
  if (!f) return;
  f->old_prefix = nf_renderer_push_prefix(&m->r, "> ");
  f->saved_tight = m->tight;
  m->tight = 0;
  m->containers++;
}

static void enter_heading(md_state *m, const nf_node *n, int level) {
  if (m->inline_mode) {
    soft_space(m);
    return;
  }
  block_break(m);
  char hashes[8];
  memset(hashes, '#', (size_t)level);
  hashes[level] = ' ';
  hashes[level + 1] = 0;
  nf_renderer_marker(&m->r, hashes);
  if (push_frame(m, n, F_INLINE)) m->inline_mode++;
}

/* A row of a GFM table: each cell rendered on its own, | escaped. */
static void render_cells(md_state *m, const nf_node *tr, size_t ncols);

static void collect_rows(const nf_node *table, nf_nodelist *rows) {
  for (nf_node *c = nf_node_first_element(table); c;
       c = nf_node_next_element(c)) {
    if (nf_node_is(c, "tr")) nf_nodelist_push(rows, c);
    else if (nf_node_is(c, "thead") || nf_node_is(c, "tbody") ||
             nf_node_is(c, "tfoot"))
      for (nf_node *r = nf_node_first_element(c); r;
           r = nf_node_next_element(r))
        if (nf_node_is(r, "tr")) nf_nodelist_push(rows, r);
  }
}

static size_t count_cells(const nf_node *tr) {
  size_t n = 0;
  for (nf_node *c = nf_node_first_element(tr); c; c = nf_node_next_element(c))
    if (nf_node_is(c, "td") || nf_node_is(c, "th")) n++;
  return n;
}

static void put_gfm_table(md_state *m, const nf_node *table) {
  nf_nodelist rows = {0};
  collect_rows(table, &rows);
  size_t ncols = 0;
  for (size_t i = 0; i < rows.len; i++) {
    size_t c = count_cells(rows.items[i]);
    if (c > ncols) ncols = c;
  }
  if (ncols > 0) {
    block_break(m);
    for (size_t i = 0; i < rows.len; i++) {
      render_cells(m, rows.items[i], ncols);
      if (i == 0) {
        nf_renderer_cr(&m->r);
        md_puts(m, "|");
        for (size_t c = 0; c < ncols; c++) md_puts(m, " --- |");
      }
    }
    block_break(m);
  }
  nf_nodelist_free(&rows);
}

static void put_html_table(md_state *m, const nf_node *table) {
  nf_render_opts ho;
  memset(&ho, 0, sizeof ho);
  ho.base_url = m->o->base_url;
  nf_buf html = NF_BUF_INIT, line = NF_BUF_INIT;
  nf_buf_init(&html);
  nf_buf_init(&line);
  nf_render_html(table, &ho, &html);
  /* One line: an HTML block ends at a blank line. */
  for (size_t i = 0; i < html.len; i++) {
    if (html.ptr[i] == '\n') nf_buf_puts(&line, "&#10;");
    else if (html.ptr[i] != '\r') nf_buf_putc(&line, html.ptr[i]);
  }
  block_break(m);
  md_out(m, line.ptr, line.len, 0);
  block_break(m);
  nf_buf_free(&html);
  nf_buf_free(&line);
}

static void render_node(md_state *m, const nf_node *n);

static void render_cells(md_state *m, const nf_node *tr, size_t ncols) {
  nf_renderer_cr(&m->r);
  md_puts(m, "|");
  size_t i = 0;
  for (nf_node *c = nf_node_first_element(tr); c; c = nf_node_next_element(c)) {
    if (!nf_node_is(c, "td") && !nf_node_is(c, "th")) continue;
    nf_buf cell = NF_BUF_INIT;
    nf_buf_init(&cell);
    md_state sub;
    memset(&sub, 0, sizeof sub);
    sub.o = m->o;
    sub.gfm = 1;
    sub.inline_mode = 1;
    nf_renderer_init(&sub.r, &cell, 0);
    nf_buf_init(&sub.scratch);
    nf_buf_init(&sub.esc);
    sub.em = m->em, sub.strong = m->strong, sub.del = m->del;
    sub.link = m->link;
    render_node(&sub, c);
    nf_renderer_free(&sub.r);
    nf_buf_free(&sub.scratch);
    nf_buf_free(&sub.esc);
    /* Trim, and keep it on one line. */
    size_t s = 0, e = cell.len;
    while (s < e && (cell.ptr[s] == ' ' || cell.ptr[s] == '\n')) s++;
    while (e > s && (cell.ptr[e - 1] == ' ' || cell.ptr[e - 1] == '\n')) e--;
    for (size_t k = s; k < e; k++)
      if (cell.ptr[k] == '\n') cell.ptr[k] = ' ';
    md_puts(m, " ");
    md_out(m, cell.ptr + s, e - s, 0);
    md_puts(m, " |");
    nf_buf_free(&cell);
    i++;
  }
  for (; i < ncols; i++) md_puts(m, "  |");
}

/* ===== The walk ========================================================= */

static void enter_element(md_state *m, nf_iter *it, const nf_node *n) {
  const char *tag = nf_node_name(n);
  if (nf_html_node_hidden(n)) {
    nf_iter_skip_children(it);
    return;
  }
  if (!strcmp(tag, "br")) {
    if (m->inline_mode) soft_space(m);
    else if (!nf_renderer_at_line_start(&m->r)) m->pending_break = 1;
    return;
  }
  if (!strcmp(tag, "img")) {
    put_image(m, n);
    return;
  }
  if (!strcmp(tag, "a")) {
    enter_link(m, n);
    return;
  }
  if (is_tag(tag, code_tags)) {
    put_code_span(m, n);
    nf_iter_skip_children(it);
    return;
  }
  if (is_tag(tag, em_tags)) {
    enter_emphasis(m, n, "*", &m->em);
    return;
  }
  if (is_tag(tag, strong_tags)) {
    enter_emphasis(m, n, "**", &m->strong);
    return;
  }
  if (is_tag(tag, del_tags)) {
    if (m->gfm) enter_emphasis(m, n, "~~", &m->del);
    return;
  }
  if (!nf_html_node_is_block(n)) return;
  if (m->inline_mode) {
    if (nf_html_flags(tag) & NF_EL_PRE) {
      put_code_span(m, n);
      nf_iter_skip_children(it);
    } else {
      soft_space(m);
    }
    return;
  }
  if (nf_html_flags(tag) & NF_EL_PRE) {
    put_code_block(m, n);
    nf_iter_skip_children(it);
  } else if (tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6' && !tag[2]) {
    enter_heading(m, n, tag[1] - '0');
  } else if (nf_html_flags(tag) & NF_EL_LIST) {
    enter_list(m, n);
  } else if (!strcmp(tag, "li")) {
    enter_item(m, n);
  } else if (!strcmp(tag, "blockquote")) {
    enter_quote(m, n);
  } else if (!strcmp(tag, "hr")) {
    block_break(m);
    md_puts(m, "* * *");
    block_break(m);
  } else if (!strcmp(tag, "table")) {
    if (m->gfm) put_gfm_table(m, n);
    else put_html_table(m, n);
    nf_iter_skip_children(it);
  } else if (!strcmp(tag, "figcaption")) {
    block_break(m); /* the caption: an italic paragraph */
    enter_emphasis(m, n, "*", &m->em);
  } else {
    block_break(m);
  }
}

static void exit_element(md_state *m, const nf_node *n) {
  const char *tag = nf_node_name(n);
  if (nf_html_is_hidden(tag)) return;
  frame *f = m->nframes && m->frames[m->nframes - 1].node == n
                 ? &m->frames[--m->nframes]
                 : NULL;
  if (f) {
    switch (f->kind) {
    case F_EMPH:
      exit_emphasis(m, f);
      if (!strcmp(tag, "figcaption")) block_break(m);
      return;
    case F_LINK:
      exit_link(m, n, f);
      return;
    case F_INLINE:
      m->inline_mode--;
      nf_renderer_trim_spaces(&m->r);
      nf_renderer_end_block(&m->r);
      block_break(m);
      return;
    case F_ITEM:
    case F_QUOTE:
      nf_renderer_pop_prefix(&m->r, f->old_prefix);
      m->containers--;
      if (f->kind == F_QUOTE) m->tight = f->saved_tight;
      m->pending_break = 0;
      nf_renderer_end_block(&m->r);
      if (f->kind == F_QUOTE) block_break(m);
      return;
    case F_LIST:
      m->tight = f->saved_tight;
      m->pending_break = 0;
      m->list_end_len = m->r.out->len;
      m->list_end_bullet = f->bullet;
      block_break(m);
      return;
    case F_BLOCK:
      break;
    }
  }
  if (!nf_html_node_is_block(n)) return;
  if (!strcmp(tag, "li") && !m->inline_mode) {
    nf_renderer_cr(&m->r);
    return;
  }
  block_break(m);
}

static void render_node(md_state *m, const nf_node *n) {
  nf_iter it;
  nf_iter_init(&it, (nf_node *)n);
  nf_event ev;
  while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
    nf_node *cur = nf_iter_node(&it);
    switch (nf_node_kind_of(cur)) {
    case NF_NODE_ELEMENT:
      if (ev == NF_EV_ENTER) enter_element(m, &it, cur);
      else exit_element(m, cur);
      break;
    case NF_NODE_TEXT:
      put_text(m, nf_node_content(cur) ? nf_node_content(cur) : "");
      break;
    default:
      break;
    }
  }
}

void nf_render_markdown(const nf_node *n, const nf_render_opts *o,
                        nf_buf *out) {
  static const nf_render_opts defaults;
  md_state m;
  memset(&m, 0, sizeof m);
  m.o = o ? o : &defaults;
  m.gfm = m.o->gfm;
  if (!n) return;
  nf_renderer_init(&m.r, out, m.o->width);
  m.r.can_start_line = md_can_start_line;
  m.list_end_len = (size_t)-1;
  nf_buf_init(&m.scratch);
  nf_buf_init(&m.esc);
  render_node(&m, n);
  nf_renderer_finish(&m.r);
  nf_renderer_free(&m.r);
  nf_buf_free(&m.scratch);
  nf_buf_free(&m.esc);
}
