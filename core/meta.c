/* meta.c: article metadata (title, byline, dates, description, site, lang,
 * canonical URL, lead image, tags) from what a page declares.
 *
 * Order of trust, most trusted first, per field (the first source that
 * gives a usable value wins):
 *
 *   title      JSON-LD article headline (name when no headline)
 *              > dc:title / dcterm:title > og:title > meta name=title
 *              > twitter:title > parsely-title / sailthru.title
 *              > microdata itemprop=headline > <title> > the only <h1>.
 *              Then a trailing/leading " | Site" (also - – — :: · / »)
 *              is cut when Site is the known site name (or the page's
 *              host); a <title> with no known site name is cut Readability's
 *              way only when the separator pattern is clear (short last
 *              part, the rest 3+ words, or the rest equals an h1/h2).
 *   byline     JSON-LD author names (joined ", ") > dc:creator > meta
 *              name=author > parsely-author > sailthru.author >
 *              article:author (not a URL) > microdata itemprop=author
 *              (its itemprop=name) > rel=author / class or id with
 *              byline|author|writtenby (text under 100 chars) > a "By …"
 *              line. A leading "By" is removed; names are kept as written,
 *              without what pages print beside them (job titles, dates,
 *              labels, desks, the site's name: see "Bylines"). A meta
 *              author sharing no word with the visible byline inside
 *              article/main gives way to it; a handle to the display name
 *              of the same profile link.
 *   authors    JSON-LD author names, else the byline split on , ; & "and";
 *              people only ("Last, F." one; no credentials, no desks or
 *              organisations).
 *   published  JSON-LD datePublished > article:published_time >
 *              parsely-pub-date > sailthru.date > dcterms:created /
 *              dc:date / dc:date:issued > name=date|pubdate|publishdate|
 *              publish-date|publication_date > itemprop=datePublished >
 *              <time pubdate> / <time class~published>.
 *   modified   JSON-LD dateModified > article:modified_time >
 *              og:updated_time > dcterms:modified > itemprop=dateModified
 *              > <time class~updated|modified>.
 *   description JSON-LD description > dc:description > og:description >
 *              meta name=description > twitter:description > the first
 *              paragraph of 80+ characters in the body.
 *   site_name  JSON-LD publisher.name > og:site_name > application-name.
 *   lang       <html lang> > <body lang> > Content-Language meta >
 *              og:locale (en_US → en-US) > JSON-LD inLanguage.
 *   dir        dir attribute nearest the content: <article>/<main>, then
 *              <body>, then <html>.
 *   url        <link rel=canonical> > og:url > JSON-LD url > the doc URL.
 *   image      JSON-LD image (string, ImageObject or array) > og:image >
 *              twitter:image > <link rel=image_src>; alt from og:image:alt
 *              or the <img>; caption and credit from the <figure> that
 *              shows the same picture.
 *   tags       JSON-LD keywords and articleSection, article:tag,
 *              article:section, meta keywords / news_keywords (deduped).
 *
 * Dates are normalized to ISO 8601 by meta_date.c; garbage is rejected. A
 * UTC date and time is written in the page's own offset when another date
 * of the page has one (the calendar day stays the page's).
 * Plain-text dumps (NF_INPUT_TEXT) are read from the tree parse_text.c
 * built: h1, .standfirst, .byline, time.published / time.updated, the
 * first figure (figcaption, span.credit).
 *
 * Only the fields still NULL in the article are filled. */
#include "doc.h"
#include "html_elements.h"
#include "meta_date.h"
#include "text.h"
#include "utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "article.h" /* nf_meta_read: this file's one entry point */

#define MAX_LD_BLOCKS 16
#define MAX_METAS 512
#define MAX_TAGS 50
#define BYLINE_MAX_CHARS 100
/* A byline element with more text than this is a wrapper, not a byline:
 * given up without reading the rest (bounded work on any page). */
#define BYLINE_MAX_RAW 2000

typedef struct meta_pair {
  char *key;            /* normalized: lower case, '.' → ':' for names */
  const char *value;    /* borrowed from the attribute */
  int from_property;
} meta_pair;

typedef struct page {
  nf_doc *doc;
  meta_pair metas[MAX_METAS];
  size_t nmetas;
  nf_json *ld[MAX_LD_BLOCKS];
  size_t nld;
  const nf_json *article;   /* the JSON-LD article object, or NULL */
  char *title_el;           /* <title> text */
  char *h1;                 /* the only h1's text (NULL when 0 or 2+) */
  int nh1;
  nf_nodelist headings;     /* h1/h2 elements, for title checks */
  const char *lang, *dir, *canonical, *image_src, *content_language;
  char *md_headline, *md_author, *md_published, *md_modified;
  char *rel_author;         /* rel=author element text */
  char *page_byline;        /* class/id byline|author element text */
  int article_depth;        /* inside <article>/<main> when > 0 */
  int paragraph_fallback;   /* description may fall back to a paragraph */
  char *first_para_article; /* first paragraph inside article/main */
  char *by_line;            /* a "By …" paragraph */
  char *article_byline;     /* the first visible byline in article/main */
  char *time_published, *time_modified;
  char *first_para;
  const char *body_dir;
  const char *content_dir;  /* dir of the first article/main that has one */
} page;

/* ===== String helpers ================================================== */

/* Collapsed whitespace, trimmed; NULL for NULL or empty. Caller frees. */
static char *clean_text(const char *s) {
  if (!s) return NULL;
  nf_buf b;
  nf_buf_init(&b);
  int space = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    int ws = isspace(*p);
    if (!ws && p[0] == 0xC2 && p[1] == 0xA0) {   /* no-break space */
      ws = 1;
      p++;
    }
    if (ws) {
      space = 1;
      continue;
    }
    if (space && b.len) nf_buf_putc(&b, ' ');
    space = 0;
    nf_buf_putc(&b, *p);
  }
  if (!b.len) {
    nf_buf_free(&b);
    return NULL;
  }
  return nf_buf_detach(&b);
}

/* Meta values are sometimes escaped twice ("&amp;#39;"); decode one more
 * level of the common entities. Returns s itself or a new string. */
static char *unescape_entities(char *s) {
  if (!s || !strchr(s, '&')) return s;
  nf_buf b;
  nf_buf_init(&b);
  static const struct { const char *name; const char *text; } named[] = {
      {"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"}, {"quot;", "\""},
      {"apos;", "'"}, {"nbsp;", " "}, {NULL, NULL}};
  for (const char *p = s; *p;) {
    if (*p != '&') {
      nf_buf_putc(&b, *p++);
      continue;
    }
    int done = 0;
    for (int i = 0; named[i].name; i++) {
      size_t n = strlen(named[i].name);
      if (strncmp(p + 1, named[i].name, n) == 0) {
        nf_buf_puts(&b, named[i].text);
        p += 1 + n;
        done = 1;
        break;
      }
    }
    if (done) continue;
    if (p[1] == '#') {
      const char *q = p + 2;
      int hex = *q == 'x' || *q == 'X';
      if (hex) q++;
      unsigned long cp = 0;
      int digits = 0;
      while (digits < 9 && (hex ? isxdigit((unsigned char)*q)
                                : isdigit((unsigned char)*q))) {
        int d = isdigit((unsigned char)*q) ? *q - '0'
                                           : (tolower((unsigned char)*q) - 'a' + 10);
        cp = cp * (hex ? 16 : 10) + (unsigned long)d;
        q++;
        digits++;
      }
      if (digits && *q == ';') {
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
          cp = 0xFFFD;
        nf_utf8_put(&b, (uint32_t)cp);
        p = q + 1;
        continue;
      }
    }
    nf_buf_putc(&b, *p++);
  }
  free(s);
  return nf_buf_detach(&b);
}

/* A cleaned, unescaped copy, or NULL when nothing is left. */
static char *meta_string(const char *s) {
  return unescape_entities(clean_text(s));
}

static int is_url(const char *s) {
  return s && (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0 ||
               strncmp(s, "//", 2) == 0 || strncmp(s, "www.", 4) == 0);
}

static int has_letter(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (isalpha(*p) || *p >= 0x80) return 1;
  return 0;
}

static void set_field(char **field, char *value) {
  if (*field || !value) {
    free(value);
    return;
  }
  *field = value;
}

static void list_push(nf_pathlist *l, const char *s) {
  if (!s || !*s) return;
  for (size_t i = 0; i < l->len; i++)
    if (strcasecmp(l->items[i], s) == 0) return;
  if (l->len == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 8;
    l->items = nf_xrealloc(l->items, l->cap * sizeof *l->items);
  }
  l->items[l->len++] = nf_xstrdup(s);
}

/* Text of an element, cleaned; NULL when empty. */
static char *element_text(const nf_node *n) {
  nf_buf b;
  nf_buf_init(&b);
  nf_node_text(n, &b);
  char *s = clean_text(b.ptr);
  nf_buf_free(&b);
  return s;
}

/* A normalized ISO date from s, or NULL. */
static char *date_from(const char *s) {
  char iso[NF_DATE_MAX];
  if (!s || !nf_date_parse_loose(s, iso)) return NULL;
  return nf_xstrdup(iso);
}

/* ===== Meta tags ======================================================== */

