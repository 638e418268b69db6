/*
 * select.c: CSS selectors over libxml2's tree.
 *
 * A selector group compiles into lists of complex selectors, each an array
 * of compounds read left to right; matching runs right to left from the
 * candidate element. Descendant and sibling combinators use the failure
 * classes of Servo's matcher (restart from the closest later-sibling or
 * descendant combinator, or give up), so a failing chain never backtracks
 * exponentially. Recursion happens only over the selector's own structure,
 * which is bounded (NF_SEL_MAX_COMPOUNDS compounds per complex selector,
 * NF_SEL_MAX_NESTING levels of :not/:is/:has/nth-of); the tree is always
 * walked with explicit pointers.
 *
 * Names are lower-cased at compile time and compared ASCII-case-insensitively
 * with the tree's names (the HTML parser already lower-cases them), so
 * matching allocates nothing except for the rare attribute whose value is
 * not a single text node.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "budget.h"
#include "doc.h"
#include "newsform.h"
#include "select.h"
#include "utf8.h"

#define NF_SEL_MAX_COMPOUNDS 64
#define NF_SEL_MAX_NESTING 8
#define NF_SEL_MAX_NUMBER 1000000000L

/* ===== Compiled form ==================================================== */

typedef enum {
  SK_ID, SK_CLASS,
  SK_ATTR_EXISTS, SK_ATTR_EQ, SK_ATTR_INCLUDES, SK_ATTR_DASH,
  SK_ATTR_PREFIX, SK_ATTR_SUFFIX, SK_ATTR_SUBSTR,
  SK_FIRST_CHILD, SK_LAST_CHILD, SK_ONLY_CHILD,
  SK_FIRST_OF_TYPE, SK_LAST_OF_TYPE, SK_ONLY_OF_TYPE,
  SK_NTH_CHILD, SK_NTH_LAST_CHILD, SK_NTH_OF_TYPE, SK_NTH_LAST_OF_TYPE,
  SK_NOT, SK_IS, SK_HAS, SK_EMPTY, SK_ROOT, SK_SCOPE,
  SK_ANCHOR, /* the implicit subject of a :has() relative selector */
  SK_NEVER   /* an attribute test that can match nothing, e.g. [a~=""] */
} simple_kind;

typedef enum { C_NONE = 0, C_DESCENDANT, C_CHILD, C_NEXT, C_LATER } comb_kind;

typedef struct sel_list sel_list;

typedef struct simple {
  simple_kind kind;
  int icase;          /* attribute value compared ASCII-case-insensitively */
  char *name;         /* attribute name (lower case) */
  char *value;        /* id, class or attribute value (lower case if icase) */
  size_t value_len;
  long a, b;          /* :nth-*(an+b) */
  sel_list *sub;      /* :not/:is/:has argument, :nth-child(... of S) */
} simple;

typedef struct compound {
  char *tag;          /* lower case; NULL matches any element */
  simple *simples;
  size_t nsimples;
  comb_kind comb;     /* relation to the compound on the left */
} compound;

typedef struct complex_sel {
  compound *compounds; /* left to right */
  size_t len;
} complex_sel;

struct sel_list {
  complex_sel *items;
  size_t len;
};

struct nf_selector {
  sel_list list;
};

static void list_free(sel_list *l);

static void compound_free(compound *c) {
  free(c->tag);
  for (size_t i = 0; i < c->nsimples; i++) {
    simple *s = &c->simples[i];
    free(s->name);
    free(s->value);
    if (s->sub) {
      list_free(s->sub);
      free(s->sub);
    }
  }
  free(c->simples);
}

static void list_free(sel_list *l) {
  for (size_t i = 0; i < l->len; i++) {
    for (size_t j = 0; j < l->items[i].len; j++)
      compound_free(&l->items[i].compounds[j]);
    free(l->items[i].compounds);
  }
  free(l->items);
  l->items = NULL;
  l->len = 0;
}

/* ===== Parser =========================================================== */

typedef struct parser {
  const char *s;
  size_t len, pos;
  const char *err_msg; /* first error; static text */
  char err_detail[80]; /* room for a quoted character or name */
  size_t err_pos;
  int depth;           /* functional pseudo-class nesting */
  int in_has;
} parser;

static int fail_at(parser *p, size_t pos, const char *msg) {
  if (!p->err_msg) {
    p->err_msg = msg;
    p->err_pos = pos;
  }
  return 0;
}
static int fail(parser *p, const char *msg) { return fail_at(p, p->pos, msg); }

static int peek(const parser *p) {
  return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}
static int peek_at(const parser *p, size_t k) {
  return p->pos + k < p->len ? (unsigned char)p->s[p->pos + k] : -1;
}

static int is_ws(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}
static int skip_ws(parser *p) {
  size_t start = p->pos;
  while (is_ws(peek(p))) p->pos++;
  return p->pos > start;
}

static int is_name_start(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c >= 0x80;
}
static int is_name_char(int c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '-';
}
static int is_hex(int c) { return isxdigit(c) != 0 && c < 0x80; }

/* A code point from a CSS escape: NUL, surrogates and values past
 * U+10FFFF become U+FFFD (CSS Syntax 4.3.7). */
static void put_utf8(nf_buf *b, unsigned long cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    cp = 0xFFFD;
  nf_utf8_put(b, (uint32_t)cp);
}

/* A backslash escape (p at the backslash) appended to out. */
static int parse_escape(parser *p, nf_buf *out) {
  p->pos++;
  int c = peek(p);
  if (c < 0) {
    put_utf8(out, 0xFFFD);
    return 1;
  }
  if (c == '\n' || c == '\r' || c == '\f')
    return fail(p, "invalid escape");
  if (is_hex(c)) {
    unsigned long cp = 0;
    for (int i = 0; i < 6 && is_hex(peek(p)); i++, p->pos++) {
      int h = peek(p);
      cp = cp * 16 + (unsigned long)(h <= '9' ? h - '0' : (h | 32) - 'a' + 10);
    }
    if (peek(p) == '\r' && peek_at(p, 1) == '\n') p->pos++;
    if (is_ws(peek(p))) p->pos++;
    put_utf8(out, cp);
    return 1;
  }
  nf_buf_putc(out, c);
  p->pos++;
  return 1;
}

