"""The errors bookbuild reports to a user: each one is a single clear line and an exit code."""

from __future__ import annotations

import re


class BookbuildError(Exception):
    """A problem with the user's input or settings; the CLI prints it on one line."""

    exit_code = 1


class InputError(BookbuildError):
    """The manuscript cannot be read: missing, empty, binary, undecodable."""


class ConfigError(BookbuildError):
    """``book.toml`` or a command-line setting is malformed."""


class OutputError(BookbuildError):
    """An output could not be written, or failed its own checks."""


# Controls and bidi overrides in a message (a file name, a book.toml value) would be invisible,
# break the line, or drive the terminal; they are shown escaped, as \x02 or \u202e.
_VISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]


def one_line(error: BaseException) -> str:
    """What to tell the user about ``error``, on one line: its own message, or an internal error's."""
    if isinstance(error, BookbuildError):
        return _VISIBLE.sub(_escaped, str(error))
    if isinstance(error, (OSError, ValueError)):
        return f"internal error: {type(error).__name__}: {error}"
    detail = " ".join(str(error).split())[:200]
    return f"internal error: {type(error).__name__}: {detail}; this is a bookbuild bug, please report it (--debug shows the traceback)"


class BookbuildWarning(UserWarning):
    """A problem a build works around (an unusable cache): one warning line, with its code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code

    def __reduce__(self):
        # Sent back from the process that writes the print edition (writers/beside.py).
        return type(self), (self.code, str(self))
