/* fuzz_cookie.c - reading the session and CSRF cookies from a Cookie header (cookie_value,
 * core/session.c). Property: a value found fits, holds no ';', and follows its name and '=' at
 * the start of one of the header's pairs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"

static void check(const char *header, const char *name)
{
	char out[48];
	const char *at;
	size_t n = strlen(name);

	if (cookie_value(header, name, out, sizeof out) != 0)
		return;
	if (strlen(out) >= sizeof out || strchr(out, ';') != NULL)
		abort();
	for (at = strstr(header, name); at != NULL; at = strstr(at + 1, name))
		if ((at == header || at[-1] == ' ' || at[-1] == ';') && at[n] == '=' &&
		    strncmp(at + n + 1, out, strlen(out)) == 0)
			return;
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *header = malloc(size + 1);

	if (header == NULL)
		return 0;
	memcpy(header, data, size);
	header[size] = '\0';
	check(header, "__Host-session");
	check(header, "__Host-csrf");
	free(header);
	return 0;
}