static void add_meta(page *pg, const char *key, size_t klen, const char *value,
                     int from_property) {
  if (pg->nmetas >= MAX_METAS || !klen || klen > 64) return;
  char *k = nf_xmalloc(klen + 1);
  size_t j = 0;
  for (size_t i = 0; i < klen; i++) {
    unsigned char c = (unsigned char)key[i];
    if (isspace(c)) continue;
    k[j++] = (!from_property && c == '.') ? ':' : (char)tolower(c);
  }
  k[j] = '\0';
  meta_pair *m = &pg->metas[pg->nmetas++];
  m->key = k;
  m->value = value;
  m->from_property = from_property;
}

static void read_meta(page *pg, const nf_node *n) {
  const char *content = nf_node_attr(n, "content");
  if (!content) content = nf_node_attr(n, "value");
  if (!content) return;
  const char *prop = nf_node_attr(n, "property");
  const char *name = nf_node_attr(n, "name");
  const char *itemprop = nf_node_attr(n, "itemprop");
  const char *equiv = nf_node_attr(n, "http-equiv");
  if (prop) {   /* a space-separated list of properties */
    const char *p = prop;
    while (*p) {
      while (*p && isspace((unsigned char)*p)) p++;
      const char *start = p;
      while (*p && !isspace((unsigned char)*p)) p++;
      if (p > start) add_meta(pg, start, (size_t)(p - start), content, 1);
    }
  }
  if (name) add_meta(pg, name, strlen(name), content, 0);
  if (itemprop && !prop && !name) {
    char key[80];
    snprintf(key, sizeof key, "itemprop:%s", itemprop);
    add_meta(pg, key, strlen(key), content, 1);
  }
  if (equiv && strcasecmp(equiv, "content-language") == 0)
    pg->content_language = content;
}

/* The value of key: declared with property= first, then name=, in document
 * order. NULL when absent or empty. */
static const char *meta(const page *pg, const char *key) {
  for (int pass = 1; pass >= 0; pass--)
    for (size_t i = 0; i < pg->nmetas; i++)
      if (pg->metas[i].from_property == pass &&
          strcmp(pg->metas[i].key, key) == 0) {
        const char *v = pg->metas[i].value;
        while (*v && isspace((unsigned char)*v)) v++;
        if (*v) return v;
      }
  return NULL;
}

/* The first of keys (NULL-terminated) that has a value. */
static const char *meta_first(const page *pg, const char *const keys[]) {
  for (int i = 0; keys[i]; i++) {
    const char *v = meta(pg, keys[i]);
    if (v) return v;
  }
  return NULL;
}

/* ===== JSON-LD =========================================================== */

static int type_is_article(const char *t) {
  static const char *const types[] = {
      "Article", "NewsArticle", "AdvertiserContentArticle",
      "AnalysisNewsArticle", "AskPublicNewsArticle", "BackgroundNewsArticle",
      "OpinionNewsArticle", "ReportageNewsArticle", "ReviewNewsArticle",
      "Report", "SatiricalArticle", "ScholarlyArticle",
      "MedicalScholarlyArticle", "SocialMediaPosting", "BlogPosting",
      "LiveBlogPosting", "DiscussionForumPosting", "TechArticle",
      "APIReference", "Review", NULL};
  if (!t) return 0;
  if (strncmp(t, "http://schema.org/", 18) == 0) t += 18;
  else if (strncmp(t, "https://schema.org/", 19) == 0) t += 19;
  else if (strncmp(t, "schema:", 7) == 0) t += 7;
  for (int i = 0; types[i]; i++)
    if (strcmp(t, types[i]) == 0) return 1;
  return 0;
}

static int ld_is_article(const nf_json *v) {
  if (!v || v->type != NF_JSON_OBJECT) return 0;
  const nf_json *t = nf_json_get(v, "@type");
  if (t && t->type == NF_JSON_STRING) return type_is_article(t->string);
  if (t && t->type == NF_JSON_ARRAY)
    for (size_t i = 0; i < t->len; i++)
      if (type_is_article(nf_json_string(t->items[i]))) return 1;
  return 0;
}

/* The first article object in a JSON-LD value: the value itself, an item
 * of a top-level array, of @graph, or a WebPage's mainEntity. Looks at
 * most two container levels deep. */
static const nf_json *ld_find_article(const nf_json *root) {
  const nf_json *stack[64];
  int depth[64];
  size_t n = 0;
  stack[n] = root;
  depth[n++] = 0;
  while (n) {
    n--;
    const nf_json *v = stack[n];
    int d = depth[n];
    if (ld_is_article(v)) return v;
    if (d >= 3) continue;
    const nf_json *kids = NULL;
    if (v->type == NF_JSON_ARRAY) kids = v;
    else if (v->type == NF_JSON_OBJECT) {
      kids = nf_json_get(v, "@graph");
      const nf_json *main = nf_json_get(v, "mainEntity");
      if (main && n < 64) { stack[n] = main; depth[n++] = d + 1; }
    }
    if (!kids) continue;
    if (kids->type != NF_JSON_ARRAY) {
      if (n < 64) { stack[n] = kids; depth[n++] = d + 1; }
      continue;
    }
    /* Push in reverse so that items are visited in order. */
    for (size_t i = kids->len; i-- > 0;)
      if (n < 64) { stack[n] = kids->items[i]; depth[n++] = d + 1; }
  }
  return NULL;
}

static void read_ld_script(page *pg, const nf_node *script) {
  if (pg->nld >= MAX_LD_BLOCKS) return;
  nf_buf b;
  nf_buf_init(&b);
  for (const nf_node *c = nf_node_first_child(script); c; c = nf_node_next(c)) {
    const char *t = nf_node_content(c);
    if (t) nf_buf_puts(&b, t);
  }
  char err[128];
  nf_json *v = nf_json_parse_lenient(b.ptr, b.len, err, sizeof err);
  nf_buf_free(&b);
  if (!v) return;
  pg->ld[pg->nld++] = v;
  if (!pg->article) pg->article = ld_find_article(v);
}

/* A string member, cleaned; NULL when absent or not a string. */
static char *ld_string(const nf_json *obj, const char *key) {
  return meta_string(nf_json_string(nf_json_get(obj, key)));
}

/* A name of a person/organization value: "Name", {name}, or NULL. */
static const char *ld_name(const nf_json *v) {
  if (!v) return NULL;
  if (v->type == NF_JSON_STRING) return v->string;
  if (v->type == NF_JSON_OBJECT) {
    const char *n = nf_json_string(nf_json_get(v, "name"));
    if (n) return n;
    const nf_json *nested = nf_json_get(v, "author");   /* rare nesting */
    if (nested && nested->type == NF_JSON_OBJECT)
      return nf_json_string(nf_json_get(nested, "name"));
  }
  return NULL;
}

static char *strip_by_in(char *s, int visible);
#define strip_by(s) strip_by_in((s), 0)

/* Author names of the article object into list; returns how many. */
static size_t ld_authors(const nf_json *art, nf_pathlist *list) {
  const nf_json *a = nf_json_get(art, "author");
  if (!a) a = nf_json_get(art, "creator");
  if (!a) return 0;
  size_t before = list->len;
  size_t count = a->type == NF_JSON_ARRAY ? a->len : 1;
  for (size_t i = 0; i < count && i < 32; i++) {
    const nf_json *item = a->type == NF_JSON_ARRAY ? a->items[i] : a;
    char *name = strip_by(meta_string(ld_name(item)));
    if (name && !is_url(name) && has_letter(name)) list_push(list, name);
    free(name);
  }
  return list->len - before;
}

/* The URL of an image value: "url", {url|contentUrl}, [first]. */
static const nf_json *ld_first(const nf_json *v) {
  if (v && v->type == NF_JSON_ARRAY) return v->len ? v->items[0] : NULL;
  return v;
}

static void ld_keywords(const nf_json *v, nf_pathlist *tags) {
  if (!v) return;
  size_t count = v->type == NF_JSON_ARRAY ? v->len : 1;
  for (size_t i = 0; i < count && tags->len < MAX_TAGS; i++) {
    const nf_json *item = v->type == NF_JSON_ARRAY ? v->items[i] : v;
    const char *s = ld_name(item);
    if (!s) continue;
    /* A keywords string is a comma-separated list. */
    const char *p = s;
    while (*p && tags->len < MAX_TAGS) {
      const char *comma = strchr(p, ',');
      size_t n = comma ? (size_t)(comma - p) : strlen(p);
      char *piece = nf_xstrndup(p, n);
      char *t = meta_string(piece);
      free(piece);
      if (t && strlen(t) <= 100) list_push(tags, t);
      free(t);
      p += n;
      if (*p == ',') p++;
    }
  }
}

/* ===== Walking the page ================================================== */

/* Words with a letter or digit in them (a lone "-" is no word). */
static int word_count(const char *s, size_t len) {
  int words = 0, in = 0, counted = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (isspace(c)) {
      in = 0;
      continue;
    }
    if (!in) counted = 0;
    in = 1;
    if (!counted && (isalnum(c) || c >= 0x80)) {
      words++;
      counted = 1;
    }
  }
  return words;
}

/* A <p>, or a <div> holding only text and inline elements (Readability
 * turns those into paragraphs too). */
