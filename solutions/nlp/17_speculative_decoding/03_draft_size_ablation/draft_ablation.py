"""Reference solution for nlp-17-3."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

Model = Callable[[list[int]], np.ndarray]


class NGramModel:
    """Given: a character n-gram model with interpolated smoothing, in the speculative-decoding interface.

    p_n(x | last n-1 tokens) = (c(ctx, x) + beta * p_{n-1}(x | last n-2 tokens)) / (c(ctx) + beta), down to an
    add-one unigram. Contexts that run past the start of the sequence use the shorter context available.
    `n_params` counts the stored (context, next token) pairs: the model's size.
    """

    def __init__(self, order: int, vocab_size: int, beta: float = 2.0) -> None:
        self.order, self.v, self.beta = order, vocab_size, beta
        self.tables: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.unigram = np.full(vocab_size, 1.0 / vocab_size)
        self.n_params = self._unigram_params = 0

    def fit(self, ids: np.ndarray) -> NGramModel:
        ids = np.asarray(ids, dtype=np.int64)
        counts = np.bincount(ids, minlength=self.v).astype(np.float64)
        self.unigram = (counts + 1) / (counts.sum() + self.v)
        self.n_params = self._unigram_params = int(np.count_nonzero(counts))
        self.tables = []
        for n in range(1, self.order):          # context length n
            ctx = self._codes(ids, n)[n - 1:-1]
            nxt = ids[n:]
            keys, inv = np.unique(ctx, return_inverse=True)
            table = np.bincount(inv * self.v + nxt, minlength=len(keys) * self.v).reshape(len(keys), self.v)
            table = table.astype(np.float64)
            self.tables.append((keys, table, table.sum(1)))
            self.n_params += int(np.count_nonzero(table))
        return self

    def truncated(self, order: int) -> NGramModel:
        """The order-`order` model fitted on the same data (shares this model's lower-order tables)."""
        small = NGramModel(order, self.v, self.beta)
        small.unigram, small.tables = self.unigram, self.tables[: order - 1]
        small._unigram_params = self._unigram_params
        small.n_params = self._unigram_params + sum(int(np.count_nonzero(t)) for _, t, _ in small.tables)
        return small

    def _codes(self, ids: np.ndarray, n: int) -> np.ndarray:
        """Code of the n tokens ending at each position (positions < n - 1 get garbage, never used)."""
        padded = np.concatenate([np.zeros(n - 1, dtype=np.int64), ids])
        code = np.zeros(len(ids), dtype=np.int64)
        for j in range(n):
            code = code * self.v + padded[j: j + len(ids)]
        return code

    def __call__(self, tokens: list[int]) -> np.ndarray:
        ids = np.asarray(tokens, dtype=np.int64)
        probs = np.broadcast_to(self.unigram, (len(ids), self.v)).copy()
        for n, (keys, table, totals) in enumerate(self.tables, start=1):
            code = self._codes(ids, n)
            pos = np.searchsorted(keys, code).clip(0, len(keys) - 1)
            seen = (keys[pos] == code) & (np.arange(len(ids)) >= n - 1)
            counts = np.where(seen[:, None], table[pos], 0.0)
            total = np.where(seen, totals[pos], 0.0)
            probs = (counts + self.beta * probs) / (total + self.beta)[:, None]
        return probs


def expected_speedup(alpha: float, k: int, cost_ratio: float) -> float:
    """Given (nlp-17-2): (1 - alpha^(k+1)) / ((1 - alpha)(1 + k cost_ratio)), k + 1 tokens per call at alpha = 1."""
    tokens = k + 1.0 if alpha >= 1.0 else (1 - alpha ** (k + 1)) / (1 - alpha)
    return tokens / (1 + k * cost_ratio)


def acceptance_rates(target: Model, draft: Model, tokens: Sequence[int]) -> np.ndarray:
    p = np.asarray(target(list(tokens)), dtype=np.float64)
    q = np.asarray(draft(list(tokens)), dtype=np.float64)
    return np.minimum(p, q).sum(-1)


def cross_entropy(model: Model, tokens: Sequence[int]) -> float:
    if len(tokens) < 2:
        raise ValueError("need at least two tokens")
    probs = np.asarray(model(list(tokens)), dtype=np.float64)
    nxt = np.asarray(tokens[1:], dtype=np.int64)
    return float(-np.mean(np.log(probs[np.arange(len(nxt)), nxt])))


def ablate(target: Model, drafts: dict[str, Model], costs: dict[str, float], tokens: Sequence[int],
           ks: Sequence[int]) -> dict[str, dict[str, object]]:
    results: dict[str, dict[str, object]] = {}
    for name, draft in drafts.items():
        alpha = float(np.mean(acceptance_rates(target, draft, tokens)))
        results[name] = {"alpha": alpha, "cross_entropy": cross_entropy(draft, tokens),
                         "speedup": np.array([expected_speedup(alpha, k, costs[name]) for k in ks])}
    return results


def best_tradeoff(results: dict[str, dict[str, object]], ks: Sequence[int]) -> tuple[str, int]:
    best: tuple[str, int] | None = None
    best_speed = -np.inf
    for name, row in results.items():
        for k, s in zip(ks, np.asarray(row["speedup"]), strict=True):
            if s > best_speed:
                best, best_speed = (name, int(k)), float(s)
    assert best is not None
    return best


def pareto_front(alphas: dict[str, float], costs: dict[str, float]) -> list[str]:
    front = []
    for name in alphas:
        dominated = any(costs[o] <= costs[name] and alphas[o] >= alphas[name]
                        and (costs[o] < costs[name] or alphas[o] > alphas[name]) for o in alphas if o != name)
        if not dominated:
            front.append(name)
    return sorted(front, key=lambda n: (costs[n], n))
