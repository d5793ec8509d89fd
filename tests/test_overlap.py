"""The print edition written beside the e-book (a forked process): the same files, warnings and failures as one after the other."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bookbuild import writers
from bookbuild.config import BuildConfig
from bookbuild.errors import OutputError
from bookbuild.pipeline import build
from bookbuild.writers import beside
from bookbuild.writers.pdf import parallel as pdf_parallel

SAMPLE = Path(__file__).resolve().parent.parent / "manuscript"
pytestmark = pytest.mark.slow


@pytest.fixture
def story(tmp_path, monkeypatch):
    """A chapter of the sample book as a story of its own."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(pdf_parallel, "_temporary", None)
    source = tmp_path / "story.md"
    text = (SAMPLE / "01-the-ledger.md").read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    return source


def _build(source: Path, out: Path, serial: bool, monkeypatch, **settings):
    with monkeypatch.context() as patch:
        if serial:
            patch.setattr(beside, "available", lambda: False)
        cfg = BuildConfig(metadata={"title": "Ledger", "author": "W. Hollis"}, outdir=out, use_cache=False, **settings)
        result, written = build(source, cfg)
    return result, {path.name: path.read_bytes() for path in written}


def test_beside_gives_the_serial_builds_files_and_decisions(story, tmp_path, monkeypatch):
    serial, one_by_one = _build(story, tmp_path / "serial", True, monkeypatch)
    forked, beside_files = _build(story, tmp_path / "forked", False, monkeypatch)
    assert list(beside_files) == list(one_by_one) and len(one_by_one) == 2
    for name, data in one_by_one.items():
        assert beside_files[name] == data, f"{name} differs from the one written after the e-book"
    assert [d.rule for d in forked.decisions] == [d.rule for d in serial.decisions]


def test_a_glyph_no_font_has_is_told_from_the_process_that_prints(tmp_path):
    """WeasyPrint logs the glyphs it lacks in the process that lays out; the build still warns (VF001)."""
    dejavu = "/usr/share/fonts/truetype/dejavu"
    if not Path(dejavu).is_dir():
        pytest.skip("needs DejaVu, which fontconfig brings")
    config = tmp_path / "fonts.conf"  # a machine whose only fonts are DejaVu: no Japanese
    config.write_text(f'<?xml version="1.0"?><fontconfig><dir>{dejavu}</dir><cachedir>{tmp_path / "fc"}</cachedir></fontconfig>',
                      encoding="utf-8")
    source = tmp_path / "japanese.txt"
    source.write_text("Title: T\n\nA Japanese word \u65e5\u672c in an English sentence.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "bookbuild", "build", str(source), "-o", str(tmp_path / "out"), "--no-cache"],
                          capture_output=True, text=True, env={**os.environ, "FONTCONFIG_FILE": str(config)}, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("U+65E5") == 1 and "install fonts-noto-cjk" in done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["t.epub", "t.pdf"]


def test_a_print_failure_in_the_child_is_raised_here_and_nothing_is_left(story, tmp_path, monkeypatch):
    def broken(book, target, cfg):
        raise OutputError("cannot write the interior: disk full")

    monkeypatch.setitem(writers.WRITERS, "pdf", (".pdf", broken))
    out = tmp_path / "out"
    with pytest.raises(OutputError, match="disk full"):
        _build(story, out, False, monkeypatch)
    assert not out.exists() or list(out.iterdir()) == []


def test_an_ebook_failure_here_removes_the_print_edition_written_there(story, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OutputError("cannot write the e-book")

    monkeypatch.setitem(writers.WRITERS, "epub", (".epub", writers._with_page_list(broken)))
    out = tmp_path / "out"
    with pytest.raises(OutputError, match="e-book"):
        _build(story, out, False, monkeypatch)
    assert not out.exists() or list(out.iterdir()) == []


class _Bar:
    """A progress bar that records the stages it is shown."""

    def __init__(self) -> None:
        self.stages: dict[int, str] = {}
        self.open: set[int] = set()
        self.steps = 0

    def add_task(self, description, total):
        task = len(self.stages)
        self.stages[task] = description
        self.open.add(task)
        return task

    def advance(self, task):
        assert task in self.open
        self.steps += 1

    def remove_task(self, task):
        self.open.remove(task)

    def refresh(self):
        pass


def test_the_print_editions_stages_are_shown_on_this_processs_bar(story, tmp_path, monkeypatch):
    from bookbuild import progress

    bar = _Bar()
    monkeypatch.setattr(progress, "_active", bar)
    monkeypatch.setattr(pdf_parallel, "MIN_WORDS", 0)  # in parts, so the layout has its stages
    _build(story, tmp_path / "out", False, monkeypatch)
    assert "PDF: laying out sections" in bar.stages.values() and bar.steps > 0
    assert not bar.open  # every stage the child opened was closed


def test_an_ebook_with_a_print_cover_alone_has_no_page_list_either_way(story, tmp_path, monkeypatch):
    """The interior is written for the cover's spine only: the EPUB follows no print edition."""
    settings = {"formats": ("epub",), "cover_pdf": True}
    _serial, one_by_one = _build(story, tmp_path / "serial", True, monkeypatch, **settings)
    _forked, beside_files = _build(story, tmp_path / "forked", False, monkeypatch, **settings)
    assert beside_files == one_by_one
    assert sorted(Path(name).suffix for name in one_by_one) == [".epub", ".pdf", ".pdf"]  # with the interior and cover
