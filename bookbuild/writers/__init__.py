"""Writers: turn the model into files. An edition is one package and one line in :data:`WRITERS`.

Every output is written to a temporary file beside its target and renamed into place, so a
failed build leaves the previous output untouched and never a half-written file.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.errors import OutputError
from bookbuild.model import Book
from bookbuild.pages import NO_PAGES, PageMap
from bookbuild.writers import beside
from bookbuild.writers.common import slugify
from bookbuild.writers.cover_beside import CoverBeside
from bookbuild.writers.epub import write_epub, write_kepub
from bookbuild.writers.pdf import (
    front_cover_jpeg,
    one_build,
    page_map,
    parse_creep,
    parse_impose,
    part_workers,
    session_cache,
    write_cover,
    write_imposed,
    write_pdf,
)
from bookbuild.writers.pdf.loader import load_weasyprint

Writer = Callable[[Book, Path, BuildConfig], None]


# Who draws the e-book's cover during write_outputs: a CoverBeside's process when the build
# started one (writers/cover_beside.py), else this process (None).
_cover_drawer: Callable[[str, str], bytes] | None = None


@contextlib.contextmanager
def _covers_drawn_by(draw: Callable[[str, str], bytes] | None) -> Iterator[None]:
    global _cover_drawer
    previous, _cover_drawer = _cover_drawer, draw
    try:
        yield
    finally:
        _cover_drawer = previous


def _page_list(book: Book, cfg: BuildConfig) -> PageMap:
    """The print page map an e-book's page list follows: when the build prints (not for a cover alone)."""
    return page_map(book, cfg) if "pdf" in cfg.formats else NO_PAGES


def _with_page_list(write: Callable[..., None]) -> Writer:
    def write_edition(
        book: Book, target: Path, cfg: BuildConfig, pages: PageMap | None = None, cover: bytes | None = None
    ) -> None:
        if pages is None:
            pages = _page_list(book, cfg)
        # The print cover's front panel is the e-book's cover: one design for both editions.
        if cover is None and not book.meta.cover:
            cover = front_cover_jpeg(book, session_cache(cfg), _cover_drawer)
        write(book, target, cfg, pages, cover)

    write_edition.__doc__ = (
        f"{write.__doc__} With the print edition's page list when this build prints it, and its cover's front "
        "(each found here unless given)."
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
        in_the_way = target.is_dir()  # found before the slow writing, not by the rename at the end
    except RuntimeError as exc:  # a symbolic link loop before Python 3.13
        raise OutputError(f"cannot write {target}: it is a symbolic link that loops") from exc
    except OSError as exc:  # a loop (Python 3.13), a path longer than the system allows
        why = "it is a symbolic link that loops" if exc.errno == errno.ELOOP else (exc.strerror or str(exc)).lower()
        raise OutputError(f"cannot write {target}: {why}") from exc
    if in_the_way:
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


Check = Callable[[str, Path, Path], "list[Decision] | None"]


def write_outputs(
    book: Book,
    cfg: BuildConfig,
    protected: set[Path] = frozenset(),
    progress: Callable[[str], None] | None = None,
    check: Check | None = None,
    checked: list[Decision] | None = None,
    cover_beside: CoverBeside | None = None,
) -> list[Path]:
    """Write every format the settings ask for; returns the paths written.

    Every file is written and checked (``check(format, temporary, target)``, whose decisions
    go to ``checked``) before any is renamed into place, so a build that fails anywhere leaves
    all previous outputs as they were. When the build prints and also writes an e-book, the
    print edition is laid out, written and checked in a forked process while this one writes
    and checks the e-book, which waits only for the print page map (writers/beside.py). An
    e-book-only build has its cover drawn by ``cover_beside`` when given (writers/cover_beside.py).
    """
    drawer = cover_beside.draw if cover_beside is not None else None
    with one_build(), _covers_drawn_by(drawer):  # the page list and the PDF share one layout
        return _write_all(book, cfg, protected, progress, check, checked if checked is not None else [])


def _print_beside(book: Book, cfg: BuildConfig, protected: set[Path], check: Check | None):
    """The work of the process that prints: the page map sent first, then the checked PDF."""

    def work(send: Callable[[object], None]) -> tuple[Path, list[Decision]]:
        send(_page_list(book, cfg))
        target = output_path(book, cfg, "pdf")
        writer = WRITERS["pdf"][1]
        temporary = _stage(target, lambda path: writer(book, path, cfg), set(protected))
        try:
            return temporary, list((check("pdf", temporary, target) if check else None) or ())
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    return work


def _write_all(
    book: Book,
    cfg: BuildConfig,
    protected: set[Path],
    progress: Callable[[str], None] | None,
    check: Check | None,
    checked: list[Decision],
) -> list[Path]:
    staged: dict[str, tuple[Path, Path]] = {}
    derived = derived_outputs(cfg)
    formats = cfg.formats if not derived or "pdf" in cfg.formats else (*cfg.formats, "pdf")
    ebooks = [fmt for fmt in formats if fmt in ("epub", "kepub")]
    printing: beside.Beside | None = None
    pages: PageMap | None = None
    cover: bytes | None = None
    try:
        # A build given one core (a shelf's job: pdf_workers = 1) keeps to one process.
        if "pdf" in formats and ebooks and beside.available() and part_workers(cfg) > 1:
            if progress:
                progress(f"writing {output_path(book, cfg, 'pdf')}")
            session_cache(cfg)  # a --no-cache build's parts folder is made here, and removed by this process
            # Both processes lay out with WeasyPrint (this one the cover): imported once, before the fork.
            load_weasyprint()

            printing = beside.Beside(_print_beside(book, cfg, protected, check))
            # The cover is drawn while the print edition lays out; what it warns is told after
            # the layout's warnings, as a serial build tells them.
            with warnings.catch_warnings(record=True) as drawing:  # the build's own filters
                cover = None if book.meta.cover else front_cover_jpeg(book, session_cache(cfg))
            pages = printing.receive()
            for caught in drawing:
                warnings.warn_explicit(caught.message, caught.category, caught.filename, caught.lineno)
        for fmt in formats:
            if fmt == "pdf" and printing is not None:
                continue
            target = output_path(book, cfg, fmt)
            if progress:
                progress(f"writing {target}")
            writer = WRITERS[fmt][1]
            if fmt in ebooks and pages is not None:
                writer = functools.partial(writer, pages=pages, cover=cover)
            staged[fmt] = (_stage(target, lambda path, w=writer: w(book, path, cfg), set(protected)), target)
            if check:
                checked.extend(check(fmt, *staged[fmt]) or ())
        if printing is not None:
            interior, made = printing.result()
            printing = None
            staged["pdf"] = (interior, output_path(book, cfg, "pdf"))
            checked.extend(made)
            staged = {fmt: staged[fmt] for fmt in formats if fmt in staged}  # in the settings' order
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
        if printing is not None:  # this side failed: stop the print edition, and remove what it wrote
            printing.stop()
            try:
                interior, _made = printing.result()
                interior.unlink(missing_ok=True)
            except BaseException:  # noqa: BLE001, S110 - stopped, or failed too: this side's failure is reported
                pass
        for temporary, _target in staged.values():
            temporary.unlink(missing_ok=True)
        raise
    return [target for _temporary, target in staged.values()]
