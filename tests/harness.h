/* harness.h: a tiny TAP-style test harness for the C tests.
 * Each check prints "ok N - name" or "not ok N - name"; tests/run.sh
 * counts them. main() ends with `return nf_test_done();`. */
#ifndef NF_TEST_HARNESS_H
#define NF_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

static int nf_test_count, nf_test_failed;

static inline int nf_test_report(int ok, const char *name, const char *file,
                                 int line) {
  nf_test_count++;
  if (!ok) nf_test_failed++;
  printf("%sok %d - %s\n", ok ? "" : "not ", nf_test_count, name);
  if (!ok) printf("#   at %s:%d\n", file, line);
  fflush(stdout);
  return ok;
}

#define OK(cond, name) nf_test_report(!!(cond), (name), __FILE__, __LINE__)
#define INT_EQ(got, want, name)                                            \
  do {                                                                     \
    long long g_ = (long long)(got), w_ = (long long)(want);               \
    if (!nf_test_report(g_ == w_, (name), __FILE__, __LINE__))             \
      printf("#   got %lld, want %lld\n", g_, w_);                         \
  } while (0)
#define STR_EQ(got, want, name)                                            \
  do {                                                                     \
    const char *g_ = (got), *w_ = (want);                                  \
    int ok_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;                 \
    if (!nf_test_report(ok_, (name), __FILE__, __LINE__))                  \
      printf("#   got  \"%s\"\n#   want \"%s\"\n", g_ ? g_ : "(null)",     \
             w_ ? w_ : "(null)");                                          \
  } while (0)
#define STR_CONTAINS(got, needle, name)                                    \
  do {                                                                     \
    const char *g_ = (got), *n_ = (needle);                                \
    if (!nf_test_report(g_ && strstr(g_, n_) != NULL, (name), __FILE__,    \
                        __LINE__))                                         \
      printf("#   \"%s\"\n#   does not contain \"%s\"\n",                   \
             g_ ? g_ : "(null)", n_);                                      \
  } while (0)

static inline int nf_test_done(void) {
  printf("# %d checks, %d failed\n", nf_test_count, nf_test_failed);
  return nf_test_failed ? 1 : 0;
}

#endif
