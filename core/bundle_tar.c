/* bundle_tar.c: .tar.gz and .tar writer (POSIX ustar headers, a pax
 * extended header for names over 100 bytes, non-ASCII names and sizes past
 * 8 GiB) and reader (ustar, pax, GNU longname; checksums verified). The
 * two formats differ only in where the bytes go: through the gzip stream,
 * or as they are (the source layer's reader takes both). */
#include "bundle.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK 512
#define RECORD (20 * BLOCK)   /* tar(1)'s default blocking factor */
#define MAX_PAX ((size_t)1 << 20)
#define MAX_LONGNAME ((size_t)1 << 16)

/* ===== Writing ========================================================= */

/* width - 1 octal digits and a NUL. */
static void put_octal(unsigned char *field, size_t width, uint64_t v) {
  field[width - 1] = '\0';
  for (size_t i = width - 1; i-- > 0;) {
    field[i] = (unsigned char)('0' + (v & 7));
    v >>= 3;
  }
}

/* Too big for octal: GNU base-256 (high bit of the first byte set). */
static void put_number(unsigned char *field, size_t width, uint64_t v) {
  uint64_t max = ((uint64_t)1 << (3 * (width - 1))) - 1;
  if (v <= max) {
    put_octal(field, width, v);
    return;
  }
  memset(field, 0, width);
  for (size_t i = width; i-- > 1 && v;) {
    field[i] = (unsigned char)v;
    v >>= 8;
  }
  field[0] = 0x80;
}

static void checksum(unsigned char *h) {
  memset(h + 148, ' ', 8);
  unsigned sum = 0;
  for (int i = 0; i < BLOCK; i++) sum += h[i];
  put_octal(h + 148, 7, sum);   /* 6 digits, NUL, then the space stays */
}

static void fill_header(unsigned char *h, const char *name, uint64_t size,
                        long long mtime, char type) {
  memset(h, 0, BLOCK);
  /* the ustar name: ASCII only, cut at 100 bytes (pax carries the rest) */
  size_t n = strlen(name);
  for (size_t i = 0; i < n && i < 100; i++)
    h[i] = (unsigned char)name[i] < 0x80 ? (unsigned char)name[i] : '_';
  put_octal(h + 100, 8, 0644);
  put_octal(h + 108, 8, 0);
  put_octal(h + 116, 8, 0);
  put_number(h + 124, 12, size);
  put_number(h + 136, 12, mtime > 0 ? (uint64_t)mtime : 0);
  h[156] = (unsigned char)type;
  memcpy(h + 257, "ustar", 6);
  memcpy(h + 263, "00", 2);
  checksum(h);
}

/* The writer's state: where the bytes go. */
typedef struct tar_out {
  int plain;              /* .tar: as they are; else the gzip stream */
} tar_out;

static int put(const tar_out *t, nfb_io *b, const void *data, size_t len) {
  return t->plain ? nfb_write(b, data, len) : nfb_gz_write(b, data, len);
}

/* Bytes of the archive so far. */
static uint64_t position(const tar_out *t, const nfb_io *b) {
  return t->plain ? b->offset : b->stream_pos;
}

static int write_padded(const tar_out *t, nfb_io *b, const void *data,
                        uint64_t len) {
  static const unsigned char zeros[BLOCK];
  if (put(t, b, data, (size_t)len) < 0) return -1;
  size_t pad = (size_t)((BLOCK - len % BLOCK) % BLOCK);
  return put(t, b, zeros, pad);
}

/* One pax record "LEN key=value\n" (LEN counts itself). */
static void pax_record(nf_buf *out, const char *key, const char *value) {
  size_t body = strlen(key) + strlen(value) + 3; /* ' ', '=', '\n' */
  size_t len = body + 1;
  for (;;) {
    char digits[32];
    size_t d = (size_t)snprintf(digits, sizeof digits, "%zu", len);
    if (body + d == len) break;
    len = body + d;
  }
  nf_buf_printf(out, "%zu %s=%s\n", len, key, value);
}

