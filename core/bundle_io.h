/* bundle_io.h: the byte level under every bundle format (bundle_io.c):
 * the temporary output file with its sticky error, the gzip stream, CRC,
 * little-endian fields, raw deflate, entry-name sets and checks, the list
 * of entries written and manifest.json, the reader's common state, and the
 * XML escaping the XHTML pages share. Nothing here knows a format. */
#ifndef NF_BUNDLE_IO_H
#define NF_BUNDLE_IO_H

#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "newsform.h"
#include "escape.h"
#include "strset.h"

/* One entry written so far (for the manifest). */
typedef struct nfb_entry {
  char *name, *source, *title, *published;
  uint64_t size;
  uint32_t crc;
} nfb_entry;


/* What every writer shares: the output, its error, the entries. */
typedef struct nfb_io {
  const char *format_name;     /* static, for the manifest */
  char *path, *tmp_path;
  FILE *fp;
  uint64_t offset;      /* bytes written to fp */
  int failed;           /* a write failed: err holds why */
  char err[512];
  /* gzip stream (tar.gz, jsonl.gz) */
  z_stream gz;
  gz_header gzhead;
  int gz_active;
  uint64_t stream_pos;  /* bytes fed to the gzip stream */
  /* what was added */
  nfb_entry *entries;
  size_t n_entries, cap_entries;
  nf_strset names, folded;        /* exact names; lower-cased for safe_name */
  nf_buf failures;             /* JSON objects, comma separated */
  size_t n_failures;
  /* options */
  long long mtime;
  int level, manifest, zip64;
} nfb_io;

