/* test_mail.c - email: the templates and what mail_enqueue refuses (header injection), bad
 * smtp_url/mail_from settings, delivery over real SMTP to tests/smtp_sink.py (headers,
 * encodings, envelope, List-Unsubscribe for the messages someone subscribed to), retries
 * after the SMTP server was down, giving up, riding out a PostgreSQL restart, shutdown
 * cutting off a hung SMTP server, two portal instances delivering each message exactly once,
 * the outbox kept and logged (without bodies) when no smtp_url is set, and the HR-only
 * /hr/outbox page.
 *
 * mail_enqueue runs in this process (the backend objects are linked in) with the templates of
 * frontend/templates; the portals under test only send. Each delivery test has a sink of its
 * own (it may stop and restart it on the same port), so it does not use the harness's shared
 * sink. Other test binaries may leave unsent messages in the outbox: every assertion here is
 * about this test's own messages, and the messages these tests leave unsent are deleted. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <limits.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "buf.h"
#include "harness.h"
#include "mail.h"

#define SINK_PYTHON "/usr/bin/python3"
#define BASE "https://portal.example.test"
#define FROM_ENV "PORTAL_MAIL_FROM=Teaching in Thurrock <no-reply@thurrock.example.test>"

/* --- helpers: the SMTP sink -------------------------------------------------------------- */

static pid_t sink_pid;
static int sink_port;
static char sink_dir[PATH_MAX];

/* A TCP port on 127.0.0.1 nobody listens on now. */
static int pick_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &alen) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	ck_assert_msg(port > 0, "no free port: %s", strerror(errno));
	return port;
}

/* True when something accepts TCP connections on 127.0.0.1:port. */
static int port_open(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* Makes sink_dir a fresh directory under IT_TMPDIR (once per test) and picks sink_port. */
static void sink_prepare(void)
{
	const char *tmp = getenv("IT_TMPDIR");

	ck_assert_msg(tmp != NULL, "IT_TMPDIR is not set: run through tests/run-integration.sh");
	snprintf(sink_dir, sizeof sink_dir, "%s/mail-XXXXXX", tmp);
	ck_assert_msg(mkdtemp(sink_dir) != NULL, "mkdtemp: %s", strerror(errno));
	sink_port = pick_port();
}

/* Starts tests/smtp_sink.py on sink_port writing into sink_dir; waits until it listens. */
static void sink_start(void)
{
	char port[16], log[PATH_MAX + 16];
	long long until;
	pid_t parent = getpid();
	int fd;

	snprintf(port, sizeof port, "%d", sink_port);
	snprintf(log, sizeof log, "%s.log", sink_dir);
	sink_pid = fork();
	ck_assert_msg(sink_pid >= 0, "fork: %s", strerror(errno));
	if (sink_pid == 0) {
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(125);
		execl(SINK_PYTHON, SINK_PYTHON, "tests/smtp_sink.py", "--port", port, "--dir",
		      sink_dir, (char *)NULL);
		_exit(127);
	}
	until = it_now_ms() + 10000;
	while (!port_open(sink_port)) {
		ck_assert_msg(waitpid(sink_pid, NULL, WNOHANG) == 0,
			      "smtp_sink.py exited at start (is python3-aiosmtpd installed?); "
			      "see %s", log);
		ck_assert_msg(it_now_ms() < until, "smtp_sink.py did not listen within 10 s");
		it_sleep_ms(50);
	}
}

/* Stops the sink (SIGTERM) and checks that it exits cleanly. */
static void sink_stop(void)
{
	long long until = it_now_ms() + 5000;
	int st = 0;
	pid_t r;

	ck_assert_msg(kill(sink_pid, SIGTERM) == 0, "kill sink: %s", strerror(errno));
	while ((r = waitpid(sink_pid, &st, WNOHANG)) == 0 && it_now_ms() < until)
		it_sleep_ms(20);
	if (r == 0)
		kill(sink_pid, SIGKILL);
	ck_assert_msg(r == sink_pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "smtp_sink.py did not exit cleanly on SIGTERM");
	sink_pid = 0;
}

/* Reads a whole file (malloc'd), NULL when it cannot be read. */
static char *slurp(const char *path)
{
	struct buf b = { 0 };
	char chunk[4096];
	FILE *f = fopen(path, "rb");
	char *out;
	size_t n;

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	ck_assert_msg(!buf_failed(&b), "out of memory");
	out = strdup(buf_str(&b));
	ck_assert_ptr_nonnull(out);
	buf_free(&b);
	return out;
}

/* The messages in sink_dir that contain marker: how many, and (when out is not NULL) a copy of
 * the first (caller frees). Temporary files (".n.eml.tmp") are never read. */
static int sink_messages(const char *marker, char **out)
{
	char path[PATH_MAX + 300];
	struct dirent *e;
	DIR *d = opendir(sink_dir);
	int n = 0;

	if (out != NULL)
		*out = NULL;
	ck_assert_msg(d != NULL, "opendir %s: %s", sink_dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char *text;

		if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".eml") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", sink_dir, e->d_name);
		text = slurp(path);
		if (text != NULL && strstr(text, marker) != NULL) {
			n++;
			if (out != NULL && *out == NULL) {
				*out = text;
				text = NULL;
			}
		}
		free(text);
	}
	closedir(d);
	return n;
}

/* Waits up to timeout_ms for a message containing marker; returns it (caller frees). */
static char *sink_wait(const char *marker, int timeout_ms)
{
	long long until = it_now_ms() + timeout_ms;
	char *msg;

	while (sink_messages(marker, &msg) == 0) {
		ck_assert_msg(it_now_ms() < until, "no email containing \"%s\" reached the sink "
			      "within %d ms", marker, timeout_ms);
		it_sleep_ms(100);
	}
	return msg;
}

/* --- helpers: parsing a received message ------------------------------------------------- */

/* Value of header `name` in msg's header block (unfolded, malloc'd), or NULL. */
static char *mail_header(const char *msg, const char *name)
{
	const char *end = strstr(msg, "\r\n\r\n"), *p = msg;
	size_t nlen = strlen(name);
	struct buf b = { 0 };
	char *out;

	ck_assert_msg(end != NULL, "no blank line after the headers");
	while (p < end) {
		const char *eol = strstr(p, "\r\n");

		if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			p += nlen + 1;
			while (*p == ' ')
				p++;
			for (;;) {
				buf_append(&b, p, (size_t)(eol - p));
				if (eol[2] != ' ' && eol[2] != '\t')
					break;
				p = eol + 2;
				eol = strstr(p, "\r\n");
			}
			out = strdup(buf_str(&b));
			buf_free(&b);
			return out;
		}
		p = eol + 2;
	}
	return NULL;
}