static int is_text_block(const nf_node *n) {
  if (nf_node_is(n, "p")) return 1;
  if (!nf_node_is(n, "div")) return 0;
  static const char *const media[] = {"img", "picture", "iframe", "video",
                                      NULL};
  for (const nf_node *c = nf_node_first_child(n); c; c = nf_node_next(c)) {
    if (nf_node_kind_of(c) != NF_NODE_ELEMENT) continue;
    const char *tag = nf_node_name(c);
    if (nf_html_node_is_block(c)) return 0;
    for (int i = 0; media[i]; i++)
      if (!strcmp(tag, media[i])) return 0;
  }
  return 1;
}

static int class_has(const nf_node *n, const char *word) {
  const char *c = nf_node_attr(n, "class");
  return c && strcasestr(c, word) != NULL;
}

/* Does the element's class/id name a byline? (Readability's byline words
 * minus "dateline", which names dates.) */
static int names_byline(const nf_node *n) {
  static const char *const words[] = {"byline", "author", "writtenby",
                                      "p-author", NULL};
  const char *attrs[2] = {nf_node_attr(n, "class"), nf_node_attr(n, "id")};
  for (int a = 0; a < 2; a++) {
    if (!attrs[a]) continue;
    for (int i = 0; words[i]; i++) {
      const char *hit = strcasestr(attrs[a], words[i]);
      /* "authorization", "authorize": not a person. */
      if (hit && !(i == 1 && strncasecmp(hit + 6, "iz", 2) == 0)) return 1;
    }
  }
  return 0;
}

static int is_hidden(const nf_node *n) {
  if (nf_node_attr(n, "hidden")) return 1;
  const char *ah = nf_node_attr(n, "aria-hidden");
  if (ah && strcmp(ah, "true") == 0) return 1;
  const char *st = nf_node_attr(n, "style");
  if (!st) return 0;
  char compact[256];
  size_t k = 0;
  for (const char *p = st; *p && k + 1 < sizeof compact; p++)
    if (!isspace((unsigned char)*p)) compact[k++] = (char)tolower((unsigned char)*p);
  compact[k] = '\0';
  return strstr(compact, "display:none") || strstr(compact, "visibility:hidden");
}

/* ===== Bylines ============================================================ */

/* Does s start with word w (case-insensitive) followed by a non-letter? */
static int starts_word(const char *s, const char *w) {
  size_t n = strlen(w);
  return strncasecmp(s, w, n) == 0 && !isalpha((unsigned char)s[n]);
}

static size_t label_or_date_at(const char *t);

/* Does t open with a word that may begin a byline in another language
 * ("Por ", "Von ", "Di "...)? Only then is the element's text read. */
static int starts_byline_opener(const char *t) {
  static const char *const openers[] = {"por ", "von ", "par ", "di ", "da ",
                                        "de ", NULL};
  for (int i = 0; openers[i]; i++)
    if (strncasecmp(t, openers[i], strlen(openers[i])) == 0) return 1;
  return 0;
}

/* Removes a leading "By", "by:", "Posted by" or "Author:" in place
 * ("Written by" and "Edited by" say who did what: kept), or the opener of
 * a byline in another language ("Por", "Von", "Par" before names, up to a
 * label or date; in visible text (visible) also "Di", "Da", "De", which
 * begin declared surnames: "De Luca"). */
static char *strip_by_in(char *s, int visible) {
  static const char *const labels[] = {"authors:", "author:", NULL};
  if (!s) return NULL;
  if (starts_byline_opener(s)) {
    size_t names = label_or_date_at(s);
    while (names > 0 && strchr(" ,;|-/", s[names - 1])) names--;
    size_t op = nf_text_byline_opener(s, names);
    if (op && (visible || op > 3)) memmove(s, s + op, strlen(s + op) + 1);
  }
  if (strncasecmp(s, "posted by ", 10) == 0) memmove(s, s + 7, strlen(s + 7) + 1);
  /* "By" needs a space, a colon or nothing after it ("Byron" stays). */
  if (strncasecmp(s, "by", 2) == 0 &&
      (!s[2] || s[2] == ' ' || s[2] == ':' || s[2] == '\t')) {
    size_t n = 2;
    while (s[n] == ' ' || s[n] == ':' || s[n] == '\t') n++;
    memmove(s, s + n, strlen(s + n) + 1);
  }
  for (int i = 0; labels[i]; i++) {
    size_t n = strlen(labels[i]);
    if (strncasecmp(s, labels[i], n) != 0) continue;
    while (s[n] == ' ' || s[n] == '\t') n++;
    memmove(s, s + n, strlen(s + n) + 1);
    break;
  }
  if (!*s) {
    free(s);
    return NULL;
  }
  return s;
}

/* Where a label or a date begins after the name ("Jane Roe Published 10:02
 * AM", "Jane Doe March 9, 2017", "Lucas Nolan22 Dec 2016"): the offset to
 * cut at, else strlen(t). A label at offset 0: the whole text is one. */
static size_t label_or_date_at(const char *t) {
  static const char *const labels[] = {"published", "updated", "posted",
                                       "modified", "last updated",
                                       "first published", "last modified",
                                       NULL};
  char iso[NF_DATE_MAX];
  for (size_t i = 0; t[i]; i++) {
    unsigned char c = (unsigned char)t[i];
    unsigned char prev = i ? (unsigned char)t[i - 1] : ' ';
    /* A word start: after a space or punctuation, or glued to a name
     * ("GazettePublished", "ArnoldNovember", "Nolan22"). */
    int glued = islower(prev) && (isupper(c) || isdigit(c));
    if (!isalnum(c) || !(glued || (!isalnum(prev) && prev < 0x80))) continue;
    if (glued && isdigit(c)) return i;   /* no name ends glued to a number */
    for (int k = 0; labels[k]; k++)   /* ("Updated by Jane": no label) */
      if (starts_word(t + i, labels[k]) &&
          strncasecmp(t + i + strlen(labels[k]), " by ", 4) != 0)
        return i;
    if (nf_date_scan(t + i, strlen(t + i), iso)) return i;
  }
  return strlen(t);
}

/* Lower-case words that belong in names ("van", "de la") or join them. */
static int is_name_particle(const char *w, size_t n) {
  static const char *const words[] = {"and", "al", "bin", "da", "de", "del",
                                      "della", "der", "di", "du", "el", "la",
                                      "le", "van", "von", "y", "ten", "ter",
                                      "with", NULL};
  for (int i = 0; words[i]; i++)
    if (strlen(words[i]) == n && strncmp(w, words[i], n) == 0) return 1;
  return 0;
}

/* Prose, not names: an author bio ("Jane Roe is a reporter who covers...").
 * At least three words, and more than half of all, start in lower case and
 * are no name particles. */
static int is_prose(const char *t) {
  int words = 0, lower = 0;
  for (const char *p = t; *p;) {
    while (*p == ' ') p++;
    if (!*p) break;
    const char *w = p;
    while (*p && *p != ' ') p++;
    words++;
    if (islower((unsigned char)*w) && !is_name_particle(w, (size_t)(p - w)))
      lower++;
  }
  return lower >= 3 && 2 * lower > words;
}

/* Does s hold a word naming a job, a desk or an organisation? */
static int is_affiliation(const char *s) {
  static const char *const words[] = {
      "agency", "associated", "bureau", "chief", "columnist", "contributing",
      "contributor", "correspondent", "department", "desk", "editor",
      "editorial", "editors", "government", "journalist", "ministries",
      "ministry", "news", "newsroom", "office", "photographer", "press",
      "producer", "reporter", "senior", "service", "staff", "team", "wire",
      "writer", NULL};
  for (const char *p = s; *p;) {
    while (*p && !isalpha((unsigned char)*p)) p++;
    const char *w = p;
    while (isalpha((unsigned char)*p)) p++;
    size_t n = (size_t)(p - w);
    for (int i = 0; words[i] && n; i++)
      if (strlen(words[i]) == n && strncasecmp(w, words[i], n) == 0) return 1;
  }
  return 0;
}

/* Does attribute value v hold w as a word: at its start, after a non-letter
 * ("byline__timestamp", "author-title") or as a camel-case part
 * ("jobTitle")? Not inside a word ("nytimes-author" names no time). */
static int attr_has_word(const char *v, const char *w) {
  size_t n = strlen(w);
  for (const char *p = v; (p = strcasestr(p, w)) != NULL; p++) {
    unsigned char prev = p > v ? (unsigned char)p[-1] : ' ';
    if (!isalpha(prev) || (islower(prev) && isupper((unsigned char)*p)))
      return 1;
    if (!p[n]) break;
  }
  return 0;
}

/* Does a class, id or itemprop of n name something printed beside a name:
 * a job title, a date, a label, a bio, sharing links, counts? */
static int names_beside(const nf_node *n, int strict) {
  static const char *const words[] = {"title", "role", "job", "position",
                                      "bio", "label", "desk", "date", "time",
                                      "publish", "updated", "modified",
                                      "social", "follow", "share", "count",
                                      "email", NULL};
  const char *attrs[3] = {nf_node_attr(n, "class"), nf_node_attr(n, "id"),
                          nf_node_attr(n, "itemprop")};
  /* strict: the element itself is the candidate; only the words that never
   * wrap a name count (a "byline-date" wrapper may hold the name too). */
  int last = strict ? 6 : (int)(sizeof words / sizeof *words) - 1;
  for (int a = 0; a < 3; a++)
    for (int i = 0; attrs[a] && i < last; i++)
      if (attr_has_word(attrs[a], words[i])) return 1;
  return 0;
}

