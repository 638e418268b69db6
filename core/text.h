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
/* The same on s[0..len) (from on); returns the new length. pos, when not
 * NULL, holds len numbers moved along with the bytes: after the call,
 * pos[i] is what pos held for the byte now at s[i] (the extractor maps the
 * bytes kept back to its text nodes). */
size_t nf_text_drop_empty_brackets_at(char *s, size_t len, size_t from,
                                      size_t *pos);

/* A byline in another language than English: "Por Ana Gil" (es, pt),
 * "Von Max Roth" (de), "Par Jean Roy" (fr), "Di Mario Rossi" / "Da ..." /
 * "De ..." (it, es, pt): the opener word, then only capitalised names
 * (lower-case particles "de", "da", "von", "y", "und"... between them), a
 * short line with no digit and no end punctuation. The two-letter openers
 * (surnames begin with them: "Di Maio", "De Luca") need two names. Returns
 * the length of the opener and the spaces after it, 0 when s[0..len) is no
 * such line ("Por qué ...", "Von der Leyen said ..."). English "By" is read
 * by each caller's own rules. */
size_t nf_text_byline_opener(const char *s, size_t len);

#endif
