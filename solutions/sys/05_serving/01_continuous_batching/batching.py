"""Reference solution for sys-05-1."""
from __future__ import annotations

import numpy as np


def fcfs_order(arrivals: np.ndarray, lengths: np.ndarray, max_batch: int, step_time: float) -> list[int]:
    """Given: validates a workload and returns the request indices in first-come-first-served order
    (by arrival time, ties by index)."""
    a, n = np.asarray(arrivals, dtype=np.float64), np.asarray(lengths)
    if a.ndim != 1 or a.shape != n.shape or a.size == 0:
        raise ValueError("arrivals and lengths must be non-empty 1-D arrays of the same length")
    if np.any(n < 1) or np.any(a < 0) or max_batch < 1 or step_time <= 0:
        raise ValueError("need lengths >= 1, arrivals >= 0, max_batch >= 1 and step_time > 0")
    return [int(i) for i in np.argsort(a, kind="stable")]


def simulate_static(arrivals: np.ndarray, lengths: np.ndarray, max_batch: int, step_time: float = 1.0) -> np.ndarray:
    order = fcfs_order(arrivals, lengths, max_batch, step_time)
    finish = np.zeros(len(order))
    t, i = 0.0, 0
    while i < len(order):
        t = max(t, float(arrivals[order[i]]))
        batch = []
        while i < len(order) and len(batch) < max_batch and arrivals[order[i]] <= t:
            batch.append(order[i])
            i += 1
        t += step_time * max(int(lengths[r]) for r in batch)
        finish[batch] = t
    return finish


def simulate_continuous(arrivals: np.ndarray, lengths: np.ndarray, max_batch: int, step_time: float = 1.0) -> np.ndarray:
    order = fcfs_order(arrivals, lengths, max_batch, step_time)
    finish = np.zeros(len(order))
    remaining = {}
    t, i = 0.0, 0
    while i < len(order) or remaining:
        if not remaining:
            t = max(t, float(arrivals[order[i]]))
        while i < len(order) and len(remaining) < max_batch and arrivals[order[i]] <= t:
            remaining[order[i]] = int(lengths[order[i]])
            i += 1
        t += step_time
        for r in list(remaining):
            remaining[r] -= 1
            if remaining[r] == 0:
                finish[r] = t
                del remaining[r]
    return finish


def summarize(arrivals: np.ndarray, lengths: np.ndarray, finish: np.ndarray) -> dict[str, float]:
    latency = np.asarray(finish, dtype=np.float64) - np.asarray(arrivals, dtype=np.float64)
    span = float(np.max(finish) - np.min(arrivals))
    return {"mean_latency": float(latency.mean()), "max_latency": float(latency.max()),
            "throughput": float(np.sum(lengths)) / span}