/* The parts of a byline candidate, as they are gathered. */
typedef struct byline_parts {
  nf_buf names;    /* parts and comma pieces that may be people */
  nf_buf others;   /* desks and organisations: used when no name is found */
} byline_parts;

/* Adds one part (a block's text, or a line) of a byline candidate: without
 * a leading "By" and what follows a label or a date; nothing when no name
 * is left (a label such as "Last Updated:", a bio, a date). */
static void add_part(byline_parts *bp, const char *text) {
  char *t = strip_by_in(clean_text(text), 1);
  if (!t) return;
  size_t cut = label_or_date_at(t);
  /* Separators, and the "on"/"at" that led to the date ("Sam Poe on"). */
  for (;;) {
    while (cut > 0 && strchr(" ,;|-/", t[cut - 1])) cut--;
    if (cut > 3 && t[cut - 3] == ' ' && (strncasecmp(t + cut - 2, "on", 2) == 0 ||
                                         strncasecmp(t + cut - 2, "at", 2) == 0))
      cut -= 3;
    else
      break;
  }
  t[cut] = '\0';
  if (!has_letter(t) || t[strlen(t) - 1] == ':' ||
      strlen(t) >= BYLINE_MAX_CHARS || is_prose(t)) {
    free(t);
    return;
  }
  /* Parts are joined with a space (as they show on screen), the pieces of
   * a part that are kept with ", ". */
  const char *sep = " ";
  for (const char *p = t; *p;) {
    size_t n = strcspn(p, ",;");
    char *raw = nf_xstrndup(p, n);
    char *piece = clean_text(raw);
    free(raw);
    if (piece) {
      nf_buf *to = is_affiliation(piece) ? &bp->others : &bp->names;
      if (to->len) nf_buf_puts(to, sep);
      nf_buf_puts(to, piece);
      free(piece);
      sep = ", ";
    }
    p += n;
    if (*p) p++;
  }
  free(t);
}

/* A byline candidate's text: its parts (blocks, lines) that name people,
 * joined with a space; job titles, dates, labels, bios and desks left out.
 * NULL when none is left or the text is too long for a byline. */
static char *byline_text(const nf_node *n) {
  const nf_node *root = n;
  nf_nodelist names = {0};
  /* itemprop=author with a nested itemprop=name: the name. */
  const char *ip = nf_node_attr(n, "itemprop");
  if (ip && strstr(ip, "author")) {
    nf_select_css((nf_node *)n, "[itemprop~=name]", &names, NULL, 0);
    if (names.len) root = names.items[0];
  } else if (names_beside(n, 1)) {
    return NULL;
  }
  byline_parts bp;
  nf_buf_init(&bp.names);
  nf_buf_init(&bp.others);
  nf_buf cur;
  nf_buf_init(&cur);
  nf_iter it;
  nf_iter_init(&it, (nf_node *)root);
  nf_event ev;
  int glue = 0;
  size_t raw = 0;
  while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
    nf_node *c = nf_iter_node(&it);
    nf_node_kind k = nf_node_kind_of(c);
    if (k == NF_NODE_TEXT) {
      const char *t = nf_node_content(c);
      if (!t || !*t) continue;
      raw += strlen(t);
      if (raw > BYLINE_MAX_RAW) {
        nf_buf_clear(&bp.names);
        nf_buf_clear(&bp.others);
        nf_buf_clear(&cur);
        break;
      }
      /* Inline elements glued together: "<a>Jane Roe</a><a>John Poe</a>". */
      if (glue && cur.len && isalnum((unsigned char)cur.ptr[cur.len - 1]) &&
          (isupper((unsigned char)t[0]) || isdigit((unsigned char)t[0])))
        nf_buf_putc(&cur, ' ');
      glue = 0;
      nf_buf_puts(&cur, t);
      continue;
    }
    if (k != NF_NODE_ELEMENT || c == root) continue;
    int beside = ev == NF_EV_ENTER &&
                 (is_hidden(c) || nf_html_is_hidden(nf_node_name(c)) ||
                  nf_node_is(c, "time") || names_beside(c, 0));
    if (beside) nf_iter_skip_children(&it);
    if (beside || nf_html_node_is_block(c) || nf_node_is(c, "br")) {
      add_part(&bp, cur.ptr);
      nf_buf_clear(&cur);
    } else {
      glue = 1;
    }
  }
  add_part(&bp, cur.ptr);
  nf_buf_free(&cur);
  nf_nodelist_free(&names);
  nf_buf *keep = bp.names.len ? &bp.names : &bp.others;
  char *t = keep->len && keep->len < BYLINE_MAX_CHARS ? nf_buf_detach(keep) : NULL;
  nf_buf_free(&bp.names);
  nf_buf_free(&bp.others);
  return t;
}

/* "By Jane Doe" / "By JANE DOE and John Roe": a short line of names. */
static int looks_like_by_line(const char *t) {
  if (!t || strncmp(t, "By ", 3) != 0) return 0;
  size_t len = strlen(t);
  if (len > 80 || len < 5) return 0;
  const unsigned char first = (unsigned char)t[3];
  if (!(isupper(first) || first >= 0x80)) return 0;
  int words = 0;
  for (const char *p = t + 3; *p;) {
    while (*p == ' ') p++;
    if (!*p) break;
    const char *w = p;
    while (*p && *p != ' ') p++;
    words++;
    unsigned char c = (unsigned char)*w;
    if (islower(c)) {
      size_t wl = (size_t)(p - w);
      if (!((wl == 3 && strncmp(w, "and", 3) == 0) ||
            (wl == 2 && (strncmp(w, "de", 2) == 0 || strncmp(w, "la", 2) == 0)) ||
            (wl == 3 && (strncmp(w, "van", 3) == 0 || strncmp(w, "von", 3) == 0))))
        return 0;
    }
  }
  return words <= 10 && t[len - 1] != '.' && t[len - 1] != '?';
}

static int inside_comments(const nf_node *n) {
  for (const nf_node *a = n; a && nf_node_kind_of(a) == NF_NODE_ELEMENT;
       a = nf_node_parent(a)) {
    const char *c = nf_node_attr(a, "class"), *id = nf_node_attr(a, "id");
    if ((c && strcasestr(c, "comment")) || (id && strcasestr(id, "comment")))
      return 1;
    if (nf_node_is(a, "nav")) return 1;
  }
  return 0;
}

