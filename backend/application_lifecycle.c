/* application_lifecycle.c - STUB: replaced by its owner in this change. */
#include "application_lifecycle.h"

int application_transition(PGconn *c, long long id, const char *event, long long actor_id,
			   const char *reason, json_t *detail)
{
	(void)c; (void)id; (void)event; (void)actor_id; (void)reason; (void)detail;
	return -1;
}

int application_record_created(PGconn *c, long long id, long long actor_id)
{
	(void)c; (void)id; (void)actor_id;
	return -1;
}