/* The body of msg (after the blank line); points into msg. */
static const char *mail_body(const char *msg)
{
	const char *end = strstr(msg, "\r\n\r\n");

	ck_assert_ptr_nonnull(end);
	return end + 4;
}

/* Decodes quoted-printable text (malloc'd). */
static char *qp_decode(const char *s)
{
	struct buf b = { 0 };
	char *out;

	while (*s != '\0') {
		if (s[0] == '=' && s[1] == '\r' && s[2] == '\n') {
			s += 3;
		} else if (s[0] == '=' && s[1] != '\0' && s[2] != '\0') {
			char hex[3] = { s[1], s[2], '\0' };

			buf_putc(&b, (char)strtol(hex, NULL, 16));
			s += 3;
		} else {
			buf_putc(&b, *s++);
		}
	}
	out = strdup(buf_str(&b));
	buf_free(&b);
	return out;
}

/* Decodes a header value made of RFC 2047 "=?UTF-8?B?...?=" words separated by blanks
 * (malloc'd); fails the test on anything else. */
static char *b_words_decode(const char *s)
{
	struct buf b = { 0 };
	unsigned char raw[256];
	char *out;

	while (*s != '\0') {
		const char *end;
		int n, pad = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		ck_assert_msg(strncmp(s, "=?UTF-8?B?", 10) == 0, "not an encoded word: %s", s);
		s += 10;
		end = strstr(s, "?=");
		ck_assert_msg(end != NULL && end - s < 200, "unterminated encoded word");
		ck_assert_msg(end - s + 12 <= 75, "encoded word longer than 75 characters");
		n = EVP_DecodeBlock(raw, (const unsigned char *)s, (int)(end - s));
		ck_assert_msg(n >= 0, "bad base64 in an encoded word");
		if (end - s >= 1 && end[-1] == '=')
			pad++;
		if (end - s >= 2 && end[-2] == '=')
			pad++;
		buf_append(&b, (const char *)raw, (size_t)(n - pad));
		s = end + 2;
	}
	out = strdup(buf_str(&b));
	buf_free(&b);
	return out;
}

/* Fails unless header `name` of msg equals want. */
static void assert_header(const char *msg, const char *name, const char *want)
{
	char *v = mail_header(msg, name);

	ck_assert_msg(v != NULL, "no %s header in:\n%.600s", name, msg);
	ck_assert_msg(strcmp(v, want) == 0, "%s: \"%s\", want \"%s\"", name, v, want);
	free(v);
}

/* --- helpers: the database and the outbox ------------------------------------------------ */

/* Checked fixture: the templates this process renders with, plus a test-only template whose
 * subject carries a model value, and the base URL of the links. */
static void templates_load(void)
{
	char err[512];

	snprintf(app.cfg.base_url, sizeof app.cfg.base_url, "%s", BASE);
	app.templates = tpl_set_new();
	ck_assert_ptr_nonnull(app.templates);
	ck_assert_msg(tpl_set_load_dir(app.templates, "frontend/templates", MAIL_TEMPLATE_DIR, err, sizeof err) == 0,
		      "templates: %s", err);
	ck_assert_int_eq(tpl_set_add(app.templates, "email/test_subject",
				     "Subject: Hello {{{name}}}\n\n"
				     "Dear {{{name}}},\n\n{{{link}}}\n",
				     "test", err, sizeof err),
			 0);
	ck_assert_int_eq(tpl_set_add(app.templates, "email/test_no_subject", "Hello\n\nBody\n",
				     "test", err, sizeof err),
			 0);
}

/* A new connection to the test database. */
static PGconn *db_open(void)
{
	PGconn *c = PQconnectdb("postgresql://");

	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "connect: %s", PQerrorMessage(c));
	return c;
}

/* Runs sql on c and fails the test unless it succeeds. */
static void db_ok(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(res);

	ck_assert_msg(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK, "%s: %s", sql,
		      PQresultErrorMessage(res));
	PQclear(res);
}

/* mail_enqueue in a committed transaction of its own; returns the new outbox id. */
static long enqueue(const char *to, const char *name, json_t *model)
{
	PGconn *c = db_open();
	PGresult *res;
	long id;

	db_ok(c, "BEGIN");
	ck_assert_msg(mail_enqueue(c, to, name, model) == 0, "mail_enqueue %s failed", name);
	res = PQexec(c, "SELECT currval(pg_get_serial_sequence('outbox', 'id'))");
	ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
	id = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	db_ok(c, "COMMIT");
	PQfinish(c);
	json_decref(model);
	return id;
}

/* A value of outbox row id as a number: e.g. outbox_num(id, "attempts"). */
static long outbox_num(long id, const char *expr)
{
	char sql[256];

	snprintf(sql, sizeof sql, "SELECT %s FROM outbox WHERE id = %ld", expr, id);
	return it_psql_long(sql);
}

/* Polls until `expr` (an SQL boolean on outbox row id) is true; fails after timeout_ms. */
static void outbox_wait(long id, const char *expr, int timeout_ms)
{
	long long until = it_now_ms() + timeout_ms;
	char sql[512];

	snprintf(sql, sizeof sql, "SELECT (%s)::integer FROM outbox WHERE id = %ld", expr, id);
	while (it_psql_long(sql) != 1) {
		ck_assert_msg(it_now_ms() < until, "outbox %ld: \"%s\" not true within %d ms", id,
			      expr, timeout_ms);
		it_sleep_ms(100);
	}
}

/* Starts a portal that sends to sink_port (with extra, one more "NAME=value" or NULL). */
static void portal_with_smtp(const char *url_user, const char *extra)
{
	char smtp[128];
	const char *env[] = { smtp, FROM_ENV, extra, NULL };

	snprintf(smtp, sizeof smtp, "PORTAL_SMTP_URL=smtp://%s%s127.0.0.1:%d",
		 url_user ? url_user : "", url_user ? "@" : "", sink_port);
	it_server_start(env);
}

/* Stops the current portal and checks that it shut down gracefully (the sender stops too). */
static void portal_stop(void)
{
	ck_assert_int_eq(it_server_stop(), 0);
}

/* --- the templates and mail_enqueue ------------------------------------------------------ */

/* Renders template name with model (reference stolen) in a transaction that is rolled back;
 * returns "subject\n\nbody" as stored (malloc'd). */
