/* test_json.c: the JSON reader (strict and lenient) and the string writer. */
#include "harness.h"
#include "newsform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nf_json *parse(const char *s, char *err, size_t errlen) {
  return nf_json_parse(s, strlen(s), err, errlen);
}

/* Parses s; returns 1 when it is accepted. */
static int valid(const char *s) {
  char err[128];
  nf_json *v = parse(s, err, sizeof err);
  nf_json_free(v);
  return v != NULL;
}

static void test_values(void) {
  char err[128];
  nf_json *v = parse(" {\"a\": [1, -2.5e2, true, false, null], \"b\": \"x\","
                     " \"a\": 3} ", err, sizeof err);
  OK(v != NULL, "object parses");
  if (!v) return;
  INT_EQ(v->type, NF_JSON_OBJECT, "type object");
  INT_EQ(v->len, 3, "duplicate keys kept");
  STR_EQ(v->keys[1], "b", "keys in source order");
  const nf_json *a = nf_json_get(v, "a");
  OK(a && a->type == NF_JSON_ARRAY && a->len == 5, "get first match");
  if (a && a->len == 5) {
    OK(a->items[0]->type == NF_JSON_NUMBER && a->items[0]->number == 1,
       "number 1");
    OK(a->items[1]->number == -250.0, "exponent number");
    INT_EQ(a->items[2]->type, NF_JSON_TRUE, "true");
    INT_EQ(a->items[3]->type, NF_JSON_FALSE, "false");
    INT_EQ(a->items[4]->type, NF_JSON_NULL, "null");
  }
  STR_EQ(nf_json_string(nf_json_get(v, "b")), "x", "string member");
  OK(nf_json_get(v, "zz") == NULL, "missing key");
  OK(nf_json_get(NULL, "a") == NULL, "get NULL-safe");
  OK(nf_json_get(a, "a") == NULL, "get on array");
  nf_json_free(v);

  v = parse("0.5", err, sizeof err);
  OK(v && v->number == 0.5, "top-level number");
  nf_json_free(v);
  v = parse("\"top\"", err, sizeof err);
  STR_EQ(v ? v->string : NULL, "top", "top-level string");
  nf_json_free(v);
  v = parse("[]", err, sizeof err);
  OK(v && v->type == NF_JSON_ARRAY && v->len == 0, "empty array");
  nf_json_free(v);
  v = parse("{}", err, sizeof err);
  OK(v && v->type == NF_JSON_OBJECT && v->len == 0, "empty object");
  nf_json_free(v);
}

static void test_invalid(void) {
  static const char *const bad[] = {
      "", " ", "{", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}",
      "01", "1.", ".5", "-", "1e", "+1", "0x10", "tru", "nul", "NaN",
      "\"abc", "\"a\\x\"", "\"\\u12\"", "\"\\uZZZZ\"", "\"a\nb\"", "[1]x",
      "{} {}", "'a'", "[\"\xff\"]", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"",
      "[1,,2]", NULL};
  for (int i = 0; bad[i]; i++) {
    char name[64];
    snprintf(name, sizeof name, "rejects invalid #%d", i);
    OK(!valid(bad[i]), name);
  }
  static const char *const good[] = {
      "-0", "0e1", "1E+2", "-1.25e-3", "[[[]]]", "\"\\/\"", "\"\xc3\xa9\"",
      "\"\xf0\x9f\x98\x80\"", " \t\r\n1 \n", NULL};
  for (int i = 0; good[i]; i++) {
    char name[64];
    snprintf(name, sizeof name, "accepts valid #%d", i);
    OK(valid(good[i]), name);
  }
  char err[128];
  nf_json *v = parse("[1, 2, x]", err, sizeof err);
  OK(v == NULL, "error value");
  STR_CONTAINS(err, "at byte 7", "error names the byte offset");
  v = parse("{\"a\": \"b", err, sizeof err);
  STR_CONTAINS(err, "unterminated string", "unterminated string message");
}

