/* extract_hints.c: what tags, class names and ids say about an element.
 * Each function answers one small question; extract.c combines them. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "extract_internal.h"

/* ===== Tag classes ======================================================== */

typedef struct tag_entry {
  const char *name;
  unsigned flags;
} tag_entry;

/* Sorted by name (bsearch). Unknown tags behave like div. */
static const tag_entry tag_table[] = {
    {"a", EX_TAG_INLINE},
    {"abbr", EX_TAG_INLINE},
    {"address", 0},
    {"applet", EX_TAG_JUNK},
    {"area", EX_TAG_JUNK},
    {"article", EX_TAG_SEMANTIC},
    {"aside", EX_TAG_CHROME},
    {"audio", EX_TAG_JUNK},
    {"b", EX_TAG_INLINE},
    {"base", EX_TAG_JUNK},
    {"bdi", EX_TAG_INLINE},
    {"bdo", EX_TAG_INLINE},
    {"big", EX_TAG_INLINE},
    {"blockquote", EX_TAG_KEEP},
    {"br", EX_TAG_INLINE | EX_TAG_VOID},
    {"button", EX_TAG_JUNK},
    {"canvas", EX_TAG_JUNK},
    {"caption", EX_TAG_KEEP},
    {"cite", EX_TAG_INLINE},
    {"code", EX_TAG_INLINE},
    {"col", EX_TAG_VOID},
    {"colgroup", 0},
    {"data", EX_TAG_INLINE},
    {"datalist", EX_TAG_JUNK},
    {"dd", EX_TAG_KEEP},
    {"del", EX_TAG_INLINE},
    {"details", 0},
    {"dfn", EX_TAG_INLINE},
    {"dialog", EX_TAG_JUNK},
    {"dl", EX_TAG_KEEP | EX_TAG_LIST},
    {"dt", EX_TAG_KEEP},
    {"em", EX_TAG_INLINE},
    {"embed", EX_TAG_JUNK},
    {"fieldset", EX_TAG_JUNK},
    {"figcaption", EX_TAG_KEEP},
    {"figure", EX_TAG_KEEP},
    {"font", EX_TAG_INLINE},
    {"footer", EX_TAG_CHROME},
    {"frame", EX_TAG_JUNK},
    {"frameset", EX_TAG_JUNK},
    {"h1", EX_TAG_KEEP},
    {"h2", EX_TAG_KEEP | EX_TAG_PARA},
    {"h3", EX_TAG_KEEP | EX_TAG_PARA},
    {"h4", EX_TAG_KEEP | EX_TAG_PARA},
    {"h5", EX_TAG_KEEP | EX_TAG_PARA},
    {"h6", EX_TAG_KEEP | EX_TAG_PARA},
    {"head", EX_TAG_JUNK},
    {"header", EX_TAG_CHROME},
    {"hr", EX_TAG_VOID},
    {"i", EX_TAG_INLINE},
    {"iframe", EX_TAG_JUNK},
    {"img", EX_TAG_INLINE | EX_TAG_VOID},
    {"input", EX_TAG_JUNK},
    {"ins", EX_TAG_INLINE},
    {"kbd", EX_TAG_INLINE},
    {"label", EX_TAG_INLINE},
    {"li", EX_TAG_KEEP},
    {"link", EX_TAG_JUNK},
    {"main", EX_TAG_SEMANTIC},
    {"map", EX_TAG_JUNK},
    {"mark", EX_TAG_INLINE},
    {"math", EX_TAG_INLINE},
    {"menu", EX_TAG_CHROME},
    {"meta", EX_TAG_JUNK},
    {"meter", EX_TAG_JUNK},
    {"nav", EX_TAG_CHROME},
    {"noscript", EX_TAG_JUNK},
    {"object", EX_TAG_JUNK},
    {"ol", EX_TAG_KEEP | EX_TAG_LIST},
    {"optgroup", EX_TAG_JUNK},
    {"option", EX_TAG_JUNK},
    {"output", EX_TAG_JUNK},
    {"p", EX_TAG_KEEP | EX_TAG_PARA},
    {"param", EX_TAG_JUNK},
    {"picture", EX_TAG_INLINE},
    {"pre", EX_TAG_KEEP | EX_TAG_PARA},
    {"progress", EX_TAG_JUNK},
    {"q", EX_TAG_INLINE},
    {"rp", EX_TAG_JUNK},
    {"rt", EX_TAG_INLINE},
    {"ruby", EX_TAG_INLINE},
    {"s", EX_TAG_INLINE},
    {"samp", EX_TAG_INLINE},
    {"script", EX_TAG_JUNK},
    {"select", EX_TAG_JUNK},
    {"small", EX_TAG_INLINE},
    {"source", EX_TAG_JUNK},
    {"span", EX_TAG_INLINE},
    {"strike", EX_TAG_INLINE},
    {"strong", EX_TAG_INLINE},
    {"style", EX_TAG_JUNK},
    {"sub", EX_TAG_INLINE},
    {"summary", 0},
    {"sup", EX_TAG_INLINE},
    {"svg", EX_TAG_JUNK},
    {"table", EX_TAG_KEEP},
    {"tbody", EX_TAG_KEEP},
    {"td", EX_TAG_KEEP | EX_TAG_PARA},
    {"template", EX_TAG_JUNK},
    {"textarea", EX_TAG_JUNK},
    {"tfoot", EX_TAG_KEEP},
    {"th", EX_TAG_KEEP},
    {"thead", EX_TAG_KEEP},
    {"time", EX_TAG_INLINE},
    {"title", EX_TAG_JUNK},
    {"tr", EX_TAG_KEEP},
    {"track", EX_TAG_JUNK},
    {"tt", EX_TAG_INLINE},
    {"u", EX_TAG_INLINE},
    {"ul", EX_TAG_KEEP | EX_TAG_LIST},
    {"var", EX_TAG_INLINE},
    {"video", EX_TAG_JUNK},
    {"wbr", EX_TAG_INLINE | EX_TAG_VOID},
};

