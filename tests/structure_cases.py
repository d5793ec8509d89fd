"""Tagged manuscripts for the structure tests: what every paragraph is, and the model or EPUB read back.

A tagged manuscript marks each paragraph: "@n " a note, "@b " a scene-break marker, "@h " a
heading; untagged paragraphs are story. ``untag`` gives the manuscript a writer would type and
the gold paragraphs; ``from_book`` and ``from_epub`` read what bookbuild made of it the way
../shared/eval/score.py does (a paragraph in a preface or afterword is a note; a break lies
between two paragraphs).
"""

from __future__ import annotations

import re
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from bookbuild.config import BuildConfig
from bookbuild.model import Book, Paragraph, Role, SceneBreak, block_text
from bookbuild.pipeline import process

CASES = tomllib.loads((Path(__file__).parent / "fixtures" / "structure" / "stories.toml").read_text(encoding="utf-8"))
_TAG = re.compile(r"^@([nbh]) ")
_NOTE_TYPES = {"preface", "foreword", "afterword", "notice", "copyright-page", "acknowledgments"}
_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


@dataclass(frozen=True, slots=True)
class Para:
    """One paragraph as read back: its words, whether it is a note, whether a break comes before it."""

    text: str
    note: bool
    break_before: bool


@dataclass(frozen=True, slots=True)
class Tagged:
    """A manuscript as typed, its gold paragraphs, and the heading lines (neither story nor note)."""

    text: str
    gold: tuple[Para, ...]
    headings: frozenset[str]


def _words(text: str) -> str:
    # Asterisks and underscores are Markdown emphasis to the reader, gone from the text it keeps.
    return " ".join(text.replace("*", "").replace("_", "").split())


def untag(tagged: str) -> Tagged:
    """The manuscript a writer types from a tagged one, with its gold paragraphs."""
    lines: list[str] = []
    gold: list[Para] = []
    headings: set[str] = set()
    pending = False
    for chunk in re.split(r"\n\s*\n", tagged.strip()):
        match = _TAG.match(chunk)
        tag = match.group(1) if match else ""
        body = chunk[match.end():] if match else chunk
        lines.append(body)
        if tag == "b":
            pending = True
        elif tag == "h":
            headings.add(_words(body))
        else:
            gold.append(Para(_words(body), tag == "n", pending and tag != "n"))
            pending = False
    return Tagged("\n\n".join(lines) + "\n", tuple(gold), frozenset(headings))


def story(name: str) -> str:
    """A tagged story from the fixture file."""
    return CASES["stories"][name].strip()


def as_notes(note: str) -> str:
    """A note of one or more paragraphs, every paragraph tagged as a note."""
    return "\n\n".join(f"@n {p}" for p in re.split(r"\n\s*\n", note.strip()))


def from_book(book: Book) -> list[Para]:
    """The paragraphs of a processed book in reading order (endnotes left out)."""
    paragraphs: list[Para] = []
    pending = False
    for section in book.sections:
        for block in section.blocks:
            if isinstance(block, SceneBreak):
                pending = True
            elif isinstance(block, Paragraph):
                paragraphs.append(Para(_words(block_text(block)), section.role is not Role.CHAPTER, pending))
                pending = False
    return paragraphs


def build_model(tagged: Tagged, tmp_path: Path) -> list[Para]:
    """The paragraphs bookbuild's pipeline makes of a manuscript (typography off, marked breaks only)."""
    source = tmp_path / "story.txt"
    source.write_text(tagged.text, encoding="utf-8")
    result = process(source, BuildConfig(typography=False, scene_breaks="marked"))
    return from_book(result.book)


def from_epub(path: Path) -> list[Para]:
    """The paragraphs of an EPUB in spine order, notes and breaks as score.py reads them."""
    paragraphs: list[Para] = []
    pending = [False]
    with zipfile.ZipFile(path) as archive:
        container = etree.fromstring(archive.read("META-INF/container.xml"))
        opf_path = next(e.get("full-path") for e in container.iter() if e.tag.endswith("rootfile"))
        opf = etree.fromstring(archive.read(opf_path))
        base = str(Path(opf_path).parent)
        items = {e.get("id"): e for e in opf.iter() if e.tag.endswith("}item")}
        for ref in (e for e in opf.iter() if e.tag.endswith("}itemref")):
            item = items[ref.get("idref")]
            if "nav" in (item.get("properties") or "").split():
                continue
            name = item.get("href") if base in ("", ".") else f"{base}/{item.get('href')}"
            root = etree.fromstring(archive.read(name))
            body = next(e for e in root.iter() if e.tag.endswith("}body"))
            _walk(body, _is_note(body), _is_text(body), paragraphs, pending)
    return paragraphs


def _is_note(element) -> bool:
    return bool(_NOTE_TYPES & set((element.get(_EPUB_TYPE) or "").split()))


def _is_text(element) -> bool:
    # The title and copyright pages hold paragraphs too; only the story and its notes count here.
    return bool({"chapter", "preface", "afterword"} & set((element.get(_EPUB_TYPE) or "").split()))


def _walk(element, in_note: bool, in_text: bool, paragraphs: list[Para], pending: list[bool]) -> None:
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = child.tag.split("}")[-1]
        note = in_note or _is_note(child)
        text_part = in_text or _is_text(child)
        if name == "hr":
            pending[0] = True
        elif name == "p" and text_part:
            text = _words("".join(child.itertext()))
            if text:
                paragraphs.append(Para(text, note, pending[0]))
                pending[0] = False
        else:
            _walk(child, note, text_part, paragraphs, pending)


def compare(tagged: Tagged, got: list[Para], typeset: bool = False) -> list[str]:
    """Differences between what was made and the gold, one line each (empty when all agree).

    A heading line may come back as a heading or as a story paragraph, never as a note. With
    ``typeset`` the texts are compared by their letters only, as typography changes quotes.
    """
    def key(text: str) -> str:
        return re.sub(r"[^\w]", "", text).lower() if typeset else text

    headings = {key(h) for h in tagged.headings}
    problems = [f"heading made a note: {p.text!r}" for p in got if key(p.text) in headings and p.note]
    made = [p for p in got if key(p.text) not in headings]
    if [key(p.text) for p in made] != [key(p.text) for p in tagged.gold]:
        return problems + [f"paragraphs differ: {[p.text[:30] for p in made]} != {[p.text[:30] for p in tagged.gold]}"]
    for want, have in zip(tagged.gold, made, strict=True):
        if want.note != have.note:
            problems.append(f"{'note' if want.note else 'story'} read as {'note' if have.note else 'story'}: {want.text[:60]!r}")
        if want.break_before != have.break_before:
            problems.append(f"break {'missed' if want.break_before else 'added'} before {want.text[:40]!r}")
    return problems
