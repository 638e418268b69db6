/* serialize.c: HTML5-style serialization of nodes (outer and inner HTML)
 * and inner-HTML replacement. Written by hand rather than with libxml2's
 * dumper, which emits HTML 4 entities (&eacute;) and its own doctype. */
#include <string.h>

#include "doc.h"
#include "escape.h"
#include "html_elements.h"

static void open_tag(const xmlNode *n, nf_buf *out) {
  nf_buf_putc(out, '<');
  nf_buf_puts(out, (const char *)n->name);
  for (xmlAttrPtr a = n->properties; a; a = a->next) {
    nf_buf_putc(out, ' ');
    nf_buf_puts(out, (const char *)a->name);
    nf_buf_puts(out, "=\"");
    for (xmlNodePtr v = a->children; v; v = v->next)
      if (v->content) nf_html_escape(out, (const char *)v->content, 1);
    nf_buf_putc(out, '"');
  }
  nf_buf_putc(out, '>');
}

/* Serializes root (itself included when outer) without recursion. */
static void serialize(const xmlNode *root, int outer, nf_buf *out) {
  if (!out->ptr) nf_buf_init(out);
  if (root->type == XML_HTML_DOCUMENT_NODE || root->type == XML_DOCUMENT_NODE) {
    nf_buf_puts(out, "<!DOCTYPE html>\n");
    for (const xmlNode *c = root->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE || c->type == XML_COMMENT_NODE) serialize(c, 1, out);
    return;
  }
  const xmlNode *n = outer ? root : root->children;
  if (!n) return;
  if (!outer && root->type != XML_ELEMENT_NODE) return;
  const xmlNode *stop = outer ? root : NULL; /* last node to finish */
  for (;;) {
    int descend = 0;
    switch (n->type) {
    case XML_ELEMENT_NODE:
      open_tag(n, out);
      if (!(nf_html_flags((const char *)n->name) & NF_EL_VOID)) {
        if (n->children) descend = 1;
        else { nf_buf_puts(out, "</"); nf_buf_puts(out, (const char *)n->name); nf_buf_putc(out, '>'); }
      }
      break;
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE: /* libxml2 stores <script>/<style> text as CDATA */
      if (n->content) {
        if (n->parent && n->parent->type == XML_ELEMENT_NODE &&
            (nf_html_flags((const char *)n->parent->name) & NF_EL_RAWTEXT))
          nf_buf_puts(out, (const char *)n->content);
        else
          nf_html_escape(out, (const char *)n->content, 0);
      }
      break;
    case XML_COMMENT_NODE:
      nf_buf_puts(out, "<!--");
      if (n->content) nf_buf_puts(out, (const char *)n->content);
      nf_buf_puts(out, "-->");
      break;
    default: break;
    }
    if (descend) { n = n->children; continue; }
    /* Finished n: climb, closing elements, until a next sibling. */
    for (;;) {
      if (n == stop) return;
      if (n->next) { n = n->next; break; }
      n = n->parent;
      if (!n || n == root) {
        if (n && outer) { nf_buf_puts(out, "</"); nf_buf_puts(out, (const char *)n->name); nf_buf_putc(out, '>'); }
        return;
      }
      nf_buf_puts(out, "</");
      nf_buf_puts(out, (const char *)n->name);
      nf_buf_putc(out, '>');
    }
  }
}

void nf_node_html(const nf_node *n, nf_buf *out) { serialize(n, 1, out); }
void nf_node_inner_html(const nf_node *n, nf_buf *out) { serialize(n, 0, out); }

int nf_node_set_inner_html(nf_doc *doc, nf_node *n, const char *html, size_t len) {
  if (n->type != XML_ELEMENT_NODE || n->doc != doc->xml) return 0;
  nf_nodelist parts = {0};
  nf_doc_parse_fragment(doc, html, len, &parts);
  for (xmlNodePtr c = n->children, next; c; c = next) { /* never spins */
    next = c->next;
    nf_node_unlink(doc, c);
  }
  for (size_t i = 0; i < parts.len; i++) nf_node_append(doc, n, parts.items[i]);
  nf_nodelist_free(&parts);
  return 1;
}
