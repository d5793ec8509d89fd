"""A PDF's bytes depend on its content alone: WeasyPrint gives a PDF/X-4 a random XMP DocumentID.

The trailer's /ID is a hash over a file that holds that random id, so it changes too. Both are
replaced by values derived from everything else in the file, at the same length, so the
cross-reference offsets stay right and the same book always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable
from pathlib import Path

# WeasyPrint writes the XMP packet of PDF/X-4 uncompressed, with ``xmp.did:`` and a uuid4.
_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TRAILER_ID = re.compile(rb"/ID \[\(([0-9a-f]{32})\) \(([0-9a-f]{32})\)\]")


def pin_document_id(data: bytes) -> bytes:
    """The PDF with its random DocumentID (and the trailer /ID hashed over it) made content-derived."""
    found = _DOCUMENT_ID.search(data)
    if not found:
        return data
    blank = bytearray(data)
    blank[found.start() + 8 : found.end()] = b"0" * (found.end() - found.start() - 8)
    trailer = _TRAILER_ID.search(blank)
    if trailer:
        for group in (1, 2):
            blank[trailer.start(group) : trailer.end(group)] = b"0" * 32
    digest = hashlib.sha256(blank).digest()
    pinned = bytearray(blank)
    pinned[found.start() + 8 : found.end()] = _uuid_text(digest)
    if trailer:
        for group in (1, 2):
            pinned[trailer.start(group) : trailer.end(group)] = digest[16:].hex().encode("ascii")
    return bytes(pinned)


def pin_metadata_id(pdf, parts: Iterable[Path]) -> None:
    """Give a pikepdf PDF's XMP DocumentID a value derived from the files it was joined from."""
    metadata = pdf.Root.get("/Metadata")
    if metadata is None:
        return
    digest = hashlib.sha256()
    for part in parts:
        with open(part, "rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
    packet = metadata.read_bytes()
    replaced = _DOCUMENT_ID.sub(b"xmp.did:" + _uuid_text(digest.digest()), packet, count=1)
    if replaced != packet:
        metadata.write(replaced)


def _uuid_text(digest: bytes) -> bytes:
    """A uuid (shaped as version 4, as WeasyPrint's are) made from the first 16 bytes of a digest."""
    return str(uuid.UUID(bytes=digest[:16], version=4)).encode("ascii")


def place_form(page, formx, name: str, rect) -> None:
    """Lay a Form XObject over a pikepdf page in ``rect``, as ``Page.add_overlay`` does, under ``name``.

    add_overlay names the form at random, so two runs would differ; the caller picks a name
    unique within the page's resources (pages may share one resource dictionary).
    """
    from pikepdf import Name

    placed = page.add_resource(formx, Name.XObject, Name("/" + name))
    placement = page.calc_form_xobject_placement(formx, placed, rect, allow_shrink=True, allow_expand=True)
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n", prepend=False)
    page.contents_add(placement, prepend=False)
    page.contents_coalesce()


def write_pinned(document, target: Path, **options: object) -> None:
    """Write a WeasyPrint document to ``target`` with content-derived identifiers."""
    Path(target).write_bytes(pin_document_id(document.write_pdf(**options)))
