/* budget.c: work and time budgets (see budget.h and newsform.h). */
#include <stdio.h>
#include <time.h>

#include "budget.h"

#define CHECK_EVERY 1024

_Thread_local nf_budget *nf_budget_active_;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void nf_budget_init(nf_budget *b, unsigned long long max_ops,
                    double max_seconds) {
  b->max_ops = max_ops;
  b->max_seconds = max_seconds > 0 ? max_seconds : 0;
  b->ops = 0;
  b->exhausted = 0;
  b->deadline = b->max_seconds > 0 ? now() + b->max_seconds : 0;
  b->next_check = max_ops && max_ops < CHECK_EVERY ? max_ops + 1 : CHECK_EVERY;
}

int nf_budget_exhausted(const nf_budget *b) { return b && b->exhausted; }

int nf_budget_check(nf_budget *b) {
  if (b->exhausted) return 1;
  if (b->max_ops && b->ops > b->max_ops) b->exhausted = NF_BUDGET_OPS;
  else if (b->deadline > 0 && now() > b->deadline) b->exhausted = NF_BUDGET_TIME;
  if (b->exhausted) return 1;
  unsigned long long next = b->ops + CHECK_EVERY;
  if (b->max_ops && next > b->max_ops + 1) next = b->max_ops + 1;
  b->next_check = next;
  return 0;
}

double nf_budget_seconds_left(const nf_budget *b) {
  if (!b || b->deadline <= 0) return 1e9;
  double left = b->deadline - now();
  return left > 0 ? left : 0;
}

nf_budget *nf_budget_enter(nf_budget *b) {
  nf_budget *prev = nf_budget_active_;
  nf_budget_active_ = b;
  return prev;
}

void nf_budget_leave(nf_budget *prev) { nf_budget_active_ = prev; }

void nf_budget_error(const nf_budget *b, const char *what, char *err,
                     size_t errlen) {
  if (!err || !errlen) return;
  if (b->exhausted == NF_BUDGET_TIME)
    snprintf(err, errlen, "%s: budget exhausted (%g s)", what, b->max_seconds);
  else
    snprintf(err, errlen, "%s: budget exhausted (%llu operations)", what,
             b->max_ops);
}

int nf_render_budget(nf_render_fn render, const nf_node *n,
                     const nf_render_opts *o, nf_budget *b, nf_buf *out,
                     char *err, size_t errlen) {
  size_t before = out->len;
  nf_budget *prev = nf_budget_enter(b);
  if (!nf_budget_tick()) render(n, o, out);
  nf_budget_leave(prev);
  if (nf_budget_exhausted(b)) {
    nf_buf_truncate(out, before);   /* no partial result */
    nf_budget_error(b, "rendering", err, errlen);
    return -1;
  }
  return 0;
}
