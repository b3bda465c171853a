"""The audit trail: one append-only, hash-chained row per write and per read of a secret handling.

Rows are written only by the database (the trigger ``audit_record_change`` on every application
table, and ``audit_append`` for reads), never by ``save()``; see docs/audit.md.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Municipality
from cases.models.tenancy import scoped_manager


class Action(models.TextChoices):
    INSERT = "INSERT", _("skapad")
    UPDATE = "UPDATE", _("ändrad")
    DELETE = "DELETE", _("borttagen")
    READ = "READ", _("läst")


@models.JSONField.register_lookup
class OnlyKeys(models.Lookup):
    """``data__only_keys=["last_login"]``: the object has some of these keys and no other
    (PostgreSQL ``data - keys = '{}' AND data <> '{}'``), as a query's filter or an index's condition."""

    lookup_name = "only_keys"
    prepare_rhs = False

    def get_db_prep_lookup(self, value: Any, connection: Any) -> Any:
        return "%s", [list(value)]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # Not an empty object: a row whose every changed column the log leaves out (a password,
        # a calendar token) is a change all the same.
        return (
            f"(({lhs} - {rhs}::text[]) = '{{}}'::jsonb AND {lhs} <> '{{}}'::jsonb)",
            (*lhs_params, *rhs_params, *lhs_params),
        )


# A sign-in (Django's update_last_login: UPDATE cases_user SET last_login) is logged, and no page
# shows last_login: it is no change to a page's data. Without this each sign-in put aside every
# kept page in its municipality (they all read the users table).
SIGN_IN_COLUMNS = ("last_login",)
SIGN_IN = models.Q(table_name="cases_user", action="UPDATE", data__only_keys=SIGN_IN_COLUMNS)
# The rows that say a page's data changed (audit.changes): every write but the reading room's visits,
# which only the reading room shows, a sign-in, and the log's own records of reads.
CHANGES = ~models.Q(table_name="reading_meetingvisit") & ~models.Q(action=Action.READ) & ~SIGN_IN


class AuditEntry(models.Model):
    # The references are plain ids in the database (no constraint): a row outlives what it names.
    at = models.DateTimeField(_("tid"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    ip = models.CharField(_("adress"), max_length=45, blank=True)
    action = models.CharField(_("händelse"), max_length=6, choices=Action.choices)
    table_name = models.CharField(_("tabell"), max_length=63)
    row_pk = models.CharField(_("rad"), max_length=64)
    data = models.JSONField(default=dict)
    # Set once by audit_seal(): the row's place in the chain and its link (empty until sealed).
    seq = models.BigIntegerField(null=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    # Scoped like every tenant table: an auditor's query sees their municipality's rows only.
    objects = scoped_manager()

    class Meta:
        verbose_name = _("loggrad")
        verbose_name_plural = _("granskningslogg")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["municipality", "-id"], name="audit_municipality_idx"),
            models.Index(fields=["municipality", "actor", "-id"], name="audit_actor_idx"),
            models.Index(fields=["municipality", "table_name", "-id"], name="audit_table_idx"),
            models.Index(fields=["id"], condition=models.Q(seq=None), name="audit_unsealed_idx"),
            # audit.changes: a municipality's newest linked change, in all tables and in each, and its
            # changes not yet linked.
            models.Index(
                fields=["municipality", "seq"],
                condition=models.Q(seq__isnull=False) & CHANGES,
                name="audit_changes_sealed_idx",
            ),
            models.Index(
                fields=["municipality", "table_name", "seq"],
                condition=models.Q(seq__isnull=False) & CHANGES,
                name="audit_changes_table_sealed_idx",
            ),
            models.Index(
                fields=["municipality", "table_name"],
                condition=models.Q(seq=None) & CHANGES,
                name="audit_changes_unsealed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.table_name} {self.row_pk}"
