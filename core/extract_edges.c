/* extract_edges.c: the edges of an emitted body (issue 10, classes 2 and 5).
 *
 * Stories often begin and end with blocks that are not the story: calls to
 * action ("Follow us", "Sign up for our newsletter"), promos, credits
 * ("Reporting by ...; editing by ..."), disclosures, a comments heading and
 * what follows it, a heading with nothing after it, datelines and bylines
 * before the first paragraph, the title repeated. They are short, and they
 * sit at the edges: only the first and last top-level blocks of the copy
 * are looked at, and the first real block stops the trimming (a quoted
 * line in mid-body stays). The copy is ours (fresh nodes, not yet handed
 * out), so blocks are freed, not detached. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "extract_ctx.h"
#include "text.h"

/* ===== The one word table ================================================= */

enum { EDGE_CTA = 1, EDGE_CREDIT = 2, EDGE_COMMENTS = 3, EDGE_META = 4,
       EDGE_PHOTO = 5, EDGE_RELATED = 6 };

/* Lower-case phrases (English, then the most common other languages of
 * news: es, pt, fr, de; ASCII letters are lowered, others must be written
 * lower case). EDGE_CTA and EDGE_CREDIT are looked for inside a
 * short edge block; EDGE_COMMENTS is a heading's whole text (a count
 * before it allowed); EDGE_META opens a dateline or byline; EDGE_PHOTO
 * opens a photo credit or a gallery counter; EDGE_RELATED is in the label
 * of a list of other stories. */
