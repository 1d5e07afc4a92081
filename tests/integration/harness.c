/* harness.c - starts the portal as a child process, talks to it over TLS with libcurl, sets up
 * data through libpq and stops/starts the pg_virtualenv cluster. See harness.h. */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

extern char **environ;

#define IT_MAX_SERVERS 4
#define IT_START_TIMEOUT_MS 10000
#define IT_STOP_TIMEOUT_MS 10000
#define IT_LOG_TAIL 4000

/* One running portal. owner is the process that started it: only that process may stop it
 * (a Check test runs in a forked child and must leave the runner's server alone). */
struct it_server {
	pid_t pid;
	pid_t owner;
	int port;
	char url[64];
	char log[PATH_MAX];
};

static struct it_server servers[IT_MAX_SERVERS];
static size_t nservers;
static CURL *shared_handle;      /* keep-alive handle of the process shared_owner */
static pid_t shared_owner;
static unsigned file_seq;        /* numbers log files within one process */

/* Value of a required environment variable; fails the test when unset or empty. */
static const char *need_env(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || v[0] == '\0')
		ck_abort_msg("%s is not set: run the integration tests through tests/run-integration.sh",
			     name);
	return v;
}

/* Milliseconds since an arbitrary point (CLOCK_MONOTONIC). */
long long it_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps ms milliseconds, resuming after signals. */
void it_sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Reads a whole file. Returns a malloc'd NUL-terminated copy ("" for a missing file), or NULL
 * when out of memory. */
static char *read_file(const char *path)
{
	struct buf b = { 0 };
	char chunk[4096];
	FILE *f = fopen(path, "rb");
	char *out = NULL;
	size_t n;

	if (f != NULL) {
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_append(&b, chunk, n);
		fclose(f);
	}
	if (buf_failed(&b))
		goto out;
	out = strdup(buf_str(&b));
out:
	buf_free(&b);
	return out;
}

/* The last IT_LOG_TAIL bytes of a file, malloc'd (for failure messages). */
static char *file_tail(const char *path)
{
	char *all = read_file(path);
	size_t len;

	if (all == NULL)
		return NULL;
	len = strlen(all);
	if (len > IT_LOG_TAIL)
		memmove(all, all + len - IT_LOG_TAIL, IT_LOG_TAIL + 1);
	return all;
}

/* A TCP port on 127.0.0.1 that nobody listens on right now (bind port 0, read it back). */
static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int port = -1;

	if (fd < 0)
		goto out;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0)
		goto out;
	if (getsockname(fd, (struct sockaddr *)&a, &alen) != 0)
		goto out;
	port = ntohs(a.sin_port);
out:
	if (fd >= 0)
		close(fd);
	ck_assert_msg(port > 0, "cannot find a free port: %s", strerror(errno));
	return port;
}

/* Environment list: NULL-terminated, every string malloc'd. */
struct envlist {
	char **v;
	size_t len;
	size_t cap;
};

/* Sets "NAME=value" in e (replacing NAME), or removes NAME when entry has no '='. Fails the
 * test when out of memory. */
static void env_set(struct envlist *e, const char *entry)
{
	const char *eq = strchr(entry, '=');
	size_t nlen = eq != NULL ? (size_t)(eq - entry) : strlen(entry);
	size_t i = 0;

	while (i < e->len) {
		if (strncmp(e->v[i], entry, nlen) == 0 && e->v[i][nlen] == '=') {
			free(e->v[i]);
			e->v[i] = e->v[--e->len];
			e->v[e->len] = NULL;
		} else {
			i++;
		}
	}
	if (eq == NULL)
		return;
	if (e->len + 2 > e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 64;
		char **v = realloc(e->v, cap * sizeof *v);

		ck_assert_msg(v != NULL, "out of memory");
		e->v = v;
		e->cap = cap;
	}
	e->v[e->len] = strdup(entry);
	ck_assert_msg(e->v[e->len] != NULL, "out of memory");
	e->len++;
	e->v[e->len] = NULL;
}

