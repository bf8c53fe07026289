"""Plausible wrong versions of the comparison measures that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="cohen_kappa", why="raw agreement p_o, not corrected for chance")
def raw_agreement(labels_1: np.ndarray, labels_2: np.ndarray) -> float:
    if labels_1.shape != labels_2.shape or labels_1.ndim != 1 or len(labels_1) == 0:
        raise ValueError("bad labels")
    return float(np.mean(labels_1 == labels_2))


@pitfall(replaces="cohen_kappa", why="chance agreement as 1/2 (assumes balanced annotators) instead of q1 q2 + (1-q1)(1-q2)")
def half_chance(labels_1: np.ndarray, labels_2: np.ndarray) -> float:
    if labels_1.shape != labels_2.shape or labels_1.ndim != 1 or len(labels_1) == 0:
        raise ValueError("bad labels")
    return float((np.mean(labels_1 == labels_2) - 0.5) / 0.5)


@pitfall(replaces="preference_accuracy", why="a tie counts as a miss instead of 1/2")
def ties_are_misses(weights: np.ndarray, features: np.ndarray, a: np.ndarray, b: np.ndarray,
                    a_preferred: np.ndarray) -> float:
    if not (len(a) == len(b) == len(a_preferred)) or len(a) == 0:
        raise ValueError("bad pairs")
    gap = features[a] @ weights - features[b] @ weights
    return float(np.where(gap == 0, 0.0, (gap > 0) == a_preferred).mean())


@pitfall(replaces="preference_accuracy", why="a tie counts as 'a preferred' (gap >= 0)")
def ties_prefer_a(weights: np.ndarray, features: np.ndarray, a: np.ndarray, b: np.ndarray,
                  a_preferred: np.ndarray) -> float:
    if not (len(a) == len(b) == len(a_preferred)) or len(a) == 0:
        raise ValueError("bad pairs")
    gap = features[a] @ weights - features[b] @ weights
    return float(((gap >= 0) == a_preferred).mean())


@pitfall(replaces="best_of_n", why="the last index among tied best rewards")
def last_tie(weights: np.ndarray, candidates: np.ndarray) -> int:
    r = candidates @ weights
    return int(len(r) - 1 - np.argmax(r[::-1]))