static int ident_starts(const parser *p) {
  int c = peek(p), d = peek_at(p, 1);
  if (is_name_start(c) || c == '\\') return 1;
  return c == '-' && (is_name_start(d) || d == '-' || d == '\\');
}

/* A CSS identifier (or, with any_name, a run of name characters as after
 * '#'). Returns a malloc'd string, lower-cased when lower, or NULL. */
static char *parse_name(parser *p, int any_name, int lower, const char *what) {
  if (!(any_name ? (is_name_char(peek(p)) || peek(p) == '\\')
                 : ident_starts(p))) {
    fail(p, what);
    return NULL;
  }
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  for (;;) {
    int c = peek(p);
    if (c == '\\') {
      if (!parse_escape(p, &b)) {
        nf_buf_free(&b);
        return NULL;
      }
    } else if (is_name_char(c)) {
      nf_buf_putc(&b, lower && c >= 'A' && c <= 'Z' ? c + 32 : c);
      p->pos++;
    } else {
      break;
    }
  }
  return nf_buf_detach(&b);
}

static char *parse_string(parser *p, size_t *len_out) {
  int quote = peek(p);
  size_t start = p->pos;
  p->pos++;
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  for (;;) {
    int c = peek(p);
    if (c < 0 || c == '\n' || c == '\r' || c == '\f') {
      nf_buf_free(&b);
      fail_at(p, start, "unterminated string");
      return NULL;
    }
    if (c == quote) {
      p->pos++;
      break;
    }
    if (c == '\\') {
      int d = peek_at(p, 1);
      if (d == '\n' || d == '\f') { /* line continuation */
        p->pos += 2;
        continue;
      }
      if (d == '\r') {
        p->pos += peek_at(p, 2) == '\n' ? 3 : 2;
        continue;
      }
      if (!parse_escape(p, &b)) {
        nf_buf_free(&b);
        return NULL;
      }
      continue;
    }
    nf_buf_putc(&b, c);
    p->pos++;
  }
  *len_out = b.len;
  return nf_buf_detach(&b);
}

/* Growable arrays of the parser. */
static void push_simple(compound *c, size_t *cap, const simple *s) {
  if (c->nsimples == *cap) {
    *cap = *cap ? *cap * 2 : 4;
    c->simples = nf_xrealloc(c->simples, *cap * sizeof *c->simples);
  }
  c->simples[c->nsimples++] = *s;
}

static void simple_free(simple *s) {
  free(s->name);
  free(s->value);
  if (s->sub) {
    list_free(s->sub);
    free(s->sub);
  }
}

static int parse_list(parser *p, int relative, sel_list *out);

static int parse_attr(parser *p, simple *s) {
  p->pos++; /* '[' */
  skip_ws(p);
  s->name = parse_name(p, 0, 1, "expected attribute name");
  if (!s->name) return 0;
  if (peek(p) == '|' && peek_at(p, 1) != '=')
    return fail(p, "namespaces are not supported");
  skip_ws(p);
  int c = peek(p);
  if (c == ']') {
    p->pos++;
    s->kind = SK_ATTR_EXISTS;
    return 1;
  }
  if (c == '=') {
    s->kind = SK_ATTR_EQ;
    p->pos++;
  } else if (c >= 0 && strchr("~|^$*", c) && peek_at(p, 1) == '=') {
    s->kind = c == '~'   ? SK_ATTR_INCLUDES
              : c == '|' ? SK_ATTR_DASH
              : c == '^' ? SK_ATTR_PREFIX
              : c == '$' ? SK_ATTR_SUFFIX
                         : SK_ATTR_SUBSTR;
    p->pos += 2;
  } else {
    return fail(p, "expected ']' or an attribute operator");
  }
  skip_ws(p);
  c = peek(p);
  if (c == '"' || c == '\'') {
    s->value = parse_string(p, &s->value_len);
  } else if (is_name_char(c) || c == '\\') {
    /* Unquoted values may also be numbers ([width=100]): be lenient. */
    s->value = parse_name(p, 1, 0, "expected attribute value");
    if (s->value) s->value_len = strlen(s->value);
  } else {
    return fail(p, "expected attribute value");
  }
  if (!s->value) return 0;
  int had_ws = skip_ws(p);
  c = peek(p);
  if (had_ws && (c == 'i' || c == 'I' || c == 's' || c == 'S') &&
      (is_ws(peek_at(p, 1)) || peek_at(p, 1) == ']')) {
    s->icase = (c | 32) == 'i';
    p->pos++;
    skip_ws(p);
  }
  if (peek(p) != ']') return fail(p, "expected ']'");
  p->pos++;
  if (s->icase)
    for (size_t i = 0; i < s->value_len; i++)
      s->value[i] = (char)tolower((unsigned char)s->value[i]);
  /* Tests that can never match (the spec's empty-value rules). */
  if ((s->kind == SK_ATTR_INCLUDES &&
       (s->value_len == 0 || strpbrk(s->value, " \t\n\r\f"))) ||
      (s->value_len == 0 && (s->kind == SK_ATTR_PREFIX ||
                             s->kind == SK_ATTR_SUFFIX ||
                             s->kind == SK_ATTR_SUBSTR)))
    s->kind = SK_NEVER;
  return 1;
}

static int parse_number(parser *p, long *out) {
  long n = 0;
  if (!(peek(p) >= '0' && peek(p) <= '9')) return 0;
  while (peek(p) >= '0' && peek(p) <= '9') {
    n = n * 10 + (peek(p) - '0');
    if (n > NF_SEL_MAX_NUMBER) return fail(p, "number too large");
    p->pos++;
  }
  *out = n;
  return 1;
}

static int word_at(const parser *p, const char *w) {
  size_t n = strlen(w);
  if (p->pos + n > p->len || strncasecmp(p->s + p->pos, w, n) != 0) return 0;
  return !is_name_char(peek_at(p, n));
}