/* Frees every string of e and the list itself. */
static void env_free(struct envlist *e)
{
	for (size_t i = 0; i < e->len; i++)
		free(e->v[i]);
	free(e->v);
	e->v = NULL;
	e->len = e->cap = 0;
}

/* The portal's environment: ours, then the test defaults for port, certificate, database,
 * base URL and log level, then extra (may be NULL). */
static void portal_env(struct envlist *e, int port, const char *const *extra)
{
	struct buf b = { 0 };

	for (char **p = environ; *p != NULL; p++)
		env_set(e, *p);
	buf_printf(&b, "PORTAL_LISTEN=127.0.0.1:%d", port);
	env_set(e, buf_str(&b));
	buf_reset(&b);
	buf_printf(&b, "PORTAL_BASE_URL=https://127.0.0.1:%d", port);
	env_set(e, buf_str(&b));
	buf_reset(&b);
	buf_printf(&b, "PORTAL_TLS_CERT=%s", need_env("IT_TLS_CERT"));
	env_set(e, buf_str(&b));
	buf_reset(&b);
	buf_printf(&b, "PORTAL_TLS_KEY=%s", need_env("IT_TLS_KEY"));
	env_set(e, buf_str(&b));
	ck_assert_msg(!buf_failed(&b), "out of memory");
	buf_free(&b);
	env_set(e, "DATABASE_URL=postgresql://");
	env_set(e, "PORTAL_LOG_LEVEL=info");
	for (size_t i = 0; extra != NULL && extra[i] != NULL; i++)
		env_set(e, extra[i]);
}

/* A fresh file name under IT_TMPDIR: <dir>/<what>-<pid>-<seq>.log, written into out. */
static void tmp_name(char *out, size_t outlen, const char *what)
{
	int n = snprintf(out, outlen, "%s/%s-%ld-%u.log", need_env("IT_TMPDIR"), what,
			 (long)getpid(), ++file_seq);

	ck_assert_msg(n > 0 && (size_t)n < outlen, "temporary path too long");
}

/* Forks and execs argv with envp, stdout and stderr appended to log_path, stdin /dev/null.
 * The child gets SIGTERM if this process dies. Returns the child's pid. */
static pid_t spawn(char *const argv[], char *const envp[], const char *log_path)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	int fd;

	ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
	if (pid > 0)
		return pid;
	fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd < 0)
		_exit(126);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(125);
	execvpe(argv[0], argv, envp);
	dprintf(STDERR_FILENO, "harness: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Waits up to timeout_ms for pid. Returns the exit status (128+signal for a signal death), or
 * -1 when it is still running. */
static int wait_exit(pid_t pid, int timeout_ms)
{
	long long until = it_now_ms() + timeout_ms;
	int st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (r < 0 && errno != EINTR)
			return -1;
		if (it_now_ms() >= until)
			return -1;
		it_sleep_ms(20);
	}
}

/* --- HTTP ---------------------------------------------------------------------------------- */

/* Transfer state while curl runs: body and header block of the final response. */
struct xfer {
	struct buf body;
	struct buf headers;
};

/* curl write callback: appends a piece of the body. */
static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;

	buf_append(&x->body, data, size * n);
	return buf_failed(&x->body) ? 0 : size * n;
}

/* Keeps only the last header block: a status line ("HTTP/...") starts a new one (after a
 * 100 Continue or similar interim response). */
static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;

	if (size * n >= 5 && memcmp(data, "HTTP/", 5) == 0)
		buf_reset(&x->headers);
	buf_append(&x->headers, data, size * n);
	return buf_failed(&x->headers) ? 0 : size * n;
}

/* The options every handle of the harness shares. */
static void handle_setup(CURL *h)
{
	curl_easy_setopt(h, CURLOPT_CAINFO, need_env("IT_TLS_CERT"));
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 15000L);
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
}

CURL *it_curl_new(void)
{
	CURL *h = curl_easy_init();

	ck_assert_msg(h != NULL, "curl_easy_init failed");
	handle_setup(h);
	return h;
}

