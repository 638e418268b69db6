/* test_fuzz_parse.c: deterministic random byte-level mutations of small
 * HTML pages and text dumps (insert, delete, duplicate, flip; random and
 * unclosed tags, NULs, invalid UTF-8, BOMs, charset declarations, huge
 * attributes, deep nesting) fed to the parser in every mode, then through
 * serialization, text, titles, CSS selection, XPath, article extraction,
 * the renderers and the tree edits. Nothing here may crash, leak or trip
 * the sanitizers; outputs promised to be UTF-8 must be; the tree's links
 * must stay consistent.
 *
 * Usage: test_fuzz_parse [ROUNDS [SEED]]   (default 250 mutated inputs,
 * each parsed three ways; FUZZ_DUMP=ROUND writes that round's input to
 * /tmp/fuzz_input.bin). Seeds also come from tests/fixtures/fuzz/ when run
 * from the repository root. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "newsform.h"
#include "utf8.h"

/* ===== PRNG (xorshift32: the same sequence everywhere) ================== */

static uint32_t rng = 2463534242u;
static uint32_t next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}
static size_t rand_below(size_t n) { return n ? next_rand() % n : 0; }
static int chance(unsigned percent) { return next_rand() % 100 < percent; }

/* ===== Seeds ============================================================= */

static const char *const builtin_seeds[] = {
    "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>A title</title>"
    "<meta property=\"og:title\" content=\"OG &amp; title\"><link rel=canonical "
    "href=\"https://example.com/a\"></head><body><article><h1>Heading</h1><p class=lede>"
    "First <b>bold</b> &amp; <a href=\"/x\">link</a>.</p><figure><img src=a.jpg alt=x>"
    "<figcaption>Cap</figcaption></figure><p>Second paragraph with words.</p><ul><li>one"
    "<li>two</ul><table><tr><td>a<td>b</table><pre>  code\n  more</pre></article>"
    "<script>var x = '<p>';</script><style>p{}</style></body></html>",
    "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
    "\"headline\":\"LD head\",\"author\":{\"name\":\"Ann\"},\"datePublished\":"
    "\"2024-05-01T10:00:00Z\"}</script></head><body><div id=main><p>Text "
    "paragraph one. Another sentence!</p><blockquote><p>quote</p></blockquote>"
    "<ol><li><p>nested <i>list</i></ol></div><!-- comment --><?php echo 1 ?></body>",
    "<div><p>unclosed <b>bold <i>italic <a href=x>link</div><span>after",
    "<table><tr><td><table><tr><td>inner</td></tr></table></td></tr></table><p>t",
    "<svg><rect width=1 /><foreignObject><p>x</p></foreignObject></svg><math><mi>x</mi></math>",
    "<template><p>t</p></template><noscript><img src=n></noscript><iframe>i</iframe>",
    "<meta http-equiv=Content-Type content=\"text/html; charset=iso-8859-1\">caf\xe9 "
    "na\xefve <p>\x93quoted\x94</p>",
    "<meta charset=shift_jis><p>\x82\xa0\x82\xa2</p>",
    "<p>&nbsp;&amp;&lt;&gt;&quot;&#39;&#x1F600;&#0;&#xD800;&bogus;&copy</p>",
    "The Title Line\n\nThe standfirst of the story.\n\n10/21/2011\nUpdated: 10/1/2015\n\n"
    "<a href=\"x\"><img src=\"y.jpg\"></a>\nA caption line\n\nFirst paragraph of the "
    "body. It has sentences.\n\nSecond paragraph.\n\nThe Title Line\n",
    "Just a line of text without markup\nand another line",
    "",
    "<",
    "<!DOCTYPE html><html><body><p>a</p></html><p>after the end</p>",
};

static char **seeds;
static size_t *seed_lens, seed_count;

