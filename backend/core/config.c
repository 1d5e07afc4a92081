/* config.c - defaults, config file, environment; see config.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forwarded.h"

enum key_type { KEY_STR, KEY_UINT, KEY_LEVEL };

struct key {
	const char *name;
	enum key_type type;
	size_t offset;
	size_t size;       /* KEY_STR: capacity */
	unsigned long min; /* KEY_UINT: bounds */
	unsigned long max;
};

#define STR(f) KEY_STR, offsetof(struct config, f), sizeof(((struct config *)0)->f), 0, 0
#define UINT(f, lo, hi) KEY_UINT, offsetof(struct config, f), 0, lo, hi

static const struct key keys[] = {
	{ "listen", STR(listen) },
	{ "tls_cert", STR(tls_cert) },
	{ "tls_key", STR(tls_key) },
	{ "database_url", STR(database_url) },
	{ "pool_size", UINT(pool_size, 1, 200) },
	{ "pool_wait_ms", UINT(pool_wait_ms, 0, 60000) },
	{ "threads", UINT(threads, 1, 1024) },
	{ "request_timeout_ms", UINT(request_timeout_ms, 100, 600000) },
	{ "max_body_bytes", UINT(max_body_bytes, 1024, 1024UL * 1024 * 1024) },
	{ "max_upload_bytes", UINT(max_upload_bytes, 1024, 1024UL * 1024 * 1024) },
	{ "base_url", STR(base_url) },
	{ "log_level", KEY_LEVEL, offsetof(struct config, log_level), 0, 0, 0 },
	{ "smtp_url", STR(smtp_url) },
	{ "mail_from", STR(mail_from) },
	{ "common_passwords", STR(common_passwords) },
	{ "templates_dir", STR(templates_dir) },
	{ "assets_dir", STR(assets_dir) },
	{ "migrations_dir", STR(migrations_dir) },
	{ "schools_csv", STR(schools_csv) },
	{ "outbox_bodies", UINT(outbox_bodies, 0, 1) },
	{ "retention_unsuccessful_days", UINT(retention_unsuccessful_days, 1, 36500) },
	{ "retention_accepted_days", UINT(retention_accepted_days, 1, 36500) },
	{ "metrics_token", STR(metrics_token) },
	{ "trusted_proxies", STR(trusted_proxies) },
};

static void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->listen, sizeof c->listen, "127.0.0.1:8443");
	snprintf(c->tls_cert, sizeof c->tls_cert, "var/tls/cert.pem");
	snprintf(c->tls_key, sizeof c->tls_key, "var/tls/key.pem");
	c->pool_size = 16;
	c->pool_wait_ms = 2000;
	c->threads = 32;
	c->request_timeout_ms = 10000;
	c->max_body_bytes = 1024 * 1024;
	c->max_upload_bytes = 11 * 1024 * 1024;
	snprintf(c->base_url, sizeof c->base_url, "https://localhost:8443");
	c->log_level = LOG_INFO;
	snprintf(c->mail_from, sizeof c->mail_from, "Teaching in Thurrock <no-reply@localhost>");
	snprintf(c->common_passwords, sizeof c->common_passwords, "/usr/share/john/password.lst");
	snprintf(c->templates_dir, sizeof c->templates_dir, "frontend/templates");
	snprintf(c->assets_dir, sizeof c->assets_dir, "build/assets");
	snprintf(c->migrations_dir, sizeof c->migrations_dir, "sql/migrations");
	snprintf(c->schools_csv, sizeof c->schools_csv, "../shared/data/thurrock_schools.csv");
	c->retention_unsuccessful_days = 365;
	c->retention_accepted_days = 6 * 365 + 1;
}

/* Checks a listen value: "port" or "host:port" or "[v6]:port", port 1..65535. */
static int listen_valid(const char *v)
{
	const char *port = strrchr(v, ':');
	char *end;
	long n;

	port = port != NULL ? port + 1 : v;
	if (*port == '\0')
		return 0;
	errno = 0;
	n = strtol(port, &end, 10);
	return errno == 0 && *end == '\0' && n >= 1 && n <= 65535;
}

/* Checks base_url: http:// or https://, a host, and only printable ASCII without blanks,
 * quotes, angle brackets, commas or backslashes (it starts every link in emails and headers). */
static int base_url_valid(const char *v)
{
	const char *host = strncmp(v, "https://", 8) == 0  ? v + 8
			   : strncmp(v, "http://", 7) == 0 ? v + 7
							   : NULL;

	if (host == NULL || *host == '\0' || *host == '/')
		return 0;
	for (; *v != '\0'; v++)
		if ((unsigned char)*v <= 0x20 || (unsigned char)*v >= 0x7f ||
		    strchr("\"<>,\\", *v) != NULL)
			return 0;
	return 1;
}

