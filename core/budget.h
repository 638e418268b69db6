/* budget.h: the work and time budget of the calling thread (budget.c).
 * The public entry points with a budget (nf_article_extract_budget,
 * nf_render_budget, nf_xpath_budget) make it the thread's active budget
 * for the call; loops that can be long charge it one operation per step
 * through nf_budget_tick, which costs a thread-local read and an increment
 * (the clock is read every 1024 operations). */
#ifndef NF_BUDGET_H
#define NF_BUDGET_H

#include "newsform.h"

extern _Thread_local nf_budget *nf_budget_active_;

/* Counts n operations; reads the clock when due. 1 when exhausted. */
int nf_budget_check(nf_budget *b);
static inline int nf_budget_spend(nf_budget *b, unsigned long long n) {
  if (!b) return 0;
  b->ops += n;
  return b->exhausted || b->ops >= b->next_check ? nf_budget_check(b) : 0;
}
/* One operation on the active budget (none: 0, never exhausted). */
static inline int nf_budget_tick(void) {
  return nf_budget_spend(nf_budget_active_, 1);
}
static inline nf_budget *nf_budget_current(void) { return nf_budget_active_; }

/* Makes b the active budget; returns the one it replaces, for
 * nf_budget_leave. NULL b: no budget inside. */
nf_budget *nf_budget_enter(nf_budget *b);
void nf_budget_leave(nf_budget *prev);
/* "budget exhausted (...)" into err, naming what ran out. */
void nf_budget_error(const nf_budget *b, const char *what, char *err,
                     size_t errlen);
/* Seconds left before the deadline (a large number when there is none). */
double nf_budget_seconds_left(const nf_budget *b);

#endif
