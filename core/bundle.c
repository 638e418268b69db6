/* bundle.c: the bundle front end. The table of formats (name, suffixes,
 * writer and reader), the format of a path or of a file's first bytes,
 * the checks every entry passes (safe, new, not reserved), the atomic
 * output (temporary file beside OUT, fsync, rename) and the calls through
 * the chosen format's table. No format is named below the table. */
#include "bundle.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ===== The formats ===================================================== */

typedef struct nfb_format {
  nf_bundle_format id;
  const char *name;
  const char *suffixes[3];        /* case-insensitive; "/" for directories */
  const nfb_writer_ops *writer;
  const nfb_reader_ops *reader;   /* NULL: not readable */
} nfb_format;

/* Sniffing tries them in this order (zip before the EPUB that is one). */
static const nfb_format formats[] = {
    {NF_BUNDLE_TAR_GZ, "tar.gz", {".tar.gz", ".tgz"}, &nfb_tar_writer,
     &nfb_tar_reader},
    {NF_BUNDLE_TAR, "tar", {".tar"}, &nfb_plain_tar_writer,
     &nfb_plain_tar_reader},
    {NF_BUNDLE_ZIP, "zip", {".zip"}, &nfb_zip_writer, &nfb_zip_reader},
    {NF_BUNDLE_EPUB, "epub", {".epub"}, &nfb_epub_writer, &nfb_zip_reader},
    {NF_BUNDLE_JSONL_GZ, "jsonl.gz", {".jsonl.gz"}, &nfb_jsonl_writer,
     &nfb_jsonl_reader},
    {NF_BUNDLE_DIR, "dir", {"/"}, &nfb_dir_writer, NULL},
    {NF_BUNDLE_WARC_GZ, "warc.gz", {".warc.gz", ".wet.gz"},
     &nfb_warc_gz_writer, &nfb_warc_gz_reader},
    {NF_BUNDLE_WARC, "warc", {".warc", ".wet"}, &nfb_warc_writer,
     &nfb_warc_reader},
};
#define N_FORMATS (sizeof formats / sizeof *formats)

static const nfb_format *format_by_id(nf_bundle_format f) {
  for (size_t i = 0; i < N_FORMATS; i++)
    if (formats[i].id == f) return &formats[i];
  return NULL;
}