static char *render_stored(PGconn *c, const char *name, json_t *model)
{
	PGresult *res;
	char *out;

	ck_assert_msg(mail_enqueue(c, "someone@example.test", name, model) == 0,
		      "mail_enqueue %s failed", name);
	json_decref(model);
	res = PQexec(c, "SELECT subject || E'\\n\\n' || body FROM outbox "
			"WHERE id = currval(pg_get_serial_sequence('outbox', 'id'))");
	ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
	out = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return out;
}

/* Fails unless text contains every string of want (NULL-terminated). */
static void assert_contains(const char *what, const char *text, const char *const *want)
{
	for (size_t i = 0; want[i] != NULL; i++)
		ck_assert_msg(strstr(text, want[i]) != NULL, "%s lacks \"%s\":\n%s", what, want[i],
			      text);
}

START_TEST(templates_render)
{
	PGconn *c = db_open();
	char *t;

	db_ok(c, "BEGIN");
	t = render_stored(c, "verify_email",
			  json_pack("{s:s, s:s}", "name", "Ada Lovelace", "link",
				    "/account/verify?token=VERIFYTOKEN"));
	assert_contains("verify_email", t, (const char *const[]){
		"Confirm your email address\n\n", "Dear Ada Lovelace,",
		"\n" BASE "/account/verify?token=VERIFYTOKEN\n", "24 hours", NULL });
	free(t);
	t = render_stored(c, "reset_password",
			  json_pack("{s:s, s:s}", "name", "Ada", "link",
				    BASE "/account/password/reset?token=RESETTOKEN"));
	assert_contains("reset_password", t, (const char *const[]){
		"Reset your password\n\n", "\n" BASE "/account/password/reset?token=RESETTOKEN\n",
		"1 hour", NULL });
	free(t);
	t = render_stored(c, "invitation",
			  json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", "Grace Hopper",
				    "inviter_name", "Hedy Lamarr", "role_label", "School staff",
				    "school_names", "Deneholm Primary, Treetops School", "link",
				    "/account/password/reset?token=INVITETOKEN"));
	assert_contains("invitation", t, (const char *const[]){
		"You have been invited to Teaching in Thurrock\n\n", "Dear Grace Hopper,",
		"Hedy Lamarr has invited you", "Your role: School staff",
		"Your schools: Deneholm Primary, Treetops School",
		"\n" BASE "/account/password/reset?token=INVITETOKEN\n", NULL });
	free(t);
	t = render_stored(c, "invitation",
			  json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", "Grace", "inviter_name",
				    "Hedy", "role_label", "HR", "school_names", "", "link",
				    "/account/password/reset?token=T"));
	ck_assert_msg(strstr(t, "Your schools") == NULL, "empty school_names still listed:\n%s", t);
	ck_assert_msg(strstr(t, "Your role: HR\n\nTo accept") != NULL, "stray lines:\n%s", t);
	free(t);
	t = render_stored(c, "password_changed", json_pack("{s:s}", "name", "Ada"));
	assert_contains("password_changed", t, (const char *const[]){
		"Your password has been changed\n\n", "Dear Ada,",
		BASE "/account/password/forgot", NULL });
	free(t);
	t = render_stored(c, "email_change_confirm",
			  json_pack("{s:s, s:s}", "name", "Ada", "link",
				    "/account/email/confirm?token=CHANGETOKEN"));
	assert_contains("email_change_confirm", t, (const char *const[]){
		"Confirm your new email address\n\n",
		"\n" BASE "/account/email/confirm?token=CHANGETOKEN\n", NULL });
	free(t);
	t = render_stored(c, "email_change_notice",
			  json_pack("{s:s, s:s}", "name", "Ada", "new_email",
				    "ada@new.example.test"));
	assert_contains("email_change_notice", t, (const char *const[]){
		"Your email address is being changed\n\n", "\nada@new.example.test\n", NULL });
	free(t);
	t = render_stored(c, "account_exists",
			  json_pack("{s:s, s:s}", "name", "Ada", "link", "/account/login"));
	assert_contains("account_exists", t, (const char *const[]){
		"You already have a Teaching in Thurrock account\n\n", "Dear Ada,",
		"\n" BASE "/account/login\n", NULL });
	free(t);
	t = render_stored(c, "account_disabled", json_pack("{s:s}", "name", "Ada"));
	assert_contains("account_disabled", t, (const char *const[]){
		"Your Teaching in Thurrock account has been disabled\n\n", "Dear Ada,", NULL });
	free(t);
	/* Plain text: nothing is HTML-escaped. */
	t = render_stored(c, "verify_email",
			  json_pack("{s:s, s:s}", "name", "O'Brien & <Sons>", "link",
				    "/x?a=1&b=2"));
	assert_contains("plain text", t, (const char *const[]){ "Dear O'Brien & <Sons>,",
								 BASE "/x?a=1&b=2", NULL });
	free(t);
	db_ok(c, "ROLLBACK");
	PQfinish(c);
}
END_TEST

START_TEST(enqueue_refuses_injection)
{
	static const char *const bad_to[] = {
		"victim@example.test\r\nBcc: everyone@example.test", "victim@example.test\n",
		"a@example.test, b@example.test", "a@example.test;b@example.test",
		"Victim <victim@example.test>", "victim@example.test>", "victim", "@example.test",
		"victim@", "a@b@example.test", "", "vic tim@example.test", "victim@example.test.",
		"vïctim@example.test",
	};
	json_t *model = json_pack("{s:s, s:s}", "name", "Ada", "link", "/account/verify?token=T");
	PGconn *c = db_open();
	long before = it_psql_long("SELECT count(*) FROM outbox");

	db_ok(c, "BEGIN");
	for (size_t i = 0; i < sizeof bad_to / sizeof bad_to[0]; i++)
		ck_assert_msg(mail_enqueue(c, bad_to[i], "verify_email", model) != 0,
			      "address \"%s\" was accepted", bad_to[i]);
	ck_assert(mail_address_ok("first.last+tag@sub.example.test"));
	/* A value that would end the subject line and start a header of its own. */
	json_object_set_new(model, "name", json_string("Ada\r\nBcc: everyone@example.test"));
	ck_assert_int_ne(mail_enqueue(c, "victim@example.test", "test_subject", model), 0);
	json_object_set_new(model, "name", json_string("Ada\nBcc: everyone@example.test"));
	ck_assert_int_ne(mail_enqueue(c, "victim@example.test", "test_subject", model), 0);
	json_object_set_new(model, "name", json_string("Ada\tLovelace"));
	ck_assert_int_ne(mail_enqueue(c, "victim@example.test", "test_subject", model), 0);
	/* Unknown or malformed templates, and one without a subject line. */
	ck_assert_int_ne(mail_enqueue(c, "victim@example.test", "no_such_email", model), 0);
	ck_assert_int_ne(mail_enqueue(c, "victim@example.test", "../layout", model), 0);
	ck_assert_int_ne(mail_enqueue(c, "victim@example.test", "test_no_subject", model), 0);
	/* An unsubscribe address that is not a local path fitting the List-Unsubscribe header. */
	json_object_set_new(model, "name", json_string("Ada"));
	{
		static const char *const bad_unsubscribe[] = {
			"https://elsewhere.example.test/stop",
			"/stop?token=a b", "/stop>, <mailto:everyone@example.test>", "stop", "",
		};

		for (size_t i = 0; i < sizeof bad_unsubscribe / sizeof bad_unsubscribe[0]; i++) {
			json_object_set_new(model, "unsubscribe", json_string(bad_unsubscribe[i]));
			ck_assert_msg(mail_enqueue(c, "victim@example.test", "verify_email",
						   model) != 0,
				      "unsubscribe \"%s\" was accepted", bad_unsubscribe[i]);
		}
		json_object_set_new(model, "unsubscribe", json_integer(1));
		ck_assert_int_ne(mail_enqueue(c, "victim@example.test", "verify_email", model), 0);
	}
	db_ok(c, "COMMIT");
	PQfinish(c);
	ck_assert_int_eq(it_psql_long("SELECT count(*) FROM outbox"), before);
	/* The caller's model is left as it was (no site added). */
	ck_assert_ptr_null(json_object_get(model, "site"));
	json_decref(model);
}
END_TEST