static const struct edge_word {
  const char *text;
  int kind;
} edge_words[] = {
    /* calls to action, promos */
    {"follow us", EDGE_CTA}, {"follow him", EDGE_CTA}, {"follow her", EDGE_CTA},
    {"follow me", EDGE_CTA}, {"follow them", EDGE_CTA},
    {"sign up", EDGE_CTA}, {"sign-up", EDGE_CTA}, {"newsletter", EDGE_CTA},
    {"subscribe", EDGE_CTA}, {"subscription", EDGE_CTA},
    {"news tip", EDGE_CTA}, {"send us a tip", EDGE_CTA}, {"got a tip", EDGE_CTA},
    {"contact the reporter", EDGE_CTA}, {"contact the author", EDGE_CTA},
    {"contact us", EDGE_CTA}, {"podcast", EDGE_CTA}, {"click here", EDGE_CTA},
    {"join our", EDGE_CTA}, {"learn more", EDGE_CTA}, {"read more", EDGE_CTA},
    {"don't miss", EDGE_CTA}, {"don\xE2\x80\x99t miss", EDGE_CTA},
    {"you may also like", EDGE_CTA}, {"related post", EDGE_CTA},
    {"related article", EDGE_CTA}, {"related:", EDGE_CTA},
    {"if you enjoyed this", EDGE_CTA}, {"full coverage", EDGE_CTA},
    {"filed under", EDGE_CTA}, {"browse all", EDGE_CTA},
    /* es: síguenos, suscríbete, suscribirse, regístrate, haz clic aquí, lee
     * también, te puede interesar */
    {"s\xC3\xADguenos", EDGE_CTA}, {"suscr\xC3\xAD" "bete", EDGE_CTA},
    {"suscribirse", EDGE_CTA}, {"reg\xC3\xADstrate", EDGE_CTA},
    {"haz clic aqu\xC3\xAD", EDGE_CTA}, {"lee tambi\xC3\xA9n", EDGE_CTA},
    {"te puede interesar", EDGE_CTA},
    /* pt: siga-nos, inscreva-se, assine já, clique aqui, leia também, leia
     * mais */
    {"siga-nos", EDGE_CTA}, {"inscreva-se", EDGE_CTA}, {"assine j\xC3\xA1", EDGE_CTA},
    {"clique aqui", EDGE_CTA}, {"leia tamb\xC3\xA9m", EDGE_CTA},
    {"leia mais", EDGE_CTA},
    /* fr: suivez-nous, abonnez-vous, inscrivez-vous, cliquez ici, lire aussi,
     * lisez aussi */
    {"suivez-nous", EDGE_CTA}, {"abonnez-vous", EDGE_CTA}, {"inscrivez-vous", EDGE_CTA},
    {"cliquez ici", EDGE_CTA}, {"lire aussi", EDGE_CTA}, {"lisez aussi", EDGE_CTA},
    /* de: folgen sie uns, folge uns, jetzt abonnieren, abonnieren sie, hier
     * klicken, lesen sie auch, mehr zum thema */
    {"folgen sie uns", EDGE_CTA}, {"folge uns", EDGE_CTA},
    {"jetzt abonnieren", EDGE_CTA}, {"abonnieren sie", EDGE_CTA},
    {"hier klicken", EDGE_CTA}, {"lesen sie auch", EDGE_CTA},
    {"mehr zum thema", EDGE_CTA},
    /* credits, disclosures, reading time */
    {"reporting by", EDGE_CREDIT}, {"editing by", EDGE_CREDIT},
    {"additional reporting", EDGE_CREDIT}, {"contributed to this report", EDGE_CREDIT},
    {"contributed reporting", EDGE_CREDIT}, {"write to ", EDGE_CREDIT},
    {"affiliate", EDGE_CREDIT},
    {"min read", EDGE_CREDIT}, {"minute read", EDGE_CREDIT},
    {"reading time", EDGE_CREDIT},
    /* es: con información de, tiempo de lectura, minutos de lectura, min de
     * lectura */
    {"con informaci\xC3\xB3n de", EDGE_CREDIT}, {"tiempo de lectura", EDGE_CREDIT},
    {"minutos de lectura", EDGE_CREDIT}, {"min de lectura", EDGE_CREDIT},
    /* pt: com informações d, tempo de leitura, min de leitura */
    {"com informa\xC3\xA7\xC3\xB5" "es d", EDGE_CREDIT},
    {"tempo de leitura", EDGE_CREDIT}, {"min de leitura", EDGE_CREDIT},
    /* fr: temps de lecture, min de lecture */
    {"temps de lecture", EDGE_CREDIT}, {"min de lecture", EDGE_CREDIT},
    /* de: mit material von, mit material de, lesezeit */
    {"mit material von", EDGE_CREDIT}, {"mit material de", EDGE_CREDIT},
    {"lesezeit", EDGE_CREDIT},
    /* headings that open the comments */
    {"comments", EDGE_COMMENTS}, {"comment", EDGE_COMMENTS},
    {"leave a comment", EDGE_COMMENTS}, {"leave a reply", EDGE_COMMENTS},
    {"join the conversation", EDGE_COMMENTS}, {"join the discussion", EDGE_COMMENTS},
    {"reader comments", EDGE_COMMENTS}, {"responses", EDGE_COMMENTS},
    /* es: comentarios, deja un comentario, deja tu comentario */
    {"comentarios", EDGE_COMMENTS}, {"deja un comentario", EDGE_COMMENTS},
    {"deja tu comentario", EDGE_COMMENTS},
    /* pt: comentários, deixe um comentário, deixe seu comentário */
    {"coment\xC3\xA1rios", EDGE_COMMENTS},
    {"deixe um coment\xC3\xA1rio", EDGE_COMMENTS},
    {"deixe seu coment\xC3\xA1rio", EDGE_COMMENTS},
    /* fr: commentaires, laisser un commentaire, laissez un commentaire,
     * réactions */
    {"commentaires", EDGE_COMMENTS}, {"laisser un commentaire", EDGE_COMMENTS},
    {"laissez un commentaire", EDGE_COMMENTS}, {"r\xC3\xA9" "actions", EDGE_COMMENTS},
    /* de: kommentare, leserkommentare, kommentar schreiben, diskutieren sie
     * mit */
    {"kommentare", EDGE_COMMENTS}, {"leserkommentare", EDGE_COMMENTS},
    {"kommentar schreiben", EDGE_COMMENTS}, {"diskutieren sie mit", EDGE_COMMENTS},
    /* datelines and bylines */
    {"by ", EDGE_META}, {"updated", EDGE_META}, {"published", EDGE_META},
    {"posted", EDGE_META}, {"last updated", EDGE_META}, {"written by", EDGE_META},
    /* es, pt, fr, de, it: actualizado, publicado, atualizado, mis à jour,
     * publié, aktualisiert, veröffentlicht, aggiornato, pubblicato (their
     * bylines: nf_text_byline_opener) */
    {"actualizado", EDGE_META}, {"publicado", EDGE_META}, {"atualizado", EDGE_META},
    {"mis \xC3\xA0 jour", EDGE_META}, {"publi\xC3\xA9", EDGE_META},
    {"aktualisiert", EDGE_META}, {"ver\xC3\xB6" "ffentlicht", EDGE_META},
    {"aggiornato", EDGE_META}, {"pubblicato", EDGE_META},
    /* photo credits, gallery counters */
    {"photo", EDGE_PHOTO}, {"(photo", EDGE_PHOTO}, {"image", EDGE_PHOTO},
    {"(image", EDGE_PHOTO}, {"picture", EDGE_PHOTO}, {"slide", EDGE_PHOTO},
    {"courtesy", EDGE_PHOTO}, {"credit", EDGE_PHOTO}, {"getty", EDGE_PHOTO},
    /* labels of related lists */
    {"more ", EDGE_RELATED}, {"related", EDGE_RELATED}, {"stories", EDGE_RELATED},
    {"recommended", EDGE_RELATED}, {"read next", EDGE_RELATED},
    {"also read", EDGE_RELATED}, {"popular", EDGE_RELATED},
    {"trending", EDGE_RELATED}, {"you may also", EDGE_RELATED},
    {"you might also", EDGE_RELATED},
};

