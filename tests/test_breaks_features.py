"""Unit tests for the boundary features: each cue the scorer learns from is actually seen."""

from __future__ import annotations

import re
from re import _constants as c  # the regex's own parse tree, so the phrase test follows TIME_SHIFT
from re import _parser

from hypothesis import given, settings
from hypothesis import strategies as st

from bookbuild.breaks.features import DEPTH_SPAN, _depth, _time_phrase, chapter_features, chapter_table
from bookbuild.breaks.lexicon import TIME_SHIFT
from bookbuild.breaks.model import load_model
from bookbuild.breaks.paragraphs import Described, describe

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


# Words the time-shift phrases are made of, a few with an apostrophe ending, and some others;
# and one phrase of each kind, so a drawn list often holds a phrase, whole or cut.
_PHRASE_WORDS = sorted(set(re.findall(r"[a-z']+", TIME_SHIFT))) + [
    "minute", "hour", "afterward", "day's", "night's", "three", "12", "rain", "daylight", "returned",
]  # fmt: skip
_PHRASES = (
    "the following week", "three days later", "ten minutes passed", "a few hours went by", "that evening",
    "at ten o'clock", "at dawn", "half past", "quarter to", "a year or two", "the day before",
    "after his return", "on the morning of",
)  # fmt: skip
_PIECES = st.one_of(
    st.sampled_from(_PHRASE_WORDS).map(lambda w: [w]), st.sampled_from(_PHRASES).map(str.split)
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=6).map(lambda pieces: tuple(w for piece in pieces for w in piece)))
def test_key_words_never_rule_out_a_time_phrase(words):
    # The key-word test only skips the regex; it must never change its answer.
    assert _time_phrase(words) == bool(re.search(TIME_SHIFT, " ".join(words)))


def _phrases(pattern: str) -> list[str]:
    """Every string a time-phrase regex matches, with "7" standing for any word or number."""

    def spell(items) -> list[str]:
        spelled = [""]
        for op, arg in items:
            if op is c.LITERAL:
                options = [chr(arg)]
            elif op is c.IN:  # a class: a few letters, or \w / \d
                options = [chr(a) if kind is c.LITERAL else "7" for kind, a in arg]
            elif op is c.BRANCH:
                options = [s for branch in arg[1] for s in spell(branch)]
            elif op is c.SUBPATTERN:
                options = spell(arg[-1])
            elif op is c.MAX_REPEAT:  # s? and \w+: none (if allowed) or one
                options = ([""] if arg[0] == 0 else []) + spell(arg[2])
            elif op is c.AT:
                options = [""]
            else:
                raise AssertionError(f"teach _phrases about {op}")
            spelled = [a + b for a in spelled for b in options]
        return spelled

    return spell(_parser.parse(pattern))


def test_every_time_phrase_is_found_whatever_ends_its_last_word():
    phrases = _phrases(TIME_SHIFT)
    assert len(phrases) > 100 and "the following week" in phrases
    for phrase in phrases:
        words = tuple(phrase.replace("-", " ").split())
        assert _time_phrase(words) == bool(re.search(TIME_SHIFT, " ".join(words))), phrase
        assert _time_phrase((*words[:-1], words[-1] + "'s", "end")), phrase


def test_time_phrase_found_with_an_apostrophe_after_it():
    assert _time_phrase(("the", "next", "day's", "news"))
    assert _time_phrase(("at", "ten", "o'clock"))
    assert not _time_phrase(("the", "next", "daylight"))


_PUNCTUATED = st.text(alphabet=st.sampled_from(list("abZKİ9 .!?\"'“”‘’()\n,")), max_size=80)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_PUNCTUATED, st.text(max_size=80)))
def test_a_paragraphs_words_are_its_sentences_words_end_to_end(text):
    # describe reads each sentence once and joins them: the result must be the whole text's words.
    lowered = text.strip().lower().replace("’", "'").replace("‘", "'")
    p = describe(text)
    assert p.words == tuple(re.findall(r"[a-z0-9]+(?:'[a-z]+)?", lowered))
    assert p.words[: len(p.first_sentence)] == p.first_sentence
    assert p.words[len(p.words) - len(p.last_sentence) :] == p.last_sentence


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZbY ,;.\tMrsDiM")), max_size=60))
def test_names_are_the_capitalised_words_after_a_lower_case_word_and_a_space(text):
    # The name pattern starts on the space for speed; it must find what the plain form finds.
    plain = r"(?<=[a-z,;] )(?:Mr\.|Mrs\.|Miss|Dr\.)?\s?([A-Z][a-z]{2,})"
    assert describe(text.strip()).names == frozenset(re.findall(plain, text.strip()))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1), max_size=30))
def test_depth_is_the_drop_below_the_highest_neighbour_on_each_side(values):
    depth, lowest = _depth(values)
    for i, value in enumerate(values):
        left = max(values[max(0, i - DEPTH_SPAN) : i], default=value)
        right = max(values[i + 1 : i + 1 + DEPTH_SPAN], default=value)
        assert depth[i] == max(0.0, left - value) + max(0.0, right - value)
        assert lowest[i] == float(value <= min(values[max(0, i - DEPTH_SPAN) : i + 1 + DEPTH_SPAN]))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from([NARRATION, '"Where?" she asked.', "He left the next morning.", "Clovis sat."]),
        max_size=9,
    )
)
def test_scoring_by_columns_gives_exactly_what_scoring_each_row_gives(texts):
    model = load_model()
    expected = [
        (model.probability(row), model.probability(row, priors=False)) for row in chapter_features(texts)
    ]
    assert model.score_texts(texts) == expected


def test_a_text_met_again_in_a_later_chapter_is_described_once():
    described = Described()
    first = described.paragraphs(["Yes.", "The mill wheel turned.", "Yes."])
    later = described.paragraphs(["No.", "Yes."])
    assert first[0] is first[2] is later[1]
    assert first[0] == describe("Yes.") and later[0] == describe("No.")
    # Past its bound the store starts again, between chapters, with the same descriptions.
    many = described.paragraphs([f"Line {n}." for n in range(Described.LIMIT + 1)])
    again = described.paragraphs(["Yes."])
    assert again[0] is not first[0] and again[0] == first[0] and len(many) == Described.LIMIT + 1


def test_tables_are_the_same_whether_chapters_share_their_descriptions():
    chapters = [["Yes.", NARRATION, '"Where?" she asked.', "Yes."], [NARRATION, "Yes.", "Three weeks later he came."]]
    shared = Described()
    for texts in chapters:
        alone, together = chapter_table(list(texts)), chapter_table(list(texts), shared)
        assert alone.names == together.names
        for got, want in zip(together.columns, alone.columns, strict=True):
            assert got.tolist() == want.tolist()
