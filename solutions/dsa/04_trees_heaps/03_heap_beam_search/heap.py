"""Reference solution for dsa-04-3."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np


class BinaryHeap:
    """A min-heap of (priority, item); equal priorities come out in insertion order. No heapq."""

    def __init__(self) -> None:
        self.entries: list[tuple[Any, int, Any]] = []  # (priority, insertion counter, item), heap-ordered
        self.counter = 0

    def _less(self, i: int, j: int) -> bool:
        a, b = self.entries[i], self.entries[j]
        return (a[0], a[1]) < (b[0], b[1])

    def push(self, priority: Any, item: Any) -> None:
        e = self.entries
        e.append((priority, self.counter, item))
        self.counter += 1
        i = len(e) - 1
        while i > 0 and self._less(i, (i - 1) // 2):
            parent = (i - 1) // 2
            e[i], e[parent] = e[parent], e[i]
            i = parent

    def pop(self) -> tuple[Any, Any]:
        e = self.entries
        if not e:
            raise IndexError("pop from an empty heap")
        top = e[0]
        last = e.pop()
        if e:
            e[0] = last
            i, n = 0, len(e)
            while True:
                smallest, left, right = i, 2 * i + 1, 2 * i + 2
                if left < n and self._less(left, smallest):
                    smallest = left
                if right < n and self._less(right, smallest):
                    smallest = right
                if smallest == i:
                    break
                e[i], e[smallest] = e[smallest], e[i]
                i = smallest
        return top[0], top[2]

    def peek(self) -> tuple[Any, Any]:
        if not self.entries:
            raise IndexError("peek at an empty heap")
        return self.entries[0][0], self.entries[0][2]

    def __len__(self) -> int:
        return len(self.entries)


def top_k(scored: Iterable[tuple[float, Any]], k: int) -> list[tuple[float, Any]]:
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    heap = BinaryHeap()
    if k == 0:
        return []
    for index, (score, item) in enumerate(scored):
        key = (score, -index)
        if len(heap) < k:
            heap.push(key, item)
        elif key > heap.peek()[0]:
            heap.pop()
            heap.push(key, item)
    out = []
    while len(heap):
        (score, _), item = heap.pop()
        out.append((score, item))
    return out[::-1]


def beam_search(next_logprobs: Callable[[tuple[int, ...]], np.ndarray], beam_width: int,
                steps: int) -> list[tuple[float, tuple[int, ...]]]:
    if beam_width < 1 or steps < 0:
        raise ValueError("beam_width must be >= 1 and steps >= 0")
    beams: list[tuple[float, tuple[int, ...]]] = [(0.0, ())]
    for _ in range(steps):
        candidates = ((score + float(lp), seq + (t,)) for score, seq in beams
                      for t, lp in enumerate(next_logprobs(seq)))
        # top_k keeps input order on ties; feed candidates sorted by tuple so ties go to the smaller tuple
        best = top_k(((s, seq) for s, seq in sorted(candidates, key=lambda c: c[1])), beam_width)
        beams = [(s, seq) for s, seq in best]
    return beams
