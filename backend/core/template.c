/* template.c - Mustache templates over jansson models; see template.h.
 *
 * tpl_set_add() compiles a source into a tree of struct node; rendering walks the tree and
 * never looks at the source again. Whitespace rules are settled at compile time: a
 * standalone tag (alone on its line but for blanks) takes its line with it, and the blanks
 * before a standalone partial or parent become the indentation of its lines.
 *
 * Indentation while rendering: a chain of struct indent (on the C stack) is written before
 * every template line of an indented partial, parent or block argument. struct render.bol
 * says whether output stands at the start of a template line: newlines in template text
 * start a line, newlines in interpolated values do not, so values are never re-indented.
 *
 * Inheritance: a parent's arguments are the blocks directly inside it; other content inside
 * a parent is parsed and dropped. Rendering a parent pushes a struct frame; a block takes
 * the outermost argument of its name and renders it with the frames in force outside the
 * parent that gave it. An argument whose opening tag is standalone loses the indentation of
 * its first line from every line at compile time; where it is expanded it gains the site's
 * indentation: the blanks before a block tag that is not standalone, or, when the tag is
 * standalone, the blanks that begin the block's default content.
 */
#include "template.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_DIR_DEPTH 32 /* directory levels below tpl_set_load_dir's dir */
#define SUFFIX ".mustache"
#define SUFFIX_LEN (sizeof SUFFIX - 1)

enum node_kind { N_TEXT, N_VAR, N_SECTION, N_INVERTED, N_PARTIAL, N_PARENT, N_BLOCK };

struct node {
	enum node_kind kind;
	bool escape;         /* N_VAR: HTML-escape the value */
	bool standalone;     /* N_PARTIAL, N_PARENT, N_BLOCK: the tag took its whole line */
	unsigned line;       /* source line of the tag */
	char *str;           /* N_TEXT: the text; N_PARTIAL, N_PARENT, N_BLOCK: the name */
	size_t len;          /* bytes in str */
	char *indent;        /* N_PARTIAL, N_PARENT, N_BLOCK: indentation to add, or NULL */
	size_t indent_len;
	const char **parts;  /* N_VAR, N_SECTION, N_INVERTED: dotted name split; NULL for "." */
	size_t nparts;
	struct node *kids;   /* N_SECTION, N_INVERTED, N_BLOCK: body; N_PARENT: block arguments */
	size_t nkids;
};

struct tpl {
	char *name;
	char *filename;
	struct node *nodes;
	size_t nnodes;
};

/* Open addressing with linear probing; nothing is ever removed. */
struct tpl_set {
	struct tpl **slots;
	size_t cap;          /* a power of two, or 0 */
	size_t count;
};

/* ---- nodes and sets ------------------------------------------------------------------- */

static void free_nodes(struct node *ns, size_t n);

/* Frees what node n owns (not n itself) and zeroes it. */
static void node_clear(struct node *n)
{
	free(n->str);
	free(n->indent);
	free((void *)n->parts);
	free_nodes(n->kids, n->nkids);
	memset(n, 0, sizeof *n);
}

/* Frees the array ns of n nodes and everything they own. */
static void free_nodes(struct node *ns, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		node_clear(&ns[i]);
	free(ns);
}

/* Frees template t (NULL is fine) and everything it owns. */
static void tpl_free(struct tpl *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->filename);
	free_nodes(t->nodes, t->nnodes);
	free(t);
}

/* Returns the FNV-1a hash of the C string s. */
static size_t hash_str(const char *s)
{
	uint64_t h = 14695981039346656037u;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211u;
	}
	return (size_t)h;
}

/* Returns the slot of set (whose cap must be nonzero) holding `name`, or the empty slot where
 * it belongs. The slot belongs to the set. */
static struct tpl **find_slot(const struct tpl_set *set, const char *name)
{
	size_t mask = set->cap - 1, i = hash_str(name) & mask;

	while (set->slots[i] != NULL && strcmp(set->slots[i]->name, name) != 0)
		i = (i + 1) & mask;
	return &set->slots[i];
}

/* Returns the template called `name` (owned by set), or NULL. */
static const struct tpl *find_tpl(const struct tpl_set *set, const char *name)
{
	return set->cap == 0 ? NULL : *find_slot(set, name);
}

/* Adds t to set, taking ownership, and frees a template it replaces. Returns 0, or -1 when
 * out of memory (t then still belongs to the caller). */
static int set_put(struct tpl_set *set, struct tpl *t)
{
	struct tpl **old = set->slots, **slot;
	size_t oldcap = set->cap, i;
	int rc = -1;

	if ((set->count + 1) * 4 > set->cap * 3) {
		set->cap = oldcap != 0 ? oldcap * 2 : 16;
		set->slots = calloc(set->cap, sizeof *set->slots);
		if (set->slots == NULL) {
			set->slots = old;
			set->cap = oldcap;
			goto out;
		}
		for (i = 0; i < oldcap; i++)
			if (old[i] != NULL)
				*find_slot(set, old[i]->name) = old[i];
		free(old);
	}
	slot = find_slot(set, t->name);
	if (*slot == NULL)
		set->count++;
	tpl_free(*slot);
	*slot = t;
	rc = 0;
out:
	return rc;
}

