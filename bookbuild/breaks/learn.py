"""Fit the boundary scorer: an L2-regularised logistic regression, in pure Python.

Pure Python (no numpy) so that ``make train-breaks`` needs nothing beyond the default install;
the model is ~120 dense weights, so plain averaged AdaGrad over a few epochs is enough.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from bookbuild.breaks.model import Model


def _standardiser(rows: Sequence[Sequence[float]]) -> tuple[list[float], list[float]]:
    count = len(rows)
    width = len(rows[0])
    means = [sum(row[k] for row in rows) / count for k in range(width)]
    scales = []
    for k in range(width):
        variance = sum((row[k] - means[k]) ** 2 for row in rows) / count
        scales.append(math.sqrt(variance) or 1.0)
    return means, scales


def train_logistic(
    names: Sequence[str],
    rows: Sequence[Sequence[float]],
    labels: Sequence[bool],
    *,
    epochs: int = 6,
    l2: float = 1e-4,
    rate: float = 0.05,
    positive_weight: float = 4.0,
    seed: int = 7,
) -> Model:
    """A logistic regression over standardised features, fitted with averaged AdaGrad.

    Positives are weighted up because a break is rare (about one boundary in sixty): the list
    is ranked, so the weight shifts the bias and steadies the fit rather than the ranking.
    """
    means, scales = _standardiser(rows)
    data = [[(v - m) / s for v, m, s in zip(row, means, scales, strict=True)] for row in rows]
    width = len(names)
    weights = [0.0] * width
    squares = [1e-8] * width
    bias, bias_square = 0.0, 1e-8
    total = [0.0] * width
    total_bias = 0.0
    steps = 0
    order = list(range(len(data)))
    shuffler = random.Random(seed)
    for _ in range(epochs):
        shuffler.shuffle(order)
        for position in order:
            x = data[position]
            label = labels[position]
            margin = bias + sum(w * v for w, v in zip(weights, x, strict=True))
            prob = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, margin))))
            error = (prob - (1.0 if label else 0.0)) * (positive_weight if label else 1.0)
            for k in range(width):
                grad = error * x[k] + l2 * weights[k]
                squares[k] += grad * grad
                weights[k] -= rate * grad / math.sqrt(squares[k])
            bias_square += error * error
            bias -= rate * error / math.sqrt(bias_square)
            for k in range(width):
                total[k] += weights[k]
            total_bias += bias
            steps += 1
    averaged = [t / steps for t in total]
    # Fold the standardisation into the weights so scoring is one dot product.
    folded = [w / s for w, s in zip(averaged, scales, strict=True)]
    intercept = total_bias / steps - sum(w * m for w, m in zip(folded, means, strict=True))
    return Model(tuple(names), tuple(round(w, 6) for w in folded), round(intercept, 6))
