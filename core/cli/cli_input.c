/* cli_input.c: the inputs of the newsform command. Files and directories
 * as before (binary files skipped in a directory, URLs refused), and
 * bundles as inputs: a .tar.gz, .tar, .zip, .epub or .jsonl.gz (by name,
 * or a regular file whose first bytes are zip's or gzip+tar's)
 * stands for its article entries, each one input named "BUNDLE:ENTRY".
 * What is a bundle, a URL or a binary file, and which entries are articles
 * and how they read, is the library's (core/inputs.c, shared with the Lua
 * module's newsform.inputs; core/bundle_articles.c). Entries are listed up
 * front, on the main thread, and read one at a time when a worker claims
 * them: memory stays bounded by the entries in flight. A bundle that
 * cannot be listed to its end (corrupt, truncated, not a bundle) fails as
 * one input, before any of its entries run. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

struct nf_cli_bundle_src {
  char *path;
  char *name;               /* what to call it: path, or "<stdin>" */
  size_t max_entry;
  nf_bundle_articles *arts; /* the listing, and the reader of its entries */
  size_t remaining;         /* entries not yet loaded */
};

/* ===== The list ========================================================== */

static nf_cli_input *push(nf_cli_input_list *l) {
  if (l->len == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 64;
    l->items = nf_xrealloc(l->items, l->cap * sizeof *l->items);
  }
  nf_cli_input *in = &l->items[l->len++];
  memset(in, 0, sizeof *in);
  return in;
}

static void input_clear(nf_cli_input *in) {
  free(in->path);
  free(in->name);
  free(in->hint);
  free(in->error);
}

static void push_file(nf_cli_input_list *l, const char *path,
                      const char *hint, const char *error) {
  nf_cli_input *in = push(l);
  in->path = nf_xstrdup(path);
  in->name = nf_xstrdup(strcmp(path, "-") == 0 ? "<stdin>" : path);
  in->hint = hint ? nf_xstrdup(hint) : NULL;
  in->error = error ? nf_xstrdup(error) : NULL;
}

/* ===== Standard input ==================================================== */

static void add_path(nf_cli_input_list *l, const char *path, const char *hint,
                     const nf_cli_opts *o, size_t max_entry, int named);

/* Do the first bytes of standard input start a web archive? */
static int head_is_warc(const void *head, size_t n) {
  char err[256];
  nf_bundle_reader *r = nf_bundle_open_mem(head, n, NF_BUNDLE_UNKNOWN, NULL,
                                           0, err, sizeof err);
  nf_bundle_format f = r ? nf_bundle_reader_format(r) : NF_BUNDLE_UNKNOWN;
  nf_bundle_reader_free(r);
  return f == NF_BUNDLE_WARC || f == NF_BUNDLE_WARC_GZ;
}

/* A pipe's bytes, head first, into an unlinked temporary file: the records
 * of an archive are listed, then read, so they must be read twice. At
 * most limit bytes (0: all). Its descriptor, or -1. */
