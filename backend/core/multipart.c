/* multipart.c - multipart/form-data parsing; see multipart.h.
 *
 * Framing (RFC 2046 section 5.1.1): a delimiter is CRLF "--" boundary (the first one may also
 * start the body), followed either by "--" (the close delimiter, after which comes the ignored
 * epilogue) or by optional spaces/tabs and CRLF. "--boundary" followed by anything else is
 * content, not a delimiter. Everything is bounded: the number of parts, header lines and header
 * bytes per part; the body itself is capped by the request pipeline.
 */
#include "multipart.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

/* One part's headers as they matter to us: pointers to malloc'd strings, NULL when absent. */
struct part_head {
	char *name;
	char *filename;
	char *content_type;
	bool has_filename;
};

/* A growing array of files. */
struct file_list {
	struct multipart_file *items;
	size_t len;
	size_t cap;
};

/* RFC 9110 tchar: the characters of a token (header and parameter names, unquoted values). */
static bool is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 2046 bcharsnospace, and space (allowed inside a boundary, not at its end). */
static bool is_bchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("'()+_,-./:=? ", c) != NULL);
}

/* p advanced past spaces and tabs, not beyond end. */
static const char *skip_ows(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Copies n bytes into a new NUL-terminated string, or NULL. */
static char *copy_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* Reads a parameter value at *pp (before end): a token, or a quoted string in which \" and \\
 * are quoted pairs and any other backslash is itself (browsers do not escape backslashes, old
 * clients escape quotes with one). Returns a new string and advances *pp past it, or NULL when
 * malformed (empty token, unterminated quote) or out of memory. */
static char *param_value(const char **pp, const char *end)
{
	const char *p = *pp, *start;
	char *out, *o;

	if (p < end && *p == '"') {
		out = malloc((size_t)(end - p));
		if (out == NULL)
			return NULL;
		o = out;
		for (p++; p < end && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < end && (p[1] == '"' || p[1] == '\\'))
				p++;
			*o++ = *p;
		}
		if (p == end) {
			free(out);
			return NULL;
		}
		*o = '\0';
		*pp = p + 1;
		return out;
	}
	start = p;
	while (p < end && is_tchar((unsigned char)*p))
		p++;
	if (p == start)
		return NULL;
	*pp = p;
	return copy_n(start, (size_t)(p - start));
}

/* Reads `; name=value` parameters from p to end, calling `take` for each. take returns 0, or -1
 * to refuse. Returns 0, or -1 when malformed or refused. */
static int params_each(const char *p, const char *end,
		       int (*take)(void *ctx, const char *name, size_t nlen, char *value), void *ctx)
{
	const char *name;
	size_t nlen;
	char *value;

	for (;;) {
		p = skip_ows(p, end);
		if (p == end)
			return 0;
		if (*p++ != ';')
			return -1;
		p = skip_ows(p, end);
		name = p;
		while (p < end && is_tchar((unsigned char)*p))
			p++;
		nlen = (size_t)(p - name);
		p = skip_ows(p, end);
		if (nlen == 0 || p == end || *p++ != '=')
			return -1;
		p = skip_ows(p, end);
		value = param_value(&p, end);
		if (value == NULL || take(ctx, name, nlen, value) != 0)
			return -1;
	}
}

/* True when name[0..nlen) is `want`, ignoring case. */
static bool name_is(const char *name, size_t nlen, const char *want)
{
	return strlen(want) == nlen && strncasecmp(name, want, nlen) == 0;
}

/* params_each callback for the request's Content-Type: keeps boundary (ctx is a char ** that
 * must still be NULL: a second boundary is refused), frees any other value. */
static int take_boundary(void *ctx, const char *name, size_t nlen, char *value)
{
	char **boundary = ctx;

	if (!name_is(name, nlen, "boundary")) {
		free(value);
		return 0;
	}
	if (*boundary != NULL) {
		free(value);
		return -1;
	}
	*boundary = value;
	return 0;
}

bool multipart_is(const char *content_type)
{
	const char *p;

	if (content_type == NULL)
		return false;
	p = content_type + strspn(content_type, " \t");
	return strncasecmp(p, "multipart/form-data", 19) == 0 &&
	       (p[19] == '\0' || p[19] == ';' || p[19] == ' ' || p[19] == '\t');
}

/* The boundary named by content_type, checked against RFC 2046 (1 to 70 bchars, not ending
 * in a space). Returns a new string, or NULL when absent, malformed or out of memory. */
