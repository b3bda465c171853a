from django import template

register = template.Library()


@register.filter
def heading_for(section, draft):  # type: ignore[no-untyped-def]
    """A section heading with ``{till}`` replaced by the addressee in running text ("kommunstyrelsen")."""
    heading = section.heading or ""
    if "{till}" in heading:
        name = draft.addressee.name if draft.addressee_id else ""
        heading = heading.replace("{till}", name[:1].lower() + name[1:])
    return heading
