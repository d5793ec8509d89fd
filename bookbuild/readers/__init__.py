"""Readers: turn a manuscript file or a book folder into the document model.

A format is one module and one line in :data:`READERS` (text formats: decoded text in, blocks
out) or :data:`DOCUMENT_READERS` (structured formats: bytes in, sections with their roles and
metadata out, see :mod:`bookbuild.readers.document`).
"""

from __future__ import annotations

import dataclasses
import operator
import os
import re
from collections.abc import Callable
from pathlib import Path

from bookbuild.config import UNWANTED_CHARACTERS, BuildConfig
from bookbuild.decisions import Decision
from bookbuild.errors import InputError
from bookbuild.model import (
    LANGUAGE_TAG,
    Block,
    Book,
    Emph,
    Heading,
    Inline,
    Meta,
    Note,
    Paragraph,
    Role,
    SceneBreak,
    Section,
    Strong,
    Text,
    first_words,
)
from bookbuild.readers.decode import EmptyManuscript, decode_manuscript
from bookbuild.readers.document import Document
from bookbuild.readers.front_matter import front_matter_metadata
from bookbuild.readers.text import read_text


# The other readers are imported when a file of theirs is read: a build reads one format or
# two, and importing every reader (Markdown's parser, the Word and EPUB readers) cost each
# build some 40 ms of a plain text's second.
def read_markdown(text: str, **context: object) -> list[Block]:
    """Markdown's blocks (readers/markdown.py)."""
    from bookbuild.readers.markdown import read_markdown as read

    return read(text, **context)


def read_html_page(data: bytes, name: str, decisions: list[Decision], notes: list[Note]) -> Document:
    """A saved web page's sections (readers/html_page.py)."""
    from bookbuild.readers.html_page import read_html_page as read

    return read(data, name, decisions, notes)


def read_epub(data: bytes, name: str, decisions: list[Decision], notes: list[Note]) -> Document:
    """An EPUB's sections (readers/epub.py)."""
    from bookbuild.readers.epub import read_epub as read

    return read(data, name, decisions, notes)


def read_docx(data: bytes, name: str, decisions: list[Decision], notes: list[Note]) -> Document:
    """A Word document's sections (readers/docx.py)."""
    from bookbuild.readers.docx import read_docx as read

    return read(data, name, decisions, notes)


READERS: dict[str, Callable[..., list[Block]]] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
}
DOCUMENT_READERS: dict[str, Callable[[bytes, str, list[Decision], list[Note]], Document]] = {
    ".html": read_html_page,
    ".htm": read_html_page,
    ".xhtml": read_html_page,
    ".epub": read_epub,
    ".docx": read_docx,
}
# Formats people try that bookbuild cannot read, by suffix: what it is and how to save it instead.
_AS_DOCX = "save it as a Word document (.docx) (File > Save As in Word, LibreOffice or Pages; File > Download in Google Docs)"
FOREIGN = {
    ".doc": ("a Word 97-2003 document", _AS_DOCX),
    ".odt": ("an OpenDocument text", _AS_DOCX),
    ".rtf": ("an RTF document", _AS_DOCX),
    ".pages": ("a Pages document", "export it as a Word document (.docx) (File > Export To > Word in Pages)"),
    ".pdf": ("a PDF", "save the story as plain text (.txt), Markdown (.md) or Word (.docx)"),
}
COVER_TYPES = {b"\x89PNG": "png", b"\xff\xd8\xff": "jpeg", b"GIF8": "gif"}

# Above this a manuscript is almost certainly not prose; it protects memory, not taste.
MAX_BYTES = 200 * 1024 * 1024


def readable_name(name: str) -> str:
    """A file name as text: bytes the file system's encoding cannot read (kept by Python as lone
    surrogates, which no XML or UTF-8 output can hold) become U+FFFD; controls are dropped."""
    if not UNWANTED_CHARACTERS.search(name):
        return name
    return UNWANTED_CHARACTERS.sub("", os.fsencode(name).decode("utf-8", errors="replace"))


