/* url.h: URLs in one place: resolving against a base, remote or local,
 * unsafe schemes, and cleaning for XML tools. */
#ifndef NF_URL_H
#define NF_URL_H

#include "newsform.h"

/* Has url a scheme ("x:" before any '/', '?' or '#')? */
int nf_url_has_scheme(const char *url);
/* Resolves href against base (when both are given and href is relative)
 * into out; otherwise copies href. */
void nf_url_resolve(const char *base, const char *href, nf_buf *out);
/* Is url remote (a scheme or "//"), not a file beside the document? */
int nf_url_is_remote(const char *url);
/* Does url start with http:// or https:// (any case)? */
int nf_url_is_http(const char *url);
/* javascript:, vbscript:, data: (except data:image/ png, gif, jpeg, webp)
 * URLs, with the whitespace and control characters browsers ignore. */
int nf_url_is_unsafe(const char *url);
/* Appends url made acceptable to XML tools: outer whitespace trimmed,
 * spaces and characters URLs may not hold percent-encoded. */
void nf_url_clean(nf_buf *out, const char *url);

#endif
