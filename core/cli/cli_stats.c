/* cli_stats.c: what a run did, counted once for three readers: --stats
 * FILE.json, the progress line on standard error (a terminal, or
 * --progress) and the shard's manifest (cli_shard.c). The writer thread
 * (main.c) calls nf_cli_stats_record for every record in input order, so
 * nothing here needs a lock. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define PROGRESS_INTERVAL 0.25 /* seconds between redraws */
#define PROGRESS_DELAY 1.0     /* on a terminal: the first after a second */

double nf_cli_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void nf_cli_stats_add_skips(nf_cli_stats *st, const char *reason,
                            size_t count) {
  if (count == 0) return;
  for (size_t i = 0; i < st->n_skips; i++)
    if (strcmp(st->skips[i].reason, reason) == 0) {
      st->skips[i].count += count;
      return;
    }
  st->skips = nf_xrealloc(st->skips, (st->n_skips + 1) * sizeof *st->skips);
  st->skips[st->n_skips].reason = nf_xstrdup(reason);
  st->skips[st->n_skips++].count = count;
}

size_t nf_cli_stats_skipped(const nf_cli_stats *st) {
  size_t n = 0;
  for (size_t i = 0; i < st->n_skips; i++) n += st->skips[i].count;
  return n;
}

void nf_cli_stats_init(nf_cli_stats *st, const nf_cli_opts *o,
                       const nf_cli_input_list *in) {
  memset(st, 0, sizeof *st);
  st->start = nf_cli_now();
  st->units = in->n_units;
  /* a web archive listed as the run goes: records not known up front */
  st->total_records = in->n_lazy ? SIZE_MAX : in->len;
  if (in->n_lazy && in->n_units)
    st->unit_end = nf_xmalloc(in->n_units * sizeof *st->unit_end);
  unsigned long long end = 0;
  for (size_t i = 0; i < in->n_units; i++) {
    struct stat sb;
    int stdin_unit = strcmp(in->units[i], "-") == 0;
    int found = !stdin_unit && stat(in->units[i], &sb) == 0;
    int sized = found && S_ISREG(sb.st_mode);
    if (sized) st->bytes_in += (unsigned long long)sb.st_size;
    /* Standard input has a size when it is a file (or spooled to one). A
     * path that is not there (it fails, or FILE@OFFSET: one record) has
     * no bytes to count; a pipe's are not known. */
    if (stdin_unit)
      sized = fstat(in->stdin_fd > 0 ? in->stdin_fd : 0, &sb) == 0 &&
              S_ISREG(sb.st_mode);
    if (st->unit_end && !sized && (stdin_unit || (found &&
                                                  !S_ISDIR(sb.st_mode)))) {
      free(st->unit_end); /* no share of bytes */
      st->unit_end = NULL;
    }
    end += sized ? (unsigned long long)sb.st_size : 0;
    if (st->unit_end) st->unit_end[i] = end;
  }
  if (st->unit_end && end == 0) { /* empty files: nothing to share */
    free(st->unit_end);
    st->unit_end = NULL;
  }
  nf_cli_stats_add_skips(st, "binary", in->n_skipped);
  /* On a terminal, unless the results go to it too (they would be torn
   * apart), and only once the run has lasted a second: a short run says
   * nothing. --progress: always. */
  int out_file = o->output && strcmp(o->output, "-") != 0;
  if (o->quiet) st->progress = 0;
  else if (o->progress) st->progress = 1;
  else if (isatty(2) && (out_file || !isatty(1))) st->progress = 2;
}

/* The unit a record belongs to: its bundle, or the file itself. */
static const void *unit_of(const nf_cli_input_list *in, size_t i) {
  return in->items[i].bundle ? (const void *)in->items[i].bundle
                             : (const void *)&in->items[i];
}