static char *boundary_of(const char *content_type)
{
	const char *p, *end;
	char *boundary = NULL;
	size_t n, i;

	if (!multipart_is(content_type))
		return NULL;
	p = content_type + strspn(content_type, " \t") + 19;
	end = content_type + strlen(content_type);
	if (params_each(p, end, take_boundary, &boundary) != 0 || boundary == NULL)
		goto bad;
	n = strlen(boundary);
	if (n == 0 || n > MULTIPART_MAX_BOUNDARY || boundary[n - 1] == ' ')
		goto bad;
	for (i = 0; i < n; i++)
		if (!is_bchar((unsigned char)boundary[i]))
			goto bad;
	return boundary;
bad:
	free(boundary);
	return NULL;
}

/* params_each callback for Content-Disposition: fills the part_head ctx with name and
 * filename (each at most once); other parameters (filename* among them: RFC 7578 section 4.2
 * forbids it) are ignored. */
static int take_disposition(void *ctx, const char *name, size_t nlen, char *value)
{
	struct part_head *h = ctx;
	char **slot = NULL;

	if (name_is(name, nlen, "name"))
		slot = &h->name;
	else if (name_is(name, nlen, "filename"))
		slot = &h->filename;
	if (slot == NULL || *slot != NULL) {
		free(value);
		return slot == NULL ? 0 : -1;
	}
	*slot = value;
	return 0;
}

/* Parses a Content-Disposition value v[0..n) into h. Returns 0, or -1 unless it is
 * `form-data` with a non-empty name. */
static int disposition_parse(const char *v, size_t n, struct part_head *h)
{
	const char *end = v + n, *p = v;

	while (p < end && is_tchar((unsigned char)*p))
		p++;
	if (!name_is(v, (size_t)(p - v), "form-data") || h->name != NULL)
		return -1;
	if (params_each(p, end, take_disposition, h) != 0 || h->name == NULL || h->name[0] == '\0')
		return -1;
	h->has_filename = h->filename != NULL;
	return 0;
}

/* True when s[0..n) is UTF-8 without control characters other than tab. */
static bool header_text_ok(const char *s, size_t n)
{
	size_t i, chars;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return utf8_count((const unsigned char *)s, n, &chars) == 0;
}

/* Parses one part's header block h[0..n) (lines separated by CRLF, no final CRLF) into head.
 * Returns 0, or -1 when malformed. */
static int headers_parse(const char *h, size_t n, struct part_head *head)
{
	const char *end = h + n, *line = h, *eol, *colon, *v, *vend;
	int lines = 0;
	bool seen_cte = false;

	while (line < end) {
		eol = memmem(line, (size_t)(end - line), "\r\n", 2);
		if (eol == NULL)
			eol = end;
		if (++lines > MULTIPART_MAX_HEADERS || !header_text_ok(line, (size_t)(eol - line)))
			return -1;
		colon = line;
		while (colon < eol && is_tchar((unsigned char)*colon))
			colon++;
		if (colon == line || colon == eol || *colon != ':')
			return -1;  /* no name, folding (leading white space), or no colon */
		v = skip_ows(colon + 1, eol);
		vend = eol;
		while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t'))
			vend--;
		if (name_is(line, (size_t)(colon - line), "Content-Disposition")) {
			if (disposition_parse(v, (size_t)(vend - v), head) != 0)
				return -1;
		} else if (name_is(line, (size_t)(colon - line), "Content-Type")) {
			if (head->content_type != NULL ||
			    (head->content_type = copy_n(v, (size_t)(vend - v))) == NULL)
				return -1;
		} else if (name_is(line, (size_t)(colon - line), "Content-Transfer-Encoding")) {
			if (seen_cte || !(name_is(v, (size_t)(vend - v), "binary") ||
					  name_is(v, (size_t)(vend - v), "8bit") ||
					  name_is(v, (size_t)(vend - v), "7bit")))
				return -1;
			seen_cte = true;
		}
		line = eol == end ? end : eol + 2;
	}
	return head->name != NULL ? 0 : -1;
}

/* Frees h's strings and zeroes it for the next part. */
static void head_free(struct part_head *h)
{
	free(h->name);
	free(h->filename);
	free(h->content_type);
	memset(h, 0, sizeof *h);
}

/* Looks for a delimiter ("\r\n--" boundary, or "--" boundary at the very start when at_start)
 * in body[from..len). On success returns the offset where the delimiter starts and sets *after
 * to the offset just past its line (past "--" for the close delimiter, past the CRLF
 * otherwise) and *close. Returns -1 when there is none. */
static long delimiter_find(const char *body, size_t len, size_t from, const char *dash,
			   size_t dlen, bool at_start, size_t *after, bool *close)
{
	const char *hit;
	size_t pos = from, q;

	for (;;) {
		if (at_start && pos == 0 && len >= dlen && memcmp(body, dash + 2, dlen - 2) == 0) {
			q = dlen - 2;
		} else {
			if (pos >= len)
				return -1;
			hit = memmem(body + pos, len - pos, dash, dlen);
			if (hit == NULL)
				return -1;
			pos = (size_t)(hit - body);
			q = pos + dlen;
		}
		if (q + 2 <= len && body[q] == '-' && body[q + 1] == '-') {
			*after = q + 2;
			*close = true;
			return (long)pos;
		}
		while (q < len && (body[q] == ' ' || body[q] == '\t'))
			q++;
		if (q + 2 <= len && body[q] == '\r' && body[q + 1] == '\n') {
			*after = q + 2;
			*close = false;
			return (long)pos;
		}
		pos++;  /* "--boundary" followed by something else is content */
	}
}

