/* input.c: reading inputs: a file or standard input into memory
 * (gunzipped when it starts with the gzip magic bytes, whatever its name),
 * telling binary files from text, and expanding directories into a
 * stable, sorted list of files. */
#include "newsform.h"
#include "utf8.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "gzip_whole.h"

#define READ_CHUNK 65536
#define INFLATE_CHUNK 65536

/* "512 MiB" when size is a whole number of MiB, else "N bytes". */
static void format_size(size_t size, char *out, size_t outlen) {
  if (size >= 1048576 && size % 1048576 == 0)
    snprintf(out, outlen, "%zu MiB", size / 1048576);
  else
    snprintf(out, outlen, "%zu bytes", size);
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || !errlen) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

int nf_is_gzip(const void *data, size_t len) {
  const unsigned char *p = data;
  return len >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8;
}

/* ===== Gunzip ============================================================ */

int nf_gunzip(const void *data, size_t len, size_t max_bytes, nf_buf *out,
              char *err, size_t errlen) {
  if (!out->ptr) nf_buf_init(out);
  if (!nf_is_gzip(data, len)) {
    set_err(err, errlen, "not gzip data");
    return -1;
  }
  /* One member (a page.html.gz): at once, at libdeflate's speed. Several
   * members, damage or a size over the limit: zlib below says which. */
  size_t isize = nf_gzip_isize(data, len);
  if ((!max_bytes || isize <= max_bytes) &&
      nf_gzip_whole(data, len, isize, out) == 0)
    return 0;
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
    set_err(err, errlen, "cannot start gzip decompression");
    return -1;
  }
  const unsigned char *in = data;
  size_t in_left = len;
  int result = 0;
  for (;;) {
    /* zlib counts in uInt: feed at most 1 GiB at a time. The input is
     * contiguous, so zs.next_in + zs.avail_in == in always. */
    if (zs.avail_in == 0 && in_left > 0) {
      uInt n = in_left > (1u << 30) ? (1u << 30) : (uInt)in_left;
      zs.next_in = (Bytef *)in;
      zs.avail_in = n;
      in += n;
      in_left -= n;
    }
    /* Room for one chunk, but never more than one byte past the limit,
     * so that going over it is noticed without inflating further. */
    size_t room = INFLATE_CHUNK;
    if (max_bytes && room > max_bytes - out->len + 1)
      room = max_bytes - out->len + 1;
    nf_buf_reserve(out, room);
    zs.next_out = (Bytef *)out->ptr + out->len;
    zs.avail_out = (uInt)room;
    int rc = inflate(&zs, Z_NO_FLUSH);
    out->len += room - zs.avail_out;
    out->ptr[out->len] = '\0';
    if (max_bytes && out->len > max_bytes) {
      char size[64];
      format_size(max_bytes, size, sizeof size);
      set_err(err, errlen, "decompressed data exceeds the size limit (%s)",
              size);
      out->len = max_bytes;
      out->ptr[out->len] = '\0';
      result = -1;
      break;
    }
    if (rc == Z_STREAM_END) {
      /* Another gzip member may follow (concatenated .gz files). Anything
       * else after the end (padding, junk) is ignored, as gzip does. */
      if (nf_is_gzip(zs.next_in, zs.avail_in + in_left)) {
        inflateReset(&zs);
        continue;
      }
      break;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && in_left == 0) {
      set_err(err, errlen, "truncated gzip data");
      result = -1;
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      set_err(err, errlen, "corrupt gzip data (%s)",
              zs.msg ? zs.msg : "inflate failed");
      result = -1;
      break;
    }
  }
  inflateEnd(&zs);
  return result;
}

/* ===== Reading a file or standard input ================================= */

