"""Helpers for the Playwright tests: sign in, and check a page with axe-core (WCAG 2.1 AA)."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    # Through the DevTools protocol, not a <script> tag: the Content Security Policy allows no inline script.
    page.evaluate(AXE.read_text())
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe-core violations on {page.url}: {violations}"


def sign_in(
    page, base_url: str, username: str, password: str = "losen-for-test-1", lands: str = "**/arenden/mina/"
) -> None:
    page.goto(f"{base_url}/konto/logga-in/")
    assert_accessible(page)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lands)


# The elements that cross the viewport's right edge while their parent does not: the cause.
OVERFLOWING = """w => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > w && e.parentElement.getBoundingClientRect().right <= w)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def assert_no_sideways_scroll(page) -> None:
    """The page fits the viewport's width (a phone at 390 px scrolls only down)."""
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if widths[0] > widths[1]:
        culprits = page.evaluate(OVERFLOWING, widths[1])
        raise AssertionError(f"{page.url} scrolls sideways: {widths[0]} px content in {widths[1]} px: {culprits}")
