/* cli_shard.c: large runs of the newsform command. --inputs FILE (one
 * input a line), --shard K/N and --shard slurm (which contiguous range of
 * the run's units this process takes; a bundle is one unit, never split),
 * "{shard}" in -o, and the shard's manifest (OUT.manifest.json) that
 * --resume reads to skip a shard already done.
 *
 * The manifest is written after the output is published, so a run killed
 * in between leaves an output without a manifest, which --resume redoes.
 * Its first part (the key) says what the output was made from and is
 * compared byte for byte; nothing in it depends on time, host or pid. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>

#include "cli.h"

/* ===== Shards ============================================================= */

void nf_cli_shard_range(unsigned long k, unsigned long n, size_t total,
                        size_t *lo, size_t *hi) {
  /* k * total fits: n is at most 10^6 and total far below 2^44. */
  unsigned long long t = total;
  *lo = (size_t)(t * k / n);
  *hi = (size_t)(t * (k + 1) / n);
}

#define MAX_SHARDS 1000000UL

static int parse_ulong(const char *s, unsigned long *v) {
  char *end;
  errno = 0;
  if (!s || *s < '0' || *s > '9') return -1;
  unsigned long long x = strtoull(s, &end, 10);
  if (errno || *end || x > MAX_SHARDS) return -1;
  *v = (unsigned long)x;
  return 0;
}

int nf_cli_shard_parse(const char *value, unsigned long *k, unsigned long *n,
                       char *err, size_t errlen) {
  if (strcmp(value, "slurm") == 0) {
    const char *id = getenv("SLURM_ARRAY_TASK_ID");
    const char *count = getenv("SLURM_ARRAY_TASK_COUNT");
    const char *min = getenv("SLURM_ARRAY_TASK_MIN");
    unsigned long base = 0;
    if (!id || !count) {
      snprintf(err, errlen, "--shard slurm: SLURM_ARRAY_TASK_ID and "
               "SLURM_ARRAY_TASK_COUNT are not set (run it in a job array: "
               "sbatch --array=0-N)");
      return -1;
    }
    if (parse_ulong(id, k) < 0 || parse_ulong(count, n) < 0 || *n == 0 ||
        (min && *min && parse_ulong(min, &base) < 0)) {
      snprintf(err, errlen, "--shard slurm: invalid SLURM_ARRAY_TASK_ID "
               "'%s', SLURM_ARRAY_TASK_COUNT '%s' or SLURM_ARRAY_TASK_MIN "
               "'%s'", id, count, min ? min : "");
      return -1;
    }
    /* --array=0-7 and --array=1-8 both give shards 0..7 (a contiguous
     * array: a step or a list would leave shards out). */
    if (*k < base || *k - base >= *n) {
      snprintf(err, errlen, "--shard slurm: task %s is not one of the %s "
               "tasks from %lu (use a contiguous array, --array=0-%lu)", id,
               count, base, *n - 1);
      return -1;
    }
    *k -= base;
    return 0;
  }
  const char *slash = strchr(value, '/');
  char kbuf[32];
  if (!slash || (size_t)(slash - value) >= sizeof kbuf) goto bad;
  memcpy(kbuf, value, (size_t)(slash - value));
  kbuf[slash - value] = '\0';
  if (parse_ulong(kbuf, k) < 0 || parse_ulong(slash + 1, n) < 0 || *n == 0 ||
      *k >= *n)
    goto bad;
  return 0;
bad:
  snprintf(err, errlen, "invalid value '%s' for --shard (expected K/N with "
           "0 <= K < N <= %lu, K counted from 0, or slurm)", value,
           MAX_SHARDS);
  return -1;
}

char *nf_cli_shard_output(const char *out, unsigned long k, unsigned long n) {
  if (n == 0) {
    k = 0;
    n = 1;
  }
  int width = 5;
  for (unsigned long x = n; x >= 100000; x /= 10) width++;
  nf_buf b;
  nf_buf_init(&b);
  for (const char *p = out; *p;) {
    if (strncmp(p, "{shard}", 7) == 0) {
      nf_buf_printf(&b, "part-%0*lu-of-%0*lu", width, k, width, n);
      p += 7;
    } else {
      nf_buf_putc(&b, *p++);
    }
  }
  return nf_buf_detach(&b);
}

/* ===== --inputs FILE ======================================================= */

int nf_cli_read_inputs_file(const char *path, const char ***args, size_t *n,
                            char *err, size_t errlen) {
  int is_stdin = strcmp(path, "-") == 0;
  FILE *f = is_stdin ? stdin : fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "--inputs %s: %s", path, strerror(errno));
    return -1;
  }
  char *line = NULL;
  size_t cap = 0, have = *n;
  ssize_t len;
  while ((len = getline(&line, &cap, f)) >= 0) {
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
      line[--len] = '\0';
    if (len == 0) continue; /* blank lines only: names keep their spaces */
    if (memchr(line, '\0', (size_t)len)) {
      snprintf(err, errlen, "--inputs %s: line %zu holds a NUL byte (not a "
               "list of names)", is_stdin ? "<stdin>" : path, *n - have + 1);
      free(line);
      if (!is_stdin) fclose(f);
      return -1;
    }
    size_t i = *n;
    if ((i & (i - 1)) == 0) /* capacity: the next power of two */
      *args = nf_xrealloc((void *)*args, (i ? 2 * i : 1) * sizeof **args);
    (*args)[(*n)++] = nf_xstrndup(line, (size_t)len);
  }
  int rc = ferror(f) ? -1 : 0;
  if (rc < 0)
    snprintf(err, errlen, "--inputs %s: %s", is_stdin ? "<stdin>" : path,
             strerror(errno));
  free(line);
  if (!is_stdin) fclose(f);
  return rc;
}

