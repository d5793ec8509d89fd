"""The fast feature table equals the first shipped one to the last bit, on every kind of text.

Decisions, confidences and the review list's order come from these figures, and users' saved
reviews name the paragraphs they picked: a feature that moved by one ulp could reorder two
candidates. So the table built from running counts (bookbuild/breaks/) is compared with the
per-boundary reference (tests/breaks_reference/) value by value, bit for bit, type for type.
"""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.manuscripts import generate
from bookbuild.breaks import features, model
from bookbuild.breaks.corpus import load_set
from bookbuild.breaks.model import load_model
from tests.breaks_reference import features as reference


def _bits(column: list[float]) -> list[tuple[str, str]]:
    return [(type(value).__name__, float(value).hex()) for value in column]


def _assert_same_table(texts: list[str]) -> None:
    fast, slow = features.chapter_table(list(texts)), reference.chapter_table(list(texts))
    assert fast.names == slow.names
    assert len(fast.columns) == len(slow.columns)
    for name, got, want in zip(fast.names, fast.columns, slow.columns, strict=True):
        assert _bits(got.tolist()) == _bits(want), name
    model = load_model()
    rows = slow.rows()
    assert model.score_table(fast) == [(model.probability(row), model.probability(row, priors=False)) for row in rows]


def _chapters_of(folder: Path) -> list[list[str]]:
    chapters = []
    for path in sorted(folder.glob("chapter-*.md")):
        body = path.read_text(encoding="utf-8").split("\n", 1)[1]  # less the "# Chapter N" line
        chapters.append([p.strip() for p in body.split("\n\n") if p.strip()])
    return chapters


def test_the_dev_works_give_the_reference_table(eval_dir):
    for work in load_set(eval_dir / "dev"):
        for chapter in work.chapters:
            _assert_same_table(list(chapter))


def test_a_generated_unmarked_book_gives_the_reference_table(tmp_path):
    for chapter in _chapters_of(generate(tmp_path / "book", 20_000, 5, marked=False)):
        _assert_same_table(chapter)


def test_a_long_run_of_one_word_lines_gives_the_reference_table():
    # The hostile shape: thousands of one-word paragraphs, few distinct, some too short for content.
    draw = random.Random(15)
    _assert_same_table([draw.choice(["beta", "stone", "gamma", "a", "Ivy", "rain", "12"]) for _ in range(3000)])


_STORY = (
    "The rain had not stopped all day, and the gutters ran full along the lane by the mill.",
     '"Where?" she asked.', "He left the next morning.", "Clovis sat.", "Yes.", "", "***", "—",
     '"Never," said the grocer to Mrs. Greyes, and Peter laughed.', "Three weeks later the baroness came back.",
     "I went down to the harbour and I bought my fish.", "She is at home now. The kettle is on.",
     "The mill wheel turned in the rain, and Clovis watched it from the lane with Bertie.",
     " ".join(["The long road wound up into the hills above the town."] * 6),
     '"Is it you?" asked the grocer. Bertie was there, and Clovis, and the baroness.',
)  # fmt: skip
_LINES = st.sampled_from(_STORY)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=60)), max_size=60))
def test_any_run_gives_the_reference_table(texts):
    _assert_same_table(texts)



def test_scores_summed_row_by_row_are_the_scores_summed_by_column(monkeypatch):
    # Where sum() compensates its rounding (Python 3.12 on), each row is summed by sum() itself.
    texts = [line for line in _STORY if line] * 5
    table = features.chapter_table(texts)
    by_column = load_model().score_table(table)
    monkeypatch.setattr(model, "_SUM_IN_ORDER", False)
    assert load_model().score_table(table) == by_column


def test_z_scores_summed_by_sum_are_the_cumulative_sums(monkeypatch):
    # Where sum() compensates its rounding (Python 3.12 on), each column is summed by sum() itself;
    # up to 3.11 both ways give the same floats, short runs (one array) and long ones alike.
    for texts in ([line for line in _STORY if line] * 5, [line for line in _STORY if line] * 150):
        by_cumsum = features.chapter_table(texts)
        monkeypatch.setattr(features, "_SUM_IN_ORDER", False)
        by_sum = features.chapter_table(texts)
        monkeypatch.undo()
        assert by_sum.names == by_cumsum.names
        for name, got, want in zip(by_sum.names, by_sum.columns, by_cumsum.columns, strict=True):
            assert _bits(got.tolist()) == _bits(want.tolist()), name
