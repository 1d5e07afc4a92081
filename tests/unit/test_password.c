/* test_password.c - Argon2id hashes (format, salts, verification, rehash detection, the cap on
 * concurrent hashing) and the password policy (length in code points, UTF-8, common passwords,
 * email and name). */
#include <argon2.h>
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "password.h"

#define JOHN_LIST "/usr/share/john/password.lst"

static const char too_common[] = "This password is too common. Choose a different password";
static const char personal[] = "Password must not contain your email address or name";

/* Writes text to a new temporary file and loads it as the common-password list. The file is
 * removed again; the test fails when loading fails. */
static void load_list_text(const char *text)
{
	char path[] = "/tmp/test_password_XXXXXX", err[256];
	int fd = mkstemp(path);
	size_t n = strlen(text);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, n), (ssize_t)n);
	close(fd);
	ck_assert_msg(password_list_load(path, err, sizeof err) == 0, "%s", err);
	unlink(path);
}

/* Makes an Argon2id PHC string with the given parameters and version, as an older release of
 * the portal might have stored. */
static void old_hash(const char *pw, uint32_t t, uint32_t m, uint32_t p, argon2_version v,
		     char out[PASSWORD_HASH_MAX])
{
	const unsigned char salt[16] = "0123456789abcdef";

	ck_assert_int_eq(argon2_hash(t, m, p, pw, strlen(pw), salt, sizeof salt, NULL, 32, out,
				     PASSWORD_HASH_MAX, Argon2_id, v),
			 ARGON2_OK);
}

START_TEST(hash_has_phc_format)
{
	char h[PASSWORD_HASH_MAX];
	const char prefix[] = "$argon2id$v=19$m=19456,t=2,p=1$";

	ck_assert_int_eq(password_hash("correct horse battery staple", h), PASSWORD_OK);
	ck_assert_msg(strncmp(h, prefix, sizeof prefix - 1) == 0, "%s", h);
	/* 16-byte salt and 32-byte hash in unpadded base64: 22 and 43 characters */
	ck_assert_uint_eq(strlen(h), sizeof prefix - 1 + 22 + 1 + 43);
	ck_assert_ptr_nonnull(strchr(h + sizeof prefix - 1, '$'));
}
END_TEST

START_TEST(verify_right_and_wrong)
{
	char h[PASSWORD_HASH_MAX];
	bool rehash = true;

	ck_assert_int_eq(password_hash("correct horse battery staple", h), PASSWORD_OK);
	ck_assert_int_eq(password_verify("correct horse battery staple", h, &rehash), PASSWORD_OK);
	ck_assert(!rehash);
	ck_assert_int_eq(password_verify("correct horse battery stapl", h, &rehash),
			 PASSWORD_MISMATCH);
	ck_assert_int_eq(password_verify("Correct horse battery staple", h, NULL),
			 PASSWORD_MISMATCH);
	ck_assert_int_eq(password_verify("", h, NULL), PASSWORD_MISMATCH);
	ck_assert_int_eq(password_verify(NULL, h, NULL), PASSWORD_MISMATCH);
}
END_TEST

START_TEST(same_password_gets_different_salts)
{
	char a[PASSWORD_HASH_MAX], b[PASSWORD_HASH_MAX];

	ck_assert_int_eq(password_hash("correct horse battery staple", a), PASSWORD_OK);
	ck_assert_int_eq(password_hash("correct horse battery staple", b), PASSWORD_OK);
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(password_verify("correct horse battery staple", a, NULL), PASSWORD_OK);
	ck_assert_int_eq(password_verify("correct horse battery staple", b, NULL), PASSWORD_OK);
}
END_TEST

