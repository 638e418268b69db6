/* test_bundle_formats.c: tar.gz, zip and jsonl.gz written with many
 * entries (non-ASCII name, name over 100 bytes, empty entry, 20 MiB
 * entry), checked by the real tools when present, read back and compared
 * byte for byte; reproducibility, ZIP64, atomic writes and the writers'
 * error paths. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "newsform.h"

static char dir[64];

typedef struct entry {
  char *name;
  char *data;
  size_t len;
} entry;

static entry entries[80];
static size_t n_entries;

static void add_entry(const char *name, const char *data, size_t len) {
  entries[n_entries].name = strdup(name);
  entries[n_entries].data = malloc(len ? len : 1);
  memcpy(entries[n_entries].data, data, len);
  entries[n_entries].len = len;
  n_entries++;
}

static void make_entries(void) {
  add_entry("hello.txt", "Hello, bundle!\n", 15);
  add_entry("caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.md",
            "# Caf\xc3\xa9\n", 9);
  char longname[200];
  memset(longname, 'l', sizeof longname);
  memcpy(longname, "deep/", 5);
  strcpy(longname + 130, ".txt");   /* 134 bytes */
  add_entry(longname, "long name\n", 10);
  add_entry("empty.txt", "", 0);
  /* 20 MiB, compressible but not constant */
  size_t big = (size_t)20 << 20;
  char *p = malloc(big);
  for (size_t i = 0; i < big; i++)
    p[i] = (char)("newsform bundle test data "[i % 26] + (char)((i >> 16) & 3));
  add_entry("big.bin", p, big);
  free(p);
  for (int i = 0; i < 40; i++) {
    char name[32], data[64];
    snprintf(name, sizeof name, "many/article-%02d.txt", i);
    int n = snprintf(data, sizeof data, "article %d\n", i * 7919);
    add_entry(name, data, (size_t)n);
  }
}

static int sh(const char *cmd) {
  int rc = system(cmd);
  return rc == 0;
}

static int have(const char *tool) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
  return sh(cmd);
}

static int write_bundle(const char *path, const nf_bundle_opts *o,
                        char *err, size_t errlen) {
  nf_bundle *b = nf_bundle_create(path, o, err, errlen);
  if (!b) return -1;
  for (size_t i = 0; i < n_entries; i++) {
    nf_bundle_meta m;
    memset(&m, 0, sizeof m);
    m.source = "tests/input.html";
    m.title = i == 1 ? "Caf\xc3\xa9 \"quoted\"" : NULL;
    m.published = i == 0 ? "2024-05-01T10:00:00Z" : NULL;
    m.mtime = i == 0 ? nf_bundle_parse_time(m.published) : 0;
    if (nf_bundle_add(b, entries[i].name, entries[i].data, entries[i].len, &m,
                      err, errlen) < 0) {
      nf_bundle_abort(b);
      return -1;
    }
  }
  nf_bundle_add_failure(b, "bad.html", "could not parse");
  return nf_bundle_close(b, err, errlen);
}

