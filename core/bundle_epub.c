/* bundle_epub.c: EPUB 3 on the zip writer.
 *
 * Layout: mimetype (first, stored), META-INF/container.xml, then the
 * resources as they are added (OEBPS/...), and at close: OEBPS/cover.xhtml,
 * OEBPS/toc.xhtml (the table of contents page), OEBPS/chNNN.xhtml (one per
 * article), OEBPS/nav.xhtml, OEBPS/toc.ncx, OEBPS/style.css,
 * OEBPS/content.opf and manifest.json.
 *
 * Chapters arrive as finished XHTML fragments (bundle_article.c renders
 * them once, from the node when there is one). At close, when every
 * resource is known, each is read once as XML, in a private libxml2
 * document (not an nf_doc: freeing nodes is fine), which proves it
 * well-formed (a body that is not falls back to its plain text), repairs
 * its content model whatever made it (xhtml_repair.c: tables, lists, ids,
 * attributes...) and lets us enforce the EPUB rules the renderer cannot
 * know: an image is shown
 * only when its bytes are in the book, else it becomes a link labelled by
 * its alt text or caption; links to files not in the book lose their
 * href; fragment links to missing ids too; srcset, <source> and <track>
 * go. */
#include "bundle.h"
#include "xhtml_repair.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

typedef struct chapter {
  char *file, *title, *author, *published, *section, *summary, *url, *source,
      *lang;
  char *body;        /* XHTML fragment as rendered */
  long long time;    /* published, or -1 */
} chapter;

typedef struct resource {
  char *key;         /* the name or URL it was added under */
  char *href;        /* path under OEBPS/ */
  char *media_type;
} resource;

typedef struct nfb_epub {
  void *zip;         /* the zip writer's state: the container */
  char *title, *language, *author, *identifier;
  int mtime_given;
  unsigned char *cover;
  size_t cover_len;
  char *cover_type, *cover_href;
  chapter *chapters;
  size_t n_chapters, cap_chapters;
  resource *res;
  size_t n_res, cap_res;
  uint64_t hash[2];  /* content hash for the default identifier */
} nfb_epub;

/* ===== Small helpers =================================================== */

static void hash_bytes(nfb_epub *e, const void *p, size_t n) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++) {
    e->hash[0] = (e->hash[0] ^ s[i]) * 1099511628211ULL;
    e->hash[1] = (e->hash[1] ^ s[i]) * 0x100000001b3ULL + 0x9e3779b97f4a7c15ULL;
  }
  e->hash[0] ^= n;
}

static char *dup_or_null(const char *s) { return s && *s ? nf_xstrdup(s) : NULL; }

static const char *media_type_of(const char *name) {
  static const struct { const char *ext, *type; } types[] = {
      {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".png", "image/png"},
      {".gif", "image/gif"}, {".webp", "image/webp"},
      {".svg", "image/svg+xml"}, {".css", "text/css"},
      {".xhtml", "application/xhtml+xml"}, {".js", "application/javascript"},
      {".ttf", "font/ttf"}, {".otf", "font/otf"}, {".woff", "font/woff"},
      {".woff2", "font/woff2"}, {".mp3", "audio/mpeg"}, {".mp4", "video/mp4"},
      {".json", "application/json"}, {".txt", "text/plain"},
      {".md", "text/markdown"}, {".html", "text/html"}};
  const char *dot = strrchr(name, '.');
  if (dot && !strchr(dot, '/'))
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
      if (strcasecmp(dot, types[i].ext) == 0) return types[i].type;
  return NULL;
}

static const char *sniff_image(const unsigned char *p, size_t n) {
  if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) return "image/jpeg";
  if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) return "image/png";
  if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
    return "image/gif";
  if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
    return "image/webp";
  if (n >= 5 && (memmem(p, n < 512 ? n : 512, "<svg", 4) != NULL))
    return "image/svg+xml";
  return NULL;
}

static const char *ext_of_type(const char *type) {
  if (!type) return ".bin";
  if (!strcmp(type, "image/jpeg")) return ".jpg";
  if (!strcmp(type, "image/png")) return ".png";
  if (!strcmp(type, "image/gif")) return ".gif";
  if (!strcmp(type, "image/webp")) return ".webp";
  if (!strcmp(type, "image/svg+xml")) return ".svg";
  return ".bin";
}

static int write_file(nfb_epub *e, nfb_io *b, const char *name,
                      const nf_buf *data, const char *title,
                      const char *source, const char *published) {
  nf_bundle_meta m;
  memset(&m, 0, sizeof m);
  m.title = title;
  m.source = source;
  m.published = published;
  return nfb_zip_add(e->zip, b, name, data->ptr, data->len, &m, b->mtime);
}

/* ===== Begin, add ====================================================== */

