"""nlp-17-3: ablate the draft model's size for speculative decoding. Edit this file;
`grader check nlp-17-3` tests it."""
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
    """Per-position acceptance rate sum_x min(p_t(x), q_t(x)), scoring `tokens` with one call of each model.

    Shapes:
        tokens: (T,) token ids
        returns: (T,) float64, also when the models return float32 rows
    """
    raise NotImplementedError("acceptance_rates: one call per model, elementwise min, sum over the vocabulary")


def cross_entropy(model: Model, tokens: Sequence[int]) -> float:
    """Mean next-token cross-entropy in nats: mean over i of -ln P(tokens[i+1] | tokens[:i+1]).

    Raises:
        ValueError: if there are fewer than two tokens (nothing to predict).
    """
    raise NotImplementedError("cross_entropy: row i of model(tokens) predicts tokens[i + 1]")


def ablate(target: Model, drafts: dict[str, Model], costs: dict[str, float], tokens: Sequence[int],
           ks: Sequence[int]) -> dict[str, dict[str, object]]:
    """One row per draft (in the order of `drafts`):

        {"alpha": mean of acceptance_rates over the tokens,
         "cross_entropy": the draft's cross_entropy on the tokens,
         "speedup": np.array([expected_speedup(alpha, k, costs[name]) for k in ks])}

    costs[name] is the draft's cost per call relative to one target call.
    """
    raise NotImplementedError("ablate: acceptance, quality and predicted speed-up for every draft")


def best_tradeoff(results: dict[str, dict[str, object]], ks: Sequence[int]) -> tuple[str, int]:
    """The (draft name, k) with the largest speed-up in an `ablate` table. Ties go to the earlier draft (dict
    order), then to the earlier k in ks."""
    raise NotImplementedError("best_tradeoff: scan every draft and every k")


def pareto_front(alphas: dict[str, float], costs: dict[str, float]) -> list[str]:
    """The drafts no other draft dominates, sorted by cost then name. Another draft dominates this one if its
    cost is <= and its alpha >= this one's, and it differs in at least one of the two."""
    raise NotImplementedError("pareto_front: keep the drafts nobody dominates")
