/* cli_bundle.c: newsform --list BUNDLE and --extract BUNDLE DIR.
 * Extraction refuses any entry that would land outside DIR: unsafe names
 * (absolute, "..", control characters: nf_bundle_name_check), link
 * entries, and paths through a symbolic link already inside DIR. Like GNU
 * tar it reports each refused or failed entry and goes on with the next
 * (exit 1 at the end), and gives files and directories their entry's
 * modification time. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* The bundle opened for reading, or NULL after saying why. */
static nf_bundle_reader *open_reader(const char *bundle, size_t max_entry_size) {
  char err[1024];
  nf_bundle_reader *r = nf_bundle_open(bundle, NF_BUNDLE_UNKNOWN,
                                       max_entry_size, err, sizeof err);
  if (!r) fprintf(stderr, "newsform: %s\n", err);
  return r;
}

int nf_cli_list(const char *bundle, size_t max_entry_size) {
  char err[1024];
  nf_bundle_reader *r = open_reader(bundle, max_entry_size);
  if (!r) return NF_EXIT_FAILURE;
  nf_bundle_entry e;
  int rc;
  while ((rc = nf_bundle_next(r, &e, err, sizeof err)) == 1)
    printf("%s%s\n", e.name, e.type == NF_ENTRY_DIR ? "/" : "");
  nf_bundle_reader_free(r);
  if (rc < 0) {
    fprintf(stderr, "newsform: %s\n", err);
    return NF_EXIT_FAILURE;
  }
  if (fflush(stdout) != 0) {
    fprintf(stderr, "newsform: standard output: %s\n", strerror(errno));
    return NF_EXIT_FAILURE;
  }
  return 0;
}

/* Creates dir/a/b/ for "a/b/name" (the last part is the file), refusing a
 * part that exists as a symbolic link or as something not a directory. */
static int make_parents(const char *dir, const char *name, int include_last,
                        int check_links, char *err, size_t errlen) {
  nf_buf path;
  nf_buf_init(&path);
  nf_buf_puts(&path, dir);
  const char *p = name;
  int rc = 0;
  for (;;) {
    const char *slash = strchr(p, '/');
    if (!slash && !include_last) break;
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    if (n == 0) {
      if (!slash) break;
      p = slash + 1;
      continue;
    }
    nf_buf_putc(&path, '/');
    nf_buf_put(&path, p, n);
    struct stat st;
    if ((check_links ? lstat(path.ptr, &st) : stat(path.ptr, &st)) == 0) {
      if (check_links && S_ISLNK(st.st_mode)) {
        snprintf(err, errlen, "%s is a symbolic link", path.ptr);
        rc = -1;
        break;
      }
      if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: %s", path.ptr, strerror(ENOTDIR));
        rc = -1;
        break;
      }
    } else if (mkdir(path.ptr, 0777) < 0 && errno != EEXIST) {
      snprintf(err, errlen, "%s: %s", path.ptr, strerror(errno));
      rc = -1;
      break;
    }
    if (!slash) break;
    p = slash + 1;
  }
  nf_buf_free(&path);
  return rc;
}

/* An entry's time as a file's: modified then, accessed now. */
static void entry_times(struct timespec ts[2], long long mtime) {
  ts[0].tv_sec = 0;
  ts[0].tv_nsec = UTIME_NOW;
  ts[1].tv_sec = (time_t)mtime;
  ts[1].tv_nsec = 0;
}

/* Writes data to dir/name through a temporary file and rename (which
 * replaces a link at the last part instead of following it), modified at
 * mtime (0: now). */
