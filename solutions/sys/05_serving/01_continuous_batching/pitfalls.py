"""Plausible wrong versions of the batching simulators that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from batching import fcfs_order


@pitfall(replaces="simulate_static", why="each request of a static batch finishes with its own last token, not with the batch")
def static_finishes_early(arrivals: np.ndarray, lengths: np.ndarray, max_batch: int, step_time: float = 1.0) -> np.ndarray:
    order = fcfs_order(arrivals, lengths, max_batch, step_time)
    finish = np.zeros(len(order))
    t, i = 0.0, 0
    while i < len(order):
        t = max(t, float(arrivals[order[i]]))
        batch = []
        while i < len(order) and len(batch) < max_batch and arrivals[order[i]] <= t:
            batch.append(order[i])
            i += 1
        for r in batch:
            finish[r] = t + step_time * int(lengths[r])
        t += step_time * max(int(lengths[r]) for r in batch)
    return finish


@pitfall(replaces="simulate_continuous", why="admits new requests only when the whole batch is empty: static batching again")
def admits_only_when_empty(arrivals: np.ndarray, lengths: np.ndarray, max_batch: int, step_time: float = 1.0) -> np.ndarray:
    order = fcfs_order(arrivals, lengths, max_batch, step_time)
    finish = np.zeros(len(order))
    remaining: dict[int, int] = {}
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


@pitfall(replaces="simulate_continuous", why="admits requests by index instead of by arrival time")
def index_order(arrivals: np.ndarray, lengths: np.ndarray, max_batch: int, step_time: float = 1.0) -> np.ndarray:
    fcfs_order(arrivals, lengths, max_batch, step_time)
    order = list(range(len(arrivals)))
    finish = np.zeros(len(order))
    remaining: dict[int, int] = {}
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


@pitfall(replaces="simulate_continuous", why="a finished request's slot is refilled only one iteration later")
def slot_freed_late(arrivals: np.ndarray, lengths: np.ndarray, max_batch: int, step_time: float = 1.0) -> np.ndarray:
    order = fcfs_order(arrivals, lengths, max_batch, step_time)
    finish = np.zeros(len(order))
    remaining: dict[int, int] = {}
    t, i = 0.0, 0
    while i < len(order) or remaining:
        if not any(v > 0 for v in remaining.values()):
            remaining.clear()
            t = max(t, float(arrivals[order[i]]))
        while i < len(order) and len(remaining) < max_batch and arrivals[order[i]] <= t:
            remaining[order[i]] = int(lengths[order[i]])
            i += 1
        t += step_time
        for r in list(remaining):
            if remaining[r] == 0:
                del remaining[r]
                continue
            remaining[r] -= 1
            if remaining[r] == 0:
                finish[r] = t
    return finish


@pitfall(replaces="summarize", why="throughput over the span from time 0, not from the first arrival")
def span_from_zero(arrivals: np.ndarray, lengths: np.ndarray, finish: np.ndarray) -> dict[str, float]:
    latency = np.asarray(finish, dtype=np.float64) - np.asarray(arrivals, dtype=np.float64)
    return {"mean_latency": float(latency.mean()), "max_latency": float(latency.max()),
            "throughput": float(np.sum(lengths)) / float(np.max(finish))}
