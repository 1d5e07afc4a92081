/* config.h - the portal's configuration: defaults, then config/portal.conf, then environment.
 *
 * Every key of the file can be overridden by an environment variable PORTAL_<KEY> (upper case);
 * DATABASE_URL overrides database_url too. An unknown key or a bad value is an error naming the
 * key and the problem, in one line.
 */
#ifndef PORTAL_CONFIG_H
#define PORTAL_CONFIG_H

#include <stddef.h>

#include "log.h"

#define CONFIG_PATH_MAX 1024

struct config {
	char listen[128];               /* host:port or port */
	char tls_cert[CONFIG_PATH_MAX];
	char tls_key[CONFIG_PATH_MAX];
	char database_url[CONFIG_PATH_MAX]; /* empty: the local cluster under var/pg */
	unsigned pool_size;
	unsigned pool_wait_ms;
	unsigned threads;
	unsigned request_timeout_ms;
	unsigned max_body_bytes;
	unsigned max_upload_bytes;
	char base_url[256];
	enum log_level log_level;
	char smtp_url[CONFIG_PATH_MAX];
	char mail_from[256];
	char common_passwords[CONFIG_PATH_MAX];
	char templates_dir[CONFIG_PATH_MAX];
	char assets_dir[CONFIG_PATH_MAX];
	char migrations_dir[CONFIG_PATH_MAX];
	char schools_csv[CONFIG_PATH_MAX];
	unsigned retention_unsuccessful_days; /* applications not accepted: days after the vacancy closed */
	unsigned outbox_bodies;               /* 1: HR reads emails' texts (/hr/outbox) */
	unsigned retention_accepted_days;     /* accepted applications: days after the vacancy closed */
	char metrics_token[128];              /* "": /metrics from this machine only */
	char trusted_proxies[512];            /* balancers whose X-Forwarded-For counts */
};

/* Fills c with defaults, then the file at path (NULL: config/portal.conf if present, or the file
 * named by PORTAL_CONFIG), then the environment. Returns 0, or -1 with one line in err. */
int config_load(struct config *c, const char *path, char *err, size_t errlen);

/* Parses the text of a config file into c (no defaults, no environment). `origin` names the
 * source in messages. Returns 0, or -1 with one line in err. */
int config_parse(struct config *c, const char *text, const char *origin, char *err, size_t errlen);

/* Sets one key from a string. Returns 0, or -1 with "key: problem" in err. */
int config_set(struct config *c, const char *key, const char *value, char *err, size_t errlen);

/* Writes the libpq conninfo to use into out: database_url, or when empty the local cluster's
 * socket under <cwd>/var/pg/run. Returns 0, -1 when it does not fit. */
int config_conninfo(const struct config *c, char *out, size_t outlen);

#endif
