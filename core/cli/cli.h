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
  /* Large runs (core/cli/cli_shard.c, cli_stats.c): --shard K/N (count 0:
   * no shard), --quiet, --progress (1 forced, 0 when standard error is a
   * terminal), --resume, --stats FILE, --stream. */
  unsigned long shard_index, shard_count;
  int quiet, progress, resume, stream;
  const char *stats_path;
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
  int lazy;                  /* a web archive whose records are listed as
                                the run claims them (nf_cli_inputs_next) */
  size_t unit;               /* its unit in nf_cli_input_list.units */
} nf_cli_input;

typedef struct nf_cli_input_list {
  nf_cli_input *items;
  size_t len, cap;
  nf_cli_bundle_src **bundles;
  size_t n_bundles;
  int stdin_fd;       /* standard input copied to a temporary file, or 0 */
  size_t n_lazy;      /* lazy items: the record count is not known */
  size_t n_skipped;  /* binary files left out of a directory walk */
  /* The units of the run (a file, a bundle, a path that fails, as named
   * or found in a directory), in order: with --shard, those of the shard.
   * A bundle is one unit, never split between shards. */
  char **units;
  size_t n_units;
  int units_only;    /* set before collecting: list the units, nothing else */
} nf_cli_input_list;

/* Expands the command line's INPUT arguments: files as given, directories
 * walked (sorted, hidden entries skipped), and every bundle among them
 * (named .tar.gz .tgz .tar .zip .epub .jsonl.gz .jsonl, or a regular file
 * with zip or gzip+tar magic bytes) expanded into its article entries,
 * listed up front (a web archive in a file: one lazy item, its records
 * listed as the run goes). A path or bundle that cannot be read becomes one input
 * that fails in its turn; so does a URL (they are not fetched). A binary
 * file found in a directory (nf_binary_kind) is left out with a warning
 * and counted in n_skipped. Needs xmlInitParser() first (EPUB packages). */
void nf_cli_inputs_collect(const char **args, size_t n, const nf_cli_opts *o,
                           nf_cli_input_list *out);
/* With o->shard_count: only the units of shard o->shard_index (see
 * nf_cli_shard_range); a directory is one unit per path it lists. */
/* Standard input as the only input (out->units_only: its unit, "-",
 * without reading it). */
void nf_cli_inputs_add_stdin(nf_cli_input_list *out);
/* Adds the records the bundle readers passed over (WARC: other statuses,
 * content types, revisits), by reason, to the run's counts; called once
 * the run has read them, before the manifest and --stats are written. */
struct nf_cli_stats;
void nf_cli_inputs_add_skips(const nf_cli_input_list *in,
                             struct nf_cli_stats *st);

/* The run's next record, from item *pos on (advanced past finished
 * items): a copy of the item, or for a lazy web archive its next record
 * (listed now: memory stays flat however many records it holds). 1 with
 * *rec and *item (its item's index), 0 when none is left. Under the run's
 * lock, followed by nf_cli_input_load before the next call. */
int nf_cli_inputs_next(nf_cli_input_list *l, size_t *pos, nf_cli_input *rec,
                       size_t *item);
void nf_cli_inputs_free(nf_cli_input_list *l);
/* Do these first bytes (of standard input) start a web archive, plain or
 * gzip? */
int nf_cli_head_is_warc(const void *head, size_t n);
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
  size_t index;     /* the record's place in the run (0-based) */
  size_t item;      /* its item in the input list */
  long long offset; /* a web archive's record: its byte offset in its
                       file (-1 or 0: not known), for the progress line */
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
  char *warc_date;  /* and its WARC-Date (-o X.warc.gz: the record's date) */
  /* EPUB chapters only (o->epub): the article, its chapter rendered by the
   * worker (nf_bundle_article_new + nf_bundle_article_render). */
  nf_bundle_article *article;
  char *warning;    /* written to stderr before the result, or NULL (no
                       "newsform: "): an input without any text */
  char *error;      /* NULL on success, else the message (no "newsform: ") */
  int done;         /* set by the worker when the result is complete */
  unsigned long long bytes_in; /* --stream: the bytes read for it, counted
                                  in --stats once it is written */
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

