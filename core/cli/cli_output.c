/* cli_output.c: where the newsform command writes results. One sink per
 * kind of output, all behind nf_sink (write, fail, finish, abort):
 *   standard output        results one after the other
 *   -o FILE                the same bytes, into FILE atomically (temporary
 *                          file beside it, renamed when the run succeeds)
 *   -o X.gz                the same bytes gzip-compressed (any inner
 *                          extension but the bundles'), atomically
 *   -o DIR/ or X.tar.gz|.tgz|.tar|.zip|.epub|.jsonl.gz
 *                          a bundle (core/bundle*.c): one entry or file per
 *                          article, named from ctx.name or the input
 * Other archive names (.rar .7z .xz .tar.xz ...) are usage errors.
 * The writer (main.c) calls the sink from one thread, in input order. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* ===== Interrupted runs leave no temporary file ========================== */

static char temp_path[PATH_MAX];
static volatile sig_atomic_t have_temp;

static void on_signal(int sig) {
  if (have_temp) unlink(temp_path);
  signal(sig, SIG_DFL);
  raise(sig);
}

void nf_cli_block_signals(sigset_t *old) {
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &block, old);
}

void nf_cli_set_temp_path(const char *path) {
  sigset_t old;
  nf_cli_block_signals(&old);
  have_temp = 0;
  if (path && strlen(path) < sizeof temp_path) {
    memcpy(temp_path, path, strlen(path) + 1);
    have_temp = 1;
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void nf_cli_install_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}

/* ===== Names ============================================================== */

static int ends_with_ci(const char *s, size_t len, const char *suffix) {
  size_t n = strlen(suffix);
  return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

const char *nf_cli_guess_ext(const char *ext, const char *data, size_t len) {
  if (ext && *ext) return ext[0] == '.' ? ext + 1 : ext;
  size_t i = 0;
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) i = 3;
  while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' ||
                     data[i] == '\r'))
    i++;
  if (i < len && data[i] == '<') return "html";
  if (i < len && (data[i] == '{' || data[i] == '[')) return "json";
  if (i + 1 < len && data[i] == '#' && data[i + 1] == ' ') return "md";
  return "txt";
}

/* ===== Atomic files ======================================================= */

/* Creates "DIR/.BASE.newsform-tmp.XXXXXX" beside path. Returns the fd and
 * the temporary path (caller frees), or -1 with err set. */
static int create_temp_beside(const char *path, char **tmp_out, char *err,
                              size_t errlen) {
  const char *slash = strrchr(path, '/');
  size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
  nf_buf b;
  nf_buf_init(&b);
  nf_buf_put(&b, path, dirlen);
  nf_buf_printf(&b, ".%s.newsform-tmp.XXXXXX", path + dirlen);
  char *tmp = nf_buf_detach(&b);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    snprintf(err, errlen, "%s: cannot create a temporary file: %s", path,
             strerror(errno));
    free(tmp);
    return -1;
  }
  /* mkstemp makes 0600 files; results are ordinary files (0666 & ~umask). */
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  *tmp_out = tmp;
  return fd;
}

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* fsync + close + rename. Returns 0, or -1 with err set (temp removed). */
static int commit_temp(int fd, const char *tmp, const char *path, char *err,
                       size_t errlen) {
  if (fsync(fd) < 0 && errno != EINVAL && errno != EROFS) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    close(fd);
    unlink(tmp);
    return -1;
  }
  if (close(fd) < 0) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    unlink(tmp);
    return -1;
  }
  if (rename(tmp, path) < 0) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    unlink(tmp);
    return -1;
  }
  return 0;
}

/* ===== Standard output ==================================================== */

static int stdout_write(nf_sink *s, const nf_cli_result *r, char *err,
                        size_t errlen) {
  (void)s;
  if (r->data.len && fwrite(r->data.ptr, 1, r->data.len, stdout) != r->data.len) {
    snprintf(err, errlen, "standard output: %s", strerror(errno));
    return -1;
  }
  return 0;
}

static void no_fail(nf_sink *s, const nf_cli_result *r) {
  (void)s;
  (void)r;
}

static int stdout_finish(nf_sink *s, char *err, size_t errlen) {
  free(s);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    snprintf(err, errlen, "standard output: %s", strerror(errno));
    return -1;
  }
  return 0;
}

static void stdout_abort(nf_sink *s) {
  fflush(stdout);
  free(s);
}

/* ===== -o FILE ============================================================= */

typedef struct file_sink {
  char *path, *tmp;
  int fd;
} file_sink;

