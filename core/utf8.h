/* utf8.h: UTF-8 in one place: decoding, encoding, lengths, validation and
 * charset conversion. */
#ifndef NF_UTF8_H
#define NF_UTF8_H
#include <stddef.h>
#include <stdint.h>
#include "newsform.h"

/* Decodes the well-formed sequence at s (avail bytes, avail > 0): returns
 * its length (1-4) and sets *cp, or 0 when the bytes are not valid UTF-8
 * (overlong forms, surrogates and values past U+10FFFF included). */
size_t nf_utf8_decode(const char *s, size_t avail, uint32_t *cp);
/* Appends cp encoded (cp must be a Unicode scalar value). */
void nf_utf8_put(nf_buf *out, uint32_t cp);
/* Number of code points of s[0..len) (counts lead bytes). */
size_t nf_utf8_len(const char *s, size_t len);
/* Start of the code point that ends just before s[i] (i > 0; at most 3
 * continuation bytes are stepped over). */
size_t nf_utf8_prev(const char *s, size_t i);

/* Is data valid UTF-8 (no overlongs, no surrogates)? */
int nf_utf8_valid(const char *data, size_t len);
/* Length of the valid UTF-8 sequence at s (1-4), or 0 if invalid. */
int nf_utf8_seq_len(const unsigned char *s, size_t avail);
/* Converts from charset to UTF-8 into out (invalid sequences become
 * U+FFFD). Returns 0, or -1 when the charset is unknown. */
int nf_to_utf8(const char *data, size_t len, const char *charset, nf_buf *out);
/* Appends data to out, replacing invalid UTF-8 with U+FFFD. */
void nf_utf8_repair(const char *data, size_t len, nf_buf *out);

/* The charset named by a byte-order mark at the start of data: "UTF-8",
 * "UTF-16LE", "UTF-16BE", "UTF-32LE" or "UTF-32BE" (static), with the
 * mark's length in *bom_len; NULL and 0 when there is none. */
const char *nf_bom_charset(const char *data, size_t len, size_t *bom_len);
/* Is charset one whose bytes are not ASCII-compatible (UTF-16, UTF-32,
 * UCS-2, UCS-4, with or without LE/BE)? Such text has NUL bytes and
 * cannot be sniffed before it is decoded. */
int nf_charset_is_wide(const char *charset);

#endif
