from django import template

register = template.Library()


@register.filter
def heading_for(section, draft):  # type: ignore[no-untyped-def]
    """A section's heading as the paper shows it (see TemplateSection.label_for)."""
    return section.label_for(draft.addressee if draft.addressee_id else None)
