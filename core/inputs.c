/* inputs.c: reading inputs as the newsform command does, for every user
 * of the library (the command, the Lua module's newsform.read and
 * newsform.inputs, C programs). A file is read whole (gunzipped when it
 * is gzip), refused when it is binary data, and parsed with the encoding
 * policy and type detection of nf_doc_parse. A path names a file, a
 * directory (its files, sorted, hidden ones skipped, binary ones left
 * out) or a bundle (.tar.gz, .tar, .zip, .epub, .jsonl.gz by name, or a
 * regular file whose first bytes are zip's or gzip+tar's): its article
 * entries, each named "BUNDLE:ENTRY". */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "newsform.h"

#define BINARY_HEAD 8192

int nf_input_is_url(const char *s) {
  if (!isalpha((unsigned char)s[0])) return 0;
  size_t i = 1;
  while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' ||
         s[i] == '.')
    i++;
  return strncmp(s + i, "://", 3) == 0;
}

const char *nf_input_binary_file(const char *path, const char *encoding) {
  nf_buf head;
  nf_buf_init(&head);
  char err[512];
  const char *kind = NULL;
  if (nf_read_input_head(path, BINARY_HEAD, &head, err, sizeof err) == 0)
    kind = nf_binary_kind(head.ptr, head.len, encoding);
  nf_buf_free(&head);
  return kind;
}

nf_doc *nf_input_parse(const char *data, size_t len, const nf_parse_opts *opts,
                       char *err, size_t errlen) {
  const char *binary = nf_binary_kind(data, len, opts ? opts->encoding : NULL);
  if (binary) {
    snprintf(err, errlen, "binary data (%s), not an article", binary);
    return NULL;
  }
  nf_parse_opts po = {0};
  return nf_doc_parse(data, len, opts ? opts : &po, err, errlen);
}

nf_doc *nf_input_read(const char *path, const nf_parse_opts *opts,
                      size_t max_input, char *err, size_t errlen) {
  nf_parse_opts po = {0};
  if (opts) po = *opts;
  const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
  if (!po.source) po.source = name;
  nf_buf bytes;
  nf_buf_init(&bytes);
  if (nf_read_input(path, max_input, &bytes, err, errlen) < 0) {
    nf_buf_free(&bytes);
    return NULL;
  }
  char e[1024];
  nf_doc *doc = nf_input_parse(bytes.ptr, bytes.len, &po, e, sizeof e);
  nf_buf_free(&bytes);
  if (!doc) snprintf(err, errlen, "%s: %s", name, e);
  return doc;
}

static int ends_with_ci(const char *s, size_t len, const char *suffix) {
  size_t n = strlen(suffix);
  return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

nf_bundle_articles *nf_input_bundle_open(const char *path, size_t max_entry,
                                         int *failed, char *err,
                                         size_t errlen) {
  *failed = 0;
  if (strcmp(path, "-") == 0) return NULL;
  size_t len = strlen(path);
  nf_bundle_format f = nf_bundle_format_of(path);
  if (f == NF_BUNDLE_DIR) f = NF_BUNDLE_UNKNOWN;
  if (ends_with_ci(path, len, ".jsonl") || ends_with_ci(path, len, ".ndjson") ||
      ends_with_ci(path, len, ".ndjson.gz"))
    f = NF_BUNDLE_JSONL_GZ; /* zlib reads plain lines too */
  struct stat st;
  if (stat(path, &st) != 0 && strrchr(path, '@'))
    f = NF_BUNDLE_WARC; /* FILE@OFFSET: a web archive's record, or fails */
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (f == NF_BUNDLE_UNKNOWN) return NULL; /* a fifo, a device: as is */
  }
  int sniffed_zip = 0;
  if (f == NF_BUNDLE_UNKNOWN) {
    unsigned char head[4] = {0};
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL; /* fails in its turn, when read */
    size_t n = fread(head, 1, sizeof head, fp);
    fclose(fp);
    sniffed_zip = n == 4 && memcmp(head, "PK\3\4", 4) == 0;
    int gz = n >= 2 && head[0] == 0x1f && head[1] == 0x8b;
    if (!sniffed_zip && !gz && memcmp(head, "WARC", 4) != 0) return NULL;
  }
  nf_bundle_reader *r = nf_bundle_open(path, f, max_entry, err, errlen);
  if (!r) {
    *failed = f != NF_BUNDLE_UNKNOWN || sniffed_zip;
    return NULL;
  }
  nf_bundle_format rf = nf_bundle_reader_format(r);
  nf_bundle_reader_free(r);
  /* A gzipped file starting with '{' is a JSON document more often than
   * JSON Lines: only names say jsonl. */
  if (f == NF_BUNDLE_UNKNOWN && rf == NF_BUNDLE_JSONL_GZ) return NULL;
  nf_bundle_articles *arts = nf_bundle_articles_open(path, rf, max_entry, err,
                                                     errlen);
  if (!arts) *failed = 1;
  return arts;
}

