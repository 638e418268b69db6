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
 * line ("inline mode": blocks become spaces).
 * Links are inline, reference-style ([text][n], "[n]: URL" at the end, one
 * number per URL and title) or left out (text only). With gfm, note references
 * (a href="#id" in a sup, or a.footnote) become [^n] and their notes
 * "[^n]: text" at the end, each note rendered on one line without its
 * back-links; the notes list (the targets, or their whole list and its
 * footnotes section) is not rendered where it stands. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "strset.h"

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

/* String -> number, open addressing on nf_hash_bytes; keys borrowed. */
typedef struct md_map {
  const char **keys;
  size_t *vals;
  size_t len, cap;
  size_t *slots;        /* entry index + 1; 0 = empty */
  size_t nslots;
} md_map;

/* What goes at the end of the output, shared with the sub-renderers of
 * table cells and notes. */
typedef struct md_refs {
  md_map urls;          /* reference links: "URL \"title\"" -> number */
  char **owned;         /* the keys of urls */
  nf_buf defs;          /* "[n]: URL "title"" lines */
  int notes_on;         /* gfm: look for note references */
  int have_ids;         /* ids built */
  md_map ids;           /* id -> element index + 1 in elems */
  nf_nodelist elems;    /* elements with an id */
  md_map has_text;      /* target id -> 1 when it has text, else 0 */
  md_map note_ids;      /* target id -> note number */
  nf_nodelist notes;    /* targets, in number order */
  nf_nodelist skip;     /* not rendered where they stand (sorted) */
} md_refs;

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
  md_refs *refs;
  int in_note;          /* rendering a note: back-links left out */
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

/* ===== Collected links and notes ======================================= */

static size_t *map_get(const md_map *mp, const char *key) {
  if (!mp->nslots) return NULL;
  size_t i = (size_t)nf_hash_bytes(key, strlen(key)) & (mp->nslots - 1);
  for (; mp->slots[i]; i = (i + 1) & (mp->nslots - 1))
    if (!strcmp(mp->keys[mp->slots[i] - 1], key))
      return &mp->vals[mp->slots[i] - 1];
  return NULL;
}

static void map_slot(md_map *mp, size_t entry) {
  const char *key = mp->keys[entry];
  size_t i = (size_t)nf_hash_bytes(key, strlen(key)) & (mp->nslots - 1);
  while (mp->slots[i]) i = (i + 1) & (mp->nslots - 1);
  mp->slots[i] = entry + 1;
}

/* Adds key (not already there). */
static void map_put(md_map *mp, const char *key, size_t val) {
  if (mp->len == mp->cap) {
    mp->cap = mp->cap ? mp->cap * 2 : 16;
    mp->keys = nf_xrealloc(mp->keys, mp->cap * sizeof *mp->keys);
    mp->vals = nf_xrealloc(mp->vals, mp->cap * sizeof *mp->vals);
  }
  mp->keys[mp->len] = key;
  mp->vals[mp->len] = val;
  mp->len++;
  if (mp->len * 2 > mp->nslots) {
    free(mp->slots);
    mp->nslots = mp->nslots ? mp->nslots * 2 : 32;
    while (mp->len * 2 > mp->nslots) mp->nslots *= 2;
    mp->slots = nf_xcalloc(mp->nslots, sizeof *mp->slots);
    for (size_t e = 0; e < mp->len; e++) map_slot(mp, e);
  } else {
    map_slot(mp, mp->len - 1);
  }
}

static void map_free(md_map *mp) {
  free(mp->keys);
  free(mp->vals);
  free(mp->slots);
  memset(mp, 0, sizeof *mp);
}

static int has_token(const char *list, const char *word) {
  size_t wl = strlen(word);
  for (const char *p = list ? list : ""; *p;) {
    while (*p && isspace((unsigned char)*p)) p++;
    const char *e = p;
    while (*e && !isspace((unsigned char)*e)) e++;
    if ((size_t)(e - p) == wl && !strncmp(p, word, wl)) return 1;
    p = e;
  }
  return 0;
}

static int is_ancestor_or_self(const nf_node *anc, const nf_node *n) {
  for (; n; n = nf_node_parent(n))
    if (n == anc) return 1;
  return 0;
}

/* The element with this id in n's tree (the first one), or NULL. */
static const nf_node *element_by_id(md_refs *rf, const nf_node *n,
                                    const char *id) {
  if (!rf->have_ids) {
    rf->have_ids = 1;
    const nf_node *top = n;
    while (nf_node_parent(top) &&
           nf_node_kind_of(nf_node_parent(top)) == NF_NODE_ELEMENT)
      top = nf_node_parent(top);
    nf_iter it;
    nf_iter_init(&it, (nf_node *)top);
    for (nf_node *c; (c = nf_iter_next_element(&it));) {
      const char *v = nf_node_attr(c, "id");
      if (v && *v && !map_get(&rf->ids, v)) {
        nf_nodelist_push(&rf->elems, c);
        map_put(&rf->ids, v, rf->elems.len);
      }
    }
  }
  size_t *e = map_get(&rf->ids, id);
  return e ? rf->elems.items[*e - 1] : NULL;
}