static int tag_entry_cmp(const void *key, const void *entry) {
  return strcmp((const char *)key, ((const tag_entry *)entry)->name);
}

unsigned ex_tag_flags(const char *tag) {
  if (!tag) return 0;
  const tag_entry *e =
      bsearch(tag, tag_table, sizeof tag_table / sizeof tag_table[0],
              sizeof tag_table[0], tag_entry_cmp);
  return e ? e->flags : 0;
}

int ex_tag_base_score(const char *tag) {
  if (!strcmp(tag, "div")) return W_TAG_DIV;
  if (!strcmp(tag, "article") || !strcmp(tag, "main")) return W_TAG_ARTICLE;
  if (!strcmp(tag, "pre") || !strcmp(tag, "td") || !strcmp(tag, "blockquote"))
    return W_TAG_PRE_TD_QUOTE;
  if (!strcmp(tag, "address") || !strcmp(tag, "ol") || !strcmp(tag, "ul") ||
      !strcmp(tag, "dl") || !strcmp(tag, "dd") || !strcmp(tag, "dt") ||
      !strcmp(tag, "li") || !strcmp(tag, "form"))
    return W_TAG_LIST_FORM;
  if ((tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6' && !tag[2]) ||
      !strcmp(tag, "th"))
    return W_TAG_HEADING;
  return 0;
}

/* ===== Class/id words ===================================================== */

enum { HINT_POS = 1, HINT_STRONG_NEG = 2, HINT_WEAK_NEG = 4 };

typedef struct hint_word {
  const char *word;
  int prefix;   /* 1: token starts with word; 0: token equals word */
  int kind;
} hint_word;

static const hint_word hint_words[] = {
    /* content */
    {"article", 1, HINT_POS}, {"content", 1, HINT_POS},
    {"body", 0, HINT_POS},    {"entry", 1, HINT_POS},
    {"hentry", 0, HINT_POS},  {"main", 0, HINT_POS},
    {"post", 0, HINT_POS},    {"posts", 0, HINT_POS},
    {"text", 0, HINT_POS},    {"story", 1, HINT_POS},
    {"blog", 0, HINT_POS},    {"prose", 0, HINT_POS},
    /* furniture that stays furniture even inside an "article-" name */
    {"comment", 1, HINT_STRONG_NEG},   {"disqus", 1, HINT_STRONG_NEG},
    {"share", 1, HINT_STRONG_NEG},     {"sharing", 0, HINT_STRONG_NEG},
    {"social", 1, HINT_STRONG_NEG},    {"related", 1, HINT_STRONG_NEG},
    {"promo", 1, HINT_STRONG_NEG},     {"newsletter", 1, HINT_STRONG_NEG},
    {"subscribe", 1, HINT_STRONG_NEG}, {"subscription", 1, HINT_STRONG_NEG},
    {"signup", 0, HINT_STRONG_NEG},    {"outbrain", 1, HINT_STRONG_NEG},
    {"taboola", 1, HINT_STRONG_NEG},   {"sponsor", 1, HINT_STRONG_NEG},
    {"advert", 1, HINT_STRONG_NEG},    {"ad", 0, HINT_STRONG_NEG},
    {"ads", 0, HINT_STRONG_NEG},       {"adslot", 0, HINT_STRONG_NEG},
    {"dfp", 0, HINT_STRONG_NEG},       {"recommend", 1, HINT_STRONG_NEG},
    {"recirc", 1, HINT_STRONG_NEG},    {"trending", 0, HINT_STRONG_NEG},
    {"popular", 0, HINT_STRONG_NEG},   {"cookie", 1, HINT_STRONG_NEG},
    {"gdpr", 0, HINT_STRONG_NEG},      {"consent", 0, HINT_STRONG_NEG},
    {"modal", 0, HINT_STRONG_NEG},     {"popup", 0, HINT_STRONG_NEG},
    {"shoutbox", 0, HINT_STRONG_NEG},  {"combx", 0, HINT_STRONG_NEG},
    {"skyscraper", 0, HINT_STRONG_NEG}, {"hidden", 0, HINT_STRONG_NEG},
    {"hide", 0, HINT_STRONG_NEG},      {"sr", 0, HINT_STRONG_NEG},
    {"screen", 0, HINT_STRONG_NEG},    {"print", 0, HINT_STRONG_NEG},
    {"noprint", 0, HINT_STRONG_NEG},
    /* furniture unless the same name also says content */
    {"nav", 1, HINT_WEAK_NEG},         {"menu", 1, HINT_WEAK_NEG},
    {"header", 0, HINT_WEAK_NEG},      {"masthead", 0, HINT_WEAK_NEG},
    {"footer", 1, HINT_WEAK_NEG},      {"sidebar", 1, HINT_WEAK_NEG},
    {"breadcrumb", 1, HINT_WEAK_NEG},  {"breadcrumbs", 0, HINT_WEAK_NEG},
    {"banner", 1, HINT_WEAK_NEG},      {"widget", 1, HINT_WEAK_NEG},
    {"toolbar", 0, HINT_WEAK_NEG},     {"meta", 0, HINT_WEAK_NEG},
    {"byline", 1, HINT_WEAK_NEG},      {"author", 1, HINT_WEAK_NEG},
    {"tag", 0, HINT_WEAK_NEG},         {"tags", 0, HINT_WEAK_NEG},
    {"pagination", 0, HINT_WEAK_NEG},  {"pager", 0, HINT_WEAK_NEG},
    {"rail", 0, HINT_WEAK_NEG},        {"bio", 0, HINT_WEAK_NEG},
    {"contact", 0, HINT_WEAK_NEG},     {"rss", 0, HINT_WEAK_NEG},
    {"login", 0, HINT_WEAK_NEG},       {"signin", 0, HINT_WEAK_NEG},
};

/* Tokens of one class item or id: split at non-alphanumerics and at
 * camelCase humps, lower-cased. Calls fn(token, len, ud) for each. */
typedef void (*token_fn)(const char *tok, size_t len, void *ud);

static void split_name(const char *s, size_t n, token_fn fn, void *ud) {
  char tok[48];
  size_t tl = 0;
  for (size_t i = 0; i <= n; i++) {
    unsigned char c = i < n ? (unsigned char)s[i] : 0;
    int alnum = c && (isalnum(c) != 0);
    int hump = alnum && isupper(c) && i > 0 && islower((unsigned char)s[i - 1]);
    if ((!alnum || hump) && tl) {
      fn(tok, tl, ud);
      tl = 0;
    }
    if (alnum && tl < sizeof tok - 1) tok[tl++] = (char)tolower(c);
  }
}

static int hint_kind_of(const char *tok, size_t len) {
  int kind = 0;
  for (size_t i = 0; i < sizeof hint_words / sizeof hint_words[0]; i++) {
    const hint_word *w = &hint_words[i];
    if (w->word[0] != tok[0]) continue;
    size_t wl = strlen(w->word);
    if (w->prefix ? (len >= wl && !memcmp(tok, w->word, wl))
                  : (len == wl && !memcmp(tok, w->word, wl)))
      kind |= w->kind;
  }
  return kind;
}

typedef struct item_hints {
  int kinds;       /* union over tokens */
  int last_kind;   /* of the last token: the head noun of "main-nav" */
  int strong_body; /* one token pair "article"+"body"-like */
  int prev_bodyish;
} item_hints;

static int starts_with(const char *tok, size_t len, const char *w) {
  size_t wl = strlen(w);
  return len >= wl && !memcmp(tok, w, wl);
}

static int is_body_head(const char *tok, size_t len) {
  return starts_with(tok, len, "article") || starts_with(tok, len, "story") ||
         (len == 4 && !memcmp(tok, "post", 4)) ||
         starts_with(tok, len, "entry") || (len == 4 && !memcmp(tok, "body", 4));
}

static int is_body_tail(const char *tok, size_t len) {
  return (len == 4 && !memcmp(tok, "body", 4)) ||
         starts_with(tok, len, "content") || (len == 4 && !memcmp(tok, "text", 4)) ||
         (len == 4 && !memcmp(tok, "copy", 4));
}

/* "articlebody", "storytext", "postcontent": one token naming the body. */
static int is_compound_body(const char *tok, size_t len) {
  static const char *const heads[] = {"article", "story", "entry", "post"};
  for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
    size_t hl = strlen(heads[i]);
    if (len > hl && !memcmp(tok, heads[i], hl) &&
        is_body_tail(tok + hl, len - hl))
      return 1;
  }
  return 0;
}