/* an+b | odd | even, then optionally "of S" (when allow_of). */
static int parse_nth(parser *p, simple *s, int allow_of) {
  skip_ws(p);
  if (word_at(p, "odd")) {
    s->a = 2, s->b = 1, p->pos += 3;
  } else if (word_at(p, "even")) {
    s->a = 2, s->b = 0, p->pos += 4;
  } else {
    long sign = 1, n = 0;
    if (peek(p) == '+' || peek(p) == '-') {
      sign = peek(p) == '-' ? -1 : 1;
      p->pos++;
    }
    int digits = parse_number(p, &n);
    if (p->err_msg) return 0;
    if (peek(p) == 'n' || peek(p) == 'N') {
      p->pos++;
      s->a = sign * (digits ? n : 1);
      s->b = 0;
      skip_ws(p);
      if (peek(p) == '+' || peek(p) == '-') {
        long bsign = peek(p) == '-' ? -1 : 1;
        p->pos++;
        skip_ws(p);
        if (!parse_number(p, &n))
          return p->err_msg ? 0 : fail(p, "expected a number in an+b");
        s->b = bsign * n;
      }
    } else if (digits) {
      s->a = 0;
      s->b = sign * n;
    } else {
      return fail(p, "expected an+b, 'odd' or 'even'");
    }
  }
  skip_ws(p);
  if (allow_of && word_at(p, "of")) {
    p->pos += 2;
    if (!skip_ws(p)) return fail(p, "expected a selector after 'of'");
    s->sub = nf_xcalloc(1, sizeof *s->sub);
    if (!parse_list(p, 0, s->sub)) return 0;
  }
  return 1;
}

typedef struct pseudo_name {
  const char *name;
  simple_kind kind;
  int functional;
} pseudo_name;

static const pseudo_name pseudo_names[] = {
    {"first-child", SK_FIRST_CHILD, 0},
    {"last-child", SK_LAST_CHILD, 0},
    {"only-child", SK_ONLY_CHILD, 0},
    {"first-of-type", SK_FIRST_OF_TYPE, 0},
    {"last-of-type", SK_LAST_OF_TYPE, 0},
    {"only-of-type", SK_ONLY_OF_TYPE, 0},
    {"empty", SK_EMPTY, 0},
    {"root", SK_ROOT, 0},
    {"scope", SK_SCOPE, 0},
    {"nth-child", SK_NTH_CHILD, 1},
    {"nth-last-child", SK_NTH_LAST_CHILD, 1},
    {"nth-of-type", SK_NTH_OF_TYPE, 1},
    {"nth-last-of-type", SK_NTH_LAST_OF_TYPE, 1},
    {"not", SK_NOT, 1},
    {"is", SK_IS, 1},
    {"where", SK_IS, 1}, /* no specificity here, so the same as :is */
    {"matches", SK_IS, 1},
    {"has", SK_HAS, 1},
};

static int parse_pseudo(parser *p, simple *s) {
  size_t start = p->pos;
  p->pos++; /* ':' */
  if (peek(p) == ':') return fail(p, "pseudo-elements are not supported");
  char *name = parse_name(p, 0, 1, "expected pseudo-class name");
  if (!name) return 0;
  const pseudo_name *pn = NULL;
  for (size_t i = 0; i < sizeof pseudo_names / sizeof *pseudo_names; i++)
    if (strcmp(pseudo_names[i].name, name) == 0) pn = &pseudo_names[i];
  int paren = peek(p) == '(';
  if (!pn || pn->functional != paren) {
    snprintf(p->err_detail, sizeof p->err_detail, "%s ':%.32s%s'",
             pn ? (paren ? "unexpected '(' after" : "expected '(' after")
                : "unknown pseudo-class",
             name, paren && !pn ? "()" : "");
    free(name);
    return fail_at(p, start, p->err_detail);
  }
  free(name);
  s->kind = pn->kind;
  if (!paren) return 1;
  p->pos++;
  if (++p->depth > NF_SEL_MAX_NESTING)
    return fail_at(p, start, "selector nested too deeply");
  int ok;
  switch (s->kind) {
  case SK_NTH_CHILD:
  case SK_NTH_LAST_CHILD:
    ok = parse_nth(p, s, 1);
    break;
  case SK_NTH_OF_TYPE:
  case SK_NTH_LAST_OF_TYPE:
    ok = parse_nth(p, s, 0);
    break;
  case SK_HAS:
    if (p->in_has) return fail_at(p, start, ":has() cannot be nested");
    p->in_has = 1;
    s->sub = nf_xcalloc(1, sizeof *s->sub);
    ok = parse_list(p, 1, s->sub);
    p->in_has = 0;
    break;
  default: /* :not, :is */
    s->sub = nf_xcalloc(1, sizeof *s->sub);
    ok = parse_list(p, 0, s->sub);
    break;
  }
  if (!ok) return 0;
  skip_ws(p);
  if (peek(p) != ')') return fail(p, "expected ')'");
  p->pos++;
  p->depth--;
  return 1;
}

/* One compound: [type|*] then #id .class [attr] :pseudo in any order.
 * Returns 1, or 0 on error; *empty is set when nothing was there. */
static int parse_compound(parser *p, compound *c, int *empty) {
  size_t cap = 0, start = p->pos;
  if (peek(p) == '*') {
    p->pos++;
  } else if (ident_starts(p)) {
    c->tag = parse_name(p, 0, 1, "expected tag name");
    if (!c->tag) return 0;
  }
  if (peek(p) == '|') return fail(p, "namespaces are not supported");
  for (;;) {
    simple s;
    memset(&s, 0, sizeof s);
    int ch = peek(p), ok;
    if (ch == '#') {
      p->pos++;
      s.kind = SK_ID;
      s.value = parse_name(p, 1, 0, "expected id after '#'");
      ok = s.value != NULL;
    } else if (ch == '.') {
      p->pos++;
      s.kind = SK_CLASS;
      s.value = parse_name(p, 0, 0, "expected class name after '.'");
      ok = s.value != NULL;
    } else if (ch == '[') {
      ok = parse_attr(p, &s);
    } else if (ch == ':') {
      ok = parse_pseudo(p, &s);
    } else {
      break;
    }
    if (!ok) {
      simple_free(&s);
      return 0;
    }
    if (s.value && !s.value_len) s.value_len = strlen(s.value);
    push_simple(c, &cap, &s);
  }
  *empty = p->pos == start;
  return 1;
}

static const char *comb_text(comb_kind k) {
  return k == C_CHILD ? "'>'" : k == C_NEXT ? "'+'" : "'~'";
}

