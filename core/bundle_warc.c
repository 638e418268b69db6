/* bundle_warc.c: web archives (WARC 1.0/1.1, and WET: their conversion
 * records), plain, a gzip member per record (as Common Crawl writes them)
 * or one gzip stream, detected by content.
 *
 * Reader: record by record, never whole. The entries are the records that
 * are articles: responses with an HTTP status 200 and an HTML or XHTML
 * Content-Type, HTML resource records, text conversion records; every
 * other record is passed over and counted by reason (nf_bundle_reader_
 * skips). An entry's bytes are its record as found (header block, content
 * block): the article layer reads the HTTP message, undoes its codings and
 * takes its charset (warc.c). An entry is named "@OFFSET", the offset of
 * its record (of its gzip member: what the Common Crawl index gives), or
 * "@MEMBER+WITHIN" in one gzip stream. A damaged record is an entry that
 * fails when read, alone: the reader goes on at the next record.
 *
 * Writer: WARC/1.1, a warcinfo record first, then one record per article
 * (conversion for text, resource for HTML pages) pointing at its source
 * (WARC-Refers-To, WARC-Target-URI), with SHA-1 digests; .warc.gz puts each
 * record in its own gzip member. */
#include "bundle.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sha1.h"
#include "warc.h"

#define HEADER_MAX ((size_t)64 << 10)   /* a record's header block */
#define HEAD_LOOK ((size_t)64 << 10)    /* block bytes read to classify it */
#define WHOLE_MAX ((size_t)16 << 20)    /* records read whole at most */

/* ===== Reading ========================================================= */

enum {
  SKIP_WARCINFO, SKIP_REQUEST, SKIP_METADATA, SKIP_REVISIT, SKIP_OTHER_TYPE,
  SKIP_NOT_HTTP, SKIP_REDIRECT, SKIP_CLIENT_ERROR, SKIP_SERVER_ERROR,
  SKIP_OTHER_STATUS, SKIP_NOT_HTML, SKIP_NOT_TEXT, N_SKIPS
};
static const char *const skip_names[N_SKIPS] = {
    "warcinfo", "request", "metadata", "revisit", "other record type",
    "not HTTP", "redirect", "status 4xx", "status 5xx", "other status",
    "not HTML", "not text"};

typedef struct warc_reader {
  nf_buf rec;              /* the current entry's record */
  int moved;               /* FILE@OFFSET: rec went to the caller */
  int bad;                 /* it fails when read: why */
  char why[300];
  uint64_t too_big;        /* its block's size when over the limit */
  uint64_t lazy_at, lazy_len; /* its member's offset and its record's size
                               when only its head was read (lazy_len 0:
                               rec holds it all) */
  int done;                /* no more entries */
  unsigned long long counts[N_SKIPS];
  nfb_zin zin;             /* last: its buffers are not cleared */
} warc_reader;

static void warc_rfree(void *state) {
  warc_reader *w = state;
  if (!w) return;
  nfb_zin_end(&w->zin);
  nf_buf_free(&w->rec);
  free(w);
}

static int warc_open(nfb_rio *r, void **state, char *err, size_t errlen) {
  warc_reader *w = nf_xmalloc(sizeof *w);
  memset(w, 0, offsetof(warc_reader, zin));
  *state = w;
  nf_buf_init(&w->rec);
  nfb_zin_init(&w->zin, &r->src);
  if (r->start_within && nfb_zin_exact(&w->zin, NULL, r->start_within) < 0)
    return nfb_rfail(r, err, errlen, "%s", w->zin.msg);
  return 0;
}

/* Passes blank lines between records. */
static void skip_blank_lines(nfb_zin *z) {
  size_t n;
  const unsigned char *p;
  while ((p = nfb_zin_buffered(z, &n)) != NULL) {
    size_t i = 0;
    while (i < n && (p[i] == '\r' || p[i] == '\n')) i++;
    nfb_zin_take(z, i);
    if (i < n) return;
  }
}

