"""dsa-04-3: a binary-heap priority queue, top-k and beam search. Edit this file;
`grader check dsa-04-3` tests it."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np


class BinaryHeap:
    """A min-heap of (priority, item); equal priorities come out in insertion order. No heapq."""

    def __init__(self) -> None:
        self.entries: list[tuple[Any, int, Any]] = []  # (priority, insertion counter, item), heap-ordered
        self.counter = 0

    def push(self, priority: Any, item: Any) -> None:
        """Add item with priority: append, then sift up."""
        raise NotImplementedError("push: append (priority, counter, item), swap with the parent while smaller")

    def pop(self) -> tuple[Any, Any]:
        """Remove and return (priority, item) with the smallest priority (the earliest pushed on a tie).

        Raises:
            IndexError: if the heap is empty.
        """
        raise NotImplementedError("pop: move the last entry to the root, sift down towards the smaller child")

    def peek(self) -> tuple[Any, Any]:
        """(priority, item) that pop would return, without removing it.

        Raises:
            IndexError: if the heap is empty.
        """
        raise NotImplementedError("peek: the root")

    def __len__(self) -> int:
        """The number of entries."""
        raise NotImplementedError("__len__")


def top_k(scored: Iterable[tuple[float, Any]], k: int) -> list[tuple[float, Any]]:
    """The k (score, item) pairs with the largest scores, best first, equal scores in input order
    (heapq.nlargest's order), keeping a BinaryHeap of at most k entries.

    Raises:
        ValueError: if k < 0.
    """
    raise NotImplementedError("top_k: a min-heap of the k best so far; a better one replaces the root")


def beam_search(next_logprobs: Callable[[tuple[int, ...]], np.ndarray], beam_width: int,
                steps: int) -> list[tuple[float, tuple[int, ...]]]:
    """Beam search from the empty prefix: at each of `steps` steps extend every beam by every token
    and keep the beam_width best candidates (score = sum of log-probabilities). Returns the final
    beams as (score, tokens) pairs, best first, equal scores by the smaller token tuple first.

    Shapes:
        next_logprobs(prefix) -> (V,) log-probabilities of the next token

    Raises:
        ValueError: if beam_width < 1 or steps < 0.
    """
    raise NotImplementedError("beam_search: expand every beam, keep the top beam_width with top_k")
