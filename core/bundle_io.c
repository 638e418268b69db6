/* bundle_io.c: the byte level under every bundle format (see bundle_io.h).
 * The formats and the front end call in here; nothing here calls out to
 * them. */
#include "bundle_io.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>

#include "gzip_whole.h"
#include "utf8.h"

/* ===== Little-endian fields, CRC, deflate ============================== */

void nfb_le16(unsigned char *p, unsigned v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
}
void nfb_le32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}
void nfb_le64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}
uint32_t nfb_rd16(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
uint32_t nfb_rd32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}
uint64_t nfb_rd64(const unsigned char *p) {
  return (uint64_t)nfb_rd32(p) | (uint64_t)nfb_rd32(p + 4) << 32;
}

/* zlib counts in uInt: feed it at most 1 GiB at a time. */
#define ZCHUNK ((size_t)1 << 30)

/* gzip's and zip's CRC-32, by libdeflate (carry-less multiplication:
 * 2.5x zlib's crc32 here). */
uint32_t nfb_crc32(uint32_t crc, const void *p, size_t n) {
  return libdeflate_crc32(crc, p, n);
}

unsigned char *nfb_deflate_buf(const void *in, size_t n, int level,
                               size_t *out_len) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return NULL;
  size_t cap = (size_t)deflateBound(&z, (uLong)n) + 64;
  unsigned char *out = nf_xmalloc(cap);
  const Bytef *src = in;
  size_t left = n, done = 0;
  int rc = Z_OK;
  do {
    uInt k = (uInt)(left > ZCHUNK ? ZCHUNK : left);
    z.next_in = (Bytef *)src;
    z.avail_in = k;
    src += k;
    left -= k;
    int flush = left ? Z_NO_FLUSH : Z_FINISH;
    do {
      size_t room = cap - done;
      if (room == 0) break;
      z.next_out = out + done;
      z.avail_out = (uInt)(room > ZCHUNK ? ZCHUNK : room);
      uInt before = z.avail_out;
      rc = deflate(&z, flush);
      done += before - z.avail_out;
      if (rc == Z_STREAM_ERROR) break;
    } while (z.avail_in || (flush == Z_FINISH && rc != Z_STREAM_END));
  } while (left && rc != Z_STREAM_ERROR);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) {
    free(out);
    return NULL;
  }
  *out_len = done;
  return out;
}


/* ===== Name sets ======================================================= */

char *nfb_fold(const char *s) {
  char *f = nf_xstrdup(s);
  for (char *p = f; *p; p++) *p = (char)tolower((unsigned char)*p);
  return f;
}

/* ===== Safe names ====================================================== */

const char *nf_bundle_name_check(const char *name) {
  if (!name || !*name) return "empty name";
  size_t n = strlen(name);
  if (n > 1024) return "name too long";
  if (name[0] == '/') return "absolute path";
  if (isalpha((unsigned char)name[0]) && name[1] == ':') return "drive letter";
  if (!nf_utf8_valid(name, n)) return "invalid UTF-8";
  const char *part = name;
  for (const char *p = name;; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '/' || c == '\0') {
      size_t len = (size_t)(p - part);
      if (len == 2 && part[0] == '.' && part[1] == '.') return "contains ..";
      if (len == 1 && part[0] == '.') return "contains a . part";
      if (len == 0 && c == '/') return "empty path part";
      if (c == '\0') break;
      part = p + 1;
      continue;
    }
    if (c < 0x20 || c == 0x7f) return "control character";
    if (c == '\\') return "backslash";
  }
  return NULL;
}

/* Appends a slug of part[0..n) to out: ASCII letters, digits, '_' and '.'
 * stay, valid UTF-8 letters stay, everything else folds into one '-'. */
