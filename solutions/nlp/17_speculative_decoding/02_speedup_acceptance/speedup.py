"""Reference solution for nlp-17-2."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
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
    return np.minimum(np.asarray(p, dtype=np.float64), np.asarray(q, dtype=np.float64)).sum(axis=-1)


def expected_tokens_per_call(alpha: float | np.ndarray, k: int) -> float | np.ndarray:
    a = np.asarray(alpha, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(a == 1.0, k + 1.0, (1 - a ** (k + 1)) / (1 - a))
    return float(out) if out.ndim == 0 else out


def expected_speedup(alpha: float | np.ndarray, k: int, cost_ratio: float) -> float | np.ndarray:
    e = expected_tokens_per_call(alpha, k)
    return e / (1 + k * cost_ratio)


def best_draft_length(alpha: float, cost_ratio: float, k_max: int) -> int:
    if k_max < 1:
        raise ValueError(f"k_max must be >= 1, got {k_max}")
    speeds = np.array([expected_speedup(alpha, k, cost_ratio) for k in range(1, k_max + 1)])
    return int(np.argmax(speeds >= speeds.max() * (1 - 1e-9))) + 1


def measure_speedup(target: Model, draft: Model, prompt: Sequence[int], n_new: int, k: int, cost_ratio: float,
                    rng: np.random.Generator) -> dict[str, float]:
    counts = {"target": 0, "draft": 0}

    def counted(model: Model, name: str) -> Model:
        def call(tokens: list[int]) -> np.ndarray:
            counts[name] += 1
            return model(tokens)
        return call

    speculative_sample(counted(target, "target"), counted(draft, "draft"), prompt, n_new, k, rng)
    t, d = counts["target"], counts["draft"]
    return {"target_calls": t, "draft_calls": d, "tokens_per_call": n_new / t,
            "speedup": n_new / (t + cost_ratio * d)}


def plot_acceptance_curves(alphas: np.ndarray, ks: Sequence[int], cost_ratio: float) -> Figure:
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for k in ks:
        left.plot(alphas, expected_tokens_per_call(alphas, k), label=f"k={k}")
        right.plot(alphas, expected_speedup(alphas, k, cost_ratio), label=f"k={k}")
    left.set_xlabel("acceptance rate")
    left.set_ylabel("tokens per target call")
    right.set_xlabel("acceptance rate")
    right.set_ylabel("speedup")
    right.set_title(f"cost ratio {cost_ratio:g}")
    left.legend()
    right.legend()
    return fig