static void visit_element(page *pg, nf_iter *it, nf_node *n, int in_body) {
  const char *tag = nf_node_name(n);
  if (strcmp(tag, "meta") == 0) {
    read_meta(pg, n);
    return;
  }
  if (strcmp(tag, "script") == 0) {
    const char *type = nf_node_attr(n, "type");
    if (type && strcasecmp(type, "application/ld+json") == 0)
      read_ld_script(pg, n);
    nf_iter_skip_children(it);
    return;
  }
  if (strcmp(tag, "title") == 0 && !pg->title_el && !in_body) {
    pg->title_el = element_text(n);
    nf_iter_skip_children(it);
    return;
  }
  if (strcmp(tag, "link") == 0) {
    const char *rel = nf_node_attr(n, "rel"), *href = nf_node_attr(n, "href");
    if (rel && href && *href) {
      if (strcasecmp(rel, "canonical") == 0 && !pg->canonical) pg->canonical = href;
      if (strcasecmp(rel, "image_src") == 0 && !pg->image_src) pg->image_src = href;
    }
    return;
  }
  /* Never-rendered elements hold no metadata text (head is read). */
  if (nf_html_is_hidden(tag) && strcmp(tag, "head") != 0) {
    nf_iter_skip_children(it);
    return;
  }
  if (strcmp(tag, "html") == 0) {
    pg->lang = nf_node_attr(n, "lang");
    if (!pg->lang) pg->lang = nf_node_attr(n, "xml:lang");
    pg->dir = nf_node_attr(n, "dir");
    return;
  }
  if (strcmp(tag, "body") == 0) {
    if (!pg->lang) pg->lang = nf_node_attr(n, "lang");
    pg->body_dir = nf_node_attr(n, "dir");
    return;
  }
  if (!in_body) return;
  if (is_hidden(n)) {
    nf_iter_skip_children(it);
    return;
  }
  if (strcmp(tag, "h1") == 0 || strcmp(tag, "h2") == 0) {
    nf_nodelist_push(&pg->headings, n);
    if (tag[1] == '1') {
      pg->nh1++;
      free(pg->h1);
      pg->h1 = pg->nh1 == 1 ? element_text(n) : NULL;
    }
  }
  if ((strcmp(tag, "article") == 0 || strcmp(tag, "main") == 0) &&
      !pg->content_dir && nf_node_attr(n, "dir"))
    pg->content_dir = nf_node_attr(n, "dir");

  /* Microdata. */
  const char *ip = nf_node_attr(n, "itemprop");
  if (ip) {
    if (!pg->md_headline && strstr(ip, "headline")) pg->md_headline = element_text(n);
    const char *when = nf_node_attr(n, "datetime");
    if (!when) when = nf_node_attr(n, "content");
    if (!pg->md_published && strstr(ip, "datePublished")) {
      pg->md_published = date_from(when);
      if (!pg->md_published) {
        char *t = element_text(n);
        pg->md_published = date_from(t);
        free(t);
      }
    }
    if (!pg->md_modified && strstr(ip, "dateModified")) pg->md_modified = date_from(when);
    if (!pg->md_author && strstr(ip, "author") && !inside_comments(n)) {
      char *t = byline_text(n);
      if (!t) {
        const char *c = nf_node_attr(n, "content");
        t = c ? clean_text(c) : NULL;
      }
      pg->md_author = strip_by(t);
    }
  }
  /* <time> elements. */
  if (strcmp(tag, "time") == 0) {
    const char *dt = nf_node_attr(n, "datetime");
    int pub = nf_node_attr(n, "pubdate") != NULL || class_has(n, "publish") ||
              class_has(n, "posted") || (ip && strstr(ip, "datePublished"));
    int upd = class_has(n, "updated") || class_has(n, "modified") ||
              (ip && strstr(ip, "dateModified"));
    if (pub && !upd && !pg->time_published) pg->time_published = date_from(dt);
    if (upd && !pg->time_modified) pg->time_modified = date_from(dt);
  }
  /* Bylines in the page. */
  const char *rel = nf_node_attr(n, "rel");
  if (!pg->rel_author && rel && strcmp(rel, "author") == 0 &&
      !inside_comments(n))
    pg->rel_author = strip_by(byline_text(n));
  /* (One class/id test per element for both byline slots.) */
  int want_article = !pg->article_byline && pg->article_depth;
  int byline_class = (!pg->page_byline || want_article) && names_byline(n);
  if (!pg->page_byline && byline_class && !inside_comments(n))
    pg->page_byline = strip_by(byline_text(n));
  if (!pg->by_line && (strcmp(tag, "p") == 0 || strcmp(tag, "div") == 0 ||
                       strcmp(tag, "span") == 0)) {
    /* Cheap check first: the element's first text starts with "By " (or
     * "Por ", "Von "...: nf_text_byline_opener). */
    const nf_node *c = nf_node_first_child(n);
    const char *ct = c ? nf_node_content(c) : NULL;
    while (ct && isspace((unsigned char)*ct)) ct++;
    if (ct && (strncmp(ct, "By ", 3) == 0 || starts_byline_opener(ct))) {
      char *t = element_text(n);
      if (looks_like_by_line(t) || (t && nf_text_byline_opener(t, strlen(t))))
        pg->by_line = strip_by_in(t, 1);
      else
        free(t);
      if (pg->by_line && pg->article_depth && !pg->article_byline)
        pg->article_byline = nf_xstrdup(pg->by_line);
    }
  }
  /* The first visible byline inside <article>/<main>: it beats a meta
   * author that names someone else. */
  if (want_article && !pg->article_byline &&
      ((rel && strcmp(rel, "author") == 0) || (ip && strstr(ip, "author")) ||
       byline_class) &&
      !inside_comments(n))
    pg->article_byline = byline_text(n);
  if (strcmp(tag, "article") == 0 || strcmp(tag, "main") == 0)
    pg->article_depth++;
  char **para_slot = pg->article_depth ? &pg->first_para_article : &pg->first_para;
  if (!*para_slot && is_text_block(n) && !inside_comments(n)) {
    char *t = element_text(n);
    if (t && strlen(t) >= 25 && word_count(t, strlen(t)) >= 4) *para_slot = t;
    else free(t);
  }
}

static void collect(page *pg) {
  nf_iter it;
  nf_node *root = nf_doc_root(pg->doc);
  if (!root) return;
  nf_iter_init(&it, root);
  int in_body = 0;
  nf_event ev;
  while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
    nf_node *n = nf_iter_node(&it);
    if (nf_node_kind_of(n) != NF_NODE_ELEMENT) continue;
    if (ev == NF_EV_EXIT) {
      if (nf_node_is(n, "body")) in_body = 0;
      if ((nf_node_is(n, "article") || nf_node_is(n, "main")) && pg->article_depth)
        pg->article_depth--;
      continue;
    }
    if (nf_node_is(n, "body")) in_body = 1;
    visit_element(pg, &it, n, in_body);
  }
}

/* ===== Titles ============================================================ */

/* Title separators, each with its surrounding spaces. */
static const char *const separators[] = {" | ", " - ", " \xe2\x80\x93 ",
                                         " \xe2\x80\x94 ", " :: ", " \xc2\xb7 ",
                                         " / ", " \xc2\xbb ", " \xe2\x80\xa2 ",
                                         NULL};

/* Last (or first) separator in s: its offset and length. */
static int find_separator(const char *s, int last, size_t *at, size_t *len) {
  int found = 0;
  for (int i = 0; separators[i]; i++) {
    size_t n = strlen(separators[i]);
    const char *p = s, *hit = NULL;
    while ((p = strstr(p, separators[i])) != NULL) {
      hit = p;
      if (!last) break;
      p += n;
    }
    if (!hit) continue;
    size_t off = (size_t)(hit - s);
    if (!found || (last ? off > *at : off < *at)) {
      *at = off;
      *len = n;
      found = 1;
    }
  }
  return found;
}

/* Is s[0..len) wrapped in one pair of brackets ("[Site]", "(Site)", "【Site】")
 * with a letter inside? Returns the length inside (*open: the opening
 * bracket's), else 0. */
static size_t bracketed(const char *s, size_t len, size_t *open) {
  static const char *const pairs[][2] = {{"(", ")"}, {"[", "]"}, {"{", "}"},
                                         {"\xe3\x80\x90", "\xe3\x80\x91"},
                                         {"\xef\xbc\x88", "\xef\xbc\x89"}};
  for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
    size_t o = strlen(pairs[i][0]), c = strlen(pairs[i][1]);
    if (len <= o + c || memcmp(s, pairs[i][0], o) != 0 ||
        memcmp(s + len - c, pairs[i][1], c) != 0)
      continue;
    /* One pair: no other closing bracket inside ("(a) and (b)"). */
    const char *in = s + o;
    size_t n = len - o - c;
    if (memmem(in, n, pairs[i][1], c)) return 0;
    for (size_t k = 0; k < n; k++)
      if (isalpha((unsigned char)in[k]) || (unsigned char)in[k] >= 0x80) {
        *open = o;
        return n;
      }
    return 0;
  }
  return 0;
}

/* Does the site part match the site name (case-insensitive, ignoring a
 * leading "The " and a ".com"-style ending)? */
static int same_site(const char *part, size_t plen, const char *site) {
  if (!site) return 0;
  size_t open, inner = bracketed(part, plen, &open);
  if (inner) {   /* "[Site]", "(Site)" */
    part += open;
    plen = inner;
  }
  size_t slen = strlen(site);
  if (plen == slen && strncasecmp(part, site, plen) == 0) return 1;
  if (slen > 4 && strncasecmp(site, "the ", 4) == 0 && plen == slen - 4 &&
      strncasecmp(part, site + 4, plen) == 0)
    return 1;
  if (plen > 4 && strncasecmp(part, "the ", 4) == 0 && plen - 4 == slen &&
      strncasecmp(part + 4, site, slen) == 0)
    return 1;
  const char *dot = memchr(part, '.', plen);
  if (dot && (size_t)(dot - part) == slen && strncasecmp(part, site, slen) == 0)
    return 1;
  return 0;
}

/* The page's host without "www." and the TLD ("nytimes" of
 * https://www.nytimes.com/...), into out. */
static void host_label(const char *url, char *out, size_t outlen) {
  out[0] = '\0';
  if (!url) return;
  const char *p = strstr(url, "://");
  p = p ? p + 3 : url;
  if (strncmp(p, "www.", 4) == 0) p += 4;
  size_t n = strcspn(p, "./:?#");
  if (n == 0 || n >= outlen) return;
  memcpy(out, p, n);
  out[n] = '\0';
}

/* Cuts a site name off the title, in place. from_title_element: the title
 * came from <title> (where site suffixes are the norm). */
static char *clean_title(char *title, const char *site, const char *url,
                         int from_title_element, const page *pg) {
  if (!title) return NULL;
  char host[64];
  host_label(url, host, sizeof host);
  const char *names[2] = {site, host[0] ? host : NULL};
  size_t at, len;
  size_t tlen = strlen(title);
  for (int i = 0; i < 2; i++) {
    if (!names[i]) continue;
    if (find_separator(title, 1, &at, &len) &&
        same_site(title + at + len, tlen - at - len, names[i]) &&
        word_count(title, at) >= 1) {
      title[at] = '\0';
      return title;
    }
    if (find_separator(title, 0, &at, &len) && same_site(title, at, names[i]) &&
        word_count(title + at + len, tlen - at - len) >= 1) {
      memmove(title, title + at + len, tlen - at - len + 1);
      return title;
    }
  }
  /* "Headline | [Site Name]": a bracketed last part is a site suffix,
   * whatever the source of the title. */
  size_t open;
  if (find_separator(title, 1, &at, &len) && strncmp(title + at, " | ", 3) == 0 &&
      bracketed(title + at + len, tlen - at - len, &open) &&
      word_count(title, at) >= 1) {
    title[at] = '\0';
    return title;
  }
  if (!from_title_element) return title;
  /* A heading that repeats the whole title: the separator is part of it. */
  for (size_t i = 0; i < pg->headings.len; i++) {
    char *h = element_text(pg->headings.items[i]);
    int same = h && strcmp(h, title) == 0;
    free(h);
    if (same) return title;
  }
  /* A heading equal to the part before the last separator: cut there. */
  if (find_separator(title, 1, &at, &len)) {
    for (size_t i = 0; i < pg->headings.len; i++) {
      char *h = element_text(pg->headings.items[i]);
      int same = h && strlen(h) == at && strncmp(h, title, at) == 0;
      free(h);
      if (same) {
        title[at] = '\0';
        return title;
      }
    }
    /* Clear pattern: the rest is 3+ words, the last part 1-4 words. */
    int head_words = word_count(title, at);
    int tail_words = word_count(title + at + len, tlen - at - len);
    if (head_words >= 3 && tail_words >= 1 && tail_words <= 4) title[at] = '\0';
  }
  return title;
}

