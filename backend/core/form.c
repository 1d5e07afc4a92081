/* form.c - query strings and url-encoded bodies into name/value lists; see http.h.
 *
 * Our own parser: CivetWeb's mg_handle_form_request loops forever on a NUL byte (CVE-2025-9648),
 * so it is never called. A NUL, raw or %00, makes the whole input malformed, as does a bad
 * %-escape or a value that is not valid UTF-8.
 */
#include "http.h"
#include "multipart.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *kv_get(const struct kvlist *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return l->items[i].value;
	return NULL;
}

long long http_id_parse(const char *s)
{
	long long v = 0;
	size_t i;

	if (s == NULL || s[0] == '\0' || s[0] == '0' || strlen(s) > 18)
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

size_t kv_count(const struct kvlist *l, const char *name)
{
	size_t i, n = 0;

	for (i = 0; i < l->len; i++)
		if (strcmp(l->items[i].name, name) == 0)
			n++;
	return n;
}

/* Copies n bytes of s into a new NUL-terminated string, or NULL. */
static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int kv_add(struct kvlist *l, const char *name, size_t nlen, const char *value, size_t vlen)
{
	struct kv *items;
	size_t cap;
	char *n = NULL, *v = NULL;

	if (l->len == l->cap) {
		cap = l->cap ? l->cap * 2 : 8;
		items = realloc(l->items, cap * sizeof *items);
		if (items == NULL)
			return -1;
		l->items = items;
		l->cap = cap;
	}
	n = dup_n(name, nlen);
	v = dup_n(value, vlen);
	if (n == NULL || v == NULL) {
		free(n);
		free(v);
		return -1;
	}
	l->items[l->len].name = n;
	l->items[l->len].value = v;
	l->len++;
	return 0;
}

void kv_free(struct kvlist *l)
{
	size_t i;

	for (i = 0; i < l->len; i++) {
		free(l->items[i].name);
		free(l->items[i].value);
	}
	free(l->items);
	l->items = NULL;
	l->len = l->cap = 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..n) ('+' is a space, %XX a byte) into out (at least n bytes). Returns the decoded
 * length, or -1 when malformed. */
static long url_decode(const char *s, size_t n, char *out)
{
	size_t i, o = 0, chars;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (i + 2 >= n)
				return -1;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '\0') {
			return -1;
		} else {
			out[o++] = s[i];
		}
	}
	if (utf8_count((const unsigned char *)out, o, &chars) != 0)
		return -1;
	return (long)o;
}

int form_parse(const char *s, size_t n, struct kvlist *l)
{
	const char *p = s, *end = s + n, *amp, *eq;
	char *name = NULL, *value = NULL;
	long nl, vl;
	int rc = -1;

	if (n > 0 && memchr(s, '\0', n) != NULL)
		return -1;
	name = malloc(n + 1);
	value = malloc(n + 1);
	if (name == NULL || value == NULL)
		goto out;
	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq == NULL)
			eq = amp;
		nl = url_decode(p, (size_t)(eq - p), name);
		vl = eq < amp ? url_decode(eq + 1, (size_t)(amp - eq - 1), value) : 0;
		if (nl <= 0 || vl < 0)
			goto out;
		if (kv_add(l, name, (size_t)nl, value, (size_t)vl) != 0)
			goto out;
		p = amp < end ? amp + 1 : end;
	}
	rc = 0;
out:
	free(name);
	free(value);
	return rc;
}

void url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/') {
			buf_putc(b, (char)*p);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

bool form_one_click_unsubscribe(const struct req *r)
{
	const char *ct = http_header(r, "Content-Type"), *v = kv_get(&r->form, "List-Unsubscribe");
	struct kvlist fields = { 0 };
	bool ok;

	if (v == NULL && r->body != NULL && multipart_is(ct) &&
	    multipart_parse(r->body, r->body_len, ct, &fields, NULL, NULL) == 0)
		v = kv_get(&fields, "List-Unsubscribe");
	ok = v != NULL && strcmp(v, "One-Click") == 0;
	kv_free(&fields);
	return ok;
}
