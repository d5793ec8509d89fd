"""The nothing-lost check: it passes what the other steps legitimately do and fails real loss."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bookbuild import pipeline
from bookbuild.config import BuildConfig
from bookbuild.decisions import Decision
from bookbuild.errors import OutputError
from bookbuild.model import (
    Book,
    Note,
    NoteRef,
    Paragraph,
    Role,
    SceneBreak,
    Section,
    Text,
    first_words,
    plain_text,
)
from bookbuild.verify import epub_words, unmatched, words

STORY = """Title: The Last Two

Disclaimer: I don't own them.

Chapter 1

It was beautiful, as much the shining utopia as it had ever been -- "quiet," he said... (A/N: sorry about this!) Then the sun rose.

-break-

Lex Luthor watched from his balcony. He'd spent years on it; it was all for naught.

Chapter 2

"Who's there?" Clark asked. Nobody answered, and the city stayed silent.
"""


# --- stand-ins for what the other transforms do to text -------------------------------------


def _paragraphs(book: Book):
    for section in book.sections:
        yield from (b for b in section.blocks if isinstance(b, Paragraph))


def _map_blocks(book: Book, change) -> Book:
    sections = []
    for section in book.sections:
        blocks = []
        for block in section.blocks:
            blocks.extend(change(block))
        sections.append(dataclasses.replace(section, blocks=tuple(blocks)))
    return dataclasses.replace(book, sections=tuple(sections))


def lift_header(book: Book, cfg: BuildConfig):
    decisions = []

    def change(block):
        text = plain_text(block.inlines) if isinstance(block, Paragraph) else ""
        if text.startswith("Title: "):
            decisions.append(Decision("header", "HD001", "metadata", "title line", first_words(text)))
            return []
        return [block]

    book = _map_blocks(book, change)
    return dataclasses.replace(book, meta=dataclasses.replace(book.meta, title="The Last Two")), decisions


def mark_scenes(book: Book, cfg: BuildConfig):
    return _map_blocks(book, lambda b: [SceneBreak(marker="-break-")] if isinstance(b, Paragraph) and plain_text(b.inlines) == "-break-" else [b]), []


def split_chapters(book: Book, cfg: BuildConfig):
    [section] = book.sections
    sections: list[Section] = [Section(Role.FRONT_NOTE, ())]
    for block in section.blocks:
        text = plain_text(block.inlines) if isinstance(block, Paragraph) else ""
        if re.fullmatch(r"Chapter \d+", text):
            sections.append(Section(Role.CHAPTER, (), title=(Text(text),)))
        else:
            sections[-1] = dataclasses.replace(sections[-1], blocks=sections[-1].blocks + (block,))
    return dataclasses.replace(book, sections=tuple(sections)), []


def extract_notes(book: Book, cfg: BuildConfig):
    notes = []

    def change(block):
        if not isinstance(block, Paragraph):
            return [block]
        text = plain_text(block.inlines)
        match = re.search(r"\s*\(A/N: (.*?)\)", text)
        if not match:
            return [block]
        note_id = f"note-{len(notes) + 1}"
        notes.append(Note(note_id, (Paragraph((Text(match.group(1)),)),)))
        inlines = (Text(text[: match.start()]), NoteRef(note_id), Text(text[match.end() :]))
        return [dataclasses.replace(block, inlines=inlines)]

    book = _map_blocks(book, change)
    return dataclasses.replace(book, notes=tuple(notes)), []


def typeset(book: Book, cfg: BuildConfig):
    def curl(text: str) -> str:
        text = text.replace("...", "…").replace(" -- ", "—").replace("--", "—")
        text = re.sub(r'"(?=\w)', "“", text).replace('"', "”")
        return text.replace("'", "’").replace("Lex", "Lex\u2060")

    def change(block):
        if not isinstance(block, Paragraph):
            return [block]
        return [dataclasses.replace(block, inlines=tuple(Text(curl(s.text)) if isinstance(s, Text) else s for s in block.inlines))]

    return _map_blocks(book, change), []


STEPS = (("header", lift_header), ("scenes", mark_scenes), ("chapters", split_chapters), ("notes", extract_notes), ("typography", typeset))


def build_with(tmp_path: Path, steps, formats=("epub",), source: Path | None = None):
    if source is None:
        source = tmp_path / "story.txt"
        source.write_text(STORY, encoding="utf-8")
    original = pipeline.process
    cfg = BuildConfig(outdir=tmp_path / "out", formats=formats)
    patched = pytest.MonkeyPatch()
    patched.setattr(pipeline, "process", lambda src, c: original(src, c, steps))
    try:
        return pipeline.build(source, cfg)
    finally:
        patched.undo()


def drop(predicate):
    """A transform that silently loses the paragraphs matching ``predicate``."""

    def transform(book: Book, cfg: BuildConfig):
        return _map_blocks(book, lambda b: [] if isinstance(b, Paragraph) and predicate(plain_text(b.inlines)) else [b]), []

    return transform


# --- the tests ------------------------------------------------------------------------------


def test_what_the_other_steps_do_passes(tmp_path: Path) -> None:
    result, [epub] = build_with(tmp_path, STEPS)
    assert result.book.notes and any(isinstance(b, SceneBreak) for s in result.book.sections for b in s.blocks)
    assert "sorry" in epub_words(epub)


def test_a_silently_dropped_paragraph_fails_the_build(tmp_path: Path) -> None:
    steps = (*STEPS, ("buggy", drop(lambda text: text.startswith("Lex"))))
    with pytest.raises(OutputError, match=r"nothing-lost check failed for the-last-two\.epub: 17 word\(s\).* from line 11 \(\"lex luthor watched"):
        build_with(tmp_path, steps)


def test_one_lost_word_fails_the_build(tmp_path: Path) -> None:
    def lose_a_word(book: Book, cfg: BuildConfig):
        def change(block):
            if isinstance(block, Paragraph) and "silent" in plain_text(block.inlines):
                return [dataclasses.replace(block, inlines=(Text(plain_text(block.inlines).replace(" silent", "")),))]
            return [block]

        return _map_blocks(book, change), []

    with pytest.raises(OutputError, match=r"1 word\(s\).*\(\"silent\"\)"):
        build_with(tmp_path, (*STEPS, ("buggy", lose_a_word)))


def test_a_marker_may_go_only_when_a_scene_break_keeps_it(tmp_path: Path) -> None:
    steps = tuple(s for s in STEPS if s[0] != "scenes") + (("buggy", drop(lambda text: text == "-break-")),)
    with pytest.raises(OutputError, match="break"):
        build_with(tmp_path, steps)


def test_a_note_may_move_only_into_the_notes(tmp_path: Path) -> None:
    def forget_notes(book: Book, cfg: BuildConfig):
        return dataclasses.replace(book, notes=()), []

    with pytest.raises(OutputError, match="sorry about this"):
        build_with(tmp_path, (*STEPS, ("buggy", forget_notes)))


def test_reordered_paragraphs_fail(tmp_path: Path) -> None:
    def reverse(book: Book, cfg: BuildConfig):
        return dataclasses.replace(book, sections=tuple(dataclasses.replace(s, blocks=s.blocks[::-1]) for s in book.sections)), []

    with pytest.raises(OutputError, match="nothing-lost"):
        build_with(tmp_path, (("reverse", reverse),))


def test_a_failed_check_leaves_the_previous_outputs_untouched(tmp_path: Path) -> None:
    _result, written = build_with(tmp_path, STEPS, formats=("epub", "pdf"))
    before = {path: path.read_bytes() for path in written}
    source = tmp_path / "story.txt"
    source.write_text(STORY.replace("silent", "silent and new"), encoding="utf-8")
    with pytest.raises(OutputError):
        build_with(tmp_path, (*STEPS, ("buggy", drop(lambda text: "Clark" in text))), formats=("epub", "pdf"), source=source)
    assert {path: path.read_bytes() for path in written} == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in written)


def test_the_check_can_be_switched_off(tmp_path: Path) -> None:
    source = tmp_path / "story.txt"
    source.write_text(STORY, encoding="utf-8")
    original = pipeline.process
    cfg = BuildConfig(outdir=tmp_path / "out", formats=("epub",), verify=False)
    steps = (("buggy", drop(lambda text: "Clark" in text)),)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(pipeline, "process", lambda src, c: original(src, c, steps))
        _result, [epub] = pipeline.build(source, cfg)
    assert "clark" not in epub_words(epub)


def test_folding_ignores_typography() -> None:
    assert words("“Don’t—go…” 6′2″ Lex\u2060Corp ﬁne ©") == words('"Don\'t--go..." 6\'2" LexCorp fine (c)')


def test_unmatched_allows_insertions_and_reports_losses() -> None:
    expected = "he left the room and then went home to sleep".split()
    assert unmatched(expected, "chapter 1 he left the room 1 and then went home to sleep notes".split()) == []
    assert unmatched(expected, "he left the and then went home to sleep".split()) == [3]
    assert unmatched(expected, "he left the room and then went home".split()) == [8, 9]


def test_unmatched_rejoins_a_word_split_across_a_page() -> None:
    expected = "but inside he was sure of it".split()
    actual = "but in chapter 1 9 side he was sure of it".split()
    assert unmatched(expected, actual) != []
    assert unmatched(expected, actual, split_words=True) == []


def test_unmatched_is_not_fooled_by_a_contents_page() -> None:
    expected = "chapter 1 it began chapter 2 it went on chapter 3 it ended".split()
    contents = "contents chapter 1 chapter 2 chapter 3".split()
    assert unmatched(expected, contents + expected) == []


@pytest.mark.slow
def test_real_manuscript_passes_with_pdf(tmp_path: Path, real_manuscript: Path) -> None:
    cfg = BuildConfig(outdir=tmp_path, formats=("epub", "pdf"))
    _result, written = pipeline.build(real_manuscript, cfg)
    assert [p.suffix for p in written] == [".epub", ".pdf"]


def test_dev_manuscripts_pass(tmp_path: Path, eval_dir: Path) -> None:
    for path in sorted(eval_dir.glob("dev/*/notes.txt")):
        pipeline.build(path, BuildConfig(outdir=tmp_path / path.parent.name, formats=("epub",)))


def test_right_to_left_runs_are_put_back_in_reading_order() -> None:
    from bookbuild.verify.outputs import _logical_order

    rle, pdf = "\u202b", "\u202c"
    visual = f"then {rle}יפה{pdf} {rle}עולם{pdf} {rle}שלום{pdf} and {rle}מספרים{pdf} 123 {rle}עם{pdf}."
    assert _logical_order(visual) == ["then", "שלום", "עולם", "יפה", "and", "עם", "123", "מספרים"]
    assert _logical_order(f"0{rle}א{pdf}") == ["א", "0"]


def test_marks_and_spacing_accents_fold_away() -> None:
    assert words("C\u00b8 0\u00b80 Zoe\u0308") == words("Ç 00 Zoë") == ["c", "00", "zoe"]


@pytest.mark.slow
def test_mixed_scripts_pass_in_print(tmp_path: Path) -> None:
    source = tmp_path / "scripts.txt"
    source.write_text(
        "English words then שלום עולם יפה and more.\n\nשלום עולם, זה משפט בעברית עם 123 מספרים.\n\n"
        "مرحبا بالعالم هذه جملة عربية.\n\nא0 and Zoë’s café, Ça¸ 0\u00b80, Привет мир, Γειά σου.\n",
        encoding="utf-8",
    )
    _result, written = pipeline.build(source, BuildConfig(outdir=tmp_path / "out"))
    assert [p.suffix for p in written] == [".epub", ".pdf"]


@pytest.mark.slow
def test_a_character_no_font_has_is_a_warning_not_a_loss(tmp_path: Path) -> None:
    """On a machine without the Noto fonts (a fontconfig that knows only DejaVu), Japanese
    prints as boxes: the build succeeds, and VF001 names the characters and the package."""
    import os
    import subprocess
    import sys

    dejavu = "/usr/share/fonts/truetype/dejavu"
    if not Path(dejavu).is_dir():
        pytest.skip("needs DejaVu, which fontconfig brings")
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?><fontconfig><dir>{dejavu}</dir><cachedir>{tmp_path / "fc"}</cachedir></fontconfig>',
                      encoding="utf-8")
    source = tmp_path / "japanese.txt"
    source.write_text("Title: T\n\nA Japanese word \u65e5\u672c in an English sentence.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "bookbuild", "build", str(source), "-o", str(tmp_path / "out"), "--format", "pdf"],
                          capture_output=True, text=True, env={**os.environ, "FONTCONFIG_FILE": str(config)}, check=False)
    assert done.returncode == 0, done.stderr
    assert "U+65E5" in done.stderr and "install fonts-noto-cjk" in done.stderr
    assert (tmp_path / "out" / "t.pdf").is_file()


@settings(deadline=None)
@given(st.lists(st.sampled_from("abcde"), max_size=25), st.lists(st.sampled_from("abcxy"), max_size=25))
def test_exact_alignment_finds_a_longest_common_subsequence(expected: list[str], actual: list[str]) -> None:
    from functools import cache

    from bookbuild.verify.align import _exact

    @cache
    def common(i: int, j: int) -> int:
        if not i or not j:
            return 0
        if expected[i - 1] == actual[j - 1]:
            return common(i - 1, j - 1) + 1
        return max(common(i - 1, j), common(i, j - 1))

    missing = _exact(expected, 0, len(expected), actual, 0, len(actual), frozenset(), (-len(expected), len(actual)))
    assert len(expected) - len(missing) == common(len(expected), len(actual))
    kept = [w for i, w in enumerate(expected) if i not in set(missing)]
    iterator = iter(actual)
    assert all(w in iterator for w in kept)  # what is kept is a subsequence of the output


@pytest.mark.parametrize("suffix, text", [
    (".txt", STORY),  # a disclaimer in front, an inline "(A/N: ...)" in a paragraph
    (".txt", "(A/N: Thanks for reading! This is a note.)\n\n(A/N: Another note. Review please.)\n"),
    (".md", "# Chapter 1\n\nHe walked in. It was late.\n\n# Author's Note\n\nThanks for reading.\n\nMore notes.\n"),
])
def test_dropped_notes_are_not_reported_lost(tmp_path: Path, suffix: str, text: str) -> None:
    """``notes = "drop"`` takes notes out on purpose (found by hand: every such build failed the check)."""
    source = tmp_path / f"story{suffix}"
    source.write_text(text, encoding="utf-8")
    _result, [epub] = pipeline.build(source, BuildConfig(outdir=tmp_path / "out", formats=("epub",), notes="drop"))
    assert not {"thanks", "sorry", "disclaimer"} & set(epub_words(epub))
