/* main.c: the newsform command.
 *
 *   newsform [OPTIONS] SCRIPT [INPUT...]
 *   newsform [OPTIONS] -e CODE [INPUT...]
 *
 * The main thread parses the command line, finds the script and the
 * inputs, starts the workers (one Lua state each, core/cli_lua.c), then
 * writes their results in input order through one sink (core/cli_output.c)
 * while watching for articles stuck past their deadline. */
#include <dirent.h>
#include <errno.h>
#include <libxml/parser.h>
#include <lua.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli.h"

#ifndef NF_SCRIPTS_DIR
#define NF_SCRIPTS_DIR "/usr/local/share/newsform/scripts"
#endif

#define DEFAULT_MAX_INPUT_MB 512
#define MAX_JOBS 256
#define WORKER_STACK (16u << 20)
#define SCRIPT_MAX_BYTES ((size_t)16 << 20)

static const char usage_text[] =
    "Usage: newsform [OPTIONS] SCRIPT [INPUT...]\n"
    "       newsform [OPTIONS] -e CODE [INPUT...]\n"
    "Runs a Lua script over news articles: process(doc, ctx) is called once\n"
    "per input and what it returns is written out, in input order.\n"
    "\n"
    "SCRIPT is a .lua file or the name of a shipped script (markdown, text,\n"
    "json, html, ...), searched in $NEWSFORM_PATH (colon-separated), then\n"
    "beside the program (scripts/, ../share/newsform/scripts/), then in\n"
    NF_SCRIPTS_DIR ".\n"
    "INPUT is an HTML page or fragment, a plain-text article, either of them\n"
    "gzipped, a directory (its files in sorted order, hidden ones skipped),\n"
    "a bundle, or '-' for standard input. With no INPUT, standard input is\n"
    "read unless it is a terminal. Options may appear anywhere before '--'.\n"
    "UTF-8, UTF-16 and UTF-32 are known by their byte-order mark; other\n"
    "charsets by <meta charset> (else windows-1252) or --encoding. Binary\n"
    "data (an executable, an image, a PDF...) is not an article: such an\n"
    "input fails, and is skipped with a warning in a directory. URLs are\n"
    "not fetched.\n"
    "\n"
    "A bundle (.tar.gz .tgz .tar .zip .epub .jsonl.gz, or a file that starts\n"
    "like a zip or a tar.gz; also one found in a directory) stands for its\n"
    "articles, each an input named BUNDLE:ENTRY (ctx.input; ctx.bundle and\n"
    "ctx.entry hold the two parts): .html/.xhtml entries are read as HTML,\n"
    ".txt/.md entries as text, other entries skipped; an EPUB gives its\n"
    "spine's chapters (not its nav, contents or cover pages); a .jsonl.gz\n"
    "line gives its html field (HTML), else content (sniffed), else text or\n"
    "textContent (text); a line that is not a JSON object fails alone, as\n"
    "BUNDLE:line-N. A bundle that cannot be read fails as one input.\n"
    "\n"
    "Options:\n"
    "  -e, --eval CODE        inline script: the body of process(doc, ctx)\n"
    "  -o, --output OUT       write to OUT instead of standard output: a file\n"
    "                         (written atomically; gzip-compressed when OUT\n"
    "                         ends in .gz), DIR/ (one file per article), or a\n"
    "                         bundle: .tar.gz .tgz .tar .zip .epub .jsonl.gz\n"
    "                         (written atomically, reproducibly); other\n"
    "                         archive names (.rar .7z .xz .tar.xz...) are\n"
    "                         refused\n"
    "  -j, --jobs N           N workers (default: one per core; 1 when the\n"
    "                         script defines finish)\n"
    "  -k, --keep-going       go on after a failed input; exit 1 at the end\n"
    "      --set KEY=VALUE    script option, read as ctx.options.KEY\n"
    "                         (repeatable)\n"
    "      --type TYPE        parse every input as html or text (default:\n"
    "                         auto, by content)\n"
    "      --encoding NAME    force the input character encoding\n"
    "      --max-input MB     largest input, after gunzip (default 512)\n"
    "      --sandbox          untrusted script: no io, os (but time, date,\n"
    "                         clock), package, debug, dofile, loadfile,\n"
    "                         string.dump; load takes text only\n"
    "      --max-memory MB    Lua memory limit per worker\n"
    "      --timeout SECONDS  time limit per article\n"
    "  -v, --verbose          tracebacks with script errors\n"
    "      --list BUNDLE      print a bundle's entry names\n"
    "      --extract BUNDLE DIR  write a bundle's entries into DIR with their\n"
    "                         times, refusing (and reporting) names that\n"
    "                         would escape it\n"
    "      --mtime TIME       bundle entry times: Unix seconds or an ISO 8601\n"
    "                         date (default: the article's date, else 1980)\n"
    "      --max-entry-size MB  largest bundle entry read (default 256)\n"
    "      --title TEXT, --author NAME, --language CODE\n"
    "                         the book's metadata with -o X.epub (default:\n"
    "                         Untitled, no author, en)\n"
    "      --list-scripts     the scripts found (see SCRIPT), each with its\n"
    "                         purpose and --set options\n"
    "Large runs (see the README's \"Large runs and clusters\"):\n"
    "      --inputs FILE      more inputs, one a line ('-': standard input),\n"
    "                         after the INPUT arguments\n"
    "      --shard K/N        take the K-th (from 0) of N contiguous ranges of\n"
    "                         the inputs (a bundle is never split); 'slurm':\n"
    "                         from SLURM_ARRAY_TASK_ID and _COUNT; {shard} in\n"
    "                         -o becomes part-KKKKK-of-NNNNN; with -o, writes\n"
    "                         OUT.manifest.json once the output is complete\n"
    "      --resume           skip the run when OUT and its manifest are there\n"
    "                         and match (inputs, script, settings); else redo\n"
    "      --stats FILE       counts as JSON: inputs, records read, kept,\n"
    "                         skipped by reason, failed, bytes, seconds\n"
    "      --progress         a progress line on standard error (default: when\n"
    "                         it is a terminal and results go elsewhere)\n"
    "  -q, --quiet            no progress line, warnings or notes; errors only\n"
    "      --stream           JSON Lines records (html, content or text; url)\n"
    "                         or a WARC on standard input, one JSON line per\n"
    "                         article on standard output, flushed each time\n"
    "                         (one worker unless -j; lines in input order)\n"
    "  -h, --help             this help\n"
    "  -V, --version          the version, and those of Lua, libxml2, zlib\n"
    "\n"
    "A script defines process(doc, ctx) and may define begin(ctx) and\n"
    "finish(ctx), which run once per worker; or it returns a recipe table.\n"
    "ctx has input, index, options, state (a table kept across the\n"
    "worker's articles), worker, workers, count; a script may set ctx.name,\n"
    "ctx.ext, ctx.title and ctx.published to name its output.\n"
    "process may return a string, a number, a node or document (written as\n"
    "HTML) or nil (nothing); print() output goes with the article's result.\n"
    "\n"
    "With -o X.epub each result becomes a chapter headed by the article's\n"
    "title, byline and date (ctx.title, ctx.author, ctx.published override\n"
    "them; ctx.section groups consecutive chapters in the contents;\n"
    "ctx.summary, else the page's description, goes under the title in the\n"
    "contents): an HTML result is the chapter's body; a plain-text result\n"
    "(ext txt, e.g. a summary) becomes its paragraphs; any other result\n"
    "(Markdown, JSON) stands for the article itself, whose extracted body\n"
    "(doc.article.body, as the script left the page) is the chapter.\n"
    "\n"
    "Exit status: 0 on success, 1 when an input or the script failed, 2 for\n"
    "a usage error.\n"
    "\n"
    "Examples:\n"
    "  newsform markdown article.html          the article as Markdown\n"
    "  newsform text --set width=72 pages/     every page as wrapped text\n"
    "  newsform markdown -o digest.epub pages/ an e-book of the pages\n"
    "  newsform json page.html.gz | jq .title  Readability-style JSON\n"
    "  newsform -e 'return doc.article.title' pages/   inline code\n"
    "  newsform --list-scripts                 the shipped scripts\n"
    "  newsform json --shard 3/8 -o out/{shard}.jsonl.gz --inputs list.txt\n";