/* b's text, whitespace collapsed and trimmed, lower-cased (ASCII) when
 * lower, in place. */
static void squeeze(nf_buf *b, int lower) {
  size_t w = 0;
  int space = 1;
  for (size_t i = 0; i < b->len; i++) {
    unsigned char ch = (unsigned char)b->ptr[i];
    if (isspace(ch)) {
      if (!space) b->ptr[w++] = ' ';
      space = 1;
    } else {
      b->ptr[w++] = lower ? (char)tolower(ch) : (char)ch;
      space = 0;
    }
  }
  while (w && b->ptr[w - 1] == ' ') w--;
  nf_buf_truncate(b, w);
}

/* The block's text (out is cleared), as squeeze gives it (lower case). */
static void block_text(const xmlNode *b, nf_buf *out) {
  nf_buf_clear(out);
  ex_body_text(b, out);
  squeeze(out, 1);
}

static int has_word_of_kind(const char *s, int kind) {
  for (size_t i = 0; i < sizeof edge_words / sizeof *edge_words; i++)
    if (edge_words[i].kind == kind && strstr(s, edge_words[i].text)) return 1;
  return 0;
}

/* "name@host.tld" somewhere in s. */
static int has_email(const char *s) {
  for (const char *at = strchr(s, '@'); at; at = strchr(at + 1, '@')) {
    if (at == s || !isalnum((unsigned char)at[-1])) continue;
    const char *dot = at + 1;
    while (*dot && (isalnum((unsigned char)*dot) || *dot == '-')) dot++;
    if (dot > at + 1 && *dot == '.' && isalpha((unsigned char)dot[1])) return 1;
  }
  return 0;
}

/* An account handle: "@name" after a space or at the start. */
static int has_handle(const char *s) {
  for (const char *at = strchr(s, '@'); at; at = strchr(at + 1, '@'))
    if ((at == s || at[-1] == ' ' || at[-1] == '(') &&
        (isalnum((unsigned char)at[1]) || at[1] == '_'))
      return 1;
  return 0;
}

/* A raw shortcode left by a CMS: "[tag ...]" opening the block. */
static int is_shortcode(const char *s) {
  if (s[0] != '[' || !isalpha((unsigned char)s[1])) return 0;
  const char *close = strchr(s, ']');
  return close && close - s > 2;
}

/* No letter or digit at all ("___", "* * *"). */
static int is_rule_text(const char *s) {
  for (; *s; s++)
    if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80) return 0;
  return 1;
}

static int is_heading(const xmlNode *b) {
  const char *t = (const char *)b->name;
  return t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && !t[2];
}

/* A quotation (an embedded post is one too) is the story's, whatever it
 * says. */
static int is_quote(const xmlNode *b) { return ex_tag_is(b, "blockquote"); }

/* Has b more than limit bytes of text? (Stops counting there.) */
static int text_over(const xmlNode *b, size_t limit) {
  size_t len = 0;
  for (const xmlNode *n = b; n; n = ex_next_in(n, b))
    if (n->type == XML_TEXT_NODE && n->content &&
        (len += strlen((const char *)n->content)) > limit)
      return 1;
  return 0;
}