static void add_seed(const char *data, size_t len) {
  seeds = realloc(seeds, (seed_count + 1) * sizeof *seeds);
  seed_lens = realloc(seed_lens, (seed_count + 1) * sizeof *seed_lens);
  if (!seeds || !seed_lens) abort();
  seeds[seed_count] = nf_xstrndup(data, len);
  seed_lens[seed_count++] = len;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files of tests/fixtures/fuzz: extra seeds, in sorted order (deterministic). */
static void load_fixture_seeds(void) {
  DIR *dir = opendir("tests/fixtures/fuzz");
  if (!dir) return;
  char *names[64];
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(dir)) && n < 64)
    if (e->d_name[0] != '.') names[n++] = nf_xstrdup(e->d_name);
  closedir(dir);
  qsort(names, n, sizeof *names, cmp_names);
  for (size_t i = 0; i < n; i++) {
    char path[512];
    snprintf(path, sizeof path, "tests/fixtures/fuzz/%s", names[i]);
    nf_buf b = NF_BUF_INIT;
    nf_buf_init(&b);
    char err[256];
    if (nf_read_input(path, 1 << 20, &b, err, sizeof err) == 0) add_seed(b.ptr, b.len);
    nf_buf_free(&b);
    free(names[i]);
  }
}

/* ===== Mutations ========================================================= */

static const char *const tokens[] = {
    "<div>", "</div>", "<p>", "</p>", "<b>", "</b>", "<i>", "<a href=\"", "</a>",
    "<table>", "<tr>", "<td>", "</table>", "<li>", "<ul>", "<br>", "<img src=x>",
    "<script>", "</script>", "<style>", "</style>", "<!--", "-->", "<![CDATA[", "]]>",
    "<?xml version=\"1.0\"?>", "<?php ?>", "<!DOCTYPE html>", "</html>", "<html>",
    "<body>", "</body>", "<head>", "<title>", "</title>", "<h1>", "</h1>",
    "<meta charset=\"utf-16\">", "<meta charset=\"iso-2022-jp\">",
    "<meta charset=\"x-unknown-enc\">", "<meta charset=\"utf-8\">",
    "<base href=\"http://b.example/\">", "<frameset>", "<frame>", "<select>",
    "<option>", "<textarea>", "<plaintext>", "<xmp>", "<noscript>", "<template>",
    "<svg>", "<math>", "<font color=red>", "<center>", "<p:q>", "<x-y>", "</",
    "<", ">", "=", "\"", "'", "&", "&amp;", "&#", "&#x", ";", "&#1114112;",
    "&nbsp;", "\0", "\xff", "\xfe", "\xc3", "\xe2\x80", "\xed\xa0\x80",
    "\xf4\x90\x80\x80", "\xef\xbb\xbf", "\r\n", "\n\n", "\t", " ",
    "10/21/2011", "Updated: ", "<a><img src=\"q.jpg\"></a>", "By John Smith",
    "<p itemprop=author>", "<time datetime=\"2020-01-01\">"};

/* Appends a random token, byte or run of bytes at the end of out. */
static void put_random_piece(nf_buf *out) {
  switch (rand_below(4)) {
  case 0: {
    const char *t = tokens[rand_below(sizeof tokens / sizeof *tokens)];
    nf_buf_put(out, t, *t ? strlen(t) : 1); /* "\0" is one NUL byte */
    break;
  }
  case 1: nf_buf_putc(out, (int)(next_rand() & 0xff)); break;
  case 2: {
    size_t n = 1 + rand_below(8);
    for (size_t i = 0; i < n; i++) nf_buf_putc(out, (int)(0x80 | (next_rand() & 0x7f)));
    break;
  }
  default: {
    static const char *const words[] = {"alpha", "Beta", "gamma.", "The", "\xc3\xa9t\xc3\xa9",
                                        "\xe4\xb8\xad\xe6\x96\x87", "Mr.", "U.S."};
    nf_buf_puts(out, words[rand_below(sizeof words / sizeof *words)]);
    nf_buf_putc(out, ' ');
  }
  }
}

