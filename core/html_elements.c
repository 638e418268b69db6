/* html_elements.c: the element table (see html_elements.h). The lookup is
 * on hot paths (renderers, text and the extractor call it per element), so
 * it is a binary search over the sorted names that compares first bytes
 * before calling strcmp. */
#include "html_elements.h"

#include <ctype.h>
#include <string.h>

#include <libxml/tree.h>

#define NF_EL_NAME_(name, flags) #name,
static const char *const names[NF_ELEMENT_COUNT] = {
    NF_HTML_ELEMENTS(NF_EL_NAME_)};
#undef NF_EL_NAME_

#define NF_EL_FLAGS_(name, flags) flags,
const unsigned char nf_html_element_flags[NF_ELEMENT_COUNT] = {
    NF_HTML_ELEMENTS(NF_EL_FLAGS_)};
#undef NF_EL_FLAGS_

int nf_html_element(const char *tag) {
  if (!tag) return -1;
  unsigned char c0 = (unsigned char)tag[0];
  int lo = 0, hi = NF_ELEMENT_COUNT - 1;
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    const char *name = names[mid];
    int d = (int)c0 - (unsigned char)name[0];
    if (!d && c0) d = strcmp(tag + 1, name + 1);
    if (!d) return mid;
    if (d < 0) hi = mid - 1;
    else lo = mid + 1;
  }
  return -1;
}

unsigned nf_html_flags(const char *tag) {
  int i = nf_html_element(tag);
  return i < 0 ? 0 : nf_html_element_flags[i];
}

int nf_html_is_void(const char *tag) {
  return (nf_html_flags(tag) & NF_EL_VOID) != 0;
}

/* Does an inline style declare decl ("prop:value"), spaces and case
 * ignored? */
static int style_has(const char *style, const char *decl) {
  for (const char *p = style; *p; p++) {
    if (tolower((unsigned char)*p) != decl[0]) continue;
    const char *q = p;
    size_t k = 0;
    while (*q && decl[k]) {
      if (isspace((unsigned char)*q)) { q++; continue; }
      if (tolower((unsigned char)*q) != decl[k]) break;
      q++;
      k++;
    }
    if (!decl[k]) return 1;
  }
  return 0;
}

int nf_html_node_hidden(const nf_node *n) {
  if (!n || n->type != XML_ELEMENT_NODE) return 0;
  if (nf_html_flags((const char *)n->name) & NF_EL_HIDDEN) return 1;
  for (const xmlAttr *a = n->properties; a; a = a->next) {
    if (!strcmp((const char *)a->name, "hidden")) return 1;
    if (!strcmp((const char *)a->name, "style") && a->children &&
        a->children->content &&
        (style_has((const char *)a->children->content, "display:none") ||
         style_has((const char *)a->children->content, "visibility:hidden")))
      return 1;
  }
  return 0;
}
