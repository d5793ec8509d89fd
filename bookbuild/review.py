"""``bookbuild review``: confirm or reject likely scene breaks on a terminal, saved to book.toml."""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import click

from bookbuild.config import BuildConfig, config_from_toml, find_book_toml, read_book_toml
from bookbuild.decisions import Decision
from bookbuild.errors import ConfigError, InputError, OutputError
from bookbuild.pipeline import process
from bookbuild.structure.overrides import phrase_matches

ADD, REMOVE = "scene_breaks_add", "scene_breaks_remove"
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


@dataclass(frozen=True, slots=True)
class Answers:
    """What the user decided, as override keys (first words of the paragraph after the break)."""

    accepted: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()
    unanswered: int = 0  # candidates left when input ended (closed standard input, Ctrl-C)


def toml_path_for(source: Path, config_path: Path | None) -> Path:
    """The book.toml that review writes: --config, the folder's own, or one beside the file."""
    if config_path is not None:
        return config_path
    found = find_book_toml(source)
    if found is not None:
        return found
    return (source if source.is_dir() else source.parent) / "book.toml"


def _key(decision: Decision) -> str:
    # The transform's key names the paragraph alone where its first words can.
    return decision.data.get("key") or decision.excerpt.removesuffix("…").strip()


def candidates(source: Path, toml_path: Path) -> tuple[list[Decision], BuildConfig]:
    """The review list for a manuscript, best first, with the settings it was built under."""
    cfg = BuildConfig()
    if toml_path.is_file():
        cfg = config_from_toml(read_book_toml(toml_path), cfg)
    if source.is_file():
        cfg = cfg.with_changes(files=())
    result = process(source, cfg.with_changes(scene_breaks="auto"))
    listed = [d for d in result.decisions if d.data.get("candidate")]
    return sorted(listed, key=lambda d: -d.confidence), cfg


def walk(listed: list[Decision], decided: tuple[str, ...]) -> Answers:
    """Ask about each candidate not decided yet: accept, reject, or stop."""
    todo = [d for d in listed if not any(phrase_matches(_key(d), key) for key in decided)]
    accepted: list[str] = []
    rejected: list[str] = []
    if not todo:
        click.echo("No scene-break candidates left to review.")
    for number, decision in enumerate(todo, start=1):
        state = "placed" if decision.data.get("placed") else "not placed"
        click.echo(
            f"\n[{number}/{len(todo)}] confidence {decision.confidence:.2f} ({state}), line {decision.line}"
        )
        click.echo(f"    {decision.data.get('previous_end', '')}")
        click.echo("    * * *")
        click.echo(f"    {decision.excerpt}")
        if decision.data.get("key_unique") is False:
            click.echo("    (another paragraph opens with these same words: the answer holds for both)")
        try:
            answer = click.prompt(
                "Scene break here? a=accept r=reject s=stop",
                type=click.Choice(["a", "r", "s"]),
                show_choices=False,
            )
        except click.exceptions.Abort:
            click.echo()
            return Answers(tuple(accepted), tuple(rejected), unanswered=len(todo) - number + 1)
        if answer == "s":
            break
        (accepted if answer == "a" else rejected).append(_key(decision))
    return Answers(tuple(accepted), tuple(rejected))


def _toml_string(value: str) -> str:
    """A TOML basic string: backslash, quote and every control character escaped."""
    escaped = []
    for char in value:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _toml_list(key: str, values: list[str]) -> list[str]:
    if not values:
        return []
    return [f"{key} = ["] + [f"  {_toml_string(v)}," for v in values] + ["]"]


def _assignment_end(lines: list[str], start: int) -> int:
    """The line after a ``key = value`` that may run over several lines (an array)."""
    depth, quote = 0, ""
    for number in range(start, len(lines)):
        text = lines[number]
        position = text.index("=") + 1 if number == start else 0
        while position < len(text):
            char = text[position]
            if quote:
                if char == "\\" and quote == '"':
                    position += 1
                elif char == quote:
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
            elif char == "#":
                break
            position += 1
        if depth <= 0:
            return number + 1
    return len(lines)