static comb_kind comb_of(int c) {
  return c == '>' ? C_CHILD : c == '+' ? C_NEXT : c == '~' ? C_LATER : C_NONE;
}

static void push_compound(complex_sel *cx, size_t *cap, const compound *c) {
  if (cx->len == *cap) {
    *cap = *cap ? *cap * 2 : 4;
    cx->compounds = nf_xrealloc(cx->compounds, *cap * sizeof *cx->compounds);
  }
  cx->compounds[cx->len++] = *c;
}

static int parse_complex(parser *p, int relative, complex_sel *out) {
  size_t cap = 0;
  comb_kind comb = C_NONE;
  int ok = 1;
  if (relative) {
    /* :has(> a): an anchor compound stands for the :has() subject. */
    compound anchor;
    memset(&anchor, 0, sizeof anchor);
    anchor.simples = nf_xcalloc(1, sizeof *anchor.simples);
    anchor.simples[0].kind = SK_ANCHOR;
    anchor.nsimples = 1;
    push_compound(out, &cap, &anchor);
    skip_ws(p);
    comb = comb_of(peek(p));
    if (comb != C_NONE) {
      p->pos++;
      skip_ws(p);
    } else {
      comb = C_DESCENDANT;
    }
  }
  for (;;) {
    compound c;
    memset(&c, 0, sizeof c);
    int empty = 0;
    size_t at = p->pos;
    if (!parse_compound(p, &c, &empty)) {
      compound_free(&c);
      ok = 0;
      break;
    }
    if (empty) {
      compound_free(&c);
      if (comb != C_NONE && comb != C_DESCENDANT) {
        snprintf(p->err_detail, sizeof p->err_detail,
                 "expected selector after %s", comb_text(comb));
        ok = fail(p, p->err_detail);
      } else {
        int ch = peek(p);
        if (ch < 0 || ch == ',' || ch == ')' || comb_of(ch) != C_NONE) {
          ok = fail(p, "expected selector");
        } else {
          snprintf(p->err_detail, sizeof p->err_detail,
                   "unexpected character '%c'", ch);
          ok = fail(p, ch >= 0x20 && ch < 0x7f ? p->err_detail
                                               : "unexpected character");
        }
      }
      break;
    }
    c.comb = comb;
    if (out->len == NF_SEL_MAX_COMPOUNDS) {
      compound_free(&c);
      ok = fail_at(p, at, "selector too long (more than 64 compounds)");
      break;
    }
    push_compound(out, &cap, &c);
    int had_ws = skip_ws(p);
    int ch = peek(p);
    comb = comb_of(ch);
    if (comb != C_NONE) {
      p->pos++;
      skip_ws(p);
    } else if (ch < 0 || ch == ',' || ch == ')') {
      break;
    } else if (had_ws) {
      comb = C_DESCENDANT;
    } else {
      snprintf(p->err_detail, sizeof p->err_detail,
               "unexpected character '%c'", ch);
      ok = fail(p, ch >= 0x20 && ch < 0x7f ? p->err_detail
                                           : "unexpected character");
      break;
    }
  }
  return ok;
}

static int parse_list(parser *p, int relative, sel_list *out) {
  size_t cap = 0;
  for (;;) {
    skip_ws(p);
    if (out->len == cap) {
      cap = cap ? cap * 2 : 2;
      out->items = nf_xrealloc(out->items, cap * sizeof *out->items);
    }
    complex_sel *cx = &out->items[out->len++];
    memset(cx, 0, sizeof *cx);
    if (!parse_complex(p, relative, cx)) return 0;
    skip_ws(p);
    if (peek(p) != ',') return 1;
    p->pos++;
  }
}

nf_selector *nf_selector_compile(const char *css, char *err, size_t errlen) {
  parser p;
  memset(&p, 0, sizeof p);
  p.s = css ? css : "";
  p.len = strlen(p.s);
  nf_selector *sel = nf_xcalloc(1, sizeof *sel);
  if (parse_list(&p, 0, &sel->list) && peek(&p) >= 0) {
    int ch = peek(&p);
    snprintf(p.err_detail, sizeof p.err_detail, "unexpected '%c'", ch);
    fail(&p, ch >= 0x20 && ch < 0x7f ? p.err_detail : "unexpected character");
  }
  if (p.err_msg) {
    if (err && errlen)
      snprintf(err, errlen, "invalid selector '%.200s%s': %s at offset %zu",
               p.s, p.len > 200 ? "..." : "", p.err_msg, p.err_pos);
    nf_selector_free(sel);
    return NULL;
  }
  return sel;
}

void nf_selector_free(nf_selector *sel) {
  if (!sel) return;
  list_free(&sel->list);
  free(sel);
}

/* ===== Matching ========================================================= */

typedef enum { M_MATCH, M_RESTART_SIBLING, M_RESTART_DESCENDANT, M_FAIL } mresult;

/* What a scan over earlier siblings found, remembered per (what was
 * scanned for, :has anchor, parent) for the call: the position of the last
 * sibling computed for :nth-child(An+B of S), the result of the last '~'
 * scan. A select in document order then scans each sibling run once
 * instead of once per sibling. */
#define MEMO_SLOTS 32
typedef struct memo_entry {
  const void *key;     /* the simple (nth) or the compound ('~') */
  const xmlNode *anchor, *parent, *node;
  long value;
  unsigned long stamp; /* when written: the older of a pair is replaced */
} memo_entry;

/* Positions of the element children of a parent, built when a bounded
 * scan is not enough: without them :last-of-type, :nth-child and friends
 * scan every sibling of every sibling, quadratic on long runs (thousands
 * of custom elements). A select keeps its own table for the call; node by
 * node matching (walk handlers, node:matches) keeps the document's, which
 * lives until the document's next edit (nf_doc.generation), so a walk
 * over a run pays for one table instead of one scan per sibling. */
typedef struct sib_info {
  const xmlNode *node;   /* NULL: empty slot */
  uint32_t idx, n;       /* 1-based position among element siblings, and
                            how many there are */
  uint32_t tidx, tn;     /* the same among same-name siblings */
} sib_info;

typedef struct sib_table {
  sib_info *slots;       /* open addressing on the node pointer */
  size_t cap, used;      /* cap: a power of two (or 0) */
  unsigned long generation; /* the document's, for its cache */
} sib_table;

