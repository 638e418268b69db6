/* utf8.h: UTF-8 validation and charset conversion helpers. */
#ifndef NF_UTF8_H
#define NF_UTF8_H
#include <stddef.h>
#include "newsform.h"

/* Is data valid UTF-8 (no overlongs, no surrogates)? */
int nf_utf8_valid(const char *data, size_t len);
/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. */
int nf_utf8_seq_len(const unsigned char *s, size_t avail);
/* Converts from charset to UTF-8 into out (invalid sequences become
 * U+FFFD). Returns 0, or -1 when the charset is unknown. */
int nf_to_utf8(const char *data, size_t len, const char *charset, nf_buf *out);
/* Appends data to out, replacing invalid UTF-8 with U+FFFD. */
void nf_utf8_repair(const char *data, size_t len, nf_buf *out);

#endif
