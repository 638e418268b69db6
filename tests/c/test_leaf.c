/* test_leaf.c: the leaf helpers: UTF-8, escaping, URLs, string sets. */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "harness.h"
#include "strset.h"
#include "url.h"
#include "utf8.h"

static void test_utf8(void) {
  uint32_t cp = 0;
  INT_EQ(nf_utf8_decode("A", 1, &cp), 1, "ascii length");
  INT_EQ(cp, 'A', "ascii");
  INT_EQ(nf_utf8_decode("\xC3\xA9", 2, &cp), 2, "2 bytes");
  INT_EQ(cp, 0xE9, "U+00E9");
  INT_EQ(nf_utf8_decode("\xE2\x80\x94", 3, &cp), 3, "3 bytes");
  INT_EQ(cp, 0x2014, "U+2014");
  INT_EQ(nf_utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4, "4 bytes");
  INT_EQ(cp, 0x1F600, "U+1F600");
  INT_EQ(nf_utf8_decode("\xC0\xAF", 2, &cp), 0, "overlong");
  INT_EQ(nf_utf8_decode("\xED\xA0\x80", 3, &cp), 0, "surrogate");
  INT_EQ(nf_utf8_decode("\xF4\x90\x80\x80", 4, &cp), 0, "past U+10FFFF");
  INT_EQ(nf_utf8_decode("\xE2\x80", 2, &cp), 0, "truncated");
  INT_EQ(nf_utf8_decode("\x80", 1, &cp), 0, "lone continuation");
  nf_buf b = NF_BUF_INIT;
  uint32_t all[] = {0x41, 0xE9, 0x2014, 0x1F600};
  for (int i = 0; i < 4; i++) nf_utf8_put(&b, all[i]);
  STR_EQ(b.ptr, "A\xC3\xA9\xE2\x80\x94\xF0\x9F\x98\x80", "encode");
  INT_EQ(nf_utf8_len(b.ptr, b.len), 4, "length in code points");
  INT_EQ(nf_utf8_prev(b.ptr, b.len), 6, "start of the last code point");
  INT_EQ(nf_utf8_prev(b.ptr, 3), 1, "start of U+00E9");
  INT_EQ(nf_utf8_seq_len((const unsigned char *)"\xC3\xA9", 2), 2, "seq_len");
  nf_buf_free(&b);
}

static void test_escape(void) {
  nf_buf b = NF_BUF_INIT;
  nf_html_escape(&b, "a<b>&\"c\xC2\xA0", 0);
  STR_EQ(b.ptr, "a&lt;b&gt;&amp;\"c&nbsp;", "html text");
  nf_buf_clear(&b);
  nf_html_escape(&b, "a<b>&\"c", 1);
  STR_EQ(b.ptr, "a<b>&amp;&quot;c", "html attribute");
  nf_buf_clear(&b);
  const char s[] = "a<\"\t\x01\xFF\xC2\x85\xEF\xBF\xBEz";
  nf_xml_escape(&b, s, sizeof s - 1, 0);
  STR_EQ(b.ptr, "a&lt;\"\t\xEF\xBF\xBDz", "xml text");
  nf_buf_clear(&b);
  nf_xml_escape(&b, "\"\n", 2, 1);
  STR_EQ(b.ptr, "&quot;&#10;", "xml attribute");
  nf_buf_free(&b);
}

static void test_url(void) {
  nf_buf b = NF_BUF_INIT;
  nf_url_resolve("https://ex.org/a/b.html", "../c.png", &b);
  STR_EQ(b.ptr, "https://ex.org/c.png", "resolve relative");
  nf_buf_clear(&b);
  nf_url_resolve("https://ex.org/a/", "#top", &b);
  STR_EQ(b.ptr, "#top", "fragment kept");
  nf_buf_clear(&b);
  nf_url_resolve(NULL, "x.html", &b);
  STR_EQ(b.ptr, "x.html", "no base");
  nf_buf_clear(&b);
  nf_url_resolve("https://ex.org/", "a b.html", &b);
  STR_EQ(b.ptr, "https://ex.org/a%20b.html", "spaces escaped");
  nf_buf_clear(&b);
  OK(nf_url_is_remote("https://x") && nf_url_is_remote("//x") &&
     nf_url_is_remote(" mailto:a") && !nf_url_is_remote("img/a.png") &&
     !nf_url_is_remote(":x"), "is remote");
  OK(nf_url_is_http("HTTP://x") && nf_url_is_http("https://x") &&
     !nf_url_is_http("ftp://x"), "is http");
  OK(nf_url_is_unsafe("java\tscript:alert(1)") &&
     nf_url_is_unsafe("VBScript:x") && nf_url_is_unsafe("data:text/html,x") &&
     !nf_url_is_unsafe("data:image/png;base64,xx") &&
     !nf_url_is_unsafe("https://x/a:b"), "is unsafe");
  OK(nf_url_has_scheme("a+b:x") && !nf_url_has_scheme("1a:x") &&
     !nf_url_has_scheme("a/b:c"), "has scheme");
  nf_url_clean(&b, "  a b\"%zz%41\n");
  STR_EQ(b.ptr, "a%20b%22%25zz%41", "clean");
  nf_buf_free(&b);
}

static void test_strset(void) {
  nf_strset s = {0};
  OK(!nf_strset_has(&s, "a"), "empty set");
  int added = 0;
  char key[32];
  for (int i = 0; i < 1000; i++) {
    snprintf(key, sizeof key, "k%d", i);
    added += nf_strset_add(&s, key);
  }
  INT_EQ(added, 1000, "all new");
  INT_EQ(nf_strset_add(&s, "k7"), 0, "already there");
  INT_EQ(s.len, 1000, "length");
  OK(nf_strset_has(&s, "k999") && !nf_strset_has(&s, "k1000"), "has");
  nf_strset_free(&s);
  OK(!nf_strset_has(&s, "k1") && s.len == 0, "freed and empty");
  OK(nf_hash_bytes("a", 1) != nf_hash_bytes("b", 1), "hash");
}

int main(void) {
  test_utf8();
  test_escape();
  test_url();
  test_strset();
  return nf_test_done();
}
