/* main.c - the portal's command line: serve, migrate, seed, user add.
 * Exit status: 0 success, 1 failure (one line on stderr says why), 2 usage error. */
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cli_user.h"
#include "db.h"
#include "jobs.h"
#include "json_arena.h"
#include "log.h"
#include "mail.h"
#include "password.h"
#include "seed.h"
#include "seed_demo.h"
#include "server.h"
#include "vacancy_item_cache.h"


static const char usage[] =
	"Usage: portal [--config FILE] COMMAND [OPTIONS]\n"
	"\n"
	"Teaching in Thurrock: the recruitment portal for Thurrock's schools.\n"
	"\n"
	"Commands:\n"
	"  serve                 serve HTTPS (listen, tls_cert, tls_key in the configuration)\n"
	"  migrate               apply the SQL migrations not yet applied (safe to repeat)\n"
	"  seed [--demo] [--vacancies N]\n"
	"                        load the Thurrock schools (upsert by URN; safe to repeat);\n"
	"                        --demo also adds demonstration vacancies and users (their\n"
	"                        passwords are printed); --vacancies N adds N synthetic live\n"
	"                        vacancies for benchmarks\n"
	"  user add --email E --role R [--name N] [--school URN [--school-role hiring_manager|viewer]]\n"
	"           [--password-file F]\n"
	"                        create an account from the command line (the first admin comes\n"
	"                        from here); without a password file it prints a one-time link\n"
	"                        to set the password\n"
	"  help                  show this text\n"
	"\n"
	"Configuration: config/portal.conf (or --config FILE, or PORTAL_CONFIG), every key\n"
	"overridable by PORTAL_<KEY>, and DATABASE_URL. With no database_url the local cluster\n"
	"that `make run` manages under var/pg is used.\n";

/* Opens a connection for a command-line tool. Prints the reason and returns NULL on failure. */
static PGconn *cli_connect(void)
{
	char conninfo[CONFIG_PATH_MAX + 64], err[512];
	PGconn *c;

	if (config_conninfo(&app.cfg, conninfo, sizeof conninfo) != 0) {
		fprintf(stderr, "portal: database_url: too long\n");
		return NULL;
	}
	c = db_connect(conninfo, err, sizeof err);
	if (c == NULL)
		fprintf(stderr, "portal: database: %s%s\n", err,
			app.cfg.database_url[0] == '\0' ? " (no DATABASE_URL: is `make run`'s local "
							  "database started? `bash backend/setup/localdb.sh start`)"
							: "");
	return c;
}

static int cmd_migrate(void)
{
	char err[512];
	PGconn *c = cli_connect();
	int rc = 1;

	if (c == NULL)
		return 1;
	if (db_migrate(c, app.cfg.migrations_dir, true, err, sizeof err) != 0) {
		fprintf(stderr, "portal: migrate: %s\n", err);
		goto out;
	}
	rc = 0;
out:
	PQfinish(c);
	return rc;
}