static void test_escapes(void) {
  char err[128];
  nf_json *v = parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20ac\"",
                     err, sizeof err);
  STR_EQ(v ? v->string : NULL, "a\"b\\c/d\b\f\n\r\tA\xc3\xa9\xe2\x82\xac",
         "simple escapes");
  nf_json_free(v);
  v = parse("\"\\ud83d\\ude00\"", err, sizeof err);
  STR_EQ(v ? v->string : NULL, "\xf0\x9f\x98\x80", "surrogate pair");
  nf_json_free(v);
  v = parse("\"x\\ud83dy\"", err, sizeof err);
  STR_EQ(v ? v->string : NULL, "x\xef\xbf\xbdy", "lone high surrogate");
  nf_json_free(v);
  v = parse("\"\\ude00\"", err, sizeof err);
  STR_EQ(v ? v->string : NULL, "\xef\xbf\xbd", "lone low surrogate");
  nf_json_free(v);
  v = parse("\"\\ud83d\\u0041\"", err, sizeof err);
  STR_EQ(v ? v->string : NULL, "\xef\xbf\xbd" "A", "high then non-low");
  nf_json_free(v);
  v = parse("\"a\\u0000b\"", err, sizeof err);
  OK(v && v->string_len == 3 && v->string[1] == '\0' && v->string[2] == 'b',
     "embedded NUL keeps length");
  nf_json_free(v);
}

static void test_depth(void) {
  size_t n = 100000;
  char *s = malloc(2 * n + 1);
  memset(s, '[', n);
  memset(s + n, ']', n);
  s[2 * n] = '\0';
  char err[128];
  nf_json *v = nf_json_parse(s, 2 * n, err, sizeof err);
  OK(v == NULL, "depth bomb rejected");
  STR_CONTAINS(err, "nesting deeper than 1000", "depth message");
  /* 1000 levels exactly is fine. */
  char *ok = malloc(2001);
  memset(ok, '[', 1000);
  memset(ok + 1000, ']', 1000);
  v = nf_json_parse(ok, 2000, err, sizeof err);
  OK(v != NULL, "1000 levels accepted");
  nf_json_free(v);
  /* An unclosed bomb of objects fails without crashing either. */
  for (size_t i = 0; i < n / 5; i++) memcpy(s + 5 * i, "{\"a\":", 5);
  v = nf_json_parse(s, n, err, sizeof err);
  OK(v == NULL, "object bomb rejected");
  free(ok);
  free(s);
}

static void test_lenient(void) {
  char err[128];
  const char *page = "<!--\n{\"@type\": \"NewsArticle\", \"headline\": \"Line\n"
                     "two\", \"keywords\": [\"a\", \"b\",], // note\n"
                     "\"x\": \"\\'q\\'\", \"bad\": \"\xff\",}\n-->";
  nf_json *v = nf_json_parse_lenient(page, strlen(page), err, sizeof err);
  OK(v != NULL, "lenient parses page JSON-LD");
  STR_EQ(nf_json_string(nf_json_get(v, "headline")), "Line\ntwo",
         "raw newline kept");
  const nf_json *k = nf_json_get(v, "keywords");
  OK(k && k->len == 2, "trailing comma in array");
  STR_EQ(nf_json_string(nf_json_get(v, "x")), "'q'", "unknown escape kept");
  STR_EQ(nf_json_string(nf_json_get(v, "bad")), "\xef\xbf\xbd",
         "invalid byte replaced");
  nf_json_free(v);
  OK(nf_json_parse(page, strlen(page), err, sizeof err) == NULL,
     "strict refuses the same text");
  const char *cdata = "  //<![CDATA[\n[1,2];\n//]]>  ";
  v = nf_json_parse_lenient(cdata, strlen(cdata), err, sizeof err);
  OK(v && v->len == 2, "CDATA wrapper and semicolon");
  nf_json_free(v);
  v = nf_json_parse_lenient("[1,", 3, err, sizeof err);
  OK(v == NULL, "lenient still rejects truncated input");
}

static void put(const char *s, size_t len, nf_buf *b) {
  nf_buf_clear(b);
  nf_json_put_string(b, s, len);
}