/* ===== Usage errors ======================================================= */

static void usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
static void usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("newsform: ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("\nTry 'newsform --help' for more information.\n", stderr);
  exit(NF_EXIT_USAGE);
}

static double parse_number(const char *opt, const char *s, double min,
                           double max) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end || errno || !(v >= min && v <= max))
    usage_error("invalid value '%s' for %s (expected a number from %g to %g)",
                s, opt, min, max);
  return v;
}

/* ===== The command line =================================================== */

typedef struct cli_args {
  nf_cli_opts o;
  const char *list;        /* --list BUNDLE */
  const char *extract;     /* --extract BUNDLE DIR */
  const char *extract_dir;
  int list_scripts;        /* --list-scripts */
  const char **inputs_files; /* --inputs FILE (repeatable) */
  size_t n_inputs_files;
  const char **pos; /* positional arguments, in order */
  size_t n_pos;
} cli_args;

typedef struct option_def {
  char short_name;
  const char *long_name;
  int takes_value;
} option_def;

static const option_def options[] = {
    {'e', "eval", 1},        {'o', "output", 1},       {'j', "jobs", 1},
    {'k', "keep-going", 0},  {0, "set", 1},            {0, "type", 1},
    {0, "encoding", 1},      {0, "max-input", 1},      {0, "sandbox", 0},
    {0, "max-memory", 1},    {0, "timeout", 1},        {'v', "verbose", 0},
    {0, "list", 1},          {0, "extract", 1},        {0, "mtime", 1},
    {0, "max-entry-size", 1}, {'h', "help", 0},        {'V', "version", 0},
    {0, "title", 1},         {0, "author", 1},         {0, "language", 1},
    {0, "list-scripts", 0},  {0, "inputs", 1},        {0, "shard", 1},
    {0, "resume", 0},        {0, "stats", 1},         {0, "progress", 0},
    {'q', "quiet", 0},       {0, "stream", 0},        {0, NULL, 0}};

