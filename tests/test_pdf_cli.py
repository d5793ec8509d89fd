"""The print options of ``bookbuild build``: what they write and how they refuse bad values."""

from __future__ import annotations

import pikepdf
import pytest
from click.testing import CliRunner

from bookbuild.cli import main

STORY = "\n\n".join(
    f"Paragraph {n}: the rain kept falling on the empty streets while the two of them waited for morning."
    for n in range(1, 9)
)


@pytest.fixture
def manuscript(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(main, ["build", *map(str, args)])


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--impose", "folio", "unknown imposition 'folio'"),
        ("--pdf-variant", "pdf/z", "unknown PDF variant 'pdf/z'"),
        ("--trim", "banana", "unknown trim size 'banana'"),
    ],
)
def test_bad_print_options_fail_with_one_line(manuscript, tmp_path, option, value, message):
    result = run(manuscript, "-o", tmp_path / "out", "--format", "pdf", option, value)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_cover_and_imposition_come_with_the_interior_even_for_epub_only(manuscript, tmp_path):
    out = tmp_path / "out"
    result = run(manuscript, "-o", out, "--format", "epub", "--title", "Rain", "--cover-pdf", "--impose", "booklet", "--sheet", "a4", "--paper", "cream")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["rain-cover.pdf", "rain-imposed.pdf", "rain.epub", "rain.pdf"]
    with pikepdf.open(out / "rain-imposed.pdf") as pdf:
        assert [round(float(v)) for v in pdf.pages[0].mediabox[2:]] == [842, 595]
    with pikepdf.open(out / "rain.pdf") as interior, pikepdf.open(out / "rain-cover.pdf") as cover:
        spine = len(interior.pages) * 0.0025 * 72
        width = float(cover.pages[0].trimbox[2]) - float(cover.pages[0].trimbox[0])
        assert width == pytest.approx(2 * 5.5 * 72 + spine, abs=0.1)