static int file_write(nf_sink *s, const nf_cli_result *r, char *err,
                      size_t errlen) {
  file_sink *f = s->impl;
  if (write_all(f->fd, r->data.ptr, r->data.len) < 0) {
    snprintf(err, errlen, "%s: %s", f->path, strerror(errno));
    return -1;
  }
  return 0;
}

static void file_free(nf_sink *s) {
  file_sink *f = s->impl;
  nf_cli_set_temp_path(NULL);
  free(f->path);
  free(f->tmp);
  free(f);
  free(s);
}

static int file_finish(nf_sink *s, char *err, size_t errlen) {
  file_sink *f = s->impl;
  int rc = commit_temp(f->fd, f->tmp, f->path, err, errlen);
  file_free(s);
  return rc;
}

static void file_abort(nf_sink *s) {
  file_sink *f = s->impl;
  close(f->fd);
  unlink(f->tmp);
  file_free(s);
}

static nf_sink *open_file_sink(const char *path, char *err, size_t errlen) {
  char *tmp;
  int fd = create_temp_beside(path, &tmp, err, errlen);
  if (fd < 0) return NULL;
  nf_cli_set_temp_path(tmp);
  file_sink *f = nf_xcalloc(1, sizeof *f);
  f->path = nf_xstrdup(path);
  f->tmp = tmp;
  f->fd = fd;
  nf_sink *s = nf_xcalloc(1, sizeof *s);
  *s = (nf_sink){file_write, no_fail, file_finish, file_abort, f};
  return s;
}

/* ===== -o FILE.gz ========================================================== */

static int gzip_write(nf_sink *s, const nf_cli_result *r, char *err,
                      size_t errlen) {
  return nf_gzip_file_write(s->impl, r->data.ptr, r->data.len, err, errlen);
}

static int gzip_finish(nf_sink *s, char *err, size_t errlen) {
  int rc = nf_gzip_file_close(s->impl, err, errlen);
  nf_cli_set_temp_path(NULL);
  free(s);
  return rc;
}

static void gzip_abort(nf_sink *s) {
  nf_gzip_file_abort(s->impl);
  nf_cli_set_temp_path(NULL);
  free(s);
}

static nf_sink *open_gzip_sink(const char *path, char *err, size_t errlen) {
  nf_gzip_file *g = nf_gzip_file_create(path, err, errlen);
  if (!g) return NULL;
  nf_cli_set_temp_path(nf_gzip_file_temp_path(g));
  nf_sink *s = nf_xcalloc(1, sizeof *s);
  *s = (nf_sink){gzip_write, no_fail, gzip_finish, gzip_abort, g};
  return s;
}

/* An archive or compressed name newsform does not write ("x.rar",
 * "x.tar.xz"): its extension, else NULL. */
static const char *foreign_archive(const char *out) {
  static const char *const exts[] = {
      ".rar", ".7z",  ".xz",  ".bz2",  ".bz",  ".zst",  ".zstd", ".lz",
      ".lz4", ".lzma", ".lzo", ".z",   ".tbz", ".tbz2", ".tb2",  ".txz",
      ".tzst", ".tlz", ".taz", ".cab", ".arj", ".cpio", ".iso",  NULL};
  const char *slash = strrchr(out, '/');
  const char *base = slash ? slash + 1 : out;
  for (const char *p = base; (p = strchr(p, '.')) != NULL; p++)
    if (strncasecmp(p, ".tar.", 5) == 0) return p; /* not .tar.gz: a bundle */
  const char *dot = strrchr(base, '.');
  for (size_t i = 0; dot && exts[i]; i++)
    if (strcasecmp(dot, exts[i]) == 0) return dot;
  return NULL;
}

/* ===== Bundles and -o DIR/ (core/bundle*.c) ================================ */

typedef struct bundle_sink {
  nf_bundle *b;
  const nf_cli_opts *o;
} bundle_sink;

/* The entry name's hint: the input's path below the directory it was
 * found in (or its base name), without ".gz". */
static char *entry_hint(const nf_cli_result *r) {
  const char *h = r->hint ? r->hint : r->input;
  size_t len = strlen(h);
  if (ends_with_ci(h, len, ".gz")) len -= 3;
  return nf_xstrndup(h, len);
}

