from django.apps import AppConfig


class ReadingConfig(AppConfig):
    """The politicians' reading room: Mina sammanträden, the meeting read in the browser, an ICS feed."""

    name = "reading"
    verbose_name = "Läsesal"
