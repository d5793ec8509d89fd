"""The on-disk cache of rendered PDF parts, keyed by their content, the settings and bookbuild's version."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bookbuild import __version__

# Where the cache lives unless BOOKBUILD_CACHE_DIR says otherwise (relative to the working folder).
CACHE_ENV = "BOOKBUILD_CACHE_DIR"
DEFAULT_DIR = Path(".bookbuild-cache")
# Bumped when the stored layout of an entry changes, so old entries are never misread.
FORMAT = 2
# Entries no build has used for this long are removed (used entries are touched on every build).
MAX_AGE_DAYS = 30


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
    read; an entry that cannot be read is treated as missing. With ``enabled`` false the parts
    go to a temporary folder, empty at first, that :meth:`close` removes, so the build works the
    same way (and the EPUB's page list and the PDF of one build share their parts).
    """

    def __init__(self, root: Path | None = None, enabled: bool = True) -> None:
        self.enabled = enabled
        self.stats = CacheStats()
        self._temporary: Path | None = None
        if enabled:
            root = root or Path(os.environ.get(CACHE_ENV) or DEFAULT_DIR)
        else:
            self._temporary = root = Path(tempfile.mkdtemp(prefix="bookbuild-parts-"))
        self.folder = root / f"pdf-{__version__}-weasyprint-{_renderer_version()}-f{FORMAT}"

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
        self.stats.hits += 1
        if self.enabled:
            for path in (self._meta_path(key), self.pdf_path(key)):
                os.utime(path)
        return data

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

    def prepare(self, key: str) -> Path:
        """The PDF path for a new entry, its folder created."""
        path = self.pdf_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def prune(self, max_age_days: float = MAX_AGE_DAYS) -> None:
        """Remove the entries, of any version, that no build has used for ``max_age_days``."""
        root = self.folder.parent
        if not self.enabled or not root.is_dir():
            return
        limit = time.time() - max_age_days * 86400
        for path in root.glob("pdf-*/*/*"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                continue  # another build is using or removing it

    def close(self) -> None:
        """Remove the temporary folder of a disabled cache."""
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None