/* Reads the bundle back and compares with entries (plus the manifest). */
static void check_read_back(const char *path, const char *label) {
  char err[512], name[160];
  nf_bundle_reader *r = nf_bundle_open(path, 0, 0, err, sizeof err);
  snprintf(name, sizeof name, "%s: opens for reading", label);
  if (!OK(r, name)) {
    printf("#   %s\n", err);
    return;
  }
  nf_bundle_entry e;
  size_t i = 0, same = 0;
  int rc;
  nf_buf data = NF_BUF_INIT;
  nf_buf manifest = NF_BUF_INIT;
  nf_buf_init(&data);
  nf_buf_init(&manifest);
  while ((rc = nf_bundle_next(r, &e, err, sizeof err)) == 1) {
    nf_buf_clear(&data);
    if (nf_bundle_read(r, &data, err, sizeof err) < 0) {
      printf("#   %s\n", err);
      break;
    }
    if (i < n_entries) {
      if (strcmp(e.name, entries[i].name) == 0 && data.len == entries[i].len &&
          e.size == entries[i].len &&
          memcmp(data.ptr, entries[i].data, data.len) == 0)
        same++;
      else
        printf("#   entry %zu differs: %s (%zu bytes)\n", i, e.name, data.len);
    } else if (strcmp(e.name, "manifest.json") == 0) {
      nf_buf_put(&manifest, data.ptr, data.len);
    }
    i++;
  }
  snprintf(name, sizeof name, "%s: read to the end without error", label);
  if (!OK(rc == 0, name)) printf("#   %s\n", err);
  snprintf(name, sizeof name, "%s: every entry read back byte for byte", label);
  INT_EQ(same, n_entries, name);
  snprintf(name, sizeof name, "%s: manifest.json comes last", label);
  INT_EQ(i, n_entries + 1, name);
  nf_json *m = nf_json_parse(manifest.ptr, manifest.len, err, sizeof err);
  snprintf(name, sizeof name, "%s: manifest is JSON", label);
  OK(m && m->type == NF_JSON_OBJECT, name);
  const nf_json *list = nf_json_get(m, "entries");
  snprintf(name, sizeof name, "%s: manifest lists every entry", label);
  OK(list && list->type == NF_JSON_ARRAY && list->len == n_entries, name);
  if (list && list->len == n_entries) {
    const nf_json *e1 = list->items[1];
    STR_EQ(nf_json_get(e1, "name") ? nf_json_get(e1, "name")->string : NULL,
           entries[1].name, "manifest: entry name");
    STR_EQ(nf_json_get(e1, "title") ? nf_json_get(e1, "title")->string : NULL,
           "Caf\xc3\xa9 \"quoted\"", "manifest: entry title");
    const nf_json *big = list->items[4];
    OK(nf_json_get(big, "size") && nf_json_get(big, "size")->number == 20971520,
       "manifest: entry size");
    STR_EQ(nf_json_get(list->items[0], "crc32")
               ? nf_json_get(list->items[0], "crc32")->string : NULL,
           "56064e16", "manifest: entry crc32");
  }
  const nf_json *gen = nf_json_get(m, "generator");
  STR_EQ(gen ? gen->string : NULL, "newsform " NF_VERSION,
         "manifest: generator and version");
  const nf_json *fails = nf_json_get(m, "failures");
  OK(fails && fails->len == 1, "manifest: failures listed");
  nf_json_free(m);
  nf_buf_free(&data);
  nf_buf_free(&manifest);
  nf_bundle_reader_free(r);
}

static int files_equal(const char *a, const char *b) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
  return sh(cmd);
}

