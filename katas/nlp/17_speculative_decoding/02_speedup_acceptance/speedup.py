"""nlp-17-2: speed-up of speculative decoding and acceptance-rate curves. Edit this file;
`grader check nlp-17-2` tests it."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt  # noqa: F401  (you will need it for plot_acceptance_curves)
import numpy as np
from matplotlib.figure import Figure

Model = Callable[[list[int]], np.ndarray]


def speculative_sample(target: Model, draft: Model, prompt: Sequence[int], n_new: int, k: int,
                       rng: np.random.Generator) -> list[int]:
    """Given (nlp-17-1): speculative sampling. Each round the draft samples m = min(k, n_new - generated)
    tokens with one draft call each, the target scores them in one call, the rejection rule decides."""
    seq, out = list(prompt), []
    while len(out) < n_new:
        m = min(k, n_new - len(out))
        proposal: list[int] = []
        q_rows = []
        for _ in range(m):
            q = np.asarray(draft(seq + proposal)[-1], dtype=np.float64)
            q_rows.append(q)
            proposal.append(int(rng.choice(len(q), p=q / q.sum())))
        p_rows = np.asarray(target(seq + proposal), dtype=np.float64)[len(seq) - 1:]
        new: list[int] = []
        for i, x in enumerate(proposal):
            p, q = p_rows[i], q_rows[i]
            if rng.random() < min(1.0, p[x] / q[x]):
                new.append(x)
                continue
            r = np.maximum(p - q, 0)
            new.append(int(rng.choice(len(r), p=r / r.sum())))
            break
        else:
            new.append(int(rng.choice(len(p_rows[m]), p=p_rows[m] / p_rows[m].sum())))
        new = new[: n_new - len(out)]
        seq += new
        out += new
    return out


def acceptance_rate(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Probability that a token drafted from q is accepted by a target with distribution p: sum_x min(p, q).

    Inputs are not modified.

    Shapes:
        p, q: (..., V) distributions over the last axis
        returns: (...) float64, one rate per distribution
    """
    raise NotImplementedError("acceptance_rate: sum of the elementwise minimum over the vocabulary")


def expected_tokens_per_call(alpha: float | np.ndarray, k: int) -> float | np.ndarray:
    """Expected tokens per target call with k drafted tokens accepted independently with rate alpha:
    (1 - alpha^(k+1)) / (1 - alpha), which is k + 1 at alpha = 1. Works elementwise on arrays of alpha.

    Shapes:
        alpha: scalar or (n,) in [0, 1], float32 or float64
        returns: same shape as alpha, float64 (computed in float64 whatever alpha's dtype: in float32
            the closed form loses digits as alpha -> 1)
    """
    raise NotImplementedError("expected_tokens_per_call: geometric series, with the alpha = 1 limit")


def expected_speedup(alpha: float | np.ndarray, k: int, cost_ratio: float) -> float | np.ndarray:
    """Expected speed-up over autoregressive decoding: tokens per call / (1 + k * cost_ratio), where
    cost_ratio = (time of one draft call) / (time of one target call). Elementwise in alpha.
    """
    raise NotImplementedError("expected_speedup: tokens per call divided by the cost of one round")


def best_draft_length(alpha: float, cost_ratio: float, k_max: int) -> int:
    """The smallest k in 1..k_max whose expected_speedup is within a relative 1e-9 of the largest
    (closer than that counts as a tie: the closed form is only that accurate).

    Raises:
        ValueError: if k_max < 1.
    """
    raise NotImplementedError("best_draft_length: argmax over k = 1..k_max")


def measure_speedup(target: Model, draft: Model, prompt: Sequence[int], n_new: int, k: int, cost_ratio: float,
                    rng: np.random.Generator) -> dict[str, float]:
    """Run the given speculative_sample with call-counting wrappers around both models.

    Returns a dict with
        "target_calls", "draft_calls": how often each model was called,
        "tokens_per_call": n_new / target_calls,
        "speedup": n_new / (target_calls + cost_ratio * draft_calls)   (autoregressive = n_new target calls).
    `rng` is passed on to speculative_sample (same rng state, same counts).
    """
    raise NotImplementedError("measure_speedup: wrap the models with counters, run speculative_sample")


def plot_acceptance_curves(alphas: np.ndarray, ks: Sequence[int], cost_ratio: float) -> Figure:
    """Two axes side by side, each with one line per k (in the order of ks, labelled f"k={k}") over alphas:

    left: expected_tokens_per_call, x label "acceptance rate", y label "tokens per target call";
    right: expected_speedup at cost_ratio, x label "acceptance rate", y label "speedup",
    title f"cost ratio {cost_ratio:g}". Returns the figure.
    """
    raise NotImplementedError("plot_acceptance_curves: one line per k on each of two axes")
