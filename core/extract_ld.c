/* extract_ld.c: the JSON-LD articleBody signal and word-set comparison. */
#include <stdlib.h>
#include <string.h>

#include "extract_internal.h"

/* ===== articleBody ======================================================== */

/* Longest "articleBody" string anywhere in v (explicit stack: JSON-LD can
 * nest @graph arrays and objects). */
static const nf_json *longest_article_body(const nf_json *v) {
  const nf_json *best = NULL;
  size_t cap = 64, len = 0;
  const nf_json **stack = nf_xmalloc(cap * sizeof *stack);
  stack[len++] = v;
  while (len) {
    const nf_json *cur = stack[--len];
    if (cur->type != NF_JSON_ARRAY && cur->type != NF_JSON_OBJECT) continue;
    for (size_t i = 0; i < cur->len; i++) {
      const nf_json *item = cur->items[i];
      if (!item) continue;
      size_t klen = 0;
      const char *key = cur->type == NF_JSON_OBJECT && cur->keys
                            ? nf_json_key(cur, i, &klen) : NULL;
      if (key && klen == 11 && memcmp(key, "articleBody", 11) == 0 &&
          item->type == NF_JSON_STRING) {
        if (!best || item->string_len > best->string_len) best = item;
        continue;
      }
      if (item->type == NF_JSON_ARRAY || item->type == NF_JSON_OBJECT) {
        if (len == cap) {
          cap *= 2;
          stack = nf_xrealloc(stack, cap * sizeof *stack);
        }
        stack[len++] = item;
      }
    }
  }
  free(stack);
  return best;
}

static int is_ld_script(const xmlNode *n) {
  if (n->type != XML_ELEMENT_NODE || !ex_tag_is(n, "script")) return 0;
  for (const xmlAttr *a = n->properties; a; a = a->next)
    if (a->name && !strcmp((const char *)a->name, "type") && a->children &&
        a->children->content &&
        strstr((const char *)a->children->content, "ld+json"))
      return 1;
  return 0;
}

char *ex_ld_article_body(nf_doc *doc) {
  xmlNode *root = xmlDocGetRootElement(doc->xml);
  if (!root) return NULL;
  char *best = NULL;
  size_t best_len = 0;
  nf_buf src = NF_BUF_INIT;
  xmlNode *n = root;
  for (;;) {
    int descend = 1;
    if (is_ld_script(n)) {
      descend = 0;
      nf_buf_clear(&src);
      for (xmlNode *c = n->children; c; c = c->next)
        if (c->content) nf_buf_puts(&src, (const char *)c->content);
      char err[128];
      nf_json *v = src.len ? nf_json_parse(src.ptr, src.len, err, sizeof err)
                           : NULL;
      if (v) {
        const nf_json *body = longest_article_body(v);
        if (body && body->string_len > best_len) {
          free(best);
          best = nf_xstrndup(body->string, body->string_len);
          best_len = body->string_len;
        }
        nf_json_free(v);
      }
    }
    if (descend && n->children && n->type == XML_ELEMENT_NODE) {
      n = n->children;
      continue;
    }
    while (n != root && !n->next) n = n->parent;
    if (n == root) break;
    n = n->next;
  }
  nf_buf_free(&src);
  /* Some sites put HTML (tags, entities) in articleBody: read it as HTML. */
  if (best && (strchr(best, '<') || strchr(best, '&'))) {
    nf_nodelist frag = {0, 0, 0};
    nf_doc_parse_fragment(doc, best, best_len, &frag);
    nf_buf text = NF_BUF_INIT;
    nf_buf_init(&text);
    for (size_t i = 0; i < frag.len; i++) {
      if (text.len) nf_buf_putc(&text, '\n');
      ex_body_text(frag.items[i], &text);
    }
    nf_nodelist_free(&frag);
    free(best);
    best_len = text.len;
    best = nf_buf_detach(&text);
  }
  if (best && best_len < W_LD_MIN_CHARS) {
    free(best);
    best = NULL;
  }
  return best;
}

/* ===== Word sets ========================================================== */

static int is_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

/* Calls fn with the FNV-1a hash of each lower-cased word of s. Bytes of
 * UTF-8 punctuation (quotes, dashes) are >= 0x80 too; they stick to their
 * word the same way on both sides of a comparison, which is all we need. */
typedef void (*word_fn)(uint64_t h, void *ud);

static void for_each_word(const char *s, size_t len, word_fn fn, void *ud) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  while (p < end) {
    while (p < end && !is_word_byte(*p)) p++;
    if (p >= end) break;
    uint64_t h = 1469598103934665603ULL;
    while (p < end && is_word_byte(*p)) {
      unsigned char c = *p++;
      if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
      h = (h ^ c) * 1099511628211ULL;
    }
    fn(h ? h : 1, ud);
  }
}

