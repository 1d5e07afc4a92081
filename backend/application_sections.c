/* application_sections.c - STUB: replaced by its owner in this change. */
#include "application_sections.h"

const struct section_def section_defs[] = {
	{ "personal", "Personal details", SECTION_OBJECT, SECTION_PROFILE | SECTION_APPLICATION, false },
};
const size_t section_defs_len = 1;

const struct section_def *section_find(const char *name) { (void)name; return NULL; }
json_t *sections_task_list(bool profile, bool religious, const char *base_url, const json_t *data,
			   const json_t *completed)
{ (void)profile; (void)religious; (void)base_url; (void)data; (void)completed; return json_array(); }
bool sections_all_complete(bool religious, const json_t *completed, json_t *missing)
{ (void)religious; (void)completed; (void)missing; return false; }
bool section_check(const struct section_def *s, const json_t *data, json_t *model)
{ (void)s; (void)data; (void)model; return false; }
json_t *employment_gaps(const json_t *data) { (void)data; return json_array(); }
json_t *section_display(const struct section_def *s, const json_t *data)
{ (void)s; (void)data; return json_object(); }
int section_page_get(struct req *r, PGconn *c, const struct section_def *s, struct section_store *st)
{ (void)c; (void)s; (void)st; return http_send_error(r, 501, NULL); }
int section_page_post(struct req *r, PGconn *c, const struct section_def *s, struct section_store *st)
{ (void)c; (void)s; (void)st; return http_send_error(r, 501, NULL); }
int section_page_remove(struct req *r, PGconn *c, const struct section_def *s, struct section_store *st)
{ (void)c; (void)s; (void)st; return http_send_error(r, 501, NULL); }