const char *it_base_url(void)
{
	ck_assert_msg(nservers > 0, "no portal running: add it_fixture_server to the TCase");
	return servers[nservers - 1].url;
}

CURLcode it_perform(CURL *h, const char *method, const char *path, const char *content_type,
		    const char *body, size_t len, const char *const *extra_headers,
		    struct it_resp *resp)
{
	struct xfer x = { 0 };
	struct curl_slist *hdrs = NULL, *next;
	struct buf url = { 0 }, ct = { 0 };
	CURLcode rc = CURLE_OUT_OF_MEMORY;

	memset(resp, 0, sizeof *resp);
	buf_printf(&url, "%s%s", it_base_url(), path);
	if (content_type != NULL)
		buf_printf(&ct, "Content-Type: %s", content_type);
	if (buf_failed(&url) || buf_failed(&ct))
		goto out;
	hdrs = curl_slist_append(hdrs, "Expect:");
	if (hdrs == NULL)
		goto out;
	if (content_type != NULL) {
		next = curl_slist_append(hdrs, buf_str(&ct));
		if (next == NULL)
			goto out;
		hdrs = next;
	}
	for (size_t i = 0; extra_headers != NULL && extra_headers[i] != NULL; i++) {
		next = curl_slist_append(hdrs, extra_headers[i]);
		if (next == NULL)
			goto out;
		hdrs = next;
	}
	curl_easy_setopt(h, CURLOPT_URL, buf_str(&url));
	curl_easy_setopt(h, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, (char *)NULL);
	if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else if (body == NULL && strcmp(method, "POST") != 0) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
		if (strcmp(method, "GET") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	} else {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? len : 0));
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
	rc = curl_easy_perform(h);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
	curl_easy_getinfo(h, CURLINFO_TOTAL_TIME, &resp->time_total);
	curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &resp->num_connects);
	if (rc != CURLE_OK)
		resp->status = 0;
	if (buf_failed(&x.body) || buf_failed(&x.headers)) {
		rc = CURLE_OUT_OF_MEMORY;
		goto out;
	}
	resp->len = x.body.len;
	resp->body = x.body.data != NULL ? x.body.data : strdup("");
	resp->headers = x.headers.data != NULL ? x.headers.data : strdup("");
	x.body = (struct buf){ 0 };
	x.headers = (struct buf){ 0 };
	if (resp->body == NULL || resp->headers == NULL) {
		it_resp_free(resp);
		rc = CURLE_OUT_OF_MEMORY;
	}
out:
	curl_slist_free_all(hdrs);
	buf_free(&url);
	buf_free(&ct);
	buf_free(&x.body);
	buf_free(&x.headers);
	return rc;
}

long it_request(const char *method, const char *path, const char *content_type, const char *body,
		size_t len, const char *const *extra_headers, struct it_resp *resp)
{
	CURLcode rc;

	if (shared_handle == NULL || shared_owner != getpid()) {
		/* A handle inherited from the runner process shares its sockets: never touch it. */
		shared_handle = it_curl_new();
		shared_owner = getpid();
	}
	curl_easy_reset(shared_handle);
	handle_setup(shared_handle);
	rc = it_perform(shared_handle, method, path, content_type, body, len, extra_headers, resp);
	ck_assert_msg(rc == CURLE_OK, "%s %s: no response: %s", method, path,
		      curl_easy_strerror(rc));
	return resp->status;
}

long it_get(const char *path, struct it_resp *resp)
{
	return it_request("GET", path, NULL, NULL, 0, NULL, resp);
}

