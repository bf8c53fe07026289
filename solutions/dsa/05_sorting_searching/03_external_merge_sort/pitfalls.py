"""Plausible wrong external sorts that the tests must reject."""
from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from external_sort import FileRunStore


def _runs(source: Iterable[int], memory: int, store: FileRunStore) -> list[int]:
    it, runs = iter(source), []
    while chunk := list(itertools.islice(it, memory)):
        runs.append(store.write(sorted(chunk)))
    return runs


@pitfall(replaces="external_sort", why="sorts the whole input in memory: correct, but far over the budget")
def in_memory(source: Iterable[int], memory: int, store: FileRunStore) -> Iterator[int]:
    if memory < 2:
        raise ValueError("memory")
    return iter(sorted(source))


@pitfall(replaces="external_sort", why="merges every run at once, however many there are: the heap outgrows the budget")
def unbounded_fan_in(source: Iterable[int], memory: int, store: FileRunStore) -> Iterator[int]:
    if memory < 2:
        raise ValueError("memory")

    def gen() -> Iterator[int]:
        runs = _runs(source, memory, store)
        yield from heapq.merge(*(store.read(r) for r in runs))
        for r in runs:
            store.delete(r)
    return gen()


@pitfall(replaces="external_sort", why="merges two runs at a time: log2(runs) passes instead of log_memory(runs)")
def binary_merges(source: Iterable[int], memory: int, store: FileRunStore) -> Iterator[int]:
    if memory < 2:
        raise ValueError("memory")

    def gen() -> Iterator[int]:
        runs = _runs(source, memory, store)
        while len(runs) > 2:
            a, b, runs = runs[0], runs[1], runs[2:]
            runs.append(store.write(heapq.merge(store.read(a), store.read(b))))
            store.delete(a)
            store.delete(b)
        yield from heapq.merge(*(store.read(r) for r in runs))
        for r in runs:
            store.delete(r)
    return gen()


@pitfall(replaces="external_sort", why="never deletes its runs: the disk fills up with temporary files")
def leaks_runs(source: Iterable[int], memory: int, store: FileRunStore) -> Iterator[int]:
    if memory < 2:
        raise ValueError("memory")

    def gen() -> Iterator[int]:
        runs = _runs(source, memory, store)
        while len(runs) > memory:
            runs = [store.write(heapq.merge(*(store.read(r) for r in runs[g:g + memory]))) for g in range(0, len(runs), memory)]
        yield from heapq.merge(*(store.read(r) for r in runs))
    return gen()


@pitfall(replaces="external_sort", why="a generator function: memory < 2 is only noticed at the first next(), after the call returned")
def lazy_validation(source: Iterable[int], memory: int, store: FileRunStore) -> Iterator[int]:
    if memory < 2:
        raise ValueError("memory")
    runs = _runs(source, memory, store)
    while len(runs) > memory:
        nxt = []
        for g in range(0, len(runs), memory):
            group = runs[g:g + memory]
            nxt.append(store.write(heapq.merge(*(store.read(r) for r in group))))
            for r in group:
                store.delete(r)
        runs = nxt
    yield from heapq.merge(*(store.read(r) for r in runs))
    for r in runs:
        store.delete(r)
