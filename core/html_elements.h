/* html_elements.h: the one table of HTML element properties. Every part of
 * the library that asks "is this tag void / a block / never rendered /
 * raw text / phrasing / obsolete?" asks here, so the serializer, the
 * renderers, text extraction, normalize and the extractor agree.
 *
 * Decisions, made once (they were spread over seven lists before):
 * - HIDDEN ("no text rendered") is what a browser does not show as text:
 *   document metadata (head, title, meta, link, base...), scripts and
 *   templates, noscript (we read pages as a scripting browser would), and
 *   replaced or interactive content whose children are fallback or
 *   options, not prose: svg, math, canvas, iframe, object, embed, applet,
 *   frames, form controls (input, button, select, datalist, textarea,
 *   keygen), meter, progress, map/area, media sources. option, optgroup and
 *   output are not hidden: outside a select their text is shown. audio and
 *   video are not hidden: their fallback text is what a text rendering
 *   can offer (the extractor drops them on its own account).
 * - BLOCK is what breaks lines in text output (HTML's block-level flow
 *   elements, plus html/body, colgroup and the obsolete pre-likes); text
 *   and the renderers now share it (text lacked caption, legend, xmp...).
 * - A node is also hidden by the hidden attribute or an inline style
 *   display:none / visibility:hidden (nf_html_node_hidden), in the
 *   renderers and in text alike.
 * - INLINE is phrasing content that may carry prose (what a p may hold and
 *   normalize keeps inside a paragraph); hidden phrasing elements (button,
 *   svg, math...) are not INLINE.
 * - PRE and LIST group the legacy spellings with pre and ul/ol.
 * - VOID and RAWTEXT follow the HTML serialization rules (with the legacy
 *   elements HTML5 still serializes that way).
 * - Custom and unknown elements (my-cite, x-term, amp-img, a misspelt tag)
 *   are not in the table: they follow their content model, decided in one
 *   function (nf_html_unknown_is_inline) that every caller reaches through
 *   nf_html_node_flags. INLINE where they sit in text or hold only inline
 *   content, BLOCK otherwise; never HIDDEN, so nobody drops their text. */
#ifndef NF_HTML_ELEMENTS_H
#define NF_HTML_ELEMENTS_H

#include "newsform.h"

enum {
  NF_EL_VOID = 1 << 0,     /* no end tag, no children */
  NF_EL_BLOCK = 1 << 1,    /* breaks lines in text output */
  NF_EL_HIDDEN = 1 << 2,   /* its content is never rendered as text */
  NF_EL_RAWTEXT = 1 << 3,  /* its text is serialized unescaped */
  NF_EL_INLINE = 1 << 4,   /* phrasing content carrying prose */
  NF_EL_OBSOLETE = 1 << 5, /* not in HTML5 (center, font, tt, strike...) */
  NF_EL_PRE = 1 << 6,      /* keeps its whitespace: pre, listing, xmp... */
  NF_EL_LIST = 1 << 7      /* a list of li: ul, ol, menu, dir */
};

/* Every element with a property or that a caller keys a table by, sorted
 * by name (strcmp order). X(name, flags). */
