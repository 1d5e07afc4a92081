/* fuzz_filetype.c - the document checker (core/filetype.c: PDF, and DOCX read as a zip with
 * its own inflate limits) that decides what an upload is. Property: it answers one of its
 * types, with a reason whenever it refuses. */
#include <stdint.h>
#include <stdlib.h>

#include "filetype.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	enum filetype t = filetype_detect(data, size, &why);

	if (t != FILETYPE_NONE && t != FILETYPE_PDF && t != FILETYPE_DOCX)
		abort();
	if (t == FILETYPE_NONE && (why == NULL || why[0] == '\0'))
		abort();
	if (t != FILETYPE_NONE && filetype_mime(t) == NULL)
		abort();
	return 0;
}
