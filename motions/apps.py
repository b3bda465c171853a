from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MotionsConfig(AppConfig):
    name = "motions"
    verbose_name = _("Motioner")

    def ready(self) -> None:
        from cases.pdf import register_renderer

        from . import (
            events,  # noqa: F401 - registers this app's event codes
            services,  # noqa: F401 - connects the remisser_sent receiver
        )
        from .pdf import REPORT_RENDERER

        register_renderer("motion_report", REPORT_RENDERER)
