/* test_vacancy_spelling.c - unit tests of "Did you mean ...?" (backend/vacancy_spelling.c): the
 * edit distance (insertions, deletions, substitutions and swaps, and its cut-off); corrections
 * of a search's words from a vocabulary: how near a word must be for its length, the most used
 * of equally near words, known and short words left alone, and what is not a plain word (digits,
 * letters outside a-z, excluded words) kept as typed with the search's own syntax. (Loading the
 * vocabulary and the page's link are tested in tests/integration/test_search.c.) */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "vacancy_spelling.h"

/* The distance between a and b with cut-off max. */
static int dist(const char *a, const char *b, int max)
{
	return vacancy_spelling_distance(a, strlen(a), b, strlen(b), max);
}

START_TEST(test_distance)
{
	ck_assert_int_eq(dist("maths", "maths", 2), 0);
	ck_assert_int_eq(dist("math", "maths", 2), 1);         /* an insertion */
	ck_assert_int_eq(dist("mathss", "maths", 2), 1);       /* a deletion */
	ck_assert_int_eq(dist("mathe", "maths", 2), 1);        /* a substitution */
	ck_assert_int_eq(dist("mtahs", "maths", 2), 1);        /* two letters swapped */
	ck_assert_int_eq(dist("physcis", "physics", 2), 1);
	ck_assert_int_eq(dist("mathmatics", "mathematics", 2), 1);
	ck_assert_int_eq(dist("sceince", "science", 2), 1);
	ck_assert_int_eq(dist("chemestry", "chemistry", 2), 1);
	ck_assert_int_eq(dist("tecaher", "teacher", 2), 1);
	ck_assert_int_eq(dist("techer", "teacher", 2), 1);
	ck_assert_int_eq(dist("sciense", "science", 2), 1);
	ck_assert_int_eq(dist("englsih", "english", 2), 1);
	ck_assert_int_eq(dist("gegraphy", "geography", 2), 1);
	ck_assert_int_eq(dist("phisycs", "physics", 2), 2);
	ck_assert_int_eq(dist("", "abc", 5), 3);
	ck_assert_int_eq(dist("abc", "", 5), 3);
	/* Past the cut-off: max + 1, however far. */
	ck_assert_int_eq(dist("history", "geography", 2), 3);
	ck_assert_int_eq(dist("art", "mathematics", 2), 3);
	ck_assert_int_eq(dist("kitten", "sitting", 1), 2);
	ck_assert_int_eq(dist("kitten", "sitting", 3), 3);
	/* Words too long to compare are never near. */
	{
		char a[80], b[80];

		memset(a, 'a', 79);
		a[79] = '\0';
		memcpy(b, a, sizeof b);
		ck_assert_int_eq(dist(a, b, 2), 3);
	}
}
END_TEST

#define W(s, n) { s, sizeof s - 1, n }

static const struct spelling_word vocab[] = {
	W("teacher", 40), W("teaching", 12), W("assistant", 12), W("mathematics", 9),
	W("maths", 7), W("physics", 3), W("science", 8), W("english", 6), W("history", 2),
	W("chemistry", 2), W("grays", 5), W("tilbury", 3), W("of", 50), W("art", 1),
	W("head", 6), W("heads", 1), W("lead", 2), W("reception", 2), W("senco", 2),
	W("music", 2), W("magic", 9), W("timbers", 30),
};
#define NVOCAB (sizeof vocab / sizeof vocab[0])

/* The correction of q; *n set to the number of words replaced. The caller frees it. */
static char *correct(const char *q, int *n)
{
	struct buf b = { 0 };
	char *s;

	*n = vacancy_spelling_correct(q, vocab, NVOCAB, &b);
	ck_assert(!buf_failed(&b));
	s = strdup(buf_str(&b));
	ck_assert_ptr_nonnull(s);
	buf_free(&b);
	return s;
}

/* Fails unless q corrects to want with `replaced` words replaced. */
static void expect(const char *q, const char *want, int replaced)
{
	int n;
	char *got = correct(q, &n);

	ck_assert_msg(strcmp(got, want) == 0 && n == replaced,
		      "\"%s\" corrected to \"%s\" (%d replaced), want \"%s\" (%d)", q, got, n,
		      want, replaced);
	free(got);
}

START_TEST(test_correct)
{
	/* One word, and each word of several. */
	expect("mathmatics", "mathematics", 1);
	expect("physcis", "physics", 1);
	expect("teacher of sceince", "teacher of science", 1);
	expect("techer of englsh grays", "teacher of english grays", 2);
	/* Known words, and no word at all: nothing replaced, the text as typed. */
	expect("teacher of maths", "teacher of maths", 0);
	expect("Teacher Of MATHS", "Teacher Of MATHS", 0);
	expect("", "", 0);
	expect("  ,;  ", "  ,;  ", 0);
	/* Capitals are matched, and the correction is the vocabulary's word. */
	expect("Mathmatics", "mathematics", 1);
	/* Four or five letters: one edit at most; six or more: two. */
	expect("musci", "music", 1);
	expect("msuic", "music", 1);
	expect("mwbic", "mwbic", 0);
	expect("phisycs", "physics", 1);
	expect("phwbvcs", "phwbvcs", 0);
	/* Words under four letters are left alone ("hed" is one edit from "head"). */
	expect("hed of art", "hed of art", 0);
	/* Equally near: the word the jobs use most ("mugic" is one from magic (9) and music
	 * (2)). */
	expect("mugic", "magic", 1);
	/* Nearer wins over more used: "tilbery" is one from tilbury (3), two from timbers (30). */
	expect("tilbery", "tilbury", 1);
	/* The search's own syntax is kept: quoted phrases, "or", and excluded words (left as
	 * typed even when misspelt). */
	expect("\"techer of maths\" or physcis", "\"teacher of maths\" or physics", 2);
	expect("science -mathmatics", "science -mathmatics", 0);
	expect("science - mathmatics", "science - mathematics", 1);
	/* Digits, apostrophes and letters outside a-z make a word that is left as typed. */
	expect("year6 techer", "year6 teacher", 1);
	expect("teacher's", "teacher's", 0);
	expect("caf\xc3\xa9s techer", "caf\xc3\xa9s teacher", 1);
	expect("recepton\xc3\xa9", "recepton\xc3\xa9", 0);
	/* Unknown and far from every word: left alone. */
	expect("xyzzyq", "xyzzyq", 0);
}
END_TEST

START_TEST(test_empty_vocabulary)
{
	struct buf b = { 0 };

	ck_assert_int_eq(vacancy_spelling_correct("mathmatics", vocab, 0, &b), 0);
	ck_assert_str_eq(buf_str(&b), "mathmatics");
	buf_free(&b);
}
END_TEST

static Suite *spelling_suite(void)
{
	Suite *s = suite_create("vacancy_spelling");
	TCase *tc = tcase_create("vacancy_spelling");

	tcase_add_test(tc, test_distance);
	tcase_add_test(tc, test_correct);
	tcase_add_test(tc, test_empty_vocabulary);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(spelling_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
