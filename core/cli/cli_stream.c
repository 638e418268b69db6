/* cli_stream.c: newsform --stream, for engines that pipe records through a
 * command (Hadoop Streaming, Spark's RDD.pipe, xargs): JSON Lines on
 * standard input (gzip-compressed or not), each line a record read by the
 * field rules of .jsonl.gz bundles ("html", else "content", else "text";
 * "url", "title"), or a web archive (WARC, plain or gzip) read in one pass
 * by the library's streaming reader, record by record, one JSON line per
 * article on standard output, flushed after each, messages on standard
 * error only. One worker reads, processes
 * and writes one record at a time: memory stays flat on an endless stream,
 * and the engine runs as many of these as it wants in parallel. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "cli.h"

#define READ_CHUNK ((size_t)64 << 10)

/* Standard input, read as it comes (a read returns what the pipe has: a
 * record is answered before the next one arrives), gunzipped when it
 * starts with gzip's magic bytes (members one after the other, as
 * concatenated .gz files are). */
typedef struct line_reader {
  int fd;
  unsigned char *raw;   /* gzip: compressed bytes */
  char *chunk;          /* bytes of lines */
  size_t pos, len;
  z_stream zs;
  size_t head;          /* bytes already in raw (read_head) */
  int gz, started, eof, error, in_member;
} line_reader;

/* Reads what is there (at least one byte unless at the end). */
static ssize_t read_some(int fd, void *buf, size_t n) {
  for (;;) {
    ssize_t got = read(fd, buf, n);
    if (got >= 0 || errno != EINTR) return got;
  }
}

/* Refills lr->chunk: 1, 0 at the end, -1 on a read or gzip error. */
static int fill(line_reader *lr) {
  lr->pos = lr->len = 0;
  if (!lr->started) {
    lr->started = 1;
    ssize_t got = lr->head ? (ssize_t)lr->head
                           : read_some(lr->fd, lr->raw, READ_CHUNK), more;
    while (got == 1 && (more = read_some(lr->fd, lr->raw + 1, 1)) > 0)
      got += more; /* two bytes to know gzip */
    if (got < 0) return -1;
    lr->gz = got >= 2 && lr->raw[0] == 0x1f && lr->raw[1] == 0x8b;
    if (!lr->gz) {
      memcpy(lr->chunk, lr->raw, (size_t)got);
      lr->len = (size_t)got;
      return got > 0;
    }
    if (inflateInit2(&lr->zs, 16 + MAX_WBITS) != Z_OK) nf_oom();
    lr->zs.next_in = lr->raw;
    lr->zs.avail_in = (uInt)got;
    lr->in_member = 1;
  }
  if (!lr->gz) {
    ssize_t got = read_some(lr->fd, lr->chunk, READ_CHUNK);
    if (got < 0) return -1;
    lr->len = (size_t)got;
    return got > 0;
  }
  for (;;) {
    if (lr->zs.avail_in == 0) {
      ssize_t got = read_some(lr->fd, lr->raw, READ_CHUNK);
      if (got < 0) return -1;
      if (got == 0) return lr->in_member ? -1 : 0; /* truncated, or done */
      lr->zs.next_in = lr->raw;
      lr->zs.avail_in = (uInt)got;
    }
    if (!lr->in_member) { /* the next member */
      inflateReset(&lr->zs);
      lr->in_member = 1;
    }
    lr->zs.next_out = (unsigned char *)lr->chunk;
    lr->zs.avail_out = (uInt)READ_CHUNK;
    int rc = inflate(&lr->zs, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) lr->in_member = 0;
    else if (rc != Z_OK && rc != Z_BUF_ERROR) return -1;
    lr->len = READ_CHUNK - lr->zs.avail_out;
    if (lr->len > 0) return 1;
  }
}

/* The next line into out (without its newline). 1, 0 at the end, 2 when
 * the line is longer than max (out then holds its first max bytes; the
 * rest is skipped). */
static int next_line(line_reader *lr, nf_buf *out, size_t max) {
  nf_buf_clear(out);
  int too_long = 0, any = 0;
  for (;;) {
    if (lr->pos == lr->len) {
      int rc = lr->eof ? 0 : fill(lr);
      if (rc <= 0) {
        lr->eof = 1;
        if (rc < 0) lr->error = 1; /* a cut line is no record */
        return any && rc == 0 ? (too_long ? 2 : 1) : 0;
      }
    }
    any = 1;
    const char *start = lr->chunk + lr->pos;
    const char *nl = memchr(start, '\n', lr->len - lr->pos);
    size_t n = nl ? (size_t)(nl - start) : lr->len - lr->pos;
    if (!too_long && out->len + n > max) too_long = 1;
    if (!too_long) nf_buf_put(out, start, n);
    lr->pos += n + (nl ? 1 : 0);
    if (nl) return too_long ? 2 : 1;
  }
}

