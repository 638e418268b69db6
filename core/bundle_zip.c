/* bundle_zip.c: .zip writer (raw deflate, CRC-32, local headers, central
 * directory, UTF-8 name flag, ZIP64 when sizes, offsets or counts need it)
 * and reader (central directory, CRC checked, bounded inflate). Also the
 * container of EPUB. */
#include "bundle.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_EOCD64 0x06064b50u
#define SIG_LOCATOR64 0x07064b50u
#define FLAG_UTF8 0x0800u
#define MAX32 0xFFFFFFFFu
#define MAX16 0xFFFFu
#define MADE_BY_UNIX (3u << 8)

/* ===== Writing ========================================================= */

/* An entry written so far, for the central directory. */
typedef struct zrec {
  char *name;
  uint64_t size, csize, offset;
  uint32_t crc;
  int method;              /* 0 stored, 8 deflated */
  long long mtime;
} zrec;

typedef struct zip_writer {
  zrec *recs;
  size_t len, cap;
} zip_writer;

static int zip_begin(nfb_io *b, const nf_bundle_opts *o, void **state) {
  (void)b;
  (void)o;
  *state = nf_xcalloc(1, sizeof(zip_writer));
  return 0;
}

static void zip_free(void *state) {
  zip_writer *z = state;
  if (!z) return;
  for (size_t i = 0; i < z->len; i++) free(z->recs[i].name);
  free(z->recs);
  free(z);
}

/* MS-DOS date and time of a Unix time, read as UTC (so the same on every
 * machine), clamped to 1980..2107. */
static void dos_time(long long t, unsigned *dtime, unsigned *ddate) {
  if (t < NF_BUNDLE_EPOCH) t = NF_BUNDLE_EPOCH;
  if (t > 4354819198LL) t = 4354819198LL;   /* 2107-12-31T23:59:58Z */
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  *dtime = (unsigned)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
  *ddate = (unsigned)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
}

static int has_non_ascii(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s >= 0x80) return 1;
  return 0;
}

int nfb_zip_add(void *state, nfb_io *b, const char *name, const void *data,
                size_t len, const nf_bundle_meta *meta, long long mtime) {
  zip_writer *zw = state;
  if (b->failed) return -1;
  uint32_t crc = nfb_crc32(0, data, len);
  unsigned char *packed = NULL;
  size_t plen = 0;
  int method = 0;
  if (len && !(meta && meta->store)) {
    packed = nfb_deflate_buf(data, len, b->level, &plen);
    if (!packed) return nfb_fail(b, "%s: zlib: deflate failed", b->path);
    if (plen < len) method = 8;
  }
  const void *body = method == 8 ? (const void *)packed : data;
  uint64_t csize = method == 8 ? plen : len;
  int zip64 = b->zip64 || len >= MAX32 || csize >= MAX32;
  size_t nlen = strlen(name);
  if (nlen > MAX16) {
    free(packed);
    return nfb_fail(b, "%s: entry name too long", b->path);
  }
  unsigned dt, dd;
  dos_time(mtime, &dt, &dd);
  unsigned char h[30 + 20];
  nfb_le32(h, SIG_LOCAL);
  nfb_le16(h + 4, zip64 ? 45 : 20);
  nfb_le16(h + 6, has_non_ascii(name) ? FLAG_UTF8 : 0);
  nfb_le16(h + 8, (unsigned)method);
  nfb_le16(h + 10, dt);
  nfb_le16(h + 12, dd);
  nfb_le32(h + 14, crc);
  nfb_le32(h + 18, zip64 ? MAX32 : (uint32_t)csize);
  nfb_le32(h + 22, zip64 ? MAX32 : (uint32_t)len);
  nfb_le16(h + 26, (unsigned)nlen);
  nfb_le16(h + 28, zip64 ? 20 : 0);
  unsigned char *x = h + 30;
  nfb_le16(x, 1);   /* ZIP64 extra: original then compressed size */
  nfb_le16(x + 2, 16);
  nfb_le64(x + 4, len);
  nfb_le64(x + 12, csize);
  uint64_t offset = b->offset;
  int rc = nfb_write(b, h, 30);
  if (rc == 0) rc = nfb_write(b, name, nlen);
  if (rc == 0 && zip64) rc = nfb_write(b, x, 20);
  if (rc == 0) rc = nfb_write(b, body, (size_t)csize);
  free(packed);
  if (rc < 0) return -1;
  nfb_entry_push(b, name, meta, len, crc);
  if (zw->len == zw->cap) {
    zw->cap = zw->cap ? zw->cap * 2 : 32;
    zw->recs = nf_xrealloc(zw->recs, zw->cap * sizeof *zw->recs);
  }
  zw->recs[zw->len++] = (zrec){nf_xstrdup(name), len, csize, offset, crc,
                               method, mtime};
  return 0;
}

