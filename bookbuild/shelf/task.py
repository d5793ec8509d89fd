"""One book's build as a task a worker runs: everything it needs travels with it, nothing is shared.

The manuscript's files go with the task as bytes (a cluster's workers cannot see the machine
the shelf was started on), the settings and the build date are decided before it is sent, and
the outputs go to the store its URL names. A failure is returned as data, never raised, so one
book cannot stop a shelf.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bookbuild import progress
from bookbuild.config import BuildConfig
from bookbuild.errors import one_line
from bookbuild.shelf.store import open_store

DECISIONS = "decisions.json"
# The pipeline keeps some per-process state (the PDF writer's stylesheet and word count), so a
# Dask worker started with several threads still builds one book at a time.
_one_at_a_time = threading.Lock()


@dataclass(frozen=True, slots=True)
class BookTask:
    """A book to build: its files as bytes, its settings, and where its outputs go."""

    name: str  # the book's folder under OUT
    source: str  # the manuscript as the user's sources name it, for messages
    entry: str  # the manuscript (file or folder) inside the shipped files
    files: tuple[tuple[str, bytes, float], ...]  # every input: path relative to the shipped root, bytes, mtime
    cfg: BuildConfig  # config_path relative to the shipped root; outdir is the worker's to choose
    key: str  # hash of the inputs, the settings and bookbuild's version
    out: str  # the store: a local folder or an fsspec URL
    stale: tuple[str, ...] = ()  # outputs an earlier build of this book wrote
    notices: tuple[str, ...] = ()  # warnings about its book.toml, read where the shelf started


def entry_for(name: str, source: str, key: str = "", **fields: Any) -> dict[str, Any]:
    """A shelf.json entry for a book (a failed one unless ``fields`` say otherwise)."""
    entry = {"name": name, "source": source, "title": "", "words": 0, "pages": None,
             "seconds": 0.0, "status": "failed", "message": "", "key": key, "outputs": []}
    entry.update(fields)
    return entry


def build_book(task: BookTask) -> dict[str, Any]:
    """Build one book into its folder under OUT; returns its shelf.json entry (status built or failed)."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bookbuild-shelf-") as scratch:
        root = Path(scratch)
        try:
            fields = _build(task, root)
        except Exception as error:  # noqa: BLE001 - one book's failure, any failure, is reported and the shelf goes on
            fields = {"status": "failed", "message": _unscratched(one_line(error), task, root)}
    return entry_for(task.name, task.source, task.key, seconds=round(time.perf_counter() - started, 2), **fields)


def _unscratched(message: str, task: BookTask, root: Path) -> str:
    """The message with the worker's scratch paths put back as the user's sources name them."""
    return message.replace(str(root / task.entry), task.source).replace(f"{root}/", "")


def _unpack(task: BookTask, root: Path) -> Path:
    """Write the task's files under ``root`` with their modification times; returns the manuscript."""
    for relative, data, mtime in task.files:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, (mtime, mtime))
    return root / task.entry


def _build(task: BookTask, root: Path) -> dict[str, Any]:
    from bookbuild.pipeline import build
    from bookbuild.writers import output_path

    source = _unpack(task, root)
    store = open_store(task.out)
    config_path = root / task.cfg.config_path if task.cfg.config_path else None
    with store.book_folder(task.name) as outdir:
        # One worker per core already: the PDF's parts are laid out one after another here.
        cfg = task.cfg.with_changes(outdir=outdir, config_path=config_path, pdf_workers=1)
        with _one_at_a_time, progress.showing(False):
            result, written = build(source, cfg)
        report = _decisions(result, task.notices)
        (outdir / DECISIONS).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        interior = output_path(result.book, cfg, "pdf")
        pages = _pages(interior) if interior in written else None
    outputs = sorted(f"{task.name}/{path.name}" for path in (*written, outdir / DECISIONS))
    store.remove(set(_own(task.stale, task.name)) - set(outputs))  # e.g. the old title's files after a retitling
    return {"status": "built", "title": result.book.meta.title, "words": report["summary"]["words"],
            "pages": pages, "outputs": outputs}


def _own(names: tuple[str, ...], folder: str) -> list[str]:
    """The names that are files directly in the book's own folder: shelf.json is only trusted that far."""
    return [name for name in names if name.rpartition("/")[0] == folder and ".." not in name.split("/")]


def _decisions(result, notices: tuple[str, ...]) -> dict[str, Any]:
    """What decisions.json holds: the book at a glance, its warnings, its structure and every decision."""
    from bookbuild.inspect import structure, summary

    shape = structure(result.book, result.decisions)
    return {
        "summary": summary(result.book, shape),
        "warnings": [*notices, *(d.rule for d in result.decisions if d.action == "warning")],
        "structure": shape,
        "decisions": [dataclasses.asdict(d) for d in result.decisions],
    }


def _pages(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as document:
        return len(document.pages)
