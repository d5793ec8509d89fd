"""Quotation marks, spacing and dashes by language (bookbuild/typography/languages.toml)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bookbuild.config import BuildConfig, ConfigError, config_from_toml
from bookbuild.model import Book, Meta, Paragraph, Role, Section, Text, plain_text
from bookbuild.transforms.typography import typeset
from bookbuild.typography import RULES, run_joined
from bookbuild.typography.language import conventions_for, converted_quotes, known_languages, localize
from bookbuild.typography.leading import elided_words

NNBSP = "\u202f"
NBSP = "\u00a0"


def set_in(language: str, text: str, quotes: str = "") -> str:
    """A paragraph typeset by the rules, then in a language's conventions (word joiners dropped)."""
    conventions, _ = conventions_for(language, quotes)
    (typed,) = run_joined(RULES, [text])[0]
    (localized,) = localize((text,), (typed,), conventions, Counter())
    return localized.replace("\u2060", "")


def test_the_table_holds_the_languages_asked_for() -> None:
    assert {"en-US", "en-GB", "de", "fr", "es", "it", "nl", "pl", "sv", "ru"} <= set(known_languages())


@pytest.mark.parametrize(
    ("language", "outer", "inner"),
    [
        ("en-US", "“”", "‘’"),
        ("en-GB", "“”", "‘’"),
        ("de", "„“", "‚‘"),
        ("de-AT", "„“", "‚‘"),
        ("de-CH", "«»", "‹›"),
        ("es", "«»", "“”"),
        ("it", "«»", "“”"),
        ("nl", "„”", "‚’"),
        ("pl", "„”", "«»"),
        ("sv", "””", "’’"),
        ("ru", "«»", "„“"),
    ],
)
def test_outer_and_inner_quotation_marks(language: str, outer: str, inner: str) -> None:
    got = set_in(language, "\"He read 'Stop' aloud,\" she said.")
    assert got == f"{outer[0]}He read {inner[0]}Stop{inner[1]} aloud,{outer[1]} she said."


def test_tags_are_read_in_any_spelling() -> None:
    assert conventions_for("EN_gb")[0].name == "en-GB"
    assert conventions_for("en")[0].name == "en-US"
    assert conventions_for("fr-CA")[0].name == "fr"
    assert conventions_for("tlh") == (conventions_for("en-US")[0], False)


def test_french_spacing_inside_guillemets_and_before_double_marks() -> None:
    got = set_in("fr", '"Tu viens ?" Il hésita: "Oui; enfin, non!"')
    assert got == f"«{NNBSP}Tu viens{NNBSP}?{NNBSP}» Il hésita{NNBSP}: «{NNBSP}Oui{NNBSP}; enfin, non{NNBSP}!{NNBSP}»"


def test_french_spacing_leaves_times_urls_and_queries_alone() -> None:
    text = "Rendez-vous à 10:30 sur https://example.org/a?b=1 demain."
    assert set_in("fr", text) == text


def test_french_inner_quotes_are_english_curly_quotes() -> None:
    assert set_in("fr", "\"Il a dit 'non'.\"") == f"«{NNBSP}Il a dit “non”.{NNBSP}»"


def test_spaced_en_dash_in_german_and_french_prose() -> None:
    assert set_in("de", "Er kam--zu spät--und ging.") == f"Er kam{NBSP}– zu spät{NBSP}– und ging."
    assert set_in("de", '"Ich wollte--"') == f"„Ich wollte{NBSP}–“"
    assert set_in("fr", "--et puis rien.") == "– et puis rien."


def test_ranges_keep_their_closed_en_dash() -> None:
    assert set_in("de", "Die Jahre 1990-1995, Seiten 12--19.") == "Die Jahre 1990–1995, Seiten 12–19."


def test_russian_uses_a_spaced_em_dash_and_spanish_a_closed_one() -> None:
    assert set_in("ru", "Он ушёл--навсегда.") == f"Он ушёл{NBSP}— навсегда."
    assert set_in("es", "Se fue--para siempre.") == "Se fue—para siempre."


def test_marks_the_author_typed_stay_as_typed() -> None:
    text = "„Schon gesetzt“ und “so gesetzt” und \"neu\"."
    assert set_in("de", text) == "„Schon gesetzt“ und “so gesetzt” und „neu“."
    assert set_in("fr", "« Déjà » et “ainsi”.") == f"«{NNBSP}Déjà{NNBSP}» et “ainsi”."


def test_british_quotes_are_single_outside_double_inside() -> None:
    assert set_in("en-GB", "\"Say 'when',\" he said.", "british") == "‘Say “when”,’ he said."
    # typed the British way already, it stays British
    assert set_in("en-GB", "'Say \"when\",' he said.", "british") == "‘Say “when”,’ he said."
    # en-GB without the setting keeps American double quotes
    assert set_in("en-GB", "\"Say 'when',\" he said.") == "“Say ‘when’,” he said."