static void on_token(const char *tok, size_t len, void *ud) {
  item_hints *h = ud;
  h->last_kind = hint_kind_of(tok, len);
  h->kinds |= h->last_kind;
  if (is_compound_body(tok, len)) h->strong_body = 1;
  if (h->prev_bodyish && is_body_tail(tok, len)) h->strong_body = 1;
  h->prev_bodyish = is_body_head(tok, len);
}

/* Summary of an element's class items and id. */
typedef struct el_hints {
  int pos, strong_neg, weak_neg; /* some item has... */
  int pure_pos;                  /* some item says only content */
  int strong_body;
} el_hints;

static void hints_of_item(const char *s, size_t n, el_hints *eh) {
  item_hints h = {0, 0, 0, 0};
  split_name(s, n, on_token, &h);
  if (h.kinds & HINT_POS) eh->pos = 1;
  if (h.kinds & HINT_STRONG_NEG) eh->strong_neg = 1;
  /* A weak word counts unless the name ends in a content word
   * ("sidebar-content" is content, "main-nav" and "article-meta" are not). */
  if ((h.kinds & HINT_WEAK_NEG) && !(h.last_kind & HINT_POS)) eh->weak_neg = 1;
  if (h.kinds == HINT_POS) eh->pure_pos = 1;
  if (h.strong_body && !(h.kinds & HINT_STRONG_NEG)) eh->strong_body = 1;
}

