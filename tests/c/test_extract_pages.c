/* test_extract_pages.c: every page of tests/fixtures/extract/ through
 * nf_article_extract, held to its NAME.expect sidecar when it has one
 * (title, byline, date, description; what the body text and HTML must and
 * must not contain; format in tests/fixtures/README). What holds for every
 * page is checked on each: an article with a body and text, cached on the
 * document, the body detached, the page itself unchanged.
 *   test_extract_pages [NAME...]   only the pages named (file names without
 * the extension); each page ends with "# page NAME: pass|fail" (read by
 * bench/extract.sh for its line per class fixture). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "newsform.h"

#define DIR_PATH "tests/fixtures/extract"

/* A value with \n for a newline and \\ for a backslash. */
static char *unescape(const char *s, size_t len) {
  char *out = nf_xmalloc(len + 1), *w = out;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '\\' && i + 1 < len && (s[i + 1] == 'n' || s[i + 1] == '\\')) {
      *w++ = s[i + 1] == 'n' ? '\n' : '\\';
      i++;
    } else {
      *w++ = s[i];
    }
  }
  *w = '\0';
  return out;
}

static const struct {
  const char *key;
  size_t offset;
} fields[] = {
    {"title", offsetof(nf_article, title)},
    {"byline", offsetof(nf_article, byline)},
    {"description", offsetof(nf_article, description)},
    {"site_name", offsetof(nf_article, site_name)},
    {"lang", offsetof(nf_article, lang)},
    {"published", offsetof(nf_article, published)},
    {"modified", offsetof(nf_article, modified)},
};

/* One expectation, "key: value [# name]"; returns 0 for an unknown key. */
static int check(const char *page, nf_doc *doc, const nf_article *a,
                 const char *html, const char *key, const char *want,
                 const char *name) {
  char full[640];
  snprintf(full, sizeof full, "%s: %s", page, name);
  const char *text = a->text ? a->text : "";
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    if (!strcmp(key, fields[i].key)) {
      const char *got = *(char *const *)((const char *)a + fields[i].offset);
      STR_EQ(got, strcmp(want, "(none)") ? want : NULL, full);
      return 1;
    }
  if (!strcmp(key, "text")) STR_EQ(text, want, full);
  else if (!strcmp(key, "starts"))
    OK(!strncmp(text, want, strlen(want)), full);
  else if (!strcmp(key, "contains")) STR_CONTAINS(text, want, full);
  else if (!strcmp(key, "lacks")) OK(!strstr(text, want), full);
  else if (!strcmp(key, "html contains")) STR_CONTAINS(html, want, full);
  else if (!strcmp(key, "html lacks")) OK(!strstr(html, want), full);
  else if (!strcmp(key, "type"))
    STR_EQ(nf_doc_type(doc) == NF_INPUT_TEXT ? "text" : "html", want, full);
  else if (!strcmp(key, "reading time")) INT_EQ(a->reading_time, atoi(want), full);
  else if (!strcmp(key, "words")) {
    const char *dash = strchr(want, '-');
    long lo = atol(want), hi = dash ? atol(dash + 1) : lo;
    OK(a->word_count >= (size_t)lo && a->word_count <= (size_t)hi, full);
    if (a->word_count < (size_t)lo || a->word_count > (size_t)hi)
      printf("#   %zu words\n", a->word_count);
  } else {
    return 0;
  }
  return 1;
}

/* Checks the page against each line of its sidecar (when present). */
static void check_expect(const char *page, const char *expect_path,
                         nf_doc *doc, const nf_article *a) {
  char err[256];
  nf_buf file = NF_BUF_INIT;
  nf_buf_init(&file);
  if (nf_read_input(expect_path, 0, &file, err, sizeof err) != 0) {
    nf_buf_free(&file);
    return; /* no sidecar: only the checks every page gets */
  }
  char *html = nf_test_html(a->body);
  int lineno = 0;
  for (char *line = file.ptr; line && *line;) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    lineno++;
    char *colon = strstr(line, ": ");
    if (*line && *line != '#') {
      char *hash = colon ? strstr(colon + 2, " # ") : NULL;
      char *value = colon ? colon + 2 : NULL;
      if (colon) *colon = '\0';
      char *want = value ? unescape(value, hash ? (size_t)(hash - value)
                                                : strlen(value))
                         : NULL;
      char name[256];
      if (hash) snprintf(name, sizeof name, "%s", hash + 3);
      else snprintf(name, sizeof name, "%s %s", line, want ? want : "");
      if (!want || !check(page, doc, a, html, line, want, name)) {
        char bad[640];
        snprintf(bad, sizeof bad, "%s:%d: a known key, ': ', a value",
                 expect_path, lineno);
        OK(0, bad);
      }
      free(want);
    }
    line = nl ? nl + 1 : NULL;
  }
  free(html);
  nf_buf_free(&file);
}

static void check_page(const char *path) {
  char expect_path[512], page[256], name[300];
  const char *slash = strrchr(path, '/');
  snprintf(page, sizeof page, "%s", slash ? slash + 1 : path);
  char *dot = strrchr(page, '.');
  if (dot) *dot = '\0';
  snprintf(expect_path, sizeof expect_path, "%s/%s.expect", DIR_PATH, page);

  int failed_before = nf_test_failed;
  nf_doc *doc = nf_test_load(path, NF_INPUT_AUTO, NULL);
  snprintf(name, sizeof name, "%s: parsed", page);
  if (!OK(doc != NULL, name)) {
    printf("# page %s: fail\n", page);
    return;
  }
  char *before = nf_test_html(nf_doc_root(doc));
  nf_article *a = nf_article_extract(doc);
  snprintf(name, sizeof name, "%s: article with body and text", page);
  if (OK(a && a->body && a->text, name)) {
    snprintf(name, sizeof name, "%s: cached on the document", page);
    OK(nf_article_extract(doc) == a, name);
    snprintf(name, sizeof name, "%s: body is detached", page);
    OK(!nf_node_attached(a->body), name);
    char *after = nf_test_html(nf_doc_root(doc));
    snprintf(name, sizeof name, "%s: the page itself is not changed", page);
    OK(!strcmp(before, after), name);
    free(after);
    check_expect(page, expect_path, doc, a);
  }
  free(before);
  nf_doc_free(doc);
  printf("# page %s: %s\n", page, nf_test_failed > failed_before ? "fail" : "pass");
}

/* Is the page at path one of the names asked for (all when none)? */
static int wanted(const char *path, int argc, char **argv) {
  if (argc < 2) return 1;
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  size_t n = strcspn(base, ".");
  for (int i = 1; i < argc; i++)
    if (strlen(argv[i]) == n && !strncmp(base, argv[i], n)) return 1;
  return 0;
}

int main(int argc, char **argv) {
  char err[256];
  nf_pathlist files = {0};
  if (!OK(nf_pathlist_add(&files, DIR_PATH, err, sizeof err) == 0,
          "fixture folder readable"))
    return nf_test_done();
  size_t pages = 0;
  for (size_t i = 0; i < files.len; i++) { /* sorted: a stable TAP order */
    const char *dot = strrchr(files.items[i], '.');
    if (dot && !strcmp(dot, ".expect")) continue;
    if (!wanted(files.items[i], argc, argv)) continue;
    check_page(files.items[i]);
    pages++;
  }
  if (argc < 2) OK(pages >= 13, "every fixture page was read");
  nf_pathlist_free(&files);
  return nf_test_done();
}