/* Makes a user of `role` with a live session; writes "Cookie: __Host-session=..." into out. */
static void session_for(const char *role, char *out, size_t outlen)
{
	char token[64], sql[1024];
	size_t n;

	/* 43 characters of base64url, unique to this process and role. */
	n = (size_t)snprintf(token, sizeof token, "mail%ld%s", (long)getpid(), role);
	ck_assert_msg(n <= 43, "role name too long");
	memset(token + n, 'A', 43 - n);
	token[43] = '\0';
	snprintf(sql, sizeof sql,
		 "INSERT INTO users (email, name, role, verified_at) VALUES "
		 "('mail-%s-%ld@example.test', 'Mail %s', '%s', now()); "
		 "INSERT INTO sessions (token_hash, user_id, csrf_token, idle_timeout, expires_at) "
		 "SELECT sha256(convert_to('%s', 'UTF8')), id, 'csrf', '30 minutes', "
		 "now() + interval '1 hour' FROM users WHERE email = 'mail-%s-%ld@example.test'",
		 role, (long)getpid(), role, role, token, role, (long)getpid());
	it_psql(sql);
	snprintf(out, outlen, "Cookie: __Host-session=%s", token);
}

/* GET path with the given Cookie header line (or none). */
static long get_as(const char *cookie, const char *path, struct it_resp *r)
{
	const char *const hdrs[] = { cookie, NULL };

	return it_request("GET", path, NULL, NULL, 0, cookie ? hdrs : NULL, r);
}

/* --- settings -------------------------------------------------------------------------- */

/* Runs `portal serve` with env for up to 3 s and fails unless it refuses to start (a bad setting
 * is a configuration error) with output naming the key. */
static void assert_serve_says(const char *const *env, const char *want)
{
	static const char *const args[] = { "serve", NULL };
	char *out;
	int st;

	st = it_portal_run(args, env, 3000, &out);
	ck_assert_msg(st != 0 && strstr(out, want) != NULL,
		      "serve with %s: status %d, no \"%s\" in:\n%s", env[0], st, want, out);
	free(out);
}

START_TEST(refuses_bad_settings)
{
	assert_serve_says((const char *const[]){ "PORTAL_SMTP_URL=http://127.0.0.1:25", NULL },
			  "smtp_url: must start");
	assert_serve_says((const char *const[]){ "PORTAL_SMTP_URL=127.0.0.1:25", NULL },
			  "smtp_url: must start");
	assert_serve_says((const char *const[]){ "PORTAL_SMTP_URL=smtp://127.0.0.1:25",
						 "PORTAL_MAIL_FROM=Teaching in Thurrock", NULL },
			  "mail_from: ");
}
END_TEST

/* --- delivery ---------------------------------------------------------------------------- */

