"""The reader's theme wins: in sepia and night modes every mark the EPUB draws takes the text's colour.

Reading systems apply a theme by styling ``html`` and ``body``; a mark with a colour of its own (a
browser's grey ``hr``, a blue link) stays behind. Chromium stands in for a reading system here.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from bookbuild.cli import main

pytestmark = pytest.mark.slow

THEMES = {
    "sepia": ("rgb(91, 70, 54)", "rgb(244, 236, 216)"),
    "night": ("rgb(230, 230, 230)", "rgb(0, 0, 0)"),
}
# Every mark the EPUB draws, as (CSS selector, pseudo-element or None).
MARKS = [
    ("hr.scene-break", None),
    ("hr.scene-break", "::before"),
    ("hr.scene-break", "::after"),
    ("a[role='doc-noteref']", None),
    ("a[role='doc-backlink']", None),
    ("section.chapter > h1 + p", "::first-line"),
    ("h1 span.chapter-label", None),
]
STORY = """# Chapter One: The Lamp

The lamp was lit at dusk, as it always was.[^1] Nobody saw who lit it.

***

By morning it was cold, and the ledger had a new line in it.

[^1]: Every evening but one, in the old town.
"""


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("themes")
    source = folder / "story.md"
    source.write_text(STORY, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(folder / "out"), "-q", "--format", "epub",
                                       "--title", "Themes"])
    assert result.exit_code == 0, result.output
    [epub] = (folder / "out").glob("*.epub")
    target = folder / "unpacked"
    zipfile.ZipFile(epub).extractall(target)
    return target / "EPUB"


def apply_theme(driver, text: str, background: str) -> None:
    driver.execute_script(
        "const s = document.createElement('style');"
        "s.textContent = `html, body { color: ${arguments[0]}; background: ${arguments[1]} }`;"
        "document.head.appendChild(s);",
        text, background,
    )


def colours(driver, selector: str, pseudo: str | None) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(e => getComputedStyle(e, arguments[1]).color);",
        selector, pseudo,
    )


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_every_mark_takes_the_text_colour(browser, unpacked, theme) -> None:
    text, background = THEMES[theme]
    seen = set()
    for page in ("chapter-001.xhtml", "endnotes.xhtml"):
        browser.get(unpacked / page)
        apply_theme(browser.driver, text, background)
        assert colours(browser.driver, "p", None)[0] == text
        for selector, pseudo in MARKS:
            found = colours(browser.driver, selector, pseudo)
            if found:
                seen.add((selector, pseudo))
            assert all(colour == text for colour in found), (page, selector, pseudo, found)
    # The book really has the marks this checks: a scene break, a note and its way back, an opening.
    assert {("hr.scene-break", None), ("a[role='doc-noteref']", None), ("a[role='doc-backlink']", None),
            ("section.chapter > h1 + p", "::first-line")} <= seen


def opening_alignment(browser, page: Path, width: int) -> str:
    """How the chapter's opening paragraph is aligned when the reader asks for justified text."""
    browser.driver.set_window_size(width, 844)
    browser.get(page)
    browser.driver.execute_script(
        "const s = document.createElement('style'); s.textContent = 'body { text-align: justify }';"
        "document.head.appendChild(s);"
    )
    [align] = browser.driver.execute_script(
        "return [...document.querySelectorAll('section.chapter > h1 + p')].map(e => getComputedStyle(e).textAlign);"
    )
    return align


def test_the_small_capital_opening_is_not_justified_on_a_phone(browser, unpacked) -> None:
    assert opening_alignment(browser, unpacked / "chapter-001.xhtml", 390) in ("left", "start")
    assert opening_alignment(browser, unpacked / "chapter-001.xhtml", 1100) == "justify"
