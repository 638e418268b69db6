/* sha1.h: SHA-1 (FIPS 180-4), for WARC digests (sha1.c). Neither zlib nor
 * libxml2 has one; WARC tools expect "sha1:" + base32. Not for security. */
#ifndef NF_SHA1_H
#define NF_SHA1_H

#include <stddef.h>
#include <stdint.h>

typedef struct nf_sha1 {
  uint32_t h[5];
  uint64_t len;           /* bytes hashed */
  unsigned char block[64];
  size_t used;
} nf_sha1;

void nf_sha1_init(nf_sha1 *s);
void nf_sha1_update(nf_sha1 *s, const void *data, size_t n);
void nf_sha1_final(nf_sha1 *s, unsigned char digest[20]);
/* "sha1:" and the digest of data in base32 (RFC 4648, 32 characters). */
void nf_sha1_base32(const void *data, size_t n, char out[38]);

#endif