/* ===== Plain-text dumps ================================================== */

static void extract_text_doc(nf_doc *doc, nf_article *a) {
  nf_node *body = nf_doc_body(doc);
  if (!body) return;
  nf_nodelist l = {0};
  struct { const char *css; char **field; } simple[] = {
      {"h1", &a->title}, {".standfirst", &a->description},
      {".byline", &a->byline}};
  for (size_t i = 0; i < sizeof simple / sizeof *simple; i++) {
    nf_select_css(body, simple[i].css, &l, NULL, 0);
    if (l.len) {
      char *t = element_text(l.items[0]);
      if (simple[i].field == &a->byline) t = strip_by(t);
      set_field(simple[i].field, t);
    }
    l.len = 0;
  }
  nf_select_css(body, "time.published", &l, NULL, 0);
  if (l.len) set_field(&a->published, date_from(nf_node_attr(l.items[0], "datetime")));
  l.len = 0;
  nf_select_css(body, "time.updated", &l, NULL, 0);
  if (l.len) set_field(&a->modified, date_from(nf_node_attr(l.items[0], "datetime")));
  l.len = 0;
  nf_select_css(body, "figure", &l, NULL, 0);
  if (l.len) {
    nf_node *fig = l.items[0];
    nf_nodelist sub = {0};
    nf_select_css(fig, "img", &sub, NULL, 0);
    if (sub.len) {
      set_field(&a->image.url, meta_string(nf_node_attr(sub.items[0], "src")));
      set_field(&a->image.alt, meta_string(nf_node_attr(sub.items[0], "alt")));
    }
    sub.len = 0;
    nf_select_css(fig, "figcaption", &sub, NULL, 0);
    if (sub.len) {
      /* The caption without the "(credit)" part. */
      nf_buf cap;
      nf_buf_init(&cap);
      for (nf_node *c = nf_node_first_child(sub.items[0]); c; c = nf_node_next(c)) {
        if (nf_node_is(c, "span") && class_has(c, "credit")) {
          set_field(&a->image.credit, element_text(c));
          if (nf_buf_last(&cap) == '(') nf_buf_truncate(&cap, cap.len - 1);
          break;
        }
        nf_node_text(c, &cap);
      }
      set_field(&a->image.caption, clean_text(cap.ptr));
      nf_buf_free(&cap);
    }
    nf_nodelist_free(&sub);
  }
  nf_nodelist_free(&l);
  if (!a->url && nf_doc_url(doc)) a->url = nf_xstrdup(nf_doc_url(doc));
}

/* ===== Assembly ========================================================== */

/* A credential after a name: one word of 2-5 capitals, dots allowed ("MS",
 * "RDN", "M.D."), or a degree written in mixed case ("PhD"). */
static int is_credential(const char *p) {
  static const char *const mixed[] = {"PhD", "Ph.D.", "Ph.D", "MSc", "BSc",
                                      "MEd", "DrPH", "PharmD", "PsyD", NULL};
  if (strchr(p, ' ')) return 0;
  for (int i = 0; mixed[i]; i++)
    if (strcmp(p, mixed[i]) == 0) return 1;
  int caps = 0;
  for (const char *q = p; *q; q++) {
    if (isupper((unsigned char)*q)) caps++;
    else if (*q != '.') return 0;
  }
  return caps >= 2 && caps <= 5;
}

/* Initials or a suffix that finish the name before a comma ("Roe, J.",
 * "Roe, J. K.", "Roe, Jr."). */
static int is_name_tail(const char *p) {
  static const char *const suffixes[] = {"Jr", "Jr.", "Sr", "Sr.", "II",
                                         "III", "IV", NULL};
  for (int i = 0; suffixes[i]; i++)
    if (strcmp(p, suffixes[i]) == 0) return 1;
  int n = 0;
  while (*p) {
    if (!isupper((unsigned char)p[0]) || p[1] != '.') return 0;
    p += 2;
    n++;
    while (*p == ' ') p++;
  }
  return n > 0;
}

/* Is p a person? Not a credential, a job, desk or organisation (their
 * words, the site's name), nor a phrase in lower case ("the interior
 * ministry"; name particles such as "van" may start a name). */
static int is_person(const char *p, const char *site) {
  if (!has_letter(p) || is_affiliation(p) || is_credential(p)) return 0;
  if (site && same_site(p, strlen(p), site)) return 0;
  if (islower((unsigned char)p[0]) && !is_name_particle(p, strcspn(p, " ")))
    return 0;
  return 1;
}

/* Shaped like a person's name: 2-3 words, each a capital then lower-case
 * letters ("Haki Benita", "Jean-Luc Roe") or an initial ("J."), and no
 * word of an organisation or a publication. For a site named after its
 * author (a personal blog). */
static int name_shaped(const char *s) {
  static const char *const press[] = {"blog", "daily", "gazette", "herald",
                                      "journal", "magazine", "media", "post",
                                      "review", "times", "today", "tribune",
                                      "weekly", NULL};
  if (is_affiliation(s)) return 0;
  int words = 0;
  for (const char *p = s; *p;) {
    const char *w = p;
    if (!isupper((unsigned char)*p++)) return 0;
    if (*p == '.') p++;
    else
      while (islower((unsigned char)*p) ||
             (*p == '-' && isupper((unsigned char)p[1]) && p++))
        p++;
    for (int i = 0; press[i]; i++)
      if (strlen(press[i]) == (size_t)(p - w) &&
          strncasecmp(w, press[i], (size_t)(p - w)) == 0)
        return 0;
    words++;
    if (*p && *p++ != ' ') return 0;
  }
  return words >= 2 && words <= 3;
}

/* One piece between separators: a person (pushed when the next begins), a
 * tail of the current one, or dropped. */
static void take_piece(nf_buf *person, const char *raw, const char *site,
                       nf_pathlist *out) {
  char *p = clean_text(raw);
  if (!p) return;
  /* "Written by X", "Analysis by X": the person is X. */
  size_t w = 0;
  while (isalpha((unsigned char)p[w]) || p[w] == '-') w++;
  if (w && strncasecmp(p + w, " by ", 4) == 0 && p[w + 4])
    memmove(p, p + w + 4, strlen(p + w + 4) + 1);
  if (person->len && is_name_tail(p)) {
    nf_buf_puts(person, ", ");
    nf_buf_puts(person, p);
  } else if (is_person(p, site)) {
    if (person->len) list_push(out, person->ptr);
    nf_buf_clear(person);
    nf_buf_puts(person, p);
  }
  free(p);
}

/* The people of a byline: split on ; & "and" (and , when commas), people
 * only. */
static void split_authors(const char *byline, const char *site, int commas,
                          nf_pathlist *out) {
  if (!byline) return;
  /* A parenthesis means a phrase ("X (with Y)"): keep it whole. */
  if (strchr(byline, '(')) {
    list_push(out, byline);
    return;
  }
  size_t before = out->len;
  nf_buf b, person;
  nf_buf_init(&b);
  nf_buf_init(&person);
  const char *p = byline;
  while (*p) {
    size_t skip = 0, w = 1;
    if (*p == ';' || *p == '&' || (commas && *p == ',')) skip = 1;
    else if (strncmp(p, " and ", 5) == 0 || strncmp(p, " And ", 5) == 0) skip = 5;
    else if (*p == ' ' && isupper((unsigned char)p[1])) {
      /* "Rob Roe Edited by Ann Poe": a role word and "by" start a name. */
      while (isalpha((unsigned char)p[w])) w++;
      if (strncmp(p + w, " by ", 4) == 0) skip = w + 4;
    }
    if (skip) {
      take_piece(&person, b.ptr, site, out);
      nf_buf_clear(&b);
      p += skip;
      continue;
    }
    nf_buf_putc(&b, *p++);
  }
  take_piece(&person, b.ptr, site, out);
  if (person.len) list_push(out, person.ptr);
  /* A site named after its one author (a personal blog): a person. */
  if (out->len == before && site && same_site(byline, strlen(byline), site) &&
      name_shaped(byline))
    list_push(out, byline);
  nf_buf_free(&b);
  nf_buf_free(&person);
}

/* An account handle rather than a name: "@janeroe", or one word in lower
 * case ("janeroe", "jane_roe"). */
