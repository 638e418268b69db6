/* cli_stream.c: newsform --stream, for engines that pipe records through a
 * command (Hadoop Streaming, Spark's RDD.pipe, xargs): JSON Lines on
 * standard input (gzip-compressed or not), each line a record read by the
 * field rules of .jsonl.gz bundles ("html", else "content", else "text";
 * "url", "title"), or a web archive (WARC, plain or gzip) read in one pass
 * by the library's streaming reader, record by record, one JSON line per
 * article on standard output, flushed after each, messages on standard
 * error only.
 *
 * This file is the pool's source and sink (main.c runs the workers and
 * the ordered writer, as for files): a reader thread of its own reads one
 * record ahead and hands it to the worker that claims it; -j N workers
 * process records in parallel, the writer writes each line as soon as it
 * and those before it are done. Records in memory: the one read ahead and
 * the pool's window (2 per worker), so memory stays flat on an endless
 * stream. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* ===== The reader: one record ahead of the workers ===================== */

typedef struct stream {
  nf_cli_source src;
  size_t max_input, max_entry; /* copied: a reader left running at the
                                  end must not read the options */
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cond;      /* a record taken or put, the reader's end */
  nf_cli_job ahead;         /* the record read ahead, when have */
  int have, finished, stop;
  int drained;              /* every record written (done was called) */
  char *error;              /* standard input failed after its records */
  unsigned long long bytes_in; /* after the last record: blank lines */
  line_reader lr;
  nf_bundle_reader *rd;     /* a web archive: its reader (skips, at close) */
  nf_cli_input in;          /* what every record is */
} stream;

/* A stream whose reader waits on an input the engine keeps open when the
 * run stops: left as it is (still reachable), the process ends. */
static stream *volatile abandoned;

static void job_free(nf_cli_job *job) {
  nf_buf_free(&job->data);
  free(job->entry);
  free(job->label);
  free(job->error);
}

/* Hands a record over: 0, or -1 when the run stopped (the record
 * dropped). */
static int put(stream *s, nf_cli_job *job) {
  pthread_mutex_lock(&s->mu);
  while (s->have && !s->stop) pthread_cond_wait(&s->cond, &s->mu);
  int stop = s->stop;
  if (!stop) {
    s->ahead = *job;
    s->have = 1;
    pthread_cond_broadcast(&s->cond);
  }
  pthread_mutex_unlock(&s->mu);
  if (stop) job_free(job);
  return stop ? -1 : 0;
}

static void fail_with(stream *s, const char *msg) {
  pthread_mutex_lock(&s->mu);
  if (!s->error) s->error = nf_xstrdup(msg);
  pthread_mutex_unlock(&s->mu);
}

/* A web archive on standard input, head already read: its records in one
 * pass (the library's streaming reader). */
static void read_warc(stream *s) {
  char err[2048];
  line_reader *lr = &s->lr;
  /* the format given: sniffing would wait for more than a short first
   * record while the writer waits for its answer */
  nf_bundle_format f = lr->raw[0] == 0x1f ? NF_BUNDLE_WARC_GZ : NF_BUNDLE_WARC;
  nf_bundle_reader *rd = nf_bundle_open_stdin(lr->raw, lr->head, f, s->max_entry,
                                              err, sizeof err);
  if (!rd) {
    fail_with(s, err);
    return;
  }
  pthread_mutex_lock(&s->mu);
  s->rd = rd;
  pthread_mutex_unlock(&s->mu);
  s->in.path = "<stdin>";
  s->in.kind = NF_CLI_KIND_WARC;
  s->in.offset = -1; /* the record's bytes come with it */
  nf_bundle_entry e;
  int got;
  while ((got = nf_bundle_next(rd, &e, err, sizeof err)) == 1) {
    nf_cli_job job;
    memset(&job, 0, sizeof job);
    job.in = s->in;
    job.has_data = 1;
    nf_buf label;
    nf_buf_init(&label);
    nf_bundle_entry_label("<stdin>", e.name, &label);
    job.label = nf_buf_detach(&label);
    job.entry = nf_xstrdup(e.name);
    nf_buf_init(&job.data);
    if (nf_bundle_read(rd, &job.data, err, sizeof err) < 0)
      job.error = nf_xstrdup(err);
    job.bytes_in = job.data.len;
    if (put(s, &job) < 0) return;
  }
  if (got < 0) fail_with(s, err);
}

/* JSON Lines on standard input, one record a line (blank lines none). */
static void read_lines(stream *s) {
  line_reader *lr = &s->lr;
  s->in.path = "-";
  s->in.kind = NF_CLI_KIND_JSON_LINE;
  size_t lineno = 0;
  unsigned long long bytes = 0; /* read since the last record */
  int got;
  for (;;) {
    nf_cli_job job;
    memset(&job, 0, sizeof job);
    nf_buf_init(&job.data);
    if ((got = next_line(lr, &job.data, s->max_input)) == 0) {
      nf_buf_free(&job.data);
      break;
    }
    lineno++;
    bytes += job.data.len + 1;
    size_t i = 0;
    while (i < job.data.len && strchr(" \t\r", job.data.ptr[i])) i++;
    if (got == 1 && i == job.data.len) { /* a blank line: no record */
      nf_buf_free(&job.data);
      continue;
    }
    job.in = s->in;
    job.has_data = 1;
    nf_buf label;
    nf_buf_init(&label);
    nf_buf_printf(&label, "<stdin>:line-%zu", lineno);
    job.label = nf_buf_detach(&label);
    if (got == 2) {
      nf_buf e;
      nf_buf_init(&e);
      nf_buf_printf(&e, "%s: longer than --max-input (%zu bytes)", job.label,
                    s->max_input);
      job.error = nf_buf_detach(&e);
    }
    job.bytes_in = bytes;
    if (put(s, &job) < 0) return;
    bytes = 0;
  }
  pthread_mutex_lock(&s->mu);
  s->bytes_in += bytes;
  pthread_mutex_unlock(&s->mu);
  if (lr->error) {
    char msg[256];
    snprintf(msg, sizeof msg, "<stdin>: %s", lr->gz ? "corrupt or truncated "
             "gzip data" : strerror(errno));
    fail_with(s, msg);
  }
}