/* Sets the sticky error (first one wins) and returns -1. */
int nfb_fail(nfb_io *io, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Copies the sticky error to err/errlen. */
void nfb_copy_err(const nfb_io *io, char *err, size_t errlen);
/* ".OUT.newsform-tmp.XXXXXX" beside io->path, opened into io->fp. */
int nfb_open_temp(nfb_io *io, char *err, size_t errlen);
/* fflush, fsync, close and rename the temporary file to the path (and
 * fsync the directory); on any failure the temporary file is removed.
 * 0 or -1 (sticky error). */
int nfb_commit(nfb_io *io);
/* Frees what io holds (not io itself); closes nothing but the gzip state. */
void nfb_io_clear(nfb_io *io);
/* Raw bytes to the temporary file. 0 or -1 (sticky error). */
int nfb_write(nfb_io *io, const void *p, size_t n);
/* gzip member around everything written with nfb_gz_write. */
int nfb_gz_begin(nfb_io *io);
int nfb_gz_write(nfb_io *io, const void *p, size_t n);
int nfb_gz_end(nfb_io *io);
/* Records an entry (copies strings) and its name. */
void nfb_entry_push(nfb_io *io, const char *name, const nf_bundle_meta *meta,
                    uint64_t size, uint32_t crc);
/* Records a failed input for the manifest. */
void nfb_failure_push(nfb_io *io, const char *source, const char *message);
/* The manifest.json text. */
void nfb_manifest(const nfb_io *io, nf_buf *out);
/* The directory part of path ("." when none); caller frees. */
char *nfb_dir_of(const char *path);
/* mkdir -p. 0 or -1 with err set. */
int nfb_mkdirs(const char *dir, char *err, size_t errlen);
/* nf_bundle_safe_name against io's names (io may be NULL). */
char *nfb_safe_name(const nfb_io *io, const char *hint, const char *ext);
/* s lower-cased (ASCII); caller frees. */
char *nfb_fold(const char *s);

uint32_t nfb_crc32(uint32_t crc, const void *p, size_t n);
/* Little-endian stores and loads. */
void nfb_le16(unsigned char *p, unsigned v);
void nfb_le32(unsigned char *p, uint32_t v);
void nfb_le64(unsigned char *p, uint64_t v);
uint32_t nfb_rd16(const unsigned char *p);
uint32_t nfb_rd32(const unsigned char *p);
uint64_t nfb_rd64(const unsigned char *p);
/* Raw deflate of in[0..n): a malloc'd buffer (*out_len bytes) or NULL. */
unsigned char *nfb_deflate_buf(const void *in, size_t n, int level,
                               size_t *out_len);

/* ===== Reading: the bytes of a bundle ================================== */

/* Where a reader's bytes come from, opened by the front end: a file (a
 * path; seekable), memory (seekable), or a pipe such as standard input
 * (read once, front to back). Bytes peeked for sniffing are read again. */
typedef struct nfb_src {
  int fd, own_fd;               /* -1: memory */
  const unsigned char *mem;
  size_t mem_len;
  uint64_t pos;                 /* offset of the next byte read */
  uint64_t size;                /* UINT64_MAX: unknown (a pipe) */
  int seekable;
  unsigned char *ahead;         /* a pipe's peeked bytes, from pos */
  size_t ahead_len, ahead_at;
} nfb_src;

void nfb_src_file(nfb_src *s, int fd, int own, uint64_t size, int seekable);
void nfb_src_mem(nfb_src *s, const void *data, size_t len);
void nfb_src_close(nfb_src *s);
/* Up to n bytes: the count, 0 at the end, -1 on a read error (errno). */
long nfb_src_read(nfb_src *s, void *dst, size_t n);
/* The next (at most) n bytes without consuming them: *got set. NULL on a
 * read error. n <= 65536. */
const unsigned char *nfb_src_peek(nfb_src *s, size_t n, size_t *got);
/* Exactly n bytes at off (seekable sources): 0 or -1. */
int nfb_src_pread(nfb_src *s, uint64_t off, void *dst, size_t n);
/* Moves to off (seekable sources): 0 or -1. */
int nfb_src_seek(nfb_src *s, uint64_t off);

/* Decompressed bytes of a source: gzip (any number of members, each one's
 * compressed start offset known) or, when it does not start with gzip's
 * magic, the bytes as they are. zlib's inflate, no gzFile: memory and
 * pipes have no path. Bytes after the last member that are not gzip are
 * ignored, as gzip(1) does. */
#define NFB_ZIN_BUF 65536
typedef struct nfb_zin {
  nfb_src *src;
  int gzip;                     /* else plain */
  z_stream z;
  int z_init, in_member;        /* inflating a member */
  int small_fill;               /* a member's first fill: a few KiB */
  size_t out_at, out_len;       /* out[out_at..out_len): not yet taken */
  uint64_t member;              /* start offset of the member in out */
  uint64_t member_out;          /* its decompressed bytes before out[0] */
  uint64_t taken;               /* decompressed bytes taken in all */
  int eof, failed, truncated;
  char msg[160];                /* why it failed ("truncated gzip data...") */
  /* last: nfb_zin_init clears what comes before them only */
  unsigned char in[NFB_ZIN_BUF], out[NFB_ZIN_BUF];
} nfb_zin;

/* Starts at the source's position (gzip when its next bytes say so). */
void nfb_zin_init(nfb_zin *z, nfb_src *src);
void nfb_zin_end(nfb_zin *z);
/* Up to n decompressed bytes: the count, 0 at the end, -1 (z->msg). */
long nfb_zin_read(nfb_zin *z, void *dst, size_t n);
/* The decompressed bytes buffered (refilled when none): *n of them; NULL
 * at the end or on an error (z->failed). nfb_zin_take consumes them. */
const unsigned char *nfb_zin_buffered(nfb_zin *z, size_t *n);
void nfb_zin_take(nfb_zin *z, size_t n);
/* Exactly n bytes (dst NULL: skipped): 0, or -1 with z->msg (a short
 * read: "truncated ..."). */
int nfb_zin_exact(nfb_zin *z, void *dst, uint64_t n);
/* Where the next byte comes from: *member, the compressed offset of its
 * gzip member (plain: the byte's own offset) and *within, its place in
 * the member's data (0 at a member's start). Fills the buffer: -1 on an
 * error, 0 at the end, 1. */
int nfb_zin_tell(nfb_zin *z, uint64_t *member, uint64_t *within);
/* Inside a gzip member of a seekable source whose decompressed size is
 * known to be one of size (or size + 2, + 4): goes to the next member
 * without inflating the rest of this one, found by its magic with this
 * member's ISIZE trailer just before it. 1, or 0 (nothing moved) when no
 * such place is found. */
int nfb_zin_jump(nfb_zin *z, uint64_t size);
/* The gzip member that starts at offset at of a seekable source,
 * decompressed whole into out (gzip_whole.h) when it holds at most max
 * bytes: 0, or -1 (out unchanged) when that cannot be done; the caller then
 * reads it with nfb_zin, which says what is wrong. Its end is found
 * without inflating: the next gzip magic whose four bytes before it, read
 * as ISIZE, give the size the member then has, or the end of the file. */
int nfb_gz_member_at(nfb_src *s, uint64_t at, size_t max, nf_buf *out);
/* After a damaged member: drops the rest and goes on at the next gzip
 * member in the source (searched for, byte by byte). 1 found, 0 none. */
int nfb_zin_resync(nfb_zin *z);

/* What every reader shares: the source, the limit, the current entry. */
typedef struct nfb_rio {
  char *path;
  nfb_src src;
  size_t max_entry;
  uint64_t file_size;
  uint64_t start;         /* FILE@OFFSET: the offset read from, else 0 */
  uint64_t start_within;  /* FILE@M+W: then W decompressed bytes skipped */
  int one_record;         /* FILE@OFFSET: only the record there */
  int failed;
  size_t index;           /* entries returned so far */
  nf_buf name;            /* current entry name */
  nf_bundle_entry cur;    /* its details (cur.index set by the front end) */
  int cur_read;           /* its bytes were read */
} nfb_rio;

/* Marks the reader failed, sets err to "PATH: message"; returns -1. */
int nfb_rfail(nfb_rio *r, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The "entry of N bytes exceeds the limit" message (not a sticky error:
 * the caller may skip the entry). Returns -1. */
int nfb_too_big(const nfb_rio *r, const char *name, uint64_t size, char *err,
                size_t errlen);

/* Appends s (NULL: nothing) escaped for XML text / an attribute value,
 * as escape.c does it: invalid UTF-8 and characters XML forbids never
 * reach the file. */
static inline void nfb_put_xml(nf_buf *out, const char *s) {
  if (s) nf_xml_escape(out, s, strlen(s), 0);
}
static inline void nfb_put_xml_attr(nf_buf *out, const char *s) {
  if (s) nf_xml_escape(out, s, strlen(s), 1);
}

#endif
