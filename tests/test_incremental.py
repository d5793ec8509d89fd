"""A rebuild after an edit reuses what it can, and gives exactly the files a build from nothing gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.writers.pdf import parallel as pdf_parallel

from .pdf_support import one_section_a_part  # noqa: F401 (an autouse fixture: every chapter is a part)

SAMPLE = Path(__file__).resolve().parent.parent / "manuscript"
EPOCH = "1700000000"
pytestmark = pytest.mark.slow

# A fourth chapter with a footnote, an author's note and no scene-break marker: notes are numbered
# across files, the author's note is found (and remembered between builds), breaks are inferred.
EXTRA = """# Chapter 4: The Last Lamp

The last lamp on the Spine had never been lit, or so the ledger said.[^1] Oren stood under it a long while.

"Well," said Mistress Abbot, "go on, then."

He lifted the pole. The wick took the flame the way a sleeper takes a breath.

Far below, the river carried the light away in pieces.

A/N: Thank you all for reading! This was so much fun to write, and your comments make my day.

[^1]: The ledger was wrong about a great many things, as it turned out.
"""


@pytest.fixture
def book(tmp_path, monkeypatch):
    """The sample book with a fourth chapter, in a folder of its own, rendered in parts."""
    folder = tmp_path / "book"
    shutil.copytree(SAMPLE, folder)
    (folder / "04-last-lamp.md").write_text(EXTRA, encoding="utf-8")
    toml = folder / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"03-morning.md"]', '"03-morning.md", "04-last-lamp.md"]'),
                    encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("BOOKBUILD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(pdf_parallel, "MIN_WORDS", 0)  # a short book still goes through the parts
    monkeypatch.setattr(pdf_parallel, "_temporary", None)  # --no-cache starts from nothing
    return folder


def _build(source: Path, out: Path, *flags: str) -> dict[str, bytes]:
    done = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "-q", *flags])
    assert done.exit_code == 0, done.output
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_after_an_edit_gives_the_bytes_of_a_build_from_nothing(book, tmp_path):
    first = _build(book, tmp_path / "cached")
    _edit(book, "02-the-unlisted-light.md", "the old woman and the boy", "the old woman and the young boy")
    rebuilt = _build(book, tmp_path / "cached")
    fresh = _build(book, tmp_path / "fresh", "--no-cache")
    assert sorted(rebuilt) == sorted(fresh) and {Path(n).suffix for n in fresh} == {".epub", ".pdf"}
    for name in fresh:
        assert rebuilt[name] == fresh[name], f"{name} differs from a build with no cache"
    assert all(rebuilt[name] != first[name] for name in fresh)  # the edit reached both files


def test_a_rebuild_after_a_footnote_and_a_new_chapter_gives_the_same_bytes(book, tmp_path):
    _build(book, tmp_path / "cached")
    # A footnote added before chapter 4's moves its note's number; a fifth file shifts nothing before it.
    _edit(book, "03-morning.md", ".\n\n", ". A word of warning.[^w]\n\n[^w]: Added later.\n\n")
    (book / "05-coda.md").write_text("# Coda\n\nAnd that was the last of it.\n", encoding="utf-8")
    toml = book / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"04-last-lamp.md"]', '"04-last-lamp.md", "05-coda.md"]'),
                    encoding="utf-8")
    rebuilt = _build(book, tmp_path / "cached")
    fresh = _build(book, tmp_path / "fresh", "--no-cache")
    for name in fresh:
        assert rebuilt[name] == fresh[name], f"{name} differs from a build with no cache"


def test_one_build_lays_the_parts_out_once(book, tmp_path, monkeypatch):
    calls = tmp_path / "calls.txt"  # a file: the print edition is laid out in a forked process
    real = pdf_parallel._laid_out

    def counted(*args):
        with calls.open("a", encoding="utf-8") as out:
            out.write("laid out\n")
        return real(*args)

    monkeypatch.setattr(pdf_parallel, "_laid_out", counted)
    _build(book, tmp_path / "out")
    assert calls.read_text(encoding="utf-8").splitlines() == ["laid out"]  # the page list and the PDF share it