static long file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void test_tar(void) {
  char path[128], path2[128], cmd[1024], err[512];
  snprintf(path, sizeof path, "%s/out.tar.gz", dir);
  snprintf(path2, sizeof path2, "%s/again.tgz", dir);
  int rc = write_bundle(path, NULL, err, sizeof err);
  if (!OK(rc == 0, "tar.gz: written")) printf("#   %s\n", err);
  OK(write_bundle(path2, NULL, err, sizeof err) == 0, "tgz: written again");
  OK(files_equal(path, path2), "tar.gz: same input gives identical bytes");
  unsigned char head[10];
  FILE *f = fopen(path, "rb");
  OK(f && fread(head, 1, 10, f) == 10 && head[4] == 0 && head[5] == 0 &&
         head[6] == 0 && head[7] == 0 && head[9] == 255,
     "tar.gz: gzip header has mtime 0 and OS 255");
  if (f) fclose(f);
  if (have("gzip")) {
    snprintf(cmd, sizeof cmd, "gzip -t '%s'", path);
    OK(sh(cmd), "tar.gz: gzip -t accepts it");
  } else {
    OK(1, "# SKIP gzip missing");
  }
  if (have("tar")) {
    snprintf(cmd, sizeof cmd,
             "tar tzf '%s' > %s/list.txt 2>%s/tar.err && "
             "test $(wc -l < %s/list.txt) -eq %zu",
             path, dir, dir, dir, n_entries + 1);
    OK(sh(cmd), "tar.gz: tar tzf lists every entry");
    snprintf(cmd, sizeof cmd, "grep -qx '%s' %s/list.txt", entries[2].name, dir);
    OK(sh(cmd), "tar.gz: tar sees the long name (pax)");
    snprintf(cmd, sizeof cmd, "grep -qx '%s' %s/list.txt", entries[1].name, dir);
    OK(sh(cmd), "tar.gz: tar sees the non-ASCII name (pax)");
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/x && tar xzf '%s' -C %s/x 2>%s/tar.err && "
             "test ! -s %s/tar.err",
             dir, path, dir, dir, dir);
    OK(sh(cmd), "tar.gz: tar xzf extracts without a warning");
    for (size_t i = 0; i < 5; i++) {
      char want[512];
      snprintf(want, sizeof want, "%s/x/%s", dir, entries[i].name);
      FILE *g = fopen(want, "rb");
      int same = 0;
      if (g) {
        char *buf = malloc(entries[i].len + 1);
        size_t got = fread(buf, 1, entries[i].len + 1, g);
        same = got == entries[i].len && memcmp(buf, entries[i].data, got) == 0;
        free(buf);
        fclose(g);
      }
      char name[80];
      snprintf(name, sizeof name, "tar.gz: tar extracts entry %zu intact", i);
      OK(same, name);
    }
    snprintf(cmd, sizeof cmd,
             "TZ=UTC tar tvzf '%s' | grep -q '2024-05-01 10:00 hello.txt'", path);
    OK(sh(cmd), "tar.gz: entry mtime kept");
  } else {
    OK(1, "# SKIP tar missing");
  }
  check_read_back(path, "tar.gz");
}

static void test_zip(void) {
  char path[128], path2[128], path64[128], cmd[1024], err[512];
  snprintf(path, sizeof path, "%s/out.zip", dir);
  snprintf(path2, sizeof path2, "%s/again.zip", dir);
  snprintf(path64, sizeof path64, "%s/forced64.zip", dir);
  int rc = write_bundle(path, NULL, err, sizeof err);
  if (!OK(rc == 0, "zip: written")) printf("#   %s\n", err);
  OK(write_bundle(path2, NULL, err, sizeof err) == 0, "zip: written again");
  OK(files_equal(path, path2), "zip: same input gives identical bytes");
  OK(file_size(path) < (2 << 20), "zip: the 20 MiB entry is deflated");
  nf_bundle_opts o;
  memset(&o, 0, sizeof o);
  o.zip64 = 1;
  OK(write_bundle(path64, &o, err, sizeof err) == 0, "zip: written with ZIP64");
  if (have("unzip")) {
    snprintf(cmd, sizeof cmd, "unzip -tq '%s' >/dev/null", path);
    OK(sh(cmd), "zip: unzip -t accepts it");
    snprintf(cmd, sizeof cmd, "unzip -tq '%s' >/dev/null", path64);
    OK(sh(cmd), "zip: unzip -t accepts the ZIP64 one");
    snprintf(cmd, sizeof cmd,
             "unzip -Z1 '%s' 2>/dev/null | grep -qx '%s'", path, entries[1].name);
    OK(sh(cmd), "zip: unzip sees the UTF-8 name");
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/z && cd %s/z && unzip -q ../out.zip && "
             "cmp -s '%s' ../x/'%s'",
             dir, dir, entries[2].name, entries[2].name);
    OK(sh(cmd), "zip: unzip extracts the long-named entry");
  } else {
    OK(1, "# SKIP unzip missing");
  }
  if (have("python3")) {
    snprintf(cmd, sizeof cmd, "python3 -m zipfile -t '%s' >/dev/null", path);
    OK(sh(cmd), "zip: python3 -m zipfile -t accepts it");
    snprintf(cmd, sizeof cmd, "python3 -m zipfile -t '%s' >/dev/null", path64);
    OK(sh(cmd), "zip: python3 -m zipfile -t accepts the ZIP64 one");
  } else {
    OK(1, "# SKIP python3 missing");
  }
  check_read_back(path, "zip");
  check_read_back(path64, "zip64");
}