def natural_key(name: str) -> list[object]:
    """Sort key that puts ``chapter2`` before ``chapter10``."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def _read_bytes(path: Path) -> bytes:
    try:
        if not path.is_file():
            raise InputError(f"{path} is not a regular file")
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MB")
        return path.read_bytes()
    except PermissionError as exc:
        raise InputError(f"cannot read {path}: permission denied") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _reader_for(path: Path, decisions: list[Decision]) -> Callable[..., list[Block]]:
    suffix = path.suffix.lower()
    if suffix in FOREIGN:
        kind, advice = FOREIGN[suffix]
        raise InputError(f"{path.name} is {kind}, which bookbuild cannot read: {advice}")
    if suffix not in READERS:
        decisions.append(
            Decision("read", "RD005", "warning", f"read {path.name} as plain text (unknown type '{suffix}')", line=1)
        )
        return read_text
    return READERS[suffix]


def _read_file(path: Path, decisions: list[Decision], notes: list[Note]) -> list[Block]:
    reader = _reader_for(path, decisions)
    decoded = decode_manuscript(_read_bytes(path), path.name)
    for code, message in decoded.warnings:
        decisions.append(Decision("read", code, "warning", message, path.name))
    known = len(notes)
    blocks = reader(decoded.text, decisions=decisions, folder=path.parent, name=path.name, notes=notes)
    _clean_notes(notes, known, path.name, decisions)
    return _clean_blocks(blocks, path.name, decisions)


def _clean_inline(span: Inline, removed: list[int]) -> Inline:
    """The span without characters XML forbids: the very same span when it has none."""
    if isinstance(span, Text):
        if not UNWANTED_CHARACTERS.search(span.text):
            return span
        cleaned = UNWANTED_CHARACTERS.sub("", span.text)
        removed[0] += len(span.text) - len(cleaned)
        return Text(cleaned)
    if isinstance(span, (Emph, Strong)):
        children = _cleaned_inlines(span.children, removed)
        return span if children is span.children else dataclasses.replace(span, children=children)
    return span


def _cleaned_inlines(spans: tuple[Inline, ...], removed: list[int]) -> tuple[Inline, ...]:
    """The spans cleaned (see _clean_inline): the very same tuple when none changed, so a clean
    book of many paragraphs is not copied paragraph by paragraph."""
    cleaned = tuple([_clean_inline(span, removed) for span in spans])
    return spans if all(map(operator.is_, cleaned, spans)) else cleaned


def _clean_blocks(blocks: list[Block], name: str, decisions: list[Decision]) -> list[Block]:
    """Blocks without characters XML forbids, whatever made them (a character reference such as
    ``&#1;`` in Markdown's HTML is decoded after the text was cleaned), with one warning."""
    removed = [0]
    cleaned = _cleaned_blocks(blocks, removed)
    _report_removed(removed[0], name, decisions)
    return cleaned


def _report_removed(count: int, name: str, decisions: list[Decision]) -> None:
    if count:
        decisions.append(Decision(
            "read", "RD004", "warning",
            f"removed {count} control character(s) that XML forbids from {name} (written as character references)",
            name,
        ))


def _clean_notes(notes: list[Note], known: int, name: str, decisions: list[Decision]) -> None:
    """The notes one file added (from index ``known`` on) without characters XML forbids, in place."""
    removed = [0]
    for index in range(known, len(notes)):
        notes[index] = dataclasses.replace(notes[index], blocks=tuple(_cleaned_blocks(list(notes[index].blocks), removed)))
    _report_removed(removed[0], name, decisions)


def _clean_document(document: Document, name: str, decisions: list[Decision]) -> Document:
    """A structured file's sections, section titles and metadata without characters XML forbids:
    its character references (``&#1;`` in an Archive title) are decoded by the parser."""
    removed = [0]
    sections = [
        dataclasses.replace(s, blocks=tuple(_cleaned_blocks(list(s.blocks), removed)),
                            title=_cleaned_inlines(s.title, removed))
        for s in document.sections
    ]
    meta = {key: _clean_value(value, removed) for key, value in document.meta.items()}
    _report_removed(removed[0], name, decisions)
    return dataclasses.replace(document, sections=sections, meta=meta)


def _clean_value(value: object, removed: list[int]) -> object:
    if isinstance(value, str):
        cleaned = UNWANTED_CHARACTERS.sub("", value)
        removed[0] += len(value) - len(cleaned)
        return cleaned
    if isinstance(value, (tuple, list)):
        return type(value)(_clean_value(item, removed) for item in value)
    return value


def _cleaned_blocks(blocks: list[Block], removed: list[int]) -> list[Block]:
    cleaned: list[Block] = []
    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            inlines = _cleaned_inlines(block.inlines, removed)
            if inlines is not block.inlines:
                block = dataclasses.replace(block, inlines=inlines)
        elif isinstance(block, SceneBreak) and block.marker:
            marker = UNWANTED_CHARACTERS.sub("", block.marker)
            removed[0] += len(block.marker) - len(marker)
            block = dataclasses.replace(block, marker=marker)
        cleaned.append(block)
    return cleaned


def inside_folder(folder: Path, path: Path, what: str) -> Path:
    """``path`` resolved, or one line naming ``what`` when it loops or leads out of ``folder``.

    A book folder may come from someone else; a chapter linked to ``~/.ssh/id_rsa`` must never
    be read into a book.
    """
    try:
        resolved, root = path.resolve(), folder.resolve()
    except (RuntimeError, OSError) as exc:  # a symbolic link loop: RuntimeError before Python 3.13
        raise InputError(f"{what} is a symbolic link that loops: refused") from exc
    if not resolved.is_relative_to(root):
        kind = " a symbolic link" if path.is_symlink() else ""
        raise InputError(f"{what} is{kind} outside the book folder {folder}: refused")
    return resolved


# Files a folder may hold beside its chapters that are never part of the story.
NOT_MANUSCRIPTS = ("readme.md", "license.md", "licence.md")


def reads(path: Path) -> bool:
    """Whether a file found in a folder is a manuscript a reader reads (not hidden, not a README)."""
    name = path.name
    return path.suffix.lower() in READERS and not name.startswith(".") and name.lower() not in NOT_MANUSCRIPTS


def manuscript_files(folder: Path, cfg: BuildConfig) -> list[Path]:
    """The chapter files of a book folder, as ``book.toml`` lists them or in natural order,
    each resolved inside the folder."""
    if cfg.files:
        paths: dict[Path, str] = {}
        for name in cfg.files:
            path = inside_folder(folder, folder / name, f"book.toml: '{name}'")
            if not path.is_file():
                raise InputError(f"book.toml lists '{name}', which does not exist in {folder}")
            if path in paths:  # the story would silently hold that chapter twice
                also = "" if paths[path] == name else f" (as '{paths[path]}' and '{name}')"
                raise InputError(f"book.toml lists '{path.name}' twice{also}: name each chapter file once")
            paths[path] = name
        return list(paths)
    try:
        entries = list(folder.iterdir())
    except OSError as exc:
        raise InputError(f"cannot read the folder {folder}: {exc.strerror or exc}") from exc
    # Only text chapters are found by themselves (see reads): an .epub, .html or .docx beside
    # them may be an earlier build or a reference; book.toml's files list names such chapters.
    named = sorted((p for p in entries if reads(p)), key=lambda p: natural_key(p.name))
    paths = [p for p in (inside_folder(folder, p, p.name) for p in named) if p.is_file()]
    if not paths:
        raise InputError(f"{folder} has no manuscript (.txt or .md files; name others in book.toml's files)")
    return paths


def cover_path(source: Path, cfg: BuildConfig) -> Path | None:
    """The cover image ``book.toml`` names, checked: inside the book folder, present, an image."""
    cover = str(cfg.metadata.get("cover") or "")
    if not cover:
        return None
    folder = cfg.config_path.parent if cfg.config_path else (source if source.is_dir() else source.parent)
    if re.match(r"^[a-z][a-z0-9+.-]+:", cover, re.IGNORECASE):
        raise InputError(f"cover '{cover}' must be an image file in the book folder, not a URL")
    if Path(cover).is_absolute():
        raise InputError(f"cover '{cover}' is outside the book folder {folder}")
    path = inside_folder(folder, folder / cover, f"cover '{cover}'")
    if not path.is_file():
        raise InputError(f"cover image '{cover}' not found in {folder}")
    head = _read_bytes(path)[:512]
    is_webp = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if not (is_webp or any(head.startswith(magic) for magic in COVER_TYPES)):
        raise InputError(f"cover '{cover}' is not a PNG, JPEG, GIF or WebP image")
    _check_decodes(path, cover)
    return path


def _check_decodes(path: Path, cover: str) -> None:
    """Refuse a cover no format could use (truncated, corrupt), whichever formats are built:
    the EPUB embeds it, so a PDF-only build must not pass what an EPUB build refuses."""
    from PIL import Image, ImageFile, UnidentifiedImageError

    # WeasyPrint, once imported, tells Pillow to load truncated images: not for this check.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(path) as image:
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise InputError(f"cover image {cover} is not a readable image ({exc})") from exc
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def read_source(source: Path, cfg: BuildConfig) -> tuple[Book, list[Decision]]:
    """The book as read, one untitled section per file, with the reader's decisions."""
    decisions: list[Decision] = []
    if not source.exists():
        raise InputError(f"{source}: no such file or folder")
    if not source.is_dir() and not source.is_file():
        raise InputError(f"{source} is not a regular file or a folder")
    cover_path(source, cfg)
    files = manuscript_files(source, cfg) if source.is_dir() else [source]
    sections = []
    notes: list[Note] = []  # Markdown footnotes, numbered across the files
    found: dict[str, object] = {}  # metadata structured files carry; the first file's wins
    for path in files:
        if path.suffix.lower() in DOCUMENT_READERS:
            known = len(notes)
            document = _clean_document(_read_document(path, decisions, notes), path.name, decisions)
            _clean_notes(notes, known, path.name, decisions)
            sections += document.sections
            found = {**document.meta, **found}
            continue
        try:
            blocks = _read_file(path, decisions, notes)
        except EmptyManuscript as error:
            # One empty chapter file in a folder is skipped; a book with no text at all is an error.
            if len(files) == 1:
                raise
            decisions.append(Decision("read", "RD006", "warning", f"skipped {path.name}: {error}", path.name))
            continue
        if blocks:
            sections.append(Section(Role.CHAPTER, tuple(blocks), line=1))
    if not sections:
        raise InputError(f"{source} has no text")
    stem = readable_name((source if source.is_dir() else source.with_suffix("")).name)
    meta = Meta(title=stem, title_from_filename=True)
    for key, value in front_matter_metadata(decisions).items():  # under book.toml and the command line
        found.setdefault(key, value)
    _drop_bad_language(found, cfg, decisions)
    known = {f.name for f in dataclasses.fields(Meta)}
    meta = dataclasses.replace(meta, **{k: v for k, v in found.items() if k in known and v})
    if found.get("title"):
        meta = dataclasses.replace(meta, title_from_filename=False)
    return Book(meta=meta, sections=tuple(sections), notes=tuple(notes)), decisions


def _drop_bad_language(found: dict[str, object], cfg: BuildConfig, decisions: list[Decision]) -> None:
    """A language the file declares that is not a language code, left out with a warning.

    A downloaded EPUB's or a Word document's metadata is not the user's to fix; book.toml's
    and --lang's language still fail the build when they are wrong.
    """
    language = str(found.get("language") or "").strip()
    if not language or LANGUAGE_TAG.match(language) or cfg.metadata.get("language"):
        return
    found.pop("language")
    rule = (f"the manuscript's language '{language[:40]}' is not a language code such as en, en-GB or fr: "
            "left out (set language in book.toml or --lang)")
    decisions.append(Decision("read", "IN050", "warning", rule, first_words(language), data={"language": language}))


def _read_document(path: Path, decisions: list[Decision], notes: list[Note]) -> Document:
    """A structured file's sections and metadata, its notes numbered on from the book's."""
    suffix = path.suffix.lower()
    document = DOCUMENT_READERS[suffix](_read_bytes(path), path.name, decisions, notes)
    if not any(s.blocks for s in document.sections):
        raise EmptyManuscript(f"{path.name} has no text")
    return document