static void test_writer(void) {
  nf_buf b;
  nf_buf_init(&b);
  put("plain", 5, &b);
  STR_EQ(b.ptr, "\"plain\"", "plain string");
  put("q\"b\\n\n\t\x01\x1f", 9, &b);
  STR_EQ(b.ptr, "\"q\\\"b\\\\n\\n\\t\\u0001\\u001f\"", "escapes");
  put("caf\xc3\xa9 \xe2\x80\xa8", 9, &b);
  STR_EQ(b.ptr, "\"caf\xc3\xa9 \\u2028\"", "UTF-8 kept, U+2028 escaped");
  put("a\xff" "b\xc3", 4, &b);
  STR_EQ(b.ptr, "\"a\xef\xbf\xbd" "b\xef\xbf\xbd\"", "invalid bytes → FFFD");
  put("a\0b", 3, &b);
  STR_EQ(b.ptr, "\"a\\u0000b\"", "NUL escaped");
  /* Round trip: what we write parses back to the same bytes. */
  const char *src = "x\"\\\n\x7f\xf0\x9f\x98\x80\xe2\x80\xa9";
  put(src, strlen(src), &b);
  char err[128];
  nf_json *v = nf_json_parse(b.ptr, b.len, err, sizeof err);
  STR_EQ(v ? v->string : NULL, src, "round trip");
  nf_json_free(v);
  nf_buf_free(&b);
}

/* Writes v (indent) into a fresh string; the caller frees it. */
static char *write_json(const nf_json *v, int indent) {
  nf_buf b = NF_BUF_INIT;
  nf_json_write(&b, v, indent);
  return nf_buf_detach(&b);
}

/* Parses src, writes it (compact), returns the text; NULL when invalid. */
static char *reencode(const char *src) {
  char err[128];
  nf_json *v = nf_json_parse(src, strlen(src), err, sizeof err);
  if (!v) return NULL;
  char *out = write_json(v, 0);
  nf_json_free(v);
  return out;
}

static void test_encode(void) {
  char *s = reencode(" { \"b\" : [1, -2.5e2, true, false, null, {}, []],"
                     " \"a\": \"x\\u00e9\", \"b\": 0.1 } ");
  STR_EQ(s, "{\"b\":[1,-250,true,false,null,{},[]],\"a\":\"x\xc3\xa9\","
            "\"b\":0.1}", "compact, key order and duplicates kept");
  free(s);
  char err[128];
  const char *src = "{\"a\":[1,{\"b\":null}],\"c\":{},\"d\":[]}";
  nf_json *v = nf_json_parse(src, strlen(src), err, sizeof err);
  OK(v != NULL, "parses");
  s = write_json(v, 2);
  STR_EQ(s, "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n"
            "  \"c\": {},\n  \"d\": []\n}", "indented");
  free(s);
  nf_json_free(v);
  s = write_json(NULL, 0);
  STR_EQ(s, "null", "NULL writes null");
  free(s);
  s = reencode("\"a\\u0000\\ud83d\\ude00\\n\"");
  STR_EQ(s, "\"a\\u0000\xf0\x9f\x98\x80\\n\"", "string escapes");
  free(s);
  s = reencode("[1e400,-1e400,123456789012345678901234567890]");
  STR_EQ(s, "[1e999,-1e999,1.2345678901234568e+29]", "huge numbers");
  free(s);
}

static void test_numbers(void) {
  static const double nums[] = {0.1, 1.0 / 3, -2.5e-300, 5e-324, 1e21,
                                9007199254740993.0, 123456.789, -0.0,
                                1.7976931348623157e308, 42};
  int exact = 1;
  for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
    nf_buf b = NF_BUF_INIT;
    nf_json_put_number(&b, nums[i]);
    char err[128];
    nf_json *v = nf_json_parse(b.ptr, b.len, err, sizeof err);
    if (!v || v->type != NF_JSON_NUMBER || v->number != nums[i]) {
      exact = 0;
      fprintf(stderr, "# %.17g wrote %s\n", nums[i], b.ptr);
    }
    nf_json_free(v);
    nf_buf_free(&b);
  }
  OK(exact, "every number reads back as the same double");
  nf_buf b = NF_BUF_INIT;
  nf_json_put_number(&b, 0.1);
  nf_buf_putc(&b, ' ');
  nf_json_put_number(&b, 42);
  nf_buf_putc(&b, ' ');
  nf_json_put_number(&b, -0.0);
  nf_buf_putc(&b, ' ');
  nf_json_put_number(&b, 0.0 / 0.0);
  STR_EQ(b.ptr, "0.1 42 0 null", "shortest form, no .0, NaN as null");
  nf_buf_free(&b);
}

