"""The errors bookbuild reports to a user: each one is a single clear line and an exit code."""

from __future__ import annotations


class BookbuildError(Exception):
    """A problem with the user's input or settings; the CLI prints it on one line."""

    exit_code = 1


class InputError(BookbuildError):
    """The manuscript cannot be read: missing, empty, binary, undecodable."""


class ConfigError(BookbuildError):
    """``book.toml`` or a command-line setting is malformed."""


class OutputError(BookbuildError):
    """An output could not be written, or failed its own checks."""


class BookbuildWarning(UserWarning):
    """A problem a build works around (an unusable cache): one warning line, with its code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