/* Reads fd to its end into out, at most max_bytes (0 = no limit). */
static int read_fd(int fd, size_t size_hint, size_t max_bytes, nf_buf *out,
                   int *too_big) {
  *too_big = 0;
  /* reserve once for regular files so large pages are not copied */
  if (size_hint && (!max_bytes || size_hint <= max_bytes))
    nf_buf_reserve(out, size_hint);
  char chunk[READ_CHUNK];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) return 0;
    if (max_bytes && (size_t)n > max_bytes - out->len) {
      *too_big = 1;
      return -1;
    }
    nf_buf_put(out, chunk, (size_t)n);
  }
}

int nf_read_input(const char *path, size_t max_bytes, nf_buf *out,
                  char *err, size_t errlen) {
  int is_stdin = strcmp(path, "-") == 0;
  const char *name = is_stdin ? "<stdin>" : path;
  int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    set_err(err, errlen, "%s: %s", name, strerror(errno));
    return -1;
  }
  size_t hint = 0;
  struct stat st;
  if (fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      if (!is_stdin) close(fd);
      set_err(err, errlen, "%s: %s", name, strerror(EISDIR));
      return -1;
    }
    if (S_ISREG(st.st_mode) && st.st_size > 0) hint = (size_t)st.st_size;
  }
  nf_buf raw;
  nf_buf_init(&raw);
  int too_big = 0;
  int rc = read_fd(fd, hint, max_bytes, &raw, &too_big);
  int saved_errno = errno;
  if (!is_stdin) close(fd);
  char size[64];
  format_size(max_bytes, size, sizeof size);
  if (rc < 0) {
    if (too_big)
      set_err(err, errlen, "%s: input exceeds the size limit (%s)", name,
              size);
    else
      set_err(err, errlen, "%s: %s", name, strerror(saved_errno));
    nf_buf_free(&raw);
    return -1;
  }
  if (!out->ptr) nf_buf_init(out);
  if (nf_is_gzip(raw.ptr, raw.len)) {
    char zerr[200];
    nf_buf_clear(out);
    rc = nf_gunzip(raw.ptr, raw.len, max_bytes, out, zerr, sizeof zerr);
    nf_buf_free(&raw);
    if (rc < 0) {
      set_err(err, errlen, "%s: %s", name, zerr);
      return -1;
    }
    return 0;
  }
  nf_buf_free(out);
  *out = raw;
  return 0;
}

int nf_read_input_head(const char *path, size_t max, nf_buf *out, char *err,
                       size_t errlen) {
  if (!out->ptr) nf_buf_init(out);
  if (max > INT32_MAX) max = INT32_MAX;
  /* gzread reads plain files as they are */
  errno = 0;
  gzFile gz = gzopen(path, "rb");
  if (!gz) {
    set_err(err, errlen, "%s: %s", path, strerror(errno ? errno : ENOMEM));
    return -1;
  }
  nf_buf_reserve(out, max);
  int got = gzread(gz, out->ptr + out->len, (unsigned)max);
  int rc = 0;
  if (got < 0) {
    int zerr;
    const char *msg = gzerror(gz, &zerr);
    set_err(err, errlen, "%s: %s", path,
            zerr == Z_ERRNO ? strerror(errno) : msg);
    rc = -1;
  } else {
    out->len += (size_t)got;
    out->ptr[out->len] = '\0';
  }
  gzclose(gz);
  return rc;
}

/* ===== Binary data ======================================================= */

#define BINARY_NUL_WINDOW 8192

typedef struct signature {
  size_t at;          /* offset of the magic bytes */
  const char *magic;
  size_t len;
  const char *what;
} signature;

