/* parse.c: bytes → document. HTML goes through libxml2's HTML parser in
 * recover mode with no network and no printed errors; plain-text article
 * dumps go to parse_text.c. This file owns the encoding policy. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "doc.h"
#include "utf8.h"

#define NF_MAX_DEPTH 4096

#define PARSE_OPTIONS                                                      \
  (HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |            \
   HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC)

static void silent_structured(void *ctx, xmlErrorPtr e) { (void)ctx; (void)e; }
static void silent_generic(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }

/* libxml2 keeps its error handlers per thread: silence them every time. */
static void init_once(void) {
  xmlInitParser();
  /* libxml2 stops parsing (dropping the rest of the page) past 256 levels;
   * broken pages with unclosed inline tags nest deeper than that. Its tree
   * copy and XPath recurse, so the limit is raised, not removed. */
  if (xmlParserMaxDepth < NF_MAX_DEPTH) xmlParserMaxDepth = NF_MAX_DEPTH;
}

static void silence_libxml(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, init_once);
  xmlSetStructuredErrorFunc(NULL, silent_structured);
  xmlSetGenericErrorFunc(NULL, silent_generic);
}

/* ----- Sniffing --------------------------------------------------------- */

/* Markup if the first non-blank character opens a tag, a comment or a
 * doctype, or if block-level end tags appear: a text dump with one inline
 * <a><img> block stays text. */
static int looks_like_html(const char *s, size_t len) {
  size_t i = 0;
  while (i < len && isspace((unsigned char)s[i])) i++;
  if (i + 1 < len && s[i] == '<' &&
      (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '!' || s[i + 1] == '?'))
    return 1;
  static const char *const block_ends[] = {"</p>", "</div>", "</li>",
                                           "</td>", "</h1>", "</h2>",
                                           "</body>", "</html>", "</table>",
                                           "</section>", "</article>"};
  int hits = 0;
  size_t limit = len < 65536 ? len : 65536;
  for (size_t k = 0; k + 3 < limit; k++) {
    if (s[k] != '<' || s[k + 1] != '/') continue;
    for (size_t b = 0; b < sizeof block_ends / sizeof *block_ends; b++) {
      size_t n = strlen(block_ends[b]);
      if (k + n <= limit && strncasecmp(s + k, block_ends[b], n) == 0) {
        if (++hits >= 2) return 1;
        break;
      }
    }
  }
  return 0;
}

/* Finds a declared charset in the first bytes: <meta charset=X> or
 * content="...; charset=X". Writes it to out (lower case). */
static int declared_charset(const char *s, size_t len, char *out, size_t outlen) {
  size_t limit = len < 8192 ? len : 8192;
  for (size_t i = 0; i + 8 < limit; i++) {
    if (strncasecmp(s + i, "charset", 7) != 0) continue;
    size_t j = i + 7;
    while (j < limit && isspace((unsigned char)s[j])) j++;
    if (j >= limit || s[j] != '=') continue;
    j++;
    while (j < limit && (isspace((unsigned char)s[j]) || s[j] == '"' || s[j] == '\''))
      j++;
    size_t k = 0;
    while (j < limit && k + 1 < outlen &&
           (isalnum((unsigned char)s[j]) || s[j] == '-' || s[j] == '_' ||
            s[j] == ':' || s[j] == '.'))
      out[k++] = (char)tolower((unsigned char)s[j++]);
    out[k] = '\0';
    if (k) return 1;
  }
  return 0;
}

/* ----- Documents --------------------------------------------------------- */

static nf_node *child_named(xmlNodePtr parent, const char *name) {
  for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && xmlStrcasecmp(c->name, BAD_CAST name) == 0)
      return c;
  return NULL;
}

/* Every document has <html> with <head> and <body>, so scripts and
 * renderers never meet a missing one. */
