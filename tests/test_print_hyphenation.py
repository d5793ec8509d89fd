"""Print hyphenation: patterns by language and region, and the words never broken automatically."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml import html as lxml_html

from bookbuild.writers.pdf.hyphenation import PROTECT_CLASS, print_language, protect_words


def protected(markup: str) -> list[str]:
    paragraph = lxml_html.fragment_fromstring(markup)
    protect_words(paragraph)
    return [span.text for span in paragraph.iter("span") if span.get("class") == PROTECT_CLASS]


@pytest.mark.parametrize(("language", "lang"), [("en", "en-US"), ("EN", "en-US"), ("en-GB", "en-GB"),
                                                ("en-US", "en-US"), ("fr", "fr"), ("pt-BR", "pt-BR"),
                                                ("no", "nb"), ("", "en-US")])
def test_a_bare_code_gets_its_usual_region(language, lang):
    assert print_language(language) == lang


def test_american_patterns_for_plain_english():
    pyphen = pytest.importorskip("pyphen")
    # pyphen's own fallback for "en" is en_GB, which breaks "star-ted"; en_US does not.
    assert pyphen.language_fallback(print_language("en").replace("-", "_")) == "en_US"
    assert 4 not in pyphen.Pyphen(lang="en_US").positions("started")


def test_names_mid_sentence_are_kept_whole():
    words = protected("<p>He walked down Broadway toward Germany with nothing.</p>")
    assert words == ["Broadway", "Germany", "nothing"]


def test_a_sentence_opening_word_may_still_break():
    words = protected("<p>“Everything,” he said. Somewhere the <em>Continental</em> waited.</p>")
    assert "Everything" not in words and "Somewhere" not in words
    assert "Continental" in words  # inside emphasis, mid-sentence


def test_a_name_after_a_title_is_no_sentence_start():
    assert "Willsson" in protected("<p>They met Mr. Willsson there at dawn.</p>")


def test_the_last_word_is_kept_whole_so_no_fragment_ends_the_paragraph():
    assert protected("<p>He found it in the treasury.</p>") == ["treasury"]


def test_short_words_and_footnotes_are_left_alone():
    markup = '<p>Bob saw Ann by the <span class="footnote">Hospital notes</span> sea.</p>'
    assert protected(markup) == []


def test_the_text_is_unchanged():
    paragraph = lxml_html.fragment_fromstring("<p>Clark met <em>Lois Lane</em> in Metropolis yesterday.</p>")
    before = paragraph.text_content()
    protect_words(paragraph)
    assert paragraph.text_content() == before
    assert etree.tostring(paragraph, encoding="unicode").count(PROTECT_CLASS) == 2


def test_a_capital_after_an_opening_quote_mid_paragraph_is_kept_whole():
    # The quotation may open mid-sentence (he said, “Willsson …), and after an ellipsis or a
    # closing single quote a capital may go on the sentence: only . ! ? (and a closing double
    # quote) then a space surely end one.
    words = protected("<p>He said. “Willsson got a check.” Then… Somewhere ‘Stop.’ Elsewhere. Tomorrow came.</p>")
    assert "Willsson" in words and "Somewhere" in words and "Elsewhere" in words
    assert "Tomorrow" not in words
    assert "Everything" not in protected("<p>“Everything,” he said, “is over.”</p>")  # the paragraph opens


def test_a_short_name_joined_to_what_follows_is_kept_whole():
    # WeasyPrint hyphenates the run between spaces: "Murry\u2060—for" is nine letters to it.
    assert protected("<p>A century from Peak Murry\u2060—for Reno—came in. Ann ran.</p>") == ["Murry", "Reno"]