/* One mutation of in[0..len) into out. */
static void mutate_once(const char *in, size_t len, nf_buf *out) {
  nf_buf_clear(out);
  size_t at = rand_below(len + 1);
  switch (rand_below(11)) {
  case 0: /* insert pieces */
    nf_buf_put(out, in, at);
    for (size_t i = 1 + rand_below(4); i; i--) put_random_piece(out);
    nf_buf_put(out, in + at, len - at);
    break;
  case 1: { /* delete a range */
    size_t n = rand_below(len - at + 1);
    if (n > 64) n = 1 + rand_below(64);
    nf_buf_put(out, in, at);
    nf_buf_put(out, in + at + n, len - at - n);
    break;
  }
  case 2: { /* duplicate a range */
    size_t n = rand_below(len - at + 1);
    if (n > 200) n = 200;
    nf_buf_put(out, in, at + n);
    nf_buf_put(out, in + at, len - at);
    break;
  }
  case 3: /* flip bits */
    nf_buf_put(out, in, len);
    for (size_t i = 1 + rand_below(6); i && out->len; i--)
      out->ptr[rand_below(out->len)] ^= (char)(1u << rand_below(8));
    break;
  case 4: { /* a huge attribute */
    nf_buf_put(out, in, at);
    nf_buf_puts(out, "<div data-huge=\"");
    size_t n = 1000 + rand_below(100000);
    for (size_t i = 0; i < n; i++) nf_buf_putc(out, 'a' + (int)(i % 26));
    nf_buf_puts(out, chance(50) ? "\">x</div>" : "");
    nf_buf_put(out, in + at, len - at);
    break;
  }
  case 5: { /* deep nesting, closed or not */
    static const char *const open_tags[] = {"<div>", "<b>", "<span>", "<table><tr><td>",
                                            "<ul><li>", "<blockquote>", "<a>", "<p>"};
    const char *t = open_tags[rand_below(sizeof open_tags / sizeof *open_tags)];
    nf_buf_put(out, in, at);
    size_t depth = chance(20) ? 4000 + rand_below(1000) : 100 + rand_below(1000);
    for (size_t i = 0; i < depth; i++) nf_buf_puts(out, t);
    nf_buf_puts(out, "deep");
    if (chance(50))
      for (size_t i = 0; i < depth; i++) nf_buf_puts(out, "</div>");
    nf_buf_put(out, in + at, len - at);
    break;
  }
  case 6: { /* many siblings */
    nf_buf_put(out, in, at);
    for (size_t i = 200 + rand_below(1000); i; i--) nf_buf_puts(out, chance(50) ? "<p>x" : "<br>");
    nf_buf_put(out, in + at, len - at);
    break;
  }
  case 7: /* truncate */
    nf_buf_put(out, in, at);
    break;
  case 8: { /* a BOM or an encoding declaration in front */
    static const char *const fronts[] = {"\xef\xbb\xbf", "\xff\xfe", "\xfe\xff",
                                         "<meta charset=utf-16le>", "<meta charset=gbk>",
                                         "<?xml encoding=\"ebcdic\"?>"};
    const char *f = fronts[rand_below(sizeof fronts / sizeof *fronts)];
    nf_buf_puts(out, f);
    nf_buf_put(out, in, len);
    break;
  }
  case 9: { /* swap two halves */
    nf_buf_put(out, in + at, len - at);
    nf_buf_put(out, in, at);
    break;
  }
  default: /* splice another seed in */
    nf_buf_put(out, in, at);
    {
      size_t s = rand_below(seed_count);
      size_t from = rand_below(seed_lens[s] + 1);
      nf_buf_put(out, seeds[s] + from, seed_lens[s] - from);
    }
    break;
  }
}

/* ===== Checks ============================================================ */

static int failures_utf8, failures_tree, failures_misc;
static char first_failure[512];
static size_t current_round, current_type;

static void fail(int *counter, const char *what, const char *detail) {
  (*counter)++;
  if (!first_failure[0])
    snprintf(first_failure, sizeof first_failure, "round %zu, parse mode %zu, %s: %.400s",
             current_round, current_type, what, detail ? detail : "");
}

/* Names the first invalid sequence and what is around it. */
static void expect_utf8(const nf_buf *b, const char *what) {
  if (nf_utf8_valid(b->ptr, b->len)) return;
  size_t i = 0;
  while (i < b->len) {
    int n = nf_utf8_seq_len((const unsigned char *)b->ptr + i, b->len - i);
    if (!n) break;
    i += (size_t)n;
  }
  char detail[400];
  size_t from = i > 60 ? i - 60 : 0;
  int k = snprintf(detail, sizeof detail, "byte %zu of %zu: ", i, b->len);
  for (size_t j = from; j < b->len && j < i + 20 && k < (int)sizeof detail - 5; j++) {
    unsigned char c = (unsigned char)b->ptr[j];
    k += snprintf(detail + k, sizeof detail - (size_t)k, c >= 0x20 && c < 0x7f ? "%c" : "\\x%02x", c);
  }
  fail(&failures_utf8, what, detail);
}