/* Is the result one line of JSON object, as the engine wants it? */
static int one_json_line(const nf_buf *d) {
  if (d->len < 3 || d->ptr[0] != '{' || d->ptr[d->len - 1] != '\n') return 0;
  return memchr(d->ptr, '\n', d->len - 1) == NULL &&
         d->ptr[d->len - 2] == '}';
}

/* Writes a result as one JSON line: as is when it is one, else wrapped
 * as {"input": ..., "content": ...}. -1 when standard output fails. */
static int emit(const nf_cli_result *r) {
  if (r->data.len == 0) return 0;
  int rc;
  if (one_json_line(&r->data)) {
    rc = fwrite(r->data.ptr, 1, r->data.len, stdout) == r->data.len ? 0 : -1;
  } else {
    nf_buf b;
    nf_buf_init(&b);
    nf_buf_puts(&b, "{\"input\": ");
    nf_json_put_string(&b, r->input, strlen(r->input));
    nf_buf_puts(&b, ", \"content\": ");
    size_t len = r->data.len;
    if (r->data.ptr[len - 1] == '\n') len--;
    nf_json_put_string(&b, r->data.ptr, len);
    nf_buf_puts(&b, "}\n");
    rc = fwrite(b.ptr, 1, b.len, stdout) == b.len ? 0 : -1;
    nf_buf_free(&b);
  }
  return rc < 0 || fflush(stdout) != 0 ? -1 : 0;
}

/* A begin/finish hook: its output, or its error. 0 or -1. */
static int run_hook(nf_cli_state *st, const char *which) {
  nf_cli_result r = {0};
  nf_cli_state_run_hook(st, which, &r);
  int rc = 0;
  if (r.error) {
    fprintf(stderr, "newsform: %s\n", r.error);
    rc = -1;
  } else if (emit(&r) < 0) {
    fprintf(stderr, "newsform: standard output: write error\n");
    rc = -1;
  }
  nf_cli_result_clear(&r);
  return rc;
}

/* Do the first n bytes tell what standard input holds (a web archive,
 * plain or gzip, or anything else)? */
static int head_decides(const unsigned char *p, size_t n) {
  static const char warc[] = "WARC/1.";
  if (n == 0) return 0;
  if (p[0] != 0x1f) return n >= 8 || memcmp(p, warc, n) != 0;
  if (n < 3) return 0;
  unsigned char plain[8];
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) nf_oom();
  z.next_in = (unsigned char *)p;
  z.avail_in = (uInt)n;
  z.next_out = plain;
  z.avail_out = sizeof plain;
  int rc = inflate(&z, Z_SYNC_FLUSH);
  size_t m = sizeof plain - z.avail_out;
  inflateEnd(&z);
  return m >= 8 || (rc != Z_OK && rc != Z_BUF_ERROR) ||
         memcmp(plain, warc, m) != 0;
}

/* The first bytes of standard input, as they come, until they tell a web
 * archive from JSON Lines (a short first line is answered before more
 * arrives): into lr->raw, counted in lr->head. */
static void read_head(line_reader *lr) {
  while (!head_decides(lr->raw, lr->head)) {
    ssize_t k = read_some(lr->fd, lr->raw + lr->head, READ_CHUNK - lr->head);
    if (k <= 0) break; /* an error: read again, and said, by fill */
    lr->head += (size_t)k;
  }
}

/* One record processed (unless r->error is set already) and answered;
 * counted. 0, or -1 when the run must stop. */
static int answer(nf_cli_state *st, const nf_cli_opts *o, nf_cli_stats *stats,
                  const nf_cli_input *in, const char *entry,
                  const nf_buf *data, nf_cli_result *r, size_t *failures) {
  int rc = 0;
  if (!r->error) nf_cli_state_process(st, in, entry, data, r);
  if (r->warning || r->error) nf_cli_stats_clear_line(stats);
  if (r->warning && !o->quiet) fprintf(stderr, "newsform: %s\n", r->warning);
  if (r->error) {
    fprintf(stderr, "newsform: %s\n", r->error);
    (*failures)++;
    if (!o->keep_going) rc = -1;
  } else if (emit(r) < 0) {
    fprintf(stderr, "newsform: standard output: write error\n");
    rc = -1;
  }
  nf_cli_stats_record(stats, NULL, r);
  nf_cli_result_clear(r);
  return rc;
}

/* A web archive on standard input, head already read: its records in one
 * pass (the library's streaming reader), each answered as it is read. 0,
 * or -1 when the run must stop. */
