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
from bookbuild.writers.epub import write_epub
from bookbuild.writers.pdf import write_pdf

Writer = Callable[[Book, Path, BuildConfig], None]

WRITERS: dict[str, tuple[str, Writer]] = {
    "epub": (".epub", write_epub),
    "pdf": (".pdf", write_pdf),
}


def output_path(book: Book, cfg: BuildConfig, fmt: str) -> Path:
    """Where a format's file goes: ``OUTDIR/<title-slug>.<ext>``."""
    return cfg.outdir / (slugify(book.meta.title) + WRITERS[fmt][0])


def _stage(target: Path, write: Callable[[Path], None], protected: set[Path]) -> Path:
    """Run ``write`` into a temporary file beside ``target``; returns the temporary file."""
    resolved = target.resolve()
    if resolved in protected:
        raise OutputError(f"refusing to overwrite the manuscript {target}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {target.parent}: {exc.strerror or exc}") from exc
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write in {target.parent}: {exc.strerror or exc}") from exc
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o644)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def write_atomically(
    target: Path,
    write: Callable[[Path], None],
    protected: set[Path],
    check: Callable[[Path], None] | None = None,
) -> None:
    """Run ``write`` into a temporary file, ``check`` it, then rename it over ``target``."""
    temporary = _stage(target, write, protected)
    try:
        if check:
            check(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_outputs(
    book: Book,
    cfg: BuildConfig,
    protected: set[Path] = frozenset(),
    progress: Callable[[str], None] | None = None,
    check: Callable[[str, Path, Path], None] | None = None,
) -> list[Path]:
    """Write every format the settings ask for; returns the paths written.

    Every file is written and checked (``check(format, temporary, target)``) before any is
    renamed into place, so a build that fails anywhere leaves all previous outputs as they were.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for fmt in cfg.formats:
            target = output_path(book, cfg, fmt)
            if progress:
                progress(f"writing {target}")
            writer = WRITERS[fmt][1]
            temporary = _stage(target, lambda path, w=writer: w(book, path, cfg), set(protected))
            staged.append((temporary, target))
            if check:
                check(fmt, temporary, target)
        for temporary, target in staged:
            os.replace(temporary, target)
    except BaseException:
        for temporary, _target in staged:
            temporary.unlink(missing_ok=True)
        raise
    return [target for _temporary, target in staged]
