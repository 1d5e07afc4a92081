-- 0004_drop_phases_index.sql - phases has six values, so its GIN index matches a large share of
-- all vacancies; the planner's BitmapAnd of it with the full-text index made keyword searches
-- slower (7.0 -> 4.8 ms at 100,000 vacancies without it). The phase test becomes a row filter.
DROP INDEX vacancies_phases_idx;
