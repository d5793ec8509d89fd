"""The on-disk cache of rendered PDF parts, keyed by their content, the settings and bookbuild's version.

The cache owns only what it made. Its folder carries a marker file (``CACHEDIR.TAG``, which
backup tools also honour) and keeps its entries in one versioned subfolder; every entry it
writes is recorded in an index, and pruning removes only entries named there, checked to be
entry files inside that subfolder. A user's own files beside it are never looked at, whatever
``BOOKBUILD_CACHE_DIR`` points at. A cache that cannot be used is skipped with a warning.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from bookbuild import __version__
from bookbuild.errors import BookbuildWarning

# Where the cache lives: $BOOKBUILD_CACHE_DIR, else the user's cache folder
# ($XDG_CACHE_HOME/bookbuild on Linux, ~/Library/Caches/bookbuild on macOS, %LOCALAPPDATA% on Windows).
CACHE_ENV = "BOOKBUILD_CACHE_DIR"
# Bumped when the stored layout of an entry changes, so old entries are never misread.
FORMAT = 3
LAYOUT = f"bookbuild-v{FORMAT}"
MARKER = "CACHEDIR.TAG"
MARKER_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is bookbuild's cache of rendered PDF parts; bookbuild prunes only the entries\n"
    f"# its index ({LAYOUT}/index.txt) records. Removing the folder is always safe.\n"
)
INDEX = "index.txt"
# Entries no build has used for this long are removed (used entries are touched on every build).
MAX_AGE_DAYS = 30
_ENTRY_NAME = re.compile(r"^(?:pdf-[\w.+-]+|memo-[0-9a-f]{16})/[0-9a-f]{2}/[0-9a-f]{64}\.(?:pdf|json|jpg)$")


def default_root() -> Path:
    """The cache folder: ``$BOOKBUILD_CACHE_DIR``, else the platform's user cache folder."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("bookbuild", appauthor=False))


def _renderer_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weasyprint")
    except PackageNotFoundError:
        return "unknown"


@dataclass
class CacheStats:
    """What a build took from the cache and what it had to render, by kind of part."""

    hits: int = 0
    renders: int = 0
    rendered: list[str] = field(default_factory=list)


