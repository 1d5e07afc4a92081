/* fuzz_multipart.c - the multipart/form-data parser (core/multipart.c) that reads every upload.
 * The input is the body; the boundary is "XyZ" (an input may also start with its own
 * Content-Type line). Property: what it accepts lies inside the body, and every file name it
 * reports makes a safe display name (no path, no control or quoting characters). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "filetype.h"
#include "http.h"
#include "multipart.h"

/* A display name never holds a path separator or a character a header or a page could
 * misread. */
static void check_name(const char *client)
{
	char out[FILETYPE_NAME_BYTES];
	struct buf cd = { 0 };
	const unsigned char *p;

	filetype_display_name(client, FILETYPE_PDF, out);
	if (strlen(out) < 5 || strlen(out) >= FILETYPE_NAME_BYTES || strpbrk(out, "/\\\"*:<>?|") ||
	    strcmp(out + strlen(out) - 4, ".pdf") != 0)
		abort();
	for (p = (const unsigned char *)out; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
	filetype_content_disposition(&cd, out);
	for (p = (const unsigned char *)buf_str(&cd); *p != '\0'; p++)
		if (*p < 0x20 || *p >= 0x7f)
			abort();
	buf_free(&cd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char ct[128] = "multipart/form-data; boundary=XyZ";
	const char *body = (const char *)data, *nl;
	struct kvlist fields = { 0 };
	struct multipart_file *files = NULL;
	size_t nfiles = 0, i;

	nl = size > 0 && data[0] == 'm' ? memchr(data, '\n', size < 120 ? size : 120) : NULL;
	if (nl != NULL) {
		memcpy(ct, data, (size_t)(nl - body));
		ct[nl - body] = '\0';
		size -= (size_t)(nl - body) + 1;
		body = nl + 1;
	}
	if (multipart_parse(body, size, ct, &fields, &files, &nfiles) == 0) {
		for (i = 0; i < nfiles; i++) {
			if (files[i].data < body || files[i].data + files[i].len > body + size)
				abort();
			check_name(files[i].filename);
		}
	} else if (fields.len != 0 || files != NULL || nfiles != 0) {
		abort();
	}
	multipart_files_free(files, nfiles);
	kv_free(&fields);
	return 0;
}
