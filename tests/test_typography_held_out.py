"""Our own held-out typography cases (tests/fixtures/typography/cases.json), in the dev set's format.

Written for bookbuild, not taken from the dev set or any book: the same 25 categories, other
sentences, with the hard corners writers type. The file can also be scored with the shared
runner: ``python3 ../shared/eval/typography.py --cases tests/fixtures/typography/cases.json``.
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from bookbuild.config import BuildConfig
from bookbuild.model import Book, Meta, Paragraph, Role, Section, plain_text
from bookbuild.pipeline import build
from bookbuild.readers.inline import parse_inline
from bookbuild.transforms.typography import typeset
from bookbuild.typography.chars import WORD_JOINER

CASES_FILE = Path(__file__).parent / "fixtures" / "typography" / "cases.json"
CASES: list[dict] = json.loads(CASES_FILE.read_text(encoding="utf-8"))
XHTML = "{http://www.w3.org/1999/xhtml}"


def paragraphs(case: dict) -> list[str]:
    return case.get("multi") or [case["input"]]


def answers(case: dict) -> list[list[str]]:
    """The expected paragraphs, then every accepted alternative."""
    alternatives = [case.get("expected_multi") or [case["expected"]]]
    alternatives += [a if isinstance(a, list) else [a] for a in case.get("accept", [])]
    return alternatives


def typeset_paragraphs(texts: list[str]) -> list[str]:
    """Paragraphs as a reader would give them (inline *emphasis* parsed), through the transform."""
    book = Book(Meta(), (Section(Role.CHAPTER, tuple(Paragraph(parse_inline(t)) for t in texts)),))
    typed, _ = typeset(book, BuildConfig())
    return [plain_text(block.inlines).replace(WORD_JOINER, "") for block in typed.sections[0].blocks]


def test_every_dev_category_has_fresh_cases(eval_dir: Path) -> None:
    dev = json.loads((eval_dir / "typography-dev.json").read_text(encoding="utf-8"))
    per_category = Counter(case["category"] for case in CASES)
    assert set(per_category) == {case["category"] for case in dev}
    assert min(per_category.values()) >= 6 and len(CASES) >= 150
    dev_inputs = {text for case in dev for text in paragraphs(case)}
    assert not [text for case in CASES for text in paragraphs(case) if text in dev_inputs]
    assert len({case["id"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['id']}-{c['category']}" for c in CASES])
def test_case_through_the_transform(case: dict) -> None:
    got = typeset_paragraphs(paragraphs(case))
    assert got in answers(case), f"{paragraphs(case)} -> {got}"


@pytest.mark.parametrize("case", CASES, ids=[f"{c['id']}-{c['category']}" for c in CASES])
def test_typeset_case_is_left_alone(case: dict) -> None:
    once = typeset_paragraphs(paragraphs(case))
    assert typeset_paragraphs(once) == once


def _epub_paragraphs(epub: Path) -> list[str]:
    texts = []
    with zipfile.ZipFile(epub) as archive:
        for name in sorted(archive.namelist()):
            if name.endswith(".xhtml") and not name.endswith("nav.xhtml"):
                root = etree.fromstring(archive.read(name))
                texts.extend("".join(p.itertext()).replace(WORD_JOINER, "") for p in root.iter(f"{XHTML}p"))
    return texts


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_cases_through_a_real_build(tmp_path: Path, suffix: str) -> None:
    """All cases in one manuscript (plain text, then Markdown), each after a marker paragraph, built to EPUB."""
    chunks = []
    for case in CASES:
        chunks.append(f"heldout{case['id']}")
        chunks.extend(paragraphs(case))
    manuscript = tmp_path / f"cases{suffix}"
    manuscript.write_text("\n\n".join([*chunks, "heldoutend"]) + "\n", encoding="utf-8")
    _, (epub,) = build(manuscript, BuildConfig(outdir=tmp_path / "out", formats=("epub",)))
    got: dict[str, list[str]] = {}
    current = None
    for text in _epub_paragraphs(epub):
        if text.startswith("heldout"):
            current = text.removeprefix("heldout")
            got[current] = []
        elif current is not None:
            got[current].append(" ".join(text.split()))
    failures = [
        f"{case['id']}: {paragraphs(case)} -> {got.get(case['id'])}"
        for case in CASES
        if got.get(case["id"]) not in answers(case)
    ]
    assert not failures, "\n".join(failures)
