"""Each typography rule on small cases of our own (tests/fixtures/typography/rules.txt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookbuild.typography import RULES, run_joined, run_pieces
from bookbuild.typography.chars import WORD_JOINER

FIXTURE = Path(__file__).parent / "fixtures" / "typography" / "rules.txt"


def _cases() -> list:
    cases = []
    section = "?"
    lines = [line for line in FIXTURE.read_text(encoding="utf-8").splitlines() if not line.startswith("# ")]
    lines = [line for line in lines if line.strip()]
    for index, line in enumerate(lines):
        if line.startswith("## "):
            section = line[3:].split(":")[0].replace(" ", "_")
        elif line.startswith("=> "):
            source = lines[index - 1]
            cases.append(
                pytest.param(source.split(" ¶ "), line[3:].split(" ¶ "), id=f"{section}-{len(cases)}")
            )
    return cases


CASES = _cases()


def typeset(paragraphs: list[str]) -> list[str]:
    return run_joined(RULES, paragraphs)[0]


def visible(texts: list[str]) -> list[str]:
    return [t.replace(WORD_JOINER, "") for t in texts]


def test_fixture_has_cases_for_every_rule_group() -> None:
    sections = {case.id.rsplit("-", 1)[0] for case in CASES}
    assert len(CASES) >= 80 and len(sections) >= 15


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_rule_case(source: list[str], expected: list[str]) -> None:
    assert visible(typeset(source)) == expected


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_rule_case_split_into_spans(source: list[str], expected: list[str]) -> None:
    """The same paragraph cut into two spans anywhere reads the same once rejoined."""
    for paragraph, wanted in zip(source, expected, strict=True):
        for cut in {1, len(paragraph) // 3, len(paragraph) // 2, len(paragraph) - 1}:
            pieces, _, _ = run_pieces(RULES, [paragraph[:cut], paragraph[cut:]])
            assert "".join(pieces).replace(WORD_JOINER, "") == wanted


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_typeset_text_is_left_alone(source: list[str], expected: list[str]) -> None:
    once = typeset(source)
    assert typeset(once) == once


# --- word joiners -------------------------------------------------------------------------


def test_word_joiner_glues_an_em_dash_to_the_word_before_it() -> None:
    (text,) = typeset(["The barn--what was left of it--burned."])
    assert text == f"The barn{WORD_JOINER}—what was left of it{WORD_JOINER}—burned."


def test_word_joiner_glues_an_ellipsis_and_its_closing_quote() -> None:
    (text,) = typeset(['"Maybe..." she said. "I was-"'])
    assert text == f"“Maybe{WORD_JOINER}…{WORD_JOINER}” she said. “I was{WORD_JOINER}—{WORD_JOINER}”"


def test_no_word_joiner_before_a_dash_that_opens_the_paragraph() -> None:
    (text,) = typeset(["--and then nothing."])
    assert text == "—and then nothing."


# --- what the rules report ----------------------------------------------------------------


def test_counts_by_kind() -> None:
    _, tally, _ = run_joined(RULES, ["\"It's 9-5,\" he said--'til noon... maybe."])
    assert tally["double_quotes"] == 2
    assert tally["apostrophes"] == 2  # It's, 'til
    assert tally["en_dashes"] == 1
    assert tally["em_dashes"] == 1
    assert tally["ellipses"] == 1


def test_elision_read_as_opening_quote_is_a_doubt() -> None:
    texts, _, doubts = run_joined(RULES, ["Nothing here.", "'Cause I said so,' she thought."])
    assert visible(texts)[1] == "‘Cause I said so,’ she thought."
    assert [(index, doubt.code) for index, doubt in doubts] == [(1, "TY103")]


def test_quote_without_telling_neighbours_is_a_doubt() -> None:
    texts, _, doubts = run_joined(RULES, ['He said " go away " and left.'])
    assert texts == ["He said “ go away ” and left."]
    assert [doubt.code for _, doubt in doubts] == ["TY104", "TY104"]


def test_inches_or_closing_quote_after_a_number_is_a_doubt() -> None:
    texts, _, doubts = run_joined(RULES, ['"I counted to 20" and "a 12" board."'])
    assert texts == ["“I counted to 20” and “a 12″ board.”"]
    assert {doubt.code for _, doubt in doubts} == {"TY105"}


def test_unlisted_elision_mid_sentence_is_a_doubt() -> None:
    texts, _, doubts = run_joined(RULES, ["They sailed for 'Frisco at dawn."])
    assert texts == ["They sailed for ’Frisco at dawn."]
    assert [doubt.code for _, doubt in doubts] == ["TY106"]


def test_unlisted_elision_opening_speech_is_a_doubt() -> None:
    texts, _, doubts = run_joined(RULES, ["\"'Gene, you get back 'ere!\""])
    assert visible(texts) == ["“’Gene, you get back ’ere!”"]
    assert [doubt.code for _, doubt in doubts] == ["TY107"]


def test_single_quote_closed_inside_speech_opens_without_doubt() -> None:
    texts, _, doubts = run_joined(RULES, ["\"Pa said 'Gene's late,' and sighed.\""])
    assert visible(texts) == ["“Pa said ‘Gene’s late,’ and sighed.”"]
    assert "TY107" not in [doubt.code for _, doubt in doubts]