/* The note that a points to when a is a note reference (an a href="#id"
 * in a sup, or with class footnote / role doc-noteref) and its target is
 * a visible element with text that does not contain a; else NULL. */
static const nf_node *note_target(md_refs *rf, const nf_node *a) {
  if (!rf->notes_on || !nf_node_is(a, "a")) return NULL;
  const char *href = nf_node_attr(a, "href");
  if (!href || href[0] != '#' || !href[1]) return NULL;
  const nf_node *parent = nf_node_parent(a);
  if (!(parent && nf_node_is(parent, "sup")) &&
      !has_token(nf_node_attr(a, "class"), "footnote") &&
      !has_token(nf_node_attr(a, "class"), "footnote-ref") &&
      !has_token(nf_node_attr(a, "role"), "doc-noteref"))
    return NULL;
  const nf_node *t = element_by_id(rf, a, href + 1);
  if (!t || is_ancestor_or_self(t, a) || nf_html_node_hidden(t)) return NULL;
  /* Has it text? Once per target (pages may refer to one note often). */
  const char *id = nf_node_attr(t, "id");
  size_t *known = map_get(&rf->has_text, id);
  if (!known) {
    nf_buf text = NF_BUF_INIT;
    nf_buf_init(&text);
    nf_node_text(t, &text);
    map_put(&rf->has_text, id,
            text.len && text.ptr[strspn(text.ptr, " \t\n\r\f")]);
    nf_buf_free(&text);
    known = map_get(&rf->has_text, id);
  }
  return *known ? t : NULL;
}

/* In a note, a link back to its reference (or to the sup around it), or
 * Wikipedia's span of them; left out. */
static int is_back_link(md_refs *rf, const nf_node *a) {
  if (has_token(nf_node_attr(a, "class"), "footnote-backref") ||
      has_token(nf_node_attr(a, "class"), "mw-cite-backlink") ||
      has_token(nf_node_attr(a, "role"), "doc-backlink"))
    return 1;
  if (!nf_node_is(a, "a")) return 0;
  const char *href = nf_node_attr(a, "href");
  if (!href || href[0] != '#' || !href[1]) return 0;
  const nf_node *t = element_by_id(rf, a, href + 1);
  if (t && nf_node_is(t, "sup")) t = nf_node_first_element(t);
  return t && note_target(rf, t) != NULL;
}

static int cmp_ptr(const void *a, const void *b) {
  const void *x = *(const void *const *)a, *y = *(const void *const *)b;
  return x < y ? -1 : x > y;
}

/* Is every element child of el one of the targets? */
static int all_targets(const nf_node *el, const nf_strset *ids) {
  for (nf_node *c = nf_node_first_element(el); c; c = nf_node_next_element(c)) {
    const char *id = nf_node_attr(c, "id");
    if (!id || !nf_strset_has(ids, id)) return 0;
  }
  return 1;
}

/* What the notes list is: each target, or its list when all its items are
 * targets, or the footnotes section holding only that list, headings and
 * rules. Never an ancestor of root. */