/* Returns a new empty set (the caller frees it with tpl_set_free), or NULL. */
struct tpl_set *tpl_set_new(void)
{
	return calloc(1, sizeof(struct tpl_set));
}

/* Frees set (NULL is fine) and every template in it. */
void tpl_set_free(struct tpl_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->cap; i++)
		tpl_free(set->slots[i]);
	free(set->slots);
	free(set);
}

/* True when set holds `name`. */
bool tpl_set_has(const struct tpl_set *set, const char *name)
{
	return find_tpl(set, name) != NULL;
}

/* Writes a printf-style message into err (errlen bytes; err may be NULL). */
__attribute__((format(printf, 3, 4)))
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- parsing -------------------------------------------------------------------------- */

/* A container being built: the template itself (stack[0]), a section or a block, or a
 * parent. */
struct pframe {
	struct node node;      /* node.kids grows; cap is its room */
	size_t cap;
	size_t name_at;        /* the name as written in the open tag, to match the close tag */
	size_t name_len;
	const char *dedent;    /* blanks stripped from each line start of text in here (into src) */
	size_t dedent_len;
	bool arg;              /* an N_BLOCK directly inside a parent: an argument, not a site */
	bool ws_before;        /* N_PARENT: only blanks precede the open tag on its line */
	size_t ws_at;          /* N_PARENT: those blanks as emitted (after dedent) */
	size_t ws_len;
};

struct parser {
	const char *src;
	size_t len;
	const char *file;
	char *err;
	size_t errlen;
	const char *otag, *ctag;   /* current delimiters (static strings or into src) */
	size_t olen, clen;
	size_t text_start;         /* first source byte not yet emitted or dropped */
	size_t last_tag_end;
	size_t line_pos;           /* src[line_pos] is on line `line` */
	unsigned line;
	struct pframe *stack;      /* depth >= 1 once parsing starts */
	size_t depth, cap;
};

/* One tag as found in the source. */
struct tag {
	size_t start, end;         /* the whole tag, delimiters included */
	size_t at, n;              /* its content, blanks trimmed, sigil excluded */
	char sigil;                /* '#', '^', '/', '>', '<', '$', '!', '=', '{', '&', or 0 */
	unsigned line;
	size_t wsb;                /* start of the blanks before the tag on its line */
	size_t line_end;           /* just past the blanks and line break after the tag */
	bool before, after;        /* only blanks before / after the tag on its line */
};

/* Writes "file:line: message" into the parser's err. Returns -1. */
__attribute__((format(printf, 3, 4)))
static int perr(struct parser *p, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->err == NULL || p->errlen == 0)
		return -1;
	n = snprintf(p->err, p->errlen, "%s:%u: ", p->file, line);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Returns the line number of src[pos]; pos must not decrease between calls. */
static unsigned line_at(struct parser *p, size_t pos)
{
	const char *nl;

	while ((nl = memchr(p->src + p->line_pos, '\n', pos - p->line_pos)) != NULL) {
		p->line++;
		p->line_pos = (size_t)(nl - p->src) + 1;
	}
	p->line_pos = pos;
	return p->line;
}

/* True for the blanks that may surround a standalone tag. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* True for the white space trimmed from tag contents and forbidden inside names. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Returns the number of blanks (spaces, tabs) at src[pos]. */
static size_t blank_run(const struct parser *p, size_t pos)
{
	size_t i = pos;

	while (i < p->len && is_blank(p->src[i]))
		i++;
	return i - pos;
}

/* Returns how many leading bytes of s (n bytes) match the dedent string d (dn bytes). */
static size_t common_prefix(const char *s, size_t n, const char *d, size_t dn)
{
	size_t i = 0;

	while (i < n && i < dn && s[i] == d[i])
		i++;
	return i;
}

/* Returns the innermost container being built (owned by the parser). */
static struct pframe *top(struct parser *p)
{
	return &p->stack[p->depth - 1];
}

/* Appends node *n to the innermost container, which takes over what *n owns; inside a
 * parent, anything but a block is dropped. Returns 0, or -1 (n freed) when out of memory. */
static int add_node(struct parser *p, struct node *n)
{
	struct pframe *f = top(p);
	struct node *kids;
	size_t cap;
	int rc = -1;

	if (f->node.kind == N_PARENT && n->kind != N_BLOCK) {
		rc = 0;
		goto fail;
	}
	if (f->node.nkids == f->cap) {
		cap = f->cap != 0 ? f->cap * 2 : 8;
		kids = realloc(f->node.kids, cap * sizeof *kids);
		if (kids == NULL) {
			perr(p, p->line, "out of memory");
			goto fail;
		}
		f->node.kids = kids;
		f->cap = cap;
	}
	f->node.kids[f->node.nkids++] = *n;
	return 0;
fail:
	node_clear(n);
	return rc;
}

