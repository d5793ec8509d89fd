"""The EPUB edition: the model as an EPUB 3 package (ebooklib), with its cover, navigation and page list.

Entry points: :func:`write_epub`, and :func:`write_kepub` for Kobo. It never imports the print edition: the page list arrives as a
:class:`bookbuild.pages.PageMap` made by whoever laid the print edition out.
"""

from bookbuild.writers.epub.book import epub_bytes, write_epub, write_kepub

__all__ = ["epub_bytes", "write_epub", "write_kepub"]