const char *it_header(struct it_resp *resp, const char *name)
{
	size_t nlen = strlen(name);
	const char *line = resp->headers;

	while (line != NULL && *line != '\0') {
		const char *end = strstr(line, "\r\n");
		const char *v, *ve;
		char **vals, *copy;

		if (end == NULL)
			end = line + strlen(line);
		if ((size_t)(end - line) > nlen && strncasecmp(line, name, nlen) == 0 &&
		    line[nlen] == ':') {
			v = line + nlen + 1;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			ve = end;
			while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			copy = strndup(v, (size_t)(ve - v));
			vals = realloc(resp->hvals, (resp->nhvals + 1) * sizeof *vals);
			ck_assert_msg(copy != NULL && vals != NULL, "out of memory");
			resp->hvals = vals;
			resp->hvals[resp->nhvals++] = copy;
			return copy;
		}
		line = *end != '\0' ? end + 2 : end;
	}
	return NULL;
}

void it_resp_free(struct it_resp *resp)
{
	for (size_t i = 0; i < resp->nhvals; i++)
		free(resp->hvals[i]);
	free(resp->hvals);
	free(resp->body);
	free(resp->headers);
	memset(resp, 0, sizeof *resp);
}

json_t *it_json(const struct it_resp *resp)
{
	json_error_t err;
	json_t *j = json_loadb(resp->body, resp->len, 0, &err);

	ck_assert_msg(j != NULL, "body is not JSON (%s at line %d): %.300s", err.text, err.line,
		      resp->body);
	return j;
}

/* Appends the UTF-8 encoding of code point cp to b. */
static void put_utf8(struct buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		buf_putc(b, (char)(0xC0 | (cp >> 6)));
		buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		buf_putc(b, (char)(0xE0 | (cp >> 12)));
		buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else {
		buf_putc(b, (char)(0xF0 | (cp >> 18)));
		buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
		buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	}
}

char *it_html_decode(const char *s)
{
	static const struct { const char *ent; char c; } named[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
		{ "&apos;", '\'' },
	};
	struct buf b = { 0 };
	char *out;

	while (*s != '\0') {
		size_t i;

		if (*s != '&') {
			buf_putc(&b, *s++);
			continue;
		}
		for (i = 0; i < sizeof named / sizeof named[0]; i++) {
			size_t n = strlen(named[i].ent);

			if (strncmp(s, named[i].ent, n) == 0) {
				buf_putc(&b, named[i].c);
				s += n;
				break;
			}
		}
		if (i < sizeof named / sizeof named[0])
			continue;
		if (s[1] == '#') {
			int hex = s[2] == 'x' || s[2] == 'X';
			char *end;
			unsigned long cp = strtoul(s + 2 + hex, &end, hex ? 16 : 10);

			if (end != s + 2 + hex && *end == ';' && cp > 0 && cp <= 0x10FFFF) {
				put_utf8(&b, cp);
				s = end + 1;
				continue;
			}
		}
		buf_putc(&b, *s++);
	}
	ck_assert_msg(!buf_failed(&b), "out of memory");
	out = strdup(buf_str(&b));
	ck_assert_msg(out != NULL, "out of memory");
	buf_free(&b);
	return out;
}

/* --- the portal ---------------------------------------------------------------------------- */

/* One GET of /healthz on a throw-away handle (never the shared one: this may run in the runner
 * process, whose connections its forked tests would inherit). Returns the status, 0 for none. */
static long probe_healthz(void)
{
	struct it_resp r;
	CURL *h = it_curl_new();
	long status;

	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 1000L);
	it_perform(h, "GET", "/healthz", NULL, NULL, 0, NULL, &r);
	status = r.status;
	it_resp_free(&r);
	curl_easy_cleanup(h);
	return status;
}

