"""Existing text in cases and documents to Unicode NFC, without control characters.

New input is cleaned on the way in (cases/validation.py); this brings the rows written before
in line, so a search typed in composed form finds a title pasted in decomposed form (macOS).
The case's search vector is a generated column and follows its title.
"""

from django.db import migrations

CONTROLS = r"[\x01-\x08\x0B\x0C\x0E-\x1F\x7F-\u009F]"
COLUMNS = {
    "cases_case": ["title"],
    "cases_document": ["counterpart", "description", "file_name"],
}


def statements() -> list[str]:
    result = []
    for table, columns in COLUMNS.items():
        for column in columns:
            cleaned = f"normalize(regexp_replace({column}, '{CONTROLS}', '', 'g'), NFC)"
            changed = f"{column} IS NOT NFC NORMALIZED OR {column} ~ '{CONTROLS}'"
            result.append(f"UPDATE {table} SET {column} = {cleaned} WHERE {changed}")  # noqa: S608 - fixed names
    return result


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_organisation_administration")]

    operations = [migrations.RunSQL(statements(), reverse_sql=migrations.RunSQL.noop, elidable=True)]
