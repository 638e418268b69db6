/* parse_text.c: plain-text article dumps → the same kind of tree as HTML.
 *
 * The layout read (the seed, ../shared/corpus/seed/clinton-pakistan.txt, is
 * the reference):
 *
 *   Title line                          → <h1> (and <title> in <head>)
 *   standfirst line                     → <div class="standfirst">
 *   "By Jane Doe"                       → <div class="byline">
 *   10/21/2011 / Updated: / 10/1/2015   → <div class="dateline"> with
 *       <time class="published" datetime="2011-10-21">10/21/2011</time>
 *       Updated: <time class="updated" datetime="2015-10-01">…</time>
 *   <a><img …></a> + caption line       → <figure><img src alt title…>
 *       <figcaption>caption (<span class="credit">Credit</span>)</figcaption>
 *   paragraphs split by blank lines     → one <p> each (soft-wrapped lines
 *       joined by a space); "## Heading" → <h2>; "- item" lines → <ul>.
 *
 * The tree is body > article > header (h1, standfirst, byline, dateline),
 * then figures and paragraphs. The header parts are divs on purpose, so
 * that `p` elements are exactly the article's paragraphs.
 *
 * Lines that repeat the title or a figure's caption (dumps of web pages
 * often carry them twice) are dropped. Everything that is not a figure
 * block is text, so a '<' in prose stays a '<'. */
#include "doc.h"
#include "meta_date.h"
#include "utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum {
  L_BLANK, L_TEXT, L_DATE, L_LABEL, L_BYLINE, L_FIGURE, L_HEADING, L_BULLET
} line_kind;

typedef enum { LABEL_NONE, LABEL_PUBLISHED, LABEL_UPDATED } label_kind;

typedef struct line {
  const char *s;        /* trimmed text (points into the normalized copy) */
  size_t len;
  line_kind kind;
  label_kind label;     /* L_LABEL, or L_DATE with a label in front */
  size_t label_len;     /* bytes of the label text before the date */
  size_t fig_lines;     /* L_FIGURE: lines the markup block spans */
  int dropped;          /* a repeat of the title or a caption */
  int is_caption;       /* the caption line of the figure before it */
} line;

typedef struct builder {
  nf_doc *doc;
  nf_node *article, *header, *dateline;
  nf_node *standfirst;
  int header_mode;      /* still in the title/standfirst/date area */
  int have_published;
  label_kind pending;   /* a label line waiting for its date line */
  nf_buf para;          /* text of the paragraph being gathered */
  int para_lines;
} builder;

/* ===== Text helpers ===================================================== */

static int is_blank_byte(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* Trims ASCII blanks and no-break spaces on both ends. */
static void trim(const char **s, size_t *len) {
  const unsigned char *p = (const unsigned char *)*s;
  size_t n = *len;
  for (;;) {
    if (n && is_blank_byte(p[0])) { p++; n--; }
    else if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0) { p += 2; n -= 2; }
    else break;
  }
  for (;;) {
    if (n && is_blank_byte(p[n - 1])) n--;
    else if (n >= 2 && p[n - 2] == 0xC2 && p[n - 1] == 0xA0) n -= 2;
    else break;
  }
  *s = (const char *)p;
  *len = n;
}

/* Whitespace-collapsed copy into out (for comparing lines). */
static void normalized(const char *s, size_t len, nf_buf *out) {
  nf_buf_clear(out);
  int space = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (isspace(c)) {
      space = 1;
      continue;
    }
    if (space && out->len) nf_buf_putc(out, ' ');
    space = 0;
    nf_buf_putc(out, c);
  }
}

static int same_text(const char *a, size_t alen, const char *b, size_t blen) {
  nf_buf x, y;
  nf_buf_init(&x);
  nf_buf_init(&y);
  normalized(a, alen, &x);
  normalized(b, blen, &y);
  int same = x.len > 0 && x.len == y.len && memcmp(x.ptr, y.ptr, x.len) == 0;
  nf_buf_free(&x);
  nf_buf_free(&y);
  return same;
}

static int starts_with_ci(const char *s, size_t len, const char *prefix) {
  size_t n = strlen(prefix);
  return len >= n && strncasecmp(s, prefix, n) == 0;
}

static int contains_ci(const char *s, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= len; i++)
    if (strncasecmp(s + i, needle, n) == 0) return 1;
  return 0;
}