class PartCache:
    """Rendered parts (a PDF and a JSON description each) under one folder per bookbuild version.

    Entries from another bookbuild or WeasyPrint version sit in another folder and are never
    read; an entry that cannot be read is treated as missing. With ``enabled`` false, or when
    the cache folder cannot be used, the parts go to a temporary folder, empty at first, that
    :meth:`close` removes, so the build works the same way (and the EPUB's page list and the
    PDF of one build share their parts).
    """

    def __init__(self, root: Path | None = None, enabled: bool = True) -> None:
        self.stats = CacheStats()
        self._temporary: Path | None = None
        self.enabled = enabled
        if enabled:
            root = root or default_root()
            problem = _claim(root)
            if problem:
                warnings.warn(
                    BookbuildWarning("CA001", f"cache {root} cannot be used ({problem}): building without it"),
                    stacklevel=2,
                )
                self.enabled = False
        if not self.enabled:
            self._temporary = root = Path(tempfile.mkdtemp(prefix="bookbuild-parts-"))
        self.root = root / LAYOUT
        self.folder = self.root / f"pdf-{__version__}-weasyprint-{_renderer_version()}"

    def key(self, *parts: str) -> str:
        """A key for content: a hash of the parts, the versions and the entry format."""
        digest = hashlib.sha256(f"{__version__}\0{_renderer_version()}\0{FORMAT}".encode())
        for part in parts:
            digest.update(b"\0" + part.encode("utf-8"))
        return digest.hexdigest()

    def pdf_path(self, key: str) -> Path:
        """Where the PDF of an entry is (or will be) stored."""
        return self.folder / key[:2] / f"{key}.pdf"

    def _meta_path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def load(self, key: str) -> dict[str, Any] | None:
        """The description stored with an entry, or None when it is missing or unreadable."""
        try:
            data = json.loads(self._meta_path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != __version__ or data.get("format") != FORMAT:
            return None
        if not self.pdf_path(key).is_file():
            return None
        self._touch(self._meta_path(key), self.pdf_path(key))
        return data

    def _touch(self, *paths: Path) -> None:
        """Count a hit and mark the entry used now, so pruning keeps it."""
        self.stats.hits += 1
        if self.enabled:
            for path in paths:
                try:
                    os.utime(path)
                except OSError:
                    pass  # read-only now: the entry is still good, it only ages

    def store(self, key: str, data: dict[str, Any], kind: str) -> None:
        """Record an entry whose PDF a renderer has just written to :meth:`pdf_path`."""
        self.stats.renders += 1
        self.stats.rendered.append(kind)
        path = self._meta_path(key)
        record = {"version": __version__, "format": FORMAT, **data}
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            # json.dumps encodes in C; json.dump streams through the pure-Python encoder, which
            # cost a 60,000-word book 0.7 s writing its parts' page words.
            out.write(json.dumps(record))
        os.replace(temporary, path)
        self._record(path, self.pdf_path(key))

    def _record(self, *paths: Path) -> None:
        if self.enabled:
            _record(self.root, *paths)

    def read_image(self, key: str) -> bytes | None:
        """An image stored under ``key`` (a JPEG), or None."""
        path = self.pdf_path(key).with_suffix(".jpg")
        try:
            data = path.read_bytes()
        except OSError:
            return None
        self._touch(path)
        return data

    def store_image(self, key: str, data: bytes) -> None:
        """Keep an image under ``key``, written whole or not at all."""
        path = self.prepare(key).with_suffix(".jpg")
        try:
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except OSError:
            return  # not kept: the next build draws it again
        self._record(path)

    def prepare(self, key: str) -> Path:
        """The PDF path for a new entry, its folder created."""
        path = self.pdf_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def prune(self, max_age_days: float = MAX_AGE_DAYS) -> None:
        """Remove the indexed entries, of any version, that no build has used for ``max_age_days``.

        Only paths the index names, shaped like an entry and inside this layout's folder, are
        ever removed; the index is rewritten with the entries that remain.
        """
        index = self.root / INDEX
        if not self.enabled or not index.is_file():
            return
        limit = time.time() - max_age_days * 86400
        try:
            names = dict.fromkeys(index.read_text(encoding="utf-8").split("\n"))
        except (OSError, ValueError):
            return
        kept = []
        for name in names:
            if not _ENTRY_NAME.match(name):
                continue
            path = self.root / name
            try:
                if path.resolve().parents[2] != self.root.resolve():
                    continue  # a folder on the way was replaced by a link: not ours to touch
                if path.is_symlink() or path.stat().st_mtime < limit:
                    path.unlink()
                    continue
            except OSError:
                continue  # gone already (or another build is removing it)
            kept.append(name)
        try:
            handle, temporary = tempfile.mkstemp(dir=self.root, suffix=".part")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write("".join(f"{name}\n" for name in kept))
            os.chmod(temporary, 0o644)
            os.replace(temporary, index)
        except OSError:
            pass  # the old index still names only entries; removed ones are skipped next time

    def close(self) -> None:
        """Remove the temporary folder of a disabled cache."""
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None


def _record(root: Path, *paths: Path) -> None:
    """Append entries to the index; O_APPEND keeps lines whole when builds run at once."""
    lines = "".join(f"{path.relative_to(root).as_posix()}\n" for path in paths)
    try:
        # O_NOFOLLOW: an index replaced by a link must not append to a file of the user's.
        descriptor = os.open(root / INDEX, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        with os.fdopen(descriptor, "a", encoding="utf-8") as index:
            index.write(lines)
    except OSError:
        pass  # an entry missing from the index is only never pruned


@cache
def code_digest() -> str:
    """A digest of bookbuild's own code and rule data: a remembered answer is good for this code only.

    The version number does not change with every edit of a rule; the files do.
    """
    package = Path(__file__).resolve().parent
    from bookbuild.assets import assets_root

    digest = hashlib.sha256()
    for folder in (package, assets_root()):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".toml", ".json", ".txt") and "__pycache__" not in path.parts:
                digest.update(f"\0{path.relative_to(folder).as_posix()}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


Result = TypeVar("Result")


class TextMemo:
    """Answers of pure functions of one paragraph's text, kept from one build of a book to the next.

    An edit changes a few paragraphs; the others' answers (is it an author's note? 150 patterns
    searched) are read back instead of worked out again. One JSON file per book, in a folder
    named by :func:`code_digest`; it keeps the answers the last build asked for.
    """

    def __init__(self, path: Path | None, known: dict[str, Any], index: Callable[[Path], None]) -> None:
        self.path = path
        self.known = known
        self.asked: dict[str, Any] = {}
        self.learned = 0
        self._index = index

    def recall(self, kind: str, text: str, work: Callable[[str], Result],
               encode: Callable[[Result], Any], decode: Callable[[Any], Result]) -> Result:
        """``work(text)``, or its answer from an earlier build (``encode``/``decode`` make it JSON)."""
        key = kind + ":" + hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        if key in self.asked:
            return decode(self.asked[key])
        if key in self.known:
            stored = self.known[key]
        else:
            stored = encode(work(text))
            self.learned += 1
        self.asked[key] = stored
        return decode(stored)

    def save(self) -> None:
        """Keep the answers this build asked for, if any was new or any old one went unasked."""
        if self.path is None or (not self.learned and len(self.asked) == len(self.known)):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".part")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(json.dumps({"version": __version__, "answers": self.asked}))
            os.replace(temporary, self.path)
            self._index(self.path)
        except OSError:
            pass  # next build works the answers out again


_memo: TextMemo | None = None


@contextlib.contextmanager
def text_memo(book: str, enabled: bool, root: Path | None = None) -> Iterator[None]:
    """Within the block, :func:`recall` answers from the memo of ``book`` (a manuscript's path)."""
    global _memo
    if not enabled or _memo is not None:
        yield
        return
    root = root or default_root()
    path: Path | None = None
    known: dict[str, Any] = {}
    if not _claim(root):
        name = hashlib.sha256(book.encode("utf-8", "surrogatepass")).hexdigest()
        path = root / LAYOUT / f"memo-{code_digest()[:16]}" / name[:2] / f"{name}.json"
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("version") == __version__ and isinstance(data.get("answers"), dict):
                known = data["answers"]
    _memo = TextMemo(path, known, lambda saved: _record(root / LAYOUT, saved))  # pruned with the parts
    try:
        yield
    finally:
        memo, _memo = _memo, None
        memo.save()


def recall(kind: str, text: str, work: Callable[[str], Result],
           encode: Callable[[Result], Any], decode: Callable[[Any], Result]) -> Result:
    """``work(text)``, answered from the book's memo when a build keeps one (see :class:`TextMemo`)."""
    if _memo is None:
        return work(text)
    return _memo.recall(kind, text, work, encode, decode)


def _claim(root: Path) -> str:
    """Make ``root`` a usable cache folder with its marker; what is wrong when it cannot be."""
    try:
        if root.exists() and not root.is_dir():
            return "a file is in the way"
        (root / LAYOUT).mkdir(parents=True, exist_ok=True)
        marker = root / MARKER
        if marker.is_symlink():
            return f"its {MARKER} is a symbolic link"  # writing it would write wherever the link points
        if not marker.is_file():
            descriptor = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                out.write(MARKER_TEXT)
        probe = tempfile.NamedTemporaryFile(dir=root / LAYOUT, prefix=".probe-", delete=True)  # noqa: SIM115
        probe.close()
    except OSError as exc:
        return (exc.strerror or str(exc)).lower()
    return ""
