"""Fixtures: two municipalities with named people, real servers started as in production."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django_scopes import scope, scopes_disabled

from cases.models import Body, BodyKind, Department, Municipality, Role, User

from .factories import UserFactory

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """The flush between transactional tests TRUNCATEs every table; the meeting log's and the audit
    log's triggers let a TRUNCATE through only in a session with these settings on (meetings/migrations/0005,
    audit/schema.py). The tests sign in as the owner role, which may create the test database; the
    runtime role's limits are proven by tests/test_audit_roles.py."""
    from django.conf import settings
    from django.db import connections

    for alias in connections:
        settings_dict = connections[alias].settings_dict
        settings_dict.update(settings.DATABASE_OWNER)
        options = settings_dict.setdefault("OPTIONS", {})
        allow = "-c meetings.allow_truncate=on -c audit.allow_truncate=on"
        options["options"] = f"{options.get('options', '')} {allow}".strip()


@pytest.fixture(scope="session", autouse=True)
def beat_schedule_after_migrations(django_db_setup, django_db_blocker) -> dict:
    """The periodic tasks the migrations put in django-celery-beat's tables, read once the test
    database is migrated and before any test runs: a transactional test's flush empties those
    tables, and which tests run first differs between processes (pytest-xdist)."""
    from django_celery_beat.models import PeriodicTask

    with django_db_blocker.unblock():
        return {task.task: task for task in PeriodicTask.objects.select_related("crontab", "interval")}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@dataclass
class Town:
    """One municipality with its bodies and a named person per role."""

    municipality: Municipality
    kf: Body
    ks: Body
    ksau: Body
    sn: Body
    un: Body
    department: Department
    official: User
    registrar: User
    secretary: User
    head: User
    politician: User

    def scope(self):
        return scope(municipality=self.municipality)


def _make_town(slug: str, name: str, fmt: str) -> Town:
    with scopes_disabled():
        municipality = Municipality.objects.create(name=name, slug=slug, diarienummer_format=fmt)

        def body(name: str, short: str, kind: str, series: str, parent: Body | None = None) -> Body:
            return Body.objects.create(
                municipality=municipality,
                name=name,
                short_name=short,
                kind=kind,
                diarium_series=series,
                parent=parent,
            )

        kf = body("Kommunfullmäktige", "KF", BodyKind.COUNCIL, "KS")
        ks = body("Kommunstyrelsen", "KS", BodyKind.BOARD, "KS")
        ksau = body("Kommunstyrelsens arbetsutskott", "KSAU", BodyKind.COMMITTEE_OF_BOARD, "KS", ks)
        sn = body("Socialnämnden", "SN", BodyKind.COMMITTEE, "SN")
        un = body("Utbildningsnämnden", "UN", BodyKind.COMMITTEE, "UN")
        department = Department.objects.create(municipality=municipality, name="Kommunledningskontoret")
        department.bodies.set([kf, ks, ksau])

        def person(role: str, first: str, last: str, title: str = "") -> User:
            return UserFactory(
                username=f"{slug}.{role}",
                municipality=municipality,
                roles=[role],
                first_name=first,
                last_name=last,
                title=title,
                department=department,
            )

        return Town(
            municipality=municipality,
            kf=kf,
            ks=ks,
            ksau=ksau,
            sn=sn,
            un=un,
            department=department,
            official=person(Role.OFFICIAL, "Gunilla", "Handläggare", "Utvecklingschef"),
            registrar=person(Role.REGISTRAR, "Erik", "Registrator", "Registrator"),
            secretary=person(Role.SECRETARY, "Maria", "Sekreterare", "Nämndsekreterare"),
            head=person(Role.HEAD, "Björn", "Chef", "Kommunchef"),
            politician=person(Role.POLITICIAN, "Staffan", "Politiker"),
        )


@pytest.fixture
def ale(db) -> Town:
    return _make_town("ale", "Ale kommun", "{series}.{year}.{number}")


@pytest.fixture
def alingsas(db) -> Town:
    return _make_town("alingsas", "Alingsås kommun", "{series} {year}/{number}")


@pytest.fixture
def outsider(alingsas: Town) -> User:
    """A registrar of the other municipality (Alingsås), for isolation tests against Ale."""
    return alingsas.registrar


@pytest.fixture
def pdf_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    return SimpleUploadedFile("Tjänsteutlåtande 2017-12-13.pdf", content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _fast_and_isolated_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


from .servers import _celery_uses_the_test_redis, redis_url, smtp, smtp_server, worker, worker_factory  # noqa: E402,F401