/* Parent/child and sibling links of the whole document, without recursion. */
static void check_links(nf_doc *doc) {
  nf_node *top = nf_doc_node(doc);
  nf_iter it;
  nf_iter_init(&it, top);
  nf_event ev;
  size_t steps = 0;
  while ((ev = nf_iter_next(&it)) != NF_EV_NONE) {
    nf_node *n = nf_iter_node(&it);
    if (++steps > 50000000) { fail(&failures_tree, "iteration does not end", NULL); return; }
    if (ev != NF_EV_ENTER) continue;
    nf_node *prev = NULL;
    for (nf_node *c = nf_node_first_child(n); c; c = nf_node_next(c)) {
      if (nf_node_parent(c) != n) { fail(&failures_tree, "child with another parent", nf_node_name(n)); return; }
      if (nf_node_prev(c) != prev) { fail(&failures_tree, "prev link broken", nf_node_name(n)); return; }
      prev = c;
    }
    if (nf_node_last_child(n) != prev) { fail(&failures_tree, "last child wrong", nf_node_name(n)); return; }
  }
  nf_node *root = nf_doc_root(doc), *head = nf_doc_head(doc), *body = nf_doc_body(doc);
  if (!root || !head || !body || nf_node_parent(head) != root || nf_node_parent(body) != root)
    fail(&failures_tree, "document skeleton", nf_doc_source(doc));
  size_t elements = 0;
  for (nf_node *c = nf_node_first_child(top); c; c = nf_node_next(c))
    elements += nf_node_kind_of(c) == NF_NODE_ELEMENT;
  if (elements != 1) fail(&failures_tree, "more than one top-level element", NULL);
}

static const char *const selectors[] = {
    "*", "p", "div p", "body > *", "a[href]", "[id]", ".lede", "#main", "p + p", "li ~ li",
    "li:first-child", "tr:nth-child(2n+1)", ":not(p, div)", "div:has(> p)", ":is(h1, h2)",
    ":empty", ":root", "td:only-child", "[class~=x i]", "p:nth-last-of-type(odd)",
    "p[", "::after", "", "a:visited", ":has(:has(p))"};
static const char *const xpaths[] = {
    "//p", "//*", "count(//*)", "string(//title)", "//@*", "//text()[normalize-space()]",
    "//a[@href]/@href", "boolean(//table)", "//comment()", "//p[", "id('main')",
    "//*[last()]", "sum(//@width)", "(//p)[1]/ancestor::*"};

