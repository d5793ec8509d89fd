"""The benchmark: bookbuild against pandoc on books of 11,000 to 1,000,000 words, side by side.

Usage: ``python -m bench.run [--quick] [--skip-baseline] [--repeat N] [--shelf-books N] [--out bench/RESULTS.md]``.
``--quick`` leaves out the million-word PDF (minutes) and its single-pass baseline. Every figure
comes from the same run, on the same machine; wall times on a machine shared with other work
are long, so the CPU time of each run and the load average are reported beside them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.manuscripts import edit_chapter, generate
from bench.measure import Measurement, run
from bench.shelf import throughput

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REAL = ROOT.parent / "shared" / "manuscripts" / "000_6cf5d501faf02506.txt"
SIZES = {"11k": (11_000, 11), "100k": (100_000, 100), "1M": (1_000_000, 250)}
ONE_PASS = """
import sys, dataclasses
from pathlib import Path
from bookbuild.config import BuildConfig
from bookbuild.pipeline import process
from bookbuild.writers.pdf import render as pdf
from bookbuild.writers.pdf.geometry import PageGeometry, parse_trim
cfg = BuildConfig()
book = process(Path(sys.argv[1]), cfg).book
width, height = parse_trim(cfg.trim)
document = pdf.render_document(book, PageGeometry(width, height, float(sys.argv[2])), cfg)
document.write_pdf(sys.argv[3], **pdf.pdf_options(cfg.pdf_variant))
"""
PROCESS_ONLY = """
import sys
from pathlib import Path
from bookbuild.config import BuildConfig
from bookbuild.pipeline import process
process(Path(sys.argv[1]), BuildConfig())
"""


def machine() -> str:
    """One line about the machine: CPU model, cores, memory, system and tool versions."""
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = subprocess.run([str(BIN / "python"), "-c", "import weasyprint, pikepdf, bookbuild; "
                               "print(f'bookbuild {bookbuild.__version__}, WeasyPrint {weasyprint.__version__}, "
                               "pikepdf {pikepdf.__version__}')"], capture_output=True, text=True).stdout.strip()
    pandoc = subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout.split("\n")[0] if shutil.which("pandoc") else "no pandoc"
    return (f"{model}, {os.cpu_count()} cores, {memory:.0f} GB RAM; {platform.platform()}; "
            f"Python {platform.python_version()}; {versions}; {pandoc}")


def load() -> str:
    """The load averages over 1, 5 and 15 minutes."""
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def bookbuild(label: str, source: Path, out: Path, fmt: str, *flags: str, env=None) -> Measurement:
    """A CLI build, start-up included."""
    return run(label, [str(BIN / "bookbuild"), "build", str(source), "-o", str(out), "-q", "--format", fmt, *flags], env=env)


def pandoc_inputs(source: Path) -> list[str]:
    """The files pandoc reads for a manuscript: the file, or a folder's chapters in order."""
    return [str(source)] if source.is_file() else [str(p) for p in sorted(source.glob("chapter-*.md"))]


def pandoc(label: str, source: Path, target: Path) -> Measurement | None:
    """pandoc's EPUB or PDF (through WeasyPrint) of the same input."""
    if not shutil.which("pandoc"):
        return None
    command = ["pandoc", *pandoc_inputs(source), "-f", "markdown+smart", "--metadata", "title=Bench", "-o", str(target)]
    if target.suffix == ".pdf":
        command.append("--pdf-engine=weasyprint")
    return run(label, command, env={"PATH": f"{BIN}:{os.environ.get('PATH', '')}"})


