/* test_json_keys.c: object keys holding U+0000 ("a\u0000b") keep their
 * full length through parse, the accessors, the builder and the writer
 * (a key used to be cut at its first NUL: found by fuzzing). */
#include "harness.h"
#include "newsform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nf_json *parse(const char *s) {
  char err[128];
  nf_json *v = nf_json_parse(s, strlen(s), err, sizeof err);
  if (!v) fprintf(stderr, "# %s: %s\n", s, err);
  return v;
}

static char *write_json(const nf_json *v) {
  nf_buf b = NF_BUF_INIT;
  nf_json_write(&b, v, 0);
  return nf_buf_detach(&b);
}

static void test_round_trip(void) {
  const char *src = "{\"a\\u0000b\":1}";
  nf_json *v = parse(src);
  OK(v != NULL, "parses");
  if (!v) return;
  size_t len = 99;
  const char *k = nf_json_key(v, 0, &len);
  INT_EQ(len, 3, "the key is 3 bytes");
  OK(k && memcmp(k, "a\0b", 3) == 0, "the key's bytes, NUL included");
  char *s = write_json(v);
  STR_EQ(s, src, "written back as the same bytes");
  free(s);
  nf_json_free(v);

  /* The same in the lenient parser, and for a key that is only a NUL. */
  v = nf_json_parse_lenient("{\"\\u0000\": 2,}", 14, NULL, 0);
  k = nf_json_key(v, 0, &len);
  OK(k && len == 1 && k[0] == '\0', "lenient: a key of one NUL");
  s = write_json(v);
  STR_EQ(s, "{\"\\u0000\":2}", "... written back");
  free(s);
  nf_json_free(v);
}

static void test_distinct(void) {
  nf_json *v = parse("{\"a\\u0000b\":1,\"a\\u0000c\":2,\"a\":3}");
  OK(v && v->len == 3, "three members");
  if (!v) return;
  const nf_json *b = nf_json_get_n(v, "a\0b", 3);
  const nf_json *c = nf_json_get_n(v, "a\0c", 3);
  OK(b && b->number == 1, "get_n finds a\\0b");
  OK(c && c->number == 2, "get_n finds a\\0c: two keys stay two");
  const nf_json *a = nf_json_get(v, "a");
  OK(a && a->number == 3, "get \"a\" is the key \"a\", not \"a\\0b\"");
  OK(nf_json_get_n(v, "a\0d", 3) == NULL, "a\\0d: none");
  OK(nf_json_get_n(v, "a\0", 2) == NULL, "a\\0: none");
  OK(nf_json_key(v, 3, NULL) == NULL, "key out of range: NULL");
  OK(nf_json_key(v->items[0], 0, NULL) == NULL, "key of a number: NULL");
  nf_json_free(v);
}

static void test_build(void) {
  nf_json *o = nf_json_new_object();
  nf_json_add_n(o, "k\0x", 3, nf_json_new_integer(1));
  nf_json_set_n(o, "k\0y", 3, nf_json_new_integer(2)); /* another key */
  nf_json_set_n(o, "k\0x", 3, nf_json_new_integer(3)); /* replaces */
  nf_json_set(o, "k", nf_json_new_integer(4));          /* another key */
  char *s = write_json(o);
  STR_EQ(s, "{\"k\\u0000x\":3,\"k\\u0000y\":2,\"k\":4}",
         "built keys with NULs written whole");
  free(s);
  /* Parsed, then modified: the parsed keys' lengths are kept. */
  nf_json *p = parse("{\"x\\u0000\":1}");
  nf_json_set(p, "x", nf_json_new_integer(2));
  s = write_json(p);
  STR_EQ(s, "{\"x\\u0000\":1,\"x\":2}", "set \"x\" does not replace \"x\\0\"");
  free(s);
  nf_json_free(p);
  nf_json_free(o);
}

int main(void) {
  test_round_trip();
  test_distinct();
  test_build();
  return nf_test_done();
}
