"""``bookbuild review`` on a terminal: driven through standard input, each answer saved at once."""

from __future__ import annotations

import re
import tomllib

import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.review import load_story
from bookbuild.structure.overrides import phrase_matches


def _manuscript(tmp_path):
    filler = " ".join(["The rain kept on over the valley and the mill wheel turned in the water."] * 20)
    paragraphs = [filler, filler, "He slept.", "The next morning the baroness came back to town.", filler, filler]
    path = tmp_path / "story.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def _overrides(path):
    return tomllib.loads(path.read_text(encoding="utf-8")).get("overrides", {})


def _review(story, answers, *options):
    return CliRunner().invoke(main, ["review", str(story), *options], input=answers)


def _asked(output: str) -> list[str]:
    """The 'N of M' headings of the candidates shown, in order."""
    return re.findall(r"╭─ (\d+ of \d+) ·", output)


def test_each_candidate_shows_context_position_and_confidence(tmp_path):
    story = _manuscript(tmp_path)
    listed = load_story(story).candidates()
    run = _review(story, "q\n")
    assert run.exit_code == 0, run.output
    first = listed[0]
    assert f"1 of {len(listed)}" in run.output and f"confidence {first.confidence:.2f}" in run.output
    assert "Chapter 1" in run.output
    assert "He slept." in run.output  # the line before the first candidate
    assert "The next morning the baroness" in run.output  # the line after it


def test_yes_and_no_are_saved_to_book_toml_beside_the_file(tmp_path):
    story = _manuscript(tmp_path)
    listed = load_story(story).candidates()
    run = _review(story, "y\nn\nq\n")
    assert run.exit_code == 0, run.output
    saved = _overrides(tmp_path / "book.toml")
    assert saved["scene_breaks_add"] == [listed[0].key]
    assert saved["scene_breaks_remove"] == [listed[1].key]


def test_back_takes_the_last_answer_back_and_asks_again(tmp_path):
    story = _manuscript(tmp_path)
    listed = load_story(story).candidates()
    run = _review(story, "y\nn\nb\nb\nn\nq\n")
    assert run.exit_code == 0, run.output
    assert len(listed) >= 3
    total = len(listed)
    assert _asked(run.output) == [f"{n} of {total}" for n in (1, 2, 3, 2, 1, 2)]
    saved = _overrides(tmp_path / "book.toml")
    assert saved.get("scene_breaks_add") == [] and saved["scene_breaks_remove"] == [listed[0].key]


def test_skip_leaves_a_candidate_unanswered_and_a_rerun_resumes(tmp_path):
    story = _manuscript(tmp_path)
    listed = load_story(story).candidates()
    assert len(listed) >= 3
    first = _review(story, "y\ns\nq\n")
    assert first.exit_code == 0, first.output
    assert f"{len(listed) - 1} candidate(s) still unanswered" in first.output
    again = _review(story, "q\n")
    # The answered one is not asked again; the skipped one is still on the list.
    left = [b for b in load_story(story).candidates() if b.answer is None]
    assert _asked(again.output) == [f"1 of {len(left)}"]
    assert listed[0].key not in {b.key for b in left} and listed[1].key in {b.key for b in left}
    assert "still unanswered" in again.output
    revisit = _review(story, "q\n", "--all")
    assert f"1 of {len(listed)}" in revisit.output and "answered: yes, a scene break" in revisit.output


def test_all_can_change_an_answer(tmp_path):
    story = _manuscript(tmp_path)
    listed = load_story(story).candidates()
    _review(story, "y\nq\n")
    run = _review(story, "n\nq\n", "--all")
    assert run.exit_code == 0, run.output
    saved = _overrides(tmp_path / "book.toml")
    assert listed[0].key in saved["scene_breaks_remove"] and listed[0].key not in saved["scene_breaks_add"]


def test_review_honours_config_path(tmp_path):
    story = _manuscript(tmp_path)
    target = tmp_path / "elsewhere.toml"
    run = _review(story, "n\nq\n", "--config", str(target))
    assert run.exit_code == 0, run.output
    assert _overrides(target)["scene_breaks_remove"]
    assert not (tmp_path / "book.toml").exists()


