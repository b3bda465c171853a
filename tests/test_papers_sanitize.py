"""The HTML a paper may hold: the formatting papers use survives, nothing that runs or styles does."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from papers.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_html, plain_text

REL = ' rel="noopener noreferrer"'


@pytest.mark.parametrize(
    "html",
    [
        "<p>Kommunstyrelsen föreslår <strong>kommunfullmäktige</strong> att <em>anta</em> planen.</p>",
        "<h2>Bakgrund</h2><h3>Tidigare beslut</h3><h4>2016</h4>",
        "<ul><li>Ale</li><li>Alingsås</li></ul><ol><li>första</li><li>andra</li></ol>",
        "<p><b>fet</b>, <i>kursiv</i> och <u>understruken</u></p><blockquote>Citat</blockquote>",
        "<div><p>Rad ett<br>rad två</p></div>",
        '<table><thead><tr><th scope="col">År</th><th colspan="2">Kostnad</th></tr></thead>'
        '<tbody><tr><td rowspan="2">2018</td><td>100</td></tr></tbody></table>',
        "<p>Sju &lt; åtta &amp; nio &gt; sex</p>",
    ],
)
def test_the_formatting_of_a_paper_survives_unchanged(html):
    assert clean_html(html) == html


@pytest.mark.parametrize(
    "href", ["https://www.ale.se/kommun-och-politik", "http://www.alingsas.se/", "mailto:kommunen@ale.se"]
)
def test_links_to_the_web_and_to_mail_are_kept_and_made_safe_to_follow(href):
    assert clean_html(f'<a href="{href}" target="_blank">länk</a>') == f'<a href="{href}"{REL}>länk</a>'


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "java&#x09;script:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "ftp://ftp.ale.se/fil",
    ],
)
def test_a_link_that_would_run_code_or_leave_the_web_loses_its_address(href):
    assert clean_html(f'<a href="{href}">klicka</a>') == f"<a{REL}>klicka</a>"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>före<script>alert(1)</script>efter</p>", "<p>föreefter</p>"),
        ("<ScRiPt>alert(document.cookie)</ScRiPt><p>text</p>", "<p>text</p>"),
        ('<script src="https://evil.example/x.js"></script><p>text</p>', "<p>text</p>"),
        ('<p onclick="steal()">text</p>', "<p>text</p>"),
        ('<p OnMouseOver="steal()">text</p>', "<p>text</p>"),
        ("<img src=x onerror=alert(1)><p>text</p>", "<p>text</p>"),
        ('<svg onload="alert(1)"><circle r="5"/></svg><p>text</p>', "<p>text</p>"),
        ('<p style="width: expression(alert(1))">text</p>', "<p>text</p>"),
        ('<p style="background: url(javascript:alert(1))">text</p>', "<p>text</p>"),
        ("<style>p { background: url(javascript:alert(1)) }</style><p>text</p>", "<p>text</p>"),
        ('<iframe src="https://evil.example/"></iframe><p>text</p>', "<p>text</p>"),
        ('<object data="x.swf"></object><embed src="x.swf"><p>text</p>', "<p>text</p>"),
        (
            '<form action="https://evil.example/"><input name="pnr" value="19121212-1212"></form><p>text</p>',
            "<p>text</p>",
        ),
        ('<td onclick="x()" style="color: red" colspan="2">1</td>', "1"),
        (
            '<table><tr><td onclick="x()" style="color: red" colspan="2">1</td></tr></table>',
            '<table><tbody><tr><td colspan="2">1</td></tr></tbody></table>',
        ),
        ('<h1>Stor</h1><h5>liten</h5><span class="x">span</span>', "Storlitenspan"),
    ],
)
def test_what_runs_or_styles_is_removed(html, expected):
    assert clean_html(html) == expected


def test_unclosed_and_misnested_tags_are_closed():
    assert clean_html("<p><strong>fet <em>och kursiv") == "<p><strong>fet <em>och kursiv</em></strong></p>"
    assert clean_html("<div><p>stycke</div>") == "<div><p>stycke</p></div>"
    assert clean_html("<ul><li>ett<li>två</ul>") == "<ul><li>ett</li><li>två</li></ul>"


def test_comments_are_removed_with_what_they_hide():
    assert clean_html("<!-- internt: ring Björn --><p>text</p>") == "<p>text</p>"
    assert clean_html("<p>a<!--[if IE]><script>alert(1)</script><![endif]-->b</p>") == "<p>ab</p>"


@pytest.mark.parametrize(
    "html",
    [
        "<<script>script>alert(1)<</script>/script>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<a href="javascript&colon;alert(1)">x</a>',
        "<scr<script>ipt>alert(1)</script>",
    ],
)
def test_parser_tricks_do_not_smuggle_anything_through(html):
    cleaned = clean_html(html)
    assert not re.search(r"<script|<img|<style|javascript:|\son\w+=", cleaned, re.IGNORECASE)


@pytest.mark.parametrize("empty", ["", None, "   ", "<script>x</script>"])
def test_nothing_cleans_to_an_empty_string(empty):
    assert clean_html(empty) == ""


def test_plain_text_keeps_the_words_one_block_per_line():
    html = "<h2>Bakgrund</h2><p>Ale&nbsp;kommun &amp; Alingsås</p><ul><li>ett</li><li>två</li></ul>tre<br>fyra"
    assert plain_text(html) == "Bakgrund\nAle kommun & Alingsås\nett\ntvå\ntre\nfyra"


@pytest.mark.parametrize("empty", ["", None, "<p></p>", "<p> </p><p>&nbsp;</p>", "<br><br/>"])
def test_plain_text_of_an_empty_section_is_empty(empty):
    assert plain_text(empty) == ""


def test_plain_text_decodes_the_angle_brackets_clean_html_escaped():
    assert plain_text(clean_html("<p>a &lt; b</p>")) == "a < b"


def test_plain_text_decodes_entities_once():
    # The user typed the five characters "&lt;p>"; the editor stores them escaped.
    assert plain_text(clean_html("<p>&amp;lt;p&gt;</p>")) == "&lt;p>"


# --- Property: whatever HTML arrives, nothing that runs or styles comes out -------------------------

HOSTILE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;vascript:alert(1)",
    "java&#9;script:alert(1)",
    "  javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;",
    "https://www.ale.se/",
    "mailto:kommunen@ale.se",
]
ATTRIBUTES = st.sampled_from(
    [("href", url) for url in HOSTILE_URLS]
    + [
        ("onclick", "alert(1)"),
        ("ONERROR", "alert(1)"),
        ("onload", "alert(1)"),
        ("onmouseover", "alert(1)"),
        ("style", "width: expression(alert(1))"),
        ("style", "background: url(javascript:alert(1))"),
        ("src", "javascript:alert(1)"),
        ("src", "x"),
        ("srcdoc", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("formaction", "javascript:alert(1)"),
        ("colspan", "2"),
        ("scope", "col"),
        ("class", "x"),
        ("id", "y"),
    ]
)
SAFE_AND_HOSTILE_TAGS = [
    "p", "div", "h2", "h3", "h4", "h1", "ul", "ol", "li", "strong", "em", "b", "i", "u", "a",
    "blockquote", "table", "tbody", "tr", "td", "th", "span",
    "script", "SCRIPT", "ScRiPt", "style", "iframe", "img", "svg", "object", "embed", "form", "input", "math",
]  # fmt: skip
# Elements whose content the HTML parser reads as text: what is in them comes out escaped.
RAW_TEXT_TAGS = ["iframe", "noscript", "textarea", "title", "xmp", "noembed", "template", "select"]
# Text never contains "=" or ":", so "javascript:" and " onx=" can only come from attributes.
TEXT = st.text(alphabet="aåäöb <>&\"'/!-;\n", max_size=12)
VOID = {"img", "input", "embed"}


def _attrs(pairs):
    return "".join(f' {name}="{value}"' for name, value in pairs)


def html_documents(tags, empty=(), text=TEXT):
    """Random HTML from ``tags``, nested, with hostile attributes; ``empty`` tags get no content."""

    @st.composite
    def element(draw, depth):
        tag = draw(st.sampled_from(tags))
        attrs = _attrs(draw(st.lists(ATTRIBUTES, max_size=3)))
        if tag.lower() in VOID:
            return f"<{tag}{attrs}>"
        if tag in empty:
            return f"<{tag}{attrs}></{tag}>"
        children = draw(st.lists(fragment(depth + 1), max_size=3)) if depth < 4 else []
        inner = "".join(children) or draw(text)
        close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", ""]))  # sometimes left unclosed
        return f"<{tag}{attrs}>{inner}{close}"

    def fragment(depth):
        return st.one_of(text, st.just("<!-- kommentar -->"), element(depth))

    return st.lists(fragment(0), min_size=1, max_size=5).map("".join)


DOCUMENTS = html_documents(SAFE_AND_HOSTILE_TAGS + RAW_TEXT_TAGS)
DOCUMENTS_WITHOUT_RAW_TEXT = html_documents(SAFE_AND_HOSTILE_TAGS + ["iframe"], empty={"iframe"})
ELEMENTS_THAT_RUN = re.compile(r"<\s*/?\s*(script|style|iframe|svg|img)", re.IGNORECASE)
ATTRIBUTES_THAT_RUN = re.compile(r"javascript:|\son\w+\s*=|style\s*=", re.IGNORECASE)


class Markup(HTMLParser):
    """The tags and attributes of cleaned HTML, entities decoded as a browser would."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.raw_tags = set(), [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        self.raw_tags.append(self.get_starttag_text())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_random_hostile_html_comes_out_harmless(html):
    cleaned = clean_html(html)
    # A "<" in the output always opens a real tag (text has it as &lt;), so no element that runs is there.
    assert not ELEMENTS_THAT_RUN.search(cleaned), cleaned
    # Inside the tags: no script URL, no event handler, no style. (Text of a raw-text element such as
    # <noscript> or <textarea> comes out as escaped, inert text, so only the tags are searched here.)
    markup = Markup(cleaned)
    assert not any(ATTRIBUTES_THAT_RUN.search(tag) for tag in markup.raw_tags), cleaned
    assert markup.tags <= ALLOWED_TAGS, cleaned
    for tag, name, value in markup.attributes:
        assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, cleaned
        if name == "href":
            assert value.split(":", 1)[0].strip().lower() in ("http", "https", "mailto"), cleaned


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS_WITHOUT_RAW_TEXT)
def test_random_hostile_html_without_raw_text_elements_has_not_a_trace_left(html):
    """With nothing inside raw-text elements, nothing hostile survives even as text: the string check holds."""
    cleaned = clean_html(html)
    assert not re.search(r"<script|javascript:|\son\w+=|<style|style=|<iframe|<svg|<img", cleaned, re.IGNORECASE), (
        cleaned
    )


