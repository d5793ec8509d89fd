"""Which books a shelf holds: the manuscripts under its sources, each with its own output folder."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bookbuild.errors import InputError
from bookbuild.readers import natural_key, reads


@dataclass(frozen=True, slots=True)
class ShelfBook:
    """One book of a shelf: its manuscript (a file or a book folder) and its folder under OUT."""

    source: Path
    name: str  # a POSIX path relative to OUT, unique on the shelf


def find_books(sources: Sequence[Path], exclude: Path | None = None) -> list[ShelfBook]:
    """Every book under ``sources``, in the order given, each named by its path relative to its source.

    A folder with ``book.toml`` is one book, a manuscript file is one book, and any other folder
    is searched; ``exclude`` (the output folder, when it lies inside a source) is never searched.
    Two books with the same name get ``-2``, ``-3``, ... in the order found; names are compared
    ignoring case, as a Mac's or Windows's disk would.
    """
    taken: set[str] = set()
    books = []
    for root in sources:
        try:
            found = root.exists()
        except OSError as exc:  # a path longer than the system allows
            raise InputError(f"cannot read {root}: {(exc.strerror or str(exc)).lower()}") from exc
        if not found:
            raise InputError(f"{root}: no such file or folder")
        for path in _manuscripts(root, exclude.resolve() if exclude else None):
            books.append(ShelfBook(path, _unique(_name(path, root), taken)))
    return books


def _manuscripts(folder: Path, exclude: Path | None) -> Iterator[Path]:
    if not folder.is_dir() or (folder / "book.toml").is_file():
        yield folder
        return
    try:
        entries = sorted(folder.iterdir(), key=lambda p: natural_key(p.name))
    except OSError as exc:
        raise InputError(f"cannot read the folder {folder}: {exc.strerror or exc}") from exc
    for entry in entries:
        if entry.name.startswith(".") or (exclude is not None and _resolved(entry) == exclude):
            continue
        if entry.is_dir() and not entry.is_symlink():  # a link back up would search forever
            yield from _manuscripts(entry, exclude)
        elif entry.is_file() and reads(entry):
            yield entry


def _resolved(path: Path) -> Path | None:
    """``path`` resolved, or None for a symbolic link that loops (it is neither file nor folder)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # RuntimeError for a loop before Python 3.13
        return None


def _name(path: Path, root: Path) -> str:
    """The book's path relative to its source, without the file's suffix."""
    if path == root:  # the source is the book itself
        whole = path.resolve() if path.name in ("", ".", "..") else path
        return whole.stem if path.is_file() else whole.name
    relative = path.relative_to(root)
    return (relative.with_suffix("") if path.is_file() else relative).as_posix()


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{name}-{number}"
    taken.add(candidate.casefold())
    return candidate