static int ends_with_ci(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

nf_bundle_format nf_bundle_format_of(const char *path) {
  if (!path || !*path) return NF_BUNDLE_UNKNOWN;
  for (size_t i = 0; i < N_FORMATS; i++)
    for (size_t k = 0; k < 3 && formats[i].suffixes[k]; k++)
      if (ends_with_ci(path, formats[i].suffixes[k])) return formats[i].id;
  return NF_BUNDLE_UNKNOWN;
}

const char *nf_bundle_format_name(nf_bundle_format f) {
  const nfb_format *fmt = format_by_id(f);
  return fmt ? fmt->name : "unknown";
}

/* ===== Writing ========================================================= */

struct nf_bundle {
  nfb_io io;                      /* first: the formats get &b->io */
  const nfb_format *format;
  void *state;                    /* the format's, behind its table */
};

nf_bundle_format nf_bundle_format_named(const char *name) {
  for (size_t i = 0; name && i < N_FORMATS; i++)
    if (strcmp(formats[i].name, name) == 0) return formats[i].id;
  return NF_BUNDLE_UNKNOWN;
}

char *nf_bundle_safe_name(const nf_bundle *b, const char *hint,
                          const char *ext) {
  return nfb_safe_name(b ? &b->io : NULL, hint, ext);
}

static void bundle_free(nf_bundle *b) {
  if (b->state) b->format->writer->free(b->state);
  nfb_io_clear(&b->io);
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
  const nfb_format *fmt = format_by_id(f);
  if (!fmt) {
    snprintf(err, errlen,
             "%s: unknown bundle format (use .tar.gz, .tgz, .tar, .zip, "
             ".epub, .jsonl.gz, .warc.gz, .warc or a directory name ending "
             "in /)",
             path);
    return NULL;
  }
  if (o->level < 0 || o->level > 9) {
    snprintf(err, errlen, "compression level %d is not in 0..9", o->level);
    return NULL;
  }
  nf_bundle *b = nf_xcalloc(1, sizeof *b);
  b->format = fmt;
  nfb_io *io = &b->io;
  io->format_name = fmt->name;
  io->path = nf_xstrdup(path);
  io->mtime = o->mtime ? o->mtime : NF_BUNDLE_EPOCH;
  io->level = o->level ? o->level : 6;
  io->manifest = !o->no_manifest && fmt->writer->manifest;
  io->zip64 = o->zip64;
  nf_buf_init(&io->failures);
  if (fmt->writer->temp_file && nfb_open_temp(io, err, errlen) < 0) {
    if (io->tmp_path) unlink(io->tmp_path);
    bundle_free(b);
    return NULL;
  }
  if (fmt->writer->begin(io, o, &b->state) < 0) {
    nfb_copy_err(io, err, errlen);
    nf_bundle_abort(b);
    return NULL;
  }
  return b;
}

nf_bundle_format nf_bundle_format_get(const nf_bundle *b) {
  return b->format->id;
}

const char *nf_bundle_temp_path(const nf_bundle *b) {
  return b ? b->io.tmp_path : NULL;
}

int nf_bundle_failed(const nf_bundle *b) { return b->io.failed; }

/* The sticky error, if any, into err: -1; else 0. */
static int check_failed(const nf_bundle *b, char *err, size_t errlen) {
  if (!b->io.failed) return 0;
  nfb_copy_err(&b->io, err, errlen);
  return -1;
}

int nf_bundle_add(nf_bundle *b, const char *name, const void *data,
                  size_t len, const nf_bundle_meta *meta, char *err,
                  size_t errlen) {
  nfb_io *io = &b->io;
  if (check_failed(b, err, errlen) < 0) return -1;
  const char *why = nf_bundle_name_check(name);
  if (why) {
    snprintf(err, errlen, "%s: bad entry name \"%s\": %s", io->path,
             name ? name : "", why);
    return -1;
  }
  if (nf_strset_has(&io->names, name)) {
    snprintf(err, errlen, "%s: duplicate entry name \"%s\"", io->path, name);
    return -1;
  }
  if (io->manifest && strcmp(name, "manifest.json") == 0) {
    snprintf(err, errlen, "%s: \"manifest.json\" is reserved for the manifest",
             io->path);
    return -1;
  }
  if (!data) len = 0;
  if (!data) data = "";
  long long mtime = meta && meta->mtime ? meta->mtime : io->mtime;
  int rc = b->format->writer->add(b->state, io, name, data, len, meta, mtime);
  if (rc < 0) nfb_copy_err(io, err, errlen);
  return rc;
}

nfb_form nfb_form_of(const nf_bundle *b) { return b->format->writer->form; }

int nfb_add_chapter(nf_bundle *b, const nfb_chapter *c, char *err,
                    size_t errlen) {
  if (check_failed(b, err, errlen) < 0) return -1;
  const nfb_writer_ops *w = b->format->writer;
  if (!w->add_article) {
    snprintf(err, errlen, "%s: articles are pages in this format",
             b->io.path);
    return -1;
  }
  int rc = w->add_article(b->state, &b->io, c);
  if (rc < 0) nfb_copy_err(&b->io, err, errlen);
  return rc;
}

int nf_bundle_add_resource(nf_bundle *b, const char *name, const void *data,
                           size_t len, const char *media_type, char *err,
                           size_t errlen) {
  const nfb_writer_ops *w = b->format->writer;
  if (!w->add_resource)
    return nf_bundle_add(b, name, data, len, NULL, err, errlen);
  if (check_failed(b, err, errlen) < 0) return -1;
  if (!name || !*name) {
    snprintf(err, errlen, "%s: resource without a name", b->io.path);
    return -1;
  }
  int rc = w->add_resource(b->state, &b->io, name, data ? data : "",
                           data ? len : 0, media_type);
  if (rc < 0) nfb_copy_err(&b->io, err, errlen);
  return rc;
}

void nf_bundle_add_failure(nf_bundle *b, const char *source,
                           const char *message) {
  nfb_failure_push(&b->io, source, message);
}

void nf_bundle_abort(nf_bundle *b) {
  if (!b) return;
  if (b->io.fp) fclose(b->io.fp);
  b->io.fp = NULL;
  if (b->io.tmp_path) unlink(b->io.tmp_path);
  bundle_free(b);
}

int nf_bundle_close(nf_bundle *b, char *err, size_t errlen) {
  nfb_io *io = &b->io;
  if (!io->failed) b->format->writer->finish(b->state, io);
  int rc;
  if (b->format->writer->temp_file) {
    rc = nfb_commit(io);
  } else {
    rc = io->failed ? -1 : 0;
  }
  if (rc < 0) nfb_copy_err(io, err, errlen);
  bundle_free(b);
  return rc;
}

/* ===== One gzip-compressed file (-o X.gz) ============================== */

/* No format: the bytes of one stream, with a bundle's atomic output and
 * reproducible gzip header. */
struct nf_gzip_file {
  nfb_io io;
};

void nf_gzip_file_abort(nf_gzip_file *g) {
  if (!g) return;
  if (g->io.fp) fclose(g->io.fp);
  if (g->io.tmp_path) unlink(g->io.tmp_path);
  nfb_io_clear(&g->io);
  free(g);
}

nf_gzip_file *nf_gzip_file_create(const char *path, char *err,
                                  size_t errlen) {
  if (!path || !*path) {
    snprintf(err, errlen, "empty output name");
    return NULL;
  }
  nf_gzip_file *g = nf_xcalloc(1, sizeof *g);
  nfb_io *io = &g->io;
  io->path = nf_xstrdup(path);
  io->level = 6;
  nf_buf_init(&io->failures);
  if (nfb_open_temp(io, err, errlen) < 0) {
    nf_gzip_file_abort(g);
    return NULL;
  }
  if (nfb_gz_begin(io) < 0) {
    nfb_copy_err(io, err, errlen);
    nf_gzip_file_abort(g);
    return NULL;
  }
  return g;
}

const char *nf_gzip_file_temp_path(const nf_gzip_file *g) {
  return g ? g->io.tmp_path : NULL;
}

int nf_gzip_file_write(nf_gzip_file *g, const void *data, size_t len,
                       char *err, size_t errlen) {
  if (nfb_gz_write(&g->io, data, len) == 0) return 0;
  nfb_copy_err(&g->io, err, errlen);
  return -1;
}

int nf_gzip_file_close(nf_gzip_file *g, char *err, size_t errlen) {
  nfb_io *io = &g->io;
  nfb_gz_end(io);
  int rc = nfb_commit(io);
  if (rc < 0) nfb_copy_err(io, err, errlen);
  nfb_io_clear(io);
  free(g);
  return rc;
}

/* ===== Reading ========================================================= */

struct nf_bundle_reader {
  nfb_rio r;
  const nfb_format *format;
  void *state;
  int at_end, have_cur;
};

/* The format from the first bytes (the source is not moved): each
 * readable format's sniff looks at them and, for gzip, at the start of
 * the decompressed data. */
static const nfb_format *sniff(nfb_src *src) {
  size_t n, got;
  const unsigned char *p = nfb_src_peek(src, 65536, &got);
  if (!p) return NULL;
  unsigned char head[512] = {0};
  n = got < sizeof head ? got : sizeof head;
  memcpy(head, p, n);
  unsigned char plain[512];
  size_t m = 0;
  if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK) nf_oom();
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)got;
    z.next_out = plain;
    z.avail_out = sizeof plain;
    inflate(&z, Z_SYNC_FLUSH);
    m = sizeof plain - z.avail_out;
    inflateEnd(&z);
  }
  for (size_t i = 0; i < N_FORMATS; i++)
    if (formats[i].reader && formats[i].reader->sniff(head, n, plain, m))
      return &formats[i];
  return NULL;
}

