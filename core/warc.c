/* warc.c: WARC records and their HTTP payloads (see warc.h). Everything
 * works on bytes in memory: a record reaches here whole (its size bounded
 * by the reader's entry limit), so nothing streams and nothing recurses. */
#include "warc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

static int is_blank(char c) { return c == ' ' || c == '\t'; }

const char *nfw_field(nfw_fields f, const char *name, size_t *vlen) {
  size_t nlen = strlen(name);
  const char *p = f.p, *end = f.p + f.len;
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    const char *line_end = eol ? eol : end;
    size_t n = (size_t)(line_end - p);
    if (n > nlen && p[nlen] == ':' && strncasecmp(p, name, nlen) == 0) {
      const char *v = p + nlen + 1, *e = line_end;
      while (v < e && is_blank(*v)) v++;
      while (e > v && (is_blank(e[-1]) || e[-1] == '\r')) e--;
      *vlen = (size_t)(e - v);
      return v;
    }
    p = eol ? eol + 1 : end;
  }
  *vlen = 0;
  return NULL;
}

int nfw_field_copy(nfw_fields f, const char *name, char *out, size_t outlen) {
  size_t n;
  const char *v = nfw_field(f, name, &n);
  if (!outlen) return v != NULL;
  if (n >= outlen) n = outlen - 1;
  if (v) memcpy(out, v, n);
  out[v ? n : 0] = '\0';
  return v != NULL;
}

size_t nfw_header_end(const char *p, size_t n) {
  /* a line that is empty (LF) or only CR */
  for (size_t i = 0; i < n; i++) {
    if (p[i] != '\n') continue;
    if (i + 1 < n && p[i + 1] == '\n') return i + 2;
    if (i + 2 < n && p[i + 1] == '\r' && p[i + 2] == '\n') return i + 3;
  }
  return 0;
}

int nfw_record_split(const char *data, size_t len, nfw_record *rec,
                     char *err, size_t errlen) {
  memset(rec, 0, sizeof *rec);
  if (len < 8 || memcmp(data, "WARC/", 5) != 0) {
    snprintf(err, errlen, "not a WARC record (no WARC/ version line)");
    return -1;
  }
  const char *nl = memchr(data, '\n', len);
  size_t end = nfw_header_end(data, len);
  if (!nl || !end) {
    snprintf(err, errlen, "WARC record header without its end");
    return -1;
  }
  size_t first = (size_t)(nl - data) + 1;
  rec->fields.p = data + first;
  rec->fields.len = end > first ? end - first : 0;
  rec->block = data + end;
  rec->block_len = len - end;
  return 0;
}

int nfw_http_split(const char *p, size_t n, nfw_http *h) {
  memset(h, 0, sizeof *h);
  if (n < 12 || strncmp(p, "HTTP/", 5) != 0) return -1;
  size_t i = 5;
  while (i < n && p[i] != ' ' && p[i] != '\n') i++;
  while (i < n && p[i] == ' ') i++;
  int status = 0, digits = 0;
  while (i < n && isdigit((unsigned char)p[i]) && digits < 3) {
    status = status * 10 + (p[i++] - '0');
    digits++;
  }
  if (digits != 3) return -1;
  const char *nl = memchr(p, '\n', n);
  if (!nl) return -1;
  size_t first = (size_t)(nl - p) + 1;
  /* no header fields at all: the status line's end is the header's */
  size_t end = first < n && p[first] == '\n'          ? first + 1
               : first + 1 < n && p[first] == '\r' && p[first + 1] == '\n'
                   ? first + 2
                   : nfw_header_end(p, n);
  if (!end) return -1;
  h->status = status;
  h->fields.p = p + first;
  h->fields.len = end - first;
  h->body = p + end;
  h->body_len = n - end;
  return 0;
}

void nfw_content_type(const char *v, size_t vlen, char *type, size_t typelen,
                      char *charset, size_t charsetlen) {
  size_t i = 0, k = 0;
  if (typelen) type[0] = '\0';
  if (charsetlen) charset[0] = '\0';
  if (!v) return;
  while (i < vlen && is_blank(v[i])) i++;
  for (; i < vlen && v[i] != ';' && !is_blank(v[i]); i++)
    if (k + 1 < typelen) type[k++] = (char)tolower((unsigned char)v[i]);
  if (typelen) type[k] = '\0';
  for (; i + 8 <= vlen; i++) {
    if (strncasecmp(v + i, "charset=", 8) != 0) continue;
    if (i > 0 && (isalnum((unsigned char)v[i - 1]) || v[i - 1] == '-'))
      continue;
    size_t j = i + 8;
    if (j < vlen && (v[j] == '"' || v[j] == '\'')) j++;
    k = 0;
    for (; j < vlen && (isalnum((unsigned char)v[j]) || strchr("-_.:", v[j]));
         j++)
      if (k + 1 < charsetlen) charset[k++] = (char)tolower((unsigned char)v[j]);
    if (charsetlen) charset[k] = '\0';
    return;
  }
}

