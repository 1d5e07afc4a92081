/* fuzz_mail.c - composing an email (mail_compose, core/mail.c) from what people typed: the
 * input's NUL-separated parts are the address, the subject, the body, a List-Unsubscribe URL
 * and an attachment's name, type and content. Property (no header injection, valid on the
 * wire): every line ends in CRLF and is at most 998 bytes; the headers are exactly the ones
 * the sender writes, one To and one Subject, each on its own line or folded. */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mail.h"

static const char *const headers[] = { "From:", "To:", "Subject:", "Date:", "Message-ID:",
				       "List-Unsubscribe:", "List-Unsubscribe-Post:",
				       "MIME-Version:", "Content-Type:", "Auto-Submitted:",
				       "Content-Transfer-Encoding:" };

static void check_message(const char *msg)
{
	const char *line = msg, *eol, *end = strstr(msg, "\r\n\r\n");
	size_t k, to = 0, subject = 0;
	bool known;

	if (end == NULL)
		abort();
	for (; *line != '\0'; line = eol + 2) {
		eol = strstr(line, "\r\n");
		if (eol == NULL || eol - line > 998 || memchr(line, '\n', (size_t)(eol - line)) ||
		    memchr(line, '\r', (size_t)(eol - line)))
			abort();
		if (line > end)
			continue;
		if (line == end || line[0] == ' ' || line[0] == '\t')
			continue;
		for (k = 0, known = false; k < sizeof headers / sizeof *headers; k++)
			if (strncmp(line, headers[k], strlen(headers[k])) == 0)
				known = true;
		if (!known)
			abort();
		to += strncmp(line, "To:", 3) == 0;
		subject += strncmp(line, "Subject:", 8) == 0;
	}
	if (to != 1 || subject != 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *part[7] = { "", "", "", NULL, NULL, "text/calendar", "x" };
	char *copy = malloc(size + 1), *p;
	json_t *attachments = NULL;
	struct mail_message m = { 0 };
	struct buf out = { 0 };
	const char *why = NULL;
	size_t k = 0;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (p = copy; k < 7 && p <= copy + size; p += strlen(p) + 1)
		part[k++] = p;
	if (part[4] != NULL)
		attachments = json_pack("[{s:s, s:s, s:s}]", "filename", part[4], "content_type",
					part[5], "content", part[6]);
	m.id = "42";
	m.to = part[0];
	m.subject = part[1];
	m.body = part[2];
	m.list_unsubscribe = part[3] != NULL && part[3][0] != '\0' ? part[3] : NULL;
	m.created = 1700000000;
	m.attachments = attachments;
	if (mail_compose(&out, &m, "Teaching in Thurrock <jobs@example.org>", &why) == 0)
		check_message(buf_str(&out));
	else if (why == NULL)
		abort();
	json_decref(attachments);
	buf_free(&out);
	free(copy);
	return 0;
}
