"""Small inputs shaped to make a parser slow: each one must build in linear time (issue 15)."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = "alpha beta gamma delta river stone lamp door".split()


def make_hostile(folder: Path) -> dict[str, tuple[Path, float, bool]]:
    """Each shape's file, its EPUB time target in seconds, and whether its PDF is timed too."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(11)
    indent = folder / "indent-3000.txt"
    prose = " ".join(rng.choice(WORDS) for _ in range(500))
    indent.write_text(f"Title: Indent\n\n{prose}\nsecond line of it\n{' ' * 3000}indented line here.\nmore words\n\n{prose}\n",
                      encoding="utf-8")
    nested = folder / "list-350-deep.md"
    nested.write_text("# Nested\n\n" + "\n".join("  " * d + f"- item {d} {rng.choice(WORDS)}" for d in range(350)) + "\n",
                      encoding="utf-8")
    table = folder / "table-2000x20.md"
    rows = ["| " + " | ".join(f"h{i}" for i in range(20)) + " |", "|" + "---|" * 20]
    rows += ["| " + " | ".join(f"c{r}x{i}" for i in range(20)) + " |" for r in range(2000)]
    table.write_text("# Table\n\n" + "\n".join(rows) + "\n", encoding="utf-8")
    emphasis = folder / "emphasis-8000.txt"  # hostile hunt, round 2: quadratic in the XHTML renderer (15 s CPU)
    emphasis.write_text("Title: Emphasis\n\n" + " ".join(f"*{rng.choice(WORDS)}* {rng.choice(WORDS)}" for _ in range(8000)) + "\n",
                        encoding="utf-8")
    openers = folder / "note-openers-10000.txt"  # hostile hunt, round 2: quadratic bracket matching (113 s)
    openers.write_text("Title: Openers\n\n" + "(A/N: " * 10_000 + "\n\nThe story.\n", encoding="utf-8")
    elisions = folder / "apostrophes-8000.txt"  # hostile hunt, round 2: each doubt split the whole paragraph
    elisions.write_text("Title: Elisions\n\n" + "'tis rock'n'roll ' " * 8000 + "\n", encoding="utf-8")
    lines = folder / "one-word-lines-100000.txt"
    lines.write_text("\n".join(rng.choice(WORDS) for _ in range(100_000)) + "\n", encoding="utf-8")
    return {
        "one line indented by 3,000 spaces": (indent, 2, False),
        "Markdown list nested 350 deep": (nested, 2, False),
        "Markdown table 2,000 × 20": (table, 10, False),
        "one paragraph of 8,000 emphasised words": (emphasis, 10, False),
        "10,000 unclosed '(A/N: ' openers": (openers, 2, False),
        "a paragraph of 8,000 doubtful apostrophes": (elisions, 2, False),
        "100,000 one-word lines": (lines, 10, True),
    }
