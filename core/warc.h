/* warc.h: WARC records and their HTTP payloads (warc.c), for the WARC
 * bundle format (bundle_warc.c) and the article layer. Pure functions on
 * bytes in memory: header fields found in place, chunked transfer coding
 * and gzip/deflate content coding undone within a size limit. */
#ifndef NF_WARC_H
#define NF_WARC_H

#include <stddef.h>
#include <stdint.h>

#include "newsform.h"

/* A header block ("Name: value" lines, CRLF or LF) and where a field is. */
typedef struct nfw_fields {
  const char *p;
  size_t len;
} nfw_fields;

/* The value of the first field named name (case-insensitive), blanks
 * trimmed: *vlen bytes at the result, NULL when absent. */
const char *nfw_field(nfw_fields f, const char *name, size_t *vlen);
/* The same, copied into out (NUL-terminated, truncated to outlen - 1):
 * 1 when present. */
int nfw_field_copy(nfw_fields f, const char *name, char *out, size_t outlen);

/* Where a header block ends: the offset just past its blank line, or 0
 * when none within the first n bytes. */
size_t nfw_header_end(const char *p, size_t n);

/* One WARC record in memory: "WARC/1.x" line, fields, blank line, block. */
typedef struct nfw_record {
  nfw_fields fields;       /* after the version line */
  const char *block;       /* the content block */
  size_t block_len;
} nfw_record;

/* Splits a record (its bytes as the reader keeps them: header block, then
 * the content block). 0, or -1 with err set. */
int nfw_record_split(const char *data, size_t len, nfw_record *rec,
                     char *err, size_t errlen);

/* An HTTP response in a block: status, its header fields, the body. */
typedef struct nfw_http {
  int status;
  nfw_fields fields;
  const char *body;
  size_t body_len;
} nfw_http;

/* 0, or -1 when the block does not start with an HTTP status line and a
 * complete header (within its first n bytes). */
int nfw_http_split(const char *p, size_t n, nfw_http *h);

/* The media type of a Content-Type value (lower case, no parameters) and
 * its charset parameter (NULL/"" when none). */
void nfw_content_type(const char *v, size_t vlen, char *type, size_t typelen,
                      char *charset, size_t charsetlen);
/* Is the media type an HTML page (text/html, application/xhtml+xml)? */
int nfw_is_html_type(const char *type);

/* The body as the page's bytes: chunked transfer coding and gzip/deflate
 * content coding undone (renamed X-Crawler-* fields mean the crawler did
 * it already), at most max bytes. 0, or -1 with err set. */
int nfw_http_payload(const nfw_http *h, size_t max, nf_buf *out, char *err,
                     size_t errlen);

/* A record as an article: response (HTTP, HTML), resource (HTML) or
 * conversion (plain text, WET). doc.url from WARC-Target-URI, the HTTP
 * charset in the encoding policy. NULL with err set. */
nf_doc *nfw_record_doc(const char *data, size_t len, const nf_parse_opts *o,
                       size_t max, char *err, size_t errlen);

#endif
