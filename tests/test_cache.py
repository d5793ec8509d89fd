"""The cache of PDF parts: a rebuild re-renders only what an edit changed, counted by the cache's stats."""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from bookbuild import cache as cache_module
from bookbuild.cache import PartCache
from bookbuild.cli import main
from bookbuild.config import BuildConfig
from bookbuild.model import Paragraph, Text
from bookbuild.writers.pdf.parallel import write_parallel

from .pdf_support import one_section_a_part, sample_book  # noqa: F401 (an autouse fixture)

CFG = BuildConfig(trim="5x8")
pytestmark = pytest.mark.slow


@pytest.fixture
def book():
    return sample_book(chapters=4, paragraphs=7, scene_breaks=1, front_note=False)


def _build(book, folder, **cache_options):
    cache = PartCache(folder / "cache", **cache_options)
    target = folder / "book.pdf"
    write_parallel(book, target, CFG, cache, workers=1)
    cache.close()
    return cache.stats, target


def _edit_chapter(book, index, paragraph):
    """The book with one chapter's first paragraph replaced."""
    section = book.sections[index]
    blocks = (paragraph, *section.blocks[1:])
    sections = list(book.sections)
    sections[index] = dataclasses.replace(section, blocks=blocks)
    return dataclasses.replace(book, sections=tuple(sections))


def _reword(book, index):
    first = book.sections[index].blocks[0]
    text = first.inlines[0].text
    text = text[0].swapcase() + text[1:]  # a typo fixed: one letter, no page more or less
    return _edit_chapter(book, index, Paragraph((Text(text), *first.inlines[1:])))


def test_a_second_build_renders_nothing(book, tmp_path):
    first, _ = _build(book, tmp_path)
    kinds = ("section", "front", "contents", "folios")
    assert first.renders == sum(first.rendered.count(kind) for kind in kinds)
    assert first.rendered.count("section") == len(book.sections)
    again, _ = _build(book, tmp_path)
    assert again.renders == 0 and again.hits > 0


def test_rewording_one_chapter_renders_only_that_chapter(book, tmp_path):
    _build(book, tmp_path)
    stats, target = _build(_reword(book, 2), tmp_path)
    assert stats.rendered == ["section"]
    assert len(PdfReader(target).pages) % 2 == 0


def test_a_chapter_that_grows_renders_itself_and_the_numbers_that_moved(book, tmp_path):
    _stats, first = _build(book, tmp_path)
    first.rename(tmp_path / "first.pdf")
    longer = Paragraph((Text(" ".join(["a sentence that goes on and on."] * 300)),))
    stats, target = _build(_edit_chapter(book, 1, longer), tmp_path)
    assert stats.rendered.count("section") == 1
    # The contents page's numbers and the later folios moved: the contents is rendered again,
    # and the folios are stamped from the same sheets of numbers.
    assert stats.rendered == ["section", "contents"]
    assert len(PdfReader(target).pages) > len(PdfReader(tmp_path / "first.pdf").pages)


def test_a_cache_from_another_version_is_ignored(book, tmp_path, monkeypatch):
    first, _ = _build(book, tmp_path)
    monkeypatch.setattr(cache_module, "__version__", "0.0.0-other")
    stats, _ = _build(book, tmp_path)
    assert stats.renders == first.renders and stats.hits == 0


def test_an_unreadable_entry_is_rendered_again(book, tmp_path):
    first, _ = _build(book, tmp_path)
    entries = sorted((tmp_path / "cache").rglob("*.json"))
    entries[0].write_text("{ not json", encoding="utf-8")
    stats, _ = _build(book, tmp_path)
    assert stats.renders == 1


def test_without_the_cache_everything_is_rendered_and_nothing_kept(book, tmp_path):
    _build(book, tmp_path)
    stats, _ = _build(book, tmp_path, enabled=False)
    assert stats.rendered.count("section") == len(book.sections)
    cache = PartCache(enabled=False)
    folder = cache.folder.parent
    assert folder.is_dir()
    cache.close()
    assert not folder.exists()


def test_no_cache_flag_reaches_the_settings(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr("bookbuild.pipeline.build", lambda source, cfg: seen.append(cfg.use_cache) or (None, []))
    manuscript = tmp_path / "story.txt"
    manuscript.write_text("Some words.\n", encoding="utf-8")
    for flag, expected in (("--no-cache", False), ("--cache", True)):
        result = CliRunner().invoke(main, ["build", str(manuscript), "-o", str(tmp_path), "-q", flag])
        assert result.exit_code == 0, result.output
        assert seen[-1] is expected


def test_entries_unused_for_long_are_pruned_and_used_ones_kept(book, tmp_path):
    import os

    _build(book, tmp_path)
    entries = sorted((tmp_path / "cache").rglob("*.pdf"))
    stale, kept = entries[0], entries[1]
    os.utime(stale, (0, 0))
    PartCache(tmp_path / "cache").prune()
    assert not stale.exists() and kept.exists()
