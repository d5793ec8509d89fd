"""Bad input through the CLI: each one a single clear line and exit 1, never a traceback."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.config import BuildConfig, config_from_toml, read_book_toml
from bookbuild.errors import ConfigError, InputError
from bookbuild.readers import cover_path, read_source

STORY = "It was a dark night.\n\nThe rain fell on the empty city.\n"
def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 12), (90, 20, 20)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()  # a real image: the reader decodes a cover to refuse a corrupt one for every format


def run(*args: str):
    result = CliRunner().invoke(main, ["build", *args, "--format", "epub"])
    return result


def assert_one_line_error(result, pattern: str) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("bookbuild: error: ")]
    assert len(errors) == 1 and pattern in errors[0], result.stderr
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return errors[0]


def folder_book(tmp_path: Path, toml: str, files: dict[str, bytes | str] | None = None) -> Path:
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "book.toml").write_text(toml, encoding="utf-8")
    for name, content in (files or {"story.txt": STORY}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return folder


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt is empty"),
        ("blank.txt", b"  \r\n\t\n", "blank.txt is empty"),
        ("bom.txt", b"\xef\xbb\xbf", "bom.txt is empty"),
        ("invisible.txt", "\u200b\u200b".encode(), "invisible.txt has no text"),
        ("binary.txt", b"\x00\x01\x02\x03" * 100, "looks like a binary file"),
        ("story.docx", b"PK\x03\x04 not really", "story.docx is not a readable Word document"),
        ("story.pdf", b"%PDF-1.4", "story.pdf is a PDF"),
        ("story.odt", b"PK\x03\x04 not really", "story.odt is an OpenDocument text"),
        ("story.html", b"<html><body><script>x()</script></body></html>", "story.html has no text"),
        ("renamed.txt", b"PK\x03\x04\x14\x00", "renamed.txt is a zip archive"),
        ("photo.md", PNG, "photo.md is a PNG image"),
    ],
)
def test_bad_manuscript_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_one_line_error(run(str(path), "-o", str(tmp_path / "out")), message)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_missing_path(tmp_path: Path) -> None:
    assert_one_line_error(run(str(tmp_path / "nope.txt")), "no such file or folder")


def test_folder_with_no_manuscript(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Readme\n")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    assert_one_line_error(run(str(tmp_path)), "has no manuscript (.txt or .md files")


def test_folder_of_empty_files(tmp_path: Path) -> None:
    (tmp_path / "1.txt").write_text("")
    (tmp_path / "2.txt").write_text("\n\n")
    assert_one_line_error(run(str(tmp_path)), "has no text")


def test_an_empty_chapter_file_in_a_folder_is_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "1.txt").write_text(STORY)
    (tmp_path / "2.txt").write_text("")
    result = run(str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert "skipped 2.txt: 2.txt is empty" in result.stderr


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(STORY)
    if os.geteuid() != 0:
        path.chmod(0)
    else:  # root reads anything: make the read itself fail as it would for a user
        original = Path.read_bytes

        def refuse(self: Path) -> bytes:
            if self.name == "locked.txt":
                raise PermissionError(13, "Permission denied", str(self))
            return original(self)

        monkeypatch.setattr(Path, "read_bytes", refuse)
    assert_one_line_error(run(str(path)), "cannot read")


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert_one_line_error(run(str(fifo)), "not a regular file")
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    # --config naming a FIFO blocked on the read (found by hand)
    assert_one_line_error(run(str(story), "--config", str(fifo)), "pipe.txt is not a regular file")


def test_unknown_suffix_is_read_as_text_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "story.fic"
    path.write_text(STORY)
    result = run(str(path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert "read story.fic as plain text (unknown type '.fic')" in result.stderr


def test_malformed_book_toml_names_line_and_column(tmp_path: Path) -> None:
    folder = folder_book(tmp_path, 'title = "Night"\nauthor = \n')
    message = assert_one_line_error(run(str(folder)), "line 2, column 10")
    assert "book.toml" in message


def test_book_toml_that_is_not_utf8(tmp_path: Path) -> None:
    folder = folder_book(tmp_path, "")
    (folder / "book.toml").write_bytes('title = "Caf\xe9"'.encode("latin-1"))
    assert_one_line_error(run(str(folder)), "is not UTF-8 text")


def test_book_toml_wrong_types(tmp_path: Path) -> None:
    folder = folder_book(tmp_path, 'title = ["a", "b"]\n')
    assert_one_line_error(run(str(folder)), "'title' must be a string")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('notes = "sideways"', "'notes' must be one of keep, end, drop"),
        ("drop_caps = \"yes\"", "'drop_caps' must be true or false"),
        ('book = "x"', "'book' must be a table"),
        ("[overrides]\nnotes_add = 3", "'overrides.notes_add' must be a string or a list of strings"),
    ],
)
def test_book_toml_bad_values(tmp_path: Path, toml: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config_from_toml(__import__("tomllib").loads(toml))


def test_unknown_key_warns_with_the_nearest_known_one(tmp_path: Path) -> None:
    folder = folder_book(tmp_path, 'titel = "Night"\n[book]\nauthr = "Me"\n')
    result = run(str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert "unknown key 'titel' (did you mean 'title'?)" in result.stderr
    assert "unknown key 'book.authr' (did you mean 'author'?)" in result.stderr


def test_unknown_key_warning_from_the_library() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        config_from_toml({"scene_brakes": "auto"})
    assert [str(w.message) for w in caught] == ["book.toml: unknown key 'scene_brakes' (did you mean 'scene_breaks'?)"]


@pytest.mark.parametrize(
    ("toml", "files", "message"),
    [
        ('files = ["one.txt", "two.txt"]', {"one.txt": STORY}, "lists 'two.txt', which does not exist"),
        ('files = ["../outside.txt"]', {"one.txt": STORY}, "'../outside.txt' is outside the book folder"),
        ('files = ["one.txt", "./one.txt"]', {"one.txt": STORY}, "lists 'one.txt' twice (as 'one.txt' and './one.txt')"),
        ('cover = "cover.jpg"', None, "cover image 'cover.jpg' not found"),
        ('cover = "../cover.png"', None, "is outside the book folder"),
        ('cover = "/etc/passwd"', None, "is outside the book folder"),
        ('cover = "http://example.com/c.png"', None, "not a URL"),
        ('cover = "story.txt"', None, "is not a PNG, JPEG, GIF or WebP image"),
    ],
)
def test_folder_settings_that_point_at_nothing(tmp_path: Path, toml: str, files, message: str) -> None:
    folder = folder_book(tmp_path, toml, files)
    (tmp_path / "cover.png").write_bytes(PNG)
    assert_one_line_error(run(str(folder)), message)


def test_a_good_cover_passes(tmp_path: Path) -> None:
    folder = folder_book(tmp_path, 'cover = "art/cover.png"', {"story.txt": STORY, "art/cover.png": PNG})
    cfg = config_from_toml(read_book_toml(folder / "book.toml")).with_changes(config_path=folder / "book.toml")
    assert cover_path(folder, cfg) == (folder / "art" / "cover.png").resolve()


def test_reader_errors_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_source(tmp_path / "missing.txt", BuildConfig())


def test_output_folder_that_cannot_be_created(tmp_path: Path) -> None:
    source = tmp_path / "story.txt"
    source.write_text(STORY)
    blocker = tmp_path / "file"
    blocker.write_text("I am a file, not a folder")
    assert_one_line_error(run(str(source), "-o", str(blocker / "out")), "cannot create")
    # -o naming an existing file said "File exists" (found by hand)
    assert_one_line_error(run(str(source), "-o", str(blocker)), "a file is in the way")
    assert blocker.read_text() == "I am a file, not a folder"


def test_an_unexpected_failure_is_still_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug (here a RecursionError, as deep <b> nesting once raised) is one line, not a traceback."""
    from bookbuild import pipeline

    def explode(source, cfg):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pipeline, "build", explode)
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    line = assert_one_line_error(run(str(story), "-o", str(tmp_path / "out")), "internal error: RecursionError")
    assert "please report it" in line


