"""Find the files in ``assets/`` (CSS, fonts, templates), in a checkout or an installed wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from bookbuild.errors import BookbuildError

_PACKAGE = Path(__file__).resolve().parent


@cache
def assets_root() -> Path:
    """The assets folder: bundled in the wheel, or at the top of a source checkout."""
    for candidate in (_PACKAGE / "assets", _PACKAGE.parent / "assets"):
        if (candidate / "css").is_dir():
            return candidate
    raise BookbuildError("bookbuild's assets folder is missing; reinstall bookbuild")


def asset_path(relative: str) -> Path:
    """The path of one asset file, such as ``css/epub.css``."""
    return assets_root() / relative