START_TEST(old_parameters_need_rehash)
{
	char h[PASSWORD_HASH_MAX];
	bool rehash;

	old_hash("correct horse battery staple", 1, 19456, 1, ARGON2_VERSION_13, h);
	rehash = false;
	ck_assert_int_eq(password_verify("correct horse battery staple", h, &rehash), PASSWORD_OK);
	ck_assert(rehash);

	old_hash("correct horse battery staple", 2, 4096, 1, ARGON2_VERSION_13, h);
	rehash = false;
	ck_assert_int_eq(password_verify("correct horse battery staple", h, &rehash), PASSWORD_OK);
	ck_assert(rehash);

	old_hash("correct horse battery staple", 2, 19456, 1, ARGON2_VERSION_10, h);
	ck_assert_msg(strstr(h, "$v=16$") != NULL, "%s", h);
	rehash = false;
	ck_assert_int_eq(password_verify("correct horse battery staple", h, &rehash), PASSWORD_OK);
	ck_assert(rehash);

	/* the current parameters from outside: no rehash */
	old_hash("correct horse battery staple", 2, 19456, 1, ARGON2_VERSION_13, h);
	rehash = true;
	ck_assert_int_eq(password_verify("correct horse battery staple", h, &rehash), PASSWORD_OK);
	ck_assert(!rehash);

	/* a wrong password against an old hash is a mismatch, never a rehash */
	old_hash("correct horse battery staple", 1, 4096, 1, ARGON2_VERSION_13, h);
	rehash = false;
	ck_assert_int_eq(password_verify("wrong horse battery staple", h, &rehash),
			 PASSWORD_MISMATCH);
	ck_assert(!rehash);
}
END_TEST

START_TEST(no_stored_hash_is_a_mismatch)
{
	bool rehash = true;

	ck_assert_int_eq(password_verify("correct horse battery staple", NULL, &rehash),
			 PASSWORD_MISMATCH);
	ck_assert(!rehash);
	ck_assert_int_eq(password_verify("", NULL, NULL), PASSWORD_MISMATCH);
	ck_assert_int_eq(password_verify(NULL, NULL, NULL), PASSWORD_MISMATCH);
}
END_TEST

START_TEST(unusable_stored_hash_is_an_error)
{
	static const char *bad[] = {
		"",
		"plaintext",
		"$argon2i$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=4194304,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=19456,t=1000,p=1$MDEyMzQ1Njc4OWFiY2RlZg$"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA$extra",
		"$argon2id$v=18$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=+19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=19456,t=2,p=1$$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(password_verify("correct horse battery staple", bad[i], NULL) ==
				      PASSWORD_ERROR,
			      "%s", bad[i]);
}
END_TEST

/* Starts together with the other threads, then hashes once. */
static pthread_barrier_t start;

static void *hash_once(void *arg)
{
	char h[PASSWORD_HASH_MAX];
	int *rc = arg;

	pthread_barrier_wait(&start);
	*rc = password_hash("correct horse battery staple", h);
	return NULL;
}

/* Twice the cap asks at once: each waits at most one round for a turn, well inside the 5 s a
 * caller may wait even on a loaded machine, so every hash must succeed. */
#define THREADS (2 * PASSWORD_MAX_CONCURRENT)

START_TEST(concurrent_hashes_are_capped)
{
	pthread_t t[THREADS];
	int rc[THREADS];
	size_t i;

	ck_assert_int_eq(pthread_barrier_init(&start, NULL, THREADS), 0);
	for (i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, hash_once, &rc[i]), 0);
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(rc[i], PASSWORD_OK);
	}
	pthread_barrier_destroy(&start);
	/* more threads than the cap asked at once: the cap was reached and never exceeded */
	ck_assert_uint_eq(password_active_peak(), PASSWORD_MAX_CONCURRENT);
}
END_TEST

/* Fills out with n code points, each encoded in `width` bytes (1..4), that neither repeat nor
 * run in sequence, and a NUL. */
static void varied(char *out, size_t n, int width)
{
	static const unsigned base[] = { 0, 0x61, 0x3b1, 0x4e00, 0x1f600 };
	unsigned x = 12345, cp;
	size_t i;

	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		cp = base[width] + (x >> 16) % (width == 1 ? 26 : 40);
		if (width == 1) {
			*out++ = (char)cp;
		} else if (width == 2) {
			*out++ = (char)(0xC0 | cp >> 6);
			*out++ = (char)(0x80 | (cp & 0x3F));
		} else if (width == 3) {
			*out++ = (char)(0xE0 | cp >> 12);
			*out++ = (char)(0x80 | (cp >> 6 & 0x3F));
			*out++ = (char)(0x80 | (cp & 0x3F));
		} else {
			*out++ = (char)(0xF0 | cp >> 18);
			*out++ = (char)(0x80 | (cp >> 12 & 0x3F));
			*out++ = (char)(0x80 | (cp >> 6 & 0x3F));
			*out++ = (char)(0x80 | (cp & 0x3F));
		}
	}
	*out = '\0';
}

