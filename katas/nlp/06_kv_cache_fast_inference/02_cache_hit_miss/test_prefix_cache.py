"""Tests for nlp-06-2, the prefix-cache hit/miss visualizer.

Reference: LRU is a stack algorithm, so which keys are cached never depends on the hit/miss
outcomes: before each access the cache holds exactly the `capacity` most recently accessed
distinct keys. The tests replay the stream of block keys with that rule (no cache simulation at
all); with unlimited capacity they use the closed form "a full block hits iff some earlier request
has the same prefix up to the end of that block". Plus the figure's structure and data.
"""
import matplotlib.pyplot as plt
import numpy as np
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_dtype, assert_equal, assert_shape, describe_call


@st.composite
def streams(draw: st.DrawFn) -> tuple[int, list[list[int]]]:
    """Requests built from a few shared segments (system prompts, earlier turns) plus fresh tails."""
    block = draw(st.integers(1, 4), label="block_size")
    vocab = draw(st.integers(1, 3), label="vocab")
    rng = np.random.default_rng(draw(seeds()))
    pool = [rng.integers(0, vocab, size=int(rng.choice([block, 2 * block, block + 1, 3 * block - 1]))).tolist()
            for _ in range(3)]
    requests = []
    for _ in range(draw(st.integers(1, 8), label="n_requests")):
        parts = [pool[i] for i in rng.integers(0, 3, size=int(rng.integers(0, 4)))]
        tail = rng.integers(0, vocab, size=int(rng.integers(0, 2 * block))).tolist()
        requests.append(sum(parts, []) + tail)
    return block, requests


def lru_contents(history: list[tuple], capacity: int) -> list[tuple]:
    """The `capacity` most recently accessed distinct keys, most recent first."""
    out: list[tuple] = []
    for key in reversed(history):
        if len(out) == capacity:
            break
        if key not in out:
            out.append(key)
    return out


def ref_replay(requests: list[list[int]], block: int, capacity: int) -> tuple[list[np.ndarray], list[tuple]]:
    """Hits per request and the final LRU order (least recent first), from access history alone."""
    history: list[tuple] = []
    rows = []
    for req in requests:
        hits = np.zeros(len(req), dtype=bool)
        matching = True
        for j, end in enumerate(range(block, len(req) + 1, block)):
            key = tuple(req[:end])
            matching = matching and key in lru_contents(history, capacity)
            hits[j * block:end] = matching
            history.append(key)
        rows.append(hits)
    return rows, list(reversed(lru_contents(history, capacity)))


def show(requests: list[list[int]]) -> str:
    return "[" + ", ".join("".join(map(str, r)) or "''" for r in requests) + "]"


@given(stream=streams(), capacity=st.integers(0, 6))
@example(stream=(1, [[0], [1], [0], [2], [0]]), capacity=2)        # a hit must refresh recency (LRU, not FIFO)
@example(stream=(1, [[0, 1], [2], [0, 1]]), capacity=2)            # (0, 1) is cached but its parent (0,) is not
@example(stream=(2, [[0, 1, 2, 3], [2, 3, 0, 1]]), capacity=8)     # same block contents after a different prefix
@example(stream=(2, [[0, 1, 2], [0, 1, 2]]), capacity=8)           # the trailing partial block is never cached
@example(stream=(1, [[0, 1, 2], [0, 1, 2]]), capacity=3)           # exactly full
@example(stream=(3, [[1, 1, 1], [1, 1, 1]]), capacity=0)           # caching disabled
def test_hits_and_lru_order_match_the_replayed_access_history(kata, stream, capacity):
    block, requests = stream
    cache = kata.PrefixCache(block, capacity)
    want_rows, want_order = ref_replay(requests, block, capacity)
    for i, req in enumerate(requests):
        call = describe_call(f"PrefixCache({block}, {capacity}).process", req) + f" as request {i} of {show(requests)}"
        got = cache.process(req)
        assert_dtype(got, np.bool_, name="hit mask", call=call)
        assert_shape(got, (len(req),), name="hit mask", call=call)
        assert_equal(got, want_rows[i], name="hit mask (True = K/V reused)", call=call)
    got_order = [tuple(int(t) for t in key) for key in cache.blocks]
    assert got_order == want_order, (
        f"after serving {show(requests)} with block_size={block}, capacity={capacity}, cache.blocks holds "
        f"{got_order} (least recently used first), expected {want_order}")