static void slug_part(nf_buf *out, const char *part, size_t n) {
  size_t start = out->len;
  int dash = 0;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)part[i];
    if (c >= 0x80) {
      int k = nf_utf8_seq_len((const unsigned char *)part + i, n - i);
      /* C1 controls (U+0080-U+009F) are encoded as C2 80..C2 9F */
      if (k > 0 && !(k == 2 && c == 0xC2 && (unsigned char)part[i + 1] < 0xA0)) {
        if (out->len - start + (size_t)k > 80) break;
        nf_buf_put(out, part + i, (size_t)k);
        i += (size_t)k;
        dash = 0;
        continue;
      }
      i += k > 0 ? (size_t)k : 1;
      if (!dash && out->len > start) { nf_buf_putc(out, '-'); dash = 1; }
      continue;
    }
    i++;
    if (isalnum(c) || c == '_' || c == '.' || c == '-') {
      if (c == '-' && (dash || out->len == start)) continue;
      if (out->len - start >= 80) break;
      nf_buf_putc(out, c);
      dash = c == '-';
    } else if (!dash && out->len > start) {
      nf_buf_putc(out, '-');
      dash = 1;
    }
  }
  /* no leading dots (hidden files) and no trailing dots or dashes */
  while (out->len > start &&
         (out->ptr[out->len - 1] == '-' || out->ptr[out->len - 1] == '.'))
    nf_buf_truncate(out, out->len - 1);
  size_t lead = 0;
  while (start + lead < out->len && out->ptr[start + lead] == '.') lead++;
  if (lead) {
    memmove(out->ptr + start, out->ptr + start + lead, out->len - start - lead);
    nf_buf_truncate(out, out->len - lead);
  }
}

static int name_taken(const nfb_io *io, const char *name) {
  if (!io) return 0;
  if (io->manifest && strcasecmp(name, "manifest.json") == 0) return 1;
  char *f = nfb_fold(name);
  int taken = nf_strset_has(&io->folded, f);
  free(f);
  return taken;
}

char *nfb_safe_name(const nfb_io *b, const char *hint, const char *ext) {
  nf_buf stem = NF_BUF_INIT;
  nf_buf_init(&stem);
  const char *s = hint ? hint : "";
  const char *scheme = strstr(s, "://");
  if (scheme) s = scheme + 3;
  size_t n = strcspn(s, scheme ? "?#" : "");
  /* keep the last 4 parts: enough to tell inputs apart, short to type */
  const char *parts[4];
  size_t lens[4], count = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && s[j] != '/' && s[j] != '\\') j++;
    size_t len = j - i;
    int dots = (len == 1 && s[i] == '.') || (len == 2 && s[i] == '.' && s[i + 1] == '.');
    if (len && !dots) {
      if (count == 4) {
        memmove(parts, parts + 1, 3 * sizeof *parts);
        memmove(lens, lens + 1, 3 * sizeof *lens);
        count = 3;
      }
      parts[count] = s + i;
      lens[count++] = len;
    }
    i = j + 1;
  }
  for (size_t k = 0; k < count; k++) {
    size_t len = lens[k];
    if (k == count - 1 && ext) {
      /* drop the part's own extension (".html") to put ext instead */
      for (size_t d = len; d > 1; d--) {
        if (parts[k][d - 1] != '.') continue;
        size_t elen = len - d;
        int alnum = elen > 0 && elen <= 8;
        for (size_t q = d; alnum && q < len; q++)
          alnum = isalnum((unsigned char)parts[k][q]) != 0;
        if (alnum) len = d - 1;
        break;
      }
    }
    size_t before = stem.len;
    if (stem.len) nf_buf_putc(&stem, '/');
    size_t mark = stem.len;
    slug_part(&stem, parts[k], len);
    if (stem.len == mark) nf_buf_truncate(&stem, before);
  }
  if (!stem.len) nf_buf_puts(&stem, "entry");
  const char *e = ext ? ext : "";
  nf_buf name = NF_BUF_INIT;
  nf_buf_init(&name);
  nf_buf_printf(&name, "%s%s", stem.ptr, e);
  for (unsigned k = 2; name_taken(b, name.ptr); k++) {
    nf_buf_clear(&name);
    nf_buf_printf(&name, "%s-%u%s", stem.ptr, k, e);
  }
  nf_buf_free(&stem);
  return nf_buf_detach(&name);
}

/* ===== Writing: errors and the output stream =========================== */

int nfb_fail(nfb_io *b, const char *fmt, ...) {
  if (b->failed) return -1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(b->err, sizeof b->err, fmt, ap);
  va_end(ap);
  b->failed = 1;
  return -1;
}