/* ===== The manifest ========================================================= */

char *nf_cli_manifest_path(const char *out) {
  if (!out || strcmp(out, "-") == 0) return NULL;
  size_t len = strlen(out);
  while (len > 1 && out[len - 1] == '/') len--; /* DIR/: DIR.manifest.json */
  nf_buf b;
  nf_buf_init(&b);
  nf_buf_put(&b, out, len);
  nf_buf_puts(&b, ".manifest.json");
  return nf_buf_detach(&b);
}

/* The size and CRC-32 of a file's whole content (the CRC of gzip and zip,
 * libdeflate's: 2.5x zlib's, which matters for 1 GB web archives). -1 with
 * err when it cannot be read. */
static int file_digest(const char *path, unsigned long long *size,
                       unsigned long *crc, char *err, size_t errlen) {
  int fd = open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) < 0) {
    snprintf(err, errlen, "%s", strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
  }
  *size = 0;
  *crc = 0;
  if (S_ISDIR(st.st_mode)) { /* an empty directory: no content */
    close(fd);
    return 0;
  }
  static const size_t chunk = (size_t)1 << 20;
  unsigned char *buf = nf_xmalloc(chunk);
  ssize_t got;
  while ((got = read(fd, buf, chunk)) != 0) {
    if (got < 0) {
      if (errno == EINTR) continue;
      snprintf(err, errlen, "%s", strerror(errno));
      free(buf);
      close(fd);
      return -1;
    }
    *crc = libdeflate_crc32((uint32_t)*crc, buf, (size_t)got);
    *size += (unsigned long long)got;
  }
  free(buf);
  close(fd);
  return 0;
}

static void put_key(nf_buf *b, const char *key) {
  nf_json_put_string(b, key, strlen(key));
  nf_buf_puts(b, ": ");
}

static void put_str_or_null(nf_buf *b, const char *s) {
  if (s) nf_json_put_string(b, s, strlen(s));
  else nf_buf_puts(b, "null");
}

char *nf_cli_manifest_key(const nf_cli_opts *o, const nf_cli_input_list *in,
                          int *resumable) {
  nf_buf b;
  nf_buf_init(&b);
  *resumable = 1;
  nf_buf_printf(&b, "{\n  \"manifest\": \"newsform shard\",\n  \"newsform\": "
                "\"%s\",\n", NF_VERSION);
  if (o->shard_count)
    nf_buf_printf(&b, "  \"shard\": {\"index\": %lu, \"count\": %lu},\n",
                  o->shard_index, o->shard_count);
  else
    nf_buf_puts(&b, "  \"shard\": null,\n");
  /* The script by its content: the same script anywhere matches. */
  const char *src = o->code ? o->code : o->script_src;
  size_t len = o->code ? strlen(o->code) : o->script_src_len;
  unsigned long crc = libdeflate_crc32(0, src, len);
  nf_buf_printf(&b, "  \"script\": {\"size\": %zu, \"crc32\": \"%08lx\"},\n",
                len, crc);
  nf_buf_puts(&b, "  \"settings\": {\"set\": [");
  for (size_t i = 0; i < o->n_set; i++) {
    nf_buf_puts(&b, i ? ", [" : "[");
    put_str_or_null(&b, o->set_keys[i]);
    nf_buf_puts(&b, ", ");
    put_str_or_null(&b, o->set_values[i]);
    nf_buf_puts(&b, "]");
  }
  nf_buf_printf(&b, "], \"type\": \"%s\", \"encoding\": ",
                o->type == NF_INPUT_HTML   ? "html"
                : o->type == NF_INPUT_TEXT ? "text"
                                           : "auto");
  put_str_or_null(&b, o->encoding);
  nf_buf_printf(&b, ", \"max_input\": %zu, \"max_entry_size\": %zu, "
                "\"mtime\": %lld, \"keep_going\": %s, \"sandbox\": %s, "
                "\"max_memory\": %g, \"timeout\": %g, \"title\": ",
                o->max_input, o->max_entry_size,
                o->mtime_given ? o->mtime : -1LL,
                o->keep_going ? "true" : "false",
                o->sandbox ? "true" : "false", o->max_memory_mb, o->timeout);
  put_str_or_null(&b, o->book_title);
  nf_buf_puts(&b, ", \"author\": ");
  put_str_or_null(&b, o->book_author);
  nf_buf_puts(&b, ", \"language\": ");
  put_str_or_null(&b, o->book_language);
  nf_buf_puts(&b, "},\n  \"digest\": \"crc32 of each input's whole "
              "content\",\n  \"inputs\": [");
  for (size_t i = 0; i < in->n_units; i++) {
    const char *name = in->units[i];
    nf_buf_puts(&b, i ? ",\n    {" : "\n    {");
    put_key(&b, "name");
    nf_json_put_string(&b, name, strlen(name));
    unsigned long long size;
    unsigned long ucrc;
    char err[512];
    if (strcmp(name, "-") == 0) {
      nf_buf_puts(&b, ", \"stdin\": true}");
      *resumable = 0;
    } else if (file_digest(name, &size, &ucrc, err, sizeof err) < 0) {
      nf_buf_puts(&b, ", \"error\": ");
      nf_json_put_string(&b, err, strlen(err));
      nf_buf_puts(&b, "}");
    } else {
      nf_buf_printf(&b, ", \"size\": %llu, \"crc32\": \"%08lx\"}", size, ucrc);
    }
  }
  nf_buf_puts(&b, in->n_units ? "\n  ],\n" : "],\n");
  return nf_buf_detach(&b);
}

