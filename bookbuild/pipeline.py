"""The one place that knows the order of the steps: read, transform, write."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bookbuild.cache import text_memo
from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision, Transform
from bookbuild.errors import BookbuildWarning, InputError
from bookbuild.model import Book
from bookbuild.readers import read_source
from bookbuild.transforms.chapters import split_chapters
from bookbuild.transforms.header import lift_header
from bookbuild.transforms.metadata import apply_metadata
from bookbuild.transforms.note_order import number_notes
from bookbuild.transforms.notes import extract_notes
from bookbuild.transforms.scene_inference import infer_scene_breaks
from bookbuild.transforms.scenes import mark_scene_breaks
from bookbuild.transforms.typography import typeset

if TYPE_CHECKING:
    from bookbuild.writers.cover_beside import CoverBeside

# Each entry is (name, transform). Structure runs before typography, so typography sees
# the final paragraphs and never a scene-break marker or a chapter heading's raw text;
# marked breaks come before notes and chapters so a marker line is never read as prose.
PIPELINE: tuple[tuple[str, Transform], ...] = (
    ("header", lift_header),
    ("metadata", apply_metadata),
    ("scenes", mark_scene_breaks),
    ("chapters", split_chapters),
    ("notes", extract_notes),
    ("note_order", number_notes),
    ("scene_inference", infer_scene_breaks),
    ("typography", typeset),
)


# 9999-12-31T23:59:59Z: the last second a four-digit year (and Python's datetime) can hold.
LAST_EPOCH = 253402300799


@dataclass(frozen=True, slots=True)
class Result:
    """A processed book and everything the pipeline decided on the way."""

    book: Book
    decisions: tuple[Decision, ...]
    source_book: Book | None = None  # the book as read, before any transform: what verify compares with


def source_date(source: Path) -> str:
    """The build date: ``SOURCE_DATE_EPOCH`` if set, else the newest manuscript file's mtime."""
    epoch = (os.environ.get("SOURCE_DATE_EPOCH") or "").strip()
    if epoch:
        if not (epoch.isascii() and epoch.isdigit()):
            # The reproducible-builds specification: a malformed value is an error, never ignored.
            raise InputError(f"SOURCE_DATE_EPOCH={epoch[:30]} is not a whole number of seconds since 1970")
        seconds = int(epoch)
        if seconds > LAST_EPOCH:
            raise InputError(f"SOURCE_DATE_EPOCH={epoch[:30]} is after the year 9999: give seconds since 1970")
    else:
        paths = [source] if source.is_file() else [p for p in source.iterdir() if p.is_file()]
        seconds = int(min(LAST_EPOCH, max((max(0, p.stat().st_mtime) for p in paths), default=0)))
    stamp = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def process(source: Path, cfg: BuildConfig, steps: tuple[tuple[str, Transform], ...] = PIPELINE) -> Result:
    """Read a manuscript and run every transform over it, collecting decisions."""
    book, decisions = read_source(source, cfg)
    modified = cfg.build_date or source_date(source)
    book = dataclasses.replace(book, meta=dataclasses.replace(book.meta, modified=modified))
    read = book
    collected = list(decisions)
    # Answers about single paragraphs are kept for the next build of this book (cache.TextMemo).
    with text_memo(str(source.absolute()), cfg.use_cache):
        for _name, transform in steps:
            book, made = transform(book, cfg)
            collected.extend(made)
    return Result(book, tuple(collected), source_book=read)


def with_preflight(result: Result, cfg: BuildConfig) -> Result:
    """The result with the preflight's checks of the interior the book prints as, for ``inspect``
    (a build checks the very file it writes; this lays the interior out into a scratch folder)."""
    from bookbuild.writers.pdf import preflight, write_pdf

    if not preflight.wanted(cfg):
        return result
    with tempfile.TemporaryDirectory(prefix="bookbuild-preflight-") as folder:
        interior = Path(folder) / "interior.pdf"
        write_pdf(result.book, interior, cfg)
        checks = preflight.preflight(interior, cfg)
    return dataclasses.replace(result, decisions=(*result.decisions, *preflight.decisions(checks, cfg)))


