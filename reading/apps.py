from django.apps import AppConfig


class ReadingConfig(AppConfig):
    """The politicians' reading room: Mina sammanträden, the meeting read in the browser, an ICS feed,
    private notes and highlights, and a meeting stored on the device for reading offline."""

    name = "reading"
    verbose_name = "Läsesal"

    def ready(self) -> None:
        from . import events  # noqa: F401 - registers this app's event codes
