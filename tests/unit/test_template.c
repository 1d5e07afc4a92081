/* test_template.c - the Mustache engine against the official spec files, plus our own tests.
 *
 * The spec files are read from $MUSTACHE_SPEC_DIR, or ../shared/data/mustache-spec relative to
 * the working directory (the repository root). Every test of every file is one check.
 */
#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "template.h"

#define MAIN "main template" /* contains a blank, so no partial tag can name it */

static const char *const spec_files[] = {
	"comments.json", "interpolation.json", "sections.json", "inverted.json",
	"partials.json", "delimiters.json", "inheritance.json",
};
#define NFILES (sizeof spec_files / sizeof spec_files[0])

struct spec_case {
	const char *file;
	const json_t *test;
};

static json_t *spec_docs[NFILES];
static struct spec_case *cases;
static size_t ncases;

/* Writes s into dst (n bytes) as a quoted C-style string, cut short if it does not fit. */
static void quote(char *dst, size_t n, const char *s)
{
	struct buf b = {0};

	buf_putc(&b, '"');
	buf_json_escape(&b, s, strlen(s));
	buf_putc(&b, '"');
	snprintf(dst, n, "%s", buf_failed(&b) ? "(out of memory)" : buf_str(&b));
	buf_free(&b);
}

/* Compiles the spec test's template and partials, renders its data and compares. */
START_TEST(test_spec)
{
	const struct spec_case *sc = &cases[_i];
	const char *name = json_string_value(json_object_get(sc->test, "name"));
	const char *expected = json_string_value(json_object_get(sc->test, "expected"));
	json_t *partials = json_object_get(sc->test, "partials");
	struct tpl_set *set = tpl_set_new();
	struct buf out = {0};
	char err[512] = "", msg[4096], qe[1500], qg[1500];
	const char *key;
	json_t *val;
	int rc;

	ck_assert_ptr_nonnull(set);
	rc = tpl_set_add(set, MAIN, json_string_value(json_object_get(sc->test, "template")),
		"template", err, sizeof err);
	json_object_foreach(partials, key, val) {
		if (rc == 0)
			rc = tpl_set_add(set, key, json_string_value(val), key, err, sizeof err);
	}
	if (rc == 0)
		rc = tpl_render(set, MAIN, json_object_get(sc->test, "data"), &out);
	quote(qe, sizeof qe, expected);
	quote(qg, sizeof qg, buf_str(&out));
	snprintf(msg, sizeof msg, "%s: %s: expected %s, got %s%s%s", sc->file, name, qe, qg,
		err[0] != '\0' ? "; error: " : (rc != 0 ? "; render failed" : ""), err);
	rc = rc == 0 && strcmp(buf_str(&out), expected) == 0;
	buf_free(&out);
	tpl_set_free(set);
	ck_assert_msg(rc, "%s", msg);
}
END_TEST

/* Renders source with the JSON model text into a fresh string (caller frees); fails the
 * test on any error. */
static char *render_str(const char *source, const char *model_json)
{
	struct tpl_set *set = tpl_set_new();
	json_t *model = json_loads(model_json, 0, NULL);
	struct buf out = {0};
	char err[256] = "";
	char *s;
	int rc;

	ck_assert_ptr_nonnull(set);
	ck_assert_ptr_nonnull(model);
	rc = tpl_set_add(set, "t", source, "t.mustache", err, sizeof err);
	if (rc == 0)
		rc = tpl_render(set, "t", model, &out);
	s = strdup(buf_str(&out));
	buf_free(&out);
	json_decref(model);
	tpl_set_free(set);
	ck_assert_msg(rc == 0, "render failed: %s", err);
	ck_assert_ptr_nonnull(s);
	return s;
}

/* Asserts that source rendered with model_json gives expected. */
static void check_render(const char *source, const char *model_json, const char *expected)
{
	char *got = render_str(source, model_json);
	char qe[512], qg[512];
	int ok = strcmp(got, expected) == 0;

	quote(qe, sizeof qe, expected);
	quote(qg, sizeof qg, got);
	free(got);
	ck_assert_msg(ok, "expected %s, got %s", qe, qg);
}

