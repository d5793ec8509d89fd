"""The review flow on the real manuscript: the build tells, ten breaks set in the page reach EPUB and PDF."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.review import Boundary, load_story
from tests.review_support import epub_breaks, opens_with, pdf_breaks

pytestmark = pytest.mark.slow


def _spread(boundaries: list[Boundary], count: int, taken: list[Boundary]) -> list[Boundary]:
    """``count`` boundaries spread evenly over a list, none next to one already taken."""
    picked: list[Boundary] = []
    step = max(1, len(boundaries) // count)
    for boundary in boundaries[::step] + boundaries:
        if len(picked) == count:
            break
        if all(abs(boundary.number - other.number) > 2 for other in taken + picked):
            picked.append(boundary)
    return picked


def test_ten_breaks_chosen_in_the_page_are_exactly_the_books(real_manuscript, tmp_path, browser):
    config = tmp_path / "book.toml"
    config.write_text("", encoding="utf-8")  # never write beside the manuscript
    out = tmp_path / "out"
    build = ["build", str(real_manuscript), "--config", str(config), "-o", str(out)]

    run = CliRunner().invoke(main, [*build, "--format", "epub"])
    assert run.exit_code == 0, run.output
    [line] = [text for text in run.output.splitlines() if "possible scene break" in text]
    assert f"bookbuild review {real_manuscript} --config {config}" in line

    page = tmp_path / "review.html"
    run = CliRunner().invoke(main, ["review", str(real_manuscript), "--config", str(config), "--html", "-o", str(page)])
    assert run.exit_code == 0, run.output
    story = load_story(real_manuscript, config)
    by_confidence = story.candidates()
    free = [b for b in story.boundaries if b.rank is None]
    chosen = _spread(sorted(by_confidence[:15], key=lambda b: b.number), 5, [])
    chosen += _spread(free, 5, chosen)
    assert len(chosen) == 10 and not any(b.is_break for b in chosen)

    browser.get(page)
    driver = browser.driver
    for boundary in chosen:
        gap = driver.find_element("id", f"gap-{boundary.number}")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", gap)
        gap.click()
    assert "10 scene breaks chosen" in driver.find_element("id", "count").text
    driver.find_element("id", "save").click()
    answers = browser.wait_for_download("answers.toml")

    run = CliRunner().invoke(main, ["review", str(real_manuscript), "--config", str(config), "--apply", str(answers)])
    assert run.exit_code == 0, run.output
    run = CliRunner().invoke(main, [*build, "--no-cache"])
    assert run.exit_code == 0, run.output
    assert "possible scene break" not in run.output

    ordered = sorted(chosen, key=lambda b: b.number)
    in_epub = epub_breaks(next(out.glob("*.epub")))
    assert len(in_epub) == 10
    assert all(opens_with(text, b.key) for text, b in zip(in_epub, ordered, strict=True)), in_epub
    in_pdf = pdf_breaks(next(p for p in out.glob("*.pdf")))
    assert len(in_pdf) == 10
    assert all(opens_with(text, b.key, 2) for text, b in zip(in_pdf, ordered, strict=True)), in_pdf