#define NF_HTML_ELEMENTS(X) \
    X(a, NF_EL_INLINE) \
    X(abbr, NF_EL_INLINE) \
    X(acronym, NF_EL_INLINE | NF_EL_OBSOLETE) \
    X(address, NF_EL_BLOCK) \
    X(applet, NF_EL_HIDDEN | NF_EL_OBSOLETE) \
    X(area, NF_EL_VOID | NF_EL_HIDDEN) \
    X(article, NF_EL_BLOCK) \
    X(aside, NF_EL_BLOCK) \
    X(audio, 0) \
    X(b, NF_EL_INLINE) \
    X(base, NF_EL_VOID | NF_EL_HIDDEN) \
    X(basefont, NF_EL_VOID | NF_EL_HIDDEN | NF_EL_OBSOLETE) \
    X(bdi, NF_EL_INLINE) \
    X(bdo, NF_EL_INLINE) \
    X(bgsound, NF_EL_VOID | NF_EL_HIDDEN | NF_EL_OBSOLETE) \
    X(big, NF_EL_INLINE | NF_EL_OBSOLETE) \
    X(blink, NF_EL_OBSOLETE) \
    X(blockquote, NF_EL_BLOCK) \
    X(body, NF_EL_BLOCK) \
    X(br, NF_EL_VOID | NF_EL_INLINE) \
    X(button, NF_EL_HIDDEN) \
    X(canvas, NF_EL_HIDDEN) \
    X(caption, NF_EL_BLOCK) \
    X(center, NF_EL_BLOCK | NF_EL_OBSOLETE) \
    X(cite, NF_EL_INLINE) \
    X(code, NF_EL_INLINE) \
    X(col, NF_EL_VOID) \
    X(colgroup, NF_EL_BLOCK) \
    X(content, NF_EL_OBSOLETE) \
    X(data, NF_EL_INLINE) \
    X(datalist, NF_EL_HIDDEN) \
    X(dd, NF_EL_BLOCK) \
    X(del, NF_EL_INLINE) \
    X(details, NF_EL_BLOCK) \
    X(dfn, NF_EL_INLINE) \
    X(dialog, NF_EL_BLOCK) \
    X(dir, NF_EL_BLOCK | NF_EL_OBSOLETE | NF_EL_LIST) \
    X(div, NF_EL_BLOCK) \
    X(dl, NF_EL_BLOCK) \
    X(dt, NF_EL_BLOCK) \
    X(em, NF_EL_INLINE) \
    X(embed, NF_EL_VOID | NF_EL_HIDDEN) \
    X(fieldset, NF_EL_BLOCK) \
    X(figcaption, NF_EL_BLOCK) \
    X(figure, NF_EL_BLOCK) \
    X(font, NF_EL_INLINE | NF_EL_OBSOLETE) \
    X(footer, NF_EL_BLOCK) \
    X(form, NF_EL_BLOCK) \
    X(frame, NF_EL_VOID | NF_EL_HIDDEN | NF_EL_OBSOLETE) \
    X(frameset, NF_EL_BLOCK | NF_EL_HIDDEN | NF_EL_OBSOLETE) \
    X(h1, NF_EL_BLOCK) \
    X(h2, NF_EL_BLOCK) \
    X(h3, NF_EL_BLOCK) \
    X(h4, NF_EL_BLOCK) \
    X(h5, NF_EL_BLOCK) \
    X(h6, NF_EL_BLOCK) \
    X(head, NF_EL_HIDDEN) \
    X(header, NF_EL_BLOCK) \
    X(hgroup, NF_EL_BLOCK) \
    X(hr, NF_EL_VOID | NF_EL_BLOCK) \
    X(html, NF_EL_BLOCK) \
    X(i, NF_EL_INLINE) \
    X(iframe, NF_EL_HIDDEN | NF_EL_RAWTEXT) \
    X(image, NF_EL_OBSOLETE) \
    X(img, NF_EL_VOID | NF_EL_INLINE) \
    X(input, NF_EL_VOID | NF_EL_HIDDEN) \
    X(ins, NF_EL_INLINE) \
    X(isindex, NF_EL_OBSOLETE) \
    X(kbd, NF_EL_INLINE) \
    X(keygen, NF_EL_VOID | NF_EL_HIDDEN | NF_EL_OBSOLETE) \
    X(label, NF_EL_INLINE) \
    X(legend, NF_EL_BLOCK) \
    X(li, NF_EL_BLOCK) \
    X(link, NF_EL_VOID | NF_EL_HIDDEN) \
    X(listing, NF_EL_BLOCK | NF_EL_OBSOLETE | NF_EL_PRE) \
    X(main, NF_EL_BLOCK) \
    X(map, NF_EL_HIDDEN) \
    X(mark, NF_EL_INLINE) \
    X(marquee, NF_EL_OBSOLETE) \
    X(math, NF_EL_HIDDEN) \
    X(menu, NF_EL_BLOCK | NF_EL_LIST) \
    X(menuitem, NF_EL_OBSOLETE) \
    X(meta, NF_EL_VOID | NF_EL_HIDDEN) \
    X(meter, NF_EL_HIDDEN) \
    X(multicol, NF_EL_OBSOLETE) \
    X(nav, NF_EL_BLOCK) \
    X(nextid, NF_EL_OBSOLETE) \
    X(nobr, NF_EL_INLINE | NF_EL_OBSOLETE) \
    X(noembed, NF_EL_HIDDEN | NF_EL_RAWTEXT | NF_EL_OBSOLETE) \
    X(noframes, NF_EL_HIDDEN | NF_EL_RAWTEXT | NF_EL_OBSOLETE) \
    X(noscript, NF_EL_HIDDEN) \
    X(object, NF_EL_HIDDEN) \
    X(ol, NF_EL_BLOCK | NF_EL_LIST) \
    X(optgroup, 0) \
    X(option, 0) \
    X(output, 0) \
    X(p, NF_EL_BLOCK) \
    X(param, NF_EL_VOID | NF_EL_HIDDEN) \
    X(picture, NF_EL_INLINE) \
    X(plaintext, NF_EL_BLOCK | NF_EL_RAWTEXT | NF_EL_OBSOLETE | NF_EL_PRE) \
    X(pre, NF_EL_BLOCK | NF_EL_PRE) \
    X(progress, NF_EL_HIDDEN) \
    X(q, NF_EL_INLINE) \
    X(rb, NF_EL_OBSOLETE) \
    X(rp, 0) \
    X(rt, NF_EL_INLINE) \
    X(rtc, NF_EL_OBSOLETE) \
    X(ruby, NF_EL_INLINE) \
    X(s, NF_EL_INLINE) \
    X(samp, NF_EL_INLINE) \
    X(script, NF_EL_HIDDEN | NF_EL_RAWTEXT) \
    X(section, NF_EL_BLOCK) \
    X(select, NF_EL_HIDDEN) \
    X(shadow, NF_EL_OBSOLETE) \
    X(small, NF_EL_INLINE) \
    X(source, NF_EL_VOID | NF_EL_HIDDEN) \
    X(spacer, NF_EL_OBSOLETE) \
    X(span, NF_EL_INLINE) \
    X(strike, NF_EL_INLINE | NF_EL_OBSOLETE) \
    X(strong, NF_EL_INLINE) \
    X(style, NF_EL_HIDDEN | NF_EL_RAWTEXT) \
    X(sub, NF_EL_INLINE) \
    X(summary, NF_EL_BLOCK) \
    X(sup, NF_EL_INLINE) \
    X(svg, NF_EL_HIDDEN) \
    X(table, NF_EL_BLOCK) \
    X(tbody, NF_EL_BLOCK) \
    X(td, NF_EL_BLOCK) \
    X(template, NF_EL_HIDDEN) \
    X(textarea, NF_EL_HIDDEN) \
    X(tfoot, NF_EL_BLOCK) \
    X(th, NF_EL_BLOCK) \
    X(thead, NF_EL_BLOCK) \
    X(time, NF_EL_INLINE) \
    X(title, NF_EL_HIDDEN) \
    X(tr, NF_EL_BLOCK) \
    X(track, NF_EL_VOID | NF_EL_HIDDEN) \
    X(tt, NF_EL_INLINE | NF_EL_OBSOLETE) \
    X(u, NF_EL_INLINE) \
    X(ul, NF_EL_BLOCK | NF_EL_LIST) \
    X(var, NF_EL_INLINE) \
    X(video, 0) \
    X(wbr, NF_EL_VOID | NF_EL_INLINE) \
    X(xmp, NF_EL_BLOCK | NF_EL_RAWTEXT | NF_EL_OBSOLETE | NF_EL_PRE)