START_TEST(delivered_over_smtp)
{
	char marker[64], want_id[64], sql[256], hr[128], *msg, *v, *log;
	struct it_resp r;
	long id;

	sink_prepare();
	sink_start();
	portal_with_smtp(NULL, NULL);
	snprintf(marker, sizeof marker, "Delivered Tester %ld", (long)getpid());
	id = enqueue("mail-delivered@example.test", "verify_email",
		     json_pack("{s:s, s:s}", "name", marker, "link",
			       "/account/verify?token=DELIVEREDTOKEN"));
	msg = sink_wait(marker, 10000);
	assert_header(msg, "X-Sink-Mail-From", "no-reply@thurrock.example.test");
	assert_header(msg, "X-Sink-Rcpt-To", "mail-delivered@example.test");
	assert_header(msg, "From", "Teaching in Thurrock <no-reply@thurrock.example.test>");
	assert_header(msg, "To", "mail-delivered@example.test");
	assert_header(msg, "Subject", "Confirm your email address");
	assert_header(msg, "MIME-Version", "1.0");
	assert_header(msg, "Content-Type", "text/plain; charset=utf-8");
	assert_header(msg, "Content-Transfer-Encoding", "7bit");
	assert_header(msg, "Auto-Submitted", "auto-generated");
	v = mail_header(msg, "Date");
	ck_assert_msg(v != NULL && strlen(v) == 31 && strcmp(v + 25, " +0000") == 0 && v[3] == ',',
		      "Date: %s", v ? v : "(none)");
	free(v);
	v = mail_header(msg, "Message-ID");
	snprintf(want_id, sizeof want_id, "<%ld.", id);
	ck_assert_msg(v != NULL && strncmp(v, want_id, strlen(want_id)) == 0 &&
		      strcmp(v + strlen(v) - 11, "@127.0.0.1>") == 0 &&
		      strlen(v) == strlen(want_id) + 16 + 11,
		      "Message-ID: %s", v ? v : "(none)");
	free(v);
	ck_assert_msg(strstr(mail_body(msg),
			     "\r\n" BASE "/account/verify?token=DELIVEREDTOKEN\r\n") != NULL,
		      "no link in the body:\n%s", msg);
	ck_assert_msg(strstr(mail_body(msg), "Dear ") != NULL, "body:\n%s", msg);
	v = mail_header(msg, "List-Unsubscribe");
	ck_assert_msg(v == NULL, "an account email with List-Unsubscribe: %s", v);
	free(msg);
	outbox_wait(id, "sent_at IS NOT NULL", 5000);
	ck_assert_int_eq(outbox_num(id, "attempts"), 1);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM outbox WHERE id = %ld AND last_error IS NULL", id);
	ck_assert_int_eq(it_psql_long(sql), 1);
	ck_assert_int_eq(sink_messages(marker, NULL), 1);
	/* A message someone subscribed to names the address that stops it, for one-click
	 * unsubscribe (RFC 8058). */
	snprintf(marker, sizeof marker, "Subscribed Tester %ld", (long)getpid());
	id = enqueue("mail-subscribed@example.test", "verify_email",
		     json_pack("{s:s, s:s, s:s}", "name", marker, "link",
			       "/job-alerts/manage?token=ONECLICKTOKEN", "unsubscribe",
			       "/job-alerts/manage?token=ONECLICKTOKEN"));
	msg = sink_wait(marker, 10000);
	assert_header(msg, "List-Unsubscribe", "<" BASE "/job-alerts/manage?token=ONECLICKTOKEN>");
	assert_header(msg, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
	free(msg);
	outbox_wait(id, "sent_at IS NOT NULL", 5000);
	/* The body (with its token) never reaches the log. */
	log = it_server_log();
	ck_assert_msg(strstr(log, "\"email sent\"") != NULL, "no \"email sent\" log line");
	ck_assert_msg(strstr(log, "DELIVEREDTOKEN") == NULL && strstr(log, "ONECLICKTOKEN") == NULL,
		      "a token reached the log");
	free(log);
	/* With SMTP configured, /hr/outbox hides the texts (they hold other people's tokens). */
	session_for("hr", hr, sizeof hr);
	get_as(hr, "/hr/outbox", &r);
	ck_assert_msg(r.status == 200, "/hr/outbox as HR: %ld", r.status);
	ck_assert_msg(strstr(r.body, "mail-delivered@example.test") != NULL, "message not listed");
	ck_assert_msg(strstr(r.body, "DELIVEREDTOKEN") == NULL, "texts shown although SMTP is on");
	ck_assert_msg(strstr(r.body, "govuk-tag--green") != NULL, "no Sent tag");
	it_resp_free(&r);
	portal_stop();
	sink_stop();
}
END_TEST

START_TEST(non_ascii_encoded)
{
	/* Long enough for the subject to need several encoded words. */
	const char *name = "Zoë Ångström-Żółć Ñuñez Zoë Ångström-Żółć Ñuñez Zoë Ångström";
	char *msg, *subject, *want, *body;
	long id;

	sink_prepare();
	sink_start();
	portal_with_smtp(NULL, NULL);
	id = enqueue("mail-utf8@example.test", "test_subject",
		     json_pack("{s:s, s:s}", "name", name, "link",
			       "/account/verify?token=UTF8TOKEN=0123456789012345678901234567890123"
			       "456789"));
	msg = sink_wait("mail-utf8@example.test", 10000);
	assert_header(msg, "Content-Transfer-Encoding", "quoted-printable");
	subject = mail_header(msg, "Subject");
	ck_assert_ptr_nonnull(subject);
	ck_assert_msg(strstr(subject, "?= =?UTF-8?B?") != NULL, "one encoded word: %s", subject);
	want = b_words_decode(subject);
	ck_assert_msg(strncmp(want, "Hello ", 6) == 0 && strcmp(want + 6, name) == 0,
		      "Subject decodes to \"%s\"", want);
	free(want);
	free(subject);
	for (const char *l = mail_body(msg); *l != '\0'; l = strstr(l, "\r\n") + 2)
		ck_assert_msg(strstr(l, "\r\n") - l <= 76, "quoted-printable line over 76: %.80s",
			      l);
	body = qp_decode(mail_body(msg));
	ck_assert_msg(strstr(body, name) != NULL, "decoded body lacks the name:\n%s", body);
	ck_assert_msg(strstr(body, BASE "/account/verify?token=UTF8TOKEN=0123456789012345678901"
				   "234567890123456789\r\n") != NULL,
		      "decoded body lacks the link:\n%s", body);
	free(body);
	free(msg);
	outbox_wait(id, "sent_at IS NOT NULL", 5000);
	portal_stop();
	sink_stop();
}
END_TEST

START_TEST(retried_after_smtp_outage)
{
	char marker[64], *log, *msg, *err;
	char sql[256];
	long id;

	sink_prepare();
	/* No sink yet: the portal's first attempt finds nobody listening. A password in smtp_url
	 * must never appear in errors or logs. */
	portal_with_smtp("mailuser:S3cretSmtpPass", NULL);
	snprintf(marker, sizeof marker, "Retry Tester %ld", (long)getpid());
	id = enqueue("mail-retry@example.test", "verify_email",
		     json_pack("{s:s, s:s}", "name", marker, "link",
			       "/account/verify?token=RETRYTOKEN"));
	outbox_wait(id, "attempts >= 1 AND last_error IS NOT NULL", 10000);
	ck_assert_int_eq(outbox_num(id, "(sent_at IS NULL)::integer"), 1);
	/* Back-off: about 30 s after the first failure. */
	ck_assert_int_eq(outbox_num(id, "(next_attempt_at > now() + interval '20 seconds' AND "
				       "next_attempt_at < now() + interval '31 seconds')::integer"),
			 1);
	snprintf(sql, sizeof sql, "SELECT last_error FROM outbox WHERE id = %ld", id);
	err = it_psql(sql);
	ck_assert_msg(err != NULL && strstr(err, "S3cretSmtpPass") == NULL &&
		      strchr(err, '\n') == NULL && strlen(err) <= 300,
		      "last_error: %s", err ? err : "(null)");
	free(err);
	/* Still waiting for the back-off: nothing more happens within two polls. */
	it_sleep_ms(2200);
	ck_assert_int_eq(outbox_num(id, "attempts"), 1);
	/* The SMTP server comes back; skip the wait. */
	sink_start();
	snprintf(sql, sizeof sql, "UPDATE outbox SET next_attempt_at = now() WHERE id = %ld", id);
	it_psql(sql);
	msg = sink_wait(marker, 10000);
	ck_assert_msg(strstr(msg, BASE "/account/verify?token=RETRYTOKEN") != NULL, "%s", msg);
	free(msg);
	outbox_wait(id, "sent_at IS NOT NULL AND last_error IS NULL", 5000);
	ck_assert_int_eq(outbox_num(id, "attempts"), 2);
	ck_assert_int_eq(sink_messages(marker, NULL), 1);
	log = it_server_log();
	ck_assert_msg(strstr(log, "\"email not delivered\"") != NULL, "no failure log line");
	ck_assert_msg(strstr(log, "S3cretSmtpPass") == NULL, "the SMTP password reached the log");
	ck_assert_msg(strstr(log, "RETRYTOKEN") == NULL, "the token reached the log");
	free(log);
	portal_stop();
	sink_stop();
}
END_TEST

START_TEST(given_up_and_refused)
{
	char sql[512];
	long last, bad, mid;

	sink_prepare();
	/* Nobody listens on sink_port. */
	snprintf(sql, sizeof sql,
		 "INSERT INTO outbox (to_address, subject, body, attempts) VALUES "
		 "('mail-last@example.test', 'Last try', 'Body', %d) RETURNING id",
		 MAIL_MAX_ATTEMPTS - 1);
	last = it_psql_long(sql);
	/* Written past mail_enqueue: the sender refuses it rather than send a forged header. */
	bad = it_psql_long("INSERT INTO outbox (to_address, subject, body) VALUES "
			   "(E'mail-bad@example.test\\r\\nBcc: everyone@example.test', 'Hi', "
			   "'Body') RETURNING id");
	portal_with_smtp(NULL, NULL);
	outbox_wait(last, "last_error IS NOT NULL", 10000);
	outbox_wait(bad, "last_error IS NOT NULL", 10000);
	ck_assert_int_eq(outbox_num(last, "attempts"), MAIL_MAX_ATTEMPTS);
	ck_assert_int_eq(outbox_num(bad, "attempts"), MAIL_MAX_ATTEMPTS);
	ck_assert_int_eq(outbox_num(bad, "(last_error LIKE 'refused%')::integer"), 1);
	/* Given up: not tried again even when due. */
	snprintf(sql, sizeof sql,
		 "UPDATE outbox SET next_attempt_at = now() WHERE id IN (%ld, %ld)", last, bad);
	it_psql(sql);
	/* Ten attempts made (some three hours of a relay down): still tried, and sent now that
	 * it is back. */
	mid = it_psql_long("INSERT INTO outbox (to_address, subject, body, attempts) VALUES "
			   "('mail-mid@example.test', 'Tenth try', 'Body', 10) RETURNING id");
	sink_start();
	outbox_wait(mid, "sent_at IS NOT NULL", 10000);
	ck_assert_int_eq(sink_messages("mail-mid@example.test", NULL), 1);
	it_sleep_ms(1000);
	ck_assert_int_eq(outbox_num(last, "attempts"), MAIL_MAX_ATTEMPTS);
	ck_assert_int_eq(outbox_num(last, "(sent_at IS NULL)::integer"), 1);
	ck_assert_int_eq(sink_messages("mail-last@example.test", NULL), 0);
	ck_assert_int_eq(sink_messages("mail-bad@example.test", NULL), 0);
	snprintf(sql, sizeof sql, "DELETE FROM outbox WHERE id IN (%ld, %ld)", last, bad);
	it_psql(sql);
	portal_stop();
	sink_stop();
}
END_TEST

START_TEST(survives_database_restart)
{
	char marker[64];
	long id;

	sink_prepare();
	sink_start();
	portal_with_smtp(NULL, NULL);
	/* The sender's polls fail while PostgreSQL is down; it must neither die nor stop. */
	it_pg_stop();
	it_sleep_ms(2500);
	it_pg_start();
	snprintf(marker, sizeof marker, "Restart Tester %ld", (long)getpid());
	id = enqueue("mail-restart@example.test", "verify_email",
		     json_pack("{s:s, s:s}", "name", marker, "link", "/account/verify?token=T"));
	free(sink_wait(marker, 15000));
	outbox_wait(id, "sent_at IS NOT NULL", 5000);
	portal_stop();
	sink_stop();
}
END_TEST

START_TEST(stop_cuts_a_hung_transfer)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	char marker[64], sql[160];
	long long t0;
	long id, first;
	int fd, st;

	/* An "SMTP server" that accepts connections and never says a word. */
	sink_prepare();
	fd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)sink_port);
	ck_assert_msg(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
		      listen(fd, 4) == 0, "listen: %s", strerror(errno));
	portal_with_smtp(NULL, NULL);
	snprintf(marker, sizeof marker, "Hung Tester %ld", (long)getpid());
	id = enqueue("mail-hung@example.test", "verify_email",
		     json_pack("{s:s, s:s}", "name", marker, "link", "/account/verify?token=T"));
	/* The sender takes the oldest due message first: this one, or one another test left. */
	snprintf(sql, sizeof sql, "SELECT min(id) FROM outbox WHERE sent_at IS NULL AND "
		 "next_attempt_at <= now() AND attempts < %d", MAIL_MAX_ATTEMPTS);
	first = it_psql_long(sql);
	it_sleep_ms(2000);  /* the sender is now waiting for a greeting */
	t0 = it_now_ms();
	st = it_server_stop();
	ck_assert_msg(st == 0, "portal exit status %d", st);
	ck_assert_msg(it_now_ms() - t0 < 8000, "stopping took %lld ms", it_now_ms() - t0);
	close(fd);
	/* The cut-off transfer counts as a failed attempt, to be retried. */
	ck_assert_int_ge(outbox_num(first, "attempts"), 1);
	ck_assert_int_eq(outbox_num(first, "(sent_at IS NULL AND last_error IS NOT NULL AND "
					   "next_attempt_at > now())::integer"),
			 1);
	snprintf(sql, sizeof sql, "DELETE FROM outbox WHERE id = %ld", id);
	it_psql(sql);
}
END_TEST