static void test_build(void) {
  nf_json *root = nf_json_new_object();
  nf_json_set(root, "title", nf_json_new_string("T\xff", 2));
  nf_json *tags = nf_json_set(root, "tags", nf_json_new_array());
  for (int i = 0; i < 20; i++) nf_json_push(tags, nf_json_new_integer(i));
  nf_json_push(tags, nf_json_new_integer(-9223372036854775807LL - 1));
  nf_json_set(root, "ok", nf_json_new_bool(1));
  nf_json_set(root, "none", nf_json_new_null());
  nf_json_set(root, "n", nf_json_new_number(2.5));
  nf_json_set(root, "ok", nf_json_new_bool(0));   /* replaces */
  nf_json_add(root, "n", nf_json_new_number(3));   /* appends */
  nf_buf html = NF_BUF_INIT;
  nf_buf_puts(&html, "<p>");
  nf_json_set(root, "html", nf_json_new_string_buf(&html));
  OK(html.len == 0, "string_buf takes the buffer");
  OK(nf_json_push(root, nf_json_new_null()) == NULL, "push on an object");
  OK(nf_json_set(tags, "k", nf_json_new_null()) == NULL, "set on an array");
  INT_EQ(tags->len, 21, "20 pushes grow the array");
  char *s = write_json(root, 0);
  STR_EQ(s, "{\"title\":\"T\xef\xbf\xbd\",\"tags\":[0,1,2,3,4,5,6,7,8,9,10,11,"
            "12,13,14,15,16,17,18,19,-9223372036854775808],\"ok\":false,"
            "\"none\":null,\"n\":2.5,\"n\":3,\"html\":\"<p>\"}",
         "built value written in order, invalid UTF-8 replaced");
  char err[128];
  nf_json *back = nf_json_parse(s, strlen(s), err, sizeof err);
  OK(back && back->len == 7, "built text parses back");
  /* Appending to a parsed container keeps growing it. */
  for (int i = 0; back && i < 100; i++)
    nf_json_add(back, "x", nf_json_new_integer(i));
  OK(back && back->len == 107, "add to a parsed object");
  nf_json_free(back);
  free(s);
  nf_json_free(root);

  /* Deeper than the parser's limit: written without recursion. */
  nf_json *deep = nf_json_new_array(), *cur = deep;
  for (int i = 0; i < 100000; i++) cur = nf_json_push(cur, nf_json_new_array());
  s = write_json(deep, 0);
  OK(s && strlen(s) == 200002 && s[100000] == '[' && s[100001] == ']',
     "100000 levels written");
  free(s);
  nf_json_free(deep);
}

/* decode → encode → decode → encode: the two texts are identical. */
static void test_round_trip(void) {
  static const char *const docs[] = {
    "{\"a\":[1,2.5,\"\\u2028\",{\"\":null}],\"b\":{\"c\":[[],{}]}}",
    "[-0, 1e-7, 1E+2, 0.30000000000000004, 1e400]",
    "\"\\ud800 lone\"",
  };
  int same = 1;
  for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
    char *once = reencode(docs[i]);
    char *twice = once ? reencode(once) : NULL;
    if (!twice || strcmp(once, twice) != 0) same = 0;
    free(once);
    free(twice);
  }
  OK(same, "second round trip identical");
}

int main(void) {
  test_values();
  test_invalid();
  test_escapes();
  test_depth();
  test_lenient();
  test_writer();
  test_encode();
  test_numbers();
  test_build();
  test_round_trip();
  return nf_test_done();
}
