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
 * one input, before any of its entries run. A web archive in a file is
 * the exception: one lazy item whose records are listed as the run claims
 * them (nf_cli_inputs_next), so that memory does not grow with its record
 * count; each record is then read alone, by seeking, by its worker. */
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
  /* A web archive listed lazily (arts NULL): the reader that lists it, open
   * until its last record; the current record's name; what it skipped. */
  nf_bundle_reader *lister;
  char *cur_name;
  size_t listed;
  int named, quiet;
  char *error;              /* the listing failed (never for WARC today) */
  size_t n_skips;
  const char *const *skip_reasons;
  unsigned long long *skip_counts;
};

/* ===== The list ========================================================== */

static nf_cli_input *push(nf_cli_input_list *l) {
  if (l->len == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 64;
    l->items = nf_xrealloc(l->items, l->cap * sizeof *l->items);
  }
  nf_cli_input *in = &l->items[l->len++];
  memset(in, 0, sizeof *in);
  in->unit = l->n_units ? l->n_units - 1 : 0; /* items follow their unit */
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

static void push_unit(nf_cli_input_list *l, const char *path) {
  size_t n = l->n_units; /* capacity: the next power of two */
  if ((n & (n - 1)) == 0)
    l->units = nf_xrealloc(l->units, (n ? 2 * n : 1) * sizeof *l->units);
  l->units[l->n_units++] = nf_xstrdup(path);
}

/* ===== Standard input ==================================================== */

static void add_path(nf_cli_input_list *l, const char *path, const char *hint,
                     const nf_cli_opts *o, size_t max_entry, int named);

int nf_cli_head_is_warc(const void *head, size_t n) {
  char err[256];
  nf_bundle_reader *r = nf_bundle_open_mem(head, n, NF_BUNDLE_UNKNOWN, NULL,
                                           0, err, sizeof err);
  nf_bundle_format f = r ? nf_bundle_reader_format(r) : NF_BUNDLE_UNKNOWN;
  nf_bundle_reader_free(r);
  return f == NF_BUNDLE_WARC || f == NF_BUNDLE_WARC_GZ;
}

/* A pipe's bytes, head first, into an unlinked temporary file: the records
 * of an archive are listed, then read by seeking, so they must be read
 * twice. At
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
    if (nf_cli_head_is_warc(head, n)) {
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
  int warc = nf_cli_head_is_warc(head, n);
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
  push_unit(out, "-");
  if (out->units_only) return; /* standard input is not read for that */
  nf_cli_opts none;
  memset(&none, 0, sizeof none);
  add_stdin(out, &none, NF_BUNDLE_MAX_ENTRY_DEFAULT);
}


void nf_cli_inputs_free(nf_cli_input_list *l) {
  for (size_t i = 0; i < l->len; i++) input_clear(&l->items[i]);
  for (size_t i = 0; i < l->n_bundles; i++) {
    nf_bundle_articles_free(l->bundles[i]->arts);
    nf_bundle_reader_free(l->bundles[i]->lister);
    free(l->bundles[i]->cur_name);
    free(l->bundles[i]->error);
    free(l->bundles[i]->skip_counts);
    free(l->bundles[i]->path);
    free(l->bundles[i]->name);
    free(l->bundles[i]);
  }
  for (size_t i = 0; i < l->n_units; i++) free(l->units[i]);
  free(l->units);
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
  if (!o->quiet)
    fprintf(stderr, "newsform: %s: skipped: binary data (%s), not an "
            "article\n", path, kind);
  l->n_skipped++;
  return 1;
}

/* A web archive in a regular file: one lazy item, its records listed as
 * the run claims them (an item per record would grow with the archive).
 * 0 when path is no such archive (or cannot be opened: the usual path
 * says why). */
