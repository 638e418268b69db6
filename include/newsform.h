/*
 * newsform.h: the public C API of libnewsform.
 *
 * Ownership, in one rule: functions borrow their arguments; a returned
 * char * or nf_doc * belongs to the caller (free with free() / nf_doc_free());
 * nodes belong to their document, and removing a node never frees it: a
 * removed (detached) node stays valid until its document is freed.
 *
 * Errors: functions that can fail take `char *err, size_t errlen` and write a
 * one-line reason there; they return NULL / -1 / 0 as documented. Messy HTML
 * is not an error. Running out of memory aborts with a "newsform:" message.
 *
 * The tree is libxml2's tree; nf_node is an opaque name for it so that users
 * of this header need not include libxml2's headers.
 */
#ifndef NEWSFORM_H
#define NEWSFORM_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NF_VERSION "0.1.0"

/* NF_API marks the public C API. The library is compiled with hidden
 * visibility, so a shared build of it exports these and nothing else
 * (tests/cli/test_layers.sh checks that the two sets agree). */
#if defined(__GNUC__)
#define NF_API __attribute__((visibility("default")))
#else
#define NF_API
#endif

/* ===== Growable byte buffer ============================================ */

/* ptr is never NULL after nf_buf_init and is always NUL-terminated. */
typedef struct nf_buf {
  char *ptr;
  size_t len;
  size_t cap;
} nf_buf;