/* Atomic files (also for manifests and --stats): a temporary file
 * ".BASE.newsform-tmp.XXXXXX" beside path (fd, or -1 with err set; *tmp
 * to free); nf_cli_commit_temp fsyncs, closes and renames it to path (0,
 * or -1 with err set and the temporary file removed). */
int nf_cli_temp_beside(const char *path, char **tmp_out, char *err,
                       size_t errlen);
int nf_cli_commit_temp(int fd, const char *tmp, const char *path, char *err,
                       size_t errlen);
int nf_cli_write_all(int fd, const char *p, size_t n); /* 0 or -1 (errno) */
/* The whole of a small file (a manifest, --stats) at once, atomically
 * (core/cli/cli_stats.c). 0, or -1 with err. */
int nf_cli_publish(const char *path, const char *data, size_t len, char *err,
                   size_t errlen);

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

/* ===== Large runs (core/cli/cli_shard.c, core/cli/cli_stats.c) ========= */

/* The units [lo, hi) of shard k (0-based) of n over total units: the k-th
 * of n contiguous ranges, sizes differing by at most one. */
void nf_cli_shard_range(unsigned long k, unsigned long n, size_t total,
                        size_t *lo, size_t *hi);
/* --shard VALUE: "K/N" (0 <= K < N) or "slurm" (SLURM_ARRAY_TASK_ID minus
 * SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT). 0, or -1 with err. */
int nf_cli_shard_parse(const char *value, unsigned long *k, unsigned long *n,
                       char *err, size_t errlen);
/* OUT with every "{shard}" replaced by "part-KKKKK-of-NNNNN" (at least five
 * digits; without --shard, 0 of 1). Caller frees. */
char *nf_cli_shard_output(const char *out, unsigned long k, unsigned long n);
/* --inputs FILE ("-": standard input): appends its lines (blank ones
 * skipped, "\r\n" taken as "\n") to *args. 0, or -1 with err. */
int nf_cli_read_inputs_file(const char *path, const char ***args, size_t *n,
                            char *err, size_t errlen);

/* Counters of a run, for --stats, the progress line and the manifest. */
typedef struct nf_cli_skip {
  char *reason;
  size_t count;
} nf_cli_skip;

typedef struct nf_cli_failure {
  char *input, *error;
} nf_cli_failure;

#define NF_CLI_MAX_LISTED_FAILURES 1000

typedef struct nf_cli_stats {
  double start;                /* monotonic seconds */
  size_t units, units_done;    /* inputs: files and bundles */
  size_t records, kept, failed; /* records read, with output, failed */
  size_t total_records;        /* records known up front (SIZE_MAX: not
                                  known, a web archive among the inputs) */
  nf_cli_skip *skips;          /* records skipped, by reason */
  size_t n_skips;
  nf_cli_failure *failures;    /* the first NF_CLI_MAX_LISTED_FAILURES */
  size_t n_failures;
  unsigned long long bytes_in, bytes_out, output_bytes;
  const void *unit_key;        /* the unit of the last record */
  /* Records not known up front (a web archive): the share of the inputs'
   * bytes done instead. unit_end[u]: the bytes of units 0..u (NULL when a
   * size is not known, standard input from a pipe); bytes_done: to the
   * last record written (a whole file, or an archive's record offset). */
  unsigned long long *unit_end, bytes_done;
  int progress;                /* draw the progress line */
  double last_draw;
  size_t last_len;
  const char *shard_label;     /* "3/8", or NULL */
  int published;               /* the output was committed */
} nf_cli_stats;

/* Starts counting a run over the collected inputs (sizes of the units as
 * bytes in; binary files left out as skips). */
void nf_cli_stats_init(nf_cli_stats *st, const nf_cli_opts *o,
                       const nf_cli_input_list *in);
/* Adds count records skipped for reason ("binary", "status"...). */
void nf_cli_stats_add_skips(nf_cli_stats *st, const char *reason,
                            size_t count);