/* Appends the header block (through its blank line) to out: 1, 0 at a
 * clean end (nothing read), -1 (why set). */
static int read_header(warc_reader *w, nf_buf *out) {
  nfb_zin *z = &w->zin;
  size_t start = out->len;
  for (;;) {
    size_t n;
    const unsigned char *p = nfb_zin_buffered(z, &n);
    if (!p) {
      if (z->failed) snprintf(w->why, sizeof w->why, "%s", z->msg);
      else if (out->len == start) return 0;
      else snprintf(w->why, sizeof w->why, "truncated record (its header "
                    "ends early)");
      return -1;
    }
    /* up to and including the next '\n' */
    const unsigned char *nl = memchr(p, '\n', n);
    size_t k = nl ? (size_t)(nl - p) + 1 : n;
    nf_buf_put(out, p, k);
    nfb_zin_take(z, k);
    size_t len = out->len - start;
    if (len >= 5 && memcmp(out->ptr + start, "WARC/", 5) != 0) {
      snprintf(w->why, sizeof w->why, "no WARC record here (no WARC/ "
               "version line)");
      return -1;
    }
    if (len > HEADER_MAX) {
      snprintf(w->why, sizeof w->why, "WARC header over %zu bytes",
               HEADER_MAX);
      return -1;
    }
    if (nl && len >= 2) {
      const char *e = out->ptr + out->len;
      if (e[-2] == '\n' || (len >= 3 && e[-2] == '\r' && e[-3] == '\n'))
        return 1;
    }
  }
}

/* Why a record is not an article (a SKIP_ index), or -1 when it is one.
 * head: the first bytes of its block (all of them when short). *status:
 * an HTTP response's status, else 0. */
static int classify(nfw_fields f, const char *head, size_t n, int *status) {
  char type[32], ctype[128], cs[64];
  size_t vn;
  nfw_field_copy(f, "WARC-Type", type, sizeof type);
  const char *v = nfw_field(f, "Content-Type", &vn);
  nfw_content_type(v, vn, ctype, sizeof ctype, cs, sizeof cs);
  if (strcasecmp(type, "conversion") == 0)
    return !*ctype || strcmp(ctype, "text/plain") == 0 ? -1 : SKIP_NOT_TEXT;
  if (strcasecmp(type, "resource") == 0)
    return nfw_is_html_type(ctype) ? -1 : SKIP_NOT_HTML;
  if (strcasecmp(type, "response") != 0) {
    static const char *const types[] = {"warcinfo", "request", "metadata",
                                        "revisit"};
    for (int i = 0; i < 4; i++)
      if (strcasecmp(type, types[i]) == 0) return SKIP_WARCINFO + i;
    return SKIP_OTHER_TYPE;
  }
  nfw_http h;
  if (nfw_http_split(head, n, &h) < 0) return SKIP_NOT_HTTP;
  *status = h.status;
  if (h.status >= 300 && h.status < 400) return SKIP_REDIRECT;
  if (h.status >= 400 && h.status < 500) return SKIP_CLIENT_ERROR;
  if (h.status >= 500) return SKIP_SERVER_ERROR;
  if (h.status != 200) return SKIP_OTHER_STATUS;
  v = nfw_field(h.fields, "Content-Type", &vn);
  nfw_content_type(v, vn, ctype, sizeof ctype, cs, sizeof cs);
  if (*ctype) return nfw_is_html_type(ctype) ? -1 : SKIP_NOT_HTML;
  /* no Content-Type: markup at the start of the body is a page */
  size_t i = 0;
  while (i < h.body_len && isspace((unsigned char)h.body[i])) i++;
  return i < h.body_len && h.body[i] == '<' ? -1 : SKIP_NOT_HTML;
}

/* After a damaged record: on at the next one (the next gzip member when
 * the compressed data is bad, else the next "WARC/" line). */