static void *reader_main(void *arg) {
  stream *s = arg;
  read_head(&s->lr);
  if (nf_cli_head_is_warc(s->lr.raw, s->lr.head)) read_warc(s);
  else read_lines(s);
  pthread_mutex_lock(&s->mu);
  s->finished = 1;
  pthread_cond_broadcast(&s->cond);
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

/* ===== The pool's source ================================================== */

static int stream_next(void *ctx, nf_cli_job *job) {
  stream *s = ctx;
  pthread_mutex_lock(&s->mu);
  while (!s->have && !s->finished && !s->stop)
    pthread_cond_wait(&s->cond, &s->mu);
  int got = s->have && !s->stop;
  if (got) {
    nf_buf_free(&job->data);
    *job = s->ahead;
    memset(&s->ahead, 0, sizeof s->ahead);
    s->have = 0;
    pthread_cond_broadcast(&s->cond);
  }
  pthread_mutex_unlock(&s->mu);
  return got;
}

static void stream_stop(void *ctx) {
  stream *s = ctx;
  pthread_mutex_lock(&s->mu);
  s->stop = 1;
  pthread_cond_broadcast(&s->cond);
  pthread_mutex_unlock(&s->mu);
}

static int stream_done(void *ctx) {
  stream *s = ctx;
  pthread_mutex_lock(&s->mu);
  s->drained = 1;
  if (s->error) fprintf(stderr, "newsform: %s\n", s->error);
  int rc = s->error ? -1 : 0;
  pthread_mutex_unlock(&s->mu);
  return rc;
}

nf_cli_source *nf_cli_stream_open(const nf_cli_opts *o) {
  stream *s = nf_xcalloc(1, sizeof *s);
  s->max_input = o->max_input;
  s->max_entry = o->max_entry_size ? o->max_entry_size
                                   : NF_BUNDLE_MAX_ENTRY_DEFAULT;
  s->src.next = stream_next;
  s->src.stop = stream_stop;
  s->src.done = stream_done;
  s->src.ctx = s;
  s->src.window = 2; /* per worker: a slow record lets N more finish */
  s->src.jobs = 1;   /* the engine runs as many commands as it wants */
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->cond, NULL);
  s->lr.fd = 0;
  s->lr.raw = nf_xmalloc(READ_CHUNK);
  s->lr.chunk = nf_xmalloc(READ_CHUNK);
  /* Signals go to the main thread, as with the workers. */
  sigset_t old;
  nf_cli_block_signals(&old);
  int rc = pthread_create(&s->thread, NULL, reader_main, s);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (rc != 0) {
    fprintf(stderr, "newsform: cannot start a thread\n");
    exit(NF_EXIT_FAILURE);
  }
  return &s->src;
}

/* ===== The sink: standard output, a line per record ====================== */

static int sink_write(nf_sink *k, const nf_cli_result *r, char *err,
                      size_t errlen) {
  (void)k;
  if (emit(r) == 0) return 0;
  snprintf(err, errlen, "standard output: write error");
  return -1;
}

static void sink_fail(nf_sink *k, const nf_cli_result *r) {
  (void)k;
  (void)r;
}

static int sink_finish(nf_sink *k, char *err, size_t errlen) {
  (void)err;
  (void)errlen;
  free(k);
  return 0;
}

static void sink_abort(nf_sink *k) { free(k); }

nf_sink *nf_cli_stream_sink(void) {
  nf_sink *k = nf_xcalloc(1, sizeof *k);
  k->write = sink_write;
  k->fail = sink_fail;
  k->finish = sink_finish;
  k->abort = sink_abort;
  return k;
}

void nf_cli_stream_close(nf_cli_source *src, nf_cli_stats *st) {
  stream *s = src->ctx;
  /* A run that stopped early: the reader ends with the record it is
   * reading, unless it waits on standard input that stays open. */
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 1;
  pthread_mutex_lock(&s->mu);
  s->stop = 1;
  pthread_cond_broadcast(&s->cond);
  while (!s->finished &&
         pthread_cond_timedwait(&s->cond, &s->mu, &until) == 0) {
  }
  int finished = s->finished;
  if (s->drained) st->bytes_in += s->bytes_in;
  pthread_mutex_unlock(&s->mu);
  if (!finished) {
    abandoned = s;
    pthread_detach(s->thread);
    return;
  }
  pthread_join(s->thread, NULL);
  if (s->rd) {
    const char *const *why;
    const unsigned long long *count;
    size_t n = nf_bundle_reader_skips(s->rd, &why, &count);
    for (size_t i = 0; i < n; i++)
      nf_cli_stats_add_skips(st, why[i], (size_t)count[i]);
    nf_bundle_reader_free(s->rd);
  }
  if (s->have) job_free(&s->ahead);
  free(s->error);
  free(s->lr.chunk);
  free(s->lr.raw);
  if (s->lr.gz) inflateEnd(&s->lr.zs);
  pthread_mutex_destroy(&s->mu);
  pthread_cond_destroy(&s->cond);
  free(s);
}