static int add_lazy_warc(nf_cli_input_list *l, const char *path,
                         const nf_cli_opts *o, size_t max_entry, int named) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  nf_bundle_format f = nf_bundle_format_of(path);
  if (f != NF_BUNDLE_WARC && f != NF_BUNDLE_WARC_GZ) {
    /* by content, as nf_input_bundle_open sniffs it */
    size_t len = strlen(path);
    unsigned char head[4] = {0};
    FILE *fp = f == NF_BUNDLE_UNKNOWN ? fopen(path, "rb") : NULL;
    size_t n = fp ? fread(head, 1, sizeof head, fp) : 0;
    if (fp) fclose(fp);
    int gz = n >= 2 && head[0] == 0x1f && head[1] == 0x8b;
    if (n < 4 || (!gz && memcmp(head, "WARC", 4) != 0) ||
        (len > 6 && strcmp(path + len - 6, ".jsonl") == 0) ||
        strstr(path, ".ndjson"))
      return 0;
  }
  char err[1024];
  nf_bundle_reader *r = nf_bundle_open(path, f, max_entry, err, sizeof err);
  nf_bundle_format rf = r ? nf_bundle_reader_format(r) : NF_BUNDLE_UNKNOWN;
  if (rf != NF_BUNDLE_WARC && rf != NF_BUNDLE_WARC_GZ) {
    nf_bundle_reader_free(r);
    return 0;
  }
  nf_cli_bundle_src *src = new_src(l, path, NULL);
  src->max_entry = max_entry;
  src->lister = r;
  src->named = named;
  src->quiet = o->quiet;
  nf_cli_input *in = push(l);
  in->bundle = src;
  in->kind = NF_CLI_KIND_WARC;
  in->offset = -1;
  in->lazy = 1;
  l->n_lazy++;
  return 1;
}

static void add_path(nf_cli_input_list *l, const char *path, const char *hint,
                     const nf_cli_opts *o, size_t max_entry, int named) {
  char err[1024] = "";
  int failed;
  if (add_lazy_warc(l, path, o, max_entry, named)) return;
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
  if (n == 0 && named && !o->quiet) {
    /* Not an error (nothing failed), but a surprise worth a line; a
     * FILE@OFFSET record passed over says why ("skipped: status 404"). */
    if (err[0])
      fprintf(stderr, "newsform: %s\n", err);
    else
      fprintf(stderr, "newsform: %s: no article entries (HTML, text or "
              "Markdown) in this %s\n", path, nf_bundle_format_name(f));
  }
}

/* The run's units: every argument is one (a file, a bundle, a path that
 * fails), but a directory, which is one per path it lists (listed here,
 * once), plus one for its failure when it cannot be listed. With --shard
 * they are sorted by name (bytes, as `LC_ALL=C sort` does), so that every
 * shard cuts the same list however the shell or a listing ordered it, and
 * only the shard's range [lo, hi) is collected. */
#define UNIT_ARG SIZE_MAX /* unit_ref.j: the argument itself */
typedef struct unit_ref {
  const char *path;
  size_t arg, j;      /* j: a directory's j-th path, its length: its failure */
} unit_ref;

typedef struct unit_plan {
  unit_ref *units;
  size_t n_units, lo, hi;
  nf_pathlist *dirs;  /* per argument: a directory's listing */
  int *dir_rc;        /* 0: not a directory, 1: listed, -1: failed */
  char **dir_err;
} unit_plan;

static int unit_cmp(const void *a, const void *b) {
  const unit_ref *x = a, *y = b;
  int c = strcmp(x->path, y->path);
  if (c) return c;
  if (x->arg != y->arg) return x->arg < y->arg ? -1 : 1;
  return x->j < y->j ? -1 : x->j > y->j;
}

