"""The print edition: the model laid out by WeasyPrint as a book interior, its wrap cover and imposed sheets.

Entry points: :func:`write_pdf` (the interior), :func:`write_cover`, :func:`write_imposed`, and
:func:`page_map` (where each printed page begins, for the EPUB's page list).
"""

from bookbuild.writers.pdf.cover import write_cover
from bookbuild.writers.pdf.impose import parse_impose, write_imposed
from bookbuild.writers.pdf.interior import page_map, write_pdf

__all__ = ["page_map", "parse_impose", "write_cover", "write_imposed", "write_pdf"]