static int tar_entry(const tar_out *t, nfb_io *b, const char *name,
                     const void *data, size_t len, long long mtime) {
  unsigned char h[BLOCK];
  size_t n = strlen(name);
  int ascii = 1;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)name[i] >= 0x80) ascii = 0;
  int big = (uint64_t)len > 077777777777ULL;
  if (n > 100 || !ascii || big) {
    nf_buf pax = NF_BUF_INIT;
    nf_buf_init(&pax);
    if (n > 100 || !ascii) pax_record(&pax, "path", name);
    if (big) {
      char num[32];
      snprintf(num, sizeof num, "%llu", (unsigned long long)len);
      pax_record(&pax, "size", num);
    }
    /* a fixed header name: GNU tar puts the PID here, we must not */
    nf_buf hn = NF_BUF_INIT;
    nf_buf_init(&hn);
    const char *base = strrchr(name, '/');
    nf_buf_printf(&hn, "PaxHeaders/%.80s", base ? base + 1 : name);
    fill_header(h, hn.ptr, pax.len, mtime, 'x');
    nf_buf_free(&hn);
    int rc = put(t, b, h, BLOCK) < 0 ? -1
                                     : write_padded(t, b, pax.ptr, pax.len);
    nf_buf_free(&pax);
    if (rc < 0) return -1;
  }
  fill_header(h, name, len, mtime, '0');
  if (put(t, b, h, BLOCK) < 0) return -1;
  return write_padded(t, b, data, len);
}

static int tar_add(void *state, nfb_io *b, const char *name,
                   const void *data, size_t len, const nf_bundle_meta *meta,
                   long long mtime) {
  if (tar_entry(state, b, name, data, len, mtime) < 0) return -1;
  nfb_entry_push(b, name, meta, len, nfb_crc32(0, data, len));
  return 0;
}

static int tar_begin(nfb_io *b, const nf_bundle_opts *o, void **state) {
  (void)o;
  *state = nf_xcalloc(1, sizeof(tar_out));
  return nfb_gz_begin(b);
}

static int plain_tar_begin(nfb_io *b, const nf_bundle_opts *o, void **state) {
  (void)b;
  (void)o;
  tar_out *t = nf_xcalloc(1, sizeof *t);
  t->plain = 1;
  *state = t;
  return 0;
}

static int tar_finish(void *state, nfb_io *b) {
  const tar_out *t = state;
  static const unsigned char zeros[RECORD];
  if (b->manifest) {
    nf_buf m = NF_BUF_INIT;
    nf_buf_init(&m);
    nfb_manifest(b, &m);
    int rc = tar_entry(t, b, "manifest.json", m.ptr, m.len, b->mtime);
    nf_buf_free(&m);
    if (rc < 0) return -1;
  }
  /* two zero blocks end the archive; pad to a whole record like tar(1) */
  uint64_t pos = position(t, b);
  uint64_t end = pos + 2 * BLOCK;
  uint64_t total = (end + RECORD - 1) / RECORD * RECORD;
  if (put(t, b, zeros, (size_t)(total - pos)) < 0) return -1;
  return t->plain ? 0 : nfb_gz_end(b);
}

const nfb_writer_ops nfb_tar_writer = {
    NFB_FORM_PAGE, 1, 1, tar_begin, tar_add, NULL, NULL, tar_finish, free};
const nfb_writer_ops nfb_plain_tar_writer = {
    NFB_FORM_PAGE, 1, 1, plain_tar_begin, tar_add, NULL, NULL, tar_finish,
    free};

/* ===== Reading ========================================================= */

typedef struct tar_reader {
  nfb_zin zin;            /* gzip or plain: the source layer tells */
  uint64_t pending;       /* data bytes of the current entry unread */
  uint64_t padding;       /* then this many pad bytes */
} tar_reader;

static void tar_rfree(void *state) {
  tar_reader *t = state;
  if (!t) return;
  nfb_zin_end(&t->zin);
  free(t);
}

static int tar_open(nfb_rio *r, void **state, char *err, size_t errlen) {
  (void)err;
  (void)errlen;
  tar_reader *t = nf_xmalloc(sizeof *t);
  nfb_zin_init(&t->zin, &r->src);
  t->pending = t->padding = 0;
  *state = t;
  return 0;
}

/* Reads exactly n bytes (into dst, or discards them when dst is NULL). */
static int gz_exact(nfb_rio *r, nfb_zin *zin, void *dst, uint64_t n,
                    char *err, size_t errlen) {
  if (nfb_zin_exact(zin, dst, n) == 0) return 0;
  if (zin->truncated)
    return nfb_rfail(r, err, errlen, "truncated archive (unexpected end)");
  return nfb_rfail(r, err, errlen, "%s", zin->msg);
}

/* Reads a tar number field: octal (spaces/NULs around) or base-256. */
static int get_number(const unsigned char *f, size_t width, uint64_t *out) {
  if (f[0] & 0x80) {
    uint64_t v = f[0] & 0x3f;
    if (f[0] & 0x40) return 0;   /* negative */
    for (size_t i = 1; i < width; i++) {
      if (v >> 56) return 0;
      v = v << 8 | f[i];
    }
    *out = v;
    return 1;
  }
  size_t i = 0;
  while (i < width && f[i] == ' ') i++;
  uint64_t v = 0;
  int any = 0;
  for (; i < width && f[i] >= '0' && f[i] <= '7'; i++, any = 1) {
    if (v >> 60) return 0;
    v = v * 8 + (uint64_t)(f[i] - '0');
  }
  if (i < width && f[i] != ' ' && f[i] != '\0') return 0;
  *out = v;
  return any || i == width || f[i] == '\0' || f[i] == ' ';
}