static void test_zip_many(void) {
  /* more than 65535 entries: the count needs ZIP64 */
  char path[128], cmd[512], err[512];
  snprintf(path, sizeof path, "%s/many.zip", dir);
  nf_bundle_opts o;
  memset(&o, 0, sizeof o);
  o.no_manifest = 1;
  nf_bundle *b = nf_bundle_create(path, &o, err, sizeof err);
  int ok = b != NULL;
  nf_bundle_meta m;
  memset(&m, 0, sizeof m);
  m.store = 1;
  for (unsigned i = 0; ok && i < 66000; i++) {
    char name[32];
    snprintf(name, sizeof name, "%u", i);
    ok = nf_bundle_add(b, name, name, strlen(name), &m, err, sizeof err) == 0;
  }
  ok = ok && nf_bundle_close(b, err, sizeof err) == 0;
  if (!OK(ok, "zip: 66000 entries written")) printf("#   %s\n", err);
  if (have("python3")) {
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); "
             "assert len(z.namelist())==66000; assert z.testzip() is None' '%s'",
             path);
    OK(sh(cmd), "zip: python3 reads all 66000 entries");
  }
  nf_bundle_reader *r = nf_bundle_open(path, 0, 0, err, sizeof err);
  size_t count = 0;
  nf_bundle_entry e;
  int last_ok = 0;
  nf_buf data = NF_BUF_INIT;
  nf_buf_init(&data);
  while (r && nf_bundle_next(r, &e, err, sizeof err) == 1) {
    count++;
    if (count == 66000) {
      last_ok = nf_bundle_read(r, &data, err, sizeof err) == 0 &&
                strcmp(data.ptr, "65999") == 0;
    }
  }
  INT_EQ(count, 66000, "zip: newsform reads all 66000 entries");
  OK(last_ok, "zip: the last entry reads back");
  nf_buf_free(&data);
  nf_bundle_reader_free(r);
}

