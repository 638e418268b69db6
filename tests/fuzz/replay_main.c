/* replay_main.c: a plain main for a fuzz harness (no libFuzzer), so that
 * `make check` and `make check-asan` replay every seed and every kept
 * finding through the same harness code with gcc.
 *
 * Usage: replay_NAME [FILE|DIR...]; without arguments it replays
 * tests/fuzz/corpus/NAME/ and tests/fuzz/regressions/NAME/ (run from the
 * repository root). Prints one TAP line per input; a broken invariant
 * aborts, naming the input on the line before. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef NF_FUZZ_NAME
#error "compile with -DNF_FUZZ_NAME=\"harness\""
#endif

static int count;

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_file(const char *path) {
  nf_buf data = NF_BUF_INIT;
  FILE *f = fopen(path, "rb");
  if (!f) {
    printf("not ok %d - %s: cannot open %s\n", ++count, NF_FUZZ_NAME, path);
    return 1;
  }
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) nf_buf_put(&data, chunk, n);
  fclose(f);
  fprintf(stderr, "# %s: %s\n", NF_FUZZ_NAME, path);
  fflush(stderr);
  /* An exact-size copy, so that ASan sees reads past the input's end. */
  uint8_t *copy = malloc(data.len ? data.len : 1);
  if (!copy) nf_oom();
  memcpy(copy, data.ptr, data.len);
  LLVMFuzzerTestOneInput(copy, data.len);
  free(copy);
  nf_buf_free(&data);
  printf("ok %d - %s: %s\n", ++count, NF_FUZZ_NAME, path);
  fflush(stdout);
  return 0;
}

static int replay(const char *path, int optional) {
  struct stat st;
  if (stat(path, &st) != 0) {
    if (optional) return 0;
    printf("not ok %d - %s: no such input %s\n", ++count, NF_FUZZ_NAME, path);
    return 1;
  }
  if (!S_ISDIR(st.st_mode)) return replay_file(path);
  DIR *d = opendir(path);
  if (!d) return 1;
  nf_pathlist names = {0};
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    nf_buf full = NF_BUF_INIT;
    nf_buf_printf(&full, "%s/%s", path, e->d_name);
    names.items = nf_xrealloc(names.items, (names.len + 1) * sizeof *names.items);
    names.items[names.len++] = nf_buf_detach(&full);
  }
  closedir(d);
  if (names.len) qsort(names.items, names.len, sizeof *names.items, by_name);
  int bad = 0;
  for (size_t i = 0; i < names.len; i++) bad |= replay(names.items[i], 0);
  for (size_t i = 0; i < names.len; i++) free(names.items[i]);
  free(names.items);
  return bad;
}

int main(int argc, char **argv) {
  int bad = 0;
  if (argc > 1) {
    for (int i = 1; i < argc; i++) bad |= replay(argv[i], 0);
  } else {
    bad |= replay("tests/fuzz/corpus/" NF_FUZZ_NAME, 0);
    bad |= replay("tests/fuzz/regressions/" NF_FUZZ_NAME, 1);
  }
  printf("# %s: %d inputs replayed\n", NF_FUZZ_NAME, count);
  return bad;
}
