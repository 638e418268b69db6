/* text.c: sentence splitting, keywords and extractive summaries over UTF-8
 * text. Pure string work: only nf_text_paragraphs looks at the tree. */
#include "newsform.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html_elements.h"
#include "strset.h"
#include "text.h"
#include "text_stopwords.h"
#include "utf8.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ===== UTF-8 and character classes ===================================== */

/* Decodes the code point at s[i]; *n gets its length (1 for an invalid
 * byte, which decodes as U+FFFD). */
static unsigned decode_at(const char *s, size_t len, size_t i, size_t *n) {
  uint32_t cp;
  *n = nf_utf8_decode(s + i, len - i, &cp);
  if (*n) return cp;
  *n = 1;
  return 0xFFFD;
}

static int is_space_cp(unsigned c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v' || c == 0xA0 || c == 0x2007 || c == 0x202F ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x3000;
}

/* Punctuation and symbols that are not part of words: ASCII punctuation,
 * Latin-1 symbols, General Punctuation, CJK punctuation, fullwidth forms. */
static int is_punct_cp(unsigned c) {
  if (c < 0x80) {
    return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
             (c >= 'A' && c <= 'Z')) && c > ' ';
  }
  if (c >= 0xA1 && c <= 0xBF) return c != 0xAA && c != 0xB5 && c != 0xBA;
  if (c == 0xD7 || c == 0xF7) return 1;
  if (c >= 0x2010 && c <= 0x205E) return 1;
  if (c >= 0x3001 && c <= 0x303F) return 1;
  if (c >= 0xFF01 && c <= 0xFF0F) return 1;
  if (c >= 0xFF1A && c <= 0xFF20) return 1;
  return c == 0xFFFD;
}

static int is_word_cp(unsigned c) {
  return !is_space_cp(c) && !is_punct_cp(c) && c >= 0x30;
}

/* Simple case mapping for Latin-1, Latin Extended-A, Greek and Cyrillic:
 * enough for sentence starts and keyword matching in European languages. */
static int is_upper_cp(unsigned c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  if (c >= 0xC0 && c <= 0xDE) return c != 0xD7;
  if (c >= 0x100 && c <= 0x17F) return (c & 1) == 0 && c != 0x138;
  if (c >= 0x391 && c <= 0x3AB) return c != 0x3A2;
  if (c >= 0x400 && c <= 0x42F) return 1;
  return 0;
}

static int is_lower_cp(unsigned c) {
  if (c < 0x80) return c >= 'a' && c <= 'z';
  if (c >= 0xDF && c <= 0xFF) return c != 0xF7;
  if (c >= 0x100 && c <= 0x17F) return (c & 1) == 1 || c == 0x138;
  if (c >= 0x3AC && c <= 0x3CE) return 1;
  if (c >= 0x430 && c <= 0x45F) return 1;
  return 0;
}

static unsigned to_lower_cp(unsigned c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c >= 0x100 && c <= 0x17F && (c & 1) == 0 && c != 0x130 && c != 0x138)
    return c + 1;
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

static int cmp_cstr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int in_list(const char *const *list, size_t n, const char *w) {
  return bsearch(&w, list, n, sizeof *list, cmp_cstr) != NULL;
}

/* ===== Lists ============================================================ */

void nf_spanlist_free(nf_spanlist *l) {
  free(l->items);
  l->items = NULL;
  l->len = l->cap = 0;
}

static void span_push(nf_spanlist *l, size_t start, size_t len) {
  if (l->len == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    l->items = nf_xrealloc(l->items, cap * sizeof *l->items);
    l->cap = cap;
  }
  l->items[l->len].start = start;
  l->items[l->len].len = len;
  l->len++;
}

void nf_keywordlist_free(nf_keywordlist *l) {
  for (size_t i = 0; i < l->len; i++) free(l->items[i].phrase);
  free(l->items);
  l->items = NULL;
  l->len = l->cap = 0;
}

/* ===== Whitespace ======================================================= */

void nf_text_squash(const char *s, size_t len, nf_buf *out) {
  int pending = 0, any = 0;
  size_t i = 0, n;
  while (i < len) {
    unsigned c = decode_at(s, len, i, &n);
    if (is_space_cp(c)) {
      pending = any;
    } else {
      if (pending) nf_buf_putc(out, ' ');
      pending = 0;
      any = 1;
      nf_buf_put(out, s + i, n);
    }
    i += n;
  }
}

/* ===== Sentence splitting =============================================== */

/* Titles before names: a period after them never ends a sentence. */
static const char *const abbr_title[] = {
    "Adm", "Amb", "Atty", "Brig", "Capt", "Cmdr", "Col", "Cpl", "Cpt", "Det",
    "Dr", "Drs", "Fr", "Ft", "Gen", "Gens", "Gov", "Hon", "Insp", "Lt", "Maj",
    "Messrs", "Mlle", "Mme", "Mr", "Mrs", "Ms", "Msgr", "Mt", "Mx", "Pres",
    "Prof", "Pvt", "Rep", "Reps", "Rev", "Rt", "Sen", "Sens", "Sgt", "St",
    "Supt", "approx", "cf", "e.g", "i.e", "v", "viz", "vs",
};

/* Before a number ("No. 10", "Oct. 20"): not an end; otherwise ordinary. */
static const char *const abbr_number[] = {
    "Apr", "Art", "Aug", "Ch", "Dec", "Feb", "Fig", "Jan", "Jul", "Jun",
    "Mar", "No", "Nos", "Nov", "Nr", "Oct", "Para", "Sep", "Sept", "Vol",
    "art", "ch", "fig", "no", "nos", "p", "pp", "vol",
};

/* May end a sentence: an end only when a function word follows. */
static const char *const abbr_mayend[] = {
    "Ala", "Ariz", "Ark", "Ave", "Blvd", "Bros", "Calif", "Co", "Colo",
    "Conn", "Corp", "Cos", "Del", "Dept", "Fla", "Ga", "Ill", "Inc", "Ind",
    "Jr", "Kan", "Ky", "La", "Ltd", "Mass", "Md", "Mich", "Minn", "Miss",
    "Mo", "Neb", "Nev", "Okla", "Ore", "Pa", "Rd", "Sr", "Tenn", "Tex",
    "Univ", "Va", "Vt", "Wash", "Wis", "al",
};

/* A sentence terminator at s[i]: returns its byte length, 0 if none.
 * *kind: '.', '?' (also '!'), 'e' (ellipsis character), 'c' (CJK). */