#define SIG(at, magic, what) {at, magic, sizeof magic - 1, what}
static const signature signatures[] = {
    SIG(0, "\x7F" "ELF", "ELF executable"),
    SIG(0, "\x89PNG\r\n\x1A\n", "PNG image"),
    SIG(0, "\xFF\xD8\xFF", "JPEG image"),
    SIG(0, "GIF87a", "GIF image"),
    SIG(0, "GIF89a", "GIF image"),
    SIG(0, "%PDF-", "PDF document"),
    SIG(0, "PK\x03\x04", "ZIP archive"),
    SIG(0, "PK\x05\x06", "ZIP archive"),
    SIG(0, "\x1F\x8B", "gzip data"),
    SIG(0, "7z\xBC\xAF\x27\x1C", "7z archive"),
    SIG(0, "Rar!\x1A\x07", "RAR archive"),
    SIG(0, "\xFD" "7zXZ", "xz data"),
    SIG(0, "\x28\xB5\x2F\xFD", "zstd data"),
    SIG(4, "1AY&SY", "bzip2 data"), /* after "BZh1".."BZh9" */
    SIG(257, "ustar", "tar archive"),
    SIG(0, "SQLite format 3", "SQLite database"),
    SIG(0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "Microsoft Office document"),
    SIG(0, "\xFE\xED\xFA\xCE", "Mach-O executable"),
    SIG(0, "\xFE\xED\xFA\xCF", "Mach-O executable"),
    SIG(0, "\xCE\xFA\xED\xFE", "Mach-O executable"),
    SIG(0, "\xCF\xFA\xED\xFE", "Mach-O executable"),
    SIG(0, "\xCA\xFE\xBA\xBE", "Java class or Mach-O file"),
    SIG(0, "II*\x00", "TIFF image"),
    SIG(0, "MM\x00*", "TIFF image"),
    SIG(8, "WEBP", "WebP image"),  /* after "RIFF" and a size */
    SIG(8, "WAVE", "WAV audio"),
    SIG(8, "AVI ", "AVI video"),
    SIG(4, "ftyp", "MP4 or QuickTime media"),
    SIG(0, "\x1A\x45\xDF\xA3", "Matroska or WebM video"),
    SIG(0, "OggS", "Ogg media"),
    SIG(0, "fLaC", "FLAC audio"),
    SIG(0, "wOFF", "web font"),
    SIG(0, "wOF2", "web font"),
    SIG(0, "\x00" "asm", "WebAssembly module"),
};
#undef SIG

static int has_magic(const unsigned char *p, size_t len, const signature *s) {
  if (len < s->at + s->len || memcmp(p + s->at, s->magic, s->len) != 0)
    return 0;
  if (s->at == 4 && s->magic[0] == '1') /* bzip2 */
    return memcmp(p, "BZh", 3) == 0 && p[3] >= '1' && p[3] <= '9';
  if (s->at == 8) return memcmp(p, "RIFF", 4) == 0;
  return 1;
}

const char *nf_binary_kind(const void *data, size_t len,
                           const char *encoding) {
  const unsigned char *p = data;
  for (size_t i = 0; i < sizeof signatures / sizeof *signatures; i++)
    if (has_magic(p, len, &signatures[i])) return signatures[i].what;
  size_t bom = 0;
  const char *cs = nf_bom_charset(data, len, &bom);
  if ((cs && bom != 3) || nf_charset_is_wide(encoding)) return NULL;
  size_t window = len < BINARY_NUL_WINDOW ? len : BINARY_NUL_WINDOW;
  if (memchr(p, 0, window)) {
    /* a DOS/Windows executable has NUL bytes in its header */
    if (len >= 64 && p[0] == 'M' && p[1] == 'Z') return "Windows executable";
    return "NUL bytes";
  }
  return NULL;
}

/* ===== Path lists ======================================================== */

static void pathlist_push(nf_pathlist *list, char *owned) {
  if (list->len == list->cap) {
    size_t cap = list->cap ? list->cap * 2 : 16;
    list->items = nf_xrealloc(list->items, cap * sizeof *list->items);
    list->cap = cap;
  }
  list->items[list->len++] = owned;
}