void nfb_copy_err(const nfb_io *b, char *err, size_t errlen) {
  if (err && errlen) snprintf(err, errlen, "%s", b->err);
}

int nfb_write(nfb_io *b, const void *p, size_t n) {
  if (b->failed) return -1;
  if (n && fwrite(p, 1, n, b->fp) != n)
    return nfb_fail(b, "%s: write failed: %s", b->path, strerror(errno));
  b->offset += n;
  return 0;
}

int nfb_gz_begin(nfb_io *b) {
  memset(&b->gz, 0, sizeof b->gz);
  if (deflateInit2(&b->gz, b->level, Z_DEFLATED, 15 + 16, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    return nfb_fail(b, "%s: zlib: cannot start gzip stream", b->path);
  /* fixed header fields: mtime 0, no name, OS "unknown" (255) */
  memset(&b->gzhead, 0, sizeof b->gzhead);
  b->gzhead.os = 255;
  deflateSetHeader(&b->gz, &b->gzhead);
  b->gz_active = 1;
  return 0;
}

static int gz_pump(nfb_io *b, int flush) {
  unsigned char out[65536];
  int rc;
  do {
    b->gz.next_out = out;
    b->gz.avail_out = sizeof out;
    rc = deflate(&b->gz, flush);
    if (rc == Z_STREAM_ERROR)
      return nfb_fail(b, "%s: zlib: deflate failed", b->path);
    if (nfb_write(b, out, sizeof out - b->gz.avail_out) < 0) return -1;
  } while (b->gz.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
  return 0;
}

int nfb_gz_write(nfb_io *b, const void *p, size_t n) {
  if (b->failed) return -1;
  const Bytef *s = p;
  while (n) {
    uInt k = (uInt)(n > ZCHUNK ? ZCHUNK : n);
    b->gz.next_in = (Bytef *)s;
    b->gz.avail_in = k;
    if (gz_pump(b, Z_NO_FLUSH) < 0) return -1;
    b->stream_pos += k;
    s += k;
    n -= k;
  }
  return 0;
}

int nfb_gz_end(nfb_io *b) {
  if (!b->gz_active) return 0;
  b->gz.next_in = NULL;
  b->gz.avail_in = 0;
  int rc = gz_pump(b, Z_FINISH);
  deflateEnd(&b->gz);
  b->gz_active = 0;
  return rc;
}

void nfb_entry_push(nfb_io *b, const char *name, const nf_bundle_meta *meta,
                    uint64_t size, uint32_t crc) {
  if (b->n_entries == b->cap_entries) {
    b->cap_entries = b->cap_entries ? b->cap_entries * 2 : 32;
    b->entries = nf_xrealloc(b->entries, b->cap_entries * sizeof *b->entries);
  }
  nfb_entry *e = &b->entries[b->n_entries++];
  memset(e, 0, sizeof *e);
  e->name = nf_xstrdup(name);
  if (meta && meta->source) e->source = nf_xstrdup(meta->source);
  if (meta && meta->title) e->title = nf_xstrdup(meta->title);
  if (meta && meta->published) e->published = nf_xstrdup(meta->published);
  e->size = size;
  e->crc = crc;
  nf_strset_add(&b->names, name);
  char *f = nfb_fold(name);
  nf_strset_add(&b->folded, f);
  free(f);
}

/* ===== Creating and closing ============================================ */

char *nfb_dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return nf_xstrdup(".");
  if (slash == path) return nf_xstrdup("/");
  return nf_xstrndup(path, (size_t)(slash - path));
}

/* ".OUT.newsform-tmp.XXXXXX" beside path; opens it into b->fp. */
int nfb_open_temp(nfb_io *b, char *err, size_t errlen) {
  char *dir = nfb_dir_of(b->path);
  const char *base = strrchr(b->path, '/');
  base = base ? base + 1 : b->path;
  nf_buf t = NF_BUF_INIT;
  nf_buf_init(&t);
  /* stay under NAME_MAX (255) */
  nf_buf_printf(&t, "%s/.%.*s.newsform-tmp.XXXXXX", dir, 200, base);
  char *tmp = nf_buf_detach(&t);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    snprintf(err, errlen, "%s: cannot create temporary file in %s: %s",
             b->path, dir, strerror(errno));
    free(tmp);
    free(dir);
    return -1;
  }
  free(dir);
  fchmod(fd, 0644);
  b->tmp_path = tmp;
  b->fp = fdopen(fd, "wb");
  if (!b->fp) {
    snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
    close(fd);
    return -1;
  }
  return 0;
}

int nfb_mkdirs(const char *dir, char *err, size_t errlen) {
  char *p = nf_xstrdup(dir);
  for (char *s = p + 1;; s++) {
    if (*s != '/' && *s) continue;
    char c = *s;
    *s = '\0';
    if (mkdir(p, 0755) < 0 && errno != EEXIST) {
      snprintf(err, errlen, "%s: cannot create directory: %s", p,
               strerror(errno));
      free(p);
      return -1;
    }
    if (!c) break;
    *s = c;
  }
  free(p);
  return 0;
}

void nfb_failure_push(nfb_io *b, const char *source, const char *message) {
  if (b->n_failures) nf_buf_puts(&b->failures, ",\n");
  nf_buf_puts(&b->failures, "    {\"source\": ");
  nf_json_put_string(&b->failures, source ? source : "",
                     source ? strlen(source) : 0);
  nf_buf_puts(&b->failures, ", \"error\": ");
  nf_json_put_string(&b->failures, message ? message : "",
                     message ? strlen(message) : 0);
  nf_buf_puts(&b->failures, "}");
  b->n_failures++;
}

static void json_field(nf_buf *out, const char *key, const char *value) {
  if (!value) return;
  nf_buf_printf(out, ", \"%s\": ", key);
  nf_json_put_string(out, value, strlen(value));
}

void nfb_manifest(const nfb_io *b, nf_buf *out) {
  nf_buf_printf(out, "{\n  \"generator\": \"newsform %s\",\n", NF_VERSION);
  nf_buf_printf(out, "  \"format\": \"%s\",\n  \"entries\": [",
                b->format_name);
  for (size_t i = 0; i < b->n_entries; i++) {
    const nfb_entry *e = &b->entries[i];
    nf_buf_puts(out, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
    nf_json_put_string(out, e->name, strlen(e->name));
    json_field(out, "source", e->source);
    json_field(out, "title", e->title);
    json_field(out, "published", e->published);
    nf_buf_printf(out, ", \"size\": %llu, \"crc32\": \"%08x\"}",
                  (unsigned long long)e->size, (unsigned)e->crc);
  }
  nf_buf_puts(out, b->n_entries ? "\n  ],\n" : "],\n");
  nf_buf_puts(out, "  \"failures\": [");
  if (b->n_failures) {
    nf_buf_puts(out, "\n");
    nf_buf_put(out, b->failures.ptr, b->failures.len);
    nf_buf_puts(out, "\n  ");
  }
  nf_buf_puts(out, "]\n}\n");
}

/* ===== Reading ========================================================= */

int nfb_rfail(nfb_rio *r, char *err, size_t errlen, const char *fmt, ...) {
  r->failed = 1;
  if (err && errlen) {
    int n = snprintf(err, errlen, "%s: ", r->path);
    if (n >= 0 && (size_t)n < errlen) {
      va_list ap;
      va_start(ap, fmt);
      vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
      va_end(ap);
    }
  }
  return -1;
}

int nfb_too_big(const nfb_rio *r, const char *name, uint64_t size, char *err,
                size_t errlen) {
  snprintf(err, errlen, "%s: %s: entry of %llu bytes exceeds the limit of "
           "%zu bytes", r->path, name, (unsigned long long)size, r->max_entry);
  return -1;
}

/* ===== Sources ========================================================= */

void nfb_src_file(nfb_src *s, int fd, int own, uint64_t size, int seekable) {
  memset(s, 0, sizeof *s);
  s->fd = fd;
  s->own_fd = own;
  s->size = size;
  s->seekable = seekable;
}

void nfb_src_mem(nfb_src *s, const void *data, size_t len) {
  memset(s, 0, sizeof *s);
  s->fd = -1;
  s->mem = data;
  s->mem_len = len;
  s->size = len;
  s->seekable = 1;
}

void nfb_src_close(nfb_src *s) {
  if (s->own_fd && s->fd >= 0) close(s->fd);
  free(s->ahead);
  memset(s, 0, sizeof *s);
  s->fd = -1;
}

/* read(2) until n bytes, the end or an error. */
static long read_full(int fd, unsigned char *dst, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t k = read(fd, dst + done, n - done);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) return -1;
    if (k == 0) break;
    done += (size_t)k;
  }
  return (long)done;
}

