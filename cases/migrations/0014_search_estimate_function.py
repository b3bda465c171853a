"""How many of a municipality's cases hold every word of a search, read from the statistics ANALYZE
keeps (cases.queries.search_is_common). A function, so that its plan is made once per connection:
planned at each call the pg_stats view cost 2.7 ms of the 3.3."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION cases_search_estimate(p_text text, p_municipality bigint)
RETURNS double precision LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_words integer;
    v_known integer;
    v_share double precision;
    v_place double precision;
    v_rows double precision;
BEGIN
    -- The share of rows holding each lexeme (the search_vector's most common elements); a word
    -- outside them makes the estimate 0, and the caller counts exactly.
    SELECT count(*), count(stats.f), exp(sum(ln(greatest(stats.f, 1e-9))))
    INTO v_words, v_known, v_share
    FROM (SELECT DISTINCT lexeme FROM unnest(to_tsvector('swedish', p_text))) AS words
    LEFT JOIN (
        SELECT u.e, u.f
        FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(e, f)
        WHERE s.schemaname = current_schema() AND s.tablename = 'cases_case' AND s.attname = 'search_vector'
    ) AS stats ON stats.e = words.lexeme;
    IF v_words = 0 OR v_known < v_words THEN
        RETURN 0;
    END IF;
    -- The municipality's share of the rows (municipality_id's most common values).
    SELECT u.f INTO v_place
    FROM pg_stats s, unnest(s.most_common_vals::text::bigint[], s.most_common_freqs) AS u(v, f)
    WHERE s.schemaname = current_schema() AND s.tablename = 'cases_case' AND s.attname = 'municipality_id'
        AND u.v = p_municipality;
    SELECT reltuples INTO v_rows FROM pg_class WHERE oid = 'cases_case'::regclass;
    RETURN v_share * coalesce(v_place, 0) * greatest(v_rows, 0);
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_body_answers_remisser_by_delegation"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS cases_search_estimate(text, bigint);"),
    ]
