from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Sammanträden and protokoll: kallelse, the meeting, §§, justering, anslag and expediering."""

    name = "meetings"
    verbose_name = _("Sammanträden och protokoll")

    def ready(self) -> None:
        from cases.pdf import register_renderer

        from . import events  # noqa: F401 - registers this app's event codes
        from .pdf import EXTRACT_RENDERER, KALLELSE_RENDERER, PROTOCOL_RENDERER, PUBLIC_PROTOCOL_RENDERER

        register_renderer("protocol", PROTOCOL_RENDERER)
        register_renderer("protocol-public", PUBLIC_PROTOCOL_RENDERER)
        register_renderer("kallelse", KALLELSE_RENDERER)
        register_renderer("extract", EXTRACT_RENDERER)