static int epub_begin(nfb_io *b, const nf_bundle_opts *o, void **state) {
  nfb_epub *e = nf_xcalloc(1, sizeof *e);
  *state = e;
  b->zip64 = 0;   /* mimetype must have no extra field */
  if (nfb_zip_writer.begin(b, o, &e->zip) < 0) return -1;
  e->title = nf_xstrdup(o->title && *o->title ? o->title : "Untitled");
  e->language = nfb_clean_lang(o->language);
  if (!e->language) e->language = nf_xstrdup("en");
  e->author = dup_or_null(o->author);
  e->identifier = dup_or_null(o->identifier);
  e->mtime_given = o->mtime != 0;
  e->hash[0] = 1469598103934665603ULL;
  e->hash[1] = 0x84222325cbf29ce4ULL;
  hash_bytes(e, e->title, strlen(e->title));
  if (o->cover && o->cover_len) {
    const char *type = o->cover_type ? o->cover_type
                                     : sniff_image(o->cover, o->cover_len);
    if (!type || strncmp(type, "image/", 6) != 0)
      return nfb_fail(b, "%s: the cover is not a JPEG, PNG, GIF, WebP or SVG "
                      "image", b->path);
    e->cover = nf_xmalloc(o->cover_len);
    memcpy(e->cover, o->cover, o->cover_len);
    e->cover_len = o->cover_len;
    e->cover_type = nf_xstrdup(type);
    nf_buf h = NF_BUF_INIT;
    nf_buf_init(&h);
    nf_buf_printf(&h, "images/cover%s", ext_of_type(type));
    e->cover_href = nf_buf_detach(&h);
  }
  nf_bundle_meta stored;
  memset(&stored, 0, sizeof stored);
  stored.store = 1;
  static const char mimetype[] = "application/epub+zip";
  if (nfb_zip_add(e->zip, b, "mimetype", mimetype, sizeof mimetype - 1, &stored,
                  b->mtime) < 0)
    return -1;
  static const char container[] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<container version=\"1.0\" "
      "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
      "  <rootfiles>\n"
      "    <rootfile full-path=\"OEBPS/content.opf\" "
      "media-type=\"application/oebps-package+xml\"/>\n"
      "  </rootfiles>\n"
      "</container>\n";
  if (nfb_zip_add(e->zip, b, "META-INF/container.xml", container,
                  sizeof container - 1, NULL, b->mtime) < 0)
    return -1;
  if (e->cover) {
    nf_buf name = NF_BUF_INIT;
    nf_buf_init(&name);
    nf_buf_printf(&name, "OEBPS/%s", e->cover_href);
    int rc = nfb_zip_add(e->zip, b, name.ptr, e->cover, e->cover_len, NULL, b->mtime);
    nf_buf_free(&name);
    hash_bytes(e, e->cover, e->cover_len);
    if (rc < 0) return -1;
  }
  return 0;
}

static int epub_add_article(void *state, nfb_io *b, const nfb_chapter *a) {
  nfb_epub *e = state;
  (void)b;
  if (e->n_chapters == e->cap_chapters) {
    e->cap_chapters = e->cap_chapters ? e->cap_chapters * 2 : 16;
    e->chapters = nf_xrealloc(e->chapters, e->cap_chapters * sizeof *e->chapters);
  }
  chapter *c = &e->chapters[e->n_chapters];
  memset(c, 0, sizeof *c);
  nf_buf f = NF_BUF_INIT;
  nf_buf_init(&f);
  nf_buf_printf(&f, "ch%03zu.xhtml", e->n_chapters + 1);
  c->file = nf_buf_detach(&f);
  c->title = nf_xstrdup(a->title && *a->title ? a->title : "Untitled");
  c->author = dup_or_null(a->author);
  c->published = dup_or_null(a->published);
  c->section = dup_or_null(a->section);
  c->summary = dup_or_null(a->summary);
  c->url = dup_or_null(a->url);
  c->source = dup_or_null(a->source);
  c->lang = nfb_clean_lang(a->lang);
  c->time = nf_bundle_parse_time(a->published);
  c->body = nf_xstrdup(a->xhtml ? a->xhtml : "");
  e->n_chapters++;
  return 0;
}

