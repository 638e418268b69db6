/* utf8.c: UTF-8 decoding, encoding and validation, and conversion to
 * UTF-8 through iconv. */
#include "utf8.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

size_t nf_utf8_decode(const char *s, size_t avail, uint32_t *cp) {
  const unsigned char *p = (const unsigned char *)s;
  unsigned c = p[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t n;
  uint32_t v, min;
  if (c >= 0xC2 && c <= 0xDF) n = 2, v = c & 0x1F, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, v = c & 0x0F, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, v = c & 0x07, min = 0x10000;
  else return 0;
  if (avail < n) return 0;
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (p[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

int nf_utf8_seq_len(const unsigned char *s, size_t avail) {
  uint32_t cp;
  return (int)nf_utf8_decode((const char *)s, avail, &cp);
}

void nf_utf8_put(nf_buf *out, uint32_t cp) {
  char t[4];
  size_t n;
  if (cp < 0x80) {
    t[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    t[0] = (char)(0xC0 | (cp >> 6));
    t[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    t[0] = (char)(0xE0 | (cp >> 12));
    t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    t[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    t[0] = (char)(0xF0 | (cp >> 18));
    t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    t[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  nf_buf_put(out, t, n);
}

size_t nf_utf8_len(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
  return n;
}

size_t nf_utf8_prev(const char *s, size_t i) {
  size_t j = i - 1, steps = 0;
  while (j > 0 && steps < 3 && ((unsigned char)s[j] & 0xC0) == 0x80) {
    j--;
    steps++;
  }
  return j;
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

const char *nf_bom_charset(const char *data, size_t len, size_t *bom_len) {
  const unsigned char *u = (const unsigned char *)data;
  static const struct {
    const char *bytes;
    size_t len;
    const char *charset;
  } boms[] = {
      /* UTF-32LE first: its mark starts like UTF-16LE's */
      {"\xFF\xFE\x00\x00", 4, "UTF-32LE"},
      {"\x00\x00\xFE\xFF", 4, "UTF-32BE"},
      {"\xEF\xBB\xBF", 3, "UTF-8"},
      {"\xFF\xFE", 2, "UTF-16LE"},
      {"\xFE\xFF", 2, "UTF-16BE"},
  };
  for (size_t i = 0; i < sizeof boms / sizeof *boms; i++)
    if (len >= boms[i].len && memcmp(u, boms[i].bytes, boms[i].len) == 0) {
      if (bom_len) *bom_len = boms[i].len;
      return boms[i].charset;
    }
  if (bom_len) *bom_len = 0;
  return NULL;
}

int nf_charset_is_wide(const char *charset) {
  static const char *const wide[] = {"utf-16", "utf16", "utf-32", "utf32",
                                     "ucs-2", "ucs2", "ucs-4", "ucs4"};
  for (size_t i = 0; charset && i < sizeof wide / sizeof *wide; i++)
    if (strncasecmp(charset, wide[i], strlen(wide[i])) == 0) return 1;
  return 0;
}
