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

/* Is text node t more than whitespace? */
static int has_word(const xmlNode *t) {
  for (const unsigned char *p = t->content; p && *p; p++) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
      continue;
    if (p[0] == 0xC2 && p[1] == 0xA0) {
      p++;
      continue;
    }
    return 1;
  }
  return 0;
}

/* The nearest sibling of n in one direction that is neither a comment nor
 * blank text, or NULL. */
static const xmlNode *neighbour(const xmlNode *n, int forward) {
  const xmlNode *s = forward ? n->next : n->prev;
  while (s && (s->type == XML_COMMENT_NODE ||
               (s->type == XML_TEXT_NODE && !has_word(s))))
    s = forward ? s->next : s->prev;
  return s;
}

static int sits_in_text(const xmlNode *n) {
  const xmlNode *p = n->parent;
  if (p && p->type == XML_ELEMENT_NODE) {
    int i = nf_html_element((const char *)p->name);
    if (i >= 0 && ((nf_html_element_flags[i] & NF_EL_INLINE) ||
                   i == NF_ELEMENT_p ||
                   (i >= NF_ELEMENT_h1 && i <= NF_ELEMENT_h6)))
      return 1;
  }
  for (int forward = 0; forward <= 1; forward++) {
    const xmlNode *s = neighbour(n, forward);
    if (s && (s->type == XML_TEXT_NODE || s->type == XML_CDATA_SECTION_NODE))
      return 1;
  }
  return 0;
}

/* No BLOCK element below n (hidden subtrees skipped), within
 * NF_EL_UNKNOWN_SCAN nodes. */
static int holds_only_inline(const xmlNode *n) {
  const xmlNode *c = n->children;
  int seen = 0;
  while (c) {
    int descend = 0;
    if (c->type == XML_ELEMENT_NODE) {
      if (++seen > NF_EL_UNKNOWN_SCAN) return 0;
      unsigned f = nf_html_flags((const char *)c->name);
      if (f & NF_EL_BLOCK) return 0;
      descend = !(f & NF_EL_HIDDEN) && c->children;
    }
    if (descend) {
      c = c->children;
      continue;
    }
    while (c != n && !c->next) c = c->parent;
    if (c == n) break;
    c = c->next;
  }
  return 1;
}

int nf_html_unknown_is_inline(const nf_node *n) {
  if (!n || n->type != XML_ELEMENT_NODE) return 0;
  return sits_in_text(n) || holds_only_inline(n);
}

unsigned nf_html_node_flags(const nf_node *n) {
  if (!n || n->type != XML_ELEMENT_NODE) return 0;
  int i = nf_html_element((const char *)n->name);
  if (i >= 0) return nf_html_element_flags[i];
  return nf_html_unknown_is_inline(n) ? NF_EL_INLINE : NF_EL_BLOCK;
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