static int cmd_seed(int argc, char **argv)
{
	char err[512], *end;
	PGconn *c = NULL;
	bool demo = false;
	long vacancies = 0;
	int rc = 1, i, n;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--demo") == 0) {
			demo = true;
		} else if (strcmp(argv[i], "--vacancies") == 0 && i + 1 < argc) {
			vacancies = strtol(argv[++i], &end, 10);
			if (*end != '\0' || vacancies < 1 || vacancies > SEED_VACANCIES_MAX) {
				fprintf(stderr, "portal: seed: --vacancies takes a number from 1 to "
						"%ld\n", SEED_VACANCIES_MAX);
				return 2;
			}
		} else {
			fprintf(stderr, "portal: seed: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	c = cli_connect();
	if (c == NULL)
		return 1;
	n = seed_schools(c, app.cfg.schools_csv, err, sizeof err);
	if (n < 0) {
		fprintf(stderr, "portal: seed: %s\n", err);
		goto out;
	}
	printf("seed: %d schools from %s\n", n, app.cfg.schools_csv);
	if (demo && seed_demo(c, stdout, err, sizeof err) != 0) {
		fprintf(stderr, "portal: seed: demo: %s\n", err);
		goto out;
	}
	if (vacancies > 0) {
		if (seed_vacancies(c, vacancies, err, sizeof err) != 0) {
			fprintf(stderr, "portal: seed: vacancies: %s\n", err);
			goto out;
		}
		printf("seed: %ld synthetic live vacancies\n", vacancies);
	}
	rc = 0;
out:
	PQfinish(c);
	return rc;
}

/* Loads templates and assets, checks the database is migrated, starts the pool, serves. */
static int cmd_serve(void)
{
	char err[1024], conninfo[CONFIG_PATH_MAX + 64];
	PGconn *c = NULL;
	int rc = 1, pending;

	app.templates = tpl_set_new();
	if (app.templates == NULL ||
	    tpl_set_load_dir(app.templates, app.cfg.templates_dir, MAIL_TEMPLATE_DIR, err, sizeof err) != 0) {
		fprintf(stderr, "portal: templates_dir: %s\n",
			app.templates ? err : "out of memory");
		goto out;
	}
	if (password_list_load(app.cfg.common_passwords, err, sizeof err) != 0) {
		fprintf(stderr, "portal: common_passwords: %s\n", err);
		goto out;
	}
	app.assets = assets_load(app.cfg.assets_dir, err, sizeof err);
	if (app.assets == NULL) {
		fprintf(stderr, "portal: %s\n", err);
		goto out;
	}
	c = cli_connect();
	if (c == NULL)
		goto out;
	pending = db_migrations_pending(c, app.cfg.migrations_dir, err, sizeof err);
	PQfinish(c);
	if (pending < 0) {
		fprintf(stderr, "portal: migrations: %s\n", err);
		goto out;
	}
	if (pending > 0) {
		fprintf(stderr, "portal: the database is not migrated (%d migration%s pending): run "
				"`build/portal migrate` first\n", pending, pending == 1 ? "" : "s");
		goto out;
	}
	if (config_conninfo(&app.cfg, conninfo, sizeof conninfo) != 0 ||
	    db_pool_init(conninfo, app.cfg.pool_size) != 0) {
		fprintf(stderr, "portal: database: cannot set up the connection pool\n");
		goto out;
	}
	if (server_start(err, sizeof err) != 0) {
		fprintf(stderr, "portal: %s\n", err);
		db_pool_close(0);
		goto out;
	}
	if (mail_sender_start() != 0)
		log_errorf(__func__, "cannot start the email sender: email stays in the outbox");
	if (jobs_start() != 0)
		log_errorf(__func__, "cannot start the periodic jobs: vacancies will not open or "
				     "close on time");
	server_wait();
	jobs_stop();
	mail_sender_stop();
	db_pool_close(10000);
	log_event(LOG_INFO, "stopped", NULL);
	rc = 0;
out:
	password_list_free();
	vacancy_item_cache_clear();
	assets_free(app.assets);
	tpl_set_free(app.templates);
	app.assets = NULL;
	app.templates = NULL;
	return rc;
}

int main(int argc, char **argv)
{
	const char *config_path = NULL, *cmd;
	char err[1024];
	int i = 1;

	json_arena_install();
	if (argc > 2 && strcmp(argv[1], "--config") == 0) {
		config_path = argv[2];
		i = 3;
	}
	if (i >= argc || strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0 ||
	    strcmp(argv[i], "help") == 0) {
		fputs(usage, i >= argc ? stderr : stdout);
		return i >= argc ? 2 : 0;
	}
	cmd = argv[i++];
	if (i < argc && strcmp(argv[i], "--help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (config_load(&app.cfg, config_path, err, sizeof err) != 0) {
		fprintf(stderr, "portal: configuration: %s\n", err);
		return 1;
	}
	log_set_level(app.cfg.log_level);
	if (strcmp(cmd, "serve") == 0 && i == argc)
		return cmd_serve();
	if (strcmp(cmd, "migrate") == 0 && i == argc)
		return cmd_migrate();
	if (strcmp(cmd, "seed") == 0)
		return cmd_seed(argc - i, argv + i);
	if (strcmp(cmd, "user") == 0)
		return cli_user(argc - i, argv + i);
	fprintf(stderr, "portal: unknown command or option: %s (see `portal --help`)\n", cmd);
	return 2;
}
