/* spec.c: reads spec files into cases and judges a case's result (spec.h;
 * the format is in tests/fixtures/README). Shared by the C tests and, via
 * tests/spec_lua.c, by the Lua tests. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

#define FENCE_LEN (sizeof NF_SPEC_FENCE - 1)

static int hexval(int ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

/* In cases marked `escaped`, \xHH stands for the byte HH (not 00): control
 * characters and broken UTF-8 stay visible in the file. */
static void unescape(char *s) {
  char *w = s;
  for (const char *r = s; *r;) {
    int hi = r[0] == '\\' && r[1] == 'x' ? hexval((unsigned char)r[2]) : -1;
    int lo = hi >= 0 ? hexval((unsigned char)r[3]) : -1;
    if (lo >= 0 && (hi || lo)) {
      *w++ = (char)(hi * 16 + lo);
      r += 4;
    } else {
      *w++ = *r++;
    }
  }
  *w = '\0';
}

/* The fence line's info: "KIND word key=value ... # name". */
static void parse_info(nf_spec_case *c, const char *info, size_t len) {
  const char *hash = NULL;
  for (size_t i = 0; i + 1 < len; i++)
    if (info[i] == ' ' && info[i + 1] == '#' &&
        (i + 2 == len || info[i + 2] == ' ')) {
      hash = info + i;
      break;
    }
  size_t words_len = hash ? (size_t)(hash - info) : len;
  if (hash) {
    const char *name = hash + 2;
    while (name < info + len && *name == ' ') name++;
    c->name = nf_xstrndup(name, (size_t)(info + len - name));
  } else {
    c->name = nf_xstrdup("");
  }
  size_t cap = 0;
  const char *p = info, *end = info + words_len;
  while (p < end) {
    while (p < end && *p == ' ') p++;
    const char *w = p;
    while (p < end && *p != ' ') p++;
    if (p == w) break;
    if (!c->kind) {
      c->kind = nf_xstrndup(w, (size_t)(p - w));
      continue;
    }
    if (c->nopts == cap) {
      cap = cap ? cap * 2 : 4;
      c->opts = nf_xrealloc(c->opts, cap * sizeof *c->opts);
    }
    const char *eq = memchr(w, '=', (size_t)(p - w));
    nf_spec_opt *o = &c->opts[c->nopts++];
    o->key = nf_xstrndup(w, (size_t)((eq ? eq : p) - w));
    o->value = eq ? nf_xstrndup(eq + 1, (size_t)(p - eq - 1)) : nf_xstrdup("");
  }
  if (!c->kind) c->kind = nf_xstrdup("");
}

static void case_free(nf_spec_case *c) {
  for (size_t i = 0; i < c->nopts; i++) {
    free(c->opts[i].key);
    free(c->opts[i].value);
  }
  free(c->opts);
  free(c->kind);
  free(c->name);
  free(c->input);
  free(c->expected);
}

static int fail(char *err, size_t errlen, const char *path, int line,
                const char *why) {
  if (err && errlen) snprintf(err, errlen, "%s:%d: %s", path, line, why);
  return -1;
}

int nf_spec_load(const char *path, nf_spec *s, char *err, size_t errlen) {
  memset(s, 0, sizeof *s);
  nf_buf file = NF_BUF_INIT, input = NF_BUF_INIT, expected = NF_BUF_INIT;
  nf_buf_init(&file);
  if (nf_read_input(path, 0, &file, err, errlen) != 0) {
    nf_buf_free(&file);
    return -1;
  }
  nf_buf_init(&input);
  nf_buf_init(&expected);
  s->path = nf_xstrdup(path);
  size_t cap = 0;
  int lineno = 0, rc = 0, open = 0, dot = 0, input_lines = 0;
  const char *p = file.ptr, *end = file.ptr + file.len;
  nf_spec_case c;
  memset(&c, 0, sizeof c);
  while (p < end && rc == 0) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    int fence = n >= FENCE_LEN && memcmp(p, NF_SPEC_FENCE, FENCE_LEN) == 0;
    lineno++;
    if (!open) {
      if (fence && (n <= FENCE_LEN + 1 || p[FENCE_LEN] != ' ' ||
                    p[FENCE_LEN + 1] == ' '))
        rc = fail(err, errlen, path, lineno, "a fence without a kind");
      else if (fence) {
        memset(&c, 0, sizeof c);
        c.line = lineno;
        parse_info(&c, p + FENCE_LEN + 1, n - FENCE_LEN - 1);
        open = 1;
        dot = input_lines = 0;
        nf_buf_clear(&input);
        nf_buf_clear(&expected);
      }
    } else if (fence && n == FENCE_LEN) {
      open = 0;
      if (!dot && (!strcmp(c.kind, "example") || !strcmp(c.kind, "error"))) {
        rc = fail(err, errlen, path, c.line, "a case without its '.' line");
        case_free(&c);
        break;
      }
      c.input = nf_xstrdup(input.ptr);
      c.expected = dot ? nf_xstrdup(expected.ptr) : NULL;
      if (nf_spec_get(&c, "escaped")) {
        unescape(c.input);
        if (c.expected) unescape(c.expected);
      }
      if (s->len == cap) {
        cap = cap ? cap * 2 : 32;
        s->cases = nf_xrealloc(s->cases, cap * sizeof *s->cases);
      }
      s->cases[s->len++] = c;
    } else if (!dot && n == 1 && p[0] == '.') {
      dot = 1;
    } else if (!dot) {
      if (input_lines++) nf_buf_putc(&input, '\n');
      nf_buf_put(&input, p, n);
    } else {
      nf_buf_put(&expected, p, n);
      nf_buf_putc(&expected, '\n');
    }
    p = nl ? nl + 1 : end;
  }
  if (rc == 0 && open) {
    rc = fail(err, errlen, path, c.line, "a case without its closing fence");
    case_free(&c);
  }
  nf_buf_free(&file);
  nf_buf_free(&input);
  nf_buf_free(&expected);
  if (rc != 0) nf_spec_free(s);
  return rc;
}

