"""Train the scene-break scorer on ../shared/eval/train and write bookbuild/breaks/model.json."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bookbuild.breaks.corpus import load_extra, load_set
from bookbuild.breaks.learn import PENALTY, POSITIVE_WEIGHT
from bookbuild.breaks.model import MODEL_PATH, save_model
from bookbuild.breaks.training import train

DEFAULT_TRAIN = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "train"


def main(argv: list[str] | None = None) -> int:
    """Train, choose the threshold on held-out works, save the model."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN, help="folder of training works")
    parser.add_argument("--extra", type=Path, help="a folder of extra works to learn from too (never held out)")
    parser.add_argument("--seed", type=int, default=1, help="how the works are shuffled into folds")
    parser.add_argument("--l2", type=float, default=PENALTY, help="L2 penalty of the fit")
    parser.add_argument("--positive-weight", type=float, default=POSITIVE_WEIGHT, help="weight of a break in the fit")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where the model goes")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--target-precision", type=float, default=0.9)
    args = parser.parse_args(argv)
    if not args.train.is_dir():
        print(f"train_breaks: no training works at {args.train}", file=sys.stderr)
        return 1
    started = time.time()
    works = load_set(args.train)
    extra = load_extra(args.extra)
    model = train(works, folds=args.folds, target_precision=args.target_precision, extra=extra,
                  seed=args.seed, penalty=args.l2, positive_weight=args.positive_weight)
    save_model(model, args.out)
    held = model.info["held_out"]
    print(
        f"wrote {args.out}: threshold={model.threshold} held-out placed precision={held['placed_precision']}"
        f" recall={held['placed_recall']} review-list recall={held['review_recall']}"
        f" ({time.time() - started:.0f}s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