/* Pushes frame *f, taking over what its node owns. Returns 0, or -1 (node freed). */
static int push_frame(struct parser *p, struct pframe *f)
{
	struct pframe *stack;
	size_t cap;

	if (p->depth == p->cap) {
		cap = p->cap != 0 ? p->cap * 2 : 8;
		stack = realloc(p->stack, cap * sizeof *stack);
		if (stack == NULL)
			goto fail;
		p->stack = stack;
		p->cap = cap;
	}
	p->stack[p->depth++] = *f;
	return 0;
fail:
	node_clear(&f->node);
	return perr(p, p->line, "out of memory");
}

/* Emits src[a, b) as a text node of the innermost container, stripping the container's
 * dedent from each line start. Text inside a parent is dropped. Returns 0 or -1. */
static int emit_text(struct parser *p, size_t a, size_t b)
{
	struct pframe *f = top(p);
	struct buf t = {0};
	struct node n = {0};
	const char *nl;
	bool bol = a == 0 || p->src[a - 1] == '\n';
	size_t end;
	int rc = 0;

	if (a >= b || f->node.kind == N_PARENT)
		return 0;
	while (a < b) {
		if (bol)
			a += common_prefix(p->src + a, b - a, f->dedent, f->dedent_len);
		nl = memchr(p->src + a, '\n', b - a);
		end = nl != NULL ? (size_t)(nl - p->src) + 1 : b;
		buf_append(&t, p->src + a, end - a);
		a = end;
		bol = true;
	}
	if (buf_failed(&t)) {
		rc = perr(p, p->line, "out of memory");
		goto out;
	}
	if (t.len == 0)
		goto out;
	n.kind = N_TEXT;
	n.str = t.data;
	n.len = t.len;
	return add_node(p, &n);
out:
	buf_free(&t);
	return rc;
}

/* Emits the pending text up to src[upto] and skips to src[next]. Returns 0 or -1. */
static int flush(struct parser *p, size_t upto, size_t next)
{
	int rc = emit_text(p, p->text_start, upto);

	p->text_start = next;
	return rc;
}

/* Emits the text before tag t; a standalone tag drops its blanks and line break. */
static int flush_tag(struct parser *p, const struct tag *t, bool standalone)
{
	return standalone ? flush(p, t->wsb, t->line_end) : flush(p, t->start, t->end);
}

/* Sets n->indent to a copy of the blanks src[at, at + len) less the innermost container's
 * dedent (NULL when nothing is left). Returns 0 or -1. */
static int copy_indent(struct parser *p, size_t at, size_t len, struct node *n)
{
	struct pframe *f = top(p);
	size_t skip = common_prefix(p->src + at, len, f->dedent, f->dedent_len);

	if (len == skip)
		return 0;
	n->indent = strndup(p->src + at, len - skip);
	if (n->indent == NULL)
		return perr(p, p->line, "out of memory");
	n->indent_len = len - skip;
	return 0;
}

/* Checks that tag t names something: nonempty, no blanks inside. Returns 0 or -1. */
static int check_name(struct parser *p, const struct tag *t)
{
	size_t i;

	if (t->n == 0)
		return perr(p, t->line, "empty tag");
	for (i = 0; i < t->n; i++)
		if (is_space(p->src[t->at + i]))
			return perr(p, t->line, "bad name '%.*s'", (int)t->n, p->src + t->at);
	return 0;
}

/* Sets n->str to a copy of t's name. Returns 0 or -1. */
static int copy_name(struct parser *p, const struct tag *t, struct node *n)
{
	n->str = strndup(p->src + t->at, t->n);
	if (n->str == NULL)
		return perr(p, t->line, "out of memory");
	n->len = t->n;
	return 0;
}

/* Sets n->parts to t's dotted name split at the dots, in one allocation that n owns; "."
 * (the implicit iterator) gives no parts. Returns 0 or -1. */
static int split_name(struct parser *p, const struct tag *t, struct node *n)
{
	const char *name = p->src + t->at;
	size_t count = 1, i, k = 0;
	char *s;

	if (t->n == 1 && name[0] == '.')
		return 0;
	for (i = 0; i < t->n; i++)
		if (name[i] == '.')
			count++;
	if (name[0] == '.' || name[t->n - 1] == '.' || memmem(name, t->n, "..", 2) != NULL)
		return perr(p, t->line, "bad name '%.*s'", (int)t->n, name);
	n->parts = malloc(count * sizeof(char *) + t->n + 1);
	if (n->parts == NULL)
		return perr(p, t->line, "out of memory");
	s = (char *)(n->parts + count);
	memcpy(s, name, t->n);
	s[t->n] = '\0';
	n->parts[k++] = s;
	for (i = 0; i < t->n; i++) {
		if (s[i] == '.') {
			s[i] = '\0';
			n->parts[k++] = s + i + 1;
		}
	}
	n->nparts = count;
	return 0;
}

/* Finds the closing delimiter of a tag whose content starts at src[at]; with `need` nonzero
 * ('}' or '=') that byte must come just before it. Sets *cend (end of content) and *tend
 * (past the delimiter). Returns false when there is none. */
