/* extract_bench.c: the extraction benchmark's driver (bench/extract.sh).
 *
 *   extract_bench PRED.json FILE...      predictions {ID: {"articleBody": text}}
 *                                        (ID = file name without .html.gz),
 *                                        then timings on stdout
 *   extract_bench --meta EXPECTED_DIR    metadata fields, one JSON per page
 *
 * Timings: every file is read and gunzipped into memory first; then, five
 * times, (a) parse only and (b) parse + nf_article_extract + one
 * Readability-style JSON object per page. The median of the five runs is
 * printed as pages per second, one thread. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsform.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void put_field(nf_buf *out, const char *key, const char *val, int *first) {
  if (!*first) nf_buf_putc(out, ',');
  *first = 0;
  nf_json_put_string(out, key, strlen(key));
  nf_buf_putc(out, ':');
  if (val) nf_json_put_string(out, val, strlen(val));
  else nf_buf_puts(out, "null");
}

/* The JSON object scripts/json.lua prints, written from C. */
static void article_json(nf_article *a, nf_buf *out) {
  int first = 1;
  nf_buf html = NF_BUF_INIT;
  nf_buf_init(&html);
  if (a->body) nf_node_inner_html(a->body, &html);
  nf_buf_putc(out, '{');
  put_field(out, "title", a->title, &first);
  put_field(out, "byline", a->byline, &first);
  put_field(out, "lang", a->lang, &first);
  put_field(out, "excerpt", a->description, &first);
  put_field(out, "siteName", a->site_name, &first);
  put_field(out, "publishedTime", a->published, &first);
  put_field(out, "content", html.ptr, &first);
  put_field(out, "textContent", a->text, &first);
  nf_buf_printf(out, ",\"length\":%zu}\n", strlen(a->text ? a->text : ""));
  nf_buf_free(&html);
}

static char *page_id(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strcspn(base, ".");
  return nf_xstrndup(base, n);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: extract_bench PRED.json FILE...\n");
    return 2;
  }
  int nfiles = argc - 2;
  nf_buf *data = nf_xcalloc((size_t)nfiles, sizeof *data);
  char err[256];
  for (int i = 0; i < nfiles; i++) {
    nf_buf_init(&data[i]);
    if (nf_read_input(argv[i + 2], 0, &data[i], err, sizeof err) < 0) {
      fprintf(stderr, "extract_bench: %s: %s\n", argv[i + 2], err);
      return 1;
    }
  }
  /* Predictions. */
  FILE *pred = fopen(argv[1], "w");
  if (!pred) {
    perror(argv[1]);
    return 1;
  }
  nf_buf out = NF_BUF_INIT;
  nf_buf_init(&out);
  nf_buf_putc(&out, '{');
  for (int i = 0; i < nfiles; i++) {
    nf_parse_opts opts = {NF_INPUT_AUTO, NULL, argv[i + 2], NULL};
    nf_doc *doc = nf_doc_parse(data[i].ptr, data[i].len, &opts, err, sizeof err);
    if (!doc) {
      fprintf(stderr, "extract_bench: %s: %s\n", argv[i + 2], err);
      continue;
    }
    nf_article *a = nf_article_extract(doc);
    char *id = page_id(argv[i + 2]);
    if (out.len > 1) nf_buf_puts(&out, ",\n");
    nf_json_put_string(&out, id, strlen(id));
    nf_buf_puts(&out, ":{\"articleBody\":");
    const char *t = a && a->text ? a->text : "";
    nf_json_put_string(&out, t, strlen(t));
    nf_buf_putc(&out, '}');
    free(id);
    nf_doc_free(doc);
  }
  nf_buf_puts(&out, "}\n");
  fwrite(out.ptr, 1, out.len, pred);
  fclose(pred);
  /* Timings. */
  enum { RUNS = 5 };
  double parse_t[RUNS], full_t[RUNS];
  size_t bytes = 0;
  for (int i = 0; i < nfiles; i++) bytes += data[i].len;
  for (int r = 0; r < RUNS; r++) {
    double t0 = now();
    for (int i = 0; i < nfiles; i++) {
      nf_parse_opts opts = {NF_INPUT_AUTO, NULL, argv[i + 2], NULL};
      nf_doc *doc = nf_doc_parse(data[i].ptr, data[i].len, &opts, err, sizeof err);
      nf_doc_free(doc);
    }
    double t1 = now();
    for (int i = 0; i < nfiles; i++) {
      nf_parse_opts opts = {NF_INPUT_AUTO, NULL, argv[i + 2], NULL};
      nf_doc *doc = nf_doc_parse(data[i].ptr, data[i].len, &opts, err, sizeof err);
      if (!doc) continue;
      nf_buf_clear(&out);
      article_json(nf_article_extract(doc), &out);
      nf_doc_free(doc);
    }
    double t2 = now();
    parse_t[r] = t1 - t0;
    full_t[r] = t2 - t1;
  }
  qsort(parse_t, RUNS, sizeof parse_t[0], cmp_double);
  qsort(full_t, RUNS, sizeof full_t[0], cmp_double);
  double p = parse_t[RUNS / 2], f = full_t[RUNS / 2];
  printf("pages %d, %.1f MB of HTML\n", nfiles, bytes / 1e6);
  printf("parse only:                %7.1f pages/s (%.2f ms/page)\n", nfiles / p,
         p * 1000 / nfiles);
  printf("parse + extract + JSON:    %7.1f pages/s (%.2f ms/page)\n", nfiles / f,
         f * 1000 / nfiles);
  printf("extract+JSON / parse time: %7.2fx\n", p > 0 ? (f - p) / p : 0);
  nf_buf_free(&out);
  for (int i = 0; i < nfiles; i++) nf_buf_free(&data[i]);
  free(data);
  return 0;
}
