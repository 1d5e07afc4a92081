/* audit.c - the audit log; see auth.h. Values go in as parameters and are shown through the
 * template engine's escaping, so CR/LF or markup in a name cannot forge an entry or a line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "log.h"

/* Every action the portal records, with its label for people: the one list (HR's filter
 * offers these; audit() refuses any other). */
static const struct audit_action actions[] = {
	{ "login.success", "Signed in" },
	{ "login.failure", "Failed to sign in" },
	{ "logout", "Signed out" },
	{ "logout.everywhere", "Signed out everywhere" },
	{ "user.register", "Registered" },
	{ "user.verify", "Confirmed email address" },
	{ "user.invite", "Invited a user" },
	{ "user.reinvite", "Sent an invitation again" },
	{ "user.role_change", "Changed a role" },
	{ "user.disable", "Disabled an account" },
	{ "user.enable", "Enabled an account" },
	{ "membership.add", "Gave access to a school" },
	{ "membership.remove", "Removed access to a school" },
	{ "password.change", "Changed password" },
	{ "password.reset", "Reset password" },
	{ "password.reset_request", "Asked to reset password" },
	{ "email.change_request", "Asked to change email address" },
	{ "email.change", "Changed email address" },
	{ "email_preferences.change", "Changed which emails they get" },
	{ "email_preferences.stop", "Stopped an email from its link" },
	{ "school.profile_update", "Changed a school's profile" },
	{ "account.delete", "Deleted their account" },
	{ "export", "Exported data" },
};

const struct audit_action *audit_action(size_t i)
{
	return i < sizeof actions / sizeof actions[0] ? &actions[i] : NULL;
}

const char *audit_action_label(const char *action)
{
	size_t i;

	for (i = 0; action != NULL && i < sizeof actions / sizeof actions[0]; i++)
		if (strcmp(actions[i].value, action) == 0)
			return actions[i].label;
	return NULL;
}

int audit(PGconn *c, const struct req *r, const char *action, const char *actor_email,
	  const char *object_type, const char *object_id, json_t *detail)
{
	char uid[24];
	char *d = detail != NULL ? json_dumps(detail, JSON_COMPACT) : NULL;
	const char *vals[7];
	PGresult *res;
	int rc;

	if (audit_action_label(action) == NULL) {
		log_errorf(__func__, "unknown action %s: add it to the list in audit.c", action);
		free(d);
		return -1;
	}
	snprintf(uid, sizeof uid, "%lld", r != NULL && r->user != NULL ? r->user->id : 0LL);
	vals[0] = r != NULL && r->user != NULL ? uid : NULL;
	vals[1] = r != NULL && r->user != NULL ? r->user->email : actor_email;
	vals[2] = action;
	vals[3] = object_type;
	vals[4] = object_id;
	vals[5] = r != NULL ? r->address : NULL;
	vals[6] = d != NULL ? d : "{}";
	res = PQexecParams(c, "INSERT INTO audit_log (actor_id, actor_email, action, object_type, "
			      "object_id, address, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			   7, NULL, vals, NULL, NULL, 0);
	rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
	if (rc != 0)
		log_errorf(__func__, "%s", PQerrorMessage(c));
	PQclear(res);
	free(d);
	return rc;
}
