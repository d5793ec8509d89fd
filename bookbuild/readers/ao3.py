"""Read an Archive of Our Own download (its HTML, or the XHTML inside its EPUB).

The download is otwarchive's template (``app/views/downloads/``): a preface (the Archive's
"Posted originally on ..." line, a ``<dl>`` of tags and stats, the title in ``<h1>``, a byline,
then "Summary" and "Notes" paragraphs each followed by a ``<blockquote>``), the chapters (a
group holding the chapter's ``<h2>`` with its own "Chapter Summary" / "Chapter Notes", the
text, then "Chapter End Notes"), and an afterword ("End Notes", the plea to comment).

It is recognised and read by that structure and those labels (``assets/readers/archive.toml``),
never by class names, which calibre renames in EPUB downloads. The author's notes become note
sections (front, at their chapter, back), so ``notes = keep | end | drop`` and the overrides
treat them as they treat notes found in plain text; the Archive's own sentences never reach a
chapter: the work's address becomes ``source``, the rest is dropped, each one recorded.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from lxml import etree

from bookbuild.assets import asset_path
from bookbuild.decisions import Decision
from bookbuild.model import Block, Heading, Inline, Paragraph, Role, Section, Text, block_text, first_words
from bookbuild.readers.document import Document
from bookbuild.readers.html import HEADINGS, Walker, is_furniture, local_name, text_of


@dataclass(frozen=True, slots=True)
class _Labels:
    subjects: frozenset[str]
    language: frozenset[str]
    series: frozenset[str]
    stats: frozenset[str]
    collections: frozenset[str]
    blocks: dict[str, str]
    frame_headings: frozenset[str]
    posted: str
    dropped: tuple[str, ...]
    languages: dict[str, str]

    def tag_labels(self) -> frozenset[str]:
        return self.subjects | self.language | self.series | self.stats | self.collections


@cache
def labels() -> _Labels:
    """The Archive's labels, loaded once from ``assets/readers/archive.toml``."""
    data = tomllib.loads(asset_path("readers/archive.toml").read_text(encoding="utf-8"))
    return _Labels(
        subjects=frozenset(data["subject_labels"]),
        language=frozenset(data["language_labels"]),
        series=frozenset(data["series_labels"]),
        stats=frozenset(data["stats_labels"]),
        collections=frozenset(data["collection_labels"]),
        blocks=dict(data["blocks"]),
        frame_headings=frozenset(data["headings"]["frame"]),
        posted=data["boilerplate"]["posted"],
        dropped=tuple(data["boilerplate"]["dropped"]),
        languages={k.lower(): v for k, v in data["languages"].items()},
    )


def _label(text: str) -> str:
    return " ".join(text.lower().rstrip(":").split())


def _tag_list(element: etree._Element) -> bool:
    """Whether an element is the preface's ``<dl>`` of tags: two or more of the Archive's labels."""
    if local_name(element) != "dl":
        return False
    known = labels().tag_labels()
    found = sum(1 for child in element if local_name(child) == "dt" and _label(text_of(child)) in known)
    return found >= 2


def is_archive_download(body: etree._Element) -> bool:
    """Whether a document is an Archive download: its "Posted originally" line, or its tag list
    in a page without a site's menus and footers (the work's page saved from a browser has
    those, and is read as any saved page)."""
    posted = labels().posted
    tags = chrome = False
    for element in body.iter():
        name = local_name(element)
        if name in ("p", "div") and posted in text_of(element).lower() and "archive of our own" in text_of(element).lower():
            return True
        tags = tags or (name == "dl" and _tag_list(element))
        chrome = chrome or (name is not None and is_furniture(element))
    return tags and not chrome


SERIES = re.compile(r"part\s+(?P<index>\d+(?:\.\d+)?)\s+of\s+(?P<name>.+)", re.IGNORECASE | re.DOTALL)
PUBLISHED = re.compile(r"published:\s*(?P<date>\d{4}-\d{2}-\d{2})", re.IGNORECASE)


