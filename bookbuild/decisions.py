"""Decisions: what a heuristic decided and why, recorded by readers, transforms and checks alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bookbuild.config import BuildConfig
    from bookbuild.model import Book


@dataclass(frozen=True, slots=True)
class Decision:
    """One thing a heuristic decided, and why: shown by ``bookbuild inspect``."""

    transform: str
    code: str
    action: str
    rule: str
    excerpt: str = ""
    confidence: float = 1.0
    line: int | None = None
    data: dict[str, Any] = field(default_factory=dict)


Transform = Callable[["Book", "BuildConfig"], "tuple[Book, list[Decision]]"]