/* ===== Line classification ============================================== */

/* "Updated:", "Published on", "Last modified" … : returns the label kind
 * and the length of the label (with its colon) in *n. */
static label_kind read_label(const char *s, size_t len, size_t *n) {
  static const struct { const char *word; label_kind kind; } labels[] = {
      {"last updated", LABEL_UPDATED}, {"last modified", LABEL_UPDATED},
      {"updated on", LABEL_UPDATED}, {"updated", LABEL_UPDATED},
      {"modified", LABEL_UPDATED}, {"first published", LABEL_PUBLISHED},
      {"published on", LABEL_PUBLISHED}, {"published", LABEL_PUBLISHED},
      {"posted on", LABEL_PUBLISHED}, {"posted", LABEL_PUBLISHED},
      {"date", LABEL_PUBLISHED}, {NULL, LABEL_NONE}};
  for (int i = 0; labels[i].word; i++) {
    size_t w = strlen(labels[i].word);
    if (!starts_with_ci(s, len, labels[i].word)) continue;
    if (w < len && isalpha((unsigned char)s[w])) continue;
    size_t k = w;
    while (k < len && is_blank_byte((unsigned char)s[k])) k++;
    if (k < len && s[k] == ':') k++;
    *n = k;
    return labels[i].kind;
  }
  return LABEL_NONE;
}

static int is_date_text(const char *s, size_t len) {
  char buf[128], out[NF_DATE_MAX];
  if (len == 0 || len >= sizeof buf) return 0;
  memcpy(buf, s, len);
  buf[len] = '\0';
  return nf_date_parse(buf, out);
}

/* "By Jane Doe", "BY JANE DOE AND JOHN ROE", "Written by J. Doe, AP": a short
 * line of capitalized names. "By the way, …" is prose, not a byline. */
static int is_byline(const char *s, size_t len) {
  size_t skip;
  if (len > 3 && (strncmp(s, "By ", 3) == 0 || strncmp(s, "BY ", 3) == 0))
    skip = 3;
  else if (starts_with_ci(s, len, "written by "))
    skip = 11;
  else
    return 0;
  if (len - skip > 100 || len - skip < 2) return 0;
  static const char *const joiners[] = {"and", "&", "und", "y", "et", "de",
                                        "van", "von", "der", "da", "del",
                                        "di", "la", "le", "du", "in", "for",
                                        "of", "the", "with", NULL};
  int words = 0;
  size_t i = skip;
  while (i < len) {
    while (i < len && s[i] == ' ') i++;
    size_t start = i;
    while (i < len && s[i] != ' ') i++;
    if (i == start) break;
    words++;
    unsigned char c = (unsigned char)s[start];
    int upper = isupper(c) || c >= 0x80;
    if (words == 1 && !upper) return 0;
    if (!upper && !isdigit(c)) {
      int joiner = 0;
      for (int j = 0; joiners[j]; j++) {
        size_t jl = strlen(joiners[j]);
        size_t wl = i - start;
        if (s[i - 1] == ',') wl--;
        if (wl == jl && strncmp(s + start, joiners[j], jl) == 0) joiner = 1;
      }
      if (!joiner) return 0;
    }
  }
  if (words > 12) return 0;
  /* A sentence, not a credit line. */
  if (s[len - 1] == '?' || s[len - 1] == '!') return 0;
  return 1;
}

/* How many lines, from lines[i], an HTML figure block spans (0: not one). */
static size_t figure_block_lines(line *lines, size_t n, size_t i) {
  const char *s = lines[i].s;
  size_t len = lines[i].len;
  if (len < 5 || s[0] != '<') return 0;
  const char *close = NULL;
  if (starts_with_ci(s, len, "<a ") || starts_with_ci(s, len, "<a>")) close = "</a>";
  else if (starts_with_ci(s, len, "<figure")) close = "</figure>";
  else if (starts_with_ci(s, len, "<picture")) close = "</picture>";
  else if (starts_with_ci(s, len, "<p>") || starts_with_ci(s, len, "<p ")) close = "</p>";
  else if (!starts_with_ci(s, len, "<img")) return 0;
  int has_img = 0;
  for (size_t k = i; k < n && k < i + 20 && lines[k].kind != L_BLANK; k++) {
    if (contains_ci(lines[k].s, lines[k].len, "<img")) has_img = 1;
    int done = close ? contains_ci(lines[k].s, lines[k].len, close)
                     : lines[k].len && lines[k].s[lines[k].len - 1] == '>';
    if (done) return has_img ? k - i + 1 : 0;
  }
  return 0;
}

