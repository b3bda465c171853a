from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    """The municipal administrator's pages: the organisation (bodies, seats, people, users)."""

    name = "administration"
    verbose_name = "Administration"