static bool find_close(const struct parser *p, size_t at, char need, size_t *cend, size_t *tend)
{
	const char *q;
	size_t from = at, i;

	while ((q = memmem(p->src + from, p->len - from, p->ctag, p->clen)) != NULL) {
		i = (size_t)(q - p->src);
		if (need == 0 || (i > at && p->src[i - 1] == need)) {
			*cend = need == 0 ? i : i - 1;
			*tend = i + p->clen;
			return true;
		}
		from = i + 1;
	}
	return false;
}

/* Reads the tag opening at src[start] into *t. Returns 0, or -1 when it is not closed. */
static int scan_tag(struct parser *p, size_t start, struct tag *t)
{
	const char *src = p->src;
	size_t cs = start + p->olen, cend, j, lo;
	char c = cs < p->len ? src[cs] : '\0';
	char need = c == '{' ? '}' : c == '=' ? '=' : '\0';
	bool in_parent = top(p)->node.kind == N_PARENT;

	t->start = start;
	t->line = line_at(p, start);
	t->sigil = c != '\0' && strchr("#^/><$!={&", c) != NULL ? c : '\0';
	t->at = t->sigil != '\0' ? cs + 1 : cs;
	if (!find_close(p, t->at, need, &cend, &t->end))
		return perr(p, t->line, "unclosed tag (no '%s%.*s')", need == '}' ? "}" : need == '='
			? "=" : "", (int)p->clen, p->ctag);
	while (t->at < cend && is_space(src[t->at]))
		t->at++;
	while (cend > t->at && is_space(src[cend - 1]))
		cend--;
	t->n = cend - t->at;

	/* Inside a parent, text is dropped, so only what follows the last tag counts. */
	lo = in_parent ? p->last_tag_end : 0;
	t->wsb = start;
	while (t->wsb > lo && is_blank(src[t->wsb - 1]))
		t->wsb--;
	t->before = t->wsb == 0 || src[t->wsb - 1] == '\n' || (in_parent && t->wsb == lo);
	j = t->end + blank_run(p, t->end);
	t->after = true;
	if (j == p->len)
		t->line_end = j;
	else if (src[j] == '\n')
		t->line_end = j + 1;
	else if (src[j] == '\r' && j + 1 < p->len && src[j + 1] == '\n')
		t->line_end = j + 2;
	else
		t->after = false;
	return 0;
}

/* {{=a b=}}: sets new delimiters. Returns 0 or -1. */
static int set_delimiters(struct parser *p, const struct tag *t)
{
	const char *s = p->src + t->at;
	size_t i = 0, olen, cat;

	while (i < t->n && !is_space(s[i]) && s[i] != '=')
		i++;
	olen = i;
	while (i < t->n && is_space(s[i]))
		i++;
	cat = i;
	while (i < t->n && !is_space(s[i]) && s[i] != '=')
		i++;
	if (olen == 0 || cat == olen || cat == t->n || i != t->n)
		return perr(p, t->line, "bad delimiter tag '%.*s'", (int)t->n, s);
	if (flush_tag(p, t, t->before && t->after) != 0)
		return -1;
	p->otag = s;
	p->olen = olen;
	p->ctag = s + cat;
	p->clen = t->n - cat;
	return 0;
}

/* {{#name}}, {{^name}}, {{$name}}, {{<name}}: opens a container. Returns 0 or -1. */
static int open_container(struct parser *p, const struct tag *t)
{
	struct pframe *up = top(p), f = {0};
	bool standalone = t->before && t->after;

	f.name_at = t->at;
	f.name_len = t->n;
	f.dedent = up->dedent;
	f.dedent_len = up->dedent_len;
	f.node.line = t->line;
	f.node.kind = t->sigil == '#' ? N_SECTION : t->sigil == '^' ? N_INVERTED
		: t->sigil == '$' ? N_BLOCK : N_PARENT;
	if (check_name(p, t) != 0)
		goto fail;
	if (f.node.kind == N_PARENT) {
		/* Standalone or not is known at the close tag; the blanks stay for now. */
		f.ws_before = t->before && up->node.kind != N_PARENT;
		if (f.ws_before) {
			f.ws_at = t->wsb + common_prefix(p->src + t->wsb, t->start - t->wsb,
				up->dedent, up->dedent_len);
			f.ws_len = t->start - f.ws_at;
		}
		standalone = false;
	} else if (f.node.kind == N_BLOCK && up->node.kind == N_PARENT) {
		/* An argument: drop the indentation of its first line from all its lines. */
		f.arg = true;
		f.dedent = standalone ? p->src + t->line_end : NULL;
		f.dedent_len = standalone ? blank_run(p, t->line_end) : 0;
	} else if (f.node.kind == N_BLOCK) {
		f.node.standalone = standalone;
		if (standalone && copy_indent(p, t->line_end, blank_run(p, t->line_end), &f.node) != 0)
			goto fail;
		if (!standalone && t->before && copy_indent(p, t->wsb, t->start - t->wsb, &f.node) != 0)
			goto fail;
	}
	if (f.node.kind == N_SECTION || f.node.kind == N_INVERTED) {
		if (split_name(p, t, &f.node) != 0)
			goto fail;
	} else if (copy_name(p, t, &f.node) != 0) {
		goto fail;
	}
	if (flush_tag(p, t, standalone) != 0)
		goto fail;
	return push_frame(p, &f);
fail:
	node_clear(&f.node);
	return -1;
}

