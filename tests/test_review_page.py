"""The browser review: the page from ``review --html`` driven in headless Chromium, saved, applied, built."""

from __future__ import annotations

import json
import tomllib

import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.review import load_story
from bookbuild.review_page import render_page
from tests.review_support import epub_breaks, opens_with, story

pytestmark = pytest.mark.slow


def _gap(driver, number: int):
    return driver.find_element("id", f"gap-{number}")


def test_page_is_self_contained(tmp_path):
    page = render_page(load_story(story(tmp_path), tmp_path / "book.toml"), "bookbuild review story.txt --apply a.toml")
    assert "{{" not in page and "/*{{css}}*/" not in page
    for external in ("http://", "https://", "<link", "src="):
        assert external not in page.replace("http://www.w3.org", "")
    data = page.split('<script type="application/json" id="review-data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(data)["chapters"]


def test_a_story_text_cannot_break_out_of_the_page(tmp_path):
    path = tmp_path / "story.txt"
    hostile = "</script><script>alert(1)</script> {{data}} //{{js}} /*{{css}}*/ \u2028"
    path.write_text("\n\n".join([hostile, "Then the morning came."] * 3) + "\n", encoding="utf-8")
    page = render_page(load_story(path, tmp_path / "book.toml"), "x")
    assert page.count("</script>") == 2 and "alert(1)</script>" not in page


def test_toggle_save_apply_and_build(tmp_path, browser):
    source = story(tmp_path)
    config = tmp_path / "book.toml"
    config.write_text("# my settings\ntrim = \"6x9\"\n", encoding="utf-8")
    page = tmp_path / "review.html"
    run = CliRunner().invoke(main, ["review", str(source), "--config", str(config), "--html", "-o", str(page)])
    assert run.exit_code == 0, run.output
    listed = load_story(source, config)
    candidates = listed.candidates()
    free = [b for b in listed.boundaries if b.rank is None and not b.is_break]
    assert len(candidates) >= 2 and free
    # Two candidates and one boundary the scorer did not list, apart from each other.
    chosen = [candidates[0], next(b for b in candidates[1:] if abs(b.number - candidates[0].number) > 1)]
    chosen.append(next(b for b in free if all(abs(b.number - c.number) > 1 for c in chosen)))

    browser.get(page)
    driver = browser.driver
    assert "0 scene breaks chosen" in driver.find_element("id", "count").text
    for boundary in chosen:
        gap = _gap(driver, boundary.number)
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", gap)
        gap.click()
        assert gap.get_attribute("aria-pressed") == "true"
    assert "3 scene breaks chosen" in driver.find_element("id", "count").text
    driver.find_element("id", "save").click()
    answers = browser.wait_for_download("answers.toml")
    saved = tomllib.loads(answers.read_text(encoding="utf-8"))
    assert set(saved["scene_breaks_add"]) == {b.key for b in chosen}
    # Every listed candidate gets an answer; the unchosen ones say "no break here".
    assert set(saved["scene_breaks_remove"]) == {b.key for b in candidates} - {b.key for b in chosen}

    run = CliRunner().invoke(main, ["review", str(source), "--config", str(config), "--apply", str(answers)])
    assert run.exit_code == 0, run.output
    assert config.read_text(encoding="utf-8").startswith("# my settings\ntrim = \"6x9\"\n")
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["build", str(source), "--config", str(config), "-o", str(out), "--format", "epub"])
    assert run.exit_code == 0, run.output
    assert "possible scene break" not in run.output  # every candidate is answered now
    breaks = epub_breaks(next(out.glob("*.epub")))
    assert len(breaks) == 3
    ordered = sorted(chosen, key=lambda b: b.number)
    assert all(opens_with(text, b.key) for text, b in zip(breaks, ordered, strict=True)), breaks


def test_page_filter_and_walk_by_confidence(tmp_path, browser):
    source = story(tmp_path)
    page = tmp_path / "review.html"
    CliRunner().invoke(main, ["review", str(source), "--config", str(tmp_path / "b.toml"), "--html", "-o", str(page)])
    browser.get(page)
    driver = browser.driver
    shown = driver.find_elements("css selector", ".gap.cand")
    listed = load_story(source, tmp_path / "b.toml").candidates()
    assert len(shown) == len(listed)
    driver.find_element("id", "next").click()
    assert driver.switch_to.active_element.get_attribute("id") == f"gap-{listed[0].number}"
    # Raising the floor above the best candidate hides them all as candidates.
    driver.execute_script(
        "const s = document.getElementById('floor'); s.value = '1'; s.dispatchEvent(new Event('input'));"
    )
    assert not driver.find_elements("css selector", ".gap.cand")
    toml = driver.execute_script("return window.bookbuildReview.answersToml()")
    assert tomllib.loads(toml) == {"scene_breaks_add": [], "scene_breaks_remove": []}


def test_keys_with_quotes_and_backslashes_survive_the_page(tmp_path, browser):
    filler = " ".join(["The rain kept on over the valley and the mill wheel turned."] * 12)
    odd = 'He wrote "C:\\new\\table" on the \\ board, and said "don\'t".'
    path = tmp_path / "story.txt"
    path.write_text("\n\n".join([filler, filler, odd, filler, filler]) + "\n", encoding="utf-8")
    config = tmp_path / "book.toml"
    page = tmp_path / "review.html"
    CliRunner().invoke(main, ["review", str(path), "--config", str(config), "--html", "-o", str(page)])
    target = next(b for b in load_story(path, config).boundaries if "table" in b.key)
    browser.get(page)
    button = browser.driver.find_element("id", f"gap-{target.number}")
    browser.driver.execute_script("arguments[0].click()", button)
    answers = tmp_path / "answers.toml"
    answers.write_text(browser.driver.execute_script("return window.bookbuildReview.answersToml()"), encoding="utf-8")
    assert target.key in tomllib.loads(answers.read_text(encoding="utf-8"))["scene_breaks_add"]
    run = CliRunner().invoke(main, ["review", str(path), "--config", str(config), "--apply", str(answers)])
    assert run.exit_code == 0, run.output
    assert target.key in tomllib.loads(config.read_text(encoding="utf-8"))["overrides"]["scene_breaks_add"]


def test_the_page_never_replaces_a_file_it_did_not_write(tmp_path):
    """Hostile hunt, round 2: ``review --html -o story.txt`` replaced the manuscript with the page."""
    source = story(tmp_path)
    manuscript = source.read_bytes()
    notes = tmp_path / "notes.html"
    notes.write_text("<html><title>my notes</title></html>", encoding="utf-8")
    for target in (source, notes):
        run = CliRunner().invoke(main, ["review", str(source), "--html", "-o", str(target)])
        assert run.exit_code == 1 and run.stderr.startswith("bookbuild: error: refusing to overwrite"), run.output
    assert source.read_bytes() == manuscript
    assert notes.read_text(encoding="utf-8") == "<html><title>my notes</title></html>"
    page = tmp_path / "page.html"
    for _ in range(2):  # its own page it replaces
        run = CliRunner().invoke(main, ["review", str(source), "--html", "-o", str(page)])
        assert run.exit_code == 0, run.output
