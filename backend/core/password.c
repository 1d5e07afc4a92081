/* password.c - Argon2id password hashes with a cap on concurrent hashing, and the password
 * policy with its list of common passwords. See password.h. */
#include <argon2.h>
#include <errno.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "log.h"
#include "password.h"
#include "utf8.h"

/* The current parameters. Changing one makes password_verify() report needs_rehash for every
 * hash stored before, and the dummy below follows automatically. */
#define ARGON_T 2
#define ARGON_M 19456           /* KiB */
#define ARGON_P 1
#define SALT_BYTES 16
#define HASH_BYTES 32
#define SALT_B64 22             /* unpadded base64 length of SALT_BYTES */
#define HASH_B64 43             /* ... of HASH_BYTES */

/* Bounds on parameters read from a stored hash, so a damaged row cannot make one check take
 * gigabytes or minutes. */
#define STORED_M_MAX 262144
#define STORED_T_MAX 16
#define STORED_P_MAX 8

#define STR_(x) #x
#define STR(x) STR_(x)

/* Verified against when an account has no password yet, so that the answer takes as long as a
 * real check. Same parameters as new hashes; its all-zero hash matches no password. */
static const char dummy_hash[] =
	"$argon2id$v=19$m=" STR(ARGON_M) ",t=" STR(ARGON_T) ",p=" STR(ARGON_P)
	"$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

static const char msg_enter[] = "Enter a password";
static const char msg_invalid[] = "Password must only include valid characters";
static const char msg_short[] = "Password must be 12 characters or more";
static const char msg_long[] = "Password must be 256 characters or fewer";
static const char msg_personal[] = "Password must not contain your email address or name";
static const char msg_common[] = "This password is too common. Choose a different password";

#define PASSWORD_MAX_BYTES (PASSWORD_MAX_CHARS * 4)

/* ---- the concurrency cap ------------------------------------------------------------------ */

static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slots_free = PTHREAD_COND_INITIALIZER;
static unsigned slots_active;
static unsigned slots_peak;

/* Waits up to PASSWORD_WAIT_MS for one of the PASSWORD_MAX_CONCURRENT hashing slots. Returns 0
 * when the caller holds a slot (release it with slot_release), -1 on timeout. */
static int slot_acquire(void)
{
	struct timespec deadline;
	int rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += PASSWORD_WAIT_MS / 1000;
	deadline.tv_nsec += (long)(PASSWORD_WAIT_MS % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&slots_lock);
	while (slots_active >= PASSWORD_MAX_CONCURRENT && rc != ETIMEDOUT)
		rc = pthread_cond_clockwait(&slots_free, &slots_lock, CLOCK_MONOTONIC, &deadline);
	if (slots_active >= PASSWORD_MAX_CONCURRENT) {
		pthread_mutex_unlock(&slots_lock);
		return -1;
	}
	slots_active++;
	if (slots_active > slots_peak)
		slots_peak = slots_active;
	pthread_mutex_unlock(&slots_lock);
	return 0;
}

/* Gives back a slot taken by slot_acquire and wakes one waiter. */
static void slot_release(void)
{
	pthread_mutex_lock(&slots_lock);
	slots_active--;
	pthread_cond_signal(&slots_free);
	pthread_mutex_unlock(&slots_lock);
}

unsigned password_active_peak(void)
{
	unsigned peak;

	pthread_mutex_lock(&slots_lock);
	peak = slots_peak;
	pthread_mutex_unlock(&slots_lock);
	return peak;
}

/* ---- hashing ------------------------------------------------------------------------------ */