def merged_overrides(text: str, answers: Answers) -> str:
    """book.toml text with the answers merged into [overrides], everything else left as it was.

    A hand-rolled edit rather than a TOML library: tomllib only reads, and a writer such as
    tomli-w would re-emit the whole file, dropping the user's comments and layout, for the
    sake of two lists of strings.
    """
    data = tomllib.loads(text)
    table = data.get("overrides", {})
    if not isinstance(table, dict):
        raise ConfigError("book.toml: [overrides] must be a table")
    add = [k for k in table.get(ADD, []) if k not in answers.rejected]
    remove = [k for k in table.get(REMOVE, []) if k not in answers.accepted]
    add += [k for k in answers.accepted if k not in add]
    remove += [k for k in answers.rejected if k not in remove]
    lines = text.splitlines()
    headers = [(n, m.group(1)) for n, line in enumerate(lines) if (m := _HEADER.match(line))]
    own = [n for n, name in headers if name == "overrides"]
    nested = any(isinstance(data.get(t), dict) and "overrides" in data[t] for t in ("book", "build"))
    if nested or ("overrides" in data and not own):
        raise ConfigError("book.toml sets overrides in a form review cannot edit; use an [overrides] table")
    if own:
        start = own[0] + 1
        end = next((n for n, _ in headers if n > own[0]), len(lines))
        body = lines[start:end]
        kept: list[str] = []
        number = 0
        while number < len(body):
            if re.match(rf"\s*({ADD}|{REMOVE})\s*=", body[number]):
                number = _assignment_end(body, number)
                continue
            kept.append(body[number])
            number += 1
        while kept and not kept[-1].strip():
            kept.pop()
        tail = [""] if end < len(lines) else []
        lines = lines[:start] + kept + _toml_list(ADD, add) + _toml_list(REMOVE, remove) + tail + lines[end:]
    else:
        lines += ([""] if lines and lines[-1].strip() else []) + ["[overrides]"]
        lines += _toml_list(ADD, add) + _toml_list(REMOVE, remove)
    merged = "\n".join(lines) + "\n"
    check = tomllib.loads(merged).get("overrides", {})
    if check.get(ADD, []) != add or check.get(REMOVE, []) != remove:
        raise ConfigError("book.toml could not be updated safely; nothing was written")
    return merged


def save_answers(toml_path: Path, answers: Answers) -> None:
    """Merge the answers into book.toml, written atomically; a read-only folder is one clear line."""
    text = toml_path.read_text(encoding="utf-8-sig") if toml_path.is_file() else ""
    merged = merged_overrides(text, answers)
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=toml_path.parent, prefix=".book.toml.")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(merged)
        os.replace(temporary, toml_path)
    except PermissionError as exc:
        raise OutputError(f"cannot write {toml_path}: its folder is read-only (use --config PATH)") from exc
    except OSError as exc:
        raise OutputError(f"cannot write {toml_path}: {exc.strerror or exc}") from exc
    finally:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)


def run_review(source: Path, config_path: Path | None) -> Answers:
    """Walk the review list of a manuscript and save the answers into its book.toml."""
    toml_path = toml_path_for(source, config_path)
    listed, cfg = candidates(source, toml_path)
    answers = walk(listed, cfg.overrides.scene_breaks_add + cfg.overrides.scene_breaks_remove)
    if answers.accepted or answers.rejected:
        save_answers(toml_path, answers)
        click.echo(
            f"\nSaved {len(answers.accepted)} accepted and {len(answers.rejected)} rejected break(s) to {toml_path}"
        )
    if answers.unanswered:
        saved = len(answers.accepted) + len(answers.rejected)
        raise InputError(
            f"review stopped: input ended with {answers.unanswered} candidate(s) unanswered "
            f"(review asks on a terminal); {saved} answer(s) saved"
        )
    return answers
