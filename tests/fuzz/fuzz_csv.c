/* fuzz_csv.c - the CSV reader (core/csv.c) that loads the schools directory. Property: it ends
 * (each record consumes input), and every field it returns is a string inside its record. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader r;
	struct csv_record rec = { 0 };
	const char *before;
	size_t i, records = 0;
	int rc;

	csv_reader_init(&r, (const char *)data, size);
	for (;;) {
		before = r.p;
		rc = csv_next_record(&r, &rec);
		if (rc != 1)
			break;
		if (r.p <= before || ++records > size)
			abort();
		for (i = 0; i < rec.nfields; i++)
			if (strlen(csv_field(&rec, i)) > size)
				abort();
	}
	if (rc == -1 && (r.error == NULL || csv_next_record(&r, &rec) != -1))
		abort();
	csv_record_free(&rec);
	return 0;
}
