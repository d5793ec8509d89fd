"""Cut Standard Ebooks repositories into extra scene-break training works (implicit.txt + gold.json).

    .venv/bin/python scripts/build_breaks_corpus.py GIT_DIR [GIT_DIR ...] [--out ../breaks-extra]
    .venv/bin/python scripts/build_breaks_corpus.py --list scripts/breaks_corpus_repos.txt \
        --mirror ../.mirror --out ../breaks-extra

Each GIT_DIR is a fetched snapshot of a ``standardebooks/<author>_<title>`` repository (a bare
git directory or a clone's ``.git``, read with ``git show``; no work tree needed); ``--list``
names the repositories instead, one a line, found under ``--mirror`` as ``<owner>+<name>/repo``. Its body-matter files, in spine
order, become chapters (every heading starts one, as in ``../shared/eval/train``); an ``<hr/>``
inside a chapter labels the next paragraph ``break_before``; the text is typed back into ASCII the
way the training works are. The corpus stays outside the repository and out of ``make test``: only
the model trained on it ships. Works by the dev and hidden-evaluation authors are refused, and
works by the authors of ``train/`` are skipped (a held-out fold would have read the same author).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

from lxml import etree

from bookbuild.breaks.corpus import load_work

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT.parent / "shared" / "eval" / "train"
# ../shared/eval/train/README.md: the dev works' and hidden works' authors, never to train on.
FORBIDDEN = ("saki", "h-h-munro", "arthur-conan-doyle", "f-scott-fitzgerald", "dorothy-l-sayers",
             "p-g-wodehouse", "o-henry")
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
HEADINGS = {f"{XHTML}h{level}" for level in range(1, 7)} | {f"{XHTML}hgroup", f"{XHTML}header"}
SKIPPED = {f"{XHTML}{name}" for name in ("table", "figure", "img", "aside", "nav")}
# Standard Ebooks' typography typed back as a fan-fiction writer types it.
ASCII = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "--", "–": "-", "‑": "-",
                       "…": "...", "\u2060": "", "\u200a": " ", "\u00a0": " ", "\u2009": " "})


def training_authors() -> set[str]:
    """The authors (repository name before the ``_``) of the works in ``train/``."""
    return {json.loads(p.read_text())["repo"].split("/", 1)[-1].split("_", 1)[0]
            for p in TRAIN.glob("*/gold.json")}


def git_dir_of(path: Path) -> Path:
    """The git directory of a fetched snapshot: ``path`` itself if bare, else its ``.git``."""
    return path / ".git" if (path / ".git").is_dir() else path


def _git(git_dir: Path, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", str(git_dir), *args], check=True, capture_output=True,
                          text=True).stdout


def _spine(git_dir: Path) -> list[str]:
    opf = etree.fromstring(_git(git_dir, "show", "HEAD:src/epub/content.opf").encode())
    ids = [ref.get("idref") for ref in opf.iter("{http://www.idpf.org/2007/opf}itemref")]
    hrefs = {item.get("id"): item.get("href") for item in opf.iter("{http://www.idpf.org/2007/opf}item")}
    return [hrefs[i] for i in ids if i in hrefs]


def _text(element: etree._Element) -> str:
    """A paragraph's text with its markup dropped (notes' reference numbers too)."""
    for ref in element.iter(f"{XHTML}a"):
        if "noteref" in (ref.get(EPUB_TYPE) or ""):
            ref.text = ""
    return " ".join("".join(element.itertext()).split())


class _Cutter:
    """Walk body-matter files in order, collecting chapters of paragraphs and break labels."""

    def __init__(self, subchapter_breaks: bool = False) -> None:
        self.paragraphs: list[dict] = []
        self.chapter = -1
        self.pending_break = False
        self.subchapter_breaks = subchapter_breaks

    def start_chapter(self) -> None:
        # A heading with no paragraph after it leaves a gap in the numbers, closed in ``cut``.
        self.chapter += 1
        self.pending_break = False

    def paragraph(self, text: str) -> None:
        if not text:
            return
        starts = not self.paragraphs or self.paragraphs[-1]["chapter"] != self.chapter
        self.paragraphs.append(
            {"text": text, "kind": "story", "break_before": self.pending_break and not starts,
             "chapter_start": starts, "chapter": self.chapter}
        )
        self.pending_break = False

    def walk(self, element: etree._Element) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIPPED:
                continue
            if tag in HEADINGS:
                self.start_chapter()
            elif tag == f"{XHTML}hr":
                self.pending_break = True
            elif tag == f"{XHTML}p":
                self.paragraph(_text(child))
            elif tag == f"{XHTML}section" and self.subchapter_breaks and "subchapter" in (child.get(EPUB_TYPE) or ""):
                self.subchapter(child)
            else:
                if tag == f"{XHTML}section" and "chapter" in (child.get(EPUB_TYPE) or ""):
                    self.start_chapter()
                self.walk(child)

    def subchapter(self, section: etree._Element) -> None:
        """A numbered sub-section read as a scene break: its number dropped, the chapter going on."""
        self.pending_break = True
        for heading in [c for c in section if c.tag in HEADINGS]:
            section.remove(heading)
        self.walk(section)


def cut(git_dir: Path, subchapter_breaks: bool = False) -> tuple[str, dict] | None:
    """One repository's work as gold.json data, or None if it is not prose with breaks."""
    # fetch keeps a snapshot at .../<owner>+<name>/repo[/.git]
    repo = next((part for part in reversed(git_dir.resolve().parts) if "+" in part), git_dir.name)
    name = repo.split("+", 1)[-1]
    if any(name.startswith(author + "_") for author in FORBIDDEN):
        raise SystemExit(f"build_breaks_corpus: {name} is by a dev or hidden-evaluation author: never train on it")
    cutter = _Cutter(subchapter_breaks)
    files = []
    for href in _spine(git_dir):
        source = _git(git_dir, "show", f"HEAD:src/epub/{href}")
        page = etree.fromstring(source.encode())
        body = page.find(f"{XHTML}body")
        if body is None or "bodymatter" not in (body.get(EPUB_TYPE) or ""):
            continue
        files.append(href)
        cutter.start_chapter()
        cutter.walk(body)
    paragraphs = cutter.paragraphs
    # Chapters numbered from 0 in order, with no gaps (a heading with no text after it is dropped).
    numbers = {old: new for new, old in enumerate(dict.fromkeys(p["chapter"] for p in paragraphs))}
    for p in paragraphs:
        p["chapter"] = numbers[p["chapter"]]
    commit = _git(git_dir, "rev-parse", "HEAD").strip()
    short = name
    return short, {"work": short, "set": "extra", "repo": f"standardebooks/{name}", "commit": commit,
                   "files": files, "paragraphs": paragraphs}


