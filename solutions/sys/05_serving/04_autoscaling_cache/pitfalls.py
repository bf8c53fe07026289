"""Plausible wrong versions of the cache and the autoscaler that the tests must reject."""
from __future__ import annotations

import math
from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from autoscale import LRUCache, desired_replicas


@pitfall(replaces="LRUCache.get", why="a hit does not refresh the key's recency: FIFO eviction, not LRU")
def fifo_get(self: LRUCache, key: str) -> object | None:
    if key in self._data:
        self.hits += 1
        return self._data[key]
    self.misses += 1
    return None


@pitfall(replaces="LRUCache.put", why="evicts the most recently used entry instead of the least")
def evicts_newest(self: LRUCache, key: str, value: object) -> None:
    if self.capacity == 0:
        return
    if key not in self._data and len(self._data) >= self.capacity:
        self._data.popitem(last=True)
    self._data[key] = value
    self._data.move_to_end(key)


@pitfall(replaces="desired_replicas", why="rounds down: a demand of 4.5 replicas gets 4")
def floor_replicas(demand: float, per_replica_rate: int, target_utilization: float, min_replicas: int,
                   max_replicas: int) -> int:
    if per_replica_rate < 1 or not 0 < target_utilization <= 1 or min_replicas < 0 or max_replicas < min_replicas:
        raise ValueError("bad settings")
    return min(max(math.floor(demand / (per_replica_rate * target_utilization)), min_replicas), max_replicas)


@pitfall(replaces="desired_replicas", why="ignores the target utilisation: replicas run at 100 % with no headroom")
def no_headroom(demand: float, per_replica_rate: int, target_utilization: float, min_replicas: int,
                max_replicas: int) -> int:
    if per_replica_rate < 1 or not 0 < target_utilization <= 1 or min_replicas < 0 or max_replicas < min_replicas:
        raise ValueError("bad settings")
    return min(max(math.ceil(demand / per_replica_rate), min_replicas), max_replicas)


@pitfall(replaces="simulate", why="new replicas are ready at t + warmup_ticks: one tick too early")
def warmup_off_by_one(requests: list[list[str]], cache_capacity: int, per_replica_rate: int, target_utilization: float,
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
            pending += [t + warmup_ticks] * (desired - provisioned)
        elif desired < provisioned:
            drop = provisioned - desired
            cancel = min(drop, len(pending))
            pending = sorted(pending)[: len(pending) - cancel]
            active -= drop - cancel
    return {name: np.asarray(values, dtype=np.int64) for name, values in out.items()}


@pitfall(replaces="simulate", why="caches a prompt when it arrives, before it is answered: its repeats in the queue become hits")
def caches_on_arrival(requests: list[list[str]], cache_capacity: int, per_replica_rate: int, target_utilization: float,
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
                cache.put(key, True)
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


@pitfall(replaces="simulate", why="scales down by removing active replicas while slow-starting ones stay pending")
def never_cancels_pending(requests: list[list[str]], cache_capacity: int, per_replica_rate: int, target_utilization: float,
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
            cancel = 0
            pending = sorted(pending)[: len(pending) - cancel]
            active -= drop - cancel
    return {name: np.asarray(values, dtype=np.int64) for name, values in out.items()}


@pitfall(replaces="simulate", why="scales on this tick's misses only: a backlog never asks for more replicas")
def demand_without_backlog(requests: list[list[str]], cache_capacity: int, per_replica_rate: int, target_utilization: float,
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
        desired = desired_replicas(misses, per_replica_rate, target_utilization, min_replicas, max_replicas)
        provisioned = active + len(pending)
        if desired > provisioned:
            pending += [t + 1 + warmup_ticks] * (desired - provisioned)
        elif desired < provisioned:
            drop = provisioned - desired
            cancel = min(drop, len(pending))
            pending = sorted(pending)[: len(pending) - cancel]
            active -= drop - cancel
    return {name: np.asarray(values, dtype=np.int64) for name, values in out.items()}
