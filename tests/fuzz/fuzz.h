/* fuzz.h: what the harnesses of tests/fuzz/ share. Each harness defines
 * LLVMFuzzerTestOneInput; clang's libFuzzer drives it under `make fuzz`,
 * replay_main.c drives it over the corpus and regression inputs in every
 * test run. The checks abort() when an invariant breaks, so that both
 * drivers report the input (libFuzzer saves it as a finding). */
#ifndef NF_FUZZ_H
#define NF_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "newsform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints "newsform fuzz: WHAT" (and up to 200 bytes of the offending
 * text when given) to stderr and aborts. */
_Noreturn void nf_fuzz_fail(const char *what, const char *text, size_t len);

/* The checks: each aborts through nf_fuzz_fail when it fails. */
void nf_fuzz_check_utf8(const char *what, const nf_buf *b);
/* XHTML: a fragment (wrapped in one root element first) or a document,
 * accepted by libxml2's XML parser. */
void nf_fuzz_check_xml(const char *what, const nf_buf *b, int fragment);
/* JSON text that nf_json_parse accepts; returns the value (caller frees). */
nf_json *nf_fuzz_check_json(const char *what, const nf_buf *b);
/* Markdown that cmark parses and renders (when linked with libcmark). */
void nf_fuzz_check_markdown(const nf_buf *b);
/* Parent, child and sibling links of the tree below root (attributes
 * included) agree with each other, nodes belong to doc, no cycle. */
void nf_fuzz_check_tree(nf_doc *doc, nf_node *root);

/* A budget for nf_select_checked: stops after n callbacks (each one is
 * 4096 compound tests) so hostile selectors stay bounded. */
typedef struct nf_fuzz_budget {
  long left;
} nf_fuzz_budget;
int nf_fuzz_budget_stop(void *ud);

#endif
