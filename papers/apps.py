from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PapersConfig(AppConfig):
    """Drafting: tjänsteutlåtanden, yttranden and förslag till beslut, with versions and review.

    Its own app rather than part of cases/: authoring (templates, versions, merge, review, the
    proposal's stages) is a context of its own that builds on the diarium, and cases stays the core.
    """

    name = "papers"
    verbose_name = _("Tjänsteutlåtanden och yttranden")

    def ready(self) -> None:
        from cases.panels import register_case_panel, register_desk_panel
        from cases.pdf import register_renderer

        from . import events  # noqa: F401 - registers this app's event codes
        from .desk import desk_panel
        from .panels import case_annotations, drafts_panel
        from .pdf import DRAFT_RENDERER, PREVIEW_RENDERER

        register_renderer("draft", DRAFT_RENDERER)
        register_renderer("draft-preview", PREVIEW_RENDERER)
        register_case_panel(drafts_panel, annotations=case_annotations)
        register_desk_panel(desk_panel)
