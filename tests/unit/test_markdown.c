/* test_markdown.c - unit tests of the Markdown the portal renders (backend/core/markdown.c):
 * headings fitted below the page's <h2> with no level left out, images as their text, raw HTML
 * and javascript: links made harmless, typed line breaks kept. (The pages that show it:
 * tests/integration/test_search.c, markdown_rendered_safely.) */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"

/* The HTML of md; the caller frees it. */
static char *html_of(const char *md)
{
	struct buf b = { 0 };
	char *out;

	ck_assert_int_eq(markdown_html(md, &b), 0);
	out = strdup(buf_str(&b));
	ck_assert_ptr_nonnull(out);
	buf_free(&b);
	return out;
}

/* Fails unless the HTML of md holds each of the NULL-terminated needles, in that order. */
static void expect_in_order(const char *md, const char *const *needles)
{
	char *html = html_of(md);
	const char *p = html;

	for (; *needles != NULL; needles++) {
		const char *hit = strstr(p, *needles);

		ck_assert_msg(hit != NULL, "%s: no %s (in order) in %s", md, *needles, html);
		p = hit + strlen(*needles);
	}
	free(html);
}

START_TEST(test_headings_fit)
{
	expect_in_order("## The role\n\nTeach.\n\n### Duties\n\nMark.",
			(const char *const[]){ "<h3>The role</h3>", "<h4>Duties</h4>", NULL });
	expect_in_order("# The role\n\n### Duties\n\n##### Hours",
			(const char *const[]){ "<h3>The role</h3>", "<h4>Duties</h4>",
					       "<h5>Hours</h5>", NULL });
	expect_in_order("#### Only one", (const char *const[]){ "<h3>Only one</h3>", NULL });
	expect_in_order("# a\n\n## b\n\n### c\n\n#### d\n\n##### e\n\n###### f",
			(const char *const[]){ "<h3>a</h3>", "<h4>b</h4>", "<h5>c</h5>",
					       "<h6>d</h6>", "<h6>e</h6>", "<h6>f</h6>", NULL });
	expect_in_order("No headings at all.", (const char *const[]){ "<p>No headings", NULL });
}
END_TEST

START_TEST(test_safe)
{
	char *html = html_of("![a school photo](https://evil.example/x.png)\n\n<script>x</script>"
			     "\n\n[go](javascript:alert(1))\n\nline one\nline two");

	ck_assert_ptr_nonnull(strstr(html, "a school photo"));
	ck_assert_ptr_null(strstr(html, "<img"));
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_null(strstr(html, "javascript:"));
	ck_assert_ptr_nonnull(strstr(html, "line one<br />"));
	free(html);
}
END_TEST

static Suite *markdown_suite(void)
{
	Suite *s = suite_create("markdown");
	TCase *tc = tcase_create("markdown");

	tcase_add_test(tc, test_headings_fit);
	tcase_add_test(tc, test_safe);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(markdown_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