static void ensure_skeleton(xmlDocPtr xml) {
  xmlNodePtr html = xmlDocGetRootElement(xml);
  if (!html || xmlStrcasecmp(html->name, BAD_CAST "html") != 0) {
    xmlNodePtr old = html;
    html = xmlNewDocNode(xml, NULL, BAD_CAST "html", NULL);
    if (old) {
      xmlUnlinkNode(old);
      xmlDocSetRootElement(xml, html);
      xmlNodePtr body = xmlNewDocNode(xml, NULL, BAD_CAST "body", NULL);
      xmlAddChild(html, body);
      xmlAddChild(body, old); /* an element: no text merging */
    } else {
      xmlDocSetRootElement(xml, html);
    }
  }
  xmlNodePtr head = child_named(html, "head");
  xmlNodePtr body = child_named(html, "body");
  if (!head) {
    head = xmlNewDocNode(xml, NULL, BAD_CAST "head", NULL);
    if (html->children) xmlAddPrevSibling(html->children, head);
    else xmlAddChild(html, head);
  }
  if (!body) {
    body = xmlNewDocNode(xml, NULL, BAD_CAST "body", NULL);
    /* Content libxml2 left directly under <html> (frameset pages, odd
     * markup) moves into the new body. */
    xmlNodePtr c = head->next;
    xmlAddNextSibling(head, body);
    while (c) {
      xmlNodePtr next = c->next;
      if (c != body) {
        xmlUnlinkNode(c);
        if (body->last) { c->prev = body->last; body->last->next = c; }
        else body->children = c;
        c->parent = body;
        body->last = c;
      }
      c = next;
    }
  }
  /* After a stray </html> libxml2 may start a second top-level <html>:
   * content outside the root would be seen by select but not by walk,
   * renderers or doc.body; it goes to the end of the body. */
  for (xmlNodePtr c = html->next, next; c; c = next) {
    next = c->next;
    if (c->type != XML_ELEMENT_NODE && c->type != XML_TEXT_NODE &&
        c->type != XML_CDATA_SECTION_NODE)
      continue;
    xmlUnlinkNode(c);
    if (body->last) { c->prev = body->last; body->last->next = c; }
    else body->children = c;
    c->parent = body;
    body->last = c;
  }
}

nf_doc *nf_doc_new_empty(nf_input_type type, const char *source) {
  nf_doc *doc = nf_xcalloc(1, sizeof *doc);
  doc->xml = htmlNewDocNoDtD(NULL, NULL);
  if (!doc->xml) nf_oom();
  doc->type = type;
  doc->source = nf_xstrdup(source ? source : "");
  ensure_skeleton(doc->xml);
  return doc;
}

static const char *resolve_url(nf_doc *doc, const char *given) {
  xmlNodePtr head = nf_doc_head(doc);
  for (xmlNodePtr c = head ? head->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (xmlStrEqual(c->name, BAD_CAST "base")) {
      const char *h = nf_node_attr(c, "href");
      if (h && (strncmp(h, "http://", 7) == 0 || strncmp(h, "https://", 8) == 0))
        return h;
    }
  }
  for (xmlNodePtr c = head ? head->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST "link")) continue;
    const char *rel = nf_node_attr(c, "rel");
    const char *h = nf_node_attr(c, "href");
    if (rel && h && strcasecmp(rel, "canonical") == 0 &&
        (strncmp(h, "http://", 7) == 0 || strncmp(h, "https://", 8) == 0))
      return h;
  }
  for (xmlNodePtr c = head ? head->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST "meta")) continue;
    const char *p = nf_node_attr(c, "property");
    const char *v = nf_node_attr(c, "content");
    if (p && v && strcasecmp(p, "og:url") == 0 &&
        (strncmp(v, "http://", 7) == 0 || strncmp(v, "https://", 8) == 0))
      return v;
  }
  return given;
}