static void apply_option(cli_args *a, const option_def *d, const char *value,
                         int argc, char **argv, int *i) {
  nf_cli_opts *o = &a->o;
  const char *name = d->long_name;
  if (strcmp(name, "help") == 0) {
    fputs(usage_text, stdout);
    exit(0);
  } else if (strcmp(name, "version") == 0) {
    /* The libraries it runs with (libxml2 and zlib: their own run-time
     * versions; xmlParserVersion is "20914" for 2.9.14). */
    long x = strtol(xmlParserVersion, NULL, 10);
    printf("newsform %s\n%s, libxml2 %ld.%ld.%ld, zlib %s\n", NF_VERSION,
           LUA_RELEASE, x / 10000, x / 100 % 100, x % 100, zlibVersion());
    exit(0);
  } else if (strcmp(name, "eval") == 0) {
    if (o->code) usage_error("-e given twice");
    o->code = value;
  } else if (strcmp(name, "output") == 0) {
    o->output = value;
  } else if (strcmp(name, "jobs") == 0) {
    double n = parse_number("--jobs", value, 1, MAX_JOBS);
    o->jobs = (int)n;
    if (o->jobs != n)
      usage_error("invalid value '%s' for --jobs (expected a whole number)",
                  value);
    o->jobs_given = 1;
  } else if (strcmp(name, "keep-going") == 0) {
    o->keep_going = 1;
  } else if (strcmp(name, "set") == 0) {
    const char *eq = strchr(value, '=');
    if (!eq || eq == value)
      usage_error("invalid value '%s' for --set (expected KEY=VALUE)", value);
    o->set_keys = nf_xrealloc(o->set_keys, (o->n_set + 1) * sizeof(char *));
    o->set_values =
        nf_xrealloc(o->set_values, (o->n_set + 1) * sizeof(char *));
    o->set_keys[o->n_set] = nf_xstrndup(value, (size_t)(eq - value));
    o->set_values[o->n_set] = eq + 1;
    o->n_set++;
  } else if (strcmp(name, "type") == 0) {
    if (strcmp(value, "html") == 0) o->type = NF_INPUT_HTML;
    else if (strcmp(value, "text") == 0) o->type = NF_INPUT_TEXT;
    else if (strcmp(value, "auto") == 0) o->type = NF_INPUT_AUTO;
    else usage_error("invalid value '%s' for --type (expected html, text or "
                     "auto)", value);
  } else if (strcmp(name, "encoding") == 0) {
    if (!*value) usage_error("--encoding needs a name");
    o->encoding = value;
  } else if (strcmp(name, "max-input") == 0) {
    double mb = parse_number("--max-input", value, 0.000001, 1e6);
    o->max_input = (size_t)(mb * 1048576.0);
    if (o->max_input == 0) o->max_input = 1;
  } else if (strcmp(name, "sandbox") == 0) {
    o->sandbox = 1;
  } else if (strcmp(name, "max-memory") == 0) {
    o->max_memory_mb = parse_number("--max-memory", value, 0.01, 1e6);
  } else if (strcmp(name, "timeout") == 0) {
    o->timeout = parse_number("--timeout", value, 0.001, 1e7);
  } else if (strcmp(name, "verbose") == 0) {
    o->verbose = 1;
  } else if (strcmp(name, "list-scripts") == 0) {
    a->list_scripts = 1;
  } else if (strcmp(name, "list") == 0) {
    a->list = value;
  } else if (strcmp(name, "extract") == 0) {
    /* --extract BUNDLE DIR: DIR is the next argument. */
    if (*i + 1 >= argc) usage_error("option '--extract' needs BUNDLE and DIR");
    a->extract = value;
    a->extract_dir = argv[++*i];
  } else if (strcmp(name, "mtime") == 0) {
    char *end;
    errno = 0;
    long long t = strtoll(value, &end, 10);
    if (end == value || *end || errno || t < 0)
      t = nf_bundle_parse_time(value);
    if (t < 0)
      usage_error("invalid value '%s' for --mtime (expected Unix seconds or "
                  "an ISO 8601 date)", value);
    o->mtime = t;
    o->mtime_given = 1;
  } else if (strcmp(name, "title") == 0) {
    o->book_title = value;
  } else if (strcmp(name, "author") == 0) {
    o->book_author = value;
  } else if (strcmp(name, "language") == 0) {
    o->book_language = value;
  } else if (strcmp(name, "inputs") == 0) {
    a->inputs_files = nf_xrealloc(a->inputs_files, (a->n_inputs_files + 1) *
                                                       sizeof(char *));
    a->inputs_files[a->n_inputs_files++] = value;
  } else if (strcmp(name, "shard") == 0) {
    char err[512];
    if (nf_cli_shard_parse(value, &o->shard_index, &o->shard_count, err,
                           sizeof err) < 0)
      usage_error("%s", err);
  } else if (strcmp(name, "resume") == 0) {
    o->resume = 1;
  } else if (strcmp(name, "stats") == 0) {
    if (!*value) usage_error("--stats needs a file name");
    o->stats_path = value;
  } else if (strcmp(name, "progress") == 0) {
    o->progress = 1;
  } else if (strcmp(name, "quiet") == 0) {
    o->quiet = 1;
  } else if (strcmp(name, "stream") == 0) {
    o->stream = 1;
  } else if (strcmp(name, "max-entry-size") == 0) {
    double mb = parse_number("--max-entry-size", value, 0.000001, 1e6);
    o->max_entry_size = (size_t)(mb * 1048576.0);
    if (o->max_entry_size == 0) o->max_entry_size = 1;
  }
}

static const option_def *find_long(const char *name, size_t len) {
  for (const option_def *d = options; d->long_name; d++)
    if (strlen(d->long_name) == len && strncmp(d->long_name, name, len) == 0)
      return d;
  return NULL;
}

static const option_def *find_short(char c) {
  for (const option_def *d = options; d->long_name; d++)
    if (d->short_name == c) return d;
  return NULL;
}

/* GNU style: options anywhere before "--"; "--opt=value", "--opt value",
 * "-jN", "-j N", "-kv". */
static void parse_args(cli_args *a, int argc, char **argv) {
  a->pos = nf_xcalloc((size_t)argc + 1, sizeof *a->pos);
  int only_positional = 0;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (only_positional || arg[0] != '-' || strcmp(arg, "-") == 0) {
      a->pos[a->n_pos++] = arg;
      continue;
    }
    if (strcmp(arg, "--") == 0) {
      only_positional = 1;
      continue;
    }
    if (arg[1] == '-') {
      const char *name = arg + 2;
      const char *eq = strchr(name, '=');
      size_t len = eq ? (size_t)(eq - name) : strlen(name);
      const option_def *d = find_long(name, len);
      if (!d) usage_error("unknown option '--%.*s'", (int)len, name);
      const char *value = NULL;
      if (d->takes_value) {
        if (eq) value = eq + 1;
        else if (i + 1 < argc) value = argv[++i];
        else usage_error("option '--%s' needs a value", d->long_name);
      } else if (eq) {
        usage_error("option '--%s' takes no value", d->long_name);
      }
      apply_option(a, d, value, argc, argv, &i);
      continue;
    }
    for (const char *p = arg + 1; *p; p++) {
      const option_def *d = find_short(*p);
      if (!d) usage_error("unknown option '-%c'", *p);
      if (!d->takes_value) {
        apply_option(a, d, NULL, argc, argv, &i);
        continue;
      }
      const char *value;
      if (p[1]) value = p + 1;
      else if (i + 1 < argc) value = argv[++i];
      else usage_error("option '-%c' needs a value", *p);
      apply_option(a, d, value, argc, argv, &i);
      break;
    }
  }
}

/* ===== Finding the script ================================================= */

static int is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The directory of the running program, or NULL. Caller frees. */
static char *exe_dir(const char *argv0) {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) {
    buf[n] = '\0';
  } else if (argv0 && strchr(argv0, '/') && realpath(argv0, buf)) {
    /* no /proc: argv[0] with a slash */
  } else {
    return NULL;
  }
  char *slash = strrchr(buf, '/');
  if (!slash) return NULL;
  *slash = '\0';
  return nf_xstrdup(buf[0] ? buf : "/");
}

/* The script directories, in search order: those of $NEWSFORM_PATH
 * (colon-separated), then scripts/ and ../share/newsform/scripts/ beside
 * the program, then NF_SCRIPTS_DIR. NULL-terminated; free_dirs frees. */
