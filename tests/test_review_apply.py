"""``review --apply``: an answers file merged into book.toml, with the keys review itself writes."""

from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.review import load_story
from tests.review_support import epub_breaks, opens_with, story


def _apply(source, config, answers):
    return CliRunner().invoke(main, ["review", str(source), "--config", str(config), "--apply", str(answers)])


def test_apply_merges_answers_and_a_build_follows_them(tmp_path):
    source = story(tmp_path)
    config = tmp_path / "book.toml"
    config.write_text('title = "Mornings"  # mine\n', encoding="utf-8")
    listed = load_story(source, config)
    free = next(b for b in listed.boundaries if b.rank is None)
    no = listed.candidates()[0]
    answers = tmp_path / "answers.toml"
    answers.write_text(
        f"scene_breaks_add = [{free.key!r}]\nscene_breaks_remove = [{no.key!r}]\n".replace("'", '"'),
        encoding="utf-8",
    )
    run = _apply(source, config, answers)
    assert run.exit_code == 0, run.output
    assert "applied 1 break(s) and 1 no-break answer(s)" in run.output
    saved = tomllib.loads(config.read_text(encoding="utf-8"))
    assert saved["title"] == "Mornings" and config.read_text(encoding="utf-8").startswith('title = "Mornings"  # mine')
    assert saved["overrides"] == {"scene_breaks_add": [free.key], "scene_breaks_remove": [no.key]}
    answered = {b.number: b.answer for b in load_story(source, config).boundaries if b.answer is not None}
    assert answered == {free.number: True, no.number: False}
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["build", str(source), "--config", str(config), "-o", str(out), "--format", "epub"])
    assert run.exit_code == 0, run.output
    [after] = epub_breaks(next(out.glob("*.epub")))
    assert opens_with(after, free.key)


def test_applying_twice_changes_nothing(tmp_path):
    source = story(tmp_path)
    config = tmp_path / "book.toml"
    key = load_story(source, config).candidates()[0].key
    answers = tmp_path / "answers.toml"
    answers.write_text(f'scene_breaks_add = ["{key}"]\n', encoding="utf-8")
    _apply(source, config, answers)
    first = config.read_text(encoding="utf-8")
    _apply(source, config, answers)
    assert config.read_text(encoding="utf-8") == first


@pytest.mark.parametrize(
    "text, message",
    [
        ("scene_breaks_add = [", "is not an answers file"),
        ('scene_breaks_add = "one"\n', "must be a list of strings"),
        ('scene_breaks_add = ["Nothing in this story opens like this"]\n', "name no paragraph boundary"),
        # hostile hunt, round 2: a TOML file of other keys (or an empty one) "applied 0 break(s)"
        ('[answers]\n"Paragraph one" = true\n', "holds no answers"),
        ("", "holds no answers"),
    ],
)
def test_a_bad_answers_file_is_one_clear_line_and_nothing_is_written(tmp_path, text, message):
    source = story(tmp_path)
    config = tmp_path / "book.toml"
    config.write_text("# mine\n", encoding="utf-8")
    answers = tmp_path / "answers.toml"
    answers.write_text(text, encoding="utf-8")
    run = _apply(source, config, answers)
    assert run.exit_code == 1 and message in run.stderr and "Traceback" not in run.output
    assert config.read_text(encoding="utf-8") == "# mine\n"


def test_a_missing_answers_file_is_one_clear_line(tmp_path):
    source = story(tmp_path)
    run = _apply(source, tmp_path / "book.toml", tmp_path / "nowhere.toml")
    assert run.exit_code == 1 and run.stderr.startswith("bookbuild: error: cannot read")


def test_html_and_apply_together_is_a_usage_error(tmp_path):
    source = story(tmp_path)
    run = CliRunner().invoke(main, ["review", str(source), "--html", "--apply", "a.toml"])
    assert run.exit_code == 2


def test_an_answers_file_that_is_a_fifo_is_refused_without_blocking(tmp_path):
    """Hostile hunt, round 2: ``--apply`` a FIFO waited forever for a writer."""
    import os
    import threading

    source = story(tmp_path)
    fifo = tmp_path / "answers.toml"
    os.mkfifo(fifo)
    done = []
    worker = threading.Thread(target=lambda: done.append(_apply(source, tmp_path / "book.toml", fifo)), daemon=True)
    worker.start()
    worker.join(30)
    if worker.is_alive():  # release the blocked read, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(5)
        pytest.fail("reading the answers blocked on a FIFO")
    assert done[0].exit_code == 1 and "is not a regular file" in done[0].stderr