static int epub_add_resource(void *state, nfb_io *b, const char *name,
                             const void *data, size_t len,
                             const char *media_type) {
  nfb_epub *e = state;
  for (size_t i = 0; i < e->n_res; i++)
    if (strcmp(e->res[i].key, name) == 0)
      return nfb_fail(b, "%s: resource \"%s\" added twice", b->path, name);
  const char *type = media_type && *media_type ? media_type : NULL;
  if (!type) type = sniff_image(data, len);
  int remote = strstr(name, "://") != NULL || strncmp(name, "//", 2) == 0;
  if (!type && !remote) type = media_type_of(name);
  if (!type) type = "application/octet-stream";
  nf_buf href = NF_BUF_INIT;
  nf_buf_init(&href);
  if (remote) {
    nf_buf_printf(&href, "images/res-%03zu%s", e->n_res + 1, ext_of_type(type));
  } else {
    const char *why = nf_bundle_name_check(name);
    if (why) {
      nf_buf_free(&href);
      return nfb_fail(b, "%s: bad resource name \"%s\": %s", b->path, name, why);
    }
    nf_buf_puts(&href, name);
  }
  /* names the book itself uses */
  static const char *const reserved[] = {
      "content.opf", "nav.xhtml", "toc.ncx", "toc.xhtml", "cover.xhtml",
      "style.css", NULL};
  int clash = strncmp(href.ptr, "ch", 2) == 0 && strstr(href.ptr, ".xhtml");
  for (size_t i = 0; reserved[i]; i++) clash |= strcmp(href.ptr, reserved[i]) == 0;
  if (e->cover_href) clash |= strcmp(href.ptr, e->cover_href) == 0;
  if (clash) {
    nfb_fail(b, "%s: resource name \"%s\" is used by the book itself", b->path,
             href.ptr);
    nf_buf_free(&href);
    return -1;
  }
  nf_buf zname = NF_BUF_INIT;
  nf_buf_init(&zname);
  nf_buf_printf(&zname, "OEBPS/%s", href.ptr);
  int rc = -1;
  if (nf_strset_has(&b->names, zname.ptr)) {
    nfb_fail(b, "%s: duplicate entry name \"%s\"", b->path, zname.ptr);
  } else {
    rc = nfb_zip_add(e->zip, b, zname.ptr, data, len, NULL, b->mtime);
  }
  nf_buf_free(&zname);
  if (rc < 0) {
    nf_buf_free(&href);
    return -1;
  }
  hash_bytes(e, data, len);
  if (e->n_res == e->cap_res) {
    e->cap_res = e->cap_res ? e->cap_res * 2 : 16;
    e->res = nf_xrealloc(e->res, e->cap_res * sizeof *e->res);
  }
  resource *r = &e->res[e->n_res++];
  r->key = nf_xstrdup(name);
  r->href = nf_buf_detach(&href);
  r->media_type = nf_xstrdup(type);
  return 0;
}

/* ===== Checking and fixing a body ====================================== */

static const resource *find_resource(const nfb_epub *e, const char *src) {
  if (!src) return NULL;
  for (size_t i = 0; i < e->n_res; i++)
    if (strcmp(e->res[i].key, src) == 0 || strcmp(e->res[i].href, src) == 0)
      return &e->res[i];
  return NULL;
}

