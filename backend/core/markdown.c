/* markdown.c - Markdown to safe HTML with libcmark; see markdown.h. */
#include "markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#define MARKDOWN_OPTIONS (CMARK_OPT_SAFE | CMARK_OPT_HARDBREAKS)

/* Replaces image node img by its children (the alternative text), in place. */
static void image_to_text(cmark_node *img)
{
	cmark_node *child;

	while ((child = cmark_node_first_child(img)) != NULL)
		cmark_node_insert_before(img, child);
	cmark_node_free(img);
}

/* Gives the headings of doc the levels below the page's own <h1> and <h2>: the levels the text
 * uses, shallowest first, become 3, 4, 5 and 6 (deeper ones 6), so that a text whose headings
 * start at ## (as people write under a page's title) or skip a level still reads h3, h4 with no
 * level left out (WCAG 1.3.1; axe-core's heading-order). used has bit n set for each level n
 * the text uses. Returns 0, or -1 when out of memory. */
static int headings_fit(cmark_node *doc, unsigned used)
{
	cmark_iter *it = cmark_iter_new(doc);
	int to[7] = { 0 }, next = 3, level;
	cmark_event_type ev;
	cmark_node *node;

	if (it == NULL)
		return -1;
	for (level = 1; level <= 6; level++)
		if (used & (1u << level))
			to[level] = next < 6 ? next++ : 6;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_HEADING)
			cmark_node_set_heading_level(node, to[cmark_node_get_heading_level(node)]);
	}
	cmark_iter_free(it);
	return 0;
}

/* Fits the headings to the page (headings_fit) and turns images into their text, over the
 * whole document. Images are collected first and replaced after the walk, which must not see
 * freed nodes. Returns 0, or -1 when out of memory. */
static int markdown_adjust(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node **images = NULL, **grown, *node;
	size_t n = 0, cap = 0, i;
	cmark_event_type ev;
	unsigned used = 0;
	int rc = -1;

	if (it == NULL)
		return -1;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (cmark_node_get_type(node) == CMARK_NODE_HEADING) {
			used |= 1u << cmark_node_get_heading_level(node);
		} else if (cmark_node_get_type(node) == CMARK_NODE_IMAGE) {
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				grown = realloc(images, cap * sizeof *images);
				if (grown == NULL)
					goto out;
				images = grown;
			}
			images[n++] = node;
		}
	}
	for (i = 0; i < n; i++)
		image_to_text(images[i]);
	rc = used != 0 ? headings_fit(doc, used) : 0;
out:
	cmark_iter_free(it);
	free(images);
	return rc;
}

int markdown_html(const char *md, struct buf *out)
{
	cmark_node *doc;
	char *html = NULL;
	int rc = -1;

	if (md == NULL)
		md = "";
	doc = cmark_parse_document(md, strlen(md), MARKDOWN_OPTIONS);
	if (doc == NULL)
		return -1;
	if (markdown_adjust(doc) != 0)
		goto out;
	html = cmark_render_html(doc, MARKDOWN_OPTIONS);
	if (html == NULL)
		goto out;
	buf_puts(out, html);
	rc = buf_failed(out) ? -1 : 0;
out:
	free(html);
	cmark_node_free(doc);
	return rc;
}