static size_t field_len(const unsigned char *f, size_t width) {
  size_t n = 0;
  while (n < width && f[n]) n++;
  return n;
}

/* Applies "path" / "size" / "mtime" records of a pax header. */
static int parse_pax(const char *p, size_t n, nf_buf *path, uint64_t *size,
                     int *has_size, long long *mtime) {
  size_t i = 0;
  while (i < n) {
    size_t len = 0, j = i;
    while (j < n && p[j] >= '0' && p[j] <= '9' && len < n) {
      len = len * 10 + (size_t)(p[j] - '0');
      j++;
    }
    if (j == i || j >= n || p[j] != ' ' || len < (j - i) + 3 || len > n - i ||
        p[i + len - 1] != '\n')
      return -1;
    const char *kv = p + j + 1;
    size_t kvlen = i + len - 1 - (j + 1);
    const char *eq = memchr(kv, '=', kvlen);
    if (!eq) return -1;
    size_t klen = (size_t)(eq - kv), vlen = kvlen - klen - 1;
    if (klen == 4 && memcmp(kv, "path", 4) == 0) {
      nf_buf_clear(path);
      nf_buf_put(path, eq + 1, vlen);
    } else if (klen == 4 && memcmp(kv, "size", 4) == 0) {
      uint64_t v = 0;
      for (size_t q = 0; q < vlen; q++) {
        if (eq[1 + q] < '0' || eq[1 + q] > '9' || v > UINT64_MAX / 10)
          return -1;
        v = v * 10 + (uint64_t)(eq[1 + q] - '0');
      }
      *size = v;
      *has_size = 1;
    } else if (klen == 5 && memcmp(kv, "mtime", 5) == 0) {
      *mtime = strtoll(eq + 1, NULL, 10);
    }
    i += len;
  }
  return 0;
}

/* After the end blocks: read the rest of the gzip stream (record padding,
 * the trailer) so a damaged or cut end is still reported. */
static int drain(nfb_rio *r, nfb_zin *zin, char *err, size_t errlen) {
  unsigned char scratch[16384];
  uint64_t total = 0;
  for (;;) {
    long got = nfb_zin_read(zin, scratch, sizeof scratch);
    if (got < 0)
      return nfb_rfail(r, err, errlen, "corrupt or truncated gzip data: %s",
                       zin->msg);
    if (got == 0) return 0;
    total += (unsigned long)got;
    if (total > ((uint64_t)16 << 20)) return 0;   /* junk after the end */
  }
}

