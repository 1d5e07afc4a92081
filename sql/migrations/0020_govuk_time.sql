-- 0020_govuk_time.sql - a time of day as GOV.UK's style guide writes it, in Europe/London:
-- "9am", "5:30pm", "midday", "midnight" (never "12:00pm" or "9:00am"). Every time the portal
-- shows or emails is written through it (the SQL_TIME, SQL_WHEN and SQL_WHEN_AT macros of
-- backend/core/db.h).

CREATE FUNCTION govuk_time(t timestamptz) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE to_char(t AT TIME ZONE 'Europe/London', 'HH24:MI')
	WHEN '12:00' THEN 'midday'
	WHEN '00:00' THEN 'midnight'
	ELSE to_char(t AT TIME ZONE 'Europe/London',
		CASE WHEN to_char(t AT TIME ZONE 'Europe/London', 'MI') = '00' THEN 'FMHH12am'
		ELSE 'FMHH12:MIam' END)
	END;