static const char *attr_of(const xmlNode *el, const char *name) {
  if (!el || el->type != XML_ELEMENT_NODE) return NULL;
  for (const xmlAttr *a = el->properties; a; a = a->next) {
    if (a->name && !strcmp((const char *)a->name, name)) {
      const xmlNode *t = a->children;
      if (t && (t->type == XML_TEXT_NODE) && t->content && !t->next)
        return (const char *)t->content;
      return t && t->content ? (const char *)t->content : "";
    }
  }
  return NULL;
}

static void element_hints(const xmlNode *el, el_hints *eh) {
  memset(eh, 0, sizeof *eh);
  const char *cls = attr_of(el, "class");
  const char *id = attr_of(el, "id");
  if (cls) {
    const char *p = cls;
    while (*p) {
      while (*p && isspace((unsigned char)*p)) p++;
      const char *start = p;
      while (*p && !isspace((unsigned char)*p)) p++;
      if (p > start) hints_of_item(start, (size_t)(p - start), eh);
    }
  }
  if (id && *id) hints_of_item(id, strlen(id), eh);
  const char *itemprop = attr_of(el, "itemprop");
  if (itemprop && (!strcmp(itemprop, "articleBody") ||
                   !strcmp(itemprop, "articlebody")))
    eh->strong_body = 1, eh->pure_pos = 1;
}