int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen)
{
	const struct key *k = NULL;
	char why[128];
	unsigned long n;
	char *end;
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (strcmp(keys[i].name, key) == 0) {
			k = &keys[i];
			break;
		}
	}
	if (k == NULL) {
		snprintf(err, errlen, "%s: unknown key", key);
		return -1;
	}
	switch (k->type) {
	case KEY_STR:
		if (strlen(value) >= k->size) {
			snprintf(err, errlen, "%s: value longer than %zu characters", key, k->size - 1);
			return -1;
		}
		if (strcmp(key, "smtp_url") == 0 && *value != '\0' &&
		    strncmp(value, "smtp://", 7) != 0 && strncmp(value, "smtps://", 8) != 0) {
			snprintf(err, errlen, "smtp_url: must start with smtp:// or smtps:// (or be "
					      "empty to keep email in the outbox)");
			return -1;
		}
		if (strcmp(key, "mail_from") == 0 &&
		    (strchr(value, '@') == NULL || strpbrk(value, "\r\n") != NULL)) {
			snprintf(err, errlen, "mail_from: \"%s\" is not an address or "
					      "\"Name <address>\"", value);
			return -1;
		}
		if (strcmp(key, "base_url") == 0 && !base_url_valid(value)) {
			snprintf(err, errlen, "base_url: \"%s\" is not an https:// (or http://) "
					      "address such as https://jobs.example.org", value);
			return -1;
		}
		if (strcmp(key, "trusted_proxies") == 0 &&
		    forwarded_list_valid(value, why, sizeof why) != 0) {
			snprintf(err, errlen, "trusted_proxies: %s", why);
			return -1;
		}
		if (strcmp(key, "listen") == 0 && !listen_valid(value)) {
			snprintf(err, errlen, "listen: \"%s\" is not a port or host:port", value);
			return -1;
		}
		memcpy((char *)c + k->offset, value, strlen(value) + 1);
		if (strcmp(key, "base_url") == 0) /* links append "/path" to it */
			while (strlen(c->base_url) > 8 && c->base_url[strlen(c->base_url) - 1] == '/')
				c->base_url[strlen(c->base_url) - 1] = '\0';
		return 0;
	case KEY_UINT:
		errno = 0;
		n = strtoul(value, &end, 10);
		if (*value == '\0' || !isdigit((unsigned char)*value) || *end != '\0' || errno != 0 ||
		    n < k->min || n > k->max) {
			snprintf(err, errlen, "%s: \"%s\" is not a whole number from %lu to %lu", key,
				 value, k->min, k->max);
			return -1;
		}
		*(unsigned *)(void *)((char *)c + k->offset) = (unsigned)n;
		return 0;
	case KEY_LEVEL:
		if (log_level_parse(value, &c->log_level) != 0) {
			snprintf(err, errlen, "%s: \"%s\" is not one of debug, info, warn, error", key,
				 value);
			return -1;
		}
		return 0;
	}
	return -1;
}

/* Trims white space at both ends of s in place; returns the start. */
static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int config_parse(struct config *c, const char *text, const char *origin, char *err, size_t errlen)
{
	char *copy, *line, *save = NULL, *eq, *key, *value;
	char msg[512];
	int rc = -1, lineno = 0;
	copy = strdup(text);
	if (copy == NULL) {
		snprintf(err, errlen, "%s: out of memory", origin);
		return -1;
	}
	for (line = copy; line != NULL; line = save) {
		save = strchr(line, '\n');
		if (save != NULL)
			*save++ = '\0';
		lineno++;
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected \"key = value\"", origin, lineno);
			goto out;
		}
		*eq = '\0';
		value = trim(eq + 1);
		key = trim(key);
		if (config_set(c, key, value, msg, sizeof msg) != 0) {
			snprintf(err, errlen, "%s:%d: %s", origin, lineno, msg);
			goto out;
		}
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

/* Reads a whole file into a malloc'd string. NULL with errno set on failure. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		goto out;
	data = malloc((size_t)n + 1);
	if (data == NULL)
		goto out;
	if (fread(data, 1, (size_t)n, f) != (size_t)n) {
		free(data);
		data = NULL;
		goto out;
	}
	data[n] = '\0';
out:
	fclose(f);
	return data;
}

/* Applies PORTAL_<KEY> and DATABASE_URL. */
static int config_env(struct config *c, char *err, size_t errlen)
{
	char var[64], msg[512];
	const char *v;
	size_t i, j;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		snprintf(var, sizeof var, "PORTAL_");
		for (j = 0; keys[i].name[j] != '\0' && j + 8 < sizeof var; j++)
			var[7 + j] = (char)toupper((unsigned char)keys[i].name[j]);
		var[7 + j] = '\0';
		v = getenv(var);
		if (v == NULL)
			continue;
		if (config_set(c, keys[i].name, v, msg, sizeof msg) != 0) {
			snprintf(err, errlen, "%s (from %s)", msg, var);
			return -1;
		}
	}
	v = getenv("DATABASE_URL");
	if (v != NULL && config_set(c, "database_url", v, msg, sizeof msg) != 0) {
		snprintf(err, errlen, "%s (from DATABASE_URL)", msg);
		return -1;
	}
	return 0;
}

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	char *text = NULL;
	int rc = -1;

	config_defaults(c);
	if (path == NULL)
		path = getenv("PORTAL_CONFIG");
	if (path == NULL && access("config/portal.conf", F_OK) == 0)
		path = "config/portal.conf";
	if (path != NULL) {
		text = read_file(path);
		if (text == NULL) {
			snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
			goto out;
		}
		if (config_parse(c, text, path, err, errlen) != 0)
			goto out;
	}
	if (config_env(c, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	free(text);
	return rc;
}

int config_conninfo(const struct config *c, char *out, size_t outlen)
{
	char cwd[CONFIG_PATH_MAX];
	int n;

	if (c->database_url[0] != '\0')
		n = snprintf(out, outlen, "%s", c->database_url);
	else if (getcwd(cwd, sizeof cwd) == NULL)
		return -1;
	else
		n = snprintf(out, outlen, "host=%s/var/pg/run dbname=portal user=portal", cwd);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}