long nfb_src_read(nfb_src *s, void *dst, size_t n) {
  if (n > ((size_t)1 << 30)) n = (size_t)1 << 30;
  long got;
  if (s->ahead_at < s->ahead_len) {
    size_t k = s->ahead_len - s->ahead_at;
    if (k > n) k = n;
    memcpy(dst, s->ahead + s->ahead_at, k);
    s->ahead_at += k;
    got = (long)k;
  } else if (s->fd < 0) {
    size_t k = s->pos < s->mem_len ? s->mem_len - (size_t)s->pos : 0;
    if (k > n) k = n;
    if (k) memcpy(dst, s->mem + s->pos, k);
    got = (long)k;
  } else if (!s->seekable) {
    /* a pipe: what it has (a record is read before the next arrives) */
    do got = read(s->fd, dst, n);
    while (got < 0 && errno == EINTR);
    if (got < 0) return -1;
  } else {
    got = read_full(s->fd, dst, n);
    if (got < 0) return -1;
  }
  s->pos += (uint64_t)got;
  return got;
}

const unsigned char *nfb_src_peek(nfb_src *s, size_t n, size_t *got) {
  if (s->fd < 0) {
    size_t k = s->pos < s->mem_len ? s->mem_len - (size_t)s->pos : 0;
    *got = k < n ? k : n;
    return s->mem + (s->pos < s->mem_len ? s->pos : s->mem_len);
  }
  /* Files and pipes alike: kept ahead, read again by nfb_src_read. */
  size_t have = s->ahead_len - s->ahead_at;
  if (have < n) {
    unsigned char *buf = nf_xmalloc(n);
    if (have) memcpy(buf, s->ahead + s->ahead_at, have);
    long k = read_full(s->fd, buf + have, n - have);
    if (k < 0) {
      free(buf);
      return NULL;
    }
    free(s->ahead);
    s->ahead = buf;
    s->ahead_at = 0;
    s->ahead_len = have + (size_t)k;
    have = s->ahead_len;
  }
  *got = have < n ? have : n;
  return s->ahead + s->ahead_at;
}