static void push_dir(char ***dirs, size_t *n, const char *dir, size_t len) {
  if (len == 0) return;
  *dirs = nf_xrealloc(*dirs, (*n + 2) * sizeof **dirs);
  (*dirs)[(*n)++] = nf_xstrndup(dir, len);
  (*dirs)[*n] = NULL;
}

static char **script_dirs(const char *argv0) {
  char **dirs = nf_xcalloc(1, sizeof *dirs);
  size_t n = 0;
  const char *env = getenv("NEWSFORM_PATH");
  while (env && *env) {
    const char *colon = strchr(env, ':');
    push_dir(&dirs, &n, env, colon ? (size_t)(colon - env) : strlen(env));
    env = colon ? colon + 1 : NULL;
  }
  char *exe = exe_dir(argv0);
  const char *beside[] = {"/scripts", "/../share/newsform/scripts"};
  for (size_t i = 0; exe && i < 2; i++) {
    nf_buf d;
    nf_buf_init(&d);
    nf_buf_printf(&d, "%s%s", exe, beside[i]);
    push_dir(&dirs, &n, d.ptr, d.len);
    nf_buf_free(&d);
  }
  free(exe);
  push_dir(&dirs, &n, NF_SCRIPTS_DIR, strlen(NF_SCRIPTS_DIR));
  return dirs;
}

static void free_dirs(char **dirs) {
  for (size_t i = 0; dirs[i]; i++) free(dirs[i]);
  free(dirs);
}

static char *dir_file(const char *dir, const char *file) {
  nf_buf b;
  nf_buf_init(&b);
  nf_buf_printf(&b, "%s/%s", dir, file);
  return nf_buf_detach(&b);
}

/* A path (with a '/', or an existing NAME.lua) is taken as is; a name is
 * looked up in the script directories. NULL when not found. */
static char *find_script(const char *arg, const char *argv0) {
  size_t len = strlen(arg);
  int has_lua = len > 4 && strcmp(arg + len - 4, ".lua") == 0;
  if (strchr(arg, '/')) return nf_xstrdup(arg);
  if (has_lua && is_file(arg)) return nf_xstrdup(arg);
  nf_buf file;
  nf_buf_init(&file);
  nf_buf_printf(&file, "%s%s", arg, has_lua ? "" : ".lua");
  char *found = NULL;
  char **dirs = script_dirs(argv0);
  for (size_t i = 0; dirs[i] && !found; i++) {
    found = dir_file(dirs[i], file.ptr);
    if (!is_file(found)) {
      free(found);
      found = NULL;
    }
  }
  free_dirs(dirs);
  nf_buf_free(&file);
  return found;
}

/* ===== --list-scripts ===================================================== */

/* A script's header is its leading "--" comment lines, in a fixed format:
 *   -- NAME.lua: one-line purpose
 *   -- --set KEY=VALUES  what the option does      (any number of these)
 * Prints NAME, the purpose and the --set lines. */
static void print_script_header(const char *name, const char *path) {
  fputs(name, stdout);
  FILE *f = fopen(path, "r");
  if (!f) printf(" (unreadable: %s)", strerror(errno));
  char line[1024];
  int first = 1;
  while (f && fgets(line, sizeof line, f)) {
    size_t n = strlen(line);
    int whole = n > 0 && line[n - 1] == '\n';
    while (n > 0 && strchr("\n\r \t", line[n - 1])) line[--n] = '\0';
    /* The rest of a line longer than the buffer. */
    for (int c; !whole && (c = fgetc(f)) != EOF && c != '\n';) {
    }
    if (first && line[0] == '#') continue; /* a "#!" line */
    if (strncmp(line, "--", 2) != 0) break;
    if (first) {
      first = 0;
      /* "-- NAME.lua: purpose" */
      const char *sp = strncmp(line, "-- ", 3) == 0 ? strchr(line + 3, ' ')
                                                    : NULL;
      if (sp && sp - line >= 8 && strncmp(sp - 5, ".lua:", 5) == 0)
        printf("%*s %s", (int)(strlen(name) < 11 ? 11 - strlen(name) : 0), "",
               sp + 1);
    } else if (strncmp(line, "-- --set ", 9) == 0) {
      printf("\n%-11s %s", "", line + 3);
    }
  }
  if (f) fclose(f);
  printf("\n");
}

static int cmp_names(const void *x, const void *y) {
  return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Every NAME.lua of the script directories, the first of each name (the
 * one `newsform NAME` runs), in name order. */
static int list_scripts(const char *argv0) {
  char **dirs = script_dirs(argv0);
  char **names = NULL;
  size_t n = 0;
  for (size_t i = 0; dirs[i]; i++) {
    DIR *dir = opendir(dirs[i]);
    struct dirent *e;
    while (dir && (e = readdir(dir))) {
      size_t len = strlen(e->d_name);
      if (e->d_name[0] == '.' || len <= 4 ||
          strcmp(e->d_name + len - 4, ".lua") != 0)
        continue;
      char *path = dir_file(dirs[i], e->d_name);
      if (!is_file(path)) {
        free(path);
        continue;
      }
      free(path);
      names = nf_xrealloc(names, (n + 1) * sizeof *names);
      names[n++] = nf_xstrndup(e->d_name, len - 4);
    }
    if (dir) closedir(dir);
  }
  if (n) qsort(names, n, sizeof *names, cmp_names);
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && strcmp(names[i], names[i - 1]) == 0) continue;
    char *path = find_script(names[i], argv0);
    if (path) print_script_header(names[i], path);
    free(path);
  }
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  free_dirs(dirs);
  return 0;
}

/* ===== Workers and the ordered writer ===================================== */

typedef struct run run;

typedef struct worker {
  run *run;
  int id; /* 1-based */
  pthread_t thread;
  int started;
  nf_cli_state *state; /* published under run->mu while alive */
  char *load_error;
  int loaded;          /* 1 ok, -1 failed */
  nf_cli_result begin, finish;
  int begin_done, finish_done;
  size_t current;      /* input being processed, SIZE_MAX when none */
} worker;