def test_apostrophes_are_never_taken_for_closing_quotes() -> None:
    got = set_in("de", "\"Sie sagte 'Goin' home' und 'the Kents' house,' ja.\"")
    assert got == "„Sie sagte ‚Goin’ home‘ und ‚the Kents’ house,‘ ja.“"


def test_quotes_made_from_straight_ones_are_told_from_typed_ones() -> None:
    source = "“a” \"b\" ''c'' 'd'"
    (typed,) = run_joined(RULES, [source])[0]
    made = converted_quotes(source, typed)
    assert sorted(typed[at] for at in made) == sorted("“”“”‘’")
    assert 0 not in made and 2 not in made


def transform(text: str, language: str, quotes: str = "language") -> tuple[str, list]:
    book = Book(Meta(language=language), (Section(Role.CHAPTER, (Paragraph((Text(text),)),)),))
    typed, decisions = typeset(book, BuildConfig(quotes=quotes))
    return plain_text(typed.sections[0].blocks[0].inlines).replace("\u2060", ""), decisions


def test_transform_sets_the_books_language() -> None:
    text, decisions = transform('"Ja," sagte er.', "de")
    assert text == "„Ja,“ sagte er."
    assert [d.code for d in decisions if d.code == "TY012"] == ["TY012"]


def test_unknown_language_warns_and_keeps_english_rules() -> None:
    text, decisions = transform('"Yes," he said.', "xx-YY")
    assert text == "“Yes,” he said."
    (warning,) = [d for d in decisions if d.code == "TY010"]
    assert warning.action == "warning" and "en-US" in warning.rule and "xx-YY" in warning.rule


def test_british_setting_on_another_language_warns() -> None:
    text, decisions = transform('"Ja," sagte er.', "de", "british")
    assert text == "„Ja,“ sagte er."
    assert any(d.code == "TY011" and d.action == "warning" for d in decisions)


def test_quotes_key_in_book_toml() -> None:
    assert config_from_toml({"quotes": "british"}).quotes == "british"
    assert config_from_toml({"build": {"quotes": "language"}}).quotes == "language"
    with pytest.raises(ConfigError):
        config_from_toml({"quotes": "french"})


# --- idempotence in every language ---------------------------------------------------------

# Prose in any language: words, quotes, punctuation and the spaces French sets; dashes come
# between words (runs of dashes and dots alone are the English property test's business).
CHARACTERS = "aAÉé019 \"'.?!,;:()[]…“”‘’«»„‚\u00a0\u202f"
TOKENS = [
    "Er", "kam", "a--b", "a - b", "a—b", "a – b", "--a", "a--", "a...", "'s", "'tis", "1990-1995",
    "10:30", "http://a.fr/b?c=1", "''", "'n'", "Kal-El",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(CHARACTERS), st.sampled_from(TOKENS)), max_size=24).map("".join)


def twice(language: str, quotes: str, text: str) -> tuple[str, str]:
    conventions, _ = conventions_for(language, quotes)

    def once(value: str) -> str:
        (typed,) = run_joined(RULES, [value])[0]
        return localize((value,), (typed,), conventions, Counter())[0]

    first = once(text)
    return first, once(first)


@settings(max_examples=200, deadline=None)
@given(texts, st.sampled_from(["de", "fr", "ru", "sv", "pl", "es", "en-GB:british"]))
def test_typesetting_twice_in_a_language_is_the_same_as_once(text: str, language: str) -> None:
    name, _, quotes = language.partition(":")
    first, second = twice(name, quotes, text)
    # Known limit: the rules turn a typed ‘ before an elided word or two digits round (‘Er →
    # ’Er, a word processor's wrong guess) unless a closing quote they know follows; a
    # language's own closing marks („…“, «…») are none they know, and British quotations open
    # with ‘, so such a ‘ may turn on a second pass.
    assume(not re.search(rf"‘(?:(?i:{elided_words()})\b|\d\d)", first))
    assert second == first


@pytest.mark.parametrize("language", ["fr", "de", "ru", "en-GB:british"])
def test_transform_twice_in_a_language_is_the_same_as_once(language: str) -> None:
    name, _, quotes = language.partition(":")
    paragraphs = [
        '"Who left this here?" she asked--and nobody answered.',
        "\"He said 'wait for the tide'; I waited!\" Theo laughed: \"Well?\"",
        "'Gene came by.",
        "Pages 12--19, 1990-1995, and 9 - 2 = 7.",
    ]
    book = Book(Meta(language=name), (Section(Role.CHAPTER, tuple(Paragraph((Text(p),)) for p in paragraphs)),))
    cfg = BuildConfig(quotes=quotes or "language")
    once, _ = typeset(book, cfg)
    twice, _ = typeset(once, cfg)
    assert twice == once
