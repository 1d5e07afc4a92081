-- 0024_search_synonyms_more.sql - more of the names teachers search by (0006 explains how a
-- synonym group works): key stages as "KS2", learning support assistants as "LSA", religious
-- education also called religious studies, modern foreign languages as "MFL", the early years
-- as "EYFS" and as the nursery. Every vacancy's search vector is computed again.
-- Runs inside the migration's transaction.

DELETE FROM search_synonyms WHERE names = '{re,religious education}';
INSERT INTO search_synonyms (names, match)
SELECT n, (SELECT string_agg('(' || phraseto_tsquery('english', x)::text || ')', ' | ')
		FROM unnest(n) x)::tsquery
FROM (VALUES
	('{re,religious education,religious studies}'::text[]),
	('{ks1,key stage 1}'),
	('{ks2,key stage 2}'),
	('{ks3,key stage 3}'),
	('{ks4,key stage 4}'),
	('{ks5,key stage 5}'),
	('{lsa,learning support assistant}'),
	('{mfl,modern foreign languages,modern languages}'),
	('{eyfs,early years foundation stage}'),
	('{nursery,early years}')) AS g(n);

ALTER TABLE vacancies DISABLE TRIGGER vacancies_touch;
UPDATE vacancies SET search = NULL;
ALTER TABLE vacancies ENABLE TRIGGER vacancies_touch;
