/* fuzz_template.c - the Mustache engine (core/template.c) that writes every page, email and
 * JSON document: the input is a template, with a partial "p" to include or extend, rendered
 * with a model whose strings are hostile (each array has one element, so that nesting cannot
 * make the output grow exponentially). Property: a template that asks for no
 * unescaped output ({{{ }}}, {{& }}, or other delimiters) never lets a model string's '<'
 * through. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "template.h"

#define MARK "\x01<script>\"'&\x02"

static json_t *model;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	model = json_pack("{s:s, s:[{s:s}], s:b, s:b, s:i, s:{s:s, s:[s]}, s:[]}", "a", MARK,
			  "b", "c", MARK, "t", 1, "f", 0, "n", 3, "o", "a", MARK, "d", MARK, "e");
	if (model == NULL)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tpl_set *set = tpl_set_new();
	char *src = malloc(size + 1), err[256];
	struct buf out = { 0 };
	int rc;

	if (set == NULL || src == NULL)
		goto out;
	memcpy(src, data, size);
	src[size] = '\0';
	if (tpl_set_add(set, "t", src, "t.mustache", err, sizeof err) != 0) {
		if (err[0] == '\0')
			abort();
		goto out;
	}
	if (tpl_set_add(set, "p", "[{{a}}]\n  {{#b}}{{c}}{{/b}}\n{{$x}}{{o.a}}{{/x}}\n",
			"p.mustache", err, sizeof err) != 0)
		abort();
	rc = tpl_render(set, "t", model, &out);
	if (rc == 0 && strchr(src, '\x01') == NULL && strchr(src, '&') == NULL &&
	    strchr(src, '=') == NULL && strstr(src, "{{{") == NULL &&
	    strstr(buf_str(&out), "\x01<") != NULL)
		abort();
out:
	buf_free(&out);
	free(src);
	tpl_set_free(set);
	return 0;
}
