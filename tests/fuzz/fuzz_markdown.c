/* fuzz_markdown.c - Markdown to HTML (core/markdown.c over libcmark), the only HTML the portal
 * prints unescaped: job descriptions, school profiles and what candidates write. Property (the
 * XSS promise of markdown.h): the HTML holds only the elements and attributes Markdown makes,
 * raw HTML only as cmark's "raw HTML omitted" comment, and no link to a script or data URL,
 * however its scheme is spelt. */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "markdown.h"

static const char *const elements[] = { "p", "h3", "h4", "h5", "h6", "em", "strong", "a", "code",
					"pre", "ul", "ol", "li", "blockquote", "hr", "br", "del" };
static const char *const attributes[] = { "href", "title", "start", "class" };

static bool listed(const char *const *list, size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && strncmp(list[i], s, len) == 0)
			return true;
	return false;
}

/* The character that the character reference at v[0..n) (a '&') stands for, with its length
 * in *len; aborts on a reference cmark does not write (&amp; &lt; &gt; &quot; &#xHH; &#DD;). */
static char reference(const char *v, size_t n, size_t *len)
{
	static const struct { const char *name; char c; } named[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' } };
	const char *semi = memchr(v, ';', n < 10 ? n : 10);
	long c;
	size_t i;
	char *end;

	if (semi == NULL)
		abort();
	*len = (size_t)(semi - v) + 1;
	for (i = 0; i < sizeof named / sizeof *named; i++)
		if (strlen(named[i].name) == *len && strncmp(v, named[i].name, *len) == 0)
			return named[i].c;
	if (v[1] != '#')
		abort();
	c = v[2] == 'x' || v[2] == 'X' ? strtol(v + 3, &end, 16) : strtol(v + 2, &end, 10);
	if (end != semi || c <= 0 || c > 0x7f)
		abort();
	return (char)c;
}

/* Aborts when the link target v[0..n) (as written in the attribute) would run a script or load
 * data: character references are decoded and blanks and control characters dropped first, as
 * a browser does. */
static void check_href(const char *v, size_t n)
{
	char url[64], c;
	size_t i, o = 0, len;

	for (i = 0; i < n && o < sizeof url - 1; i += len) {
		len = 1;
		c = v[i] == '&' ? reference(v + i, n - i, &len) : v[i];
		if ((unsigned char)c > 0x20 && c != 0x7f)
			url[o++] = (char)tolower((unsigned char)c);
	}
	url[o] = '\0';
	if (strncmp(url, "javascript:", 11) == 0 || strncmp(url, "vbscript:", 9) == 0 ||
	    strncmp(url, "data:", 5) == 0 || strncmp(url, "file:", 5) == 0)
		abort();
}

/* Checks the tag at html (a '<'); returns its length. */
static size_t check_tag(const char *html)
{
	static const char omitted[] = "<!-- raw HTML omitted -->";
	const char *p = html + 1, *name, *v;
	size_t len;

	if (strncmp(html, "<!--", 4) == 0) {
		if (strncmp(html, omitted, sizeof omitted - 1) != 0)
			abort();
		return sizeof omitted - 1;
	}
	if (*p == '/')
		p++;
	for (name = p; isalnum((unsigned char)*p); p++)
		;
	if (!listed(elements, sizeof elements / sizeof *elements, name, (size_t)(p - name)))
		abort();
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '>' || (p[0] == '/' && p[1] == '>'))
			break;
		for (name = p; isalpha((unsigned char)*p); p++)
			;
		len = (size_t)(p - name);
		if (!listed(attributes, sizeof attributes / sizeof *attributes, name, len) ||
		    p[0] != '=' || p[1] != '"')
			abort();
		v = p + 2;
		p = strpbrk(v, "\"<>");
		if (p == NULL || *p != '"')
			abort();
		if (len == 4 && strncmp(name, "href", 4) == 0)
			check_href(v, (size_t)(p - v));
		p++;
	}
	return (size_t)(p - html) + (*p == '/' ? 2 : 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *md = malloc(size + 1);
	struct buf out = { 0 };
	const char *p;

	if (md == NULL)
		return 0;
	memcpy(md, data, size);
	md[size] = '\0';
	if (markdown_html(md, &out) == 0)
		for (p = strchr(buf_str(&out), '<'); p != NULL; p = strchr(p + check_tag(p), '<'))
			;
	buf_free(&out);
	free(md);
	return 0;
}