int ex_is_related_label(const char *text, size_t len) {
  nf_buf t = NF_BUF_INIT;
  nf_buf_init(&t);
  nf_buf_put(&t, text, len);
  squeeze(&t, 1);
  int label = t.len && has_word_of_kind(t.ptr, EDGE_RELATED);
  nf_buf_free(&t);
  return label;
}

/* A short line naming other stories that ends the copy without ending a
 * sentence ("More great stories"): the label of a list left out. */
static int is_trailing_label(const char *t, int chars) {
  size_t n = strlen(t);
  char last = n ? t[n - 1] : 0;
  return chars <= W_LIST_LABEL_MAX_CHARS && last != '.' && last != '!' &&
         last != '?' && last != '"' && has_word_of_kind(t, EDGE_RELATED);
}

/* ===== The tests ========================================================== */

/* Numbers in s: how many, and whether one is a year (1900-2099). */
static void count_numbers(const char *s, int *numbers, int *year) {
  *numbers = *year = 0;
  while (*s) {
    if (!isdigit((unsigned char)*s)) {
      s++;
      continue;
    }
    const char *start = s;
    while (isdigit((unsigned char)*s)) s++;
    (*numbers)++;
    if (s - start == 4 && (start[0] == '1' || start[0] == '2') &&
        (start[1] == '9' || start[1] == '0'))
      *year = 1;
  }
}

static int text_chars_of(const char *s);

/* Is t (squeezed, case kept; lowered in place) one meta line: a byline
 * (nf_text_byline_opener, or an EDGE_META opener such as "by ",
 * "updated"), or a date (a year and another number, in few words)? When
 * it is not, words gets its word count. */
static int is_meta_piece(nf_buf *t, int *words) {
  if (nf_text_byline_opener(t->ptr, t->len)) return 1;
  squeeze(t, 1);
  for (size_t i = 0; i < sizeof edge_words / sizeof *edge_words; i++)
    if (edge_words[i].kind == EDGE_META &&
        !strncmp(t->ptr, edge_words[i].text, strlen(edge_words[i].text)))
      return 1;
  int numbers, year;
  count_numbers(t->ptr, &numbers, &year);
  ex_textcount tc = {0, 0, 0};
  int sp = 1;
  ex_count_text(t->ptr, t->len, &tc, &sp);
  *words = tc.words;
  return year && numbers >= 2 && tc.words <= W_META_LINE_MAX_WORDS;
}

/* The length of a separator of meta pieces at s ("|", "•", "·"), else 0. */
static size_t meta_separator(const char *s) {
  if (*s == '|') return 1;
  if (!strncmp(s, "\xE2\x80\xA2", 3)) return 3; /* • */
  if (!strncmp(s, "\xC2\xB7", 2)) return 2;       /* · */
  return 0;
}

/* Does s hold a separator of meta pieces? */
static int has_meta_separator(const char *s) {
  for (; *s; s++)
    if (meta_separator(s)) return 1;
  return 0;
}

int ex_holds_meta_separator(const xmlNode *b) {
  for (const xmlNode *n = b; n; n = ex_next_in(n, b))
    if (n->type == XML_TEXT_NODE && n->content &&
        has_meta_separator((const char *)n->content))
      return 1;
  return 0;
}