int nfb_zip_central(void *state, nfb_io *b) {
  zip_writer *zw = state;
  if (b->failed) return -1;
  uint64_t cd_start = b->offset;
  for (size_t i = 0; i < zw->len; i++) {
    const zrec *e = &zw->recs[i];
    int big_size = b->zip64 || e->size >= MAX32;
    int big_csize = b->zip64 || e->csize >= MAX32;
    int big_off = b->zip64 || e->offset >= MAX32;
    int zip64 = big_size || big_csize || big_off;
    unsigned char h[46], x[28];
    size_t xlen = 0;
    if (zip64) {
      xlen = 4;
      if (big_size) { nfb_le64(x + xlen, e->size); xlen += 8; }
      if (big_csize) { nfb_le64(x + xlen, e->csize); xlen += 8; }
      if (big_off) { nfb_le64(x + xlen, e->offset); xlen += 8; }
      nfb_le16(x, 1);
      nfb_le16(x + 2, (unsigned)(xlen - 4));
    }
    unsigned dt, dd;
    dos_time(e->mtime, &dt, &dd);
    size_t nlen = strlen(e->name);
    /* local header said 45 when it carried ZIP64 sizes */
    int need45 = zip64 || b->zip64 || e->size >= MAX32 || e->csize >= MAX32;
    nfb_le32(h, SIG_CENTRAL);
    nfb_le16(h + 4, MADE_BY_UNIX | 45);
    nfb_le16(h + 6, need45 ? 45 : 20);
    nfb_le16(h + 8, has_non_ascii(e->name) ? FLAG_UTF8 : 0);
    nfb_le16(h + 10, (unsigned)e->method);
    nfb_le16(h + 12, dt);
    nfb_le16(h + 14, dd);
    nfb_le32(h + 16, e->crc);
    nfb_le32(h + 20, big_csize ? MAX32 : (uint32_t)e->csize);
    nfb_le32(h + 24, big_size ? MAX32 : (uint32_t)e->size);
    nfb_le16(h + 28, (unsigned)nlen);
    nfb_le16(h + 30, (unsigned)xlen);
    nfb_le16(h + 32, 0);   /* comment */
    nfb_le16(h + 34, 0);   /* disk */
    nfb_le16(h + 36, 0);   /* internal attributes */
    nfb_le32(h + 38, (uint32_t)0100644 << 16);
    nfb_le32(h + 42, big_off ? MAX32 : (uint32_t)e->offset);
    if (nfb_write(b, h, 46) < 0 || nfb_write(b, e->name, nlen) < 0 ||
        nfb_write(b, x, xlen) < 0)
      return -1;
  }
  uint64_t cd_size = b->offset - cd_start;
  uint64_t count = zw->len;
  if (b->zip64 || count >= MAX16 || cd_start >= MAX32 || cd_size >= MAX32) {
    uint64_t eocd64 = b->offset;
    unsigned char z[56 + 20];
    nfb_le32(z, SIG_EOCD64);
    nfb_le64(z + 4, 44);
    nfb_le16(z + 12, MADE_BY_UNIX | 45);
    nfb_le16(z + 14, 45);
    nfb_le32(z + 16, 0);
    nfb_le32(z + 20, 0);
    nfb_le64(z + 24, count);
    nfb_le64(z + 32, count);
    nfb_le64(z + 40, cd_size);
    nfb_le64(z + 48, cd_start);
    nfb_le32(z + 56, SIG_LOCATOR64);
    nfb_le32(z + 60, 0);
    nfb_le64(z + 64, eocd64);
    nfb_le32(z + 72, 1);
    if (nfb_write(b, z, sizeof z) < 0) return -1;
  }
  unsigned char e[22];
  nfb_le32(e, SIG_EOCD);
  nfb_le16(e + 4, 0);
  nfb_le16(e + 6, 0);
  nfb_le16(e + 8, count >= MAX16 ? MAX16 : (unsigned)count);
  nfb_le16(e + 10, count >= MAX16 ? MAX16 : (unsigned)count);
  nfb_le32(e + 12, cd_size >= MAX32 || b->zip64 ? MAX32 : (uint32_t)cd_size);
  nfb_le32(e + 16, cd_start >= MAX32 || b->zip64 ? MAX32 : (uint32_t)cd_start);
  nfb_le16(e + 20, 0);
  return nfb_write(b, e, 22);
}