static int spool(const unsigned char *head, size_t n, size_t limit) {
  const char *dir = getenv("TMPDIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/.newsform-stdin.XXXXXX",
           dir && *dir ? dir : "/tmp");
  int fd = mkstemp(path);
  if (fd < 0) return -1;
  unlink(path);
  unsigned char buf[65536];
  size_t total = 0;
  int ok = write(fd, head, n) == (ssize_t)n;
  total = n;
  while (ok && (!limit || total <= limit)) {
    ssize_t k = read(0, buf, sizeof buf);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) break;
    ok = write(fd, buf, (size_t)k) == k;
    total += (size_t)k;
  }
  if (!ok || lseek(fd, 0, SEEK_SET) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/* The last input added is standard input: so named in messages and ctx. */
static void name_stdin(nf_cli_input_list *out) {
  size_t n = out->n_bundles;
  nf_cli_bundle_src *src = n ? out->bundles[n - 1] : NULL;
  if (src && out->len && out->items[out->len - 1].bundle == src) {
    free(src->name);
    src->name = nf_xstrdup("<stdin>");
  } else if (out->len && !out->items[out->len - 1].bundle) {
    free(out->items[out->len - 1].name);
    out->items[out->len - 1].name = nf_xstrdup("<stdin>");
  }
}

/* Standard input: a web archive there is read as one, its records as
 * inputs ("<stdin>@OFFSET"); anything else is one input, as before (other
 * bundles are not expanded from standard input). */
static void add_stdin(nf_cli_input_list *out, const nf_cli_opts *o,
                      size_t max_entry) {
  struct stat st;
  unsigned char head[65536];
  size_t n = 0;
  if (fstat(0, &st) == 0 && S_ISREG(st.st_mode) && lseek(0, 0, SEEK_CUR) == 0) {
    ssize_t k = pread(0, head, sizeof head, 0);
    n = k > 0 ? (size_t)k : 0;
    if (head_is_warc(head, n)) {
      add_path(out, "/dev/fd/0", "stdin", o, max_entry, 1);
      name_stdin(out);
    } else {
      push_file(out, "-", "stdin", NULL);
    }
    return;
  }
  if (fstat(0, &st) != 0 || S_ISCHR(st.st_mode)) {
    push_file(out, "-", "stdin", NULL); /* a terminal: read as before */
    return;
  }
  while (n < sizeof head) {
    ssize_t k = read(0, head + n, sizeof head - n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) break;
    n += (size_t)k;
  }
  int warc = head_is_warc(head, n);
  int fd = spool(head, n, warc ? 0 : o->max_input);
  if (fd < 0) {
    push_file(out, "-", "stdin", "<stdin>: cannot copy standard input to a "
              "temporary file");
    return;
  }
  out->stdin_fd = fd;
  char path[64];
  snprintf(path, sizeof path, "/dev/fd/%d", fd);
  if (warc) {
    add_path(out, path, "stdin", o, max_entry, 1);
    name_stdin(out);
    return;
  }
  push_file(out, path, "stdin", NULL);
  name_stdin(out);
}

void nf_cli_inputs_add_stdin(nf_cli_input_list *out) {
  nf_cli_opts none;
  memset(&none, 0, sizeof none);
  add_stdin(out, &none, NF_BUNDLE_MAX_ENTRY_DEFAULT);
}

void nf_cli_inputs_free(nf_cli_input_list *l) {
  for (size_t i = 0; i < l->len; i++) input_clear(&l->items[i]);
  for (size_t i = 0; i < l->n_bundles; i++) {
    nf_bundle_articles_free(l->bundles[i]->arts);
    free(l->bundles[i]->path);
    free(l->bundles[i]->name);
    free(l->bundles[i]);
  }
  free(l->items);
  free(l->bundles);
  if (l->stdin_fd > 0) close(l->stdin_fd);
  memset(l, 0, sizeof *l);
}


/* ===== Bundles =========================================================== */

static nf_cli_bundle_src *new_src(nf_cli_input_list *l, const char *path,
                                  nf_bundle_articles *arts) {
  nf_cli_bundle_src *src = nf_xcalloc(1, sizeof *src);
  src->path = nf_xstrdup(path);
  src->name = nf_xstrdup(path);
  src->arts = arts;
  l->bundles = nf_xrealloc(l->bundles, (l->n_bundles + 1) * sizeof *l->bundles);
  l->bundles[l->n_bundles++] = src;
  return src;
}

static nf_cli_kind kind_of(nf_article_kind k) {
  switch (k) {
  case NF_ARTICLE_TEXT: return NF_CLI_KIND_TEXT;
  case NF_ARTICLE_JSON_LINE: return NF_CLI_KIND_JSON_LINE;
  case NF_ARTICLE_WARC: return NF_CLI_KIND_WARC;
  default: return NF_CLI_KIND_HTML;
  }
}

static nf_article_kind article_kind_of(nf_cli_kind k) {
  switch (k) {
  case NF_CLI_KIND_TEXT: return NF_ARTICLE_TEXT;
  case NF_CLI_KIND_JSON_LINE: return NF_ARTICLE_JSON_LINE;
  case NF_CLI_KIND_WARC: return NF_ARTICLE_WARC;
  default: return NF_ARTICLE_HTML;
  }
}

/* A file found in a directory that is not text (an image, a PDF, an
 * executable beside the pages): left out with one warning. A file that
 * cannot be read is kept, to fail in its turn. */
static int skip_binary(nf_cli_input_list *l, const char *path,
                       const nf_cli_opts *o) {
  const char *kind = nf_input_binary_file(path, o->encoding);
  if (!kind) return 0;
  fprintf(stderr, "newsform: %s: skipped: binary data (%s), not an article\n",
          path, kind);
  l->n_skipped++;
  return 1;
}

static void add_path(nf_cli_input_list *l, const char *path, const char *hint,
                     const nf_cli_opts *o, size_t max_entry, int named) {
  char err[1024];
  int failed;
  nf_bundle_articles *arts = nf_input_bundle_open(path, max_entry, &failed,
                                                  err, sizeof err);
  if (!arts) {
    if (!named && !failed && skip_binary(l, path, o)) return;
    push_file(l, path, hint, failed ? err : NULL);
    return;
  }
  nf_bundle_format f = nf_bundle_articles_format(arts);
  nf_cli_bundle_src *src = new_src(l, path, arts);
  src->max_entry = max_entry;
  /* records read alone at their offsets: not within FILE@OFFSET itself */
  struct stat st;
  int seekable = stat(path, &st) == 0 && S_ISREG(st.st_mode);
  size_t n = nf_bundle_articles_count(arts);
  for (size_t i = 0; i < n; i++) {
    const nf_bundle_item *it = nf_bundle_articles_item(arts, i);
    nf_cli_input *in = push(l);
    in->bundle = src;
    in->entry_index = it->entry;
    in->kind = kind_of(it->kind);
    in->hint_at = (unsigned)it->hint_at;
    in->offset = seekable ? it->offset : -1;
    src->remaining++;
  }
  if (n == 0 && named) {
    /* Not an error (nothing failed), but a surprise worth a line. */
    fprintf(stderr, "newsform: %s: no article entries (HTML, text or "
            "Markdown) in this %s\n", path, nf_bundle_format_name(f));
  }
}

void nf_cli_inputs_collect(const char **args, size_t n, const nf_cli_opts *o,
                           nf_cli_input_list *out) {
  size_t max_entry = o->max_entry_size ? o->max_entry_size
                                       : NF_BUNDLE_MAX_ENTRY_DEFAULT;
  for (size_t i = 0; i < n; i++) {
    nf_pathlist pl = {0};
    char err[1024];
    struct stat st;
    if (nf_input_is_url(args[i]) && stat(args[i], &st) != 0) {
      snprintf(err, sizeof err, "%s: URLs are not fetched; download the "
               "page first (e.g. curl -o page.html URL)", args[i]);
      push_file(out, args[i], NULL, err);
      continue;
    }
    if (stat(args[i], &st) != 0 && strrchr(args[i], '@')) {
      /* FILE@OFFSET: one record of a web archive (or an error naming it) */
      add_path(out, args[i], NULL, o, max_entry, 1);
      continue;
    }
    if (strcmp(args[i], "-") == 0) {
      add_stdin(out, o, max_entry);
      continue;
    }
    int rc = nf_pathlist_add(&pl, args[i], err, sizeof err);
    size_t arglen = strlen(args[i]);
    for (size_t j = 0; j < pl.len; j++) {
      const char *p = pl.items[j];
      const char *hint;
      if (strcmp(p, args[i]) == 0) { /* a file: its base name */
        const char *slash = strrchr(p, '/');
        hint = strcmp(p, "-") == 0 ? "stdin" : slash ? slash + 1 : p;
      } else { /* found in the directory args[i] */
        hint = p + arglen;
        while (*hint == '/') hint++;
      }
      add_path(out, p, hint, o, max_entry, strcmp(p, args[i]) == 0);
    }
    /* A path that cannot be listed fails in its turn, like an unreadable
     * file, so that --keep-going counts it and earlier inputs still run. */
    if (rc < 0) push_file(out, args[i], NULL, err);
    nf_pathlist_free(&pl);
  }
}

/* ===== Reading an entry ================================================== */

const char *nf_cli_input_path(const nf_cli_input *in) {
  return in->bundle ? in->bundle->name : in->path;
}

char *nf_cli_input_label(const nf_cli_input *in, const char *entry) {
  if (!in->bundle) return nf_xstrdup(in->name ? in->name : in->path);
  nf_buf b;
  nf_buf_init(&b);
  if (entry) nf_bundle_entry_label(in->bundle->name, entry, &b);
  else nf_buf_printf(&b, "%s:#%zu", in->bundle->name, in->entry_index + 1);
  return nf_buf_detach(&b);
}

char *nf_cli_input_hint(const nf_cli_input *in, const char *entry) {
  if (!in->bundle) return in->hint ? nf_xstrdup(in->hint) : NULL;
  if (!entry) return NULL;
  size_t at = in->hint_at < strlen(entry) ? in->hint_at : 0;
  return nf_xstrdup(entry + at);
}

int nf_cli_input_load(const nf_cli_input *in, nf_buf *out, char **entry,
                      char *err, size_t errlen) {
  nf_cli_bundle_src *src = in->bundle;
  *entry = NULL;
  if (!src) {
    snprintf(err, errlen, "%s: not a bundle entry", in->path);
    return -1;
  }
  int rc;
  if (in->kind == NF_CLI_KIND_WARC && in->offset >= 0) {
    /* Named now, read by the worker (nf_cli_input_read_record): records
     * are inflated in parallel, not under the run's lock. */
    char name[32];
    snprintf(name, sizeof name, "@%lld", in->offset);
    *entry = nf_xstrdup(name);
    rc = 0;
  } else {
    rc = nf_bundle_articles_load(src->arts, in->entry_index, out, entry, err,
                                 errlen);
  }
  if (src->remaining > 0 && --src->remaining == 0)
    nf_bundle_articles_release(src->arts); /* the last one: close it */
  return rc;
}

int nf_cli_input_read_record(const nf_cli_input *in, nf_buf *out, char *err,
                             size_t errlen) {
  nf_buf at;
  nf_buf_init(&at);
  nf_buf_printf(&at, "%s@%lld", in->bundle->path, in->offset);
  nf_bundle_reader *r = nf_bundle_open(at.ptr, NF_BUNDLE_UNKNOWN,
                                       in->bundle->max_entry, err, errlen);
  if (!r) {
    /* the listing found a record here: what is there now is damaged */
    size_t n = strlen(at.ptr);
    nf_buf m;
    nf_buf_init(&m);
    nf_buf_printf(&m, "%s: damaged record: %s", at.ptr,
                  strncmp(err, at.ptr, n) == 0 && err[n] == ':' ? err + n + 2
                                                                : err);
    snprintf(err, errlen, "%s", m.ptr);
    nf_buf_free(&m);
  }
  nf_bundle_entry e;
  int rc = r ? nf_bundle_next(r, &e, err, errlen) : -1;
  if (rc == 0) snprintf(err, errlen, "%s: the record is gone (the file "
                        "changed?)", at.ptr);
  if (rc == 1) rc = nf_bundle_read(r, out, err, errlen);
  else rc = -1;
  nf_bundle_reader_free(r);
  /* messages name the record as its label does */
  if (rc < 0 && strcmp(in->bundle->name, in->bundle->path) != 0) {
    size_t n = strlen(at.ptr);
    if (strncmp(err, at.ptr, n) == 0) {
      nf_buf m;
      nf_buf_init(&m);
      nf_buf_printf(&m, "%s@%lld%s", in->bundle->name, in->offset, err + n);
      snprintf(err, errlen, "%s", m.ptr);
      nf_buf_free(&m);
    }
  }
  nf_buf_free(&at);
  return rc;
}

/* ===== Parsing =========================================================== */

nf_doc *nf_cli_input_parse(const nf_cli_input *in, const nf_cli_opts *o,
                           const char *source, const char *data, size_t len,
                           char *err, size_t errlen) {
  /* A line of JSON is text; a gzipped entry (page.html.gz) is gunzipped
   * by the library's parse: neither is judged here. */
  nf_parse_opts po = {o->type, o->encoding, source, NULL};
  if (in->kind == NF_CLI_KIND_FILE)
    return nf_input_parse(data, len, &po, err, errlen);
  const char *binary =
      in->kind == NF_CLI_KIND_JSON_LINE || in->kind == NF_CLI_KIND_WARC ||
              nf_is_gzip(data, len)
          ? NULL
          : nf_binary_kind(data, len, o->encoding);
  if (binary) {
    snprintf(err, errlen, "binary data (%s), not an article", binary);
    return NULL;
  }
  return nf_bundle_article_parse(article_kind_of(in->kind), data, len, &po,
                                 o->max_input, err, errlen);
}