typedef struct match_ctx {
  const xmlNode *scope;  /* :scope; NULL = the root element */
  const xmlNode *anchor; /* the subject of the :has() being tested */
  int tables;            /* keep positions: a select, or a document's cache
                            (else a lone match scans, which costs less) */
  sib_table own;         /* this call's table */
  nf_doc *doc;           /* else the table cached on this document */
  memo_entry memo[MEMO_SLOTS];
  int memo_ready;
  unsigned long stamp;
  int (*stop)(void *);   /* asked every few thousand compound tests */
  void *stop_ud;
  unsigned long work;
  unsigned long steps;   /* compound tests and sibling steps (the test hook) */
  int stopped;           /* stop said yes: everything fails from now on */
  nf_buf scratch;        /* lower-cased attribute values for [a*=v i] */
} match_ctx;

/* The memo is cleared on first use: most selectors never need it and
 * nf_selector_matches is called once per node by tree walks. */
static void ctx_init(match_ctx *mc, const xmlNode *scope) {
  mc->scope = scope;
  mc->anchor = NULL;
  mc->tables = 0;
  mc->own = (sib_table){NULL, 0, 0, 0};
  mc->doc = NULL;
  mc->memo_ready = 0;
  mc->stamp = 0;
  mc->stop = NULL;
  mc->stop_ud = NULL;
  mc->work = 0;
  mc->steps = 0;
  mc->stopped = 0;
  nf_buf_init(&mc->scratch);
}

static _Thread_local unsigned long thread_steps;

unsigned long nf_select_steps(void) { return thread_steps; }

static void ctx_free(match_ctx *mc) {
  free(mc->own.slots);
  nf_buf_free(&mc->scratch);
  thread_steps += mc->steps;
}

