"""The one book.toml writer: mode and owner kept, symlink followed, comments and order kept, atomic."""

from __future__ import annotations

import os
import stat
import tempfile
import tomllib

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from bookbuild import booktoml
from bookbuild.booktoml import save_scene_breaks
from bookbuild.cli import main
from bookbuild.errors import ConfigError, OutputError
from tests.review_support import story

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


def _overrides(path):
    return tomllib.loads(path.read_text(encoding="utf-8"))["overrides"]


def test_answers_land_in_the_lists_and_everything_else_stays(tmp_path):
    path = tmp_path / "book.toml"
    path.write_text(USER_FILE, encoding="utf-8")
    save_scene_breaks(path, {"New start": True, "Old [bracketed] start": False})
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["title"] == "The End" and data["build"] == {"trim": "6x9"}
    assert data["overrides"]["notes_add"] == ["Thanks for reading"]
    assert data["overrides"]["scene_breaks_add"] == ['It\'s "quoted" \\ here', "New start"]
    assert data["overrides"]["scene_breaks_remove"] == ["Old [bracketed] start"]
    # Comments and the order of keys and tables are the user's.
    assert text.startswith('title = "The End"  # kept\nauthor = "Someone"\n\n[overrides]\n# my notes\n')
    assert text.index("[overrides]") < text.index("[build]") and text.endswith('[build]\ntrim = "6x9"\n')


def test_forgetting_an_answer_takes_it_out_of_both_lists(tmp_path):
    path = tmp_path / "book.toml"
    save_scene_breaks(path, {"A": True, "B": False})
    save_scene_breaks(path, {"A": None, "B": None})
    saved = _overrides(path)
    assert saved.get("scene_breaks_add", []) == [] and saved.get("scene_breaks_remove", []) == []


def test_overrides_under_book_or_inline_are_edited_where_they_are(tmp_path):
    path = tmp_path / "book.toml"
    path.write_text('[book]\ntitle = "T"\noverrides = { notes_add = ["x"] }\n', encoding="utf-8")
    save_scene_breaks(path, {"A": True})
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["book"]["overrides"] == {"notes_add": ["x"], "scene_breaks_add": ["A"]}
    assert "overrides" not in data


def test_a_lone_string_becomes_a_list(tmp_path):
    path = tmp_path / "book.toml"
    path.write_text('[overrides]\nscene_breaks_add = "Old"\n', encoding="utf-8")
    save_scene_breaks(path, {"New": True})
    assert _overrides(path)["scene_breaks_add"] == ["Old", "New"]


def test_a_wrong_shape_is_one_clear_error_and_nothing_is_written(tmp_path):
    path = tmp_path / "book.toml"
    path.write_text("overrides = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a table"):
        save_scene_breaks(path, {"A": True})
    assert path.read_text(encoding="utf-8") == "overrides = 3\n"


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664])
def test_the_mode_is_kept(tmp_path, mode):
    path = tmp_path / "book.toml"
    path.write_text(USER_FILE, encoding="utf-8")
    path.chmod(mode)
    save_scene_breaks(path, {"A": True})
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_new_file_gets_the_umask_mode_not_private(tmp_path):
    old = os.umask(0o022)
    try:
        save_scene_breaks(tmp_path / "book.toml", {"A": True})
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "book.toml").stat().st_mode) == 0o644


def test_a_symlink_is_written_through_in_the_targets_own_folder(tmp_path, monkeypatch):
    real_folder = tmp_path / "settings"
    real_folder.mkdir()
    real = real_folder / "shared.toml"
    real.write_text(USER_FILE, encoding="utf-8")
    book = tmp_path / "book"
    book.mkdir()
    link = book / "book.toml"
    link.symlink_to(os.path.relpath(real, book))
    folders = []
    made = tempfile.mkstemp

    def record(*args, **kwargs):
        folders.append(kwargs.get("dir"))
        return made(*args, **kwargs)

    monkeypatch.setattr(booktoml.tempfile, "mkstemp", record)
    save_scene_breaks(link, {"A": True})
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert "A" in _overrides(real)["scene_breaks_add"]
    assert [os.path.realpath(f) for f in folders] == [os.path.realpath(real_folder)]
    assert sorted(p.name for p in book.iterdir()) == ["book.toml"]


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "book.toml"
    path.write_text(USER_FILE, encoding="utf-8")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(booktoml.os, "replace", fail)
    with pytest.raises(OutputError, match="No space left"):
        save_scene_breaks(path, {"A": True})
    assert path.read_text(encoding="utf-8") == USER_FILE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.toml"]


def test_a_read_only_folder_is_one_clear_error(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(booktoml.tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError, match="read-only"):
        save_scene_breaks(tmp_path / "book.toml", {"A": True})


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(min_size=1, max_size=30), max_size=4, unique=True),
    st.lists(st.text(min_size=1, max_size=30), max_size=4, unique=True),
)
def test_any_text_round_trips_through_the_writer(accepted, rejected):
    rejected = [r for r in rejected if r not in accepted]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "book.toml")
        with open(path, "w", encoding="utf-8") as out:
            out.write(USER_FILE)
        save_scene_breaks(path, {**{k: True for k in accepted}, **{k: False for k in rejected}})
        with open(path, "rb") as handle:
            overrides = tomllib.load(handle)["overrides"]
    assert set(accepted) <= set(overrides["scene_breaks_add"])
    assert set(rejected) <= set(overrides.get("scene_breaks_remove", []))
    assert not set(accepted) & set(overrides.get("scene_breaks_remove", []))


def test_review_keeps_a_symlinked_book_toml_and_its_mode(tmp_path):
    """issue 15: review rewrote book.toml with mode 600 and replaced a symlink with a file."""
    source = story(tmp_path)
    real = tmp_path / "real.toml"
    real.write_text("# mine\n", encoding="utf-8")
    real.chmod(0o644)
    (tmp_path / "book.toml").symlink_to("real.toml")
    run = CliRunner().invoke(main, ["review", str(source)], input="y\nq\n")
    assert run.exit_code == 0, run.output
    assert (tmp_path / "book.toml").is_symlink()
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    assert real.read_text(encoding="utf-8").startswith("# mine\n") and _overrides(real)["scene_breaks_add"]
