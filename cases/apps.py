from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Ärenden och diarium")

    def ready(self) -> None:
        from . import events  # noqa: F401 - registers the core's event codes