/* Lines of the current portal's log that contain msg ("\"msg\":\"...\"") and name outbox ids
 * first..last. */
static int log_lines(const char *msg, long first, long last)
{
	char *log = it_server_log(), *save = NULL;
	int count = 0;

	for (char *line = strtok_r(log, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char *p = strstr(line, "\"outbox_id\":\"");
		long id;

		if (strstr(line, msg) == NULL || p == NULL)
			continue;
		id = strtol(p + 13, NULL, 10);
		if (id >= first && id <= last)
			count++;
	}
	free(log);
	return count;
}

START_TEST(two_instances_send_once)
{
	enum { N = 30 };
	char sql[512], subject[64];
	long first, last;
	int a, b;

	sink_prepare();
	sink_start();
	portal_with_smtp(NULL, NULL);
	portal_with_smtp(NULL, NULL);
	snprintf(sql, sizeof sql,
		 "INSERT INTO outbox (to_address, subject, body) SELECT "
		 "'mail-once@example.test', 'Once ' || i || ' of %ld', 'Body ' || i "
		 "FROM generate_series(1, %d) AS i",
		 (long)getpid(), N);
	it_psql(sql);
	snprintf(sql, sizeof sql, "SELECT min(id) FROM outbox WHERE subject LIKE 'Once %% of %ld'",
		 (long)getpid());
	first = it_psql_long(sql);
	snprintf(sql, sizeof sql, "SELECT max(id) FROM outbox WHERE subject LIKE 'Once %% of %ld'",
		 (long)getpid());
	last = it_psql_long(sql);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM outbox WHERE subject LIKE 'Once %% of %ld' "
		 "AND sent_at IS NOT NULL",
		 (long)getpid());
	for (long long until = it_now_ms() + 20000; it_psql_long(sql) < N;) {
		ck_assert_msg(it_now_ms() < until, "not all %d messages sent within 20 s", N);
		it_sleep_ms(100);
	}
	it_sleep_ms(1500);  /* a duplicate would arrive now */
	for (int i = 1; i <= N; i++) {
		snprintf(subject, sizeof subject, "Subject: Once %d of %ld\r\n", i, (long)getpid());
		ck_assert_msg(sink_messages(subject, NULL) == 1, "\"Once %d\" arrived %d times", i,
			      sink_messages(subject, NULL));
	}
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM outbox WHERE subject LIKE 'Once %% of %ld' AND attempts = 1",
		 (long)getpid());
	ck_assert_int_eq(it_psql_long(sql), N);
	b = log_lines("\"msg\":\"email sent\"", first, last);
	portal_stop();
	a = log_lines("\"msg\":\"email sent\"", first, last);
	ck_assert_msg(a + b == N, "the portals logged %d + %d sends of %d messages", a, b, N);
	portal_stop();
	sink_stop();
}
END_TEST