static inline int lower_c(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* name (any case) equals lower (lower case)? */
static inline int name_eq(const xmlChar *name, const char *lower) {
  const unsigned char *a = name, *b = (const unsigned char *)lower;
  for (;; a++, b++) {
    int ca = lower_c(*a);
    if (ca != *b) return 0;
    if (!ca) return 1;
  }
}

static inline int same_name(const xmlNode *x, const xmlNode *y) {
  return x->name == y->name || xmlStrcasecmp(x->name, y->name) == 0;
}

static inline int is_element(const xmlNode *n) {
  return n->type == XML_ELEMENT_NODE;
}

static inline const xmlNode *parent_element(const xmlNode *n) {
  const xmlNode *p = n->parent;
  return p && is_element(p) ? p : NULL;
}

static inline const xmlNode *prev_element(const xmlNode *n) {
  for (n = n->prev; n; n = n->prev)
    if (is_element(n)) return n;
  return NULL;
}

static inline const xmlNode *next_element(const xmlNode *n) {
  for (n = n->next; n; n = n->next)
    if (is_element(n)) return n;
  return NULL;
}

/* The value of attribute lname, borrowed when it is one text node (always,
 * for parsed HTML); else built into *owned (xmlFree). NULL when absent. */
static const char *attr_get(const xmlNode *el, const char *lname,
                            xmlChar **owned) {
  for (const xmlAttr *a = el->properties; a; a = a->next) {
    if (!name_eq(a->name, lname)) continue;
    const xmlNode *c = a->children;
    if (!c) return "";
    if (c->type == XML_TEXT_NODE && !c->next)
      return c->content ? (const char *)c->content : "";
    *owned = xmlNodeListGetString(el->doc, (xmlNode *)c, 1);
    return *owned ? (const char *)*owned : "";
  }
  return NULL;
}

static int bytes_eq(const char *a, const char *b, size_t n, int icase) {
  if (!icase) return memcmp(a, b, n) == 0;
  for (size_t i = 0; i < n; i++) /* b is already lower case */
    if (lower_c((unsigned char)a[i]) != (unsigned char)b[i]) return 0;
  return 1;
}

/* Is the whitespace-separated list v holding token t? */
static int has_token(const char *v, const char *t, size_t tlen, int icase) {
  const char *s = v;
  for (;;) {
    while (is_ws((unsigned char)*s)) s++;
    if (!*s) return 0;
    const char *e = s;
    while (*e && !is_ws((unsigned char)*e)) e++;
    if ((size_t)(e - s) == tlen && bytes_eq(s, t, tlen, icase)) return 1;
    s = e;
  }
}

static int attr_matches(const simple *s, const char *v, match_ctx *mc) {
  size_t vlen, n = s->value_len;
  switch (s->kind) {
  case SK_ATTR_EXISTS:
    return 1;
  case SK_ATTR_EQ:
    vlen = strlen(v);
    return vlen == n && bytes_eq(v, s->value, n, s->icase);
  case SK_ATTR_INCLUDES:
    return has_token(v, s->value, n, s->icase);
  case SK_ATTR_DASH:
    vlen = strlen(v);
    return vlen >= n && bytes_eq(v, s->value, n, s->icase) &&
           (vlen == n || v[n] == '-');
  case SK_ATTR_PREFIX:
    return strncmp(v, s->value, n) == 0 ||
           (s->icase && strlen(v) >= n && bytes_eq(v, s->value, n, 1));
  case SK_ATTR_SUFFIX:
    vlen = strlen(v);
    return vlen >= n && bytes_eq(v + vlen - n, s->value, n, s->icase);
  case SK_ATTR_SUBSTR:
    vlen = strlen(v);
    if (s->icase) {
      nf_buf_clear(&mc->scratch);
      nf_buf_put(&mc->scratch, v, vlen);
      for (size_t i = 0; i < vlen; i++)
        mc->scratch.ptr[i] = (char)lower_c((unsigned char)v[i]);
      v = mc->scratch.ptr;
    }
    return memmem(v, vlen, s->value, n) != NULL;
  default:
    return 0;
  }
}

static int match_list(const sel_list *l, const xmlNode *el, match_ctx *mc);

/* ----- Sibling positions ------------------------------------------------ */

/* Siblings a scan looks at before it falls back to the parent's table. */
#define SIB_SCAN_LIMIT 32

static size_t sib_hash(const xmlNode *n, size_t cap) {
  uintptr_t h = (uintptr_t)n >> 4;
  h ^= h >> 17;
  h *= (uintptr_t)0x9E3779B97F4A7C15ull;
  return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static sib_info *sib_find(const sib_table *t, const xmlNode *n) {
  if (!t->cap) return NULL;
  for (size_t i = sib_hash(n, t->cap);; i = (i + 1) & (t->cap - 1)) {
    if (t->slots[i].node == n) return &t->slots[i];
    if (!t->slots[i].node) return NULL;
  }
}

static void sib_put(sib_table *t, sib_info info);

static void sib_grow(sib_table *t, size_t need) {
  if ((t->used + need) * 2 <= t->cap) return;
  size_t cap = t->cap ? t->cap : 64;
  while ((t->used + need) * 2 > cap) cap *= 2;
  sib_table bigger = {nf_xcalloc(cap, sizeof *bigger.slots), cap, 0,
                      t->generation};
  for (size_t i = 0; i < t->cap; i++)
    if (t->slots[i].node) sib_put(&bigger, t->slots[i]);
  free(t->slots);
  *t = bigger;
}

static void sib_put(sib_table *t, sib_info info) {
  size_t i = sib_hash(info.node, t->cap);
  while (t->slots[i].node) i = (i + 1) & (t->cap - 1);
  t->slots[i] = info;
  t->used++;
}

static void sib_table_free(void *p) {
  sib_table *t = p;
  free(t->slots);
  free(t);
}

/* The table to use: the call's own, or the document's, emptied when the
 * document was edited since it was filled (an edit may move, add, remove
 * or rename any element, so no entry can be trusted then). */
static sib_table *ctx_table(match_ctx *mc) {
  nf_doc *d = mc->doc;
  if (!d) return &mc->own;
  sib_table *t = d->select_cache;
  if (!t) {
    t = nf_xcalloc(1, sizeof *t);
    t->generation = d->generation;
    d->select_cache = t;
    d->select_cache_free = sib_table_free;
  } else if (t->generation != d->generation) {
    free(t->slots);
    *t = (sib_table){NULL, 0, 0, d->generation};
  }
  return t;
}

/* ASCII-case-insensitive FNV-1a: same_name names hash alike. */
static size_t name_hash(const xmlChar *s) {
  size_t h = (size_t)14695981039346656037ull;
  for (; s && *s; s++) h = (h ^ (size_t)lower_c(*s)) * (size_t)1099511628211ull;
  return h ^ (h >> 29);
}

typedef struct sib_kid {
  const xmlNode *node;
  uint32_t group;        /* slot of its name in the name table */
  uint32_t tidx;
} sib_kid;

typedef struct name_slot {
  uint32_t first;        /* 1 + index of the first child of the name; 0: empty */
  uint32_t count;
} name_slot;

/* Enters every element child of parent, in one pass: a table of names
 * (any case) counts the children of each name as they come. */
static void sib_build(sib_table *t, const xmlNode *parent, match_ctx *mc) {
  size_t n = 0;
  for (const xmlNode *c = parent->children; c; c = c->next) n += is_element(c);
  mc->steps += n;
  sib_kid *kids = nf_xmalloc((n ? n : 1) * sizeof *kids);
  size_t cap = 16;
  while (cap < 2 * n) cap *= 2;
  name_slot *names = nf_xcalloc(cap, sizeof *names);
  n = 0;
  for (const xmlNode *c = parent->children; c; c = c->next) {
    if (!is_element(c)) continue;
    size_t h = name_hash(c->name) & (cap - 1);
    while (names[h].first && !same_name(kids[names[h].first - 1].node, c))
      h = (h + 1) & (cap - 1);
    if (!names[h].first) names[h].first = (uint32_t)(n + 1);
    kids[n++] = (sib_kid){c, (uint32_t)h, ++names[h].count};
  }
  sib_grow(t, n);
  for (size_t i = 0; i < n; i++)
    sib_put(t, (sib_info){kids[i].node, (uint32_t)(i + 1), (uint32_t)n,
                          kids[i].tidx, names[kids[i].group].count});
  free(names);
  free(kids);
}

/* el's 1-based position among its element siblings (of_type: those of its
 * name) from the start, or from the end: from the parent's table when it
 * was built, else by a scan, which builds it when the run is long. With
 * first_only, any position but the first may come back as 2. */
static long sib_position(const xmlNode *el, int of_type, int from_end,
                         int first_only, match_ctx *mc) {
  sib_table *t = mc->tables ? ctx_table(mc) : NULL;
  const sib_info *info = t ? sib_find(t, el) : NULL;
  long same = 0;
  int steps = 0;
  for (const xmlNode *x = el; !info;) {
    x = from_end ? next_element(x) : prev_element(x);
    if (!x) return same + 1;
    mc->steps++;
    if (++steps > SIB_SCAN_LIMIT && t && el->parent) {
      sib_build(t, el->parent, mc);
      info = sib_find(t, el);
      if (!info) return 1; /* unreachable: el is its parent's child */
    } else if ((!of_type || same_name(x, el)) && (++same, first_only)) {
      return 2;
    }
  }
  long i = of_type ? info->tidx : info->idx, n = of_type ? info->tn : info->n;
  return from_end ? n - i + 1 : i;
}

/* The entry for (key, anchor, parent); *found says whether it holds one,
 * else it is the one to overwrite. A two-way set: of two slots, the one
 * with our key, else the one written longer ago, so two colliding sibling
 * runs do not thrash. */
static memo_entry *memo_slot(match_ctx *mc, const void *key,
                             const xmlNode *parent, int *found) {
  if (!mc->memo_ready) {
    memset(mc->memo, 0, sizeof mc->memo);
    mc->memo_ready = 1;
  }
  uintptr_t h = ((uintptr_t)parent >> 4) ^ ((uintptr_t)key >> 3) ^
                ((uintptr_t)mc->anchor >> 5);
  size_t slot = (h ^ (h >> 7) ^ (h >> 13)) % MEMO_SLOTS;
  memo_entry *pair = &mc->memo[slot & ~(size_t)1];
  for (int k = 0; k < 2; k++)
    if (pair[k].key == key && pair[k].parent == parent &&
        pair[k].anchor == mc->anchor && pair[k].node) {
      *found = 1;
      return &pair[k];
    }
  *found = 0;
  return pair[0].stamp <= pair[1].stamp ? &pair[0] : &pair[1];
}

static void memo_put(match_ctx *mc, memo_entry *e, const void *key,
                     const xmlNode *parent, const xmlNode *node, long value) {
  *e = (memo_entry){key, mc->anchor, parent, node, value, ++mc->stamp};
}

/* Does sibling x count for :nth-child(An+B of S) s? */
static int nth_counts(const simple *s, const xmlNode *x, match_ctx *mc) {
  return !s->sub || match_list(s->sub, x, mc);
}

/* 1-based position of el among counted siblings, from the start (nth-child,
 * nth-of-type) or the end (nth-last-*). */
static long nth_index(const simple *s, const xmlNode *el, match_ctx *mc) {
  int from_end = s->kind == SK_NTH_LAST_CHILD || s->kind == SK_NTH_LAST_OF_TYPE;
  if (!s->sub)
    return sib_position(el, s->kind == SK_NTH_OF_TYPE ||
                                s->kind == SK_NTH_LAST_OF_TYPE,
                        from_end, 0, mc);
  /* An+B of S: counting depends on S, which no table can keep; the memo
   * entry is copied, as matching S may reuse its slot. */
  int cached;
  const memo_entry *e = memo_slot(mc, s, el->parent, &cached);
  const xmlNode *known = cached ? e->node : NULL;
  long known_index = cached ? e->value : 0;
  long before = 0, index = -1;
  for (const xmlNode *x = prev_element(el); x; x = prev_element(x)) {
    if (x == known) {
      index = from_end ? known_index - before - 1 : known_index + before + 1;
      break;
    }
    if (nth_counts(s, x, mc)) before++;
  }
  if (index < 0) {
    if (!from_end) {
      index = before + 1;
    } else {
      index = 1;
      for (const xmlNode *x = next_element(el); x; x = next_element(x))
        if (nth_counts(s, x, mc)) index++;
    }
  }
  /* Only counted siblings may anchor later lookups (the arithmetic above
   * assumes the cached node is one of them). */
  if (nth_counts(s, el, mc))
    memo_put(mc, memo_slot(mc, s, el->parent, &cached), s, el->parent, el, index);
  return index;
}

static int nth_matches(long a, long b, long i) {
  if (a == 0) return i == b;
  long d = i - b;
  return d % a == 0 && d / a >= 0;
}

static int is_empty(const xmlNode *el) {
  for (const xmlNode *c = el->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE || c->type == XML_ENTITY_REF_NODE)
      return 0;
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
        c->content && c->content[0])
      return 0;
  }
  return 1;
}

