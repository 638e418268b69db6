/* bundle_article.c: articles in bundles, above the formats. An article
 * becomes what its bundle's format takes (bundle.h's nfb_form): a
 * standalone XHTML page entry (tar, zip, dir), a chapter whose XHTML body
 * is rendered here, once (EPUB), or a line with its plain text (jsonl).
 * Also the one mapping of a document plus a script's result to an article
 * (the command's -o X.epub and Lua's bundle:add_article). */
#include "bundle.h"

#include <stdlib.h>
#include <string.h>

/* ===== Bodies ========================================================== */

/* The body of an article as an XHTML fragment: given, rendered from its
 * node, parsed from its HTML, or its text as paragraphs. */
static void render_body(const nf_bundle_article *a, nf_buf *out) {
  if (a->xhtml) {
    nf_buf_puts(out, a->xhtml);
    return;
  }
  nf_render_opts ro;
  memset(&ro, 0, sizeof ro);
  ro.xhtml = 1;
  ro.base_url = a->url;
  if (a->body) {
    nf_render_html(a->body, &ro, out);
    return;
  }
  if (a->html) {
    char e[256];
    nf_parse_opts po;
    memset(&po, 0, sizeof po);
    po.type = NF_INPUT_HTML;
    po.url = a->url;
    size_t n = a->html_len ? a->html_len : strlen(a->html);
    nf_doc *d = nf_doc_parse(a->html, n, &po, e, sizeof e);
    if (d) {
      for (nf_node *c = nf_node_first_child(nf_doc_body(d)); c;
           c = nf_node_next(c))
        nf_render_html(c, &ro, out);
      nf_doc_free(d);
    }
    return;
  }
  if (a->text) nfb_paragraphs(out, a->text);
}

/* The plain text of an article (jsonl lines): given, from its node, from
 * its rendered XHTML; only an article given as HTML alone is parsed. */
static void article_text(const nf_bundle_article *a, nf_buf *out) {
  nf_render_opts ro;
  memset(&ro, 0, sizeof ro);
  if (a->text) {
    nf_buf_puts(out, a->text);
  } else if (a->body) {
    nf_render_text(a->body, &ro, out);
  } else if (a->xhtml) {
    nfb_xhtml_text(a->xhtml, out);
  } else if (a->html) {
    char e[256];
    nf_parse_opts po;
    memset(&po, 0, sizeof po);
    po.type = NF_INPUT_HTML;
    nf_doc *d = nf_doc_parse(a->html, a->html_len ? a->html_len
                                                  : strlen(a->html),
                             &po, e, sizeof e);
    if (d) {
      nf_render_text(nf_doc_body(d), &ro, out);
      nf_doc_free(d);
    }
  }
}

static nfb_chapter chapter_of(const nf_bundle_article *a) {
  nfb_chapter c;
  memset(&c, 0, sizeof c);
  c.title = a->title;
  c.author = a->author;
  c.published = a->published;
  c.section = a->section;
  c.summary = a->summary;
  c.url = a->url;
  c.source = a->source;
  c.lang = a->lang;
  return c;
}

/* A standalone XHTML page (tar/zip/dir entries). */
static void article_page(const nf_bundle_article *a, nf_buf *out) {
  nfb_chapter c = chapter_of(a);
  if (!c.title || !*c.title) c.title = "Untitled";
  c.section = c.summary = c.source = c.lang = NULL;
  nf_buf body = NF_BUF_INIT;
  nf_buf_init(&body);
  render_body(a, &body);   /* a standalone page may keep remote images */
  char *lang = nfb_clean_lang(a->lang);
  nfb_page_head(out, c.title, lang, NULL);
  free(lang);
  nf_buf_puts(out, "<body>\n");
  nfb_article_section(out, &c, body.ptr);
  nf_buf_puts(out, "</body>\n</html>\n");
  nf_buf_free(&body);
}

/* ===== Adding ========================================================== */

