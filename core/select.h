/* select.h: what select.c shows the library's tests (not the public API). */
#ifndef NF_SELECT_H
#define NF_SELECT_H

/* Test hook: compound tests plus sibling steps (scans, and entries of the
 * tables of sibling positions) of every match by the calling thread so
 * far. Deterministic, unlike time: tests compare it at N and 4N siblings
 * to catch a quadratic path. */
unsigned long nf_select_steps(void);

#endif