static int weight_of(const el_hints *eh) {
  if (eh->strong_body) return W_CLASS_BODY_STRONG;
  int w = 0;
  if (eh->pos) w += W_CLASS_POSITIVE;
  if (eh->strong_neg || eh->weak_neg) w += W_CLASS_NEGATIVE;
  return w;
}

static int boilerplate_of(const el_hints *eh) {
  if (eh->strong_body || eh->pure_pos) return 0;
  return eh->strong_neg || eh->weak_neg;
}

int ex_class_weight(const xmlNode *el) {
  el_hints eh;
  element_hints(el, &eh);
  return weight_of(&eh);
}

int ex_is_boilerplate(const xmlNode *el) {
  el_hints eh;
  element_hints(el, &eh);
  return boilerplate_of(&eh);
}

void ex_class_hints(const xmlNode *el, ex_hints *out) {
  el_hints eh;
  element_hints(el, &eh);
  out->weight = weight_of(&eh);
  out->boilerplate = boilerplate_of(&eh);
  out->strong_body = eh.strong_body;
}

int ex_is_strong_body(const xmlNode *el) {
  el_hints eh;
  element_hints(el, &eh);
  return eh.strong_body;
}

/* Does style declare prop: value (spaces and case ignored)? */
static int style_has(const char *style, const char *decl) {
  char buf[256];
  size_t n = 0;
  for (const char *p = style; *p && n < sizeof buf - 1; p++)
    if (!isspace((unsigned char)*p)) buf[n++] = (char)tolower((unsigned char)*p);
  buf[n] = 0;
  return strstr(buf, decl) != NULL;
}

int ex_is_hidden(const xmlNode *el) {
  if (attr_of(el, "hidden")) return 1;
  const char *aria = attr_of(el, "aria-hidden");
  if (aria && !strcmp(aria, "true")) return 1;
  const char *style = attr_of(el, "style");
  if (style && (style_has(style, "display:none") ||
                style_has(style, "visibility:hidden")))
    return 1;
  return 0;
}

int ex_is_semantic_main(const xmlNode *el) {
  if (!el || el->type != XML_ELEMENT_NODE) return 0;
  if (ex_tag_flags((const char *)el->name) & EX_TAG_SEMANTIC) return 1;
  const char *role = attr_of(el, "role");
  return role && (!strcmp(role, "main") || !strcmp(role, "article"));
}

/* Does any class/id token say caption or credit? */
static void on_caption_token(const char *tok, size_t len, void *ud) {
  if ((len >= 7 && !memcmp(tok, "caption", 7)) ||
      (len == 6 && !memcmp(tok, "credit", 6)) ||
      (len == 7 && !memcmp(tok, "credits", 7)))
    *(int *)ud = 1;
}

int ex_is_caption(const xmlNode *el) {
  int hit = 0;
  const char *cls = attr_of(el, "class");
  if (cls) split_name(cls, strlen(cls), on_caption_token, &hit);
  const char *id = attr_of(el, "id");
  if (!hit && id) split_name(id, strlen(id), on_caption_token, &hit);
  return hit;
}