static void resync(warc_reader *w) {
  nfb_zin *z = &w->zin;
  if (z->failed) {
    if (z->truncated || !nfb_zin_resync(z)) w->done = 1;
    return;
  }
  int at_line = 0;
  for (;;) {
    size_t n;
    const unsigned char *p = nfb_zin_buffered(z, &n);
    if (!p) {
      if (z->failed && !z->truncated && nfb_zin_resync(z)) return;
      w->done = 1;
      return;
    }
    if (at_line && n >= 5 && memcmp(p, "WARC/", 5) == 0) return;
    const unsigned char *nl = memchr(p, '\n', n);
    nfb_zin_take(z, nl ? (size_t)(nl - p) + 1 : n);
    at_line = nl != NULL;
  }
}

/* The entry that fails when read, named for its record. */
static int bad_entry(warc_reader *w, nfb_rio *r) {
  w->bad = 1;
  memset(&r->cur, 0, sizeof r->cur);
  r->cur.type = NF_ENTRY_FILE;
  resync(w);
  if (r->one_record) w->done = 1;
  return 1;
}

/* A record's Content-Length: 0, or -1 when absent or not a number. */
static int content_length(nfw_fields f, unsigned long long *clen) {
  char lenbuf[32];
  char *end = NULL;
  *clen = 0;
  if (nfw_field_copy(f, "Content-Length", lenbuf, sizeof lenbuf) &&
      isdigit((unsigned char)lenbuf[0]))
    *clen = strtoull(lenbuf, &end, 10);
  return end && !*end ? 0 : -1;
}

/* The entry of the article record in w->rec (all of it, or its head when
 * lazy_len says how long it is), whose block is clen bytes. */
static void set_entry(warc_reader *w, nfb_rio *r, uint64_t clen) {
  memset(&r->cur, 0, sizeof r->cur);
  r->cur.type = NF_ENTRY_FILE;
  r->cur.size = w->lazy_len ? w->lazy_len : w->rec.len;
  if (clen > r->max_entry) {
    w->too_big = clen;
    r->cur.size = clen;
  }
  nfw_record rec;
  char e[200], date[40];
  if (nfw_record_split(w->rec.ptr, w->rec.len, &rec, e, sizeof e) == 0 &&
      nfw_field_copy(rec.fields, "WARC-Date", date, sizeof date))
    r->cur.mtime = nf_bundle_parse_time(date) > 0
                       ? nf_bundle_parse_time(date) : 0;
}

/* FILE@OFFSET in a file of a gzip member per record (how workers read the
 * records a listing found): the member decompressed whole, at libdeflate's
 * speed, with no copy. 1 when it holds an article record, now in w->rec;
 * 0 for anything else, which the streaming path then reads and names. */
static int read_whole_member(warc_reader *w, nfb_rio *r) {
  /* Records over 16 MiB stream (crawlers cut pages at a few MiB): the
   * whole-member path holds the compressed bytes too, and a one-stream
   * file read at @0 costs at most this much before streaming. */
  size_t max = r->max_entry < WHOLE_MAX ? r->max_entry + HEADER_MAX + 8
                                        : WHOLE_MAX;
  nf_buf m;
  nf_buf_init(&m);
  nfw_record rec;
  char e[200];
  unsigned long long clen = 0;
  int status = 0, ok =
      nfb_gz_member_at(&r->src, r->start, max, &m) == 0 &&
      nfw_record_split(m.ptr, m.len, &rec, e, sizeof e) == 0 &&
      (size_t)(rec.block - m.ptr) <= HEADER_MAX &&
      content_length(rec.fields, &clen) == 0 && clen <= rec.block_len &&
      clen <= r->max_entry &&
      classify(rec.fields, rec.block,
               clen < HEAD_LOOK ? (size_t)clen : HEAD_LOOK, &status) < 0;
  if (!ok) {
    nf_buf_free(&m);
    return 0;
  }
  nf_buf_truncate(&m, (size_t)(rec.block - m.ptr) + (size_t)clen);
  nf_buf_free(&w->rec);
  w->rec = m;
  w->done = 1;
  nf_buf_clear(&r->name);
  nf_buf_printf(&r->name, "@%llu", (unsigned long long)r->start);
  set_entry(w, r, clen);
  return 1;
}