/* Reads decimal digits at *p (at least one): 1, or 0. */
static int digits(const char **p, uint64_t *v) {
  const char *s = *p;
  *v = 0;
  for (; *s >= '0' && *s <= '9'; s++) {
    if (*v > (UINT64_MAX - 9) / 10) return 0;
    *v = *v * 10 + (uint64_t)(*s - '0');
  }
  if (s == *p) return 0;
  *p = s;
  return 1;
}

/* "FILE@OFFSET" (or "FILE@MEMBER+WITHIN", a record inside one gzip
 * stream) where FILE is a regular file: FILE's length, *off and *within
 * set. 0 when path is not one. */
static size_t at_offset(const char *path, uint64_t *off, uint64_t *within) {
  const char *at = strrchr(path, '@');
  if (!at || at == path) return 0;
  const char *p = at + 1;
  uint64_t v, w = 0;
  if (!digits(&p, &v)) return 0;
  if (*p == '+' && (p++, !digits(&p, &w))) return 0;
  if (*p) return 0;
  char *file = nf_xstrndup(path, (size_t)(at - path));
  struct stat st;
  int ok = stat(file, &st) == 0 && S_ISREG(st.st_mode);
  free(file);
  if (!ok) return 0;
  *off = v;
  *within = w;
  return (size_t)(at - path);
}