static int bundle_write(nf_sink *s, const nf_cli_result *r, char *err,
                        size_t errlen) {
  bundle_sink *bs = s->impl;
  if (r->data.len == 0) return 0; /* nothing to write: no entry */
  const char *ext = nf_cli_guess_ext(r->ext, r->data.ptr, r->data.len);
  long long mtime = 0;
  if (!bs->o->mtime_given && r->published) {
    mtime = nf_bundle_parse_time(r->published);
    if (mtime < 0) mtime = 0;
  }
  if (nf_bundle_format_get(bs->b) == NF_BUNDLE_EPUB) {
    /* A book wants chapters, not loose files: the worker made this one,
     * except for results without a document (begin, finish). */
    if (r->article) return nf_bundle_add_article(bs->b, r->article, err, errlen);
    nf_bundle_result res = {r->data.ptr, r->data.len, ext, r->title, NULL,
                            r->published, NULL, NULL, r->input};
    nf_bundle_article *a = nf_bundle_article_new(NULL, &res);
    int rc = nf_bundle_add_article(bs->b, a, err, errlen);
    nf_bundle_article_free(a);
    return rc;
  }
  char *hint = entry_hint(r);
  nf_buf dot_ext;
  nf_buf_init(&dot_ext);
  nf_buf_printf(&dot_ext, ".%s", ext);
  char *name = nf_bundle_safe_name(bs->b, r->name ? r->name : hint,
                                   dot_ext.ptr);
  nf_bundle_meta meta;
  memset(&meta, 0, sizeof meta);
  meta.source = r->input;
  meta.title = r->title;
  meta.published = r->published;
  meta.mtime = mtime;
  meta.url = r->url;
  meta.refers_to = r->refers_to;
  int rc = nf_bundle_add(bs->b, name, r->data.ptr, r->data.len, &meta, err,
                         errlen);
  free(name);
  free(hint);
  nf_buf_free(&dot_ext);
  return rc;
}

static void bundle_fail(nf_sink *s, const nf_cli_result *r) {
  bundle_sink *bs = s->impl;
  nf_bundle_add_failure(bs->b, r->input, r->error ? r->error : "failed");
}

static int bundle_finish(nf_sink *s, char *err, size_t errlen) {
  bundle_sink *bs = s->impl;
  int rc = nf_bundle_close(bs->b, err, errlen);
  nf_cli_set_temp_path(NULL);
  free(bs);
  free(s);
  return rc;
}

static void bundle_abort(nf_sink *s) {
  bundle_sink *bs = s->impl;
  nf_bundle_abort(bs->b);
  nf_cli_set_temp_path(NULL);
  free(bs);
  free(s);
}

static nf_sink *open_bundle_sink(const char *out, nf_bundle_format format,
                                 const nf_cli_opts *o, char *err,
                                 size_t errlen) {
  nf_bundle_opts bo;
  memset(&bo, 0, sizeof bo);
  bo.format = format;
  bo.mtime = o->mtime_given ? o->mtime : 0;
  /* The book's title does not come from OUT's name: the same inputs give
   * the same bytes whatever the file is called (shards compare equal). */
  bo.title = o->book_title;
  bo.author = o->book_author;
  bo.language = o->book_language;
  nf_bundle *b = nf_bundle_create(out, &bo, err, errlen);
  if (!b) return NULL;
  nf_cli_set_temp_path(nf_bundle_temp_path(b));
  bundle_sink *bs = nf_xcalloc(1, sizeof *bs);
  bs->b = b;
  bs->o = o;
  nf_sink *s = nf_xcalloc(1, sizeof *s);
  *s = (nf_sink){bundle_write, bundle_fail, bundle_finish, bundle_abort, bs};
  return s;
}

nf_sink *nf_sink_open(const char *out, const nf_cli_opts *o, char *err,
                      size_t errlen, int *usage) {
  *usage = 0;
  if (!out || strcmp(out, "-") == 0) {
    nf_sink *s = nf_xcalloc(1, sizeof *s);
    *s = (nf_sink){stdout_write, no_fail, stdout_finish, stdout_abort, NULL};
    return s;
  }
  size_t len = strlen(out);
  if (len == 0) {
    *usage = 1;
    snprintf(err, errlen, "-o needs a file or directory name");
    return NULL;
  }
  nf_bundle_format f = nf_bundle_format_of(out);
  struct stat st;
  if (f == NF_BUNDLE_UNKNOWN && stat(out, &st) == 0 && S_ISDIR(st.st_mode))
    f = NF_BUNDLE_DIR; /* an existing directory, named without '/' */
  if (f != NF_BUNDLE_UNKNOWN) return open_bundle_sink(out, f, o, err, errlen);
  const char *foreign = foreign_archive(out);
  if (foreign) {
    *usage = 1;
    snprintf(err, errlen, "%s: cannot write %s (newsform writes .tar.gz .tgz "
             ".tar .zip .epub .jsonl.gz bundles, DIR/, and NAME.gz for "
             "gzip-compressed output)", out, foreign);
    return NULL;
  }
  if (ends_with_ci(out, len, ".gz")) return open_gzip_sink(out, err, errlen);
  return open_file_sink(out, err, errlen);
}
