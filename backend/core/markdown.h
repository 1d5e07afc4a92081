/* markdown.h - Markdown (CommonMark) to HTML, safely, through libcmark.
 *
 * The only HTML the portal prints unescaped comes from here. libcmark's safe mode
 * (CMARK_OPT_SAFE, the default since 0.29): raw HTML in the input, blocks and inline tags, is
 * replaced by a comment, and links whose URL uses javascript:, vbscript:, file: or data: are
 * emptied; text is always escaped. On top of that, to fit the page the HTML goes into:
 *   - headings go below the page's own <h1> and <h2> section headings, with no level left
 *     out: the levels the text uses, shallowest first, become <h3>, <h4>, <h5> and <h6> ("##
 *     The role" then "### Duties" is <h3> then <h4>, as is "# The role" then "### Duties");
 *   - images become their alternative text (the Content-Security-Policy would block other
 *     sites' images anyway, and a job advert has no use for them);
 *   - a line break typed inside a paragraph stays a line break (<br />), so text written
 *     without any Markdown reads as it was typed.
 */
#ifndef PORTAL_MARKDOWN_H
#define PORTAL_MARKDOWN_H

#include "buf.h"

/* Appends the HTML of the Markdown text md (NUL-terminated UTF-8; NULL is taken as "") to out.
 * Returns 0, or -1 when memory ran out (out may then hold part of the HTML). */
int markdown_html(const char *md, struct buf *out);

#endif
