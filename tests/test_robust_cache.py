"""The cache owns only what it made: its marker, its versioned folder, the entries its index names."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from bookbuild import cache as cache_module
from bookbuild.cache import LAYOUT, MARKER, PartCache, default_root
from bookbuild.cli import main
from bookbuild.errors import BookbuildWarning


def _entry(cache: PartCache, content: str) -> Path:
    """Store one entry the way a renderer does: its PDF written first, then its description."""
    key = cache.key(content)
    cache.prepare(key).write_bytes(b"%PDF-1.7 stand-in")
    cache.store(key, {"pages": []}, "section")
    return cache.pdf_path(key)


def _age(path: Path) -> None:
    os.utime(path, (0, 0))


def test_prune_never_touches_a_users_files_beside_the_cache(tmp_path):
    # The reported loss: BOOKBUILD_CACHE_DIR at a folder of the user's, whose
    # pdf-invoices/2023/invoice.pdf matched the old prune's pdf-*/*/* pattern.
    invoice = tmp_path / "pdf-invoices" / "2023" / "invoice.pdf"
    invoice.parent.mkdir(parents=True)
    invoice.write_bytes(b"the user's invoice")
    _age(invoice)
    cache = PartCache(tmp_path)
    stale = _entry(cache, "old chapter")
    _age(stale)
    cache.prune()
    assert invoice.read_bytes() == b"the user's invoice"
    assert not stale.exists()
    assert (tmp_path / MARKER).read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55")


def test_prune_removes_only_what_the_index_names_inside_its_own_folder(tmp_path):
    cache = PartCache(tmp_path)
    used = _entry(cache, "a chapter in use")
    # Files in the cache's own folder that it did not write, and index lines that point out.
    planted = cache.folder / "ab" / ("ab" + "0" * 62 + ".pdf")
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.write_bytes(b"not the cache's")
    outside = tmp_path / "keep.pdf"
    outside.write_bytes(b"mine")
    for path in (planted, outside):
        _age(path)
    with (cache.root / "index.txt").open("a", encoding="utf-8") as index:
        index.write("../keep.pdf\n/etc/passwd\npdf-x/../../keep.pdf\n")
    cache.prune()
    assert used.exists() and planted.exists() and outside.exists()


def test_the_default_cache_is_the_users_cache_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(cache_module.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_root() == tmp_path / "xdg" / "bookbuild"
    monkeypatch.setenv(cache_module.CACHE_ENV, str(tmp_path / "mine"))
    assert default_root() == tmp_path / "mine"


@pytest.mark.parametrize("shape", ["a file", "under a file"])
def test_an_unusable_cache_is_skipped_with_a_warning(tmp_path, shape):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache would go", encoding="utf-8")
    root = blocker if shape == "a file" else blocker / "inside"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cache = PartCache(root)
    assert not cache.enabled
    assert [w.message.code for w in caught if isinstance(w.message, BookbuildWarning)] == ["CA001"]
    _entry(cache, "still renders")  # into a temporary folder
    cache.close()
    assert blocker.read_text(encoding="utf-8") == "a file where the cache would go"


@pytest.mark.slow
def test_a_build_with_a_file_as_its_cache_warns_and_writes_the_pdf(tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(cache_module.CACHE_ENV, str(blocker))
    story = tmp_path / "story.txt"
    chapters = "\n\n".join(f"Chapter {n}\n\n" + "Words upon words in a chapter. " * 400 for n in range(1, 7))
    story.write_text("Title: Cached\n\n" + chapters, encoding="utf-8")
    monkeypatch.setattr("bookbuild.writers.pdf.parallel.MIN_WORDS", 10)
    monkeypatch.setattr("bookbuild.writers.pdf.parallel.MIN_SECTIONS", 2)
    result = CliRunner().invoke(main, ["build", str(story), "-o", str(tmp_path / "out"), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert "cannot be used (a file is in the way): building without it" in result.output
    assert "internal error" not in result.output
    assert list((tmp_path / "out").glob("*.pdf"))


def test_the_layout_is_versioned(tmp_path):
    cache = PartCache(tmp_path)
    assert cache.folder.parent == tmp_path / LAYOUT



def test_the_index_is_never_appended_through_a_link_to_a_users_file(tmp_path):
    """Hostile hunt, round 2: an index.txt replaced by a link to a user's file had entry names
    appended to that file."""
    diary = tmp_path / "diary.txt"
    diary.write_text("dear diary\n", encoding="utf-8")
    root = tmp_path / "cache"
    (root / LAYOUT).mkdir(parents=True)
    (root / LAYOUT / "index.txt").symlink_to(diary)
    cache = PartCache(root)
    _entry(cache, "a chapter")
    cache.prune()
    assert diary.read_text(encoding="utf-8") == "dear diary\n"


def test_a_marker_that_is_a_link_is_never_written_through(tmp_path):
    """Hostile hunt, round 2: a dangling CACHEDIR.TAG link made the build create the file it
    pointed at, anywhere on the disk."""
    root = tmp_path / "cache"
    root.mkdir()
    (root / MARKER).symlink_to(tmp_path / "would-be-created.txt")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cache = PartCache(root)
    assert not (tmp_path / "would-be-created.txt").exists()
    assert not cache.enabled
    assert [w.message.code for w in caught if isinstance(w.message, BookbuildWarning)] == ["CA001"]
    cache.close()