void it_server_start(const char *const *extra_env)
{
	struct envlist env = { 0 };
	struct it_server *s;
	char *argv[] = { (char *)need_env("PORTAL_BIN"), "serve", NULL };
	long long until;
	char *tail;
	int st;

	ck_assert_msg(nservers < IT_MAX_SERVERS, "too many nested servers");
	s = &servers[nservers];
	memset(s, 0, sizeof *s);
	s->port = free_port();
	s->owner = getpid();
	snprintf(s->url, sizeof s->url, "https://127.0.0.1:%d", s->port);
	tmp_name(s->log, sizeof s->log, "portal");
	portal_env(&env, s->port, extra_env);
	s->pid = spawn(argv, env.v, s->log);
	env_free(&env);
	nservers++;

	until = it_now_ms() + IT_START_TIMEOUT_MS;
	for (;;) {
		st = wait_exit(s->pid, 0);
		if (st >= 0 || it_now_ms() >= until)
			break;
		if (probe_healthz() == 200)
			return;
		it_sleep_ms(50);
	}
	if (st < 0) {
		kill(s->pid, SIGKILL);
		wait_exit(s->pid, 5000);
	}
	nservers--;
	tail = file_tail(s->log);
	ck_abort_msg("portal did not answer /healthz within %d ms (%s); log %s ends:\n%s",
		     IT_START_TIMEOUT_MS, st >= 0 ? "it exited" : "timeout", s->log,
		     tail ? tail : "(unreadable)");
}

int it_server_stop(void)
{
	struct it_server *s;
	int st;

	if (nservers == 0 || servers[nservers - 1].owner != getpid())
		return -1;
	s = &servers[--nservers];
	if (kill(s->pid, SIGTERM) != 0)
		return -1;
	st = wait_exit(s->pid, IT_STOP_TIMEOUT_MS);
	if (st < 0) {
		fprintf(stderr, "harness: portal %ld ignored SIGTERM for %d ms, killed\n",
			(long)s->pid, IT_STOP_TIMEOUT_MS);
		kill(s->pid, SIGKILL);
		wait_exit(s->pid, 5000);
	}
	return st;
}

void it_fixture_server(void)
{
	if (nservers == 0)
		it_server_start(NULL);
}

char *it_server_log(void)
{
	char *s;

	ck_assert_msg(nservers > 0, "no portal running");
	s = read_file(servers[nservers - 1].log);
	ck_assert_msg(s != NULL, "out of memory");
	return s;
}

int it_portal_run(const char *const *args, const char *const *extra_env, int timeout_ms,
		  char **output)
{
	struct envlist env = { 0 };
	char *argv[16];
	char log[PATH_MAX];
	size_t n = 0;
	pid_t pid;
	int st;

	argv[n++] = (char *)need_env("PORTAL_BIN");
	for (size_t i = 0; args[i] != NULL; i++) {
		ck_assert_msg(n + 1 < sizeof argv / sizeof argv[0], "too many arguments");
		argv[n++] = (char *)args[i];
	}
	argv[n] = NULL;
	tmp_name(log, sizeof log, "run");
	portal_env(&env, free_port(), extra_env);
	pid = spawn(argv, env.v, log);
	env_free(&env);
	st = wait_exit(pid, timeout_ms);
	if (st < 0) {
		kill(pid, SIGKILL);
		wait_exit(pid, 5000);
	}
	if (output != NULL) {
		*output = read_file(log);
		ck_assert_msg(*output != NULL, "out of memory");
	}
	return st;
}

/* --- PostgreSQL ---------------------------------------------------------------------------- */

/* libpq notice processor that drops notices ("does not exist, skipping"). */
static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Runs sql and returns its last result (caller PQclear()s); fails the test on any error. */
static PGresult *psql_exec(const char *sql)
{
	PGconn *c = PQconnectdb("postgresql://");
	PGresult *res = NULL, *r;
	ExecStatusType st;
	char err[1024] = "";

	if (PQstatus(c) != CONNECTION_OK) {
		snprintf(err, sizeof err, "connect: %s", PQerrorMessage(c));
		goto out;
	}
	PQsetNoticeProcessor(c, quiet_notice, NULL);
	if (!PQsendQuery(c, sql)) {
		snprintf(err, sizeof err, "%s", PQerrorMessage(c));
		goto out;
	}
	while ((r = PQgetResult(c)) != NULL) {
		st = PQresultStatus(r);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && err[0] == '\0')
			snprintf(err, sizeof err, "%s", PQresultErrorMessage(r));
		PQclear(res);
		res = r;
	}
