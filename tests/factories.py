"""factory_boy factories for bulk data. Tests build named people in conftest.py."""

from __future__ import annotations

import factory

from cases.models import Body, BodyKind, Case, Municipality, User


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Testkommun {n}")
    slug = factory.Sequence(lambda n: f"test{n}")
    diarienummer_format = "{series} {year}/{number}"


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Nämnd {n}")
    short_name = factory.Sequence(lambda n: f"N{n}")
    kind = BodyKind.COMMITTEE
    diarium_series = factory.LazyAttribute(lambda body: body.short_name)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda user: f"{user.username}@kommun.example")
    municipality = factory.SubFactory(MunicipalityFactory)
    roles: list[str] = []
    password = factory.PostGenerationMethodCall("set_password", "losen-for-test-1")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class CaseFactory(factory.django.DjangoModelFactory):
    """Bulk cases with consecutive numbers; for registration itself use cases.services.case_register."""

    class Meta:
        model = Case

    municipality = factory.SelfAttribute("body.municipality")
    body = factory.SubFactory(BodyFactory)
    series = factory.SelfAttribute("body.diarium_series")
    year = 2024
    number = factory.Sequence(lambda n: n + 1)
    diarienummer = factory.LazyAttribute(
        lambda case: case.municipality.format_diarienummer(series=case.series, year=case.year, number=case.number)
    )
    title = factory.Sequence(lambda n: f"Ärende nummer {n} om budget")
    registered_by = factory.SubFactory(UserFactory, municipality=factory.SelfAttribute("..municipality"))
