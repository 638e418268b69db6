/* cli.h: the parts of the newsform command (core/main.c, core/cli_*.c).
 * Not part of the library: nothing here is installed or used by it. */
#ifndef NF_CLI_H
#define NF_CLI_H

#include <signal.h>
#include <stddef.h>

#include "newsform.h"

#define NF_EXIT_FAILURE 1
#define NF_EXIT_USAGE 2

/* Everything the command line says, after parsing. */
typedef struct nf_cli_opts {
  const char *script_path;  /* the resolved script file, or NULL with -e */
  const char *script_label; /* for messages: the path as given, or "-e" */
  const char *code;         /* -e CODE */
  const char *script_src;   /* the script file's text (read once) */
  size_t script_src_len;
  const char *output;       /* -o OUT, or NULL for standard output */
  int jobs;                 /* -j N (0: one per core) */
  int jobs_given;
  int sandbox, keep_going, verbose;
  int want_meta;            /* the sink uses titles/dates: compute them */
  double max_memory_mb;     /* 0: no limit */
  double timeout;           /* seconds; 0: no limit */
  size_t max_input;         /* bytes per input (after gunzip) */
  const char *encoding;     /* --encoding */
  nf_input_type type;       /* --type */
  const char **set_keys;    /* --set KEY=VALUE, in order (later wins) */
  const char **set_values;
  size_t n_set;
  long long mtime;          /* --mtime: bundle entry times (Unix seconds) */
  int mtime_given;
  size_t max_entry_size;    /* --max-entry-size: reading bundles */
  int epub;                 /* -o X.epub: results become chapters, with
                               the article's metadata (see cli_lua.c) */
  const char *book_title;   /* --title, --author, --language: EPUB */
  const char *book_author;
  const char *book_language;
} nf_cli_opts;

/* ===== Inputs (core/cli_input.c) ========================================= */

/* How an input's bytes become a document. */
typedef enum {
  NF_CLI_KIND_FILE = 0,  /* a file or "-": --type, else sniffed */
  NF_CLI_KIND_HTML,      /* a bundle entry read as HTML (.html, .xhtml...) */
  NF_CLI_KIND_TEXT,      /* a bundle entry read as text (.txt, .md...) */
  NF_CLI_KIND_JSON_LINE, /* a .jsonl.gz line: its html/content/text field */
  NF_CLI_KIND_WARC       /* a web archive's record */
} nf_cli_kind;

/* A bundle given as input, shared by its entries (core/cli_input.c). */
typedef struct nf_cli_bundle_src nf_cli_bundle_src;

/* One input of the run: a file, "-", or one article entry of a bundle.
 * Entries carry no strings (a .jsonl.gz may hold millions of lines): their
 * names come from the bundle when they are read. */
typedef struct nf_cli_input {
  char *path;      /* files: the file or "-" (entries: NULL) */
  char *name;      /* files: for ctx.input and messages, the path or
                      "<stdin>" (entries: NULL, see nf_cli_input_label) */
  char *hint;      /* files: for output entry names (entries: NULL) */
  char *error;     /* known before reading (a missing path, a corrupt
                      bundle), or NULL */
  nf_cli_bundle_src *bundle; /* entries: the bundle, NULL for files */
  size_t entry_index;        /* entries: nf_bundle_entry.index */
  unsigned hint_at;          /* entries: the output name hint is the entry
                                name from this byte (an EPUB's OPF dir) */
  long long offset;          /* a web archive's record: its offset, read
                                alone by the worker (-1: through the bundle) */
  nf_cli_kind kind;
} nf_cli_input;

typedef struct nf_cli_input_list {
  nf_cli_input *items;
  size_t len, cap;
  nf_cli_bundle_src **bundles;
  size_t n_bundles;
  int stdin_fd;       /* standard input copied to a temporary file, or 0 */
  size_t n_skipped;  /* binary files left out of a directory walk */
} nf_cli_input_list;

/* Expands the command line's INPUT arguments: files as given, directories
 * walked (sorted, hidden entries skipped), and every bundle among them
 * (named .tar.gz .tgz .tar .zip .epub .jsonl.gz .jsonl, or a regular file
 * with zip or gzip+tar magic bytes) expanded into its article entries,
 * listed up front. A path or bundle that cannot be read becomes one input
 * that fails in its turn; so does a URL (they are not fetched). A binary
 * file found in a directory (nf_binary_kind) is left out with a warning
 * and counted in n_skipped. Needs xmlInitParser() first (EPUB packages). */
void nf_cli_inputs_collect(const char **args, size_t n, const nf_cli_opts *o,
                           nf_cli_input_list *out);
/* Standard input as the only input. */
void nf_cli_inputs_add_stdin(nf_cli_input_list *out);
void nf_cli_inputs_free(nf_cli_input_list *l);
/* The bundle's path (entries) or the file's. */
const char *nf_cli_input_path(const nf_cli_input *in);
/* What to call the input: the file's name, or "BUNDLE:ENTRY" (entry: its
 * name, NULL when unknown: "BUNDLE:#N"). Caller frees. */
char *nf_cli_input_label(const nf_cli_input *in, const char *entry);
/* The hint for output names: the file's, or the entry name's tail. Caller
 * frees; NULL when none. */
char *nf_cli_input_hint(const nf_cli_input *in, const char *entry);
/* Reads a bundle entry's bytes into out and its name into *entry (caller
 * frees; NULL when the entry could not be found). Not thread-safe: call it
 * for the entries of a bundle one at a time (under the run's lock), best
 * in list order (a step back reopens the bundle). 0, or -1 with err set. */
int nf_cli_input_load(const nf_cli_input *in, nf_buf *out, char **entry,
                      char *err, size_t errlen);
