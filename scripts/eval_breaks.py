"""Train the scene-break scorer on ../shared/eval/train, then report on the dev works.

Prints, per dev work and overall: precision and recall of the breaks auto mode places, and the
recall of the review list (the share of real breaks among the listed candidates).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bookbuild.breaks.candidates import score_boundaries
from bookbuild.breaks.corpus import load_extra, load_set, load_work
from bookbuild.breaks.evaluate import evaluate, frontier, summary
from bookbuild.breaks.learn import PENALTY, POSITIVE_WEIGHT
from bookbuild.breaks.model import load_model
from bookbuild.breaks.training import train

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"


def _figures(reach: dict[str, float]) -> str:
    return ", ".join(f"P>={key.rsplit('_', 1)[1]}: R={value:.2f}" for key, value in reach.items())


def main(argv: list[str] | None = None) -> int:
    """Train (or load the shipped model) and print the dev figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--train", type=Path, default=EVAL / "train", help="folder of training works")
    parser.add_argument("--dev", type=Path, default=EVAL / "dev", help="folder of validation works")
    parser.add_argument("--extra", type=Path, help="a folder of extra works to learn from too (never held out)")
    parser.add_argument("--seed", type=int, default=1, help="how the works are shuffled into folds")
    parser.add_argument("--l2", type=float, default=PENALTY, help="L2 penalty of the fit")
    parser.add_argument("--positive-weight", type=float, default=POSITIVE_WEIGHT, help="weight of a break in the fit")
    parser.add_argument("--shipped", action="store_true", help="score the shipped model, do not train")
    parser.add_argument("--only", help="validate on this one dev work")
    args = parser.parse_args(argv)
    for folder in [args.dev] if args.shipped else [args.train, args.dev]:
        if not folder.is_dir():
            print(f"eval_breaks: {folder} not found", file=sys.stderr)
            return 1
    started = time.time()
    model = load_model() if args.shipped else train(
        load_set(args.train), extra=load_extra(args.extra), seed=args.seed, penalty=args.l2,
        positive_weight=args.positive_weight,
    )
    if not args.shipped:
        print(f"trained: threshold={model.threshold} held-out on train: {model.info['held_out']}")
    dev = [load_work(args.dev / args.only)] if args.only else load_set(args.dev)
    tallies = evaluate(model, dev)
    for name, t in tallies.items():
        print(
            f"  {name:12s} breaks={t.breaks:3d} placed={t.placed_right}/{t.placed}"
            f" listed={t.listed_right}/{t.listed}"
        )
    reach = frontier(dev, {w.name: score_boundaries(w.chapters, model) for w in dev})
    print("dev frontier (best recall any threshold reaches at a precision): " + _figures(reach))
    print(f"dev: {summary(tallies)} ({time.time() - started:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
