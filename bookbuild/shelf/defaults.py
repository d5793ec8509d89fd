"""``shelf.toml``: settings every book of a shelf starts from, before its own ``book.toml``.

It takes the keys of ``book.toml`` that make sense for many books at once (language, notes,
trim, publisher, ...) and, under ``[shelf]``, the output settings of the command line.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from bookbuild.config import ALL_FORMATS, FORMATS, BuildConfig, config_from_toml, read_book_toml
from bookbuild.errors import ConfigError

NAME = "shelf.toml"
# A book's own: one value for a whole shelf would be wrong for all but one book.
PER_BOOK = ("title", "identifier", "files", "cover", "overrides")
# [shelf] key -> (BuildConfig field, type, allowed values)
OUTPUT_KEYS: dict[str, tuple[str, type, tuple[str, ...]]] = {
    "format": ("formats", str, (*ALL_FORMATS, "all")),
    "cover_pdf": ("cover_pdf", bool, ()),
    "bleed": ("bleed", bool, ()),
    "impose": ("impose", str, ()),
    "sheet": ("sheet", str, ("letter", "a4")),
    "marks": ("marks", bool, ()),
    "verify": ("verify", bool, ()),
    "cache": ("use_cache", bool, ()),
}


def find_defaults(source: Path) -> Path | None:
    """The ``shelf.toml`` at the top of a source folder, if there is one."""
    candidate = source / NAME
    return candidate if source.is_dir() and candidate.is_file() else None


def read_defaults(path: Path) -> tuple[BuildConfig, list[str]]:
    """The settings ``shelf.toml`` gives, and warnings about keys it ignores, as lines to show."""
    data = read_book_toml(path)
    output = data.pop("shelf", {})
    if not isinstance(output, dict):
        raise ConfigError(f"{path}: 'shelf' must be a table ([shelf])")
    messages = []
    for key in PER_BOOK:
        for table in (data, data.get("book"), data.get("build")):
            if isinstance(table, dict) and table.pop(key, None) is not None:
                messages.append(f"{path}: '{key}' is each book's own, set it in the book's book.toml (ignored)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            cfg = config_from_toml(data)
        except ConfigError as error:
            raise ConfigError(str(error).replace("book.toml:", f"{path}:", 1)) from None
    messages += [str(w.message).replace("book.toml:", f"{path}:", 1) for w in caught]
    return cfg.with_changes(**_output_settings(output, path, messages)), messages


def _output_settings(table: dict[str, Any], path: Path, messages: list[str]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key not in OUTPUT_KEYS:
            messages.append(f"{path}: unknown key 'shelf.{key}' (known: {', '.join(OUTPUT_KEYS)})")
            continue
        field, kind, allowed = OUTPUT_KEYS[key]
        if not isinstance(value, kind) or (allowed and value not in allowed):
            wanted = f"one of {', '.join(allowed)}" if allowed else ("true or false" if kind is bool else "a string")
            raise ConfigError(f"{path}: 'shelf.{key}' must be {wanted}, not {value!r}")
        if key == "format":
            value = FORMATS if value == "all" else (value,)
        changes[field] = value
    return changes