void nf_pathlist_free(nf_pathlist *list) {
  for (size_t i = 0; i < list->len; i++) free(list->items[i]);
  free(list->items);
  list->items = NULL;
  list->len = list->cap = 0;
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join_path(const char *dir, const char *name) {
  size_t dl = strlen(dir), nl = strlen(name);
  int slash = dl > 0 && dir[dl - 1] != '/';
  char *p = nf_xmalloc(dl + slash + nl + 1);
  memcpy(p, dir, dl);
  if (slash) p[dl] = '/';
  memcpy(p + dl + slash, name, nl + 1);
  return p;
}

/* The visible entries of one directory, sorted byte-wise. */
static int list_dir(const char *dir, nf_pathlist *names, char *err,
                    size_t errlen) {
  DIR *d = opendir(dir);
  if (!d) {
    set_err(err, errlen, "%s: %s", dir, strerror(errno));
    return -1;
  }
  struct dirent *e;
  errno = 0;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue; /* hidden, "." and ".." */
    pathlist_push(names, nf_xstrdup(e->d_name));
  }
  int saved = errno;
  closedir(d);
  if (saved) {
    set_err(err, errlen, "%s: %s", dir, strerror(saved));
    return -1;
  }
  if (names->len > 1)
    qsort(names->items, names->len, sizeof *names->items, compare_names);
  return 0;
}

/* One directory being walked: its sorted entries and the next one to visit. */
typedef struct walk_frame {
  char *dir;
  nf_pathlist names;
  size_t next;
} walk_frame;

#define WALK_MAX_DEPTH 256

/* Depth-first, entries in sorted order, without recursion. Symbolic links
 * to files are followed; links to directories are not (no cycles). */
static int walk_dir(nf_pathlist *list, const char *root, char *err,
                    size_t errlen) {
  walk_frame *stack = nf_xcalloc(WALK_MAX_DEPTH, sizeof *stack);
  size_t depth = 0;
  int rc = 0;
  stack[0].dir = nf_xstrdup(root);
  if (list_dir(root, &stack[0].names, err, errlen) < 0) rc = -1;
  else depth = 1;
  while (depth > 0) {
    walk_frame *f = &stack[depth - 1];
    if (f->next == f->names.len) {
      free(f->dir);
      nf_pathlist_free(&f->names);
      memset(f, 0, sizeof *f);
      depth--;
      continue;
    }
    char *path = join_path(f->dir, f->names.items[f->next++]);
    struct stat st;
    if (lstat(path, &st) < 0) {
      set_err(err, errlen, "%s: %s", path, strerror(errno));
      free(path);
      rc = -1;
      break;
    }
    if (S_ISLNK(st.st_mode)) {
      if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
        free(path); /* dangling link or link to a directory: skipped */
        continue;
      }
    }
    if (S_ISREG(st.st_mode)) {
      pathlist_push(list, path);
    } else if (S_ISDIR(st.st_mode)) {
      if (depth == WALK_MAX_DEPTH) {
        set_err(err, errlen, "%s: directories nested too deeply", path);
        free(path);
        rc = -1;
        break;
      }
      walk_frame *child = &stack[depth];
      child->dir = path;
      if (list_dir(path, &child->names, err, errlen) < 0) {
        free(child->dir);
        nf_pathlist_free(&child->names);
        memset(child, 0, sizeof *child);
        rc = -1;
        break;
      }
      depth++;
    } else {
      free(path); /* sockets, fifos, devices inside a tree: skipped */
    }
  }
  for (size_t i = 0; i < depth; i++) {
    free(stack[i].dir);
    nf_pathlist_free(&stack[i].names);
  }
  free(stack);
  return rc;
}

int nf_pathlist_add(nf_pathlist *list, const char *path, char *err,
                    size_t errlen) {
  if (strcmp(path, "-") == 0) {
    pathlist_push(list, nf_xstrdup(path));
    return 0;
  }
  struct stat st;
  if (stat(path, &st) < 0) {
    set_err(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  if (S_ISDIR(st.st_mode)) return walk_dir(list, path, err, errlen);
  /* A file named on the command line is taken whatever it is (a fifo or
   * /dev/stdin included). */
  pathlist_push(list, nf_xstrdup(path));
  return 0;
}