struct run {
  nf_cli_opts *o;
  nf_cli_source *src;
  const nf_cli_input_list *inputs; /* src->inputs */
  pthread_mutex_t mu;
  /* Held by the worker that claims the next record, while it waits for
   * room and for the source: never the writer's lock, so that results
   * are written while a stream source waits for its next record. */
  pthread_mutex_t claim_mu;
  pthread_cond_t changed; /* any progress: the writer waits on it */
  pthread_cond_t space;   /* the writer consumed a result */
  pthread_cond_t go;      /* start signal after the worker count is known */
  int going;
  int stop;               /* no more inputs to be claimed */
  int exhausted;          /* every record claimed */
  size_t next_claim, written, window; /* records: claimed, written */
  nf_cli_result *slots;   /* ring of window results, input i at i % window */
  worker *workers;
  int n_workers;
};

static void *worker_main(void *arg) {
  worker *w = arg;
  run *r = w->run;
  char err[2048];
  nf_cli_state *st = nf_cli_state_new(r->o, w->id, r->n_workers, err,
                                      sizeof err);
  pthread_mutex_lock(&r->mu);
  w->state = st;
  w->loaded = st ? 1 : -1;
  if (!st) w->load_error = nf_xstrdup(err);
  pthread_cond_broadcast(&r->changed);
  while (st && !r->going && !r->stop) pthread_cond_wait(&r->go, &r->mu);
  int stop = r->stop;
  pthread_mutex_unlock(&r->mu);
  if (!st) return NULL;

  if (!stop) {
    nf_cli_state_set_workers(st, r->n_workers);
    nf_cli_result b = {0};
    nf_cli_state_run_hook(st, "begin", &b);
    pthread_mutex_lock(&r->mu);
    w->begin = b;
    w->begin_done = 1;
    pthread_cond_broadcast(&r->changed);
    pthread_mutex_unlock(&r->mu);
  }
  for (;;) {
    pthread_mutex_lock(&r->claim_mu);
    pthread_mutex_lock(&r->mu);
    while (!r->stop && !r->exhausted &&
           r->next_claim >= r->written + r->window)
      pthread_cond_wait(&r->space, &r->mu);
    int go = !r->stop && !r->exhausted;
    pthread_mutex_unlock(&r->mu);
    nf_cli_job job;
    memset(&job, 0, sizeof job);
    nf_buf_init(&job.data);
    int got = go && r->src->next(r->src->ctx, &job);
    pthread_mutex_lock(&r->mu);
    if (!got || r->stop) {
      r->exhausted = 1;
      pthread_cond_broadcast(&r->changed);
      pthread_mutex_unlock(&r->mu);
      pthread_mutex_unlock(&r->claim_mu);
      nf_buf_free(&job.data);
      free(job.entry);
      free(job.label);
      free(job.error);
      break;
    }
    size_t i = r->next_claim++;
    w->current = job.item;
    pthread_mutex_unlock(&r->mu);
    pthread_mutex_unlock(&r->claim_mu);

    nf_cli_input *in = &job.in;
    nf_cli_result res = {0};
    res.index = i;
    res.item = job.item;
    res.offset = in->offset;
    res.bytes_in = job.bytes_in;
    if (job.label) {
      res.input = job.label;
    } else {
      res.input = nf_cli_input_label(in, job.entry);
      res.hint = nf_cli_input_hint(in, job.entry);
    }
    if (job.error) res.error = job.error;
    else nf_cli_state_process(st, in, job.entry,
                              job.has_data ? &job.data : NULL, &res);
    nf_buf_free(&job.data);
    free(job.entry);
    res.done = 1;
    pthread_mutex_lock(&r->mu);
    w->current = SIZE_MAX;
    r->slots[i % r->window] = res;
    pthread_cond_broadcast(&r->changed);
    pthread_mutex_unlock(&r->mu);
  }
  pthread_mutex_lock(&r->mu);
  stop = r->stop;
  pthread_mutex_unlock(&r->mu);
  nf_cli_result f = {0};
  if (!stop) nf_cli_state_run_hook(st, "finish", &f);
  pthread_mutex_lock(&r->mu);
  w->finish = f;
  w->finish_done = 1;
  w->state = NULL;
  pthread_cond_broadcast(&r->changed);
  pthread_mutex_unlock(&r->mu);
  nf_cli_state_free(st);
  return NULL;
}

static int start_worker(worker *w) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, WORKER_STACK);
  /* Signals go to the main thread, which owns the temporary files. */
  sigset_t old;
  nf_cli_block_signals(&old);
  int rc = pthread_create(&w->thread, &attr, worker_main, w);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  pthread_attr_destroy(&attr);
  w->started = rc == 0;
  return rc;
}

/* The writer's wait: wakes on progress, and every quarter second to check
 * that no article is stuck past its deadline in code that cannot be
 * interrupted (a C function that does not check the time limit). */
static nf_sink *watch_sink;

/* The clock of nf_monotonic (deadlines are in its seconds). */
static double monotonic_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void wait_changed(run *r) {
  if (r->o->timeout <= 0) {
    pthread_cond_wait(&r->changed, &r->mu);
    return;
  }
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  ts.tv_nsec += 250000000;
  if (ts.tv_nsec >= 1000000000) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000;
  }
  pthread_cond_timedwait(&r->changed, &r->mu, &ts);
  double grace = r->o->timeout > 2 ? r->o->timeout : 2;
  double now = monotonic_now();
  for (int k = 0; k < r->n_workers; k++) {
    worker *w = &r->workers[k];
    if (!w->state) continue;
    double deadline = nf_cli_state_deadline(w->state);
    if (deadline > 0 && now > deadline + grace) {
      const char *what =
          w->current == SIZE_MAX ? "begin or finish"
          : r->inputs ? nf_cli_input_path(&r->inputs->items[w->current])
                      : "<stdin>";
      fprintf(stderr,
              "newsform: %s: timeout of %g second%s exceeded (while "
              "processing %s); it cannot be interrupted, stopping\n",
              r->o->script_label, r->o->timeout,
              r->o->timeout == 1 ? "" : "s", what);
      if (watch_sink) watch_sink->abort(watch_sink);
      fflush(stdout);
      _exit(NF_EXIT_FAILURE);
    }
  }
}

static int write_result(nf_sink *sink, const nf_cli_result *res) {
  char err[1024];
  if (sink->write(sink, res, err, sizeof err) < 0) {
    fprintf(stderr, "newsform: %s\n", err);
    return -1;
  }
  return 0;
}

/* A begin/finish hook's result: written, or its error said. 1 when the
 * run must stop. */
static int write_hook_result(nf_sink *sink, nf_cli_result *res) {
  if (res->error) {
    fprintf(stderr, "newsform: %s\n", res->error);
    return 1;
  }
  return write_result(sink, res) < 0;
}

