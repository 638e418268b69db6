/* dom.c: node accessors, edits and the ENTER/EXIT iterator over libxml2's
 * tree. Edits link and unlink by hand: libxml2's own helpers merge adjacent
 * text nodes and free one of them, which would leave a script holding a
 * dangling node. Unlinked nodes are tracked by the document and freed with
 * it, never before. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "budget.h"
#include "utf8.h"

/* An iterator state after nf_iter_skip_children: the next event is the
 * EXIT of the current element. */
#define EV_SKIPPED ((nf_event)3)

/* _private marks nodes already on the detached list (no duplicates). */
#define TRACKED ((void *)1)

/* ----- Node lists -------------------------------------------------------- */

void nf_nodelist_push(nf_nodelist *l, nf_node *n) {
  if (l->len == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->items = nf_xrealloc(l->items, l->cap * sizeof *l->items);
  }
  l->items[l->len++] = n;
}

void nf_nodelist_free(nf_nodelist *l) {
  free(l->items);
  l->items = NULL;
  l->len = l->cap = 0;
}

void nf_doc_track_detached(nf_doc *doc, nf_node *n) {
  if (n->_private == TRACKED) return;
  n->_private = TRACKED;
  nf_nodelist_push(&doc->detached, n);
}

/* ----- Accessors --------------------------------------------------------- */

nf_node_kind nf_node_kind_of(const nf_node *n) {
  switch (n->type) {
  case XML_ELEMENT_NODE: return NF_NODE_ELEMENT;
  case XML_TEXT_NODE:
  case XML_CDATA_SECTION_NODE: return NF_NODE_TEXT;
  case XML_COMMENT_NODE: return NF_NODE_COMMENT;
  case XML_DOCUMENT_NODE:
  case XML_HTML_DOCUMENT_NODE: return NF_NODE_DOCUMENT;
  default: return NF_NODE_OTHER;
  }
}

const char *nf_node_name(const nf_node *n) {
  switch (nf_node_kind_of(n)) {
  case NF_NODE_ELEMENT: return (const char *)n->name;
  case NF_NODE_TEXT: return "#text";
  case NF_NODE_COMMENT: return "#comment";
  case NF_NODE_DOCUMENT: return "#document";
  default: return n->type == XML_ATTRIBUTE_NODE ? (const char *)n->name : "#other";
  }
}

int nf_node_is(const nf_node *n, const char *tag) {
  return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, tag) == 0;
}

nf_node *nf_node_parent(const nf_node *n) { return n->parent; }
nf_node *nf_node_first_child(const nf_node *n) {
  return n->type == XML_ATTRIBUTE_NODE ? NULL : n->children;
}
nf_node *nf_node_last_child(const nf_node *n) {
  return n->type == XML_ATTRIBUTE_NODE ? NULL : n->last;
}
nf_node *nf_node_next(const nf_node *n) { return n->next; }
nf_node *nf_node_prev(const nf_node *n) { return n->prev; }

nf_node *nf_node_next_element(const nf_node *n) {
  for (n = n->next; n && n->type != XML_ELEMENT_NODE; n = n->next) {}
  return (nf_node *)n;
}
nf_node *nf_node_prev_element(const nf_node *n) {
  for (n = n->prev; n && n->type != XML_ELEMENT_NODE; n = n->prev) {}
  return (nf_node *)n;
}
nf_node *nf_node_first_element(const nf_node *n) {
  for (n = n->children; n && n->type != XML_ELEMENT_NODE; n = n->next) {}
  return (nf_node *)n;
}

long nf_node_line(const nf_node *n) { return (long)xmlGetLineNo(n) > 0 ? (long)xmlGetLineNo(n) : 0; }

const char *nf_node_content(const nf_node *n) {
  if (n->type == XML_ATTRIBUTE_NODE)
    return n->children && n->children->content ? (const char *)n->children->content : "";
  if (n->type == XML_ELEMENT_NODE || !n->content) return n->type == XML_ELEMENT_NODE ? NULL : "";
  return (const char *)n->content;
}