static int stream_warc(nf_cli_state *st, const nf_cli_opts *o,
                       nf_cli_stats *stats, const line_reader *lr,
                       size_t *failures) {
  char err[2048];
  size_t max_entry = o->max_entry_size ? o->max_entry_size
                                       : NF_BUNDLE_MAX_ENTRY_DEFAULT;
  /* the format given: sniffing would wait for more than a short first
   * record while the writer waits for its answer */
  nf_bundle_format f = lr->raw[0] == 0x1f ? NF_BUNDLE_WARC_GZ : NF_BUNDLE_WARC;
  nf_bundle_reader *rd = nf_bundle_open_stdin(lr->raw, lr->head, f, max_entry,
                                              err, sizeof err);
  if (!rd) {
    fprintf(stderr, "newsform: %s\n", err);
    return -1;
  }
  nf_cli_input in = {0};
  in.path = "<stdin>";
  in.kind = NF_CLI_KIND_WARC;
  in.offset = -1; /* the record's bytes come with it */
  nf_buf data;
  nf_buf_init(&data);
  nf_bundle_entry e;
  int rc = 0, got;
  while (rc == 0 && (got = nf_bundle_next(rd, &e, err, sizeof err)) == 1) {
    nf_cli_result r = {0};
    r.index = stats->records;
    nf_buf label;
    nf_buf_init(&label);
    nf_bundle_entry_label("<stdin>", e.name, &label);
    r.input = nf_buf_detach(&label);
    char *entry = nf_xstrdup(e.name);
    nf_buf_clear(&data);
    if (nf_bundle_read(rd, &data, err, sizeof err) < 0)
      r.error = nf_xstrdup(err);
    stats->bytes_in += data.len;
    rc = answer(st, o, stats, &in, entry, &data, &r, failures);
    free(entry);
  }
  if (rc == 0 && got < 0) {
    fprintf(stderr, "newsform: %s\n", err);
    rc = -1;
  }
  const char *const *why;
  const unsigned long long *count;
  size_t n = nf_bundle_reader_skips(rd, &why, &count);
  for (size_t i = 0; i < n; i++)
    nf_cli_stats_add_skips(stats, why[i], (size_t)count[i]);
  nf_buf_free(&data);
  nf_bundle_reader_free(rd);
  return rc;
}

int nf_cli_stream(nf_cli_opts *o) {
  char err[2048];
  nf_cli_state *st = nf_cli_state_new(o, 1, 1, err, sizeof err);
  if (!st) {
    fprintf(stderr, "newsform: %s\n", err);
    return NF_EXIT_FAILURE;
  }
  nf_cli_stats stats;
  nf_cli_input_list none = {0};
  nf_cli_stats_init(&stats, o, &none);
  stats.units = 1;
  stats.total_records = SIZE_MAX;
  int status = run_hook(st, "begin") < 0 ? NF_EXIT_FAILURE : 0;

  line_reader lr;
  memset(&lr, 0, sizeof lr);
  lr.fd = 0;
  lr.raw = nf_xmalloc(READ_CHUNK);
  lr.chunk = nf_xmalloc(READ_CHUNK);
  nf_cli_input in = {0};
  in.path = "-";
  in.kind = NF_CLI_KIND_JSON_LINE;
  nf_buf line;
  nf_buf_init(&line);
  size_t lineno = 0, failures = 0;
  int got;
  if (status == 0) read_head(&lr);
  if (status == 0 && nf_cli_head_is_warc(lr.raw, lr.head)) {
    if (stream_warc(st, o, &stats, &lr, &failures) < 0)
      status = NF_EXIT_FAILURE;
    lr.eof = 1; /* no lines */
  }
  while (status == 0 && (got = next_line(&lr, &line, o->max_input)) != 0) {
    lineno++;
    stats.bytes_in += line.len + 1;
    size_t i = 0;
    while (i < line.len && strchr(" \t\r", line.ptr[i])) i++;
    if (got == 1 && i == line.len) continue; /* a blank line: no record */
    nf_cli_result r = {0};
    r.index = stats.records;
    nf_buf label;
    nf_buf_init(&label);
    nf_buf_printf(&label, "<stdin>:line-%zu", lineno);
    r.input = nf_buf_detach(&label);
    if (got == 2) {
      nf_buf e;
      nf_buf_init(&e);
      nf_buf_printf(&e, "%s: longer than --max-input (%zu bytes)", r.input,
                    o->max_input);
      r.error = nf_buf_detach(&e);
    }
    if (answer(st, o, &stats, &in, NULL, &line, &r, &failures) < 0)
      status = NF_EXIT_FAILURE;
  }
  if (lr.error && status == 0) {
    fprintf(stderr, "newsform: <stdin>: %s\n", lr.gz ? "corrupt or truncated "
            "gzip data" : strerror(errno));
    status = NF_EXIT_FAILURE;
  }
  if (status == 0 && run_hook(st, "finish") < 0) status = NF_EXIT_FAILURE;
  nf_cli_stats_end(&stats);
  if (o->keep_going && failures && status == 0) {
    fprintf(stderr, "newsform: %zu of %zu record%s failed\n", failures,
            stats.records, stats.records == 1 ? "" : "s");
    status = NF_EXIT_FAILURE;
  }
  if (o->stats_path && nf_cli_stats_write(&stats, o->stats_path) < 0)
    status = NF_EXIT_FAILURE;
  nf_buf_free(&line);
  free(lr.chunk);
  free(lr.raw);
  if (lr.gz) inflateEnd(&lr.zs);
  nf_cli_stats_free(&stats);
  nf_cli_state_free(st);
  return status;
}
