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
#include "url.h"
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

/* The http(s) URL in attribute attr of the first <tag> in head whose
 * attribute key equals val (any case; key NULL: any <tag>), or NULL. */
static const char *head_url(xmlNodePtr head, const char *tag, const char *key,
                            const char *val, const char *attr) {
  for (xmlNodePtr c = head ? head->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST tag)) continue;
    const char *k = key ? nf_node_attr(c, key) : NULL;
    if (key && (!k || strcasecmp(k, val) != 0)) continue;
    const char *u = nf_node_attr(c, attr);
    if (u && nf_url_is_http(u)) return u;
  }
  return NULL;
}

/* The page's URL: <base href>, else the canonical link, else og:url,
 * else the one given. */
static const char *resolve_url(nf_doc *doc, const char *given) {
  xmlNodePtr head = nf_doc_head(doc);
  const char *u = head_url(head, "base", NULL, NULL, "href");
  if (!u) u = head_url(head, "link", "rel", "canonical", "href");
  if (!u) u = head_url(head, "meta", "property", "og:url", "content");
  return u ? u : given;
}

/* A transport's charset (HTTP) that libxml2 can decode, else NULL: an
 * unknown or wide one is left to <meta> and the rest of the policy. */
static const char *transport_charset(const char *cs) {
  if (!cs || !*cs || nf_charset_is_wide(cs)) return NULL;
  xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(cs);
  if (!h) return NULL;
  xmlCharEncCloseFunc(h);
  return cs;
}

static nf_doc *parse_html(const char *data, size_t len, const nf_parse_opts *o,
                          const char *charset, char *err, size_t errlen) {
  const char *enc = o->encoding;
  char declared[64];
  const unsigned char *u = (const unsigned char *)data;
  if (!enc) {
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
      enc = "UTF-8";
      data += 3, len -= 3;
    } else if (nf_utf8_valid(data, len)) {
      enc = "UTF-8";
    } else if (transport_charset(charset)) {
      enc = charset; /* the HTTP header's, over <meta> */
    } else if (declared_charset(data, len, declared, sizeof declared) &&
               nf_charset_is_wide(declared)) {
      /* A page whose bytes can be read for its <meta> is not UTF-16:
       * browsers take it as UTF-8. */
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
  nf_doc *doc = nf_doc_adopt(xml, NF_INPUT_HTML, o->source);
  const char *url = resolve_url(doc, o->url);
  doc->url = url ? nf_xstrdup(url) : NULL;
  return doc;
}

static nf_doc *parse_text(const char *data, size_t len, const nf_parse_opts *o,
                          const char *charset, char *err, size_t errlen) {
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
  } else if (transport_charset(charset) &&
             nf_to_utf8(data, len, charset, &utf8) == 0) {
    /* the transport's charset */
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

/* UTF-16 and UTF-32 are decoded before anything else looks at the bytes
 * (sniffing, the text reader, libxml2): by a byte-order mark, which wins
 * over everything as in browsers, else by a wide --encoding. NULL when
 * the bytes are not wide; else the UTF-8 text in out, or NULL with
 * *failed set for an unknown charset. */
static const char *decode_wide(const char *data, size_t len,
                               const char *encoding, nf_buf *out,
                               size_t *out_len, int *failed) {
  size_t bom = 0;
  const char *cs = nf_bom_charset(data, len, &bom);
  *failed = 0;
  if (cs && strcmp(cs, "UTF-8") == 0) return NULL; /* handled later */
  if (!cs && !nf_charset_is_wide(encoding)) return NULL;
  if (!cs) { /* the WHATWG reading of a bare "utf-16" label */
    cs = strcasecmp(encoding, "utf-16") == 0 ? "UTF-16LE" : encoding;
  }
  nf_buf_init(out);
  if (nf_to_utf8(data + bom, len - bom, cs, out) < 0) {
    *failed = 1;
    return NULL;
  }
  *out_len = out->len;
  return out->ptr;
}

nf_doc *nf_doc_parse(const char *data, size_t len, const nf_parse_opts *opts,
                     char *err, size_t errlen) {
  return nf_doc_parse_charset(data, len, opts, NULL, err, errlen);
}

nf_doc *nf_doc_parse_charset(const char *data, size_t len,
                             const nf_parse_opts *opts, const char *charset,
                             char *err, size_t errlen) {
  nf_parse_opts none = {0};
  const nf_parse_opts *o = opts ? opts : &none;
  if (err && errlen) err[0] = '\0';
  nf_buf wide = NF_BUF_INIT;
  size_t wide_len = 0;
  int failed;
  const char *text = decode_wide(data, len, o->encoding, &wide, &wide_len,
                                 &failed);
  if (failed) {
    snprintf(err, errlen, "unknown encoding '%s'", o->encoding);
    nf_buf_free(&wide);
    return NULL;
  }
  if (text) {
    nf_parse_opts utf8 = *o;
    utf8.encoding = "UTF-8";
    nf_doc *doc = nf_doc_parse(text, wide_len, &utf8, err, errlen);
    nf_buf_free(&wide);
    return doc;
  }
  nf_input_type t = o->type;
  if (t == NF_INPUT_AUTO) t = looks_like_html(data, len) ? NF_INPUT_HTML : NF_INPUT_TEXT;
  return t == NF_INPUT_HTML ? parse_html(data, len, o, charset, err, errlen)
                            : parse_text(data, len, o, charset, err, errlen);
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
