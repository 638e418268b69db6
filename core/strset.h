/* strset.h: a set of strings (open addressing, FNV-1a), for names and ids
 * already used. Zero-initialise ({0}) before use. */
#ifndef NF_STRSET_H
#define NF_STRSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct nf_strset {
  char **slots;   /* NULL = empty */
  size_t cap, len;
} nf_strset;

/* FNV-1a of s[0..len): the hash the set uses, for tables of their own. */
uint64_t nf_hash_bytes(const char *s, size_t len);
int nf_strset_has(const nf_strset *set, const char *key);
/* Adds a copy of key; returns 1 when it was new, 0 when already there. */
int nf_strset_add(nf_strset *set, const char *key);
/* Frees every key; the set is empty (and usable) again. */
void nf_strset_free(nf_strset *set);

#endif
