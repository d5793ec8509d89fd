"""Writers: turn the model into files. An edition is one package and one line in :data:`WRITERS`.

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
from bookbuild.pages import NO_PAGES
from bookbuild.writers.common import slugify
from bookbuild.writers.epub import write_epub, write_kepub
from bookbuild.writers.pdf import (
    front_cover_jpeg,
    one_build,
    page_map,
    parse_creep,
    parse_impose,
    write_cover,
    write_imposed,
    write_pdf,
)

Writer = Callable[[Book, Path, BuildConfig], None]


def _with_page_list(write: Callable[..., None]) -> Writer:
    def write_edition(book: Book, target: Path, cfg: BuildConfig) -> None:
        pages = page_map(book, cfg) if "pdf" in cfg.formats else NO_PAGES
        # The print cover's front panel is the e-book's cover: one design for both editions.
        cover = None if book.meta.cover else front_cover_jpeg(book)
        write(book, target, cfg, pages, cover)

    write_edition.__doc__ = (
        f"{write.__doc__} With the print edition's page list when this build prints it, and its cover's front."
    )
    return write_edition


write_epub_edition = _with_page_list(write_epub)
write_kepub_edition = _with_page_list(write_kepub)

WRITERS: dict[str, tuple[str, Writer]] = {
    "epub": (".epub", write_epub_edition),
    "kepub": (".kepub.epub", write_kepub_edition),
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
        parse_creep(cfg.creep)
        derived.append(("-imposed.pdf", write_imposed))
    return derived


def output_path(book: Book, cfg: BuildConfig, fmt: str) -> Path:
    """Where a format's file goes: ``OUTDIR/<title-slug>.<ext>``."""
    return cfg.outdir / (slugify(book.meta.title) + WRITERS[fmt][0])


def _stage(target: Path, write: Callable[[Path], None], protected: set[Path]) -> Path:
    """Run ``write`` into a temporary file beside ``target``; returns the temporary file."""
    try:
        resolved = target.resolve()
    except (RuntimeError, OSError) as exc:  # a symbolic link loop: RuntimeError before Python 3.13
        raise OutputError(f"cannot write {target}: it is a symbolic link that loops") from exc
    if target.is_dir():  # found before the slow writing, not by the rename at the end
        raise OutputError(f"cannot write {target}: a folder of that name is in the way")
    if resolved in protected:
        # Only .epub/.pdf are ever written, so this is a file of the writer's beside the manuscript
        # (perhaps an earlier build's): it is theirs to move, the message says what to do.
        raise OutputError(
            f"refusing to overwrite {target}: files already in the manuscript folder are never replaced "
            "(choose another output folder with -o)"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:  # -o names a file, or a path through one
        raise OutputError(f"cannot create the output folder {target.parent}: a file is in the way") from exc
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
    with one_build():  # the page list and the PDF share one layout
        return _write_all(book, cfg, protected, progress, check)


def _write_all(
    book: Book,
    cfg: BuildConfig,
    protected: set[Path],
    progress: Callable[[str], None] | None,
    check: Callable[[str, Path, Path], None] | None,
) -> list[Path]:
    staged: dict[str, tuple[Path, Path]] = {}
    derived = derived_outputs(cfg)
    formats = cfg.formats if not derived or "pdf" in cfg.formats else (*cfg.formats, "pdf")
    try:
        for fmt in formats:
            target = output_path(book, cfg, fmt)
            if progress:
                progress(f"writing {target}")
            writer = WRITERS[fmt][1]
            staged[fmt] = (_stage(target, lambda path, w=writer: w(book, path, cfg), set(protected)), target)
            if check:
                check(fmt, *staged[fmt])
        # The cover and the imposition are made from the interior just written (still under
        # its temporary name): its page count sizes the spine, its pages are what gets imposed.
        if derived:
            interior, interior_target = staged["pdf"]
            for suffix, writer in derived:
                target = interior_target.with_name(interior_target.stem + suffix)
                if progress:
                    progress(f"writing {target}")
                made = _stage(target, lambda path, w=writer: w(book, interior, path, cfg), set(protected))
                staged[suffix] = (made, target)
        for temporary, target in staged.values():
            os.replace(temporary, target)
    except BaseException:
        for temporary, _target in staged.values():
            temporary.unlink(missing_ok=True)
        raise
    return [target for _temporary, target in staged.values()]
