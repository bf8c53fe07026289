"""Plausible wrong analogy / neighbour implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from analogies import EPS, _unit, analogy, analogy_scores


def _topk(score: np.ndarray, excluded: list[np.ndarray], k: int) -> np.ndarray:
    key = -score
    rows = np.arange(score.shape[0])
    for ex in excluded:
        key[rows, ex] = np.inf
    return np.argsort(key, axis=1, kind="stable")[:, :k].astype(np.int64)


@pitfall(replaces="nearest_neighbours", why="ranks by the raw dot product: long vectors are everyone's neighbour")
def dot_product(emb: np.ndarray, query_ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    if k < 0 or k > emb.shape[0] - 1:
        raise ValueError("bad")
    query_ids = np.asarray(query_ids)
    sims = emb[query_ids] @ emb.T
    order = _topk(sims, [query_ids], k)
    return order, np.take_along_axis(sims, order, axis=1)


@pitfall(replaces="nearest_neighbours", why="keeps the query word itself (cosine 1 with itself) among its neighbours")
def keeps_self(emb: np.ndarray, query_ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    if k < 0 or k > emb.shape[0] - 1:
        raise ValueError("bad")
    unit = _unit(emb)
    sims = unit[np.asarray(query_ids)] @ unit.T
    order = _topk(sims, [], k)
    return order, np.take_along_axis(sims, order, axis=1)


@pitfall(replaces="nearest_neighbours", why="drops the first column assuming it is the query: wrong for ties and zero vectors")
def drop_first_column(emb: np.ndarray, query_ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    if k < 0 or k > emb.shape[0] - 1:
        raise ValueError("bad")
    unit = _unit(emb)
    sims = unit[np.asarray(query_ids)] @ unit.T
    order = np.argsort(-sims, axis=1, kind="stable")[:, 1:k + 1].astype(np.int64)
    return order, np.take_along_axis(sims, order, axis=1)


@pitfall(replaces="nearest_neighbours", why="argsort of the similarities reversed: equal cosines come out highest id first")
def reversed_ties(emb: np.ndarray, query_ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    if k < 0 or k > emb.shape[0] - 1:
        raise ValueError("bad")
    unit = _unit(emb)
    query_ids = np.asarray(query_ids)
    sims = unit[query_ids] @ unit.T
    key = sims.copy()
    key[np.arange(len(query_ids)), query_ids] = -np.inf
    order = np.argsort(key, axis=1, kind="stable")[:, ::-1][:, :k].astype(np.int64)
    return order, np.take_along_axis(sims, order, axis=1)


def _mask(score: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    rows = np.arange(score.shape[0])
    for ex in (a, b, c):
        score[rows, ex] = -np.inf
    return score


def _cosines(emb: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray,
             method: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if method not in ("add", "mul"):
        raise ValueError("bad")
    unit = _unit(emb)
    return unit[a] @ unit.T, unit[b] @ unit.T, unit[c] @ unit.T


@pitfall(replaces="analogy_scores", why="searches a - b + c instead of b - a + c (the offset reversed)")
def reversed_offset(emb: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, method: str = "add") -> np.ndarray:
    cos_a, cos_b, cos_c = _cosines(emb, a, b, c, method)
    if method == "add":
        score = cos_a - cos_b + cos_c
    else:
        score = ((cos_a + 1) / 2) * ((cos_c + 1) / 2) / ((cos_b + 1) / 2 + EPS)
    return _mask(score, a, b, c)


@pitfall(replaces="analogy_scores", why="does not leave out the question words: c (or b) is usually its own best answer")
def no_exclusion(emb: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, method: str = "add") -> np.ndarray:
    cos_a, cos_b, cos_c = _cosines(emb, a, b, c, method)
    if method == "add":
        return cos_b - cos_a + cos_c
    return ((cos_b + 1) / 2) * ((cos_c + 1) / 2) / ((cos_a + 1) / 2 + EPS)


@pitfall(replaces="analogy_scores", why="3CosAdd on raw vectors: cos(x, b - a + c) without normalizing a, b, c first")
def raw_offset(emb: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, method: str = "add") -> np.ndarray:
    cos_a, cos_b, cos_c = _cosines(emb, a, b, c, method)
    if method == "add":
        score = _unit(emb[b] - emb[a] + emb[c]) @ _unit(emb).T
    else:
        score = ((cos_b + 1) / 2) * ((cos_c + 1) / 2) / ((cos_a + 1) / 2 + EPS)
    return _mask(score, a, b, c)


@pitfall(replaces="analogy_scores", why="3CosMul on raw cosines, not shifted into [0, 1]: negative similarities flip the ranking")
def unshifted_mul(emb: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, method: str = "add") -> np.ndarray:
    cos_a, cos_b, cos_c = _cosines(emb, a, b, c, method)
    score = cos_b - cos_a + cos_c if method == "add" else cos_b * cos_c / (cos_a + EPS)
    return _mask(score, a, b, c)


@pitfall(replaces="analogy", why="reverses an ascending argsort: equal scores come out highest id first")
def analogy_reversed_ties(emb: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, k: int = 1,
                          method: str = "add") -> np.ndarray:
    if k < 0 or k > emb.shape[0] - 3:
        raise ValueError("bad")
    score = analogy_scores(emb, a, b, c, method=method)
    return np.argsort(score, axis=1, kind="stable")[:, ::-1][:, :k]


@pitfall(replaces="analogy_accuracy", why="counts questions with out-of-vocabulary words as wrong instead of skipping them")
def oov_counts_wrong(emb: np.ndarray, vocab: tuple[str, ...] | list[str],
                     questions: list[tuple[str, str, str, str]], method: str = "add") -> tuple[float, int]:
    index = {w: i for i, w in enumerate(vocab)}
    covered = [q for q in questions if all(w in index for w in q)]
    if not covered:
        raise ValueError("none")
    a, b, c, d = (np.array([index[q[j]] for q in covered]) for j in range(4))
    best = analogy(emb, a, b, c, k=1, method=method)[:, 0]
    return float(np.sum(best == d) / len(questions)), len(covered)


@pitfall(replaces="analogy_accuracy", why="counts a hit when d is anywhere in the top 5, not only first")
def top5_hit(emb: np.ndarray, vocab: tuple[str, ...] | list[str],
             questions: list[tuple[str, str, str, str]], method: str = "add") -> tuple[float, int]:
    index = {w: i for i, w in enumerate(vocab)}
    covered = [q for q in questions if all(w in index for w in q)]
    if not covered:
        raise ValueError("none")
    a, b, c, d = (np.array([index[q[j]] for q in covered]) for j in range(4))
    best = analogy(emb, a, b, c, k=5, method=method)
    return float(np.mean((best == d[:, None]).any(axis=1))), len(covered)
