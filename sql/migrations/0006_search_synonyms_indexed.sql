-- 0006_search_synonyms_indexed.sql - synonyms move from the query into the search vectors.
--
-- Until now every keyword search rewrote its query with ts_rewrite, which runs a query of its
-- own on every search (0.5 ms of a 1 ms search) and hides the keywords from the planner, so it
-- could not tell a rare word from a common one. Now each weighted part of a vacancy's search
-- vector also carries the other names of every synonym group it mentions ("Teacher of
-- Mathematics" also holds "maths" and "math"; "PE teacher" also holds "physical education", as
-- a phrase): the query is websearch_to_tsquery alone, and a word finds its synonyms both ways,
-- quoted phrases included, at the weight of the part that mentions them.

DROP TABLE search_synonyms;
-- Each row is a group of names for one thing; a vacancy that mentions one of them (as a
-- phrase) is found by every other. match is the OR of the names' phrase queries.
CREATE TABLE search_synonyms (
	id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	names text[] NOT NULL CHECK (cardinality(names) >= 2),
	match tsquery NOT NULL
);
INSERT INTO search_synonyms (names, match)
SELECT n, (SELECT string_agg('(' || phraseto_tsquery('english', x)::text || ')', ' | ')
		FROM unnest(n) x)::tsquery
FROM (VALUES
	('{maths,math,mathematics}'::text[]),
	('{pe,physical education}'),
	('{ta,teaching assistant}'),
	('{senco,special educational needs}'),
	('{re,religious education}'),
	('{dt,design technology}'),
	('{ict,computing}'),
	('{hlta,higher level teaching assistant}'),
	('{ect,early career teacher,nqt}')) AS g(n);

-- The names of the synonym groups that t mentions, except those t already holds, as one text
-- (NULL when none): what a part of the search vector adds to itself.
CREATE FUNCTION search_synonyms_for(t tsvector) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT string_agg(x, ' ')
	FROM search_synonyms g CROSS JOIN LATERAL unnest(g.names) x
	WHERE t @@ g.match AND NOT t @@ phraseto_tsquery('english', x)
$$;

-- One weighted part of the search vector: the text's words and the synonyms they bring.
CREATE FUNCTION search_part(body text, weight "char") RETURNS tsvector LANGUAGE sql STABLE AS $$
	SELECT setweight(t || to_tsvector('english', coalesce(search_synonyms_for(t), '')), weight)
	FROM to_tsvector('english', body) AS t
$$;

-- Full-text search: title and subjects weigh most (A), roles and school next (B), the rest (C).
CREATE OR REPLACE FUNCTION vacancy_search_vector(v vacancies) RETURNS tsvector LANGUAGE sql
STABLE AS $$
	SELECT search_part(v.title || ' ' || coalesce((SELECT string_agg(s.label, ' ')
			FROM vacancy_subjects s WHERE s.value = ANY (v.subjects)), ''), 'A') ||
	       search_part(replace(array_to_string(v.job_roles, ' '), '_', ' ') || ' ' ||
			coalesce((SELECT string_agg(sc.name || ' ' || coalesce(sc.town, ''), ' ')
			FROM schools sc WHERE sc.urn = v.school_urn), ''), 'B') ||
	       search_part(v.description || ' ' || v.about_school || ' ' || v.school_offers ||
			' ' || coalesce(v.pay_text, ''), 'C')
$$;

-- Every vacancy's vector again (the trigger computes it), without touching updated_at.
ALTER TABLE vacancies DISABLE TRIGGER vacancies_touch;
UPDATE vacancies SET search = NULL;
ALTER TABLE vacancies ENABLE TRIGGER vacancies_touch;
