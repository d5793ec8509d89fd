"""Readers: turn a manuscript file or a book folder into the document model.

A format is one module and one line in :data:`READERS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from bookbuild.config import BuildConfig
from bookbuild.errors import InputError
from bookbuild.model import Block, Book, Meta, Role, Section
from bookbuild.readers.decode import decode_manuscript
from bookbuild.readers.markdown import read_markdown
from bookbuild.readers.text import read_text
from bookbuild.transforms import Decision

READERS: dict[str, Callable[[str], list]] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
}

# Above this a manuscript is almost certainly not prose; it protects memory, not taste.
MAX_BYTES = 200 * 1024 * 1024


def natural_key(name: str) -> list[object]:
    """Sort key that puts ``chapter2`` before ``chapter10``."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def _read_file(path: Path, decisions: list[Decision]) -> list[Block]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise InputError(f"{path.name}: unknown manuscript type '{path.suffix}' (known: {known})")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputError(f"cannot read {path}: permission denied") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    decoded = decode_manuscript(data, path.name)
    for message in decoded.warnings:
        decisions.append(Decision("read", "RD001", "warning", message, path.name))
    return reader(decoded.text)


def manuscript_files(folder: Path, cfg: BuildConfig) -> list[Path]:
    """The chapter files of a book folder, as ``book.toml`` lists them or in natural order."""
    if cfg.files:
        paths = []
        for name in cfg.files:
            path = (folder / name).resolve()
            if not path.is_relative_to(folder.resolve()):
                raise InputError(f"book.toml: '{name}' is outside the book folder")
            if not path.is_file():
                raise InputError(f"book.toml lists '{name}', which does not exist in {folder}")
            paths.append(path)
        return paths
    paths = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in READERS]
    paths = [p for p in paths if p.name.lower() not in ("readme.md", "license.md", "licence.md")]
    if not paths:
        raise InputError(f"{folder} has no manuscript (.txt or .md files)")
    return sorted(paths, key=lambda p: natural_key(p.name))


def read_source(source: Path, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """The book as read, one untitled section per file, with the reader's decisions."""
    decisions: list[Decision] = []
    if not source.exists():
        raise InputError(f"{source}: no such file or folder")
    files = manuscript_files(source, cfg) if source.is_dir() else [source]
    sections = []
    for path in files:
        blocks = _read_file(path, decisions)
        if blocks:
            sections.append(Section(Role.CHAPTER, tuple(blocks), line=1))
    if not sections:
        raise InputError(f"{source} has no text")
    stem = (source if source.is_dir() else source.with_suffix("")).name
    meta = Meta(title=stem, title_from_filename=True)
    return Book(meta=meta, sections=tuple(sections)), decisions
