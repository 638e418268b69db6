/* test_gzip_whole.c: gzip members decompressed whole (core/gzip_whole.c,
 * libdeflate) and where they are used: a member found in a file without
 * inflating it (nfb_gz_member_at), page.html.gz (nf_gunzip), and a WARC
 * record read at its offset (FILE@OFFSET, as workers read them). Each
 * fast path must give the bytes the zlib path gives, and leave every
 * case it does not take (several members, damage, limits) to zlib. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "bundle_io.h"
#include "gzip_whole.h"
#include "harness.h"
#include "newsform.h"


/* Bytes that look like a member's end followed by the next one's start:
 * an ISIZE of 300 then the gzip magic, in the data of a stored member. */
static const char decoy[] = "\x2c\x01\x00\x00\x1f\x8b\x08\x00";

static void test_whole(void) {
  const char *text = "a page, a page, a page: compressed once";
  nf_buf gz = NF_BUF_INIT, out = NF_BUF_INIT;
  nf_buf_init(&gz);
  nf_buf_init(&out);
  nf_test_gzip_append(&gz, text, strlen(text));
  INT_EQ(nf_gzip_isize(gz.ptr, gz.len), strlen(text), "ISIZE read");
  OK(nf_gzip_whole(gz.ptr, gz.len, strlen(text), &out) == 0 &&
         strcmp(out.ptr, text) == 0,
     "a member decompressed whole");
  nf_buf_clear(&out);
  nf_buf_puts(&out, "kept:");
  OK(nf_gzip_whole(gz.ptr, gz.len, strlen(text) - 1, &out) < 0 &&
         strcmp(out.ptr, "kept:") == 0,
     "another size: no, and out unchanged");
  OK(nf_gzip_whole(gz.ptr, gz.len - 1, strlen(text), &out) < 0,
     "cut short: no");
  nf_buf_putc(&gz, 'x');
  OK(nf_gzip_whole(gz.ptr, gz.len, strlen(text), &out) < 0,
     "bytes after the member: no");
  gz.len--;
  gz.ptr[gz.len / 2] ^= 0x55;
  OK(nf_gzip_whole(gz.ptr, gz.len, strlen(text), &out) < 0 &&
         strcmp(out.ptr, "kept:") == 0,
     "damaged: no, and out unchanged");
  OK(nf_gzip_whole(gz.ptr, 10, 0, &out) < 0, "shorter than any member: no");
  nf_buf_free(&gz);
  nf_buf_free(&out);
}

static void test_gunzip(void) {
  char err[200];
  nf_buf gz = NF_BUF_INIT, out = NF_BUF_INIT;
  nf_buf_init(&gz);
  nf_buf_init(&out);
  nf_test_gzip_append(&gz, "first ", 6);
  OK(nf_gunzip(gz.ptr, gz.len, 0, &out, err, sizeof err) == 0 &&
         strcmp(out.ptr, "first ") == 0,
     "gunzip: one member");
  nf_test_gzip_append(&gz, "second", 6);
  nf_buf_clear(&out);
  OK(nf_gunzip(gz.ptr, gz.len, 0, &out, err, sizeof err) == 0 &&
         strcmp(out.ptr, "first second") == 0,
     "gunzip: two members, both (zlib after the whole path says no)");
  nf_buf_clear(&gz);
  char big[5000];
  memset(big, 'z', sizeof big);
  nf_test_gzip_append(&gz, big, sizeof big);
  nf_buf_clear(&out);
  OK(nf_gunzip(gz.ptr, gz.len, 4000, &out, err, sizeof err) < 0 &&
         strstr(err, "exceeds the size limit"),
     "gunzip: over the limit, said so");
  nf_buf_clear(&out);
  gz.ptr[gz.len - 6] ^= 1; /* the CRC */
  OK(nf_gunzip(gz.ptr, gz.len, 0, &out, err, sizeof err) < 0 &&
         strstr(err, "corrupt"),
     "gunzip: a bad CRC is an error");
  nf_buf_free(&gz);
  nf_buf_free(&out);
}

/* A record's bytes: a stored member with the decoy inside, then a
 * compressed one, then a stored one of 300 KB (read in growing pieces). */
