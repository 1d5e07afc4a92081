/* harness.c - starts the portal as a child process, talks to it over TLS with libcurl, sets up
 * data through libpq and stops/starts the pg_virtualenv cluster; the checks of a response and
 * the files to upload that the test files share. See harness.h. */
#include "harness.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "app.h"
#include "buf.h"
#include "mail.h"
#include "password.h"

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

/* A transfer set up by prepare_transfer: where the response goes and the header list curl uses. */
struct pending {
	struct xfer x;
	struct curl_slist *hdrs;
};

/* Sets up transfer h (see it_perform): body must stay valid until finish_transfer. Returns
 * curl's result. */
static CURLcode prepare_transfer(CURL *h, const char *method, const char *path,
				 const char *content_type, const char *body, size_t len,
				 const char *const *extra_headers, struct it_resp *resp)
{
	struct pending *p = calloc(1, sizeof *p);
	struct curl_slist *next;
	struct buf url = { 0 }, ct = { 0 };
	CURLcode rc = CURLE_OUT_OF_MEMORY;

	memset(resp, 0, sizeof *resp);
	if (p == NULL)
		goto out;
	buf_printf(&url, "%s%s", it_base_url(), path);
	if (content_type != NULL)
		buf_printf(&ct, "Content-Type: %s", content_type);
	if (buf_failed(&url) || buf_failed(&ct))
		goto out;
	p->hdrs = curl_slist_append(p->hdrs, "Expect:");
	if (p->hdrs == NULL)
		goto out;
	if (content_type != NULL) {
		next = curl_slist_append(p->hdrs, buf_str(&ct));
		if (next == NULL)
			goto out;
		p->hdrs = next;
	}
	for (size_t i = 0; extra_headers != NULL && extra_headers[i] != NULL; i++) {
		next = curl_slist_append(p->hdrs, extra_headers[i]);
		if (next == NULL)
			goto out;
		p->hdrs = next;
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
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, p->hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &p->x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &p->x);
	curl_easy_setopt(h, CURLOPT_PRIVATE, (void *)p);
	p = NULL;
	rc = CURLE_OK;
out:
	if (p != NULL)
		curl_slist_free_all(p->hdrs);
	free(p);
	buf_free(&url);
	buf_free(&ct);
	return rc;
}

/* Once transfer h is done with result rc: fills resp and releases what prepare_transfer kept.
 * Returns curl's result. */
static CURLcode finish_transfer(CURL *h, CURLcode rc, struct it_resp *resp)
{
	struct pending *p = NULL;

	curl_easy_getinfo(h, CURLINFO_PRIVATE, (char **)&p);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
	curl_easy_setopt(h, CURLOPT_PRIVATE, (void *)NULL);
	if (p == NULL)
		return rc != CURLE_OK ? rc : CURLE_FAILED_INIT;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
	curl_easy_getinfo(h, CURLINFO_TOTAL_TIME, &resp->time_total);
	curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &resp->num_connects);
	if (rc != CURLE_OK)
		resp->status = 0;
	if (buf_failed(&p->x.body) || buf_failed(&p->x.headers)) {
		rc = CURLE_OUT_OF_MEMORY;
		goto out;
	}
	resp->len = p->x.body.len;
	resp->body = p->x.body.data != NULL ? p->x.body.data : strdup("");
	resp->headers = p->x.headers.data != NULL ? p->x.headers.data : strdup("");
	p->x.body = (struct buf){ 0 };
	p->x.headers = (struct buf){ 0 };
	if (resp->body == NULL || resp->headers == NULL) {
		it_resp_free(resp);
		rc = CURLE_OUT_OF_MEMORY;
	}
out:
	curl_slist_free_all(p->hdrs);
	buf_free(&p->x.body);
	buf_free(&p->x.headers);
	free(p);
	return rc;
}

CURLcode it_perform(CURL *h, const char *method, const char *path, const char *content_type,
		    const char *body, size_t len, const char *const *extra_headers,
		    struct it_resp *resp)
{
	CURLcode rc = prepare_transfer(h, method, path, content_type, body, len, extra_headers,
				       resp);

	if (rc != CURLE_OK)
		return rc;
	return finish_transfer(h, curl_easy_perform(h), resp);
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

void it_post_at_once(const char *path, const char *form, const char *const *extra_headers,
		     size_t n, struct it_resp *resp)
{
	CURLM *m = curl_multi_init();
	CURL **h = calloc(n, sizeof *h);
	CURLcode *rc = calloc(n, sizeof *rc);
	CURLMsg *msg;
	int running, left;
	size_t i;

	ck_assert_msg(m != NULL && h != NULL && rc != NULL, "out of memory");
	for (i = 0; i < n; i++) {
		h[i] = it_curl_new();
		rc[i] = CURLE_GOT_NOTHING;
		ck_assert_int_eq(prepare_transfer(h[i], "POST", path,
						  "application/x-www-form-urlencoded", form,
						  strlen(form), extra_headers, &resp[i]), CURLE_OK);
		curl_multi_add_handle(m, h[i]);
	}
	do {
		ck_assert_int_eq(curl_multi_perform(m, &running), CURLM_OK);
		if (running > 0)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	} while (running > 0);
	while ((msg = curl_multi_info_read(m, &left)) != NULL)
		for (i = 0; i < n; i++)
			if (msg->msg == CURLMSG_DONE && msg->easy_handle == h[i])
				rc[i] = msg->data.result;
	for (i = 0; i < n; i++) {
		ck_assert_msg(finish_transfer(h[i], rc[i], &resp[i]) == CURLE_OK, "request %zu: %s",
			      i, curl_easy_strerror(rc[i]));
		curl_multi_remove_handle(m, h[i]);
		curl_easy_cleanup(h[i]);
	}
	curl_multi_cleanup(m);
	free(rc);
	free(h);
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

char *it_psql_id(const char *sql, long long id)
{
	char s[24];
	const char *vals[1] = { s };

	snprintf(s, sizeof s, "%lld", id);
	return it_psql_params(sql, 1, vals);
}

long long it_psql_id_long(const char *sql, long long id)
{
	char *v = it_psql_id(sql, id);
	long long n = v != NULL ? strtoll(v, NULL, 10) : 0;

	free(v);
	return n;
}

void it_psql_id_exec(const char *sql, long long id)
{
	free(it_psql_id(sql, id));
}

long long it_outbox_count(const char *to)
{
	const char *vals[1] = { to };
	char *v = it_psql_params("SELECT count(*) FROM outbox WHERE lower(to_address) = lower($1)",
				 1, vals);
	long long n = v != NULL ? strtoll(v, NULL, 10) : 0;

	free(v);
	return n;
}

void it_date_in(int days, char *d, char *m, char *y)
{
	char sql[160], *v;

	snprintf(sql, sizeof sql, "SELECT to_char((now() AT TIME ZONE 'Europe/London')::date + "
		 "(%d), 'FMDD FMMM YYYY')", days);
	v = it_psql(sql);
	ck_assert_msg(v != NULL && sscanf(v, "%7s %7s %7s", d, m, y) == 3, "date: %s", v);
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

/* --- browser-like clients ------------------------------------------------------------------ */

/* Appends s to b url-encoded (everything but unreserved characters as %XX). */
static void form_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
			buf_putc(b, (char)ch);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[ch >> 4]);
			buf_putc(b, hex[ch & 15]);
		}
	}
}