/* Opens the reader on r->src (set up by the caller), r->path naming it. */
static nf_bundle_reader *open_src(nf_bundle_reader *r, nf_bundle_format format,
                                  size_t max_entry_size, char *err,
                                  size_t errlen) {
  const char *path = r->r.path;
  const nfb_format *fmt = format_by_id(format);
  if (!fmt || !fmt->reader) fmt = sniff(&r->r.src);
  if (!fmt && r->r.one_record) {
    snprintf(err, errlen, "%s: no WARC record starts at this offset", path);
    nf_bundle_reader_free(r);
    return NULL;
  }
  if (!fmt) {
    snprintf(err, errlen,
             "%s: not a bundle (tar.gz, tar, zip, epub, jsonl.gz or warc)",
             path);
    nf_bundle_reader_free(r);
    return NULL;
  }
  if (r->r.one_record && fmt->id != NF_BUNDLE_WARC &&
      fmt->id != NF_BUNDLE_WARC_GZ) {
    snprintf(err, errlen, "%s: FILE@OFFSET reads WARC records only, and no "
             "WARC record starts at this offset", path);
    nf_bundle_reader_free(r);
    return NULL;
  }
  r->format = fmt;
  r->r.max_entry = max_entry_size ? max_entry_size
                                  : NF_BUNDLE_MAX_ENTRY_DEFAULT;
  r->r.file_size = r->r.src.size;
  if (fmt->reader->open(&r->r, &r->state, err, errlen) < 0) {
    nf_bundle_reader_free(r);
    return NULL;
  }
  return r;
}

static nf_bundle_reader *reader_new(const char *name) {
  nf_bundle_reader *r = nf_xcalloc(1, sizeof *r);
  r->r.path = nf_xstrdup(name);
  r->r.src.fd = -1;
  nf_buf_init(&r->r.name);
  return r;
}