static size_t terminator_at(const char *s, size_t len, size_t i, int *kind) {
  unsigned char c = (unsigned char)s[i];
  if (c == '.') {
    *kind = '.';
    return 1;
  }
  if (c == '?' || c == '!') {
    *kind = '?';
    return 1;
  }
  if (c >= 0xE2) {
    size_t n;
    unsigned cp = decode_at(s, len, i, &n);
    if (cp == 0x2026) {
      *kind = 'e';
      return n;
    }
    if (cp == 0x203C || cp == 0x2047 || cp == 0x2048 || cp == 0x2049) {
      *kind = '?';
      return n;
    }
    if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF0E) {
      *kind = 'c';
      return n;
    }
  }
  return 0;
}

static int is_closing_cp(unsigned c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x2019 ||
         c == 0x201D || c == 0xBB || c == 0x203A || c == 0x300D ||
         c == 0x300F || c == 0xFF09;
}

static int is_opening_cp(unsigned c) {
  return c == '"' || c == '\'' || c == '(' || c == '[' || c == 0x2018 ||
         c == 0x201C || c == 0xAB || c == 0x2039 || c == 0xBF || c == 0xA1 ||
         c == 0x300C || c == 0x300E || c == 0xFF08 || c == '*' || c == '_';
}

enum { NEXT_END, NEXT_UPPER, NEXT_LOWER, NEXT_DIGIT, NEXT_OTHER };

/* Classifies the word starting at s[i] (after opening punctuation). When
 * it is a capitalised function word ("The", "He"), *function_word = 1. */
static int classify_next(const char *s, size_t len, size_t i,
                         int *function_word) {
  size_t n;
  *function_word = 0;
  for (int guard = 0; i < len && guard < 8; guard++) {
    unsigned c = decode_at(s, len, i, &n);
    if (!is_opening_cp(c)) break;
    i += n;
  }
  if (i >= len) return NEXT_END;
  unsigned c = decode_at(s, len, i, &n);
  if (c >= '0' && c <= '9') return NEXT_DIGIT;
  if (is_lower_cp(c)) return NEXT_LOWER;
  if (!is_upper_cp(c)) return NEXT_OTHER;
  /* Lower-case the word (ASCII letters and apostrophes) to test it. */
  char w[24];
  size_t k = 0;
  while (i < len && k + 1 < sizeof w) {
    unsigned char b = (unsigned char)s[i];
    if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '\'') {
      w[k++] = (char)((b >= 'A' && b <= 'Z') ? b + 32 : b);
      i++;
    } else {
      break;
    }
  }
  w[k] = '\0';
  int word_ends = i >= len || !is_word_cp(decode_at(s, len, i, &n));
  if (k > 0 && k + 1 < sizeof w && word_ends)
    *function_word = in_list(stop_words, COUNT_OF(stop_words), w);
  return NEXT_UPPER;
}

/* Letters in groups of 1-2 separated by periods: "U.S", "a.m", "Ph.D". */
static int is_dotted(const char *w, size_t n) {
  size_t group = 0, dots = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)w[i];
    if (c == '.') {
      if (group == 0) return 0;
      group = 0;
      dots++;
    } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      if (++group > 2) return 0;
    } else {
      return 0;
    }
  }
  return dots > 0 && group > 0;
}

enum { END_YES, END_NO, END_IF_FUNCTION_WORD, END_IF_NOT_DIGIT };

/* A word of 2-5 ASCII capitals: an acronym ("ID", "USA", "NASA"). */
static int is_acronym(const char *w, size_t n) {
  if (n < 2 || n > 5) return 0;
  for (size_t i = 0; i < n; i++)
    if (w[i] < 'A' || w[i] > 'Z') return 0;
  return 1;
}

/* Does the word before s[wstart] (in the sentence) start with a capital
 * and is it no function word ("Acme" in "Acme ID.", not "The")? */
static int name_word_before(const char *s, size_t wstart, size_t sent_start) {
  size_t e = wstart;
  while (e > sent_start && (s[e - 1] == ' ' || s[e - 1] == '\t')) e--;
  if (e == wstart || e == sent_start) return 0;
  size_t b = e;
  while (b > sent_start && e - b < 23 && s[b - 1] != ' ' && s[b - 1] != '\t' &&
         s[b - 1] != '\n')
    b--;
  if (s[b] < 'A' || s[b] > 'Z') return 0;
  char w[24];
  size_t k = 0;
  for (size_t i = b; i < e && k + 1 < sizeof w; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    else if (c < 'a' || c > 'z') return 0;   /* "U.S." , "3D": no name word */
    w[k++] = c;
  }
  w[k] = '\0';
  return !in_list(stop_words, COUNT_OF(stop_words), w);
}

/* What the word before a single period says about the period. */
static int word_rule(const char *s, size_t wstart, size_t wend,
                     size_t sent_start) {
  size_t n = wend - wstart;
  if (n == 0) return END_YES;
  if (n >= 16) return END_YES;
  char w[16];
  memcpy(w, s + wstart, n);
  w[n] = '\0';
  if (in_list(abbr_title, COUNT_OF(abbr_title), w)) return END_NO;
  if (in_list(abbr_number, COUNT_OF(abbr_number), w)) return END_IF_NOT_DIGIT;
  if (in_list(abbr_mayend, COUNT_OF(abbr_mayend), w))
    return END_IF_FUNCTION_WORD;
  if (is_dotted(w, n)) return END_IF_FUNCTION_WORD;
  if (n == 1 && w[0] >= 'A' && w[0] <= 'Z') return END_IF_FUNCTION_WORD;
  /* An acronym inside a name ("the Acme ID. Nova concept"): after a
   * capitalised word that is no function word, an end only when a function
   * word follows. ("in the USA. Nova ..." still ends: "the" is one.) */
  if (is_acronym(w, n) && name_word_before(s, wstart, sent_start))
    return END_IF_FUNCTION_WORD;
  /* "1. " opening a sentence or a line: a numbered item. */
  if (n <= 3) {
    int digits = 1;
    for (size_t i = 0; i < n; i++)
      if (w[i] < '0' || w[i] > '9') digits = 0;
    if (digits) {
      size_t j = wstart;
      while (j > sent_start && (s[j - 1] == ' ' || s[j - 1] == '\t')) j--;
      if (j == sent_start || s[j - 1] == '\n') return END_NO;
    }
  }
  return END_YES;
}

static void emit_sentence(const char *s, size_t start, size_t end,
                          nf_spanlist *out, size_t *count) {
  size_t n;
  while (start < end) {
    unsigned c = decode_at(s, end, start, &n);
    if (!is_space_cp(c)) break;
    start += n;
  }
  while (end > start) {
    size_t p = nf_utf8_prev(s, end);
    if (p < start) p = start;
    unsigned c = decode_at(s, end, p, &n);
    if (!is_space_cp(c)) break;
    end = p;
  }
  /* Skip pieces with no letter or digit ("* * *", a lone "..."). */
  int has_word = 0;
  for (size_t i = start; i < end && !has_word; i += n) {
    unsigned c = decode_at(s, end, i, &n);
    has_word = is_word_cp(c);
  }
  if (!has_word) return;
  span_push(out, start, end - start);
  (*count)++;
}