char *it_form(const char *name, ...)
{
	struct buf b = { 0 };
	va_list ap;
	char *out;

	va_start(ap, name);
	for (const char *n = name; n != NULL; n = va_arg(ap, const char *)) {
		const char *v = va_arg(ap, const char *);

		if (b.len > 0)
			buf_putc(&b, '&');
		form_encode(&b, n);
		buf_putc(&b, '=');
		form_encode(&b, v != NULL ? v : "");
	}
	va_end(ap);
	ck_assert_msg(!buf_failed(&b), "out of memory");
	out = strdup(buf_str(&b));
	ck_assert_msg(out != NULL, "out of memory");
	buf_free(&b);
	return out;
}

const char *it_client_cookie(const struct it_client *c, const char *name)
{
	for (size_t i = 0; i < c->ncookies; i++)
		if (strcmp(c->cookies[i].name, name) == 0)
			return c->cookies[i].value;
	return NULL;
}

void it_client_set_cookie(struct it_client *c, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < c->ncookies; i++)
		if (strcmp(c->cookies[i].name, name) == 0)
			break;
	if (value == NULL) {
		if (i < c->ncookies)
			c->cookies[i] = c->cookies[--c->ncookies];
		return;
	}
	if (i == c->ncookies) {
		ck_assert_msg(c->ncookies < IT_CLIENT_COOKIES, "too many cookies");
		c->ncookies++;
	}
	ck_assert_msg(strlen(name) < sizeof c->cookies[i].name &&
		      strlen(value) < sizeof c->cookies[i].value, "cookie %s too long", name);
	strcpy(c->cookies[i].name, name);
	strcpy(c->cookies[i].value, value);
}

/* Keeps a copy of s (n bytes) in resp's header values, like it_header. Returns the copy. */
static const char *resp_keep(struct it_resp *resp, const char *s, size_t n)
{
	char *copy = strndup(s, n), **vals = realloc(resp->hvals, (resp->nhvals + 1) * sizeof *vals);

	ck_assert_msg(copy != NULL && vals != NULL, "out of memory");
	resp->hvals = vals;
	resp->hvals[resp->nhvals++] = copy;
	return copy;
}

/* Calls fn(value, len, arg) for the value of every Set-Cookie header of resp. */
static void each_set_cookie(const struct it_resp *resp,
			    void (*fn)(const char *v, size_t n, void *arg), void *arg)
{
	const char *line = resp->headers;

	while (line != NULL && *line != '\0') {
		const char *end = strstr(line, "\r\n"), *v;

		if (end == NULL)
			end = line + strlen(line);
		if ((size_t)(end - line) > 11 && strncasecmp(line, "Set-Cookie:", 11) == 0) {
			v = line + 11;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			fn(v, (size_t)(end - v), arg);
		}
		line = *end != '\0' ? end + 2 : end;
	}
}

/* Search state of it_set_cookie. */
struct cookie_find {
	const char *name;
	const char *start;
	size_t len;
};

static void find_cookie(const char *v, size_t n, void *arg)
{
	struct cookie_find *f = arg;
	size_t nlen = strlen(f->name);

	if (f->start == NULL && n > nlen && strncmp(v, f->name, nlen) == 0 && v[nlen] == '=') {
		f->start = v;
		f->len = n;
	}
}

const char *it_set_cookie(struct it_resp *resp, const char *name)
{
	struct cookie_find f = { .name = name };

	each_set_cookie(resp, find_cookie, &f);
	return f.start != NULL ? resp_keep(resp, f.start, f.len) : NULL;
}

/* Stores one Set-Cookie value in the client given as arg. */
static void absorb_cookie(const char *v, size_t n, void *arg)
{
	struct it_client *c = arg;
	char *copy = strndup(v, n), *eq, *semi, *p;
	bool gone;

	ck_assert_msg(copy != NULL, "out of memory");
	eq = strchr(copy, '=');
	if (eq == NULL) {
		free(copy);
		return;
	}
	*eq = '\0';
	semi = strchr(eq + 1, ';');
	if (semi != NULL)
		*semi = '\0';
	gone = eq[1] == '\0';
	for (p = semi != NULL ? semi + 1 : NULL; p != NULL && !gone; p = strchr(p, ';')) {
		while (*p == ';' || *p == ' ')
			p++;
		if (strncasecmp(p, "Max-Age=", 8) == 0 && atol(p + 8) <= 0)
			gone = true;
		if (*p == '\0')
			break;
	}
	it_client_set_cookie(c, copy, gone ? NULL : eq + 1);
	free(copy);
}

char *it_input_value(const char *html, const char *name)
{
	struct buf pat = { 0 };
	const char *p, *tag, *v, *end;
	char *raw, *out = NULL;

	buf_printf(&pat, "name=\"%s\"", name);
	ck_assert_msg(!buf_failed(&pat), "out of memory");
	for (p = strstr(html, buf_str(&pat)); p != NULL; p = strstr(p + 1, buf_str(&pat))) {
		/* The attribute must sit in an <input ...> tag; value may come before or after. */
		for (tag = p; tag > html && *tag != '<' && *tag != '>'; tag--)
			;
		if (strncmp(tag, "<input", 6) != 0)
			continue;
		end = strchr(p, '>');
		for (v = strstr(tag, " value=\""); v != NULL && end != NULL && v < end;
		     v = strstr(v + 1, " value=\"")) {
			const char *q = strchr(v + 8, '"');

			if (q == NULL || q > end)
				break;
			raw = strndup(v + 8, (size_t)(q - v - 8));
			ck_assert_msg(raw != NULL, "out of memory");
			out = it_html_decode(raw);
			free(raw);
			goto out;
		}
	}
out:
	buf_free(&pat);
	return out;
}

