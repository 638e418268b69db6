/* text.h: the inner helpers of text.c that other library files use (its
 * public half is in newsform.h). */
#ifndef NF_TEXT_H
#define NF_TEXT_H

#include "newsform.h"

/* Drops brackets that hold nothing but spaces, commas or semicolons ("()",
 * "(, )", "[ ]"): what is left where removed links stood. Only brackets
 * after a space or at a line start ("f()" is code); the space before them
 * goes too. In place, from b->ptr[from] on. */
void nf_text_drop_empty_brackets(nf_buf *b, size_t from);

#endif