/* A blank line at s[i] == '\n': returns the index after it, else 0. */
static size_t blank_line_end(const char *s, size_t len, size_t i) {
  size_t j = i + 1;
  while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r')) j++;
  if (j < len && s[j] == '\n') return j + 1;
  return 0;
}

size_t nf_sentences(const char *text, size_t len, nf_spanlist *out) {
  size_t count = 0, start = 0, i = 0, n;
  if (!text) return 0;
  while (i < len) {
    unsigned char c = (unsigned char)text[i];
    if (c == '\n') {
      size_t after = blank_line_end(text, len, i);
      if (after) {
        emit_sentence(text, start, i, out, &count);
        start = i = after;
        continue;
      }
      /* "\n1. Item": a numbered item at a line start opens a sentence. */
      size_t j = i + 1, digits = 0;
      while (j < len && (text[j] == ' ' || text[j] == '\t')) j++;
      while (j < len && digits < 4 && text[j] >= '0' && text[j] <= '9') {
        j++;
        digits++;
      }
      if (digits >= 1 && digits <= 3 && j + 1 < len && text[j] == '.' &&
          (text[j + 1] == ' ' || text[j + 1] == '\t')) {
        emit_sentence(text, start, i, out, &count);
        start = i + 1;
      }
      i++;
      continue;
    }
    int kind;
    size_t tlen = terminator_at(text, len, i, &kind);
    if (!tlen) {
      i++;
      continue;
    }
    /* The whole run of terminators: "?!", "...", "…", "?..." */
    size_t end = i + tlen, periods = kind == '.';
    int has_q = kind == '?', has_ellipsis = kind == 'e', cjk = kind == 'c';
    int k2;
    size_t t2;
    while (end < len && (t2 = terminator_at(text, len, end, &k2))) {
      if (k2 == '.') periods++;
      if (k2 == '?') has_q = 1;
      if (k2 == 'e') has_ellipsis = 1;
      if (k2 == 'c') cjk = 1;
      end += t2;
    }
    if (periods >= 2) has_ellipsis = 1;
    /* Closing quotes and brackets belong to the sentence they close. */
    size_t after = end;
    for (int guard = 0; after < len && guard < 8; guard++) {
      unsigned cp = decode_at(text, len, after, &n);
      if (!is_closing_cp(cp)) break;
      after += n;
    }
    if (cjk) {
      emit_sentence(text, start, after, out, &count);
      start = i = after;
      continue;
    }
    /* "3.14", "U.S" (inner period), "example.com": no whitespace after. */
    if (after < len && !is_space_cp(decode_at(text, len, after, &n))) {
      i = end;
      continue;
    }
    size_t next = after;
    while (next < len) {
      unsigned cp = decode_at(text, len, next, &n);
      if (!is_space_cp(cp)) break;
      next += n;
    }
    int function_word;
    int cls = classify_next(text, len, next, &function_word);
    int boundary;
    if (cls == NEXT_END) {
      boundary = 1;
    } else if (has_ellipsis) {
      boundary = cls == NEXT_UPPER || cls == NEXT_OTHER;
    } else if (has_q) {
      boundary = cls != NEXT_LOWER;
    } else if (cls == NEXT_LOWER) {
      boundary = 0;
    } else {
      /* One period: look at the word before it (bounded scan back). */
      size_t wend = i, wstart = i;
      while (wstart > start && i - wstart < 32) {
        size_t p = nf_utf8_prev(text, wstart);
        unsigned cp = decode_at(text, len, p, &n);
        if (is_space_cp(cp) || is_opening_cp(cp)) break;
        wstart = p;
      }
      switch (word_rule(text, wstart, wend, start)) {
      case END_NO: boundary = 0; break;
      case END_IF_NOT_DIGIT: boundary = cls != NEXT_DIGIT; break;
      case END_IF_FUNCTION_WORD: boundary = function_word; break;
      default: boundary = 1; break;
      }
    }
    if (boundary) {
      emit_sentence(text, start, after, out, &count);
      start = i = after;
    } else {
      i = end;
    }
  }
  emit_sentence(text, start, len, out, &count);
  return count;
}

/* ===== Words ============================================================ */

typedef struct token {
  size_t start, len;  /* the word as written, possessive 's excluded */
  int brk;            /* punctuation (not just spaces) before it */
} token;

typedef struct tokenlist {
  token *items;
  size_t len, cap;
} tokenlist;

static void token_push(tokenlist *l, size_t start, size_t len, int brk) {
  if (l->len == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    l->items = nf_xrealloc(l->items, cap * sizeof *l->items);
    l->cap = cap;
  }
  l->items[l->len].start = start;
  l->items[l->len].len = len;
  l->items[l->len].brk = brk;
  l->len++;
}

/* Inner characters that join word parts: "al-Qaeda", "don't", "U.S.",
 * "bin Laden’s" (the ’ form too). */
static int is_joiner(unsigned c) {
  return c == '-' || c == '\'' || c == 0x2019 || c == '.' || c == '&';
}

/* Splits text[from..to) into words. Words are capped at 64 bytes of
 * key (longer runs are still one token, never a keyword). */
static void tokenize(const char *s, size_t from, size_t to, tokenlist *out) {
  size_t i = from, n;
  int brk = 1;
  while (i < to) {
    unsigned c = decode_at(s, to, i, &n);
    if (!is_word_cp(c)) {
      if (!is_space_cp(c)) brk = 1;
      i += n;
      continue;
    }
    size_t start = i;
    i += n;
    while (i < to) {
      c = decode_at(s, to, i, &n);
      if (is_word_cp(c)) {
        i += n;
        continue;
      }
      size_t m;
      if (is_joiner(c) && i + n < to &&
          is_word_cp(decode_at(s, to, i + n, &m))) {
        i += n + m;
        continue;
      }
      break;
    }
    size_t end = i;
    /* "U.S." keeps its final period (the text said "U.S.", not "U.S"). */
    if (end < to && s[end] == '.' && is_dotted(s + start, end - start) &&
        end - start < 16) {
      int all_upper = 1;
      for (size_t k = start; k < end; k++)
        if (s[k] >= 'a' && s[k] <= 'z') all_upper = 0;
      if (all_upper) end++;
      i = end;
    }
    /* Possessives: "Pakistan's", "Pakistan’s", "Afghans'". */
    size_t core = end - start;
    if (core > 2 && s[end - 1] == 's' && s[end - 2] == '\'') core -= 2;
    else if (core > 4 && s[end - 1] == 's' &&
             !memcmp(s + end - 4, "\xE2\x80\x99", 3))
      core -= 4;
    token_push(out, start, core, brk);
    brk = 0;
  }
}

