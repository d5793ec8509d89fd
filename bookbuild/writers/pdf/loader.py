"""Import WeasyPrint without the compiler runs its library search costs on Linux."""

from __future__ import annotations

import sys


def load_weasyprint() -> None:
    """Import WeasyPrint (once), its libraries found through the system linker's cache alone.

    WeasyPrint opens each library (GObject, Pango, HarfBuzz, fontconfig) under a list of names
    for every platform, through cffi, which asks ``ctypes.util.find_library`` about each name
    that does not open at once; on Linux a name the linker's cache does not know then runs gcc
    and ld to look further (WeasyPrint issue #1125): some fifteen processes, about 0.2 s of every
    build and a sixth of an e-book's. Every list holds the library's Linux soname, which the
    loader finds by itself, so only the cache is asked. Elsewhere the import is left as it is.
    """
    if "weasyprint" in sys.modules:
        return
    import ctypes.util

    from_cache = getattr(ctypes.util, "_findSoname_ldconfig", None)  # CPython's own, Linux only
    if not sys.platform.startswith("linux") or from_cache is None:
        import weasyprint  # noqa: F401
        return
    search, ctypes.util.find_library = ctypes.util.find_library, from_cache
    try:
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = search
