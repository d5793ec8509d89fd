"""The structure measures: the dev scorer on marked breaks and notes, and the real manuscript's notes."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from bookbuild.cli import main
from bookbuild.config import BuildConfig
from bookbuild.model import Paragraph, Role, block_text
from bookbuild.pipeline import process
from bookbuild.readers.text import read_text


def test_dev_cases_notes_and_marked_breaks(eval_dir, tmp_path):
    bookbuild = Path(sys.executable).parent / "bookbuild"
    command = f"{shlex.quote(str(bookbuild))} build {{input}} -o {{outdir}} --format epub"
    report = tmp_path / "score.json"
    subprocess.run(
        [sys.executable, str(eval_dir / "score.py"), "--cmd", command, "--json", str(report), "--workdir", str(tmp_path / "w")],
        check=True,
        capture_output=True,
    )
    cases = {c["case"]: c for c in json.loads(report.read_text(encoding="utf-8"))["cases"]}
    scored = {name: c for name, c in cases.items() if not name.endswith("/implicit")}
    assert scored and not any(c["failed"] for c in cases.values())
    for name, case in scored.items():
        assert case["notes"]["f1"] == 1.0, (name, case["notes"])
        assert case["breaks"]["f1"] >= 0.99, (name, case["breaks"])
    assert sum(c["notes"]["tp"] for c in scored.values()) > 0


def test_real_manuscript_front_notes_are_its_first_three_paragraphs(real_manuscript):
    result = process(real_manuscript, BuildConfig())
    paragraphs = read_text(real_manuscript.read_text(encoding="utf-8"))
    notes = [b for s in result.book.sections if s.role is not Role.CHAPTER for b in s.blocks]
    assert [s.role for s in result.book.sections] == [Role.FRONT_NOTE, Role.CHAPTER]
    assert [block_text(b) for b in notes] == [block_text(p) for p in paragraphs[:3]]
    story = [b for b in result.book.sections[1].blocks if isinstance(b, Paragraph)]
    assert [block_text(b) for b in story] == [block_text(p) for p in paragraphs[3:]]
    assert result.book.notes == ()


def test_inspect_lists_the_real_manuscripts_notes_with_their_rules(real_manuscript):
    outcome = CliRunner().invoke(main, ["inspect", str(real_manuscript)])
    assert outcome.exit_code == 0, outcome.output
    structure = json.loads(outcome.output)["structure"]
    notes = structure["notes"]
    assert [n["line"] for n in notes] == [1, 3, 5]
    assert all(n["rule"] and n["code"].startswith("NT") and n["placement"] == "front" for n in notes)
    assert [c["code"] for c in structure["chapters"]] == ["CH000"]