static int is_heading(const char *s, size_t len) {
  size_t k = 0;
  while (k < len && s[k] == '#') k++;
  return k >= 1 && k <= 6 && k < len && s[k] == ' ' && len > k + 1;
}

static int is_bullet(const char *s, size_t len) {
  if (len >= 3 && (s[0] == '-' || s[0] == '*') && s[1] == ' ') return 1;
  return len >= 5 && memcmp(s, "\xe2\x80\xa2 ", 4) == 0;   /* "• " */
}

static void classify(line *l) {
  size_t n;
  if (l->len == 0) { l->kind = L_BLANK; return; }
  if (is_date_text(l->s, l->len)) { l->kind = L_DATE; return; }
  label_kind lk = read_label(l->s, l->len, &n);
  if (lk != LABEL_NONE) {
    const char *rest = l->s + n;
    size_t rlen = l->len - n;
    trim(&rest, &rlen);
    if (rlen == 0 && n > 0 && l->s[n - 1] == ':') {
      l->kind = L_LABEL;
      l->label = lk;
      l->label_len = l->len;
      return;
    }
    if (rlen && is_date_text(rest, rlen)) {
      l->kind = L_DATE;
      l->label = lk;
      l->label_len = (size_t)(rest - l->s);
      return;
    }
    /* Bare "Updated" with nothing after it: a label too. */
    if (rlen == 0) {
      l->kind = L_LABEL;
      l->label = lk;
      l->label_len = l->len;
      return;
    }
  }
  if (is_byline(l->s, l->len)) { l->kind = L_BYLINE; return; }
  if (is_heading(l->s, l->len)) { l->kind = L_HEADING; return; }
  if (is_bullet(l->s, l->len)) { l->kind = L_BULLET; return; }
  l->kind = L_TEXT;
}

/* ===== Tree building ===================================================== */

static nf_node *append_element(builder *b, nf_node *parent, const char *tag,
                               const char *cls) {
  nf_node *el = nf_node_new_element(b->doc, tag);
  if (cls) nf_node_set_attr(el, "class", cls);
  nf_node_append(b->doc, parent, el);
  return el;
}

static void append_text(builder *b, nf_node *parent, const char *s, size_t len) {
  if (!len) return;
  char *copy = nf_xstrndup(s, len);
  nf_node_append(b->doc, parent, nf_node_new_text(b->doc, copy));
  free(copy);
}

static nf_node *ensure_header(builder *b) {
  if (!b->header) {
    b->header = nf_node_new_element(b->doc, "header");
    nf_node_prepend(b->doc, b->article, b->header);
  }
  return b->header;
}

/* Dates go in one dateline: in the header while we are in it, else a new
 * dateline where they stand. */
static nf_node *ensure_dateline(builder *b) {
  if (b->dateline) return b->dateline;
  nf_node *parent = b->header_mode ? ensure_header(b) : b->article;
  b->dateline = append_element(b, parent, "div", "dateline");
  return b->dateline;
}

static void add_date(builder *b, const line *l) {
  nf_node *dl = ensure_dateline(b);
  if (nf_node_first_child(dl)) append_text(b, dl, " ", 1);
  label_kind role = l->label != LABEL_NONE ? l->label : b->pending;
  if (role == LABEL_NONE) role = b->have_published ? LABEL_UPDATED : LABEL_PUBLISHED;
  b->pending = LABEL_NONE;
  if (l->label_len) {
    /* "Updated: 10/1/2015" on one line: the label stays as text. */
    const char *lab = l->s;
    size_t lablen = l->label_len;
    trim(&lab, &lablen);
    append_text(b, dl, lab, lablen);
    append_text(b, dl, " ", 1);
  }
  const char *ds = l->s + l->label_len;
  size_t dlen = l->len - l->label_len;
  trim(&ds, &dlen);
  char buf[128], iso[NF_DATE_MAX];
  size_t n = dlen < sizeof buf - 1 ? dlen : sizeof buf - 1;
  memcpy(buf, ds, n);
  buf[n] = '\0';
  if (!nf_date_parse(buf, iso)) {
    append_text(b, dl, ds, dlen);
    return;
  }
  nf_node *t = append_element(b, dl, "time",
                              role == LABEL_UPDATED ? "updated" : "published");
  nf_node_set_attr(t, "datetime", iso);
  append_text(b, t, ds, dlen);
  if (role == LABEL_PUBLISHED) b->have_published = 1;
}

