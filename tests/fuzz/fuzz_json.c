/* fuzz_json.c: JSON decode, encode, decode again. The input is parsed
 * strictly and leniently (JSON-LD rules); whatever parses is written back
 * with nf_json_write (compact, and indented when the last byte is odd),
 * and that text must parse strictly and write back to the same bytes (the
 * second round trip is the identity). Written JSON is valid UTF-8. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static void round_trip(const nf_json *v, int indent) {
  nf_buf once = NF_BUF_INIT, twice = NF_BUF_INIT;
  nf_json_write(&once, v, indent);
  nf_fuzz_check_utf8("written JSON is not UTF-8", &once);
  nf_json *again = nf_fuzz_check_json("written JSON does not parse back", &once);
  nf_json_write(&twice, again, indent);
  if (once.len != twice.len || memcmp(once.ptr, twice.ptr, once.len) != 0)
    nf_fuzz_fail("second JSON round trip differs", twice.ptr, twice.len);
  nf_json_free(again);
  nf_buf_free(&once);
  nf_buf_free(&twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > (1u << 20)) return 0;
  char err[256];
  const char *text = (const char *)data;
  int indent = size && (data[size - 1] & 1) ? 2 : 0;
  nf_json *v = nf_json_parse(text, size, err, sizeof err);
  if (v) round_trip(v, indent);
  nf_json_free(v);
  v = nf_json_parse_lenient(text, size, err, sizeof err);
  if (v) round_trip(v, indent);
  nf_json_free(v);
  /* Strings of any bytes come out as valid JSON strings. */
  nf_buf s = NF_BUF_INIT;
  nf_json_put_string(&s, text, size);
  nf_fuzz_check_utf8("nf_json_put_string output is not UTF-8", &s);
  v = nf_fuzz_check_json("nf_json_put_string output does not parse", &s);
  if (v->type != NF_JSON_STRING) nf_fuzz_fail("a string came back as another type", s.ptr, s.len);
  nf_json_free(v);
  nf_buf_free(&s);
  return 0;
}