const char *nf_node_attr(const nf_node *n, const char *name) {
  if (n->type != XML_ELEMENT_NODE) return NULL;
  for (xmlAttrPtr a = n->properties; a; a = a->next) {
    if (xmlStrcasecmp(a->name, BAD_CAST name) != 0) continue;
    if (a->children && a->children->type == XML_TEXT_NODE && !a->children->next)
      return a->children->content ? (const char *)a->children->content : "";
    /* Multi-node attribute values (entity refs) are rare in HTML: xmlGetProp
     * would allocate; fall back to the first text child. */
    for (xmlNodePtr c = a->children; c; c = c->next)
      if (c->type == XML_TEXT_NODE && c->content) return (const char *)c->content;
    return "";
  }
  return NULL;
}

static int valid_name(const char *s) {
  if (!s || !isalpha((unsigned char)*s)) return 0;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != ':' && *s != '.')
      return 0;
  return 1;
}

static int valid_attr_name(const char *s) {
  if (!s || !*s) return 0;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c <= ' ' || c == '"' || c == '\'' || c == '>' || c == '/' || c == '=' || c == 0x7f)
      return 0;
  }
  return 1;
}

/* Text a script hands in may hold invalid UTF-8 (a Lua string cut in the
 * middle of a character): the tree holds UTF-8 only, as the parser makes
 * it, so such bytes become U+FFFD (tmp keeps the repaired copy). */
static const xmlChar *utf8_of(const char *s, nf_buf *tmp) {
  size_t n = strlen(s);
  if (nf_utf8_valid(s, n)) return BAD_CAST s;
  nf_utf8_repair(s, n, tmp);
  return BAD_CAST tmp->ptr;
}

int nf_node_set_attr(nf_node *n, const char *name, const char *value) {
  if (n->type != XML_ELEMENT_NODE || !valid_attr_name(name) ||
      !nf_utf8_valid(name, strlen(name)))
    return 0;
  char lower[256];
  size_t len = strlen(name);
  if (len >= sizeof lower) return 0;
  for (size_t i = 0; i <= len; i++) lower[i] = (char)tolower((unsigned char)name[i]);
  if (value) {
    nf_buf tmp = NF_BUF_INIT;
    xmlSetProp(n, BAD_CAST lower, utf8_of(value, &tmp));
    nf_buf_free(&tmp);
  } else {
    xmlAttrPtr a = n->properties;
    while (a && xmlStrcasecmp(a->name, BAD_CAST lower) != 0) a = a->next;
    if (a) xmlRemoveProp(a);
  }
  return 1;
}

int nf_node_attr_at(const nf_node *n, size_t i, const char **name, const char **value) {
  if (n->type != XML_ELEMENT_NODE) return 0;
  xmlAttrPtr a = n->properties;
  while (a && i--) a = a->next;
  if (!a) return 0;
  *name = (const char *)a->name;
  *value = a->children && a->children->content ? (const char *)a->children->content : "";
  return 1;
}

void nf_node_text(const nf_node *n, nf_buf *out) {
  if (!out->ptr) nf_buf_init(out);
  if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
    if (n->content) nf_buf_puts(out, (const char *)n->content);
    return;
  }
  if (n->type == XML_ATTRIBUTE_NODE) {
    nf_buf_puts(out, nf_node_content(n));
    return;
  }
  const xmlNode *root = n, *c = n->children;
  nf_budget *budget = nf_budget_current();
  while (c) {
    if (budget && nf_budget_spend(budget, 1)) return;
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
      nf_buf_puts(out, (const char *)c->content);
    if (c->children && (c->type == XML_ELEMENT_NODE)) {
      c = c->children;
      continue;
    }
    while (c && !c->next) {
      c = c->parent;
      if (c == root) return;
    }
    if (c) c = c->next;
  }
}

int nf_node_attached(const nf_node *n) {
  while (n->parent) n = n->parent;
  return n->type == XML_HTML_DOCUMENT_NODE || n->type == XML_DOCUMENT_NODE;
}

int nf_node_contains(const nf_node *anc, const nf_node *n) {
  for (; n; n = n->parent)
    if (n == anc) return 1;
  return 0;
}

/* ----- Edits ------------------------------------------------------------- */

/* Processing instructions (libxml2 2.9 parses "<?php ... ?>" into them)
 * have no Lua handle but must move with their siblings, or loops that
 * empty an element would never end. */
static int movable(const nf_node *n) {
  return n->type == XML_ELEMENT_NODE || n->type == XML_TEXT_NODE ||
         n->type == XML_CDATA_SECTION_NODE || n->type == XML_COMMENT_NODE ||
         n->type == XML_PI_NODE;
}