/* --- without smtp_url ---------------------------------------------------------------------- */

START_TEST(kept_and_logged_without_smtp)
{
	static const char kept[] = "\"msg\":\"email kept in the outbox (no smtp_url)\"";
	char marker[64], sql[128], *log;
	long long until;
	long id;

	snprintf(marker, sizeof marker, "Kept Tester %ld", (long)getpid());
	id = enqueue("mail-kept@example.test", "reset_password",
		     json_pack("{s:s, s:s}", "name", marker, "link",
			       "/account/password/reset?token=KEPTTOKEN"));
	for (until = it_now_ms() + 5000; log_lines(kept, id, id) == 0;) {
		ck_assert_msg(it_now_ms() < until, "no \"email kept\" log line for %ld", id);
		it_sleep_ms(100);
	}
	log = it_server_log();
	ck_assert_msg(strstr(log, "\"to\":\"mail-kept@example.test\"") != NULL,
		      "no address logged");
	ck_assert_msg(strstr(log, "\"subject\":\"Reset your password\"") != NULL,
		      "no subject logged");
	ck_assert_msg(strstr(log, "KEPTTOKEN") == NULL, "the body reached the log");
	free(log);
	/* Logged once, and left alone. */
	it_sleep_ms(2200);
	ck_assert_int_eq(log_lines(kept, id, id), 1);
	ck_assert_int_eq(outbox_num(id, "attempts"), 0);
	ck_assert_int_eq(outbox_num(id, "(sent_at IS NULL AND last_error IS NULL)::integer"), 1);
	snprintf(sql, sizeof sql, "DELETE FROM outbox WHERE id = %ld", id);
	it_psql(sql);
}
END_TEST

/* --- /hr/outbox ---------------------------------------------------------------------------- */

