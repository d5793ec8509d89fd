"""Build settings: defaults, then ``book.toml``, then the command line, frozen into one value."""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bookbuild.errors import ConfigError, InputError

METADATA_KEYS = (
    "title",
    "subtitle",
    "author",
    "language",
    "identifier",
    "description",
    "subjects",
    "series",
    "series_index",
    "publisher",
    "date",
    "source",
    "rights",
    "cover",
)
BUILD_KEYS = (
    "files",
    "typography",
    "quotes",
    "notes",
    "scene_breaks",
    "trim",
    "pdf_variant",
    "paper",
    "drop_caps",
    "kepub",
)
OVERRIDE_KEYS = (
    "scene_breaks_add",
    "scene_breaks_remove",
    "notes_add",
    "notes_remove",
    "chapters_add",
    "chapters_remove",
)
TOP_LEVEL_KEYS = METADATA_KEYS + BUILD_KEYS + ("overrides",)

NOTES_MODES = ("keep", "end", "drop")
SCENE_BREAK_MODES = ("auto", "marked", "off")
QUOTE_STYLES = ("language", "british")  # the language's own marks; British: single outside
# What "all" writes; a kepub joins them when book.toml says kepub = true.
FORMATS = ("epub", "pdf")
ALL_FORMATS = ("epub", "pdf", "kepub")


@dataclass(frozen=True, slots=True)
class Overrides:
    """Decisions the user fixed by hand, each naming a paragraph by its first words."""

    scene_breaks_add: tuple[str, ...] = ()
    scene_breaks_remove: tuple[str, ...] = ()
    notes_add: tuple[str, ...] = ()
    notes_remove: tuple[str, ...] = ()
    chapters_add: tuple[str, ...] = ()
    chapters_remove: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BuildConfig:
    """Everything a build needs to know besides the manuscript itself."""

    metadata: dict[str, Any] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    typography: bool = True
    quotes: str = "language"
    notes: str = "keep"
    scene_breaks: str = "auto"
    trim: str = "5.5x8.5"
    pdf_variant: str = ""
    paper: str = "white"
    drop_caps: bool = False
    cover_pdf: bool = False
    impose: str = ""
    bleed: bool = False
    sheet: str = "letter"
    marks: bool = True
    formats: tuple[str, ...] = FORMATS
    outdir: Path = Path("dist")
    config_path: Path | None = None
    use_cache: bool = True
    verify: bool = True
    # Whether the scene-break review list is wanted (inspect, review). A build only places
    # breaks, so where it may place none it skips scoring boundaries altogether.
    review_list: bool = True
    # Worker processes for a long book's PDF parts; 0 is one per core. A shelf builds one book per
    # core already and sets 1, so a worker lays its parts out one after another (memory stays bounded).
    pdf_workers: int = 0
    # The build date (ISO 8601, UTC); empty means SOURCE_DATE_EPOCH or the manuscript's newest
    # mtime. A shelf decides it where the manuscript is and ships it with the book to a worker.
    build_date: str = ""
    overrides: Overrides = Overrides()

    def with_changes(self, **changes: Any) -> BuildConfig:
        """A copy with some settings replaced."""
        return dataclasses.replace(self, **changes)