static int zip_finish(void *state, nfb_io *b) {
  if (b->manifest) {
    nf_buf m = NF_BUF_INIT;
    nf_buf_init(&m);
    nfb_manifest(b, &m);
    int rc = nfb_zip_add(state, b, "manifest.json", m.ptr, m.len, NULL,
                         b->mtime);
    nf_buf_free(&m);
    if (rc < 0) return -1;
  }
  return nfb_zip_central(state, b);
}

const nfb_writer_ops nfb_zip_writer = {NFB_FORM_PAGE, 1, 1, zip_begin,
                                       nfb_zip_add, NULL, NULL, zip_finish,
                                       zip_free};

/* ===== Reading ========================================================= */

typedef struct zentry {
  char *name;
  uint64_t size, csize, offset;
  uint32_t crc;
  int method;
  long long mtime;
  nf_entry_type type;
} zentry;

typedef struct zip_reader {
  nfb_src *src;           /* seekable: a file or memory */
  zentry *zentries;
  size_t n_zentries;
} zip_reader;

static int read_at(const nfb_rio *r, nfb_src *src, uint64_t off, void *dst,
                   size_t n) {
  if (off > r->file_size || n > r->file_size - off) return -1;
  return nfb_src_pread(src, off, dst, n);
}

static long long from_dos(unsigned dt, unsigned dd) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  tm.tm_year = (int)(dd >> 9) + 80;
  tm.tm_mon = (int)((dd >> 5) & 15) - 1;
  tm.tm_mday = (int)(dd & 31);
  tm.tm_hour = (int)(dt >> 11);
  tm.tm_min = (int)((dt >> 5) & 63);
  tm.tm_sec = (int)(dt & 31) * 2;
  if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1) return 0;
  char iso[32];
  snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
           tm.tm_mon + 1, tm.tm_mday, tm.tm_hour % 24, tm.tm_min % 60,
           tm.tm_sec % 60);
  long long t = nf_bundle_parse_time(iso);
  return t < 0 ? 0 : t;
}

