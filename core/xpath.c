/*
 * xpath.c: XPath 1.0 through libxml2, results converted to nf_xpath_result.
 *
 * libxml2 reports XPath errors through the context's structured handler
 * (and a few through the thread's global handlers); all of them are caught
 * here for the message and never printed. Hostile expressions are bounded
 * by libxml2's own recursion limits, an operation budget, and a cap on the
 * node-set size copied out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "doc.h"

#define NF_XPATH_MAX_NODES 1000000
/* libxml2 counts node visits and similar steps; about a second of work. */
#define NF_XPATH_OP_LIMIT 50000000UL

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

  comp = xmlXPathCtxtCompile(xc, BAD_CAST expr);
  if (!comp) {
    fill_error(err, errlen, expr, &errors, "syntax error");
    goto done;
  }
  obj = xmlXPathCompiledEval(comp, xc);
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

void nf_xpath_result_free(nf_xpath_result *res) {
  if (!res) return;
  nf_nodelist_free(&res->nodes);
  free(res->string);
  memset(res, 0, sizeof *res);
}
