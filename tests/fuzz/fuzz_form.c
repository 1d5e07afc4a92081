/* fuzz_form.c - the url-encoded parser (form_parse, core/form.c) that reads every query string
 * and form body. Property: what it accepts holds no NUL and is valid UTF-8, and encoding each
 * pair again (url_encode) and parsing that gives back the same pairs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "http.h"
#include "utf8.h"

static void check_pairs(const struct kvlist *a, const struct kvlist *b)
{
	size_t i;

	if (a->len != b->len)
		abort();
	for (i = 0; i < a->len; i++)
		if (strcmp(a->items[i].name, b->items[i].name) != 0 ||
		    strcmp(a->items[i].value, b->items[i].value) != 0)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kvlist l = { 0 }, again = { 0 };
	struct buf b = { 0 };
	size_t i, chars;

	if (form_parse((const char *)data, size, &l) == 0) {
		for (i = 0; i < l.len; i++) {
			if (l.items[i].name[0] == '\0' ||
			    utf8_count((const unsigned char *)l.items[i].name,
				       strlen(l.items[i].name), &chars) != 0 ||
			    utf8_count((const unsigned char *)l.items[i].value,
				       strlen(l.items[i].value), &chars) != 0)
				abort();
			if (i > 0)
				buf_putc(&b, '&');
			url_encode(&b, l.items[i].name);
			buf_putc(&b, '=');
			url_encode(&b, l.items[i].value);
		}
		if (form_parse(b.data != NULL ? b.data : "", b.len, &again) != 0)
			abort();
		check_pairs(&l, &again);
	}
	kv_free(&l);
	kv_free(&again);
	buf_free(&b);
	return 0;
}
