"""Where a shelf's outputs go: a local folder, or any fsspec URL (s3://, gcs://, ...) the workers write to.

A store is named by its URL string alone, so a task carries that string and each worker opens
the store itself: no connection or file handle crosses a process or machine boundary.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bookbuild.errors import BookbuildError

INSTALL_CLUSTER = "pip install 'bookbuild[cluster]'"
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def is_url(out: str) -> bool:
    """Whether ``out`` names a store by URL (``s3://bucket/books``) rather than a local folder."""
    return bool(_URL.match(out))


def open_store(out: str) -> LocalStore | RemoteStore:
    """The store ``out`` names."""
    return RemoteStore(out) if is_url(out) else LocalStore(Path(out))


class LocalStore:
    """Outputs in a folder on this machine (or a shared file system every worker mounts)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @contextmanager
    def book_folder(self, name: str) -> Iterator[Path]:
        """The folder a book's files are written into; here, its place under OUT itself (which the
        build creates, so a failed book leaves no empty folder)."""
        yield self.root / name

    def read_text(self, name: str) -> str | None:
        """A file's text, or None when it is not there."""
        try:
            return (self.root / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def write_text(self, name: str, text: str) -> None:
        """Write a file whole: into a temporary file first, renamed over the old one."""
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)

    def existing(self, names: Iterable[str]) -> set[str]:
        """Which of ``names`` are there."""
        return {name for name in names if (self.root / name).is_file()}

    def remove(self, names: Iterable[str]) -> None:
        """Delete files if they are there."""
        for name in names:
            (self.root / name).unlink(missing_ok=True)


class RemoteStore:
    """Outputs behind an fsspec URL: each book is built in a local folder, then uploaded file by file."""

    def __init__(self, url: str) -> None:
        try:
            from fsspec.core import url_to_fs
        except ImportError:
            raise BookbuildError(f"writing to {url} needs fsspec: {INSTALL_CLUSTER}") from None
        try:
            self.fs, self.root = url_to_fs(url)
        except (ImportError, ValueError) as exc:  # a protocol whose package is missing (s3fs, gcsfs)
            raise BookbuildError(f"cannot write to {url}: {exc}") from None
        self.root = self.root.rstrip("/")

    def _path(self, name: str) -> str:
        return f"{self.root}/{name}"

    @contextmanager
    def book_folder(self, name: str) -> Iterator[Path]:
        """A local folder for a book's files, uploaded to its place under OUT when the block succeeds."""
        folder = Path(tempfile.mkdtemp(prefix="bookbuild-shelf-out-"))
        try:
            yield folder
            self.fs.makedirs(self._path(name), exist_ok=True)
            for path in sorted(folder.iterdir()):
                if path.is_file() and not path.name.startswith("."):
                    self.fs.put_file(str(path), self._path(f"{name}/{path.name}"))
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def read_text(self, name: str) -> str | None:
        """A file's text, or None when it is not there."""
        try:
            return self.fs.cat_file(self._path(name)).decode("utf-8")
        except FileNotFoundError:
            return None

    def write_text(self, name: str, text: str) -> None:
        """Write a file whole (an object store replaces an object in one step)."""
        self.fs.makedirs(self._path(name).rsplit("/", 1)[0], exist_ok=True)
        self.fs.pipe_file(self._path(name), text.encode("utf-8"))

    def existing(self, names: Iterable[str]) -> set[str]:
        """Which of ``names`` are there, from one listing of OUT rather than a request per file."""
        wanted = set(names)
        if not wanted:
            return set()
        try:
            listed = self.fs.find(self.root)
        except FileNotFoundError:
            return set()
        root = self.root + "/"  # url_to_fs gave the path as find() spells them, without the protocol
        return wanted & {path[len(root):] for path in listed if path.startswith(root)}

    def remove(self, names: Iterable[str]) -> None:
        """Delete files if they are there."""
        for name in names:
            try:
                self.fs.rm_file(self._path(name))
            except FileNotFoundError:
                pass
