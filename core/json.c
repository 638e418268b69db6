/* json.c: a small JSON reader (RFC 8259), a builder and the writer.
 *
 * The strict parser is for data we are handed (bundles, scripts); the
 * lenient one is for JSON-LD found in web pages, which is often sloppy:
 * trailing commas, raw newlines inside strings, HTML comment or CDATA
 * wrappers, a stray semicolon, bytes that are not UTF-8.
 *
 * Nesting is bounded (NF_JSON_MAX_DEPTH), so the recursive descent stays
 * shallow; freeing uses an explicit stack all the same. */
#include "newsform.h"
#include "utf8.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NF_JSON_MAX_DEPTH 1000

typedef struct parser {
  const unsigned char *s;
  size_t len, pos;
  int lenient;
  char *err;
  size_t errlen;
  int failed;
  nf_buf scratch;   /* string being decoded */
} parser;

#define REPLACEMENT_CHAR 0xFFFDu

/* ===== Values (internal helpers) ====================================== */

static nf_json *value_new(nf_json_type type) {
  nf_json *v = nf_xcalloc(1, sizeof *v);
  v->type = type;
  return v;
}

/* Appends item (and key, for objects) to a container. The struct has no
 * capacity field: the capacity is implied by len (0, then 4, 8, 16...), so
 * the parser and the builder can both grow any container. */
static void container_push(nf_json *c, char *key, size_t keylen,
                           nf_json *item) {
  size_t n = c->len;
  if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
    size_t ncap = n ? n * 2 : 4;
    c->items = nf_xrealloc(c->items, ncap * sizeof *c->items);
    if (c->type == NF_JSON_OBJECT) {
      c->keys = nf_xrealloc(c->keys, ncap * sizeof *c->keys);
      c->key_lens = nf_xrealloc(c->key_lens, ncap * sizeof *c->key_lens);
    }
  }
  if (c->type == NF_JSON_OBJECT) {
    c->keys[c->len] = key;
    c->key_lens[c->len] = keylen;
  }
  c->items[c->len++] = item;
}

/* Is member i's key the keylen bytes at key? Objects built by hand (a
 * struct filled without the builder) may lack key_lens: then keys[i] is a
 * C string. */
static int key_is(const nf_json *obj, size_t i, const char *key,
                  size_t keylen) {
  const char *k = obj->keys[i];
  if (!k) return keylen == 0;
  size_t n = obj->key_lens ? obj->key_lens[i] : strlen(k);
  return n == keylen && memcmp(k, key, n) == 0;
}

/* ===== Parsing (internal helpers) ===================================== */

static void fail(parser *p, const char *what) {
  if (p->failed) return;
  p->failed = 1;
  if (p->err && p->errlen)
    snprintf(p->err, p->errlen, "JSON: %s at byte %zu", what, p->pos);
}

static void skip_space(parser *p) {
  for (;;) {
    while (p->pos < p->len) {
      unsigned char c = p->s[p->pos];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') p->pos++;
      else break;
    }
    if (!p->lenient || p->pos >= p->len) return;
    /* Lenient: JavaScript comments and a UTF-8 BOM or NBSP count as space. */
    const unsigned char *r = p->s + p->pos;
    size_t left = p->len - p->pos;
    if (left >= 2 && r[0] == '/' && r[1] == '/') {
      while (p->pos < p->len && p->s[p->pos] != '\n') p->pos++;
    } else if (left >= 2 && r[0] == '/' && r[1] == '*') {
      const unsigned char *end = memmem(r + 2, left - 2, "*/", 2);
      p->pos = end ? (size_t)(end - p->s) + 2 : p->len;
    } else if (left >= 3 && r[0] == 0xEF && r[1] == 0xBB && r[2] == 0xBF) {
      p->pos += 3;
    } else if (left >= 2 && r[0] == 0xC2 && r[1] == 0xA0) {
      p->pos += 2;
    } else {
      return;
    }
  }
}

static int hex4(parser *p, uint32_t *out) {
  if (p->len - p->pos < 4) return 0;
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) {
    unsigned char c = p->s[p->pos + i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
    else return 0;
  }
  p->pos += 4;
  *out = v;
  return 1;
}