/* {{/name}}: closes the innermost container and adds it to the one around it. */
static int close_container(struct parser *p, const struct tag *t)
{
	struct pframe *f = top(p), *up;
	struct node n, *last;
	bool standalone;

	if (check_name(p, t) != 0)
		return -1;
	if (p->depth == 1)
		return perr(p, t->line, "close tag '%.*s' without an open section", (int)t->n,
			p->src + t->at);
	if (f->name_len != t->n || memcmp(p->src + f->name_at, p->src + t->at, t->n) != 0)
		return perr(p, t->line, "close tag '%.*s' does not match '%.*s' opened at line %u",
			(int)t->n, p->src + t->at, (int)f->name_len, p->src + f->name_at,
			f->node.line);
	if (f->node.kind == N_PARENT) {
		/* Standalone when the open tag starts its line and the close tag ends its own. */
		standalone = f->ws_before && t->after;
		if (flush_tag(p, t, standalone) != 0)
			return -1;
	} else if (f->arg) {
		/* What follows is parent content, dropped anyway; only the blanks before count. */
		if (flush(p, t->before ? t->wsb : t->start, t->end) != 0)
			return -1;
		standalone = false;
	} else {
		standalone = t->before && t->after;
		if (flush_tag(p, t, standalone) != 0)
			return -1;
	}
	n = f->node;
	p->depth--;
	up = top(p);
	if (n.kind == N_PARENT && standalone) {
		n.standalone = true;
		if (f->ws_len > 0) {
			last = &up->node.kids[up->node.nkids - 1];
			last->len -= f->ws_len;
			if (last->len == 0)
				node_clear(&up->node.kids[--up->node.nkids]);
			n.indent = strndup(p->src + f->ws_at, f->ws_len);
			if (n.indent == NULL) {
				node_clear(&n);
				return perr(p, t->line, "out of memory");
			}
			n.indent_len = f->ws_len;
		}
	}
	return add_node(p, &n);
}

/* {{>name}}: adds a partial. Returns 0 or -1. */
static int partial(struct parser *p, const struct tag *t)
{
	struct node n = {0};
	bool standalone = t->before && t->after;

	n.kind = N_PARTIAL;
	n.line = t->line;
	n.standalone = standalone;
	if (check_name(p, t) != 0 || copy_name(p, t, &n) != 0)
		goto fail;
	if (standalone && copy_indent(p, t->wsb, t->start - t->wsb, &n) != 0)
		goto fail;
	if (flush_tag(p, t, standalone) != 0)
		goto fail;
	return add_node(p, &n);
fail:
	node_clear(&n);
	return -1;
}

/* {{name}}, {{{name}}}, {{&name}}: adds an interpolation. Returns 0 or -1. */
static int variable(struct parser *p, const struct tag *t)
{
	struct node n = {0};

	n.kind = N_VAR;
	n.line = t->line;
	n.escape = t->sigil == '\0';
	if (check_name(p, t) != 0 || split_name(p, t, &n) != 0 || flush_tag(p, t, false) != 0)
		goto fail;
	return add_node(p, &n);
fail:
	node_clear(&n);
	return -1;
}

/* Parses the whole source into p->stack[0]. Returns 0 or -1 (message in p->err). */
static int parse(struct parser *p)
{
	const char *q;
	struct tag t;
	int rc;

	while ((q = memmem(p->src + p->text_start, p->len - p->text_start, p->otag, p->olen))
			!= NULL) {
		if (scan_tag(p, (size_t)(q - p->src), &t) != 0)
			return -1;
		switch (t.sigil) {
		case '!':
			rc = flush_tag(p, &t, t.before && t.after);
			break;
		case '=':
			rc = set_delimiters(p, &t);
			break;
		case '#': case '^': case '$': case '<':
			rc = open_container(p, &t);
			break;
		case '/':
			rc = close_container(p, &t);
			break;
		case '>':
			rc = partial(p, &t);
			break;
		default:
			rc = variable(p, &t);
			break;
		}
		if (rc != 0)
			return -1;
		p->last_tag_end = t.end;
	}
	if (flush(p, p->len, p->len) != 0)
		return -1;
	if (p->depth > 1)
		return perr(p, top(p)->node.line, "unclosed section '%.*s'",
			(int)top(p)->name_len, p->src + top(p)->name_at);
	return 0;
}

/* Compiles source as `name` into set (replacing any template of that name). On error returns
 * -1 with "filename:line: message" in err. The set copies what it keeps. */