static int has_matches(const sel_list *l, const xmlNode *el, match_ctx *mc);

static int match_pseudo(const simple *s, const xmlNode *el, match_ctx *mc) {
  switch (s->kind) {
  case SK_FIRST_CHILD:
    return prev_element(el) == NULL;
  case SK_LAST_CHILD:
    return next_element(el) == NULL;
  case SK_ONLY_CHILD:
    return prev_element(el) == NULL && next_element(el) == NULL;
  case SK_FIRST_OF_TYPE:
    return sib_position(el, 1, 0, 1, mc) == 1;
  case SK_LAST_OF_TYPE:
    return sib_position(el, 1, 1, 1, mc) == 1;
  case SK_ONLY_OF_TYPE:
    return sib_position(el, 1, 0, 1, mc) == 1 && sib_position(el, 1, 1, 1, mc) == 1;
  case SK_NTH_CHILD:
  case SK_NTH_LAST_CHILD:
  case SK_NTH_OF_TYPE:
  case SK_NTH_LAST_OF_TYPE:
    if (s->sub && !match_list(s->sub, el, mc)) return 0;
    return nth_matches(s->a, s->b, nth_index(s, el, mc));
  case SK_NOT:
    return !match_list(s->sub, el, mc);
  case SK_IS:
    return match_list(s->sub, el, mc);
  case SK_HAS:
    return has_matches(s->sub, el, mc);
  case SK_EMPTY:
    return is_empty(el);
  case SK_ROOT:
    return el->parent && (el->parent->type == XML_DOCUMENT_NODE ||
                          el->parent->type == XML_HTML_DOCUMENT_NODE);
  case SK_SCOPE:
    if (mc->scope) return el == mc->scope;
    return el->parent && (el->parent->type == XML_DOCUMENT_NODE ||
                          el->parent->type == XML_HTML_DOCUMENT_NODE);
  case SK_ANCHOR:
    return el == mc->anchor;
  default:
    return 0;
  }
}

static int match_compound(const compound *c, const xmlNode *el,
                          match_ctx *mc) {
  if (mc->stop) {
    if (!mc->stopped && (++mc->work & 4095) == 0)
      mc->stopped = mc->stop(mc->stop_ud) != 0;
    if (mc->stopped) return 0;
  }
  mc->steps++;
  if (c->tag && !name_eq(el->name, c->tag)) return 0;
  const char *classes = NULL;
  xmlChar *classes_owned = NULL;
  int have_classes = 0, ok = 1;
  for (size_t i = 0; ok && i < c->nsimples; i++) {
    const simple *s = &c->simples[i];
    xmlChar *owned = NULL;
    const char *v;
    switch (s->kind) {
    case SK_ID:
      v = attr_get(el, "id", &owned);
      ok = v && strcmp(v, s->value) == 0;
      break;
    case SK_CLASS:
      if (!have_classes) { /* one lookup for all of .a.b.c */
        classes = attr_get(el, "class", &classes_owned);
        have_classes = 1;
      }
      ok = classes && has_token(classes, s->value, s->value_len, 0);
      break;
    case SK_ATTR_EXISTS: case SK_ATTR_EQ: case SK_ATTR_INCLUDES:
    case SK_ATTR_DASH: case SK_ATTR_PREFIX: case SK_ATTR_SUFFIX:
    case SK_ATTR_SUBSTR:
      v = attr_get(el, s->name, &owned);
      ok = v && attr_matches(s, v, mc);
      break;
    case SK_NEVER:
      ok = 0;
      break;
    default:
      ok = match_pseudo(s, el, mc);
      break;
    }
    xmlFree(owned);
  }
  xmlFree(classes_owned);
  return ok;
}

static mresult match_from(const complex_sel *cx, size_t i, const xmlNode *el,
                          match_ctx *mc);

