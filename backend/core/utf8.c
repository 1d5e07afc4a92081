/* utf8.c - checking and counting UTF-8; see utf8.h. */
#include "utf8.h"

/* Counts the code points of s[0..n) into *chars. Returns 0, or -1 when s is not well-formed
 * UTF-8 (overlongs, surrogates and values above U+10FFFF are not). */
int utf8_count(const unsigned char *s, size_t n, size_t *chars)
{
	size_t i = 0, k, len;
	unsigned cp;

	*chars = 0;
	while (i < n) {
		if (s[i] < 0x80) {
			len = 1;
			cp = s[i];
		} else if ((s[i] & 0xE0) == 0xC0) {
			len = 2;
			cp = s[i] & 0x1F;
		} else if ((s[i] & 0xF0) == 0xE0) {
			len = 3;
			cp = s[i] & 0x0F;
		} else if ((s[i] & 0xF8) == 0xF0) {
			len = 4;
			cp = s[i] & 0x07;
		} else {
			return -1;
		}
		if (len > n - i)
			return -1;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return -1;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return -1;
		i += len;
		(*chars)++;
	}
	return 0;
}
