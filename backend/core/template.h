/* template.h - Mustache templates over jansson models.
 *
 * A tpl_set holds named, pre-parsed templates; partials ({{> name}}) and parents ({{< name}})
 * are looked up by name in the same set at render time. Templates are parsed once, when added,
 * and rendering never re-parses. Interpolation ({{x}}) HTML-escapes & < > " '; {{{x}}} and
 * {{& x}} do not. Supported: variables with dotted names and implicit iterator, sections,
 * inverted sections, comments, partials (with standalone indentation), set delimiters, and
 * the inheritance module (parents {{<p}}...{{/p}} and blocks {{$b}}...{{/b}}).
 *
 * Values: strings interpolate as themselves, integers in decimal, reals in their shortest
 * exact form (1.5 -> "1.5", 1.0 -> "1"), true as "true"; null, false, a missing name, objects
 * and arrays as nothing. A section opens for any value but a missing name, null, false, 0,
 * 0.0, "" and [] (an inverted section opens for exactly those); an array opens it once per
 * element.
 *
 * Whitespace: a tag alone on its line but for blanks ("standalone") takes the line with it.
 * The blanks before a standalone partial or parent indent each line of the included template
 * (not the values interpolated into it). A block argument loses the indentation of its first
 * line and gains that of the place it fills: the blanks before the block tag or, when the tag
 * is standalone, the blanks that begin its default content.
 *
 * Thread safety: a set is read-only after loading; any number of threads may render at once.
 */
#ifndef PORTAL_TEMPLATE_H
#define PORTAL_TEMPLATE_H

#include <jansson.h>
#include <stdbool.h>

#include "buf.h"

struct tpl_set;

/* Partials and parents nest at most this deep while rendering; tpl_render fails beyond. */
#define TPL_MAX_DEPTH 100

/* Returns a new empty set, or NULL when out of memory. */
struct tpl_set *tpl_set_new(void);

/* Parses source and adds it as `name`. `filename` is used in error messages only. On a syntax
 * error returns -1 and writes "filename:line: message" into err (errlen bytes). Returns 0 on
 * success. Adding an existing name replaces it. */
int tpl_set_add(struct tpl_set *set, const char *name, const char *source, const char *filename,
		char *err, size_t errlen);

/* Loads every *.mustache file below dir; a file dir/a/b.mustache is named "a/b". Files and
 * directories whose names start with '.' are skipped. Templates below dir/text_dir (NULL for
 * none) are plain text and kept as written; every other one is markup (HTML, JSON), where the
 * blanks that begin a line mean nothing, and loses them, except inside <pre> and <textarea>
 * elements: a page is about a tenth smaller, and the blanks before a standalone partial are
 * gone with the rest. Fails (-1, message in err naming file and line) on the first unreadable
 * file or syntax error, and when a template names a partial or parent that the set does not
 * hold (checked over the whole set, after loading). */
int tpl_set_load_dir(struct tpl_set *set, const char *dir, const char *text_dir, char *err,
		     size_t errlen);

/* True when the set holds `name`. */
bool tpl_set_has(const struct tpl_set *set, const char *name);

/* Renders template `name` with `model` (the root context) and appends the result to out.
 * Returns 0, or -1 when the template is unknown, partials nest deeper than TPL_MAX_DEPTH, or
 * memory ran out (out may then be partial).
 * A partial the set does not hold renders as the empty string, as the spec requires. */
int tpl_render(const struct tpl_set *set, const char *name, const json_t *model, struct buf *out);

void tpl_set_free(struct tpl_set *set);

#endif
