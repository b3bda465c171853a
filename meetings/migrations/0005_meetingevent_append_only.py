"""The meeting's log is append-only in the database: UPDATE and DELETE are refused row by row (as
cases_caseevent, cases/migrations/0002), and TRUNCATE for the statement. A TRUNCATE is let through
only in a session that has set ``meetings.allow_truncate`` to 'on': the test runner's flush between
transactional tests does (tests/conftest.py); nothing in the application does."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION meetings_meetingevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('meetings.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'meetings_meetingevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER meetings_meetingevent_append_only
BEFORE UPDATE OR DELETE ON meetings_meetingevent
FOR EACH ROW EXECUTE FUNCTION meetings_meetingevent_append_only();

CREATE TRIGGER meetings_meetingevent_no_truncate
BEFORE TRUNCATE ON meetings_meetingevent
FOR EACH STATEMENT EXECUTE FUNCTION meetings_meetingevent_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS meetings_meetingevent_no_truncate ON meetings_meetingevent;
DROP TRIGGER IF EXISTS meetings_meetingevent_append_only ON meetings_meetingevent;
DROP FUNCTION IF EXISTS meetings_meetingevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_protocol_integrity")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
