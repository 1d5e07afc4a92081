/* upload.h - the one check of an uploaded document (a PDF or a DOCX) and the one way to send a
 * stored one back, for every feature that keeps documents (vacancy_documents.c,
 * application_documents.c).
 *
 * The check runs in the order of the GOV.UK file upload pattern and gives its messages: a file
 * was chosen ("Select a PDF or Word document to upload"), it is not empty ("The selected file
 * is empty"), it is at most the feature's limit ("The selected file must be smaller than
 * 10MB"), and its bytes are a PDF or a DOCX by filetype_detect - never the name or the claimed
 * type ("The selected file must be a PDF or Word document (DOCX)").
 *
 * A download is an attachment with its checked type, nosniff, a sandbox CSP, same-origin
 * resource policy and the caller's cache policy.
 */
#ifndef PORTAL_UPLOAD_H
#define PORTAL_UPLOAD_H

#include <stddef.h>

#include "filetype.h"
#include "http.h"
#include "multipart.h"

#define UPLOAD_MESSAGE_BYTES 96

/* Which check an upload failed, in the order they run. */
enum upload_refusal {
	UPLOAD_OK = 0,
	UPLOAD_MISSING,      /* no file chosen (field absent, or empty with no file name) */
	UPLOAD_EMPTY,        /* a file of 0 bytes */
	UPLOAD_TOO_LARGE,    /* over the limit */
	UPLOAD_WRONG_TYPE,   /* neither a PDF nor a DOCX by its bytes */
};

/* What upload_check found. */
struct upload_result {
	enum upload_refusal refusal;
	enum filetype type;                   /* PDF or DOCX when UPLOAD_OK, else FILETYPE_NONE */
	char message[UPLOAD_MESSAGE_BYTES];   /* the GOV.UK message to show, "" when UPLOAD_OK */
};

/* Checks file f of a multipart body (NULL when its field was absent) against the checks above,
 * with a limit of max_bytes (a whole number of MiB: the message says max_bytes >> 20 "MB").
 * A file refused for its content is logged with r's request id and filetype_detect's reason.
 * Fills *out. Returns NULL when the file may be stored (out->type set), else out->message. */
const char *upload_check(const struct req *r, const struct multipart_file *f, size_t max_bytes,
			 struct upload_result *out);

/* Sends stored document bytes data[0..len) as the answer to r: 200, Content-Type type,
 * Content-Disposition: attachment with name (a display name from filetype_display_name),
 * Content-Security-Policy: sandbox, Cross-Origin-Resource-Policy: same-origin and
 * Cache-Control: cache ("no-store" for private documents); X-Content-Type-Options: nosniff
 * comes with every response (http_send). A type other than the media type of a PDF or a DOCX
 * (which uploads never store) or a header that cannot be added answers 500. Returns the status
 * sent. */
int upload_send(struct req *r, const char *name, const char *type, const char *data, size_t len,
		const char *cache);

#endif