/* The matching key of a word: lower case, ’ as '. Returns 0 when the
 * word is too long to be a key. */
static size_t word_key(const char *s, size_t len, nf_buf *key) {
  size_t i = 0, n;
  nf_buf_clear(key);
  while (i < len) {
    unsigned c = decode_at(s, len, i, &n);
    if (c == 0x2019) c = '\'';
    nf_utf8_put(key, to_lower_cp(c));
    i += n;
    if (key->len > 64) return 0;
  }
  return key->len;
}

static int is_stop_key(const char *k, size_t len) {
  if (len == 0 || len >= 24) return 0;
  return in_list(stop_words, COUNT_OF(stop_words), k);
}

/* Words that make no keyword and break phrases: numbers ("2011", "10",
 * "1.5"), single characters. */
static int is_noise_key(const char *k, size_t len) {
  size_t n;
  decode_at(k, len, 0, &n);
  if (n >= len) return 1; /* one character */
  for (size_t i = 0; i < len; i++) {
    char c = k[i];
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == ',' ||
          c == '\''))
      return 0;
  }
  return 1;
}

/* ===== A string → index map (open addressing) =========================== */

typedef struct strmap {
  size_t *slots;     /* index + 1, 0 = empty */
  size_t nslots;
  nf_buf keys;       /* every key, back to back */
  size_t *key_off, *key_len;
  size_t len, cap;
} strmap;

static void strmap_init(strmap *m) {
  memset(m, 0, sizeof *m);
  nf_buf_init(&m->keys);
  m->nslots = 64;
  m->slots = nf_xcalloc(m->nslots, sizeof *m->slots);
}

static void strmap_free(strmap *m) {
  free(m->slots);
  free(m->key_off);
  free(m->key_len);
  nf_buf_free(&m->keys);
}

static const char *strmap_key(const strmap *m, size_t id, size_t *len) {
  *len = m->key_len[id];
  return m->keys.ptr + m->key_off[id];
}

static void strmap_grow(strmap *m) {
  size_t nslots = m->nslots * 2;
  size_t *slots = nf_xcalloc(nslots, sizeof *slots);
  for (size_t id = 0; id < m->len; id++) {
    size_t kl;
    const char *k = strmap_key(m, id, &kl);
    size_t h = (size_t)nf_hash_bytes(k, kl) & (nslots - 1);
    while (slots[h]) h = (h + 1) & (nslots - 1);
    slots[h] = id + 1;
  }
  free(m->slots);
  m->slots = slots;
  m->nslots = nslots;
}

/* The id of key (added when new; *is_new says so). */
static size_t strmap_intern(strmap *m, const char *k, size_t kl,
                            int *is_new) {
  size_t h = (size_t)nf_hash_bytes(k, kl) & (m->nslots - 1);
  while (m->slots[h]) {
    size_t id = m->slots[h] - 1, ol;
    const char *o = strmap_key(m, id, &ol);
    if (ol == kl && !memcmp(o, k, kl)) {
      *is_new = 0;
      return id;
    }
    h = (h + 1) & (m->nslots - 1);
  }
  if (m->len == m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 64;
    m->key_off = nf_xrealloc(m->key_off, cap * sizeof *m->key_off);
    m->key_len = nf_xrealloc(m->key_len, cap * sizeof *m->key_len);
    m->cap = cap;
  }
  size_t id = m->len++;
  m->key_off[id] = m->keys.len;
  m->key_len[id] = kl;
  nf_buf_put(&m->keys, k, kl);
  m->slots[h] = id + 1;
  *is_new = 1;
  if (m->len * 2 > m->nslots) strmap_grow(m);
  return id;
}

/* ===== Keywords ========================================================= */

#define KW_VARIANTS 4
#define KW_MAX_PHRASE 3

typedef struct kw_variant {
  size_t start, end, count;  /* a written form: text[start..end) */
} kw_variant;

typedef struct kw_cand {
  size_t count, first;     /* occurrences; first token index */
  int words;
  double weight;           /* sum of the word weights */
  double score;
  kw_variant var[KW_VARIANTS];
  int nvar;
} kw_cand;

/* Are two written forms the same, up to whitespace runs? */
static int same_form(const char *s, const kw_variant *v, size_t start,
                     size_t end) {
  size_t a = v->start, b = start;
  while (a < v->end && b < end) {
    int sa = s[a] == ' ' || s[a] == '\n' || s[a] == '\t' || s[a] == '\r';
    int sb = s[b] == ' ' || s[b] == '\n' || s[b] == '\t' || s[b] == '\r';
    if (sa && sb) {
      while (a < v->end && (s[a] == ' ' || s[a] == '\n' || s[a] == '\t' ||
                            s[a] == '\r'))
        a++;
      while (b < end && (s[b] == ' ' || s[b] == '\n' || s[b] == '\t' ||
                         s[b] == '\r'))
        b++;
      continue;
    }
    if (s[a] != s[b]) return 0;
    a++;
    b++;
  }
  return a == v->end && b == end;
}

static void cand_note(kw_cand *c, const char *s, size_t start, size_t end) {
  for (int i = 0; i < c->nvar; i++) {
    if (same_form(s, &c->var[i], start, end)) {
      c->var[i].count++;
      return;
    }
  }
  if (c->nvar < KW_VARIANTS) {
    c->var[c->nvar].start = start;
    c->var[c->nvar].end = end;
    c->var[c->nvar].count = 1;
    c->nvar++;
  }
}

typedef struct kw_rank {
  size_t id;
  double score;
  size_t first;
} kw_rank;

static int cmp_rank(const void *a, const void *b) {
  const kw_rank *x = a, *y = b;
  if (x->score != y->score) return x->score > y->score ? -1 : 1;
  if (x->first != y->first) return x->first < y->first ? -1 : 1;
  return 0;
}

/* Is phrase key a (word-aligned) part of key b, or b of a? */
static int overlaps(const char *a, size_t al, const char *b, size_t bl) {
  if (al > bl) {
    const char *t = a;
    size_t tl = al;
    a = b;
    al = bl;
    b = t;
    bl = tl;
  }
  for (size_t i = 0; i + al <= bl; i++) {
    if ((i == 0 || b[i - 1] == ' ') && !memcmp(b + i, a, al) &&
        (i + al == bl || b[i + al] == ' '))
      return 1;
  }
  return 0;
}

