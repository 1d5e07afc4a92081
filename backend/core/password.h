/* password.h - password storage and policy.
 *
 * Argon2id (libargon2): m = 19 MiB, t = 2, p = 1, a random 16-byte salt, a 32-byte hash, stored
 * as the PHC string ($argon2id$v=19$m=19456,t=2,p=1$salt$hash). At most PASSWORD_MAX_CONCURRENT
 * hashes run at once across all threads, so a burst of logins cannot exhaust memory; a caller
 * that waits longer than PASSWORD_WAIT_MS for a turn gets PASSWORD_BUSY (answer 503).
 *
 * Policy (NIST SP 800-63B): 12 to 256 characters (Unicode code points of valid UTF-8), not the
 * user's email address or name, not a common password; no composition rules. "Common" means,
 * ignoring ASCII case: on the loaded list (Openwall's password.lst from Debian's john-data);
 * or a listed word of 4 or more characters padded with digits or symbols at either end
 * ("password1234", "!!monkey2024"); or a unit of at most 4 characters repeated ("aaaaaaaaaaaa",
 * "abcabcabcabc") or a (padded) listed word repeated ("letmein!letmein!"); or a run of consecutive
 * characters ("123456789012", "abcdefghijkl", "987654321098").
 */
#ifndef PORTAL_PASSWORD_H
#define PORTAL_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_CHARS 256
#define PASSWORD_HASH_MAX 128
#define PASSWORD_MAX_CONCURRENT 4
#define PASSWORD_WAIT_MS 5000

enum password_result {
	PASSWORD_OK = 0,
	PASSWORD_MISMATCH = 1,   /* verify: wrong password */
	PASSWORD_BUSY = 2,       /* too many hashes in progress: try again shortly */
	PASSWORD_ERROR = -1,     /* out of memory, bad stored hash, ... */
};

/* Loads the common-password list at path: one password per line, compared ignoring ASCII case;
 * lines starting "#!comment:" (john's header) and empty lines are skipped. Replaces any list
 * loaded before. Call at start-up, before any thread uses password_policy(): reads afterwards
 * are lock-free and thread-safe. Returns 0, or -1 with a message in err (then the previous
 * list, if any, stays). */
int password_list_load(const char *path, char *err, size_t errlen);
/* Frees the list. password_policy() then checks only the list-free rules. */
void password_list_free(void);

/* Checks a new password against the policy. email and name (the account's, may be NULL) must
 * not be the password: it may not equal or contain the full email, nor equal or contain its
 * local part (containment only when the local part has 4 or more characters), nor equal the
 * name; all ignoring ASCII case. Returns NULL when acceptable, else the message to show beside
 * the field (a static string), one of:
 *   "Enter a password", "Password must only include valid characters" (invalid UTF-8),
 *   "Password must be 12 characters or more", "Password must be 256 characters or fewer",
 *   "Password must not contain your email address or name",
 *   "This password is too common. Choose a different password". */
const char *password_policy(const char *password, const char *email, const char *name);

/* Hashes password into out (PASSWORD_HASH_MAX bytes) with the current parameters and a fresh
 * salt from OpenSSL's RAND_bytes. Returns PASSWORD_OK, PASSWORD_BUSY or PASSWORD_ERROR (out is
 * then an empty string). */
enum password_result password_hash(const char *password, char out[PASSWORD_HASH_MAX]);

/* Verifies password against a stored PHC string in constant time. On PASSWORD_OK sets
 * *needs_rehash (may be NULL) when the stored version, m, t, p, salt or hash length differ from
 * the current ones: the caller then stores password_hash()'s result. A NULL stored hash (no
 * password set yet) is a MISMATCH, after the same work as a real check, so timing does not tell
 * whether an account exists. A stored string that is not Argon2id or whose parameters are out
 * of bounds (m > 256 MiB, t > 16, p > 8) is PASSWORD_ERROR. Also PASSWORD_BUSY. */
enum password_result password_verify(const char *password, const char *stored, bool *needs_rehash);

/* The most hashes (password_hash + password_verify) that have run at the same time since the
 * process started; never more than PASSWORD_MAX_CONCURRENT. For tests and metrics. */
unsigned password_active_peak(void);

#endif
