"""Build settings: defaults, then ``book.toml``, then the command line, frozen into one value."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import math
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
    "printer",
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

# Characters XML 1.0 forbids (in a manuscript, book.toml or an option), C1 controls (never text, often a half-decoded byte) and
# Unicode noncharacters: a manuscript that carries them would make the XHTML invalid.
UNWANTED_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0010fffe\U0010ffff\ud800-\udfff]"
)

_UNDECODABLE = re.compile("[\ud800-\udfff]")


def without_controls(value: str, where: str) -> str:
    """A setting's text with the characters XML forbids removed, with a warning naming where."""
    undecodable = len(_UNDECODABLE.findall(value))
    if undecodable:  # bytes the terminal's encoding could not read: Python keeps them as lone surrogates
        warnings.warn(f"{where}: removed {undecodable} byte(s) that are not text in this system's encoding", stacklevel=2)
        value = _UNDECODABLE.sub("", value)
    cleaned = UNWANTED_CHARACTERS.sub("", value)
    if cleaned != value:
        count = len(value) - len(cleaned)
        warnings.warn(f"{where}: removed {count} control character(s) that XML forbids", stacklevel=2)
    return cleaned


NOTES_MODES = ("keep", "end", "drop")
SCENE_BREAK_MODES = ("auto", "marked", "off")
QUOTE_STYLES = ("language", "british")  # the language's own marks; British: single outside
# What "all" writes; a kepub joins them when book.toml says kepub = true.
FORMATS = ("epub", "pdf")
ALL_FORMATS = ("epub", "pdf", "kepub")
# The one list of PDF standards: book.toml, --pdf-variant, the writer and the README use it.
PDF_VARIANTS = ("pdf/x-4", "pdf/x-1a", "pdf/ua-1")
PAPERS = ("white", "cream")


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
    crop_marks: bool = False
    # A print-on-demand preset (assets/printers/presets.toml): defaults for the options above
    # that were not given, and the rules the finished PDF is checked against.
    printer: str = ""
    preflight: bool = True
    collation_marks: bool = False
    creep: str = ""
    last_signature: int = 0
    # The options the user gave (book.toml or command line): a preset never overrides them.
    explicit: frozenset[str] = frozenset()
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
    if not isinstance(value, str) or value not in allowed:
        raise ConfigError(f"book.toml: '{key}' must be one of {', '.join(allowed)}, not {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    """A TOML value as the user typed it, shortened, for an error message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    shown = repr(value) if isinstance(value, str) else str(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _text(value: Any, key: str) -> str:
    """A text setting, type-checked, with characters XML forbids removed (with a warning)."""
    if not isinstance(value, str):
        raise ConfigError(f"book.toml: '{key}' must be a string (in quotes), not {_shown(value)}")
    return without_controls(value, f"book.toml: '{key}'")


def _metadata_value(key: str, value: Any) -> Any:
    """One metadata key's value, checked against the type the README gives it."""
    if key == "subjects":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"book.toml: 'subjects' must be a list of strings, such as [\"Fantasy\"], not {_shown(value)}")
        return tuple(without_controls(v, "book.toml: 'subjects'") for v in value)
    if key == "date" and isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if key == "series_index" and isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return str(value)  # nan and inf are TOML floats, but no place in a series
    if key == "series_index" and not isinstance(value, str):
        raise ConfigError(f"book.toml: 'series_index' must be a number (2, 2.5), not {_shown(value)}")
    if key == "date" and not isinstance(value, str):
        raise ConfigError(f"book.toml: 'date' must be a date (2024-05-01) or a string, not {_shown(value)}")
    return _text(value, key)


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
            metadata[key] = _metadata_value(key, flat[key])

    changes: dict[str, Any] = {"metadata": metadata}
    if "files" in flat:
        changes["files"] = _string_tuple(flat["files"], "files")
    for key in ("typography", "drop_caps"):
        if key in flat:
            if not isinstance(flat[key], bool):
                raise ConfigError(f"book.toml: '{key}' must be true or false, not {_shown(flat[key])}")
            changes[key] = flat[key]
    if "kepub" in flat:
        if not isinstance(flat["kepub"], bool):
            raise ConfigError(f"book.toml: 'kepub' must be true or false, not {_shown(flat['kepub'])}")
        wanted = tuple(f for f in cfg.formats if f != "kepub")
        changes["formats"] = (*wanted, "kepub") if flat["kepub"] else wanted
    if "notes" in flat:
        changes["notes"] = _choice(flat["notes"], "notes", NOTES_MODES)
    if "quotes" in flat:
        changes["quotes"] = _choice(flat["quotes"], "quotes", QUOTE_STYLES)
    if "scene_breaks" in flat:
        changes["scene_breaks"] = _choice(flat["scene_breaks"], "scene_breaks", SCENE_BREAK_MODES)
    if "pdf_variant" in flat:
        changes["pdf_variant"] = _choice(flat["pdf_variant"], "pdf_variant", PDF_VARIANTS)
    if "paper" in flat:
        changes["paper"] = _choice(flat["paper"], "paper", PAPERS)
    if "trim" in flat:
        changes["trim"] = _text(flat["trim"], "trim")
    if "printer" in flat:
        changes["printer"] = _text(flat["printer"], "printer")
    changes["explicit"] = cfg.explicit | {k for k in BUILD_KEYS if k in flat}
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


# A preset's option keys and the settings they fill.
_PRESET_FIELDS = {
    "bleed": "bleed",
    "crop_marks": "crop_marks",
    "pdf_variant": "pdf_variant",
    "impose": "impose",
    "sheet_marks": "marks",
}


def apply_printer(cfg: BuildConfig) -> BuildConfig:
    """The settings with the chosen printer's defaults filled in where the user gave none."""
    from bookbuild.printers import printer

    preset = printer(cfg.printer)
    changes = {
        _PRESET_FIELDS[key]: value
        for key, value in preset.options.items()
        if _PRESET_FIELDS[key] not in cfg.explicit
    }
    cfg = cfg.with_changes(**changes)
    # WeasyPrint draws crop marks in the bleed, outside the trim: without bleed they would
    # silently not be drawn, so asking for marks gives the pages their bleed.
    if cfg.crop_marks and not cfg.bleed:
        if "bleed" in cfg.explicit:
            raise ConfigError("crop marks are drawn in the bleed, outside the trim: drop --no-bleed "
                              "(or bleed = false) to have them")
        cfg = cfg.with_changes(bleed=True)
    return cfg


def load_settings(
    source: Path, config_path: Path | None, base: BuildConfig | None = None, **options: Any
) -> tuple[BuildConfig, list[str]]:
    """Settings for one book: ``base``, then its ``book.toml`` (if any), then the command-line
    options; with the warnings ``book.toml`` and the options raised (unknown keys, control
    characters removed), as lines to show."""
    cfg = base or BuildConfig()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        toml_path = config_path or find_book_toml(source)
        if toml_path is not None:
            cfg = config_from_toml(read_book_toml(toml_path), cfg).with_changes(config_path=toml_path)
        if source.is_file():
            cfg = cfg.with_changes(files=())  # a file given on its own is the whole manuscript
        metadata = dict(cfg.metadata)
        for key, flag in OPTION_METADATA.items():
            if options.get(key):
                metadata[key] = without_controls(options[key], flag)
        changes = {k: v for k, v in options.items() if k not in OPTION_METADATA and v is not None}
        for key in ("trim", "impose", "creep", "pdf_variant"):
            if isinstance(changes.get(key), str):
                changes[key] = without_controls(changes[key], f"--{key}")
    messages = [str(warning.message) for warning in caught]
    cfg = cfg.with_changes(metadata=metadata, explicit=cfg.explicit | set(changes), **changes)
    return apply_printer(cfg), messages


# Command-line options that set metadata, by the option's name.
OPTION_METADATA = {"title": "--title", "author": "--author", "language": "--lang"}


def find_book_toml(source: Path) -> Path | None:
    """The ``book.toml`` that belongs to a manuscript folder or sits beside a manuscript file."""
    try:
        folder = source if source.is_dir() else source.parent
        candidate = folder / "book.toml"
        return candidate if candidate.is_file() else None
    except PermissionError as exc:  # a folder without search permission
        raise InputError(f"cannot read {exc.filename}: permission denied") from exc
    except OSError as exc:  # a path longer than the system allows, a broken disk
        raise InputError(f"cannot read {source}: {(exc.strerror or str(exc)).lower()}") from exc