@given(stream=streams())
@example(stream=(2, [[0, 1, 2, 3], [0, 1, 2, 3, 4], [0, 1, 3, 3]]))
def test_unlimited_capacity_hits_every_previously_seen_block_prefix(kata, stream):
    block, requests = stream
    cache = kata.PrefixCache(block, 10_000)
    for i, req in enumerate(requests):
        got = np.asarray(cache.process(req), dtype=bool)
        want = np.zeros(len(req), dtype=bool)
        for end in range(block, len(req) + 1, block):
            want[end - block:end] = any(len(r) >= end and r[:end] == req[:end] for r in requests[:i])
        call = describe_call(f"PrefixCache({block}, 10000).process", req) + f" as request {i} of {show(requests)}"
        assert_equal(got, want, name="hit mask (a full block hits iff an earlier request shares the prefix up to "
                     "its end)", call=call)


@given(stream=streams(), capacity=st.integers(0, 6))
@example(stream=(2, [[0, 1, 2, 3, 4], [0, 1], [0, 1, 2]]), capacity=4)
@example(stream=(2, []), capacity=4)   # no requests: a 0 x 0 matrix
def test_hit_miss_matrix_pads_with_minus_one(kata, stream, capacity):
    block, requests = stream
    call = describe_call("hit_miss_matrix", show(requests), block, capacity)
    got = kata.hit_miss_matrix(requests, block, capacity)
    assert_dtype(got, np.int8, name="matrix", call=call)
    rows, _ = ref_replay(requests, block, capacity)
    width = max((len(r) for r in requests), default=0)
    want = np.full((len(requests), width), -1)
    for i, row in enumerate(rows):
        want[i, :len(row)] = row
    assert_shape(got, want.shape, name="matrix", call=call)
    assert_equal(got, want, name="matrix (1 hit, 0 miss, -1 padding)", call=call)
    real = want >= 0
    rate = float((want == 1).sum() / real.sum()) if real.any() else 0.0
    got_rate = kata.hit_rate(want)
    assert abs(float(got_rate) - rate) <= 1e-12, (
        f"hit_rate(matrix) returned {float(got_rate)!r}, expected {rate!r} = hits / (hits + misses), padding excluded")


@settings(max_examples=3)  # a figure per example costs ~50 ms; the structure does not depend on the inputs
@given(stream=streams(), capacity=st.integers(1, 6))
@example(stream=(2, [[0, 1, 2, 3], [0, 1, 2, 3, 4], [0, 1]]), capacity=4)
def test_plot_hit_miss(kata, stream, capacity):
    block, requests = stream
    matrix, _ = ref_replay(requests, block, capacity)
    width = max(len(r) for r in requests)
    assume(width > 0)
    mat = np.full((len(requests), width), -1, dtype=np.int8)
    for i, row in enumerate(matrix):
        mat[i, :len(row)] = row
    call = describe_call("plot_hit_miss", mat, block, capacity)
    fig = kata.plot_hit_miss(mat, block, capacity)
    try:
        axes = [ax for ax in fig.axes if ax.get_images()]
        assert len(axes) == 1, f"{call}: {len(axes)} axes hold an image, expected exactly 1"
        ax = axes[0]
        assert len(ax.get_images()) == 1, f"{call}: the axes holds {len(ax.get_images())} images, expected 1"
        assert_close(np.asarray(ax.get_images()[0].get_array(), dtype=np.float64), mat, rtol=0, atol=0,
                     name="image data (the matrix itself, requests as rows)", call=call)
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("token position", "request"), (
            f"{call}: labels x={ax.get_xlabel()!r}, y={ax.get_ylabel()!r}; expected 'token position', 'request'")
        real = mat >= 0
        rate = (mat == 1).sum() / real.sum() if real.any() else 0.0
        want_title = f"prefix cache: block_size={block}, capacity={capacity} blocks, hit rate {rate:.1%}"
        assert ax.get_title() == want_title, f"{call}: title {ax.get_title()!r}, expected {want_title!r}"
    finally:
        plt.close(fig)