/* NF_BUF_INIT and nf_buf_init both give an empty buffer whose ptr is "". */
NF_API extern char nf_buf_empty_[1];
#define NF_BUF_INIT {nf_buf_empty_, 0, 0}
NF_API void nf_buf_init(nf_buf *b);
NF_API void nf_buf_put(nf_buf *b, const void *data, size_t len);
NF_API void nf_buf_puts(nf_buf *b, const char *s);
NF_API void nf_buf_putc(nf_buf *b, int c);
NF_API void nf_buf_printf(nf_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
NF_API void nf_buf_vprintf(nf_buf *b, const char *fmt, va_list ap);
/* Room for extra more bytes after len (and the NUL), for writing at
 * ptr + len directly: len is unchanged. */
NF_API void nf_buf_reserve(nf_buf *b, size_t extra);
NF_API void nf_buf_clear(nf_buf *b);            /* len = 0, keeps memory */
NF_API void nf_buf_truncate(nf_buf *b, size_t len);
NF_API void nf_buf_free(nf_buf *b);             /* back to the empty state */
NF_API char *nf_buf_detach(nf_buf *b);          /* caller frees; b is reset */
/* Last byte, or -1 when empty. */
NF_API int nf_buf_last(const nf_buf *b);

/* Allocation that aborts with a message instead of returning NULL. */
NF_API void *nf_xmalloc(size_t n);
NF_API void *nf_xcalloc(size_t n, size_t size);
NF_API void *nf_xrealloc(void *p, size_t n);
NF_API char *nf_xstrdup(const char *s);
NF_API char *nf_xstrndup(const char *s, size_t n);
/* The one out-of-memory path: prints a message and aborts. */
NF_API _Noreturn void nf_oom(void);

/* ===== Reading inputs ================================================== */

/* Reads a whole file ("-" is standard input) into out, gunzipping it when
 * it starts with the gzip magic bytes. Stops with an error past max_bytes
 * (0 = no limit) of decompressed data. Returns 0, or -1 with err set. */
NF_API int nf_read_input(const char *path, size_t max_bytes, nf_buf *out,
                  char *err, size_t errlen);
/* Gunzips data (which may hold several gzip members) into out. */
NF_API int nf_gunzip(const void *data, size_t len, size_t max_bytes, nf_buf *out,
              char *err, size_t errlen);
NF_API int nf_is_gzip(const void *data, size_t len);
/* Reads at most max bytes from the start of a file, decompressed when it
 * is gzipped (what nf_read_input would read first), into out. For a quick
 * look without reading the whole file. Returns 0, or -1 with err set. */
NF_API int nf_read_input_head(const char *path, size_t max, nf_buf *out, char *err,
                       size_t errlen);
/* Is data something other than text: an executable, an image, a PDF, an
 * archive, a database...? Returns what it is, by its signature ("ELF
 * executable", "PNG image", "PDF document", "ZIP archive"...) or "NUL
 * bytes" when its first 8 KiB hold a NUL byte; NULL for text (static
 * strings). A UTF-16 or UTF-32 byte-order mark or a wide encoding (the
 * charset the bytes are said to be in, e.g. --encoding; may be NULL)
 * makes NUL bytes expected: then only signatures count. */
NF_API const char *nf_binary_kind(const void *data, size_t len,
                           const char *encoding);

/* A list of input paths: files as given, directories expanded recursively
 * in byte-wise sorted order (hidden entries skipped). */
typedef struct nf_pathlist {
  char **items;
  size_t len, cap;
} nf_pathlist;
NF_API int nf_pathlist_add(nf_pathlist *list, const char *path, char *err,
                    size_t errlen);
NF_API void nf_pathlist_free(nf_pathlist *list);

/* ===== Documents and parsing =========================================== */

typedef struct _xmlNode nf_node;   /* opaque: an element, text or comment */
typedef struct nf_doc nf_doc;

/* A growable array of borrowed node pointers. */
typedef struct nf_nodelist {
  nf_node **items;
  size_t len, cap;
} nf_nodelist;
NF_API void nf_nodelist_push(nf_nodelist *l, nf_node *n);
NF_API void nf_nodelist_free(nf_nodelist *l);

typedef enum {
  NF_INPUT_AUTO = 0, /* sniff: markup → HTML, otherwise plain text */
  NF_INPUT_HTML,
  NF_INPUT_TEXT
} nf_input_type;

typedef struct nf_parse_opts {
  nf_input_type type;
  const char *encoding; /* forced charset name, or NULL for the policy */
  const char *source;   /* the input's name (for messages, doc.source) */
  const char *url;      /* the page's URL when known, for resolving links */
} nf_parse_opts;

/* Parses bytes into a document. Encoding policy for HTML: a BOM wins; else
 * valid UTF-8 is UTF-8; else the declared <meta charset>; else
 * Windows-1252. Returns NULL only when the input cannot be decoded at all or
 * memory runs out, with err set. */
NF_API nf_doc *nf_doc_parse(const char *data, size_t len, const nf_parse_opts *opts,
                     char *err, size_t errlen);
/* The same for bytes that came with a charset from their transport (an
 * HTTP Content-Type's; NULL: none): it comes after the BOM and valid
 * UTF-8, before <meta> (an unknown one is left out). */
NF_API nf_doc *nf_doc_parse_charset(const char *data, size_t len,
                                    const nf_parse_opts *opts,
                                    const char *charset, char *err,
                                    size_t errlen);
NF_API void nf_doc_free(nf_doc *doc);

/* Parsed-from-plain-text documents answer NF_INPUT_TEXT. */
NF_API nf_input_type nf_doc_type(const nf_doc *doc);
NF_API const char *nf_doc_source(const nf_doc *doc);   /* "" when unknown */
NF_API const char *nf_doc_url(const nf_doc *doc);      /* NULL when unknown */
NF_API nf_node *nf_doc_node(nf_doc *doc);   /* the document node (parent of <html>) */
NF_API nf_node *nf_doc_root(nf_doc *doc);   /* <html> */
NF_API nf_node *nf_doc_head(nf_doc *doc);   /* never NULL for HTML/text docs */
NF_API nf_node *nf_doc_body(nf_doc *doc);   /* never NULL for HTML/text docs */
/* <title> text, else the first h1's text; caller frees; NULL if neither. */
NF_API char *nf_doc_title(nf_doc *doc);

/* Parses an HTML fragment in the context of doc; the new nodes are
 * detached (owned by doc) and appended to out. Returns the count. */
NF_API size_t nf_doc_parse_fragment(nf_doc *doc, const char *html, size_t len,
                             nf_nodelist *out);

/* ===== Nodes =========================================================== */

typedef enum {
  NF_NODE_OTHER = 0,
  NF_NODE_ELEMENT,
  NF_NODE_TEXT,
  NF_NODE_COMMENT,
  NF_NODE_DOCUMENT
} nf_node_kind;


NF_API nf_node_kind nf_node_kind_of(const nf_node *n);
/* Lower-case tag name for elements, "#text", "#comment", "#document". */
NF_API const char *nf_node_name(const nf_node *n);
NF_API int nf_node_is(const nf_node *n, const char *tag); /* element named tag? */
NF_API nf_node *nf_node_parent(const nf_node *n);   /* element or document */
NF_API nf_node *nf_node_first_child(const nf_node *n);
NF_API nf_node *nf_node_last_child(const nf_node *n);
NF_API nf_node *nf_node_next(const nf_node *n);     /* any next sibling node */
NF_API nf_node *nf_node_prev(const nf_node *n);
NF_API nf_node *nf_node_next_element(const nf_node *n);
NF_API nf_node *nf_node_prev_element(const nf_node *n);
NF_API nf_node *nf_node_first_element(const nf_node *n);
NF_API long nf_node_line(const nf_node *n);         /* 0 when unknown */
/* Text content of a text/comment node (borrowed), NULL for elements. */
NF_API const char *nf_node_content(const nf_node *n);
/* Attribute value (borrowed; valid until the attribute changes) or NULL. */
NF_API const char *nf_node_attr(const nf_node *n, const char *name);
/* value NULL removes. Returns 1, or 0 when n is not an element. */
NF_API int nf_node_set_attr(nf_node *n, const char *name, const char *value);
/* Iterate attributes: i from 0; returns 0 past the end. */
NF_API int nf_node_attr_at(const nf_node *n, size_t i, const char **name,
                    const char **value);
/* All text below n, appended to out (entities decoded, whitespace as in the
 * source; script/style contents included only when include_scripts). */
NF_API void nf_node_text(const nf_node *n, nf_buf *out);
/* Is node inside doc's main tree (not detached)? */
NF_API int nf_node_attached(const nf_node *n);

/* Edits. Each refuses (returns 0, nothing changed) an edit that would make
 * a cycle or move a document node. Removed nodes stay owned by doc. */
NF_API int nf_node_set_name(nf_node *n, const char *tag);
NF_API int nf_node_unlink(nf_doc *doc, nf_node *n);            /* remove */
NF_API int nf_node_unwrap(nf_doc *doc, nf_node *n);            /* keep children */
NF_API int nf_node_append(nf_doc *doc, nf_node *parent, nf_node *child);
NF_API int nf_node_prepend(nf_doc *doc, nf_node *parent, nf_node *child);
NF_API int nf_node_insert_before(nf_doc *doc, nf_node *ref, nf_node *n);
NF_API int nf_node_insert_after(nf_doc *doc, nf_node *ref, nf_node *n);
/* Detaches the children and appends one text node. */
NF_API int nf_node_set_text(nf_doc *doc, nf_node *n, const char *text);
NF_API nf_node *nf_node_clone(nf_doc *doc, const nf_node *n);  /* detached copy */
NF_API nf_node *nf_node_new_element(nf_doc *doc, const char *tag);   /* detached */
NF_API nf_node *nf_node_new_text(nf_doc *doc, const char *text);     /* detached */
/* Is anc an ancestor of (or equal to) n? */
NF_API int nf_node_contains(const nf_node *anc, const nf_node *n);

/* ===== Tree iteration (ENTER/EXIT events) ============================== */

typedef enum { NF_EV_NONE = 0, NF_EV_ENTER, NF_EV_EXIT } nf_event;
typedef struct nf_iter {
  nf_node *root, *cur;
  nf_event ev;
  struct nf_budget *budget;  /* the calling thread's, when started: an
                                exhausted budget ends the walk */
} nf_iter;
/* Elements get ENTER and EXIT; other nodes only ENTER. Started on the
 * document node (nf_doc_node), it gets ENTER and EXIT too and the walk
 * covers the whole tree, as nf_select from the document does. */
NF_API void nf_iter_init(nf_iter *it, nf_node *root);
NF_API nf_event nf_iter_next(nf_iter *it);
/* The next element entered (root included), or NULL at the end: for the
 * many walks that only visit elements. */
NF_API nf_node *nf_iter_next_element(nf_iter *it);
NF_API nf_node *nf_iter_node(const nf_iter *it);
/* After an ENTER of an element (or the document): go straight to its EXIT. */
NF_API void nf_iter_skip_children(nf_iter *it);

/* ===== Serialization ==================================================== */

/* Outer / inner HTML of a node (HTML5 serialization: void elements without
 * end tags, text escaped). */
NF_API void nf_node_html(const nf_node *n, nf_buf *out);
NF_API void nf_node_inner_html(const nf_node *n, nf_buf *out);
/* Is tag an HTML void element (br, img, ...)? */
NF_API int nf_html_is_void(const char *tag);
/* Replaces n's children with the parsed fragment. */
NF_API int nf_node_set_inner_html(nf_doc *doc, nf_node *n, const char *html,
                           size_t len);

/* ===== Selection ======================================================= */

/* CSS selectors (core/select.c). Supported: type and `*` (tag names match
 * in any case), .class, #id, [a] [a=v] [a~=v] [a|=v] [a^=v] [a$=v] [a*=v]
 * (values quoted or not, flag ` i` for ASCII case-insensitive values),
 * combinators ' ' > + ~, groups with ',', :first-child :last-child
 * :only-child :first-of-type :last-of-type :only-of-type :empty :root
 * :scope, :nth-child(an+b [of S]) :nth-last-child() :nth-of-type()
 * :nth-last-of-type() (also odd/even), :not(list) :is(list) :where(list)
 * and :has(relative list) (not nested in another :has). CSS escapes work.
 * Limits: 64 compounds per complex selector, 8 levels of nested
 * functional pseudo-classes. Namespaces and pseudo-elements are errors. */
typedef struct nf_selector nf_selector;
/* Compiles a CSS selector group; free with nf_selector_free (NULL-safe).
 * NULL on invalid syntax with err set, e.g.
 * "invalid selector 'div[': expected attribute name at offset 4". A
 * compiled selector is read-only: threads may share it. */
NF_API nf_selector *nf_selector_compile(const char *css, char *err, size_t errlen);
NF_API void nf_selector_free(nf_selector *sel);
/* Does element el match? 0 for NULL and for non-elements. :scope is the
 * root element here. The sibling positions of long runs (:nth-child,
 * :last-of-type...) stay cached on el's document until its next edit by
 * the nf_node_* functions, so calling this on every node of a walk is
 * linear; like other calls on one document, not from two threads at once. */
NF_API int nf_selector_matches(const nf_selector *sel, const nf_node *el);
/* Appends the elements below root (root excluded) that match, each once,
 * in document order. As with querySelectorAll, ancestors above root count
 * for combinators ("body p" from a div finds its p's); ":scope > p" means
 * root's children. root may be an element or the document node
 * (nf_doc_node); anything else selects nothing. Allocates next to nothing
 * beyond out's growth. */
NF_API void nf_select(const nf_selector *sel, nf_node *root, nf_nodelist *out);
/* One-shot helper: compile, select, free. 0, or -1 on a bad selector
 * (err set, out untouched). */
NF_API int nf_select_css(nf_node *root, const char *css, nf_nodelist *out,
                  char *err, size_t errlen);
/* nf_select that calls stop(ud) every 4096 compound tests and gives up
 * when it returns nonzero: -1 then (out holds the matches so far), else 0.
 * For --timeout: hostile selectors such as div:has(*) are quadratic. */
NF_API int nf_select_checked(const nf_selector *sel, nf_node *root,
                      nf_nodelist *out, int (*stop)(void *), void *ud);

/* XPath 1.0 evaluated with ctx as the context node (NULL: the document
 * node), core/xpath.c. Returns 0 with res filled (free it with
 * nf_xpath_result_free), or -1 with res empty and err set, e.g.
 * "invalid XPath expression '//p[': invalid expression at offset 4".
 * Node-sets come in document order; the document node stands for the root
 * element; namespace nodes are left out; more than 1,000,000 nodes is an
 * error, as is an expression that exceeds libxml2's operation budget
 * (about a second of work), one second of wall clock ("too much work (time
 * limit of 1 s)": libxml2's node-set merges are quadratic, e.g. ancestor::
 * over a tree thousands deep) or nesting limits. Nothing is printed. */
typedef enum {
  NF_XPATH_NODES, NF_XPATH_STRING, NF_XPATH_NUMBER, NF_XPATH_BOOLEAN
} nf_xpath_kind;
typedef struct nf_xpath_result {
  nf_xpath_kind kind;
  nf_nodelist nodes;   /* NF_XPATH_NODES: elements, text and comment
                          nodes, and attribute nodes (read them with
                          nf_node_content) */
  char *string;        /* NF_XPATH_STRING (malloc'd) */
  double number;
  int boolean;
} nf_xpath_result;
NF_API int nf_xpath(nf_doc *doc, nf_node *ctx, const char *expr, nf_xpath_result *res,
             char *err, size_t errlen);
/* nf_xpath within budget b (see nf_budget, which may allow less work or
 * time than the defaults): -1 with "XPath: budget exhausted (...)" when it
 * runs out; libxml2's operations are charged to it. */
NF_API int nf_xpath_budget(nf_doc *doc, nf_node *ctx, const char *expr,
                           nf_xpath_result *res, struct nf_budget *b,
                           char *err, size_t errlen);
NF_API void nf_xpath_result_free(nf_xpath_result *res);


/* ===== Work and time budgets (core/budget.c) =========================== */

/* Bounds the work of one call that can be long on a hostile page
 * (extraction, rendering, XPath): at most max_ops operations (about one per
 * node a loop visits; 0: no limit) and max_seconds of wall clock from
 * nf_budget_init (0: no limit). An exhausted call fails with "budget
 * exhausted" and gives no partial result. A budget may be shared by several
 * calls (they draw on the same allowance) but not by two threads at once. */
enum { NF_BUDGET_OPS = 1, NF_BUDGET_TIME = 2 };
typedef struct nf_budget {
  unsigned long long max_ops;
  double max_seconds;
  unsigned long long ops;  /* operations used so far */
  int exhausted;           /* 0, NF_BUDGET_OPS or NF_BUDGET_TIME; sticky */
  double deadline;         /* (private) */
  unsigned long long next_check;  /* (private) */
} nf_budget;
NF_API void nf_budget_init(nf_budget *b, unsigned long long max_ops,
                           double max_seconds);
NF_API int nf_budget_exhausted(const nf_budget *b);

/* ===== Warnings (core/warn.c) ========================================== */

/* Something worth telling but not an error (e.g. a recipe's keep matched
 * nothing, so the body was left whole). source names the input ("" when
 * none); message is one line without a newline. */
typedef void (*nf_warning_fn)(void *ud, const char *source, const char *message);
/* Routes every warning of the library and the Lua module to fn (process-
 * wide; calls are serialized, so fn must not warn itself). NULL restores
 * the default: one line "newsform: SOURCE: MESSAGE" on standard error. */
NF_API void nf_set_warning_handler(nf_warning_fn fn, void *ud);
/* Emits a warning (printf-style message) through the handler. */
NF_API void nf_warn(const char *source, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ===== JSON values (core/json.c) ======================================= */

typedef enum {
  NF_JSON_NULL, NF_JSON_FALSE, NF_JSON_TRUE, NF_JSON_NUMBER, NF_JSON_STRING,
  NF_JSON_ARRAY, NF_JSON_OBJECT
} nf_json_type;

/* A parsed or built JSON value. Arrays hold `items`; objects hold `keys`
 * and `items` in source order (duplicate keys kept). A key may hold
 * U+0000 ("a\u0000b"): its length is key_lens[i] (nf_json_key); keys[i]
 * is NUL-terminated, so read as a C string it stops at the first NUL. */
typedef struct nf_json {
  nf_json_type type;
  double number;
  char *string;         /* NUL-terminated UTF-8; string_len bytes (a number
                           from nf_json_new_integer beyond 2^53: its digits) */
  size_t string_len;
  struct nf_json **items;
  char **keys;
  size_t len;
  size_t *key_lens;     /* objects: the bytes of keys[i] */
} nf_json;

/* Parses UTF-8 JSON text. NULL with err ("... at byte N") when invalid or
 * nested deeper than 1000 levels. Free with nf_json_free. */
NF_API nf_json *nf_json_parse(const char *text, size_t len, char *err, size_t errlen);
/* The same for JSON found in web pages (JSON-LD): also accepts trailing
 * commas, raw control characters in strings, JavaScript comments, unknown
 * escapes (kept as the character), invalid UTF-8 (→ U+FFFD), and an HTML
 * comment / CDATA wrapper or a trailing ';' around the value. */
NF_API nf_json *nf_json_parse_lenient(const char *text, size_t len, char *err,
                               size_t errlen);
/* Frees v and everything below it (no recursion); NULL-safe. */
NF_API void nf_json_free(nf_json *v);
/* Object member by key (first match, the whole key: "a" is not "a\0b")
 * or NULL; NULL-safe. _n: a key of keylen bytes, NULs included. */
NF_API const nf_json *nf_json_get(const nf_json *obj, const char *key);
NF_API const nf_json *nf_json_get_n(const nf_json *obj, const char *key,
                                    size_t keylen);
/* The key of obj's member i (borrowed, NUL-terminated) with its length in
 * *len (may be NULL), NULs included; NULL when obj is no object or i is
 * out of range. */
NF_API const char *nf_json_key(const nf_json *obj, size_t i, size_t *len);
/* The string of a string value (borrowed), else NULL; NULL-safe. */
NF_API const char *nf_json_string(const nf_json *v);
/* Appends s as a quoted JSON string (valid UTF-8 out: invalid bytes become
 * U+FFFD; ", \ and control characters escaped, U+2028/U+2029 as \u escapes
 * so the output is also a JavaScript literal; other non-ASCII kept). */
NF_API void nf_json_put_string(nf_buf *out, const char *s, size_t len);
/* Appends a number: integers below 2^53 without ".0" (-0 as 0), others
 * in the fewest of 15-17 digits that read back as the same double,
 * infinities as 1e999 / -1e999 (read back as the same infinity), NaN as
 * null. Always a '.' whatever the locale. */
NF_API void nf_json_put_number(nf_buf *out, double d);
/* Appends v as JSON text: indent 0 on one line, else N spaces a level and
 * "key": value. Keys in their order, strings through nf_json_put_string
 * (valid UTF-8 always), numbers through nf_json_put_number. No recursion:
 * any depth. NULL writes null. */
NF_API void nf_json_write(nf_buf *out, const nf_json *v, int indent);

/* Building values (free the root with nf_json_free). Strings are copied
 * as given (nf_json_write replaces invalid UTF-8); _string_buf takes the
 * buffer's memory and resets it. nf_json_new_integer keeps all 64 bits. */
NF_API nf_json *nf_json_new_null(void);
NF_API nf_json *nf_json_new_bool(int b);
NF_API nf_json *nf_json_new_number(double d);
NF_API nf_json *nf_json_new_integer(long long i);
NF_API nf_json *nf_json_new_string(const char *s, size_t len);
NF_API nf_json *nf_json_new_string_buf(nf_buf *b);
NF_API nf_json *nf_json_new_array(void);
NF_API nf_json *nf_json_new_object(void);
/* Containers take ownership of item and return it (to fill it in place),
 * or free it and return NULL when the container is of the wrong type.
 * nf_json_set replaces the value of the first member named key, else
 * appends; nf_json_add always appends (no lookup: for keys known to be
 * new, as when copying a table). Works on parsed values too. */
NF_API nf_json *nf_json_push(nf_json *array, nf_json *item);
NF_API nf_json *nf_json_set(nf_json *object, const char *key, nf_json *item);
NF_API nf_json *nf_json_add(nf_json *object, const char *key, nf_json *item);
/* The same with a key of keylen bytes (it may hold NULs). */
NF_API nf_json *nf_json_set_n(nf_json *object, const char *key, size_t keylen,
                              nf_json *item);
NF_API nf_json *nf_json_add_n(nf_json *object, const char *key, size_t keylen,
                              nf_json *item);

/* ===== Renderers (core/render_*.c) ===================================== */

/* How links are written. Text: default none; Markdown: default inline,
 * REFERENCE (Markdown only) collects them at the end as [text][n] with
 * "[n]: URL" definitions. */
typedef enum {
  NF_LINKS_DEFAULT = 0, NF_LINKS_NONE, NF_LINKS_INLINE, NF_LINKS_REFERENCE
} nf_links;

/* Options of the renderers; a zeroed struct (or NULL) gives the defaults. */
typedef struct nf_render_opts {
  int width;            /* text/markdown: wrap column; 0 = no wrapping */
  nf_links links;       /* text, markdown: how links are shown */
  int gfm;              /* markdown: GitHub-flavoured (tables, ~~) */
  int xhtml;            /* html: well-formed XHTML */
  int document;         /* html: a whole page with <head> */
  int unsafe;           /* html: keep scripts, on* and javascript: URLs */
  const char *title;    /* html document: <title> (NULL: the page's own) */
  const char *lang;     /* html document: lang attribute */
  const char *base_url; /* resolve relative links against it (NULL: keep) */
  int offline;          /* xhtml: remote images (scheme or //) become links
                           labelled by their alt text (EPUB) */
} nf_render_opts;

/* Each renderer appends to out and never fails (messy trees render as well
 * as they can). n may be an element, a text node or a document node.
 *
 * nf_render_text: readable plain text. Blocks are separated by one blank
 * line, br is a newline, list items get "- " / "1. " (nested lists
 * indented), blockquotes "> ", table rows are lines of cells joined by
 * " | ", pre keeps its spacing, other whitespace collapses, hidden elements
 * (script, style, template, noscript, head, svg, math, form controls...,
 * the hidden attribute, inline display:none) never appear. width wraps at that many code points, never inside a word. */
NF_API void nf_render_text(const nf_node *n, const nf_render_opts *o, nf_buf *out);
/* nf_render_markdown: CommonMark (GFM with o->gfm: pipe tables and
 * ~~strikethrough~~). Text that Markdown would read as syntax is escaped.
 * In CommonMark, tables are written as one-line raw HTML blocks (needs a
 * reader that passes raw HTML, e.g. cmark --unsafe). Links with a
 * javascript:-like URL keep only their text. o->links: inline [text](URL)
 * (default), NF_LINKS_REFERENCE [text][n] with "[n]: URL" definitions at
 * the end (one number per URL), NF_LINKS_NONE the text only. With gfm,
 * note references (an a href="#id" in a sup, or a.footnote) whose target
 * exists in the tree become [^n] and the note's text "[^n]: text" at the
 * end; the notes list itself is left out. */
NF_API void nf_render_markdown(const nf_node *n, const nf_render_opts *o,
                        nf_buf *out);
/* nf_render_html: clean HTML of the node (safe unless o->unsafe: no script,
 * on* attributes or javascript: URLs; obsolete tags mapped or unwrapped;
 * comments dropped). o->document wraps a whole UTF-8 page (the title
 * defaults to the page's own when n is the root). o->xhtml gives
 * well-formed XHTML for EPUB: see core/render_html.c for the rules. */
NF_API void nf_render_html(const nf_node *n, const nf_render_opts *o, nf_buf *out);
/* Runs a renderer (nf_render_text, nf_render_markdown, nf_render_html)
 * within budget b (see nf_budget): 0, or -1 with err "rendering: budget
 * exhausted (...)" and out as it was before the call. */
typedef void (*nf_render_fn)(const nf_node *n, const nf_render_opts *o, nf_buf *out);
NF_API int nf_render_budget(nf_render_fn render, const nf_node *n,
                            const nf_render_opts *o, nf_budget *b, nf_buf *out,
                            char *err, size_t errlen);

/* ===== Article extraction (core/article.c: meta.c + extract*.c) ======== */

typedef struct nf_article_image {
  char *url, *caption, *credit, *alt;   /* each NULL when unknown */
} nf_article_image;

/* Where an article's body comes from. */
typedef enum nf_article_source {
  NF_ARTICLE_CONTENT = 0, /* the main content the extractor found */
  NF_ARTICLE_WHOLE        /* the cleaned content of the whole page body: the
                             extractor found no main content (a fragment, a
                             short page, a page that is all list or table) */
} nf_article_source;

typedef struct nf_article {
  char *title, *byline, *description, *site_name, *lang, *dir, *url;
  char *published, *modified;           /* ISO 8601, or NULL */
  nf_pathlist authors, tags;
  nf_article_image image;
  nf_node *body;         /* detached <div> owned by the document: p, h2-h6,
                            ul/ol/li, dl, blockquote, pre, figure/img/
                            figcaption, table; inline markup kept; links
                            and images absolute; never NULL once extracted */
  char *text;            /* the body's running text (captions left out),
                            paragraphs split by one blank line; never NULL */
  size_t word_count;
  int reading_time;      /* minutes at 230 words a minute: 0 without words,
                            else at least 1 */
  nf_article_source source; /* what body holds (see nf_article_source) */
} nf_article;

/* Reads metadata and the main content, once: the article is cached on the
 * document, which owns it and frees it (do not nf_article_free it); the
 * next call returns the same pointer. The page itself is not changed (the
 * body is a cleaned copy). Never NULL for a document. */
NF_API nf_article *nf_article_extract(nf_doc *doc);
/* The same within budget b (see nf_budget): NULL with err "extraction:
 * budget exhausted (...)" when it runs out, and nothing is cached (a later
 * call starts again). A cached article is returned at no cost. */
NF_API nf_article *nf_article_extract_budget(nf_doc *doc, nf_budget *b,
                                             char *err, size_t errlen);
/* Frees an article the caller owns (e.g. a zeroed, malloc'd nf_article
 * filled by nf_meta_extract), including a itself; NULL is allowed. */
NF_API void nf_article_free(nf_article *a);
/* Frees the fields of an article the caller filled itself (for example with
 * nf_meta_extract on a zeroed nf_article) and zeroes it. */
NF_API void nf_article_clear(nf_article *a);
/* The article cached on doc by nf_article_extract, or NULL when it was
 * never computed (cheap: extracts nothing). */
NF_API const nf_article *nf_doc_cached_article(const nf_doc *doc);
/* The two halves, for tests and for scripts that want one of them.
 * nf_content_extract returns a new detached copy on each call (owned by
 * doc); meta, when given, lends the title (headings equal to it are left
 * out). Text dumps (NF_INPUT_TEXT) give their paragraphs, lists and
 * figures without the title, standfirst, byline and dateline. A page
 * without main content gives its whole body, cleaned (see
 * nf_article_source). */
NF_API void nf_meta_extract(nf_doc *doc, nf_article *a);
/* The same without the description's fallback to the page's first
 * paragraph (nf_article_extract uses the first paragraph of the article
 * body instead, as Readability's excerpt does). */
NF_API void nf_meta_extract_declared(nf_doc *doc, nf_article *a);
NF_API nf_node *nf_content_extract(nf_doc *doc, const nf_article *meta);

/* ===== Text analysis (core/text.c, core/normalize.c) =================== */

/* A byte range [start, start + len) of some text. */
typedef struct nf_span {
  size_t start, len;
} nf_span;
typedef struct nf_spanlist {
  nf_span *items;
  size_t len, cap;
} nf_spanlist;
NF_API void nf_spanlist_free(nf_spanlist *l);

/* Splits UTF-8 text into sentences and appends their spans (trimmed of
 * surrounding whitespace; pieces without a letter or digit are skipped) to
 * out. Returns the number appended. A sentence ends at . ? ! … (and CJK 。！？)
 * plus any closing quotes/brackets, when followed by whitespace and a word
 * that does not start in lower case; and always at a blank line. Not an end:
 * decimals (3.14), titles (Mr. Dr. Gen. Sen. St. ... vs. e.g. i.e.), "No."
 * and month abbreviations before a number, numbered items ("1. ") at a line
 * start, ellipses before a lower-case word. Initials (J. K.), dotted
 * abbreviations (U.S., a.m.) and Inc./Corp./Jr./Sr. end a sentence only
 * when the next word is a function word ("The", "He", "But"...); so does an
 * acronym of 2-5 capitals after a capitalised word that is no function
 * word ("the Acme ID. Nova concept": one sentence; "the USA. Nova": two). */
NF_API size_t nf_sentences(const char *text, size_t len, nf_spanlist *out);
/* The sentences of running text: nf_sentences' pieces without headings,
 * datelines, disclosures and bylines (as nf_summary describes them), unless
 * nothing else is left. This is what nf_summary picks from: its "lead" is
 * the first n of these. Appended to out; returns the number appended. */
NF_API size_t nf_sentences_running(const char *text, size_t len,
                                   nf_spanlist *out);

/* Appends s[0..len) to out with every whitespace run (ASCII and U+00A0)
 * turned into one space and leading/trailing whitespace dropped. */
NF_API void nf_text_squash(const char *s, size_t len, nf_buf *out);

/* Text of n with paragraph structure: block elements (p, div, h1-h6, li,
 * blockquote, tr, ...) are separated by a blank line, br by a newline,
 * other whitespace collapsed; what the renderers never show is skipped
 * (script, style, template, head, svg, math, canvas, form controls...,
 * elements with the hidden attribute or an inline display:none or
 * visibility:hidden). This is the input the sentence splitter expects. */
NF_API void nf_text_paragraphs(const nf_node *n, nf_buf *out);
/* Does n (an element, text node or document) show any text: would
 * nf_text_paragraphs give more than whitespace? 0 for NULL. Stops at the
 * first word: cheap on any page. */
NF_API int nf_node_has_text(const nf_node *n);

typedef struct nf_keyword {
  char *phrase;   /* as most often written, e.g. "North Waziristan" */
  double score;
  size_t count;   /* occurrences in the text */
} nf_keyword;
typedef struct nf_keywordlist {
  nf_keyword *items;
  size_t len, cap;
} nf_keywordlist;
NF_API void nf_keywordlist_free(nf_keywordlist *l);

/* The n most characteristic words or phrases of an English text, best first;
 * appended to out (free with nf_keywordlist_free). Returns the number
 * appended. Method (deterministic): the text is cut into runs of content
 * words at stop words (a built-in list), numbers and punctuation; each
 * candidate is a word of a run, or a 2-3 word phrase of a run that occurs at
 * least twice. score = occurrences x sum of word weights (1, or 0.3 for words
 * of a built-in list of frequent English words). Matching is by lower case
 * with possessive 's dropped. Best scores first, ties by first occurrence; a
 * candidate contained in (or containing) one already chosen is skipped. */
NF_API size_t nf_keywords(const char *text, size_t len, size_t n,
                   nf_keywordlist *out);

typedef enum {
  NF_SUMMARY_AUTO = 0, /* lead when <= NF_SUMMARY_SHORT sentences, else
                          the lead sentence plus the best n-1 by TextRank */
  NF_SUMMARY_LEAD,     /* the first n sentences */
  NF_SUMMARY_TEXTRANK  /* the n best by TextRank */
} nf_summary_method;
#define NF_SUMMARY_SHORT 10
/* Only the first NF_TEXTRANK_MAX sentences are ranked (bounded work). */
#define NF_TEXTRANK_MAX 500

/* Extractive summary: the spans of n sentences of text (of
 * nf_sentences_running), appended to out in text order. Returns the number
 * appended (fewer when the text has fewer sentences). TextRank: a graph of
 * sentences, edge weight = shared content words (stop words removed, lower
 * case, plural -s folded) / (log(1 + words_a) + log(1 + words_b)); 50
 * iterations of weighted PageRank with damping 0.85; ties go to the earlier
 * sentence. Deterministic. Never picked, unless nothing else is left:
 * headings (a paragraph of at most 12 words without end punctuation that
 * a longer paragraph follows), datelines ("Updated 1:39 am EST ..."),
 * disclosures ("we may earn a commission") and bylines ("By Jane Roe"). */
NF_API size_t nf_summary(const char *text, size_t len, size_t n,
                  nf_summary_method method, nf_spanlist *out);

/* Renames every element of the subtree at root (root included) whose tag
 * equals a pair's `from` to its `to` (first matching pair wins; `to` must be
 * a valid tag name, else the pair is ignored). The document's html, head
 * and body elements are never renamed. Returns the number renamed. */
typedef struct nf_retag_pair {
  const char *from, *to;
} nf_retag_pair;
NF_API size_t nf_retag(nf_doc *doc, nf_node *root, const nf_retag_pair *map,
                size_t count);

typedef struct nf_normalize_opts {
  const char *const *keep_attrs; /* attribute names never dropped */
  size_t keep_attrs_len;
} nf_normalize_opts;
/* Presentational markup to semantic markup in the subtree at root:
 * b→strong, i→em, tt→code, strike/s→del, center→div, acronym→abbr, dir→ul;
 * style, class, id, on* and presentational attributes (align, bgcolor,
 * color, face, border, ...) dropped unless in opts->keep_attrs; font and
 * span unwrapped unless they carry lang/dir/title/translate/itemprop or a
 * kept attribute; a div holding only text and inline elements becomes p;
 * empty elements removed (not void ones such as img/br/hr, table cells,
 * media, a[name]/a[id], elements with an id, or root); an empty inline
 * element holding whitespace is unwrapped so words stay apart. opts may be
 * NULL. Returns the number of edits. */
NF_API size_t nf_normalize(nf_doc *doc, nf_node *root, const nf_normalize_opts *opts);

/* ===== Bundles (core/bundle*.c) ======================================== */

/* Archives of results: .tar.gz/.tgz (ustar + pax), .tar (the same,
 * uncompressed), .zip (deflate, ZIP64
 * when needed), .epub (EPUB 3 on the zip writer), .jsonl.gz (one JSON
 * object per line), or a plain directory (a path ending in '/').
 *
 * Writing is atomic: a bundle is written to a temporary file beside OUT,
 * named ".OUT.newsform-tmp.XXXXXX" (XXXXXX random), fsynced and renamed
 * to OUT by nf_bundle_close; nf_bundle_abort (or any failed close) unlinks
 * it. Output is reproducible: entries in add order, gzip header with
 * mtime 0 and OS byte 255, entry times from the entry's mtime or the
 * bundle's (default NF_BUNDLE_EPOCH), no user, host or PID inside.
 *
 * Every bundle but .jsonl.gz and directories ends with "manifest.json"
 * (in an EPUB: "META-INF/manifest.json", outside the publication):
 * {"generator": "newsform VERSION", "format": F, "entries": [{"name",
 * "source", "title", "published", "size", "crc32" (8 hex digits)}...],
 * "failures": [{"source", "error"}...]} (absent keys are omitted). */

typedef enum {
  NF_BUNDLE_UNKNOWN = 0,
  NF_BUNDLE_TAR_GZ,
  NF_BUNDLE_ZIP,
  NF_BUNDLE_EPUB,
  NF_BUNDLE_JSONL_GZ,
  NF_BUNDLE_DIR,
  NF_BUNDLE_TAR,           /* uncompressed */
  NF_BUNDLE_WARC_GZ,       /* web archive (WARC/WET), gzip member a record */
  NF_BUNDLE_WARC           /* web archive, plain */
} nf_bundle_format;

#define NF_BUNDLE_EPOCH 315532800LL  /* 1980-01-01T00:00:00Z (zip's first) */
#define NF_BUNDLE_MAX_ENTRY_DEFAULT ((size_t)256 << 20)

/* Format chosen by the name (case-insensitive suffix): ".tar.gz"/".tgz",
 * ".tar", ".zip", ".epub", ".jsonl.gz", ".warc.gz"/".wet.gz",
 * ".warc"/".wet"; a trailing '/' is NF_BUNDLE_DIR. */
NF_API nf_bundle_format nf_bundle_format_of(const char *path);
/* "tar.gz", "tar", "zip", "epub", "jsonl.gz", "dir" or "unknown"
 * (static). */
NF_API const char *nf_bundle_format_name(nf_bundle_format f);
/* The format with that name ("zip"...), or NF_BUNDLE_UNKNOWN. */
NF_API nf_bundle_format nf_bundle_format_named(const char *name);
/* Unix seconds of an ISO 8601 date ("2024-05-01", "2024-05-01T10:00:00Z",
 * with or without offset), or -1 when it does not parse. For entry mtimes
 * from article dates. The date module's reading (core/meta_date.c). */
NF_API long long nf_bundle_parse_time(const char *iso);

typedef struct nf_bundle nf_bundle;

typedef struct nf_bundle_opts {
  nf_bundle_format format; /* 0: from the path */
  long long mtime;         /* default entry time; 0: NF_BUNDLE_EPOCH */
  int level;               /* deflate level 1..9; 0: 6 */
  int no_manifest;         /* leave out manifest.json */
  int zip64;               /* zip: ZIP64 records even when not needed */
  /* EPUB metadata (NULL: defaults "Untitled", "en", none, content hash). */
  const char *title, *language, *author, *identifier;
  const void *cover;       /* EPUB cover image bytes (or NULL) */
  size_t cover_len;
  const char *cover_type;  /* its media type; NULL: sniffed (jpeg/png/gif/webp/svg) */
} nf_bundle_opts;

/* Per-entry details, every field optional (zero = default). */
typedef struct nf_bundle_meta {
  const char *source;      /* the input it came from (manifest) */
  const char *title;       /* (manifest, jsonl) */
  const char *published;   /* ISO 8601 (manifest, jsonl) */
  long long mtime;         /* 0: the bundle's */
  int store;               /* zip: store uncompressed */
  const char *url;         /* warc: the page's URL (WARC-Target-URI) */
  const char *refers_to;   /* warc: the source record's WARC-Record-ID */
} nf_bundle_meta;

/* Starts a bundle at path (created atomically at close). NULL with err set
 * ("PATH: unknown bundle format", "cannot create temporary file in DIR:
 * reason"). */
NF_API nf_bundle *nf_bundle_create(const char *path, const nf_bundle_opts *opts,
                            char *err, size_t errlen);
NF_API nf_bundle_format nf_bundle_format_get(const nf_bundle *b);
/* The temporary file being written (for a signal handler's unlink()). */
NF_API const char *nf_bundle_temp_path(const nf_bundle *b);
/* 1 after a write error (every later call fails too), else 0. */
NF_API int nf_bundle_failed(const nf_bundle *b);

/* Adds one entry. name must be safe (see nf_bundle_name_check) and not yet
 * used; "manifest.json" is reserved while a manifest is written. In an
 * EPUB it is the same as nf_bundle_add_resource (stored as OEBPS/name, in
 * the OPF manifest, media type from the bytes or the extension). For
 * .jsonl.gz, data that is a JSON object
 * becomes the line as is (newlines folded); anything else becomes
 * {"name","source","title","published","content": data}. Returns 0, or -1
 * with err set; after a write error every later call fails too. */
NF_API int nf_bundle_add(nf_bundle *b, const char *name, const void *data,
                  size_t len, const nf_bundle_meta *meta, char *err,
                  size_t errlen);

/* An article for nf_bundle_add_article. Give xhtml (a finished XHTML
 * fragment, as nf_bundle_article_render makes), or body (a node, rendered
 * as XHTML), or html (a fragment or page, parsed), or text (plain
 * paragraphs split by blank lines). Every string may be NULL. */
typedef struct nf_bundle_article {
  const char *title, *author, *published, *section, *summary, *url,
      *source, *lang;
  const nf_node *body;
  const char *html;
  size_t html_len;
  const char *text;
  const char *xhtml;
} nf_bundle_article;

/* EPUB: one chapter (XHTML page, listed in the nav, the toc page and the
 * spine; images whose bytes are not in the book become a link with their
 * caption or alt text). .jsonl.gz: one line {"name","title","author",
 * "published","section","url","source","summary","text"}. tar/zip/dir: a
 * standalone XHTML page "slug.html". Returns 0 or -1 with err set. */
NF_API int nf_bundle_add_article(nf_bundle *b, const nf_bundle_article *a,
                          char *err, size_t errlen);
/* What a script made of a document, for nf_bundle_article_new. Every
 * field may be NULL. */
typedef struct nf_bundle_result {
  const char *data;        /* the result's bytes */
  size_t len;
  const char *ext;         /* its kind without the dot: "html", "txt", "md" */
  const char *title, *author, *published, *section, *summary; /* set by it */
  const char *source;      /* NULL: the document's */
} nf_bundle_result;

/* The article of doc (NULL: a document the script closed) plus a script's
 * result (NULL: the document itself). Metadata: the result's, else the
 * document's article (nf_article_extract, cached: title or the page's,
 * byline, published, description, URL or the page's, language; source).
 * Body: an HTML result ("html", "xhtml", "htm") is parsed; a plain-text
 * one ("txt") gives paragraphs, without a first line that repeats the
 * title; any other result (Markdown, JSON...) gives way to the article's
 * body node; no result: the article's body, else the page's. Strings are
 * the article's own; body, html and text borrow from doc and res->data
 * until nf_bundle_article_render. Free with nf_bundle_article_free. */
NF_API nf_bundle_article *nf_bundle_article_new(nf_doc *doc,
                                         const nf_bundle_result *res);
/* Renders the body as its chapter's XHTML fragment (a->xhtml), once, and
 * drops what it borrowed: the article then outlives doc and res. 0. */
NF_API int nf_bundle_article_render(nf_bundle_article *a);
/* Frees an article of nf_bundle_article_new; NULL is a no-op. */
NF_API void nf_bundle_article_free(nf_bundle_article *a);

/* EPUB: an image or other file (stored under OEBPS/, in the OPF manifest).
 * name is a relative path or the absolute URL that articles' <img src>
 * have after resolution against the article's URL (then the file is named
 * images/res-NNN.ext). Images whose src matches are shown, whenever the
 * resource is added before close. media_type NULL: sniffed from the bytes,
 * else from the extension. Other formats: the same as nf_bundle_add.
 * Returns 0 or -1. */
NF_API int nf_bundle_add_resource(nf_bundle *b, const char *name, const void *data,
                           size_t len, const char *media_type, char *err,
                           size_t errlen);
/* Records a failed input for the manifest's "failures". */
NF_API void nf_bundle_add_failure(nf_bundle *b, const char *source,
                           const char *message);

/* A stable, safe entry name derived from hint (an input path, a title or a
 * URL: '/'-separated parts are slugged, "."/".." and empty parts dropped,
 * control characters and unsafe punctuation become '-', at most ~100 bytes
 * of UTF-8) with its extension replaced by ext (".md"; NULL keeps it),
 * de-duplicated against b's names (case-insensitively) with "-2", "-3"...
 * b may be NULL. Never NULL; caller frees. */
NF_API char *nf_bundle_safe_name(const nf_bundle *b, const char *hint,
                          const char *ext);
/* NULL when name is safe to write or extract as a relative path, else the
 * reason ("absolute path", "contains ..", "control character", "empty",
 * "backslash", "invalid UTF-8", "too long"). */
NF_API const char *nf_bundle_name_check(const char *name);

/* Writes the manifest and the format's trailer, fsyncs and renames the
 * temporary file to the path. Frees b in every case. Returns 0, or -1 with
 * err set and the temporary file removed. */
NF_API int nf_bundle_close(nf_bundle *b, char *err, size_t errlen);
/* Drops the bundle: unlinks the temporary file, frees b. NULL is a no-op. */
NF_API void nf_bundle_abort(nf_bundle *b);

/* One gzip-compressed file, written like a bundle (atomically, through a
 * temporary file beside path; gzip header with mtime 0 and OS byte 255)
 * but holding one stream of bytes: newsform's -o X.gz. */
typedef struct nf_gzip_file nf_gzip_file;
/* NULL with err set (the temporary file cannot be created). */
NF_API nf_gzip_file *nf_gzip_file_create(const char *path, char *err,
                                  size_t errlen);
/* The temporary file being written (for a signal handler's unlink()). */
NF_API const char *nf_gzip_file_temp_path(const nf_gzip_file *g);
/* Compresses and writes len bytes. 0, or -1 with err set (and every later
 * call fails too). */
NF_API int nf_gzip_file_write(nf_gzip_file *g, const void *data, size_t len,
                       char *err, size_t errlen);
/* Ends the stream, fsyncs and renames the file to its path; frees g in
 * every case. 0, or -1 with err set and the temporary file removed. */
NF_API int nf_gzip_file_close(nf_gzip_file *g, char *err, size_t errlen);
/* Drops it: unlinks the temporary file, frees g. NULL is a no-op. */
NF_API void nf_gzip_file_abort(nf_gzip_file *g);

/* Reading. The format comes from the name, else from the first bytes. */
typedef struct nf_bundle_reader nf_bundle_reader;

typedef enum {
  NF_ENTRY_FILE = 0, NF_ENTRY_DIR, NF_ENTRY_LINK, NF_ENTRY_OTHER
} nf_entry_type;

typedef struct nf_bundle_entry {
  const char *name;        /* borrowed until the next nf_bundle_next */
  uint64_t size;           /* uncompressed bytes */
  long long mtime;         /* Unix seconds (0 when unknown) */
  nf_entry_type type;      /* links: never followed nor read */
  size_t index;            /* 0, 1, 2... */
} nf_bundle_entry;

/* Opens a bundle for reading; max_entry_size (0: NF_BUNDLE_MAX_ENTRY_DEFAULT)
 * bounds every entry's decompressed size (decompression bombs). NULL with
 * err set when missing, unreadable or not a bundle. */
NF_API nf_bundle_reader *nf_bundle_open(const char *path, nf_bundle_format format,
                                 size_t max_entry_size, char *err,
                                 size_t errlen);
/* The same for a bundle in memory (data is borrowed until the reader is
 * freed); name names it in messages (NULL: "<memory>"). For harnesses that
 * read many inputs without a file each. nf_bundle_open("-") reads standard
 * input (named "<stdin>"), front to back when it is a pipe (zip needs a
 * file). "FILE@OFFSET" reads the one WARC record at that byte offset of
 * FILE (a gzip member's start, as the Common Crawl index gives it). */
NF_API nf_bundle_reader *nf_bundle_open_mem(const void *data, size_t len,
                                            nf_bundle_format format,
                                            const char *name,
                                            size_t max_entry_size, char *err,
                                            size_t errlen);
/* nf_bundle_open("-") read front to back (as a pipe), when its first n
 * bytes were read already (head: to tell what it holds); they come first.
 * For a stream of WARC records on a pipe: each record is read as soon as
 * its bytes are there, not a buffer's worth later. */
NF_API nf_bundle_reader *nf_bundle_open_stdin(const void *head, size_t n,
                                              nf_bundle_format format,
                                              size_t max_entry_size,
                                              char *err, size_t errlen);
NF_API nf_bundle_format nf_bundle_reader_format(const nf_bundle_reader *r);
/* Records a reader passed over, by reason (a WARC's "status 404",
 * "redirect", "not HTML", "request", "revisit"...): the number of reasons,
 * *reasons and *counts pointing at arrays of that length (valid until the
 * next call on r). 0 for formats that skip nothing. */
NF_API size_t nf_bundle_reader_skips(const nf_bundle_reader *r,
                                     const char *const **reasons,
                                     const unsigned long long **counts);
/* Moves to the next entry: 1 (e filled), 0 at the end, -1 with err set on
 * corrupt or truncated input (then every later call fails). A FILE@OFFSET
 * reader whose record is no article returns 0 with err saying why
 * ("FILE@OFFSET: skipped: status 404"); so does nf_bundle_articles_open,
 * with an empty list. */
NF_API int nf_bundle_next(nf_bundle_reader *r, nf_bundle_entry *e, char *err,
                   size_t errlen);
/* Appends the current entry's bytes to out, checking its CRC (zip) and the
 * size limit. For .jsonl.gz the entry is the line (a JSON object). Returns
 * 0 or -1 with err set. */
NF_API int nf_bundle_read(nf_bundle_reader *r, nf_buf *out, char *err,
                   size_t errlen);
NF_API void nf_bundle_reader_free(nf_bundle_reader *r);

/* A bundle's articles (core/bundle_articles.c): which entries are articles
 * and how they read. tar.gz, tar, zip: entries named .html .htm .xhtml .xht
 * (HTML) and .txt .text .md .markdown (text), also with .gz; epub: the
 * chapters of the package's spine in reading order (not the nav, not
 * linear="no", not contents or cover pages; no readable package: its
 * XHTML files); jsonl.gz: every line, its "html" field as HTML, else
 * "content" (sniffed), else "text"/"textContent"/"maintext" as text, with
 * "url" the page's URL and "title" its title. */
typedef enum {
  NF_ARTICLE_HTML = 1,     /* an entry read as HTML */
  NF_ARTICLE_TEXT,         /* an entry read as text */
  NF_ARTICLE_JSON_LINE,    /* a .jsonl.gz line: its html/content/text */
  NF_ARTICLE_WARC          /* a WARC record: an HTTP response or resource
                              (HTML), a WET conversion (text) */
} nf_article_kind;

typedef struct nf_bundle_item {
  size_t entry;            /* its nf_bundle_entry.index */
  nf_article_kind kind;
  size_t hint_at;          /* the entry name from this byte names the
                              article (an EPUB's OPF folder dropped) */
  long long offset;        /* a web archive's record: where it starts (a
                              gzip member), readable alone as "PATH@OFFSET";
                              -1 for other entries */
} nf_bundle_item;

typedef struct nf_bundle_articles nf_bundle_articles;

/* Lists the articles of the bundle at path (format 0: by name, else by the
 * first bytes), reading it to its end once. NULL with err set when it is
 * not a bundle or cannot be read to its end (corrupt, truncated). */
NF_API nf_bundle_articles *nf_bundle_articles_open(const char *path,
                                            nf_bundle_format format,
                                            size_t max_entry_size, char *err,
                                            size_t errlen);
NF_API nf_bundle_format nf_bundle_articles_format(const nf_bundle_articles *a);
NF_API size_t nf_bundle_articles_count(const nf_bundle_articles *a);
/* The i-th article (0-based), or NULL past the end. */
NF_API const nf_bundle_item *nf_bundle_articles_item(const nf_bundle_articles *a,
                                              size_t i);
/* Appends the bytes of the entry with index entry_index (an item's entry)
 * to out and sets *entry to its name (caller frees; NULL when it could not
 * be found). Best in list order: a step back reopens the bundle. Not
 * thread-safe. 0, or -1 with err set. */
NF_API int nf_bundle_articles_load(nf_bundle_articles *a, size_t entry_index,
                            nf_buf *out, char **entry, char *err,
                            size_t errlen);
/* Closes the reader that loading keeps open (reopened when needed). */
NF_API void nf_bundle_articles_release(nf_bundle_articles *a);
/* An article's bytes as a document, as its kind says; opts->type
 * NF_INPUT_AUTO: by the kind (a .jsonl line: by its field); gzip data is
 * decompressed first (at most max_input bytes). NULL with err set. */
NF_API nf_doc *nf_bundle_article_parse(nf_article_kind kind, const char *data,
                                size_t len, const nf_parse_opts *opts,
                                size_t max_input, char *err, size_t errlen);
/* The next article, read and parsed: 1 with *doc (caller frees) and
 * *entry (its entry name, valid until the next call); the document's
 * source is "PATH:ENTRY" unless opts gives one. -1 with err set when this
 * article cannot be read or parsed (*doc NULL, *entry set when known: the
 * next call goes on). 0 after the last. */
NF_API int nf_bundle_articles_next(nf_bundle_articles *a, const nf_parse_opts *opts,
                            nf_doc **doc, const char **entry, char *err,
                            size_t errlen);
NF_API void nf_bundle_articles_free(nf_bundle_articles *a);
/* How an entry is named: "BUNDLE:ENTRY", or for a web archive's record
 * (entry "@OFFSET") "FILE@OFFSET" (a name that can be given back as an
 * input), into out (appended). */
NF_API void nf_bundle_entry_label(const char *bundle, const char *entry,
                                  nf_buf *out);

/* Records of a web archive the articles' listing passed over, by reason
 * (see nf_bundle_reader_skips); 0 for other formats. */
NF_API size_t nf_bundle_articles_skips(const nf_bundle_articles *a,
                                       const char *const **reasons,
                                       const unsigned long long **counts);

/* ===== Web archives (core/warc.c) ====================================== */

/* Where a WARC record (an NF_ARTICLE_WARC entry's bytes) came from: its
 * WARC-* fields (malloc'd, NULL when absent; angle brackets of WARC 1.0
 * URIs dropped). payload_digest falls back to WARC-Block-Digest. */
typedef struct nf_warc_info {
  char *type, *target_uri, *record_id, *date, *payload_digest, *truncated,
      *refers_to;
} nf_warc_info;
/* 0, or -1 when data is not a WARC record (info cleared). */
NF_API int nf_warc_info_read(const void *data, size_t len, nf_warc_info *info);
NF_API void nf_warc_info_clear(nf_warc_info *info);

/* ===== Inputs as the command reads them (core/inputs.c) ================= */

/* Does s look like a URL ("scheme://...")? */
NF_API int nf_input_is_url(const char *s);
/* What binary data the file at path starts with (nf_binary_kind of its
 * first 8 KiB, gunzipped), or NULL for text or a file that cannot be read. */
NF_API const char *nf_input_binary_file(const char *path, const char *encoding);
/* Bytes as a document: binary data refused ("binary data (PNG image), not
 * an article"), else nf_doc_parse (opts may be NULL). NULL with err set. */
NF_API nf_doc *nf_input_parse(const char *data, size_t len,
                              const nf_parse_opts *opts, char *err,
                              size_t errlen);
/* Reads the file at path ("-": standard input, named "<stdin>") as the
 * command does: gunzipped, at most max_input bytes (0: no limit), binary
 * data refused, parsed with opts (type, encoding, url; source defaults to
 * the path). NULL with err "PATH: reason". */
NF_API nf_doc *nf_input_read(const char *path, const nf_parse_opts *opts,
                             size_t max_input, char *err, size_t errlen);
/* When path is a bundle (by its name, or a regular file whose first bytes
 * are zip's or gzip+tar's), lists its articles. NULL otherwise: *failed 0
 * when it is not a bundle, 1 with err set when it is one that cannot be
 * read to its end. */
NF_API nf_bundle_articles *nf_input_bundle_open(const char *path,
                                                size_t max_entry, int *failed,
                                                char *err, size_t errlen);

/* The documents of files, directories (sorted, hidden entries skipped,
 * binary files left out) and bundles, one at a time, named as the command
 * names them: the path ("<stdin>" for "-"), "BUNDLE:ENTRY" for a bundle's
 * article. The document's source is its name. */
typedef struct nf_inputs nf_inputs;
/* opts: type, encoding and url for every document (copied; may be NULL);
 * max_input: a file's size limit (0: none); max_entry: a bundle entry's
 * (0: NF_BUNDLE_MAX_ENTRY_DEFAULT). */
NF_API nf_inputs *nf_inputs_new(const nf_parse_opts *opts, size_t max_input,
                                size_t max_entry);
/* Adds a path (listed now; a path that cannot be listed fails in its turn). */
NF_API void nf_inputs_add(nf_inputs *in, const char *path);
/* 1 with *doc (caller frees) and *name (valid until the next call); -1
 * with *name and err set for an input that cannot be read (the next call
 * goes on); 0 after the last. */
NF_API int nf_inputs_next(nf_inputs *in, nf_doc **doc, const char **name,
                          char *err, size_t errlen);
/* How many binary files found in directories were left out so far. */
NF_API size_t nf_inputs_skipped(const nf_inputs *in);
NF_API void nf_inputs_free(nf_inputs *in);

#ifdef __cplusplus
}
#endif
#endif
