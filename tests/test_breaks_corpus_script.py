"""scripts/build_breaks_corpus.py: which `<hr/>` and sub-sections become labelled scene breaks."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_breaks_corpus.py"
OPF = """<package xmlns="http://www.idpf.org/2007/opf"><manifest>
<item id="t" href="text/titlepage.xhtml"/><item id="c1" href="text/chapter-1.xhtml"/>
</manifest><spine><itemref idref="t"/><itemref idref="c1"/></spine></package>"""
PAGE = """<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<body epub:type="{kind}">{body}</body></html>"""
CHAPTER = """<section epub:type="chapter"><h2>Chapter I</h2><hr/>
<p>First scene opens.</p><p>First scene goes on.</p><hr/><p>Second scene opens.</p>
<section epub:type="z3998:subchapter"><h3>II</h3><p>A numbered part opens.</p><p>It goes on.</p></section>
<p>Closing line.</p><hr/></section>"""


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("build_breaks_corpus", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def snapshot(tmp_path):
    """A one-chapter Standard Ebooks repository, committed, at .../standardebooks+<name>/repo."""
    repo = tmp_path / "standardebooks+jane-doe_a-tale" / "repo"
    text = repo / "src" / "epub" / "text"
    text.mkdir(parents=True)
    (repo / "src" / "epub" / "content.opf").write_text(OPF, encoding="utf-8")
    (text / "titlepage.xhtml").write_text(PAGE.format(kind="frontmatter", body="<p>A Tale</p>"))
    (text / "chapter-1.xhtml").write_text(PAGE.format(kind="bodymatter z3998:fiction", body=CHAPTER))
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "work"], check=True)
    return repo


def _breaks(gold):
    return [(p["chapter"], p["text"]) for p in gold["paragraphs"] if p["break_before"]]


def test_an_hr_inside_a_chapter_labels_the_next_paragraph_and_one_by_a_heading_does_not(script, snapshot):
    name, gold = script.cut(script.git_dir_of(snapshot))
    assert name == "jane-doe_a-tale" and gold["files"] == ["text/chapter-1.xhtml"]
    assert _breaks(gold) == [(0, "Second scene opens.")]
    # a numbered sub-section is a chapter of its own, as in ../shared/eval/train
    starts = [p["text"] for p in gold["paragraphs"] if p["chapter_start"]]
    assert starts == ["First scene opens.", "A numbered part opens."]


def test_subchapter_breaks_read_a_numbered_section_as_a_break(script, snapshot):
    _, gold = script.cut(script.git_dir_of(snapshot), subchapter_breaks=True)
    assert _breaks(gold) == [(0, "Second scene opens."), (0, "A numbered part opens.")]
    assert "II" not in [p["text"] for p in gold["paragraphs"]]
    assert {p["chapter"] for p in gold["paragraphs"]} == {0}


def test_a_training_author_is_skipped_and_a_dev_author_refused(script, snapshot, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(script, "training_authors", lambda: {"jane-doe"})
    assert script.main([str(snapshot), "--out", str(tmp_path / "out")]) == 0
    assert "an author of train/" in capsys.readouterr().out and not (tmp_path / "out").exists()
    saki = snapshot.parent.rename(tmp_path / "standardebooks+saki_a-tale") / "repo"
    with pytest.raises(SystemExit, match="dev or hidden-evaluation author"):
        script.cut(saki)