/* Records skipped, every reason together. */
size_t nf_cli_stats_skipped(const nf_cli_stats *st);
/* One record written or failed, in input order (r->item: its item in in,
 * NULL for --stream). */
void nf_cli_stats_record(nf_cli_stats *st, const nf_cli_input_list *in,
                         const nf_cli_result *r);
/* Before a message on standard error: blanks the progress line. */
void nf_cli_stats_clear_line(nf_cli_stats *st);
/* The run is over: the last progress line, ended. */
void nf_cli_stats_end(nf_cli_stats *st);
/* Writes the --stats JSON file (atomically). 0, or -1 when it could not
 * (said on standard error). */
int nf_cli_stats_write(const nf_cli_stats *st, const char *path);
void nf_cli_stats_free(nf_cli_stats *st);
/* Monotonic seconds. */
double nf_cli_now(void);

/* The shard's manifest, OUT.manifest.json (DIR/: DIR.manifest.json): what
 * the output was made from (the key: version, script digest, settings,
 * inputs with sizes and CRC-32s), then what became of it. NULL when OUT is
 * standard output. Caller frees. */
char *nf_cli_manifest_path(const char *out);
/* The key part for this run; *resumable is 0 when an input is standard
 * input (never skipped). Caller frees. */
char *nf_cli_manifest_key(const nf_cli_opts *o, const nf_cli_input_list *in,
                          int *resumable);
/* 1 when out and its manifest are there and the manifest starts with key
 * and records a complete output of the size found (*failed: its failure
 * count), else 0. */
int nf_cli_manifest_matches(const char *out, const char *key, size_t *failed);
/* Publishes the manifest (atomically): key, then the result. 0 or -1. */
int nf_cli_manifest_write(const char *out, const char *key,
                          const nf_cli_stats *st, char *err, size_t errlen);
/* Removes temporary files a killed run left beside out. */
void nf_cli_remove_stale_temps(const char *out);

/* ===== Where the workers' records come from (main.c runs the pool) ===== */

/* One record as a worker claims it. */
typedef struct nf_cli_job {
  nf_cli_input in; /* how to read it (its strings borrowed from the source) */
  size_t item;     /* its item in the input list (batch runs) */
  nf_buf data;     /* its bytes, when has_data (a bundle entry, a stream
                      record); initialised before next is called */
  int has_data;
  char *entry;     /* its entry name, or NULL */
  char *label;     /* its name for messages, or NULL: nf_cli_input_label */
  char *error;     /* it fails as it is, unprocessed, or NULL */
  unsigned long long bytes_in; /* --stream: the bytes read for it */
} nf_cli_job;

typedef struct nf_cli_source {
  /* The next record into *job: 1, or 0 when none is left. Called by one
   * worker at a time, outside the pool's lock (it may wait for input). */
  int (*next)(void *ctx, nf_cli_job *job);
  /* The run stops: next returns 0 soon (any thread; NULL: nothing to do). */
  void (*stop)(void *ctx);
  /* Every record written: 0, or -1 when the source failed after its last
   * record (said on standard error). NULL: never fails. */
  int (*done)(void *ctx);
  void *ctx;
  /* Batch runs: the input list (stats, the watchdog's message, binary
   * files left out); NULL for --stream (records, not inputs). */
  const nf_cli_input_list *inputs;
  size_t window;   /* results in flight, per worker (0: 4, at least 8) */
  int jobs;        /* workers without -j (0: one per core) */
} nf_cli_source;

/* newsform --stream (core/cli/cli_stream.c): JSON Lines records or a web
 * archive (plain or gzip) on standard input, read by a thread of its own
 * (one record ahead) as the pool's source; the sink writes one JSON line
 * per article on standard output, flushed per record. */
nf_cli_source *nf_cli_stream_open(const nf_cli_opts *o);
nf_sink *nf_cli_stream_sink(void);
/* After the run: the bytes read and the records skipped into st, the
 * reader stopped, everything freed. */
void nf_cli_stream_close(nf_cli_source *s, nf_cli_stats *st);

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