static void wordset_insert(ex_wordset *ws, uint64_t h) {
  if ((ws->len + 1) * 2 > ws->cap) {
    size_t ncap = ws->cap ? ws->cap * 2 : 256;
    uint64_t *ns = nf_xcalloc(ncap, sizeof *ns);
    for (size_t i = 0; i < ws->cap; i++) {
      if (!ws->slots[i]) continue;
      size_t j = (size_t)ws->slots[i] & (ncap - 1);
      while (ns[j]) j = (j + 1) & (ncap - 1);
      ns[j] = ws->slots[i];
    }
    free(ws->slots);
    ws->slots = ns;
    ws->cap = ncap;
  }
  size_t j = (size_t)h & (ws->cap - 1);
  while (ws->slots[j]) {
    if (ws->slots[j] == h) return;
    j = (j + 1) & (ws->cap - 1);
  }
  ws->slots[j] = h;
  ws->len++;
}

static void add_word(uint64_t h, void *ud) { wordset_insert(ud, h); }

void ex_wordset_add_text(ex_wordset *ws, const char *s, size_t len) {
  for_each_word(s, len, add_word, ws);
}

int ex_wordset_has(const ex_wordset *ws, uint64_t h) {
  if (!ws->cap) return 0;
  size_t j = (size_t)h & (ws->cap - 1);
  while (ws->slots[j]) {
    if (ws->slots[j] == h) return 1;
    j = (j + 1) & (ws->cap - 1);
  }
  return 0;
}

void ex_wordset_free(ex_wordset *ws) {
  free(ws->slots);
  memset(ws, 0, sizeof *ws);
}

typedef struct coverage_state {
  const ex_wordset *ws;
  size_t total, hit;
} coverage_state;

static void count_word(uint64_t h, void *ud) {
  coverage_state *cs = ud;
  cs->total++;
  if (ex_wordset_has(cs->ws, h)) cs->hit++;
}

double ex_wordset_coverage(const ex_wordset *ws, const char *s, size_t len,
                           size_t *nwords) {
  coverage_state cs = {ws, 0, 0};
  for_each_word(s, len, count_word, &cs);
  if (nwords) *nwords = cs.total;
  return cs.total ? (double)cs.hit / (double)cs.total : 0.0;
}

/* ===== Teasers ============================================================ */

/* The words of a text, and which of them begin a paragraph (a line). */
typedef struct word_seq {
  uint64_t *h;
  unsigned char *starts;
  size_t len, cap;
  int line_start; /* the next word begins a line */
} word_seq;

static void seq_add(uint64_t h, void *ud) {
  word_seq *q = ud;
  if (q->len == q->cap) {
    q->cap = q->cap ? q->cap * 2 : 64;
    q->h = nf_xrealloc(q->h, q->cap * sizeof *q->h);
    q->starts = nf_xrealloc(q->starts, q->cap);
  }
  q->starts[q->len] = (unsigned char)q->line_start;
  q->h[q->len++] = h;
  q->line_start = 0;
}

static void seq_of_text(word_seq *q, const char *s, size_t len) {
  const char *end = s + len;
  while (s < end) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
    q->line_start = 1;
    for_each_word(s, n, seq_add, q);
    s += n + (nl != NULL);
  }
}

/* Does s end in an ellipsis ("…", "...", "[…]", "[...]")? */
static int ends_in_ellipsis(const char *s) {
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' ||
               s[n - 1] == '\r' || s[n - 1] == ']'))
    n--;
  return (n >= 3 && !memcmp(s + n - 3, "\xE2\x80\xA6", 3)) ||
         (n >= 3 && !memcmp(s + n - 3, "...", 3));
}

/* Do the words of needle run unbroken inside hay and stop inside one of
 * its paragraphs (hay goes on with the same paragraph after needle's
 * last word, which may be cut)? */
static int seq_cut_inside(const word_seq *hay, const word_seq *needle) {
  size_t m = needle->len ? needle->len - 1 : 0; /* the last word may be cut */
  if (!m) return 0;
  for (size_t i = 0; i + m + 1 < hay->len; i++)
    if (hay->h[i] == needle->h[0] &&
        !memcmp(hay->h + i, needle->h, m * sizeof *needle->h))
      return !hay->starts[i + m + 1];
  return 0;
}

int ex_ld_is_teaser(const char *ld, const char *text, size_t len) {
  if (ends_in_ellipsis(ld)) return 1;
  word_seq a = {0}, b = {0};
  seq_of_text(&b, ld, strlen(ld));
  seq_of_text(&a, text, len);
  int cut = seq_cut_inside(&a, &b);
  free(a.h);
  free(a.starts);
  free(b.h);
  free(b.starts);
  return cut;
}