static void stop_all(run *r) {
  r->stop = 1;
  if (r->src->stop) r->src->stop(r->src->ctx);
  for (int k = 0; k < r->n_workers; k++)
    if (r->workers[k].state) nf_cli_state_cancel(r->workers[k].state);
  pthread_cond_broadcast(&r->space);
  pthread_cond_broadcast(&r->go);
}

static int cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* The batch run's source: the input list, in order. A bundle entry is
 * read when claimed (under the claim lock): entries are claimed in order,
 * so each bundle is read front to back, and only the entries in flight
 * are in memory. */
typedef struct batch_source {
  nf_cli_input_list *inputs;
  size_t next_item; /* the input item claims go on from */
} batch_source;

static int batch_next(void *ctx, nf_cli_job *job) {
  batch_source *b = ctx;
  if (!nf_cli_inputs_next(b->inputs, &b->next_item, &job->in, &job->item))
    return 0;
  nf_cli_input *in = &job->in;
  job->has_data = in->bundle != NULL;
  if (in->error) {
    job->error = nf_xstrdup(in->error);
  } else if (in->bundle) {
    char why[1024];
    if (nf_cli_input_load(in, &job->data, &job->entry, why, sizeof why) < 0)
      job->error = nf_xstrdup(why);
  }
  return 1;
}

/* Runs everything, records from src; returns the exit status. */
static int run_all(nf_cli_opts *o, nf_cli_source *src, nf_sink *sink,
                   nf_cli_stats *st) {
  const nf_cli_input_list *inputs = src->inputs;
  run r;
  memset(&r, 0, sizeof r);
  r.o = o;
  r.src = src;
  r.inputs = inputs;
  pthread_mutex_init(&r.mu, NULL);
  pthread_mutex_init(&r.claim_mu, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&r.changed, &ca);
  pthread_condattr_destroy(&ca);
  pthread_cond_init(&r.space, NULL);
  pthread_cond_init(&r.go, NULL);
  int max_workers = o->jobs_given ? o->jobs
                    : src->jobs ? src->jobs : cpu_count();
  if (inputs && !inputs->n_lazy && (size_t)max_workers > inputs->len)
    max_workers = inputs->len ? (int)inputs->len : 1; /* empty: 1 */
  r.workers = nf_xcalloc((size_t)max_workers, sizeof *r.workers);
  for (int k = 0; k < max_workers; k++) {
    r.workers[k].run = &r;
    r.workers[k].id = k + 1;
    r.workers[k].current = SIZE_MAX;
  }
  watch_sink = sink;
  int status = 0, fatal = 0;
  size_t failures = 0;

  /* Worker 1 loads the script first: a script that defines finish runs on
   * one worker unless -j says otherwise, so that finish sees everything. */
  pthread_mutex_lock(&r.mu);
  r.n_workers = 1;
  if (start_worker(&r.workers[0]) != 0) {
    pthread_mutex_unlock(&r.mu);
    fprintf(stderr, "newsform: cannot start a thread\n");
    exit(NF_EXIT_FAILURE);
  }
  while (!r.workers[0].loaded) wait_changed(&r);
  if (r.workers[0].loaded < 0) {
    fprintf(stderr, "newsform: %s\n", r.workers[0].load_error);
    fatal = 1;
    r.stop = 1;
  } else {
    int n = max_workers;
    if (!o->jobs_given && nf_cli_state_has_finish(r.workers[0].state)) n = 1;
    r.window = src->window ? src->window * (size_t)n
               : 4 * (size_t)n < 8 ? 8 : 4 * (size_t)n;
    r.slots = nf_xcalloc(r.window, sizeof *r.slots);
    r.n_workers = n;
    pthread_mutex_unlock(&r.mu);
    for (int k = 1; k < n; k++)
      if (start_worker(&r.workers[k]) != 0) {
        fprintf(stderr, "newsform: cannot start a thread\n");
        exit(NF_EXIT_FAILURE);
      }
    pthread_mutex_lock(&r.mu);
    r.going = 1;
    pthread_cond_broadcast(&r.go);
  }

  /* begin: every worker loaded and begun, outputs in worker order. */
  for (int k = 0; k < r.n_workers && !fatal; k++) {
    worker *w = &r.workers[k];
    while (w->loaded == 0 || (w->loaded > 0 && !w->begin_done))
      wait_changed(&r);
    if (w->loaded < 0) {
      fprintf(stderr, "newsform: %s\n", w->load_error);
      fatal = 1;
    }
  }
  for (int k = 0; k < r.n_workers && !fatal; k++) {
    fatal = write_hook_result(sink, &r.workers[k].begin);
  }
  if (fatal) stop_all(&r);

  /* Articles, in input order. */
  while (!fatal) {
    nf_cli_result *slot = &r.slots[r.written % r.window];
    while (!slot->done && !(r.exhausted && r.written == r.next_claim))
      wait_changed(&r);
    if (!slot->done) break; /* every record written */
    nf_cli_result res = *slot;
    memset(slot, 0, sizeof *slot);
    r.written++;
    pthread_cond_broadcast(&r.space);
    pthread_mutex_unlock(&r.mu);
    if (res.warning || res.error) nf_cli_stats_clear_line(st);
    if (res.warning && !o->quiet)
      fprintf(stderr, "newsform: %s\n", res.warning);
    if (res.error) {
      fprintf(stderr, "newsform: %s\n", res.error);
      failures++;
      sink->fail(sink, &res);
      if (!o->keep_going) status = NF_EXIT_FAILURE;
    } else if (write_result(sink, &res) < 0) {
      fatal = 1;
    }
    nf_cli_stats_record(st, inputs, &res);
    st->bytes_in += res.bytes_in;
    nf_cli_result_clear(&res);
    pthread_mutex_lock(&r.mu);
    if (fatal || status) {
      stop_all(&r);
      break;
    }
  }

  /* A source that failed after its last record (standard input cut). */
  if (!fatal && !status && src->done && src->done(src->ctx) < 0) {
    fatal = 1;
    stop_all(&r);
  }

  /* finish, in worker order. */
  if (!fatal && !status) {
    for (int k = 0; k < r.n_workers; k++) {
      worker *w = &r.workers[k];
      while (!w->finish_done) wait_changed(&r);
    }
    for (int k = 0; k < r.n_workers && !fatal; k++) {
      fatal = write_hook_result(sink, &r.workers[k].finish);
    }
  }
  pthread_mutex_unlock(&r.mu);

  for (int k = 0; k < max_workers; k++) {
    worker *w = &r.workers[k];
    if (w->started) pthread_join(w->thread, NULL);
    free(w->load_error);
    nf_cli_result_clear(&w->begin);
    nf_cli_result_clear(&w->finish);
  }
  for (size_t i = 0; r.slots && i < r.window; i++)
    nf_cli_result_clear(&r.slots[i]);
  free(r.slots);
  free(r.workers);
  pthread_mutex_destroy(&r.mu);
  pthread_mutex_destroy(&r.claim_mu);
  pthread_cond_destroy(&r.changed);
  pthread_cond_destroy(&r.space);
  pthread_cond_destroy(&r.go);
  watch_sink = NULL;

  /* A failed run leaves no partial file behind (standard output keeps what
   * was written); --keep-going commits what succeeded. */
  char err[1024];
  if (fatal || status) {
    sink->abort(sink);
  } else if (sink->finish(sink, err, sizeof err) < 0) {
    fprintf(stderr, "newsform: %s\n", err);
    fatal = 1;
  } else {
    st->published = 1;
  }
  nf_cli_stats_end(st);
  /* Binary files left out of a directory walk count as inputs here. */
  size_t skipped = inputs ? inputs->n_skipped : 0, total = r.written + skipped;
  const char *noun = inputs ? "input" : "record";
  char skip_note[64] = "";
  if (skipped)
    snprintf(skip_note, sizeof skip_note, ", %zu skipped (binary data)",
             skipped);
  if (o->keep_going && failures > 0 && !fatal) {
    fprintf(stderr, "newsform: %zu of %zu %s%s failed%s\n", failures,
            total, noun, total == 1 ? "" : "s", skip_note);
    status = NF_EXIT_FAILURE;
  } else if (skipped && !fatal && !status && !o->quiet) {
    fprintf(stderr, "newsform: %zu of %zu input%s skipped (binary data)\n",
            skipped, total, total == 1 ? "" : "s");
  }
  return fatal ? NF_EXIT_FAILURE : status;
}