enum password_result password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	unsigned char salt[SALT_BYTES];
	int rc;

	out[0] = '\0';
	if (password == NULL)
		return PASSWORD_ERROR;
	if (RAND_bytes(salt, sizeof salt) != 1) {
		log_errorf(__func__, "RAND_bytes failed");
		return PASSWORD_ERROR;
	}
	if (slot_acquire() != 0) {
		log_event(LOG_WARN, "password hashing busy", NULL);
		return PASSWORD_BUSY;
	}
	rc = argon2id_hash_encoded(ARGON_T, ARGON_M, ARGON_P, password, strlen(password), salt,
				   sizeof salt, HASH_BYTES, out, PASSWORD_HASH_MAX);
	slot_release();
	if (rc != ARGON2_OK) {
		out[0] = '\0';
		log_errorf(__func__, "argon2: %s", argon2_error_message(rc));
		return PASSWORD_ERROR;
	}
	return PASSWORD_OK;
}

/* The parts of a PHC string that decide whether it needs rehashing. */
struct phc {
	unsigned long version, m, t, p;
	size_t salt_len, hash_len;   /* base64 characters */
};

/* Reads "<key>=<decimal>" at s into *out (at most max, no sign, no spaces). Returns the
 * position after the number, or NULL. */
static const char *phc_number(const char *s, const char *key, unsigned long max,
			      unsigned long *out)
{
	size_t klen = strlen(key), digits = 0;
	unsigned long v = 0;

	if (strncmp(s, key, klen) != 0 || s[klen] != '=')
		return NULL;
	s += klen + 1;
	while (*s >= '0' && *s <= '9' && digits < 10) {
		v = v * 10 + (unsigned long)(*s++ - '0');
		digits++;
	}
	if (digits == 0 || (*s >= '0' && *s <= '9') || v > max)
		return NULL;
	*out = v;
	return s;
}

/* Length of the run of base64 characters (RFC 4648, no padding) at s. */
static size_t b64_span(const char *s)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
}

/* Parses "$argon2id$[v=V$]m=M,t=T,p=P$salt$hash" with the parameters within the STORED_*
 * bounds. Returns 0 and fills out, or -1. */
static int phc_parse(const char *s, struct phc *out)
{
	static const char prefix[] = "$argon2id$";

	if (strncmp(s, prefix, sizeof prefix - 1) != 0)
		return -1;
	s += sizeof prefix - 1;
	out->version = ARGON2_VERSION_10;
	if (s[0] == 'v') {
		s = phc_number(s, "v", ARGON2_VERSION_13, &out->version);
		if (s == NULL || *s++ != '$')
			return -1;
		if (out->version != ARGON2_VERSION_10 && out->version != ARGON2_VERSION_13)
			return -1;
	}
	s = phc_number(s, "m", STORED_M_MAX, &out->m);
	if (s == NULL || *s++ != ',')
		return -1;
	s = phc_number(s, "t", STORED_T_MAX, &out->t);
	if (s == NULL || *s++ != ',')
		return -1;
	s = phc_number(s, "p", STORED_P_MAX, &out->p);
	if (s == NULL || *s++ != '$')
		return -1;
	if (out->t < 1 || out->p < 1 || out->m < 8 * out->p)
		return -1;
	out->salt_len = b64_span(s);
	s += out->salt_len;
	if (*s++ != '$')
		return -1;
	out->hash_len = b64_span(s);
	if (s[out->hash_len] != '\0' || out->salt_len < 11 || out->hash_len < 6)
		return -1;
	return 0;
}

enum password_result password_verify(const char *password, const char *stored, bool *needs_rehash)
{
	const char *encoded = stored != NULL ? stored : dummy_hash;
	struct phc p;
	int rc;

