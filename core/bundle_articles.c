/* bundle_articles.c: the articles of a bundle, for reading. Which entries
 * are articles and of what kind:
 *   tar(.gz), zip  entries named .html .htm .xhtml .xht (read as HTML) and
 *                .txt .text .md .markdown (read as text), also with .gz;
 *                everything else is skipped (manifest.json, mimetype,
 *                META-INF/, images, stylesheets, JSON)
 *   epub         the chapter documents of the package's spine, in reading
 *                order (not the nav document, not linear="no" items, not a
 *                table-of-contents or cover page such as newsform's own
 *                toc.xhtml); a book without a readable package falls back
 *                to its XHTML files
 *   jsonl.gz     every line: its "html" field read as HTML, else "content"
 *                sniffed like a file (markup → HTML, else text), else
 *                "text", "textContent" or "maintext" read as text; "url"
 *                is the page's URL (doc.url, links) and "title" its title
 *                (a text that does not start with it or with a Markdown
 *                heading gets it as its first line)
 * The list is made up front (a tar.gz or jsonl.gz is decompressed once to
 * make it); entries are then read one at a time, by seeking the reader
 * forward (a step back reopens the bundle), so memory stays bounded by
 * the entries in flight. Sits on the front end's reader (nf_bundle_open). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "newsform.h"
#include "warc.h"

#define EPUB_META_MAX ((size_t)4 << 20) /* container.xml, the OPF */
#define SPINE_MAX 100000

struct nf_bundle_articles {
  char *path;
  nf_bundle_format format;
  size_t max_entry;
  nf_bundle_item *items;
  size_t len, cap;
  nf_bundle_reader *reader; /* open while entries are being read */
  long long cur;            /* index of the reader's current entry, -1 */
  nf_buf cur_name;          /* and its name */
  size_t next;              /* nf_bundle_articles_next: the next item */
  nf_buf label;             /* nf_bundle_articles_next: "PATH:ENTRY" */
  size_t n_skips;           /* records the listing passed over (WARC) */
  const char *const *skip_reasons;
  unsigned long long *skip_counts;
};

static void push_item(nf_bundle_articles *a, size_t index,
                      nf_article_kind kind, size_t hint_at) {
  if (a->len == a->cap) {
    a->cap = a->cap ? a->cap * 2 : 64;
    a->items = nf_xrealloc(a->items, a->cap * sizeof *a->items);
  }
  a->items[a->len++] = (nf_bundle_item){index, kind,
                                        hint_at < 4096 ? hint_at : 0, -1};
}

/* ===== Entry names ======================================================= */

static int ends_with_ci(const char *s, size_t len, const char *suffix) {
  size_t n = strlen(suffix);
  return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

/* The kind of an entry by its name; -1 for entries that are not articles. */
static int kind_of_name(const char *name) {
  static const char *const html[] = {".html", ".htm", ".xhtml", ".xht", NULL};
  static const char *const text[] = {".txt", ".text", ".md", ".markdown",
                                     NULL};
  size_t len = strlen(name);
  if (ends_with_ci(name, len, ".gz")) len -= 3;
  const char *slash = strrchr(name, '/');
  const char *base = slash ? slash + 1 : name;
  if (strcmp(base, "manifest.json") == 0 || strcmp(base, "mimetype") == 0 ||
      strncmp(name, "META-INF/", 9) == 0)
    return -1;
  for (int i = 0; html[i]; i++)
    if (ends_with_ci(name, len, html[i])) return NF_ARTICLE_HTML;
  for (int i = 0; text[i]; i++)
    if (ends_with_ci(name, len, text[i])) return NF_ARTICLE_TEXT;
  return -1;
}

/* Pages of a book that are not articles: navigation, contents, cover. */
static int is_book_furniture(const char *path) {
  static const char *const names[] = {"nav", "toc", "toc-page", "contents",
                                      "cover", "titlepage", "title-page",
                                      NULL};
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  const char *dot = strrchr(base, '.');
  size_t n = dot ? (size_t)(dot - base) : strlen(base);
  for (int i = 0; names[i]; i++)
    if (strlen(names[i]) == n && strncasecmp(base, names[i], n) == 0)
      return 1;
  return 0;
}

/* ===== EPUB: container.xml → package → spine ============================= */

typedef struct named_entry {
  char *name;
  size_t index;
} named_entry;

static const char *local_name(const xmlNode *n) {
  return (const char *)n->name;
}

static xmlNode *child_named(xmlNode *parent, const char *name) {
  for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && strcmp(local_name(c), name) == 0)
      return c;
  return NULL;
}