size_t nf_keywords(const char *text, size_t len, size_t n,
                   nf_keywordlist *out) {
  if (!text || n == 0 || len == 0) return 0;
  tokenlist toks = {0};
  tokenize(text, 0, len, &toks);

  /* Per token: its word id, or SIZE_MAX for stop words and noise. */
  strmap words, cands;
  strmap_init(&words);
  strmap_init(&cands);
  size_t *wid = nf_xmalloc((toks.len + 1) * sizeof *wid);
  double *wweight = NULL;
  size_t wweight_cap = 0;
  kw_cand *cand = NULL;
  size_t cand_cap = 0;
  nf_buf key, phrase;
  nf_buf_init(&key);
  nf_buf_init(&phrase);

  for (size_t t = 0; t < toks.len; t++) {
    const token *tk = &toks.items[t];
    size_t kl = word_key(text + tk->start, tk->len, &key);
    wid[t] = SIZE_MAX;
    if (!kl || is_stop_key(key.ptr, kl) || is_noise_key(key.ptr, kl))
      continue;
    int is_new;
    size_t id = strmap_intern(&words, key.ptr, kl, &is_new);
    if (is_new) {
      if (words.cap != wweight_cap) {
        wweight_cap = words.cap;
        wweight = nf_xrealloc(wweight, wweight_cap * sizeof *wweight);
      }
      wweight[id] = (kl < 24 && in_list(common_words, COUNT_OF(common_words),
                                        key.ptr))
                        ? 0.3
                        : 1.0;
    }
    wid[t] = id;
  }

  /* Candidates: every 1..3-word window inside a run of content words. */
  for (size_t t = 0; t < toks.len; t++) {
    if (wid[t] == SIZE_MAX) continue;
    nf_buf_clear(&phrase);
    double weight = 0;
    for (size_t k = 0; k < KW_MAX_PHRASE && t + k < toks.len; k++) {
      size_t u = t + k;
      if (wid[u] == SIZE_MAX || (k > 0 && toks.items[u].brk)) break;
      size_t kl;
      const char *wk = strmap_key(&words, wid[u], &kl);
      if (k > 0) nf_buf_putc(&phrase, ' ');
      nf_buf_put(&phrase, wk, kl);
      weight += wweight[wid[u]];
      int is_new;
      size_t id = strmap_intern(&cands, phrase.ptr, phrase.len, &is_new);
      if (id >= cand_cap) {
        size_t cap = cand_cap ? cand_cap * 2 : 64;
        while (cap <= id) cap *= 2;
        cand = nf_xrealloc(cand, cap * sizeof *cand);
        cand_cap = cap;
      }
      if (is_new) {
        memset(&cand[id], 0, sizeof cand[id]);
        cand[id].first = t;
        cand[id].words = (int)k + 1;
        cand[id].weight = weight;
      }
      cand[id].count++;
      cand_note(&cand[id], text, toks.items[t].start,
                toks.items[u].start + toks.items[u].len);
    }
  }

  /* Rank: single words always qualify; phrases must repeat. */
  kw_rank *rank = nf_xmalloc((cands.len + 1) * sizeof *rank);
  size_t nrank = 0;
  for (size_t id = 0; id < cands.len; id++) {
    kw_cand *c = &cand[id];
    if (c->words > 1 && c->count < 2) continue;
    c->score = (double)c->count * c->weight;
    rank[nrank].id = id;
    rank[nrank].score = c->score;
    rank[nrank].first = c->first;
    nrank++;
  }
  qsort(rank, nrank, sizeof *rank, cmp_rank);

  size_t added = 0;
  size_t *chosen = nf_xmalloc((n < nrank ? n : nrank) * sizeof *chosen + 1);
  for (size_t r = 0; r < nrank && added < n; r++) {
    size_t kl;
    const char *k = strmap_key(&cands, rank[r].id, &kl);
    int skip = 0;
    for (size_t c = 0; c < added && !skip; c++) {
      size_t ol;
      const char *o = strmap_key(&cands, chosen[c], &ol);
      skip = overlaps(k, kl, o, ol);
    }
    if (skip) continue;
    kw_cand *c = &cand[rank[r].id];
    int best = 0;
    for (int v = 1; v < c->nvar; v++)
      if (c->var[v].count > c->var[best].count) best = v;
    nf_buf_clear(&phrase);
    nf_text_squash(text + c->var[best].start,
                   c->var[best].end - c->var[best].start, &phrase);
    if (out->len == out->cap) {
      size_t cap = out->cap ? out->cap * 2 : 16;
      out->items = nf_xrealloc(out->items, cap * sizeof *out->items);
      out->cap = cap;
    }
    nf_keyword *kw = &out->items[out->len++];
    kw->phrase = nf_xstrndup(phrase.ptr, phrase.len);
    kw->score = c->score;
    kw->count = c->count;
    chosen[added++] = rank[r].id;
  }

  free(chosen);
  free(rank);
  free(cand);
  free(wweight);
  free(wid);
  free(toks.items);
  strmap_free(&words);
  strmap_free(&cands);
  nf_buf_free(&key);
  nf_buf_free(&phrase);
  return added;
}

/* ===== Summary ========================================================== */

/* Light stemming for sentence similarity: plural -s / -ies folded. */
static size_t stem_len(nf_buf *key) {
  size_t n = key->len;
  char *k = key->ptr;
  if (n > 4 && !memcmp(k + n - 3, "ies", 3)) {
    k[n - 3] = 'y';
    return n - 2;
  }
  if (n > 3 && k[n - 1] == 's' && k[n - 2] != 's' && k[n - 2] != 'u' &&
      k[n - 2] != 'i')
    return n - 1;
  return n;
}

static int cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

typedef struct sent_words {
  size_t *ids;  /* sorted, unique */
  size_t n;
} sent_words;

typedef struct edge {
  size_t to;
  double w;
} edge;

typedef struct sent_rank {
  size_t index;
  double score;
} sent_rank;