/* A web archive's record whose load left it to the worker (data empty,
 * in->offset >= 0): reads it, by seeking, into out. 0, or -1 with err
 * "PATH@OFFSET: reason". Thread-safe (a reader of its own). */
int nf_cli_input_read_record(const nf_cli_input *in, nf_buf *out, char *err,
                             size_t errlen);
/* Parses an input's bytes (a file's, already gunzipped, or an entry's) into
 * a document as its kind says; source names it (doc.source). NULL with err
 * set (without the name), also for binary data: "binary data (ELF
 * executable), not an article". */
nf_doc *nf_cli_input_parse(const nf_cli_input *in, const nf_cli_opts *o,
                           const char *source, const char *data, size_t len,
                           char *err, size_t errlen);

/* ===== One article's outcome (worker → writer) ========================== */

typedef struct nf_cli_result {
  size_t index;     /* position in the input list (0-based) */
  char *input;      /* the input's display name ("<stdin>" for "-") */
  char *hint;       /* for entry names: the path below the directory it
                       was found in, or the base name (NULL: input) */
  nf_buf data;      /* what to write: print() output, then the result,
                       newline-terminated; empty: write nothing */
  char *name;       /* ctx.name set by the script, or NULL */
  char *ext;        /* ctx.ext set by the script (without the dot), or NULL */
  char *title;      /* ctx.title, else the document's title, or NULL */
  char *published;  /* ctx.published (ISO 8601), or NULL */
  char *url;        /* the document's URL, or NULL (-o X.warc.gz) */
  char *refers_to;  /* a web archive's record: its WARC-Record-ID, or NULL */
  /* EPUB chapters only (o->epub): the article, its chapter rendered by the
   * worker (nf_bundle_article_new + nf_bundle_article_render). */
  nf_bundle_article *article;
  char *warning;    /* written to stderr before the result, or NULL (no
                       "newsform: "): an input without any text */
  char *error;      /* NULL on success, else the message (no "newsform: ") */
  int done;         /* set by the worker when the result is complete */
} nf_cli_result;

void nf_cli_result_clear(nf_cli_result *r);

/* ===== Output (core/cli_output.c) ======================================== */

/* Where results go. Every output kind is one sink; the writer calls write
 * for each successful result in input order, fail for each failed input
 * (with --keep-going), then finish (commit) or abort (drop a partial
 * output). */
typedef struct nf_sink nf_sink;
struct nf_sink {
  int (*write)(nf_sink *s, const nf_cli_result *r, char *err, size_t errlen);
  void (*fail)(nf_sink *s, const nf_cli_result *r);
  int (*finish)(nf_sink *s, char *err, size_t errlen); /* frees s */
  void (*abort)(nf_sink *s);                           /* frees s */
  void *impl;
};

/* Opens the sink for -o OUT (NULL or "-": standard output). Returns NULL
 * with err set; *usage is set when the problem is the command line. */
nf_sink *nf_sink_open(const char *out, const nf_cli_opts *o, char *err,
                      size_t errlen, int *usage);

/* Temporary file to unlink if the run is interrupted by a signal (one at a
 * time; NULL clears). The path is copied. */
void nf_cli_set_temp_path(const char *path);
/* Installs SIGINT/SIGTERM/SIGHUP handlers that unlink it and exit. */
void nf_cli_install_signals(void);
/* Blocks SIGINT, SIGTERM and SIGHUP in the calling thread (the old mask in
 * *old), for a moment that must not be interrupted or for a thread that
 * must never take them. */
void nf_cli_block_signals(sigset_t *old);

/* The extension for a result: ext when given, else guessed from the data
 * ("html" when it starts with '<', "json" with '{' or '[', "md" with "# ",
 * else "txt"). Static or borrowed. */
const char *nf_cli_guess_ext(const char *ext, const char *data, size_t len);

/* ===== Reading bundles (core/cli_bundle.c) ============================== */

/* newsform --list BUNDLE: entry names on standard output. Exit status. */
int nf_cli_list(const char *bundle, size_t max_entry_size);
/* newsform --extract BUNDLE DIR. Exit status. */
int nf_cli_extract(const char *bundle, const char *dir,
                   size_t max_entry_size);

/* ===== The Lua side of a worker (core/cli_lua.c) ========================= */

typedef struct nf_cli_state nf_cli_state;

/* A Lua state for worker `worker` (1-based) of `workers`: limits, sandbox,
 * the newsform module, the script loaded and run. NULL with err set (the
 * script's error message, without "newsform: "). */
nf_cli_state *nf_cli_state_new(const nf_cli_opts *o, int worker, int workers,
                               char *err, size_t errlen);
void nf_cli_state_free(nf_cli_state *s);
/* Does the script define begin / finish? */
int nf_cli_state_has_begin(const nf_cli_state *s);
int nf_cli_state_has_finish(const nf_cli_state *s);
void nf_cli_state_set_workers(nf_cli_state *s, int workers);
/* Runs begin(ctx) or finish(ctx) (which: "begin" / "finish"); output and
 * error go into r (r->input is set to "begin"/"finish"). */
void nf_cli_state_run_hook(nf_cli_state *s, const char *which,
                           nf_cli_result *r);
/* Parses and processes one input: a file is read here; a bundle entry's
 * bytes come in data, its name in entry (read by nf_cli_input_load).
 * r->index and r->input are set. Fills r; never raises. */
void nf_cli_state_process(nf_cli_state *s, const nf_cli_input *in,
                          const char *entry, const nf_buf *data,
                          nf_cli_result *r);
/* From any thread: make the running Lua code stop soon. */
void nf_cli_state_cancel(nf_cli_state *s);
/* From any thread: the current article's deadline (monotonic seconds, 0 =
 * none), for the watchdog. */
double nf_cli_state_deadline(const nf_cli_state *s);

#endif
