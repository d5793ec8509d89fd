"""Fit the boundary scorer: an L2-regularised logistic regression, solved by Newton's method.

Training uses numpy (a dependency: the scorer's feature windows are counted with it too). The
model is ~140 dense weights, so Newton's method (iteratively reweighted least squares) reaches the
exact optimum in a few seconds, and the same data always gives the same model.
"""

from __future__ import annotations

from collections.abc import Sequence

from bookbuild.breaks.model import Model

PENALTY = 100.0  # L2 strength on the standardised weights, the best of 5-1000 in 5-fold CV
POSITIVE_WEIGHT = 4.0  # a break is rare (one boundary in sixty); weighting steadies the fit


def train_logistic(
    names: Sequence[str],
    rows: Sequence[Sequence[float]],
    labels: Sequence[bool],
    *,
    penalty: float = PENALTY,
    positive_weight: float = POSITIVE_WEIGHT,
    iterations: int = 25,
) -> Model:
    """Weights of a logistic regression over standardised features (threshold left at 1.0)."""
    try:
        import numpy as np
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("training needs numpy: pip install -e '.[train]'") from exc
    x = np.asarray(rows, dtype=float)
    y = np.asarray(labels, dtype=float)
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales == 0] = 1.0
    design = np.hstack([(x - means) / scales, np.ones((len(y), 1))])
    sample = np.where(y == 1.0, positive_weight, 1.0)
    ridge = np.full(design.shape[1], penalty)
    ridge[-1] = 0.0  # the intercept is not penalised
    theta = np.zeros(design.shape[1])
    for _ in range(iterations):
        prob = 1.0 / (1.0 + np.exp(-np.clip(design @ theta, -30, 30)))
        gradient = design.T @ (sample * (prob - y)) + ridge * theta
        curvature = sample * prob * (1.0 - prob)
        hessian = (design * curvature[:, None]).T @ design + np.diag(ridge)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-7:
            break
    # Fold the standardisation into the weights so scoring is one dot product on raw features.
    weights = theta[:-1] / scales
    intercept = float(theta[-1] - weights @ means)
    return Model(tuple(names), tuple(round(float(w), 6) for w in weights), round(intercept, 6))
