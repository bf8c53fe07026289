"""Tests for dsa-04-3, a binary-heap priority queue driving beam search.

References: heapq with (priority, insertion counter, item) entries for the heap (ties included);
heapq.nlargest for top_k; a beam search that fully sorts every candidate set, and exhaustive search
over every sequence when the beam can hold them all.
"""
import heapq
import itertools

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds

OPS = st.lists(st.one_of(st.tuples(st.just("push"), st.integers(0, 4)), st.just(("pop", None))), max_size=40)


@given(ops=OPS)
@example(ops=[("push", 1), ("push", 1), ("push", 1), ("pop", None), ("pop", None)])  # FIFO among equals
@example(ops=[("push", 3), ("push", 1), ("push", 2), ("push", 0), ("pop", None), ("pop", None), ("pop", None)])
@example(ops=[("pop", None)])
@example(ops=[("push", 0), ("push", 3), ("push", 1), ("pop", None), ("pop", None), ("pop", None)])  # sift up: compare with the PARENT
@example(ops=[("push", 0), ("push", 1), ("push", 0), ("push", 1), ("push", 0)])  # sift up: swap with the PARENT (i-1)//2
def test_heap_matches_heapq(kata, ops):
    heap, ref, count, log = kata.BinaryHeap(), [], 0, []
    assert len(heap) == 0, f"a new heap has len {len(heap)}"
    for op, p in ops:
        if op == "push":
            heap.push(p, f"item{count}")
            heapq.heappush(ref, (p, count, f"item{count}"))
            count += 1
            log.append(f"push({p})")
        elif ref:
            want = heapq.heappop(ref)
            peeked = heap.peek()
            got = heap.pop()
            log.append("pop()")
            assert tuple(peeked) == tuple(got), f"after {log}: peek() = {peeked} but pop() = {got}"
            assert tuple(got) == (want[0], want[2]), (f"after {log}: pop() = {got}, expected {(want[0], want[2])} "
                                                      "(smallest priority; the earliest pushed among equals)")
        else:
            with pytest.raises(IndexError):
                heap.pop()
                pytest.fail(f"after {log}: pop() on an empty heap returned instead of raising IndexError")
            with pytest.raises(IndexError):
                heap.peek()
                pytest.fail(f"after {log}: peek() on an empty heap returned instead of raising IndexError")
        assert len(heap) == len(ref), f"after {log}: len(heap) = {len(heap)}, expected {len(ref)}"
        check_heap_order(heap.entries, log)


def check_heap_order(e: list, log: list) -> None:
    """The invariant of heap.entries (documented in __init__): no child is smaller than its parent."""
    for i in range(1, len(e)):
        parent = (i - 1) // 2
        assert (e[parent][0], e[parent][1]) <= (e[i][0], e[i][1]), (
            f"after {log}: heap order broken at index {i}: entries[{i}] = {e[i]} is smaller than its parent "
            f"entries[{parent}] = {e[parent]}")


@given(scores=st.lists(st.integers(0, 5), max_size=25), k=st.integers(0, 8))
@example(scores=[2, 2, 2, 1], k=2)  # ties: the first two 2s
@example(scores=[1, 2, 3], k=5)  # k larger than the input
@example(scores=[4, 1], k=0)
def test_top_k_matches_nlargest(kata, scores, k):
    scored = [(s, f"x{i}") for i, s in enumerate(scores)]
    got = kata.top_k(iter(scored), k)  # an iterator: one pass only
    want = heapq.nlargest(k, scored, key=lambda p: p[0])
    assert [tuple(p) for p in got] == want, f"top_k({scored}, k={k}) = {got}, expected {want} (best first, ties in input order)"


def test_top_k_rejects_negative_k(kata):
    with pytest.raises(ValueError):
        kata.top_k([(1.0, "a")], -1)
        pytest.fail("top_k(..., k=-1) returned instead of raising ValueError")