static int zip_open(nfb_rio *r, void **state, char *err, size_t errlen) {
  zip_reader *zr = nf_xcalloc(1, sizeof *zr);
  *state = zr;
  zr->src = &r->src;
  if (!r->src.seekable)
    return nfb_rfail(r, err, errlen, "a zip file is read from a file, not "
                     "from a pipe");
  /* the end record sits in the last 22 + 65535 (comment) bytes */
  size_t tail = r->file_size < 22 + 65535 ? (size_t)r->file_size : 22 + 65535;
  if (tail < 22) return nfb_rfail(r, err, errlen, "not a zip file (too short)");
  unsigned char *buf = nf_xmalloc(tail);
  uint64_t tail_off = r->file_size - tail;
  if (read_at(r, zr->src, tail_off, buf, tail) < 0) {
    free(buf);
    return nfb_rfail(r, err, errlen, "read error");
  }
  size_t pos = tail - 22 + 1;
  int found = 0;
  while (pos-- > 0) {
    if (nfb_rd32(buf + pos) == SIG_EOCD &&
        pos + 22 + nfb_rd16(buf + pos + 20) <= tail) {
      found = 1;
      break;
    }
  }
  if (!found) {
    free(buf);
    return nfb_rfail(r, err, errlen,
                     "not a zip file or truncated (no end of central directory)");
  }
  uint64_t eocd = tail_off + pos;
  uint64_t count = nfb_rd16(buf + pos + 10);
  uint64_t cd_size = nfb_rd32(buf + pos + 12);
  uint64_t cd_start = nfb_rd32(buf + pos + 16);
  if (nfb_rd16(buf + pos + 4) != 0 || nfb_rd16(buf + pos + 6) != 0) {
    free(buf);
    return nfb_rfail(r, err, errlen, "multi-part zip files are not supported");
  }
  free(buf);
  uint64_t cd_end = eocd;
  if (count == MAX16 || cd_size == MAX32 || cd_start == MAX32) {
    unsigned char loc[20], z[56];
    if (eocd < 20 || read_at(r, zr->src, eocd - 20, loc, 20) < 0 ||
        nfb_rd32(loc) != SIG_LOCATOR64)
      goto plain;   /* real 0xFFFF values, or no ZIP64: take them as is */
    uint64_t z_off = nfb_rd64(loc + 8);
    if (z_off > eocd - 20 || read_at(r, zr->src, z_off, z, 56) < 0 ||
        nfb_rd32(z) != SIG_EOCD64)
      return nfb_rfail(r, err, errlen, "corrupt ZIP64 end record");
    count = nfb_rd64(z + 32);
    cd_size = nfb_rd64(z + 40);
    cd_start = nfb_rd64(z + 48);
    cd_end = z_off;
  }
plain:
  if (cd_start > cd_end || cd_size > cd_end - cd_start)
    return nfb_rfail(r, err, errlen,
                     "corrupt or truncated zip (central directory out of bounds)");
  if (count > cd_size / 46)
    return nfb_rfail(r, err, errlen, "corrupt zip (entry count %llu)",
                     (unsigned long long)count);
  unsigned char *cd = nf_xmalloc(cd_size ? (size_t)cd_size : 1);
  if (read_at(r, zr->src, cd_start, cd, (size_t)cd_size) < 0) {
    free(cd);
    return nfb_rfail(r, err, errlen, "read error in central directory");
  }
  zr->zentries = nf_xcalloc(count ? (size_t)count : 1, sizeof *zr->zentries);
  size_t p = 0;
  for (uint64_t i = 0; i < count; i++) {
    if (cd_size - p < 46 || nfb_rd32(cd + p) != SIG_CENTRAL) {
      free(cd);
      return nfb_rfail(r, err, errlen, "corrupt central directory (entry %llu)",
                       (unsigned long long)i);
    }
    const unsigned char *h = cd + p;
    size_t nlen = nfb_rd16(h + 28), xlen = nfb_rd16(h + 30),
           clen = nfb_rd16(h + 32);
    if (cd_size - p - 46 < nlen + xlen + clen) {
      free(cd);
      return nfb_rfail(r, err, errlen, "corrupt central directory (entry %llu)",
                       (unsigned long long)i);
    }
    zentry *z = &zr->zentries[zr->n_zentries++];
    z->name = nf_xstrndup((const char *)h + 46, nlen);
    z->method = (int)nfb_rd16(h + 10);
    z->crc = nfb_rd32(h + 16);
    z->csize = nfb_rd32(h + 20);
    z->size = nfb_rd32(h + 24);
    z->offset = nfb_rd32(h + 42);
    z->mtime = from_dos(nfb_rd16(h + 12), nfb_rd16(h + 14));
    unsigned flags = nfb_rd16(h + 8);
    /* ZIP64 extra: the fields whose 32-bit value is all ones, in order */
    const unsigned char *x = h + 46 + nlen, *xend = x + xlen;
    while (xend - x >= 4) {
      unsigned id = nfb_rd16(x), sz = nfb_rd16(x + 2);
      if ((size_t)(xend - x - 4) < sz) break;
      if (id == 1) {
        const unsigned char *q = x + 4, *qend = q + sz;
        if (z->size == MAX32 && qend - q >= 8) { z->size = nfb_rd64(q); q += 8; }
        if (z->csize == MAX32 && qend - q >= 8) { z->csize = nfb_rd64(q); q += 8; }
        if (z->offset == MAX32 && qend - q >= 8) { z->offset = nfb_rd64(q); q += 8; }
      }
      x += 4 + sz;
    }
    unsigned made_by = nfb_rd16(h + 4) >> 8;
    uint32_t mode = nfb_rd32(h + 38) >> 16;
    z->type = NF_ENTRY_FILE;
    if (nlen && z->name[nlen - 1] == '/') z->type = NF_ENTRY_DIR;
    if (made_by == 3 && (mode & 0170000) == 0120000) z->type = NF_ENTRY_LINK;
    else if (made_by == 3 && (mode & 0170000) == 0040000) z->type = NF_ENTRY_DIR;
    if (flags & 1) z->type = NF_ENTRY_OTHER;   /* encrypted: cannot read */
    if (z->type == NF_ENTRY_DIR)
      while (strlen(z->name) > 1 && z->name[strlen(z->name) - 1] == '/')
        z->name[strlen(z->name) - 1] = '\0';
    p += 46 + nlen + xlen + clen;
  }
  free(cd);
  return 0;
}

static int zip_next(void *state, nfb_rio *r, char *err, size_t errlen) {
  zip_reader *zr = state;
  (void)err;
  (void)errlen;
  if (r->index >= zr->n_zentries) return 0;
  const zentry *z = &zr->zentries[r->index];
  nf_buf_clear(&r->name);
  nf_buf_puts(&r->name, z->name);
  memset(&r->cur, 0, sizeof r->cur);
  r->cur.size = z->size;
  r->cur.mtime = z->mtime;
  r->cur.type = z->type;
  return 1;
}

