/* bundle_page.c: the XHTML page pieces shared by the EPUB chapters and the
 * standalone article pages of tar/zip/dir bundles: the page head and the
 * article's header, body and source line. */
#include "bundle.h"
#include "url.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int nfb_is_remote(const char *url) {
  return nf_url_is_http(url) || strncmp(url, "//", 2) == 0;
}

void nfb_format_time(long long t, char out[32]) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* BCP 47-looking language tag, or NULL. */
char *nfb_clean_lang(const char *lang) {
  if (!lang || !*lang) return NULL;
  char *l = nf_xstrdup(lang);
  size_t n = 0;
  for (char *p = l; *p; p++) {
    if (*p == '_') *p = '-';
    if (!isalnum((unsigned char)*p) && *p != '-') { free(l); return NULL; }
    n++;
  }
  if (n > 35 || !isalpha((unsigned char)l[0])) { free(l); return NULL; }
  return l;
}

void nfb_page_head(nf_buf *out, const char *title, const char *lang,
                      const char *css) {
  nf_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<!DOCTYPE html>\n"
                   "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                   "xmlns:epub=\"http://www.idpf.org/2007/ops\"");
  if (lang) {
    nf_buf_puts(out, " lang=\"");
    nfb_put_xml_attr(out, lang);
    nf_buf_puts(out, "\" xml:lang=\"");
    nfb_put_xml_attr(out, lang);
    nf_buf_puts(out, "\"");
  }
  nf_buf_puts(out, ">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
  nfb_put_xml(out, title);
  nf_buf_puts(out, "</title>\n");
  if (css) {
    nf_buf_puts(out, "<link rel=\"stylesheet\" type=\"text/css\" href=\"");
    nf_buf_puts(out, css);
    nf_buf_puts(out, "\"/>\n");
  }
  nf_buf_puts(out, "</head>\n");
}

static void date_line(nf_buf *out, const char *published) {
  if (!published) return;
  long long t = nf_bundle_parse_time(published);
  if (t >= 0) {
    char iso[32];
    nfb_format_time(t, iso);
    nf_buf_puts(out, "<time datetime=\"");
    nf_buf_puts(out, iso);
    nf_buf_puts(out, "\">");
    /* Readers see the day as declared (its own time zone); the exact
     * time stays in the attribute. */
    const char *src = published;
    for (int i = 0; i < 10; i++)
      if (!(i == 4 || i == 7 ? src[i] == '-' : (src[i] >= '0' && src[i] <= '9'))) {
        src = iso; /* not YYYY-MM-DD...: the UTC day */
        break;
      }
    char day[11];
    memcpy(day, src, 10);
    day[10] = '\0';
    nfb_put_xml(out, day);
    nf_buf_puts(out, "</time>");
  } else {
    nfb_put_xml(out, published);
  }
}

/* The article header + body + source line (inside <body>). */
void nfb_article_section(nf_buf *out, const nfb_chapter *c, const char *body) {
  nf_buf_puts(out, "<section epub:type=\"chapter\" class=\"article\">\n"
                   "<header>\n<h1 class=\"title\">");
  nfb_put_xml(out, c->title);
  nf_buf_puts(out, "</h1>\n");
  if (c->author || c->published) {
    nf_buf_puts(out, "<p class=\"byline\">");
    if (c->author) nfb_put_xml(out, c->author);
    if (c->author && c->published) nf_buf_puts(out, " · ");
    date_line(out, c->published);
    nf_buf_puts(out, "</p>\n");
  }
  nf_buf_puts(out, "</header>\n<div class=\"body\">\n");
  nf_buf_puts(out, body);
  nf_buf_puts(out, "\n</div>\n");
  if (c->url && nfb_is_remote(c->url) && strncmp(c->url, "//", 2) != 0) {
    nf_buf_puts(out, "<p class=\"source\"><a href=\"");
    nfb_put_xml_attr(out, c->url);
    nf_buf_puts(out, "\">");
    nfb_put_xml(out, c->url);
    nf_buf_puts(out, "</a></p>\n");
  }
  nf_buf_puts(out, "</section>\n");
}


void nfb_paragraphs(nf_buf *out, const char *text) {
  const char *p = text ? text : "";
  while (*p) {
    while (*p == '\n' || *p == '\r') p++;
    if (!*p) break;
    const char *end = strstr(p, "\n\n");
    size_t len = end ? (size_t)(end - p) : strlen(p);
    char *para = nf_xstrndup(p, len);
    nf_buf_puts(out, "<p>");
    nfb_put_xml(out, para);
    nf_buf_puts(out, "</p>\n");
    free(para);
    p += len;
  }
}

/* Does the tag at s ("<p ...", "</div>") end a paragraph? */
static int breaks_paragraph(const char *s) {
  static const char *const blocks[] = {
      "p", "div", "li", "br", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
      "blockquote", "pre", "figure", "figcaption", "section", "article",
      "table", "ul", "ol", "dl", "dd", "dt", "hr", NULL};
  s += s[1] == '/' ? 2 : 1;
  size_t n = strcspn(s, " \t\r\n/>");
  for (int i = 0; blocks[i]; i++)
    if (strlen(blocks[i]) == n && strncasecmp(s, blocks[i], n) == 0) return 1;
  return 0;
}

void nfb_xhtml_text(const char *xhtml, nf_buf *out) {
  const char *p = xhtml ? xhtml : "";
  while (*p) {
    if (*p == '<') {
      const char *end = strchr(p, '>');
      if (!end) break;
      if (breaks_paragraph(p) && out->len &&
          (out->len < 2 || memcmp(out->ptr + out->len - 2, "\n\n", 2)))
        nf_buf_puts(out, "\n\n");
      p = end + 1;
      continue;
    }
    if (*p == '&') {
      static const struct { const char *name; char c; } ents[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
          {"&apos;", '\''}};
      size_t i = 0;
      for (; i < sizeof ents / sizeof *ents; i++)
        if (strncmp(p, ents[i].name, strlen(ents[i].name)) == 0) break;
      if (i < sizeof ents / sizeof *ents) {
        nf_buf_putc(out, ents[i].c);
        p += strlen(ents[i].name);
        continue;
      }
      if (p[1] == '#') {
        char *stop;
        int hex = p[2] == 'x' || p[2] == 'X';
        unsigned long cp = strtoul(p + (hex ? 3 : 2), &stop, hex ? 16 : 10);
        if (*stop == ';' && cp > 0 && cp <= 0x10FFFF) {
          char u[4];
          size_t k = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
          if (k == 1) u[0] = (char)cp;
          else {
            for (size_t j = k; j-- > 1; cp >>= 6) u[j] = (char)(0x80 | (cp & 0x3F));
            u[0] = (char)((0xF00 >> k) | cp);
          }
          nf_buf_put(out, u, k);
          p = stop + 1;
          continue;
        }
      }
    }
    nf_buf_putc(out, *p++);
  }
}