static void exercise(nf_doc *doc) {
  nf_buf b = NF_BUF_INIT;
  nf_buf_init(&b);
  char err[256];

  nf_node_html(nf_doc_node(doc), &b);
  expect_utf8(&b, "document HTML");
  nf_buf_clear(&b);
  nf_node_inner_html(nf_doc_body(doc), &b);
  expect_utf8(&b, "body inner HTML");
  nf_buf_clear(&b);
  nf_node_text(nf_doc_root(doc), &b);
  expect_utf8(&b, "root text");
  char *title = nf_doc_title(doc);
  if (title && !nf_utf8_valid(title, strlen(title))) fail(&failures_utf8, "title", title);
  free(title);

  size_t found = 0;
  for (size_t i = 0; i < sizeof selectors / sizeof *selectors; i++) {
    nf_nodelist l = {0};
    if (nf_select_css(nf_doc_node(doc), selectors[i], &l, err, sizeof err) == 0) {
      for (size_t k = 0; k < l.len; k++)
        if (nf_node_kind_of(l.items[k]) != NF_NODE_ELEMENT) fail(&failures_misc, "select non-element", selectors[i]);
      found += l.len;
    }
    nf_nodelist_free(&l);
    nf_select_css(nf_doc_body(doc), selectors[i], &l, err, sizeof err);
    nf_nodelist_free(&l);
  }
  for (size_t i = 0; i < sizeof xpaths / sizeof *xpaths; i++) {
    nf_xpath_result res;
    if (nf_xpath(doc, NULL, xpaths[i], &res, err, sizeof err) == 0) {
      if (res.kind == NF_XPATH_STRING && res.string && !nf_utf8_valid(res.string, strlen(res.string)))
        fail(&failures_utf8, "xpath string", res.string);
    }
    nf_xpath_result_free(&res);
    nf_xpath(doc, nf_doc_body(doc), xpaths[i], &res, err, sizeof err);
    nf_xpath_result_free(&res);
  }
  (void)found;

  nf_article *a = nf_article_extract(doc); /* cached */
  if (a && a->text && !nf_utf8_valid(a->text, strlen(a->text))) fail(&failures_utf8, "article text", a->text);
  if (a && a->title && !nf_utf8_valid(a->title, strlen(a->title))) fail(&failures_utf8, "article title", a->title);

  nf_render_opts o;
  memset(&o, 0, sizeof o);
  o.width = chance(50) ? 0 : (int)rand_below(100);
  o.gfm = chance(50);
  o.links = chance(50) ? NF_LINKS_INLINE
            : chance(50) ? NF_LINKS_NONE
                         : NF_LINKS_REFERENCE;
  nf_node *targets[] = {nf_doc_node(doc), nf_doc_body(doc), a ? a->body : NULL};
  for (size_t t = 0; t < 3; t++) {
    if (!targets[t]) continue;
    nf_buf_clear(&b);
    nf_render_text(targets[t], &o, &b);
    expect_utf8(&b, "text render");
    nf_buf_clear(&b);
    nf_render_markdown(targets[t], &o, &b);
    expect_utf8(&b, "markdown render");
    nf_buf_clear(&b);
    o.xhtml = chance(50);
    o.document = chance(50);
    nf_render_html(targets[t], &o, &b);
    expect_utf8(&b, "html render");
  }

  /* Edits: clone, unwrap, re-insert, inner HTML from the page's own text. */
  nf_node *body = nf_doc_body(doc);
  nf_node *copy = nf_node_clone(doc, body);
  if (copy) {
    nf_buf_clear(&b);
    nf_node_html(copy, &b);
    nf_buf c = NF_BUF_INIT;
    nf_buf_init(&c);
    nf_node_html(body, &c);
    if (strcmp(b.ptr, c.ptr) != 0) fail(&failures_misc, "clone differs", c.ptr);
    nf_buf_free(&c);
  }
  nf_nodelist all = {0};
  nf_select_css(body, "*", &all, err, sizeof err);
  for (size_t i = 0; i < all.len && i < 50; i++) {
    nf_node *n = all.items[rand_below(all.len)];
    switch (rand_below(6)) {
    case 0: nf_node_unwrap(doc, n); break;
    case 1: nf_node_unlink(doc, n); break;
    case 2: {
      nf_node *c = nf_node_clone(doc, all.items[rand_below(all.len)]);
      if (c) nf_node_append(doc, n, c);
      break;
    }
    case 3: nf_node_set_text(doc, n, "x\xc3\xa9"); break;
    case 4: nf_node_insert_before(doc, all.items[rand_below(all.len)], n); break;
    default: nf_node_set_attr(n, "data-f", chance(50) ? "v" : NULL); break;
    }
  }
  nf_nodelist_free(&all);
  nf_buf_clear(&b);
  nf_node_text(nf_doc_root(doc), &b);
  nf_node_set_inner_html(doc, body, b.ptr, b.len);
  nf_normalize(doc, body, NULL);
  static const nf_retag_pair map[] = {{"p", "div"}, {"b", "strong"}, {"div", "bad name"}};
  nf_retag(doc, nf_doc_root(doc), map, 3);
  check_links(doc);
  nf_buf_clear(&b);
  nf_node_html(nf_doc_node(doc), &b);
  expect_utf8(&b, "document HTML after edits");
  nf_buf_free(&b);
}

/* ===== Main ============================================================== */