static nf_doc *parse_html(const char *data, size_t len, const nf_parse_opts *o,
                          char *err, size_t errlen) {
  const char *enc = o->encoding;
  char declared[64];
  const unsigned char *u = (const unsigned char *)data;
  if (!enc) {
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
      enc = "UTF-8";
      data += 3, len -= 3;
    } else if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
      enc = "UTF-16LE";
      data += 2, len -= 2;
    } else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
      enc = "UTF-16BE";
      data += 2, len -= 2;
    } else if (nf_utf8_valid(data, len)) {
      enc = "UTF-8";
    } else if (declared_charset(data, len, declared, sizeof declared) &&
               strcmp(declared, "utf-8") != 0 && strcmp(declared, "utf8") != 0) {
      xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(declared);
      enc = h ? declared : "windows-1252";
      if (h) xmlCharEncCloseFunc(h);
    } else {
      enc = "windows-1252";
    }
  } else {
    xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(enc);
    if (!h) {
      snprintf(err, errlen, "unknown encoding '%s'", enc);
      return NULL;
    }
    xmlCharEncCloseFunc(h);
  }
  /* A UTF-8 BOM (or --encoding utf-8) over bytes that are not all UTF-8:
   * libxml2 would copy the bad bytes into the tree as they are. */
  nf_buf repaired = NF_BUF_INIT;
  if ((strcasecmp(enc, "UTF-8") == 0 || strcasecmp(enc, "UTF8") == 0) &&
      !nf_utf8_valid(data, len)) {
    nf_buf_init(&repaired);
    nf_utf8_repair(data, len, &repaired);
    data = repaired.ptr, len = repaired.len;
  }
  if (len > INT32_MAX) {
    snprintf(err, errlen, "input too large (%zu bytes)", len);
    nf_buf_free(&repaired);
    return NULL;
  }
  silence_libxml();
  xmlDocPtr xml = len ? htmlReadMemory(data, (int)len, NULL, enc, PARSE_OPTIONS) : NULL;
  nf_buf_free(&repaired);
  nf_doc *doc = nf_xcalloc(1, sizeof *doc);
  doc->type = NF_INPUT_HTML;
  doc->source = nf_xstrdup(o->source ? o->source : "");
  doc->xml = xml ? xml : htmlNewDocNoDtD(NULL, NULL);
  if (!doc->xml) nf_oom();
  ensure_skeleton(doc->xml);
  const char *url = resolve_url(doc, o->url);
  doc->url = url ? nf_xstrdup(url) : NULL;
  return doc;
}

static nf_doc *parse_text(const char *data, size_t len, const nf_parse_opts *o,
                          char *err, size_t errlen) {
  nf_buf utf8 = NF_BUF_INIT;
  nf_buf_init(&utf8);
  const unsigned char *u = (const unsigned char *)data;
  if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) data += 3, len -= 3;
  if (o->encoding) {
    if (nf_to_utf8(data, len, o->encoding, &utf8) < 0) {
      snprintf(err, errlen, "unknown encoding '%s'", o->encoding);
      nf_buf_free(&utf8);
      return NULL;
    }
  } else if (nf_utf8_valid(data, len)) {
    nf_buf_put(&utf8, data, len);
  } else if (nf_to_utf8(data, len, "WINDOWS-1252", &utf8) < 0) {
    nf_utf8_repair(data, len, &utf8);
  }
  nf_doc *doc = nf_doc_new_empty(NF_INPUT_TEXT, o->source);
  doc->url = o->url ? nf_xstrdup(o->url) : NULL;
  silence_libxml();
  if (nf_parse_text_article(doc, utf8.ptr, utf8.len, err, errlen) < 0) {
    nf_buf_free(&utf8);
    nf_doc_free(doc);
    return NULL;
  }
  nf_buf_free(&utf8);
  return doc;
}

nf_doc *nf_doc_parse(const char *data, size_t len, const nf_parse_opts *opts,
                     char *err, size_t errlen) {
  nf_parse_opts none = {0};
  const nf_parse_opts *o = opts ? opts : &none;
  if (err && errlen) err[0] = '\0';
  nf_input_type t = o->type;
  if (t == NF_INPUT_AUTO) t = looks_like_html(data, len) ? NF_INPUT_HTML : NF_INPUT_TEXT;
  return t == NF_INPUT_HTML ? parse_html(data, len, o, err, errlen)
                            : parse_text(data, len, o, err, errlen);
}

