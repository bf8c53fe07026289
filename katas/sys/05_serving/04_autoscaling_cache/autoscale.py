"""sys-05-4: an autoscaled model server behind a response cache, in simulation.
Edit this file; `grader check sys-05-4` tests it."""
from __future__ import annotations

import math  # noqa: F401 - you will need it
from collections import OrderedDict, deque  # noqa: F401 - you will need them

import numpy as np


class LRUCache:
    """A least-recently-used cache of at most `capacity` entries (0: it stores nothing).

    get(key) returns the value and makes key the most recently used, counting a hit; or returns None
    and counts a miss. put(key, value) stores (or overwrites) the value, makes key the most recently
    used and, beyond capacity, evicts the least recently used entry. keys() lists the keys, least
    recently used first. hits and misses are the counts so far.

    Raises:
        ValueError: (constructor) if capacity < 0.
    """

    def __init__(self, capacity: int) -> None:
        raise NotImplementedError("LRUCache.__init__")

    def get(self, key: str) -> object | None:
        raise NotImplementedError("LRUCache.get")

    def put(self, key: str, value: object) -> None:
        raise NotImplementedError("LRUCache.put")

    def keys(self) -> list[str]:
        raise NotImplementedError("LRUCache.keys")


def desired_replicas(demand: float, per_replica_rate: int, target_utilization: float, min_replicas: int,
                     max_replicas: int) -> int:
    """Target tracking: enough replicas to serve `demand` requests per tick at target_utilization of
    their rate, ceil(demand / (per_replica_rate * target_utilization)), clamped to [min, max].

    Raises:
        ValueError: if per_replica_rate < 1, target_utilization is not in (0, 1], min_replicas < 0 or
            max_replicas < min_replicas.
    """
    raise NotImplementedError("desired_replicas")


def simulate(requests: list[list[str]], cache_capacity: int, per_replica_rate: int, target_utilization: float,
             min_replicas: int, max_replicas: int, warmup_ticks: int) -> dict[str, np.ndarray]:
    """Tick-by-tick simulation; requests[t] are the prompts arriving in tick t. Start with min_replicas
    active replicas, nothing pending, an empty LRUCache(cache_capacity) and an empty FIFO queue.
    In tick t:
      1. pending replicas whose ready tick is t become active;
      2. each arriving prompt, in order: a cache hit is answered at once; a miss joins the queue;
      3. the active replicas serve min(len(queue), active * per_replica_rate) prompts from the front
         of the queue; each served answer is put into the cache (answers are cached when computed, so
         a repeat of a prompt still waiting is a miss);
      4. record active, queue (its length now), hits, misses, served;
      5. autoscale: desired = desired_replicas(misses + len(queue), ...); provisioned = active +
         pending. Scale up: desired - provisioned new replicas, ready at tick t + 1 + warmup_ticks.
         Scale down: cancel pending replicas first (those that would be ready latest), then remove
         active ones, until provisioned == desired.
    requests is not modified.

    Returns:
        {"active", "queue", "hits", "misses", "served"}: int64 arrays, one entry per tick.

    Raises:
        ValueError: if warmup_ticks < 0, or as desired_replicas for the autoscaler settings.
    """
    raise NotImplementedError("simulate")
