from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MotionsConfig(AppConfig):
    name = "motions"
    verbose_name = _("Motioner")

    def ready(self) -> None:
        from . import services  # noqa: F401 - connects the remisser_sent receiver