static void test_jsonl(void) {
  char path[128], path2[128], cmd[1024], err[512];
  snprintf(path, sizeof path, "%s/out.jsonl.gz", dir);
  snprintf(path2, sizeof path2, "%s/again.jsonl.gz", dir);
  nf_bundle *b = nf_bundle_create(path, NULL, err, sizeof err);
  OK(b, "jsonl.gz: created");
  if (!b) return;
  nf_bundle_meta m;
  memset(&m, 0, sizeof m);
  m.title = "T\xc3\xaftle";
  int ok = 1;
  ok &= nf_bundle_add(b, "a.txt", "line one\nline \"two\"\n", 20, &m, err, sizeof err) == 0;
  ok &= nf_bundle_add(b, "b.json", "{\n  \"url\": \"https://x.test/b\",\n  \"n\": [1, 2]\n}\n", 46, NULL, err, sizeof err) == 0;
  ok &= nf_bundle_add(b, "empty", "", 0, NULL, err, sizeof err) == 0;
  ok &= nf_bundle_add(b, "big.bin", entries[4].data, entries[4].len, NULL, err, sizeof err) == 0;
  ok &= nf_bundle_add(b, "bad\xff.txt", "x", 1, NULL, err, sizeof err) < 0;
  OK(ok, "jsonl.gz: entries added (and a bad name refused)");
  OK(nf_bundle_close(b, err, sizeof err) == 0, "jsonl.gz: closed");
  if (have("gzip")) {
    snprintf(cmd, sizeof cmd, "gzip -t '%s'", path);
    OK(sh(cmd), "jsonl.gz: gzip -t accepts it");
  }
  if (have("python3")) {
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import gzip,json,sys; ls=gzip.open(sys.argv[1]).read().decode().split(\"\\n\"); "
             "assert ls[-1]==\"\"; o=[json.loads(l) for l in ls[:-1]]; assert len(o)==4; "
             "assert o[0][\"content\"]==\"line one\\nline \\\"two\\\"\\n\"; assert o[1][\"n\"]==[1,2]; "
             "assert o[3][\"name\"]==\"big.bin\"; assert len(o[3][\"content\"])==20971520' '%s'",
             path);
    OK(sh(cmd), "jsonl.gz: python3 parses every line as JSON");
  }
  nf_bundle_reader *r = nf_bundle_open(path, 0, 0, err, sizeof err);
  nf_bundle_entry e;
  const char *want[] = {"a.txt", "https://x.test/b", "empty", "big.bin"};
  size_t i = 0, named = 0;
  nf_buf data = NF_BUF_INIT;
  nf_buf_init(&data);
  int first_ok = 0;
  while (r && nf_bundle_next(r, &e, err, sizeof err) == 1) {
    if (i < 4 && strcmp(e.name, want[i]) == 0) named++;
    if (i == 0) {
      nf_bundle_read(r, &data, err, sizeof err);
      nf_json *v = nf_json_parse(data.ptr, data.len, err, sizeof err);
      const nf_json *c = nf_json_get(v, "content");
      first_ok = c && strcmp(c->string, "line one\nline \"two\"\n") == 0;
      nf_json_free(v);
    }
    i++;
  }
  INT_EQ(named, 4, "jsonl.gz: entries named by name, url");
  OK(first_ok, "jsonl.gz: content reads back");
  nf_buf_free(&data);
  nf_bundle_reader_free(r);
  /* reproducible */
  b = nf_bundle_create(path2, NULL, err, sizeof err);
  nf_bundle_add(b, "a.txt", "line one\nline \"two\"\n", 20, &m, err, sizeof err);
  nf_bundle_add(b, "b.json", "{\n  \"url\": \"https://x.test/b\",\n  \"n\": [1, 2]\n}\n", 46, NULL, err, sizeof err);
  nf_bundle_add(b, "empty", "", 0, NULL, err, sizeof err);
  nf_bundle_add(b, "big.bin", entries[4].data, entries[4].len, NULL, err, sizeof err);
  nf_bundle_close(b, err, sizeof err);
  OK(files_equal(path, path2), "jsonl.gz: same input gives identical bytes");
}