static void add_label(builder *b, const line *l) {
  nf_node *dl = ensure_dateline(b);
  if (nf_node_first_child(dl)) append_text(b, dl, " ", 1);
  append_text(b, dl, l->s, l->len);
  b->pending = l->label;
}

/* Splits "Caption text. (Credit Name)" and appends it to figcaption. */
static void add_caption(builder *b, nf_node *figcaption, const char *s,
                        size_t len) {
  if (len > 2 && s[len - 1] == ')') {
    size_t open = len - 1;
    while (open > 0 && s[open - 1] != '(' && s[open - 1] != ')') open--;
    if (open > 0 && s[open - 1] == '(') {
      size_t clen = len - 1 - open;
      const char *credit = s + open;
      trim(&credit, &clen);
      if (clen >= 2 && clen <= 120) {
        append_text(b, figcaption, s, open);   /* up to and with "(" */
        nf_node *span = append_element(b, figcaption, "span", "credit");
        append_text(b, span, credit, clen);
        append_text(b, figcaption, ")", 1);
        return;
      }
    }
  }
  append_text(b, figcaption, s, len);
}

/* Attributes of the inline <img> worth keeping. */
static const char *const img_attrs[] = {"src", "alt", "title", "width",
                                        "height", "srcset", "sizes", NULL};

/* Parses the HTML of a figure block (a throwaway libxml2 document) and
 * appends one <figure> per <img> in it. Returns the last figure or NULL. */
static nf_node *add_figures(builder *b, const char *html, size_t len,
                            const char *caption, size_t caption_len) {
  if (len > (size_t)1 << 20) return NULL;
  htmlDocPtr tmp = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                      HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  if (!tmp) return NULL;
  nf_node *last = NULL;
  nf_buf own_caption;
  nf_buf_init(&own_caption);
  xmlNodePtr root = xmlDocGetRootElement(tmp);
  nf_iter it;
  if (root) nf_iter_init(&it, root);
  while (root && nf_iter_next(&it) != NF_EV_NONE) {
    nf_node *n = nf_iter_node(&it);
    if (it.ev == NF_EV_ENTER && nf_node_is(n, "figcaption") && !caption_len) {
      nf_node_text(n, &own_caption);
      nf_iter_skip_children(&it);
      continue;
    }
    if (it.ev != NF_EV_ENTER || !nf_node_is(n, "img")) continue;
    const char *src = nf_node_attr(n, "src");
    if (!src || !*src) src = nf_node_attr(n, "data-src");
    if (!src || !*src) continue;
    nf_node *fig = append_element(b, b->article, "figure", NULL);
    nf_node *img = append_element(b, fig, "img", NULL);
    for (int k = 0; img_attrs[k]; k++) {
      const char *v = k == 0 ? src : nf_node_attr(n, img_attrs[k]);
      if (v) nf_node_set_attr(img, img_attrs[k], v);
    }
    last = fig;
  }
  if (last) {
    const char *cap = caption;
    size_t clen = caption_len;
    if (!clen && own_caption.len) {
      cap = own_caption.ptr;
      clen = own_caption.len;
      trim(&cap, &clen);
    }
    if (clen) {
      nf_node *fc = append_element(b, last, "figcaption", NULL);
      add_caption(b, fc, cap, clen);
    }
  }
  nf_buf_free(&own_caption);
  xmlFreeDoc(tmp);
  return last;
}

/* Ends the paragraph being gathered: the standfirst when it is the first
 * text of the header area and the header goes on after it (as_standfirst),
 * else a <p>, which ends the header area. */
