"""``bookbuild shelf``: build every book under some folders, each on its own, on a pool or a Dask cluster.

Each build is a pure function of (manuscript, settings), so a shelf is a list of independent
tasks: :mod:`.discover` finds the books, :func:`plan` turns each into a task (or a skip, when
``shelf.json`` in OUT records the same inputs and the files are still there), a backend in
:mod:`.backends` runs the tasks, and the entries they return make the new ``shelf.json``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bookbuild import progress
from bookbuild.config import BuildConfig, load_settings
from bookbuild.errors import BookbuildError, InputError, one_line
from bookbuild.pipeline import source_date
from bookbuild.readers import cover_path, manuscript_files
from bookbuild.shelf.defaults import find_defaults, read_defaults
from bookbuild.shelf.discover import ShelfBook, find_books
from bookbuild.shelf.manifest import (
    MANIFEST,
    content_key,
    manifest_text,
    outputs_of,
    read_manifest,
    unchanged,
)
from bookbuild.shelf.store import is_url, open_store
from bookbuild.shelf.task import BookTask, entry_for

# shelf.json is rewritten at least this often during a long run, so an interrupted shelf resumes.
SAVE_EVERY_SECONDS = 60.0


@dataclass
class ShelfRun:
    """What a shelf run did: one entry per book, in the order the books were found."""

    entries: list[dict[str, Any]]
    seconds: float

    def count(self, status: str) -> int:
        """How many books ended with ``status`` (built, skipped, failed)."""
        return sum(1 for entry in self.entries if entry["status"] == status)


def build_shelf(
    sources: Sequence[Path],
    out: str,
    options: dict[str, Any],
    defaults: Path | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    batch: int = 1,
    show_progress: bool = False,
    warn: Callable[[str], None] = lambda message: None,
) -> ShelfRun:
    """Build every book under ``sources`` into ``out`` with the command-line ``options``."""
    from bookbuild.shelf.backends import run_on_dask, run_on_pool

    started = time.perf_counter()
    store = open_store(out)
    books = find_books(sources, exclude=None if is_url(out) else Path(out))
    if not books:
        raise InputError(f"no manuscripts under {', '.join(str(s) for s in sources)}")
    bases = _defaults_by_source(sources, defaults, warn)
    previous = read_manifest(store.read_text(MANIFEST))
    present = store.existing(name for entry in previous.values() for name in outputs_of(entry))
    entries: dict[str, dict[str, Any]] = {}
    saved = time.monotonic()
    with progress.showing(show_progress), progress.stage("books", len(books)) as advance:

        def finish(entry: dict[str, Any]) -> None:
            entries[entry["name"]] = entry
            advance()

        def tasks() -> Iterator[BookTask]:
            """The books to build, in order; the skipped and unreadable ones are finished on the way."""
            for book in books:
                before = previous.get(book.name)
                try:
                    task = plan(book, bases[_source_of(book, sources)], options, out, before)
                except Exception as error:  # noqa: BLE001 - a book that cannot even be read fails alone
                    finish(_failed(book, error))
                    continue
                if unchanged(before, task.key) and set(outputs_of(before)) <= present:
                    finish({**before, "source": task.source, "status": "skipped", "seconds": 0.0, "message": ""})
                    continue
                yield task

        try:
            backend = run_on_dask(tasks(), scheduler, batch) if scheduler else run_on_pool(tasks(), jobs or _cores())
            for entry in backend:
                finish(entry)
                if time.monotonic() - saved > SAVE_EVERY_SECONDS:
                    store.write_text(MANIFEST, manifest_text(_ordered(books, entries, previous)))
                    saved = time.monotonic()
        finally:
            # Books not reached (an interrupted run) keep their earlier entries, so they still skip.
            if entries:
                store.write_text(MANIFEST, manifest_text(_ordered(books, entries, previous)))
    return ShelfRun([entries[b.name] for b in books if b.name in entries], time.perf_counter() - started)


def plan(book: ShelfBook, base: BuildConfig, options: dict[str, Any], out: str,
         previous: dict[str, Any] | None = None) -> BookTask:
    """The task that builds ``book``: its settings, build date, input files as bytes and content key."""
    source = book.source
    cfg, notices = load_settings(source, None, base, **options)
    cfg = cfg.with_changes(build_date=cfg.build_date or source_date(source))
    inputs = manuscript_files(source, cfg) if source.is_dir() else [source]
    inputs += [path for path in (cfg.config_path, cover_path(source, cfg)) if path is not None]
    whole = Path(os.path.abspath(source))  # '..' folded, links kept: the names build would see
    shipped = {_relative(path, whole.parent): path for path in inputs}
    files = tuple(_shipped(path, relative) for relative, path in shipped.items())
    config_path = Path(_relative(cfg.config_path, whole.parent)) if cfg.config_path else None
    cfg = cfg.with_changes(config_path=config_path)
    return BookTask(book.name, str(source), whole.name, files, cfg, content_key(files, cfg), out,
                    outputs_of(previous), tuple(notices))


def _relative(path: Path, root: Path) -> str:
    """``path`` relative to the folder holding the book, as written or with links resolved."""
    for candidate, base in ((Path(os.path.abspath(path)), root), (path.resolve(), root.resolve())):
        if candidate.is_relative_to(base):
            return candidate.relative_to(base).as_posix()
    raise InputError(f"{path} is outside the book's folder {root}")


def _shipped(path: Path, relative: str) -> tuple[str, bytes, float]:
    """A file as a task carries it: its path relative to the book's folder, its bytes and mtime."""
    try:
        return relative, path.read_bytes(), path.stat().st_mtime
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _failed(book: ShelfBook, error: Exception) -> dict[str, Any]:
    return entry_for(book.name, str(book.source), message=one_line(error))


def _defaults_by_source(sources: Sequence[Path], explicit: Path | None,
                        warn: Callable[[str], None]) -> dict[Path, BuildConfig]:
    """Each source's starting settings: the shelf.toml named, or the one at the top of the source."""
    bases: dict[Path, BuildConfig] = {}
    read: dict[Path, BuildConfig] = {}
    for source in sources:
        path = explicit or find_defaults(source)
        if path is None:
            bases[source] = BuildConfig()
            continue
        if path not in read:
            if explicit and not explicit.is_file():
                raise BookbuildError(f"{explicit}: no such file")
            read[path], messages = read_defaults(path)
            for message in messages:
                warn(message)
        bases[source] = read[path]
    return bases


def _source_of(book: ShelfBook, sources: Sequence[Path]) -> Path:
    for source in sources:
        if book.source == source or book.source.is_relative_to(source):
            return source
    return sources[0]


def _ordered(books: list[ShelfBook], entries: dict[str, dict[str, Any]],
             previous: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """shelf.json's entries in book order: this run's, else an earlier run's for a book not reached."""
    ordered = [entries.get(book.name) or previous.get(book.name) for book in books]
    return [entry for entry in ordered if entry is not None]


def _cores() -> int:
    from bookbuild.writers.pdf.parallel import workers

    return workers()
