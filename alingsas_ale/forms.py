"""The form renderer: Django's own, except that a <select> and an <input> are written in Python.

Django renders a select through one template include per option. With the 2,000 users of a large
municipality in a handläggare filter that took 2.5 s of a 2.7 s diarium page (bench/pages.py); the
same markup written here takes a few milliseconds. An <input> costs Django two template renders
(the widget's and attrs.html), about 0.5 ms each, on every form of every page: written here too.
Everything else goes through the templates. tests/test_form_renderer.py holds the markup to Django's.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection, Iterable
from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

SELECTS = {"django/forms/widgets/select.html"}
# The widgets whose template is django/forms/widgets/input.html and nothing else.
INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "checkbox", "color", "date", "datetime", "email", "hidden", "number", "password", "search", "tel",
        "text", "time", "url",
    )
}  # fmt: skip


class Renderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in SELECTS:
            return select_html(context["widget"])
        if template_name in INPUTS:
            return input_html(context["widget"])
        return super().render(template_name, context, request)


def input_html(widget: dict[str, Any]) -> SafeString:
    """The markup of django/forms/widgets/input.html with attrs.html, attribute for attribute."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_escape(value)}"'
    return mark_safe(  # noqa: S308 - the type, name and value are escaped, the attributes by attrs_html
        f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"{shown}{attrs_html(widget["attrs"])}>'
    )


def select_html(widget: dict[str, Any]) -> SafeString:
    """The markup of django/forms/widgets/select.html and its option templates, attribute for attribute."""
    parts: list[str] = [format_html('<select name="{}"{}>', widget["name"], attrs_html(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('<optgroup label="{}">', group_name))
        parts.extend(  # thousands of options: plain f-strings over escaped text, not format_html each
            f'<option value="{_escape("" if option["value"] is None else option["value"])}"'
            f"{attrs_html(option['attrs']) if option['attrs'] else ''}>{_escape(option['label'])}</option>"
            for option in options
        )
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped by format_html


def _escape(value: Any) -> str:
    """conditional_escape without its per-call overhead: safe strings stay, the rest is escaped."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def attrs_html(attrs: dict[str, Any]) -> SafeString:
    """django/forms/widgets/attrs.html: in order, True as a bare name, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class RowSelect(forms.Select):
    """A <select> of flat (value, label) rows written straight from them: the same markup as
    Select, without the dict per option Select.optgroups builds (20 ms of the diarium page for the
    2,000 users of a large municipality, bench/pages.py). For choices without groups only.

    ``more_options``, when set, returns the markup of further options, written elsewhere (a cache,
    cases/user_options.py) without selection: the chosen value's option is marked here."""

    more_options: Callable[[], str] | None = None
    _choices: list[tuple[Any, Any]]  # ChoiceWidget's own, set past its normalising setter (cases/forms.py)

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        final_attrs = self.build_attrs(self.attrs, attrs)
        parts: list[str] = [format_html('<select name="{}"{}>', name, attrs_html(final_attrs))]
        parts.append(options_markup(self.choices, chosen))
        if self.more_options is not None:
            more = self.more_options()
            for text in chosen:
                if text.isdigit():  # ids only: the markup's values are the ids, written as is
                    more = more.replace(f'<option value="{text}">', f'<option value="{text}" selected>', 1)
            parts.append(more)
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label above is escaped


def options_markup(rows: Iterable[tuple[Any, Any]], chosen: Collection[str] = ()) -> str:
    """``<option>``s of flat (value, label) rows, as Select writes them; values in ``chosen`` selected."""
    parts = []
    for option_value, label in rows:
        text = "" if option_value is None else str(option_value)
        selected = " selected" if text in chosen else ""
        parts.append(f'<option value="{_escape(text)}"{selected}>{_escape(label)}</option>')
    return "".join(parts)
