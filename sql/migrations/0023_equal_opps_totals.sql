-- 0023_equal_opps_totals.sql - a vacancy's equal-opportunities totals are counted once, when it
-- closes, and kept as they were: totals counted afresh each time would fall when a candidate
-- deleted their account or an application reached the end of its retention period, and the
-- school, seeing that candidate become "Deleted candidate" on the same page, would read their
-- answers in the difference. The totals name no application and no candidate, so they stay when
-- the answers themselves are deleted. How much of them a school sees: backend/equal_opps_report.c.
-- Runs inside the migration's transaction.

CREATE TABLE vacancy_equal_opps_totals (
	vacancy_id bigint NOT NULL REFERENCES vacancies ON DELETE CASCADE,
	question text NOT NULL CHECK (question IN ('disability', 'age_band', 'sex',
		'gender_identity', 'sexual_orientation', 'ethnicity', 'religion')),
	answer text NOT NULL,
	candidates integer NOT NULL CHECK (candidates > 0),
	PRIMARY KEY (vacancy_id, question, answer)
);

-- Counts the answers of every application sent for vacancy p (drafts are the candidates' own),
-- once: nothing when its totals have been counted already.
CREATE FUNCTION vacancy_equal_opps_count(p bigint) RETURNS void LANGUAGE sql AS $$
	INSERT INTO vacancy_equal_opps_totals (vacancy_id, question, answer, candidates)
	SELECT p, q.question, q.answer, count(*) FROM application_equal_opps e
	JOIN applications a ON a.id = e.application_id
	CROSS JOIN LATERAL (VALUES ('disability', e.disability), ('age_band', e.age_band),
		('sex', e.sex), ('gender_identity', e.gender_identity),
		('sexual_orientation', e.sexual_orientation), ('ethnicity', e.ethnicity),
		('religion', e.religion)) AS q (question, answer)
	WHERE a.vacancy_id = p AND a.status <> 'draft' AND q.answer IS NOT NULL AND NOT EXISTS
		(SELECT 1 FROM vacancy_equal_opps_totals t WHERE t.vacancy_id = p)
	GROUP BY q.question, q.answer
$$;

CREATE FUNCTION vacancies_equal_opps_on_close() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM vacancy_equal_opps_count(NEW.id);
	RETURN NULL;
END
$$;

-- However a vacancy closes (on its date, ended early), in the same transaction.
CREATE TRIGGER vacancies_equal_opps AFTER UPDATE OF status ON vacancies FOR EACH ROW
	WHEN (OLD.status <> 'closed' AND NEW.status = 'closed')
	EXECUTE FUNCTION vacancies_equal_opps_on_close();

-- The vacancies closed before today: counted from the answers there are now.
SELECT vacancy_equal_opps_count(id) FROM vacancies WHERE status = 'closed';