static int is_handle(const char *s) {
  if (*s == '@') s++;
  size_t n = 0;
  int letters = 0;
  for (; s[n]; n++) {
    unsigned char c = (unsigned char)s[n];
    if (islower(c)) letters++;
    else if (!isdigit(c) && c != '_' && c != '.' && c != '-') return 0;
  }
  return n >= 3 && letters;
}

/* Does link a point to the profile of handle h: its last path segment is
 * the handle ("/people/janeroe/", "/@janeroe"), or it shows the handle? */
static int profile_link(const nf_node *a, const char *h, size_t hl) {
  const char *href = nf_node_attr(a, "href");
  size_t end = strcspn(href, "?#");
  while (end && href[end - 1] == '/') end--;
  size_t start = end;
  while (start && href[start - 1] != '/') start--;
  if (href[start] == '@') start++;
  if (end - start == hl && strncasecmp(href + start, h, hl) == 0) return 1;
  char *t = element_text(a);
  const char *u = t && t[0] == '@' ? t + 1 : t;
  int same = u && strcasecmp(u, h) == 0;
  free(t);
  return same;
}

/* The display name of a handle's profile: the text of another link to the
 * same profile that is no handle, or NULL. */
static char *display_name(page *pg, const char *handle) {
  const char *h = handle[0] == '@' ? handle + 1 : handle;
  size_t hl = strlen(h);
  nf_nodelist links = {0};
  nf_node *body = nf_doc_body(pg->doc);
  if (body) nf_select_css(body, "a[href]", &links, NULL, 0);
  if (links.len > 5000) links.len = 5000;
  const char *profiles[8];
  size_t np = 0;
  for (size_t i = 0; i < links.len && np < 8; i++)
    if (profile_link(links.items[i], h, hl))
      profiles[np++] = nf_node_attr(links.items[i], "href");
  char *found = NULL;
  for (size_t i = 0; i < links.len && np && !found; i++) {
    const char *href = nf_node_attr(links.items[i], "href");
    int same = 0;
    for (size_t k = 0; k < np && !same; k++) same = strcmp(href, profiles[k]) == 0;
    if (!same) continue;
    char *t = byline_text(links.items[i]);
    if (t && !is_handle(t)) found = t;
    else free(t);
  }
  nf_nodelist_free(&links);
  return found;
}

/* "Jane Roe, Springfield Gazette": the site's own name is no byline of a
 * person; dropped when something else is left. Takes and returns s. */
static char *drop_site_piece(char *s, const char *site) {
  if (!s || !site) return s;
  nf_buf b;
  nf_buf_init(&b);
  int dropped = 0;
  for (const char *p = s; *p;) {
    size_t n = strcspn(p, ",");
    const char *q = p;
    size_t qn = n;
    while (qn && *q == ' ') q++, qn--;
    while (qn && q[qn - 1] == ' ') qn--;
    if (qn && same_site(q, qn, site)) {
      dropped = 1;
    } else if (qn) {
      if (b.len) nf_buf_puts(&b, ", ");
      nf_buf_put(&b, q, qn);
    }
    p += n;
    if (*p) p++;
  }
  if (!dropped || !b.len || !has_letter(b.ptr)) {
    nf_buf_free(&b);
    return s;
  }
  free(s);
  return nf_buf_detach(&b);
}

/* A date in UTC while the page writes its dates with an offset: the same
 * instant in that offset, so the calendar day is the page's. The page's
 * offset is that of the first of its dates that has one (JSON-LD, meta
 * dates, microdata, <time>). */
static void in_page_offset(const page *pg, char **field) {
  if (!*field) return;
  const char *others[16];
  size_t n = 0;
  static const char *const ld_keys[] = {"datePublished", "dateCreated",
                                        "dateModified", NULL};
  for (int i = 0; pg->article && ld_keys[i]; i++)
    others[n++] = nf_json_string(nf_json_get(pg->article, ld_keys[i]));
  others[n++] = pg->md_published;
  others[n++] = pg->md_modified;
  others[n++] = pg->time_published;
  others[n++] = pg->time_modified;
  char out[NF_DATE_MAX];
  int r = -1;
  for (size_t i = 0; i < n && r < 0; i++) r = nf_date_in_zone_of(*field, others[i], out);
  /* Meta dates: any key naming a time or a date. */
  for (size_t i = 0; i < pg->nmetas && r < 0; i++) {
    const char *k = pg->metas[i].key;
    if (strstr(k, "time") || strstr(k, "date"))
      r = nf_date_in_zone_of(*field, pg->metas[i].value, out);
  }
  if (r == 1) {
    free(*field);
    *field = nf_xstrdup(out);
  }
}

static void fill_image(page *pg, nf_article *a) {
  const nf_json *img = pg->article ? ld_first(nf_json_get(pg->article, "image")) : NULL;
  if (img) {
    const char *u = nf_json_string(img);
    if (!u && img->type == NF_JSON_OBJECT) {
      u = nf_json_string(nf_json_get(img, "url"));
      if (!u) u = nf_json_string(nf_json_get(img, "contentUrl"));
      set_field(&a->image.caption, ld_string(img, "caption"));
      set_field(&a->image.credit, ld_string(img, "creditText"));
      if (!a->image.credit) set_field(&a->image.credit, ld_string(img, "copyrightHolder"));
    }
    set_field(&a->image.url, meta_string(u));
  }
  static const char *const keys[] = {"og:image", "og:image:url",
                                     "og:image:secure_url", "twitter:image",
                                     "twitter:image:src", "itemprop:image", NULL};
  set_field(&a->image.url, meta_string(meta_first(pg, keys)));
  set_field(&a->image.url, meta_string(pg->image_src));
  static const char *const alt_keys[] = {"og:image:alt", "twitter:image:alt", NULL};
  set_field(&a->image.alt, meta_string(meta_first(pg, alt_keys)));
  if (!a->image.url) return;
  /* The <img> showing the same picture: alt, and its figure's caption. */
  const char *file = strrchr(a->image.url, '/');
  file = file ? file + 1 : a->image.url;
  size_t flen = strcspn(file, "?#");
  if (flen < 4) return;
  nf_nodelist imgs = {0};
  nf_node *body = nf_doc_body(pg->doc);
  if (body) nf_select_css(body, "img", &imgs, NULL, 0);
  for (size_t i = 0; i < imgs.len && i < 200; i++) {
    const char *src = nf_node_attr(imgs.items[i], "src");
    if (!src || !memmem(src, strlen(src), file, flen)) continue;
    set_field(&a->image.alt, meta_string(nf_node_attr(imgs.items[i], "alt")));
    for (nf_node *f = nf_node_parent(imgs.items[i]);
         f && nf_node_kind_of(f) == NF_NODE_ELEMENT; f = nf_node_parent(f)) {
      if (!nf_node_is(f, "figure")) continue;
      nf_nodelist caps = {0};
      nf_select_css(f, "figcaption", &caps, NULL, 0);
      if (caps.len) {
        nf_nodelist cred = {0};
        nf_select_css(caps.items[0], "[class*=credit], [class*=copyright]", &cred, NULL, 0);
        if (cred.len) set_field(&a->image.credit, element_text(cred.items[0]));
        nf_nodelist_free(&cred);
        set_field(&a->image.caption, element_text(caps.items[0]));
      }
      nf_nodelist_free(&caps);
      break;
    }
    break;
  }
  nf_nodelist_free(&imgs);
}

/* Share of the words of a (lower-cased ASCII letters and digits, other
 * bytes kept) that also appear in b. */
static double similarity(const char *a, const char *b) {
  if (!a || !b) return 0;
  size_t blen = strlen(b);
  char *lb = nf_xstrdup(b);
  for (size_t i = 0; i < blen; i++) lb[i] = (char)tolower((unsigned char)lb[i]);
  int words = 0, found = 0;
  const char *p = a;
  while (*p) {
    while (*p && !isalnum((unsigned char)*p) && (unsigned char)*p < 0x80) p++;
    const char *w = p;
    while (*p && (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80)) p++;
    size_t wl = (size_t)(p - w);
    if (!wl || wl > 63) continue;
    char word[64];
    for (size_t i = 0; i < wl; i++) word[i] = (char)tolower((unsigned char)w[i]);
    word[wl] = '\0';
    words++;
    if (strstr(lb, word)) found++;
  }
  free(lb);
  return words ? (double)found / words : 0;
}

