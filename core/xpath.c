/*
 * xpath.c: XPath 1.0 through libxml2, results converted to nf_xpath_result.
 *
 * libxml2 reports XPath errors through the context's structured handler
 * (and a few through the thread's global handlers); all of them are caught
 * here for the message and never printed. Hostile expressions are bounded
 * by libxml2's own recursion limits, an operation budget, a time limit and
 * a cap on the node-set size copied out.
 *
 * Why a time limit: libxml2 (2.9) merges the node sets of a step with a
 * duplicate check that is linear per node, uncounted by its operation
 * limit, so ancestor:: over a tree thousands deep or following-sibling::
 * over thousands of siblings is cubic (seconds to hours) within a small
 * operation count. A watchdog thread (one per process, started on first
 * use) lowers the context's opLimit when an evaluation passes its deadline;
 * libxml2 checks that limit at every node it visits, so the evaluation
 * stops within one merge with XPATH_OP_LIMIT_EXCEEDED.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <time.h>

#include "budget.h"
#include "doc.h"
#include "utf8.h"

#define NF_XPATH_MAX_NODES 1000000
/* libxml2 counts node visits and similar steps; about a second of work. */
#define NF_XPATH_OP_LIMIT 50000000UL
/* Wall-clock limit of one evaluation (a budget may give less). */
#define NF_XPATH_SECONDS 1.0

/* ===== The watchdog ===================================================== */

typedef struct xp_watch {
  xmlXPathContextPtr xc;
  double deadline;      /* CLOCK_MONOTONIC seconds */
  int fired;            /* the deadline passed: opLimit was lowered */
  struct xp_watch *next;
} xp_watch;

static pthread_once_t wd_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t wd_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wd_cv;
static xp_watch *wd_list;       /* armed evaluations */
static double wd_wake = 1e300;  /* when the watchdog wakes next */
static int wd_running;

static double mono_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *wd_main(void *arg) {
  (void)arg;
  pthread_mutex_lock(&wd_mu);
  for (;;) {
    double now = mono_now(), next = 1e300;
    for (xp_watch *w = wd_list; w; w = w->next) {
      if (w->fired) continue;
      if (w->deadline <= now) {
        /* A word write libxml2 reads at its next node: it then stops. */
        w->xc->opLimit = 1;
        w->fired = 1;
      } else if (w->deadline < next) {
        next = w->deadline;
      }
    }
    wd_wake = next;
    if (next >= 1e300) {
      pthread_cond_wait(&wd_cv, &wd_mu);
    } else {
      struct timespec ts;
      ts.tv_sec = (time_t)next;
      ts.tv_nsec = (long)((next - (double)ts.tv_sec) * 1e9);
      pthread_cond_timedwait(&wd_cv, &wd_mu, &ts);
    }
  }
  return NULL;
}

/* A fork while the watchdog holds the mutex would leave it locked in the
 * child; the child has no watchdog thread: only the operation limit. */
static void wd_prefork(void) { pthread_mutex_lock(&wd_mu); }
static void wd_parent(void) { pthread_mutex_unlock(&wd_mu); }
static void wd_child(void) {
  wd_running = 0;
  wd_list = NULL;
  pthread_mutex_unlock(&wd_mu);
}

static void wd_start(void) {
  pthread_atfork(wd_prefork, wd_parent, wd_child);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&wd_cv, &ca);
  pthread_condattr_destroy(&ca);
  pthread_attr_t ta;
  pthread_attr_init(&ta);
  pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&ta, 64 * 1024);
  pthread_t t;
  wd_running = pthread_create(&t, &ta, wd_main, NULL) == 0;
  pthread_attr_destroy(&ta);
}

/* Arms w; without a watchdog (thread creation failed) only the operation
 * limit applies. */
static void wd_arm(xp_watch *w) {
  pthread_once(&wd_once, wd_start);
  if (!wd_running) return;
  pthread_mutex_lock(&wd_mu);
  w->next = wd_list;
  wd_list = w;
  if (w->deadline < wd_wake) pthread_cond_signal(&wd_cv);
  pthread_mutex_unlock(&wd_mu);
}

/* Disarms w; returns whether it fired. */
static int wd_disarm(xp_watch *w) {
  if (!wd_running) return 0;
  pthread_mutex_lock(&wd_mu);
  for (xp_watch **p = &wd_list; *p; p = &(*p)->next) {
    if (*p == w) {
      *p = w->next;
      break;
    }
  }
  int fired = w->fired;
  pthread_mutex_unlock(&wd_mu);
  return fired;
}

/* ===== Errors =========================================================== */

/* What went wrong, from libxml2's error code (its context handler gets
 * the code and offset but no message in 2.9) and from the text of any
 * generic message, which names e.g. the unknown function. */