static void test_member_at(void) {
  nf_buf rec[3], file = NF_BUF_INIT, out = NF_BUF_INIT;
  nf_buf_init(&file);
  nf_buf_init(&out);
  size_t at[3];
  for (int i = 0; i < 3; i++) {
    nf_buf_init(&rec[i]);
    nf_buf_printf(&rec[i], "record %d ", i);
    for (int k = 0; k < 40; k++) nf_buf_put(&rec[i], decoy, sizeof decoy - 1);
    if (i == 2)
      for (int k = 0; k < 300000; k++)
        nf_buf_putc(&rec[i], (int)((k * 7919u) >> 3 & 0xff));
    at[i] = file.len;
    nf_test_gzip_level_append(&file, rec[i].ptr, rec[i].len, i == 1 ? 6 : 0);
  }
  nfb_src s;
  nfb_src_mem(&s, file.ptr, file.len);
  int same = 1;
  for (int i = 0; i < 3; i++) {
    nf_buf_clear(&out);
    same &= nfb_gz_member_at(&s, at[i], 1 << 20, &out) == 0 &&
            out.len == rec[i].len &&
            memcmp(out.ptr, rec[i].ptr, out.len) == 0;
  }
  OK(same, "member at its offset: past decoy ends, the last one, 300 KB");
  nf_buf_clear(&out);
  OK(nfb_gz_member_at(&s, at[2], 100000, &out) < 0 && out.len == 0,
     "member over the limit: no");
  OK(nfb_gz_member_at(&s, at[1] + 1, 1 << 20, &out) < 0,
     "not at a member's start: no");
  OK(nfb_gz_member_at(&s, file.len, 1 << 20, &out) < 0, "at the end: no");
  file.ptr[at[1] + 20] ^= 0x40; /* inside member 1's deflate data */
  OK(nfb_gz_member_at(&s, at[1], 1 << 20, &out) < 0 && out.len == 0,
     "damaged member: no (zlib names the damage)");
  nfb_src pipe;
  nfb_src_file(&pipe, 0, 0, UINT64_MAX, 0);
  OK(nfb_gz_member_at(&pipe, 0, 1 << 20, &out) < 0, "a pipe: no");
  for (int i = 0; i < 3; i++) nf_buf_free(&rec[i]);
  nf_buf_free(&file);
  nf_buf_free(&out);
}

/* A WARC of a member per record, read at each record's offset: the same
 * bytes as the streaming reader gives; a damaged member still fails with
 * zlib's words; the record is handed over once. */
static void test_warc_at(void) {
  nf_buf file = NF_BUF_INIT, recs = NF_BUF_INIT;
  nf_buf_init(&file);
  nf_buf_init(&recs);
  size_t at[3], len[3], start[3];
  for (int i = 0; i < 3; i++) {
    nf_buf body = NF_BUF_INIT, one = NF_BUF_INIT;
    nf_buf_init(&body);
    nf_buf_init(&one);
    nf_buf_printf(&body, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
                  "<title>Page %d</title><p>", i);
    for (int k = 0; k < 30 + 3000 * i; k++)
      nf_buf_put(&body, decoy, sizeof decoy - 1);
    nf_buf_puts(&body, "</p>");
    nf_buf_printf(&one, "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: "
                  "http://p.test/%d\r\nContent-Length: %zu\r\n\r\n", i,
                  body.len);
    nf_buf_put(&one, body.ptr, body.len);
    len[i] = one.len;
    start[i] = recs.len;
    nf_buf_put(&recs, one.ptr, one.len);
    nf_buf_puts(&one, "\r\n\r\n");
    at[i] = file.len;
    nf_test_gzip_level_append(&file, one.ptr, one.len, i == 0 ? 6 : 0);
    nf_buf_free(&body);
    nf_buf_free(&one);
  }
  const char *path = nf_test_tmp("decoys.warc.gz");
  FILE *f = fopen(path, "wb");
  fwrite(file.ptr, 1, file.len, f);
  fclose(f);
  char err[300], name[600];
  int same = 1;
  for (int i = 0; i < 3; i++) {
    snprintf(name, sizeof name, "%s@%zu", path, at[i]);
    nf_bundle_reader *r = nf_bundle_open(name, NF_BUNDLE_UNKNOWN, 0, err,
                                         sizeof err);
    nf_bundle_entry e;
    nf_buf out = NF_BUF_INIT;
    nf_buf_init(&out);
    same &= r && nf_bundle_next(r, &e, err, sizeof err) == 1 &&
            nf_bundle_read(r, &out, err, sizeof err) == 0 &&
            out.len == len[i] &&
            memcmp(out.ptr, recs.ptr + start[i], len[i]) == 0;
    if (i == 2) {
      OK(r && nf_bundle_read(r, &out, err, sizeof err) < 0 &&
             strstr(err, "already read"),
         "FILE@OFFSET: the record is handed over once");
    }
    nf_buf_free(&out);
    nf_bundle_reader_free(r);
  }
  OK(same, "FILE@OFFSET: each record whole, past the decoys in its member");
  /* the stored member's data damaged: its CRC no longer matches */
  file.ptr[at[2] + 200] ^= 0x20;
  f = fopen(path, "wb");
  fwrite(file.ptr, 1, file.len, f);
  fclose(f);
  snprintf(name, sizeof name, "%s@%zu", path, at[2]);
  nf_bundle_reader *r = nf_bundle_open(name, NF_BUNDLE_UNKNOWN, 0, err,
                                       sizeof err);
  nf_bundle_entry e;
  nf_buf out = NF_BUF_INIT;
  nf_buf_init(&out);
  int rc = r ? nf_bundle_next(r, &e, err, sizeof err) : -1;
  if (rc == 1) rc = nf_bundle_read(r, &out, err, sizeof err) == 0 ? 1 : -1;
  OK(rc < 0 && strstr(err, "incorrect data check"),
     "FILE@OFFSET: a bad CRC fails the record, in zlib's words");
  nf_buf_free(&out);
  nf_bundle_reader_free(r);
  nf_buf_free(&file);
  nf_buf_free(&recs);
}

int main(void) {
  nf_test_tmp_open();
  test_whole();
  test_gunzip();
  test_member_at();
  test_warc_at();
  nf_test_tmp_close();
  return nf_test_done();
}