/* Reads a string at p->pos (on the opening quote) into p->scratch. */
static int parse_string_raw(parser *p) {
  nf_buf_clear(&p->scratch);
  p->pos++;   /* opening quote */
  for (;;) {
    /* Copy the run of plain ASCII bytes in one go. */
    size_t start = p->pos;
    while (p->pos < p->len) {
      unsigned char c = p->s[p->pos];
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
      p->pos++;
    }
    nf_buf_put(&p->scratch, p->s + start, p->pos - start);
    if (p->pos >= p->len) { fail(p, "unterminated string"); return 0; }
    unsigned char c = p->s[p->pos];
    if (c == '"') { p->pos++; return 1; }
    if (c < 0x20) {
      if (!p->lenient) { fail(p, "control character in string"); return 0; }
      nf_buf_putc(&p->scratch, c);   /* raw newlines in page JSON-LD */
      p->pos++;
      continue;
    }
    if (c >= 0x80) {
      uint32_t cp;
      size_t n = nf_utf8_decode((const char *)p->s + p->pos, p->len - p->pos, &cp);
      if (!n) {
        if (!p->lenient) { fail(p, "invalid UTF-8"); return 0; }
        nf_utf8_put(&p->scratch, REPLACEMENT_CHAR);
        p->pos++;
        continue;
      }
      nf_buf_put(&p->scratch, p->s + p->pos, n);
      p->pos += n;
      continue;
    }
    /* A backslash escape. */
    size_t esc_at = p->pos;
    p->pos++;
    if (p->pos >= p->len) { fail(p, "unterminated string"); return 0; }
    c = p->s[p->pos++];
    switch (c) {
    case '"': nf_buf_putc(&p->scratch, '"'); break;
    case '\\': nf_buf_putc(&p->scratch, '\\'); break;
    case '/': nf_buf_putc(&p->scratch, '/'); break;
    case 'b': nf_buf_putc(&p->scratch, '\b'); break;
    case 'f': nf_buf_putc(&p->scratch, '\f'); break;
    case 'n': nf_buf_putc(&p->scratch, '\n'); break;
    case 'r': nf_buf_putc(&p->scratch, '\r'); break;
    case 't': nf_buf_putc(&p->scratch, '\t'); break;
    case 'u': {
      uint32_t cp;
      if (!hex4(p, &cp)) {
        p->pos = esc_at;
        fail(p, "invalid \\u escape");
        return 0;
      }
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        /* A high surrogate: pair it with a following \uDC00-\uDFFF. */
        uint32_t lo;
        size_t save = p->pos;
        if (p->len - p->pos >= 6 && p->s[p->pos] == '\\' &&
            p->s[p->pos + 1] == 'u') {
          p->pos += 2;
          if (hex4(p, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else {
            p->pos = save;   /* lone high surrogate; reread what follows */
            cp = REPLACEMENT_CHAR;
          }
        } else {
          cp = REPLACEMENT_CHAR;
        }
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        cp = REPLACEMENT_CHAR;   /* lone low surrogate */
      }
      nf_utf8_put(&p->scratch, cp);
      break;
    }
    default:
      if (p->lenient) {   /* e.g. \' or \< : keep the character */
        p->pos--;
        break;
      }
      p->pos = esc_at;
      fail(p, "invalid escape");
      return 0;
    }
  }
}

static nf_json *parse_number(parser *p) {
  size_t start = p->pos;
  const unsigned char *s = p->s;
  size_t i = p->pos, n = p->len;
  if (i < n && s[i] == '-') i++;
  if (i < n && s[i] == '0') {
    i++;
  } else if (i < n && s[i] >= '1' && s[i] <= '9') {
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  } else {
    p->pos = i;
    fail(p, "invalid number");
    return NULL;
  }
  if (i < n && s[i] == '.') {
    i++;
    if (!(i < n && s[i] >= '0' && s[i] <= '9')) {
      p->pos = i;
      fail(p, "invalid number");
      return NULL;
    }
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    if (!(i < n && s[i] >= '0' && s[i] <= '9')) {
      p->pos = i;
      fail(p, "invalid number");
      return NULL;
    }
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  }
  /* strtod needs a NUL-terminated copy, with the locale's decimal point. */
  nf_buf_clear(&p->scratch);
  nf_buf_put(&p->scratch, s + start, i - start);
  const char *dp = localeconv()->decimal_point;
  if (dp && dp[0] && dp[0] != '.' && !dp[1]) {
    char *dot = strchr(p->scratch.ptr, '.');
    if (dot) *dot = dp[0];
  }
  nf_json *v = value_new(NF_JSON_NUMBER);
  v->number = strtod(p->scratch.ptr, NULL);   /* overflow gives ±HUGE_VAL */
  p->pos = i;
  return v;
}

static int match_word(parser *p, const char *w) {
  size_t n = strlen(w);
  if (p->len - p->pos < n || memcmp(p->s + p->pos, w, n) != 0) return 0;
  p->pos += n;
  return 1;
}

static nf_json *parse_value(parser *p, int depth);

static nf_json *parse_container(parser *p, int depth) {
  int is_object = p->s[p->pos] == '{';
  unsigned char close = is_object ? '}' : ']';
  if (depth >= NF_JSON_MAX_DEPTH) {
    fail(p, "nesting deeper than 1000 levels");
    return NULL;
  }
  nf_json *c = value_new(is_object ? NF_JSON_OBJECT : NF_JSON_ARRAY);
  p->pos++;
  skip_space(p);
  if (p->pos < p->len && p->s[p->pos] == close) {
    p->pos++;
    return c;
  }
  for (;;) {
    char *key = NULL;
    size_t keylen = 0;
    skip_space(p);
    if (is_object) {
      if (p->pos >= p->len || p->s[p->pos] != '"') {
        fail(p, p->pos >= p->len ? "unexpected end of input"
                                 : "expected a string key");
        goto error;
      }
      if (!parse_string_raw(p)) goto error;
      key = nf_xstrndup(p->scratch.ptr, p->scratch.len); /* "\u0000" too */
      keylen = p->scratch.len;
      skip_space(p);
      if (p->pos >= p->len || p->s[p->pos] != ':') {
        free(key);
        fail(p, "expected ':'");
        goto error;
      }
      p->pos++;
    }
    nf_json *item = parse_value(p, depth + 1);
    if (!item) {
      free(key);
      goto error;
    }
    container_push(c, key, keylen, item);
    skip_space(p);
    if (p->pos >= p->len) {
      fail(p, "unexpected end of input");
      goto error;
    }
    unsigned char ch = p->s[p->pos];
    if (ch == close) {
      p->pos++;
      return c;
    }
    if (ch != ',') {
      fail(p, is_object ? "expected ',' or '}'" : "expected ',' or ']'");
      goto error;
    }
    p->pos++;
    if (p->lenient) {   /* trailing comma, or doubled commas */
      skip_space(p);
      while (p->pos < p->len && p->s[p->pos] == ',') {
        p->pos++;
        skip_space(p);
      }
      if (p->pos < p->len && p->s[p->pos] == close) {
        p->pos++;
        return c;
      }
    }
  }
error:
  nf_json_free(c);
  return NULL;
}

static nf_json *parse_value(parser *p, int depth) {
  skip_space(p);
  if (p->pos >= p->len) {
    fail(p, "unexpected end of input");
    return NULL;
  }
  unsigned char c = p->s[p->pos];
  switch (c) {
  case '{':
  case '[':
    return parse_container(p, depth);
  case '"': {
    if (!parse_string_raw(p)) return NULL;
    nf_json *v = value_new(NF_JSON_STRING);
    v->string = nf_xstrndup(p->scratch.ptr, p->scratch.len);
    v->string_len = p->scratch.len;
    return v;
  }
  case 't':
    if (match_word(p, "true")) return value_new(NF_JSON_TRUE);
    break;
  case 'f':
    if (match_word(p, "false")) return value_new(NF_JSON_FALSE);
    break;
  case 'n':
    if (match_word(p, "null")) return value_new(NF_JSON_NULL);
    break;
  default:
    if (c == '-' || (c >= '0' && c <= '9')) return parse_number(p);
    break;
  }
  fail(p, "unexpected character");
  return NULL;
}

static int is_space_byte(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Lenient: strip the wrappers pages put around JSON-LD. Narrows [*s, *e). */
static void strip_wrappers(const unsigned char *s, size_t *b, size_t *e) {
  static const char *const open[] = {"<!--", "<![CDATA[", "//<![CDATA[",
                                     "/*<![CDATA[*/", NULL};
  static const char *const close[] = {"-->", "]]>", "//]]>", "/*]]>*/",
                                      NULL};
  for (int round = 0; round < 2; round++) {
    while (*b < *e && is_space_byte(s[*b])) (*b)++;
    while (*e > *b && (is_space_byte(s[*e - 1]) || s[*e - 1] == ';')) (*e)--;
    for (int i = 0; open[i]; i++) {
      size_t n = strlen(open[i]);
      if (*e - *b >= n && memcmp(s + *b, open[i], n) == 0) *b += n;
    }
    for (int i = 0; close[i]; i++) {
      size_t n = strlen(close[i]);
      if (*e - *b >= n && memcmp(s + *e - n, close[i], n) == 0) *e -= n;
    }
  }
}

static nf_json *parse_text(const char *text, size_t len, int lenient,
                           char *err, size_t errlen) {
  if (err && errlen) err[0] = '\0';
  if (!text) {
    if (err && errlen) snprintf(err, errlen, "JSON: no input at byte 0");
    return NULL;
  }
  parser p = {0};
  p.s = (const unsigned char *)text;
  p.len = len;
  p.lenient = lenient;
  p.err = err;
  p.errlen = errlen;
  nf_buf_init(&p.scratch);
  if (lenient) strip_wrappers(p.s, &p.pos, &p.len);
  nf_json *v = parse_value(&p, 0);
  if (v) {
    skip_space(&p);
    while (lenient && p.pos < p.len && p.s[p.pos] == ';') {
      p.pos++;
      skip_space(&p);
    }
    if (p.pos < p.len) {
      fail(&p, "unexpected data after the value");
      nf_json_free(v);
      v = NULL;
    }
  }
  nf_buf_free(&p.scratch);
  return v;
}

/* ===== Public interface ================================================ */

nf_json *nf_json_parse(const char *text, size_t len, char *err,
                       size_t errlen) {
  return parse_text(text, len, 0, err, errlen);
}

nf_json *nf_json_parse_lenient(const char *text, size_t len, char *err,
                               size_t errlen) {
  return parse_text(text, len, 1, err, errlen);
}

void nf_json_free(nf_json *v) {
  if (!v) return;
  /* Explicit stack: each container's children are pushed, then it is
   * freed; no recursion whatever the depth. */
  size_t cap = 16, n = 0;
  nf_json **stack = nf_xmalloc(cap * sizeof *stack);
  stack[n++] = v;
  while (n) {
    nf_json *cur = stack[--n];
    for (size_t i = 0; i < cur->len; i++) {
      if (n == cap) {
        cap *= 2;
        stack = nf_xrealloc(stack, cap * sizeof *stack);
      }
      stack[n++] = cur->items[i];
      if (cur->keys) free(cur->keys[i]);
    }
    free(cur->items);
    free(cur->keys);
    free(cur->key_lens);
    free(cur->string);
    free(cur);
  }
  free(stack);
}

const nf_json *nf_json_get_n(const nf_json *obj, const char *key,
                             size_t keylen) {
  if (!obj || !key || obj->type != NF_JSON_OBJECT) return NULL;
  for (size_t i = 0; i < obj->len; i++)
    if (key_is(obj, i, key, keylen)) return obj->items[i];
  return NULL;
}

const nf_json *nf_json_get(const nf_json *obj, const char *key) {
  return key ? nf_json_get_n(obj, key, strlen(key)) : NULL;
}

const char *nf_json_key(const nf_json *obj, size_t i, size_t *len) {
  if (len) *len = 0;
  if (!obj || obj->type != NF_JSON_OBJECT || i >= obj->len || !obj->keys)
    return NULL;
  const char *k = obj->keys[i] ? obj->keys[i] : "";
  if (len) *len = obj->key_lens && obj->keys[i] ? obj->key_lens[i] : strlen(k);
  return k;
}

const char *nf_json_string(const nf_json *v) {
  return v && v->type == NF_JSON_STRING ? v->string : NULL;
}

void nf_json_put_string(nf_buf *out, const char *s, size_t len) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *u = (const unsigned char *)s;
  nf_buf_putc(out, '"');
  size_t i = 0;
  while (s && i < len) {
    size_t start = i;
    while (i < len && u[i] >= 0x20 && u[i] < 0x80 && u[i] != '"' &&
           u[i] != '\\')
      i++;
    nf_buf_put(out, s + start, i - start);
    if (i >= len) break;
    unsigned char c = u[i];
    if (c >= 0x80) {
      uint32_t cp;
      size_t n = nf_utf8_decode(s + i, len - i, &cp);
      if (!n) {
        nf_buf_puts(out, "\xEF\xBF\xBD");   /* U+FFFD */
        i++;
      } else if (cp == 0x2028 || cp == 0x2029) {
        /* Valid JSON, but not valid inside JavaScript strings. */
        nf_buf_puts(out, cp == 0x2028 ? "\\u2028" : "\\u2029");
        i += n;
      } else {
        nf_buf_put(out, s + i, n);
        i += n;
      }
      continue;
    }
    switch (c) {
    case '"': nf_buf_puts(out, "\\\""); break;
    case '\\': nf_buf_puts(out, "\\\\"); break;
    case '\n': nf_buf_puts(out, "\\n"); break;
    case '\r': nf_buf_puts(out, "\\r"); break;
    case '\t': nf_buf_puts(out, "\\t"); break;
    case '\b': nf_buf_puts(out, "\\b"); break;
    case '\f': nf_buf_puts(out, "\\f"); break;
    default: {
      char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      nf_buf_put(out, e, 6);
    }
    }
    i++;
  }
  nf_buf_putc(out, '"');
}

/* ===== Building values ================================================= */

nf_json *nf_json_new_null(void) { return value_new(NF_JSON_NULL); }

nf_json *nf_json_new_bool(int b) {
  return value_new(b ? NF_JSON_TRUE : NF_JSON_FALSE);
}

nf_json *nf_json_new_number(double d) {
  nf_json *v = value_new(NF_JSON_NUMBER);
  v->number = d;
  return v;
}

nf_json *nf_json_new_integer(long long i) {
  /* A double holds integers exactly only up to 2^53: keep the digits of
   * larger ones. */
  nf_json *v = nf_json_new_number((double)i);
  if (i > -9007199254740992LL && i < 9007199254740992LL) return v;
  char tmp[32];
  int n = snprintf(tmp, sizeof tmp, "%lld", i);
  v->string = nf_xstrndup(tmp, (size_t)n);
  v->string_len = (size_t)n;
  return v;
}

nf_json *nf_json_new_string(const char *s, size_t len) {
  nf_json *v = value_new(NF_JSON_STRING);
  v->string = nf_xstrndup(s ? s : "", s ? len : 0);
  v->string_len = s ? len : 0;
  return v;
}

nf_json *nf_json_new_string_buf(nf_buf *b) {
  nf_json *v = value_new(NF_JSON_STRING);
  v->string_len = b->len;
  v->string = nf_buf_detach(b);
  return v;
}

nf_json *nf_json_new_array(void) { return value_new(NF_JSON_ARRAY); }

nf_json *nf_json_new_object(void) { return value_new(NF_JSON_OBJECT); }

nf_json *nf_json_push(nf_json *array, nf_json *item) {
  if (!item) return NULL;
  if (!array || array->type != NF_JSON_ARRAY) {
    nf_json_free(item);
    return NULL;
  }
  container_push(array, NULL, 0, item);
  return item;
}

nf_json *nf_json_add_n(nf_json *object, const char *key, size_t keylen,
                       nf_json *item) {
  if (!item) return NULL;
  if (!object || object->type != NF_JSON_OBJECT || !key) {
    nf_json_free(item);
    return NULL;
  }
  container_push(object, nf_xstrndup(key, keylen), keylen, item);
  return item;
}

nf_json *nf_json_add(nf_json *object, const char *key, nf_json *item) {
  return nf_json_add_n(object, key, key ? strlen(key) : 0, item);
}

nf_json *nf_json_set_n(nf_json *object, const char *key, size_t keylen,
                       nf_json *item) {
  if (item && object && object->type == NF_JSON_OBJECT && key) {
    for (size_t i = 0; i < object->len; i++) {
      if (key_is(object, i, key, keylen)) {
        nf_json_free(object->items[i]);
        object->items[i] = item;
        return item;
      }
    }
  }
  return nf_json_add_n(object, key, keylen, item);
}

nf_json *nf_json_set(nf_json *object, const char *key, nf_json *item) {
  return nf_json_set_n(object, key, key ? strlen(key) : 0, item);
}

/* ===== Writing values ================================================== */

void nf_json_put_number(nf_buf *out, double d) {
  char tmp[64];
  if (isnan(d)) {
    nf_buf_puts(out, "null");   /* JSON has no NaN */
    return;
  }
  if (isinf(d)) {
    /* Out of range for a double: any IEEE reader (ours too) reads it
     * back as the same infinity, as it reads the "1e400" it came from. */
    nf_buf_puts(out, d < 0 ? "-1e999" : "1e999");
    return;
  }
  if (d == floor(d) && fabs(d) < 9007199254740992.0) {
    snprintf(tmp, sizeof tmp, "%.0f", d);
    if (!strcmp(tmp, "-0")) strcpy(tmp, "0");   /* as JavaScript writes it */
  } else {
    /* The shortest of 15-17 digits that reads back as the same double. */
    for (int prec = 15; prec <= 17; prec++) {
      snprintf(tmp, sizeof tmp, "%.*g", prec, d);
      if (strtod(tmp, NULL) == d) break;
    }
    for (char *p = tmp; *p; p++)
      if (*p == ',') *p = '.';   /* a locale's decimal comma */
  }
  nf_buf_puts(out, tmp);
}

static void put_newline(nf_buf *out, int indent, size_t depth) {
  if (!indent) return;
  nf_buf_putc(out, '\n');
  for (size_t i = 0; i < depth * (size_t)indent; i++) nf_buf_putc(out, ' ');
}

static void put_scalar(nf_buf *out, const nf_json *v) {
  switch (v->type) {
  case NF_JSON_NULL: nf_buf_puts(out, "null"); break;
  case NF_JSON_FALSE: nf_buf_puts(out, "false"); break;
  case NF_JSON_TRUE: nf_buf_puts(out, "true"); break;
  case NF_JSON_NUMBER:
    if (v->string) nf_buf_put(out, v->string, v->string_len);   /* integer */
    else nf_json_put_number(out, v->number);
    break;
  case NF_JSON_STRING: nf_json_put_string(out, v->string, v->string_len); break;
  default: break;
  }
}

typedef struct write_frame {
  const nf_json *c;
  size_t next;   /* index of the next member to write */
} write_frame;

void nf_json_write(nf_buf *out, const nf_json *v, int indent) {
  if (!v) {
    nf_buf_puts(out, "null");
    return;
  }
  if (indent < 0) indent = 0;
  if (v->type != NF_JSON_ARRAY && v->type != NF_JSON_OBJECT) {
    put_scalar(out, v);
    return;
  }
  /* Explicit stack of open containers: built values may nest deeper than
   * the parser's limit, and writing never recurses. */
  size_t cap = 16, n = 0;
  write_frame *stack = nf_xmalloc(cap * sizeof *stack);
  stack[n++] = (write_frame){v, 0};
  nf_buf_putc(out, v->type == NF_JSON_OBJECT ? '{' : '[');
  while (n) {
    write_frame *f = &stack[n - 1];
    const nf_json *c = f->c;
    if (f->next == c->len) {
      if (c->len) put_newline(out, indent, n - 1);
      nf_buf_putc(out, c->type == NF_JSON_OBJECT ? '}' : ']');
      n--;
      continue;
    }
    size_t i = f->next++;
    if (i) nf_buf_putc(out, ',');
    put_newline(out, indent, n);
    if (c->type == NF_JSON_OBJECT) {
      size_t klen;
      const char *k = nf_json_key(c, i, &klen);
      nf_json_put_string(out, k, klen);
      nf_buf_puts(out, indent ? ": " : ":");
    }
    const nf_json *item = c->items[i];
    if (!item) {
      nf_buf_puts(out, "null");
    } else if (item->type == NF_JSON_ARRAY || item->type == NF_JSON_OBJECT) {
      if (n == cap) {
        cap *= 2;
        stack = nf_xrealloc(stack, cap * sizeof *stack);
      }
      stack[n++] = (write_frame){item, 0};
      nf_buf_putc(out, item->type == NF_JSON_OBJECT ? '{' : '[');
    } else {
      put_scalar(out, item);
    }
  }
  free(stack);
}
