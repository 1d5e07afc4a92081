/* multipart.h - multipart/form-data bodies (RFC 7578, framing of RFC 2046): our own parser.
 *
 * Strict by design: anything that is not well-formed is refused as a whole (the caller answers
 * 400), never half-read. The boundary comes from the Content-Type parameter (token or quoted
 * string, 1 to 70 characters of RFC 2046's bcharsnospace, plus inner spaces); every part has
 * CRLF-terminated headers (no folding, at most MULTIPART_MAX_HEADER_BYTES and
 * MULTIPART_MAX_HEADERS of them) with exactly one `Content-Disposition: form-data; name="..."`;
 * there are at most MULTIPART_MAX_PARTS parts and the close delimiter must be present. Preamble
 * and epilogue are ignored, as RFC 2046 says. A NUL byte in a header, a field name or a text
 * value, header values or text values that are not UTF-8, and a Content-Transfer-Encoding other
 * than 7bit/8bit/binary are all refused. File contents are binary and kept as they are.
 *
 * A part whose Content-Disposition has a filename parameter (even an empty one: a browser sends
 * filename="" when no file was chosen) is a file; any other part is a text field.
 */
#ifndef PORTAL_MULTIPART_H
#define PORTAL_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"

#define MULTIPART_MAX_PARTS 50
#define MULTIPART_MAX_HEADERS 8          /* header lines per part */
#define MULTIPART_MAX_HEADER_BYTES 4096  /* one part's header block, CRLFs included */
#define MULTIPART_MAX_BOUNDARY 70

/* One uploaded file. name, filename and content_type are malloc'd, NUL-terminated UTF-8;
 * filename is exactly what the client sent (it may hold "../", quotes or percent signs: show it
 * only after sanitising it and never use it on the filesystem); content_type is the part's
 * claimed type ("" when absent), which proves nothing. data points INTO the body given to
 * multipart_parse (not a copy): it lives as long as that body. */
struct multipart_file {
	char *name;
	char *filename;
	char *content_type;
	const char *data;
	size_t len;
};

/* True when content_type (a request's Content-Type header, may be NULL) is multipart/form-data,
 * whatever its parameters. */
bool multipart_is(const char *content_type);

/* Parses body[0..len) as multipart/form-data with the boundary named in content_type. Text
 * fields are appended to `fields` (as kv_add copies, in order) unless fields is NULL; files go
 * into a new array *files of *nfiles entries unless files is NULL (then they are checked and
 * dropped). Returns 0, or -1 when the body or content_type is malformed, breaks a limit, or
 * memory runs out; on -1 nothing is added to fields and *files is NULL, *nfiles 0. The caller
 * frees the array with multipart_files_free(). */
int multipart_parse(const char *body, size_t len, const char *content_type, struct kvlist *fields,
		    struct multipart_file **files, size_t *nfiles);

/* Frees an array from multipart_parse (NULL is fine). */
void multipart_files_free(struct multipart_file *files, size_t nfiles);

/* The first file of field `name` in files, or NULL. */
const struct multipart_file *multipart_file_get(const struct multipart_file *files, size_t nfiles,
						const char *name);

#endif