static int warc_next(void *state, nfb_rio *r, char *err, size_t errlen) {
  warc_reader *w = state;
  nfb_zin *z = &w->zin;
  if (r->one_record && !r->start_within && z->gzip && r->src.seekable &&
      !w->done && read_whole_member(w, r))
    return 1;
  for (;;) {
    if (w->done) return 0;
    nf_buf_clear(&w->rec);
    w->bad = 0;
    w->too_big = 0;
    w->lazy_len = 0;
    skip_blank_lines(z);
    uint64_t member = 0, within = 0;
    int rc = nfb_zin_tell(z, &member, &within);
    nf_buf_clear(&r->name);
    if (rc == 0) return 0;
    if (rc < 0) member = z->member, within = 0;
    if (within) nf_buf_printf(&r->name, "@%llu+%llu",
                              (unsigned long long)member,
                              (unsigned long long)within);
    else nf_buf_printf(&r->name, "@%llu", (unsigned long long)member);
    if (rc < 0) {
      snprintf(w->why, sizeof w->why, "%s", z->msg);
      return bad_entry(w, r);
    }
    rc = read_header(w, &w->rec);
    if (rc == 0) return 0;
    if (rc < 0) return bad_entry(w, r);
    nfw_record rec;
    char e[200];
    if (nfw_record_split(w->rec.ptr, w->rec.len, &rec, e, sizeof e) < 0) {
      snprintf(w->why, sizeof w->why, "%s", e);
      return bad_entry(w, r);
    }
    unsigned long long clen;
    if (content_length(rec.fields, &clen) < 0) {
      snprintf(w->why, sizeof w->why, "WARC record without a valid "
               "Content-Length");
      return bad_entry(w, r);
    }
    if (r->one_record) w->done = 1;
    size_t header_len = w->rec.len;
    /* Enough of the block to tell what it is: its first KiBs, more until
     * the end of an HTTP header (at most HEAD_LOOK). */
    char type[32];
    nfw_field_copy(rec.fields, "WARC-Type", type, sizeof type);
    int http = strcasecmp(type, "response") == 0;
    size_t look = 0;
    int ok = 1;
    for (size_t want = 4096; ok;) {
      size_t to = clen < want ? (size_t)clen : want;
      char *head = nf_xmalloc(to - look + 1);
      ok = nfb_zin_exact(z, head, to - look) == 0;
      if (ok) nf_buf_put(&w->rec, head, to - look);
      free(head);
      if (!ok) break; /* the record is damaged: the bytes are not there */
      look = to;
      if (!http || look == clen || want >= HEAD_LOOK) break;
      size_t hend = nfw_header_end(w->rec.ptr + header_len, look);
      if (hend && hend < look) break;
      want *= 4;
    }
    int skip = -1, status = 0;
    if (ok) {
      /* the record's fields moved with the buffer */
      nfw_record_split(w->rec.ptr, w->rec.len, &rec, e, sizeof e);
      skip = classify(rec.fields, w->rec.ptr + header_len, look, &status);
    }
    if (skip >= 0 && r->one_record) {
      /* FILE@OFFSET names this record: say why it is no article */
      if (status && skip != SKIP_NOT_HTML)
        snprintf(err, errlen, "%s: skipped: %sstatus %d", r->path,
                 skip == SKIP_REDIRECT ? "redirect, " : "", status);
      else
        snprintf(err, errlen, "%s: skipped: %s", r->path, skip_names[skip]);
    }
    uint64_t rest = clen - look;
    if (ok && rest && !within && !r->one_record &&
        nfb_zin_jump(z, header_len + clen)) {
      /* A record of its own gzip member, in a file: the next member is
       * found without inflating this one's rest, which is read (once)
       * only if the record is read. */
      if (skip >= 0) {
        w->counts[skip]++;
        continue;
      }
      w->lazy_at = member;
      w->lazy_len = header_len + clen;
      rest = 0;
    }
    if (ok && skip < 0 && clen <= r->max_entry && rest) {
      char *tmp = nf_xmalloc((size_t)rest);
      ok = nfb_zin_exact(z, tmp, rest) == 0;
      if (ok) nf_buf_put(&w->rec, tmp, (size_t)rest);
      free(tmp);
    } else if (ok && rest) {
      ok = nfb_zin_exact(z, NULL, rest) == 0;
    }
    if (!ok) {
      snprintf(w->why, sizeof w->why, "%s",
               z->truncated ? "truncated record (the file ends inside it)"
                            : z->msg);
      return bad_entry(w, r);
    }
    if (skip >= 0) {
      w->counts[skip]++;
      continue;
    }
    set_entry(w, r, clen);
    return 1;
  }
}