def toy_model(seed: int, vocab: int) -> callable:
    """A deterministic random 'language model': log-softmax of scores drawn per prefix."""
    cache = {}

    def next_logprobs(prefix: tuple) -> np.ndarray:
        if prefix not in cache:
            rng = np.random.default_rng([seed, len(prefix), *prefix])
            z = rng.normal(size=vocab) * 2.0
            cache[prefix] = z - np.log(np.exp(z).sum())
        return cache[prefix]
    return next_logprobs


def reference_beam(model: callable, vocab: int, width: int, steps: int) -> list:
    beams = [(0.0, ())]
    for _ in range(steps):
        cands = [(s + float(model(seq)[t]), seq + (t,)) for s, seq in beams for t in range(vocab)]
        beams = sorted(cands, key=lambda c: (-c[0], c[1]))[:width]
    return beams


def check_beams(got: list, want: list, call: str) -> None:
    assert [tuple(b[1]) for b in got] == [b[1] for b in want], (
        f"{call} returned sequences {[tuple(b[1]) for b in got]}, expected {[b[1] for b in want]}")
    assert np.allclose([b[0] for b in got], [b[0] for b in want], rtol=0, atol=1e-9), (
        f"{call} returned scores {[b[0] for b in got]}, expected {[b[0] for b in want]} (sums of log-probabilities)")


@given(seed=seeds(), vocab=st.integers(2, 4), width=st.integers(1, 5), steps=st.integers(0, 4))
@example(seed=0, vocab=3, width=1, steps=3)  # greedy decoding
@example(seed=1, vocab=2, width=3, steps=0)  # no steps: the empty sequence
@example(seed=6, vocab=3, width=2, steps=3)  # a prefix pruned at step 2 would have won: prune across ALL beams
def test_beam_search_matches_sorting_reference(kata, seed, vocab, width, steps):
    model = toy_model(seed, vocab)
    got = kata.beam_search(model, width, steps)
    check_beams(got, reference_beam(model, vocab, width, steps), f"beam_search(V={vocab}, beam_width={width}, steps={steps})")


@given(seed=seeds())
def test_a_wide_beam_is_exhaustive_search(kata, seed):
    vocab, steps = 3, 3
    model = toy_model(seed, vocab)
    every = [(sum(float(model(seq[:i])[seq[i]]) for i in range(steps)), seq) for seq in itertools.product(range(vocab), repeat=steps)]
    want = sorted(every, key=lambda c: (-c[0], c[1]))[:5]
    got = kata.beam_search(model, vocab ** steps, steps)[:5]
    check_beams(got, want, "beam_search(V=3, beam_width=27, steps=3) (wide enough to be exhaustive)")


def test_ties_across_beams_go_to_the_smaller_tuple(kata):
    """(1,) outranks (0,), and (0, 0) ties (1, 0) at log .4 + log .6: the smaller tuple (0, 0) is kept."""
    table = {(): [0.4, 0.6], (0,): [0.6, 0.4], (1,): [0.4, 0.6]}
    got = kata.beam_search(lambda prefix: np.log(np.array(table[prefix])), 2, 2)
    assert [tuple(b[1]) for b in got] == [(1, 1), (0, 0)], f"beam_search(beam_width=2, steps=2) = {got}, expected [(1, 1), (0, 0)]"


def test_beam_search_ties_and_errors(kata):
    flat = lambda prefix: np.log(np.full(2, 0.5))  # noqa: E731  every sequence equally likely
    got = kata.beam_search(flat, 3, 2)
    assert [tuple(b[1]) for b in got] == [(0, 0), (0, 1), (1, 0)], f"beam_search on a uniform model = {got}: equal scores go by the smaller tuple"
    for width, steps in ((0, 2), (2, -1)):
        with pytest.raises(ValueError):
            kata.beam_search(flat, width, steps)
            pytest.fail(f"beam_search(beam_width={width}, steps={steps}) returned instead of raising ValueError")