static char *prop(xmlNode *n, const char *name) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
  if (!v) return NULL;
  char *s = nf_xstrdup((const char *)v);
  xmlFree(v);
  return s;
}

static xmlDoc *read_xml(const nf_buf *data) {
  if (data->len == 0 || data->len > EPUB_META_MAX) return NULL;
  /* No network, no entity expansion, no DTD loading, quiet. */
  return xmlReadMemory(data->ptr, (int)data->len, NULL, NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR |
                           XML_PARSE_NOWARNING);
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* base_dir ("OEBPS/" or "") joined with an href: the fragment dropped,
 * %XX decoded, "." and ".." resolved. NULL when it leaves the book or is
 * not a relative path. Caller frees. */
static char *resolve_href(const char *base_dir, const char *href) {
  if (!href || !*href || href[0] == '/' || strstr(href, "://")) return NULL;
  nf_buf joined;
  nf_buf_init(&joined);
  nf_buf_puts(&joined, base_dir);
  for (const char *p = href; *p && *p != '#' && *p != '?'; p++) {
    int hi, lo;
    if (*p == '%' && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0) {
      nf_buf_putc(&joined, hi * 16 + lo);
      p += 2;
    } else {
      nf_buf_putc(&joined, *p);
    }
  }
  /* Segments in place: out never grows past in. */
  nf_buf out;
  nf_buf_init(&out);
  const char *p = joined.ptr;
  int ok = 1;
  while (*p && ok) {
    const char *slash = strchr(p, '/');
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    if (n == 0 || (n == 1 && p[0] == '.')) {
      /* skip */
    } else if (n == 2 && p[0] == '.' && p[1] == '.') {
      if (out.len == 0) ok = 0;
      while (out.len > 0 && out.ptr[out.len - 1] != '/') out.len--;
      if (out.len > 0) out.len--; /* the slash */
      nf_buf_truncate(&out, out.len);
    } else {
      if (out.len) nf_buf_putc(&out, '/');
      nf_buf_put(&out, p, n);
    }
    p = slash ? slash + 1 : p + n;
  }
  nf_buf_free(&joined);
  if (!ok || out.len == 0 || strlen(out.ptr) != out.len) {
    nf_buf_free(&out);
    return NULL;
  }
  return nf_buf_detach(&out);
}

/* The spine's chapter documents, pushed in reading order. Returns the
 * number pushed, or -1 when the package cannot be read (no container, no
 * package, no spine). */
static long push_spine(nf_bundle_articles *a, const named_entry *names,
                       size_t n_names,
                       const char *opf_name, const nf_buf *opf) {
  xmlDoc *doc = read_xml(opf);
  if (!doc) return -1;
  xmlNode *root = xmlDocGetRootElement(doc);
  xmlNode *manifest = root && strcmp(local_name(root), "package") == 0
                          ? child_named(root, "manifest")
                          : NULL;
  xmlNode *spine = root ? child_named(root, "spine") : NULL;
  if (!manifest || !spine) {
    xmlFreeDoc(doc);
    return -1;
  }
  const char *slash = strrchr(opf_name, '/');
  char *base_dir = nf_xstrndup(opf_name, slash ? (size_t)(slash - opf_name) + 1
                                               : 0);
  long pushed = 0;
  for (xmlNode *ref = spine->children; ref && pushed < SPINE_MAX;
       ref = ref->next) {
    if (ref->type != XML_ELEMENT_NODE || strcmp(local_name(ref), "itemref"))
      continue;
    char *idref = prop(ref, "idref");
    char *linear = prop(ref, "linear");
    int skip = !idref || (linear && strcmp(linear, "no") == 0);
    free(linear);
    xmlNode *item = NULL;
    for (xmlNode *c = manifest->children; c && !skip && !item; c = c->next) {
      if (c->type != XML_ELEMENT_NODE || strcmp(local_name(c), "item"))
        continue;
      char *id = prop(c, "id");
      if (id && strcmp(id, idref) == 0) item = c;
      free(id);
    }
    char *href = item ? prop(item, "href") : NULL;
    char *type = item ? prop(item, "media-type") : NULL;
    char *props = item ? prop(item, "properties") : NULL;
    char *path = href ? resolve_href(base_dir, href) : NULL;
    if (!path || !type ||
        (strcmp(type, "application/xhtml+xml") && strcmp(type, "text/html")))
      skip = 1;
    if (props) { /* properties is a space-separated list */
      for (char *w = strtok(props, " \t\n"); w; w = strtok(NULL, " \t\n"))
        if (strcmp(w, "nav") == 0) skip = 1;
    }
    if (!skip && (is_book_furniture(path) || is_book_furniture(idref)))
      skip = 1;
    for (size_t i = 0; i < n_names && !skip; i++) {
      if (strcmp(names[i].name, path) == 0) {
        size_t dl = strlen(base_dir);
        push_item(a, names[i].index, NF_ARTICLE_HTML,
                  strncmp(path, base_dir, dl) == 0 ? dl : 0);
        pushed++;
        break;
      }
    }
    free(idref);
    free(href);
    free(type);
    free(props);
    free(path);
  }
  free(base_dir);
  xmlFreeDoc(doc);
  return pushed;
}

/* "OEBPS/content.opf" from container.xml, or NULL. */
static char *rootfile_of(const nf_buf *container) {
  xmlDoc *doc = read_xml(container);
  if (!doc) return NULL;
  xmlNode *root = xmlDocGetRootElement(doc);
  xmlNode *rootfiles = root ? child_named(root, "rootfiles") : NULL;
  char *path = NULL;
  for (xmlNode *c = rootfiles ? rootfiles->children : NULL; c && !path;
       c = c->next) {
    if (c->type != XML_ELEMENT_NODE || strcmp(local_name(c), "rootfile"))
      continue;
    char *full = prop(c, "full-path");
    if (full) path = resolve_href("", full);
    free(full);
  }
  xmlFreeDoc(doc);
  return path;
}

/* ===== Listing a bundle ================================================== */

typedef struct listing {
  named_entry *names; /* zip/epub: every file entry (for the spine) */
  size_t n_names, cap_names;
  nf_buf container;   /* META-INF/container.xml */
  int have_container;
  char **opf_names;   /* .opf entries read along the way */
  nf_buf *opfs;
  size_t n_opfs;
} listing;

static void listing_free(listing *ls) {
  for (size_t i = 0; i < ls->n_names; i++) free(ls->names[i].name);
  free(ls->names);
  nf_buf_free(&ls->container);
  for (size_t i = 0; i < ls->n_opfs; i++) {
    free(ls->opf_names[i]);
    nf_buf_free(&ls->opfs[i]);
  }
  free(ls->opf_names);
  free(ls->opfs);
}

/* Reads a small entry in passing (the reader is positioned on it). */
static int read_small(nf_bundle_reader *r, const nf_bundle_entry *e,
                      nf_buf *out) {
  char err[256];
  if (e->size > EPUB_META_MAX) return -1;
  return nf_bundle_read(r, out, err, sizeof err);
}

/* Lists the reader's entries into l. Returns 0, or -1 with err set (the
 * entries pushed are rolled back by the caller). */
static int list_bundle(nf_bundle_articles *a, nf_bundle_reader *r, char *err,
                       size_t errlen) {
  nf_bundle_format f = nf_bundle_reader_format(r);
  int zip_like = f == NF_BUNDLE_ZIP || f == NF_BUNDLE_EPUB;
  listing ls;
  memset(&ls, 0, sizeof ls);
  nf_buf_init(&ls.container);
  nf_bundle_entry e;
  int rc;
  while ((rc = nf_bundle_next(r, &e, err, errlen)) == 1) {
    if (e.type != NF_ENTRY_FILE) continue;
    if (f == NF_BUNDLE_JSONL_GZ) {
      push_item(a, e.index, NF_ARTICLE_JSON_LINE, 0);
      continue;
    }
    if (f == NF_BUNDLE_WARC || f == NF_BUNDLE_WARC_GZ) {
      /* the reader passed over what is not an article */
      push_item(a, e.index, NF_ARTICLE_WARC, 0);
      /* "@OFFSET" (not "@MEMBER+WITHIN" in one gzip stream): the record
       * can be read alone, by seeking */
      char *end;
      long long off = e.name[0] == '@' ? strtoll(e.name + 1, &end, 10) : -1;
      if (off >= 0 && !*end) a->items[a->len - 1].offset = off;
      continue;
    }
    if (zip_like) {
      if (ls.n_names == ls.cap_names) {
        ls.cap_names = ls.cap_names ? ls.cap_names * 2 : 64;
        ls.names = nf_xrealloc(ls.names, ls.cap_names * sizeof *ls.names);
      }
      ls.names[ls.n_names++] = (named_entry){nf_xstrdup(e.name), e.index};
      size_t len = strlen(e.name);
      if (strcmp(e.name, "META-INF/container.xml") == 0) {
        ls.have_container = read_small(r, &e, &ls.container) == 0;
      } else if (ends_with_ci(e.name, len, ".opf") && ls.n_opfs < 8) {
        ls.opf_names = nf_xrealloc(ls.opf_names,
                                   (ls.n_opfs + 1) * sizeof *ls.opf_names);
        ls.opfs = nf_xrealloc(ls.opfs, (ls.n_opfs + 1) * sizeof *ls.opfs);
        nf_buf_init(&ls.opfs[ls.n_opfs]);
        ls.opf_names[ls.n_opfs] = nf_xstrdup(e.name);
        read_small(r, &e, &ls.opfs[ls.n_opfs]);
        ls.n_opfs++;
      }
    }
    int kind = kind_of_name(e.name);
    if (kind >= 0) push_item(a, e.index, (nf_article_kind)kind, 0);
  }
  if (rc == 0 && zip_like && (f == NF_BUNDLE_EPUB || ls.have_container)) {
    /* A book: its spine replaces the file listing. */
    a->len = 0;
    char *opf_name = ls.have_container ? rootfile_of(&ls.container) : NULL;
    long pushed = -1;
    for (size_t i = 0; opf_name && i < ls.n_opfs; i++)
      if (strcmp(ls.opf_names[i], opf_name) == 0)
        pushed = push_spine(a, ls.names, ls.n_names, opf_name, &ls.opfs[i]);
    free(opf_name);
    if (pushed <= 0) { /* no readable package or no chapter: the XHTML */
      a->len = 0;
      for (size_t i = 0; i < ls.n_names; i++) {
        int kind = kind_of_name(ls.names[i].name);
        if (kind >= 0 && !is_book_furniture(ls.names[i].name))
          push_item(a, ls.names[i].index, (nf_article_kind)kind, 0);
      }
    }
  }
  listing_free(&ls);
  const char *const *reasons;
  const unsigned long long *counts;
  a->n_skips = nf_bundle_reader_skips(r, &reasons, &counts);
  if (a->n_skips) {
    a->skip_reasons = reasons; /* static strings */
    a->skip_counts = nf_xmalloc(a->n_skips * sizeof *a->skip_counts);
    memcpy(a->skip_counts, counts, a->n_skips * sizeof *a->skip_counts);
  }
  return rc < 0 ? -1 : 0;
}

/* ===== Opening =========================================================== */

void nf_bundle_articles_free(nf_bundle_articles *a) {
  if (!a) return;
  nf_bundle_reader_free(a->reader);
  nf_buf_free(&a->cur_name);
  nf_buf_free(&a->label);
  free(a->items);
  free(a->skip_counts);
  free(a->path);
  free(a);
}

void nf_bundle_entry_label(const char *bundle, const char *entry,
                           nf_buf *out) {
  size_t bl = strlen(bundle), el = strlen(entry);
  if (entry[0] != '@') {
    nf_buf_printf(out, "%s:%s", bundle, entry);
  } else if (bl >= el && strcmp(bundle + bl - el, entry) == 0) {
    nf_buf_puts(out, bundle); /* FILE@OFFSET read as such */
  } else {
    nf_buf_puts(out, bundle);
    nf_buf_puts(out, entry);
  }
}

size_t nf_bundle_articles_skips(const nf_bundle_articles *a,
                                const char *const **reasons,
                                const unsigned long long **counts) {
  *reasons = a ? a->skip_reasons : NULL;
  *counts = a ? a->skip_counts : NULL;
  return a ? a->n_skips : 0;
}

nf_bundle_articles *nf_bundle_articles_open(const char *path,
                                            nf_bundle_format format,
                                            size_t max_entry_size, char *err,
                                            size_t errlen) {
  size_t max_entry = max_entry_size ? max_entry_size
                                    : NF_BUNDLE_MAX_ENTRY_DEFAULT;
  nf_bundle_reader *r = nf_bundle_open(path, format, max_entry, err, errlen);
  if (!r) return NULL;
  nf_bundle_articles *a = nf_xcalloc(1, sizeof *a);
  a->path = nf_xstrdup(path);
  a->format = nf_bundle_reader_format(r);
  a->max_entry = max_entry;
  a->cur = -1;
  nf_buf_init(&a->cur_name);
  nf_buf_init(&a->label);
  int rc = list_bundle(a, r, err, errlen);
  nf_bundle_reader_free(r); /* reopened when the first entry is read */
  if (rc < 0) {
    nf_bundle_articles_free(a);
    return NULL;
  }
  return a;
}

nf_bundle_format nf_bundle_articles_format(const nf_bundle_articles *a) {
  return a->format;
}

size_t nf_bundle_articles_count(const nf_bundle_articles *a) {
  return a->len;
}

const nf_bundle_item *nf_bundle_articles_item(const nf_bundle_articles *a,
                                              size_t i) {
  return i < a->len ? &a->items[i] : NULL;
}

/* ===== Reading an entry ================================================== */

static int src_open(nf_bundle_articles *src, char *err, size_t errlen) {
  nf_bundle_reader_free(src->reader);
  src->cur = -1;
  src->reader = nf_bundle_open(src->path, src->format, src->max_entry, err,
                               errlen);
  return src->reader ? 0 : -1;
}

/* Moves the reader to the entry with index `want`. */
static int src_seek(nf_bundle_articles *src, size_t want, char *err,
                    size_t errlen) {
  if (!src->reader || src->cur > (long long)want)
    if (src_open(src, err, errlen) < 0) return -1;
  while (src->cur < (long long)want) {
    nf_bundle_entry e;
    int rc = nf_bundle_next(src->reader, &e, err, errlen);
    if (rc < 0) return -1;
    if (rc == 0) {
      snprintf(err, errlen, "%s: entry %zu is gone (the bundle changed?)",
               src->path, want + 1);
      return -1;
    }
    src->cur = (long long)e.index;
    nf_buf_clear(&src->cur_name);
    nf_buf_puts(&src->cur_name, e.name);
  }
  if (src->cur != (long long)want) {
    snprintf(err, errlen, "%s: entry %zu is gone (the bundle changed?)",
             src->path, want + 1);
    return -1;
  }
  return 0;
}

int nf_bundle_articles_load(nf_bundle_articles *a, size_t entry_index,
                            nf_buf *out, char **entry, char *err,
                            size_t errlen) {
  *entry = NULL;
  int rc = src_seek(a, entry_index, err, errlen);
  if (rc < 0 && a->reader) {
    /* The reader may have stopped at an earlier entry's error: once more
     * from the start. */
    char again[1024];
    if (src_open(a, again, sizeof again) == 0)
      rc = src_seek(a, entry_index, err, errlen);
  }
  if (rc == 0) {
    *entry = nf_xstrdup(a->cur_name.ptr);
    rc = nf_bundle_read(a->reader, out, err, errlen);
  }
  return rc;
}

void nf_bundle_articles_release(nf_bundle_articles *a) {
  nf_bundle_reader_free(a->reader);
  a->reader = NULL;
  a->cur = -1;
}

/* ===== Parsing =========================================================== */

static const char *json_str(const nf_json *obj, const char *key) {
  const char *s = nf_json_string(nf_json_get(obj, key));
  return s && *s ? s : NULL;
}

/* Does a text need its title line? Not when it starts with a Markdown
 * heading or with the title itself. */
static int needs_title_line(const char *text, const char *title) {
  while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
    text++;
  return *text != '#' && strncmp(text, title, strlen(title)) != 0;
}

/* A .jsonl line: the article in its html, content or text field. */
static nf_doc *parse_json_line(const nf_parse_opts *o, const char *data,
                               size_t len, char *err, size_t errlen) {
  char e[256];
  nf_json *v = nf_json_parse(data, len, e, sizeof e);
  if (!v || v->type != NF_JSON_OBJECT) {
    snprintf(err, errlen, "not a JSON object%s%s", v ? "" : ": ",
             v ? "" : e);
    nf_json_free(v);
    return NULL;
  }
  static const char *const text_keys[] = {"text", "textContent", "maintext",
                                          NULL};
  nf_input_type type = NF_INPUT_HTML;
  const nf_json *field = nf_json_get(v, "html");
  if (!nf_json_string(field)) {
    field = nf_json_get(v, "content");
    type = NF_INPUT_AUTO;
  }
  for (int i = 0; text_keys[i] && !nf_json_string(field); i++) {
    field = nf_json_get(v, text_keys[i]);
    type = NF_INPUT_TEXT;
  }
  if (!nf_json_string(field)) {
    snprintf(err, errlen, "no \"html\", \"content\" or \"text\" string in "
             "the line");
    nf_json_free(v);
    return NULL;
  }
  if (o->type != NF_INPUT_AUTO) type = o->type;
  const char *title = json_str(v, "title");
  nf_parse_opts po = {type, o->encoding, o->source, json_str(v, "url")};
  nf_doc *doc = nf_doc_parse(field->string, field->string_len, &po, err,
                             errlen);
  if (doc && title && nf_doc_type(doc) == NF_INPUT_TEXT &&
      needs_title_line(field->string, title)) {
    /* Datasets keep the title apart from the text: put it back where the
     * text reader looks for one, its first line. */
    nf_buf text;
    nf_buf_init(&text);
    nf_buf_printf(&text, "%s\n\n", title);
    nf_buf_put(&text, field->string, field->string_len);
    nf_doc_free(doc);
    po.type = NF_INPUT_TEXT;
    doc = nf_doc_parse(text.ptr, text.len, &po, err, errlen);
    nf_buf_free(&text);
  }
  char *has = doc ? nf_doc_title(doc) : NULL;
  if (doc && !has && title) { /* an HTML fragment without one */
    nf_node *t = nf_node_new_element(doc, "title");
    nf_node_set_text(doc, t, title);
    nf_node_append(doc, nf_doc_head(doc), t);
  }
  free(has);
  nf_json_free(v);
  return doc;
}

nf_doc *nf_bundle_article_parse(nf_article_kind kind, const char *data,
                                size_t len, const nf_parse_opts *opts,
                                size_t max_input, char *err, size_t errlen) {
  nf_parse_opts none;
  memset(&none, 0, sizeof none);
  const nf_parse_opts *o = opts ? opts : &none;
  if (kind == NF_ARTICLE_JSON_LINE)
    return parse_json_line(o, data, len, err, errlen);
  if (kind == NF_ARTICLE_WARC)
    return nfw_record_doc(data, len, o, max_input, err, errlen);
  nf_parse_opts po = *o;
  if (po.type == NF_INPUT_AUTO)
    po.type = kind == NF_ARTICLE_TEXT ? NF_INPUT_TEXT : NF_INPUT_HTML;
  if (nf_is_gzip(data, len)) {
    /* an entry "page.html.gz" */
    nf_buf plain;
    nf_buf_init(&plain);
    if (nf_gunzip(data, len, max_input, &plain, err, errlen) < 0) {
      nf_buf_free(&plain);
      return NULL;
    }
    nf_doc *doc = nf_doc_parse(plain.ptr, plain.len, &po, err, errlen);
    nf_buf_free(&plain);
    return doc;
  }
  return nf_doc_parse(data, len, &po, err, errlen);
}

/* ===== One after the other =============================================== */

int nf_bundle_articles_next(nf_bundle_articles *a, const nf_parse_opts *opts,
                            nf_doc **doc, const char **entry, char *err,
                            size_t errlen) {
  *doc = NULL;
  *entry = NULL;
  if (a->next >= a->len) {
    nf_bundle_articles_release(a);
    return 0;
  }
  const nf_bundle_item *it = &a->items[a->next++];
  nf_buf data;
  nf_buf_init(&data);
  char *name = NULL;
  int rc = nf_bundle_articles_load(a, it->entry, &data, &name, err, errlen);
  nf_buf_clear(&a->label);
  if (name) nf_bundle_entry_label(a->path, name, &a->label);
  else nf_buf_printf(&a->label, "%s:#%zu", a->path, it->entry + 1);
  *entry = name ? a->label.ptr + a->label.len - strlen(name)
                : a->label.ptr + strlen(a->path) + 1;
  free(name);
  if (rc == 0) {
    nf_parse_opts po;
    memset(&po, 0, sizeof po);
    if (opts) po = *opts;
    if (!po.source) po.source = a->label.ptr;
    char e[1024];
    *doc = nf_bundle_article_parse(it->kind, data.ptr, data.len, &po,
                                   a->max_entry, e, sizeof e);
    if (!*doc) {
      snprintf(err, errlen, "%s: %s", a->label.ptr, e);
      rc = -1;
    }
  }
  nf_buf_free(&data);
  return rc < 0 ? -1 : 1;
}