int nfb_src_pread(nfb_src *s, uint64_t off, void *dst, size_t n) {
  if (!s->seekable || off > s->size || n > s->size - off) return -1;
  if (s->fd < 0) {
    memcpy(dst, s->mem + off, n);
    return 0;
  }
  unsigned char *p = dst;
  while (n) {
    ssize_t k = pread(s->fd, p, n, (off_t)off);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return -1;
    p += k;
    off += (uint64_t)k;
    n -= (size_t)k;
  }
  return 0;
}

int nfb_src_seek(nfb_src *s, uint64_t off) {
  if (!s->seekable || off > s->size) return -1;
  if (s->fd >= 0 && lseek(s->fd, (off_t)off, SEEK_SET) < 0) return -1;
  s->ahead_at = s->ahead_len = 0;
  s->pos = off;
  return 0;
}

/* ===== Decompressed bytes ============================================== */

static int gzip_magic(nfb_src *s) {
  size_t got;
  const unsigned char *p = nfb_src_peek(s, 3, &got);
  return p && got == 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8;
}

void nfb_zin_init(nfb_zin *z, nfb_src *src) {
  memset(z, 0, offsetof(nfb_zin, in)); /* 128 KiB of buffers need no zeros */
  z->src = src;
  z->gzip = gzip_magic(src);
  z->member = src->pos;
}

void nfb_zin_end(nfb_zin *z) {
  if (z->z_init) inflateEnd(&z->z);
  z->z_init = 0;
}

static int zin_fail(nfb_zin *z, int truncated, const char *msg) {
  z->failed = 1;
  z->truncated = truncated;
  snprintf(z->msg, sizeof z->msg, "%s", msg);
  return -1;
}

