/* bundle_jsonl.c: .jsonl.gz writer (one JSON object per line, gzip) and
 * reader (each line an entry, named by its "name" or "url" member, else
 * "line-N.json"). */
#include "bundle.h"

#include <string.h>

/* ===== Writing ========================================================= */

static void put_member(nf_buf *out, int *first, const char *key,
                       const char *value) {
  if (!value) return;
  nf_buf_puts(out, *first ? "{" : ",");
  *first = 0;
  nf_json_put_string(out, key, strlen(key));
  nf_buf_putc(out, ':');
  nf_json_put_string(out, value, strlen(value));
}

/* A JSON object given as data: checked, then written on one line (JSON
 * allows raw newlines only as whitespace between tokens, so folding them
 * into spaces keeps the value). */
static int put_object_line(nf_buf *line, const char *data, size_t len) {
  size_t a = 0, z = len;
  while (a < z && (data[a] == ' ' || data[a] == '\t' || data[a] == '\n' ||
                   data[a] == '\r'))
    a++;
  while (z > a && (data[z - 1] == ' ' || data[z - 1] == '\t' ||
                   data[z - 1] == '\n' || data[z - 1] == '\r'))
    z--;
  if (z - a < 2 || data[a] != '{' || data[z - 1] != '}') return 0;
  char e[128];
  nf_json *v = nf_json_parse(data + a, z - a, e, sizeof e);
  int object = v && v->type == NF_JSON_OBJECT;
  nf_json_free(v);
  if (!object) return 0;
  for (size_t i = a; i < z; i++) {
    char c = data[i];
    nf_buf_putc(line, c == '\n' || c == '\r' ? ' ' : c);
  }
  return 1;
}

static int write_line(nf_bundle *b, nf_buf *line) {
  nf_buf_putc(line, '\n');
  return nfb_gz_write(b, line->ptr, line->len);
}

int nfb_jsonl_add(nf_bundle *b, const char *name, const void *data,
                  size_t len, const nf_bundle_meta *meta) {
  nf_buf line = NF_BUF_INIT;
  nf_buf_init(&line);
  if (!put_object_line(&line, data, len)) {
    int first = 1;
    put_member(&line, &first, "name", name);
    if (meta) {
      put_member(&line, &first, "source", meta->source);
      put_member(&line, &first, "title", meta->title);
      put_member(&line, &first, "published", meta->published);
    }
    nf_buf_puts(&line, ",\"content\":");
    nf_json_put_string(&line, data, len);
    nf_buf_putc(&line, '}');
  }
  int rc = write_line(b, &line);
  nf_buf_free(&line);
  if (rc == 0) nfb_entry_push(b, name, meta, len, nfb_crc32(0, data, len));
  return rc;
}

int nfb_jsonl_add_article(nf_bundle *b, const char *name,
                          const nf_bundle_article *a, const char *text) {
  nf_buf line = NF_BUF_INIT;
  nf_buf_init(&line);
  int first = 1;
  put_member(&line, &first, "name", name);
  put_member(&line, &first, "title", a->title);
  put_member(&line, &first, "author", a->author);
  put_member(&line, &first, "published", a->published);
  put_member(&line, &first, "section", a->section);
  put_member(&line, &first, "url", a->url);
  put_member(&line, &first, "source", a->source);
  put_member(&line, &first, "lang", a->lang);
  put_member(&line, &first, "summary", a->summary);
  put_member(&line, &first, "text", text ? text : "");
  nf_buf_putc(&line, '}');
  int rc = write_line(b, &line);
  nf_buf_free(&line);
  if (rc == 0) {
    nf_bundle_meta meta;
    memset(&meta, 0, sizeof meta);
    meta.source = a->source;
    meta.title = a->title;
    meta.published = a->published;
    nfb_entry_push(b, name, &meta, strlen(text ? text : ""), 0);
  }
  return rc;
}

/* ===== Reading ========================================================= */

int nfb_jsonl_open(nf_bundle_reader *r, char *err, size_t errlen) {
  r->gz = gzopen(r->path, "rb");
  if (!r->gz) return nfb_rfail(r, err, errlen, "cannot open");
  gzbuffer(r->gz, 65536);
  return 0;
}

/* Reads one line (without its '\n') into r->line; 1, 0 at the end, -1. */
static int read_line(nf_bundle_reader *r, char *err, size_t errlen) {
  nf_buf_clear(&r->line);
  for (;;) {
    char chunk[8192];
    /* gzgets stops after '\n' or when the chunk is full */
    if (!gzgets(r->gz, chunk, sizeof chunk)) {
      int zerr;
      gzerror(r->gz, &zerr);
      const char *msg = nfb_gzerror(r);
      if (zerr != Z_OK && zerr != Z_STREAM_END)
        return nfb_rfail(r, err, errlen, "corrupt or truncated gzip data: %s",
                         msg);
      return r->line.len ? 1 : 0;
    }
    size_t n = strlen(chunk);  /* a NUL inside a line ends it early: fine */
    int eol = n && chunk[n - 1] == '\n';
    if (eol) n--;
    if (r->line.len + n > r->max_entry)
      return nfb_rfail(r, err, errlen,
                       "line %zu exceeds the entry size limit of %zu bytes",
                       r->line_no + 1, r->max_entry);
    nf_buf_put(&r->line, chunk, n);
    if (eol) return 1;
  }
}

int nfb_jsonl_next(nf_bundle_reader *r, char *err, size_t errlen) {
  for (;;) {
    int rc = read_line(r, err, errlen);
    if (rc <= 0) return rc;
    r->line_no++;
    if (r->line.len && r->line.ptr[r->line.len - 1] == '\r')
      nf_buf_truncate(&r->line, r->line.len - 1);
    size_t i = 0;
    while (i < r->line.len && (r->line.ptr[i] == ' ' || r->line.ptr[i] == '\t'))
      i++;
    if (i == r->line.len) continue;   /* blank lines are not entries */
    char e[160];
    nf_json *v = nf_json_parse(r->line.ptr, r->line.len, e, sizeof e);
    if (!v || v->type != NF_JSON_OBJECT) {
      nf_json_free(v);
      return nfb_rfail(r, err, errlen, "line %zu is not a JSON object%s%s",
                       r->line_no, v ? "" : ": ", v ? "" : e);
    }
    const nf_json *name = nf_json_get(v, "name");
    if (!name || name->type != NF_JSON_STRING || !*name->string)
      name = nf_json_get(v, "url");
    nf_buf_clear(&r->name);
    if (name && name->type == NF_JSON_STRING && *name->string)
      nf_buf_put(&r->name, name->string, strlen(name->string));
    else
      nf_buf_printf(&r->name, "line-%zu.json", r->line_no);
    nf_json_free(v);
    memset(&r->cur, 0, sizeof r->cur);
    r->cur.size = r->line.len;
    r->cur.type = NF_ENTRY_FILE;
    return 1;
  }
}

int nfb_jsonl_read(nf_bundle_reader *r, nf_buf *out, char *err,
                   size_t errlen) {
  (void)err;
  (void)errlen;
  nf_buf_put(out, r->line.ptr, r->line.len);
  r->cur_read = 1;
  return 0;
}