void nf_spec_free(nf_spec *s) {
  for (size_t i = 0; i < s->len; i++) case_free(&s->cases[i]);
  free(s->cases);
  free(s->path);
  memset(s, 0, sizeof *s);
}

const char *nf_spec_get(const nf_spec_case *c, const char *key) {
  for (size_t i = 0; i < c->nopts; i++)
    if (!strcmp(c->opts[i].key, key)) return c->opts[i].value;
  return NULL;
}

void nf_spec_name(const nf_spec *s, const nf_spec_case *c, char *out,
                  size_t outlen) {
  const char *base = s->path ? strrchr(s->path, '/') : NULL;
  base = base ? base + 1 : s->path ? s->path : "spec";
  snprintf(out, outlen, "%s:%d%s%s", base, c->line, *c->name ? " " : "",
           c->name);
}

static void say(nf_buf *why, const char *fmt, ...) {
  if (!why) return;
  va_list ap;
  va_start(ap, fmt);
  nf_buf_vprintf(why, fmt, ap);
  va_end(ap);
}

/* Does got hold every blank-line-separated part of want? */
static int holds_parts(const char *got, const char *want, nf_buf *why) {
  const char *p = want;
  while (*p) {
    const char *blank = strstr(p, "\n\n");
    size_t n = blank ? (size_t)(blank - p) : strlen(p);
    if (!blank && n && p[n - 1] == '\n') n--;
    char *part = nf_xstrndup(p, n);
    int found = strstr(got, part) != NULL;
    if (!found)
      say(why, "output does not contain \"%s\"\noutput \"%s\"", part, got);
    free(part);
    if (!found) return 0;
    if (!blank) break;
    p = blank + 2;
    while (*p == '\n') p++;
  }
  return 1;
}

int nf_spec_verdict(const nf_spec_case *c, int ran, const char *got,
                    int flags, nf_buf *why) {
  int error = !strcmp(c->kind, "error");
  if (!error && strcmp(c->kind, "example") != 0) return -1;
  if (!got) got = "";
  const char *want = c->expected ? c->expected : "";
  size_t wlen = strlen(want);
  if (error) {
    if (wlen && want[wlen - 1] == '\n') wlen--;
    char *needle = nf_xstrndup(want, wlen);
    int ok = !ran && strstr(got, needle) != NULL;
    if (ran)
      say(why, "no error, output \"%s\"\nwant an error containing \"%s\"",
          got, needle);
    else if (!ok)
      say(why, "error \"%s\"\ndoes not contain \"%s\"", got, needle);
    free(needle);
    return ok;
  }
  if (!ran) {
    say(why, "failed: %s", got);
    return 0;
  }
  if (nf_spec_get(c, "contains")) return holds_parts(got, want, why);
  if ((flags & NF_SPEC_NO_FINAL_NEWLINE) && wlen && want[wlen - 1] == '\n')
    wlen--;
  if (strlen(got) == wlen && memcmp(got, want, wlen) == 0) return 1;
  say(why, "got  \"%s\"\nwant \"%.*s\"", got, (int)wlen, want);
  return 0;
}

int nf_spec_render_opts(const nf_spec_case *c, nf_render_opts *o, char *err,
                        size_t errlen) {
  memset(o, 0, sizeof *o);
  for (size_t i = 0; i < c->nopts; i++) {
    const char *k = c->opts[i].key, *v = c->opts[i].value;
    if (!strcmp(k, "width")) o->width = atoi(v);
    else if (!strcmp(k, "links") && !strcmp(v, "inline"))
      o->links = NF_LINKS_INLINE;
    else if (!strcmp(k, "links") && !strcmp(v, "none"))
      o->links = NF_LINKS_NONE;
    else if (!strcmp(k, "links") && !strcmp(v, "reference"))
      o->links = NF_LINKS_REFERENCE;
    else if (!strcmp(k, "gfm")) o->gfm = 1;
    else if (!strcmp(k, "xhtml")) o->xhtml = 1;
    else if (!strcmp(k, "document")) o->document = 1;
    else if (!strcmp(k, "unsafe")) o->unsafe = 1;
    else if (!strcmp(k, "offline")) o->offline = 1;
    else if (!strcmp(k, "title")) o->title = v;
    else if (!strcmp(k, "lang")) o->lang = v;
    else if (!strcmp(k, "base_url")) o->base_url = v;
    else if (strcmp(k, "contains") != 0 && strcmp(k, "escaped") != 0) {
      snprintf(err, errlen, "unknown option '%s%s%s'", k, *v ? "=" : "", v);
      return -1;
    }
  }
  return 0;
}

int nf_spec_render(const nf_spec_case *c, nf_buf *out, void *ud) {
  nf_render_opts o;
  char err[256];
  if (nf_spec_render_opts(c, &o, err, sizeof err) != 0) {
    nf_buf_puts(out, err);
    return 0;
  }
  char *got = nf_test_render(*(nf_test_renderer *)ud, c->input, &o);
  if (!got) {
    nf_buf_puts(out, "the input does not parse");
    return 0;
  }
  nf_buf_puts(out, got);
  free(got);
  return 1;
}