def test_unreadable_file_is_bookbuilds_own_error_not_clicks_usage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """click's own readability check printed a usage message and exit 2 (found by hand as a user)."""
    path = tmp_path / "locked.txt"
    path.write_text(STORY)
    original = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if str(p).endswith("locked.txt") else original(p, mode, **kw))
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(PermissionError(13, "Permission denied", str(self))))
    for command in ("build", "inspect", "review"):
        result = CliRunner().invoke(main, [command, str(path)])
        assert_one_line_error(result, "cannot read")


def test_a_folder_without_search_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Looking for book.toml in a folder one may not enter raised PermissionError (an internal error)."""
    path = tmp_path / "closed" / "story.txt"
    original = Path.is_dir

    def refuse(self: Path) -> bool:
        if "closed" in self.parts:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "is_dir", refuse)
    assert_one_line_error(run(str(path)), f"cannot read {path}: permission denied")


def test_a_path_longer_than_the_system_allows_is_one_line(tmp_path):
    """Hostile hunt, round 2: a manuscript path past PATH_MAX raised "File name too long" from the
    book.toml lookup, an internal error."""
    path = tmp_path.joinpath(*(["y" * 250] * 20), "story.txt")
    result = run(str(path), "-o", str(tmp_path / "out"))
    line = assert_one_line_error(result, "name too long")
    assert "internal error" not in line
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    line = assert_one_line_error(run(str(story), "-o", str(tmp_path.joinpath(*(["o" * 250] * 20)))), "name too long")
    assert "internal error" not in line