/* The '~' before compounds[i]: compounds[0..i-1] tried at x and the
 * siblings before it, closest first, until one ends the scan (a match, a
 * fail, a restart from a descendant combinator), else a restart from a
 * descendant combinator. The answer depends on x and what lies before and
 * above it, not on where the scan came from, so the last one per parent is
 * remembered: the next sibling's scan stops at it, and a select over a run
 * of siblings scans the run once, not once per sibling. */
static mresult later_scan(const complex_sel *cx, size_t i, const xmlNode *x,
                          match_ctx *mc) {
  if (!x) return M_RESTART_DESCENDANT;
  const compound *key = &cx->compounds[i];
  const xmlNode *start = x, *parent = x->parent;
  int cached;
  const memo_entry *e = memo_slot(mc, key, parent, &cached);
  const xmlNode *known = cached ? e->node : NULL; /* copied: see nth_index */
  mresult r = cached ? (mresult)e->value : M_RESTART_DESCENDANT;
  for (; x; x = prev_element(x)) {
    if (x == known) break;
    mresult m = match_from(cx, i - 1, x, mc);
    if (m != M_RESTART_SIBLING) {
      r = m;
      break;
    }
  }
  if (!x) r = M_RESTART_DESCENDANT;
  memo_put(mc, memo_slot(mc, key, parent, &cached), key, parent, start, r);
  return r;
}

/* Matches compounds[0..i] of cx with compounds[i] at el (right to left). */
static mresult match_from(const complex_sel *cx, size_t i, const xmlNode *el,
                          match_ctx *mc) {
  const compound *c = &cx->compounds[i];
  if (!match_compound(c, el, mc)) return M_RESTART_SIBLING;
  if (i == 0) return M_MATCH;
  comb_kind comb = c->comb;
  if (comb == C_LATER) return later_scan(cx, i, prev_element(el), mc);
  int up = comb == C_DESCENDANT || comb == C_CHILD;
  const xmlNode *next = up ? parent_element(el) : prev_element(el);
  while (next) {
    mresult r = match_from(cx, i - 1, next, mc);
    if (r == M_MATCH || r == M_FAIL || comb == C_NEXT) return r;
    if (comb == C_CHILD) return M_RESTART_DESCENDANT;
    if (r == M_RESTART_DESCENDANT && comb == C_LATER) return r;
    next = up ? parent_element(next) : prev_element(next);
  }
  return up ? M_FAIL : M_RESTART_DESCENDANT;
}

static int match_list(const sel_list *l, const xmlNode *el, match_ctx *mc) {
  for (size_t i = 0; i < l->len; i++) {
    const complex_sel *cx = &l->items[i];
    if (match_from(cx, cx->len - 1, el, mc) == M_MATCH) return 1;
  }
  return 0;
}

/* Does any relative selector of l match, anchored at el? Candidates are the
 * descendants of el (for a leading ' ' or '>') or its later siblings and,
 * when a later combinator goes down, their descendants. */
static int has_matches(const sel_list *l, const xmlNode *el, match_ctx *mc) {
  const xmlNode *saved = mc->anchor;
  int found = 0;
  mc->anchor = el;
  for (size_t i = 0; i < l->len && !found; i++) {
    const complex_sel *cx = &l->items[i];
    comb_kind lead = cx->compounds[1].comb;
    int down = 0;
    for (size_t j = 2; j < cx->len; j++)
      if (cx->compounds[j].comb == C_DESCENDANT ||
          cx->compounds[j].comb == C_CHILD)
        down = 1;
    const xmlNode *top, *n;
    if (lead == C_DESCENDANT || lead == C_CHILD) {
      top = el;
      n = el->children;
      down = 1;
    } else {
      top = el->parent; /* walk siblings after el, never above them */
      n = el->next;
    }
    while (n && !found && !mc->stopped) {
      if (is_element(n)) {
        if (match_from(cx, cx->len - 1, n, mc) == M_MATCH) found = 1;
        if (down && n->children) {
          n = n->children;
          continue;
        }
      }
      while (n && !n->next) {
        n = n->parent;
        if (n == top || n == el) n = NULL;
      }
      if (n) n = n->next;
    }
  }
  mc->anchor = saved;
  return found;
}

/* ===== Public =========================================================== */

int nf_selector_matches(const nf_selector *sel, const nf_node *el) {
  if (!sel || !el || !is_element(el)) return 0;
  match_ctx mc;
  ctx_init(&mc, NULL);
  mc.doc = nf_doc_of(el); /* a walk calls once per node: keep the tables */
  mc.tables = mc.doc != NULL;
  int r = match_list(&sel->list, el, &mc);
  ctx_free(&mc);
  return r;
}

int nf_select_checked(const nf_selector *sel, nf_node *root,
                      nf_nodelist *out, int (*stop)(void *), void *ud) {
  if (!sel || !root) return 0;
  if (!is_element(root) && root->type != XML_DOCUMENT_NODE &&
      root->type != XML_HTML_DOCUMENT_NODE &&
      root->type != XML_DOCUMENT_FRAG_NODE)
    return 0;
  match_ctx mc;
  ctx_init(&mc, is_element(root) ? root : NULL);
  mc.tables = 1;
  mc.stop = stop;
  mc.stop_ud = ud;
  xmlNode *n = root->children;
  nf_budget *budget = nf_budget_current();
  while (n && !mc.stopped) {
    if (budget && nf_budget_spend(budget, 1)) break;
    if (is_element(n)) {
      if (match_list(&sel->list, n, &mc)) nf_nodelist_push(out, n);
      if (n->children) {
        n = n->children;
        continue;
      }
    }
    while (n && !n->next) {
      n = n->parent;
      if (n == root) n = NULL;
    }
    if (n) n = n->next;
  }
  ctx_free(&mc);
  return mc.stopped ? -1 : 0;
}

void nf_select(const nf_selector *sel, nf_node *root, nf_nodelist *out) {
  nf_select_checked(sel, root, out, NULL, NULL);
}

int nf_select_css(nf_node *root, const char *css, nf_nodelist *out,
                  char *err, size_t errlen) {
  nf_selector *sel = nf_selector_compile(css, err, errlen);
  if (!sel) return -1;
  nf_select(sel, root, out);
  nf_selector_free(sel);
  return 0;
}
