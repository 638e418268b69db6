/* cli.h: the parts of the newsform command (core/main.c, core/cli_*.c).
 * Not part of the library: nothing here is installed or used by it. */
#ifndef NF_CLI_H
#define NF_CLI_H

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
} nf_cli_opts;

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
/* Reads, parses and processes one input (r->index and r->input's source
 * path given as path). Fills r; never raises. */
void nf_cli_state_process(nf_cli_state *s, const char *path,
                          nf_cli_result *r);
/* From any thread: make the running Lua code stop soon. */
void nf_cli_state_cancel(nf_cli_state *s);
/* From any thread: the current article's deadline (monotonic seconds, 0 =
 * none), for the watchdog. */
double nf_cli_state_deadline(const nf_cli_state *s);

#endif