int ex_is_meta_line(const char *text, size_t len) {
  nf_buf t = NF_BUF_INIT;
  nf_buf_init(&t);
  nf_buf_put(&t, text, len);
  squeeze(&t, 0);
  /* (Bytes bound characters: most lines are not counted.) */
  int chars = t.len <= W_META_LINE_MAX_CHARS ? (int)t.len : text_chars_of(t.ptr);
  int meta = 0, words;
  if (chars > W_META_PIECES_MAX_CHARS || !has_meta_separator(t.ptr)) {
    meta = chars <= W_META_LINE_MAX_CHARS && is_meta_piece(&t, &words);
    nf_buf_free(&t);
    return meta;
  }
  nf_buf piece = NF_BUF_INIT;
  nf_buf_init(&piece);
  if (chars <= W_META_LINE_MAX_CHARS) {
    nf_buf_put(&piece, t.ptr, t.len);
    meta = is_meta_piece(&piece, &words);
  }
  /* "Le Monde | 04.05.2015 à 13h36 • Mis à jour le 05.05.2015 | Par Jean
   * Roy": pieces that are meta lines or a short name (the site, a
   * section), two meta lines at least. */
  if (!meta) {
    int pieces = 0, metas = 0, other = 0;
    for (const char *p = t.ptr; *p && !other;) {
      size_t n = 0, sep;
      while (p[n] && !meta_separator(p + n)) n++;
      nf_buf_clear(&piece);
      nf_buf_put(&piece, p, n);
      squeeze(&piece, 0);
      if (piece.len) {
        pieces++;
        if (is_meta_piece(&piece, &words)) metas++;
        else if (words > W_META_NAME_MAX_WORDS) other = 1;
      }
      p += n;
      if ((sep = meta_separator(p))) p += sep;
    }
    meta = !other && pieces >= 2 && metas >= 2;
  }
  nf_buf_free(&piece);
  nf_buf_free(&t);
  return meta;
}

/* A heading that opens the comments: "Comments", "12 Comments", "Leave a
 * Reply". */
static int is_comments_heading(const xmlNode *b, const char *text) {
  if (!is_heading(b)) return 0;
  while (isdigit((unsigned char)*text) || *text == ' ') text++;
  for (size_t i = 0; i < sizeof edge_words / sizeof *edge_words; i++)
    if (edge_words[i].kind == EDGE_COMMENTS && !strcmp(text, edge_words[i].text))
      return 1;
  return 0;
}

/* A short edge block that is a call to action, a promo or a credit. */
static int is_edge_furniture(const char *text, int chars) {
  if (is_rule_text(text)) return 1;
  if (chars > W_EDGE_MAX_CHARS) return 0;
  return has_word_of_kind(text, EDGE_CTA) || has_word_of_kind(text, EDGE_CREDIT) ||
         has_email(text) || has_handle(text) || is_shortcode(text);
}

static int text_chars_of(const char *s) {
  ex_textcount tc = {0, 0, 0};
  int sp = 1;
  ex_count_text(s, strlen(s), &tc, &sp);
  return tc.chars;
}

static void free_block(xmlNode *b) {
  xmlUnlinkNode(b);
  xmlFreeNode(b);
}

/* Cuts a comments heading and everything after it. */
static void trim_comments(xmlNode *body, nf_buf *text) {
  for (xmlNode *b = body->children; b; b = b->next) {
    if (b->type != XML_ELEMENT_NODE || !is_heading(b)) continue;
    block_text(b, text);
    if (!is_comments_heading(b, text->ptr)) continue;
    while (b) {
      xmlNode *next = b->next;
      free_block(b);
      b = next;
    }
    return;
  }
}

/* Trims furniture from one edge of the copy (at_end: from its last block
 * back, where a heading with nothing after it goes too). Blocks without
 * text (a figure) are passed over; the first real block stops it, and the
 * block at the other edge is never reached. */
static void trim_edge(xmlNode *body, nf_buf *text, int at_end) {
  xmlNode *b = at_end ? body->last : body->children;
  int dropped = 0;
  while (b && (at_end ? b->prev : b->next) && dropped < W_EDGE_MAX_BLOCKS) {
    xmlNode *step = at_end ? b->prev : b->next;
    if (b->type == XML_ELEMENT_NODE) {
      if (text_over(b, W_EDGE_MAX_BYTES)) break; /* a long block: the story */
      block_text(b, text);
      int chars = text_chars_of(text->ptr);
      /* At the start, a dateline made of loose text (no element of its
       * own in the page) is looked at here. */
      int drop = chars && !is_quote(b) &&
                 (is_edge_furniture(text->ptr, chars) ||
                  (at_end && is_heading(b) && !b->next) ||
                  (at_end && !b->next && is_trailing_label(text->ptr, chars)) ||
                  (!at_end && chars <= W_META_PIECES_MAX_CHARS &&
                   ex_is_meta_line(text->ptr, text->len)));
      if (chars && !drop) break;
      if (drop) {
        free_block(b);
        dropped++;
      }
    }
    b = step;
  }
}

void ex_trim_edges(ex_ctx *c, xmlNode *body) {
  (void)c;
  nf_buf text = NF_BUF_INIT;
  nf_buf_init(&text);
  trim_comments(body, &text);
  trim_edge(body, &text, 1);
  trim_edge(body, &text, 0);
  nf_buf_free(&text);
}