/* The record whose rest was jumped over: inflated now from its member,
 * then the source goes back where the reader was. A damaged member fails
 * this record alone. */
static int read_lazy(warc_reader *w, nfb_rio *r, nf_buf *out, char *err,
                     size_t errlen) {
  uint64_t back = r->src.pos;
  nfb_zin *z = nf_xmalloc(sizeof *z);
  int ok = nfb_src_seek(&r->src, w->lazy_at) == 0;
  char *tmp = ok ? nf_xmalloc((size_t)w->lazy_len) : NULL;
  if (ok) {
    nfb_zin_init(z, &r->src);
    ok = nfb_zin_exact(z, tmp, w->lazy_len) == 0;
    if (!ok)
      snprintf(err, errlen, "%s%s: damaged record: %s", r->path, r->name.ptr,
               z->truncated ? "truncated record (the file ends inside it)"
                            : z->msg);
    nfb_zin_end(z);
  } else {
    snprintf(err, errlen, "%s%s: cannot seek to the record", r->path,
             r->name.ptr);
  }
  if (ok) nf_buf_put(out, tmp, (size_t)w->lazy_len);
  free(tmp);
  free(z);
  if (nfb_src_seek(&r->src, back) < 0)
    return nfb_rfail(r, err, errlen, "cannot seek back after a record");
  if (ok) r->cur_read = 1;
  return ok ? 0 : -1;
}

static int warc_read(void *state, nfb_rio *r, nf_buf *out, char *err,
                     size_t errlen) {
  warc_reader *w = state;
  if (w->bad) {
    snprintf(err, errlen, "%s%s: damaged record: %s", r->path,
             r->one_record ? "" : r->name.ptr, w->why);
    return -1;
  }
  if (w->too_big) return nfb_too_big(r, r->name.ptr, w->too_big, err, errlen);
  if (w->lazy_len) return read_lazy(w, r, out, err, errlen);
  if (w->moved)
    return nfb_rfail(r, err, errlen, "%s: entry already read", r->name.ptr);
  if (r->one_record && out->len == 0) {
    /* the only record this reader has: handed over, not copied */
    nf_buf_free(out);
    *out = w->rec;
    nf_buf_init(&w->rec);
    w->moved = 1;
  } else {
    nf_buf_put(out, w->rec.ptr, w->rec.len);
  }
  r->cur_read = 1;
  return 0;
}

static size_t warc_skips(void *state, const char *const **reasons,
                         const unsigned long long **counts) {
  warc_reader *w = state;
  *reasons = skip_names;
  *counts = w->counts;
  return N_SKIPS;
}

static int is_warc(const unsigned char *p, size_t n) {
  return n >= 8 && memcmp(p, "WARC/", 5) == 0 && isdigit(p[5]) && p[6] == '.';
}