static void flush_para(builder *b, int as_standfirst) {
  if (!b->para.len) return;
  if (as_standfirst && b->header_mode && !b->standfirst &&
      b->para.len <= 600) {
    b->standfirst = append_element(b, ensure_header(b), "div", "standfirst");
    append_text(b, b->standfirst, b->para.ptr, b->para.len);
  } else {
    nf_node *p = append_element(b, b->article, "p", NULL);
    append_text(b, p, b->para.ptr, b->para.len);
    b->header_mode = 0;
    b->dateline = NULL;   /* later dates get their own line */
  }
  nf_buf_clear(&b->para);
  b->para_lines = 0;
}

/* Is the block starting at line i made of header material (dates, labels,
 * bylines, figures)? */
static int block_is_meta(const line *lines, size_t n, size_t i) {
  while (i < n && lines[i].kind == L_BLANK) i++;
  while (i < n && lines[i].dropped) i++;
  if (i >= n) return 0;
  line_kind k = lines[i].kind;
  return k == L_DATE || k == L_LABEL || k == L_BYLINE || k == L_FIGURE;
}

/* ===== Input normalization ============================================== */

/* Copy of the input with CRLF/CR → LF, no BOM, no NUL bytes, valid UTF-8. */
static void normalize_input(const char *data, size_t len, nf_buf *out) {
  const unsigned char *u = (const unsigned char *)data;
  if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
    data += 3;
    len -= 3;
  }
  nf_buf raw;
  nf_buf_init(&raw);
  for (size_t i = 0; i < len; i++) {
    char c = data[i];
    if (c == '\r') {
      nf_buf_putc(&raw, '\n');
      if (i + 1 < len && data[i + 1] == '\n') i++;
    } else if (c != '\0') {
      nf_buf_putc(&raw, c);
    }
  }
  nf_utf8_repair(raw.ptr, raw.len, out);
  nf_buf_free(&raw);
}

/* ===== Public interface ================================================== */

