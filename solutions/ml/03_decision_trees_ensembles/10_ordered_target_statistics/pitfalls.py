"""Plausible wrong target statistics that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ordered_ts import target_statistics


def _ordered(categories: np.ndarray, y: np.ndarray, order: np.ndarray, prior: float, a: float, *,
             include_self: bool = False, prior_weight: float | None = None, any_category: bool = False,
             write_by_step: bool = False) -> np.ndarray:
    categories, y = np.asarray(categories), np.asarray(y, dtype=np.float64)
    sums: dict = {}
    counts: dict = {}
    out = np.empty(len(y))
    pw = a * prior if prior_weight is None else prior_weight
    for t, i in enumerate(np.asarray(order)):
        c = "all" if any_category else categories[i].item()
        if include_self:
            sums[c], counts[c] = sums.get(c, 0.0) + y[i], counts.get(c, 0) + 1
        value = (sums.get(c, 0.0) + pw) / (counts.get(c, 0) + a)
        out[t if write_by_step else i] = value
        if not include_self:
            sums[c], counts[c] = sums.get(c, 0.0) + y[i], counts.get(c, 0) + 1
    return out


@pitfall(replaces="ordered_target_statistics", why="adds the row's own target before encoding it (target leakage)")
def includes_itself(categories: np.ndarray, y: np.ndarray, permutation: np.ndarray, prior: float,
                    a: float = 1.0) -> np.ndarray:
    return _ordered(categories, y, permutation, prior, a, include_self=True)


@pitfall(replaces="ordered_target_statistics", why="ignores the permutation and walks the rows in index order")
def index_order(categories: np.ndarray, y: np.ndarray, permutation: np.ndarray, prior: float,
                a: float = 1.0) -> np.ndarray:
    return _ordered(categories, y, np.arange(len(y)), prior, a)


@pitfall(replaces="ordered_target_statistics", why="writes the encoding at the step index t instead of the row index")
def step_order_output(categories: np.ndarray, y: np.ndarray, permutation: np.ndarray, prior: float,
                      a: float = 1.0) -> np.ndarray:
    return _ordered(categories, y, permutation, prior, a, write_by_step=True)


@pitfall(replaces="ordered_target_statistics", why="adds the prior without its weight a: (sum + prior) / (count + a)")
def unweighted_prior(categories: np.ndarray, y: np.ndarray, permutation: np.ndarray, prior: float,
                     a: float = 1.0) -> np.ndarray:
    return _ordered(categories, y, permutation, prior, a, prior_weight=prior)


@pitfall(replaces="ordered_target_statistics", why="averages all earlier rows, whatever their category")
def ignores_category(categories: np.ndarray, y: np.ndarray, permutation: np.ndarray, prior: float,
                     a: float = 1.0) -> np.ndarray:
    return _ordered(categories, y, permutation, prior, a, any_category=True)


@pitfall(replaces="target_statistics", why="encodes an unseen category as 0 instead of the prior")
def unseen_as_zero(train_categories: np.ndarray, train_y: np.ndarray, categories: np.ndarray, prior: float,
                   a: float = 1.0) -> np.ndarray:
    known = set(np.asarray(train_categories).tolist())
    out = _solution_ts(train_categories, train_y, categories, prior, a)
    return np.where([c in known for c in np.asarray(categories).tolist()], out, 0.0)


_solution_ts = target_statistics