START_TEST(policy_counts_code_points)
{
	char pw[4 * 300 + 1];
	int width;

	password_list_free();
	ck_assert_str_eq(password_policy("", NULL, NULL), "Enter a password");
	ck_assert_str_eq(password_policy(NULL, NULL, NULL), "Enter a password");
	for (width = 1; width <= 4; width++) {
		varied(pw, 11, width);
		ck_assert_str_eq(password_policy(pw, NULL, NULL),
				 "Password must be 12 characters or more");
		varied(pw, 12, width);
		ck_assert_msg(password_policy(pw, NULL, NULL) == NULL, "%s", pw);
		varied(pw, 256, width);
		ck_assert_msg(password_policy(pw, NULL, NULL) == NULL, "%s", pw);
		varied(pw, 257, width);
		ck_assert_str_eq(password_policy(pw, NULL, NULL),
				 "Password must be 256 characters or fewer");
	}
	/* 12 Greek letters are 24 bytes, 11 are 22 */
	ck_assert_ptr_null(password_policy("καλημέραφίλε", NULL, NULL));
	ck_assert_str_eq(password_policy("καλημέραφίλ", NULL, NULL),
			 "Password must be 12 characters or more");
	ck_assert_ptr_null(password_policy("tr0ub4dor&3x", NULL, NULL));
	ck_assert_ptr_null(password_policy("correct horse battery staple", NULL, NULL));
}
END_TEST

START_TEST(policy_rejects_invalid_utf8)
{
	static const char *bad[] = {
		"correct horse \xff battery",
		"correct horse \xc0\xaf battery",        /* overlong '/' */
		"correct horse \xed\xa0\x80 battery",    /* surrogate */
		"correct horse \xf4\x90\x80\x80 battery", /* above U+10FFFF */
		"correct horse battery \xe2\x82",        /* truncated */
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_str_eq(password_policy(bad[i], NULL, NULL),
				 "Password must only include valid characters");
}
END_TEST

START_TEST(policy_rejects_listed_passwords)
{
	load_list_text("#!comment: this line is a comment not a password\n"
		       "123456\nPassword\nmonkey\nsunshine\r\n\n"
		       "ThisIsALongCommonOne\nwinniethepooh\n");
	ck_assert_str_eq(password_policy("thisisalongcommonone", NULL, NULL), too_common);
	ck_assert_str_eq(password_policy("THISISALONGCOMMONONE", NULL, NULL), too_common);
	ck_assert_str_eq(password_policy("WinnieThePooh", NULL, NULL), too_common);
	/* a listed word padded with digits or symbols */
	ck_assert_str_eq(password_policy("password1234", NULL, NULL), too_common);
	ck_assert_str_eq(password_policy("Password2024!", NULL, NULL), too_common);
	ck_assert_str_eq(password_policy("!!monkey2024!", NULL, NULL), too_common);
	ck_assert_str_eq(password_policy("sunshine 1234", NULL, NULL), too_common);
	/* a listed word repeated */
	ck_assert_str_eq(password_policy("monkeymonkeymonkey", NULL, NULL), too_common);
	/* the comment is not a password; listed words inside a longer phrase are fine */
	ck_assert_ptr_null(password_policy("#!comment: this line is a comment not a password",
					   NULL, NULL));
	ck_assert_ptr_null(password_policy("monkeys like sunshine", NULL, NULL));
	ck_assert_ptr_null(password_policy("my password is long", NULL, NULL));
	ck_assert_ptr_null(password_policy("x3v9q2lm7c0p", NULL, NULL));
	/* without a list only the list-free rules apply */
	password_list_free();
	ck_assert_ptr_null(password_policy("thisisalongcommonone", NULL, NULL));
	ck_assert_str_eq(password_policy("aaaaaaaaaaaa", NULL, NULL), too_common);
}
END_TEST

START_TEST(policy_rejects_repeats_and_runs)
{
	static const char *bad[] = {
		"aaaaaaaaaaaa", "            ", "abcabcabcabc", "abcdabcdabcd", "121212121212",
		"ééééééééééééé", "123456789012", "abcdefghijkl", "ZYXWVUTSRQPO", "987654321098",
		"890123456789",
	};
	const char *msg;
	size_t i;

	password_list_free();
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		msg = password_policy(bad[i], NULL, NULL);
		ck_assert_msg(msg != NULL && strcmp(msg, too_common) == 0, "%s", bad[i]);
	}
	/* a repeated unit longer than four characters is as strong as the unit */
	ck_assert_ptr_null(password_policy("xq7zkxq7zkxq7zk", NULL, NULL));
	ck_assert_ptr_null(password_policy("123456789013", NULL, NULL));
}
END_TEST

