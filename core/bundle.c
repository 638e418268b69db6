/* bundle.c: the bundle front end. Picks the format from the output name,
 * writes atomically (temporary file beside OUT, fsync, rename), keeps the
 * entry list for manifest.json, derives safe entry names, and dispatches
 * to the format writers (bundle_tar.c, bundle_zip.c, bundle_epub.c,
 * bundle_jsonl.c) and readers. */
#include "bundle.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utf8.h"

/* ===== Small helpers =================================================== */

static int ends_with_ci(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

nf_bundle_format nf_bundle_format_of(const char *path) {
  if (!path || !*path) return NF_BUNDLE_UNKNOWN;
  size_t n = strlen(path);
  if (path[n - 1] == '/') return NF_BUNDLE_DIR;
  if (ends_with_ci(path, ".jsonl.gz")) return NF_BUNDLE_JSONL_GZ;
  if (ends_with_ci(path, ".tar.gz") || ends_with_ci(path, ".tgz"))
    return NF_BUNDLE_TAR_GZ;
  if (ends_with_ci(path, ".zip")) return NF_BUNDLE_ZIP;
  if (ends_with_ci(path, ".epub")) return NF_BUNDLE_EPUB;
  return NF_BUNDLE_UNKNOWN;
}

const char *nf_bundle_format_name(nf_bundle_format f) {
  switch (f) {
  case NF_BUNDLE_TAR_GZ: return "tar.gz";
  case NF_BUNDLE_ZIP: return "zip";
  case NF_BUNDLE_EPUB: return "epub";
  case NF_BUNDLE_JSONL_GZ: return "jsonl.gz";
  case NF_BUNDLE_DIR: return "dir";
  default: return "unknown";
  }
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), so no dependence on timegm or the local zone. */
static long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long long)doe - 719468;
}

static int digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (!isdigit((unsigned char)s[i])) return 0;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 1;
}

long long nf_bundle_parse_time(const char *s) {
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!s) return -1;
  while (*s == ' ') s++;
  if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
      s[7] != '-' || !digits(s + 8, 2, &d))
    return -1;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return -1;
  s += 10;
  long long offset = 0;
  if (*s == 'T' || *s == 't' || *s == ' ') {
    if (!digits(s + 1, 2, &h) || s[3] != ':' || !digits(s + 4, 2, &mi))
      return *s == ' ' ? days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400
                       : -1;
    s += 6;
    if (*s == ':' && digits(s + 1, 2, &sec)) s += 3;
    if (*s == '.' || *s == ',')
      for (s++; isdigit((unsigned char)*s); s++) {}
    if (h > 24 || mi > 59 || sec > 60) return -1;
    if (*s == '+' || *s == '-') {
      int oh, om = 0;
      int sign = *s == '-' ? -1 : 1;
      if (!digits(s + 1, 2, &oh)) return -1;
      if (s[3] == ':') digits(s + 4, 2, &om);
      else digits(s + 3, 2, &om);
      offset = sign * (oh * 3600LL + om * 60LL);
    }
  }
  return days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600LL +
         mi * 60LL + sec - offset;
}

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

uint32_t nfb_crc32(uint32_t crc, const void *p, size_t n) {
  const Bytef *s = p;
  uLong c = crc;
  while (n) {
    uInt k = (uInt)(n > ZCHUNK ? ZCHUNK : n);
    c = crc32(c, s, k);
    s += k;
    n -= k;
  }
  return (uint32_t)c;
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

static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

int nfb_nameset_has(const nfb_nameset *s, const char *key) {
  if (!s->cap) return 0;
  for (size_t i = hash_str(key) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
    if (!s->slots[i]) return 0;
    if (strcmp(s->slots[i], key) == 0) return 1;
  }
}

void nfb_nameset_add(nfb_nameset *s, const char *key) {
  if (nfb_nameset_has(s, key)) return;
  if ((s->len + 1) * 2 > s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    char **slots = nf_xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < s->cap; i++) {
      if (!s->slots[i]) continue;
      size_t j = hash_str(s->slots[i]) & (cap - 1);
      while (slots[j]) j = (j + 1) & (cap - 1);
      slots[j] = s->slots[i];
    }
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
  }
  size_t j = hash_str(key) & (s->cap - 1);
  while (s->slots[j]) j = (j + 1) & (s->cap - 1);
  s->slots[j] = nf_xstrdup(key);
  s->len++;
}

