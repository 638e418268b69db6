/* bundle.h: the bundle layers.
 *
 *   bundle_article.c   articles: entry names, chapter XHTML, text, pages;
 *                      a document plus a script's result as an article
 *   bundle_articles.c  a bundle's articles, for reading (spine, jsonl)
 *   bundle.c           front end: the table of formats, atomic output,
 *                      entry-name rules, dispatch through the tables
 *   bundle_{tar,zip,epub,jsonl,dir,warc}.c   one format each, behind the
 *                      tables below, its state its own
 *   bundle_page.c      XHTML page pieces (head, article header)
 *   bundle_io.c        bytes: output, gzip, CRC, deflate, names, manifest
 *
 * Calls go down only. A format sees bytes and finished XHTML, never a
 * document. Adding a format: one file defining its nfb_writer_ops and
 * nfb_reader_ops, one line in bundle.c's table. */
#ifndef NF_BUNDLE_H
#define NF_BUNDLE_H

#include "bundle_io.h"

/* An article as the formats see it: metadata and finished bodies. */
typedef struct nfb_chapter {
  const char *name;      /* entry name (NFB_FORM_TEXT) */
  const char *title, *author, *published, *section, *summary, *url,
      *source, *lang;
  const char *xhtml;     /* NFB_FORM_XHTML: the body, an XHTML fragment */
  const char *text;      /* NFB_FORM_TEXT: the plain text */
} nfb_chapter;

/* How a format takes articles. */
typedef enum {
  NFB_FORM_PAGE = 0,     /* a standalone XHTML page, through add */
  NFB_FORM_XHTML,        /* add_article with chapter.xhtml */
  NFB_FORM_TEXT          /* add_article with chapter.name and .text */
} nfb_form;

typedef struct nfb_writer_ops {
  nfb_form form;
  int manifest;          /* writes manifest.json unless told not to */
  int temp_file;         /* writes io's temporary file (else: finish does) */
  /* Starts the output (io->fp open when temp_file). 0 or -1 (sticky). */
  int (*begin)(nfb_io *io, const nf_bundle_opts *o, void **state);
  /* One checked, new entry. 0 or -1 (sticky error). */
  int (*add)(void *state, nfb_io *io, const char *name, const void *data,
             size_t len, const nf_bundle_meta *meta, long long mtime);
  /* NULL: resources are entries like any other (add). */
  int (*add_resource)(void *state, nfb_io *io, const char *name,
                      const void *data, size_t len, const char *media_type);
  /* NULL for NFB_FORM_PAGE. */
  int (*add_article)(void *state, nfb_io *io, const nfb_chapter *c);
  /* The manifest (io->manifest) and the trailer. 0 or -1. */
  int (*finish)(void *state, nfb_io *io);
  void (*free)(void *state);
} nfb_writer_ops;

typedef struct nfb_reader_ops {
  /* Is it this format? head: the file's first n (<= 512) bytes; plain:
   * the first m (<= 512) bytes of its gzip data (m = 0: not gzip). */
  int (*sniff)(const unsigned char *head, size_t n,
               const unsigned char *plain, size_t m);
  int (*open)(nfb_rio *r, void **state, char *err, size_t errlen);
  /* Fills r->name and r->cur (not cur.index): 1, 0 at the end, -1. */
  int (*next)(void *state, nfb_rio *r, char *err, size_t errlen);
  /* Appends the current entry's bytes. 0 or -1 with err set. */
  int (*read)(void *state, nfb_rio *r, nf_buf *out, char *err,
              size_t errlen);
  void (*free)(void *state);
  /* NULL: skips nothing. Records passed over, by reason (see
   * nf_bundle_reader_skips). */
  size_t (*skips)(void *state, const char *const **reasons,
                  const unsigned long long **counts);
} nfb_reader_ops;

extern const nfb_writer_ops nfb_tar_writer, nfb_plain_tar_writer,
    nfb_zip_writer, nfb_epub_writer, nfb_jsonl_writer, nfb_dir_writer,
    nfb_warc_writer, nfb_warc_gz_writer;
extern const nfb_reader_ops nfb_tar_reader, nfb_plain_tar_reader,
    nfb_zip_reader, nfb_jsonl_reader, nfb_warc_gz_reader, nfb_warc_reader;

/* The zip writer's entry, for the EPUB container built on it. */
int nfb_zip_add(void *state, nfb_io *io, const char *name, const void *data,
                size_t len, const nf_bundle_meta *meta, long long mtime);

/* Its central directory and end records (after the last entry). */
int nfb_zip_central(void *state, nfb_io *io);

/* ===== Front end, for the article layer ================================ */

/* How b takes articles. */
nfb_form nfb_form_of(const nf_bundle *b);
/* Hands a finished article to b's format (NFB_FORM_XHTML/TEXT). 0 or -1
 * with err set. */
int nfb_add_chapter(nf_bundle *b, const nfb_chapter *c, char *err,
                    size_t errlen);

/* ===== XHTML page pieces (bundle_page.c) =============================== */

/* "<?xml...><html ...><head>...</head>\n"; lang and css may be NULL. */
void nfb_page_head(nf_buf *out, const char *title, const char *lang,
                   const char *css);
/* The article's section: header (title, byline, date), body, source link
 * (inside <body>). */
void nfb_article_section(nf_buf *out, const nfb_chapter *c,
                         const char *body);
/* A BCP 47-looking language tag (malloc'd), or NULL. */
char *nfb_clean_lang(const char *lang);
/* ISO 8601 UTC of Unix seconds. */
void nfb_format_time(long long t, char out[32]);
/* Text as paragraphs split by blank lines: "<p>...</p>\n" each. */
void nfb_paragraphs(nf_buf *out, const char *text);
/* The text of an XHTML fragment: tags dropped (a paragraph break at block
 * tags), character references decoded. For a body that is not
 * well-formed. */
void nfb_xhtml_text(const char *xhtml, nf_buf *out);
/* http(s):// or //. */
int nfb_is_remote(const char *url);

#endif
