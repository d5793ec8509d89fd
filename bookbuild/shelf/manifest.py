"""``OUT/shelf.json``: one entry per book, and the content key that lets an unchanged book be skipped.

The manifest lives in OUT beside the books, so whoever builds the shelf next (this machine or a
cluster's workers) knows what is built without a shared cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from bookbuild import __version__
from bookbuild.config import BuildConfig

MANIFEST = "shelf.json"
# Settings that say where or how fast, not what: they never change a book's bytes.
NOT_CONTENT = ("outdir", "config_path", "pdf_workers", "use_cache", "review_list")


def content_key(files: tuple[tuple[str, bytes, float], ...], cfg: BuildConfig) -> str:
    """A hash of the book's input files, its settings (build date included) and bookbuild's version."""
    digest = hashlib.sha256(f"bookbuild {__version__}\0".encode())
    settings = {k: v for k, v in dataclasses.asdict(cfg).items() if k not in NOT_CONTENT}
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    for relative, data, _mtime in sorted(files):
        digest.update(f"\0{relative}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def read_manifest(text: str | None) -> dict[str, dict[str, Any]]:
    """The entries of an earlier run by book folder; none when there is no readable manifest."""
    if not text:
        return {}
    try:
        books = json.loads(text).get("books", [])
        return {entry["name"]: entry for entry in books if isinstance(entry, dict) and "name" in entry}
    except (ValueError, AttributeError, TypeError):
        return {}  # a damaged manifest only costs a rebuild


def manifest_text(entries: list[dict[str, Any]]) -> str:
    """shelf.json's text."""
    return json.dumps({"bookbuild": __version__, "books": entries}, ensure_ascii=False, indent=1) + "\n"


def unchanged(previous: dict[str, Any] | None, key: str) -> bool:
    """Whether an earlier run built this book from the same inputs (its files still to be checked)."""
    return bool(previous) and previous.get("key") == key and previous.get("status") in ("built", "skipped")


def outputs_of(previous: dict[str, Any] | None) -> tuple[str, ...]:
    """The files an earlier entry lists."""
    return tuple(name for name in (previous or {}).get("outputs", ()) if isinstance(name, str))


def relative_files(paths: list[Path], root: Path) -> list[str]:
    """Paths under ``root`` as POSIX names relative to it."""
    return [path.relative_to(root).as_posix() for path in paths]