def write(folder: Path, gold: dict) -> None:
    """implicit.txt (chapter title lines, paragraphs typed in ASCII, no break markers) and gold.json."""
    folder.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    chapter = -1
    for p in gold["paragraphs"]:
        if p["chapter"] != chapter:
            chapter = p["chapter"]
            lines += [f"Chapter {chapter + 1}", ""]
        lines += [re.sub(r"\s+", " ", p["text"].translate(ASCII)).strip(), ""]
    (folder / "implicit.txt").write_text("\n".join(lines), encoding="utf-8")
    (folder / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=0), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Cut each repository; keep the works that read back whole and hold at least one break."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("git_dirs", nargs="*", type=Path)
    parser.add_argument("--list", type=Path, help="a file naming repositories (owner/name), one a line; # starts a comment")
    parser.add_argument("--mirror", type=Path, default=ROOT.parent / ".mirror",
                        help="where fetched snapshots are (<owner>+<name>/repo)")
    parser.add_argument("--out", type=Path, default=ROOT.parent / "breaks-extra")
    parser.add_argument("--subchapter-breaks", action="store_true",
                        help="label a numbered sub-section (z3998:subchapter) a scene break, not a chapter")
    args = parser.parse_args(argv)
    git_dirs = [git_dir_of(path) for path in args.git_dirs]
    if args.list:
        for line in args.list.read_text(encoding="utf-8").splitlines():
            repo = line.split("#", 1)[0].strip()
            if repo:
                git_dirs.append(git_dir_of(args.mirror / repo.replace("/", "+") / "repo"))
    authors = training_authors()
    total = [0, 0]
    for git_dir in git_dirs:
        short, gold = cut(git_dir, args.subchapter_breaks)
        breaks = sum(p["break_before"] for p in gold["paragraphs"])
        if short.split("_", 1)[0] in authors or not breaks:
            print(f"  skip {gold['repo']}: {'an author of train/' if breaks else 'no scene breaks'}")
            continue
        folder = args.out / short
        write(folder, gold)
        try:
            work = load_work(folder)
        except ValueError as exc:  # the reader split or joined a paragraph: leave the work out
            print(f"  skip {gold['repo']}: {exc}")
            continue
        print(f"  {short}: {len(gold['paragraphs'])} paragraphs, {work.break_count()} breaks,"
              f" {len(work.chapters)} chapters")
        total[0] += len(gold["paragraphs"])
        total[1] += work.break_count()
    print(f"{total[0]} paragraphs, {total[1]} breaks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