/* Unlinks without freeing or merging. */
static void cut(nf_node *n) {
  xmlNodePtr p = n->parent;
  if (n->prev) n->prev->next = n->next;
  else if (p) p->children = n->next;
  if (n->next) n->next->prev = n->prev;
  else if (p) p->last = n->prev;
  n->parent = n->prev = n->next = NULL;
}

/* Every caller links n right after a yes: the generation moves here. */
static int can_insert(nf_doc *doc, const nf_node *parent, const nf_node *n) {
  if (!movable(n) || n->doc != doc->xml) return 0;
  if (parent->type != XML_ELEMENT_NODE) return 0;
  if (nf_node_contains(n, parent)) return 0; /* no cycles */
  doc->generation++;
  return 1;
}

int nf_node_set_name(nf_node *n, const char *tag) {
  if (n->type != XML_ELEMENT_NODE || !valid_name(tag) || strlen(tag) > 64) return 0;
  char lower[80];
  size_t i = 0;
  for (; tag[i]; i++) lower[i] = (char)tolower((unsigned char)tag[i]);
  lower[i] = '\0';
  xmlNodeSetName(n, BAD_CAST lower);
  nf_doc *d = nf_doc_of(n);
  if (d) d->generation++;
  return 1;
}

int nf_node_unlink(nf_doc *doc, nf_node *n) {
  if (!movable(n) || n->doc != doc->xml) return 0;
  if (n->parent) cut(n);
  nf_doc_track_detached(doc, n);
  doc->generation++;
  return 1;
}

int nf_node_append(nf_doc *doc, nf_node *parent, nf_node *child) {
  if (!can_insert(doc, parent, child)) return 0;
  cut(child);
  child->parent = parent;
  if (parent->last) {
    parent->last->next = child;
    child->prev = parent->last;
  } else {
    parent->children = child;
  }
  parent->last = child;
  return 1;
}

int nf_node_prepend(nf_doc *doc, nf_node *parent, nf_node *child) {
  if (!parent->children) return nf_node_append(doc, parent, child);
  return nf_node_insert_before(doc, parent->children, child);
}

int nf_node_insert_before(nf_doc *doc, nf_node *ref, nf_node *n) {
  if (ref == n || !ref->parent || !can_insert(doc, ref->parent, n)) return 0;
  cut(n);
  n->parent = ref->parent;
  n->next = ref;
  n->prev = ref->prev;
  if (ref->prev) ref->prev->next = n;
  else ref->parent->children = n;
  ref->prev = n;
  return 1;
}

int nf_node_insert_after(nf_doc *doc, nf_node *ref, nf_node *n) {
  if (ref == n || !ref->parent || !can_insert(doc, ref->parent, n)) return 0;
  cut(n);
  n->parent = ref->parent;
  n->prev = ref;
  n->next = ref->next;
  if (ref->next) ref->next->prev = n;
  else ref->parent->last = n;
  ref->next = n;
  return 1;
}

int nf_node_unwrap(nf_doc *doc, nf_node *n) {
  if (n->type != XML_ELEMENT_NODE || n->doc != doc->xml) return 0;
  if (!n->parent || n->parent->type != XML_ELEMENT_NODE) return 0;
  for (xmlNodePtr c = n->children, next; c; c = next) { /* never spins */
    next = c->next;
    nf_node_insert_before(doc, n, c);
  }
  return nf_node_unlink(doc, n);
}

int nf_node_set_text(nf_doc *doc, nf_node *n, const char *text) {
  if (n->type == XML_TEXT_NODE || n->type == XML_COMMENT_NODE) {
    nf_buf tmp = NF_BUF_INIT;
    xmlNodeSetContent(n, text ? utf8_of(text, &tmp) : NULL); /* no children */
    nf_buf_free(&tmp);
    return 1;
  }
  if (n->type != XML_ELEMENT_NODE || n->doc != doc->xml) return 0;
  for (xmlNodePtr c = n->children, next; c; c = next) { /* never spins */
    next = c->next;
    nf_node_unlink(doc, c);
  }
  if (text && *text) {
    xmlNodePtr t = nf_node_new_text(doc, text);
    nf_node_append(doc, n, t);
  }
  return 1;
}

/* Copies node by node (xmlDocCopyNode with 2: attributes, no children):
 * libxml2's recursive copy overflows the stack on the deep trees a script
 * can build by appending. */
