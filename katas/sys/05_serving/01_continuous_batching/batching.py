"""sys-05-1: a continuous-batching scheduler vs static batching, in a discrete-event simulator.
Edit this file; `grader check sys-05-1` tests it."""
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
    """Static (request-level) batching. Time starts at 0. Whenever the engine is idle it takes, in
    FCFS order, up to max_batch requests that have arrived (if none has, it first waits for the next
    arrival) and runs them as one batch: every iteration (step_time long) makes one token of each,
    and the batch ends, and all its requests finish, when its longest request has all its tokens
    (lengths[i] tokens each). Requests arriving meanwhile wait. Inputs are not modified.

    Shapes:
        arrivals: (n,) float, lengths: (n,) int >= 1; returns finish times (n,) float64, by request

    Raises:
        ValueError: (through fcfs_order) for an empty or inconsistent workload, lengths < 1,
            arrivals < 0, max_batch < 1 or step_time <= 0.
    """
    raise NotImplementedError("simulate_static")


def simulate_continuous(arrivals: np.ndarray, lengths: np.ndarray, max_batch: int, step_time: float = 1.0) -> np.ndarray:
    """Continuous (iteration-level) batching, as in Orca and vLLM. Time starts at 0. Before every
    iteration, arrived requests are admitted in FCFS order while fewer than max_batch are running (if
    nothing runs and nothing has arrived, the engine first waits for the next arrival). An iteration
    (step_time long) makes one token of every running request; a request finishes at the end of the
    iteration that makes its last token, and its slot is free for the next iteration. Inputs are not
    modified.

    Shapes and Raises: as simulate_static.
    """
    raise NotImplementedError("simulate_continuous")


def summarize(arrivals: np.ndarray, lengths: np.ndarray, finish: np.ndarray) -> dict[str, float]:
    """{"mean_latency", "max_latency"} of finish - arrival, and "throughput": the total tokens divided
    by the span from the first arrival to the last finish. Inputs are not modified."""
    raise NotImplementedError("summarize")