static int is_dir_output(const char *out, struct stat *st) {
  return out[strlen(out) - 1] == '/' || S_ISDIR(st->st_mode);
}

int nf_cli_manifest_matches(const char *out, const char *key, size_t *failed) {
  char *mpath = nf_cli_manifest_path(out);
  nf_buf m;
  nf_buf_init(&m);
  char err[512];
  struct stat st;
  int ok = mpath && stat(out, &st) == 0 &&
           nf_read_input(mpath, (size_t)64 << 20, &m, err, sizeof err) == 0 &&
           m.len > strlen(key) && memcmp(m.ptr, key, strlen(key)) == 0;
  nf_json *j = ok ? nf_json_parse(m.ptr, m.len, err, sizeof err) : NULL;
  const nf_json *res = nf_json_get(j, "result");
  const nf_json *complete = nf_json_get(res, "complete");
  const nf_json *size = nf_json_get(res, "output_size");
  const nf_json *nfail = nf_json_get(res, "failed");
  ok = ok && complete && complete->type == NF_JSON_TRUE && size &&
       size->type == NF_JSON_NUMBER && nfail && nfail->type == NF_JSON_NUMBER;
  /* A directory's size says nothing; a file's must be the one recorded. */
  if (ok && !is_dir_output(out, &st) && (double)st.st_size != size->number)
    ok = 0;
  if (ok) *failed = (size_t)nfail->number;
  nf_json_free(j);
  nf_buf_free(&m);
  free(mpath);
  return ok;
}

int nf_cli_manifest_write(const char *out, const char *key,
                          const nf_cli_stats *st, char *err, size_t errlen) {
  char *mpath = nf_cli_manifest_path(out);
  if (!mpath) return 0;
  nf_buf b;
  nf_buf_init(&b);
  nf_buf_puts(&b, key);
  size_t skipped = nf_cli_stats_skipped(st);
  nf_buf_printf(&b, "  \"result\": {\"complete\": true, \"records\": %zu, "
                "\"kept\": %zu, \"skipped\": %zu, \"failed\": %zu, "
                "\"output_size\": %llu, \"failures\": [", st->records,
                st->kept, skipped, st->failed, st->output_bytes);
  for (size_t i = 0; i < st->n_failures; i++) {
    nf_buf_puts(&b, i ? ",\n    {" : "\n    {");
    put_key(&b, "input");
    put_str_or_null(&b, st->failures[i].input);
    nf_buf_puts(&b, ", ");
    put_key(&b, "error");
    put_str_or_null(&b, st->failures[i].error);
    nf_buf_puts(&b, "}");
  }
  nf_buf_puts(&b, st->n_failures ? "\n  ]}\n}\n" : "]}\n}\n");
  int rc = nf_cli_publish(mpath, b.ptr, b.len, err, errlen);
  nf_buf_free(&b);
  free(mpath);
  return rc;
}

void nf_cli_remove_stale_temps(const char *out) {
  size_t len = strlen(out);
  while (len > 1 && out[len - 1] == '/') len--;
  const char *slash = memrchr(out, '/', len);
  size_t dirlen = slash ? (size_t)(slash - out) + 1 : 0;
  /* ".BASE.newsform-tmp.XXXXXX", glob's special characters escaped. */
  nf_buf pat;
  nf_buf_init(&pat);
  for (size_t i = 0; i < len; i++) {
    if (i == dirlen) nf_buf_putc(&pat, '.');
    if (strchr("*?[\\", out[i])) nf_buf_putc(&pat, '\\');
    nf_buf_putc(&pat, out[i]);
  }
  nf_buf_puts(&pat, ".newsform-tmp.??????");
  glob_t g;
  if (glob(pat.ptr, GLOB_NOSORT, NULL, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; i++) unlink(g.gl_pathv[i]);
    globfree(&g);
  }
  nf_buf_free(&pat);
}