/* Adds a text field (name, value body[0..n)) to fields, checking the value has no NUL and is
 * UTF-8. Returns 0 or -1. */
static int field_add(struct kvlist *fields, const char *name, const char *v, size_t n)
{
	size_t chars;

	if (memchr(v, '\0', n) != NULL || utf8_count((const unsigned char *)v, n, &chars) != 0)
		return -1;
	return fields != NULL ? kv_add(fields, name, strlen(name), v, n) : 0;
}

/* Moves head's strings into a new file entry of list pointing at data[0..n). Returns 0 or -1
 * (head keeps its strings then). */
static int file_add(struct file_list *list, struct part_head *head, const char *data, size_t n)
{
	struct multipart_file *items, *f;
	size_t cap;

	if (list->len == list->cap) {
		cap = list->cap ? list->cap * 2 : 4;
		items = realloc(list->items, cap * sizeof *items);
		if (items == NULL)
			return -1;
		list->items = items;
		list->cap = cap;
	}
	if (head->content_type == NULL && (head->content_type = copy_n("", 0)) == NULL)
		return -1;
	f = &list->items[list->len++];
	f->name = head->name;
	f->filename = head->filename;
	f->content_type = head->content_type;
	f->data = data;
	f->len = n;
	memset(head, 0, sizeof *head);
	return 0;
}

int multipart_parse(const char *body, size_t len, const char *content_type, struct kvlist *fields,
		    struct multipart_file **files, size_t *nfiles)
{
	struct part_head head = { 0 };
	struct file_list list = { 0 };
	size_t first = fields != NULL ? fields->len : 0, pos, after, hend, i;
	char *boundary, dash[MULTIPART_MAX_BOUNDARY + 5];
	const char *hb;
	size_t dlen;
	long at;
	bool close = false;
	int parts = 0, rc = -1;

	if (files != NULL) {
		*files = NULL;
		*nfiles = 0;
	}
	boundary = boundary_of(content_type);
	if (boundary == NULL || body == NULL)
		goto out;
	dlen = (size_t)snprintf(dash, sizeof dash, "\r\n--%s", boundary);
	at = delimiter_find(body, len, 0, dash, dlen, true, &pos, &close);
	if (at < 0)
		goto out;
	while (!close) {
		if (++parts > MULTIPART_MAX_PARTS)
			goto out;
		/* Headers: up to the blank line, within the limit. */
		hb = memmem(body + pos, len - pos < MULTIPART_MAX_HEADER_BYTES + 4
					? len - pos : MULTIPART_MAX_HEADER_BYTES + 4,
			    "\r\n\r\n", 4);
		if (hb == NULL || hb == body + pos)
			goto out;
		hend = (size_t)(hb - body);
		if (headers_parse(body + pos, hend - pos, &head) != 0)
			goto out;
		pos = hend + 4;
		at = delimiter_find(body, len, pos, dash, dlen, false, &after, &close);
		if (at < 0)
			goto out;  /* no closing delimiter */
		if (head.has_filename) {
			if (files != NULL && file_add(&list, &head, body + pos, (size_t)at - pos) != 0)
				goto out;
		} else if (field_add(fields, head.name, body + pos, (size_t)at - pos) != 0) {
			goto out;
		}
		head_free(&head);
		pos = after;
	}
	rc = 0;
out:
	head_free(&head);
	free(boundary);
	if (rc == 0 && files != NULL) {
		*files = list.items;
		*nfiles = list.len;
	} else {
		multipart_files_free(list.items, list.len);
		if (rc != 0 && fields != NULL) {
			for (i = first; i < fields->len; i++) {
				free(fields->items[i].name);
				free(fields->items[i].value);
			}
			fields->len = first;
		}
	}
	return rc;
}

void multipart_files_free(struct multipart_file *files, size_t nfiles)
{
	size_t i;

	for (i = 0; files != NULL && i < nfiles; i++) {
		free(files[i].name);
		free(files[i].filename);
		free(files[i].content_type);
	}
	free(files);
}

const struct multipart_file *multipart_file_get(const struct multipart_file *files, size_t nfiles,
						const char *name)
{
	size_t i;

	for (i = 0; i < nfiles; i++)
		if (strcmp(files[i].name, name) == 0)
			return &files[i];
	return NULL;
}
