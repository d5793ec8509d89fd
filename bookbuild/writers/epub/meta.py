"""The EPUB package metadata: bibliographic fields, series, and EPUB Accessibility 1.1 claims.

Everything here is plain data (:class:`MetaEntry` rows); the EPUB writer hands the rows to
ebooklib. The accessibility claims are derived from what the writer really produced (a page
list, a cover with a text alternative), never asserted blindly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bookbuild.errors import ConfigError
from bookbuild.model import LANGUAGE_TAG, SERIES_POSITION, Meta

# EN 301 549, which the European Accessibility Act points to, is built on WCAG 2.1.
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
_W3C_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2}))?)?)?\Z")
_NUMBER = SERIES_POSITION
_NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "md"})


@dataclass(frozen=True, slots=True)
class MetaEntry:
    """One metadata element: ``namespace`` "DC" for Dublin Core, ``None`` for ``<meta>``/``<link>``."""

    namespace: str | None
    name: str
    value: str
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Facts:
    """What the writer built that the metadata describes."""

    page_count: int = 0
    has_page_list: bool = False
    has_cover: bool = False
    print_edition: str = ""
    has_notes: bool = False


def check_language(tag: str) -> str:
    """The language tag, or a one-line error when it is not a BCP 47 tag such as ``en-GB``."""
    tag = tag.strip()
    if not LANGUAGE_TAG.match(tag):
        raise ConfigError(f"language '{tag}' is not a language code such as en, en-GB or fr")
    return tag


def w3c_date(value: str) -> str:
    """The date if it is a W3C date (``2012``, ``2012-03``, ``2012-03-04``), else ``""``."""
    value = value.strip()
    return value if _W3C_DATE.match(value) else ""


def file_as(name: str) -> str:
    """How a library sorts an author: ``Mary Ann Evans`` → ``Evans, Mary Ann``.

    A single word (a pen name) or a name already written with a comma is kept as it is.
    """
    name = " ".join(name.split())
    if "," in name:
        return name
    words = name.split(" ")
    suffix = []
    while len(words) > 2 and words[-1].lower() in _NAME_SUFFIXES:
        suffix.insert(0, words.pop())
    if len(words) < 2:
        return name
    head = " ".join(words[:-1] + suffix)
    return f"{words[-1]}, {head}"


def accessibility_summary(meta: Meta, facts: Facts) -> str:
    """A plain-language account of how the publication can be read, for people and stores."""
    parts = [
        "This publication meets the requirements of EPUB Accessibility 1.1 and WCAG 2.1 Level AA, "
        "as checked by bookbuild with EPUBCheck and Ace by DAISY.",
        "It is reflowable text in a logical reading order, with a heading for every section, "
        "a table of contents and landmarks; no fonts, sizes or colours are fixed, so the "
        "reader's own settings apply.",
    ]
    if facts.has_cover:
        parts.append("The cover image has a text description.")
    if facts.has_notes:
        parts.append("Notes are linked to and from the text.")
    if facts.has_page_list:
        parts.append(
            f"Page-break markers and a page list follow the print edition ({facts.page_count} pages), "
            "so readers of either can cite the same page."
        )
    parts.append("There are no known hazards.")
    return " ".join(parts)


def _meta(prop: str, value: str, *extra: tuple[str, str]) -> MetaEntry:
    return MetaEntry(None, "meta", value, (("property", prop), *extra))


def accessibility_entries(meta: Meta, facts: Facts) -> list[MetaEntry]:
    """The EPUB Accessibility 1.1 metadata for what the writer produced."""
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
    if facts.has_cover:
        features.append("alternativeText")
    if facts.has_page_list:
        features += ["pageBreakMarkers", "pageNavigation"]
    entries = [_meta("schema:accessMode", "textual")]
    if facts.has_cover:
        entries.append(_meta("schema:accessMode", "visual"))
    entries.append(_meta("schema:accessModeSufficient", "textual"))
    entries += [_meta("schema:accessibilityFeature", feature) for feature in features]
    entries.append(_meta("schema:accessibilityHazard", "none"))
    entries.append(_meta("schema:accessibilitySummary", accessibility_summary(meta, facts)))
    entries.append(_meta("dcterms:conformsTo", CONFORMS_TO))
    entries.append(_meta("a11y:certifiedBy", meta.publisher or meta.author or "bookbuild"))
    return entries


def bibliographic_entries(meta: Meta, facts: Facts) -> list[MetaEntry]:
    """Author, description, subjects, publisher, date, rights, sources and series."""
    entries: list[MetaEntry] = []
    if meta.subtitle:
        # EPUB 3's subtitle: a second dc:title refined as one; the first stays the title.
        entries.append(MetaEntry("DC", "title", meta.subtitle, (("id", "subtitle"),)))
        entries.append(_meta("title-type", "subtitle", ("refines", "#subtitle")))
    if meta.author:
        entries.append(MetaEntry("DC", "creator", meta.author, (("id", "creator"),)))
        entries.append(_meta("file-as", file_as(meta.author), ("refines", "#creator")))
        entries.append(_meta("role", "aut", ("refines", "#creator"), ("scheme", "marc:relators")))
    if meta.description:
        entries.append(MetaEntry("DC", "description", meta.description))
    entries += [MetaEntry("DC", "subject", subject) for subject in meta.subjects if subject.strip()]
    if meta.publisher:
        entries.append(MetaEntry("DC", "publisher", meta.publisher))
    # The work's own date, written as given (a year stays a year); the build's date is
    # dcterms:modified, never dc:date, or readers show a story written years ago as published today.
    if date := w3c_date(meta.date):
        entries.append(MetaEntry("DC", "date", date))
    if meta.rights:
        entries.append(MetaEntry("DC", "rights", meta.rights))
    if facts.has_page_list and facts.print_edition:
        # The first source is the print edition the page list follows; source-of says so
        # for readers that meet more than one source.
        entries.append(MetaEntry("DC", "source", facts.print_edition, (("id", "print-source"),)))
        entries.append(_meta("source-of", "pagination", ("refines", "#print-source")))
    if meta.source:
        entries.append(MetaEntry("DC", "source", meta.source))
    entries += series_entries(meta)
    return entries


def series_entries(meta: Meta) -> list[MetaEntry]:
    """The series as EPUB 3 reads it (``belongs-to-collection``) and as calibre and Kobo read it."""
    if not meta.series:
        return []
    entries = [
        _meta("belongs-to-collection", meta.series, ("id", "series")),
        _meta("collection-type", "series", ("refines", "#series")),
    ]
    index = meta.series_index.strip()
    if _NUMBER.match(index):
        entries.append(_meta("group-position", index, ("refines", "#series")))
    entries.append(MetaEntry(None, "meta", "", (("name", "calibre:series"), ("content", meta.series))))
    if _NUMBER.match(index):
        entries.append(MetaEntry(None, "meta", "", (("name", "calibre:series_index"), ("content", index))))
    return entries


def package_entries(meta: Meta, facts: Facts) -> list[MetaEntry]:
    """Every metadata row besides identifier, title and language (which the writer sets itself)."""
    return bibliographic_entries(meta, facts) + accessibility_entries(meta, facts)
