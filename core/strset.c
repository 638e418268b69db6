/* strset.c: a set of strings (see strset.h). */
#include "strset.h"

#include <stdlib.h>
#include <string.h>

#include "newsform.h"

uint64_t nf_hash_bytes(const char *s, size_t len) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return h;
}

static size_t slot_of(const nf_strset *set, const char *key) {
  return nf_hash_bytes(key, strlen(key)) & (set->cap - 1);
}

int nf_strset_has(const nf_strset *set, const char *key) {
  if (!set->cap) return 0;
  for (size_t i = slot_of(set, key);; i = (i + 1) & (set->cap - 1)) {
    if (!set->slots[i]) return 0;
    if (strcmp(set->slots[i], key) == 0) return 1;
  }
}

int nf_strset_add(nf_strset *set, const char *key) {
  if (nf_strset_has(set, key)) return 0;
  if ((set->len + 1) * 2 > set->cap) { /* keep it at most half full */
    nf_strset grown = {nf_xcalloc(set->cap ? set->cap * 2 : 64, sizeof(char *)),
                       set->cap ? set->cap * 2 : 64, set->len};
    for (size_t i = 0; i < set->cap; i++) {
      if (!set->slots[i]) continue;
      size_t j = slot_of(&grown, set->slots[i]);
      while (grown.slots[j]) j = (j + 1) & (grown.cap - 1);
      grown.slots[j] = set->slots[i];
    }
    free(set->slots);
    *set = grown;
  }
  size_t j = slot_of(set, key);
  while (set->slots[j]) j = (j + 1) & (set->cap - 1);
  set->slots[j] = nf_xstrdup(key);
  set->len++;
  return 1;
}

void nf_strset_free(nf_strset *set) {
  for (size_t i = 0; i < set->cap; i++) free(set->slots[i]);
  free(set->slots);
  memset(set, 0, sizeof *set);
}
