"""The audit trail in the database (audit/schema.py): ``audit_append`` writes one hash-chained row,
``audit_record_change`` is the trigger on every audited table, and the log refuses UPDATE, DELETE
and TRUNCATE. The triggers go on every audited table that exists now; tables created by later
migrations get theirs after ``migrate`` (audit/apps.py)."""

from django.db import migrations

from audit.schema import DROP_FUNCTIONS, FUNCTIONS, install_triggers


def forward(apps, schema_editor):
    install_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_entry")]

    operations = [
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
