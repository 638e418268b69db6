/* escape.h: escaping text for HTML and XML output, in one place. */
#ifndef NF_ESCAPE_H
#define NF_ESCAPE_H

#include <stddef.h>

#include "newsform.h"

/* HTML5 serialization (the "escaping a string" rules): & and U+00A0
 * always (as &amp; and &nbsp;), < and > in text, " in attribute values
 * (attr). Bytes are copied otherwise. */
void nf_html_escape(nf_buf *out, const char *s, int attr);
/* Text that XML accepts, for HTML and XHTML output: & < > always, " and
 * tab/newlines as character references in attribute values (attr);
 * invalid UTF-8 becomes U+FFFD and characters XML forbids (C0 controls but
 * tab and newlines, DEL, C1 controls, U+FFFE/U+FFFF) are removed. */
void nf_xml_escape(nf_buf *out, const char *s, size_t len, int attr);

#endif
