/* meta_bench.c: metadata predictions for the corpus's metadata pages.
 *
 *   meta_bench DIR...   for each DIR holding source.html.gz (or
 *                       source.html), prints one JSON object
 *                       {ID: {title, byline, excerpt, siteName,
 *                       publishedTime, modifiedTime, lang, dir, ...}} with
 *                       ID = the DIR's base name.
 *
 * Score it with bench/meta_score.py PRED.json CORPUS_DIR. Built by hand:
 *   cc -std=c11 -O2 -Iinclude bench/meta_bench.c libnewsform.a \
 *      $(pkg-config --libs libxml-2.0 zlib) -lm -o build/meta_bench */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsform.h"

static void put_field(nf_buf *out, const char *key, const char *val) {
  nf_buf_putc(out, ',');
  nf_json_put_string(out, key, strlen(key));
  nf_buf_putc(out, ':');
  if (val) nf_json_put_string(out, val, strlen(val));
  else nf_buf_puts(out, "null");
}

static void put_list(nf_buf *out, const char *key, const nf_pathlist *l) {
  nf_buf_putc(out, ',');
  nf_json_put_string(out, key, strlen(key));
  nf_buf_puts(out, ":[");
  for (size_t i = 0; i < l->len; i++) {
    if (i) nf_buf_putc(out, ',');
    nf_json_put_string(out, l->items[i], strlen(l->items[i]));
  }
  nf_buf_putc(out, ']');
}

int main(int argc, char **argv) {
  nf_buf out;
  nf_buf_init(&out);
  nf_buf_putc(&out, '{');
  int first = 1;
  for (int i = 1; i < argc; i++) {
    char path[4096], err[256];
    nf_buf in;
    nf_buf_init(&in);
    snprintf(path, sizeof path, "%s/source.html.gz", argv[i]);
    if (nf_read_input(path, 0, &in, err, sizeof err) < 0) {
      snprintf(path, sizeof path, "%s/source.html", argv[i]);
      if (nf_read_input(path, 0, &in, err, sizeof err) < 0) {
        fprintf(stderr, "meta_bench: %s: %s\n", argv[i], err);
        nf_buf_free(&in);
        continue;
      }
    }
    nf_parse_opts o = {0};
    o.type = NF_INPUT_HTML;
    o.source = path;
    nf_doc *doc = nf_doc_parse(in.ptr, in.len, &o, err, sizeof err);
    nf_buf_free(&in);
    if (!doc) {
      fprintf(stderr, "meta_bench: %s: %s\n", argv[i], err);
      continue;
    }
    nf_article *a = nf_xcalloc(1, sizeof *a);
    nf_meta_extract(doc, a);
    /* ID: the folder's base name, trailing slashes ignored. */
    char name[1024];
    snprintf(name, sizeof name, "%s", argv[i]);
    size_t nl = strlen(name);
    while (nl > 1 && name[nl - 1] == '/') name[--nl] = '\0';
    const char *id = strrchr(name, '/');
    id = id ? id + 1 : name;
    if (!first) nf_buf_putc(&out, ',');
    first = 0;
    nf_buf_putc(&out, '\n');
    nf_json_put_string(&out, id, strlen(id));
    nf_buf_puts(&out, ":{\"id\":");
    nf_json_put_string(&out, id, strlen(id));
    put_field(&out, "title", a->title);
    put_field(&out, "byline", a->byline);
    put_field(&out, "excerpt", a->description);
    put_field(&out, "siteName", a->site_name);
    put_field(&out, "publishedTime", a->published);
    put_field(&out, "modifiedTime", a->modified);
    put_field(&out, "lang", a->lang);
    put_field(&out, "dir", a->dir);
    put_field(&out, "url", a->url);
    put_field(&out, "image", a->image.url);
    put_list(&out, "authors", &a->authors);
    put_list(&out, "tags", &a->tags);
    nf_buf_putc(&out, '}');
    nf_article_free(a);
    nf_doc_free(doc);
  }
  nf_buf_puts(&out, "\n}\n");
  fwrite(out.ptr, 1, out.len, stdout);
  nf_buf_free(&out);
  return 0;
}