/* ===== The iterator ====================================================== */

typedef struct input_item {
  char *path;
  char *error; /* fails as one input with this message */
  int found;   /* found in a directory (binary files are left out) */
} input_item;

struct nf_inputs {
  input_item *items;
  size_t len, cap, at;
  nf_parse_opts opts;
  char *encoding, *url; /* owned copies of opts' strings */
  size_t max_input, max_entry;
  nf_bundle_articles *arts; /* the bundle being read, items[at - 1] */
  char *arts_path;
  char *name;
  size_t skipped;
};

static void push_item(nf_inputs *in, const char *path, const char *error,
                      int found) {
  if (in->len == in->cap) {
    in->cap = in->cap ? in->cap * 2 : 16;
    in->items = nf_xrealloc(in->items, in->cap * sizeof *in->items);
  }
  input_item *it = &in->items[in->len++];
  it->path = nf_xstrdup(path);
  it->error = error ? nf_xstrdup(error) : NULL;
  it->found = found;
}

nf_inputs *nf_inputs_new(const nf_parse_opts *opts, size_t max_input,
                         size_t max_entry) {
  nf_inputs *in = nf_xcalloc(1, sizeof *in);
  if (opts) {
    in->opts.type = opts->type;
    if (opts->encoding) in->encoding = nf_xstrdup(opts->encoding);
    if (opts->url) in->url = nf_xstrdup(opts->url);
  }
  in->opts.encoding = in->encoding;
  in->opts.url = in->url;
  in->max_input = max_input;
  in->max_entry = max_entry ? max_entry : NF_BUNDLE_MAX_ENTRY_DEFAULT;
  return in;
}

void nf_inputs_add(nf_inputs *in, const char *path) {
  char err[1024];
  struct stat st;
  if (nf_input_is_url(path) && stat(path, &st) != 0) {
    snprintf(err, sizeof err, "%s: URLs are not fetched; download the "
             "page first (e.g. curl -o page.html URL)", path);
    push_item(in, path, err, 0);
    return;
  }
  nf_pathlist pl = {0};
  int rc = nf_pathlist_add(&pl, path, err, sizeof err);
  for (size_t j = 0; j < pl.len; j++)
    push_item(in, pl.items[j], NULL, strcmp(pl.items[j], path) != 0);
  if (rc < 0) push_item(in, path, err, 0);
  nf_pathlist_free(&pl);
}

size_t nf_inputs_skipped(const nf_inputs *in) { return in->skipped; }

static void close_bundle(nf_inputs *in) {
  nf_bundle_articles_free(in->arts);
  in->arts = NULL;
  free(in->arts_path);
  in->arts_path = NULL;
}

static const char *set_name(nf_inputs *in, const char *path,
                            const char *entry) {
  free(in->name);
  nf_buf b;
  nf_buf_init(&b);
  if (entry) nf_buf_printf(&b, "%s:%s", path, entry);
  else nf_buf_printf(&b, "%s", strcmp(path, "-") == 0 ? "<stdin>" : path);
  in->name = nf_buf_detach(&b);
  return in->name;
}

int nf_inputs_next(nf_inputs *in, nf_doc **doc, const char **name, char *err,
                   size_t errlen) {
  *doc = NULL;
  *name = NULL;
  for (;;) {
    if (in->arts) {
      const char *entry = NULL;
      int rc = nf_bundle_articles_next(in->arts, &in->opts, doc, &entry, err,
                                       errlen);
      if (rc != 0) {
        *name = entry ? set_name(in, in->arts_path, entry)
                      : set_name(in, in->arts_path, NULL);
        return rc > 0 ? 1 : -1;
      }
      close_bundle(in);
    }
    if (in->at >= in->len) return 0;
    input_item *it = &in->items[in->at++];
    *name = set_name(in, it->path, NULL);
    if (it->error) {
      snprintf(err, errlen, "%s", it->error);
      return -1;
    }
    int failed;
    nf_bundle_articles *arts =
        nf_input_bundle_open(it->path, in->max_entry, &failed, err, errlen);
    if (arts) {
      in->arts = arts;
      in->arts_path = nf_xstrdup(it->path);
      continue;
    }
    if (failed) return -1;
    if (it->found && nf_input_binary_file(it->path, in->opts.encoding)) {
      in->skipped++;
      continue;
    }
    nf_parse_opts po = in->opts;
    po.source = *name;
    *doc = nf_input_read(it->path, &po, in->max_input, err, errlen);
    return *doc ? 1 : -1;
  }
}

void nf_inputs_free(nf_inputs *in) {
  if (!in) return;
  close_bundle(in);
  for (size_t i = 0; i < in->len; i++) {
    free(in->items[i].path);
    free(in->items[i].error);
  }
  free(in->items);
  free(in->encoding);
  free(in->url);
  free(in->name);
  free(in);
}