START_TEST(policy_rejects_email_and_name)
{
	const char *email = "Jane.Smith@Example.org";

	password_list_free();
	ck_assert_str_eq(password_policy("jane.smith@example.org", email, NULL), personal);
	ck_assert_str_eq(password_policy("my jane.smith@example.org!", email, NULL), personal);
	ck_assert_str_eq(password_policy("JANE.SMITH2024!", email, NULL), personal);
	ck_assert_str_eq(password_policy("i am jane.smith", email, NULL), personal);
	ck_assert_str_eq(password_policy("averylongusername", "AveryLongUserName@example.org",
					 NULL),
			 personal);
	ck_assert_str_eq(password_policy("christopher robin", NULL, "Christopher Robin"),
			 personal);
	ck_assert_str_eq(password_policy("CHRISTOPHER ROBIN", email, "Christopher Robin"),
			 personal);
	/* a name inside a longer phrase, and a short local part, are allowed */
	ck_assert_ptr_null(password_policy("christopher robin and pooh", email,
					   "Christopher Robin"));
	ck_assert_ptr_null(password_policy("always be kind to al", "al@example.org", "Al"));
	ck_assert_ptr_null(password_policy("jane smith went to town", email, "Jane Smith"));
	ck_assert_ptr_null(password_policy("correct horse battery staple", "", ""));
}
END_TEST

START_TEST(list_load_errors)
{
	char err[256];

	ck_assert_int_eq(password_list_load("/nonexistent/password.lst", err, sizeof err), -1);
	ck_assert_msg(strstr(err, "/nonexistent/password.lst") != NULL, "%s", err);
	ck_assert_int_eq(password_list_load("/dev/null", err, sizeof err), -1);
	ck_assert_msg(strstr(err, "no passwords") != NULL, "%s", err);
	/* a failed load keeps the list loaded before */
	load_list_text("ThisIsALongCommonOne\n");
	ck_assert_int_eq(password_list_load("/dev/null", err, sizeof err), -1);
	ck_assert_str_eq(password_policy("thisisalongcommonone", NULL, NULL), too_common);
}
END_TEST

START_TEST(debian_john_list)
{
	char err[256];

	ck_assert_msg(password_list_load(JOHN_LIST, err, sizeof err) == 0,
		      "%s (install Debian's john-data)", err);
	ck_assert_str_eq(password_policy("winniethepooh", NULL, NULL), too_common);
	ck_assert_str_eq(password_policy("WinnieThePooh", NULL, NULL), too_common);
	ck_assert_str_eq(password_policy("password1234", NULL, NULL), too_common);
	ck_assert_str_eq(password_policy("Qwertyuiop123", NULL, NULL), too_common);
	ck_assert_str_eq(password_policy("iloveyou2024!", NULL, NULL), too_common);
	ck_assert_str_eq(password_policy("letmein!letmein!", NULL, NULL), too_common);
	ck_assert_ptr_null(password_policy("correct horse battery staple", NULL, NULL));
	ck_assert_ptr_null(password_policy("Thurrock teachers 2025", NULL, NULL));
	password_list_free();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("password");
	TCase *hash = tcase_create("hash");
	TCase *policy = tcase_create("policy");
	SRunner *sr;
	int failed;

	tcase_set_timeout(hash, 60);
	tcase_add_test(hash, hash_has_phc_format);
	tcase_add_test(hash, verify_right_and_wrong);
	tcase_add_test(hash, same_password_gets_different_salts);
	tcase_add_test(hash, old_parameters_need_rehash);
	tcase_add_test(hash, no_stored_hash_is_a_mismatch);
	tcase_add_test(hash, unusable_stored_hash_is_an_error);
	tcase_add_test(hash, concurrent_hashes_are_capped);
	suite_add_tcase(s, hash);
	tcase_add_test(policy, policy_counts_code_points);
	tcase_add_test(policy, policy_rejects_invalid_utf8);
	tcase_add_test(policy, policy_rejects_listed_passwords);
	tcase_add_test(policy, policy_rejects_repeats_and_runs);
	tcase_add_test(policy, policy_rejects_email_and_name);
	tcase_add_test(policy, list_load_errors);
	tcase_add_test(policy, debian_john_list);
	suite_add_tcase(s, policy);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
