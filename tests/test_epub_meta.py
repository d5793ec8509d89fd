"""Package metadata: bibliographic fields, series and accessibility claims."""

from __future__ import annotations

import pytest
from lxml import etree

from bookbuild.config import BuildConfig
from bookbuild.errors import ConfigError
from bookbuild.model import Meta
from bookbuild.pages import PageMap, PageStart
from bookbuild.writers.epub.book import epub_bytes
from bookbuild.writers.epub.meta import (
    CONFORMS_TO,
    Facts,
    accessibility_entries,
    check_language,
    file_as,
    package_entries,
    series_entries,
    w3c_date,
)

from .epub_samples import sample_book

OPF = {"o": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


def _props(entries) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entry in entries:
        attrs = dict(entry.attrs)
        key = attrs.get("property") or attrs.get("name") or f"dc:{entry.name}"
        found.setdefault(key, []).append(entry.value or attrs.get("content", ""))
    return found


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mary Ann Evans", "Evans, Mary Ann"),
        ("Lindqvist", "Lindqvist"),
        ("Le Guin, Ursula K.", "Le Guin, Ursula K."),
        ("Martin Luther King Jr.", "King, Martin Luther Jr."),
        ("  Jane   Q.  Writer ", "Writer, Jane Q."),
    ],
)
def test_file_as_sorts_by_family_name(name: str, expected: str) -> None:
    assert file_as(name) == expected


def test_only_w3c_dates_reach_the_package() -> None:
    assert w3c_date("2012") == "2012"
    assert w3c_date("2012-03-04") == "2012-03-04"
    assert w3c_date("2012-03-04T10:00:00Z") == "2012-03-04T10:00:00Z"
    assert w3c_date("March 2012") == ""


def test_a_date_that_is_no_w3c_date_is_left_out_not_replaced_by_the_build_date() -> None:
    rows = _props(package_entries(Meta(title="T", date="spring 2012", modified="2020-01-02T00:00:00Z"), Facts()))
    assert "dc:date" not in rows


@pytest.mark.parametrize("date", ["2019", "2019-06", "2019-06-14"])
def test_a_works_date_is_written_as_given(date) -> None:
    rows = _props(package_entries(Meta(title="T", date=date, modified="2026-12-05T00:00:00Z"), Facts()))
    assert rows["dc:date"] == [date]


def test_language_must_be_a_language_tag() -> None:
    assert check_language("en-GB") == "en-GB"
    with pytest.raises(ConfigError, match="not a language code"):
        check_language("English (UK)")


def test_series_is_written_for_epub3_and_for_calibre() -> None:
    rows = _props(series_entries(Meta(series="Seasons", series_index="2")))
    assert rows["belongs-to-collection"] == ["Seasons"]
    assert rows["collection-type"] == ["series"]
    assert rows["group-position"] == ["2"]
    assert rows["calibre:series"] == ["Seasons"] and rows["calibre:series_index"] == ["2"]
    assert "group-position" not in _props(series_entries(Meta(series="S", series_index="two")))
    assert series_entries(Meta()) == []


def test_accessibility_claims_follow_what_was_built() -> None:
    plain = _props(accessibility_entries(Meta(title="T"), Facts()))
    assert plain["schema:accessMode"] == ["textual"]
    assert "pageBreakMarkers" not in plain["schema:accessibilityFeature"]
    assert "alternativeText" not in plain["schema:accessibilityFeature"]
    full = _props(accessibility_entries(Meta(title="T"), Facts(200, True, True, "print", True)))
    assert full["schema:accessMode"] == ["textual", "visual"]
    assert full["schema:accessModeSufficient"] == ["textual"]
    assert {"pageBreakMarkers", "pageNavigation", "alternativeText", "tableOfContents"} <= set(
        full["schema:accessibilityFeature"]
    )
    assert full["schema:accessibilityHazard"] == ["none"]
    assert "200 pages" in full["schema:accessibilitySummary"][0]
    assert full["dcterms:conformsTo"] == [CONFORMS_TO]


def test_package_carries_every_field() -> None:
    pages = PageMap((PageStart("7", 1, None, 0),), 33)
    opf = etree.fromstring(
        dict(_zip_entries(epub_bytes(sample_book(chapters=1, paragraphs=4), BuildConfig(), pages)))["EPUB/content.opf"]
    )
    text = {tag: opf.xpath(f"//dc:{tag}/text()", namespaces=OPF) for tag in (
        "title", "creator", "language", "description", "subject", "publisher", "date", "rights", "source", "identifier")}
    assert text["title"] == ["Roads in Winter"] and text["creator"] == ["Ada Marie Lindqvist"]
    assert text["language"] == ["en-GB"] and text["subject"] == ["Fiction", "Winter"]
    assert text["publisher"] == ["Kitchen Table Press"] and text["date"] == ["2024-03-01"]
    assert "33 pages" in text["source"][0] and text["identifier"][0].startswith("urn:uuid:")
    refines = {(m.get("refines"), m.get("property")): m.text for m in opf.xpath("//o:meta[@refines]", namespaces=OPF)}
    assert refines[("#creator", "file-as")] == "Lindqvist, Ada Marie"
    assert refines[("#print-source", "source-of")] == "pagination"
    assert refines[("#series", "group-position")] == "2"
    cover = opf.xpath("//o:item[@properties='cover-image']/@id", namespaces=OPF)
    assert opf.xpath("//o:meta[@name='cover']/@content", namespaces=OPF) == cover
    assert opf.xpath("//o:meta[@property='dcterms:modified']/text()", namespaces=OPF) == ["2024-03-02T10:20:30Z"]


def test_identifier_is_stable_and_set_identifiers_win() -> None:
    first = _opf(sample_book(chapters=1, paragraphs=2))
    again = _opf(sample_book(chapters=1, paragraphs=2, seed=99))
    chosen = _opf(sample_book(chapters=1, paragraphs=2, identifier="isbn:9780000000001"))
    ident = "//dc:identifier/text()"
    assert first.xpath(ident, namespaces=OPF) == again.xpath(ident, namespaces=OPF)
    assert chosen.xpath(ident, namespaces=OPF) == ["isbn:9780000000001"]


def _opf(book) -> etree._Element:
    return etree.fromstring(dict(_zip_entries(epub_bytes(book, BuildConfig(), PageMap((), 0))))["EPUB/content.opf"])


def _zip_entries(data: bytes):
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            yield name, archive.read(name)