static int write_entry(const char *dir, const char *name, const nf_buf *data,
                       long long mtime, char *err, size_t errlen) {
  nf_buf path, tmp;
  nf_buf_init(&path);
  nf_buf_init(&tmp);
  nf_buf_printf(&path, "%s/%s", dir, name);
  nf_buf_printf(&tmp, "%s.newsform-tmp.XXXXXX", path.ptr);
  int rc = -1;
  sigset_t old_mask; /* the file is registered before a signal can come */
  nf_cli_block_signals(&old_mask);
  int fd = mkstemp(tmp.ptr);
  if (fd >= 0) nf_cli_set_temp_path(tmp.ptr);
  pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
  if (fd < 0) {
    snprintf(err, errlen, "%s: %s", path.ptr, strerror(errno));
  } else {
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    const char *p = data->ptr;
    size_t left = data->len;
    while (left > 0) {
      ssize_t w = write(fd, p, left);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) break;
      p += w;
      left -= (size_t)w;
    }
    if (left == 0 && mtime > 0) {
      struct timespec ts[2];
      entry_times(ts, mtime);
      futimens(fd, ts);
    }
    if (left > 0 || close(fd) < 0) {
      snprintf(err, errlen, "%s: %s", path.ptr, strerror(errno));
      if (left > 0) close(fd);
      unlink(tmp.ptr);
    } else if (rename(tmp.ptr, path.ptr) < 0) {
      snprintf(err, errlen, "%s: %s", path.ptr, strerror(errno));
      unlink(tmp.ptr);
    } else {
      rc = 0;
    }
    nf_cli_set_temp_path(NULL);
  }
  nf_buf_free(&path);
  nf_buf_free(&tmp);
  return rc;
}

int nf_cli_extract(const char *bundle, const char *dir,
                   size_t max_entry_size) {
  char err[1024];
  nf_bundle_reader *r = open_reader(bundle, max_entry_size);
  if (!r) return NF_EXIT_FAILURE;
  int status = 0;
  /* DIR itself may be reached through links: it is the user's choice. */
  if (make_parents(dir[0] == '/' ? "" : ".", dir, 1, 0, err, sizeof err) <
      0) {
    fprintf(stderr, "newsform: %s\n", err);
    nf_bundle_reader_free(r);
    return NF_EXIT_FAILURE;
  }
  nf_bundle_entry e;
  nf_buf data;
  nf_buf_init(&data);
  /* Directories get their times last, once their files are in. */
  struct dir_time {
    char *path;
    long long mtime;
  } *dirs = NULL;
  size_t n_dirs = 0;
  int rc, read_failed = 0;
  while ((rc = nf_bundle_next(r, &e, err, sizeof err)) == 1) {
    read_failed = 0;
    const char *why = nf_bundle_name_check(e.name);
    if (!why && (e.type == NF_ENTRY_LINK || e.type == NF_ENTRY_OTHER))
      why = e.type == NF_ENTRY_LINK ? "a link" : "not a regular file";
    if (why) {
      fprintf(stderr, "newsform: %s: refusing entry '%s' (%s)\n", bundle,
              e.name, why);
      status = NF_EXIT_FAILURE;
      continue;
    }
    if (make_parents(dir, e.name, e.type == NF_ENTRY_DIR, 1, err,
                     sizeof err) < 0) {
      fprintf(stderr, "newsform: %s: refusing entry '%s' (%s)\n", bundle,
              e.name, err);
      status = NF_EXIT_FAILURE;
      continue;
    }
    if (e.type == NF_ENTRY_DIR) {
      if (e.mtime > 0) {
        nf_buf p;
        nf_buf_init(&p);
        nf_buf_printf(&p, "%s/%s", dir, e.name);
        dirs = nf_xrealloc(dirs, (n_dirs + 1) * sizeof *dirs);
        dirs[n_dirs].path = nf_buf_detach(&p);
        dirs[n_dirs++].mtime = e.mtime;
      }
      continue;
    }
    nf_buf_clear(&data);
    if (nf_bundle_read(r, &data, err, sizeof err) < 0) {
      fprintf(stderr, "newsform: %s\n", err);
      status = NF_EXIT_FAILURE;
      read_failed = 1;
      continue;
    }
    if (write_entry(dir, e.name, &data, e.mtime, err, sizeof err) < 0) {
      fprintf(stderr, "newsform: %s\n", err);
      status = NF_EXIT_FAILURE;
    }
  }
  /* A read error that stopped the reader was reported already. */
  if (rc < 0 && !read_failed) fprintf(stderr, "newsform: %s\n", err);
  if (rc < 0) status = NF_EXIT_FAILURE;
  for (size_t i = n_dirs; i-- > 0;) {
    struct timespec ts[2];
    entry_times(ts, dirs[i].mtime);
    utimensat(AT_FDCWD, dirs[i].path, ts, AT_SYMLINK_NOFOLLOW);
    free(dirs[i].path);
  }
  free(dirs);
  nf_buf_free(&data);
  nf_bundle_reader_free(r);
  return status;
}
