"""Plausible wrong heaps, top-k and beam searches that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from heap import BinaryHeap, top_k


@pitfall(replaces="BinaryHeap.pop", why="sifts down towards the LARGER child: the heap order breaks below the root")
def larger_child(self: BinaryHeap) -> tuple[Any, Any]:
    e = self.entries
    if not e:
        raise IndexError("empty")
    top, last = e[0], e.pop()
    if e:
        e[0] = last
        i, n = 0, len(e)
        while True:
            kids = [c for c in (2 * i + 1, 2 * i + 2) if c < n]
            if not kids:
                break
            c = max(kids, key=lambda j: (e[j][0], e[j][1]))
            if (e[c][0], e[c][1]) < (e[i][0], e[i][1]):
                e[i], e[c] = e[c], e[i]
                i = c
            else:
                break
    return top[0], top[2]


@pitfall(replaces="BinaryHeap.push", why="no insertion counter: equal priorities come out in arbitrary order, not FIFO")
def no_counter(self: BinaryHeap, priority: Any, item: Any) -> None:
    e = self.entries
    e.append((priority, 0, item))
    i = len(e) - 1
    while i > 0 and e[i][0] <= e[(i - 1) // 2][0]:
        p = (i - 1) // 2
        e[i], e[p] = e[p], e[i]
        i = p


@pitfall(replaces="top_k", why="evicts the newest on a tie: keeps the LAST of equal scores, not the first")
def ties_keep_last(scored: Iterable[tuple[float, Any]], k: int) -> list[tuple[float, Any]]:
    if k < 0:
        raise ValueError("k")
    heap = BinaryHeap()
    if k == 0:
        return []
    for index, (score, item) in enumerate(scored):
        if len(heap) < k:
            heap.push((score, index), item)
        elif (score, index) > heap.peek()[0]:
            heap.pop()
            heap.push((score, index), item)
    out = []
    while len(heap):
        (score, _), item = heap.pop()
        out.append((score, item))
    return sorted(out, key=lambda p: -p[0])


@pitfall(replaces="top_k", why="returns the k best worst-first (forgets to reverse the min-heap's pops)")
def worst_first(scored: Iterable[tuple[float, Any]], k: int) -> list[tuple[float, Any]]:
    if k < 0:
        raise ValueError("k")
    heap = BinaryHeap()
    if k == 0:
        return []
    for index, (score, item) in enumerate(scored):
        if len(heap) < k:
            heap.push((score, -index), item)
        elif (score, -index) > heap.peek()[0]:
            heap.pop()
            heap.push((score, -index), item)
    out = []
    while len(heap):
        (score, _), item = heap.pop()
        out.append((score, item))
    return out


@pitfall(replaces="beam_search", why="keeps the best beam_width extensions of EACH beam, not of all candidates together")
def per_beam(next_logprobs: Callable[[tuple[int, ...]], np.ndarray], beam_width: int,
             steps: int) -> list[tuple[float, tuple[int, ...]]]:
    if beam_width < 1 or steps < 0:
        raise ValueError("args")
    beams = [(0.0, ())]
    for _ in range(steps):
        nxt = []
        for score, seq in beams:
            cands = sorted(((score + float(lp), seq + (t,)) for t, lp in enumerate(next_logprobs(seq))), key=lambda c: c[1])
            nxt.extend(top_k(cands, beam_width))
        beams = sorted(nxt, key=lambda c: (-c[0], c[1]))
    return beams[:beam_width] if steps else beams


@pitfall(replaces="beam_search", why="ranks candidates by the last token's log-probability only, not the running sum")
def last_token_only(next_logprobs: Callable[[tuple[int, ...]], np.ndarray], beam_width: int,
                    steps: int) -> list[tuple[float, tuple[int, ...]]]:
    if beam_width < 1 or steps < 0:
        raise ValueError("args")
    beams = [(0.0, 0.0, ())]
    for _ in range(steps):
        cands = [(float(lp), s + float(lp), seq + (t,)) for _, s, seq in beams for t, lp in enumerate(next_logprobs(seq))]
        beams = sorted(cands, key=lambda c: (-c[0], c[2]))[:beam_width]
    return sorted(((s, seq) for _, s, seq in beams), key=lambda c: (-c[0], c[1]))