/* Damaged bundles: a clear error, never a crash. */
static void test_corrupt(void) {
  char src[128], bad[128], err[512], cmd[512];
  const char *kinds[] = {"out.tar.gz", "out.zip", "out.jsonl.gz"};
  for (int k = 0; k < 3; k++) {
    snprintf(src, sizeof src, "%s/%s", dir, kinds[k]);
    long size = file_size(src);
    const long cuts[] = {size / 2, size - 30, 100, 10};
    for (int c = 0; c < 4; c++) {
      snprintf(bad, sizeof bad, "%s/cut-%d-%s", dir, c, kinds[k]);
      snprintf(cmd, sizeof cmd, "head -c %ld '%s' > '%s'", cuts[c], src, bad);
      sh(cmd);
      int failed = 0;
      nf_bundle_reader *r = nf_bundle_open(bad, 0, 0, err, sizeof err);
      if (!r) failed = 1;
      nf_bundle_entry e;
      nf_buf data = NF_BUF_INIT;
      nf_buf_init(&data);
      int rc;
      while (r && (rc = nf_bundle_next(r, &e, err, sizeof err)) == 1) {
        nf_buf_clear(&data);
        if (nf_bundle_read(r, &data, err, sizeof err) < 0) { failed = 1; break; }
      }
      if (r && rc < 0) failed = 1;
      nf_buf_free(&data);
      nf_bundle_reader_free(r);
      char name[160];
      snprintf(name, sizeof name, "%s cut to %ld bytes: error \"%.60s\"",
               kinds[k], cuts[c], failed ? err : "(none)");
      OK(failed && strstr(err, bad) != NULL, name);
    }
    /* flipped bytes in the middle */
    snprintf(bad, sizeof bad, "%s/flip-%s", dir, kinds[k]);
    snprintf(cmd, sizeof cmd,
             "cp '%s' '%s' && printf 'XXXXXXXXXXXXXXXX' | dd of='%s' bs=1 "
             "seek=%ld conv=notrunc 2>/dev/null",
             src, bad, bad, k == 1 ? 200L : 1000L);
    sh(cmd);
    nf_bundle_reader *r = nf_bundle_open(bad, 0, 0, err, sizeof err);
    int failed = !r;
    nf_bundle_entry e;
    nf_buf data = NF_BUF_INIT;
    nf_buf_init(&data);
    int rc = 0;
    while (r && (rc = nf_bundle_next(r, &e, err, sizeof err)) == 1) {
      nf_buf_clear(&data);
      if (nf_bundle_read(r, &data, err, sizeof err) < 0) { failed = 1; break; }
    }
    if (rc < 0) failed = 1;
    nf_buf_free(&data);
    nf_bundle_reader_free(r);
    char name[160];
    snprintf(name, sizeof name, "%s with flipped bytes: error \"%.60s\"",
             kinds[k], failed ? err : "(none)");
    OK(failed, name);
  }
  /* not a bundle, missing */
  snprintf(bad, sizeof bad, "%s/garbage.zip", dir);
  FILE *f = fopen(bad, "wb");
  fputs("this is not a zip file at all, just some text", f);
  fclose(f);
  nf_bundle_reader *r = nf_bundle_open(bad, 0, 0, err, sizeof err);
  OK(!r && strstr(err, "not a zip file"), "garbage .zip: clear error");
  nf_bundle_reader_free(r);
  snprintf(bad, sizeof bad, "%s/missing.tar.gz", dir);
  r = nf_bundle_open(bad, 0, 0, err, sizeof err);
  OK(!r && strstr(err, "No such file"), "missing bundle: clear error");
  /* a size limit stops the 20 MiB entry (a decompression bomb) */
  for (int k = 0; k < 3; k++) {
    snprintf(src, sizeof src, "%s/%s", dir, kinds[k]);
    r = nf_bundle_open(src, 0, (size_t)1 << 20, err, sizeof err);
    nf_bundle_entry e;
    nf_buf data = NF_BUF_INIT;
    nf_buf_init(&data);
    int stopped = 0, rc;
    while (r && (rc = nf_bundle_next(r, &e, err, sizeof err)) == 1) {
      if (nf_bundle_read(r, &data, err, sizeof err) < 0) {
        stopped = strstr(err, "limit") != NULL;
        break;
      }
    }
    if (r && rc < 0) stopped = strstr(err, "limit") != NULL;
    char name[96];
    snprintf(name, sizeof name, "%s: entry size limit enforced", kinds[k]);
    OK(stopped && data.len < ((size_t)2 << 20), name);
    nf_buf_free(&data);
    nf_bundle_reader_free(r);
  }
}