int nf_bundle_add_article(nf_bundle *b, const nf_bundle_article *a,
                          char *err, size_t errlen) {
  nfb_form form = nfb_form_of(b);
  nf_buf out = NF_BUF_INIT;
  nf_buf_init(&out);
  nfb_chapter c = chapter_of(a);
  int rc;
  if (form == NFB_FORM_XHTML) {
    render_body(a, &out);
    c.xhtml = out.ptr;
    rc = nfb_add_chapter(b, &c, err, errlen);
    nf_buf_free(&out);
    return rc;
  }
  const char *hint = a->title && *a->title ? a->title
                     : a->source           ? a->source
                     : a->url              ? a->url
                                           : "article";
  if (form == NFB_FORM_TEXT) {
    char *name = nf_bundle_safe_name(b, hint, "");
    article_text(a, &out);
    c.name = name;
    c.text = out.ptr;
    rc = nfb_add_chapter(b, &c, err, errlen);
    free(name);
  } else {
    char *name = nf_bundle_safe_name(b, hint, ".html");
    nf_bundle_meta meta;
    memset(&meta, 0, sizeof meta);
    meta.source = a->source;
    meta.title = a->title;
    meta.published = a->published;
    long long t = nf_bundle_parse_time(a->published);
    if (t > 0) meta.mtime = t;
    article_page(a, &out);
    rc = nf_bundle_add(b, name, out.ptr, out.len, &meta, err, errlen);
    free(name);
  }
  nf_buf_free(&out);
  return rc;
}

/* ===== A document and a script's result as an article ================= */

/* The article and the strings it owns. */
typedef struct owned_article {
  nf_bundle_article a;     /* first: the pointer handed out */
  char *strings[12];
  size_t n;
} owned_article;

static const char *own(owned_article *o, const char *s) {
  if (!s || !*s) return NULL;
  char *copy = nf_xstrdup(s);
  o->strings[o->n++] = copy;
  return copy;
}

static int is_ext(const char *ext, const char *const *list) {
  for (int i = 0; ext && list[i]; i++)
    if (strcmp(ext, list[i]) == 0) return 1;
  return 0;
}

nf_bundle_article *nf_bundle_article_new(nf_doc *doc,
                                         const nf_bundle_result *res) {
  owned_article *o = nf_xcalloc(1, sizeof *o);
  nf_bundle_article *a = &o->a;
  nf_bundle_result none;
  memset(&none, 0, sizeof none);
  const nf_bundle_result *r = res ? res : &none;
  nf_article *art = doc ? nf_article_extract(doc) : NULL; /* cached */
  char *doc_title = doc ? nf_doc_title(doc) : NULL;
  const char *title = r->title && *r->title ? r->title
                      : art && art->title && *art->title ? art->title
                                                         : doc_title;
  a->title = own(o, title);
  free(doc_title);
  a->author = own(o, r->author && *r->author ? r->author
                     : art ? art->byline : NULL);
  a->published = own(o, r->published && *r->published ? r->published
                        : art ? art->published : NULL);
  a->section = own(o, r->section);
  a->summary = own(o, r->summary && *r->summary ? r->summary
                      : art ? art->description : NULL);
  a->url = own(o, art && art->url ? art->url : doc ? nf_doc_url(doc) : NULL);
  a->lang = own(o, art ? art->lang : NULL);
  a->source = own(o, r->source ? r->source : doc ? nf_doc_source(doc) : NULL);
  static const char *const html[] = {"html", "xhtml", "htm", NULL};
  static const char *const text[] = {"txt", NULL};
  nf_node *body = art && art->body ? art->body : NULL;
  if (!res) {
    /* the document itself */
    a->body = body ? body : doc ? nf_doc_body(doc) : NULL;
  } else if (is_ext(r->ext, html)) {
    a->html = r->data;
    a->html_len = r->len;
  } else if (!is_ext(r->ext, text) && body) {
    a->body = body;   /* Markdown, JSON...: the article itself */
  } else if (r->data) {
    /* The chapter is headed by the title already: a text that starts
     * with it (the text script's) does not repeat it. */
    const char *t = r->data;
    size_t tl = a->title ? strlen(a->title) : 0;
    if (tl && strncmp(t, a->title, tl) == 0 && (t[tl] == '\n' || t[tl] == '\0'))
      t += tl;
    a->text = t;
  }
  return a;
}

int nf_bundle_article_render(nf_bundle_article *a) {
  owned_article *o = (owned_article *)a;
  if (a->xhtml) return 0;
  nf_buf body = NF_BUF_INIT;
  nf_buf_init(&body);
  render_body(a, &body);
  char *x = nf_buf_detach(&body);
  o->strings[o->n++] = x;
  a->xhtml = x;
  a->body = NULL;
  a->html = NULL;
  a->html_len = 0;
  a->text = NULL;
  return 0;
}

void nf_bundle_article_free(nf_bundle_article *a) {
  if (!a) return;
  owned_article *o = (owned_article *)a;
  for (size_t i = 0; i < o->n; i++) free(o->strings[i]);
  free(o);
}