static void plan_units(const char **args, size_t n, const nf_cli_opts *o,
                       unit_plan *p) {
  p->dirs = nf_xcalloc(n ? n : 1, sizeof *p->dirs);
  p->dir_rc = nf_xcalloc(n ? n : 1, sizeof *p->dir_rc);
  p->dir_err = nf_xcalloc(n ? n : 1, sizeof *p->dir_err);
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      char err[1024];
      int rc = nf_pathlist_add(&p->dirs[i], args[i], err, sizeof err);
      if (rc < 0) p->dir_err[i] = nf_xstrdup(err);
      total += p->dirs[i].len + (rc < 0);
      p->dir_rc[i] = rc < 0 ? -1 : 1;
    } else {
      total++;
    }
  }
  p->units = nf_xcalloc(total ? total : 1, sizeof *p->units);
  p->n_units = 0;
  for (size_t i = 0; i < n; i++) {
    if (!p->dir_rc[i]) {
      p->units[p->n_units++] = (unit_ref){args[i], i, UNIT_ARG};
      continue;
    }
    for (size_t j = 0; j < p->dirs[i].len; j++)
      p->units[p->n_units++] = (unit_ref){p->dirs[i].items[j], i, j};
    if (p->dir_rc[i] < 0)
      p->units[p->n_units++] = (unit_ref){args[i], i, p->dirs[i].len};
  }
  p->lo = 0;
  p->hi = total;
  if (o->shard_count) {
    qsort(p->units, total, sizeof *p->units, unit_cmp);
    nf_cli_shard_range(o->shard_index, o->shard_count, total, &p->lo, &p->hi);
  }
}

static void plan_free(unit_plan *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    nf_pathlist_free(&p->dirs[i]);
    free(p->dir_err[i]);
  }
  free(p->units);
  free(p->dirs);
  free(p->dir_rc);
  free(p->dir_err);
}

/* One unit of the plan: recorded, then (unless only units are wanted) its
 * inputs added. */
static void collect_unit(nf_cli_input_list *out, const char **args,
                         const unit_plan *plan, const unit_ref *u,
                         const nf_cli_opts *o, size_t max_entry) {
  push_unit(out, u->path);
  if (out->units_only) return;
  const char *arg = args[u->arg];
  if (u->j != UNIT_ARG) { /* a directory's path, or its failure */
    if (u->j == plan->dirs[u->arg].len) {
      push_file(out, arg, NULL, plan->dir_err[u->arg]);
      return;
    }
    const char *hint = u->path + strlen(arg);
    while (*hint == '/') hint++;
    add_path(out, u->path, hint, o, max_entry, 0);
    return;
  }
  char err[1024];
  struct stat st;
  if (nf_input_is_url(arg) && stat(arg, &st) != 0) {
    snprintf(err, sizeof err, "%s: URLs are not fetched; download the "
             "page first (e.g. curl -o page.html URL)", arg);
    push_file(out, arg, NULL, err);
    return;
  }
  if (stat(arg, &st) != 0 && strrchr(arg, '@')) {
    /* FILE@OFFSET: one record of a web archive (or an error naming it) */
    add_path(out, arg, NULL, o, max_entry, 1);
    return;
  }
  if (strcmp(arg, "-") == 0) {
    add_stdin(out, o, max_entry);
    return;
  }
  nf_pathlist pl = {0};
  int rc = nf_pathlist_add(&pl, arg, err, sizeof err);
  size_t arglen = strlen(arg);
  for (size_t j = 0; j < pl.len; j++) {
    const char *p = pl.items[j];
    const char *hint;
    if (strcmp(p, arg) == 0) { /* a file: its base name */
      const char *slash = strrchr(p, '/');
      hint = strcmp(p, "-") == 0 ? "stdin" : slash ? slash + 1 : p;
    } else { /* found under arg */
      hint = p + arglen;
      while (*hint == '/') hint++;
    }
    add_path(out, p, hint, o, max_entry, strcmp(p, arg) == 0);
  }
  /* A path that cannot be read fails in its turn, like an unreadable
   * file, so that --keep-going counts it and earlier inputs still run. */
  if (rc < 0) push_file(out, arg, NULL, err);
  nf_pathlist_free(&pl);
}