static void test_names(void) {
  char *s;
  s = nf_bundle_safe_name(NULL, "pages/My Story.html", ".md");
  STR_EQ(s, "pages/My-Story.md", "safe_name: path kept, spaces become -");
  free(s);
  s = nf_bundle_safe_name(NULL, "/etc/../../passwd", ".txt");
  STR_EQ(s, "etc/passwd.txt", "safe_name: no absolute path, no ..");
  free(s);
  s = nf_bundle_safe_name(NULL, "https://news.test/2024/05/a-story.html?x=1#top", ".md");
  STR_EQ(s, "news.test/2024/05/a-story.md", "safe_name: URL");
  free(s);
  s = nf_bundle_safe_name(NULL, "Caf\xc3\xa9: \"big\" news!\x01\x7f", NULL);
  STR_EQ(s, "Caf\xc3\xa9-big-news", "safe_name: title slug keeps letters");
  free(s);
  s = nf_bundle_safe_name(NULL, "..", ".md");
  STR_EQ(s, "entry.md", "safe_name: nothing left gives entry");
  free(s);
  s = nf_bundle_safe_name(NULL, ".hidden.", ".md");
  STR_EQ(s, "hidden.md", "safe_name: no hidden files");
  free(s);
  s = nf_bundle_safe_name(NULL, "Version 2.5 released", ".md");
  STR_EQ(s, "Version-2.5-released.md", "safe_name: dots in titles kept");
  free(s);
  char longtitle[400];
  memset(longtitle, 'a', sizeof longtitle - 1);
  longtitle[sizeof longtitle - 1] = 0;
  s = nf_bundle_safe_name(NULL, longtitle, ".md");
  OK(strlen(s) <= 90, "safe_name: long titles cut");
  free(s);
  char dpath[128], err[256];
  snprintf(dpath, sizeof dpath, "%s/names.zip", dir);
  nf_bundle *b = nf_bundle_create(dpath, NULL, err, sizeof err);
  s = nf_bundle_safe_name(b, "Story.html", ".md");
  nf_bundle_add(b, s, "1", 1, NULL, err, sizeof err);
  free(s);
  s = nf_bundle_safe_name(b, "story.htm", ".md");
  STR_EQ(s, "story-2.md", "safe_name: de-duplicated (case-insensitively)");
  nf_bundle_add(b, s, "2", 1, NULL, err, sizeof err);
  free(s);
  s = nf_bundle_safe_name(b, "STORY", ".md");
  STR_EQ(s, "STORY-3.md", "safe_name: then -3");
  free(s);
  s = nf_bundle_safe_name(b, "manifest", ".json");
  STR_EQ(s, "manifest-2.json", "safe_name: manifest.json is reserved");
  free(s);
  OK(nf_bundle_add(b, "Story.md", "x", 1, NULL, err, sizeof err) < 0 &&
         strstr(err, "duplicate"),
     "add: duplicate name refused");
  OK(nf_bundle_add(b, "../x", "x", 1, NULL, err, sizeof err) < 0 &&
         strstr(err, ".."),
     "add: .. refused");
  OK(nf_bundle_add(b, "/abs", "x", 1, NULL, err, sizeof err) < 0 &&
         strstr(err, "absolute"),
     "add: absolute refused");
  OK(nf_bundle_add(b, "manifest.json", "x", 1, NULL, err, sizeof err) < 0,
     "add: manifest.json refused");
  nf_bundle_abort(b);
  OK(access(dpath, F_OK) != 0, "abort: nothing at the output path");
  STR_EQ(nf_bundle_name_check("a/b.txt"), NULL, "name_check: ok");
  OK(nf_bundle_name_check("a//b") != NULL, "name_check: empty part");
  OK(nf_bundle_name_check("a\\b") != NULL, "name_check: backslash");
  OK(nf_bundle_name_check("a\nb") != NULL, "name_check: control");
  OK(nf_bundle_name_check("C:x") != NULL, "name_check: drive");
  OK(nf_bundle_name_check("x/./y") != NULL, "name_check: dot part");
  INT_EQ(nf_bundle_format_of("a.TGZ"), NF_BUNDLE_TAR_GZ, "format_of: .TGZ");
  INT_EQ(nf_bundle_format_of("a.jsonl.gz"), NF_BUNDLE_JSONL_GZ, "format_of: jsonl");
  INT_EQ(nf_bundle_format_of("out/"), NF_BUNDLE_DIR, "format_of: dir");
  INT_EQ(nf_bundle_format_of("a.gz"), NF_BUNDLE_UNKNOWN, "format_of: .gz");
  INT_EQ(nf_bundle_parse_time("1980-01-01"), NF_BUNDLE_EPOCH, "parse_time: date");
  INT_EQ(nf_bundle_parse_time("2024-05-01T12:00:00+02:00"), 1714557600LL,
         "parse_time: offset");
  INT_EQ(nf_bundle_parse_time("2024-05-01T10:00:00.123Z"), 1714557600LL,
         "parse_time: fraction, Z");
  INT_EQ(nf_bundle_parse_time("May 1st"), -1, "parse_time: junk");
}