/* Puts k bytes back in front of the source's next ones. */
static void src_unread(nfb_src *s, const unsigned char *p, size_t k) {
  if (!k) return;
  size_t rest = s->ahead_len - s->ahead_at;
  unsigned char *buf = nf_xmalloc(k + rest);
  memcpy(buf, p, k);
  if (rest) memcpy(buf + k, s->ahead + s->ahead_at, rest);
  free(s->ahead);
  s->ahead = buf;
  s->ahead_at = 0;
  s->ahead_len = k + rest;
  s->pos -= k;
}

/* Offset in the source of the next compressed byte not yet inflated. */
static uint64_t zin_in_pos(const nfb_zin *z) {
  return z->src->pos - (z->z_init ? z->z.avail_in : 0);
}

/* Refills out (empty) from one member at most: 1, 0 at the end, -1. */
static int zin_fill(nfb_zin *z) {
  if (z->failed) return -1;
  if (z->eof) return 0;
  z->member_out += z->out_len;
  z->out_at = z->out_len = 0;
  if (!z->gzip) {
    z->member = z->src->pos;
    z->member_out = 0;
    long k = nfb_src_read(z->src, z->out, sizeof z->out);
    if (k < 0) return zin_fail(z, 0, strerror(errno));
    if (k == 0) {
      z->eof = 1;
      return 0;
    }
    z->out_len = (size_t)k;
    return 1;
  }
  if (!z->z_init) {
    if (inflateInit2(&z->z, 15 + 16) != Z_OK) nf_oom();
    z->z_init = 1;
  }
  if (!z->in_member) {
    /* A new member, or the end: what follows the last one is not read
     * unless it is gzip. */
    uint64_t at = zin_in_pos(z);
    if (z->z.avail_in < 3) { /* the peek must see them */
      src_unread(z->src, z->z.next_in, z->z.avail_in);
      z->z.avail_in = 0;
    }
    if (z->z.avail_in >= 3) {
      const unsigned char *p = z->z.next_in;
      if (!(p[0] == 0x1f && p[1] == 0x8b && p[2] == 8)) {
        z->eof = 1;
        return 0;
      }
    } else if (!gzip_magic(z->src)) {
      z->eof = 1;
      return 0;
    }
    inflateReset(&z->z);
    z->member = at;
    z->member_out = 0;
    z->in_member = 1;
    z->small_fill = 1;
  }
  /* A member's first bytes are often all a reader wants (a WARC record's
   * headers, before it jumps to the next member): not 64 KiB of them. */
  size_t room = z->small_fill ? 8192 : sizeof z->out;
  z->small_fill = 0;
  while (z->out_len == 0) {
    if (z->z.avail_in == 0) {
      long k = nfb_src_read(z->src, z->in, sizeof z->in);
      if (k < 0) return zin_fail(z, 0, strerror(errno));
      if (k == 0)
        return zin_fail(z, 1, "truncated gzip data (unexpected end of file)");
      z->z.next_in = z->in;
      z->z.avail_in = (uInt)k;
    }
    z->z.next_out = z->out;
    z->z.avail_out = (uInt)room;
    int rc = inflate(&z->z, Z_NO_FLUSH);
    z->out_len = room - z->z.avail_out;
    if (rc == Z_STREAM_END) {
      z->in_member = 0;
      if (z->out_len == 0) return zin_fill(z); /* an empty member */
      break;
    }
    if (rc == Z_MEM_ERROR) nf_oom();
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      char m[150];
      snprintf(m, sizeof m, "corrupt gzip data: %s",
               z->z.msg ? z->z.msg : "bad data");
      return zin_fail(z, 0, m);
    }
  }
  return 1;
}

long nfb_zin_read(nfb_zin *z, void *dst, size_t n) {
  if (z->out_at == z->out_len) {
    int rc = zin_fill(z);
    if (rc <= 0) return rc;
  }
  size_t k = z->out_len - z->out_at;
  if (k > n) k = n;
  memcpy(dst, z->out + z->out_at, k);
  z->out_at += k;
  z->taken += k;
  return (long)k;
}

