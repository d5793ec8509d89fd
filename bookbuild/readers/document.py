"""What a structured reader (an HTML page, an EPUB, a Word document) hands on: more than blocks.

Plain text and Markdown give a run of blocks per file; a structured file also knows which of
its parts are the author's notes and what its metadata is, so it gives sections with their
roles and the metadata fields it found, each recorded as a decision by the reader.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from typing import Any

from bookbuild.errors import InputError
from bookbuild.model import Section

# A zip member above this, or a whole archive above the total, is not a story: it is a zip
# bomb or a film. Real EPUB and .docx files are a few megabytes at most.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_RATIO = 200  # deflate reaches about 10:1 on prose; 1000:1 is a bomb


@dataclass
class Document:
    """Sections in reading order (chapters with Heading blocks, note sections with their roles),
    the metadata fields found (names of :class:`~bookbuild.model.Meta` fields) and the reader's name."""

    sections: list[Section]
    meta: dict[str, Any] = field(default_factory=dict)
    reader: str = ""


def open_zip(data: bytes, name: str, kind: str) -> zipfile.ZipFile:
    """A zip archive checked against bombs before anything in it is read."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{name} is not a readable {kind} (the file is damaged or not a zip archive)") from exc
    if len(members) > MAX_MEMBERS:
        raise InputError(f"{name} holds {len(members)} files, too many for {kind}: refused")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_MEMBER_BYTES or (member.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise InputError(f"{name}: '{member.filename[:80]}' unpacks to {member.file_size // (1024 * 1024)} MB, "
                             f"too large for {kind} (a zip bomb?): refused")
    if total > MAX_TOTAL_BYTES:
        raise InputError(f"{name} unpacks to {total // (1024 * 1024)} MB, too large for {kind}: refused")
    return archive


def read_member(archive: zipfile.ZipFile, member: str, name: str, kind: str) -> bytes:
    """One member of a checked archive; its real size is capped too (a header can lie)."""
    try:
        with archive.open(member) as handle:
            data = handle.read(MAX_MEMBER_BYTES + 1)
    except KeyError as exc:
        raise InputError(f"{name} is not a readable {kind}: '{member}' is missing") from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise InputError(f"{name} is not a readable {kind}: '{member}' is damaged ({exc})") from exc
    if len(data) > MAX_MEMBER_BYTES:
        raise InputError(f"{name}: '{member}' is larger than its header says (a zip bomb?): refused")
    return data