@dataclass
class _Chapter:
    title: tuple[Inline, ...] = ()
    line: int | None = None
    before: list[Block] = field(default_factory=list)  # chapter summary and notes
    blocks: list[Block] = field(default_factory=list)
    after: list[Block] = field(default_factory=list)  # chapter end notes


class _Reader:
    """One pass over the download's elements, in document order."""

    def __init__(self, walker: Walker, decisions: list[Decision], name: str) -> None:
        self.walker = walker
        self.decisions = decisions
        self.name = name
        self.meta: dict[str, Any] = {}
        self.region = "preface"
        self.front: list[Block] = []
        self.back: list[Block] = []
        self.chapters: list[_Chapter] = []
        self.labelled: dict[int, str] = {}
        self.frames: dict[int, bool] = {}
        self.alive: list[etree._Element] = []  # lxml makes element proxies on demand: ids stay valid only while held

    # --- recording -----------------------------------------------------------------------

    def record(self, code: str, action: str, rule: str, element: etree._Element, excerpt: str = "", **data: Any) -> None:
        line = self.walker.line_of(element)
        self.decisions.append(Decision("read", code, action, rule, first_words(excerpt), 1.0, line, data))

    def drop(self, element: etree._Element, what: str) -> None:
        text = text_of(element)
        if text:
            self.record("AO013", "drop", f"the Archive's own text ({what}): dropped", element, text, text=text)

    # --- structure -----------------------------------------------------------------------

    def is_label(self, element: etree._Element, following: etree._Element | None) -> str:
        if following is None or local_name(following) != "blockquote" or local_name(element) not in ("p", "div", "h3", "h4", "h5", "h6"):
            return ""
        return labels().blocks.get(_label(text_of(element)), "")

    def is_frame(self, element: etree._Element) -> bool:
        """Whether an element holds the download's own structure (rather than story text)."""
        key = id(element)
        if key not in self.frames:
            self.frames[key] = self._frame(element)
        return self.frames[key]

    def _frame(self, element: etree._Element) -> bool:
        if local_name(element) not in ("div", "section", "body", "main", "article", "html", "header", "footer"):
            return False
        children = [c for c in element if local_name(c)]
        for index, child in enumerate(children):
            following = children[index + 1] if index + 1 < len(children) else None
            name = local_name(child)
            if name in ("h1", "h2", "h3") or _tag_list(child) or self.is_label(child, following):
                return True
            if name in ("p", "div") and self.boilerplate(text_of(child)):
                return True
            if self.is_frame(child):
                return True
        return False

    def boilerplate(self, text: str) -> str:
        lower = text.lower()
        if labels().posted in lower and "archive of our own" in lower and len(text) < 1000:
            return "posted"
        return next((phrase for phrase in labels().dropped if lower.startswith(phrase)), "")

    # --- the pass --------------------------------------------------------------------------

    def visit(self, container: etree._Element) -> None:
        children = [c for c in container if local_name(c)]
        if (container.text or "").strip():
            self.story([Paragraph((Text(container.text.strip()),), line=self.walker.line_of(container))], container)
        for index, child in enumerate(children):
            following = children[index + 1] if index + 1 < len(children) else None
            self.element(child, following)
            if (child.tail or "").strip():
                self.story([Paragraph((Text(child.tail.strip()),), line=self.walker.line_of(child))], child)

    def element(self, element: etree._Element, following: etree._Element | None) -> None:
        name = local_name(element)
        text = text_of(element) if name not in ("div", "section", "body", "main", "article") or not self.is_frame(element) else ""
        if name == "dl" and _tag_list(element):
            self.tags(element)
        elif name == "dl" and self.region == "afterword":
            self.drop(element, "related works")
        elif name == "h1" and self.region == "preface" and "title" not in self.meta:
            self.meta["title"] = text
            self.record("AO002", "metadata", "the preface's <h1> → title", element, text, title=text)
        elif name in HEADINGS and name in ("h1", "h2", "h3") and _label(text) in labels().frame_headings:
            self.region = _label(text)
            self.record("AO013", "drop", f"the download's '{text}' heading: dropped", element, text, text=text)
        elif name in ("h1", "h2", "h3"):
            self.chapter(element, text)
        elif kind := self.is_label(element, following):
            self.labelled[id(following)] = kind
        elif name == "blockquote" and id(element) in self.labelled:
            self.notes(element, self.labelled[id(element)])
        elif _label(text) in labels().blocks:
            self.drop(element, "a label with nothing after it")
        elif (kind := self.boilerplate(text)) == "posted":
            self.posted(element, text)
        elif kind:
            self.drop(element, f"'{kind} …'")
        elif self.byline(element, text):
            pass
        elif self.is_frame(element):
            self.visit(element)
        elif self.region == "afterword" or (self.region == "preface" and name in ("ul", "ol", "dl")):
            self.drop(element, "related works" if name in ("ul", "ol", "dl") else self.region)
        else:
            self.story(self.walker.blocks(element), element)

    def byline(self, element: etree._Element, text: str) -> bool:
        classes = (element.get("class") or "").split()
        lower = text.lower()
        if self.region == "preface" and "author" not in self.meta and lower.startswith("by ") and len(text) < 300:
            author = text[3:].strip()
            self.meta["author"] = author
            self.record("AO003", "metadata", "the preface's byline ('by …') → author", element, text, author=author)
            return True
        if self.region != "preface" and ("byline" in classes or lower.startswith("chapter by ")) and len(text) < 300:
            self.drop(element, "the chapter's byline")
            return True
        return False

    def tags(self, element: etree._Element) -> None:
        lab = labels()
        subjects: list[str] = list(self.meta.get("subjects", ()))
        children = [c for c in element if local_name(c) in ("dt", "dd")]
        for dt, dd in zip(children, children[1:], strict=False):
            if local_name(dt) != "dt" or local_name(dd) != "dd":
                continue
            label = _label(text_of(dt))
            links = [text_of(a) for a in dd.iter() if local_name(a) == "a"]
            values = [v for v in (links or [text_of(dd)]) if v]
            value = text_of(dd)
            if label in lab.subjects:
                new = [v for v in values if v not in subjects]
                subjects += new
                self.record("AO005", "metadata", f"tags '{text_of(dt)}' → subjects", dd, ", ".join(values), label=label, tags=values)
            elif label in lab.language:
                code = lab.languages.get(value.lower().strip(), "")
                if code:
                    self.meta["language"] = code
                    self.record("AO006", "metadata", f"language '{value}' → {code}", dd, value, language=code)
                else:
                    self.record("AO006", "warning", f"language '{value}' is not one bookbuild knows: set language in book.toml", dd, value)
            elif label in lab.series and (match := SERIES.search(value)):
                series, index = " ".join(match["name"].split()).split(", Part ")[0], match["index"]
                self.meta.update(series=series, series_index=index)
                self.record("AO007", "metadata", "series 'Part N of …' → series and series_index", dd, value, series=series, series_index=index)
            elif label in lab.stats and (match := PUBLISHED.search(value)):
                self.meta["date"] = match["date"]
                self.record("AO008", "metadata", "the Stats line's Published date → date; the rest of the line dropped", dd, value, date=match["date"])
            else:
                self.record("AO013", "drop", f"the preface's '{text_of(dt)}' line: dropped", dd, value, text=value)
        if subjects:
            self.meta["subjects"] = tuple(subjects)

    def posted(self, element: etree._Element, text: str) -> None:
        hrefs = [a.get("href", "") for a in element.iter() if local_name(a) == "a"]
        work = next((h for h in hrefs if "/works/" in h), hrefs[-1] if hrefs else "")
        if work:
            self.meta.setdefault("source", work)
        bold = next((text_of(b) for b in element.iter() if local_name(b) in ("b", "strong")), "")
        if bold:
            self.meta.setdefault("fallback_title", bold)
        self.record("AO012", "metadata", "'Posted originally on the Archive of Our Own at …' → source; the line dropped",
                    element, text, source=work, text=text)

    def notes(self, element: etree._Element, kind: str) -> None:
        blocks = self.walker.contents(element)
        text = " ".join(text_of(element).split())
        if kind == "summary":
            paragraphs = [block_text(b) for b in blocks if isinstance(b, Paragraph)]
            description = "\n\n".join(p for p in paragraphs if p.strip())
            if self.region == "preface" and "description" not in self.meta:
                self.meta["description"] = description
                self.record("AO004", "metadata", "the work's Summary → description (EPUB and back cover)", element, text)
                return
            kind = "chapter-summary"
        if kind == "notes":
            self.front += blocks
            self.record("AO009", "notes", f"the work's Notes → {len(blocks)} front note block(s)", element, text)
        elif kind == "end-notes" and self.region == "afterword":
            self.back += blocks
            self.record("AO010", "notes", f"the work's End Notes → {len(blocks)} back note block(s)", element, text)
        elif kind in ("chapter-summary", "chapter-notes"):
            chapter = self.current()
            (chapter.before if not chapter.blocks else chapter.after).extend(blocks)
            self.record("AO011", "notes", f"a chapter's {kind.replace('-', ' ').title()} → notes at that chapter", element, text)
        else:  # chapter end notes, or end notes outside the afterword
            self.current().after.extend(blocks)
            self.record("AO011", "notes", "a chapter's End Notes → notes after that chapter", element, text)

    def chapter(self, element: etree._Element, text: str) -> None:
        self.region = "chapters"
        heading = self.walker.blocks(element)
        title = heading[0].inlines if heading and isinstance(heading[0], Heading) else (Text(text),)
        self.chapters.append(_Chapter(title, self.walker.line_of(element)))
        self.record("AO014", "chapter", "a chapter heading of the download → chapter title", element, text, title=text)

    def current(self) -> _Chapter:
        if not self.chapters:
            self.chapters.append(_Chapter())
        return self.chapters[-1]

    def story(self, blocks: list[Block], element: etree._Element) -> None:
        if self.region == "preface":
            self.region = "chapters"
        # Headings inside a chapter's text stay inside it: chapters split only at the download's.
        self.current().blocks.extend(
            Heading(b.inlines, max(b.level, 2), b.line) if isinstance(b, Heading) else b for b in blocks
        )

    def document(self) -> Document:
        sections: list[Section] = []
        if self.front:
            sections.append(Section(Role.FRONT_NOTE, tuple(self.front), line=_first_line(self.front)))
        for chapter in self.chapters:
            if chapter.before:
                sections.append(Section(Role.FRONT_NOTE, tuple(chapter.before), line=_first_line(chapter.before)))
            heading = (Heading(chapter.title, 1, chapter.line),) if chapter.title else ()
            if heading or chapter.blocks:
                sections.append(Section(Role.CHAPTER, heading + tuple(chapter.blocks), line=chapter.line or _first_line(chapter.blocks)))
            if chapter.after:
                sections.append(Section(Role.BACK_NOTE, tuple(chapter.after), line=_first_line(chapter.after)))
        if self.back:
            sections.append(Section(Role.BACK_NOTE, tuple(self.back), line=_first_line(self.back)))
        fallback = self.meta.pop("fallback_title", "")
        if "title" not in self.meta and fallback:
            self.meta["title"] = fallback
        return Document(sections, self.meta, "an Archive of Our Own download")


def _first_line(blocks: list[Block]) -> int | None:
    return next((b.line for b in blocks if b.line is not None), None)


def read_archive(body: etree._Element, walker: Walker, decisions: list[Decision], name: str) -> Document:
    """The sections and metadata of an Archive download's body."""
    reader = _Reader(walker, decisions, name)
    reader.alive = list(body.iter())
    reader.visit(body)
    document = reader.document()
    decisions.append(
        Decision("read", "AO001", "reader", f"{name}: an Archive of Our Own download (read by its preface, chapters and afterword)",
                 first_words(str(document.meta.get("title", ""))), 1.0, None,
                 {"mapped": sorted(document.meta)})
    )
    return document
