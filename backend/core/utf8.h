/* utf8.h - UTF-8 text from the network: well-formedness and length in characters. */
#ifndef PORTAL_UTF8_H
#define PORTAL_UTF8_H

#include <stddef.h>

/* Counts the code points of s[0..n) into *chars. Returns 0, or -1 when s is not well-formed
 * UTF-8 (overlongs, surrogates and values above U+10FFFF are not). */
int utf8_count(const unsigned char *s, size_t n, size_t *chars);

#endif
