/* gzip_whole.h: a gzip member decompressed whole, in one call (libdeflate:
 * about 2.5x zlib's speed on WARC records, its CRC-32 in carry-less
 * multiplication), for data that is in memory whole. zlib stays for
 * streams and is the fallback whenever this says no: every error message
 * comes from the zlib path. */
#ifndef NF_GZIP_WHOLE_H
#define NF_GZIP_WHOLE_H

#include <stddef.h>

#include "newsform.h"

/* Decompresses the gzip member at the start of in[0..len) that ends
 * exactly at len and holds exactly size bytes (its ISIZE), appending them
 * to out. 0, or -1 (out unchanged) when it is anything else: damaged, not
 * ending at len, another size, or too big for size_t. */
int nf_gzip_whole(const void *in, size_t len, size_t size, nf_buf *out);

/* The ISIZE field of a gzip member that ends at in + len (its last four
 * bytes, little-endian: the size modulo 2^32). */
size_t nf_gzip_isize(const void *in, size_t len);

#endif
