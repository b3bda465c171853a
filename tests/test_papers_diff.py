"""Version comparison stays word by word and finishes for large papers (issue 8.6)."""

from __future__ import annotations

import re

from papers.content import PaperContent
from papers.diff import content_diff, redline


class Section:
    key, block_type = "bakgrund", "text"

    def label_for(self, addressee):
        return "Bakgrund"


def paragraphs(count, seed=""):
    return [
        f"<p>Stycke {n}{seed} handlar om integrationsplanen och barnens behov i kommunen.</p>" for n in range(count)
    ]


def sides(html):
    """The old text (equal and deleted) and the new text (equal and inserted) a redline shows."""
    text = html.replace("<br>", "\n")
    old = re.sub(r"<ins>.*?</ins>", "", text, flags=re.S)
    new = re.sub(r"<del>.*?</del>", "", text, flags=re.S)
    return re.sub(r"</?(del|ins)>", "", old), re.sub(r"</?(del|ins)>", "", new)


def test_a_one_megabyte_section_compares_and_marks_every_edit():
    before = paragraphs(13_000)  # about 1 MB of HTML
    after = list(before)
    for n in range(0, len(after), 1000):
        after[n] = after[n].replace("integrationsplanen", "INTEGRATIONSPLANEN")
    after.insert(6500, "<p>Ett HELT NYTT stycke.</p>")
    del after[9502]  # Stycke 9501
    assert len("".join(before)) > 1_000_000
    (part,) = content_diff(
        [Section()],
        PaperContent(sections={"bakgrund": "".join(before)}),
        PaperContent(sections={"bakgrund": "".join(after)}),
    )
    html = str(part.html)
    assert part.changed
    assert html.count("<ins>INTEGRATIONSPLANEN</ins>") == 13
    assert html.count("<del>integrationsplanen</del>") == 13
    assert "<ins>Ett HELT NYTT stycke.<br></ins>" in html
    assert "<del>Stycke 9501 handlar om integrationsplanen och barnens behov i kommunen.<br></del>" in html
    old, new = sides(html)
    assert (
        old.rstrip("\n").split("\n")[9501] == "Stycke 9501 handlar om integrationsplanen och barnens behov i kommunen."
    )
    assert "Ett HELT NYTT stycke." not in old and "Ett HELT NYTT stycke." in new


def test_one_huge_paragraph_rewritten_throughout_still_compares_correctly():
    """No paragraphs to lean on and edits everywhere: the bounded diff may be coarse, never wrong."""
    words = [f"ord{n % 997}" for n in range(120_000)]
    old = " ".join(words)
    new = " ".join(w.upper() if n % 50 == 0 else w for n, w in enumerate(words))
    html = str(redline(old, new))
    assert sides(html) == (old, new)
    assert "<ins>ORD0</ins>" in html or "ORD0" in html.split("<ins>", 1)[1]


def test_small_changes_keep_the_word_by_word_alignment():
    assert redline("Barnen gynnas av planen.", "Barnen missgynnas inte.") == (
        "Barnen <del>gynnas</del><ins>missgynnas</ins> <del>av planen.</del><ins>inte.</ins>"
    )
    assert redline("a b c", "a b c") == "a b c"
    assert redline("", "ny") == "<ins>ny</ins>"
    assert redline("gammal", "") == "<del>gammal</del>"
