/* vacancy_spelling.h - "Did you mean ...?" for a keyword search that found nothing.
 *
 * The words people search jobs by are the jobs' own: the titles of the newest live vacancies
 * (VACANCY_SPELLING_TITLES of them), the subjects, roles, phases, key stages, contracts and
 * working patterns, the schools' names and towns, and the synonyms the search understands. A
 * search word of four letters or more that is none of these is replaced by the nearest that is
 * (at most one edit - a letter added, removed, changed or two swapped - for words of four or five
 * letters, two from six), the most used one when several are as near. Words with digits or
 * letters outside a-z, and words excluded with "-", are left as typed.
 */
#ifndef PORTAL_VACANCY_SPELLING_H
#define PORTAL_VACANCY_SPELLING_H

#include <libpq-fe.h>
#include <stddef.h>

#include "buf.h"

#define VACANCY_SPELLING_TITLES 2000

/* The distance between words a and b (lower-case), counting an insertion, a deletion, a
 * substitution and a swap of two neighbouring letters as one edit each (optimal string
 * alignment), or max + 1 when it is more than max. Words of up to 63 letters. */
int vacancy_spelling_distance(const char *a, size_t alen, const char *b, size_t blen, int max);

/* A word of the vocabulary: its letters (lower-case a-z, not NUL-terminated) and how many
 * times the jobs use it. */
struct spelling_word {
	const char *text;
	size_t len;
	long count;
};

/* Appends q (websearch syntax) to out with each unknown word replaced by its nearest in
 * words[0..n) (see above). Returns the number of words replaced (0: out holds q as typed). */
int vacancy_spelling_correct(const char *q, const struct spelling_word *words, size_t n,
			     struct buf *out);

/* Loads the vocabulary through c and corrects q with it (vacancy_spelling_correct()): sets
 * *suggestion to a new string (free it) when a word was replaced, NULL when none was. Returns 0,
 * or -1 with the cause in err. */
int vacancy_spelling_suggest(PGconn *c, const char *q, char **suggestion, char *err,
			     size_t errlen);

#endif
