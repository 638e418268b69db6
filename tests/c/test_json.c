/* test_json.c: the JSON reader (strict and lenient) and the string writer. */
#include "harness.h"
#include "newsform.h"

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

int main(void) {
  test_values();
  test_invalid();
  test_escapes();
  test_depth();
  test_lenient();
  test_writer();
  return nf_test_done();
}
