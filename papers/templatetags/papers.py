from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from papers.models import Draft, TemplateSection

register = template.Library()


@register.filter
def heading_for(section: TemplateSection, draft: Draft) -> str:
    """A section's heading as the paper shows it (see TemplateSection.label_for)."""
    return section.label_for(draft.addressee if draft.addressee_id else None)


@register.filter
def paper_heading(draft: Draft) -> str:
    """The kind of paper, and the template's name only where it says more: "Yttrande", never
    "Tjänsteutlåtande – Tjänsteutlåtande" (issue 14.4)."""
    kind = str(draft.template.get_kind_display())
    name = draft.template.name.strip()
    kind = kind[:1].upper() + kind[1:]
    return kind if not name or name.casefold() == kind.casefold() else f"{kind} – {name}"


@register.filter
def part(mapping: Mapping[str, Any] | None, key: str) -> Any:
    """One part's entry of a mapping keyed by section key (comments, anchors), or ""."""
    return (mapping or {}).get(key, "")