static void fill_from_page(page *pg, nf_article *a) {
  const nf_json *art = pg->article;
  /* Site name first: titles are cleaned with it. */
  if (art) {
    const nf_json *pub = ld_first(nf_json_get(art, "publisher"));
    set_field(&a->site_name, meta_string(ld_name(pub)));
  }
  /* (application-name is often a slogan: not trusted.) */
  static const char *const site_keys[] = {"og:site_name", NULL};
  set_field(&a->site_name, meta_string(meta_first(pg, site_keys)));

  /* Title. */
  int from_title_element = 0;
  if (art) {
    char *headline = ld_string(art, "headline"), *name = ld_string(art, "name");
    /* Both and different: some sites put their own name in "name", others
     * a teaser in "headline"; take the one <title> agrees with. */
    if (headline && name && strcmp(headline, name) != 0 &&
        similarity(name, pg->title_el) >= 0.75 &&
        similarity(headline, pg->title_el) < 0.75) {
      char *t = headline;
      headline = name;
      name = t;
    }
    if (!headline) {
      headline = name;
      name = NULL;
    }
    set_field(&a->title, headline);
    free(name);
  }
  static const char *const title_keys[] = {
      "dc:title", "dcterm:title", "dcterms:title", "og:title",
      "weibo:article:title", "weibo:webpage:title", "title", "twitter:title",
      "parsely-title", "sailthru:title", NULL};
  /* A title that is just the site name says nothing about the article. */
  if (a->title && a->site_name && strcasecmp(a->title, a->site_name) == 0) {
    free(a->title);
    a->title = NULL;
  }
  for (int i = 0; title_keys[i] && !a->title; i++) {
    char *t = meta_string(meta(pg, title_keys[i]));
    if (t && a->site_name && strcasecmp(t, a->site_name) == 0) {
      free(t);
      t = NULL;
    }
    set_field(&a->title, t);
  }
  set_field(&a->title, meta_string(pg->md_headline));
  if (!a->title && pg->title_el) {
    a->title = meta_string(pg->title_el);
    from_title_element = 1;
  }
  if (!a->title) set_field(&a->title, meta_string(pg->h1));
  const char *url_for_host = pg->canonical ? pg->canonical : nf_doc_url(pg->doc);
  a->title = clean_title(a->title, a->site_name, url_for_host,
                         from_title_element, pg);

  /* Byline and authors. */
  nf_pathlist ld_names = {0};
  if (art && ld_authors(art, &ld_names)) {
    nf_buf b;
    nf_buf_init(&b);
    for (size_t i = 0; i < ld_names.len; i++) {
      if (i) nf_buf_puts(&b, ", ");
      nf_buf_puts(&b, ld_names.items[i]);
      /* One name each, but "X and Y" may still be two. */
      split_authors(ld_names.items[i], a->site_name, 0, &a->authors);
    }
    set_field(&a->byline, nf_buf_detach(&b));
  }
  for (size_t i = 0; i < ld_names.len; i++) free(ld_names.items[i]);
  free(ld_names.items);
  static const char *const author_keys[] = {
      "dc:creator", "dcterm:creator", "dcterms:creator", "author",
      "parsely-author", "sailthru:author", "article:author",
      "og:article:author", "byl", NULL};
  int from_meta = 0;
  for (int i = 0; author_keys[i] && !a->byline; i++) {
    char *v = meta_string(meta(pg, author_keys[i]));
    if (v && (is_url(v) || !has_letter(v))) {
      free(v);
      v = NULL;
    }
    set_field(&a->byline, strip_by(v));
    from_meta = a->byline != NULL;
  }
  /* A meta author sharing no word with the visible byline in the article
   * (a CMS default, a desk, someone else): what the page shows wins. */
  if (from_meta && pg->article_byline &&
      similarity(a->byline, pg->article_byline) == 0 &&
      similarity(pg->article_byline, a->byline) == 0) {
    free(a->byline);
    a->byline = nf_xstrdup(pg->article_byline);
  }
  if (!a->byline && pg->md_author) set_field(&a->byline, nf_xstrdup(pg->md_author));
  if (!a->byline && pg->rel_author) set_field(&a->byline, nf_xstrdup(pg->rel_author));
  if (!a->byline && pg->page_byline) set_field(&a->byline, nf_xstrdup(pg->page_byline));
  if (!a->byline && pg->by_line) set_field(&a->byline, nf_xstrdup(pg->by_line));
  if (a->byline && is_handle(a->byline)) {
    char *name = display_name(pg, a->byline);
    if (name) {
      free(a->byline);
      a->byline = name;
    }
  }
  a->byline = drop_site_piece(a->byline, a->site_name);
  if (!a->authors.len) split_authors(a->byline, a->site_name, 1, &a->authors);

  /* Dates. */
  if (art) {
    set_field(&a->published, date_from(nf_json_string(nf_json_get(art, "datePublished"))));
    if (!a->published)
      set_field(&a->published, date_from(nf_json_string(nf_json_get(art, "dateCreated"))));
    set_field(&a->modified, date_from(nf_json_string(nf_json_get(art, "dateModified"))));
  }
  static const char *const pub_keys[] = {
      "article:published_time", "og:published_time", "parsely-pub-date",
      "sailthru:date", "dcterms:created", "dcterms:issued", "dc:date:issued",
      "dc:date", "dcterm:created", "date", "pubdate", "publishdate",
      "publish-date", "publication_date", "article:published",
      "itemprop:datepublished", NULL};
  for (int i = 0; pub_keys[i] && !a->published; i++)
    set_field(&a->published, date_from(meta(pg, pub_keys[i])));
  set_field(&a->published, pg->md_published ? nf_xstrdup(pg->md_published) : NULL);
  set_field(&a->published, pg->time_published ? nf_xstrdup(pg->time_published) : NULL);
  static const char *const mod_keys[] = {
      "article:modified_time", "og:updated_time", "dcterms:modified",
      "last-modified", "itemprop:datemodified", NULL};
  for (int i = 0; mod_keys[i] && !a->modified; i++)
    set_field(&a->modified, date_from(meta(pg, mod_keys[i])));
  set_field(&a->modified, pg->md_modified ? nf_xstrdup(pg->md_modified) : NULL);
  set_field(&a->modified, pg->time_modified ? nf_xstrdup(pg->time_modified) : NULL);
  in_page_offset(pg, &a->published);
  in_page_offset(pg, &a->modified);

  /* Description. */
  if (art) set_field(&a->description, ld_string(art, "description"));
  static const char *const desc_keys[] = {
      "dc:description", "dcterm:description", "dcterms:description",
      "og:description", "weibo:article:description",
      "weibo:webpage:description", "description", "twitter:description",
      NULL};
  set_field(&a->description, meta_string(meta_first(pg, desc_keys)));
  if (pg->paragraph_fallback) {
    set_field(&a->description, pg->first_para_article ? nf_xstrdup(pg->first_para_article) : NULL);
    set_field(&a->description, pg->first_para ? nf_xstrdup(pg->first_para) : NULL);
  }

  /* Language and direction. */
  set_field(&a->lang, clean_text(pg->lang));
  set_field(&a->lang, clean_text(pg->content_language));
  if (!a->lang) {
    char *loc = clean_text(meta(pg, "og:locale"));
    if (loc)
      for (char *p = loc; *p; p++)
        if (*p == '_') *p = '-';
    set_field(&a->lang, loc);
  }
  if (art) set_field(&a->lang, ld_string(art, "inLanguage"));
  /* The direction nearest the content: article/main, body, then html. */
  set_field(&a->dir, clean_text(pg->content_dir));
  set_field(&a->dir, clean_text(pg->body_dir));
  set_field(&a->dir, clean_text(pg->dir));

  /* Canonical URL. */
  set_field(&a->url, clean_text(pg->canonical));
  set_field(&a->url, clean_text(meta(pg, "og:url")));
  if (art) set_field(&a->url, ld_string(art, "url"));
  if (nf_doc_url(pg->doc)) set_field(&a->url, nf_xstrdup(nf_doc_url(pg->doc)));

  fill_image(pg, a);

  /* Tags. */
  if (art) {
    ld_keywords(nf_json_get(art, "keywords"), &a->tags);
    ld_keywords(nf_json_get(art, "articleSection"), &a->tags);
  }
  for (size_t i = 0; i < pg->nmetas && a->tags.len < MAX_TAGS; i++) {
    const char *k = pg->metas[i].key;
    if (strcmp(k, "article:tag") == 0 || strcmp(k, "article:section") == 0) {
      char *t = meta_string(pg->metas[i].value);
      if (t && strlen(t) <= 100) list_push(&a->tags, t);
      free(t);
    } else if (strcmp(k, "keywords") == 0 || strcmp(k, "news_keywords") == 0) {
      nf_json fake = {0};
      fake.type = NF_JSON_STRING;
      fake.string = (char *)pg->metas[i].value;
      ld_keywords(&fake, &a->tags);
    }
  }
}

static void page_free(page *pg) {
  for (size_t i = 0; i < pg->nmetas; i++) free(pg->metas[i].key);
  for (size_t i = 0; i < pg->nld; i++) nf_json_free(pg->ld[i]);
  nf_nodelist_free(&pg->headings);
  free(pg->title_el);
  free(pg->h1);
  free(pg->md_headline);
  free(pg->md_author);
  free(pg->md_published);
  free(pg->md_modified);
  free(pg->page_byline);
  free(pg->rel_author);
  free(pg->first_para_article);
  free(pg->by_line);
  free(pg->article_byline);
  free(pg->time_published);
  free(pg->time_modified);
  free(pg->first_para);
}

/* ===== The entry point (article.c) ======================================= */

void nf_meta_read(nf_doc *doc, nf_article *a, nf_meta_mode mode) {
  if (!doc || !a) return;
  if (nf_doc_type(doc) == NF_INPUT_TEXT) {
    extract_text_doc(doc, a);
    split_authors(a->byline, a->site_name, 1, &a->authors);
    return;
  }
  page *pg = nf_xcalloc(1, sizeof *pg);   /* large: keep it off the stack */
  pg->doc = doc;
  pg->paragraph_fallback = mode == NF_META_PAGE_PARAGRAPH;
  collect(pg);
  fill_from_page(pg, a);
  page_free(pg);
  free(pg);
}