def find_structure(source: Path, cfg: BuildConfig) -> Result:
    """Every step but typography: the book's chapters, notes and scene breaks, its text as typed.

    Review shows and names paragraphs as the author wrote them; book.toml's keys are matched
    before typography too, so a key taken from this text names the same paragraph in a build.
    """
    return process(source, cfg, tuple(step for step in PIPELINE if step[0] != "typography"))


def review_candidates(source: Path, cfg: BuildConfig) -> Result:
    """The book's structure with the scorer's review list as the manuscript alone gives it.

    book.toml's scene-break answers are left out, so that an answered candidate stays on the list
    (a review shows it with its answer; ``--all`` revisits it) and a removed mark does not join
    two runs the manuscript itself keeps apart.
    """
    overrides = dataclasses.replace(cfg.overrides, scene_breaks_add=(), scene_breaks_remove=())
    unanswered = cfg.with_changes(overrides=overrides, review_list=True)
    if unanswered.scene_breaks == "off":  # a build with breaks off reads no answer: review as auto
        unanswered = unanswered.with_changes(scene_breaks="auto")
    return find_structure(source, unanswered)


def build(source: Path, cfg: BuildConfig, progress: Callable[[str], None] | None = None) -> tuple[Result, list[Path]]:
    """Process a manuscript and write every requested format; returns the files written."""
    from bookbuild.writers.cover_beside import start_cover

    # An e-book-only build's cover is drawn in a process that imports WeasyPrint while the
    # text is read and transformed here (writers/cover_beside.py).
    cover_beside = start_cover(cfg)
    try:
        return _build(source, cfg, progress, cover_beside)
    finally:
        if cover_beside is not None:
            cover_beside.cancel()  # drawn already, or never wanted: the process is let go


def _build(
    source: Path, cfg: BuildConfig, progress: Callable[[str], None] | None, cover_beside: CoverBeside | None
) -> tuple[Result, list[Path]]:
    from bookbuild.writers import write_outputs

    result = process(source, cfg.with_changes(review_list=False))  # no one reads the list here
    protected = set()
    for path in [source] if source.is_file() else source.iterdir():
        try:
            protected.add(path.resolve())
        except (RuntimeError, OSError):  # a symbolic link that loops protects nothing
            continue
    from bookbuild.verify import glyph_warning, missing_glyphs, verify_output
    from bookbuild.writers.pdf import preflight

    checked: list[Decision] = []

    # Each file is checked before it is renamed into place: a failed check keeps old outputs.
    # The interior is checked for words lost first, then against the printer's rules.
    # The print edition may be checked in another process (writers/beside.py): what a check
    # decides is returned, for the writers to collect.
    def check(fmt: str, temporary: Path, target: Path) -> list[Decision]:
        if cfg.verify:
            verify_output(
                fmt, temporary, result.source_book, result.book, result.decisions,
                name=target.name, unprintable=frozenset(unprintable),
            )
        if fmt == "pdf" and preflight.wanted(cfg):
            checks = preflight.preflight(temporary, cfg)
            failed = preflight.failure(checks, cfg)
            if failed and cfg.preflight:
                raise failed
            return preflight.decisions(checks, cfg)
        return []

    wants_check = cfg.verify or ("pdf" in cfg.formats and preflight.wanted(cfg))
    with missing_glyphs() as unprintable, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BookbuildWarning)
        written = write_outputs(
            result.book, cfg, protected=protected, progress=progress, check=check if wants_check else None,
            checked=checked, cover_beside=cover_beside,
        )
    worked_around = [w.message for w in caught if isinstance(w.message, BookbuildWarning)]
    for other in caught:
        if not isinstance(other.message, BookbuildWarning):  # a library's own warning, shown as before
            warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
    notes = [Decision("build", w.code, "warning", str(w)) for w in dict.fromkeys(worked_around)]
    if unprintable:
        notes.append(glyph_warning(unprintable))
    result = dataclasses.replace(result, decisions=(*result.decisions, *checked, *notes))
    return result, written


def with_print_layout(result: Result, cfg: BuildConfig) -> Result:
    """The result with the print layout's decisions added (the balancer's levelled spreads)."""
    from bookbuild.writers.pdf import layout_decisions

    return dataclasses.replace(result, decisions=(*result.decisions, *layout_decisions(result.book, cfg)))