/* NF_ELEMENT_<name>: an element's index in the table. */
typedef enum {
#define NF_EL_ENUM_(name, flags) NF_ELEMENT_##name,
  NF_HTML_ELEMENTS(NF_EL_ENUM_)
#undef NF_EL_ENUM_
  NF_ELEMENT_COUNT
} nf_element;

/* Index of the lower-case tag name, or -1 when the table does not list
 * it (custom and unknown elements: see nf_html_node_flags). */
int nf_html_element(const char *tag);
/* Flags (NF_EL_*) by index, and by name (0 for unknown names and NULL). */
extern const unsigned char nf_html_element_flags[NF_ELEMENT_COUNT];
unsigned nf_html_flags(const char *tag);

/* How far nf_html_unknown_is_inline looks inside an element: an unknown
 * element holding more nodes than this without a block is a container
 * (block). Bounds the cost on pages of deeply nested custom elements. */
#define NF_EL_UNKNOWN_SCAN 512

/* Is the custom or unknown element n inline? Yes when it sits in text (a
 * sibling next to it, across comments and blank text, is text with a
 * word, or its parent is phrasing: an INLINE element, p or h1-h6) or when
 * it holds only inline content (no BLOCK element below it, hidden ones
 * aside); no (a block) otherwise. */
int nf_html_unknown_is_inline(const nf_node *n);
/* Flags (NF_EL_*) of element n: the table's for a listed tag, else
 * NF_EL_INLINE or NF_EL_BLOCK by nf_html_unknown_is_inline. 0 for NULL and
 * nodes that are not elements. Callers holding the node use this, not the
 * name lookups below, so that custom elements are never mistaken. */
unsigned nf_html_node_flags(const nf_node *n);
static inline int nf_html_node_is_block(const nf_node *n) {
  return (nf_html_node_flags(n) & NF_EL_BLOCK) != 0;
}
static inline int nf_html_node_is_inline(const nf_node *n) {
  return (nf_html_node_flags(n) & NF_EL_INLINE) != 0;
}

static inline int nf_html_is_block(const char *tag) {
  return (nf_html_flags(tag) & NF_EL_BLOCK) != 0;
}
static inline int nf_html_is_hidden(const char *tag) {
  return (nf_html_flags(tag) & NF_EL_HIDDEN) != 0;
}
static inline int nf_html_is_inline(const char *tag) {
  return (nf_html_flags(tag) & NF_EL_INLINE) != 0;
}

/* Is element n not rendered: a HIDDEN tag, the hidden attribute, or an
 * inline style display:none or visibility:hidden? The renderers skip it,
 * and so do text, sentences, keywords and summaries. aria-hidden is not
 * enough: such content (icons, decorative labels) is still on screen. */
int nf_html_node_hidden(const nf_node *n);

#endif
