"""The boundary scorer: a trained logistic regression read from ``model.json``."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import mul
from pathlib import Path
from typing import Any

import numpy as np

from bookbuild.breaks.features import _SUM_IN_ORDER, Table, chapter_table

MODEL_PATH = Path(__file__).with_name("model.json")


@dataclass(frozen=True, slots=True)
class Model:
    """Feature names, their weights and the intercept; ``threshold`` is where auto places a break."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float = 1.0
    info: dict[str, Any] = field(default_factory=dict)
    priors: dict[str, float] = field(default_factory=dict)  # set by hand, added to the learned margin

    def probability(self, row: dict[str, float], priors: bool = True) -> float:
        """The chance that a boundary with these features is a scene break.

        With ``priors`` off it is the learned part alone: placement trusts only what the
        training works taught, while the review list also uses the hand-set priors.
        """
        margin = self.intercept + sum(
            w * row.get(n, 0.0) for n, w in zip(self.names, self.weights, strict=True)
        )
        if priors:
            margin += sum(w * row.get(n, 0.0) for n, w in self.priors.items())
        return _squash(margin)

    def score_texts(self, texts: list[str]) -> list[tuple[float, float]]:
        """(confidence, learned confidence) per boundary of one run: entry i is before text i + 1."""
        return self.score_table(chapter_table(texts))

    def score_table(self, table: Table) -> list[tuple[float, float]]:
        """(confidence, learned confidence) per boundary of a feature table, as ``probability`` gives.

        Where Python's ``sum`` adds floats left to right (up to 3.11), the weighted features are
        added a column at a time over every boundary, in the weights' order and from 0, so each
        margin is the same float as adding its row one by one. A newer ``sum`` compensates its
        rounding, so there each row is summed by ``sum`` itself.
        """
        count = len(table.columns[0]) if table.columns else 0
        prior_names, prior_weights = tuple(self.priors), tuple(self.priors.values())
        if _SUM_IN_ORDER:
            margins = self.intercept + _weighted_sum(table, self.names, self.weights, count)
            lifted = margins + _weighted_sum(table, prior_names, prior_weights, count)
            return list(zip(map(_squash, lifted.tolist()), map(_squash, margins.tolist()), strict=True))
        scores = []
        rows = zip(_rows_in_order(table, self.names, count), _rows_in_order(table, prior_names, count), strict=True)
        for row, prior_row in rows:
            margin = self.intercept + sum(map(mul, self.weights, row))
            lifted_margin = margin + sum(map(mul, prior_weights, prior_row))
            scores.append((_squash(lifted_margin), _squash(margin)))
        return scores

    def to_data(self) -> dict[str, Any]:
        """A JSON-ready form of the model."""
        return {
            "format": 1,
            "threshold": self.threshold,
            "intercept": self.intercept,
            "weights": dict(zip(self.names, self.weights, strict=True)),
            "priors": self.priors,
            "info": self.info,
        }


def _squash(margin: float) -> float:
    """The logistic function, clipped so a wild margin cannot overflow."""
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, margin))))


def _weighted_sum(table: Table, names: Sequence[str], weights: Sequence[float], count: int) -> np.ndarray:
    """Per boundary: the sum of weight * feature over ``names``, added in that order from 0."""
    by_name = dict(zip(table.names, table.columns, strict=True))
    total = np.zeros(count)
    zeros = np.zeros(count)
    for name, weight in zip(names, weights, strict=True):
        # A feature the table lacks is 0.0 (weight * 0.0 adds a signed zero, as it did).
        total += weight * np.asarray(by_name.get(name, zeros), dtype=float)
    return total


def _rows_in_order(table: Table, names: Sequence[str], count: int) -> Iterable[tuple[float, ...]]:
    """Each boundary's values of some features, in the order given (0.0 for a feature not there)."""
    if not names:
        return repeat((), count)
    by_name = {name: column.tolist() for name, column in zip(table.names, table.columns, strict=True)}
    zeros = [0.0] * count
    return zip(*(by_name.get(name, zeros) for name in names), strict=True)


def model_from_data(data: dict[str, Any]) -> Model:
    """A model from its JSON form."""
    weights = data["weights"]
    return Model(
        names=tuple(weights),
        weights=tuple(float(w) for w in weights.values()),
        intercept=float(data["intercept"]),
        threshold=float(data.get("threshold", 1.0)),
        info=dict(data.get("info", {})),
        priors={k: float(v) for k, v in data.get("priors", {}).items()},
    )


def save_model(model: Model, path: Path = MODEL_PATH) -> None:
    """Write a model as indented JSON (small enough to review in a diff)."""
    path.write_text(json.dumps(model.to_data(), indent=1, sort_keys=False) + "\n", encoding="utf-8")


@functools.cache
def load_model(path: Path = MODEL_PATH) -> Model:
    """The shipped model (read once per process)."""
    return model_from_data(json.loads(path.read_text(encoding="utf-8")))