int tpl_set_add(struct tpl_set *set, const char *name, const char *source, const char *filename,
		char *err, size_t errlen)
{
	struct parser p = {0};
	struct pframe root = {0};
	struct tpl *t = NULL;
	size_t i;
	int rc = -1;

	p.src = source;
	p.len = strlen(source);
	p.file = filename != NULL ? filename : name;
	p.err = err;
	p.errlen = errlen;
	p.otag = "{{";
	p.ctag = "}}";
	p.olen = p.clen = 2;
	p.line = 1;
	root.node.kind = N_SECTION;
	if (push_frame(&p, &root) != 0 || parse(&p) != 0)
		goto out;
	t = calloc(1, sizeof *t);
	if (t == NULL || (t->name = strdup(name)) == NULL || (t->filename = strdup(p.file)) == NULL) {
		set_err(err, errlen, "%s: out of memory", p.file);
		goto out;
	}
	t->nodes = p.stack[0].node.kids;
	t->nnodes = p.stack[0].node.nkids;
	p.stack[0].node.kids = NULL;
	p.stack[0].node.nkids = 0;
	if (set_put(set, t) != 0) {
		set_err(err, errlen, "%s: out of memory", p.file);
		goto out;
	}
	t = NULL;
	rc = 0;
out:
	for (i = 0; i < p.depth; i++)
		node_clear(&p.stack[i].node);
	free(p.stack);
	tpl_free(t);
	return rc;
}

/* ---- rendering ------------------------------------------------------------------------ */

struct ctx {                   /* the context stack, innermost first */
	const json_t *v;
	const struct ctx *up;
};

struct indent {                /* indentation to write at each line start, outermost last */
	const char *s;
	size_t n;
	const struct indent *outer;
};

struct frame {                 /* the arguments of the parents being rendered */
	const struct node *parent;
	const struct frame *outer;
};

struct render {
	const struct tpl_set *set;
	struct buf *out;
	bool bol;                  /* output stands at the start of a template line */
	unsigned depth;            /* partials and parents being rendered */
};

/* Writes the indentation chain in, outermost first. */
static void put_indent(struct buf *out, const struct indent *in)
{
	if (in == NULL)
		return;
	put_indent(out, in->outer);
	buf_append(out, in->s, in->n);
}

/* Returns the value node n names in context c (borrowed from the model), or NULL. */
static const json_t *lookup(const struct ctx *c, const struct node *n)
{
	const json_t *v = NULL;
	size_t i;

	if (n->nparts == 0)
		return c != NULL ? c->v : NULL;
	for (; c != NULL && v == NULL; c = c->up)
		if (json_is_object(c->v))
			v = json_object_get(c->v, n->parts[0]);
	for (i = 1; i < n->nparts && v != NULL; i++)
		v = json_is_object(v) ? json_object_get(v, n->parts[i]) : NULL;
	return v;
}

/* True when v opens a section: not missing, null, false, 0, "" or []. */
static bool truthy(const json_t *v)
{
	switch (v != NULL ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT:
	case JSON_TRUE:
		return true;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	default:
		return false;
	}
}

/* Appends v as text: strings (escaped when asked), numbers in their shortest exact form,
 * true as "true"; null, false, objects and arrays as nothing. */