out:
	PQfinish(c);
	if (err[0] != '\0') {
		PQclear(res);
		ck_abort_msg("SQL failed: %s\n  in: %.300s", err, sql);
	}
	ck_assert_msg(res != NULL, "SQL gave no result: %.300s", sql);
	return res;
}

char *it_psql(const char *sql)
{
	PGresult *res = psql_exec(sql);
	char *v = NULL;

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0 && PQnfields(res) > 0 &&
	    !PQgetisnull(res, 0, 0)) {
		v = strdup(PQgetvalue(res, 0, 0));
		ck_assert_msg(v != NULL, "out of memory");
	}
	PQclear(res);
	return v;
}

long it_psql_long(const char *sql)
{
	char *v = it_psql(sql);
	char *end;
	long n;

	ck_assert_msg(v != NULL, "no value from: %s", sql);
	n = strtol(v, &end, 10);
	ck_assert_msg(*end == '\0' && end != v, "not a number (%s) from: %s", v, sql);
	free(v);
	return n;
}

char **it_psql_col(const char *sql, size_t *n)
{
	PGresult *res = psql_exec(sql);
	size_t rows = PQresultStatus(res) == PGRES_TUPLES_OK ? (size_t)PQntuples(res) : 0;
	char **v = calloc(rows + 1, sizeof *v);

	ck_assert_msg(v != NULL, "out of memory");
	for (size_t i = 0; i < rows; i++) {
		v[i] = strdup(PQgetisnull(res, (int)i, 0) ? "" : PQgetvalue(res, (int)i, 0));
		ck_assert_msg(v[i] != NULL, "out of memory");
	}
	PQclear(res);
	*n = rows;
	return v;
}

void it_strv_free(char **v)
{
	for (size_t i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* Runs `pg_ctlcluster --skip-systemctl-redirect $PGVERSION regress <action>`; returns its exit
 * status (-1 when it hung for 60 s) and its output (malloc'd) in *output. */
static int pg_ctl(const char *action, char **output)
{
	const char *version = getenv("PGVERSION");
	char *argv[] = { "pg_ctlcluster", "--skip-systemctl-redirect", (char *)version, "regress",
			 (char *)action, NULL };
	char log[PATH_MAX];
	pid_t pid;
	int st;

	*output = NULL;
	if (version == NULL || getenv("IT_TMPDIR") == NULL)
		return -1;
	if (snprintf(log, sizeof log, "%s/pg_ctl-%ld-%u.log", getenv("IT_TMPDIR"), (long)getpid(),
		     ++file_seq) >= (int)sizeof log)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	st = wait_exit(pid, 60000);
	if (st < 0) {
		kill(pid, SIGKILL);
		wait_exit(pid, 5000);
	}
	*output = read_file(log);
	return st;
}

void it_pg_stop(void)
{
	char *out;
	int st;

	need_env("PGVERSION");
	st = pg_ctl("stop", &out);
	ck_assert_msg(st == 0, "pg_ctlcluster stop: status %d: %s", st, out ? out : "");
	free(out);
}

void it_pg_start(void)
{
	char *out;
	int st;

	need_env("PGVERSION");
	st = pg_ctl("start", &out);
	ck_assert_msg(st == 0, "pg_ctlcluster start: status %d: %s", st, out ? out : "");
	free(out);
}

void it_pg_ensure_running(void)
{
	char *out = NULL;

	/* status: 0 running, 3 down. */
	if (pg_ctl("status", &out) != 0) {
		free(out);
		out = NULL;
		if (pg_ctl("start", &out) != 0)
			fprintf(stderr, "harness: cannot restart PostgreSQL: %s\n", out ? out : "");
	}
	free(out);
}

/* --- running ------------------------------------------------------------------------------- */

int it_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed, st;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (nservers > 0) {
		st = it_server_stop();
		if (st != 0) {
			fprintf(stderr, "harness: the portal did not shut down gracefully on SIGTERM "
				"(exit status %d)\n", st);
			failed++;
		}
	}
	curl_global_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