	if (needs_rehash != NULL)
		*needs_rehash = false;
	if (password == NULL)
		password = "";
	if (phc_parse(encoded, &p) != 0) {
		log_errorf(__func__, "stored password hash is not a usable Argon2id PHC string");
		return PASSWORD_ERROR;
	}
	if (slot_acquire() != 0) {
		log_event(LOG_WARN, "password hashing busy", NULL);
		return PASSWORD_BUSY;
	}
	rc = argon2id_verify(encoded, password, strlen(password));
	slot_release();
	if (stored == NULL || rc == ARGON2_VERIFY_MISMATCH)
		return PASSWORD_MISMATCH;
	if (rc != ARGON2_OK) {
		log_errorf(__func__, "argon2: %s", argon2_error_message(rc));
		return PASSWORD_ERROR;
	}
	if (needs_rehash != NULL)
		*needs_rehash = p.version != ARGON2_VERSION_13 || p.m != ARGON_M || p.t != ARGON_T ||
				p.p != ARGON_P || p.salt_len != SALT_B64 || p.hash_len != HASH_B64;
	return PASSWORD_OK;
}

/* ---- the list of common passwords --------------------------------------------------------- */

/* An immutable open-addressing hash set of lower-cased passwords. The strings live in text. */
struct pwlist {
	char *text;             /* the file, lower-cased, lines NUL-terminated */
	const char **slots;     /* mask + 1 slots, NULL = empty */
	size_t mask;
	size_t count;
};

static struct pwlist *common;

/* FNV-1a over s[0..n). */
static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot where s[0..n) is, or the empty slot where it would go. */
static const char **pwlist_slot(const struct pwlist *l, const char *s, size_t n)
{
	size_t i = (size_t)fnv1a(s, n) & l->mask;

	while (l->slots[i] != NULL &&
	       !(strncmp(l->slots[i], s, n) == 0 && l->slots[i][n] == '\0'))
		i = (i + 1) & l->mask;
	return &l->slots[i];
}

/* True when the loaded list holds s[0..n) (already lower-cased). False with no list. */
static bool listed(const char *s, size_t n)
{
	return common != NULL && *pwlist_slot(common, s, n) != NULL;
}

/* Lower-cases the ASCII letters of s[0..n) in place. */
static void ascii_lower(char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
}

/* Frees a list and everything it owns. NULL is ignored. */
static void pwlist_free(struct pwlist *l)
{
	if (l == NULL)
		return;
	free(l->slots);
	free(l->text);
	free(l);
}

/* Builds the set from the file's text (taken over: freed with the list, also on failure).
 * Returns the list or NULL when out of memory. */
static struct pwlist *pwlist_build(char *text, size_t len)
{
	static const char comment[] = "#!comment:";
	struct pwlist *l = calloc(1, sizeof *l);
	size_t lines = 1, cap = 16, i, n;
	const char **slot;
	char *line, *next;

	if (l == NULL) {
		free(text);
		return NULL;
	}
	l->text = text;
	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	while (cap < 2 * lines)
		cap *= 2;
	l->slots = calloc(cap, sizeof *l->slots);
	if (l->slots == NULL) {
		pwlist_free(l);
		return NULL;
	}
	l->mask = cap - 1;
	ascii_lower(text, len);
	for (line = text; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (n == 0 || strncmp(line, comment, sizeof comment - 1) == 0)
			continue;
		slot = pwlist_slot(l, line, n);
		if (*slot == NULL) {
			*slot = line;
			l->count++;
		}
	}
	return l;
}

int password_list_load(const char *path, char *err, size_t errlen)
{
	struct buf b = { 0 };
	struct pwlist *l;
	char chunk[65536];
	size_t n;
	FILE *f;
	int rc = -1;

	f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto out;
	}
	buf_putc(&b, '\0');
	if (buf_failed(&b)) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	if (memchr(b.data, '\0', b.len - 1) != NULL) {
		snprintf(err, errlen, "%s: not a text file (NUL byte)", path);
		goto out;
	}
	l = pwlist_build(b.data, b.len - 1);
	b = (struct buf){ 0 };
	if (l == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	if (l->count == 0) {
		snprintf(err, errlen, "%s: no passwords in the file", path);
		pwlist_free(l);
		goto out;
	}
	pwlist_free(common);
	common = l;
	rc = 0;
out:
	buf_free(&b);
	fclose(f);
	return rc;
}

void password_list_free(void)
{
	pwlist_free(common);
	common = NULL;
}