# What the editor writes: allowed tags, properly nested, with hostile attributes and no "<" in the text.
PLAIN_TEXT = st.text(alphabet="aåäöb >&\"'/!-;\n", max_size=12)
ATTRS = st.lists(ATTRIBUTES, max_size=2).map(_attrs)


def _wrap(tag):
    return lambda pair: f"<{tag}{pair[0]}>{''.join(pair[1])}</{tag}>"


def _inline(depth):
    if depth > 3:
        return PLAIN_TEXT
    children = st.lists(st.deferred(lambda: _inline(depth + 1)), max_size=3)
    formatted = st.one_of(
        *[st.tuples(ATTRS, children).map(_wrap(tag)) for tag in ("strong", "em", "b", "i", "u")],
        st.tuples(ATTRS, st.lists(PLAIN_TEXT, max_size=2)).map(_wrap("a")),
    )
    return st.one_of(PLAIN_TEXT, st.just("<br>"), formatted)


def _block(depth):
    inline = st.lists(_inline(0), max_size=3)
    blocks = st.lists(st.deferred(lambda: _block(depth + 1)), min_size=1, max_size=3) if depth < 3 else inline
    cells = st.lists(
        st.tuples(ATTRS, inline).map(_wrap("td")) | st.tuples(ATTRS, inline).map(_wrap("th")), min_size=1, max_size=3
    )
    rows = st.lists(st.tuples(ATTRS, cells).map(_wrap("tr")), min_size=1, max_size=3)
    items = st.lists(st.tuples(ATTRS, inline | blocks).map(_wrap("li")), min_size=1, max_size=3)
    return st.one_of(
        *[st.tuples(ATTRS, inline).map(_wrap(tag)) for tag in ("p", "h2", "h3", "h4")],
        st.tuples(ATTRS, blocks).map(_wrap("div")),
        st.tuples(ATTRS, blocks).map(_wrap("blockquote")),
        st.tuples(ATTRS, items).map(_wrap("ul")),
        st.tuples(ATTRS, items).map(_wrap("ol")),
        st.tuples(ATTRS, st.lists(st.tuples(ATTRS, rows).map(_wrap("tbody")), min_size=1, max_size=1)).map(
            _wrap("table")
        ),
    )


WELL_FORMED = st.lists(_block(0), min_size=1, max_size=4).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(WELL_FORMED)
def test_cleaning_what_the_editor_writes_is_idempotent(html):
    once = clean_html(html)
    assert clean_html(once) == once


@example("<h2><span><h3>x</h3></span></h2>")
@example("<h2><font>Rubrik <h3>under</h3></font></h2>")
@example("<p><object><p>x</p></object></p>")
@example("<h2><a</h2><h2></h2>")
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_cleaning_is_idempotent(html):
    once = clean_html(html)
    assert clean_html(once) == once