/* The inputs of the command line and --inputs files; only the lines read
 * from files (from index given on) are owned. */
static void free_listed(const char **listed, size_t given, size_t n) {
  for (size_t i = given; listed && i < n; i++) free((char *)listed[i]);
  free(listed);
}

static void free_args(cli_args *a) {
  for (size_t i = 0; i < a->o.n_set; i++) free((char *)a->o.set_keys[i]);
  free(a->o.set_keys);
  free(a->o.set_values);
  free(a->pos);
  free(a->inputs_files);
}

int main(int argc, char **argv) {
#ifdef __GLIBC__
  /* Buffers of a MiB and more (a big page, a record) come from the system
   * and go back to it: glibc's threshold would rise after the first big
   * free, and the heap then fragments so that the peak creeps up with the
   * record count (15.4 MB flat against 17.0 -> 19.2 MB, 1,000 -> 10,000
   * records of a WARC; same CPU time). */
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
  cli_args a;
  memset(&a, 0, sizeof a);
  a.o.max_input = (size_t)DEFAULT_MAX_INPUT_MB << 20;
  parse_args(&a, argc, argv);
  nf_cli_opts *o = &a.o;
  if (a.list_scripts) {
    if (a.n_pos > 0 || o->code || a.list || a.extract)
      usage_error("--list-scripts takes no SCRIPT, -e, INPUT, --list or "
                  "--extract");
    int st = list_scripts(argv[0]);
    free_args(&a);
    return st;
  }
  if (a.list || a.extract) {
    if (a.list && a.extract) usage_error("--list and --extract together");
    if (a.n_pos > 0 || o->code)
      usage_error("--%s takes no SCRIPT, -e or INPUT", a.list ? "list"
                                                               : "extract");
    nf_cli_install_signals();
    int st = a.list ? nf_cli_list(a.list, o->max_entry_size)
                    : nf_cli_extract(a.extract, a.extract_dir,
                                     o->max_entry_size);
    free_args(&a);
    return st;
  }

  size_t first_input = 0;
  char *script_path = NULL;
  nf_buf script_src;
  nf_buf_init(&script_src);
  if (o->code) {
    o->script_label = "-e";
  } else {
    if (a.n_pos == 0) usage_error("no SCRIPT given (or -e CODE)");
    const char *arg = a.pos[0];
    first_input = 1;
    script_path = find_script(arg, argv[0]);
    if (!script_path)
      usage_error("script '%s' not found (neither a file nor a shipped "
                  "script; see NEWSFORM_PATH)", arg);
    char err[1024];
    if (nf_read_input(script_path, SCRIPT_MAX_BYTES, &script_src, err,
                      sizeof err) < 0) {
      fprintf(stderr, "newsform: %s\n", err);
      free(script_path);
      free_args(&a);
      return NF_EXIT_FAILURE;
    }
    o->script_path = script_path;
    o->script_label = script_path;
    o->script_src = script_src.ptr;
    o->script_src_len = script_src.len;
  }

  if (o->encoding) { /* an unknown name is a usage error, not N failures */
    char perr[256];
    nf_parse_opts po = {NF_INPUT_HTML, o->encoding, "", NULL};
    nf_doc *probe = nf_doc_parse("<p></p>", 7, &po, perr, sizeof perr);
    if (!probe) usage_error("%s", perr);
    nf_doc_free(probe);
  }

  xmlInitParser(); /* once, before any thread (or an EPUB input) uses it */
  /* The INPUT arguments, then the lines of the --inputs files. */
  const char **args = a.pos + first_input;
  size_t n_args = a.n_pos - first_input, n_given = n_args;
  const char **listed = NULL;
  if (a.n_inputs_files) {
    listed = nf_xmalloc((n_args ? n_args : 1) * sizeof *listed);
    memcpy(listed, args, n_args * sizeof *listed);
    for (size_t i = 0; i < a.n_inputs_files; i++) {
      char lerr[1024];
      int with_stdin = strcmp(a.inputs_files[i], "-") == 0;
      for (size_t j = 0; with_stdin && j < n_given; j++)
        if (strcmp(args[j], "-") == 0)
          usage_error("--inputs - and the input '-' both read standard "
                      "input");
      if (nf_cli_read_inputs_file(a.inputs_files[i], &listed, &n_args, lerr,
                                  sizeof lerr) < 0) {
        fprintf(stderr, "newsform: %s\n", lerr);
        exit(NF_EXIT_FAILURE);
      }
    }
    args = listed;
  }
  if (o->stream) {
    if (n_args || a.n_inputs_files || (o->output && strcmp(o->output, "-")) ||
        o->shard_count || o->resume)
      usage_error("--stream reads records from standard input and writes "
                  "standard output (no INPUT, --inputs, -o, --shard or "
                  "--resume)");
    nf_cli_stats stats;
    nf_cli_input_list none = {0};
    nf_cli_stats_init(&stats, o, &none);
    stats.units = 1;
    stats.total_records = SIZE_MAX;
    nf_cli_source *src = nf_cli_stream_open(o);
    int st = run_all(o, src, nf_cli_stream_sink(), &stats);
    nf_cli_stream_close(src, &stats);
    if (o->stats_path && nf_cli_stats_write(&stats, o->stats_path) < 0)
      st = NF_EXIT_FAILURE;
    nf_cli_stats_free(&stats);
    free_listed(listed, n_given, n_args);
    free_args(&a);
    free(script_path);
    nf_buf_free(&script_src);
    return st;
  }
  /* {shard} in -o: this shard's name (0 of 1 without --shard). */
  char *output = NULL;
  if (o->output && strstr(o->output, "{shard}"))
    o->output = output = nf_cli_shard_output(o->output, o->shard_index,
                                             o->shard_count);
  int to_file = o->output && strcmp(o->output, "-") != 0;
  if (o->resume && !to_file)
    usage_error("--resume needs -o OUT (the output whose manifest it reads)");
  int use_stdin = n_args == 0 && !a.n_inputs_files;
  if (use_stdin && isatty(0))
    usage_error("no INPUT given (files, directories, bundles, or '-' for "
                "standard input)");
  char shard_label[64];
  snprintf(shard_label, sizeof shard_label, "%lu/%lu", o->shard_index,
           o->shard_count);

  size_t lo = 0, hi = 1;
  if (o->shard_count) /* standard input is one unit: one shard reads it */
    nf_cli_shard_range(o->shard_index, o->shard_count, 1, &lo, &hi);

  /* A shard's output has a manifest: what it was made from. --resume skips
   * the run when the manifest there says the output is this one. */
  char *key = NULL;
  if (to_file && (o->shard_count || o->resume)) {
    nf_cli_input_list units = {0};
    units.units_only = 1;
    if (use_stdin && lo < hi) nf_cli_inputs_add_stdin(&units);
    else if (!use_stdin) nf_cli_inputs_collect(args, n_args, o, &units);
    int resumable;
    key = nf_cli_manifest_key(o, &units, &resumable);
    nf_cli_inputs_free(&units);
    size_t failed = 0;
    if (o->resume && resumable &&
        nf_cli_manifest_matches(o->output, key, &failed)) {
      if (!o->quiet || failed)
        fprintf(stderr, "newsform: %s: complete, skipped (--resume: its "
                "manifest matches)%s\n", o->output,
                failed ? "; its manifest lists failed inputs" : "");
      free(key);
      free(output);
      free_listed(listed, n_given, n_args);
      free_args(&a);
      free(script_path);
      nf_buf_free(&script_src);
      return failed ? NF_EXIT_FAILURE : 0;
    }
    /* Redone: a manifest left there no longer describes the output, and
     * a killed run's temporary files go. */
    char *mpath = nf_cli_manifest_path(o->output);
    unlink(mpath);
    if (o->resume) {
      nf_cli_remove_stale_temps(o->output);
      nf_cli_remove_stale_temps(mpath);
    }
    free(mpath);
  }
  nf_cli_input_list inputs = {0};
  if (use_stdin && lo < hi) nf_cli_inputs_add_stdin(&inputs);
  else if (!use_stdin) nf_cli_inputs_collect(args, n_args, o, &inputs);

  /* Handlers first: a signal that comes once the temporary output file
   * exists must remove it (a shell's background job would otherwise
   * inherit SIGINT ignored until the handlers are in place). */
  nf_cli_install_signals();
  char err[1024];
  int usage = 0;
  /* Signals wait while the temporary file is made and registered: one
   * that came in between would leave the file behind. */
  sigset_t old_mask;
  nf_cli_block_signals(&old_mask);
  nf_sink *sink = nf_sink_open(o->output, o, err, sizeof err, &usage);
  pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
  if (!sink) {
    if (usage) usage_error("%s", err);
    fprintf(stderr, "newsform: %s\n", err);
    exit(NF_EXIT_FAILURE);
  }
  o->want_meta = o->output && strcmp(o->output, "-") != 0;
  o->epub = o->want_meta && nf_bundle_format_of(o->output) == NF_BUNDLE_EPUB;

  nf_cli_stats stats;
  nf_cli_stats_init(&stats, o, &inputs);
  if (o->shard_count) stats.shard_label = shard_label;
  batch_source batch = {&inputs, 0};
  nf_cli_source src = {batch_next, NULL, NULL, &batch, &inputs, 0, 0};
  int status = run_all(o, &src, sink, &stats);
  nf_cli_inputs_add_skips(&inputs, &stats); /* counted while reading */
  struct stat sb;
  if (stats.published && to_file && stat(o->output, &sb) == 0 &&
      S_ISREG(sb.st_mode))
    stats.output_bytes = (unsigned long long)sb.st_size;
  if (stats.published && key &&
      nf_cli_manifest_write(o->output, key, &stats, err, sizeof err) < 0) {
    fprintf(stderr, "newsform: %s\n", err);
    status = NF_EXIT_FAILURE;
  }
  if (o->stats_path && nf_cli_stats_write(&stats, o->stats_path) < 0)
    status = NF_EXIT_FAILURE;
  nf_cli_stats_free(&stats);
  free(key);
  free(output);
  free_listed(listed, n_given, n_args);

  nf_cli_inputs_free(&inputs);
  free_args(&a);
  free(script_path);
  nf_buf_free(&script_src);
  return status;
}