static void fmt_duration(char *out, size_t n, double s) {
  if (s < 0 || s > 1e7) {
    snprintf(out, n, "?");
    return;
  }
  unsigned long t = (unsigned long)(s + 0.5);
  snprintf(out, n, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
}

/* 262 MB, 1.2 GB, 5.3 kB: decimal units, as sizes are quoted for disks. */
static void fmt_bytes(char *out, size_t n, unsigned long long b) {
  static const char *const unit[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  double v = (double)b;
  int u = 0;
  while (v >= 999.5 && u < 5) {
    v /= 1000;
    u++;
  }
  snprintf(out, n, u && v < 9.95 ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

/* The inputs' bytes, when the line shows their share. */
static unsigned long long bytes_total(const nf_cli_stats *st) {
  return st->unit_end ? st->unit_end[st->units - 1] : 0;
}

static void draw(nf_cli_stats *st, double now, int last) {
  double secs = now - st->start;
  double rate = secs > 0 ? (double)st->records / secs : 0;
  char line[256], eta[32], size[32];
  int len = snprintf(line, sizeof line, "newsform: ");
  if (st->shard_label)
    len += snprintf(line + len, sizeof line - (size_t)len, "shard %s: ",
                    st->shard_label);
  int known = st->total_records != SIZE_MAX; /* --stream: not known */
  len += snprintf(line + len, sizeof line - (size_t)len, "inputs %zu/%zu, "
                  "records %zu", st->units_done, st->units, st->records);
  if (known)
    len += snprintf(line + len, sizeof line - (size_t)len, "/%zu",
                    st->total_records);
  /* Records not known (web archives), sizes known: the share of bytes. */
  unsigned long long total = known ? 0 : bytes_total(st);
  if (total) {
    fmt_bytes(size, sizeof size, total);
    len += snprintf(line + len, sizeof line - (size_t)len, ", %d%% of %s",
                    (int)(st->bytes_done * 100 / total), size);
  }
  len += snprintf(line + len, sizeof line - (size_t)len, ", %.1f/s", rate);
  if (!last && known && rate > 0 && st->total_records >= st->records) {
    fmt_duration(eta, sizeof eta,
                 (double)(st->total_records - st->records) / rate);
    len += snprintf(line + len, sizeof line - (size_t)len, ", ETA %s", eta);
  } else if (!last && total && st->bytes_done > 0 && secs > 0) {
    /* from the byte rate: records of an archive are not known ahead */
    fmt_duration(eta, sizeof eta, (double)(total - st->bytes_done) * secs /
                                      (double)st->bytes_done);
    len += snprintf(line + len, sizeof line - (size_t)len, ", ETA %s", eta);
  } else if (last) {
    fmt_duration(eta, sizeof eta, secs);
    len += snprintf(line + len, sizeof line - (size_t)len, ", in %s", eta);
  }
  len += snprintf(line + len, sizeof line - (size_t)len, ", %zu failed",
                  st->failed);
  if (len < 0 || (size_t)len >= sizeof line) len = (int)sizeof line - 1;
  /* Blanks over the rest of a longer previous line. */
  int pad = st->last_len > (size_t)len ? (int)(st->last_len - (size_t)len) : 0;
  fprintf(stderr, "\r%s%*s%s", line, pad, "", last ? "\n" : "");
  fflush(stderr);
  st->last_len = (size_t)len;
  st->last_draw = now;
}

void nf_cli_stats_record(nf_cli_stats *st, const nf_cli_input_list *in,
                         const nf_cli_result *r) {
  st->records++;
  if (r->error) {
    st->failed++;
    if (st->n_failures < NF_CLI_MAX_LISTED_FAILURES) {
      st->failures = nf_xrealloc(st->failures,
                                 (st->n_failures + 1) * sizeof *st->failures);
      nf_cli_failure *f = &st->failures[st->n_failures++];
      f->input = nf_xstrdup(r->input ? r->input : "?");
      f->error = nf_xstrdup(r->error);
    }
  } else if (r->data.len) {
    st->kept++;
    st->bytes_out += r->data.len;
  } else {
    nf_cli_stats_add_skips(st, "no result", 1);
  }
  /* A unit is done when the next one's first record is (or the run is:
   * nf_cli_stats_end); a web archive's records are not all known. */
  if (in && r->item < in->len) {
    const void *u = unit_of(in, r->item);
    if (st->unit_key && u != st->unit_key) st->units_done++;
    st->unit_key = u;
  } else if (!in) {
    st->units_done = 1;
  }
  if (in && st->unit_end && r->item < in->len) {
    /* Done up to this record: a file's end, an archive record's offset
     * (its start: the share errs low), else (a record in one gzip
     * stream, a tar entry) its unit's start. */
    const nf_cli_input *it = &in->items[r->item];
    if (it->unit < st->units) {
      unsigned long long lo = it->unit ? st->unit_end[it->unit - 1] : 0;
      unsigned long long hi = st->unit_end[it->unit], at = lo;
      if (!it->bundle) at = hi;
      else if (r->offset > 0) at = lo + (unsigned long long)r->offset;
      if (at > hi) at = hi; /* the file grew */
      if (at > st->bytes_done) st->bytes_done = at;
    }
  }
  if (st->progress) {
    double now = nf_cli_now();
    if (now - st->last_draw >= PROGRESS_INTERVAL &&
        (st->progress == 1 || now - st->start >= PROGRESS_DELAY))
      draw(st, now, 0);
  }
}

void nf_cli_stats_clear_line(nf_cli_stats *st) {
  if (!st->progress || st->last_len == 0) return;
  fprintf(stderr, "\r%*s\r", (int)st->last_len, "");
  st->last_len = 0;
  st->last_draw = 0; /* redrawn with the next record */
}

void nf_cli_stats_end(nf_cli_stats *st) {
  /* Units that gave no records (an empty bundle, binary files) are done. */
  st->units_done = st->units;
  st->bytes_done = bytes_total(st);
  if (st->progress == 1 || (st->progress && st->last_draw > 0))
    draw(st, nf_cli_now(), 1);
}

int nf_cli_stats_write(const nf_cli_stats *st, const char *path) {
  nf_buf b;
  nf_buf_init(&b);
  size_t skipped = nf_cli_stats_skipped(st);
  nf_buf_printf(&b, "{\n  \"newsform\": \"%s\",\n", NF_VERSION);
  if (st->shard_label) {
    nf_buf_puts(&b, "  \"shard\": ");
    nf_json_put_string(&b, st->shard_label, strlen(st->shard_label));
    nf_buf_puts(&b, ",\n");
  }
  nf_buf_printf(&b, "  \"inputs\": %zu,\n  \"records\": {\"read\": %zu, "
                "\"kept\": %zu, \"failed\": %zu, \"skipped\": %zu, "
                "\"skipped_by_reason\": {", st->units, st->records, st->kept,
                st->failed, skipped);
  for (size_t i = 0; i < st->n_skips; i++) {
    if (i) nf_buf_puts(&b, ", ");
    nf_json_put_string(&b, st->skips[i].reason, strlen(st->skips[i].reason));
    nf_buf_printf(&b, ": %zu", st->skips[i].count);
  }
  nf_buf_printf(&b, "}},\n  \"failures\": %zu,\n  \"bytes_in\": %llu,\n  "
                "\"bytes_out\": %llu,\n  \"output_bytes\": %llu,\n  "
                "\"seconds\": %.3f\n}\n", st->failed, st->bytes_in,
                st->bytes_out, st->output_bytes, nf_cli_now() - st->start);
  char err[1024];
  int rc = nf_cli_publish(path, b.ptr, b.len, err, sizeof err);
  if (rc < 0) fprintf(stderr, "newsform: --stats %s\n", err);
  nf_buf_free(&b);
  return rc;
}

int nf_cli_publish(const char *path, const char *data, size_t len, char *err,
                   size_t errlen) {
  char *tmp;
  int rc = -1, fd = nf_cli_temp_beside(path, &tmp, err, errlen);
  if (fd < 0) return -1;
  if (nf_cli_write_all(fd, data, len) < 0) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    close(fd);
    unlink(tmp);
  } else {
    rc = nf_cli_commit_temp(fd, tmp, path, err, errlen);
  }
  free(tmp);
  return rc;
}

void nf_cli_stats_free(nf_cli_stats *st) {
  for (size_t i = 0; i < st->n_skips; i++) free(st->skips[i].reason);
  for (size_t i = 0; i < st->n_failures; i++) {
    free(st->failures[i].input);
    free(st->failures[i].error);
  }
  free(st->skips);
  free(st->failures);
  free(st->unit_end);
  memset(st, 0, sizeof *st);
}