typedef struct xpath_errors {
  int code;          /* first xmlParserErrors code, 0 when none */
  int offset;        /* in the expression, -1 when unknown */
  char detail[120];  /* first generic message, trimmed */
} xpath_errors;

static const char *const xpath_messages[] = {
    "no error", "bad number", "unfinished literal", "expected a literal",
    "expected '$' for a variable", "undefined variable", "invalid predicate",
    "invalid expression", "missing closing brace", "unknown function",
    "invalid operand", "invalid type", "wrong number of arguments",
    "invalid context size", "invalid context position", "out of memory",
    "syntax error", "resource error", "sub-resource error",
    "undefined namespace prefix", "encoding error",
    "character out of range", "invalid context", "stack error",
    "forbidden variable", "too much work (operation limit)",
    "nested too deeply (recursion limit)"};

static void on_structured_error(void *data, xmlErrorPtr error) {
  xpath_errors *e = data;
  if (e->code || !error) return;
  e->code = error->code ? error->code : -1;
  e->offset = error->str1 ? error->int1 : -1;
}

static void on_generic_error(void *data, const char *fmt, ...) {
  xpath_errors *e = data;
  if (e->detail[0]) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->detail, sizeof e->detail, fmt, ap);
  va_end(ap);
  /* "xmlXPathCompOpEval: function f not found\n" → "function f not found" */
  char *colon = strstr(e->detail, ": ");
  if (colon && strncmp(e->detail, "xmlXPath", 8) == 0)
    memmove(e->detail, colon + 2, strlen(colon + 2) + 1);
  size_t n = strlen(e->detail);
  while (n && (e->detail[n - 1] == '\n' || e->detail[n - 1] == ' '))
    e->detail[--n] = '\0';
}

static void fill_error(char *err, size_t errlen, const char *expr,
                       const xpath_errors *e, const char *fallback) {
  if (!err || !errlen) return;
  int idx = e->code - XML_XPATH_EXPRESSION_OK;
  const char *what =
      idx > 0 && idx < (int)(sizeof xpath_messages / sizeof *xpath_messages)
          ? xpath_messages[idx]
          : e->detail[0] ? e->detail : fallback;
  char where[40] = "";
  if (e->offset >= 0)
    snprintf(where, sizeof where, " at offset %d", e->offset);
  int with_detail = e->detail[0] && what != e->detail;
  snprintf(err, errlen, "invalid XPath expression '%.200s%s': %s%s%s%s%s",
           expr, strlen(expr) > 200 ? "..." : "", what, where,
           with_detail ? " (" : "", with_detail ? e->detail : "",
           with_detail ? ")" : "");
}

/* Copies a node-set: elements, text, comments and attributes; the
 * document node stands for its root element. */
static int copy_nodes(xmlNodeSetPtr set, nf_nodelist *out) {
  if (!set) return 0;
  if (set->nodeNr > NF_XPATH_MAX_NODES) return -1;
  for (int i = 0; i < set->nodeNr; i++) {
    xmlNodePtr n = set->nodeTab[i];
    if (!n) continue;
    switch (n->type) {
    case XML_ELEMENT_NODE:
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
    case XML_COMMENT_NODE:
    case XML_ATTRIBUTE_NODE:
      nf_nodelist_push(out, n);
      break;
    case XML_DOCUMENT_NODE:
    case XML_HTML_DOCUMENT_NODE: {
      xmlNodePtr root = xmlDocGetRootElement((xmlDocPtr)n);
      /* Sets are in document order: skip it if the root follows anyway. */
      if (root && !(i + 1 < set->nodeNr && set->nodeTab[i + 1] == root))
        nf_nodelist_push(out, root);
      break;
    }
    default: /* namespace nodes (freed with the set), DTDs, PIs */
      break;
    }
  }
  return 0;
}

