"""The print edition: the model laid out by WeasyPrint as a book interior, its wrap cover and imposed sheets.

Entry points: :func:`write_pdf` (the interior), :func:`write_cover`, :func:`write_imposed`, and
:func:`page_map` (where each printed page begins, for the EPUB's page list).
"""

from bookbuild.writers.pdf import preflight
from bookbuild.writers.pdf.cover import front_cover_jpeg, write_cover
from bookbuild.writers.pdf.impose import parse_creep, parse_impose, write_imposed
from bookbuild.writers.pdf.interior import layout_decisions, page_map, write_pdf
from bookbuild.writers.pdf.parallel import one_build, part_workers, session_cache

__all__ = ["front_cover_jpeg", "layout_decisions", "one_build", "page_map", "parse_creep", "parse_impose", "part_workers", "preflight", "session_cache", "write_cover", "write_imposed", "write_pdf"]