long it_client_send(struct it_client *c, const char *method, const char *path,
		    const char *content_type, const char *body, size_t len,
		    const char *const *extra_headers, struct it_resp *resp)
{
	const char *hdrs[24];
	struct buf cookie = { 0 };
	size_t n = 0;
	char *csrf;

	if (c->ncookies > 0) {
		buf_puts(&cookie, "Cookie: ");
		for (size_t i = 0; i < c->ncookies; i++)
			buf_printf(&cookie, "%s%s=%s", i > 0 ? "; " : "", c->cookies[i].name,
				   c->cookies[i].value);
		ck_assert_msg(!buf_failed(&cookie), "out of memory");
		hdrs[n++] = buf_str(&cookie);
	}
	for (size_t i = 0; extra_headers != NULL && extra_headers[i] != NULL; i++) {
		ck_assert_msg(n + 1 < sizeof hdrs / sizeof hdrs[0], "too many headers");
		hdrs[n++] = extra_headers[i];
	}
	hdrs[n] = NULL;
	it_request(method, path, content_type, body, len, hdrs, resp);
	buf_free(&cookie);
	each_set_cookie(resp, absorb_cookie, c);
	csrf = it_input_value(resp->body, "csrf_token");
	if (csrf != NULL) {
		ck_assert_msg(strlen(csrf) < sizeof c->csrf, "csrf_token too long");
		strcpy(c->csrf, csrf);
		free(csrf);
	}
	return resp->status;
}

long it_client_request(struct it_client *c, const char *method, const char *path,
		       const char *form, const char *const *extra_headers, struct it_resp *resp)
{
	return it_client_send(c, method, path,
			      form != NULL ? "application/x-www-form-urlencoded" : NULL, form,
			      form != NULL ? strlen(form) : 0, extra_headers, resp);
}

long it_client_get(struct it_client *c, const char *path, struct it_resp *resp)
{
	return it_client_request(c, "GET", path, NULL, NULL, resp);
}

long it_client_post(struct it_client *c, const char *path, const char *form,
		    struct it_resp *resp)
{
	struct buf body = { 0 };
	long st;

	buf_puts(&body, form != NULL ? form : "");
	if (body.len > 0)
		buf_putc(&body, '&');
	buf_puts(&body, "csrf_token=");
	form_encode(&body, c->csrf);
	ck_assert_msg(!buf_failed(&body), "out of memory");
	st = it_client_request(c, "POST", path, buf_str(&body), NULL, resp);
	buf_free(&body);
	return st;
}

const char *it_location(struct it_resp *resp)
{
	const char *loc = it_header(resp, "Location");
	size_t n;

	if (loc == NULL)
		return NULL;
	n = strlen(it_base_url());
	if (strncmp(loc, it_base_url(), n) == 0 && (loc[n] == '/' || loc[n] == '\0'))
		return loc[n] == '\0' ? "/" : loc + n;
	return loc;
}

/* --- checks of a response ------------------------------------------------------------------- */

void it_expect_redirect(struct it_resp *resp, const char *prefix, const char *what)
{
	const char *loc;

	ck_assert_msg(resp->status == 303, "%s: status %ld, want 303; body: %.800s", what,
		      resp->status, resp->body);
	loc = it_location(resp);
	ck_assert_msg(loc != NULL && strncmp(loc, prefix, strlen(prefix)) == 0,
		      "%s: redirect to %s, want %s...", what, loc ? loc : "(none)", prefix);
}

void it_expect_errors(struct it_resp *resp, const char *field, const char *what)
{
	char link[128];

	it_expect_status(resp, 422, what);
	ck_assert_msg(strstr(resp->body, "govuk-error-summary") != NULL, "%s: no error summary",
		      what);
	ck_assert_msg(strstr(resp->body, "<title>Error: ") != NULL,
		      "%s: the title does not start with \"Error: \"", what);
	if (field != NULL) {
		snprintf(link, sizeof link, "href=\"#%s\"", field);
		ck_assert_msg(strstr(resp->body, link) != NULL,
			      "%s: the error summary has no link to #%s: %.2000s", what, field,
			      strstr(resp->body, "govuk-error-summary"));
	}
}

void it_expect_get(struct it_client *c, const char *path, long want, const char *what)
{
	struct it_resp r;

	it_client_get(c, path, &r);
	ck_assert_msg(r.status == want, "%s: GET %s: status %ld, want %ld; body: %.800s", what,
		      path, r.status, want, r.body);
	it_resp_free(&r);
}

bool it_header_has(const struct it_resp *resp, const char *name, const char *needle)
{
	size_t n = strlen(name);

	for (const char *line = resp->headers; line != NULL && *line != '\0';) {
		const char *end = strstr(line, "\r\n");

		if (end == NULL)
			end = line + strlen(line);
		if ((size_t)(end - line) > n && strncasecmp(line, name, n) == 0 && line[n] == ':' &&
		    memmem(line + n + 1, (size_t)(end - line - (long)n - 1), needle,
			   strlen(needle)) != NULL)
			return true;
		line = *end != '\0' ? end + 2 : end;
	}
	return false;
}

