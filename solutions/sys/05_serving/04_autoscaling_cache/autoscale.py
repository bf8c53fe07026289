"""Reference solution for sys-05-4."""
from __future__ import annotations

import math
from collections import OrderedDict, deque

import numpy as np


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError(f"capacity must be >= 0, got {capacity}")
        self.capacity = capacity
        self.hits = 0
        self.misses = 0
        self._data: OrderedDict[str, object] = OrderedDict()

    def get(self, key: str) -> object | None:
        if key in self._data:
            self._data.move_to_end(key)
            self.hits += 1
            return self._data[key]
        self.misses += 1
        return None

    def put(self, key: str, value: object) -> None:
        if self.capacity == 0:
            return
        self._data[key] = value
        self._data.move_to_end(key)
        if len(self._data) > self.capacity:
            self._data.popitem(last=False)

    def keys(self) -> list[str]:
        return list(self._data)


def desired_replicas(demand: float, per_replica_rate: int, target_utilization: float, min_replicas: int,
                     max_replicas: int) -> int:
    if per_replica_rate < 1 or not 0 < target_utilization <= 1 or min_replicas < 0 or max_replicas < min_replicas:
        raise ValueError("bad autoscaler settings")
    want = math.ceil(demand / (per_replica_rate * target_utilization))
    return min(max(want, min_replicas), max_replicas)


def simulate(requests: list[list[str]], cache_capacity: int, per_replica_rate: int, target_utilization: float,
             min_replicas: int, max_replicas: int, warmup_ticks: int) -> dict[str, np.ndarray]:
    if warmup_ticks < 0:
        raise ValueError("warmup_ticks must be >= 0")
    desired_replicas(0, per_replica_rate, target_utilization, min_replicas, max_replicas)
    cache = LRUCache(cache_capacity)
    queue: deque[str] = deque()
    active, pending = min_replicas, []
    out = {name: [] for name in ("active", "queue", "hits", "misses", "served")}
    for t, arriving in enumerate(requests):
        active += sum(1 for ready in pending if ready == t)
        pending = [ready for ready in pending if ready != t]
        hits = misses = 0
        for key in arriving:
            if cache.get(key) is None:
                misses += 1
                queue.append(key)
            else:
                hits += 1
        served = min(len(queue), active * per_replica_rate)
        for _ in range(served):
            cache.put(queue.popleft(), True)
        for name, value in (("active", active), ("queue", len(queue)), ("hits", hits), ("misses", misses),
                            ("served", served)):
            out[name].append(value)
        desired = desired_replicas(misses + len(queue), per_replica_rate, target_utilization, min_replicas, max_replicas)
        provisioned = active + len(pending)
        if desired > provisioned:
            pending += [t + 1 + warmup_ticks] * (desired - provisioned)
        elif desired < provisioned:
            drop = provisioned - desired
            cancel = min(drop, len(pending))
            pending = sorted(pending)[: len(pending) - cancel]
            active -= drop - cancel
    return {name: np.asarray(values, dtype=np.int64) for name, values in out.items()}
