"""bookbuild: turn a story manuscript into a valid EPUB 3 and a print-ready PDF."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