static int tar_next(void *state, nfb_rio *r, char *err, size_t errlen) {
  tar_reader *t = state;
  nfb_zin *gz = &t->zin;
  if (gz_exact(r, gz, NULL, t->pending + t->padding, err, errlen) < 0)
    return -1;
  t->pending = t->padding = 0;
  nf_buf longname = NF_BUF_INIT, paxpath = NF_BUF_INIT;
  nf_buf_init(&longname);
  nf_buf_init(&paxpath);
  uint64_t pax_size = 0;
  int has_pax_size = 0;
  long long pax_mtime = -1;
  int rc = -1;
  for (;;) {
    unsigned char h[BLOCK];
    long got = 0;
    while (got < BLOCK) {
      long k = nfb_zin_read(gz, h + got, (size_t)(BLOCK - got));
      if (k <= 0) {
        if (k < 0) got = -1;
        break;
      }
      got += k;
    }
    if (got < 0) {
      nfb_rfail(r, err, errlen, "%s", gz->msg);
      break;
    }
    if (got == 0) {
      nfb_rfail(r, err, errlen, "truncated archive (no end-of-archive blocks)");
      break;
    }
    if (got < BLOCK) {
      nfb_rfail(r, err, errlen, "truncated archive (partial header)");
      break;
    }
    int zero = 1;
    for (int i = 0; i < BLOCK && zero; i++) zero = h[i] == 0;
    if (zero) {
      rc = drain(r, gz, err, errlen);
      break;
    }
    uint64_t want, size, mtime = 0;
    unsigned sum = 0;
    for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : h[i];
    if (!get_number(h + 148, 8, &want) || want != sum) {
      nfb_rfail(r, err, errlen,
                "corrupt tar header after entry %zu (bad checksum)", r->index);
      break;
    }
    if (!get_number(h + 124, 12, &size)) {
      nfb_rfail(r, err, errlen, "corrupt tar header (bad size)");
      break;
    }
    get_number(h + 136, 12, &mtime);
    char type = (char)h[156];
    uint64_t pad = (BLOCK - size % BLOCK) % BLOCK;
    if (type == 'x' || type == 'L') {
      size_t limit = type == 'x' ? MAX_PAX : MAX_LONGNAME;
      if (size > limit) {
        nfb_rfail(r, err, errlen, "extended header too large (%llu bytes)",
                  (unsigned long long)size);
        break;
      }
      char *tmp = nf_xmalloc((size_t)size + 1);
      if (gz_exact(r, gz, tmp, size, err, errlen) < 0 ||
          gz_exact(r, gz, NULL, pad, err, errlen) < 0) {
        free(tmp);
        break;
      }
      int bad = 0;
      if (type == 'L') {
        nf_buf_clear(&longname);
        nf_buf_put(&longname, tmp, field_len((unsigned char *)tmp, (size_t)size));
      } else {
        bad = parse_pax(tmp, (size_t)size, &paxpath, &pax_size, &has_pax_size,
                        &pax_mtime) < 0;
      }
      free(tmp);
      if (bad) {
        nfb_rfail(r, err, errlen, "corrupt pax header");
        break;
      }
      continue;
    }
    if (type == 'g' || type == 'K') {   /* global pax, GNU longlink */
      if (gz_exact(r, gz, NULL, size + pad, err, errlen) < 0) break;
      continue;
    }
    /* a real entry */
    nf_buf_clear(&r->name);
    if (paxpath.len) {
      nf_buf_put(&r->name, paxpath.ptr, paxpath.len);
    } else if (longname.len) {
      nf_buf_put(&r->name, longname.ptr, longname.len);
    } else {
      size_t plen = memcmp(h + 257, "ustar", 5) == 0 ? field_len(h + 345, 155) : 0;
      if (plen) {
        nf_buf_put(&r->name, h + 345, plen);
        nf_buf_putc(&r->name, '/');
      }
      nf_buf_put(&r->name, h, field_len(h, 100));
    }
    if (has_pax_size) size = pax_size;
    pad = (BLOCK - size % BLOCK) % BLOCK;
    memset(&r->cur, 0, sizeof r->cur);
    switch (type) {
    case '0': case '\0': case '7': r->cur.type = NF_ENTRY_FILE; break;
    case '5': r->cur.type = NF_ENTRY_DIR; break;
    case '1': case '2': r->cur.type = NF_ENTRY_LINK; break;
    default: r->cur.type = NF_ENTRY_OTHER;
    }
    if (r->cur.type == NF_ENTRY_DIR)
      while (r->name.len > 1 && r->name.ptr[r->name.len - 1] == '/')
        nf_buf_truncate(&r->name, r->name.len - 1);
    /* links and devices carry no data in practice; trust size anyway */
    r->cur.size = size;
    r->cur.mtime = pax_mtime >= 0 ? pax_mtime : (long long)mtime;
    t->pending = size;
    t->padding = pad;
    rc = 1;
    break;
  }
  nf_buf_free(&longname);
  nf_buf_free(&paxpath);
  return rc;
}

static int tar_read(void *state, nfb_rio *r, nf_buf *out, char *err,
                    size_t errlen) {
  tar_reader *t = state;
  if (r->cur_read)
    return nfb_rfail(r, err, errlen, "%s: entry already read", r->name.ptr);
  if (r->cur.size > r->max_entry)  /* the caller may skip it and go on */
    return nfb_too_big(r, r->name.ptr, r->cur.size, err, errlen);
  size_t n = (size_t)r->cur.size;
  if (n) {
    char *tmp = nf_xmalloc(n);
    if (gz_exact(r, &t->zin, tmp, n, err, errlen) < 0) {
      free(tmp);
      return -1;
    }
    nf_buf_put(out, tmp, n);
    free(tmp);
  }
  t->pending = 0;
  r->cur_read = 1;
  return 0;
}

/* gzip whose data starts with a ustar header */
static int tar_sniff(const unsigned char *head, size_t n,
                     const unsigned char *plain, size_t m) {
  (void)head;
  (void)n;
  return m == BLOCK && memcmp(plain + 257, "ustar", 5) == 0;
}

/* a file that starts with a ustar header */
static int plain_tar_sniff(const unsigned char *head, size_t n,
                           const unsigned char *plain, size_t m) {
  (void)plain;
  (void)m;
  return n == BLOCK && memcmp(head + 257, "ustar", 5) == 0;
}

const nfb_reader_ops nfb_tar_reader = {tar_sniff, tar_open, tar_next,
                                       tar_read, tar_rfree, NULL};
const nfb_reader_ops nfb_plain_tar_reader = {plain_tar_sniff, tar_open,
                                             tar_next, tar_read, tar_rfree,
                                             NULL};
