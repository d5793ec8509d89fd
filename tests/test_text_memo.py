"""The memo of answers about single paragraphs: asked again only for new text, and only for the same code."""

from __future__ import annotations

from bookbuild import cache
from bookbuild.cache import recall, text_memo
from bookbuild.structure.notecues import NoteMatch, note_cue

BOOK = "/books/ledger"


def _ask(texts, root, seen):
    def work(text):
        seen.append(text)
        return len(text)

    with text_memo(BOOK, True, root):
        return [recall("length", text, work, lambda n: n, lambda n: n) for text in texts]


def test_a_second_build_works_out_only_the_new_paragraphs(tmp_path):
    seen: list[str] = []
    assert _ask(["one", "three"], tmp_path, seen) == [3, 5]
    assert _ask(["one", "three", "eleven"], tmp_path, seen) == [3, 5, 6]
    assert seen == ["one", "three", "eleven"]


def test_answers_from_other_code_are_not_read(tmp_path, monkeypatch):
    seen: list[str] = []
    _ask(["one"], tmp_path, seen)
    monkeypatch.setattr(cache, "code_digest", lambda: "f" * 64)  # a rule changed since
    _ask(["one"], tmp_path, seen)
    assert seen == ["one", "one"]


def test_without_a_memo_or_with_it_off_the_work_is_done(tmp_path):
    seen: list[str] = []
    assert recall("length", "abc", lambda t: seen.append(t) or 3, int, int) == 3
    with text_memo(BOOK, False, tmp_path):
        recall("length", "abc", lambda t: seen.append(t) or 3, int, int)
    assert seen == ["abc", "abc"] and not list(tmp_path.rglob("*.json"))


def test_a_remembered_note_cue_is_the_cue_worked_out(tmp_path):
    texts = ["A/N: thanks for reading, reviews make my day!", "Disclaimer: I own nothing.", "The ship ran aground."]
    fresh = [note_cue(t) for t in texts]
    for _build in range(2):
        with text_memo(BOOK, True, tmp_path):
            assert [note_cue(t) for t in texts] == fresh
    assert isinstance(fresh[0], NoteMatch) and fresh[2] is None


def test_an_unreadable_memo_is_worked_out_again(tmp_path):
    seen: list[str] = []
    _ask(["one"], tmp_path, seen)
    (memo,) = tmp_path.rglob("memo-*/*/*.json")
    memo.write_text("{ not json", encoding="utf-8")
    assert _ask(["one"], tmp_path, seen) == [3]
    assert seen == ["one", "one"]