/* ===== Captions by position (class 8) ===================================== */

/* Does the block show an image and say nothing? */
static int is_image_only(const xmlNode *b, nf_buf *text) {
  int img = 0;
  for (const xmlNode *n = b; n; n = ex_next_in(n, b))
    if (n->type == XML_ELEMENT_NODE && ex_tag_is(n, "img")) img = 1;
  if (!img) return 0;
  block_text(b, text);
  return text->len == 0;
}

/* Is every piece of text in b inside em, i or small (a caption's style)? */
static int is_all_emphasis(const xmlNode *b) {
  int any = 0;
  for (const xmlNode *n = b; n; n = ex_next_in(n, b)) {
    if (n->type != XML_TEXT_NODE || !n->content) continue;
    const char *s = (const char *)n->content;
    if (!s[strspn(s, " \t\r\n")]) continue;
    int emph = 0;
    for (const xmlNode *a = n->parent; a && a != b->parent && !emph; a = a->parent)
      emph = ex_tag_is(a, "em") || ex_tag_is(a, "i") || ex_tag_is(a, "small");
    if (!emph) return 0;
    any = 1;
  }
  return any;
}

/* A gallery counter: "Image 1 of 5", "3/12", "Photo 2 of 9". */
static int is_counter(const char *t) {
  for (size_t i = 0; i < sizeof edge_words / sizeof *edge_words; i++) {
    size_t n = strlen(edge_words[i].text);
    if (edge_words[i].kind == EDGE_PHOTO && !strncmp(t, edge_words[i].text, n)) {
      t += n;
      break;
    }
  }
  while (*t == ' ') t++;
  if (!isdigit((unsigned char)*t)) return 0;
  while (isdigit((unsigned char)*t)) t++;
  while (*t == ' ') t++;
  if (*t == '/') t++;
  else if (t[0] == 'o' && t[1] == 'f') t += 2;
  else return 0;
  while (*t == ' ') t++;
  if (!isdigit((unsigned char)*t)) return 0;
  while (isdigit((unsigned char)*t)) t++;
  return *t == 0;
}

static int starts_with_photo_word(const char *t) {
  for (size_t i = 0; i < sizeof edge_words / sizeof *edge_words; i++)
    if (edge_words[i].kind == EDGE_PHOTO &&
        !strncmp(t, edge_words[i].text, strlen(edge_words[i].text)))
      return 1;
  return 0;
}

/* Is block b, right after an image that says nothing, that image's
 * caption or credit: short, and all in emphasis or opening with a photo
 * word ("Photo: ...", "Courtesy of ...")? */
static int is_caption_after_image(const xmlNode *b, nf_buf *text) {
  const xmlNode *prev = b->prev;
  while (prev && prev->type != XML_ELEMENT_NODE) prev = prev->prev;
  if (!prev || !is_image_only(prev, text)) return 0;
  block_text(b, text);
  if (!text->len || text_chars_of(text->ptr) > W_CAPTION_AFTER_IMAGE_MAX_CHARS)
    return 0;
  return is_all_emphasis(b) || starts_with_photo_word(text->ptr);
}

void ex_mark_captions(xmlNode *body) {
  nf_buf text = NF_BUF_INIT;
  nf_buf_init(&text);
  for (xmlNode *n = body->children; n; n = ex_next_in(n, body)) {
    if (n->type != XML_ELEMENT_NODE || !(ex_tag_is(n, "p") || ex_tag_is(n, "div")))
      continue;
    int caption = is_caption_after_image(n, &text);
    if (!caption && !text_over(n, W_COUNTER_MAX_BYTES)) {
      block_text(n, &text);
      caption = is_counter(text.ptr);
    }
    /* Our own node: renaming it moves its text out of the plain text. */
    if (caption) xmlNodeSetName(n, BAD_CAST "figcaption");
  }
  nf_buf_free(&text);
}

/* ===== Empty brackets ===================================================== */

/* The text nodes of one line of the copy, their bytes (whitespace as ' ',
 * as the text output collapses it) and where each node starts in them. */