static int is_elem(xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Text of the figcaption of the figure around img, if any (caller frees). */
static char *figure_caption(xmlNode *img) {
  for (xmlNode *p = img->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent) {
    if (!is_elem(p, "figure")) continue;
    for (xmlNode *c = p->children; c; c = c->next)
      if (is_elem(c, "figcaption")) {
        xmlChar *t = xmlNodeGetContent(c);
        char *s = t ? nf_xstrdup((const char *)t) : NULL;
        xmlFree(t);
        return s;
      }
    break;
  }
  return NULL;
}

static void unwrap(xmlNode *n) {
  xmlNode *c = n->children;
  while (c) {
    xmlNode *next = c->next;
    xmlUnlinkNode(c);
    xmlAddPrevSibling(n, c);
    c = next;
  }
  xmlUnlinkNode(n);
  xmlFreeNode(n);
}

/* An image without its bytes: a link to it, labelled by alt or caption. */
static void image_to_link(xmlDoc *doc, xmlNode *img, int in_link) {
  xmlChar *src = xmlGetProp(img, BAD_CAST "src");
  xmlChar *alt = xmlGetProp(img, BAD_CAST "alt");
  char *caption = NULL;
  const char *label = alt && *alt ? (const char *)alt : NULL;
  int has_figcaption = 0;
  if (!label) {
    caption = figure_caption(img);
    has_figcaption = caption != NULL;
    /* the figure already shows its caption: a short label is enough */
    label = caption && *caption && !has_figcaption ? caption : "Image";
  }
  xmlNode *repl;
  if (src && nfb_is_remote((const char *)src) && !in_link) {
    repl = xmlNewDocNode(doc, img->ns, BAD_CAST "a", NULL);
    const char *url = (const char *)src;
    nf_buf full = NF_BUF_INIT;
    nf_buf_init(&full);
    if (strncmp(url, "//", 2) == 0) nf_buf_puts(&full, "https:");
    nf_buf_puts(&full, url);
    xmlNewProp(repl, BAD_CAST "href", BAD_CAST full.ptr);
    xmlNewProp(repl, BAD_CAST "class", BAD_CAST "image-link");
    nf_buf_free(&full);
    xmlAddChild(repl, xmlNewDocText(doc, BAD_CAST label));
  } else {
    repl = xmlNewDocText(doc, BAD_CAST label);
  }
  xmlReplaceNode(img, repl);
  xmlFreeNode(img);
  xmlFree(src);
  xmlFree(alt);
  free(caption);
}

static int inside_link(xmlNode *n) {
  for (xmlNode *p = n->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent)
    if (is_elem(p, "a")) return 1;
  return 0;
}

/* A figure may hold one figcaption, as its first or last element child;
 * other captions become plain divs (classed, so styles still reach them). */
static void fix_figures(xmlNode *root) {
  nf_nodelist figs = {0};
  xmlNode *n = root->children;
  while (n) {
    if (n->type == XML_ELEMENT_NODE) {
      if (is_elem(n, "figure")) nf_nodelist_push(&figs, (nf_node *)n);
      if (n->children) { n = n->children; continue; }
    }
    while (n && !n->next && n->parent != root) n = n->parent;
    n = n ? n->next : NULL;
  }
  for (size_t i = 0; i < figs.len; i++) {
    xmlNode *fig = (xmlNode *)figs.items[i];
    xmlNode *first = NULL, *last = NULL;
    size_t captions = 0;
    for (xmlNode *c = fig->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      if (!first) first = c;
      last = c;
      if (is_elem(c, "figcaption")) captions++;
    }
    xmlNode *keep = NULL;
    if (captions == 1 && is_elem(first, "figcaption")) keep = first;
    else if (captions == 1 && is_elem(last, "figcaption")) keep = last;
    for (xmlNode *c = fig->children; c; c = c->next) {
      if (c != keep && is_elem(c, "figcaption")) {
        xmlNodeSetName(c, BAD_CAST "div");
        xmlSetProp(c, BAD_CAST "class", BAD_CAST "figcaption");
      }
    }
  }
  nf_nodelist_free(&figs);
}

/* Fixes the fragment in place; sets *svg and *math when they occur. Returns
 * the serialized fragment, or NULL when it is not well-formed XML. */
static char *fix_body(const nfb_epub *e, const char *body, int *svg,
                      int *math) {
  xmlDoc *doc = nf_xhtml_parse_fragment(body, strlen(body));
  if (!doc) return NULL;
  xmlNode *root = xmlDocGetRootElement(doc);
  /* the content model first (tables, lists, ids...): whatever made the
   * chapter, it leaves as valid XHTML */
  nf_xhtml_repair(root);
  /* collect elements and ids first: the fixes below change the tree */
  nf_nodelist els = {0};
  nf_strset ids = {0};
  xmlNode *n = root->children;
  while (n) {
    if (n->type == XML_ELEMENT_NODE) {
      nf_nodelist_push(&els, (nf_node *)n);
      xmlChar *id = xmlGetProp(n, BAD_CAST "id");
      if (id) nf_strset_add(&ids, (const char *)id);
      xmlFree(id);
      if (n->children) { n = n->children; continue; }
    }
    while (n && !n->next && n->parent != root) n = n->parent;
    n = n ? n->next : NULL;
  }
  for (size_t i = 0; i < els.len; i++) {
    xmlNode *el = (xmlNode *)els.items[i];
    const char *name = (const char *)el->name;
    if (!strcmp(name, "svg")) *svg = 1;
    if (!strcmp(name, "math")) *math = 1;
  }
  /* children before parents when removing: walk the list backwards */
  for (size_t i = els.len; i-- > 0;) {
    xmlNode *el = (xmlNode *)els.items[i];
    const char *name = (const char *)el->name;
    xmlUnsetProp(el, BAD_CAST "srcset");
    xmlUnsetProp(el, BAD_CAST "sizes");
    if (!strcmp(name, "head") || !strcmp(name, "source") ||
        !strcmp(name, "track") || !strcmp(name, "script")) {
      xmlUnlinkNode(el);
      xmlFreeNode(el);
      continue;
    }
    if (!strcmp(name, "html") || !strcmp(name, "body") ||
        !strcmp(name, "picture")) {
      unwrap(el);
      continue;
    }
    if (!strcmp(name, "img")) {
      xmlChar *src = xmlGetProp(el, BAD_CAST "src");
      const resource *r = find_resource(e, (const char *)src);
      xmlFree(src);
      if (r) xmlSetProp(el, BAD_CAST "src", BAD_CAST r->href);
      else image_to_link(doc, el, inside_link(el));
      continue;
    }
    xmlChar *src = xmlGetProp(el, BAD_CAST "src");
    if (src) {
      const resource *r = find_resource(e, (const char *)src);
      if (r) xmlSetProp(el, BAD_CAST "src", BAD_CAST r->href);
      else xmlUnsetProp(el, BAD_CAST "src");
      xmlFree(src);
    }
    xmlChar *poster = xmlGetProp(el, BAD_CAST "poster");
    if (poster) xmlUnsetProp(el, BAD_CAST "poster");
    xmlFree(poster);
    xmlChar *href = xmlGetProp(el, BAD_CAST "href");
    if (href) {
      const char *h = (const char *)href;
      int keep;
      if (h[0] == '#') keep = h[1] && nf_strset_has(&ids, h + 1);
      else if (strncmp(h, "//", 2) == 0) keep = 0;
      else if (strchr(h, ':') && strcspn(h, ":") < strcspn(h, "/?#"))
        keep = strncasecmp(h, "http:", 5) == 0 ||
               strncasecmp(h, "https:", 6) == 0 ||
               strncasecmp(h, "mailto:", 7) == 0 ||
               strncasecmp(h, "ftp:", 4) == 0;
      else keep = find_resource(e, h) != NULL;
      if (!keep) xmlUnsetProp(el, BAD_CAST "href");
      else if (find_resource(e, h))
        xmlSetProp(el, BAD_CAST "href", BAD_CAST find_resource(e, h)->href);
      xmlFree(href);
    }
  }
  nf_nodelist_free(&els);
  nf_strset_free(&ids);
  fix_figures(root);
  xmlBuffer *xb = xmlBufferCreate();
  for (xmlNode *c = root->children; c; c = c->next) xmlNodeDump(xb, doc, c, 0, 0);
  char *out = nf_xstrndup((const char *)xmlBufferContent(xb),
                          (size_t)xmlBufferLength(xb));
  xmlBufferFree(xb);
  xmlFreeDoc(doc);
  /* the children were dumped without the wrapper's namespace declarations,
   * and inherit them again from the page's <html> */
  return out;
}

/* ===== Pages =========================================================== */

static const char css[] =
    "body { margin: 0 1em; line-height: 1.5; }\n"
    "h1.title { font-size: 1.6em; margin: 1em 0 0.3em; }\n"
    ".byline { color: #555; font-size: 0.9em; }\n"
    ".source { font-size: 0.8em; color: #555; word-break: break-all; }\n"
    "img { max-width: 100%; height: auto; }\n"
    "figure { margin: 1em 0; }\n"
    "figcaption, .figcaption { font-size: 0.9em; color: #555; }\n"
    "blockquote { margin: 1em 1.5em; font-style: italic; }\n"
    "pre { white-space: pre-wrap; }\n"
    ".toc li { margin: 0.6em 0; }\n"
    ".toc .summary { font-size: 0.9em; color: #444; margin: 0.2em 0 0; }\n"
    ".cover { text-align: center; }\n"
    ".cover img { max-height: 95vh; }\n";

/* ===== Finish ========================================================== */

static int same_str(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void nav_list(nf_buf *out, const nfb_epub *e, int page) {
  /* articles grouped by consecutive section */
  nf_buf_puts(out, "<ol>\n");
  for (size_t i = 0; i < e->n_chapters;) {
    const char *sec = e->chapters[i].section;
    size_t j = i;
    while (j < e->n_chapters && same_str(e->chapters[j].section, sec)) j++;
    if (sec) {
      nf_buf_puts(out, "<li><span>");
      nfb_put_xml(out, sec);
      nf_buf_puts(out, "</span>\n<ol>\n");
    }
    for (size_t k = i; k < j; k++) {
      const chapter *c = &e->chapters[k];
      nf_buf_puts(out, "<li><a href=\"");
      nf_buf_puts(out, c->file);
      nf_buf_puts(out, "\">");
      nfb_put_xml(out, c->title);
      nf_buf_puts(out, "</a>");
      if (page && c->author) {
        nf_buf_puts(out, " <span class=\"author\">— ");
        nfb_put_xml(out, c->author);
        nf_buf_puts(out, "</span>");
      }
      if (page && c->summary) {
        nf_buf_puts(out, "\n<p class=\"summary\">");
        nfb_put_xml(out, c->summary);
        nf_buf_puts(out, "</p>");
      }
      nf_buf_puts(out, "</li>\n");
    }
    if (sec) nf_buf_puts(out, "</ol>\n</li>\n");
    i = j;
  }
  nf_buf_puts(out, "</ol>\n");
}

static int epub_finish(void *state, nfb_io *b) {
  nfb_epub *e = state;
  nf_buf page = NF_BUF_INIT;
  nf_buf_init(&page);
  long long modified = NF_BUNDLE_EPOCH;
  if (e->mtime_given) {
    modified = b->mtime;
  } else {
    for (size_t i = 0; i < e->n_chapters; i++)
      if (e->chapters[i].time > modified) modified = e->chapters[i].time;
  }
  char modified_iso[32];
  nfb_format_time(modified, modified_iso);
  char *props = nf_xcalloc(e->n_chapters + 1, 1);   /* 1 svg, 2 mathml */
  int rc = 0;

  if (e->cover) {
    nfb_page_head(&page, e->title, e->language, "style.css");
    nf_buf_puts(&page, "<body>\n<section epub:type=\"cover\" class=\"cover\">"
                       "\n<img src=\"");
    nf_buf_puts(&page, e->cover_href);
    nf_buf_puts(&page, "\" alt=\"");
    nfb_put_xml_attr(&page, e->title);
    nf_buf_puts(&page, "\"/>\n</section>\n</body>\n</html>\n");
    rc = write_file(e, b, "OEBPS/cover.xhtml", &page, NULL, NULL, NULL);
  }

  if (rc == 0) {
    nf_buf_clear(&page);
    nfb_page_head(&page, e->title, e->language, "style.css");
    nf_buf_puts(&page, "<body>\n<section epub:type=\"toc\" class=\"toc\">\n<h1>");
    nfb_put_xml(&page, e->title);
    nf_buf_puts(&page, "</h1>\n");
    if (e->author) {
      nf_buf_puts(&page, "<p class=\"byline\">");
      nfb_put_xml(&page, e->author);
      nf_buf_puts(&page, "</p>\n");
    }
    if (e->n_chapters) nav_list(&page, e, 1);
    else nf_buf_puts(&page, "<p>No articles.</p>\n");
    nf_buf_puts(&page, "</section>\n</body>\n</html>\n");
    rc = write_file(e, b, "OEBPS/toc.xhtml", &page, "Contents", NULL, NULL);
  }

  for (size_t i = 0; rc == 0 && i < e->n_chapters; i++) {
    chapter *c = &e->chapters[i];
    int svg = 0, math = 0;
    char *body = fix_body(e, c->body, &svg, &math);
    if (!body) {   /* not well-formed (rare): its text, in paragraphs */
      nf_buf text = NF_BUF_INIT, fb = NF_BUF_INIT;
      nf_buf_init(&text);
      nf_buf_init(&fb);
      nfb_xhtml_text(c->body, &text);
      nfb_paragraphs(&fb, text.ptr);
      body = fix_body(e, fb.ptr, &svg, &math);
      nf_buf_free(&text);
      nf_buf_free(&fb);
      if (!body) body = nf_xstrdup("");
    }
    props[i] = (char)((svg ? 1 : 0) | (math ? 2 : 0));
    nf_buf_clear(&page);
    nfb_page_head(&page, c->title, c->lang ? c->lang : e->language, "style.css");
    nf_buf_puts(&page, "<body>\n");
    nfb_chapter view = {NULL,     c->title, c->author, c->published,
                        c->section, c->summary, c->url, c->source,
                        c->lang,  NULL,     NULL};
    nfb_article_section(&page, &view, body);
    nf_buf_puts(&page, "</body>\n</html>\n");
    free(body);
    hash_bytes(e, page.ptr, page.len);
    nf_buf name = NF_BUF_INIT;
    nf_buf_init(&name);
    nf_buf_printf(&name, "OEBPS/%s", c->file);
    rc = write_file(e, b, name.ptr, &page, c->title, c->source, c->published);
    nf_buf_free(&name);
  }

  char ident[64];
  if (!e->identifier) {
    /* a UUID (version 8, "custom") from the content hash: the same book
     * gets the same identifier on every run */
    uint64_t h0 = e->hash[0], h1 = e->hash[1];
    snprintf(ident, sizeof ident,
             "urn:uuid:%08x-%04x-8%03x-%04x-%012llx", (unsigned)(h0 >> 32),
             (unsigned)(h0 >> 16) & 0xFFFF, (unsigned)h0 & 0xFFF,
             (unsigned)(0x8000 | ((h1 >> 48) & 0x3FFF)),
             (unsigned long long)(h1 & 0xFFFFFFFFFFFFULL));
  }
  const char *id = e->identifier ? e->identifier : ident;

  if (rc == 0) {   /* nav.xhtml */
    nf_buf_clear(&page);
    nfb_page_head(&page, e->title, e->language, NULL);
    nf_buf_puts(&page, "<body>\n<nav epub:type=\"toc\" id=\"toc\">\n<h1>");
    nfb_put_xml(&page, e->title);
    nf_buf_puts(&page, "</h1>\n<ol>\n<li><a href=\"toc.xhtml\">Contents</a>");
    if (e->n_chapters) {
      nf_buf_puts(&page, "\n");
      nav_list(&page, e, 0);
    }
    nf_buf_puts(&page, "</li>\n</ol>\n</nav>\n"
                       "<nav epub:type=\"landmarks\" hidden=\"hidden\">\n<ol>\n");
    if (e->cover)
      nf_buf_puts(&page, "<li><a epub:type=\"cover\" href=\"cover.xhtml\">"
                         "Cover</a></li>\n");
    nf_buf_puts(&page, "<li><a epub:type=\"toc\" href=\"toc.xhtml\">"
                       "Contents</a></li>\n");
    if (e->n_chapters) {
      nf_buf_puts(&page, "<li><a epub:type=\"bodymatter\" href=\"");
      nf_buf_puts(&page, e->chapters[0].file);
      nf_buf_puts(&page, "\">Start</a></li>\n");
    }
    nf_buf_puts(&page, "</ol>\n</nav>\n</body>\n</html>\n");
    rc = write_file(e, b, "OEBPS/nav.xhtml", &page, NULL, NULL, NULL);
  }

  if (rc == 0) {   /* toc.ncx, for EPUB 2 readers */
    nf_buf_clear(&page);
    nf_buf_puts(&page, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" "
                       "version=\"2005-1\">\n<head>\n<meta name=\"dtb:uid\" "
                       "content=\"");
    nfb_put_xml_attr(&page, id);
    nf_buf_puts(&page, "\"/>\n<meta name=\"dtb:depth\" content=\"1\"/>\n"
                       "<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n"
                       "<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n"
                       "</head>\n<docTitle><text>");
    nfb_put_xml(&page, e->title);
    nf_buf_puts(&page, "</text></docTitle>\n<navMap>\n"
                       "<navPoint id=\"np-toc\" playOrder=\"1\"><navLabel>"
                       "<text>Contents</text></navLabel><content "
                       "src=\"toc.xhtml\"/></navPoint>\n");
    for (size_t i = 0; i < e->n_chapters; i++) {
      nf_buf_printf(&page, "<navPoint id=\"np-%zu\" playOrder=\"%zu\"><navLabel>"
                           "<text>", i + 1, i + 2);
      nfb_put_xml(&page, e->chapters[i].title);
      nf_buf_printf(&page, "</text></navLabel><content src=\"%s\"/></navPoint>\n",
                    e->chapters[i].file);
    }
    nf_buf_puts(&page, "</navMap>\n</ncx>\n");
    rc = write_file(e, b, "OEBPS/toc.ncx", &page, NULL, NULL, NULL);
  }

  if (rc == 0) {
    nf_buf_clear(&page);
    nf_buf_puts(&page, css);
    rc = write_file(e, b, "OEBPS/style.css", &page, NULL, NULL, NULL);
  }

  if (rc == 0) {   /* content.opf */
    nf_buf_clear(&page);
    nf_buf_puts(&page, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<package xmlns=\"http://www.idpf.org/2007/opf\" "
                       "version=\"3.0\" unique-identifier=\"bookid\" xml:lang=\"");
    nfb_put_xml_attr(&page, e->language);
    nf_buf_puts(&page, "\">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
                       "<dc:identifier id=\"bookid\">");
    nfb_put_xml(&page, id);
    nf_buf_puts(&page, "</dc:identifier>\n<dc:title>");
    nfb_put_xml(&page, e->title);
    nf_buf_puts(&page, "</dc:title>\n<dc:language>");
    nfb_put_xml(&page, e->language);
    nf_buf_puts(&page, "</dc:language>\n");
    if (e->author) {
      nf_buf_puts(&page, "<dc:creator>");
      nfb_put_xml(&page, e->author);
      nf_buf_puts(&page, "</dc:creator>\n");
    } else {
      /* the articles' authors, each once, at most 20 */
      size_t listed = 0;
      for (size_t i = 0; i < e->n_chapters && listed < 20; i++) {
        const char *a = e->chapters[i].author;
        int seen = !a;
        for (size_t j = 0; j < i && !seen; j++)
          seen = same_str(e->chapters[j].author, a);
        if (seen) continue;
        nf_buf_puts(&page, "<dc:creator>");
        nfb_put_xml(&page, a);
        nf_buf_puts(&page, "</dc:creator>\n");
        listed++;
      }
    }
    char date[32];
    nfb_format_time(modified, date);
    nf_buf_printf(&page, "<dc:date>%.10s</dc:date>\n", date);
    nf_buf_printf(&page, "<meta property=\"dcterms:modified\">%s</meta>\n",
                  modified_iso);
    nf_buf_puts(&page, "<meta name=\"generator\" content=\"newsform " NF_VERSION
                       "\"/>\n");
    if (e->cover) nf_buf_puts(&page, "<meta name=\"cover\" content=\"cover-image\"/>\n");
    nf_buf_puts(&page, "</metadata>\n<manifest>\n"
                       "<item id=\"nav\" href=\"nav.xhtml\" "
                       "media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n"
                       "<item id=\"ncx\" href=\"toc.ncx\" "
                       "media-type=\"application/x-dtbncx+xml\"/>\n"
                       "<item id=\"css\" href=\"style.css\" media-type=\"text/css\"/>\n"
                       "<item id=\"toc-page\" href=\"toc.xhtml\" "
                       "media-type=\"application/xhtml+xml\"/>\n");
    if (e->cover) {
      nf_buf_puts(&page, "<item id=\"cover-page\" href=\"cover.xhtml\" "
                         "media-type=\"application/xhtml+xml\"/>\n"
                         "<item id=\"cover-image\" href=\"");
      nfb_put_xml_attr(&page, e->cover_href);
      nf_buf_puts(&page, "\" media-type=\"");
      nfb_put_xml_attr(&page, e->cover_type);
      nf_buf_puts(&page, "\" properties=\"cover-image\"/>\n");
    }
    for (size_t i = 0; i < e->n_chapters; i++) {
      nf_buf_printf(&page, "<item id=\"ch%03zu\" href=\"%s\" "
                           "media-type=\"application/xhtml+xml\"%s/>\n",
                    i + 1, e->chapters[i].file,
                    props[i] == 1 ? " properties=\"svg\""
                    : props[i] == 2 ? " properties=\"mathml\""
                    : props[i] == 3 ? " properties=\"mathml svg\"" : "");
    }
    for (size_t i = 0; i < e->n_res; i++) {
      nf_buf_printf(&page, "<item id=\"res%03zu\" href=\"", i + 1);
      /* hrefs are URLs: escape what a file name may hold */
      for (const char *p = e->res[i].href; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == ' ' || ch == '%' || ch == '#' || ch == '?' || ch == '"' ||
            ch == '<' || ch == '>' || ch == '&' || ch >= 0x80)
          nf_buf_printf(&page, "%%%02X", ch);
        else
          nf_buf_putc(&page, ch);
      }
      nf_buf_puts(&page, "\" media-type=\"");
      nfb_put_xml_attr(&page, e->res[i].media_type);
      nf_buf_puts(&page, "\"/>\n");
    }
    nf_buf_puts(&page, "</manifest>\n<spine toc=\"ncx\">\n");
    if (e->cover) nf_buf_puts(&page, "<itemref idref=\"cover-page\"/>\n");
    nf_buf_puts(&page, "<itemref idref=\"toc-page\"/>\n");
    for (size_t i = 0; i < e->n_chapters; i++)
      nf_buf_printf(&page, "<itemref idref=\"ch%03zu\"/>\n", i + 1);
    nf_buf_puts(&page, "</spine>\n</package>\n");
    rc = write_file(e, b, "OEBPS/content.opf", &page, NULL, NULL, NULL);
  }

  if (rc == 0 && b->manifest) {
    nf_buf_clear(&page);
    nfb_manifest(b, &page);
    rc = nfb_zip_add(e->zip, b, "META-INF/manifest.json", page.ptr, page.len, NULL,
                     b->mtime);
  }
  free(props);
  nf_buf_free(&page);
  if (rc < 0) return -1;
  return nfb_zip_central(e->zip, b);
}

static void epub_free(void *state) {
  nfb_epub *e = state;
  if (!e) return;
  nfb_zip_writer.free(e->zip);
  for (size_t i = 0; i < e->n_chapters; i++) {
    chapter *c = &e->chapters[i];
    free(c->file); free(c->title); free(c->author); free(c->published);
    free(c->section); free(c->summary); free(c->url); free(c->source);
    free(c->lang); free(c->body);
  }
  free(e->chapters);
  for (size_t i = 0; i < e->n_res; i++) {
    free(e->res[i].key);
    free(e->res[i].href);
    free(e->res[i].media_type);
  }
  free(e->res);
  free(e->title); free(e->language); free(e->author); free(e->identifier);
  free(e->cover); free(e->cover_type); free(e->cover_href);
  free(e);
}

/* A plain entry in a book is a resource (under OEBPS/). */
static int epub_add(void *state, nfb_io *b, const char *name,
                    const void *data, size_t len, const nf_bundle_meta *meta,
                    long long mtime) {
  (void)meta;
  (void)mtime;
  return epub_add_resource(state, b, name, data, len, NULL);
}

/* its manifest is META-INF/manifest.json, written by finish */
const nfb_writer_ops nfb_epub_writer = {
    NFB_FORM_XHTML, 1, 1, epub_begin, epub_add, epub_add_resource,
    epub_add_article, epub_finish, epub_free};