static int warc_gz_sniff(const unsigned char *head, size_t n,
                         const unsigned char *plain, size_t m) {
  (void)head;
  (void)n;
  return is_warc(plain, m);
}

static int warc_sniff(const unsigned char *head, size_t n,
                      const unsigned char *plain, size_t m) {
  (void)plain;
  (void)m;
  return is_warc(head, n);
}

/* The same reader: the source layer tells gzip from plain. */
const nfb_reader_ops nfb_warc_gz_reader = {warc_gz_sniff, warc_open,
                                           warc_next, warc_read, warc_rfree,
                                           warc_skips};
const nfb_reader_ops nfb_warc_reader = {warc_sniff, warc_open, warc_next,
                                        warc_read, warc_rfree, warc_skips};

/* ===== Writing ========================================================= */

typedef struct warc_writer {
  int gzip;                /* a gzip member per record */
  char info_id[64];        /* the warcinfo record's id */
  unsigned long serial;    /* records written: part of each id */
} warc_writer;

/* A record id that depends only on what the run wrote (reruns are
 * byte-identical): a UUID made of the SHA-1 of its seed, version 5's
 * layout. */
static void record_id(const nf_buf *seed, char out[64]) {
  nf_sha1 s;
  unsigned char d[20];
  nf_sha1_init(&s);
  nf_sha1_update(&s, seed->ptr, seed->len);
  nf_sha1_final(&s, d);
  d[6] = (unsigned char)((d[6] & 0x0f) | 0x50);
  d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);
  static const char hex[] = "0123456789abcdef";
  char *p = out + sprintf(out, "<urn:uuid:");
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
    *p++ = hex[d[i] >> 4];
    *p++ = hex[d[i] & 15];
  }
  strcpy(p, ">");
}

/* A field value on one line: CR and LF would end the header early. */
static void put_field(nf_buf *h, const char *name, const char *v) {
  if (!v || !*v) return;
  nf_buf_printf(h, "%s: ", name);
  for (; *v; v++) nf_buf_putc(h, *v == '\r' || *v == '\n' ? ' ' : *v);
  nf_buf_puts(h, "\r\n");
}

/* One record: header fields (after the type, id, date), block, digests. */
static int write_record(warc_writer *w, nfb_io *io, const char *type,
                        const char *id, long long mtime, const nf_buf *fields,
                        const char *content_type, const void *block,
                        size_t len, int payload_digest) {
  char date[32], digest[38];
  nfb_format_time(mtime, date);
  nf_buf h;
  nf_buf_init(&h);
  nf_buf_printf(&h, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: %s\r\n"
                "WARC-Date: %s\r\n", type, id, date);
  nf_buf_put(&h, fields->ptr, fields->len);
  nf_sha1_base32(block, len, digest);
  nf_buf_printf(&h, "WARC-Block-Digest: %s\r\n", digest);
  if (payload_digest) nf_buf_printf(&h, "WARC-Payload-Digest: %s\r\n", digest);
  nf_buf_printf(&h, "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n",
                content_type, len);
  int rc = w->gzip ? nfb_gz_begin(io) : 0;
  int (*put)(nfb_io *, const void *, size_t) = w->gzip ? nfb_gz_write
                                                        : nfb_write;
  if (rc == 0) rc = put(io, h.ptr, h.len);
  if (rc == 0 && len) rc = put(io, block, len);
  if (rc == 0) rc = put(io, "\r\n\r\n", 4);
  if (rc == 0 && w->gzip) rc = nfb_gz_end(io);
  nf_buf_free(&h);
  w->serial++;
  return rc;
}

