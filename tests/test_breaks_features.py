"""Unit tests for the boundary features: each cue the scorer learns from is actually seen."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bookbuild.breaks.features import chapter_features, describe

NARRATION = "The rain had not stopped all day, and the gutters ran full along the lane by the mill."


def _boundary(before: str, after: str, *more: str) -> dict[str, float]:
    return chapter_features([NARRATION, before, after, *more])[1]


def test_time_shift_phrase_at_the_opening_is_seen():
    feats = _boundary("She shut the door.", "Three weeks later the baroness came back to town.")
    assert feats["head_time_phrase"] == 1.0
    assert feats["head_shift_words"] == 1.0


def test_time_cue_in_a_speech_tag_counts_as_narration():
    feats = _boundary("He left.", '"Is it you?" asked the grocer the next morning.')
    assert feats["narration_time_phrase"] == 1.0
    assert feats["dialogue_time_phrase"] == 1.0


def test_time_words_inside_quotes_are_not_narration():
    feats = _boundary("He left.", '"We leave the next morning," he said.')
    assert feats["narration_time_phrase"] == 0.0


def test_speech_on_both_sides_is_a_dialogue_pair():
    feats = _boundary('"Where were you?"', '"Out," she said.')
    assert feats["pair=DD"] == 1.0 and feats["pair=NN"] == 0.0
    assert feats["before_question"] == 1.0


def test_new_speaker_against_a_known_one():
    before = "Mrs. Olston poured the tea while Clovis watched the lawn."
    assert _boundary(before, '"Hello," said the wyvern.')["speaker_new"] == 1.0
    assert _boundary(before, '"Hello," said Clovis.')["speaker_known"] == 1.0
    assert _boundary(before, '"Hello," he said.')["speaker_pronoun"] == 1.0


def test_opening_pronoun_and_connective():
    assert _boundary("He sat.", "He stood again.")["first_pronoun"] == 1.0
    assert _boundary("He sat.", "But the chair broke.")["first_connective"] == 1.0


def test_words_new_to_the_chapter_mark_a_fresh_setting():
    fresh = _boundary("He sat.", "Chessboard pieces glittered beside the marble fireplace.")
    stale = _boundary("He sat.", "The rain ran along the gutters by the mill.")
    assert fresh["setting_fresh"] > stale["setting_fresh"]


def test_cohesion_is_higher_when_the_same_words_carry_over():
    same = _boundary("The mill wheel turned in the rain.", "The mill wheel stopped in the rain.")
    other = _boundary("The mill wheel turned in the rain.", "Breakfast tasted of burnt toast and marmalade.")
    assert same["cohesion_near"] > other["cohesion_near"]


def test_describe_finds_names_and_speaker():
    p = describe('"Never," said the grocer to Mrs. Greyes, and Peter laughed.')
    assert p.speaker == "grocer"
    assert {"Greyes", "Peter"} <= p.names
    assert p.dialogue and p.speech


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=80), min_size=0, max_size=12))
def test_one_row_per_boundary_with_finite_values(texts):
    rows = chapter_features(texts)
    assert len(rows) == max(0, len(texts) - 1)
    for row in rows:
        assert all(value == value and abs(value) < 1e6 for value in row.values())
        assert set(row) == set(rows[0])
