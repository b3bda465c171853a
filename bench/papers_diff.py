"""Benchmark of version comparison (issue 8.6): one large section, edited, compared word by word.

    .venv/bin/python bench/papers_diff.py            # 100 KB and 1 MB sections
    .venv/bin/python bench/papers_diff.py --tiny     # 10 KB only: a smoke test that runs in a second
    .venv/bin/python bench/papers_diff.py --difflib  # also time the former difflib redline (slow)

A section of Swedish HTML paragraphs is edited the way a reviewer does (a word changed in every
tenth paragraph, a sentence added, a paragraph deleted), then compared as the history and merge
pages compare it (``content_diff``: HTML to plain text, then ``redline``). Prints seconds per size
and checks that every edit is marked; then the worst case for the bound, one huge paragraph changed
throughout. No database needed.
"""

from __future__ import annotations

import argparse
import difflib
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alingsas_ale.settings")

WORDS = (
    "kommunen integration planen förvaltningen barnen nämnden beslut underlag ekonomi samråd "
    "verksamheten arbetet insatser målet uppföljning ansvar medborgare kostnader behov stöd"
).split()


@dataclass
class Section:
    key: str = "bakgrund"
    block_type: str = "text"

    def label_for(self, addressee: object) -> str:
        return "Bakgrund"


def section_html(size: int, seed: int = 1) -> list[str]:
    """Paragraphs of about ``size`` bytes of HTML in all."""
    rng = random.Random(seed)
    paragraphs, total = [], 0
    while total < size:
        words = [rng.choice(WORDS) for _ in range(rng.randint(40, 90))]
        paragraph = f"<p>{' '.join(words).capitalize()}.</p>"
        paragraphs.append(paragraph)
        total += len(paragraph.encode())
    return paragraphs


def edited(paragraphs: list[str]) -> list[str]:
    out = list(paragraphs)
    for n in range(0, len(out), 10):
        out[n] = out[n].replace("<p>", "<p>ÄNDRAT ", 1)
    out.insert(len(out) // 2, "<p>En helt ny mening om TILLÄGGET.</p>")
    del out[len(out) // 3]
    return out


def old_redline(old: str, new: str) -> int:
    """The former implementation's work: difflib over all words (returns the number of opcodes)."""
    from papers.diff import TOKEN

    a, b = TOKEN.findall(old), TOKEN.findall(new)
    return len(difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tiny", action="store_true", help="10 KB only, as a smoke test")
    parser.add_argument("--difflib", action="store_true", help="also time the former difflib redline")
    args = parser.parse_args()

    import django

    django.setup()
    from papers.content import PaperContent
    from papers.diff import content_diff, redline
    from papers.sanitize import plain_text

    sizes = [10_000] if args.tiny else [100_000, 1_000_000]
    for size in sizes:
        before = section_html(size)
        after = edited(before)
        old = PaperContent(sections={"bakgrund": "".join(before)})
        new = PaperContent(sections={"bakgrund": "".join(after)})
        started = time.perf_counter()
        (part,) = content_diff([Section()], old, new)
        seconds = time.perf_counter() - started
        html = str(part.html)
        marked = html.count("<ins>ÄNDRAT") + ("TILLÄGGET" in html and "<ins>" in html)
        assert "<del>" in html and "TILLÄGGET" in html.split("<ins>", 1)[1], "an edit is not marked"
        print(
            f"{size // 1000:>5} kB section, {len(before)} paragraphs: compared in {seconds:.2f} s "
            f"({html.count('<ins>')} insertions, {html.count('<del>')} deletions, {marked} edits found)"
        )
        if not args.tiny and size == 1_000_000:
            words = [f"ord{n % 997}" for n in range(120_000)]  # one 0.8 MB paragraph, every 50th word changed
            one, other = " ".join(words), " ".join(w.upper() if n % 50 == 0 else w for n, w in enumerate(words))
            started = time.perf_counter()
            worst = str(redline(one, other))
            print(
                f"  worst case, one {len(one) // 1000} kB paragraph changed throughout: "
                f"{time.perf_counter() - started:.2f} s ({worst.count('<ins>')} insertions: the bound made it coarse)"
            )
        if args.difflib and size <= 100_000:
            started = time.perf_counter()
            old_redline(plain_text(old.section("bakgrund")), plain_text(new.section("bakgrund")))
            print(
                f"{size // 1000:>5} kB section with the former difflib redline: {time.perf_counter() - started:.2f} s"
            )


if __name__ == "__main__":
    main()