void it_expect_xml(const struct it_resp *resp, const char *what)
{
	char file[512], cmd[600];
	FILE *f;
	int rc;

	snprintf(file, sizeof file, "%s/xml-%ld.xml", getenv("IT_TMPDIR"), (long)getpid());
	f = fopen(file, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", file);
	ck_assert_msg(fwrite(resp->body, 1, resp->len, f) == resp->len && fclose(f) == 0,
		      "cannot write %s", file);
	snprintf(cmd, sizeof cmd, "/usr/bin/xmllint --noout '%s' 2>&1", file);
	rc = system(cmd);
	unlink(file);
	ck_assert_msg(rc == 0, "%s: xmllint finds it not well-formed", what);
}

bool it_noindex(struct it_resp *resp)
{
	const char *h = it_header(resp, "X-Robots-Tag");

	return (h != NULL && strstr(h, "noindex") != NULL) ||
	       (strstr(resp->body, "name=\"robots\"") != NULL &&
		strstr(resp->body, "noindex") != NULL);
}

void it_expect_download(struct it_resp *resp, const char *type, const char *cache,
			const void *want, size_t len, const char *what)
{
	const char *cd = it_header(resp, "Content-Disposition");
	const char *ct = it_header(resp, "Content-Type");

	it_expect_status(resp, 200, what);
	ck_assert_msg(cd != NULL && strncmp(cd, "attachment", 10) == 0,
		      "%s: Content-Disposition %s, want attachment", what, cd ? cd : "(none)");
	ck_assert_msg(it_header_has(resp, "X-Content-Type-Options", "nosniff"), "%s: no nosniff",
		      what);
	ck_assert_msg(it_header_has(resp, "Content-Security-Policy", "sandbox"),
		      "%s: no Content-Security-Policy: sandbox", what);
	ck_assert_msg(it_header_has(resp, "Cache-Control", cache), "%s: no Cache-Control: %s",
		      what, cache);
	ck_assert_msg(ct != NULL && strcmp(ct, type) == 0, "%s: Content-Type %s, want %s", what,
		      ct ? ct : "(none)", type);
	ck_assert_msg(resp->len == len && memcmp(resp->body, want, len) == 0,
		      "%s: the bytes differ from those uploaded (%zu, want %zu)", what, resp->len,
		      len);
}

/* --- files to upload ----------------------------------------------------------------------- */

/* A ZIP archive under construction: local entries in data, the central directory in dir. */
struct zip {
	struct buf data;
	struct buf dir;
	unsigned entries;
};

/* Appends v to b as 2 or 4 bytes, little-endian (ZIP's byte order). */
static void put16(struct buf *b, unsigned v)
{
	buf_putc(b, (char)(v & 0xff));
	buf_putc(b, (char)((v >> 8) & 0xff));
}

static void put32(struct buf *b, unsigned long v)
{
	put16(b, (unsigned)(v & 0xffff));
	put16(b, (unsigned)((v >> 16) & 0xffff));
}

/* Adds entry name with content (len bytes) to z, stored, or deflated when deflated is true. */
static void zip_add(struct zip *z, const char *name, const void *content, size_t len,
		    bool deflated)
{
	unsigned long crc = crc32(0L, (const Bytef *)content, (uInt)len);
	unsigned long offset = (unsigned long)z->data.len;
	unsigned char *packed = NULL;
	size_t packed_len = len;
	const void *body = content;

	if (deflated) {
		z_stream s = { 0 };
		size_t cap = compressBound((uLong)len) + 64;

		packed = malloc(cap);
		ck_assert_ptr_nonnull(packed);
		ck_assert_int_eq(deflateInit2(&s, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
		s.next_in = (Bytef *)content;
		s.avail_in = (uInt)len;
		s.next_out = packed;
		s.avail_out = (uInt)cap;
		ck_assert_int_eq(deflate(&s, Z_FINISH), Z_STREAM_END);
		packed_len = s.total_out;
		deflateEnd(&s);
		body = packed;
	}
	put32(&z->data, 0x04034b50UL);
	put16(&z->data, 20);
	put16(&z->data, 0);
	put16(&z->data, deflated ? 8 : 0);
	put16(&z->data, 0);
	put16(&z->data, 0x21);
	put32(&z->data, crc);
	put32(&z->data, (unsigned long)packed_len);
	put32(&z->data, (unsigned long)len);
	put16(&z->data, (unsigned)strlen(name));
	put16(&z->data, 0);
	buf_puts(&z->data, name);
	buf_append(&z->data, body, packed_len);

	put32(&z->dir, 0x02014b50UL);
	put16(&z->dir, 20);
	put16(&z->dir, 20);
	put16(&z->dir, 0);
	put16(&z->dir, deflated ? 8 : 0);
	put16(&z->dir, 0);
	put16(&z->dir, 0x21);
	put32(&z->dir, crc);
	put32(&z->dir, (unsigned long)packed_len);
	put32(&z->dir, (unsigned long)len);
	put16(&z->dir, (unsigned)strlen(name));
	put16(&z->dir, 0);
	put16(&z->dir, 0);
	put16(&z->dir, 0);
	put16(&z->dir, 0);
	put32(&z->dir, 0);
	put32(&z->dir, offset);
	buf_puts(&z->dir, name);
	z->entries++;
	free(packed);
}

/* Finishes z: the archive's bytes in a new buffer (*len of them; caller frees), z freed. */
static char *zip_finish(struct zip *z, size_t *len)
{
	unsigned long dir_offset = (unsigned long)z->data.len;
	char *out;

	buf_append(&z->data, z->dir.data, z->dir.len);
	put32(&z->data, 0x06054b50UL);
	put16(&z->data, 0);
	put16(&z->data, 0);
	put16(&z->data, z->entries);
	put16(&z->data, z->entries);
	put32(&z->data, (unsigned long)z->dir.len);
	put32(&z->data, dir_offset);
	put16(&z->data, 0);
	ck_assert_msg(!buf_failed(&z->data) && !buf_failed(&z->dir), "out of memory");
	*len = z->data.len;
	out = malloc(*len);
	ck_assert_ptr_nonnull(out);
	memcpy(out, z->data.data, *len);
	buf_free(&z->data);
	buf_free(&z->dir);
	return out;
}

char *it_docx(const char *document_xml, const char *extra, const void *extra_data,
	      size_t extra_len, bool deflate_extra, size_t *len)
{
	static const char content_types[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
		"relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
		"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd."
		"openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
	static const char rels[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		"relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats."
		"org/officeDocument/2006/relationships/officeDocument\" "
		"Target=\"word/document.xml\"/></Relationships>";
	static const char plain[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"
		"main\"><w:body><w:p><w:r><w:t>Job description: teacher of mathematics.</w:t></w:r>"
		"</w:p></w:body></w:document>";
	struct zip z = { 0 };

	if (document_xml == NULL)
		document_xml = plain;
	zip_add(&z, "[Content_Types].xml", content_types, strlen(content_types), false);
	zip_add(&z, "_rels/.rels", rels, strlen(rels), true);
	zip_add(&z, "word/document.xml", document_xml, strlen(document_xml), true);
	if (extra != NULL)
		zip_add(&z, extra, extra_data, extra_len, deflate_extra);
	return zip_finish(&z, len);
}

char *it_multipart(const char *csrf, const char *kind, const char *filename, size_t name_len,
		   const char *type, const void *data, size_t len, size_t *outlen)
{
	struct buf b = { 0 };
	char *out;

	if (csrf != NULL)
		buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
			   "%s\r\n", IT_BOUNDARY, csrf);
	if (kind != NULL)
		buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n"
			   "%s\r\n", IT_BOUNDARY, kind);
	buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"document\"; filename=\"",
		   IT_BOUNDARY);
	buf_append(&b, filename, name_len);
	buf_printf(&b, "\"\r\nContent-Type: %s\r\n\r\n", type);
	buf_append(&b, data, len);
	buf_printf(&b, "\r\n--%s--\r\n", IT_BOUNDARY);
	ck_assert_msg(!buf_failed(&b), "out of memory");
	*outlen = b.len;
	out = malloc(b.len + 1);
	ck_assert_ptr_nonnull(out);
	memcpy(out, b.data, b.len);
	out[b.len] = '\0';
	buf_free(&b);
	return out;
}

/* --- email through the SMTP sink ----------------------------------------------------------- */

/* The sink of this runner process: its pid, the directory it writes to, the environment entry
 * that points a portal at it. */
static struct {
	pid_t pid;
	pid_t owner;
	char dir[PATH_MAX];
	char env[64];
} sink;

/* Message numbers this test has taken with it_mail_wait (a test is one forked process, so the
 * list starts empty in each; owner tells). */
static struct {
	pid_t owner;
	long taken[256];
	size_t ntaken;
} mail_seen;

/* True when something accepts TCP connections on 127.0.0.1:port. */
static bool port_open(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bool ok;

	if (fd < 0)
		return false;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
	close(fd);
	return ok;
}

const char *it_mail_sink_start(void)
{
	char port_s[16], log[PATH_MAX], *tail;
	char *argv[] = { "/usr/bin/python3", "tests/smtp_sink.py", "--port", port_s, "--dir",
			 sink.dir, NULL };
	long long until;
	int port, st;

	if (sink.pid != 0)
		return sink.env;
	port = free_port();
	snprintf(port_s, sizeof port_s, "%d", port);
	ck_assert_msg(snprintf(sink.dir, sizeof sink.dir, "%s/mail-%ld", need_env("IT_TMPDIR"),
			       (long)getpid()) < (int)sizeof sink.dir, "path too long");
	ck_assert_msg(mkdir(sink.dir, 0700) == 0 || errno == EEXIST, "mkdir %s: %s", sink.dir,
		      strerror(errno));
	tmp_name(log, sizeof log, "smtp-sink");
	sink.pid = spawn(argv, environ, log);
	sink.owner = getpid();
	until = it_now_ms() + IT_START_TIMEOUT_MS;
	while (!port_open(port)) {
		st = wait_exit(sink.pid, 0);
		if (st >= 0 || it_now_ms() >= until) {
			if (st < 0) {
				kill(sink.pid, SIGKILL);
				wait_exit(sink.pid, 5000);
			}
			sink.pid = 0;
			tail = file_tail(log);
			ck_abort_msg("the SMTP sink did not listen on port %d (%s); its log:\n%s",
				     port, st >= 0 ? "it exited" : "timeout", tail ? tail : "");
		}
		it_sleep_ms(50);
	}
	snprintf(sink.env, sizeof sink.env, "PORTAL_SMTP_URL=smtp://127.0.0.1:%d", port);
	return sink.env;
}

void it_mail_sink_stop(void)
{
	if (sink.pid == 0 || sink.owner != getpid())
		return;
	kill(sink.pid, SIGTERM);
	if (wait_exit(sink.pid, 5000) < 0) {
		kill(sink.pid, SIGKILL);
		wait_exit(sink.pid, 5000);
	}
	sink.pid = 0;
}

void it_fixture_server_mail(void)
{
	const char *env[2] = { NULL, NULL };

	if (nservers > 0)
		return;
	env[0] = it_mail_sink_start();
	it_server_start(env);
}

/* Decodes quoted-printable text (soft line breaks and =XX) into b. */
static void qp_decode(struct buf *b, const char *s)
{
	while (*s != '\0') {
		if (s[0] == '=' && s[1] == '\r' && s[2] == '\n') {
			s += 3;
		} else if (s[0] == '=' && s[1] == '\n') {
			s += 2;
		} else if (s[0] == '=' && isxdigit((unsigned char)s[1]) &&
			   isxdigit((unsigned char)s[2])) {
			char hex[3] = { s[1], s[2], '\0' };

			buf_putc(b, (char)strtol(hex, NULL, 16));
			s += 3;
		} else {
			buf_putc(b, *s++);
		}
	}
}

/* True when the X-Sink-Rcpt-To line of raw lists `to` (ignoring case). */
static bool mail_is_for(const char *raw, const char *to)
{
	const char *p = strstr(raw, "X-Sink-Rcpt-To:"), *end;
	size_t tlen = strlen(to);

	if (p == NULL)
		return false;
	p += 15;
	end = strstr(p, "\r\n");
	if (end == NULL)
		return false;
	while (p < end) {
		const char *q;

		while (p < end && (*p == ' ' || *p == ',' || *p == '<'))
			p++;
		q = p;
		while (q < end && *q != ',' && *q != '>' && *q != ' ')
			q++;
		if ((size_t)(q - p) == tlen && strncasecmp(p, to, tlen) == 0)
			return true;
		p = q + 1;
	}
	return false;
}

/* A message file as its headers, a blank line and its decoded body. malloc'd. */
static char *mail_decode(const char *raw)
{
	const char *sep = strstr(raw, "\r\n\r\n");
	struct buf b = { 0 }, head = { 0 };
	char *out;
	bool qp;

	if (sep == NULL) {
		out = strdup(raw);
		ck_assert_msg(out != NULL, "out of memory");
		return out;
	}
	buf_append(&head, raw, (size_t)(sep - raw));
	qp = strcasestr(buf_str(&head), "Content-Transfer-Encoding: quoted-printable") != NULL;
	buf_append(&b, raw, (size_t)(sep - raw) + 4);
	if (qp)
		qp_decode(&b, sep + 4);
	else
		buf_puts(&b, sep + 4);
	ck_assert_msg(!buf_failed(&b) && !buf_failed(&head), "out of memory");
	out = strdup(buf_str(&b));
	ck_assert_msg(out != NULL, "out of memory");
	buf_free(&b);
	buf_free(&head);
	return out;
}

/* Numbers n of the DIR/<n>.eml files, ascending, into a malloc'd list (*n entries). */
static long *mail_numbers(size_t *n)
{
	DIR *d;
	struct dirent *e;
	long *v = NULL, *nv, num;
	size_t len = 0;
	char *end;

	ck_assert_msg(sink.dir[0] != '\0', "no SMTP sink: use it_fixture_server_mail");
	d = opendir(sink.dir);
	ck_assert_msg(d != NULL, "opendir %s: %s", sink.dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		num = strtol(e->d_name, &end, 10);
		if (strcmp(end, ".eml") != 0)
			continue;
		nv = realloc(v, (len + 1) * sizeof *v);
		ck_assert_msg(nv != NULL, "out of memory");
		v = nv;
		v[len++] = num;
	}
	closedir(d);
	for (size_t i = 1; i < len; i++)
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			num = v[j];
			v[j] = v[j - 1];
			v[j - 1] = num;
		}
	*n = len;
	return v;
}

/* The raw text of DIR/<num>.eml, malloc'd. */
static char *mail_read(long num)
{
	char path[PATH_MAX + 32];
	char *raw;

	snprintf(path, sizeof path, "%s/%ld.eml", sink.dir, num);
	raw = read_file(path);
	ck_assert_msg(raw != NULL, "out of memory");
	return raw;
}

char *it_mail_wait(const char *to, const char *needle, int timeout_ms)
{
	long long until = it_now_ms() + timeout_ms;
	long *nums;
	size_t n, i, k;
	char *raw, *msg, *tail;

	if (mail_seen.owner != getpid()) {
		mail_seen.owner = getpid();
		mail_seen.ntaken = 0;
	}
	for (;;) {
		nums = mail_numbers(&n);
		for (i = 0; i < n; i++) {
			for (k = 0; k < mail_seen.ntaken && mail_seen.taken[k] != nums[i]; k++)
				;
			if (k < mail_seen.ntaken)
				continue;
			raw = mail_read(nums[i]);
			msg = mail_is_for(raw, to) ? mail_decode(raw) : NULL;
			free(raw);
			if (msg != NULL && (needle == NULL || strstr(msg, needle) != NULL)) {
				ck_assert_msg(mail_seen.ntaken < sizeof mail_seen.taken /
								  sizeof mail_seen.taken[0],
					      "too many messages taken");
				mail_seen.taken[mail_seen.ntaken++] = nums[i];
				free(nums);
				return msg;
			}
			free(msg);
		}
		free(nums);
		if (it_now_ms() >= until) {
			tail = nservers > 0 ? file_tail(servers[nservers - 1].log) : NULL;
			ck_abort_msg("no email to %s containing \"%s\" within %d ms; the portal's "
				     "log ends:\n%s", to, needle ? needle : "", timeout_ms,
				     tail ? tail : "(none)");
		}
		it_sleep_ms(100);
	}
}

size_t it_mail_count(const char *to)
{
	size_t n, i, count = 0;
	long *nums = mail_numbers(&n);
	char *raw;

	for (i = 0; i < n; i++) {
		raw = mail_read(nums[i]);
		count += mail_is_for(raw, to);
		free(raw);
	}
	free(nums);
	return count;
}

char *it_mail_link(const char *msg, const char *prefix)
{
	const char *p = strstr(msg, prefix), *e;
	char *out;

	ck_assert_msg(p != NULL, "no link %s in the email:\n%s", prefix, msg);
	e = p + strlen(prefix);
	while (isalnum((unsigned char)*e) || *e == '-' || *e == '_')
		e++;
	out = strndup(p, (size_t)(e - p));
	ck_assert_msg(out != NULL, "out of memory");
	return out;
}

/* --- accounts ------------------------------------------------------------------------------ */

void it_unique_email(char *out, size_t outlen, const char *tag)
{
	static unsigned seq;
	struct timespec ts;
	int n;

	clock_gettime(CLOCK_REALTIME, &ts);
	n = snprintf(out, outlen, "%s-%ld-%lx%u@example.org", tag, (long)getpid(),
		     (unsigned long)ts.tv_nsec, ++seq);
	ck_assert_msg(n > 0 && (size_t)n < outlen, "email buffer too small");
	for (char *p = out; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
}

void it_unique_word(char out[IT_WORD_LEN])
{
	static const char letters[] = "bcdfghjklmnpqrtvwxz";
	static unsigned seq;
	struct timespec ts;
	unsigned long long v;
	size_t i;

	clock_gettime(CLOCK_REALTIME, &ts);
	v = (unsigned long long)getpid() * 1000003ULL + (unsigned long long)ts.tv_nsec +
	    (unsigned long long)ts.tv_sec * 7919ULL + ++seq * 104729ULL;
	out[0] = 'z';
	out[1] = 'q';
	for (i = 2; i < IT_WORD_LEN - 1; i++) {
		out[i] = letters[v % (sizeof letters - 1)];
		v /= sizeof letters - 1;
		if (v == 0)
			v = (unsigned long long)seq * 31ULL + i;
	}
	out[IT_WORD_LEN - 1] = '\0';
}

char *it_psql_params(const char *sql, int n, const char *const *vals)
{
	PGconn *c = PQconnectdb("postgresql://");
	PGresult *res = NULL;
	char err[1024] = "", *v = NULL;

	if (PQstatus(c) != CONNECTION_OK) {
		snprintf(err, sizeof err, "connect: %s", PQerrorMessage(c));
		goto out;
	}
	PQsetNoticeProcessor(c, quiet_notice, NULL);
	res = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, sizeof err, "%s", PQresultErrorMessage(res));
		goto out;
	}
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0 && PQnfields(res) > 0 &&
	    !PQgetisnull(res, 0, 0)) {
		v = strdup(PQgetvalue(res, 0, 0));
		ck_assert_msg(v != NULL, "out of memory");
	}
out:
	PQclear(res);
	PQfinish(c);
	if (err[0] != '\0')
		ck_abort_msg("SQL failed: %s\n  in: %.300s", err, sql);
	return v;
}

