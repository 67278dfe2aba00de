"""The body/boilerplate line model at run time: boosted trees read from JSON, scored with numpy.

The model file (`storyline/data/clean_model.json`, written by `python -m storyline.clean.train`)
holds plain arrays, never a pickle: loading it runs no code and does not depend on the
scikit-learn version it was trained with. Two stages: the first scores each line from its own
features and its neighbours' (`features.stage_one`), the second adds the first stage's
probabilities around the line (`features.stage_two`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

import numpy as np

from storyline.clean import features
from storyline.clean.lines import Line

MODEL_RESOURCE = "clean_model.json"


class ModelMismatch(RuntimeError):
    """The model file was trained on other features than this code computes: retrain it."""


@dataclass(frozen=True)
class TreeEnsemble:
    """Gradient-boosted regression trees over one feature matrix, all nodes in flat arrays.

    Children are global node ids and leaves loop to themselves, so every (row, tree) pair walks
    `depth` steps in lockstep: a handful of numpy gathers per step for a whole page.
    """

    roots: np.ndarray  # (trees,) node id of each tree's root
    feature: np.ndarray  # (nodes,) feature tested at a node
    threshold: np.ndarray  # (nodes,) go left when x <= threshold (leaves: +inf)
    left: np.ndarray  # (nodes,)
    right: np.ndarray  # (nodes,)
    value: np.ndarray  # (nodes,) a leaf's contribution to the log-odds (0 inside the tree)
    base: float  # the log-odds every row starts from
    depth: int

    @classmethod
    def from_dict(cls, data: dict) -> TreeEnsemble:
        threshold = np.asarray(data["threshold"], dtype=np.float64)
        return cls(
            roots=np.asarray(data["roots"], dtype=np.intp),
            feature=np.asarray(data["feature"], dtype=np.intp),
            threshold=np.where(threshold >= _INFINITY, np.inf, threshold),
            left=np.asarray(data["left"], dtype=np.intp),
            right=np.asarray(data["right"], dtype=np.intp),
            value=np.asarray(data["value"], dtype=np.float64),
            base=float(data["base"]),
            depth=int(data["depth"]),
        )

    def to_dict(self) -> dict:
        return {
            "roots": self.roots.tolist(),
            "feature": self.feature.tolist(),
            "threshold": [min(float(x), _INFINITY) for x in self.threshold],
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": [round(float(x), 7) for x in self.value],
            "base": self.base,
            "depth": self.depth,
        }

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """P(class 1) of each row of `rows` (rows × features, float32 like the features)."""
        if len(rows) == 0:
            return np.zeros(0)
        count = len(rows)
        # Feature-major, so a node's feature column starts at feature × count; the walk's state
        # is 2 × node: where its right child stands in `_children_by_state` (+1: its left).
        values = np.ascontiguousarray(rows.T, dtype=np.float32).ravel()
        column_start = self._feature_by_state * count
        threshold, children = self._threshold_by_state, self._children_by_state
        row = np.arange(count)[:, None]
        state = np.broadcast_to(2 * self.roots, (count, len(self.roots)))
        for _ in range(self.depth):
            go_left = values.take(column_start.take(state) + row) <= threshold.take(state)
            state = children.take(state + go_left)
        raw = self.base + self.value.take(state >> 1).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))

    @cached_property
    def _children_by_state(self) -> np.ndarray:
        """Right and left child of each node side by side, as states (2 × child): one gather
        per step, not two and a select (scoring is a fifth of the cleaner's time on a page)."""
        return 2 * np.stack([self.right, self.left], axis=1).ravel()

    @cached_property
    def _feature_by_state(self) -> np.ndarray:
        return np.repeat(self.feature, 2)

    @cached_property
    def _threshold_by_state(self) -> np.ndarray:
        """The thresholds rounded down to float32: for a float32 x, x <= t exactly when x <= the
        largest float32 not above t, and half-width gathers are faster."""
        rounded = self.threshold.astype(np.float32)
        rounded = np.where(
            rounded > self.threshold, np.nextafter(rounded, np.float32(-np.inf)), rounded
        )
        return np.repeat(rounded, 2)


# JSON has no infinity: leaf thresholds are written as this.
_INFINITY = 1e308


@dataclass(frozen=True)
class LineModel:
    first: TreeEnsemble
    second: TreeEnsemble
    threshold: float  # a line with p(body) below it is boilerplate

    def body_probabilities(self, lines: Sequence[Line], reasons: Sequence[str | None]) -> np.ndarray:
        if not lines:
            return np.zeros(0)
        first_features = features.stage_one(lines, reasons)
        first = self.first.probability(first_features)
        # Lines a detector removed keep their first-stage probability: nothing reads their
        # second, and skipping them saves a third to a half of the second stage's trees.
        judged = np.array([reason is None for reason in reasons], dtype=bool)
        probabilities = first.copy()
        probabilities[judged] = self.second.probability(
            features.stage_two(first_features, first)[judged]
        )
        return probabilities


def parse_model(data: dict) -> LineModel:
    if tuple(data["stage_one_features"]) != features.STAGE_ONE_NAMES or tuple(
        data["stage_two_features"]
    ) != features.STAGE_TWO_NAMES:
        raise ModelMismatch(
            "the line model was trained on other features; run `python -m storyline.clean.train`"
        )
    return LineModel(
        first=TreeEnsemble.from_dict(data["stage_one"]),
        second=TreeEnsemble.from_dict(data["stage_two"]),
        threshold=float(data["threshold"]),
    )


@cache
def load_model() -> LineModel:
    """The model shipped in the package (read once per process)."""
    text = resources.files("storyline").joinpath("data", MODEL_RESOURCE).read_text("utf-8")
    return parse_model(json.loads(text))
