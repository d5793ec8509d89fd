"""The one writer of ``book.toml``: answers merged in place, the user's file otherwise untouched.

Every command that saves into ``book.toml`` (``review`` on a terminal, ``review --apply``)
goes through here, so each keeps the same promises: comments, order and layout stay as the
user wrote them (tomlkit edits the parsed document and writes it back unchanged elsewhere),
the file keeps its mode and owner, a symlinked ``book.toml`` is written through the link, and
the new text replaces the old in one rename, so a crash leaves either the old file or the new.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path

import tomlkit
import tomlkit.exceptions
from tomlkit.items import AoT, Array, InlineTable, Table

from bookbuild.config import read_book_text
from bookbuild.errors import ConfigError, OutputError

ADD, REMOVE = "scene_breaks_add", "scene_breaks_remove"
Answer = bool | None  # True: a break here; False: no break here; None: no answer (forget it)


def real_target(path: Path) -> Path:
    """The file a write to ``path`` must replace: the end of its symlink chain (it may not exist yet)."""
    return Path(os.path.realpath(path))


def read_document(path: Path) -> tomlkit.TOMLDocument:
    """``book.toml`` parsed for editing (an absent file is an empty document)."""
    if not real_target(path).exists():
        return tomlkit.document()
    text = read_book_text(Path(path))
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def _overrides_table(document: tomlkit.TOMLDocument) -> Table | InlineTable:
    """The [overrides] table wherever config reads it from (top level, [book] or [build]), made if absent."""
    for owner in (document, document.get("book"), document.get("build")):
        if isinstance(owner, (Table, InlineTable, tomlkit.TOMLDocument)) and "overrides" in owner:
            table = owner["overrides"]
            if isinstance(table, AoT) or not isinstance(table, (Table, InlineTable)):
                raise ConfigError("book.toml: [overrides] must be a table")
            return table
    table = tomlkit.table()
    document["overrides"] = table
    return document["overrides"]


def _string_list(table: Table | InlineTable, key: str) -> Array | None:
    """The list ``key`` of a table (a lone string becomes a list), or None if absent."""
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        table[key] = tomlkit.array([str(value)])
        return table[key]
    if not isinstance(value, Array) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"book.toml: 'overrides.{key}' must be a string or a list of strings")
    return value


def _append(table: Table | InlineTable, key: str, value: str) -> None:
    array = _string_list(table, key)
    if array is None:
        # One key a line in a table, as a person would write it; an inline table stays on one line.
        table[key] = tomlkit.array().multiline(isinstance(table, Table))
        array = table[key]
    array.append(value)


def _drop(array: Array | None, key: str) -> None:
    for index in reversed(range(len(array) if array is not None else 0)):
        if str(array[index]) == key:
            del array[index]


def record_scene_breaks(document: tomlkit.TOMLDocument, answers: Mapping[str, Answer]) -> None:
    """Set each key's answer in [overrides]: in scene_breaks_add, in scene_breaks_remove, or in neither."""
    if not answers:
        return
    table = _overrides_table(document)
    for key, answer in answers.items():
        lists = {True: _string_list(table, ADD), False: _string_list(table, REMOVE)}
        holding = {side for side, array in lists.items() if array is not None and key in map(str, array)}
        if holding == ({answer} if answer is not None else set()):
            continue  # already so: leave the user's line as it is
        _drop(_string_list(table, ADD), key)
        _drop(_string_list(table, REMOVE), key)
        if answer is not None:
            _append(table, ADD if answer else REMOVE, key)


def write_document(path: Path, document: tomlkit.TOMLDocument) -> None:
    """Replace ``book.toml`` with the document in one rename, keeping its mode and following a symlink."""
    text = tomlkit.dumps(document)
    try:
        tomllib.loads(text)  # never leave a file the build could not read
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} could not be updated safely ({exc}); nothing was written") from exc
    target = real_target(path)
    try:
        old = target.stat()
    except FileNotFoundError:
        old = None
    temporary = None
    try:
        # The temporary file sits in the target's own folder, so the rename never crosses disks
        # and never replaces the symlink itself.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        _keep_ownership(Path(temporary), old)
        os.replace(temporary, target)
        temporary = None
    except PermissionError as exc:
        raise OutputError(f"cannot write {path}: its folder is read-only (use --config PATH)") from exc
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)


def _keep_ownership(temporary: Path, old: os.stat_result | None) -> None:
    """Give the new file the old one's mode (and owner, where allowed); a new file the umask's mode."""
    if old is None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        return
    os.chmod(temporary, stat.S_IMODE(old.st_mode))
    if hasattr(os, "chown") and (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(PermissionError):  # only root may give a file away
            os.chown(temporary, old.st_uid, old.st_gid)


def save_scene_breaks(path: Path, answers: Mapping[str, Answer]) -> None:
    """Read ``book.toml``, set the answers, and write it back (see ``write_document``)."""
    document = read_document(path)
    record_scene_breaks(document, answers)
    write_document(path, document)
