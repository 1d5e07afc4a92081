/* cli_user.h - `portal user add`: create an account from the command line (the first admin comes
 * from here). */
#ifndef PORTAL_CLI_USER_H
#define PORTAL_CLI_USER_H

/* Runs `portal user ARGS...`: argv[0..argc) are the words after "user", e.g.
 * {"add", "--email", "a@b.example", "--role", "admin"}. Needs app.cfg loaded; with
 * --password-file it loads (and frees) the common_passwords list itself. Prints the result on
 * stdout, one line per problem on stderr. Returns the exit status: 0 created, 1 failure (duplicate
 * email, unknown school, password refused, database), 2 usage error. */
int cli_user(int argc, char **argv);

#endif