static void put_value(struct buf *out, const json_t *v, bool escape)
{
	char num[32];
	double d;
	int prec;

	switch (v != NULL ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		if (escape)
			buf_html_escape(out, json_string_value(v), json_string_length(v));
		else
			buf_append(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		buf_puts(out, num);
		break;
	case JSON_REAL:
		/* When any form of 15 digits or fewer reads back exactly, %.15g is the shortest. */
		d = json_real_value(v);
		for (prec = 15; prec <= 17; prec++) {
			snprintf(num, sizeof num, "%.*g", prec, d);
			if (prec == 17 || strtod(num, NULL) == d)
				break;
		}
		buf_puts(out, num);
		break;
	case JSON_TRUE:
		buf_puts(out, "true");
		break;
	default:
		break;
	}
}

/* Appends template text s (n bytes), indenting each template line start by in. */
static void put_text(struct render *r, const char *s, size_t n, const struct indent *in)
{
	const char *nl;
	size_t k;

	while (n > 0) {
		if (r->bol)
			put_indent(r->out, in);
		nl = memchr(s, '\n', n);
		k = nl != NULL ? (size_t)(nl - s) + 1 : n;
		buf_append(r->out, s, k);
		r->bol = nl != NULL;
		s += k;
		n -= k;
	}
}

static int render_nodes(struct render *r, const struct node *ns, size_t n,
		const struct ctx *c, const struct indent *in, const struct frame *fr);

/* Renders template `name` for a partial or parent node n: standalone ones indent every line
 * by the tag's indentation; others render unindented. Returns 0, or -1 when nested too
 * deep. A template the set lacks renders as nothing. */
static int render_include(struct render *r, const struct node *n, const struct ctx *c,
		const struct indent *in, const struct frame *fr)
{
	const struct tpl *t = find_tpl(r->set, n->str);
	struct indent sub = { n->indent, n->indent_len, in };
	const struct indent *pin = NULL;
	int rc;

	if (t == NULL)
		return 0;
	if (r->depth >= TPL_MAX_DEPTH)
		return -1;
	if (n->standalone) {
		pin = n->indent_len > 0 ? &sub : in;
		r->bol = true;
	}
	r->depth++;
	rc = render_nodes(r, t->nodes, t->nnodes, c, pin, fr);
	r->depth--;
	return rc;
}

/* Renders block site n: the outermost argument of its name in the frames fr, reindented for
 * the site, else its default content. Returns 0 or -1. */
static int render_block(struct render *r, const struct node *n, const struct ctx *c,
		const struct indent *in, const struct frame *fr)
{
	const struct node *arg = NULL;
	const struct frame *owner = NULL, *f;
	struct indent sub = { n->indent, n->indent_len, in };
	size_t i;

	for (f = fr; f != NULL; f = f->outer) {
		for (i = 0; i < f->parent->nkids; i++) {
			if (strcmp(f->parent->kids[i].str, n->str) == 0) {
				arg = &f->parent->kids[i];
				owner = f;
				break;
			}
		}
	}
	if (arg == NULL)
		return render_nodes(r, n->kids, n->nkids, c, in, fr);
	if (n->standalone)
		r->bol = true;
	return render_nodes(r, arg->kids, arg->nkids, c, n->indent_len > 0 ? &sub : in,
		owner->outer);
}

/* Renders nodes ns[0, n) in context c with indentation in and parent frames fr, appending
 * to r->out. Returns 0, or -1 when partials nest too deep. */
static int render_nodes(struct render *r, const struct node *ns, size_t n,
		const struct ctx *c, const struct indent *in, const struct frame *fr)
{
	const struct node *nd;
	const json_t *v;
	struct ctx sub;
	struct frame pf;
	size_t i, k;

	for (i = 0; i < n; i++) {
		nd = &ns[i];
		switch (nd->kind) {
		case N_TEXT:
			put_text(r, nd->str, nd->len, in);
			break;
		case N_VAR:
			if (r->bol)
				put_indent(r->out, in);
			r->bol = false;
			put_value(r->out, lookup(c, nd), nd->escape);
			break;
		case N_SECTION:
			v = lookup(c, nd);
			if (!truthy(v))
				break;
			sub.up = c;
			for (k = 0; k < (json_is_array(v) ? json_array_size(v) : 1); k++) {
				sub.v = json_is_array(v) ? json_array_get(v, k) : v;
				if (render_nodes(r, nd->kids, nd->nkids, &sub, in, fr) != 0)
					return -1;
			}
			break;
		case N_INVERTED:
			if (!truthy(lookup(c, nd)) && render_nodes(r, nd->kids, nd->nkids, c, in, fr) != 0)
				return -1;
			break;
		case N_PARTIAL:
			if (render_include(r, nd, c, in, fr) != 0)
				return -1;
			break;
		case N_PARENT:
			pf.parent = nd;
			pf.outer = fr;
			if (render_include(r, nd, c, in, &pf) != 0)
				return -1;
			break;
		case N_BLOCK:
			if (render_block(r, nd, c, in, fr) != 0)
				return -1;
			break;
		}
	}
	return 0;
}

/* Renders template `name` of set with model as root context, appending to out. Returns 0, or
 * -1 for an unknown template, too-deep nesting, or a failed buffer. */
int tpl_render(const struct tpl_set *set, const char *name, const json_t *model, struct buf *out)
{
	const struct tpl *t = find_tpl(set, name);
	struct ctx root = { model, NULL };
	struct render r = { set, out, true, 0 };

	if (t == NULL)
		return -1;
	if (render_nodes(&r, t->nodes, t->nnodes, model != NULL ? &root : NULL, NULL, NULL) != 0)
		return -1;
	return buf_failed(out) ? -1 : 0;
}

/* ---- loading a directory -------------------------------------------------------------- */

/* True when s starts with element `tag`'s start or end tag ("<pre", "</pre" for "pre"), the
 * tag's name ending there; case-insensitive, as HTML. */
static bool at_tag(const char *s, const char *tag, bool end)
{
	size_t n = strlen(tag);

	if (*s++ != '<' || (end && *s++ != '/') || strncasecmp(s, tag, n) != 0)
		return false;
	s += n;
	return *s == '>' || *s == '/' || is_space(*s);
}

/* Drops the blanks that begin each line of markup source s (a NUL-terminated string of len
 * bytes), except inside <pre> and <textarea>, where they are content. Returns the new length. */
static size_t drop_indentation(char *s, size_t len)
{
	static const char *const raw_tags[] = { "pre", "textarea" };
	const char *raw = NULL; /* the element whose content is being copied as it is */
	size_t i = 0, o = 0, k;
	bool bol = true;

	while (i < len) {
		if (bol && raw == NULL)
			while (i < len && is_blank(s[i]))
				i++;
		if (i == len)
			break;
		if (s[i] == '<') {
			for (k = 0; raw == NULL && k < sizeof raw_tags / sizeof raw_tags[0]; k++)
				if (at_tag(s + i, raw_tags[k], false))
					raw = raw_tags[k];
			if (raw != NULL && at_tag(s + i, raw, true))
				raw = NULL;
		}
		bol = s[i] == '\n';
		s[o++] = s[i++];
	}
	s[o] = '\0';
	return o;
}

/* Reads file `path` and adds it to set as `name`; a `markup` file loses its indentation
 * (drop_indentation). Returns 0, or -1 with a message in err. */
static int load_file(struct tpl_set *set, const char *path, const char *name, bool markup,
		char *err, size_t errlen)
{
	struct buf src = {0};
	char chunk[8192];
	size_t n;
	FILE *f;
	int rc = -1;

	f = fopen(path, "rb");
	if (f == NULL) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&src, chunk, n);
	if (ferror(f)) {
		set_err(err, errlen, "%s: read error", path);
		goto out;
	}
	if (buf_failed(&src)) {
		set_err(err, errlen, "%s: out of memory", path);
		goto out;
	}
	if (memchr(buf_str(&src), '\0', src.len) != NULL) {
		set_err(err, errlen, "%s: contains a NUL byte", path);
		goto out;
	}
	if (markup)
		src.len = drop_indentation(src.data, src.len);
	rc = tpl_set_add(set, name, buf_str(&src), path, err, errlen);
out:
	if (f != NULL)
		fclose(f);
	buf_free(&src);
	return rc;
}