nf_node *nf_node_clone(nf_doc *doc, const nf_node *n) {
  if (!movable(n)) return NULL;
  xmlNodePtr top = xmlDocCopyNode((xmlNodePtr)n, doc->xml, 2);
  if (!top) return NULL;
  top->_private = NULL;
  xmlNodePtr parent = top;
  const xmlNode *s = n->type == XML_ELEMENT_NODE ? n->children : NULL;
  while (s) {
    xmlNodePtr copy = xmlDocCopyNode((xmlNodePtr)s, doc->xml, 2);
    if (copy) {
      copy->_private = NULL;
      copy->parent = parent;
      if (parent->last) { copy->prev = parent->last; parent->last->next = copy; }
      else parent->children = copy;
      parent->last = copy;
      if (s->type == XML_ELEMENT_NODE && s->children) {
        parent = copy;
        s = s->children;
        continue;
      }
    }
    while (s != n && !s->next) {
      s = s->parent;
      parent = parent->parent;
    }
    s = s == n ? NULL : s->next;
  }
  nf_doc_track_detached(doc, top);
  return top;
}

nf_node *nf_node_new_element(nf_doc *doc, const char *tag) {
  if (!valid_name(tag)) return NULL;
  xmlNodePtr e = xmlNewDocNode(doc->xml, NULL, BAD_CAST tag, NULL);
  if (!e) return NULL;
  nf_node_set_name(e, tag);
  nf_doc_track_detached(doc, e);
  return e;
}

nf_node *nf_node_new_text(nf_doc *doc, const char *text) {
  nf_buf tmp = NF_BUF_INIT;
  xmlNodePtr t = xmlNewDocText(doc->xml, utf8_of(text ? text : "", &tmp));
  nf_buf_free(&tmp);
  if (!t) return NULL;
  nf_doc_track_detached(doc, t);
  return t;
}

/* ----- Iterator ----------------------------------------------------------- */

/* Nodes the iterator descends into: elements, and the document (or a
 * fragment) so that a walk from the document node sees what nf_select
 * sees. Other nodes (text, comments, the DTD) are leaves. */
static int iter_container(const nf_node *n) {
  return n->type == XML_ELEMENT_NODE || n->type == XML_DOCUMENT_NODE ||
         n->type == XML_HTML_DOCUMENT_NODE || n->type == XML_DOCUMENT_FRAG_NODE;
}

void nf_iter_init(nf_iter *it, nf_node *root) {
  it->root = root;
  it->cur = NULL;
  it->ev = NF_EV_NONE;
  it->budget = nf_budget_current();
}

nf_event nf_iter_next(nf_iter *it) {
  if (!it->root) return NF_EV_NONE;
  if (it->budget && nf_budget_spend(it->budget, 1)) {
    it->root = NULL;   /* the caller's result is discarded */
    return it->ev = NF_EV_NONE;
  }
  if (!it->cur) {
    it->cur = it->root;
    it->ev = NF_EV_ENTER;
    return it->ev;
  }
  nf_node *c = it->cur;
  if (it->ev == EV_SKIPPED) {
    it->ev = NF_EV_EXIT;
    return it->ev;
  }
  if (it->ev == NF_EV_ENTER && iter_container(c) && c->children) {
    it->cur = c->children;
  } else if (it->ev == NF_EV_ENTER && iter_container(c)) {
    it->ev = NF_EV_EXIT; /* empty element: its exit comes right away */
    return it->ev;
  } else if (c == it->root) {
    it->root = NULL;
    it->ev = NF_EV_NONE;
    return it->ev;
  } else if (c->next) {
    it->cur = c->next;
  } else {
    it->cur = c->parent;
    it->ev = NF_EV_EXIT;
    return it->ev;
  }
  it->ev = NF_EV_ENTER;
  return it->ev;
}

nf_node *nf_iter_next_element(nf_iter *it) {
  nf_event ev;
  while ((ev = nf_iter_next(it)) != NF_EV_NONE)
    if (ev == NF_EV_ENTER && it->cur->type == XML_ELEMENT_NODE) return it->cur;
  return NULL;
}

nf_node *nf_iter_node(const nf_iter *it) { return it->cur; }

void nf_iter_skip_children(nf_iter *it) {
  if (it->ev == NF_EV_ENTER && it->cur && iter_container(it->cur))
    it->ev = EV_SKIPPED;
}