void nfb_nameset_free(nfb_nameset *s) {
  for (size_t i = 0; i < s->cap; i++) free(s->slots[i]);
  free(s->slots);
  memset(s, 0, sizeof *s);
}

static char *fold_name(const char *s) {
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

static int name_taken(const nf_bundle *b, const char *name) {
  if (!b) return 0;
  if (b->manifest && strcasecmp(name, "manifest.json") == 0) return 1;
  char *f = fold_name(name);
  int taken = nfb_nameset_has(&b->folded, f);
  free(f);
  return taken;
}

char *nf_bundle_safe_name(const nf_bundle *b, const char *hint,
                          const char *ext) {
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

int nfb_fail(nf_bundle *b, const char *fmt, ...) {
  if (b->failed) return -1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(b->err, sizeof b->err, fmt, ap);
  va_end(ap);
  b->failed = 1;
  return -1;
}

void nfb_copy_err(const nf_bundle *b, char *err, size_t errlen) {
  if (err && errlen) snprintf(err, errlen, "%s", b->err);
}

int nfb_write(nf_bundle *b, const void *p, size_t n) {
  if (b->failed) return -1;
  if (n && fwrite(p, 1, n, b->fp) != n)
    return nfb_fail(b, "%s: write failed: %s", b->path, strerror(errno));
  b->offset += n;
  return 0;
}

int nfb_gz_begin(nf_bundle *b) {
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

static int gz_pump(nf_bundle *b, int flush) {
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

int nfb_gz_write(nf_bundle *b, const void *p, size_t n) {
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

int nfb_gz_end(nf_bundle *b) {
  if (!b->gz_active) return 0;
  b->gz.next_in = NULL;
  b->gz.avail_in = 0;
  int rc = gz_pump(b, Z_FINISH);
  deflateEnd(&b->gz);
  b->gz_active = 0;
  return rc;
}

nfb_entry *nfb_entry_push(nf_bundle *b, const char *name,
                          const nf_bundle_meta *meta, uint64_t size,
                          uint32_t crc) {
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
  nfb_nameset_add(&b->names, name);
  char *f = fold_name(name);
  nfb_nameset_add(&b->folded, f);
  free(f);
  return e;
}

/* ===== Creating and closing ============================================ */

static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return nf_xstrdup(".");
  if (slash == path) return nf_xstrdup("/");
  return nf_xstrndup(path, (size_t)(slash - path));
}

/* ".OUT.newsform-tmp.XXXXXX" beside path; opens it into b->fp. */
static int open_temp(nf_bundle *b, char *err, size_t errlen) {
  char *dir = dir_of(b->path);
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

static int mkdirs(const char *dir, char *err, size_t errlen) {
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

static void bundle_free(nf_bundle *b) {
  if (b->gz_active) deflateEnd(&b->gz);
  for (size_t i = 0; i < b->n_entries; i++) {
    free(b->entries[i].name);
    free(b->entries[i].source);
    free(b->entries[i].title);
    free(b->entries[i].published);
  }
  free(b->entries);
  nfb_nameset_free(&b->names);
  nfb_nameset_free(&b->folded);
  nf_buf_free(&b->failures);
  if (b->epub) nfb_epub_free(b->epub);
  free(b->path);
  free(b->tmp_path);
  free(b->dir_path);
  free(b);
}

nf_bundle *nf_bundle_create(const char *path, const nf_bundle_opts *opts,
                            char *err, size_t errlen) {
  nf_bundle_opts none;
  memset(&none, 0, sizeof none);
  const nf_bundle_opts *o = opts ? opts : &none;
  nf_bundle_format f = o->format ? o->format : nf_bundle_format_of(path);
  if (!path || !*path) {
    snprintf(err, errlen, "empty output name");
    return NULL;
  }
  if (f == NF_BUNDLE_UNKNOWN) {
    snprintf(err, errlen,
             "%s: unknown bundle format (use .tar.gz, .tgz, .zip, .epub, "
             ".jsonl.gz or a directory name ending in /)",
             path);
    return NULL;
  }
  if (o->level < 0 || o->level > 9) {
    snprintf(err, errlen, "compression level %d is not in 0..9", o->level);
    return NULL;
  }
  nf_bundle *b = nf_xcalloc(1, sizeof *b);
  b->format = f;
  b->path = nf_xstrdup(path);
  b->mtime = o->mtime ? o->mtime : NF_BUNDLE_EPOCH;
  b->level = o->level ? o->level : 6;
  b->manifest = !o->no_manifest && f != NF_BUNDLE_JSONL_GZ &&
                f != NF_BUNDLE_DIR;
  b->zip64 = o->zip64;
  nf_buf_init(&b->failures);
  if (f == NF_BUNDLE_DIR) {
    b->dir_path = nf_xstrdup(path);
    size_t n = strlen(b->dir_path);
    while (n > 1 && b->dir_path[n - 1] == '/') b->dir_path[--n] = '\0';
    if (mkdirs(b->dir_path, err, errlen) < 0) {
      bundle_free(b);
      return NULL;
    }
    return b;
  }
  if (open_temp(b, err, errlen) < 0) {
    if (b->tmp_path) unlink(b->tmp_path);
    bundle_free(b);
    return NULL;
  }
  int rc = 0;
  if (f == NF_BUNDLE_TAR_GZ || f == NF_BUNDLE_JSONL_GZ) rc = nfb_gz_begin(b);
  else if (f == NF_BUNDLE_EPUB) rc = nfb_epub_begin(b, o);
  if (rc < 0) {
    nfb_copy_err(b, err, errlen);
    nf_bundle_abort(b);
    return NULL;
  }
  return b;
}

nf_bundle_format nf_bundle_format_get(const nf_bundle *b) { return b->format; }
const char *nf_bundle_temp_path(const nf_bundle *b) {
  return b ? b->tmp_path : NULL;
}

/* Plain files: each entry written to a temporary file and renamed. */
static int dir_add(nf_bundle *b, const char *name, const void *data,
                   size_t len) {
  nf_buf path = NF_BUF_INIT;
  nf_buf_init(&path);
  nf_buf_printf(&path, "%s/%s", b->dir_path, name);
  char *dir = dir_of(path.ptr);
  char e[512];
  if (mkdirs(dir, e, sizeof e) < 0) {
    free(dir);
    nf_buf_free(&path);
    return nfb_fail(b, "%s", e);
  }
  free(dir);
  nf_buf tmp = NF_BUF_INIT;
  nf_buf_init(&tmp);
  nf_buf_printf(&tmp, "%s.newsform-tmp.XXXXXX", path.ptr);
  int fd = mkstemp(tmp.ptr);
  int rc = -1;
  if (fd < 0) {
    nfb_fail(b, "%s: cannot create: %s", path.ptr, strerror(errno));
  } else {
    fchmod(fd, 0644);
    const char *p = data;
    size_t left = len;
    while (left) {
      ssize_t w = write(fd, p, left);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) break;
      p += w;
      left -= (size_t)w;
    }
    if (left || close(fd) < 0) {
      nfb_fail(b, "%s: write failed: %s", path.ptr, strerror(errno));
      if (left) close(fd);
      unlink(tmp.ptr);
    } else if (rename(tmp.ptr, path.ptr) < 0) {
      nfb_fail(b, "%s: cannot rename: %s", path.ptr, strerror(errno));
      unlink(tmp.ptr);
    } else {
      rc = 0;
    }
  }
  nf_buf_free(&tmp);
  nf_buf_free(&path);
  return rc;
}

int nf_bundle_add(nf_bundle *b, const char *name, const void *data,
                  size_t len, const nf_bundle_meta *meta, char *err,
                  size_t errlen) {
  if (b->failed) {
    nfb_copy_err(b, err, errlen);
    return -1;
  }
  const char *why = nf_bundle_name_check(name);
  if (why) {
    snprintf(err, errlen, "%s: bad entry name \"%s\": %s", b->path,
             name ? name : "", why);
    return -1;
  }
  if (nfb_nameset_has(&b->names, name)) {
    snprintf(err, errlen, "%s: duplicate entry name \"%s\"", b->path, name);
    return -1;
  }
  if (b->manifest && strcmp(name, "manifest.json") == 0) {
    snprintf(err, errlen, "%s: \"manifest.json\" is reserved for the manifest",
             b->path);
    return -1;
  }
  if (!data) len = 0;
  if (!data) data = "";
  long long mtime = meta && meta->mtime ? meta->mtime : b->mtime;
  int rc;
  switch (b->format) {
  case NF_BUNDLE_TAR_GZ:
    rc = nfb_tar_add(b, name, data, len, mtime);
    if (rc == 0)
      nfb_entry_push(b, name, meta, len, nfb_crc32(0, data, len))->mtime =
          mtime;
    break;
  case NF_BUNDLE_ZIP:
    rc = nfb_zip_add(b, name, data, len, meta, mtime);
    break;
  case NF_BUNDLE_EPUB:
    rc = nfb_epub_add_resource(b, name, data, len, NULL);
    break;
  case NF_BUNDLE_JSONL_GZ:
    rc = nfb_jsonl_add(b, name, data, len, meta);
    break;
  case NF_BUNDLE_DIR:
    rc = dir_add(b, name, data, len);
    if (rc == 0) nfb_entry_push(b, name, meta, len, 0);
    break;
  default:
    rc = nfb_fail(b, "%s: unknown bundle format", b->path);
  }
  if (rc < 0) nfb_copy_err(b, err, errlen);
  return rc;
}

/* Plain text of an article for jsonl lines. */
static void article_text(const nf_bundle_article *a, nf_buf *out) {
  if (a->text) {
    nf_buf_puts(out, a->text);
  } else if (a->body) {
    nf_render_opts ro;
    memset(&ro, 0, sizeof ro);
    nf_render_text(a->body, &ro, out);
  } else if (a->html) {
    char e[256];
    nf_parse_opts po;
    memset(&po, 0, sizeof po);
    po.type = NF_INPUT_HTML;
    nf_doc *d = nf_doc_parse(a->html, a->html_len ? a->html_len
                                                  : strlen(a->html),
                             &po, e, sizeof e);
    if (d) {
      nf_render_opts ro;
      memset(&ro, 0, sizeof ro);
      nf_render_text(nf_doc_body(d), &ro, out);
      nf_doc_free(d);
    }
  }
}

int nf_bundle_add_article(nf_bundle *b, const nf_bundle_article *a,
                          char *err, size_t errlen) {
  if (b->failed) {
    nfb_copy_err(b, err, errlen);
    return -1;
  }
  int rc;
  if (b->format == NF_BUNDLE_EPUB) {
    rc = nfb_epub_add_article(b, a);
  } else {
    const char *hint = a->title && *a->title ? a->title
                       : a->source           ? a->source
                       : a->url              ? a->url
                                             : "article";
    int jsonl = b->format == NF_BUNDLE_JSONL_GZ;
    char *name = nf_bundle_safe_name(b, hint, jsonl ? "" : ".html");
    nf_bundle_meta meta;
    memset(&meta, 0, sizeof meta);
    meta.source = a->source;
    meta.title = a->title;
    meta.published = a->published;
    long long t = nf_bundle_parse_time(a->published);
    if (t > 0) meta.mtime = t;
    nf_buf page = NF_BUF_INIT;
    nf_buf_init(&page);
    if (jsonl) {
      article_text(a, &page);
      rc = nfb_jsonl_add_article(b, name, a, page.ptr);
    } else {
      nfb_article_page(a, &page);
      rc = nf_bundle_add(b, name, page.ptr, page.len, &meta, err, errlen);
    }
    nf_buf_free(&page);
    free(name);
    if (rc < 0 && !b->failed) return -1;  /* err already set */
  }
  if (rc < 0) nfb_copy_err(b, err, errlen);
  return rc;
}

int nf_bundle_add_resource(nf_bundle *b, const char *name, const void *data,
                           size_t len, const char *media_type, char *err,
                           size_t errlen) {
  if (b->format != NF_BUNDLE_EPUB)
    return nf_bundle_add(b, name, data, len, NULL, err, errlen);
  if (b->failed) {
    nfb_copy_err(b, err, errlen);
    return -1;
  }
  if (!name || !*name) {
    snprintf(err, errlen, "%s: resource without a name", b->path);
    return -1;
  }
  int rc = nfb_epub_add_resource(b, name, data ? data : "", data ? len : 0,
                                 media_type);
  if (rc < 0) nfb_copy_err(b, err, errlen);
  return rc;
}

void nf_bundle_add_failure(nf_bundle *b, const char *source,
                           const char *message) {
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

void nfb_manifest(nf_bundle *b, nf_buf *out) {
  nf_buf_printf(out, "{\n  \"generator\": \"newsform %s\",\n", NF_VERSION);
  nf_buf_printf(out, "  \"format\": \"%s\",\n  \"entries\": [",
                nf_bundle_format_name(b->format));
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

void nf_bundle_abort(nf_bundle *b) {
  if (!b) return;
  if (b->fp) fclose(b->fp);
  if (b->tmp_path) unlink(b->tmp_path);
  bundle_free(b);
}

int nf_bundle_close(nf_bundle *b, char *err, size_t errlen) {
  int rc = 0;
  if (b->format == NF_BUNDLE_DIR) {
    rc = b->failed ? -1 : 0;
    if (rc < 0) nfb_copy_err(b, err, errlen);
    bundle_free(b);
    return rc;
  }
  if (!b->failed && b->manifest && b->format != NF_BUNDLE_EPUB) {
    nf_buf m = NF_BUF_INIT;
    nf_buf_init(&m);
    nfb_manifest(b, &m);
    if (b->format == NF_BUNDLE_TAR_GZ)
      rc = nfb_tar_add(b, "manifest.json", m.ptr, m.len, b->mtime);
    else
      rc = nfb_zip_add(b, "manifest.json", m.ptr, m.len, NULL, b->mtime);
    nf_buf_free(&m);
  }
  if (!b->failed) {
    switch (b->format) {
    case NF_BUNDLE_TAR_GZ: nfb_tar_finish(b); break;
    case NF_BUNDLE_ZIP: nfb_zip_finish(b); break;
    case NF_BUNDLE_EPUB: nfb_epub_finish(b); break;
    case NF_BUNDLE_JSONL_GZ: nfb_gz_end(b); break;
    default: break;
    }
  }
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
    nfb_copy_err(b, err, errlen);
    rc = -1;
  } else {
    /* make the rename durable too */
    char *dir = dir_of(b->path);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
      fsync(dfd);
      close(dfd);
    }
    free(dir);
    rc = 0;
  }
  bundle_free(b);
  return rc;
}

/* ===== Reading ========================================================= */

int nfb_rfail(nf_bundle_reader *r, char *err, size_t errlen,
              const char *fmt, ...) {
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

const char *nfb_gzerror(nf_bundle_reader *r) {
  int zerr;
  const char *msg = gzerror(r->gz, &zerr);
  size_t n = strlen(r->path);
  if (strncmp(msg, r->path, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
    msg += n + 2;
  return msg;
}

/* The format from the first bytes: PK → zip (or epub), gzip → look at the
 * start of the decompressed data: a tar header or a '{'. */
static nf_bundle_format sniff(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NF_BUNDLE_UNKNOWN;
  unsigned char head[4] = {0};
  size_t n = fread(head, 1, 4, f);
  fclose(f);
  if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
    return NF_BUNDLE_ZIP;
  if (n < 2 || head[0] != 0x1f || head[1] != 0x8b) return NF_BUNDLE_UNKNOWN;
  gzFile g = gzopen(path, "rb");
  if (!g) return NF_BUNDLE_UNKNOWN;
  char block[512];
  int got = gzread(g, block, sizeof block);
  gzclose(g);
  if (got == 512 && memcmp(block + 257, "ustar", 5) == 0)
    return NF_BUNDLE_TAR_GZ;
  for (int i = 0; i < got; i++) {
    if (block[i] == '{') return NF_BUNDLE_JSONL_GZ;
    if (!isspace((unsigned char)block[i])) break;
  }
  return NF_BUNDLE_UNKNOWN;
}

nf_bundle_reader *nf_bundle_open(const char *path, nf_bundle_format format,
                                 size_t max_entry_size, char *err,
                                 size_t errlen) {
  struct stat st;
  if (!path || stat(path, &st) != 0) {
    snprintf(err, errlen, "%s: %s", path ? path : "(null)", strerror(errno));
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "%s: not a regular file", path);
    return NULL;
  }
  nf_bundle_format f = format ? format : nf_bundle_format_of(path);
  if (f == NF_BUNDLE_UNKNOWN || f == NF_BUNDLE_DIR) f = sniff(path);
  if (f == NF_BUNDLE_UNKNOWN) {
    snprintf(err, errlen, "%s: not a bundle (tar.gz, zip, epub or jsonl.gz)",
             path);
    return NULL;
  }
  nf_bundle_reader *r = nf_xcalloc(1, sizeof *r);
  r->format = f;
  r->path = nf_xstrdup(path);
  r->max_entry = max_entry_size ? max_entry_size : NF_BUNDLE_MAX_ENTRY_DEFAULT;
  r->file_size = (uint64_t)st.st_size;
  nf_buf_init(&r->name);
  nf_buf_init(&r->line);
  int rc;
  if (f == NF_BUNDLE_TAR_GZ) rc = nfb_tar_open(r, err, errlen);
  else if (f == NF_BUNDLE_JSONL_GZ) rc = nfb_jsonl_open(r, err, errlen);
  else rc = nfb_zip_open(r, err, errlen);
  if (rc < 0) {
    nf_bundle_reader_free(r);
    return NULL;
  }
  return r;
}

nf_bundle_format nf_bundle_reader_format(const nf_bundle_reader *r) {
  return r->format;
}

int nf_bundle_next(nf_bundle_reader *r, nf_bundle_entry *e, char *err,
                   size_t errlen) {
  if (r->failed) {
    snprintf(err, errlen, "%s: reading stopped after an earlier error",
             r->path);
    return -1;
  }
  if (r->at_end) return 0;
  int rc;
  if (r->format == NF_BUNDLE_TAR_GZ) rc = nfb_tar_next(r, err, errlen);
  else if (r->format == NF_BUNDLE_JSONL_GZ) rc = nfb_jsonl_next(r, err, errlen);
  else rc = nfb_zip_next(r, err, errlen);
  if (rc <= 0) {
    r->have_cur = 0;
    if (rc == 0) r->at_end = 1;
    else r->failed = 1;
    return rc;
  }
  r->cur.name = r->name.ptr;
  r->cur.index = r->index++;
  r->have_cur = 1;
  r->cur_read = 0;
  *e = r->cur;
  return 1;
}

int nf_bundle_read(nf_bundle_reader *r, nf_buf *out, char *err,
                   size_t errlen) {
  if (r->failed) {
    snprintf(err, errlen, "%s: reading stopped after an earlier error",
             r->path);
    return -1;
  }
  if (!r->have_cur) {
    snprintf(err, errlen, "%s: no current entry", r->path);
    return -1;
  }
  if (r->cur.type == NF_ENTRY_LINK || r->cur.type == NF_ENTRY_OTHER) {
    snprintf(err, errlen, "%s: %s: not a regular file", r->path, r->name.ptr);
    return -1;
  }
  int rc;
  if (r->format == NF_BUNDLE_TAR_GZ) rc = nfb_tar_read(r, out, err, errlen);
  else if (r->format == NF_BUNDLE_JSONL_GZ) rc = nfb_jsonl_read(r, out, err, errlen);
  else rc = nfb_zip_read(r, out, err, errlen);
  return rc;
}

void nf_bundle_reader_free(nf_bundle_reader *r) {
  if (!r) return;
  if (r->gz) gzclose(r->gz);
  nfb_zip_close(r);
  nf_buf_free(&r->name);
  nf_buf_free(&r->line);
  free(r->path);
  free(r);
}
