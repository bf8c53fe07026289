"""Plausible wrong versions of the speed-up kata that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from speedup import Model, expected_speedup, expected_tokens_per_call, speculative_sample


@pitfall(replaces="acceptance_rate", why="uses the overlap sum(p * q) (probability both pick the same token)")
def dot_product(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    return (np.asarray(p, dtype=np.float64) * q).sum(-1)


@pitfall(replaces="acceptance_rate", why="averages min(p, q) over the vocabulary instead of summing")
def mean_not_sum(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    return np.minimum(np.asarray(p, dtype=np.float64), q).mean(-1)


@pitfall(replaces="expected_tokens_per_call", why="forgets the target's own token: (1 - a^k) / (1 - a)")
def no_bonus(alpha: float | np.ndarray, k: int) -> float | np.ndarray:
    a = np.asarray(alpha, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(a == 1.0, float(k), (1 - a ** k) / (1 - a))
    return float(out) if out.ndim == 0 else out


@pitfall(replaces="expected_tokens_per_call", why="no alpha = 1 limit: 0/0 gives NaN for a perfect draft")
def no_limit(alpha: float | np.ndarray, k: int) -> float | np.ndarray:
    a = np.asarray(alpha, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (1 - a ** (k + 1)) / (1 - a)
    return float(out) if out.ndim == 0 else out


@pitfall(replaces="expected_speedup", why="charges one draft call per round instead of k")
def one_draft_call(alpha: float | np.ndarray, k: int, cost_ratio: float) -> float | np.ndarray:
    return expected_tokens_per_call(alpha, k) / (1 + cost_ratio)


@pitfall(replaces="best_draft_length", why="plain argmax: float noise in the closed form picks a k far from the "
         "first one that is as good")
def exact_argmax(alpha: float, cost_ratio: float, k_max: int) -> int:
    if k_max < 1:
        raise ValueError("k_max")
    speeds = [expected_speedup(alpha, k, cost_ratio) for k in range(1, k_max + 1)]
    return int(np.argmax(speeds)) + 1


@pitfall(replaces="best_draft_length", why="ties go to the largest k (>= in a running max)")
def ties_to_largest(alpha: float, cost_ratio: float, k_max: int) -> int:
    if k_max < 1:
        raise ValueError("k_max")
    speeds = np.array([expected_speedup(alpha, k, cost_ratio) for k in range(1, k_max + 1)])
    return int(np.nonzero(speeds >= speeds.max() * (1 - 1e-9))[0][-1]) + 1


@pitfall(replaces="best_draft_length", why="searches k = 0..k_max - 1 (range off by one)")
def range_off_by_one(alpha: float, cost_ratio: float, k_max: int) -> int:
    if k_max < 1:
        raise ValueError("k_max")
    speeds = [expected_speedup(alpha, k, cost_ratio) for k in range(0, k_max)]
    return int(np.argmax(speeds)) + 1


@pitfall(replaces="measure_speedup", why="counts rounds as draft calls (one per round, not one per drafted token)")
def draft_calls_per_round(target: Model, draft: Model, prompt: Sequence[int], n_new: int, k: int,
                          cost_ratio: float, rng: np.random.Generator) -> dict[str, float]:
    counts = {"target": 0}

    def counted(tokens: list[int]) -> np.ndarray:
        counts["target"] += 1
        return target(tokens)

    speculative_sample(counted, draft, prompt, n_new, k, rng)
    t = counts["target"]
    return {"target_calls": t, "draft_calls": t, "tokens_per_call": n_new / t, "speedup": n_new / (t + cost_ratio * t)}


@pitfall(replaces="measure_speedup", why="speed-up = tokens per target call, ignoring what the draft costs")
def free_draft(target: Model, draft: Model, prompt: Sequence[int], n_new: int, k: int, cost_ratio: float,
               rng: np.random.Generator) -> dict[str, float]:
    counts = {"target": 0, "draft": 0}

    def counted(model: Model, name: str) -> Model:
        def call(tokens: list[int]) -> np.ndarray:
            counts[name] += 1
            return model(tokens)
        return call

    speculative_sample(counted(target, "target"), counted(draft, "draft"), prompt, n_new, k, rng)
    t, d = counts["target"], counts["draft"]
    return {"target_calls": t, "draft_calls": d, "tokens_per_call": n_new / t, "speedup": n_new / t}


@pitfall(replaces="measure_speedup", why="ignores the rng argument and seeds its own generator from the clock")
def own_rng(target: Model, draft: Model, prompt: Sequence[int], n_new: int, k: int, cost_ratio: float,
            rng: np.random.Generator) -> dict[str, float]:
    counts = {"target": 0, "draft": 0}

    def counted(model: Model, name: str) -> Model:
        def call(tokens: list[int]) -> np.ndarray:
            counts[name] += 1
            return model(tokens)
        return call

    speculative_sample(counted(target, "target"), counted(draft, "draft"), prompt, n_new, k, np.random.default_rng())
    t, d = counts["target"], counts["draft"]
    return {"target_calls": t, "draft_calls": d, "tokens_per_call": n_new / t, "speedup": n_new / (t + cost_ratio * d)}
