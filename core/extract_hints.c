/* extract_hints.c: what tags, class names and ids say about an element.
 * Each function answers one small question; extract.c combines them. */
#include <ctype.h>
#include <pthread.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "extract_internal.h"
#include "html_elements.h"

/* ===== Tag classes ======================================================== */

/* What an element means to the extractor, on top of the element table
 * (html_elements.h): INLINE and VOID are the table's, JUNK is the table's
 * HIDDEN plus the extractor's own junk below (media, dialogs, form parts:
 * never article prose even though a renderer shows their text). Indexed
 * by nf_element: one table lookup per node. Unknown tags behave like div. */
static const unsigned char tag_table[NF_ELEMENT_COUNT] = {
    [NF_ELEMENT_article] = EX_TAG_SEMANTIC,
    [NF_ELEMENT_aside] = EX_TAG_CHROME,
    [NF_ELEMENT_audio] = EX_TAG_JUNK,
    [NF_ELEMENT_blockquote] = EX_TAG_KEEP,
    [NF_ELEMENT_caption] = EX_TAG_KEEP,
    [NF_ELEMENT_dd] = EX_TAG_KEEP,
    [NF_ELEMENT_dialog] = EX_TAG_JUNK,
    [NF_ELEMENT_dl] = EX_TAG_KEEP | EX_TAG_LIST,
    [NF_ELEMENT_dt] = EX_TAG_KEEP,
    [NF_ELEMENT_fieldset] = EX_TAG_JUNK,
    [NF_ELEMENT_figcaption] = EX_TAG_KEEP,
    [NF_ELEMENT_figure] = EX_TAG_KEEP,
    [NF_ELEMENT_footer] = EX_TAG_CHROME,
    [NF_ELEMENT_h1] = EX_TAG_KEEP,
    [NF_ELEMENT_h2] = EX_TAG_KEEP | EX_TAG_PARA,
    [NF_ELEMENT_h3] = EX_TAG_KEEP | EX_TAG_PARA,
    [NF_ELEMENT_h4] = EX_TAG_KEEP | EX_TAG_PARA,
    [NF_ELEMENT_h5] = EX_TAG_KEEP | EX_TAG_PARA,
    [NF_ELEMENT_h6] = EX_TAG_KEEP | EX_TAG_PARA,
    [NF_ELEMENT_header] = EX_TAG_CHROME,
    [NF_ELEMENT_li] = EX_TAG_KEEP,
    [NF_ELEMENT_main] = EX_TAG_SEMANTIC,
    [NF_ELEMENT_menu] = EX_TAG_CHROME,
    [NF_ELEMENT_nav] = EX_TAG_CHROME,
    [NF_ELEMENT_ol] = EX_TAG_KEEP | EX_TAG_LIST,
    [NF_ELEMENT_optgroup] = EX_TAG_JUNK,
    [NF_ELEMENT_option] = EX_TAG_JUNK,
    [NF_ELEMENT_output] = EX_TAG_JUNK,
    [NF_ELEMENT_p] = EX_TAG_KEEP | EX_TAG_PARA,
    [NF_ELEMENT_pre] = EX_TAG_KEEP | EX_TAG_PARA,
    [NF_ELEMENT_rp] = EX_TAG_JUNK,
    [NF_ELEMENT_table] = EX_TAG_KEEP,
    [NF_ELEMENT_tbody] = EX_TAG_KEEP,
    [NF_ELEMENT_td] = EX_TAG_KEEP | EX_TAG_PARA,
    [NF_ELEMENT_tfoot] = EX_TAG_KEEP,
    [NF_ELEMENT_th] = EX_TAG_KEEP,
    [NF_ELEMENT_thead] = EX_TAG_KEEP,
    [NF_ELEMENT_tr] = EX_TAG_KEEP,
    [NF_ELEMENT_ul] = EX_TAG_KEEP | EX_TAG_LIST,
    [NF_ELEMENT_video] = EX_TAG_JUNK,
};

static unsigned flags_at(int i) {
  unsigned el = nf_html_element_flags[i], f = tag_table[i];
  if (el & NF_EL_INLINE) f |= EX_TAG_INLINE;
  if (el & NF_EL_VOID) f |= EX_TAG_VOID;
  if (el & NF_EL_HIDDEN) f |= EX_TAG_JUNK;
  return f;
}

unsigned ex_tag_flags(const char *tag) {
  int i = nf_html_element(tag);
  return i < 0 ? 0 : flags_at(i);
}

