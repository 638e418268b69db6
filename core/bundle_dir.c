/* bundle_dir.c: a plain directory as a bundle ("OUT/"): each entry is a
 * file, written to a temporary file beside it and renamed. No manifest,
 * no archive: the front end's temporary file is not used. */
#include "bundle.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct dir_writer {
  char *dir;          /* the path without its trailing '/' */
} dir_writer;

static int dir_begin(nfb_io *b, const nf_bundle_opts *o, void **state) {
  (void)o;
  dir_writer *d = nf_xcalloc(1, sizeof *d);
  *state = d;
  d->dir = nf_xstrdup(b->path);
  size_t n = strlen(d->dir);
  while (n > 1 && d->dir[n - 1] == '/') d->dir[--n] = '\0';
  char e[512];
  if (nfb_mkdirs(d->dir, e, sizeof e) < 0) return nfb_fail(b, "%s", e);
  return 0;
}

/* Plain files: each entry written to a temporary file and renamed. */
static int dir_add(void *state, nfb_io *b, const char *name,
                   const void *data, size_t len, const nf_bundle_meta *meta,
                   long long mtime) {
  dir_writer *d = state;
  (void)mtime;
  nf_buf path = NF_BUF_INIT;
  nf_buf_init(&path);
  nf_buf_printf(&path, "%s/%s", d->dir, name);
  char *dir = nfb_dir_of(path.ptr);
  char e[512];
  if (nfb_mkdirs(dir, e, sizeof e) < 0) {
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
  if (rc == 0) nfb_entry_push(b, name, meta, len, 0);
  return rc;
}

static int dir_finish(void *state, nfb_io *b) {
  (void)state;
  return b->failed ? -1 : 0;
}

static void dir_free(void *state) {
  dir_writer *d = state;
  if (!d) return;
  free(d->dir);
  free(d);
}

const nfb_writer_ops nfb_dir_writer = {NFB_FORM_PAGE, 0, 0, dir_begin,
                                       dir_add, NULL, NULL, dir_finish,
                                       dir_free};
