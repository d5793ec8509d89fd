"""Safe output: temporary files renamed into place, all or nothing, the input never touched."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bookbuild import writers
from bookbuild.cli import main
from bookbuild.config import BuildConfig
from bookbuild.errors import OutputError
from bookbuild.pipeline import build

STORY = "It was a dark night.\n\nThe rain fell on the empty city.\n"


def make_source(tmp_path: Path) -> Path:
    source = tmp_path / "story.txt"
    source.write_text(STORY, encoding="utf-8")
    return source


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_dash_o_creates_the_folder(tmp_path: Path) -> None:
    source = make_source(tmp_path)
    outdir = tmp_path / "a" / "b" / "c"
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(outdir), "--format", "epub"])
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in outdir.iterdir()] == ["story.epub"]


def test_a_failing_writer_leaves_every_previous_output_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = make_source(tmp_path)
    cfg = BuildConfig(outdir=tmp_path / "out", formats=("epub", "pdf"))
    build(source, cfg)
    before = snapshot(tmp_path / "out")
    source.write_text(STORY + "\nA new ending.\n", encoding="utf-8")

    def broken_pdf(book, target, cfg):
        target.write_bytes(b"half a PDF")
        raise OutputError("the printer caught fire")

    monkeypatch.setitem(writers.WRITERS, "pdf", (".pdf", broken_pdf))
    with pytest.raises(OutputError, match="caught fire"):
        build(source, cfg)
    # The new EPUB was written and checked, but never renamed over the old one.
    assert snapshot(tmp_path / "out") == before


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = make_source(tmp_path)

    def interrupted(book, target, cfg):
        target.write_bytes(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setitem(writers.WRITERS, "epub", (".epub", interrupted))
    with pytest.raises(KeyboardInterrupt):
        build(source, BuildConfig(outdir=tmp_path / "out", formats=("epub",)))
    assert list((tmp_path / "out").iterdir()) == []


def test_a_failed_check_keeps_the_old_file_and_removes_the_new_one(tmp_path: Path) -> None:
    target = tmp_path / "book.epub"
    target.write_bytes(b"old")

    def refuse(path: Path) -> None:
        assert path.read_bytes() == b"new" and path != target
        raise OutputError("check failed")

    with pytest.raises(OutputError):
        writers.write_atomically(target, lambda path: path.write_bytes(b"new"), set(), check=refuse)
    assert snapshot(tmp_path) == {"book.epub": b"old"}


def test_the_manuscript_is_never_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "chapter.txt").write_text(STORY, encoding="utf-8")
    (folder / "book.epub").write_bytes(b"the writer's own file, in the manuscript folder")
    before = snapshot(folder)
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(folder), "--format", "epub"])
    assert result.exit_code == 1
    # The message said "the manuscript" of a .epub file (found by hand): it names the folder rule and the way out.
    assert "refusing to overwrite" in result.stderr and "manuscript folder" in result.stderr and "-o" in result.stderr
    assert snapshot(folder) == before


def test_building_into_the_manuscript_folder_leaves_the_manuscript_alone(tmp_path: Path) -> None:
    source = make_source(tmp_path)
    _result, written = build(source, BuildConfig(outdir=tmp_path, formats=("epub",)))
    assert source.read_text(encoding="utf-8") == STORY
    assert written == [tmp_path / "story.epub"]


def test_outputs_are_readable_by_everyone(tmp_path: Path) -> None:
    _result, [epub] = build(make_source(tmp_path), BuildConfig(outdir=tmp_path / "out", formats=("epub",)))
    assert epub.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("title, slug", [("日本語のタイトル", "日本語のタイトル"), ("Война и мир", "война-и-мир"), ("???", "book"), ("Café Noir", "cafe-noir")])
def test_titles_in_any_script_name_their_files(title: str, slug: str) -> None:
    """A title ASCII cannot spell gave "book", so two such books replaced each other's file (found by hand)."""
    from bookbuild.writers.common import slugify

    assert slugify(title) == slug
