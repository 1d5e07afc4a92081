/* password.h - password storage and policy.
 *
 * Argon2id (libargon2): m = 19 MiB, t = 2, p = 1, a random 16-byte salt, stored as the PHC
 * string ($argon2id$v=19$m=19456,t=2,p=1$salt$hash). At most PASSWORD_MAX_CONCURRENT hashes
 * run at once across all threads, so a burst of logins cannot exhaust memory; a caller that
 * waits longer than a few seconds for a turn gets PASSWORD_BUSY (answer 503).
 * Policy (NIST SP 800-63B): 12 to 256 characters (Unicode code points), not on the list of common
 * and breached passwords, not the user's email or name; no composition rules.
 */
#ifndef PORTAL_PASSWORD_H
#define PORTAL_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_CHARS 256
#define PASSWORD_HASH_MAX 128
#define PASSWORD_MAX_CONCURRENT 4

enum password_result {
	PASSWORD_OK = 0,
	PASSWORD_MISMATCH = 1,   /* verify: wrong password */
	PASSWORD_BUSY = 2,       /* too many hashes in progress: try again shortly */
	PASSWORD_ERROR = -1,     /* out of memory, bad stored hash, ... */
};

/* Loads the common-password list (one per line, case-insensitive) from path. Call once at
 * start-up. Returns 0, or -1 with a message in err. */
int password_list_load(const char *path, char *err, size_t errlen);
void password_list_free(void);

/* Checks a new password against the policy. Returns NULL when acceptable, else the message to
 * show beside the field (a static string), e.g. "Password must be 12 characters or more". */
const char *password_policy(const char *password, const char *email, const char *name);

/* Hashes password into out (PASSWORD_HASH_MAX bytes). */
enum password_result password_hash(const char *password, char out[PASSWORD_HASH_MAX]);

/* Verifies password against a stored PHC string in constant time. On PASSWORD_OK sets
 * *needs_rehash when the stored parameters differ from the current ones. A NULL stored hash
 * (no password set yet) is a MISMATCH, after the same work as a real check. */
enum password_result password_verify(const char *password, const char *stored, bool *needs_rehash);

#endif