long it_school(int n)
{
	char sql[96];

	snprintf(sql, sizeof sql, "SELECT urn FROM schools ORDER BY urn OFFSET %d LIMIT 1", n);
	return it_psql_long(sql);
}

long long it_user_add(const char *email, const char *name, const char *role,
		      const char *password, int verified)
{
	char hash[PASSWORD_HASH_MAX] = "";
	const char *vals[5] = { email, name, role, NULL, verified ? "t" : "f" };
	char *id;
	long long v;

	if (password != NULL) {
		ck_assert_msg(password_hash(password, hash) == PASSWORD_OK, "password_hash failed");
		vals[3] = hash;
	}
	id = it_psql_params("INSERT INTO users (email, name, role, password_hash, verified_at) "
			    "VALUES ($1, $2, $3, $4, CASE WHEN $5::boolean THEN now() END) "
			    "RETURNING id", 5, vals);
	ck_assert_msg(id != NULL, "no id for the new user %s", email);
	v = strtoll(id, NULL, 10);
	free(id);
	return v;
}

long long it_user_signed_in(struct it_client *c, const char *role, const char *name,
			    const char *password, char *email)
{
	char e[128];
	long long id;

	it_unique_email(e, sizeof e, role);
	id = it_user_add(e, name, role, password, 1);
	if (c != NULL)
		it_login(c, e, password);
	if (email != NULL)
		snprintf(email, 128, "%s", e);
	return id;
}