int main(int argc, char **argv) {
  size_t rounds = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 250;
  if (argc > 2) rng = (uint32_t)strtoul(argv[2], NULL, 10) | 1u;
  for (size_t i = 0; i < sizeof builtin_seeds / sizeof *builtin_seeds; i++)
    add_seed(builtin_seeds[i], strlen(builtin_seeds[i]));
  size_t builtin = seed_count;
  load_fixture_seeds();
  OK(seed_count >= builtin, "seeds loaded");

  nf_buf input = NF_BUF_INIT, scratch = NF_BUF_INIT;
  nf_buf_init(&input);
  nf_buf_init(&scratch);
  size_t parsed = 0, refused = 0;
  for (size_t r = 0; r < rounds; r++) {
    size_t s = r % seed_count;
    nf_buf_clear(&input);
    nf_buf_put(&input, seeds[s], seed_lens[s]);
    for (size_t m = 1 + rand_below(4); m; m--) {
      mutate_once(input.ptr, input.len, &scratch);
      if (scratch.len > (4u << 20)) break; /* keep inputs small */
      nf_buf tmp = input;
      input = scratch;
      scratch = tmp;
    }
    static const nf_input_type types[] = {NF_INPUT_AUTO, NF_INPUT_HTML, NF_INPUT_TEXT};
    for (size_t t = 0; t < 3; t++) {
      current_round = r, current_type = t;
      nf_parse_opts o = {types[t], NULL, "fuzz", chance(20) ? "http://example.com/x" : NULL};
      if (chance(5)) o.encoding = chance(50) ? "iso-8859-1" : "no-such-encoding";
      char err[256];
      nf_doc *doc = nf_doc_parse(input.ptr, input.len, &o, err, sizeof err);
      if (!doc) {
        refused++;
        if (!err[0]) fail(&failures_misc, "NULL document without a message", NULL);
        continue;
      }
      parsed++;
      if (getenv("FUZZ_DUMP") && (size_t)atoi(getenv("FUZZ_DUMP")) == r) {
        FILE *f = fopen("/tmp/fuzz_input.bin", "wb");
        if (f) { fwrite(input.ptr, 1, input.len, f); fclose(f); }
      }
      /* Fragments of the mutated bytes into the document, too. */
      nf_nodelist frag = {0};
      nf_doc_parse_fragment(doc, input.ptr, input.len < 65536 ? input.len : 65536, &frag);
      for (size_t i = 0; i < frag.len; i++) nf_node_append(doc, nf_doc_body(doc), frag.items[i]);
      nf_nodelist_free(&frag);
      exercise(doc);
      check_links(doc);
      nf_doc_free(doc);
    }
  }
  nf_buf_free(&input);
  nf_buf_free(&scratch);
  for (size_t i = 0; i < seed_count; i++) free(seeds[i]);
  free(seeds);
  free(seed_lens);

  /* Regression: a UTF-8 BOM (or a forced UTF-8) over invalid bytes. */
  static const char bom_bad[] = "\xef\xbb\xbf<p>caf\xe9 \x93q\x94</p>";
  for (int forced = 0; forced < 2; forced++) {
    nf_parse_opts o = {NF_INPUT_HTML, forced ? "utf-8" : NULL, "bom", NULL};
    char err[256];
    nf_doc *doc = nf_doc_parse(bom_bad, sizeof bom_bad - 1, &o, err, sizeof err);
    nf_buf b = NF_BUF_INIT;
    nf_buf_init(&b);
    if (doc) nf_node_html(nf_doc_body(doc), &b);
    OK(doc && nf_utf8_valid(b.ptr, b.len) && strstr(b.ptr, "caf\xef\xbf\xbd"),
       forced ? "forced UTF-8 over invalid bytes: U+FFFD" : "UTF-8 BOM over invalid bytes: U+FFFD");
    nf_buf_free(&b);
    nf_doc_free(doc);
  }

  printf("# %zu documents parsed, %zu inputs refused\n", parsed, refused);
  OK(parsed >= rounds * 2, "most mutated inputs parse");
  if (first_failure[0]) printf("# first failure: %s\n", first_failure);
  INT_EQ(failures_utf8, 0, "outputs are valid UTF-8");
  INT_EQ(failures_tree, 0, "tree links stay consistent");
  INT_EQ(failures_misc, 0, "select returns elements, clones equal, errors have messages");
  return nf_test_done();
}