START_TEST(test_escape_all_five)
{
	check_render("{{x}}|{{{x}}}|{{&x}}|{{#l}}{{.}}{{/l}}", "{\"x\": \"a&b<c>d\\\"e'f\", \"l\": [\"<'>\"]}",
		"a&amp;b&lt;c&gt;d&quot;e&#39;f|a&b<c>d\"e'f|a&b<c>d\"e'f|&lt;&#39;&gt;");
}
END_TEST

START_TEST(test_values)
{
	check_render("{{a}} {{b}} {{c}} {{d}} {{e}} {{t}} [{{f}}{{n}}{{o}}{{l}}]",
		"{\"a\": 1.5, \"b\": 1.0, \"c\": -3, \"d\": 1e21, \"e\": 0.1, \"t\": true,"
		" \"f\": false, \"n\": null, \"o\": {\"k\": 1}, \"l\": [1]}",
		"1.5 1 -3 1e+21 0.1 true []");
}
END_TEST

START_TEST(test_truthiness)
{
	check_render("{{#s}}S{{/s}}{{^s}}s{{/s}}{{#z}}Z{{/z}}{{^z}}z{{/z}}{{#o}}O{{/o}}{{#x}}X{{/x}}",
		"{\"s\": \"\", \"z\": 0, \"o\": {}, \"x\": \"y\"}", "szOX");
}
END_TEST

/* Compiles source and asserts failure with an error starting with want_prefix and
 * containing want_text. */
static void check_syntax_error(const char *source, const char *want_prefix, const char *want_text)
{
	struct tpl_set *set = tpl_set_new();
	char err[256] = "";
	int rc;

	ck_assert_ptr_nonnull(set);
	rc = tpl_set_add(set, "bad", source, "views/bad.mustache", err, sizeof err);
	tpl_set_free(set);
	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strncmp(err, want_prefix, strlen(want_prefix)) == 0
		&& strstr(err, want_text) != NULL, "error \"%s\" lacks \"%s\" / \"%s\"", err,
		want_prefix, want_text);
}

START_TEST(test_syntax_errors)
{
	check_syntax_error("a\nb\n{{#s}}\nc\n", "views/bad.mustache:3: ", "unclosed section 's'");
	check_syntax_error("line 1\n{{x", "views/bad.mustache:2: ", "unclosed tag");
	check_syntax_error("{{#a}}\n\n{{/b}}", "views/bad.mustache:3: ", "does not match 'a'");
	check_syntax_error("x\n{{/a}}", "views/bad.mustache:2: ", "without an open section");
	check_syntax_error("\n\n\n{{= <% =}}", "views/bad.mustache:4: ", "bad delimiter tag");
	check_syntax_error("{{=<% %>=}}\n<%#a%>\n<%/a}}", "views/bad.mustache:3: ", "unclosed tag");
	check_syntax_error("{{}}", "views/bad.mustache:1: ", "empty tag");
	check_syntax_error("{{a b}}", "views/bad.mustache:1: ", "bad name");
	check_syntax_error("{{<p}}{{$b}}{{/p}}", "views/bad.mustache:1: ", "does not match 'b'");
}
END_TEST