void it_membership_add(long long user_id, long urn, const char *role)
{
	char uid[24], school[24];
	const char *vals[3] = { uid, school, role };

	snprintf(uid, sizeof uid, "%lld", user_id);
	snprintf(school, sizeof school, "%ld", urn);
	free(it_psql_params("INSERT INTO school_memberships (user_id, school_urn, role) VALUES "
			    "($1, $2, $3)", 3, vals));
}

/* A column of it_vacancy_add's INSERT: its value, as a parameter or (raw) as an expression. */
struct vac_col {
	const char *name;
	const char *value;
	bool raw;
};

/* Sets column name of cols (n of them, at most max) to value: '=' starts an SQL expression. */
static void vac_set(struct vac_col *cols, size_t *n, size_t max, const char *name,
		    const char *value)
{
	size_t i;

	for (i = 0; i < *n && strcmp(cols[i].name, name) != 0; i++)
		;
	if (i == *n) {
		ck_assert_msg(*n < max, "it_vacancy_add: too many columns");
		(*n)++;
	}
	cols[i].name = name;
	cols[i].raw = value != NULL && value[0] == '=';
	cols[i].value = cols[i].raw ? value + 1 : value;
}

long long it_vacancy_add(long urn, const char *status, ...)
{
	struct vac_col cols[64];
	const char *vals[64], *schools = NULL;
	struct buf names = { 0 }, exprs = { 0 }, more = { 0 };
	char urn_s[24], id_s[24], *id;
	size_t n = 0, nvals = 0;
	bool live = strcmp(status, "published") == 0, closed = strcmp(status, "closed") == 0;
	long long v;
	va_list ap;

	snprintf(urn_s, sizeof urn_s, "%ld", urn);
	vac_set(cols, &n, 64, "school_urn", urn_s);
	vac_set(cols, &n, 64, "status", status);
	vac_set(cols, &n, 64, "title", "Class teacher");
	vac_set(cols, &n, 64, "job_roles", "{teacher}");
	vac_set(cols, &n, 64, "phases", "{primary}");
	vac_set(cols, &n, 64, "contract_type", "permanent");
	vac_set(cols, &n, 64, "working_patterns", "{full_time}");
	vac_set(cols, &n, 64, "pay_scale", "mps");
	vac_set(cols, &n, 64, "start_type", "asap");
	vac_set(cols, &n, 64, "description", "A friendly school is looking for a colleague.");
	vac_set(cols, &n, 64, "contact_email", "jobs@example.org");
	vac_set(cols, &n, 64, "closes_at", closed ? "=now() - interval '1 hour'"
						  : "=now() + interval '30 days'");
	if (live || closed) {
		vac_set(cols, &n, 64, "publish_at", "=now() - interval '2 days'");
		vac_set(cols, &n, 64, "published_at", "=now() - interval '2 days'");
	}
	if (closed)
		vac_set(cols, &n, 64, "closed_at", "=now() - interval '1 hour'");
	if (strcmp(status, "scheduled") == 0)
		vac_set(cols, &n, 64, "publish_at", "=now() + interval '7 days'");
	va_start(ap, status);
	for (const char *name = va_arg(ap, const char *); name != NULL;
	     name = va_arg(ap, const char *)) {
		const char *value = va_arg(ap, const char *);

		if (strcmp(name, "+schools") == 0)
			schools = value;
		else
			vac_set(cols, &n, 64, name, value);
	}
	va_end(ap);
	for (size_t i = 0; i < n; i++) {
		buf_printf(&names, "%s%s", i > 0 ? ", " : "", cols[i].name);
		if (cols[i].raw) {
			buf_printf(&exprs, "%s%s", i > 0 ? ", " : "", cols[i].value);
		} else {
			vals[nvals++] = cols[i].value;
			buf_printf(&exprs, "%s$%zu", i > 0 ? ", " : "", nvals);
		}
	}
	buf_printf(&more, "INSERT INTO vacancies (%s) VALUES (%s) RETURNING id", buf_str(&names),
		   buf_str(&exprs));
	ck_assert_msg(!buf_failed(&names) && !buf_failed(&exprs) && !buf_failed(&more),
		      "out of memory");
	id = it_psql_params(buf_str(&more), (int)nvals, vals);
	ck_assert_msg(id != NULL, "no id for the new vacancy");
	v = strtoll(id, NULL, 10);
	free(id);
	snprintf(id_s, sizeof id_s, "%lld", v);
	vals[0] = id_s;
	vals[1] = urn_s;
	vals[2] = schools != NULL ? schools : "{}";
	free(it_psql_params("INSERT INTO vacancy_schools (vacancy_id, school_urn) SELECT $1, u "
			    "FROM unnest($3::int[] || $2::int) u GROUP BY u", 3, vals));
	buf_free(&names);
	buf_free(&exprs);
	buf_free(&more);
	return v;
}

