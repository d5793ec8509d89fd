"""``bookbuild review``: the book.toml merge keeps the user's file intact, and the CLI walk works."""

from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from bookbuild import review
from bookbuild.cli import main
from bookbuild.errors import ConfigError, OutputError
from bookbuild.review import Answers, merged_overrides, save_answers
from bookbuild.structure.overrides import phrase_matches

USER_FILE = r"""title = "The End"  # kept
author = "Someone"

[overrides]
# my notes
notes_add = ["Thanks for reading"]
scene_breaks_add = [
  "Old [bracketed] start", # a comment
  "It's \"quoted\" \\ here",
]

[build]
trim = "6x9"
"""


def test_merge_into_an_empty_file_creates_the_table():
    merged = merged_overrides("", Answers(accepted=("Three weeks later",), rejected=("He sat",)))
    assert tomllib.loads(merged)["overrides"] == {
        "scene_breaks_add": ["Three weeks later"],
        "scene_breaks_remove": ["He sat"],
    }


def test_merge_keeps_other_keys_tables_and_comments():
    merged = merged_overrides(
        USER_FILE, Answers(accepted=("New start",), rejected=("Old [bracketed] start",))
    )
    data = tomllib.loads(merged)
    assert data["title"] == "The End" and data["build"] == {"trim": "6x9"}
    assert data["overrides"]["notes_add"] == ["Thanks for reading"]
    assert data["overrides"]["scene_breaks_add"] == ['It\'s "quoted" \\ here', "New start"]
    assert data["overrides"]["scene_breaks_remove"] == ["Old [bracketed] start"]
    assert "# my notes" in merged and "# kept" in merged


def test_merge_refuses_overrides_it_cannot_edit_in_place():
    with pytest.raises(ConfigError):
        merged_overrides('[book]\noverrides = { notes_add = ["x"] }\n', Answers(accepted=("A",)))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(min_size=1, max_size=30), max_size=4),
    st.lists(st.text(min_size=1, max_size=30), max_size=4),
)
def test_any_text_round_trips_through_the_writer(accepted, rejected):
    rejected = [r for r in rejected if r not in accepted]
    merged = merged_overrides(USER_FILE, Answers(tuple(accepted), tuple(rejected)))
    overrides = tomllib.loads(merged)["overrides"]
    assert set(accepted) <= set(overrides["scene_breaks_add"])
    assert set(rejected) <= set(overrides.get("scene_breaks_remove", []))


def test_a_read_only_folder_is_one_clear_error(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(review.tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError, match="read-only"):
        save_answers(tmp_path / "book.toml", Answers(accepted=("A",)))


def _manuscript(tmp_path):
    filler = " ".join(["The rain kept on over the valley and the mill wheel turned in the water."] * 10)
    paragraphs = [
        filler,
        filler,
        "He slept.",
        "The next morning the baroness came back to town.",
        filler,
        filler,
    ]
    path = tmp_path / "story.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def test_review_walks_the_list_and_writes_book_toml_beside_the_file(tmp_path):
    story = _manuscript(tmp_path)
    run = CliRunner().invoke(main, ["review", str(story)], input="a\ns\n")
    assert run.exit_code == 0, run.output
    saved = tomllib.loads((tmp_path / "book.toml").read_text(encoding="utf-8"))["overrides"]
    assert len(saved["scene_breaks_add"]) == 1
    again = CliRunner().invoke(main, ["review", str(story)], input="s\n")
    assert again.exit_code == 0
    assert saved["scene_breaks_add"][0] not in again.output  # decided candidates are not asked again


def test_review_honours_config_path(tmp_path):
    story = _manuscript(tmp_path)
    target = tmp_path / "elsewhere.toml"
    run = CliRunner().invoke(main, ["review", str(story), "--config", str(target)], input="r\ns\n")
    assert run.exit_code == 0, run.output
    assert tomllib.loads(target.read_text(encoding="utf-8"))["overrides"]["scene_breaks_remove"]
    assert not (tmp_path / "book.toml").exists()


@pytest.mark.parametrize("answers, saved", [("", 0), ("a\n", 1)])
def test_review_with_input_ending_early_saves_what_was_answered(tmp_path, answers, saved):
    """A closed standard input (review < /dev/null, a script) printed click's bare "Aborted!"."""
    story = _manuscript(tmp_path)
    run = CliRunner().invoke(main, ["review", str(story)], input=answers)
    errors = [line for line in run.stderr.splitlines() if line.startswith("bookbuild: error: ")]
    assert run.exit_code == 1 and len(errors) == 1 and f"{saved} answer(s) saved" in errors[0], run.output
    assert "Aborted" not in run.output and (tmp_path / "book.toml").exists() == bool(saved)


def test_an_accepted_key_names_one_paragraph_though_another_opens_alike(tmp_path):
    filler = " ".join(["The rain kept on over the valley and the mill wheel turned in the water."] * 10)
    twins = [
        "The next morning the baroness came back to town with her new hat and the dog.",
        "The next morning the baroness came back to town with nothing but a letter.",
    ]
    paragraphs = [filler, "He slept.", twins[0], filler, filler, "She slept.", twins[1], filler, filler]
    story = tmp_path / "story.txt"
    story.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    run = CliRunner().invoke(main, ["review", str(story)], input="a\ns\n")
    assert run.exit_code == 0, run.output
    [key] = tomllib.loads((tmp_path / "book.toml").read_text(encoding="utf-8"))["overrides"]["scene_breaks_add"]
    assert sum(phrase_matches(p, key) for p in paragraphs) == 1
    again = CliRunner().invoke(main, ["review", str(story)], input="s\n")
    first_asked = again.output.split("* * *", 1)[1].splitlines()[1].strip()
    assert not phrase_matches(key, first_asked.removesuffix("…").strip())