/* True when template `name` is below directory text_dir (NULL for none) of the root. */
static bool is_text(const char *name, const char *text_dir)
{
	size_t n = text_dir != NULL ? strlen(text_dir) : 0;

	return n > 0 && strncmp(name, text_dir, n) == 0 && name[n] == '/';
}

/* Loads every *.mustache below root/rel (rel "" for root itself), naming each by its path
 * relative to root without the suffix; names starting with '.' are skipped; those below
 * text_dir are plain text, the others markup. Returns 0, or -1 with a message in err. */
static int load_tree(struct tpl_set *set, const char *root, const char *rel,
		const char *text_dir, int depth, char *err, size_t errlen)
{
	struct buf dir = {0}, path = {0}, name = {0};
	struct dirent **ents = NULL;
	struct stat st;
	const char *e;
	size_t stem;
	int n = 0, i, rc = -1;

	buf_puts(&dir, root);
	if (*rel != '\0')
		buf_printf(&dir, "/%s", rel);
	if (buf_failed(&dir)) {
		set_err(err, errlen, "%s: out of memory", root);
		goto out;
	}
	n = scandir(buf_str(&dir), &ents, NULL, alphasort);
	if (n < 0) {
		set_err(err, errlen, "%s: %s", buf_str(&dir), strerror(errno));
		n = 0;
		goto out;
	}
	for (i = 0; i < n; i++) {
		e = ents[i]->d_name;
		if (e[0] == '.')
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", buf_str(&dir), e);
		if (buf_failed(&path)) {
			set_err(err, errlen, "%s: out of memory", buf_str(&dir));
			goto out;
		}
		if (stat(buf_str(&path), &st) != 0) {
			set_err(err, errlen, "%s: %s", buf_str(&path), strerror(errno));
			goto out;
		}
		stem = strlen(e);
		if (S_ISREG(st.st_mode) && stem > SUFFIX_LEN
				&& strcmp(e + stem - SUFFIX_LEN, SUFFIX) == 0)
			stem -= SUFFIX_LEN;
		else if (!S_ISDIR(st.st_mode))
			continue;
		buf_reset(&name);
		if (*rel != '\0')
			buf_printf(&name, "%s/", rel);
		buf_append(&name, e, stem);
		if (buf_failed(&name)) {
			set_err(err, errlen, "%s: out of memory", buf_str(&dir));
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (load_file(set, buf_str(&path), buf_str(&name),
				      !is_text(buf_str(&name), text_dir), err, errlen) != 0)
				goto out;
		} else if (depth >= MAX_DIR_DEPTH) {
			set_err(err, errlen, "%s: directories nested too deeply", buf_str(&path));
			goto out;
		} else if (load_tree(set, root, buf_str(&name), text_dir, depth + 1, err,
				     errlen) != 0) {
			goto out;
		}
	}
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	buf_free(&dir);
	buf_free(&path);
	buf_free(&name);
	return rc;
}

/* Checks that every partial and parent named in nodes ns[0, n) of template t is in set.
 * Returns 0, or -1 with "file:line: message" in err. */
static int check_refs(const struct tpl_set *set, const struct tpl *t, const struct node *ns,
		size_t n, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((ns[i].kind == N_PARTIAL || ns[i].kind == N_PARENT)
				&& find_tpl(set, ns[i].str) == NULL) {
			set_err(err, errlen, "%s:%u: %s '%s' not found", t->filename, ns[i].line,
				ns[i].kind == N_PARTIAL ? "partial" : "parent", ns[i].str);
			return -1;
		}
		if (check_refs(set, t, ns[i].kids, ns[i].nkids, err, errlen) != 0)
			return -1;
	}
	return 0;
}

/* Loads dir's templates into set, then checks every template's partials and parents. Returns
 * 0, or -1 with a message naming file and line in err. */
int tpl_set_load_dir(struct tpl_set *set, const char *dir, const char *text_dir, char *err,
		     size_t errlen)
{
	size_t i;

	if (load_tree(set, dir, "", text_dir, 0, err, errlen) != 0)
		return -1;
	for (i = 0; i < set->cap; i++)
		if (set->slots[i] != NULL && check_refs(set, set->slots[i], set->slots[i]->nodes,
				set->slots[i]->nnodes, err, errlen) != 0)
			return -1;
	return 0;
}
