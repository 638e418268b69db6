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

/* What every reader shares: the file, the limit, the current entry. */
typedef struct nfb_rio {
  char *path;
  size_t max_entry;
  uint64_t file_size;
  int failed;
  size_t index;           /* entries returned so far */
  nf_buf name;            /* current entry name */
  nf_bundle_entry cur;    /* its details (cur.index set by the front end) */
  int cur_read;           /* its bytes were read */
} nfb_rio;

/* Marks the reader failed, sets err to "PATH: message"; returns -1. */
int nfb_rfail(nfb_rio *r, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* zlib's message for a gzip stream of the reader, without the path. */
const char *nfb_gzerror(const nfb_rio *r, gzFile gz);
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
