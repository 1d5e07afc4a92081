-- 0015_visa_sponsorship.sql - whether a job can be offered with a Skilled Worker visa (the
-- school or its trust holds a sponsor licence): set on the listing's details step, shown on the
-- listing, a search filter (visa_sponsorship=true) and in the API. Existing listings say no,
-- which is what they said by saying nothing.

ALTER TABLE vacancies ADD COLUMN visa_sponsorship boolean NOT NULL DEFAULT false;