static int warc_begin_any(nfb_io *io, void **state, int gzip) {
  warc_writer *w = nf_xcalloc(1, sizeof *w);
  *state = w;
  w->gzip = gzip;
  const char *slash = strrchr(io->path, '/');
  nf_buf seed, fields, info;
  nf_buf_init(&seed);
  nf_buf_init(&fields);
  nf_buf_init(&info);
  nf_buf_printf(&seed, "warcinfo\n%s\n%lld", slash ? slash + 1 : io->path,
                io->mtime);
  record_id(&seed, w->info_id);
  put_field(&fields, "WARC-Filename", slash ? slash + 1 : io->path);
  nf_buf_printf(&info, "software: newsform/%s\r\nformat: WARC File Format "
                "1.1\r\nconformsTo: https://iipc.github.io/warc-specifications/"
                "specifications/warc-format/warc-1.1/\r\ndescription: "
                "articles extracted by newsform\r\n", NF_VERSION);
  int rc = write_record(w, io, "warcinfo", w->info_id, io->mtime, &fields,
                        "application/warc-fields", info.ptr, info.len, 0);
  nf_buf_free(&seed);
  nf_buf_free(&fields);
  nf_buf_free(&info);
  return rc;
}

static int warc_begin(nfb_io *io, const nf_bundle_opts *o, void **state) {
  (void)o;
  return warc_begin_any(io, state, 0);
}

static int warc_gz_begin(nfb_io *io, const nf_bundle_opts *o, void **state) {
  (void)o;
  return warc_begin_any(io, state, 1);
}

static int warc_add(void *state, nfb_io *io, const char *name,
                    const void *data, size_t len, const nf_bundle_meta *meta,
                    long long mtime) {
  warc_writer *w = state;
  /* HTML results are resources; everything else is a conversion (WET's
   * record type for text made from a page). */
  const char *dot = strrchr(name, '.');
  int html = dot && (strcasecmp(dot, ".html") == 0 ||
                     strcasecmp(dot, ".htm") == 0 ||
                     strcasecmp(dot, ".xhtml") == 0);
  const char *url = meta && meta->url ? meta->url : NULL;
  nf_buf seed, fields;
  nf_buf_init(&seed);
  nf_buf_init(&fields);
  char id[64], digest[38];
  nf_sha1_base32(data, len, digest);
  nf_buf_printf(&seed, "%s\n%lu\n%s\n%s\n%s", w->info_id, w->serial, name,
                meta && meta->source ? meta->source : "", digest);
  record_id(&seed, id);
  put_field(&fields, "WARC-Target-URI", url);
  if (meta && meta->refers_to) {
    /* record ids keep (or get) their angle brackets */
    const char *r = meta->refers_to;
    nf_buf_printf(&fields, "WARC-Refers-To: %s", *r == '<' ? "" : "<");
    for (; *r && *r != '\r' && *r != '\n'; r++) nf_buf_putc(&fields, *r);
    nf_buf_puts(&fields, meta->refers_to[0] == '<' ? "\r\n" : ">\r\n");
  }
  nf_buf_printf(&fields, "WARC-Warcinfo-ID: %s\r\n", w->info_id);
  put_field(&fields, "WARC-Identified-Content-Language", NULL);
  int rc = write_record(w, io, html ? "resource" : "conversion", id, mtime,
                        &fields,
                        html ? "text/html; charset=utf-8"
                             : "text/plain; charset=utf-8",
                        data, len, 1);
  nf_buf_free(&seed);
  nf_buf_free(&fields);
  if (rc == 0) nfb_entry_push(io, name, meta, len, nfb_crc32(0, data, len));
  return rc;
}

static int warc_finish(void *state, nfb_io *io) {
  (void)state;
  (void)io;
  return 0;
}

const nfb_writer_ops nfb_warc_writer = {
    NFB_FORM_PAGE, 0, 1, warc_begin, warc_add, NULL, NULL, warc_finish, free};
const nfb_writer_ops nfb_warc_gz_writer = {
    NFB_FORM_PAGE, 0, 1, warc_gz_begin, warc_add, NULL, NULL, warc_finish,
    free};
