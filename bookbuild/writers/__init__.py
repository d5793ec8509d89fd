"""Writers: turn the model into files. A format is one module and one line in :data:`WRITERS`.

Every output is written to a temporary file beside its target and renamed into place, so a
failed build leaves the previous output untouched and never a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from bookbuild.config import BuildConfig
from bookbuild.errors import OutputError
from bookbuild.model import Book
from bookbuild.writers.common import slugify
from bookbuild.writers.cover import write_cover
from bookbuild.writers.epub import write_epub
from bookbuild.writers.impose import parse_impose, write_imposed
from bookbuild.writers.pdf import write_pdf

Writer = Callable[[Book, Path, BuildConfig], None]

WRITERS: dict[str, tuple[str, Writer]] = {
    "epub": (".epub", write_epub),
    "pdf": (".pdf", write_pdf),
}


DerivedWriter = Callable[[Book, Path, Path, BuildConfig], None]


def derived_outputs(cfg: BuildConfig) -> list[tuple[str, DerivedWriter]]:
    """The outputs made from the interior PDF (file suffix, writer), settings checked first."""
    derived: list[tuple[str, DerivedWriter]] = []
    if cfg.cover_pdf:
        derived.append(("-cover.pdf", write_cover))
    if cfg.impose:
        parse_impose(cfg.impose)  # a bad spec fails before the slow interior is laid out
        derived.append(("-imposed.pdf", write_imposed))
    return derived


def output_path(book: Book, cfg: BuildConfig, fmt: str) -> Path:
    """Where a format's file goes: ``OUTDIR/<title-slug>.<ext>``."""
    return cfg.outdir / (slugify(book.meta.title) + WRITERS[fmt][0])


def write_atomically(target: Path, write: Callable[[Path], None], protected: set[Path]) -> None:
    """Run ``write`` into a temporary file, then rename it over ``target``."""
    resolved = target.resolve()
    if resolved in protected:
        raise OutputError(f"refusing to overwrite the manuscript {target}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {target.parent}: {exc.strerror or exc}") from exc
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_outputs(
    book: Book,
    cfg: BuildConfig,
    protected: set[Path] = frozenset(),
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write every format the settings ask for; returns the paths written."""
    written = []
    derived = derived_outputs(cfg)
    formats = cfg.formats if not derived or "pdf" in cfg.formats else (*cfg.formats, "pdf")
    for fmt in formats:
        target = output_path(book, cfg, fmt)
        if progress:
            progress(f"writing {target}")
        writer = WRITERS[fmt][1]
        write_atomically(target, lambda path, w=writer: w(book, path, cfg), set(protected))
        written.append(target)
    # The cover and the imposition are made from the interior just written: its page count
    # sizes the spine, and its pages are what gets imposed.
    interior = output_path(book, cfg, "pdf")
    for suffix, writer in derived:
        target = interior.with_name(interior.stem + suffix)
        if progress:
            progress(f"writing {target}")
        write_atomically(target, lambda path, w=writer: w(book, interior, path, cfg), set(protected))
        written.append(target)
    return written