def best(measurements: list[Measurement]) -> Measurement:
    """The median run by wall time (the runs alternate, so each side meets the same load)."""
    return sorted(measurements, key=lambda m: m.wall)[len(measurements) // 2]


def pages(path: Path) -> int:
    """The page count of a PDF."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


class Report:
    """The rows and the verdicts of one run, written as Markdown."""

    def __init__(self) -> None:
        self.rows: list[Measurement] = []
        self.verdicts: list[str] = []

    def add(self, measurement: Measurement | None) -> Measurement | None:
        if measurement is not None:
            self.rows.append(measurement)
            status = "ok" if measurement.ok else f"FAILED: {measurement.note}"
            print(f"{measurement.label:<58} {measurement.wall:8.2f} s  cpu {measurement.cpu:8.2f} s  "
                  f"{measurement.peak_mb:7.0f} MB  {status}", flush=True)
        return measurement

    def verdict(self, target: str, met: bool, figure: str) -> None:
        line = f"| {target} | {figure} | {'met' if met else '**missed**'} |"
        self.verdicts.append(line)
        print(line, flush=True)

    def markdown(self, header: list[str]) -> str:
        lines = [*header, "", "| Target | Measured | |", "|---|---|---|", *self.verdicts, "",
                 "| Run | Wall (s) | CPU (s) | Peak RSS (MB) | |", "|---|---:|---:|---:|---|"]
        for m in self.rows:
            lines.append(f"| {m.label} | {m.wall:.2f} | {m.cpu:.2f} | {m.peak_mb:.0f} | {'ok' if m.ok else m.note} |")
        return "\n".join(lines) + "\n"


def real_manuscript(report: Report, work: Path, repeat: int) -> None:
    """The 11,000-word real manuscript from the command line, start-up included, beside pandoc."""
    if not REAL.is_file():
        print(f"(skipped: {REAL} not found)")
        return
    epubs, boths, pandocs = [], [], []
    for _ in range(repeat):
        epubs.append(bookbuild("real 11k: bookbuild EPUB (CLI)", REAL, work / "real", "epub", "--no-cache"))
        boths.append(bookbuild("real 11k: bookbuild EPUB + PDF (CLI)", REAL, work / "real", "all", "--no-cache"))
        pandocs.append(pandoc("real 11k: pandoc PDF (WeasyPrint)", REAL, work / "real" / "pandoc.pdf"))
    epub, both = report.add(best(epubs)), report.add(best(boths))
    report.verdict("real manuscript → EPUB < 1 s (CLI)", epub.ok and epub.wall < 1, f"{epub.wall:.2f} s")
    if pandocs[0] is not None:
        reference = report.add(best(pandocs))
        report.add(pandoc("real 11k: pandoc EPUB", REAL, work / "real" / "pandoc.epub"))
        report.verdict("real manuscript → EPUB + PDF no slower than pandoc's PDF",
                       both.ok and both.wall <= reference.wall,
                       f"{both.wall:.2f} s vs {reference.wall:.2f} s ({both.wall / reference.wall:.2f}×; "
                       f"CPU {both.cpu:.2f} s vs {reference.cpu:.2f} s)")


def sizes(report: Report, work: Path, names: list[str], pdf_sizes: set[str], baseline: bool) -> None:
    """Each generated book through read+transforms, EPUB and PDF, and through pandoc."""
    for name in names:
        words, chapters = SIZES[name]
        source = generate(work / f"book-{name}", words, chapters)
        out = work / f"out-{name}"
        report.add(run(f"{name}: read + transforms", [str(BIN / "python"), "-c", PROCESS_ONLY, str(source)]))
        epub = report.add(bookbuild(f"{name}: bookbuild EPUB", source, out, "epub", "--no-cache"))
        report.add(pandoc(f"{name}: pandoc EPUB", source, out / "pandoc.epub"))
        if name == "1M":
            report.verdict("1M words → EPUB < 5 s", epub.ok and epub.wall < 5, f"{epub.wall:.2f} s")
            report.verdict("1M words → EPUB peak < 1 GB", epub.ok and epub.peak_mb < 1024, f"{epub.peak_mb:.0f} MB")
        if name not in pdf_sizes:
            continue
        pdf = report.add(bookbuild(f"{name}: bookbuild PDF", source, out, "pdf", "--no-cache"))
        if name == "1M":
            report.verdict("1M words → PDF completes, peak < 2 GB", pdf.ok and pdf.peak_mb < 2048,
                           f"{'completed' if pdf.ok else 'failed'}, {pdf.peak_mb:.0f} MB")
        if baseline and pdf.ok:
            written = next(out.glob("benchmark-*.pdf"))
            from bookbuild.writers.pdf.geometry import gutter_for

            gutter = gutter_for(pages(written))
            one = report.add(run(f"{name}: one WeasyPrint pass, same HTML", [str(BIN / "python"), "-c", ONE_PASS,
                                                                              str(source), str(gutter), str(out / "one-pass.pdf")]))
            if name == "1M" and one.ok:
                report.verdict("1M words → PDF ≥ 1.8× faster than one WeasyPrint pass", one.wall / pdf.wall >= 1.8,
                               f"{one.wall / pdf.wall:.2f}× ({pdf.wall:.0f} s vs {one.wall:.0f} s; "
                               f"CPU {pdf.cpu:.0f} s vs {one.cpu:.0f} s)")
            report.add(pandoc(f"{name}: pandoc PDF (WeasyPrint)", source, out / "pandoc.pdf"))


def incremental(report: Report, work: Path) -> None:
    """A 100-chapter book built in full, then rebuilt after one chapter is edited."""
    words, chapters = SIZES["100k"]
    source = generate(work / "incremental", words, chapters)
    cache = {"BOOKBUILD_CACHE_DIR": str(work / "cache")}
    out = work / "out-incremental"
    full = report.add(bookbuild("100 chapters: full build, empty cache (EPUB + PDF)", source, out, "all", env=cache))
    edit_chapter(source, 50)
    typo = report.add(bookbuild("100 chapters: rebuild after a typo in chapter 50", source, out, "all", env=cache))
    edit_chapter(source, 50, grow=True)
    grown = report.add(bookbuild("100 chapters: rebuild after chapter 50 grew some pages", source, out, "all", env=cache))
    report.verdict("one chapter changed → rebuild ≤ 15% of full build", typo.ok and typo.wall <= 0.15 * full.wall,
                   f"{typo.wall / full.wall:.0%} ({typo.wall:.2f} s vs {full.wall:.2f} s); "
                   f"{grown.wall / full.wall:.0%} when later page numbers move")


def shelf(report: Report, work: Path, books: int) -> None:
    """Many 10,000-word works through bookbuild shelf: books per minute on 1 and 2 jobs."""
    for row in throughput(work, books, 10_000):
        report.add(row)


def main() -> None:
    """Run the benchmark and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="leave out the million-word PDF and its baseline")
    parser.add_argument("--skip-baseline", action="store_true", help="no single-pass WeasyPrint baseline")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the real manuscript (median kept)")
    parser.add_argument("--shelf-books", type=int, default=200, help="works in the shelf throughput run (0: none)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    report = Report()
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_before = load()
    with tempfile.TemporaryDirectory(prefix="bookbuild-bench-") as folder:
        work = Path(folder)
        real_manuscript(report, work, args.repeat)
        incremental(report, work)
        pdf_sizes = {"11k", "100k"} if args.quick else {"11k", "100k", "1M"}
        sizes(report, work, list(SIZES), pdf_sizes, baseline=not args.skip_baseline)
        if args.shelf_books:
            shelf(report, work, args.shelf_books)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    header = [
        "# Benchmark results",
        "",
        f"Written by `{'make bench' if not args.quick else 'python -m bench.run --quick'}` on {started}"
        f"{f', at commit {commit}' if commit else ''}.",
        "",
        f"Machine: {machine()}.",
        "",
        f"Load average (1 / 5 / 15 min) before: {load_before}; after: {load()}. Wall times count "
        "start-up; CPU is user + system time of the whole process tree; peak RSS is the most the "
        "process tree held at once (PSS, so pages forked workers share count once). Books of 20,000 "
        "words or more are rendered in parts on every core. Medians of "
        f"{args.repeat} alternating runs for the real manuscript; one run otherwise.",
    ]
    args.out.write_text(report.markdown(header), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