def _suggest(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _string_tuple(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"book.toml: '{key}' must be a string or a list of strings")


def _choice(value: Any, key: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ConfigError(f"book.toml: '{key}' must be one of {', '.join(allowed)}, not {value!r}")
    return value


def read_book_text(path: Path) -> str:
    """The text of ``book.toml``; an unreadable or non-UTF-8 file is one clear error."""
    try:
        if path.exists() and not path.is_file() and not path.is_dir():  # a FIFO would block the read
            raise ConfigError(f"{path} is not a regular file")
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text") from exc


def read_book_toml(path: Path) -> dict[str, Any]:
    """The parsed ``book.toml``; a syntax error names its line and column."""
    text = read_book_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_error(path, exc)) from exc


def _toml_error(path: Path, exc: tomllib.TOMLDecodeError) -> str:
    """'book.toml, line 3, column 7: Invalid value' from tomllib's '(at line 3, column 7)' suffix."""
    message = str(exc)
    where = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if where:
        reason = message[: where.start()]
        return f"{path}, line {where.group(1)}, column {where.group(2)}: {reason}"
    return f"{path}: {message.replace('(at end of document)', 'at the end of the file').strip()}"


def config_from_toml(data: dict[str, Any], base: BuildConfig | None = None) -> BuildConfig:
    """Settings from parsed ``book.toml`` data; unknown keys warn with the nearest known one."""
    cfg = base or BuildConfig()
    for key in data:
        if key not in TOP_LEVEL_KEYS and key != "build" and key != "book":
            warnings.warn(f"book.toml: unknown key '{key}'{_suggest(key, TOP_LEVEL_KEYS)}", stacklevel=2)
    # Keys may sit at top level or in [book] / [build] tables; both read the same.
    flat: dict[str, Any] = {}
    for table in ("book", "build"):
        if table in data and not isinstance(data[table], dict):
            raise ConfigError(f"book.toml: '{table}' must be a table ([{table}])")
        if isinstance(data.get(table), dict):
            for key in data[table]:
                if key not in TOP_LEVEL_KEYS:
                    warnings.warn(
                        f"book.toml: unknown key '{table}.{key}'{_suggest(key, TOP_LEVEL_KEYS)}",
                        stacklevel=2,
                    )
            flat.update(data[table])
    flat.update({k: v for k, v in data.items() if k not in ("book", "build")})

    metadata = dict(cfg.metadata)
    for key in METADATA_KEYS:
        if key in flat:
            value = flat[key]
            if key == "subjects":
                value = _string_tuple(value, key)
            elif not isinstance(value, (str, int, float)):
                raise ConfigError(f"book.toml: '{key}' must be a string")
            metadata[key] = value if key == "subjects" else str(value)

    changes: dict[str, Any] = {"metadata": metadata}
    if "files" in flat:
        changes["files"] = _string_tuple(flat["files"], "files")
    if "typography" in flat:
        if not isinstance(flat["typography"], bool):
            raise ConfigError("book.toml: 'typography' must be true or false")
        changes["typography"] = flat["typography"]
    if "drop_caps" in flat:
        if not isinstance(flat["drop_caps"], bool):
            raise ConfigError("book.toml: 'drop_caps' must be true or false")
        changes["drop_caps"] = flat["drop_caps"]
    if "kepub" in flat:
        if not isinstance(flat["kepub"], bool):
            raise ConfigError("book.toml: 'kepub' must be true or false")
        wanted = tuple(f for f in cfg.formats if f != "kepub")
        changes["formats"] = (*wanted, "kepub") if flat["kepub"] else wanted
    if "notes" in flat:
        changes["notes"] = _choice(flat["notes"], "notes", NOTES_MODES)
    if "quotes" in flat:
        changes["quotes"] = _choice(flat["quotes"], "quotes", QUOTE_STYLES)
    if "scene_breaks" in flat:
        changes["scene_breaks"] = _choice(flat["scene_breaks"], "scene_breaks", SCENE_BREAK_MODES)
    for key in ("trim", "pdf_variant", "paper"):
        if key in flat:
            changes[key] = str(flat[key])
    overrides = flat.get("overrides", {})
    if not isinstance(overrides, dict):
        raise ConfigError("book.toml: [overrides] must be a table")
    for key in overrides:
        if key not in OVERRIDE_KEYS:
            warnings.warn(
                f"book.toml: unknown key 'overrides.{key}'{_suggest(key, OVERRIDE_KEYS)}", stacklevel=2
            )
    changes["overrides"] = Overrides(
        **{k: _string_tuple(overrides[k], f"overrides.{k}") for k in OVERRIDE_KEYS if k in overrides}
    )
    return cfg.with_changes(**changes)


def load_settings(
    source: Path, config_path: Path | None, base: BuildConfig | None = None, **options: Any
) -> tuple[BuildConfig, list[str]]:
    """Settings for one book: ``base``, then its ``book.toml`` (if any), then the command-line
    options; with the warnings ``book.toml`` raised, as lines to show."""
    cfg = base or BuildConfig()
    messages: list[str] = []
    toml_path = config_path or find_book_toml(source)
    if toml_path is not None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cfg = config_from_toml(read_book_toml(toml_path), cfg)
        messages = [str(warning.message) for warning in caught]
        cfg = cfg.with_changes(config_path=toml_path)
    if source.is_file():
        cfg = cfg.with_changes(files=())  # a file given on its own is the whole manuscript
    metadata = dict(cfg.metadata)
    for key in ("title", "author", "language"):
        if options.get(key):
            metadata[key] = options[key]
    changes = {k: v for k, v in options.items() if k not in ("title", "author", "language") and v is not None}
    return cfg.with_changes(metadata=metadata, **changes), messages


def find_book_toml(source: Path) -> Path | None:
    """The ``book.toml`` that belongs to a manuscript folder or sits beside a manuscript file."""
    try:
        folder = source if source.is_dir() else source.parent
        candidate = folder / "book.toml"
        return candidate if candidate.is_file() else None
    except PermissionError as exc:  # a folder without search permission
        raise InputError(f"cannot read {exc.filename}: permission denied") from exc