int nfw_is_html_type(const char *type) {
  return strcmp(type, "text/html") == 0 ||
         strcmp(type, "application/xhtml+xml") == 0;
}

/* ===== Payload codings ================================================= */

/* Does the comma-separated list (a field's value) name coding? */
static int lists(const char *v, size_t n, const char *coding) {
  size_t cl = strlen(coding);
  for (size_t i = 0; i + cl <= n; i++)
    if (strncasecmp(v + i, coding, cl) == 0 &&
        (i == 0 || v[i - 1] == ',' || is_blank(v[i - 1])) &&
        (i + cl == n || v[i + cl] == ',' || is_blank(v[i + cl]) ||
         v[i + cl] == ';'))
      return 1;
  return 0;
}

/* Chunked transfer coding: chunk-size [;ext] CRLF data CRLF ... 0 CRLF.
 * A body cut short keeps what came (a truncated record). */
static int dechunk(const char *p, size_t n, size_t max, nf_buf *out,
                   char *err, size_t errlen) {
  size_t i = 0;
  while (i < n) {
    uint64_t size = 0;
    int digits = 0;
    while (i < n && is_blank(p[i])) i++;
    for (; i < n && isxdigit((unsigned char)p[i]); i++, digits++) {
      if (size >> 56) {
        snprintf(err, errlen, "bad chunk size in a chunked HTTP body");
        return -1;
      }
      int c = tolower((unsigned char)p[i]);
      size = size * 16 + (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    if (!digits) {
      snprintf(err, errlen, "bad chunk size in a chunked HTTP body");
      return -1;
    }
    const char *nl = memchr(p + i, '\n', n - i);
    if (!nl) break;
    i = (size_t)(nl - p) + 1;
    if (size == 0) return 0;
    size_t k = size > n - i ? n - i : (size_t)size;
    if (out->len + k > max) {
      snprintf(err, errlen, "HTTP body exceeds the size limit (%zu bytes)",
               max);
      return -1;
    }
    nf_buf_put(out, p + i, k);
    i += k;
    if (i < n && p[i] == '\r') i++;
    if (i < n && p[i] == '\n') i++;
  }
  return 0;
}

/* gzip, zlib or raw deflate (servers send all three as "deflate"). */
static int inflate_body(const char *p, size_t n, int wbits, size_t max,
                        nf_buf *out) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, wbits) != Z_OK) return -1;
  size_t start = out->len;
  z.next_in = (Bytef *)p;
  z.avail_in = (uInt)(n > (1u << 30) ? (1u << 30) : n);
  int rc = Z_OK;
  unsigned char chunk[16384];
  while (rc == Z_OK) {
    z.next_out = chunk;
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    size_t got = sizeof chunk - z.avail_out;
    if (out->len - start + got > max) {
      rc = Z_MEM_ERROR;
      break;
    }
    nf_buf_put(out, chunk, got);
    if (rc == Z_BUF_ERROR && got == 0) break;
    if (rc == Z_BUF_ERROR) rc = Z_OK;
  }
  inflateEnd(&z);
  if (rc == Z_STREAM_END) return 0;
  /* a body cut short (WARC-Truncated) keeps what came */
  if (rc == Z_BUF_ERROR && out->len > start) return 0;
  return rc == Z_MEM_ERROR ? -2 : -1;
}

/* Is the body the page's bytes as they are (no coding to undo)? */
static int body_is_plain(const nfw_http *h) {
  size_t vn;
  const char *te = nfw_field(h->fields, "Transfer-Encoding", &vn);
  if (te && lists(te, vn, "chunked")) return 0;
  const char *ce = nfw_field(h->fields, "Content-Encoding", &vn);
  return !(ce && (lists(ce, vn, "gzip") || lists(ce, vn, "x-gzip") ||
                  lists(ce, vn, "deflate")));
}

int nfw_http_payload(const nfw_http *h, size_t max, nf_buf *out, char *err,
                     size_t errlen) {
  size_t vn;
  const char *te = nfw_field(h->fields, "Transfer-Encoding", &vn);
  nf_buf plain;
  nf_buf_init(&plain);
  const char *body = h->body;
  size_t body_len = h->body_len;
  if (te && lists(te, vn, "chunked")) {
    if (dechunk(h->body, h->body_len, max, &plain, err, errlen) < 0) {
      nf_buf_free(&plain);
      return -1;
    }
    body = plain.ptr;
    body_len = plain.len;
  }
  const char *ce = nfw_field(h->fields, "Content-Encoding", &vn);
  int rc = 0;
  if (ce && (lists(ce, vn, "gzip") || lists(ce, vn, "x-gzip") ||
             lists(ce, vn, "deflate"))) {
    size_t start = out->len;
    rc = inflate_body(body, body_len, 15 + 32, max, out);
    if (rc == -1) {
      nf_buf_truncate(out, start);
      rc = inflate_body(body, body_len, -15, max, out);
    }
    if (rc == -2)
      snprintf(err, errlen, "HTTP body exceeds the size limit (%zu bytes)",
               max);
    else if (rc < 0)
      snprintf(err, errlen, "corrupt %.*s-encoded HTTP body", (int)vn, ce);
    rc = rc < 0 ? -1 : 0;
  } else if (body_len > max) {
    snprintf(err, errlen, "HTTP body exceeds the size limit (%zu bytes)",
             max);
    rc = -1;
  } else {
    nf_buf_put(out, body, body_len);
  }
  nf_buf_free(&plain);
  return rc;
}