int nf_parse_text_article(nf_doc *doc, const char *data, size_t len,
                          char *err, size_t errlen) {
  (void)err;
  (void)errlen;
  nf_buf text;
  nf_buf_init(&text);
  normalize_input(data ? data : "", data ? len : 0, &text);

  /* Lines, trimmed. */
  size_t n = 0, cap = 64;
  line *lines = nf_xcalloc(cap, sizeof *lines);
  const char *p = text.ptr, *end = text.ptr + text.len;
  while (text.len) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *stop = nl ? nl : end;
    if (n == cap) {
      cap *= 2;
      lines = nf_xrealloc(lines, cap * sizeof *lines);
    }
    memset(&lines[n], 0, sizeof lines[n]);
    lines[n].s = p;
    lines[n].len = (size_t)(stop - p);
    trim(&lines[n].s, &lines[n].len);
    n++;
    if (!nl) break;
    p = nl + 1;
  }
  for (size_t i = 0; i < n; i++) classify(&lines[i]);

  /* The title: the first non-blank line (a Markdown "# " dropped). */
  size_t first = 0;
  while (first < n && lines[first].kind == L_BLANK) first++;
  const char *title = NULL;
  size_t title_len = 0;
  if (first < n && lines[first].len <= 400 &&
      (lines[first].kind == L_TEXT || lines[first].kind == L_HEADING) &&
      lines[first].s[0] != '<') {
    title = lines[first].s;
    title_len = lines[first].len;
    while (title_len && title[0] == '#') title++, title_len--;
    trim(&title, &title_len);
    lines[first].dropped = 1;
  } else {
    first = (size_t)-1;
  }

  /* Figure blocks and their caption lines. */
  for (size_t i = 0; i < n; i++) {
    if (lines[i].kind == L_BLANK || lines[i].s[0] != '<') continue;
    size_t span = figure_block_lines(lines, n, i);
    if (!span) continue;
    lines[i].kind = L_FIGURE;
    lines[i].fig_lines = span;
    size_t c = i + span;
    if (c < n && (lines[c].kind == L_TEXT || lines[c].kind == L_BYLINE) &&
        lines[c].len <= 600)
      lines[c].is_caption = 1;
    i = c - 1;
  }

  /* Repeats of the title or of a caption (or of an image's alt text). */
  for (size_t i = 0; i < n; i++) {
    if (lines[i].kind != L_TEXT || lines[i].dropped || lines[i].is_caption) continue;
    if (title && same_text(lines[i].s, lines[i].len, title, title_len)) {
      lines[i].dropped = 1;
      continue;
    }
    for (size_t j = 0; j < n && !lines[i].dropped; j++) {
      if (lines[j].is_caption &&
          same_text(lines[i].s, lines[i].len, lines[j].s, lines[j].len))
        lines[i].dropped = 1;
      if (lines[j].kind == L_FIGURE &&
          (contains_ci(lines[j].s, lines[j].len, "alt=") ||
           contains_ci(lines[j].s, lines[j].len, "title="))) {
        /* Compare with the raw markup's alt text cheaply: the line must
         * appear inside the block (HTML escaping aside). */
        if (lines[i].len >= 20 && lines[j].len > lines[i].len &&
            memmem(lines[j].s, lines[j].len, lines[i].s, lines[i].len))
          lines[i].dropped = 1;
      }
    }
  }

  /* Build. */
  builder b;
  memset(&b, 0, sizeof b);
  b.doc = doc;
  b.header_mode = 1;
  nf_buf_init(&b.para);
  nf_node *body = nf_doc_body(doc);
  b.article = append_element(&b, body, "article", NULL);
  if (title) {
    nf_node *h1 = append_element(&b, ensure_header(&b), "h1", NULL);
    append_text(&b, h1, title, title_len);
    nf_node *head = nf_doc_head(doc);
    if (head) {
      nf_node *t = append_element(&b, head, "title", NULL);
      append_text(&b, t, title, title_len);
    }
  }

  for (size_t i = 0; i < n; i++) {
    line *l = &lines[i];
    if (l->kind == L_BLANK) {
      /* End of a block: a lone text block right under the title is the
       * standfirst when header material follows it. */
      flush_para(&b, block_is_meta(lines, n, i));
      continue;
    }
    if (l->dropped || l->is_caption) continue;
    switch (l->kind) {
    case L_DATE:
    case L_LABEL:
      flush_para(&b, 1);
      if (l->kind == L_DATE) add_date(&b, l);
      else add_label(&b, l);
      break;
    case L_BYLINE:
      if (b.header_mode) {
        flush_para(&b, 1);
        nf_node *by = append_element(&b, ensure_header(&b), "div", "byline");
        append_text(&b, by, l->s, l->len);
        break;
      }
      goto text;
    case L_FIGURE: {
      flush_para(&b, 1);
      size_t span = l->fig_lines;
      const char *html = l->s;
      const line *lastl = &lines[i + span - 1];
      size_t hlen = (size_t)(lastl->s + lastl->len - html);
      const line *capl = i + span < n && lines[i + span].is_caption
                            ? &lines[i + span] : NULL;
      if (!add_figures(&b, html, hlen, capl ? capl->s : NULL,
                       capl ? capl->len : 0)) {
        /* No usable image: keep the block as text. */
        nf_buf_put(&b.para, html, hlen);
        flush_para(&b, 0);
      }
      i += span - 1;
      break;
    }
    case L_HEADING: {
      flush_para(&b, 0);
      size_t k = 0;
      while (l->s[k] == '#') k++;
      char tag[3] = {'h', (char)('0' + (k < 2 ? 2 : k)), '\0'};
      const char *hs = l->s + k;
      size_t hl = l->len - k;
      trim(&hs, &hl);
      append_text(&b, append_element(&b, b.article, tag, NULL), hs, hl);
      b.header_mode = 0;
      break;
    }
    case L_BULLET: {
      flush_para(&b, 0);
      nf_node *ul = append_element(&b, b.article, "ul", NULL);
      for (; i < n && lines[i].kind == L_BULLET; i++) {
        const char *is = lines[i].s + (lines[i].s[0] == '-' || lines[i].s[0] == '*' ? 1 : 3);
        size_t il = lines[i].len - (size_t)(is - lines[i].s);
        trim(&is, &il);
        append_text(&b, append_element(&b, ul, "li", NULL), is, il);
      }
      i--;
      b.header_mode = 0;
      break;
    }
    default:
    text:
      if (b.para.len) nf_buf_putc(&b.para, ' ');
      nf_buf_put(&b.para, l->s, l->len);
      b.para_lines++;
      break;
    }
  }
  flush_para(&b, 0);
  if (b.header && !nf_node_first_child(b.header)) nf_node_unlink(doc, b.header);

  nf_buf_free(&b.para);
  free(lines);
  nf_buf_free(&text);
  return 0;
}
