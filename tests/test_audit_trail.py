"""The audit trail: every write of every application table and every read of a secret handling is
a hash-chained row; `audit_verify` finds an altered and a removed row (docs/audit.md)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django_scopes import scopes_disabled

from audit.chain import seal
from audit.context import Actor, acting
from audit.models import AuditEntry
from audit.schema import AUDITED_PREFIXES, NOT_AUDITED, tables_with_trigger
from cases import services, workdays
from cases.models import OutboxMessage, Role
from cases.tasks import route_remiss

from .factories import UserFactory
from .helpers import register_case, register_document

PROJECT_APPS = {
    "cases",
    "motions",
    "papers",
    "meetings",
    "administration",
    "reading",
    "alingsas_ale",
    "guardian",
    "signin",
    "otp_totp",
}


def entries(**filters) -> list[AuditEntry]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(**filters).order_by("id"))


def test_every_table_of_the_project_apps_has_the_audit_trigger(db):
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in PROJECT_APPS and model._meta.managed and not model._meta.proxy
    }
    assert len(tables) > 40
    assert all(table.startswith(AUDITED_PREFIXES) for table in tables)
    with connection.cursor() as cursor:
        covered = tables_with_trigger(cursor)
    assert tables - NOT_AUDITED - covered == set()
    assert "audit_auditentry" not in covered


def test_a_totp_app_set_up_and_used_is_logged_without_its_key(ale):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with ale.scope():
        device = TOTPDevice.objects.create(user=ale.official, name="Telefon", confirmed=False)
        device.confirmed = True
        device.save()
        assert device.verify_token(f"{totp(device.bin_key):06d}")  # a sign-in's code: last_t moves on
    rows = entries(table_name="otp_totp_totpdevice", row_pk=str(device.pk))
    assert [row.action for row in rows] == ["INSERT", "UPDATE", "UPDATE"]
    assert rows[0].data["name"] == "Telefon" and rows[0].data["user_id"] == ale.official.pk
    assert rows[1].data == {"confirmed": True} and "last_t" in rows[2].data
    assert all("key" not in row.data and device.key not in json.dumps(row.data) for row in rows)


def test_an_oidc_identity_and_a_sign_in_policy_are_logged(ale):
    from signin.models import OidcIdentity, SignInPolicy

    with ale.scope():
        policy = SignInPolicy.objects.create(municipality=ale.municipality, totp_roles=["registrator"])
        identity = OidcIdentity.objects.create(municipality=ale.municipality, user=ale.official, value="sub-123")
    assert entries(table_name="signin_signinpolicy", row_pk=str(policy.pk))[0].data["totp_roles"] == ["registrator"]
    logged = entries(table_name="signin_oidcidentity", row_pk=str(identity.pk))
    assert logged[0].action == "INSERT" and logged[0].municipality_id == ale.municipality.pk


def test_every_audited_table_has_a_swedish_name_for_the_revisor():
    """Not the English name Django makes of a class without verbose_name_plural ("Agenda items")."""
    from audit.queries import TABLE_NAMES, table_labels

    unnamed = [
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in table_labels()
        and model._meta.db_table not in TABLE_NAMES
        and "verbose_name_plural" not in model._meta.original_attrs
    ]
    assert unnamed == []
    assert table_labels()["meetings_agendaitem"] == "Punkter på föredragningslistan"
    assert table_labels()["otp_totp_totpdevice"] == "Appar för tvåstegsverifiering"


def test_a_table_added_later_gets_the_trigger_at_the_next_migrate(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE cases_added_later (id bigserial PRIMARY KEY, name text)")
        assert "cases_added_later" not in tables_with_trigger(cursor)
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        assert "cases_added_later" in tables_with_trigger(cursor)
        cursor.execute("INSERT INTO cases_added_later (name) VALUES ('ny')")
    assert [e.data for e in entries(table_name="cases_added_later")] == [{"id": 1, "name": "ny"}]


def test_a_request_s_write_records_who_when_which_row_and_from_where(client, ale):
    client.force_login(ale.registrar)
    response = client.post(
        reverse("cases:register"),
        {"title": "Översyn av vägbelysning", "body": ale.ks.pk, "registered_on": "2017-12-13"},
        REMOTE_ADDR="192.0.2.17",
    )
    assert response.status_code == 302, response.content.decode()
    [row] = entries(table_name="cases_case", action="INSERT")
    assert (row.actor_id, row.on_behalf_of_id, row.municipality_id, row.ip) == (
        ale.registrar.pk,
        None,
        ale.municipality.pk,
        "192.0.2.17",
    )
    assert row.data["title"] == "Översyn av vägbelysning"
    assert row.row_pk == str(row.data["id"])
    # The case's own event row is in the log too, attributed the same way.
    assert {e.actor_id for e in entries(table_name="cases_caseevent")} == {ale.registrar.pk}


def test_an_update_records_only_the_changed_columns_and_a_delete_the_whole_row(ale):
    case = register_case(ale)
    with ale.scope(), acting(Actor(user_id=ale.head.pk)):
        case.title = "Ny rubrik"
        case.save(update_fields=["title"])
        case.save(update_fields=["title"])  # nothing changed: no row
    [update] = entries(table_name="cases_case", action="UPDATE")
    assert update.data == {"title": "Ny rubrik"}
    assert update.actor_id == ale.head.pk
    user = UserFactory(username="ale.tillfallig", municipality=ale.municipality)
    pk = user.pk
    user.delete()
    [deleted] = entries(table_name="cases_user", action="DELETE", row_pk=str(pk))
    assert deleted.data["username"] == "ale.tillfallig"


def test_secret_fields_of_a_secret_handling_and_passwords_are_never_logged(ale):
    case = register_case(ale)
    secret = register_document(ale, case, secret=True, description="Ansökan om ekonomiskt bistånd")
    public = register_document(ale, case, description="Tjänsteutlåtande om belysning")
    [secret_row] = entries(table_name="cases_document", row_pk=str(secret.pk))
    [public_row] = entries(table_name="cases_document", row_pk=str(public.pk))
    assert "description" not in secret_row.data and "counterpart" not in secret_row.data
    assert secret_row.data["secrecy_provision"] == "OSL 26 kap. 1 §"
    assert public_row.data["description"] == "Tjänsteutlåtande om belysning"
    everything = " ".join(str(e.data) for e in entries())
    assert "Ansökan om ekonomiskt bistånd" not in everything
    assert "Enskild person" not in everything
    user_rows = entries(table_name="cases_user")
    assert user_rows and all("password" not in e.data for e in user_rows)


def test_reading_a_secret_handling_is_logged_and_reading_a_public_one_is_not(client, ale, pdf_upload):
    case = register_case(ale)
    secret = register_document(ale, case, secret=True, upload=pdf_upload)
    pdf_upload.seek(0)
    public = register_document(ale, case, upload=pdf_upload)
    client.force_login(ale.registrar)
    for document in (secret, public):
        response = client.get(reverse("cases:document-file", args=[case.ref, document.uuid]), REMOTE_ADDR="192.0.2.9")
        assert response.status_code == 200
    [read] = entries(action="READ")
    assert (read.table_name, read.row_pk, read.actor_id, read.municipality_id, read.ip) == (
        "cases_document",
        str(secret.pk),
        ale.registrar.pk,
        ale.municipality.pk,
        "192.0.2.9",
    )
    assert read.data == {"handling": secret.number, "sekretess": "OSL 26 kap. 1 §"}


def test_the_worker_acts_as_the_system_on_behalf_of_the_person_who_asked(ale):
    case = register_case(ale)
    with ale.scope(), acting(Actor(user_id=ale.secretary.pk, municipality_id=ale.municipality.pk)):
        [remiss] = services.remiss_send(
            case,
            from_body=ale.ks,
            to_bodies=[ale.sn],
            deadline=workdays.next_working_day(date.today() + timedelta(days=30)),
            by=ale.secretary,
        )
    message = OutboxMessage.objects.get(task=route_remiss.name, object_id=remiss.pk)
    assert message.on_behalf_of_id == ale.secretary.pk
    before = entries()[-1].pk
    route_remiss(remiss.pk, on_behalf_of=ale.secretary.pk)  # the task body, as the worker calls it
    worker_rows = [e for e in entries() if e.pk > before]
    assert worker_rows
    assert {(e.actor_id, e.on_behalf_of_id) for e in worker_rows} == {(None, ale.secretary.pk)}


def test_audit_verify_links_new_rows_and_passes_on_an_intact_log(ale, capsys):
    register_case(ale)
    assert entries()[-1].seq is None  # written unlinked, on the write path no lock is taken
    call_command("audit_verify")
    assert "Granskningsloggen är hel" in capsys.readouterr().out
    rows = entries()
    assert [e.seq for e in rows] == list(range(1, len(rows) + 1))
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(rows, rows[1:], strict=False))
    register_case(ale, title="Ett till")
    call_command("audit_verify")
    assert "Granskningsloggen är hel" in capsys.readouterr().out


def test_the_log_refuses_update_delete_and_truncate_even_for_the_owner(ale):
    register_case(ale)
    seal()
    register_case(ale, title="Ännu inte länkad")
    for statement in (
        "UPDATE audit_auditentry SET ip = '10.0.0.1'",
        "UPDATE audit_auditentry SET seq = seq + 1000 WHERE seq IS NOT NULL",
        # Even posing as the sealer: only seq and the hashes of an unlinked row may be set.
        "SET LOCAL audit.sealing = on; UPDATE audit_auditentry SET ip = '10.0.0.1', seq = 9999 WHERE seq IS NULL",
        "SET LOCAL audit.sealing = on; UPDATE audit_auditentry SET hash = 'x', seq = seq WHERE seq IS NOT NULL",
        "DELETE FROM audit_auditentry",
        "TRUNCATE audit_auditentry",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL audit.allow_truncate = off")
            cursor.execute(statement)


def test_audit_verify_detects_a_row_altered_directly_in_the_database(ale, capsys):
    register_case(ale)
    seal()
    victim = entries(table_name="cases_case")[0]
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_append_only")
        cursor.execute(
            "UPDATE audit_auditentry SET data = jsonb_set(data, '{title}', '\"Annat\"') WHERE id = %s", [victim.pk]
        )
        cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_append_only")
    with pytest.raises(CommandError, match="inte hel: 1 fel"):
        call_command("audit_verify")
    assert f"rad {victim.pk}: raden är ändrad" in capsys.readouterr().err


def test_audit_verify_detects_a_row_deleted_by_an_owner_with_the_trigger_disabled(ale, capsys):
    register_case(ale)
    seal()
    rows = entries()
    victim, follower = rows[len(rows) // 2], rows[len(rows) // 2 + 1]
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_append_only")
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [victim.pk])
        cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_append_only")
    with pytest.raises(CommandError, match="inte hel"):
        call_command("audit_verify")
    assert f"rad {follower.pk}: föregående rad saknas" in capsys.readouterr().err


def test_a_revisor_is_a_role_the_administrator_can_give(ale):
    from administration.forms import UserForm

    assert (Role.AUDITOR, "revisor") in [(value, str(label)) for value, label in UserForm.base_fields["roles"].choices]


def test_the_text_read_out_of_a_handling_never_reaches_the_log(ale, pdf_upload):
    """The worker's extracted text is derived from the file (logged by name and checksum); for a
    secret handling it is the secret itself. Neither it nor its search vector is logged."""
    from django.db import connection

    from cases.models import Document

    from .helpers import register_case, register_document

    case = register_case(ale, handler=ale.official)
    document = register_document(ale, case, secret=True, upload=pdf_upload)
    with ale.scope():
        Document.objects.filter(pk=document.pk).update(text="Hemlig uppgift om en enskild person")
    with connection.cursor() as cursor:
        cursor.execute("SELECT data::text FROM audit_auditentry WHERE table_name = 'cases_document'")
        logged = " ".join(row for (row,) in cursor.fetchall())
    assert logged  # the handling's writes are logged …
    assert "Hemlig uppgift" not in logged and "text_vector" not in logged  # … without its text


def test_the_actor_is_sent_before_every_write_and_not_before_a_read_only_with():
    from audit.context import writes

    for sql in (
        "INSERT INTO cases_case (title) VALUES (%s)",
        "  update cases_case SET title = %s",
        "DELETE FROM cases_case",
        "WITH done AS (UPDATE cases_outboxmessage SET done_at = now()) INSERT INTO cases_routingstep VALUES (1)",
        "WITH new AS (INSERT INTO cases_document (id) VALUES (1) RETURNING id) SELECT id FROM new",
    ):
        assert writes(sql), sql
    for sql in (
        "SELECT 1",
        "WITH place AS (SELECT id, xmin FROM cases_municipality) SELECT md5(string_agg(id::text, ',')) FROM place",
        "EXECUTE meetings_board_fingerprint('ale')",
        "SELECT updated_on FROM cases_case",  # a column's name is not a write
    ):
        assert not writes(sql), sql
