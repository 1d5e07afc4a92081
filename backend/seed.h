/* seed.h - loads reference data into the database (`portal seed`). */
#ifndef PORTAL_SEED_H
#define PORTAL_SEED_H

#include <libpq-fe.h>
#include <stddef.h>

/* Loads the schools register CSV at csv_path (RFC 4180, header
 * urn,name,phase,type,town,postcode,trust,religious_character in any order) into the schools
 * table: every row is validated (urn a positive integer, name present, phase one of the
 * schools_phase_label() phases; an empty field means unknown and is stored as NULL) and
 * upserted by URN, all in ONE transaction - on any error nothing changes. Rows whose data did
 * not change are not rewritten; schools absent from the file and the website column are left
 * alone. Idempotent. Needs the 0001_schools migration. Returns the number of rows loaded, or -1
 * with a one-line message naming the file line in err. */
int seed_schools(PGconn *c, const char *csv_path, char *err, size_t errlen);

#endif