/* ---- the policy --------------------------------------------------------------------------- */

/* True for the ASCII characters that pad a word: anything but a lower-case letter (the input
 * is lower-cased). Bytes of multi-byte characters count as letters. */
static bool is_pad(char c)
{
	return (unsigned char)c < 0x80 && !(c >= 'a' && c <= 'z');
}

/* The step from character a to b in a run such as "1234" or "dcba": +1, -1, or 0 for neither.
 * Digits wrap around ("7890123"). */
static int run_step(char a, char b)
{
	int d = (unsigned char)b - (unsigned char)a;

	if (a >= '0' && a <= '9' && b >= '0' && b <= '9')
		d = (d + 10) % 10 == 9 ? -1 : (d + 10) % 10;
	return d == 1 || d == -1 ? d : 0;
}

/* True when low[0..n) (lower-cased) is on the list, or is a listed word of 4 or more
 * characters padded with digits or symbols at either end. */
static bool listed_word(const char *low, size_t n)
{
	size_t b = 0, e = n;

	if (listed(low, n))
		return true;
	while (b < n && is_pad(low[b]))
		b++;
	while (e > b && is_pad(low[e - 1]))
		e--;
	return (b > 0 || e < n) && e - b >= 4 && listed(low + b, e - b);
}

/* True when low[0..n) (lower-cased, valid UTF-8, n > 1) is common: see password.h. */
static bool is_common(const char *low, size_t n)
{
	size_t u, i, chars;
	int step;

	if (listed_word(low, n))
		return true;
	for (u = 1; u <= n / 2; u++) {
		if (n % u != 0 || memcmp(low, low + u, n - u) != 0)
			continue;
		for (i = 0, chars = 0; i < u; i++)
			chars += ((unsigned char)low[i] & 0xC0) != 0x80;
		if (chars <= 4 || listed_word(low, u))
			return true;
	}
	step = run_step(low[0], low[1]);
	for (i = 1; step != 0 && i < n; i++)
		if (run_step(low[i - 1], low[i]) != step)
			step = 0;
	return step != 0;
}

/* True when low[0..n) (lower-cased) is or contains needle[0..m) ignoring ASCII case, m > 0. */
static bool contains_ci(const char *low, size_t n, const char *needle, size_t m)
{
	char lowered[PASSWORD_MAX_BYTES];

	if (m > n)
		return false;
	memcpy(lowered, needle, m);
	ascii_lower(lowered, m);
	return memmem(low, n, lowered, m) != NULL;
}

/* True when low[0..n) (lower-cased) is built from the account's email or name: see
 * password.h. email and name may be NULL. */
static bool is_personal(const char *low, size_t n, const char *email, const char *name)
{
	const char *at;
	size_t local;

	if (email != NULL && email[0] != '\0') {
		if (contains_ci(low, n, email, strlen(email)))
			return true;
		at = strchr(email, '@');
		local = at != NULL ? (size_t)(at - email) : 0;
		if (local == n && contains_ci(low, n, email, local))
			return true;
		if (local >= 4 && contains_ci(low, n, email, local))
			return true;
	}
	return name != NULL && strlen(name) == n && contains_ci(low, n, name, n);
}

const char *password_policy(const char *password, const char *email, const char *name)
{
	char low[PASSWORD_MAX_BYTES];
	size_t n, chars;

	if (password == NULL || password[0] == '\0')
		return msg_enter;
	n = strlen(password);
	if (utf8_count((const unsigned char *)password, n, &chars) != 0)
		return msg_invalid;
	if (chars < PASSWORD_MIN_CHARS)
		return msg_short;
	if (chars > PASSWORD_MAX_CHARS)
		return msg_long;
	memcpy(low, password, n);
	ascii_lower(low, n);
	if (is_personal(low, n, email, name))
		return msg_personal;
	if (is_common(low, n))
		return msg_common;
	return NULL;
}