void it_login(struct it_client *c, const char *email, const char *password)
{
	struct it_resp r;
	char *form, *path, before[256] = "";
	const char *cookie, *loc;

	it_clear_address_limit("login");
	cookie = it_client_cookie(c, "__Host-session");
	if (cookie != NULL)
		snprintf(before, sizeof before, "%s", cookie);
	it_client_get(c, "/account/login", &r);
	ck_assert_msg(r.status == 200, "GET /account/login: status %ld", r.status);
	it_resp_free(&r);
	form = it_form("email", email, "password", password, (char *)NULL);
	it_client_post(c, "/account/login", form, &r);
	free(form);
	ck_assert_msg(r.status == 303, "signing in as %s: status %ld, want 303; body: %.400s",
		      email, r.status, r.body);
	cookie = it_client_cookie(c, "__Host-session");
	ck_assert_msg(cookie != NULL && strcmp(cookie, before) != 0,
		      "signing in as %s set no new __Host-session cookie", email);
	loc = it_location(&r);
	ck_assert_msg(loc != NULL && loc[0] == '/', "sign-in redirect to %s", loc ? loc : "(none)");
	path = strdup(loc);
	ck_assert_msg(path != NULL, "out of memory");
	it_resp_free(&r);
	it_client_get(c, path, &r);
	ck_assert_msg(r.status == 200, "after signing in, GET %s: status %ld", path, r.status);
	free(path);
	it_resp_free(&r);
}