/* Fragments are parsed inside <body> of a scratch document (so text is not
 * wrapped in an implied <p>), then copied into doc, detached. */
size_t nf_doc_parse_fragment(nf_doc *doc, const char *html, size_t len,
                             nf_nodelist *out) {
  static const char prefix[] = "<html><body>";
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  nf_buf_put(&b, prefix, sizeof prefix - 1);
  nf_utf8_repair(html, len, &b);
  silence_libxml();
  xmlDocPtr tmp = b.len < INT32_MAX
                      ? htmlReadMemory(b.ptr, (int)b.len, NULL, "UTF-8", PARSE_OPTIONS)
                      : NULL;
  nf_buf_free(&b);
  if (!tmp) return 0;
  size_t count = 0;
  xmlNodePtr root = xmlDocGetRootElement(tmp);
  for (xmlNodePtr part = root ? root->children : NULL; part; part = part->next) {
    if (part->type != XML_ELEMENT_NODE) continue;
    for (xmlNodePtr c = part->children; c; c = c->next) {
      xmlNodePtr copy = xmlDocCopyNode(c, doc->xml, 1);
      if (!copy) continue;
      nf_doc_track_detached(doc, copy);
      nf_nodelist_push(out, copy);
      count++;
    }
  }
  xmlFreeDoc(tmp);
  return count;
}

void nf_doc_free(nf_doc *doc) {
  if (!doc) return;
  if (doc->article && doc->article_free) doc->article_free(doc->article);
  /* Free the roots of detached subtrees first (they use doc's dictionary);
   * a tracked node that was re-inserted somewhere has a parent now and is
   * freed with that tree. Decide all roots before freeing any. */
  size_t roots = 0;
  for (size_t i = 0; i < doc->detached.len; i++) {
    xmlNodePtr n = doc->detached.items[i];
    if (n->parent == NULL) doc->detached.items[roots++] = n;
  }
  for (size_t i = 0; i < roots; i++) xmlFreeNode(doc->detached.items[i]);
  nf_nodelist_free(&doc->detached);
  xmlFreeDoc(doc->xml);
  free(doc->source);
  free(doc->url);
  free(doc);
}

nf_input_type nf_doc_type(const nf_doc *doc) { return doc->type; }
const char *nf_doc_source(const nf_doc *doc) { return doc->source ? doc->source : ""; }
const char *nf_doc_url(const nf_doc *doc) { return doc->url; }
nf_node *nf_doc_node(nf_doc *doc) { return (nf_node *)doc->xml; }
nf_node *nf_doc_root(nf_doc *doc) { return xmlDocGetRootElement(doc->xml); }
nf_node *nf_doc_head(nf_doc *doc) { return child_named(nf_doc_root(doc), "head"); }
nf_node *nf_doc_body(nf_doc *doc) { return child_named(nf_doc_root(doc), "body"); }

char *nf_doc_title(nf_doc *doc) {
  nf_node *title = child_named(nf_doc_head(doc), "title");
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  if (title) nf_node_text(title, &b);
  if (!b.len) {
    nf_iter it;
    nf_iter_init(&it, nf_doc_body(doc));
    nf_event ev;
    while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
      nf_node *n = nf_iter_node(&it);
      if (ev == NF_EV_ENTER && nf_node_is(n, "h1")) {
        nf_node_text(n, &b);
        break;
      }
    }
  }
  /* Collapse whitespace: titles are one line. */
  size_t w = 0;
  int space = 1;
  for (size_t r = 0; r < b.len; r++) {
    unsigned char c = (unsigned char)b.ptr[r];
    if (isspace(c)) {
      if (!space) b.ptr[w++] = ' ';
      space = 1;
    } else {
      b.ptr[w++] = (char)c;
      space = 0;
    }
  }
  while (w && b.ptr[w - 1] == ' ') w--;
  nf_buf_truncate(&b, w);
  if (!b.len) {
    nf_buf_free(&b);
    return NULL;
  }
  return nf_buf_detach(&b);
}