static void find_notes_lists(md_refs *rf, const nf_node *root) {
  nf_strset ids = {0};
  nf_nodelist targets = {0};
  nf_iter it;
  nf_iter_init(&it, (nf_node *)root);
  for (nf_node *c; (c = nf_iter_next_element(&it));) {
    const nf_node *t = note_target(rf, c);
    if (t && nf_strset_add(&ids, nf_node_attr(t, "id")))
      nf_nodelist_push(&targets, (nf_node *)t);
  }
  for (size_t i = 0; i < targets.len; i++) {
    const nf_node *t = targets.items[i], *up = t;
    const nf_node *list = nf_node_parent(t);
    if (nf_node_is(t, "li") && list &&
        (nf_node_is(list, "ol") || nf_node_is(list, "ul")) &&
        all_targets(list, &ids)) {
      up = list;
      const nf_node *sec = nf_node_parent(list);
      int only = sec && nf_node_kind_of(sec) == NF_NODE_ELEMENT &&
                 (has_token(nf_node_attr(sec, "class"), "footnotes") ||
                  has_token(nf_node_attr(sec, "role"), "doc-endnotes"));
      for (nf_node *c = only ? nf_node_first_element(sec) : NULL; c;
           c = nf_node_next_element(c)) {
        const char *tag = nf_node_name(c);
        if (c != list && strcmp(tag, "hr") != 0 &&
            !(tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6' && !tag[2]))
          only = 0;
      }
      if (only) up = sec;
    }
    if (is_ancestor_or_self(up, root)) up = t;
    if (!is_ancestor_or_self(up, root)) nf_nodelist_push(&rf->skip, (nf_node *)up);
  }
  if (rf->skip.len)
    qsort(rf->skip.items, rf->skip.len, sizeof *rf->skip.items, cmp_ptr);
  nf_strset_free(&ids);
  nf_nodelist_free(&targets);
}

static int is_skipped(const md_refs *rf, const nf_node *n) {
  return rf->skip.len &&
         bsearch(&n, rf->skip.items, rf->skip.len, sizeof *rf->skip.items,
                 cmp_ptr) != NULL;
}

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
static void scan_content(const md_state *m, const nf_node *n, scan *sc) {
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
      if (nf_html_is_hidden(tag) || (m->in_note && is_back_link(m->refs, c))) {
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
  scan_content(m, n, &sc);
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

/* href resolved against the base URL, without surrounding whitespace. */
static void resolve_href(md_state *m, const char *href, nf_buf *url) {
  /* Browsers ignore whitespace around URLs. */
  while (*href && strchr(" \t\n\r\f", *href)) href++;
  nf_url_resolve(m->o->base_url, href, url);
  while (url->len && strchr(" \t\n\r\f", url->ptr[url->len - 1]))
    nf_buf_truncate(url, url->len - 1);
}

/* The number of a reference link to url with this title, defined at its
 * first use (the same URL and title: the same number). */
static size_t ref_number(md_refs *rf, const char *url, const char *title) {
  nf_buf def = NF_BUF_INIT;
  nf_buf_init(&def);
  put_url(&def, url);
  put_title(&def, title);
  size_t *n = map_get(&rf->urls, def.ptr);
  size_t num = n ? *n : rf->urls.len + 1;
  if (!n) {
    rf->owned = nf_xrealloc(rf->owned, num * sizeof *rf->owned);
    rf->owned[num - 1] = nf_xstrdup(def.ptr);
    map_put(&rf->urls, rf->owned[num - 1], num);
    nf_buf_printf(&rf->defs, "[%zu]: %s\n", num, def.ptr);
  }
  nf_buf_free(&def);
  return num;
}

/* "](url "title")" after a link's or image's text, or "][n]" for a
 * reference link. */
static void put_destination(md_state *m, const char *href, const char *title,
                            int reference) {
  nf_buf url = NF_BUF_INIT, tail = NF_BUF_INIT;
  nf_buf_init(&url);
  nf_buf_init(&tail);
  resolve_href(m, href, &url);
  if (reference) {
    nf_buf_printf(&tail, "][%zu]", ref_number(m->refs, url.ptr, title));
  } else {
    nf_buf_puts(&tail, "](");
    put_url(&tail, url.ptr);
    put_title(&tail, title);
    nf_buf_putc(&tail, ')');
  }
  md_out(m, tail.ptr, tail.len, 0);
  nf_buf_free(&url);
  nf_buf_free(&tail);
}

/* A note reference becomes [^n] (its text left out), a back-link in a
 * note nothing. Returns 1 when it did either. */
static int put_note_ref(md_state *m, nf_iter *it, const nf_node *n) {
  md_refs *rf = m->refs;
  if (m->link) return 0;
  const nf_node *t = note_target(rf, n);
  if (!t) return 0;
  const char *id = nf_node_attr(t, "id");
  size_t *num = map_get(&rf->note_ids, id);
  if (!num) {
    nf_nodelist_push(&rf->notes, (nf_node *)t);
    map_put(&rf->note_ids, id, rf->notes.len);
    num = map_get(&rf->note_ids, id);
  }
  char label[32];
  snprintf(label, sizeof label, "[^%zu]", *num);
  md_puts(m, label);
  nf_iter_skip_children(it);
  return 1;
}

static void enter_link(md_state *m, nf_iter *it, const nf_node *n) {
  if (m->refs->notes_on && put_note_ref(m, it, n)) return;
  frame *f = push_frame(m, n, F_LINK);
  if (!f) return;
  const char *href = nf_node_attr(n, "href");
  if (!href || m->link || nf_url_is_unsafe(href) ||
      m->o->links == NF_LINKS_NONE)
    return;
  scan sc;
  scan_content(m, n, &sc);
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
  put_destination(m, nf_node_attr(n, "href"), nf_node_attr(n, "title"),
                  m->o->links == NF_LINKS_REFERENCE);
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
  put_destination(m, src, nf_node_attr(n, "title"), 0);
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

/* Renders n (or, with children, only its children) on its own in inline
 * mode, as m's context would, into out: trimmed, on one line. */
static void render_inline(md_state *m, const nf_node *n, int children,
                          nf_buf *out) {
  nf_buf raw = NF_BUF_INIT;
  nf_buf_init(&raw);
  md_state sub;
  memset(&sub, 0, sizeof sub);
  sub.o = m->o;
  sub.gfm = m->gfm;
  sub.refs = m->refs;
  sub.in_note = m->in_note;
  sub.inline_mode = 1;
  nf_renderer_init(&sub.r, &raw, 0);
  nf_buf_init(&sub.scratch);
  nf_buf_init(&sub.esc);
  sub.em = m->em, sub.strong = m->strong, sub.del = m->del;
  sub.link = m->link;
  if (children)
    for (const nf_node *c = nf_node_first_child(n); c; c = nf_node_next(c))
      render_node(&sub, c);
  else
    render_node(&sub, n);
  nf_renderer_free(&sub.r);
  nf_buf_free(&sub.scratch);
  nf_buf_free(&sub.esc);
  /* Trim, and keep it on one line. */
  size_t s = 0, e = raw.len;
  while (s < e && (raw.ptr[s] == ' ' || raw.ptr[s] == '\n')) s++;
  while (e > s && (raw.ptr[e - 1] == ' ' || raw.ptr[e - 1] == '\n')) e--;
  for (size_t k = s; k < e; k++)
    nf_buf_putc(out, raw.ptr[k] == '\n' ? ' ' : raw.ptr[k]);
  nf_buf_free(&raw);
}

static void render_cells(md_state *m, const nf_node *tr, size_t ncols) {
  nf_renderer_cr(&m->r);
  md_puts(m, "|");
  size_t i = 0;
  for (nf_node *c = nf_node_first_element(tr); c; c = nf_node_next_element(c)) {
    if (!nf_node_is(c, "td") && !nf_node_is(c, "th")) continue;
    nf_buf cell = NF_BUF_INIT;
    nf_buf_init(&cell);
    render_inline(m, c, 0, &cell);
    md_puts(m, " ");
    md_out(m, cell.ptr, cell.len, 0);
    md_puts(m, " |");
    nf_buf_free(&cell);
    i++;
  }
  for (; i < ncols; i++) md_puts(m, "  |");
}

/* ===== The walk ========================================================= */

static void enter_element(md_state *m, nf_iter *it, const nf_node *n) {
  const char *tag = nf_node_name(n);
  if (nf_html_node_hidden(n) || is_skipped(m->refs, n) ||
      (m->in_note && is_back_link(m->refs, n))) {
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
    enter_link(m, it, n);
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

/* The notes, then the reference definitions, after the body. */
static void put_collected(md_state *m, nf_buf *out, int after_text) {
  md_refs *rf = m->refs;
  m->in_note = 1;
  for (size_t i = 0; i < rf->notes.len; i++) { /* notes may add notes */
    if (after_text) nf_buf_putc(out, '\n');
    nf_buf_printf(out, "[^%zu]: ", i + 1);
    render_inline(m, rf->notes.items[i], 1, out);
    nf_buf_putc(out, '\n');
    after_text = 1;
  }
  if (rf->defs.len) {
    if (after_text) nf_buf_putc(out, '\n');
    nf_buf_put(out, rf->defs.ptr, rf->defs.len);
  }
}

void nf_render_markdown(const nf_node *n, const nf_render_opts *o,
                        nf_buf *out) {
  static const nf_render_opts defaults;
  md_state m;
  md_refs refs;
  memset(&m, 0, sizeof m);
  memset(&refs, 0, sizeof refs);
  m.o = o ? o : &defaults;
  m.gfm = m.o->gfm;
  if (!n) return;
  m.refs = &refs;
  nf_buf_init(&refs.defs);
  refs.notes_on = m.gfm;
  if (refs.notes_on) find_notes_lists(&refs, n);
  nf_renderer_init(&m.r, out, m.o->width);
  m.r.can_start_line = md_can_start_line;
  m.list_end_len = (size_t)-1;
  nf_buf_init(&m.scratch);
  nf_buf_init(&m.esc);
  size_t start = out->len;
  render_node(&m, n);
  nf_renderer_finish(&m.r);
  put_collected(&m, out, out->len > start);
  nf_renderer_free(&m.r);
  nf_buf_free(&m.scratch);
  nf_buf_free(&m.esc);
  for (size_t i = 0; i < refs.urls.len; i++) free(refs.owned[i]);
  free(refs.owned);
  map_free(&refs.urls);
  map_free(&refs.ids);
  map_free(&refs.note_ids);
  map_free(&refs.has_text);
  nf_buf_free(&refs.defs);
  nf_nodelist_free(&refs.elems);
  nf_nodelist_free(&refs.notes);
  nf_nodelist_free(&refs.skip);
}
