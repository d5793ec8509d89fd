"""Typography through the real pipeline: the shared dev cases, and the real manuscript's EPUB and PDF."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest
from lxml import etree

from bookbuild.config import BuildConfig
from bookbuild.pipeline import build

XHTML = "{http://www.w3.org/1999/xhtml}"
# What a typesetter must not leave in story text: straight quotes, three dots, and hyphens
# standing for dashes (doubled, spaced, or hanging off a word before a space or quote).
STAND_INS = {
    "straight double quote": re.compile(r'"'),
    "straight single quote": re.compile(r"'"),
    "three dots": re.compile(r"\.\.\."),
    "double hyphen": re.compile(r"--"),
    "spaced hyphen": re.compile(r"(?:^|\s)-(?:\s|$)", re.M),
    "hyphen before a quote": re.compile(r"\w-[”’\"']"),
    "hyphen after an opening quote": re.compile(r"[“‘]-"),
}
HYPHENATED = re.compile(r"\b[^\W\d_]+(?:-[^\W\d_]+)+\b")
INTERRUPTION = re.compile(r"I-(?!I)[A-Z]")  # "I-He couldn't" is speech broken off, not a compound


def test_dev_cases_through_the_pipeline(eval_dir: Path, tmp_path: Path) -> None:
    """Every dev case written as a manuscript, built to EPUB, read back: >= 99%, each category >= 97%."""
    results_path = tmp_path / "results.json"
    command = f"{shlex.quote(sys.executable)} -m bookbuild build {{input}} -o {{outdir}} --format epub"
    run = subprocess.run(
        [
            sys.executable,
            str(eval_dir / "typography.py"),
            "--cmd",
            command,
            "--workdir",
            str(tmp_path / "work"),
            "--json-out",
            str(results_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    print(run.stdout.strip().splitlines()[-1])
    results = json.loads(results_path.read_text(encoding="utf-8"))
    by_category: dict[str, list[bool]] = defaultdict(list)
    for result in results:
        by_category[result["category"]].append(result["pass"])
    for category, passes in sorted(by_category.items()):
        print(f"  {category:24s} {sum(passes):3d}/{len(passes):<3d} {100 * sum(passes) / len(passes):5.1f}%")
    failed = [
        f"{r['id']}: {r['input']} -> {r['got']} (want {r['expected']})" for r in results if not r["pass"]
    ]
    overall = 100 * sum(r["pass"] for r in results) / len(results)
    assert overall >= 99, "\n".join(failed)
    weak = {c: p for c, p in by_category.items() if 100 * sum(p) / len(p) < 97}
    assert not weak, "\n".join(failed)


def _epub_paragraphs(epub: Path) -> list[str]:
    texts = []
    with zipfile.ZipFile(epub) as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml") and not name.endswith("nav.xhtml"):
                root = etree.fromstring(archive.read(name))
                texts.extend("".join(p.itertext()) for p in root.iter(f"{XHTML}p"))
    return texts


def _stand_ins(text: str) -> dict[str, list[str]]:
    found = {}
    for name, pattern in STAND_INS.items():
        hits = [text[max(0, m.start() - 25) : m.end() + 25] for m in pattern.finditer(text)]
        if hits:
            found[name] = hits[:3]
    return found


def _build(manuscript: Path, outdir: Path, fmt: str) -> Path:
    _, written = build(manuscript, BuildConfig(outdir=outdir, formats=(fmt,)))
    (path,) = written
    return path


@pytest.fixture
def real_epub_text(real_manuscript: Path, tmp_path: Path) -> str:
    return "\n".join(_epub_paragraphs(_build(real_manuscript, tmp_path, "epub")))


def test_real_manuscript_epub_has_no_ascii_stand_ins(real_epub_text: str) -> None:
    assert "Lex" in real_epub_text
    assert _stand_ins(real_epub_text) == {}


def test_real_manuscript_keeps_every_hyphenated_word(real_manuscript: Path, real_epub_text: str) -> None:
    source = real_manuscript.read_text(encoding="utf-8")
    source_words = {w for w in HYPHENATED.findall(source) if not INTERRUPTION.match(w)}
    typeset_words = set(HYPHENATED.findall(real_epub_text))
    assert {"self-centered", "half-full", "Kal-El"} <= source_words
    assert source_words - typeset_words == set()


@pytest.mark.slow
def test_real_manuscript_pdf_has_no_ascii_stand_ins(real_manuscript: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    pdf = _build(real_manuscript, tmp_path, "pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Lex" in text
    assert _stand_ins(text) == {}


def test_emphasis_and_headings_through_the_pipeline(tmp_path: Path) -> None:
    """A Markdown manuscript: quotes around emphasis and in a heading come out typeset in the EPUB."""
    manuscript = tmp_path / "story.md"
    manuscript.write_text(
        "# The 'Last' Day\n\n\"*Really?*\" she asked--then laughed...\n\nHe'd been there 'til noon.\n",
        encoding="utf-8",
    )
    epub = _build(manuscript, tmp_path / "out", "epub")
    with zipfile.ZipFile(epub) as archive:
        xhtml = "".join(
            archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xhtml")
        )
    text = xhtml.replace("\u2060", "")
    assert "“<em>Really?</em>” she asked—then laughed…" in text
    assert "He’d been there ’til noon." in text
    assert "The ‘Last’ Day" in text