const unsigned char *nfb_zin_buffered(nfb_zin *z, size_t *n) {
  *n = 0;
  if (z->out_at == z->out_len && zin_fill(z) <= 0) return NULL;
  *n = z->out_len - z->out_at;
  return z->out + z->out_at;
}

void nfb_zin_take(nfb_zin *z, size_t n) {
  z->out_at += n;
  z->taken += n;
}

int nfb_zin_exact(nfb_zin *z, void *dst, uint64_t n) {
  unsigned char *p = dst;
  while (n) {
    if (z->out_at == z->out_len) {
      int rc = zin_fill(z);
      if (rc < 0) return -1;
      if (rc == 0) return zin_fail(z, 1, "truncated (unexpected end)");
    }
    size_t k = z->out_len - z->out_at;
    if (k > n) k = (size_t)n;
    if (p) {
      memcpy(p, z->out + z->out_at, k);
      p += k;
    }
    z->out_at += k;
    z->taken += k;
    n -= k;
  }
  return 0;
}

int nfb_zin_tell(nfb_zin *z, uint64_t *member, uint64_t *within) {
  if (z->out_at == z->out_len) {
    if (z->gzip && !z->in_member && !z->failed && !z->eof) {
      /* between members: the next one starts here */
      *member = zin_in_pos(z);
      *within = 0;
      int rc = zin_fill(z);
      if (rc <= 0) return rc;
      return 1;
    }
    int rc = zin_fill(z);
    if (rc <= 0) return rc;
  }
  if (!z->gzip) { /* plain: every byte has its own offset */
    *member = z->member + z->out_at;
    *within = 0;
    return 1;
  }
  *member = z->member;
  *within = z->member_out + z->out_at;
  return 1;
}

/* Does the member that ends just before at have a decompressed size
 * (ISIZE, mod 2^32) of size, size + 2 or size + 4? */
static int isize_before(nfb_src *s, uint64_t at, uint64_t from,
                        uint64_t size) {
  unsigned char t[4];
  if (at < from + 8 || nfb_src_pread(s, at - 4, t, 4) < 0) return 0;
  uint32_t v = nfb_rd32(t);
  return v == (uint32_t)size || v == (uint32_t)(size + 2) ||
         v == (uint32_t)(size + 4);
}

int nfb_zin_jump(nfb_zin *z, uint64_t size) {
  nfb_src *s = z->src;
  if (!z->gzip || !s->seekable || !z->in_member || z->failed) return 0;
  uint64_t from = zin_in_pos(z), end = s->size;
  uint64_t found = UINT64_MAX;
  unsigned char buf[65536];
  for (uint64_t at = from; at + 3 <= end && found == UINT64_MAX;) {
    size_t n = end - at > sizeof buf ? sizeof buf : (size_t)(end - at);
    if (nfb_src_pread(s, at, buf, n) < 0) return 0;
    for (size_t i = 0; i + 3 <= n; i++) {
      const unsigned char *p = memchr(buf + i, 0x1f, n - 2 - i);
      if (!p) break;
      i = (size_t)(p - buf);
      if (p[1] == 0x8b && p[2] == 8 && isize_before(s, at + i, from, size)) {
        found = at + i;
        break;
      }
    }
    at += n - 2; /* a magic across the chunks' edge */
  }
  if (found == UINT64_MAX && isize_before(s, end, from, size))
    found = end; /* the last member */
  if (found == UINT64_MAX || nfb_src_seek(s, found) < 0) return 0;
  z->z.avail_in = 0;
  z->in_member = 0;
  z->member_out += z->out_len;
  z->out_at = z->out_len = 0;
  return 1;
}

/* The member at[0..end) if it ends there (see nfb_gz_member_at). */
static int member_ending(const unsigned char *at, size_t end, size_t max,
                         nf_buf *out) {
  size_t isize = nf_gzip_isize(at, end);
  return isize <= max ? nf_gzip_whole(at, end, isize, out) : -1;
}