typedef struct bracket_line {
  xmlNode **nodes;
  size_t *starts;
  size_t n, cap;
  nf_buf text;
  size_t *pos;
  size_t pos_cap;
} bracket_line;

static void line_add(bracket_line *l, xmlNode *t) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->nodes = nf_xrealloc(l->nodes, l->cap * sizeof *l->nodes);
    l->starts = nf_xrealloc(l->starts, l->cap * sizeof *l->starts);
  }
  l->nodes[l->n] = t;
  l->starts[l->n++] = l->text.len;
  for (const char *p = (const char *)t->content; *p; p++)
    nf_buf_putc(&l->text, isspace((unsigned char)*p) ? ' ' : *p);
}

/* Rewrites the line's text nodes with the bytes kept (pos[0..kept) are
 * their offsets in the line, in order); a node left empty is freed. */
static void line_rewrite(bracket_line *l, size_t kept) {
  nf_buf nb = NF_BUF_INIT;
  nf_buf_init(&nb);
  size_t i = 0;
  for (size_t k = 0; k < l->n; k++) {
    xmlNode *t = l->nodes[k];
    const char *orig = (const char *)t->content;
    size_t start = l->starts[k], end = start + strlen(orig);
    nf_buf_clear(&nb);
    while (i < kept && l->pos[i] < end) nf_buf_putc(&nb, orig[l->pos[i++] - start]);
    if (nb.len == end - start) continue;
    if (!nb.len) free_block(t);
    else xmlNodeSetContentLen(t, BAD_CAST nb.ptr, (int)nb.len);
  }
  nf_buf_free(&nb);
}

static void line_flush(bracket_line *l) {
  size_t len = l->text.len;
  if (l->n && (memchr(l->text.ptr, '(', len) || memchr(l->text.ptr, '[', len))) {
    if (l->pos_cap < len) {
      l->pos_cap = len;
      l->pos = nf_xrealloc(l->pos, len * sizeof *l->pos);
    }
    for (size_t i = 0; i < len; i++) l->pos[i] = i;
    size_t kept = nf_text_drop_empty_brackets_at(l->text.ptr, len, 0, l->pos);
    if (kept < len) line_rewrite(l, kept);
  }
  l->n = 0;
  nf_buf_clear(&l->text);
}

/* Does element n end a line: a block, or a void element (br, img)? */
static int ends_line(const xmlNode *n) {
  return (ex_node_flags(n) & (EX_TAG_VOID)) || !(ex_node_flags(n) & EX_TAG_INLINE);
}

/* Does a text node of body open a bracket that may be empty: "(" or "["
 * followed by nothing but spaces, commas and semicolons up to its close or
 * the node's end? (Most bodies have none: the lines are not built.) */
static int may_hold_empty_brackets(const xmlNode *body) {
  for (const xmlNode *n = body; n; n = ex_next_in(n, body)) {
    if (n->type != XML_TEXT_NODE || !n->content) continue;
    for (const char *p = strpbrk((const char *)n->content, "(["); p;
         p = strpbrk(p + 1, "([")) {
      const char *q = p + 1;
      while (*q && (isspace((unsigned char)*q) || *q == ',' || *q == ';')) q++;
      if (!*q || *q == (*p == '(' ? ')' : ']')) return 1;
    }
  }
  return 0;
}

void ex_drop_empty_brackets(xmlNode *body) {
  if (!may_hold_empty_brackets(body)) return;
  bracket_line l;
  memset(&l, 0, sizeof l);
  nf_buf_init(&l.text);
  xmlNode *n = body;
  for (;;) {
    int descend = 1;
    if (n->type == XML_ELEMENT_NODE && n != body) {
      if (ends_line(n)) line_flush(&l);
      if (ex_tag_is(n, "pre") || ex_tag_is(n, "code")) {
        line_flush(&l);
        descend = 0;
      }
    } else if (n->type == XML_TEXT_NODE && n->content) {
      line_add(&l, n);
    }
    if (descend && n->type == XML_ELEMENT_NODE && n->children) {
      n = n->children;
      continue;
    }
    while (n != body && !n->next) {
      n = n->parent;
      if (n != body && ends_line(n)) line_flush(&l);
    }
    if (n == body) break;
    n = n->next;
  }
  line_flush(&l);
  free(l.nodes);
  free(l.starts);
  free(l.pos);
  nf_buf_free(&l.text);
}