/* Writes content to dir/rel, creating one level of subdirectory when rel has a slash. */
static void write_file(const char *dir, const char *rel, const char *content)
{
	char path[512];
	const char *slash = strchr(rel, '/');
	FILE *f;

	if (slash != NULL) {
		snprintf(path, sizeof path, "%s/%.*s", dir, (int)(slash - rel), rel);
		ck_assert_msg(mkdir(path, 0700) == 0 || errno == EEXIST, "mkdir %s", path);
	}
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* Removes what write_file made for rel below dir. */
static void remove_file(const char *dir, const char *rel)
{
	char path[512];
	const char *slash = strchr(rel, '/');

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	unlink(path);
	if (slash != NULL) {
		snprintf(path, sizeof path, "%s/%.*s", dir, (int)(slash - rel), rel);
		rmdir(path);
	}
}

START_TEST(test_load_dir)
{
	char dir[] = "/tmp/test_template_XXXXXX", err[512] = "", want[600];
	struct tpl_set *set;
	struct buf out = {0};
	json_t *model = json_pack("{s:s}", "who", "Thurrock");
	int rc;

	ck_assert_ptr_nonnull(model);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_file(dir, "layout.mustache", "<main>\n  {{$body}}\n  {{/body}}\n</main>\n");
	write_file(dir, "schools/show.mustache",
		"{{<layout}}\n{{$body}}\n<p>Hi {{who}}</p>\n{{> partials/nav}}\n{{/body}}\n{{/layout}}\n");
	write_file(dir, "notes.txt", "{{#not a template");

	/* partials/nav does not exist yet. */
	set = tpl_set_new();
	ck_assert_ptr_nonnull(set);
	rc = tpl_set_load_dir(set, dir, NULL, err, sizeof err);
	tpl_set_free(set);
	snprintf(want, sizeof want, "%s/schools/show.mustache:4: ", dir);
	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0 && strstr(err, "partials/nav") != NULL,
		"error \"%s\" does not name %s and partials/nav", err, want);

	/* With it, everything loads and renders. */
	write_file(dir, "partials/nav.mustache", "<nav>{{who}}</nav>\n");
	set = tpl_set_new();
	ck_assert_ptr_nonnull(set);
	rc = tpl_set_load_dir(set, dir, NULL, err, sizeof err);
	ck_assert_msg(rc == 0, "load failed: %s", err);
	ck_assert(tpl_set_has(set, "layout"));
	ck_assert(tpl_set_has(set, "schools/show"));
	ck_assert(tpl_set_has(set, "partials/nav"));
	ck_assert(!tpl_set_has(set, "notes"));
	ck_assert_int_eq(tpl_render(set, "schools/show", model, &out), 0);
	/* Markup loses its indentation, the standalone partial's with the rest. */
	ck_assert_str_eq(buf_str(&out), "<main>\n<p>Hi Thurrock</p>\n<nav>Thurrock</nav>\n</main>\n");
	buf_free(&out);
	tpl_set_free(set);

	/* A syntax error names the file and line. */
	write_file(dir, "partials/nav.mustache", "<nav>\n{{#who}}\n</nav>\n");
	set = tpl_set_new();
	ck_assert_ptr_nonnull(set);
	rc = tpl_set_load_dir(set, dir, NULL, err, sizeof err);
	tpl_set_free(set);
	snprintf(want, sizeof want, "%s/partials/nav.mustache:2: ", dir);
	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "error \"%s\" does not start %s", err,
		want);

	/* A missing parent is reported too. */
	write_file(dir, "partials/nav.mustache", "{{<nolayout}}{{/nolayout}}");
	set = tpl_set_new();
	ck_assert_ptr_nonnull(set);
	rc = tpl_set_load_dir(set, dir, NULL, err, sizeof err);
	tpl_set_free(set);
	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strstr(err, "nav.mustache:1: parent 'nolayout'") != NULL, "error \"%s\"", err);

	remove_file(dir, "partials/nav.mustache");
	remove_file(dir, "schools/show.mustache");
	remove_file(dir, "layout.mustache");
	remove_file(dir, "notes.txt");
	ck_assert_int_eq(rmdir(dir), 0);
	json_decref(model);
}
END_TEST

/* Markup loses the blanks that begin its lines, but not inside <pre> or <textarea>, nor in
 * values; plain text (the text_dir) keeps them. */
