/* filetype.h - what an uploaded file really is, judged by its bytes (never by its name or the
 * type the client claimed). Only two kinds are accepted:
 *
 * PDF   "%PDF-d.d" at the very start, "%%EOF" within the last 1024 bytes, and no HTML or SVG
 *       markup in the first 1024 bytes (a PDF/HTML polyglot).
 * DOCX  a ZIP (local header "PK\3\4" at the start, one well-formed central directory, no ZIP64,
 *       no encryption, stored or deflated entries only, no overlapping entries, no duplicate
 *       names, at most FILETYPE_ZIP_MAX_ENTRIES entries, at most FILETYPE_ZIP_MAX_TOTAL bytes
 *       uncompressed, no entry over 1 MiB that inflates more than FILETYPE_ZIP_MAX_RATIO times)
 *       holding "[Content_Types].xml" that declares the Word document main part and
 *       "word/document.xml", and no macros (vbaProject.bin, macroEnabled types). Every entry is
 *       inflated (bounded by its declared size, so a lying header cannot run away) and its size
 *       and CRC-32 compared with the directory; every XML part (.xml, .rels) must be UTF-8
 *       without a NUL byte and hold no "<!DOCTYPE" or "<!ENTITY" (external entities, billion
 *       laughs).
 * Anything else - HTML or SVG renamed .pdf, a GIF/PDF polyglot starting "GIF89a", PHP, an
 * executable, a DOCM, a zip bomb - is refused.
 */
#ifndef PORTAL_FILETYPE_H
#define PORTAL_FILETYPE_H

#include <stddef.h>

#include "buf.h"

#define FILETYPE_ZIP_MAX_ENTRIES 1000
#define FILETYPE_ZIP_MAX_TOTAL (100u << 20)
#define FILETYPE_ZIP_MAX_RATIO 100u
#define FILETYPE_NAME_MAX 200                        /* characters of a display name */
#define FILETYPE_NAME_BYTES (FILETYPE_NAME_MAX * 4 + 1)

enum filetype {
	FILETYPE_NONE = 0,
	FILETYPE_PDF,
	FILETYPE_DOCX,
};

/* Identifies data[0..len). Returns FILETYPE_PDF or FILETYPE_DOCX, or FILETYPE_NONE with *why
 * (if why is not NULL) set to a static one-line reason for the log ("zip: entry is
 * encrypted"). Thread-safe; allocates only while it runs. */
enum filetype filetype_detect(const void *data, size_t len, const char **why);

/* The media type ("application/pdf", ...) and the file extension (".pdf", ".docx") of a
 * detected type; NULL for FILETYPE_NONE. */
const char *filetype_mime(enum filetype t);
const char *filetype_extension(enum filetype t);

/* The name to show for an uploaded file of checked type t (not FILETYPE_NONE), made from the
 * name the client sent (UTF-8; invalid bytes are dropped): the part after the last '/' or '\\',
 * without control characters (C0, DEL, C1), bidirectional controls (a "cv\u202Efdp.exe"
 * disguise), the byte order mark and the characters " * : < > ? |, without leading and trailing
 * dots and spaces, "document" when nothing is left, ending with the type's extension in lower
 * case (added when missing), at most FILETYPE_NAME_MAX characters (the stem is shortened).
 * Writes it into out (FILETYPE_NAME_BYTES bytes). Never a path: safe to show, never to be used
 * as one. */
void filetype_display_name(const char *client, enum filetype t, char out[FILETYPE_NAME_BYTES]);

/* A file size for people: "812 bytes", "1 byte", "240 KB", "3.4 MB" (KB rounded up), into out
 * (32 bytes are enough). */
void filetype_size_label(long long size, char *out, size_t outlen);

/* Appends a Content-Disposition value for downloading a file called name (a display name):
 * attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded> (RFC 6266,
 * RFC 8187). The fallback keeps printable ASCII and writes '_' for any other character. */
void filetype_content_disposition(struct buf *b, const char *name);

#endif
