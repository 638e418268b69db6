/* xhtml_repair.h: the XHTML content model, repaired on a tree.
 *
 * The renderer (render_html.c) writes well-formed XHTML as it walks a
 * page, one element at a time; what needs the whole of a parent's
 * children (a tfoot written before the tbody, a run of cells with no row,
 * a dd with no dt) is repaired here, on a parsed copy of that XHTML in a
 * private libxml2 document (not an nf_doc: nodes are freed freely). The
 * EPUB writer runs it on every chapter when it reads the chapter back at
 * close (bundle_epub.c), whatever made the chapter's XHTML. */
#ifndef NF_XHTML_REPAIR_H
#define NF_XHTML_REPAIR_H

#include <libxml/tree.h>

#include "newsform.h"

/* Repairs the content of root (a flow container, e.g. a <div> wrapper in
 * the XHTML namespace) in place, so that it is valid EPUB 3 XHTML:
 * - elements HTML5 does not have: unwrapped (hidden ones, as script or
 *   form controls, dropped with their content); form, fieldset, dialog,
 *   menu, main renamed (div, ul); elements of other namespaces than
 *   XHTML, SVG and MathML unwrapped; svg and math left as they are;
 * - flow content inside phrasing-only elements becomes span (hr goes);
 *   a inside a, and interactive content inside a, unwrapped;
 * - tables: caption first, colgroups, one thead, the bodies (rows
 *   outside a tbody wrapped in one), one tfoot last (extra ones become
 *   tbody); cells outside rows get a row, content outside cells a cell;
 *   rows, cells and table sections outside a table get one;
 * - lists hold li only (other content wrapped in li); li, dt, dd,
 *   figcaption, caption, summary outside their parent become div; a dl
 *   gets an empty dt before a dd with no term and an empty dd after a
 *   last term, other content in dd;
 * - attributes: only those HTML5 allows on the element (the allowlist of
 *   nf_xhtml_attr_allowed), epub:* and xml:lang; ids non-empty, without
 *   spaces, not starting with a digit, unique (later ones dropped);
 *   javascript:-like URLs dropped.
 * Returns the number of changes made (0: the tree was already valid). */
size_t nf_xhtml_repair(xmlNode *root);

/* An XHTML fragment parsed as XML inside a wrapper <div> (the root, in
 * the XHTML namespace, with the epub: prefix declared); NULL when it is
 * not well-formed. Free with xmlFreeDoc. */
xmlDoc *nf_xhtml_parse_fragment(const char *xhtml, size_t len);

/* The same for an XHTML fragment (the renderer's output): parsed, repaired
 * and appended to out; appended unchanged when nothing needed repair or it
 * is not well-formed. */
void nf_xhtml_repair_fragment(const char *xhtml, size_t len, nf_buf *out);

/* May attribute name (lower case) with value stand on element tag in
 * XHTML? Global attributes, data-*, and the element's own, with their
 * values checked where HTML5 constrains them. */
int nf_xhtml_attr_allowed(const char *tag, const char *name,
                          const char *value);

#endif