static int zip_read(void *state, nfb_rio *r, nf_buf *out, char *err,
                    size_t errlen) {
  zip_reader *zr = state;
  const zentry *z = &zr->zentries[r->cur.index];
  if (z->size > r->max_entry)
    return nfb_too_big(r, z->name, z->size, err, errlen);
  if (z->method != 0 && z->method != 8) {
    snprintf(err, errlen, "%s: %s: unsupported compression method %d",
             r->path, z->name, z->method);
    return -1;
  }
  unsigned char lh[30];
  if (read_at(r, zr->src, z->offset, lh, 30) < 0 || nfb_rd32(lh) != SIG_LOCAL)
    return nfb_rfail(r, err, errlen, "%s: corrupt local header", z->name);
  size_t lnlen = nfb_rd16(lh + 26);
  if (lnlen != strlen(z->name) && z->type != NF_ENTRY_DIR)
    return nfb_rfail(r, err, errlen, "%s: local header names another file",
                     z->name);
  if (z->type != NF_ENTRY_DIR) {
    char *lname = nf_xmalloc(lnlen + 1);
    int same = read_at(r, zr->src, z->offset + 30, lname, lnlen) == 0 &&
               memcmp(lname, z->name, lnlen) == 0;
    free(lname);
    if (!same)
      return nfb_rfail(r, err, errlen, "%s: local header names another file",
                       z->name);
  }
  uint64_t data = z->offset + 30 + lnlen + nfb_rd16(lh + 28);
  if (data > r->file_size || z->csize > r->file_size - data)
    return nfb_rfail(r, err, errlen, "%s: truncated entry data", z->name);
  uint64_t at = data;   /* where the next compressed bytes are */
  size_t size = (size_t)z->size;
  unsigned char *dst = nf_xmalloc(size ? size : 1);
  int ok = 1;
  const char *why = "";
  if (z->method == 0) {
    if (z->csize != z->size) { ok = 0; why = "stored size mismatch"; }
    else if (read_at(r, zr->src, at, dst, size) < 0) { ok = 0; why = "read error"; }
  } else {
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, -15) != Z_OK) { free(dst); return nfb_rfail(r, err, errlen, "zlib init failed"); }
    unsigned char in[65536];
    uint64_t left = z->csize;
    size_t done = 0;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
      if (s.avail_in == 0) {
        if (left == 0) { ok = 0; why = "truncated deflate data"; break; }
        size_t k = left > sizeof in ? sizeof in : (size_t)left;
        if (read_at(r, zr->src, at, in, k) < 0) { ok = 0; why = "read error"; break; }
        at += k;
        left -= k;
        s.next_in = in;
        s.avail_in = (uInt)k;
      }
      /* one spare byte: inflating past the declared size is an error */
      unsigned char spare;
      size_t room = size - done;
      s.next_out = room ? dst + done : &spare;
      s.avail_out = room ? (uInt)(room > (1u << 30) ? (1u << 30) : room) : 1;
      uInt before = s.avail_out;
      rc = inflate(&s, Z_NO_FLUSH);
      if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_MEM_ERROR) {
        ok = 0; why = "corrupt deflate data"; break;
      }
      if (!room && s.avail_out == 0) { ok = 0; why = "more data than its declared size"; break; }
      if (room) done += before - s.avail_out;
      if (rc == Z_BUF_ERROR && s.avail_in == 0 && left == 0) {
        ok = 0; why = "truncated deflate data"; break;
      }
    }
    inflateEnd(&s);
    if (ok && done != size) { ok = 0; why = "less data than its declared size"; }
  }
  if (ok && nfb_crc32(0, dst, size) != z->crc) { ok = 0; why = "CRC mismatch"; }
  if (!ok) {
    free(dst);
    snprintf(err, errlen, "%s: %s: %s", r->path, z->name, why);
    return -1;
  }
  nf_buf_put(out, dst, size);
  free(dst);
  r->cur_read = 1;
  return 0;
}

static void zip_rfree(void *state) {
  zip_reader *zr = state;
  if (!zr) return;
  for (size_t i = 0; i < zr->n_zentries; i++) free(zr->zentries[i].name);
  free(zr->zentries);
  free(zr);
}

static int zip_sniff(const unsigned char *head, size_t n,
                     const unsigned char *plain, size_t m) {
  (void)plain;
  (void)m;
  return n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 &&
         head[3] == 4;
}

const nfb_reader_ops nfb_zip_reader = {zip_sniff, zip_open, zip_next,
                                       zip_read, zip_rfree, NULL};
