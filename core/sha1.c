/* sha1.c: SHA-1 (see sha1.h), written from FIPS 180-4. */
#include "sha1.h"

#include <string.h>

static uint32_t rol(uint32_t x, int n) { return x << n | x >> (32 - n); }

static void compress(uint32_t h[5], const unsigned char *p) {
  uint32_t w[80];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
           (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 80; i++)
    w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
  for (int i = 0; i < 80; i++) {
    uint32_t f, k;
    if (i < 20) f = (b & c) | (~b & d), k = 0x5A827999;
    else if (i < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
    else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
    else f = b ^ c ^ d, k = 0xCA62C1D6;
    uint32_t t = rol(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = rol(b, 30);
    b = a;
    a = t;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

void nf_sha1_init(nf_sha1 *s) {
  static const uint32_t iv[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE,
                                 0x10325476, 0xC3D2E1F0};
  memcpy(s->h, iv, sizeof iv);
  s->len = 0;
  s->used = 0;
}

void nf_sha1_update(nf_sha1 *s, const void *data, size_t n) {
  const unsigned char *p = data;
  s->len += n;
  if (s->used) {
    size_t k = 64 - s->used < n ? 64 - s->used : n;
    memcpy(s->block + s->used, p, k);
    s->used += k;
    p += k;
    n -= k;
    if (s->used < 64) return;
    compress(s->h, s->block);
    s->used = 0;
  }
  for (; n >= 64; p += 64, n -= 64) compress(s->h, p);
  memcpy(s->block, p, n);
  s->used = n;
}

void nf_sha1_final(nf_sha1 *s, unsigned char digest[20]) {
  uint64_t bits = s->len * 8;
  unsigned char pad = 0x80;
  nf_sha1_update(s, &pad, 1);
  unsigned char zero = 0;
  while (s->used != 56) nf_sha1_update(s, &zero, 1);
  unsigned char len[8];
  for (int i = 0; i < 8; i++) len[i] = (unsigned char)(bits >> (56 - 8 * i));
  nf_sha1_update(s, len, 8);
  for (int i = 0; i < 5; i++)
    for (int j = 0; j < 4; j++)
      digest[4 * i + j] = (unsigned char)(s->h[i] >> (24 - 8 * j));
}

void nf_sha1_base32(const void *data, size_t n, char out[38]) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  nf_sha1 s;
  unsigned char d[20];
  nf_sha1_init(&s);
  nf_sha1_update(&s, data, n);
  nf_sha1_final(&s, d);
  memcpy(out, "sha1:", 5);
  /* 160 bits: 32 five-bit groups, no padding */
  for (int i = 0; i < 32; i++) {
    int bit = i * 5, byte = bit / 8, off = bit % 8;
    unsigned v = (unsigned)d[byte] << 8 | (byte + 1 < 20 ? d[byte + 1] : 0);
    out[5 + i] = alphabet[(v >> (11 - off)) & 31];
  }
  out[37] = '\0';
}
