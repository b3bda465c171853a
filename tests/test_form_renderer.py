"""The Python-written <select> is the markup Django's templates write, only faster (bench/pages.py)."""

from __future__ import annotations

import re

from django import forms
from django.forms.renderers import DjangoTemplates

from alingsas_ale.forms import Renderer, RowSelect


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Alla"), ("a", "Ärende & <b>"), ("b", 'Citat "x"')], required=False)
    grouped = forms.ChoiceField(choices=[("Nämnder", [("n1", "Nämnd 1"), ("n2", "Nämnd 2")]), ("x", "Annat")])
    many = forms.MultipleChoiceField(choices=[("1", "Ett"), ("2", "Två"), ("3", "Tre")], required=False)
    disabled = forms.ChoiceField(choices=[("1", "Ett")], disabled=True, help_text="Hjälp")


class Rows(forms.Form):
    fast = forms.TypedChoiceField(
        coerce=int, choices=[("", "Alla"), (1, "Åsa & <b>"), (2, 'Citat "x"')], required=False, widget=RowSelect
    )
    slow = forms.TypedChoiceField(
        coerce=int, choices=[("", "Alla"), (1, "Åsa & <b>"), (2, 'Citat "x"')], required=False
    )
    fast_required = forms.TypedChoiceField(coerce=int, choices=[("", "Välj"), (1, "Ett")], widget=RowSelect)
    slow_required = forms.TypedChoiceField(coerce=int, choices=[("", "Välj"), (1, "Ett")])


def squash(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_select_markup_is_djangos():
    data = {"plain": "a", "grouped": "n2", "many": ["1", "3"], "disabled": "1"}
    for bound in (Choices(data), Choices()):
        for name in bound.fields:
            fast = bound[name].as_widget()  # the project's renderer (settings.FORM_RENDERER)
            bound.renderer = DjangoTemplates()
            slow = bound[name].as_widget()
            bound.renderer = Renderer()
            assert squash(fast) == squash(slow), name
    html = Choices(data)["plain"].as_widget()
    assert "&lt;b&gt;" in html and 'value="a" selected' in html  # escaped, and the chosen one marked


def test_a_row_select_writes_the_markup_of_djangos_select():
    for data in ({"fast": "2", "slow": "2", "fast_required": "1", "slow_required": "1"}, {}):
        bound = Rows(data)
        bound.renderer = DjangoTemplates()
        for fast, slow in (("fast", "slow"), ("fast_required", "slow_required")):
            expected = squash(bound[slow].as_widget()).replace(f'"{slow}"', f'"{fast}"').replace(f"_{slow}", f"_{fast}")
            assert squash(bound[fast].as_widget()) == expected, fast
    assert 'value="2" selected>Citat &quot;x&quot;' in Rows({"fast": "2"})["fast"].as_widget()


class Inputs(forms.Form):
    text = forms.CharField(max_length=20, required=False, help_text="Hjälp")
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search", "placeholder": 'Sök "x"'}))
    number = forms.IntegerField(min_value=1, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    email = forms.EmailField(disabled=True, required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    check = forms.BooleanField(required=False)
    url = forms.URLField(
        required=False, assume_scheme="https", widget=forms.URLInput(attrs={"autofocus": True, "data-x": False})
    )


def test_input_markup_is_djangos():
    data = {
        "text": 'Åsa & <b>"x"',
        "search": "förskola's",
        "number": "0",
        "day": "2026-11-26",
        "secret": "<hemligt>",
        "hidden": "7",
        "check": "on",
        "url": "https://ale.se/?a=1&b=2",
    }
    for bound in (Inputs(data), Inputs(), Inputs({"check": ""})):
        bound.is_valid()  # errors add aria-invalid
        for name in bound.fields:
            fast = bound[name].as_widget()  # the project's renderer (settings.FORM_RENDERER)
            bound.renderer = DjangoTemplates()
            slow = bound[name].as_widget()
            bound.renderer = Renderer()
            assert fast == slow, name
    html = Inputs(data)["text"].as_widget()
    assert 'value="Åsa &amp; &lt;b&gt;&quot;x&quot;"' in html and 'maxlength="20"' in html
    assert " checked" in Inputs(data)["check"].as_widget()


def test_project_uses_the_renderer(settings):
    assert settings.FORM_RENDERER == "alingsas_ale.forms.Renderer"
    assert isinstance(Choices().renderer, Renderer)
