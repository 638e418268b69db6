/* escape.c: HTML and XML escaping (see escape.h). */
#include "escape.h"

#include "utf8.h"

void nf_html_escape(nf_buf *out, const char *s, int attr) {
  const char *start = s;
  for (; *s; s++) {
    const char *rep = NULL;
    switch (*s) {
    case '&': rep = "&amp;"; break;
    case '<': rep = attr ? NULL : "&lt;"; break;
    case '>': rep = attr ? NULL : "&gt;"; break;
    case '"': rep = attr ? "&quot;" : NULL; break;
    case '\xC2':
      if ((unsigned char)s[1] == 0xA0) {
        nf_buf_put(out, start, (size_t)(s - start));
        nf_buf_puts(out, "&nbsp;");
        s++;
        start = s + 1;
      }
      continue;
    default: continue;
    }
    if (!rep) continue;
    nf_buf_put(out, start, (size_t)(s - start));
    nf_buf_puts(out, rep);
    start = s + 1;
  }
  nf_buf_put(out, start, (size_t)(s - start));
}

void nf_xml_escape(nf_buf *out, const char *s, size_t len, int attr) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    unsigned char c = p[i];
    if (c < 0x80) {
      switch (c) {
      case '&': nf_buf_puts(out, "&amp;"); break;
      case '<': nf_buf_puts(out, "&lt;"); break;
      case '>': nf_buf_puts(out, "&gt;"); break;
      case '"':
        if (attr) nf_buf_puts(out, "&quot;");
        else nf_buf_putc(out, '"');
        break;
      case '\t': case '\n': case '\r':
        if (attr) nf_buf_printf(out, "&#%d;", c);
        else nf_buf_putc(out, c);
        break;
      default:
        if (c >= 0x20 && c != 0x7F) nf_buf_putc(out, c);
        break;
      }
      i++;
      continue;
    }
    int n = nf_utf8_seq_len(p + i, len - i);
    if (n == 0) {
      nf_buf_puts(out, "\xEF\xBF\xBD");
      i++;
      continue;
    }
    int skip = 0;
    if (n == 2 && c == 0xC2 && p[i + 1] < 0xA0) skip = 1;  /* C1 controls */
    if (n == 3 && c == 0xEF && p[i + 1] == 0xBF && p[i + 2] >= 0xBE)
      skip = 1;                                           /* U+FFFE/F */
    if (!skip) nf_buf_put(out, p + i, (size_t)n);
    i += (size_t)n;
  }
}