int nf_xpath(nf_doc *doc, nf_node *ctx, const char *expr, nf_xpath_result *res,
             char *err, size_t errlen) {
  memset(res, 0, sizeof *res);
  if (!expr) expr = "";
  if (!doc || !doc->xml) {
    if (err && errlen) snprintf(err, errlen, "XPath: no document");
    return -1;
  }

  /* Catch everything libxml2 would print, restore the handlers after. */
  xpath_errors errors;
  memset(&errors, 0, sizeof errors);
  errors.offset = -1;
  xmlStructuredErrorFunc old_structured = xmlStructuredError;
  void *old_structured_ctx = xmlStructuredErrorContext;
  xmlGenericErrorFunc old_generic = xmlGenericError;
  void *old_generic_ctx = xmlGenericErrorContext;
  xmlSetStructuredErrorFunc(&errors, on_structured_error);
  xmlSetGenericErrorFunc(&errors, on_generic_error);

  int rc = -1;
  xmlXPathCompExprPtr comp = NULL;
  xmlXPathObjectPtr obj = NULL;
  xmlXPathContextPtr xc = xmlXPathNewContext(doc->xml);
  if (!xc) {
    fill_error(err, errlen, expr, &errors, "out of memory");
    goto done;
  }
  xc->error = on_structured_error;
  xc->userData = &errors;
  xc->opLimit = NF_XPATH_OP_LIMIT;
  xc->node = ctx ? (xmlNodePtr)ctx : (xmlNodePtr)doc->xml;
  /* The active budget (nf_xpath_budget) may allow less of either. */
  nf_budget *budget = nf_budget_current();
  double seconds = NF_XPATH_SECONDS;
  if (budget) {
    if (nf_budget_tick()) {
      nf_budget_error(budget, "XPath", err, errlen);
      goto done;
    }
    if (budget->max_ops && budget->max_ops - budget->ops < xc->opLimit)
      xc->opLimit = (unsigned long)(budget->max_ops - budget->ops) + 1;
    double left = nf_budget_seconds_left(budget);
    if (left < seconds) seconds = left;
  }

  /* libxml2 takes the expression as UTF-8: invalid bytes (no text of the
   * document can match them) become U+FFFD, so a literal that comes back
   * as the result is UTF-8 too. */
  nf_buf fixed = NF_BUF_INIT;
  size_t elen = strlen(expr);
  if (!nf_utf8_valid(expr, elen)) nf_utf8_repair(expr, elen, &fixed);
  comp = xmlXPathCtxtCompile(xc, BAD_CAST(fixed.len ? fixed.ptr : expr));
  nf_buf_free(&fixed);
  if (!comp) {
    fill_error(err, errlen, expr, &errors, "syntax error");
    goto done;
  }
  xp_watch watch = {xc, mono_now() + seconds, 0, NULL};
  wd_arm(&watch);
  obj = xmlXPathCompiledEval(comp, xc);
  int late = wd_disarm(&watch);
  if (budget) {
    nf_budget_spend(budget, xc->opCount);
    if (late && !budget->exhausted && nf_budget_seconds_left(budget) <= 0)
      budget->exhausted = NF_BUDGET_TIME;
  }
  if (budget && budget->exhausted) {
    nf_budget_error(budget, "XPath", err, errlen);
    goto done;
  }
  if (late) {
    errors.code = 0;   /* the op-limit error was the watchdog's doing */
    errors.offset = -1;
    snprintf(errors.detail, sizeof errors.detail,
             "too much work (time limit of %g s)", NF_XPATH_SECONDS);
    fill_error(err, errlen, expr, &errors, errors.detail);
    goto done;
  }
  if (!obj) {
    fill_error(err, errlen, expr, &errors, "evaluation failed");
    goto done;
  }

  switch (obj->type) {
  case XPATH_NODESET:
    res->kind = NF_XPATH_NODES;
    if (copy_nodes(obj->nodesetval, &res->nodes) < 0) {
      if (err && errlen)
        snprintf(err, errlen,
                 "XPath expression '%.200s' selects more than %d nodes", expr,
                 NF_XPATH_MAX_NODES);
      goto done;
    }
    break;
  case XPATH_BOOLEAN:
    res->kind = NF_XPATH_BOOLEAN;
    res->boolean = obj->boolval != 0;
    break;
  case XPATH_NUMBER:
    res->kind = NF_XPATH_NUMBER;
    res->number = obj->floatval;
    break;
  case XPATH_STRING:
    res->kind = NF_XPATH_STRING;
    res->string = nf_xstrdup(obj->stringval ? (const char *)obj->stringval : "");
    break;
  default: { /* result trees and the like: their string value */
    xmlChar *s = xmlXPathCastToString(obj);
    res->kind = NF_XPATH_STRING;
    res->string = nf_xstrdup(s ? (const char *)s : "");
    xmlFree(s);
    break;
  }
  }
  rc = 0;

done:
  if (rc != 0) nf_xpath_result_free(res);
  xmlXPathFreeObject(obj);
  xmlXPathFreeCompExpr(comp);
  xmlXPathFreeContext(xc);
  xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
  xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
  return rc;
}

int nf_xpath_budget(nf_doc *doc, nf_node *ctx, const char *expr,
                    nf_xpath_result *res, nf_budget *b, char *err,
                    size_t errlen) {
  nf_budget *prev = nf_budget_enter(b);
  int rc = nf_xpath(doc, ctx, expr, res, err, errlen);
  nf_budget_leave(prev);
  return rc;
}

void nf_xpath_result_free(nf_xpath_result *res) {
  if (!res) return;
  nf_nodelist_free(&res->nodes);
  free(res->string);
  memset(res, 0, sizeof *res);
}
