/* utf8.c: UTF-8 validation and conversion to UTF-8 through iconv. */
#include "utf8.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

int nf_utf8_seq_len(const unsigned char *s, size_t avail) {
  unsigned c = s[0];
  if (c < 0x80) return 1;
  int n;
  unsigned min;
  if (c >= 0xC2 && c <= 0xDF) n = 2, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, min = 0x10000;
  else return 0;
  if (avail < (size_t)n) return 0;
  unsigned cp = c & (0x3F >> (n - 1));
  for (int i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

int nf_utf8_valid(const char *data, size_t len) {
  const unsigned char *s = (const unsigned char *)data;
  size_t i = 0;
  while (i < len) {
    if (s[i] < 0x80) { i++; continue; }
    int n = nf_utf8_seq_len(s + i, len - i);
    if (!n) return 0;
    i += (size_t)n;
  }
  return 1;
}

void nf_utf8_repair(const char *data, size_t len, nf_buf *out) {
  const unsigned char *s = (const unsigned char *)data;
  size_t i = 0, start = 0;
  while (i < len) {
    if (s[i] < 0x80) { i++; continue; }
    int n = nf_utf8_seq_len(s + i, len - i);
    if (n) { i += (size_t)n; continue; }
    nf_buf_put(out, data + start, i - start);
    nf_buf_puts(out, "\xEF\xBF\xBD");
    i++;
    start = i;
  }
  nf_buf_put(out, data + start, len - start);
}

int nf_to_utf8(const char *data, size_t len, const char *charset, nf_buf *out) {
  iconv_t cd = iconv_open("UTF-8", charset);
  if (cd == (iconv_t)-1) return -1;
  char *in = (char *)data;
  size_t inleft = len;
  char tmp[8192];
  while (inleft > 0) {
    char *o = tmp;
    size_t oleft = sizeof tmp;
    size_t r = iconv(cd, &in, &inleft, &o, &oleft);
    nf_buf_put(out, tmp, sizeof tmp - oleft);
    if (r == (size_t)-1) {
      if (errno == E2BIG) continue;
      /* EILSEQ or EINVAL: skip one byte, mark it. */
      nf_buf_puts(out, "\xEF\xBF\xBD");
      in++;
      inleft--;
    }
  }
  iconv_close(cd);
  return 0;
}