/* ===== A record as a document ========================================== */

nf_doc *nfw_record_doc(const char *data, size_t len, const nf_parse_opts *o,
                       size_t max, char *err, size_t errlen) {
  nfw_record rec;
  if (nfw_record_split(data, len, &rec, err, errlen) < 0) return NULL;
  if (!max) max = len;
  char type[32], url[8192];
  nfw_field_copy(rec.fields, "WARC-Type", type, sizeof type);
  int have_url = nfw_field_copy(rec.fields, "WARC-Target-URI", url, sizeof url);
  /* WARC 1.0 wrote the URI in angle brackets */
  if (have_url && url[0] == '<' && url[strlen(url) - 1] == '>') {
    memmove(url, url + 1, strlen(url) - 2);
    url[strlen(url) - 2] = '\0';
  }
  nf_parse_opts po = *o;
  if (have_url && *url && !po.url) po.url = url;
  char ctype[128], charset[64];
  size_t vn;
  const char *v;
  if (strcasecmp(type, "conversion") == 0) {
    po.type = NF_INPUT_TEXT;
    v = nfw_field(rec.fields, "Content-Type", &vn);
    nfw_content_type(v, vn, ctype, sizeof ctype, charset, sizeof charset);
    return nf_doc_parse_charset(rec.block, rec.block_len, &po, charset, err,
                                errlen);
  }
  if (po.type == NF_INPUT_AUTO) po.type = NF_INPUT_HTML;
  if (strcasecmp(type, "resource") == 0) {
    v = nfw_field(rec.fields, "Content-Type", &vn);
    nfw_content_type(v, vn, ctype, sizeof ctype, charset, sizeof charset);
    return nf_doc_parse_charset(rec.block, rec.block_len, &po, charset, err,
                                errlen);
  }
  nfw_http h;
  if (nfw_http_split(rec.block, rec.block_len, &h) < 0) {
    snprintf(err, errlen, "%s record without an HTTP response header",
             *type ? type : "WARC");
    return NULL;
  }
  v = nfw_field(h.fields, "Content-Type", &vn);
  nfw_content_type(v, vn, ctype, sizeof ctype, charset, sizeof charset);
  if (body_is_plain(&h) && h.body_len <= max) /* parsed in place */
    return nf_doc_parse_charset(h.body, h.body_len, &po, charset, err,
                                errlen);
  nf_buf body;
  nf_buf_init(&body);
  if (nfw_http_payload(&h, max, &body, err, errlen) < 0) {
    nf_buf_free(&body);
    return NULL;
  }
  nf_doc *doc = nf_doc_parse_charset(body.ptr, body.len, &po, charset, err,
                                     errlen);
  nf_buf_free(&body);
  return doc;
}

/* ===== Provenance (public) ============================================= */

static char *dup_field(nfw_fields f, const char *name) {
  size_t n;
  const char *v = nfw_field(f, name, &n);
  if (!v) return NULL;
  if (n >= 2 && v[0] == '<' && v[n - 1] == '>') v++, n -= 2;
  return nf_xstrndup(v, n);
}

int nf_warc_info_read(const void *data, size_t len, nf_warc_info *info) {
  memset(info, 0, sizeof *info);
  nfw_record rec;
  char err[128];
  if (!data || nfw_record_split(data, len, &rec, err, sizeof err) < 0)
    return -1;
  info->type = dup_field(rec.fields, "WARC-Type");
  info->target_uri = dup_field(rec.fields, "WARC-Target-URI");
  info->record_id = dup_field(rec.fields, "WARC-Record-ID");
  info->date = dup_field(rec.fields, "WARC-Date");
  info->payload_digest = dup_field(rec.fields, "WARC-Payload-Digest");
  if (!info->payload_digest)
    info->payload_digest = dup_field(rec.fields, "WARC-Block-Digest");
  info->truncated = dup_field(rec.fields, "WARC-Truncated");
  info->refers_to = dup_field(rec.fields, "WARC-Refers-To");
  return 0;
}

void nf_warc_info_clear(nf_warc_info *info) {
  if (!info) return;
  free(info->type);
  free(info->target_uri);
  free(info->record_id);
  free(info->date);
  free(info->payload_digest);
  free(info->truncated);
  free(info->refers_to);
  memset(info, 0, sizeof *info);
}