static void test_atomic(void) {
  char path[128], err[512], cmd[512];
  snprintf(path, sizeof path, "%s/atomic.tar.gz", dir);
  nf_bundle *b = nf_bundle_create(path, NULL, err, sizeof err);
  const char *tmp = nf_bundle_temp_path(b);
  char want[160];
  snprintf(want, sizeof want, "%s/.atomic.tar.gz.newsform-tmp.", dir);
  OK(tmp && strncmp(tmp, want, strlen(want)) == 0 &&
         strlen(tmp) == strlen(want) + 6,
     "atomic: temporary file .OUT.newsform-tmp.XXXXXX beside OUT");
  nf_bundle_add(b, "a", "a", 1, NULL, err, sizeof err);
  OK(access(tmp, F_OK) == 0 && access(path, F_OK) != 0,
     "atomic: nothing at OUT while writing");
  OK(nf_bundle_close(b, err, sizeof err) == 0 && access(path, F_OK) == 0,
     "atomic: OUT appears at close");
  snprintf(cmd, sizeof cmd, "test -z \"$(ls -A %s | grep newsform-tmp)\"", dir);
  OK(sh(cmd), "atomic: no temporary file left");
  b = nf_bundle_create("/nonexistent-dir/x.zip", NULL, err, sizeof err);
  OK(!b && strstr(err, "cannot create temporary file in /nonexistent-dir") &&
         strstr(err, "No such file"),
     "unwritable path: clear error");
  b = nf_bundle_create("out.rar", NULL, err, sizeof err);
  OK(!b && strstr(err, "unknown bundle format"), "unknown format: clear error");
  /* a full disk, simulated by a file size limit, in a child process */
  snprintf(path, sizeof path, "%s/full.zip", dir);
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = {100000, 100000};
    setrlimit(RLIMIT_FSIZE, &rl);
    nf_bundle_meta m;
    memset(&m, 0, sizeof m);
    m.store = 1;
    nf_bundle *c = nf_bundle_create(path, NULL, err, sizeof err);
    int rc = c ? nf_bundle_add(c, "big", entries[4].data, 1 << 20, &m, err, sizeof err) : -1;
    if (c && rc == 0) rc = nf_bundle_close(c, err, sizeof err);
    else if (c) nf_bundle_abort(c);
    _exit(rc < 0 && strstr(err, "write failed") && strstr(err, "too large") ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  OK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
     "write error (file too large): clear error");
  OK(access(path, F_OK) != 0, "write error: nothing at OUT");
  OK(sh(cmd), "write error: temporary file removed");
}

static void test_dir(void) {
  char path[128], err[256], file[192];
  snprintf(path, sizeof path, "%s/plain/", dir);
  nf_bundle *b = nf_bundle_create(path, NULL, err, sizeof err);
  OK(b && nf_bundle_add(b, "sub/a.md", "# A\n", 4, NULL, err, sizeof err) == 0,
     "dir: entry written");
  OK(b && nf_bundle_close(b, err, sizeof err) == 0, "dir: closed");
  snprintf(file, sizeof file, "%s/plain/sub/a.md", dir);
  OK(file_size(file) == 4, "dir: the file is there");
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/nf-bundle-XXXXXX");
  if (!mkdtemp(dir)) return 1;
  make_entries();
  test_names();
  test_tar();
  test_zip();
  test_zip_many();
  test_jsonl();
  test_corrupt();
  test_atomic();
  test_dir();
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  sh(cmd);
  for (size_t i = 0; i < n_entries; i++) {
    free(entries[i].name);
    free(entries[i].data);
  }
  return nf_test_done();
}
