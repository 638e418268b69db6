/* bundle.h: internals shared by the bundle writers and readers
 * (bundle.c front end, bundle_tar.c, bundle_zip.c, bundle_epub.c,
 * bundle_jsonl.c). Only these files call zlib for bundles. */
#ifndef NF_BUNDLE_H
#define NF_BUNDLE_H

#include <stdio.h>
#include <zlib.h>

#include "newsform.h"

/* One entry written so far: the manifest and the zip central directory. */
typedef struct nfb_entry {
  char *name, *source, *title, *published;
  uint64_t size, csize, offset;  /* csize/offset: zip local header */
  uint32_t crc;
  long long mtime;
  int method;                    /* zip: 0 stored, 8 deflated */
} nfb_entry;

/* A set of strings (open addressing), for names already used. */
typedef struct nfb_nameset {
  char **slots;
  size_t cap, len;
} nfb_nameset;
int nfb_nameset_has(const nfb_nameset *s, const char *key);
void nfb_nameset_add(nfb_nameset *s, const char *key);
void nfb_nameset_free(nfb_nameset *s);

typedef struct nfb_epub nfb_epub;   /* bundle_epub.c */

struct nf_bundle {
  nf_bundle_format format;
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
  nfb_nameset names, folded;   /* exact names; lower-cased for safe_name */
  nf_buf failures;             /* JSON objects, comma separated */
  size_t n_failures;
  /* options */
  long long mtime;
  int level, manifest, zip64;
  nfb_epub *epub;
  char *dir_path;              /* NF_BUNDLE_DIR: the directory */
};

/* Sets b's sticky error (first one wins) and returns -1. */
int nfb_fail(nf_bundle *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Raw bytes to the temporary file. 0 or -1 (sticky error). */
int nfb_write(nf_bundle *b, const void *p, size_t n);
/* gzip member around everything written with nfb_gz_write. */
int nfb_gz_begin(nf_bundle *b);
int nfb_gz_write(nf_bundle *b, const void *p, size_t n);
int nfb_gz_end(nf_bundle *b);
/* Records an entry (copies strings) and its name; returns it. */
nfb_entry *nfb_entry_push(nf_bundle *b, const char *name,
                          const nf_bundle_meta *meta, uint64_t size,
                          uint32_t crc);
uint32_t nfb_crc32(uint32_t crc, const void *p, size_t n);
/* The manifest.json text. */
void nfb_manifest(nf_bundle *b, nf_buf *out);
/* Copies the sticky error to err/errlen. */
void nfb_copy_err(const nf_bundle *b, char *err, size_t errlen);
/* Little-endian stores. */
void nfb_le16(unsigned char *p, unsigned v);
void nfb_le32(unsigned char *p, uint32_t v);
void nfb_le64(unsigned char *p, uint64_t v);
uint32_t nfb_rd16(const unsigned char *p);
uint32_t nfb_rd32(const unsigned char *p);
uint64_t nfb_rd64(const unsigned char *p);
/* Raw deflate of in[0..n): a malloc'd buffer (*out_len bytes) or NULL. */
unsigned char *nfb_deflate_buf(const void *in, size_t n, int level,
                               size_t *out_len);

/* Format writers: add one entry / finish (before the rename). */
int nfb_tar_add(nf_bundle *b, const char *name, const void *data,
                size_t len, long long mtime);
int nfb_tar_finish(nf_bundle *b);
int nfb_zip_add(nf_bundle *b, const char *name, const void *data,
                size_t len, const nf_bundle_meta *meta, long long mtime);
int nfb_zip_finish(nf_bundle *b);
int nfb_jsonl_add(nf_bundle *b, const char *name, const void *data,
                  size_t len, const nf_bundle_meta *meta);
int nfb_jsonl_add_article(nf_bundle *b, const char *name,
                          const nf_bundle_article *a, const char *text);
int nfb_epub_begin(nf_bundle *b, const nf_bundle_opts *o);
int nfb_epub_add_article(nf_bundle *b, const nf_bundle_article *a);
int nfb_epub_add_resource(nf_bundle *b, const char *name, const void *data,
                          size_t len, const char *media_type);
int nfb_epub_finish(nf_bundle *b);
void nfb_epub_free(nfb_epub *e);
/* A complete XHTML page of an article (tar/zip/dir entries). */
void nfb_article_page(const nf_bundle_article *a, nf_buf *out);
/* Appends s escaped for XML text and attributes. */
void nfb_xml_escape(nf_buf *out, const char *s);

/* ===== Readers ===== */

struct nf_bundle_reader {
  nf_bundle_format format;
  char *path;
  size_t max_entry;
  int failed, at_end;
  size_t index;           /* entries returned so far */
  nf_buf name;            /* current entry name */
  nf_bundle_entry cur;
  int have_cur, cur_read;
  /* tar/jsonl: gzip stream */
  gzFile gz;
  uint64_t pending;       /* tar: data bytes of the current entry unread */
  uint64_t padding;       /* tar: then this many pad bytes */
  nf_buf line;            /* jsonl: the current line */
  size_t line_no;
  /* zip: central directory */
  FILE *fp;
  uint64_t file_size;
  struct nfb_zentry *zentries;
  size_t n_zentries;
};

typedef struct nfb_zentry {
  char *name;
  uint64_t size, csize, offset;
  uint32_t crc;
  int method;
  long long mtime;
  nf_entry_type type;
} nfb_zentry;

int nfb_rfail(nf_bundle_reader *r, char *err, size_t errlen,
              const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* zlib's message for the reader's gzip stream, without the path. */
const char *nfb_gzerror(nf_bundle_reader *r);
int nfb_tar_open(nf_bundle_reader *r, char *err, size_t errlen);
int nfb_tar_next(nf_bundle_reader *r, char *err, size_t errlen);
int nfb_tar_read(nf_bundle_reader *r, nf_buf *out, char *err, size_t errlen);
int nfb_zip_open(nf_bundle_reader *r, char *err, size_t errlen);
int nfb_zip_next(nf_bundle_reader *r, char *err, size_t errlen);
int nfb_zip_read(nf_bundle_reader *r, nf_buf *out, char *err, size_t errlen);
void nfb_zip_close(nf_bundle_reader *r);
int nfb_jsonl_open(nf_bundle_reader *r, char *err, size_t errlen);
int nfb_jsonl_next(nf_bundle_reader *r, char *err, size_t errlen);
int nfb_jsonl_read(nf_bundle_reader *r, nf_buf *out, char *err,
                   size_t errlen);

#endif
