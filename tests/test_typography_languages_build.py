"""A French and a German manuscript (tests/fixtures/languages/) built to EPUB and PDF in their
language's quotation marks, spacing and dashes, read back from the EPUB's XHTML and the PDF's
text layer. (Hyphenation by language is the print writer's and tested there.)"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from bookbuild.config import BuildConfig, config_from_toml, read_book_toml
from bookbuild.pipeline import build

FIXTURES = Path(__file__).parent / "fixtures" / "languages"
XHTML = "{http://www.w3.org/1999/xhtml}"
NNBSP = "\u202f"
NBSP = "\u00a0"

# What each book must print (word joiners dropped): quotations in the language's marks, nested
# ones in its inner marks, French spaces inside guillemets and before ; : ! ?, spaced en dashes.
EXPECTED = {
    "fr": [
        f"«{NNBSP}Qui a pu laisser ça ici{NNBSP}?{NNBSP}» demanda-t-elle.",
        f"«{NNBSP}Aucune idée. Lis-la{NNBSP}: on verra bien.{NNBSP}»",
        f"L’encre avait coulé{NBSP}– par endroits, on ne lisait plus rien{NBSP}– mais",
        f"«{NNBSP}Le gardien dit toujours “attends la marée”.{NNBSP}»",
        f"«{NNBSP}Et maintenant{NNBSP}; que fait-on{NNBSP}?{NNBSP}»",
    ],
    "de": [
        "„Wer hat das hier liegen lassen?“, fragte sie.",
        "„Keine Ahnung. Lies ihn doch vor.“",
        f"Die Tinte war verlaufen{NBSP}– an manchen Stellen konnte man nichts mehr lesen{NBSP}– aber",
        "„Der Wärter sagt immer ‚warte auf die Flut‘.“",
        "„Warte auf die Flut! Was für ein seltsamer Satz“, rief Theo.",
    ],
}
# Straight quotes and typed dashes that must not survive.
LEFT_OVER = ['"', "'", "--"]


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Path]:
    language = request.param
    outdir = tmp_path_factory.mktemp(language)
    book = FIXTURES / language
    cfg = config_from_toml(read_book_toml(book / "book.toml"), BuildConfig(outdir=outdir))
    _, written = build(book, cfg)
    (epub,) = [p for p in written if p.suffix == ".epub"]
    (pdf,) = [p for p in written if p.suffix == ".pdf"]
    return language, epub, pdf


def epub_text(epub: Path) -> tuple[str, set[str]]:
    """The chapters' paragraphs as one text, and the languages their documents declare."""
    paragraphs, languages = [], set()
    with zipfile.ZipFile(epub) as archive:
        for name in sorted(archive.namelist()):
            if name.endswith(".xhtml") and "chapter" in name:
                root = etree.fromstring(archive.read(name))
                languages.add(root.get("lang"))
                paragraphs += ["".join(p.itertext()) for p in root.iter(f"{XHTML}p")]
    return "\n".join(paragraphs).replace("\u2060", ""), languages


def pdf_text(pdf: Path) -> str:
    """The PDF's text layer with lines joined and runs of plain spaces made one (as laid out)."""
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\u2060", "")
    text = text.replace("-\n", "").replace("\u2010\n", "").replace("\n", " ")
    return " ".join(part for part in text.split(" ") if part)


def test_epub_is_set_in_the_books_language(built: tuple[str, Path, Path]) -> None:
    language, epub, _ = built
    text, languages = epub_text(epub)
    assert languages == {language}
    for expected in EXPECTED[language]:
        assert expected in text
    for stand_in in LEFT_OVER:
        assert stand_in not in text


def test_pdf_text_layer_is_set_in_the_books_language(built: tuple[str, Path, Path]) -> None:
    language, _, pdf = built
    text = pdf_text(pdf)
    for expected in EXPECTED[language]:
        assert " ".join(part for part in expected.split(" ") if part) in text
    for stand_in in LEFT_OVER:
        assert stand_in not in text
