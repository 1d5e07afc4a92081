/* xml.h - writing XML text (the Atom feed, the sitemap): escaping, and leaving out what XML 1.0
 * cannot carry. */
#ifndef PORTAL_XML_H
#define PORTAL_XML_H

#include "buf.h"

/* Appends s XML-escaped (fit for text and attribute values), without the characters XML 1.0
 * forbids (C0 controls other than tab and line ends). s may be NULL (nothing appended). */
void xml_escape(struct buf *b, const char *s);

/* Appends <name>escaped text</name> and a line end. */
void xml_element(struct buf *b, const char *name, const char *text);

#endif
