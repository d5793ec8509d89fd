"""Unit tests for the shift features: each change across a boundary is seen, and only there."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bookbuild.breaks.features import chapter_features
from bookbuild.breaks.paragraphs import describe
from bookbuild.breaks.shifts import NAMES, shift_columns

NARRATION = "The rain had not stopped all day, and the gutters ran full along the lane by the mill."


def _boundary(before: str, after: str, *more: str) -> dict[str, float]:
    return chapter_features([NARRATION, before, after, *more])[1]


def _columns(texts: list[str]) -> dict[str, list[float]]:
    return dict(zip(NAMES, map(list, shift_columns([describe(t) for t in texts], texts)), strict=True))


def test_every_shift_feature_reaches_the_table_with_its_z_score():
    feats = _boundary("He sat.", "She stood.")
    assert all(name in feats and "z:" + name in feats for name in NAMES)


def test_a_new_viewpoint_changes_the_pronoun_mix():
    i_side = ["I went down to the harbour and I bought my fish.", "I paid my man and I left."]
    she_side = ["She was reading in her room.", "She turned the page and her tea went cold."]
    same = ["I walked to my office.", "I sat at my desk."]
    switched = _columns(i_side + she_side)["pov_dist_words"][1]
    kept = _columns(i_side + same)["pov_dist_words"][1]
    assert switched > 0.9 > 0.1 > kept


def test_a_switch_to_the_present_tense_is_seen():
    past = ["He was tired and the train was late.", "The station was cold."]
    present = ["She is at home now. The kettle is on.", "The house is quiet."]
    assert _columns(past + present)["present_change"][1] == 1.0
    assert _columns(past + past)["present_change"][1] == 0.0


def test_names_carried_across_or_not():
    left = ["Clovis met Bertie at the club.", "Clovis said nothing to Bertie."]
    carried = _columns(left + ["Later Clovis left Bertie there.", "Bertie stayed."])
    fresh = _columns(left + ["The Maxwell was one of a dozen hotels.", "Mrs. Greyes waited."])
    assert carried["names_j3"][1] > 0.5 and fresh["names_j3"][1] == 0.0


def test_a_long_paragraph_after_quick_replies_is_a_change_of_pace():
    texts = ['"Yes."', '"No."', " ".join(["The long road wound up into the hills above the town."] * 6)]
    assert _columns(texts)["len_jump"][1] > 1.5


def test_narration_after_a_run_of_speech():
    texts = ['"Where?"', '"Here," he said.', '"Now?"', "The street was gray with the beginning of daylight."]
    columns = _columns(texts)
    assert columns["narr_after_dialogue"][2] == 1.0
    assert columns["narr_after_dialogue"][0] == 0.0  # speech goes on: no change


def test_openings_that_set_a_scene():
    assert _boundary("He sat.", "The Maxwell was one of a dozen hotels.")["open_named_stative"] == 1.0
    assert _boundary("He sat.", "He was one of a dozen men.")["open_named_stative"] == 0.0
    assert _boundary("He sat.", "I went back to my hotel.")["head_move"] == 1.0
    assert _boundary("He sat.", "It was quite late.")["open_it"] == 1.0
    assert _boundary("He sat.", "At 2:18 the train pulled out.")["open_digit"] == 1.0
    assert _boundary("He slammed the door after me.", "It rained.")["close_leave"] == 1.0
    assert _boundary("He sat down.", "It rained.")["close_leave"] == 0.0


def test_position_in_the_chapter():
    texts = [NARRATION] * 5
    columns = _columns(texts)
    assert columns["rel_pos"] == [0.2, 0.4, 0.6, 0.8]
    bump = columns["mid_bump"]
    assert min(bump[1], bump[2]) > max(bump[0], bump[3])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=60), min_size=2, max_size=8))
def test_any_run_gives_one_finite_value_per_boundary_and_feature(texts):
    columns = shift_columns([describe(t) for t in texts], texts)
    assert len(columns) == len(NAMES)
    assert all(len(column) == len(texts) - 1 for column in columns)
    assert all(abs(value) < 100 for column in columns for value in column)