/* Occurrences of needle in s. */
static int count_of(const char *s, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(s, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

START_TEST(hr_outbox_requires_hr)
{
	char cand[128], staff[128];
	struct it_resp r;
	const char *loc;

	get_as(NULL, "/hr/outbox", &r);
	loc = it_header(&r, "Location");
	ck_assert_msg(r.status == 303 && loc != NULL &&
		      strncmp(loc, "/account/login?next=", 20) == 0 &&
		      strstr(loc, "outbox") != NULL,
		      "visitor: %ld, Location %s", r.status, loc ? loc : "(none)");
	ck_assert_msg(strstr(r.body ? r.body : "", "mail-") == NULL, "visitor saw the outbox");
	it_resp_free(&r);
	session_for("candidate", cand, sizeof cand);
	session_for("school_staff", staff, sizeof staff);
	get_as(cand, "/hr/outbox", &r);
	ck_assert_msg(r.status == 403, "candidate: %ld", r.status);
	it_resp_free(&r);
	get_as(staff, "/hr/outbox", &r);
	ck_assert_msg(r.status == 403, "school staff: %ld", r.status);
	it_resp_free(&r);
}
END_TEST

START_TEST(hr_outbox_page)
{
	char hr[128], admin[128], sql[512], *text;
	struct it_resp r;
	const char *cc, *title;
	long id, total;

	/* A portal with outbox_bodies set, as `make run` starts it; links in the texts point at
	 * it. */
	it_server_start((const char *const[]){ "PORTAL_OUTBOX_BODIES=1", NULL });
	snprintf(app.cfg.base_url, sizeof app.cfg.base_url, "%s", it_base_url());
	session_for("hr", hr, sizeof hr);
	session_for("admin", admin, sizeof admin);
	/* Enough messages for two pages, then one whose subject and text try to inject HTML. */
	snprintf(sql, sizeof sql,
		 "INSERT INTO outbox (to_address, subject, body) SELECT 'mail-page@example.test', "
		 "'Filler ' || i, 'Body' FROM generate_series(1, 55) AS i");
	it_psql(sql);
	id = enqueue("mail-page@example.test", "test_subject",
		     json_pack("{s:s, s:s}", "name", "<script>alert(1)</script>", "link",
			       "/account/verify?token=PAGETOKEN\"><b>x</b>"));
	total = it_psql_long("SELECT count(*) FROM outbox");

	get_as(hr, "/hr/outbox", &r);
	ck_assert_msg(r.status == 200, "HR: %ld %.300s", r.status, r.body);
	cc = it_header(&r, "Cache-Control");
	ck_assert_msg(cc != NULL && strstr(cc, "no-store") != NULL, "Cache-Control %s", cc);
	ck_assert_msg(strstr(r.body, "<title>Email outbox (page 1 of") != NULL, "title");
	ck_assert_msg(strstr(r.body, "<h1 class=\"govuk-heading-xl\">Email outbox</h1>"), "h1");
	/* Newest first, 50 a page. */
	ck_assert_int_eq(count_of(r.body, "class=\"govuk-summary-card\""), 50);
	title = strstr(r.body, "govuk-summary-card__title\">");
	ck_assert_msg(title != NULL && strncmp(strchr(title, '>') + 1,
					       "Hello &lt;script&gt;alert(1)&lt;/script&gt;<",
					       44) == 0,
		      "the newest message is not first, or not escaped");
	ck_assert_msg(strstr(r.body, "<script>alert") == NULL, "subject not escaped");
	ck_assert_msg(strstr(r.body, "<b>x</b>") == NULL, "body not escaped");
	/* No smtp_url on this portal and outbox_bodies set (as `make run` does): texts are
	 * shown, links to the portal are links. */
	ck_assert_msg(strstr(r.body, "govuk-details") != NULL, "no email text shown");
	text = it_html_decode(r.body);
	ck_assert_msg(strstr(text, "Dear <script>alert(1)</script>,") != NULL, "text of the email");
	free(text);
	snprintf(sql, sizeof sql, "href=\"%s/account/verify?token=PAGETOKEN&quot;&gt;"
		 "&lt;b&gt;x&lt;/b&gt;\"", it_base_url());
	ck_assert_msg(strstr(r.body, sql) != NULL,
		      "no link to follow in:\n%s", r.body);
	ck_assert_msg(strstr(r.body, "No SMTP server is configured") != NULL, "status");
	ck_assert_msg(strstr(r.body, "href=\"/hr/outbox?page=2\"") != NULL, "no next page link");
	it_resp_free(&r);

	/* Found by address: only that address's emails, the search kept in the form. */
	get_as(hr, "/hr/outbox?to=MAIL-PAGE%40example", &r);
	ck_assert_msg(r.status == 200, "HR, to=: %ld", r.status);
	ck_assert_int_eq(count_of(r.body, "class=\"govuk-summary-card\""), 50);
	ck_assert_msg(strstr(r.body, "of 56 emails sent to an address containing") != NULL,
		      "the count of emails to the address is wrong");
	ck_assert_msg(strstr(r.body, "href=\"/hr/outbox?page=2&amp;to=MAIL-PAGE%40example\"") !=
			      NULL,
		      "the next page loses the search");
	it_resp_free(&r);
	get_as(hr, "/hr/outbox?to=nobody-at-all%40example.test", &r);
	ck_assert_msg(r.status == 200 && strstr(r.body, "No email was sent to an address "
							"containing") != NULL,
		      "an address without emails: %ld", r.status);
	it_resp_free(&r);

	get_as(admin, "/hr/outbox?page=2", &r);
	ck_assert_msg(r.status == 200, "admin, page 2: %ld", r.status);
	ck_assert_int_eq(count_of(r.body, "class=\"govuk-summary-card\""),
			 total - 50 > 50 ? 50 : total - 50);
	ck_assert_msg(strstr(r.body, "rel=\"prev\"") != NULL, "no previous page link");
	it_resp_free(&r);

	static const char *const bad[] = { "/hr/outbox?page=0", "/hr/outbox?page=-1",
					   "/hr/outbox?page=abc", "/hr/outbox?page=1x",
					   "/hr/outbox?page=", "/hr/outbox?page=1&page=2",
					   "/hr/outbox?page=99999999999999999999",
					   "/hr/outbox?page=%3Cscript%3E" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		get_as(hr, bad[i], &r);
		ck_assert_msg(r.status == 400, "%s: %ld", bad[i], r.status);
		ck_assert_msg(strstr(r.body, "<script>") == NULL, "%s reflected", bad[i]);
		it_resp_free(&r);
	}
	get_as(hr, "/hr/outbox?page=999999", &r);
	ck_assert_msg(r.status == 404, "page past the end: %ld", r.status);
	it_resp_free(&r);

	/* Without outbox_bodies (the default, as in production) no text is shown, even with no
	 * smtp_url: an instance that lost its SMTP setting shows nobody's links. */
	ck_assert_int_eq(it_server_stop(), 0);
	get_as(hr, "/hr/outbox", &r);
	ck_assert_msg(r.status == 200, "HR: %ld", r.status);
	ck_assert_msg(strstr(r.body, "govuk-details") == NULL &&
			      strstr(r.body, "PAGETOKEN") == NULL,
		      "the outbox shows texts without outbox_bodies");
	ck_assert_msg(strstr(r.body, "no email is sent") != NULL,
		      "no warning that nothing is sent");
	it_resp_free(&r);

	snprintf(sql, sizeof sql,
		 "DELETE FROM outbox WHERE to_address = 'mail-page@example.test' OR id = %ld", id);
	it_psql(sql);
}
END_TEST

/* --- the suite ------------------------------------------------------------------------------ */

/* A TCase (it_tcase) with the templates loaded, sharing the suite's server when `server` is
 * set. */
static TCase *tcase(const char *name, int timeout, int server)
{
	TCase *tc = it_tcase(name, timeout, server ? it_fixture_server : NULL);

	tcase_add_checked_fixture(tc, templates_load, NULL);
	return tc;
}

int main(void)
{
	Suite *s = suite_create("mail");
	TCase *tc;

	tc = tcase("enqueue", 20, 0);
	tcase_add_test(tc, templates_render);
	tcase_add_test(tc, enqueue_refuses_injection);
	suite_add_tcase(s, tc);

	tc = tcase("settings", 30, 0);
	tcase_add_test(tc, refuses_bad_settings);
	suite_add_tcase(s, tc);

	tc = tcase("delivery", 60, 0);
	tcase_add_test(tc, delivered_over_smtp);
	tcase_add_test(tc, non_ascii_encoded);
	tcase_add_test(tc, retried_after_smtp_outage);
	tcase_add_test(tc, given_up_and_refused);
	tcase_add_test(tc, two_instances_send_once);
	tcase_add_test(tc, stop_cuts_a_hung_transfer);
	suite_add_tcase(s, tc);

	tc = tcase("database_restart", 60, 0);
	tcase_add_unchecked_fixture(tc, NULL, it_pg_ensure_running);
	tcase_add_test(tc, survives_database_restart);
	suite_add_tcase(s, tc);

	tc = tcase("without_smtp", 30, 1);
	tcase_add_test(tc, kept_and_logged_without_smtp);
	suite_add_tcase(s, tc);

	tc = tcase("hr_outbox", 30, 1);
	tcase_add_test(tc, hr_outbox_requires_hr);
	tcase_add_test(tc, hr_outbox_page);
	suite_add_tcase(s, tc);

	return it_run(s);
}