bool it_still_signed_in(struct it_client *c)
{
	struct it_resp r;
	bool in;

	it_client_get(c, "/account", &r);
	in = r.status == 200;
	it_resp_free(&r);
	return in;
}

void it_clear_address_limit(const char *action)
{
	const char *vals[1] = { action };

	free(it_psql_params("DELETE FROM rate_limits WHERE key LIKE $1 || ':addr:%'", 1, vals));
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
	it_mail_sink_stop();
	curl_global_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

TCase *it_tcase(const char *name, int timeout, void (*fixture)(void))
{
	TCase *tc = tcase_create(name);

	if (fixture != NULL)
		tcase_add_unchecked_fixture(tc, fixture, NULL);
	tcase_set_timeout(tc, timeout);
	return tc;
}

long long it_application_add(long long vacancy_id, long long candidate_id, const char *status,
			     const char *last_name, const char *email)
{
	char vac[24], cand[24], *id, *data;
	const char *vals[4];
	long long v;
	json_t *d;

	d = json_pack("{s:{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s},"
		      "s:{s:s,s:s,s:s,s:s},s:[{s:s,s:s,s:s,s:s,s:s}],s:[],"
		      "s:[{s:s,s:s,s:s,s:s,s:b,s:s,s:s}],s:{},s:{s:s},"
		      "s:[{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b},{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}],"
		      "s:{s:s,s:s},s:{s:s,s:s,s:s,s:s,s:b,s:b}}",
		      "personal", "first_name", "Ada", "last_name", last_name, "previous_names", "",
		      "address_line1", "1 High Street", "address_line2", "", "town", "Grays",
		      "postcode", "RM17 6XX", "phone", "07700 900123", "email", email, "ni_number", "",
		      "right_to_work", "yes",
		      "professional", "qts", "yes", "qts_expected", "", "trn", "1234567", "induction",
		      "passed",
		      "qualifications", "level", "degree", "subject", "Mathematics", "grade", "2:1",
		      "institution", "University of Essex", "year", "2015",
		      "training",
		      "employment", "employer", "Gable Hall School", "role", "Teacher of mathematics",
		      "start", "2015-09", "end", "", "current", 1, "duties", "Teaching KS3 and KS4.",
		      "reason_for_leaving", "",
		      "employment_gaps", "statement", "statement", "I love teaching mathematics.",
		      "referees", "name", "Rita Referee", "job_title", "Headteacher", "organisation",
		      "Gable Hall School", "relationship", "Line manager", "email",
		      "rita@example.org", "phone", "", "current_employer", "yes", "contact_before", 0,
		      "name", "Sam Second", "job_title", "Head of department", "organisation",
		      "Ockendon Academy", "relationship", "Former colleague", "email",
		      "sam@example.org", "phone", "", "current_employer", "no", "contact_before", 1,
		      "support", "needs_support", "no", "support_details", "",
		      "declarations", "close_relationships", "no", "close_relationships_details", "",
		      "criminal_record", "no", "criminal_record_details", "",
		      "right_to_work_confirmed", 1, "accurate", 1);
	ck_assert_msg(d != NULL, "out of memory");
	data = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	ck_assert_msg(data != NULL, "out of memory");
	snprintf(vac, sizeof vac, "%lld", vacancy_id);
	snprintf(cand, sizeof cand, "%lld", candidate_id);
	vals[0] = vac;
	vals[1] = cand;
	vals[2] = status;
	vals[3] = data;
	id = it_psql_params("INSERT INTO applications (vacancy_id, candidate_id, status, data, "
			    "completed, submitted_at) VALUES ($1, $2, $3, $4::jsonb, "
			    "'{personal,professional,qualifications,training,employment,statement,"
			    "referees,support,declarations,equal_opps}', CASE WHEN $3 = 'draft' "
			    "THEN NULL ELSE now() - interval '1 hour' END) RETURNING id",
			    4, vals);
	free(data);
	ck_assert_msg(id != NULL, "no id for the new application");
	v = strtoll(id, NULL, 10);
	free(id);
	return v;
}

void it_expect_application_status(long long id, const char *want, const char *what)
{
	char *v = it_psql_id("SELECT status FROM applications WHERE id = $1", id);
	const char *got = v != NULL ? v : "(gone)";

	ck_assert_msg(strcmp(got, want) == 0, "%s: application %lld is %s, want %s", what, id, got,
		      want);
	free(v);
}

PGconn *it_jobs_connect(void)
{
	char err[512];
	PGconn *c;

	ck_assert_msg(config_load(&app.cfg, NULL, err, sizeof err) == 0, "config: %s", err);
	app.templates = tpl_set_new();
	ck_assert_msg(app.templates != NULL &&
		      tpl_set_load_dir(app.templates, app.cfg.templates_dir, MAIL_TEMPLATE_DIR, err, sizeof err) == 0,
		      "templates: %s", err);
	c = PQconnectdb("postgresql://");
	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "connect: %s", PQerrorMessage(c));
	return c;
}

void it_jobs_disconnect(PGconn *c)
{
	PQfinish(c);
	tpl_set_free(app.templates);
	app.templates = NULL;
}

void it_exec_ok(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);

	ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK, "%s: %s", sql,
		      PQresultErrorMessage(res));
	PQclear(res);
}
