/* bundle_jsonl.c: .jsonl.gz writer (one JSON object per line, gzip) and
 * reader (each line an entry, named by its "name" or "url" member, else
 * "line-N.json"; a line that is not a JSON object, or is over the entry
 * size limit, is the entry "line-N" and fails alone when it is read). */
#include "bundle.h"

#include <ctype.h>
#include <stdlib.h>
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

static int write_line(nfb_io *b, nf_buf *line) {
  nf_buf_putc(line, '\n');
  return nfb_gz_write(b, line->ptr, line->len);
}

static int jsonl_add(void *state, nfb_io *b, const char *name,
                     const void *data, size_t len, const nf_bundle_meta *meta,
                     long long mtime) {
  (void)state;
  (void)mtime;
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

static int jsonl_add_article(void *state, nfb_io *b, const nfb_chapter *a) {
  (void)state;
  const char *name = a->name, *text = a->text;
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

static int jsonl_begin(nfb_io *b, const nf_bundle_opts *o, void **state) {
  (void)o;
  *state = NULL;
  return nfb_gz_begin(b);
}

static int jsonl_finish(void *state, nfb_io *b) {
  (void)state;
  return nfb_gz_end(b);
}

static void no_free(void *state) { (void)state; }

/* no manifest: every line names its article already */
const nfb_writer_ops nfb_jsonl_writer = {
    NFB_FORM_TEXT, 0, 1, jsonl_begin, jsonl_add, NULL, jsonl_add_article,
    jsonl_finish, no_free};

/* ===== Reading ========================================================= */

typedef struct jsonl_reader {
  nfb_zin zin;
  nf_buf line;            /* the current line */
  size_t line_no;
  uint64_t too_big;       /* the current line's length, when over the
                             limit (it was skipped, not kept) */
} jsonl_reader;

static int jsonl_open(nfb_rio *r, void **state, char *err, size_t errlen) {
  (void)err;
  (void)errlen;
  jsonl_reader *j = nf_xcalloc(1, sizeof *j);
  nfb_zin_init(&j->zin, &r->src);
  nf_buf_init(&j->line);
  *state = j;
  return 0;
}

static void jsonl_rfree(void *state) {
  jsonl_reader *j = state;
  if (!j) return;
  nfb_zin_end(&j->zin);
  nf_buf_free(&j->line);
  free(j);
}

/* Reads one line (without its '\n') into r->line; 1, 0 at the end, -1.
 * A line over the entry size limit is read to its end but not kept: its
 * length goes to j->too_big. */
static int read_line(jsonl_reader *j, nfb_rio *r, char *err, size_t errlen) {
  nf_buf_clear(&j->line);
  j->too_big = 0;
  for (;;) {
    /* the decompressed bytes in the source layer's buffer, up to a '\n' */
    size_t avail;
    const char *chunk = (const char *)nfb_zin_buffered(&j->zin, &avail);
    if (!chunk && j->zin.failed)
      return nfb_rfail(r, err, errlen, "corrupt or truncated gzip data: %s",
                       j->zin.msg);
    if (!chunk) return j->line.len || j->too_big ? 1 : 0;
    const char *nl = memchr(chunk, '\n', avail);
    size_t n = nl ? (size_t)(nl - chunk) : avail;
    nfb_zin_take(&j->zin, n + (nl ? 1 : 0));
    int eol = nl != NULL;
    if (j->too_big || j->line.len + n > r->max_entry) {
      if (!j->too_big) j->too_big = j->line.len;
      j->too_big += n;
      nf_buf_clear(&j->line);
    } else {
      nf_buf_put(&j->line, chunk, n);
    }
    if (eol) return 1;
  }
}

static int jsonl_next(void *state, nfb_rio *r, char *err, size_t errlen) {
  jsonl_reader *j = state;
  for (;;) {
    int rc = read_line(j, r, err, errlen);
    if (rc <= 0) return rc;
    j->line_no++;
    memset(&r->cur, 0, sizeof r->cur);
    r->cur.type = NF_ENTRY_FILE;
    nf_buf_clear(&r->name);
    if (j->too_big) { /* fails when read (nfb_too_big), alone */
      nf_buf_printf(&r->name, "line-%zu", j->line_no);
      r->cur.size = j->too_big;
      return 1;
    }
    if (j->line.len && j->line.ptr[j->line.len - 1] == '\r')
      nf_buf_truncate(&j->line, j->line.len - 1);
    size_t i = 0;
    while (i < j->line.len && (j->line.ptr[i] == ' ' || j->line.ptr[i] == '\t'))
      i++;
    if (i == j->line.len) continue;   /* blank lines are not entries */
    r->cur.size = j->line.len;
    char e[160];
    nf_json *v = nf_json_parse(j->line.ptr, j->line.len, e, sizeof e);
    if (!v || v->type != NF_JSON_OBJECT) {
      /* Not an object: an entry all the same, whose reader (a JSON line's
       * parse) says what is wrong; the other lines still count. */
      nf_json_free(v);
      nf_buf_printf(&r->name, "line-%zu", j->line_no);
      return 1;
    }
    const nf_json *name = nf_json_get(v, "name");
    if (!name || name->type != NF_JSON_STRING || !*name->string)
      name = nf_json_get(v, "url");
    if (name && name->type == NF_JSON_STRING && *name->string)
      nf_buf_put(&r->name, name->string, strlen(name->string));
    else
      nf_buf_printf(&r->name, "line-%zu.json", j->line_no);
    nf_json_free(v);
    return 1;
  }
}

static int jsonl_read(void *state, nfb_rio *r, nf_buf *out, char *err,
                      size_t errlen) {
  jsonl_reader *j = state;
  if (j->too_big) return nfb_too_big(r, r->name.ptr, j->too_big, err, errlen);
  nf_buf_put(out, j->line.ptr, j->line.len);
  r->cur_read = 1;
  return 0;
}

/* gzip whose data starts with '{' (after blanks) */
static int jsonl_sniff(const unsigned char *head, size_t n,
                       const unsigned char *plain, size_t m) {
  (void)head;
  (void)n;
  for (size_t i = 0; i < m; i++) {
    if (plain[i] == '{') return 1;
    if (!isspace(plain[i])) break;
  }
  return 0;
}

const nfb_reader_ops nfb_jsonl_reader = {jsonl_sniff, jsonl_open, jsonl_next,
                                         jsonl_read, jsonl_rfree, NULL};
