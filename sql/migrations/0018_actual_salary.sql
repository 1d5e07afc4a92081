-- 0018_actual_salary.sql - what the person appointed to a part-time or term-time job is paid
-- a year (the full-time salary pro rata), as the school writes it ("£18,512 to £19,393"): set
-- on a listing's details step beside the full-time salary range, shown on the listing and in
-- search results and the API. NULL: the listing does not say (existing listings).

ALTER TABLE vacancies ADD COLUMN actual_salary text CHECK (length(actual_salary) <= 100);
