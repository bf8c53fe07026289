"""Tests for dsa-05-3, external merge sort.

References: sorted() on the full data; a store that counts, at every read, write and yield, the
items the sorter holds (taken from the input or a run, not yet written or yielded) against the
memory budget; the items written against the bound of one pass per merge level with fan-in
`memory`; and the runs left in the store afterwards.
"""
import math
import tempfile

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds


def passes_bound(n: int, memory: int) -> int:
    """Items written by run formation plus every intermediate merge pass with fan-in `memory`."""
    runs, written = math.ceil(n / memory), n
    while runs > memory:
        runs, written = math.ceil(runs / memory), written + n
    return written


def run_sort(kata, data: list, memory: int) -> tuple:
    """Sort data with the learner's external_sort and a counting store; returns (output, peak, written, left)."""
    stats = {"held": 0, "peak": 0, "written": 0}

    def took() -> None:
        stats["held"] += 1
        stats["peak"] = max(stats["peak"], stats["held"])
        assert stats["held"] <= memory, (f"external_sort(n={len(data)}, memory={memory}) holds {stats['held']} items "
                                         "(taken from the input or a run, not yet written or yielded): over the budget")

    def source():
        for x in data:
            took()
            yield x

    with tempfile.TemporaryDirectory() as tmp:
        class CountingStore(kata.FileRunStore):
            def write(self, items):
                def counted():
                    for x in items:
                        stats["held"] -= 1
                        stats["written"] += 1
                        yield x
                return super().write(counted())

            def read(self, run_id):
                for x in super().read(run_id):
                    took()
                    yield x

        store = CountingStore(tmp)
        out = []
        for x in kata.external_sort(source(), memory, store):
            stats["held"] -= 1
            out.append(x)
        return out, stats["peak"], stats["written"], sorted(store.live)


@given(seed=seeds(), n=st.integers(0, 120), memory=st.integers(2, 12))
@example(seed=0, n=0, memory=2)
@example(seed=0, n=1, memory=2)
@example(seed=0, n=24, memory=4)  # an exact multiple of memory: no empty last run
@example(seed=0, n=100, memory=3)  # 34 runs > 3: several merge passes
@settings(max_examples=20)
def test_sorts_within_the_memory_budget(kata, seed, n, memory):
    data = np.random.default_rng(seed).integers(-20, 20, size=n).tolist()  # duplicates
    out, peak, written, left = run_sort(kata, data, memory)
    assert out == sorted(data), f"external_sort(n={n}, memory={memory}) returned {out[:12]}..., not the sorted input"
    assert left == [], f"external_sort(n={n}, memory={memory}) left runs {left} in the store: delete every run you wrote"
    bound = passes_bound(n, memory)
    assert written <= bound, (f"external_sort(n={n}, memory={memory}) wrote {written} items; merging {memory} runs at a time "
                              f"needs at most {bound} (each pass writes n): is the fan-in only 2, or the last merge written to disk?")


def test_larger_than_memory_and_presorted_inputs(kata):
    for data in (list(range(300)), list(range(300, 0, -1)), [5] * 300):
        out, peak, written, left = run_sort(kata, data, 16)
        assert out == sorted(data), "external_sort(300 items, memory=16) did not sort a sorted / reversed / constant input"
        assert peak >= 2, "external_sort never held an item? (the counts look wrong)"
        assert written <= passes_bound(300, 16) and left == []


def test_memory_below_two_raises_on_the_call(kata):
    pulled = []

    def source():
        pulled.append(1)
        yield 1
    with tempfile.TemporaryDirectory() as tmp:
        with pytest.raises(ValueError):
            kata.external_sort(source(), 1, kata.FileRunStore(tmp))
            pytest.fail("external_sort(memory=1) returned instead of raising ValueError on the call")
    assert not pulled, "external_sort(memory=1) read the input before raising"
