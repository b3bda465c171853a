from __future__ import annotations

from django import template

from papers.models import Draft, TemplateSection

register = template.Library()


@register.filter
def heading_for(section: TemplateSection, draft: Draft) -> str:
    """A section's heading as the paper shows it (see TemplateSection.label_for)."""
    return section.label_for(draft.addressee if draft.addressee_id else None)