void nf_cli_inputs_collect(const char **args, size_t n, const nf_cli_opts *o,
                           nf_cli_input_list *out) {
  size_t max_entry = o->max_entry_size ? o->max_entry_size
                                       : NF_BUNDLE_MAX_ENTRY_DEFAULT;
  unit_plan plan;
  plan_units(args, n, o, &plan);
  for (size_t u = plan.lo; u < plan.hi; u++)
    collect_unit(out, args, &plan, &plan.units[u], o, max_entry);
  plan_free(&plan, n);
}

void nf_cli_inputs_add_skips(const nf_cli_input_list *in, nf_cli_stats *st) {
  /* Readers that skip records (WARC: statuses, content types, revisits)
   * report their counts by reason, per bundle. */
  for (size_t i = 0; i < in->n_bundles; i++) {
    const nf_cli_bundle_src *src = in->bundles[i];
    const char *const *why = src->skip_reasons;
    const unsigned long long *count = src->skip_counts;
    size_t n = src->n_skips;
    if (src->arts) n = nf_bundle_articles_skips(src->arts, &why, &count);
    else if (src->lister) n = nf_bundle_reader_skips(src->lister, &why, &count);
    for (size_t j = 0; j < n; j++)
      nf_cli_stats_add_skips(st, why[j], (size_t)count[j]);
  }
}

/* ===== Claiming records ================================================== */

/* The lazy archive's last record was listed: its reader closed (its skip
 * counts kept), and a named archive without any article said so. */
static void lister_done(nf_cli_bundle_src *src) {
  const char *const *why;
  const unsigned long long *count;
  size_t n = nf_bundle_reader_skips(src->lister, &why, &count);
  if (n) {
    src->skip_reasons = why; /* static strings */
    src->skip_counts = nf_xmalloc(n * sizeof *count);
    memcpy(src->skip_counts, count, n * sizeof *count);
    src->n_skips = n;
  }
  nf_bundle_format f = nf_bundle_reader_format(src->lister);
  nf_bundle_reader_free(src->lister);
  src->lister = NULL;
  if (src->listed == 0 && !src->error && src->named && !src->quiet)
    fprintf(stderr, "newsform: %s: no article entries (HTML, text or "
            "Markdown) in this %s\n", src->name, nf_bundle_format_name(f));
}

int nf_cli_inputs_next(nf_cli_input_list *l, size_t *pos, nf_cli_input *rec,
                       size_t *item) {
  for (; *pos < l->len; (*pos)++) {
    nf_cli_input *in = &l->items[*pos];
    *item = *pos;
    *rec = *in;
    if (!in->lazy) {
      (*pos)++;
      return 1;
    }
    nf_cli_bundle_src *src = in->bundle;
    if (!src->lister) continue;
    rec->lazy = 0;
    nf_bundle_entry e;
    char err[1024];
    int rc = nf_bundle_next(src->lister, &e, err, sizeof err);
    if (rc < 0) { /* the rest of the archive fails as one record */
      src->error = nf_xstrdup(err);
      rec->error = src->error;
      lister_done(src);
      return 1;
    }
    if (rc == 0) {
      lister_done(src);
      continue;
    }
    src->listed++;
    free(src->cur_name);
    src->cur_name = nf_xstrdup(e.name);
    rec->entry_index = e.index;
    /* "@OFFSET" (not "@MEMBER+WITHIN" in one gzip stream): read alone by
     * the worker, by seeking */
    char *end;
    long long off = e.name[0] == '@' ? strtoll(e.name + 1, &end, 10) : -1;
    rec->offset = off >= 0 && !*end ? off : -1;
    return 1;
  }
  return 0;
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
  } else if (!src->arts) { /* a lazy archive's record, just listed */
    *entry = src->cur_name ? nf_xstrdup(src->cur_name) : NULL;
    rc = src->lister ? nf_bundle_read(src->lister, out, err, errlen) : -1;
    if (!src->lister) snprintf(err, errlen, "%s: not listed", src->name);
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