static int cmp_sent_rank(const void *a, const void *b) {
  const sent_rank *x = a, *y = b;
  if (x->score != y->score) return x->score > y->score ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* TextRank scores of sentences[0..S). */
static void textrank(const char *text, const nf_span *sents, size_t S,
                     double *score) {
  strmap words;
  strmap_init(&words);
  nf_buf key;
  nf_buf_init(&key);
  tokenlist toks = {0};
  sent_words *sw = nf_xcalloc(S, sizeof *sw);
  for (size_t i = 0; i < S; i++) {
    toks.len = 0;
    tokenize(text, sents[i].start, sents[i].start + sents[i].len, &toks);
    sw[i].ids = nf_xmalloc((toks.len + 1) * sizeof *sw[i].ids);
    for (size_t t = 0; t < toks.len; t++) {
      size_t kl = word_key(text + toks.items[t].start, toks.items[t].len,
                           &key);
      if (!kl || is_stop_key(key.ptr, kl) || is_noise_key(key.ptr, kl))
        continue;
      kl = stem_len(&key);
      int is_new;
      sw[i].ids[sw[i].n++] = strmap_intern(&words, key.ptr, kl, &is_new);
    }
    qsort(sw[i].ids, sw[i].n, sizeof *sw[i].ids, cmp_size);
    size_t u = 0;
    for (size_t k = 0; k < sw[i].n; k++)
      if (u == 0 || sw[i].ids[u - 1] != sw[i].ids[k])
        sw[i].ids[u++] = sw[i].ids[k];
    sw[i].n = u;
  }

  /* Edges in both directions, grouped by source (CSR). */
  size_t *deg = nf_xcalloc(S + 1, sizeof *deg);
  edge *pairs = NULL;
  size_t *pair_from = NULL;
  size_t npairs = 0, pcap = 0;
  for (size_t i = 0; i < S; i++) {
    for (size_t j = i + 1; j < S; j++) {
      size_t a = 0, b = 0, common = 0;
      while (a < sw[i].n && b < sw[j].n) {
        if (sw[i].ids[a] == sw[j].ids[b]) {
          common++;
          a++;
          b++;
        } else if (sw[i].ids[a] < sw[j].ids[b]) {
          a++;
        } else {
          b++;
        }
      }
      if (!common) continue;
      double w = (double)common /
                 (log(1.0 + (double)sw[i].n) + log(1.0 + (double)sw[j].n));
      if (npairs == pcap) {
        pcap = pcap ? pcap * 2 : 256;
        pairs = nf_xrealloc(pairs, pcap * sizeof *pairs);
        pair_from = nf_xrealloc(pair_from, pcap * sizeof *pair_from);
      }
      pairs[npairs].to = j;
      pairs[npairs].w = w;
      pair_from[npairs] = i;
      npairs++;
      deg[i]++;
      deg[j]++;
    }
  }
  size_t *off = nf_xcalloc(S + 1, sizeof *off);
  for (size_t i = 0; i < S; i++) off[i + 1] = off[i] + deg[i];
  edge *adj = nf_xmalloc((off[S] + 1) * sizeof *adj);
  size_t *fill = nf_xcalloc(S + 1, sizeof *fill);
  double *wsum = nf_xcalloc(S + 1, sizeof *wsum);
  for (size_t p = 0; p < npairs; p++) {
    size_t i = pair_from[p], j = pairs[p].to;
    double w = pairs[p].w;
    adj[off[i] + fill[i]++] = (edge){j, w};
    adj[off[j] + fill[j]++] = (edge){i, w};
    wsum[i] += w;
    wsum[j] += w;
  }

  /* Weighted PageRank, fixed iteration count (deterministic). */
  double *next = nf_xmalloc((S + 1) * sizeof *next);
  for (size_t i = 0; i < S; i++) score[i] = 1.0;
  for (int it = 0; it < 50; it++) {
    for (size_t i = 0; i < S; i++) {
      double sum = 0;
      for (size_t e = off[i]; e < off[i + 1]; e++) {
        size_t j = adj[e].to;
        if (wsum[j] > 0) sum += adj[e].w / wsum[j] * score[j];
      }
      next[i] = 0.15 + 0.85 * sum;
    }
    memcpy(score, next, S * sizeof *score);
  }

  free(next);
  free(wsum);
  free(fill);
  free(adj);
  free(off);
  free(pairs);
  free(pair_from);
  free(deg);
  for (size_t i = 0; i < S; i++) free(sw[i].ids);
  free(sw);
  free(toks.items);
  nf_buf_free(&key);
  strmap_free(&words);
}

/* ===== What a summary never picks ======================================= */

static int is_blank_byte(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Is there a paragraph break (a blank line, or the text's start) before
 * s[at]? */
static int paragraph_starts(const char *s, size_t at) {
  size_t i = at;
  while (i > 0 && is_blank_byte(s[i - 1])) i--;
  if (i == 0) return 1;
  if (s[i - 1] != '\n') return 0;
  i--;
  while (i > 0 && is_blank_byte(s[i - 1])) i--;
  return i == 0 || s[i - 1] == '\n';
}

/* After s[at]: where the next paragraph starts (after a blank line), len
 * when the text ends there, 0 when the paragraph goes on. */
static size_t paragraph_ends(const char *s, size_t len, size_t at) {
  size_t i = at;
  while (i < len && is_blank_byte(s[i])) i++;
  if (i == len) return len;
  if (s[i] != '\n') return 0;
  i++;
  while (i < len && is_blank_byte(s[i])) i++;
  if (i == len) return len;
  if (s[i] != '\n') return 0;
  while (i < len && (is_blank_byte(s[i]) || s[i] == '\n')) i++;
  return i;
}

/* Words (runs of non-space bytes) in s[a..b), counting at most max. */
static size_t words_in(const char *s, size_t a, size_t b, size_t max) {
  size_t n = 0;
  int in = 0;
  for (size_t i = a; i < b && n <= max; i++) {
    int sp = is_blank_byte(s[i]) || s[i] == '\n';
    if (!sp && !in) n++;
    in = !sp;
  }
  return n;
}

/* Does s[a..b) contain phrase (ASCII, lower case), ignoring case? */
static int span_has(const char *s, size_t a, size_t b, const char *phrase) {
  size_t n = strlen(phrase);
  for (size_t i = a; i + n <= b; i++) {
    size_t k = 0;
    while (k < n && (s[i + k] | 0x20) == phrase[k]) k++;
    if (k == n) return 1;
  }
  return 0;
}

/* Does s[a..b) start with word w (lower case), ignoring ASCII case? */
static int span_starts(const char *s, size_t a, size_t b, const char *w) {
  size_t n = strlen(w);
  if (b - a < n) return 0;
  for (size_t k = 0; k < n; k++)
    if (((unsigned char)s[a + k] < 0x80 ? s[a + k] | 0x20 : s[a + k]) != w[k])
      return 0;
  return a + n == b || !((s[a + n] | 0x20) >= 'a' && (s[a + n] | 0x20) <= 'z');
}

static int is_page_furniture(const char *s, const nf_span *sp);

/* A heading: a whole paragraph of at most 12 words with no sentence
 * punctuation at its end, followed by a longer paragraph (the text it
 * heads). */
static int is_heading(const char *s, size_t len, const nf_span *sp) {
  size_t a = sp->start, b = sp->start + sp->len;
  if (!paragraph_starts(s, a)) return 0;
  size_t next = paragraph_ends(s, len, b);
  if (!next || next >= len) return 0;
  size_t n;
  unsigned last = decode_at(s, b, nf_utf8_prev(s, b), &n);
  int kind;
  size_t at = nf_utf8_prev(s, b);
  if (terminator_at(s, b, at, &kind) || is_closing_cp(last) || last == ':' ||
      last == ';' || last == ',')
    return 0;
  size_t words = words_in(s, a, b, 13);
  if (words > 12) return 0;
  /* The text it heads may come after a byline or a dateline. */
  int first = -1;
  for (int skip = 0; skip < 3 && next < len; skip++) {
    size_t end = next;
    while (end < len && end - next < 4096 && !paragraph_ends(s, len, end)) end++;
    int longer = words_in(s, next, end, words) > words;
    if (first < 0) first = longer;
    size_t e = end;
    while (e > next && (is_blank_byte(s[e - 1]) || s[e - 1] == '\n')) e--;
    nf_span para = {next, e - next};
    if (!is_page_furniture(s, &para)) return longer;
    next = end < len ? paragraph_ends(s, len, end) : len;
    if (!next) break;
  }
  return first > 0;
}

/* A dateline ("Updated 1:39 am EST ..."), a disclosure ("We may earn a
 * commission ...") or a byline ("By Jane Roe"): never summary sentences. */
static int is_page_furniture(const char *s, const nf_span *sp) {
  static const char *const labels[] = {
      "updated", "published", "posted", "last updated", "first published",
      "modified",
      /* es, pt, fr, de, it */
      "actualizado", "publicado", "atualizado", "mis \xC3\xA0 jour",
      "publi\xC3\xA9", "aktualisiert", "ver\xC3\xB6" "ffentlicht",
      "aggiornato", "pubblicato", NULL};
  static const char *const disclosures[] = {
      "disclosure:", "affiliate link", "affiliate commission",
      "earn a commission", "earn commission", "receive a commission",
      "may earn a", "sponsored content", "paid partnership",
      "this post is sponsored", NULL};
  size_t a = sp->start, b = sp->start + sp->len;
  for (int i = 0; labels[i]; i++) {
    if (!span_starts(s, a, b, labels[i])) continue;
    size_t lim = a + 40 < b ? a + 40 : b;
    for (size_t k = a; k < lim; k++)
      if (s[k] >= '0' && s[k] <= '9') return 1;
  }
  for (int i = 0; disclosures[i]; i++)
    if (span_has(s, a, b, disclosures[i])) return 1;
  /* "By Jane Roe and John Poe": By, a capital, then names (lower-case
   * words only "and", "de", "van"...). */
  if (b - a > 4 && !memcmp(s + a, "By ", 3) && s[a + 3] >= 'A' && s[a + 3] <= 'Z' &&
      words_in(s, a, b, 11) <= 10) {
    for (size_t k = a + 3; k < b; k++) {
      if (!(k == a + 3 || s[k - 1] == ' ') || s[k] < 'a' || s[k] > 'z') continue;
      if (!span_starts(s, k, b, "and") && !span_starts(s, k, b, "de") &&
          !span_starts(s, k, b, "van") && !span_starts(s, k, b, "von") &&
          !span_starts(s, k, b, "la") && !span_starts(s, k, b, "del"))
        return 0;
    }
    return 1;
  }
  /* "Por Ana Gil", "Von Max Roth": the same in other languages. */
  return nf_text_byline_opener(s + a, b - a) > 0;
}

size_t nf_sentences_running(const char *text, size_t len, nf_spanlist *out) {
  if (!text) return 0;
  nf_spanlist all = {0};
  size_t total = nf_sentences(text, len, &all), kept = 0;
  /* Headings, datelines, disclosures and bylines are no sentences of
   * running text (unless nothing else is left). */
  for (size_t pass = 0; pass < 2 && !kept; pass++)
    for (size_t i = 0; i < total; i++)
      if (pass || (!is_heading(text, len, &all.items[i]) &&
                   !is_page_furniture(text, &all.items[i]))) {
        span_push(out, all.items[i].start, all.items[i].len);
        kept++;
      }
  nf_spanlist_free(&all);
  return kept;
}

size_t nf_summary(const char *text, size_t len, size_t n,
                  nf_summary_method method, nf_spanlist *out) {
  if (!text || n == 0) return 0;
  nf_spanlist sents = {0};
  nf_sentences_running(text, len, &sents);
  size_t S = sents.len;
  size_t added = 0;
  if (method == NF_SUMMARY_AUTO && S <= NF_SUMMARY_SHORT)
    method = NF_SUMMARY_LEAD;
  if (n >= S || method == NF_SUMMARY_LEAD) {
    for (size_t i = 0; i < S && i < n; i++) {
      span_push(out, sents.items[i].start, sents.items[i].len);
      added++;
    }
    nf_spanlist_free(&sents);
    return added;
  }
  size_t ranked = S < NF_TEXTRANK_MAX ? S : NF_TEXTRANK_MAX;
  double *score = nf_xmalloc(ranked * sizeof *score);
  textrank(text, sents.items, ranked, score);
  sent_rank *order = nf_xmalloc(ranked * sizeof *order);
  for (size_t i = 0; i < ranked; i++) {
    order[i].index = i;
    order[i].score = score[i];
  }
  /* AUTO on a long text: the lead always, then the best of the rest. */
  size_t skip_first = method == NF_SUMMARY_AUTO;
  qsort(order + skip_first, ranked - skip_first, sizeof *order,
        cmp_sent_rank);
  size_t take = n < ranked ? n : ranked;
  char *picked = nf_xcalloc(ranked, 1);
  for (size_t i = 0; i < take; i++) picked[order[i].index] = 1;
  for (size_t i = 0; i < ranked; i++) {
    if (!picked[i]) continue;
    span_push(out, sents.items[i].start, sents.items[i].len);
    added++;
  }
  free(picked);
  free(order);
  free(score);
  nf_spanlist_free(&sents);
  return added;
}

/* ===== Bylines in other languages ======================================= */

/* Lower-case words that join or belong in names ("de", "von", "y"). */
static int is_particle(const char *w, size_t n) {
  static const char *const particles[] = {
      "da", "das", "de", "del", "della", "der", "des", "di", "do", "dos",
      "du", "e", "et", "la", "le", "und", "van", "von", "y", "zu"};
  for (size_t i = 0; i < sizeof particles / sizeof *particles; i++)
    if (strlen(particles[i]) == n && !memcmp(particles[i], w, n)) return 1;
  return 0;
}

size_t nf_text_byline_opener(const char *s, size_t len) {
  static const char *const openers[] = {"por", "von", "par", "di", "da", "de"};
  if (!s || len < 5 || len > 80) return 0;
  size_t op = 0;
  for (size_t i = 0; i < sizeof openers / sizeof *openers && !op; i++) {
    size_t n = strlen(openers[i]), k = 0;
    while (k < n && (s[k] | 0x20) == openers[i][k]) k++;
    if (k == n && s[n] == ' ') op = n;
  }
  if (!op) return 0;
  size_t start = op;
  while (start < len && s[start] == ' ') start++;
  int names = 0, words = 0;
  size_t i = start, n;
  while (i < len) {
    while (i < len && s[i] == ' ') i++;
    if (i >= len) break;
    size_t w = i;
    while (i < len && s[i] != ' ') i++;
    words++;
    unsigned c = decode_at(s, i, w, &n);
    if (is_upper_cp(c)) {
      names++;
    } else if (words == 1 || !is_lower_cp(c) || !is_particle(s + w, i - w)) {
      /* "|", "-", "—" between a name and a desk pass; nothing else. */
      if (words == 1 || is_word_cp(c)) return 0;
    }
    for (size_t k = w; k < i; k++)
      if (s[k] >= '0' && s[k] <= '9') return 0;
  }
  unsigned last = decode_at(s, len, nf_utf8_prev(s, len), &n);
  if (last == '.' || last == '?' || last == '!' || last == ':' || words > 8)
    return 0;
  return names >= (op == 2 ? 2 : 1) ? start : 0;
}

/* ===== Cleaning ========================================================== */

size_t nf_text_drop_empty_brackets_at(char *s, size_t len, size_t from,
                                      size_t *pos) {
  size_t w = from;
  for (size_t r = from; r < len;) {
    char open = s[r];
    char close = open == '(' ? ')' : open == '[' ? ']' : 0;
    /* Only after a space or at a line start: "f()" is code. */
    if (close && (r == 0 || s[r - 1] == ' ' || s[r - 1] == '\n')) {
      size_t j = r + 1;
      while (j < len && (s[j] == ' ' || s[j] == ',' || s[j] == ';')) j++;
      if (j < len && s[j] == close) {
        j++;
        /* The space before goes too, unless a line starts here. */
        if (w > from && s[w - 1] == ' ' &&
            (j == len || s[j] == ' ' || s[j] == '\n' || s[j] == '.' ||
             s[j] == ',' || s[j] == ';' || s[j] == ':'))
          w--;
        else if (w == from || s[w - 1] == '\n')
          while (j < len && s[j] == ' ') j++;
        r = j;
        continue;
      }
    }
    if (pos) pos[w] = pos[r];
    s[w++] = s[r++];
  }
  return w;
}

void nf_text_drop_empty_brackets(nf_buf *b, size_t from) {
  if (!b->ptr || from >= b->len) return;
  nf_buf_truncate(b, nf_text_drop_empty_brackets_at(b->ptr, b->len, from, NULL));
}

/* ===== Text of a subtree, with paragraphs =============================== */

/* Drops trailing spaces, then makes sure out ends with `breaks` newlines
 * (unless empty). */
static void end_line(nf_buf *out, int breaks) {
  while (out->len && out->ptr[out->len - 1] == ' ')
    nf_buf_truncate(out, out->len - 1);
  if (!out->len) return;
  int have = 0;
  while ((size_t)have < out->len && have < breaks &&
         out->ptr[out->len - 1 - have] == '\n')
    have++;
  for (; have < breaks; have++) nf_buf_putc(out, '\n');
}

/* Appends t with whitespace collapsed against what out (past base)
 * already ends with; trailing spaces are trimmed by the caller. */
static void append_collapsed(nf_buf *out, size_t base, const char *t,
                             size_t tl) {
  size_t i = 0, n;
  while (i < tl) {
    unsigned c = decode_at(t, tl, i, &n);
    if (is_space_cp(c)) {
      if (out->len > base && out->ptr[out->len - 1] != ' ' &&
          out->ptr[out->len - 1] != '\n')
        nf_buf_putc(out, ' ');
    } else {
      nf_buf_put(out, t + i, n);
    }
    i += n;
  }
}

void nf_text_paragraphs(const nf_node *n, nf_buf *out) {
  if (!n) return;
  nf_node_kind kind = nf_node_kind_of(n);
  if (kind == NF_NODE_TEXT) {
    const char *t = nf_node_content(n);
    if (t) nf_text_squash(t, strlen(t), out);
    return;
  }
  if (kind == NF_NODE_DOCUMENT) n = nf_node_first_element(n); /* <html> */
  else if (kind != NF_NODE_ELEMENT) return;
  if (!n) return;
  size_t base = out->len;
  nf_iter it;
  nf_iter_init(&it, (nf_node *)n);
  nf_event ev;
  while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
    nf_node *cur = nf_iter_node(&it);
    nf_node_kind k = nf_node_kind_of(cur);
    if (k == NF_NODE_TEXT) {
      const char *t = nf_node_content(cur);
      if (t) append_collapsed(out, base, t, strlen(t));
      continue;
    }
    if (k != NF_NODE_ELEMENT) continue;
    const char *name = nf_node_name(cur);
    /* What the renderers leave out (script, svg, button, hidden...). */
    if (nf_html_node_hidden(cur)) {
      if (ev == NF_EV_ENTER) nf_iter_skip_children(&it);
      continue;
    }
    if (!strcmp(name, "br")) {
      if (ev == NF_EV_ENTER && out->len > base) end_line(out, 1);
    } else if (!strcmp(name, "td") || !strcmp(name, "th")) {
      if (ev == NF_EV_EXIT && out->len > base &&
          out->ptr[out->len - 1] != ' ' && out->ptr[out->len - 1] != '\n')
        nf_buf_putc(out, ' ');
    } else if (nf_html_node_is_block(cur)) {
      if (out->len > base) end_line(out, 2);
    }
  }
  while (out->len > base &&
         (out->ptr[out->len - 1] == ' ' || out->ptr[out->len - 1] == '\n'))
    nf_buf_truncate(out, out->len - 1);
}

int nf_node_has_text(const nf_node *n) {
  if (!n) return 0;
  nf_iter it;
  nf_iter_init(&it, (nf_node *)n);
  nf_event ev;
  while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
    nf_node *cur = nf_iter_node(&it);
    if (ev != NF_EV_ENTER) continue;
    nf_node_kind k = nf_node_kind_of(cur);
    if (k == NF_NODE_ELEMENT && nf_html_node_hidden(cur)) {
      nf_iter_skip_children(&it);
    } else if (k == NF_NODE_TEXT) {
      const char *t = nf_node_content(cur);
      size_t tl = t ? strlen(t) : 0, i = 0, len;
      while (i < tl) {
        if (!is_space_cp(decode_at(t, tl, i, &len))) return 1;
        i += len;
      }
    }
  }
  return 0;
}