START_TEST(test_load_dir_whitespace)
{
	char dir[] = "/tmp/test_template_XXXXXX", err[512] = "";
	struct tpl_set *set = tpl_set_new();
	struct buf out = {0};
	json_t *model = json_pack("{s:s}", "v", "a\n  b");

	ck_assert_ptr_nonnull(set);
	ck_assert_ptr_nonnull(model);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_file(dir, "page.mustache",
		"<div>\n  <p>one\n\t  two {{v}}</p>\n  <PRE class=\"x\">\n  kept\n</pre>\n"
		"    <preview>\n    gone\n  <textarea>\n    kept\n  </textarea>\n  </div>\n");
	write_file(dir, "mail/note.mustache", "Dear {{v}},\n\n  indented\n");
	ck_assert_msg(tpl_set_load_dir(set, dir, "mail", err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(tpl_render(set, "page", model, &out), 0);
	ck_assert_str_eq(buf_str(&out),
		"<div>\n<p>one\ntwo a\n  b</p>\n<PRE class=\"x\">\n  kept\n</pre>\n"
		"<preview>\ngone\n<textarea>\n    kept\n  </textarea>\n</div>\n");
	buf_reset(&out);
	ck_assert_int_eq(tpl_render(set, "mail/note", model, &out), 0);
	ck_assert_str_eq(buf_str(&out), "Dear a\n  b,\n\n  indented\n");
	buf_free(&out);
	tpl_set_free(set);
	json_decref(model);
	remove_file(dir, "page.mustache");
	remove_file(dir, "mail/note.mustache");
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_load_dir_missing)
{
	struct tpl_set *set = tpl_set_new();
	char err[256] = "";

	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(tpl_set_load_dir(set, "/nonexistent/templates", NULL, err, sizeof err), -1);
	tpl_set_free(set);
	ck_assert_msg(strstr(err, "/nonexistent/templates") != NULL, "error \"%s\"", err);
}
END_TEST

START_TEST(test_big_section)
{
	json_t *model = json_object(), *items = json_array();
	struct tpl_set *set = tpl_set_new();
	struct buf out = {0}, want = {0};
	char err[256] = "";
	int i;

	ck_assert_ptr_nonnull(model);
	ck_assert_ptr_nonnull(items);
	ck_assert_ptr_nonnull(set);
	buf_puts(&want, "<ul>\n");
	for (i = 0; i < 1000; i++) {
		ck_assert_int_eq(json_array_append_new(items, json_pack("{s:i,s:s}", "n", i, "name",
			i % 2 ? "a&b" : "c")), 0);
		buf_printf(&want, "  <li>%d %s (Thurrock)</li>\n", i, i % 2 ? "a&amp;b" : "c");
	}
	buf_puts(&want, "</ul>\n");
	ck_assert_int_eq(json_object_set_new(model, "items", items), 0);
	ck_assert_int_eq(json_object_set_new(model, "town", json_string("Thurrock")), 0);
	ck_assert_int_eq(tpl_set_add(set, "list", "<ul>\n{{#items}}\n  <li>{{n}} {{name}} ({{town}})</li>\n"
		"{{/items}}\n</ul>\n", "list.mustache", err, sizeof err), 0);
	ck_assert_int_eq(tpl_render(set, "list", model, &out), 0);
	ck_assert(!buf_failed(&want));
	ck_assert_str_eq(buf_str(&out), buf_str(&want));
	buf_free(&out);
	buf_free(&want);
	tpl_set_free(set);
	json_decref(model);
}
END_TEST

START_TEST(test_set_behaviour)
{
	struct tpl_set *set = tpl_set_new();
	struct buf out = {0};
	char err[256] = "";

	ck_assert_ptr_nonnull(set);
	ck_assert_int_eq(tpl_render(set, "nope", NULL, &out), -1);
	ck_assert_int_eq(tpl_set_add(set, "a", "one", "a.mustache", err, sizeof err), 0);
	ck_assert_int_eq(tpl_set_add(set, "a", "two {{x}}.", "a.mustache", err, sizeof err), 0);
	ck_assert_int_eq(tpl_render(set, "a", NULL, &out), 0);
	ck_assert_str_eq(buf_str(&out), "two .");
	/* A failed add leaves the old template in place. */
	ck_assert_int_eq(tpl_set_add(set, "a", "{{#x}}", "a.mustache", err, sizeof err), -1);
	buf_reset(&out);
	ck_assert_int_eq(tpl_render(set, "a", NULL, &out), 0);
	ck_assert_str_eq(buf_str(&out), "two .");
	/* Endless recursion fails instead of overflowing the stack. */
	ck_assert_int_eq(tpl_set_add(set, "loop", "x{{>loop}}", "loop.mustache", err, sizeof err), 0);
	ck_assert_int_eq(tpl_render(set, "loop", NULL, &out), -1);
	buf_free(&out);
	tpl_set_free(set);
}
END_TEST

START_TEST(test_many_templates)
{
	struct tpl_set *set = tpl_set_new();
	struct buf out = {0};
	char err[256] = "", name[32], src[64];
	int i;

	ck_assert_ptr_nonnull(set);
	for (i = 0; i < 500; i++) {
		snprintf(name, sizeof name, "t/%d", i);
		snprintf(src, sizeof src, "%d{{#next}}{{>t/%d}}{{/next}}", i, i + 1);
		ck_assert_int_eq(tpl_set_add(set, name, src, name, err, sizeof err), 0);
	}
	for (i = 0; i < 500; i++) {
		snprintf(name, sizeof name, "t/%d", i);
		ck_assert(tpl_set_has(set, name));
	}
	ck_assert(!tpl_set_has(set, "t/500"));
	ck_assert_int_eq(tpl_render(set, "t/7", NULL, &out), 0);
	ck_assert_str_eq(buf_str(&out), "7");
	buf_free(&out);
	tpl_set_free(set);
}
END_TEST

START_TEST(test_nested_indentation)
{
	struct tpl_set *set = tpl_set_new();
	json_t *model = json_pack("{s:[s,s],s:s}", "rows", "r1", "r2", "v", "x\ny");
	struct buf out = {0};
	char err[256] = "";

	ck_assert_ptr_nonnull(set);
	ck_assert_ptr_nonnull(model);
	ck_assert_int_eq(tpl_set_add(set, "page", "<body>\n  {{>list}}\n</body>\n", "page", err,
		sizeof err), 0);
	ck_assert_int_eq(tpl_set_add(set, "list", "<ul>\n{{#rows}}\n  {{>row}}\n{{/rows}}\n</ul>\n",
		"list", err, sizeof err), 0);
	ck_assert_int_eq(tpl_set_add(set, "row", "<li>\n  {{.}} {{{v}}}\n</li>\n", "row", err,
		sizeof err), 0);
	ck_assert_int_eq(tpl_render(set, "page", model, &out), 0);
	ck_assert_str_eq(buf_str(&out),
		"<body>\n  <ul>\n    <li>\n      r1 x\ny\n    </li>\n    <li>\n      r2 x\ny\n"
		"    </li>\n  </ul>\n</body>\n");
	buf_free(&out);
	json_decref(model);
	tpl_set_free(set);
}
END_TEST

START_TEST(test_layout_inheritance)
{
	struct tpl_set *set = tpl_set_new();
	json_t *model = json_pack("{s:s}", "title", "Jobs & Careers");
	struct buf out = {0};
	char err[256] = "";

	ck_assert_ptr_nonnull(set);
	ck_assert_ptr_nonnull(model);
	ck_assert_int_eq(tpl_set_add(set, "layout",
		"<html>\n<head><title>{{$title}}Teaching in Thurrock{{/title}}</title></head>\n"
		"<body>\n  <main>\n    {{$content}}\n    <p>Nothing here.</p>\n    {{/content}}\n"
		"  </main>\n</body>\n</html>\n", "layout", err, sizeof err), 0);
	ck_assert_int_eq(tpl_set_add(set, "jobs",
		"{{<layout}}\n  {{$title}}{{title}}{{/title}}\n  {{$content}}\n  <h1>{{title}}</h1>\n"
		"  <ul>\n    <li>One</li>\n  </ul>\n  {{/content}}\n{{/layout}}\n", "jobs", err,
		sizeof err), 0);
	ck_assert_int_eq(tpl_render(set, "jobs", model, &out), 0);
	ck_assert_str_eq(buf_str(&out),
		"<html>\n<head><title>Jobs &amp; Careers</title></head>\n<body>\n  <main>\n"
		"    <h1>Jobs &amp; Careers</h1>\n    <ul>\n      <li>One</li>\n    </ul>\n"
		"  </main>\n</body>\n</html>\n");
	buf_reset(&out);
	ck_assert_int_eq(tpl_render(set, "layout", model, &out), 0);
	ck_assert_str_eq(buf_str(&out),
		"<html>\n<head><title>Teaching in Thurrock</title></head>\n<body>\n  <main>\n"
		"    <p>Nothing here.</p>\n  </main>\n</body>\n</html>\n");
	buf_free(&out);
	json_decref(model);
	tpl_set_free(set);
}
END_TEST

struct thread_job {
	const struct tpl_set *set;
	const json_t *model;
	const char *want;
	int bad;
};

/* Renders job->set's "page" many times, counting wrong results in job->bad. */
static void *render_thread(void *arg)
{
	struct thread_job *job = arg;
	struct buf out = {0};
	int i;

	for (i = 0; i < 300; i++) {
		buf_reset(&out);
		if (tpl_render(job->set, "page", job->model, &out) != 0
				|| strcmp(buf_str(&out), job->want) != 0)
			job->bad++;
	}
	buf_free(&out);
	return NULL;
}

START_TEST(test_threads)
{
	struct tpl_set *set = tpl_set_new();
	json_t *model = json_pack("{s:[{s:s},{s:s}]}", "rows", "a", "<1>", "a", "2");
	struct thread_job jobs[4];
	pthread_t th[4];
	char err[256] = "";
	int i;

	ck_assert_ptr_nonnull(set);
	ck_assert_ptr_nonnull(model);
	ck_assert_int_eq(tpl_set_add(set, "page", "{{#rows}}\n  {{>row}}\n{{/rows}}\n", "page", err,
		sizeof err), 0);
	ck_assert_int_eq(tpl_set_add(set, "row", "[{{a}}]\n", "row", err, sizeof err), 0);
	for (i = 0; i < 4; i++) {
		jobs[i] = (struct thread_job){ set, model, "  [&lt;1&gt;]\n  [2]\n", 0 };
		ck_assert_int_eq(pthread_create(&th[i], NULL, render_thread, &jobs[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_int_eq(jobs[i].bad, 0);
	}
	json_decref(model);
	tpl_set_free(set);
}
END_TEST

/* Loads the spec files into spec_docs and cases. Returns 0, or -1 after printing why. */
static int load_spec(const char *dir)
{
	char path[1024];
	json_error_t jerr;
	struct spec_case *grown;
	json_t *tests;
	size_t f, i;

	for (f = 0; f < NFILES; f++) {
		snprintf(path, sizeof path, "%s/%s", dir, spec_files[f]);
		spec_docs[f] = json_load_file(path, 0, &jerr);
		tests = json_object_get(spec_docs[f], "tests");
		if (!json_is_array(tests) || json_array_size(tests) == 0) {
			fprintf(stderr, "%s: cannot load spec tests: %s\n", path,
				spec_docs[f] == NULL ? jerr.text : "no tests");
			return -1;
		}
		grown = realloc(cases, (ncases + json_array_size(tests)) * sizeof *cases);
		if (grown == NULL) {
			fprintf(stderr, "out of memory\n");
			return -1;
		}
		cases = grown;
		for (i = 0; i < json_array_size(tests); i++)
			cases[ncases++] = (struct spec_case){ spec_files[f], json_array_get(tests, i) };
	}
	return 0;
}

/* Frees what load_spec loaded. */
static void free_spec(void)
{
	size_t f;

	for (f = 0; f < NFILES; f++)
		json_decref(spec_docs[f]);
	free(cases);
}

int main(void)
{
	const char *dir = getenv("MUSTACHE_SPEC_DIR");
	Suite *s;
	TCase *tc;
	SRunner *sr;
	size_t f, start = 0, end;
	int failed;

	if (dir == NULL || *dir == '\0')
		dir = "../shared/data/mustache-spec";
	if (load_spec(dir) != 0) {
		free_spec();
		return 1;
	}
	s = suite_create("template");
	for (f = 0; f < NFILES; f++) {
		for (end = start; end < ncases && cases[end].file == spec_files[f]; end++)
			;
		tc = tcase_create(spec_files[f]);
		tcase_add_loop_test(tc, test_spec, (int)start, (int)end);
		suite_add_tcase(s, tc);
		start = end;
	}
	tc = tcase_create("ours");
	tcase_add_test(tc, test_escape_all_five);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_truthiness);
	tcase_add_test(tc, test_syntax_errors);
	tcase_add_test(tc, test_load_dir);
	tcase_add_test(tc, test_load_dir_whitespace);
	tcase_add_test(tc, test_load_dir_missing);
	tcase_add_test(tc, test_big_section);
	tcase_add_test(tc, test_set_behaviour);
	tcase_add_test(tc, test_many_templates);
	tcase_add_test(tc, test_nested_indentation);
	tcase_add_test(tc, test_layout_inheritance);
	tcase_add_test(tc, test_threads);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	free_spec();
	return failed != 0;
}