int nfb_gz_member_at(nfb_src *s, uint64_t at, size_t max, nf_buf *out) {
  if (!s->seekable || at >= s->size) return -1;
  uint64_t avail = s->size - at;
  /* what a member of max bytes can take at most: stored blocks add five
   * bytes a block, the header a name or a comment */
  uint64_t limit = (uint64_t)max + max / 1024 + 65536;
  nf_buf in;
  nf_buf_init(&in);
  size_t scanned = 18, want = 65536; /* the smallest member: 18 bytes */
  int rc = -1;
  while (rc < 0) {
    size_t n = (uint64_t)want > avail ? (size_t)avail - in.len
                                      : want - in.len;
    if (n == 0) break;
    nf_buf_reserve(&in, n);
    if (nfb_src_pread(s, at + in.len, in.ptr + in.len, n) < 0) break;
    in.len += n;
    const unsigned char *p = (const unsigned char *)in.ptr;
    for (size_t i = scanned; rc < 0 && i + 3 <= in.len; i++) {
      const unsigned char *m = memchr(p + i, 0x1f, in.len - 2 - i);
      if (!m) break;
      i = (size_t)(m - p);
      if (m[1] == 0x8b && m[2] == 8) rc = member_ending(p, i, max, out);
    }
    if (rc == 0) break;
    if (in.len >= 2 && in.len - 2 > scanned) scanned = in.len - 2;
    if (in.len == avail) { /* the last member */
      rc = member_ending(p, in.len, max, out);
      break;
    }
    if (in.len >= limit) break;
    want = in.len * 2;
  }
  nf_buf_free(&in);
  return rc;
}

int nfb_zin_resync(nfb_zin *z) {
  z->failed = z->truncated = 0;
  z->msg[0] = '\0';
  z->out_at = z->out_len = 0;
  z->in_member = 0;
  z->eof = 0;
  if (!z->gzip) return 1;
  /* Search the source from just past the damaged member's start (a
   * pipe: from where it is). */
  if (z->z_init && z->z.avail_in) {
    src_unread(z->src, z->z.next_in, z->z.avail_in);
    z->z.avail_in = 0;
  }
  if (z->src->seekable) nfb_src_seek(z->src, z->member + 1);
  unsigned char scratch[4096];
  for (;;) {
    size_t got;
    const unsigned char *p = nfb_src_peek(z->src, sizeof scratch, &got);
    if (!p || got < 3) {
      z->eof = 1;
      return 0;
    }
    size_t i = 0;
    while (i + 2 < got && !(p[i] == 0x1f && p[i + 1] == 0x8b && p[i + 2] == 8))
      i++;
    size_t skip = i + 2 < got ? i : got - 2;
    if (skip && nfb_src_read(z->src, scratch, skip) <= 0) {
      z->eof = 1;
      return 0;
    }
    if (i + 2 < got) return 1;
  }
}

/* ===== Committing ====================================================== */

int nfb_commit(nfb_io *b) {
  if (!b->failed && fflush(b->fp) != 0)
    nfb_fail(b, "%s: write failed: %s", b->path, strerror(errno));
  if (!b->failed && fsync(fileno(b->fp)) != 0 && errno != EINVAL)
    nfb_fail(b, "%s: fsync failed: %s", b->path, strerror(errno));
  if (fclose(b->fp) != 0 && !b->failed)
    nfb_fail(b, "%s: write failed: %s", b->path, strerror(errno));
  b->fp = NULL;
  if (!b->failed && rename(b->tmp_path, b->path) != 0)
    nfb_fail(b, "%s: cannot rename %s: %s", b->path, b->tmp_path,
             strerror(errno));
  if (b->failed) {
    unlink(b->tmp_path);
    return -1;
  }
  /* make the rename durable too */
  char *dir = nfb_dir_of(b->path);
  int dfd = open(dir, O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  free(dir);
  return 0;
}

void nfb_io_clear(nfb_io *b) {
  if (b->gz_active) deflateEnd(&b->gz);
  b->gz_active = 0;
  for (size_t i = 0; i < b->n_entries; i++) {
    free(b->entries[i].name);
    free(b->entries[i].source);
    free(b->entries[i].title);
    free(b->entries[i].published);
  }
  free(b->entries);
  b->entries = NULL;
  b->n_entries = b->cap_entries = 0;
  nf_strset_free(&b->names);
  nf_strset_free(&b->folded);
  nf_buf_free(&b->failures);
  free(b->path);
  free(b->tmp_path);
  b->path = b->tmp_path = NULL;
}