unsigned ex_node_flags(const xmlNode *n) {
  int i = nf_html_element((const char *)n->name);
  if (i >= 0) return flags_at(i);
  /* Custom and unknown elements: phrasing or a container (as div) by
   * their content model, as everywhere else (html_elements.h). */
  return nf_html_unknown_is_inline(n) ? EX_TAG_INLINE : 0;
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

/* hint_words by first letter (a counting sort, made once): a token is
 * compared with the words of its first letter only, as every class item
 * and id of the page is split into tokens. */
#define N_HINT_WORDS (sizeof hint_words / sizeof hint_words[0])
_Static_assert(N_HINT_WORDS < 256, "hint_order holds bytes");
static unsigned char hint_order[N_HINT_WORDS], hint_len[N_HINT_WORDS];
static unsigned short hint_start[257];
static pthread_once_t hint_once = PTHREAD_ONCE_INIT;

static void hint_index_init(void) {
  for (size_t i = 0; i < N_HINT_WORDS; i++) {
    hint_start[(unsigned char)hint_words[i].word[0] + 1]++;
    hint_len[i] = (unsigned char)strlen(hint_words[i].word);
  }
  for (int c = 0; c < 256; c++) hint_start[c + 1] += hint_start[c];
  unsigned short next[256];
  memcpy(next, hint_start, sizeof next);
  for (size_t i = 0; i < N_HINT_WORDS; i++)
    hint_order[next[(unsigned char)hint_words[i].word[0]]++] = (unsigned char)i;
}

static int hint_kind_of(const char *tok, size_t len) {
  pthread_once(&hint_once, hint_index_init);
  int kind = 0;
  unsigned char c = (unsigned char)tok[0];
  for (unsigned k = hint_start[c]; k < hint_start[c + 1]; k++) {
    const hint_word *w = &hint_words[hint_order[k]];
    size_t wl = hint_len[hint_order[k]];
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
  int last_hover;  /* the last token names a card shown on hover */
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

/* A card shown on hover (class 7 of issue 10) when it is the last token:
 * "person-tooltip" is the card, "tooltip-wrap" its trigger. */
static int is_hover_token(const char *tok, size_t len) {
  return (tok[0] == 't' && starts_with(tok, len, "tooltip")) ||
         (tok[0] == 'p' && starts_with(tok, len, "popover")) ||
         (tok[0] == 'h' && starts_with(tok, len, "hovercard"));
}

static void on_token(const char *tok, size_t len, void *ud) {
  item_hints *h = ud;
  h->last_hover = is_hover_token(tok, len);
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
  int meta;                      /* itemprop=date...|author */
  int hover;                     /* tooltip, popover, hovercard */
} el_hints;

static void hints_of_item(const char *s, size_t n, el_hints *eh) {
  item_hints h = {0, 0, 0, 0, 0};
  split_name(s, n, on_token, &h);
  if (h.last_hover) eh->hover = 1;
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
  if (itemprop && (!strncmp(itemprop, "date", 4) || !strcmp(itemprop, "author")))
    eh->meta = 1;
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
  out->meta = eh.meta || ex_tag_is(el, "time");
  out->hover = eh.hover;
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

/* ===== Note links ========================================================= */

/* Is some whitespace-separated item of list word (case ignored)? */
static int list_has_item(const char *list, const char *word) {
  size_t wl = strlen(word);
  for (const char *p = list; *p;) {
    while (*p && isspace((unsigned char)*p)) p++;
    const char *start = p;
    while (*p && !isspace((unsigned char)*p)) p++;
    if ((size_t)(p - start) == wl && !strncasecmp(start, word, wl)) return 1;
  }
  return 0;
}

const char *ex_note_role(const xmlNode *a) {
  const char *role = attr_of(a, "role");
  if (role && list_has_item(role, "doc-noteref")) return "doc-noteref";
  if (role && list_has_item(role, "doc-backlink")) return "doc-backlink";
  const char *cls = attr_of(a, "class");
  if (!cls) return NULL;
  if (list_has_item(cls, "footnote-backref")) return "doc-backlink";
  if (list_has_item(cls, "footnote") || list_has_item(cls, "footnote-ref"))
    return "doc-noteref";
  return NULL;
}

/* ===== Embedded posts ===================================================== */

/* Standard embed markup of a social post (blockquote.twitter-tweet,
 * blockquote.instagram-media...): the page quotes it, whatever the class
 * words of its wrapper say (class 6 of issue 10). */
int ex_is_embedded_post(const xmlNode *el) {
  if (!ex_tag_is(el, "blockquote")) return 0;
  const char *cls = attr_of(el, "class");
  if (!cls) return 0;
  static const char *const embeds[] = {"twitter-tweet", "twitter-video",
                                       "instagram-media", "tiktok-embed",
                                       "reddit-card", "bluesky-embed", NULL};
  for (int i = 0; embeds[i]; i++)
    if (list_has_item(cls, embeds[i])) return 1;
  return 0;
}
