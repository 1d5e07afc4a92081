/* fuzz_search.c - the job search's parameters (vacancy_search_parse) and the statements built
 * from them (vacancy_search.c): the input is a query string. Properties: a refused search says
 * why in valid UTF-8; an accepted one builds its statements, whose SQL text is the same when
 * every word and value typed is swapped for another (what is typed only ever travels as a
 * parameter, never as SQL). */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "schools_data.h"
#include "utf8.h"
#include "vacancy_labels.h"
#include "vacancy_search.h"

static const struct label subject_items[] = { { "mathematics", "Mathematics" },
					      { "english", "English" },
					      { "physical_education", "Physical education" } };
static const struct label_list subjects = { "subject", subject_items, 3 };
static struct schools_snapshot schools;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	schools.all = json_pack("[{s:i}, {s:i}]", "urn", 139605, "urn", 114987);
	schools.facets = json_pack("{s:[{s:s}, {s:s}]}", "towns", "value", "Grays", "value",
				   "Stanford-le-Hope");
	if (schools.all == NULL || schools.facets == NULL)
		abort();
	return 0;
}

/* The statements of vq, one after another. */
static void statements(const struct vacancy_query *vq, struct buf *out)
{
	struct vacancy_search_stmt st[5];
	size_t i;

	memset(st, 0, sizeof st);
	if (vacancy_search_sql(vq, false, &st[0]) != 0 ||
	    vacancy_search_sql(vq, true, &st[1]) != 0 ||
	    vacancy_search_facets_sql(vq, &st[2]) != 0 ||
	    vacancy_search_new_sql(vq, "2026-01-01", "2026-01-02", &st[3]) != 0 ||
	    vacancy_search_feed_sql(vq, 20, &st[4]) != 0)
		abort();
	for (i = 0; i < 5; i++) {
		buf_puts(out, buf_str(&st[i].sql));
		buf_putc(out, '\n');
		vacancy_search_stmt_free(&st[i]);
	}
}

static void swap_values(struct vacancy_filter *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		f->values[i] = "swapped";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kvlist l = { 0 };
	struct vacancy_query vq, other;
	struct buf a = { 0 }, b = { 0 };
	char problem[256] = "";
	size_t chars;

	if (form_parse((const char *)data, size, &l) != 0)
		goto out;
	if (vacancy_search_parse(&l, &subjects, &schools, &vq, problem, sizeof problem) != 0) {
		if (problem[0] == '\0' ||
		    utf8_count((const unsigned char *)problem, strlen(problem), &chars) != 0)
			abort();
		goto out;
	}
	if (vq.page < 1)
		abort();
	other = vq;
	if (other.q != NULL)
		other.q = "swapped";
	swap_values(&other.roles);
	swap_values(&other.phases);
	swap_values(&other.key_stages);
	swap_values(&other.subjects);
	swap_values(&other.contracts);
	swap_values(&other.patterns);
	swap_values(&other.schools);
	swap_values(&other.towns);
	statements(&vq, &a);
	statements(&other, &b);
	if (strcmp(buf_str(&a), buf_str(&b)) != 0)
		abort();
out:
	buf_free(&a);
	buf_free(&b);
	kv_free(&l);
	return 0;
}
