/* url.c: URL helpers (see url.h). */
#include "url.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <libxml/uri.h>

static int is_scheme_char(int c) {
  return isalnum(c) || c == '+' || c == '-' || c == '.';
}

int nf_url_has_scheme(const char *url) {
  const char *p = url;
  if (!isalpha((unsigned char)*p)) return 0;
  while (is_scheme_char((unsigned char)*p)) p++;
  return *p == ':';
}

void nf_url_resolve(const char *base, const char *href, nf_buf *out) {
  if (!href) return;
  if (!base || !*base || nf_url_has_scheme(href) || href[0] == '#') {
    nf_buf_puts(out, href);
    return;
  }
  xmlChar *abs = xmlBuildURI((const xmlChar *)href, (const xmlChar *)base);
  if (!abs) { /* e.g. spaces: try again with them escaped */
    nf_buf esc = NF_BUF_INIT;
    nf_buf_init(&esc);
    for (const char *p = href; *p; p++) {
      if (*p == ' ') nf_buf_puts(&esc, "%20");
      else nf_buf_putc(&esc, *p);
    }
    abs = xmlBuildURI((const xmlChar *)esc.ptr, (const xmlChar *)base);
    nf_buf_free(&esc);
  }
  nf_buf_puts(out, abs ? (const char *)abs : href);
  if (abs) xmlFree(abs);
}

int nf_url_is_remote(const char *url) {
  while (*url == ' ') url++;
  if (url[0] == '/' && url[1] == '/') return 1;
  const char *p = url;
  while (is_scheme_char((unsigned char)*p)) p++;
  return *p == ':' && p > url;
}

int nf_url_is_http(const char *url) {
  return strncasecmp(url, "http://", 7) == 0 ||
         strncasecmp(url, "https://", 8) == 0;
}

int nf_url_is_unsafe(const char *url) {
  char scheme[16];
  size_t n = 0;
  const char *colon = NULL;
  if (!url) return 0;
  for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
    if (*p <= 0x20) continue; /* browsers skip these inside schemes */
    if (*p == ':') {
      colon = (const char *)p;
      break;
    }
    if (n + 1 >= sizeof scheme) return 0;
    scheme[n++] = (char)tolower(*p);
  }
  scheme[n] = 0;
  if (!colon) return 0;
  if (!strcmp(scheme, "javascript") || !strcmp(scheme, "vbscript"))
    return 1;
  if (!strcmp(scheme, "data")) {
    const char *d = colon + 1;
    while (*d == ' ') d++;
    static const char *const ok[] = {"image/png", "image/gif", "image/jpeg",
                                     "image/webp", NULL};
    for (int i = 0; ok[i]; i++)
      if (strncasecmp(d, ok[i], strlen(ok[i])) == 0) return 0;
    return 1;
  }
  return 0;
}

void nf_url_clean(nf_buf *out, const char *url) {
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *p = (const unsigned char *)url;
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
  size_t len = strlen((const char *)p);
  while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\n' ||
                     p[len - 1] == '\r' || p[len - 1] == '\t'))
    len--;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = p[i];
    int bad = c <= 0x20 || c == 0x7F || strchr("\"<>\\^`{|}", c) != NULL;
    if (c == '%' && !(i + 2 < len && isxdigit(p[i + 1]) &&
                      isxdigit(p[i + 2])))
      bad = 1;
    if (bad) {
      nf_buf_putc(out, '%');
      nf_buf_putc(out, hex[c >> 4]);
      nf_buf_putc(out, hex[c & 15]);
    } else {
      nf_buf_putc(out, c);
    }
  }
}
