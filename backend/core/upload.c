/* upload.c - checking uploaded documents and sending stored ones back; see upload.h. */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "upload.h"

const char *upload_check(const struct req *r, const struct multipart_file *f, size_t max_bytes,
			 struct upload_result *out)
{
	const char *why = NULL;

	out->type = FILETYPE_NONE;
	if (f == NULL || (f->len == 0 && f->filename[0] == '\0')) {
		out->refusal = UPLOAD_MISSING;
		snprintf(out->message, sizeof out->message, "Select a PDF or Word document to upload");
	} else if (f->len == 0) {
		out->refusal = UPLOAD_EMPTY;
		snprintf(out->message, sizeof out->message, "The selected file is empty");
	} else if (f->len > max_bytes) {
		out->refusal = UPLOAD_TOO_LARGE;
		snprintf(out->message, sizeof out->message,
			 "The selected file must be smaller than %zuMB", max_bytes >> 20);
	} else {
		out->type = filetype_detect(f->data, f->len, &why);
		out->refusal = out->type == FILETYPE_NONE ? UPLOAD_WRONG_TYPE : UPLOAD_OK;
	}
	if (out->refusal == UPLOAD_WRONG_TYPE) {
		log_event(LOG_INFO, "upload refused", "request_id", r->id, "reason", why, NULL);
		snprintf(out->message, sizeof out->message,
			 "The selected file must be a PDF or Word document (DOCX)");
	} else if (out->refusal == UPLOAD_OK) {
		out->message[0] = '\0';
	}
	return out->refusal == UPLOAD_OK ? NULL : out->message;
}

int upload_send(struct req *r, const char *name, const char *type, const char *data, size_t len,
		const char *cache)
{
	struct buf disposition = { 0 };
	int status = 500;

	if (strcmp(type, filetype_mime(FILETYPE_PDF)) != 0 &&
	    strcmp(type, filetype_mime(FILETYPE_DOCX)) != 0)
		goto out;
	filetype_content_disposition(&disposition, name);
	if (buf_failed(&disposition) ||
	    http_add_header(r, "Content-Disposition", buf_str(&disposition)) != 0 ||
	    http_add_header(r, "Content-Security-Policy", "sandbox") != 0 ||
	    http_add_header(r, "Cross-Origin-Resource-Policy", "same-origin") != 0 ||
	    http_add_header(r, "Cache-Control", cache) != 0)
		goto out;
	status = http_send(r, 200, type, data, len);
out:
	buf_free(&disposition);
	return r->status != 0 ? status : http_send_error(r, status, NULL);
}