nf_bundle_reader *nf_bundle_open(const char *path, nf_bundle_format format,
                                 size_t max_entry_size, char *err,
                                 size_t errlen) {
  struct stat st;
  if (path && strcmp(path, "-") == 0) {
    /* Standard input: a pipe is read once, front to back. */
    nf_bundle_reader *r = reader_new("<stdin>");
    int reg = fstat(0, &st) == 0 && S_ISREG(st.st_mode);
    off_t here = reg ? lseek(0, 0, SEEK_CUR) : -1;
    reg = reg && here == 0;
    nfb_src_file(&r->r.src, 0, 0, reg ? (uint64_t)st.st_size : UINT64_MAX,
                 reg);
    return open_src(r, format, max_entry_size, err, errlen);
  }
  uint64_t off = 0, within = 0;
  size_t flen = 0;
  if (path && stat(path, &st) != 0 &&
      (flen = at_offset(path, &off, &within)) > 0) {
    /* FILE@OFFSET: the record there, nothing read before it. */
    char *file = nf_xstrndup(path, flen);
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    int ok = fd >= 0 && fstat(fd, &st) == 0;
    if (!ok) snprintf(err, errlen, "%s: %s", path, strerror(errno));
    free(file);
    if (!ok) {
      if (fd >= 0) close(fd);
      return NULL;
    }
    nf_bundle_reader *r = reader_new(path);
    nfb_src_file(&r->r.src, fd, 1, (uint64_t)st.st_size, 1);
    r->r.start = off;
    r->r.start_within = within;
    r->r.one_record = 1;
    if (nfb_src_seek(&r->r.src, off) < 0) {
      snprintf(err, errlen, "%s: offset past the end of the file", path);
      nf_bundle_reader_free(r);
      return NULL;
    }
    return open_src(r, NF_BUNDLE_UNKNOWN, max_entry_size, err, errlen);
  }
  if (!path || stat(path, &st) != 0) {
    snprintf(err, errlen, "%s: %s", path ? path : "(null)", strerror(errno));
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "%s: not a regular file", path);
    return NULL;
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return NULL;
  }
  nf_bundle_reader *r = reader_new(path);
  nfb_src_file(&r->r.src, fd, 1, (uint64_t)st.st_size, 1);
  return open_src(r, format ? format : nf_bundle_format_of(path),
                  max_entry_size, err, errlen);
}

nf_bundle_reader *nf_bundle_open_mem(const void *data, size_t len,
                                     nf_bundle_format format, const char *name,
                                     size_t max_entry_size, char *err,
                                     size_t errlen) {
  nf_bundle_reader *r = reader_new(name && *name ? name : "<memory>");
  nfb_src_mem(&r->r.src, data ? data : "", data ? len : 0);
  return open_src(r, format, max_entry_size, err, errlen);
}

nf_bundle_format nf_bundle_reader_format(const nf_bundle_reader *r) {
  return r->format->id;
}

int nf_bundle_next(nf_bundle_reader *r, nf_bundle_entry *e, char *err,
                   size_t errlen) {
  if (r->r.failed) {
    snprintf(err, errlen, "%s: reading stopped after an earlier error",
             r->r.path);
    return -1;
  }
  if (r->at_end) return 0;
  int rc = r->format->reader->next(r->state, &r->r, err, errlen);
  if (rc <= 0) {
    r->have_cur = 0;
    if (rc == 0) r->at_end = 1;
    else r->r.failed = 1;
    return rc;
  }
  r->r.cur.name = r->r.name.ptr;
  r->r.cur.index = r->r.index++;
  r->have_cur = 1;
  r->r.cur_read = 0;
  *e = r->r.cur;
  return 1;
}

int nf_bundle_read(nf_bundle_reader *r, nf_buf *out, char *err,
                   size_t errlen) {
  if (r->r.failed) {
    snprintf(err, errlen, "%s: reading stopped after an earlier error",
             r->r.path);
    return -1;
  }
  if (!r->have_cur) {
    snprintf(err, errlen, "%s: no current entry", r->r.path);
    return -1;
  }
  if (r->r.cur.type == NF_ENTRY_LINK || r->r.cur.type == NF_ENTRY_OTHER) {
    snprintf(err, errlen, "%s: %s: not a regular file", r->r.path,
             r->r.name.ptr);
    return -1;
  }
  return r->format->reader->read(r->state, &r->r, out, err, errlen);
}

size_t nf_bundle_reader_skips(const nf_bundle_reader *r,
                              const char *const **reasons,
                              const unsigned long long **counts) {
  *reasons = NULL;
  *counts = NULL;
  if (!r || !r->state || !r->format->reader->skips) return 0;
  return r->format->reader->skips(r->state, reasons, counts);
}

void nf_bundle_reader_free(nf_bundle_reader *r) {
  if (!r) return;
  if (r->state) r->format->reader->free(r->state);
  nfb_src_close(&r->r.src);
  nf_buf_free(&r->r.name);
  free(r->r.path);
  free(r);
}
