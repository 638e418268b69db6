/* gzip_whole.c: see gzip_whole.h. */
#include "gzip_whole.h"

#include <libdeflate.h>
#include <stdint.h>
#include <string.h>

size_t nf_gzip_isize(const void *in, size_t len) {
  const unsigned char *p = (const unsigned char *)in + len - 4;
  if (len < 4) return 0;
  return (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 |
         (size_t)p[3] << 24;
}

int nf_gzip_whole(const void *in, size_t len, size_t size, nf_buf *out) {
  /* 18 bytes: the smallest member (header, an empty block, trailer) */
  if (len < 18 || size > SIZE_MAX / 4 - out->len) return -1;
  /* A decompressor is a few KiB and set up without tables: one per call
   * keeps this free of threads' concerns. */
  struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
  if (!d) nf_oom();
  nf_buf_reserve(out, size);
  size_t in_used = 0, out_got = 0;
  enum libdeflate_result rc = libdeflate_gzip_decompress_ex(
      d, in, len, out->ptr + out->len, size, &in_used, &out_got);
  libdeflate_free_decompressor(d);
  if (rc != LIBDEFLATE_SUCCESS || in_used != len || out_got != size) {
    out->ptr[out->len] = '\0';
    return -1;
  }
  out->len += size;
  out->ptr[out->len] = '\0';
  return 0;
}
