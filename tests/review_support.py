"""Helpers for the review tests: a story with likely breaks, and the breaks an EPUB or PDF shows."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from bookbuild.structure.overrides import words

XHTML = "{http://www.w3.org/1999/xhtml}"


def story(tmp_path: Path, scenes: int = 6) -> Path:
    """A story of several scenes run together (no marks), long enough for a few candidates."""
    places = ["mill", "harbour", "orchard", "station", "chapel", "market", "bridge", "quarry"]
    paragraphs = []
    for scene in range(scenes):
        place = places[scene % len(places)]
        paragraphs.append(f"The next morning Anna walked down to the {place} before anyone else was awake.")
        for turn in range(4):
            paragraphs.append(
                f"At the {place} the light came slowly over the water, and she counted the boats "
                f"one by one as her father had taught her, number {turn} of the morning, while the "
                f"gulls went on quarrelling above the roofs and the bell rang the hour twice."
            )
    path = tmp_path / "story.txt"
    path.write_text("Title: Mornings\nAuthor: Someone\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def epub_breaks(epub: Path) -> list[str]:
    """The text of the paragraph after each scene break of an EPUB, in reading order."""
    found = []
    with zipfile.ZipFile(epub) as archive:
        names = sorted(n for n in archive.namelist() if n.endswith(".xhtml") and "chapter" in n)
        for name in names:
            tree = etree.fromstring(archive.read(name))
            for rule in tree.iter(f"{XHTML}hr"):
                if "scene-break" not in (rule.get("class") or ""):
                    continue
                following = rule.getnext()
                while following is not None and following.tag != f"{XHTML}p":
                    following = following.getnext()
                found.append("".join(following.itertext()) if following is not None else "")
    return found


def pdf_breaks(pdf: Path) -> list[str]:
    """The first words after each scene-break ornament (⁂) in a PDF's text layer."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
    text = re.sub(r"-\n", "", text)  # words hyphenated at a line end
    return [" ".join(part.split()[:12]) for part in text.split("⁂")[1:]]


def opens_with(text: str, key: str, count: int = 4) -> bool:
    """Whether a text opens with the first ``count`` words of a key (quotes and dashes folded)."""
    wanted = words(key)[:count]
    return words(text)[: len(wanted)] == wanted
