"""The word lists of ``words.toml``, read once."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path


@cache
def _tables() -> dict[str, dict[str, list[str]]]:
    return tomllib.loads(Path(__file__).with_name("words.toml").read_text(encoding="utf-8"))


def word_list(table: str, key: str = "words") -> tuple[str, ...]:
    """One list of ``words.toml``, as written."""
    return tuple(_tables()[table][key])


def alternation(words: tuple[str, ...] | list[str] | set[str] | frozenset[str]) -> str:
    """Words as a regex alternation, longest first, so a longer word wins over its prefix."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