@pytest.mark.parametrize("answers, saved", [("", 0), ("y\n", 1), ("y\nn\n", 2)])
def test_input_ending_early_loses_no_answer(tmp_path, answers, saved):
    """End of input (or Ctrl-C) mid-review: one clear line, and every answer given is already saved."""
    story = _manuscript(tmp_path)
    listed = load_story(story).candidates()
    run = _review(story, answers)
    errors = [line for line in run.stderr.splitlines() if line.startswith("bookbuild: error: ")]
    assert run.exit_code == 1 and len(errors) == 1, run.output
    assert f"{len(listed) - saved} candidate(s) unanswered" in errors[0]
    assert (f"the {saved} answer(s) given are saved" if saved else "nothing was written") in errors[0]
    assert "Aborted" not in run.output and "Traceback" not in run.output
    book = tmp_path / "book.toml"
    answered = _overrides(book) if book.exists() else {}
    assert len(answered.get("scene_breaks_add", [])) + len(answered.get("scene_breaks_remove", [])) == saved


def test_an_interrupt_after_an_answer_keeps_it(tmp_path, monkeypatch):
    """Ctrl-C arrives as KeyboardInterrupt inside the prompt; the answer before it is on disk."""
    import click

    story = _manuscript(tmp_path)
    said = iter(["y"])

    def prompt(*args, **kwargs):
        try:
            return next(said)
        except StopIteration:
            raise click.exceptions.Abort() from KeyboardInterrupt()

    monkeypatch.setattr(click, "prompt", prompt)
    run = _review(story, "")
    assert run.exit_code == 1
    assert len(_overrides(tmp_path / "book.toml")["scene_breaks_add"]) == 1


def test_an_unknown_key_asks_again(tmp_path):
    story = _manuscript(tmp_path)
    run = _review(story, "maybe\nq\n")
    assert run.exit_code == 0 and "Please answer y, n, s, b or q." in run.output


def test_an_accepted_key_names_one_paragraph_though_another_opens_alike(tmp_path):
    filler = " ".join(["The rain kept on over the valley and the mill wheel turned in the water."] * 10)
    twins = [
        "The next morning the baroness came back to town with her new hat and the dog.",
        "The next morning the baroness came back to town with nothing but a letter.",
    ]
    paragraphs = [filler, "He slept.", twins[0], filler, filler, "She slept.", twins[1], filler, filler]
    story = tmp_path / "story.txt"
    story.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    listed = load_story(story).candidates()
    run = _review(story, "y\nq\n")
    assert run.exit_code == 0, run.output
    [key] = _overrides(tmp_path / "book.toml")["scene_breaks_add"]
    assert key == listed[0].key and sum(phrase_matches(p, key) for p in paragraphs) == 1
    again = load_story(story)
    assert [b.answer for b in again.boundaries if b.key == key] == [True]
    assert sum(1 for b in again.boundaries if b.answer is not None) == 1


def test_a_yes_overrules_an_older_remove_naming_the_same_paragraph(tmp_path):
    story = _manuscript(tmp_path)
    listed = load_story(story).candidates()
    short = " ".join(listed[0].key.split()[:3])
    (tmp_path / "book.toml").write_text(f'[overrides]\nscene_breaks_remove = ["{short}"]\n', encoding="utf-8")
    run = _review(story, "y\nq\n", "--all")
    assert run.exit_code == 0, run.output
    saved = _overrides(tmp_path / "book.toml")
    assert saved["scene_breaks_add"] == [listed[0].key] and short not in saved["scene_breaks_remove"]


def test_real_standard_input_drives_the_review(tmp_path):
    """Through a pipe, as a script or `printf ... | bookbuild review` would, not click's test runner."""
    import subprocess
    import sys

    story = _manuscript(tmp_path)
    listed = load_story(story).candidates()
    run = subprocess.run(
        [sys.executable, "-m", "bookbuild", "review", str(story)],
        input="n\ny\nq\n", capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    saved = _overrides(tmp_path / "book.toml")
    assert saved["scene_breaks_remove"] == [listed[0].key] and saved["scene_breaks_add"] == [listed[1].key]
    assert "Saved 2 answer(s)" in run.stdout
