"""Tests for ret-02-2, an HNSW graph index.

References: faiss.IndexFlatL2 for the exact neighbours; beam search must be exact on graphs where
the answer is known (a complete graph, a chain of points on a line); the built graph must have the
structure the algorithm prescribes (levels from the seeded draws, capped symmetric-by-insertion links,
a complete layer 0 when n <= M + 1); and on Gaussian data the recall@k-against-efSearch curve must
track faiss.IndexHNSWFlat built with the same M and efConstruction.
"""
import math

import faiss
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

faiss.omp_set_num_threads(1)   # tiny indexes: threads only add overhead on a shared 2-core machine


def points(seed: int, n: int, d: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32)


def exact(x: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All points sorted by squared distance to q, in float64 (ties by id)."""
    d = ((x.astype(np.float64) - q) ** 2).sum(axis=1)
    order = np.argsort(d, kind="stable")
    return d[order], order


def hand_index(kata, x: np.ndarray, layers: list[dict[int, list[int]]]):   # noqa: ANN001, ANN201
    return kata.HNSW(vectors=x, M=4, ef_construction=8, m_l=1 / math.log(4), layers=layers, entry_point=0)


def check_found(found: list, x: np.ndarray, q: np.ndarray, count: int, call: str) -> None:
    want_d, want_i = exact(x, q)
    assert len(found) == count, f"{call} returned {len(found)} pairs, expected {count}: {found}"
    got_d = [float(d) for d, _ in found]
    got_i = [int(i) for _, i in found]
    assert_equal(got_i, want_i[:count], name="ids (nearest first)", call=call)
    assert_close(got_d, want_d[:count], rtol=1e-12, atol=1e-12, name="distances", call=call)


@given(seed=seeds(), m_l=st.sampled_from([1 / math.log(2), 1 / math.log(4), 1 / math.log(16), 0.5, 3.0]))
def test_random_level_formula(kata, seed, m_l):
    rng, ref = np.random.default_rng(seed), np.random.default_rng(seed)
    got = [kata.random_level(rng, m_l) for _ in range(30)]
    want = [math.floor(-math.log(1.0 - ref.random()) * m_l) for _ in range(30)]
    assert got == want, f"random_level(rng, m_l={m_l:.4g}) x 30 gave {got}, expected {want}"


@given(seed=seeds(), n=st.integers(1, 12), d=st.integers(1, 4), ef=st.integers(1, 14), n_entry=st.integers(1, 3))
@example(seed=0, n=5, d=2, ef=5, n_entry=1)
@example(seed=1, n=6, d=3, ef=2, n_entry=3)
def test_search_layer_is_exact_on_a_complete_graph(kata, seed, n, d, ef, n_entry):
    x = points(seed, n, d)
    q = np.random.default_rng(seed + 1).standard_normal(d)
    entries = list(np.random.default_rng(seed + 2).permutation(n)[:n_entry].tolist())
    index = hand_index(kata, x, [{i: [j for j in range(n) if j != i] for i in range(n)}])
    call = describe_call("search_layer", "complete graph", q, entries, ef, 0)
    check_found(kata.search_layer(index, q, entries, ef, 0), x, q, min(ef, n), call)


@given(seed=seeds(), n=st.integers(2, 15), ef=st.integers(1, 5), start=st.sampled_from(["first", "last", "random"]))
@example(seed=0, n=10, ef=1, start="first")
def test_search_layer_walks_a_chain(kata, seed, n, ef, start):
    """Points on a line, each linked to its two neighbours: greedy search must walk to the query."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-10, 10, n)).reshape(n, 1).astype(np.float32)
    q = rng.uniform(-12, 12, 1)
    entry = {"first": 0, "last": n - 1, "random": int(rng.integers(n))}[start]
    chain = {i: [j for j in (i - 1, i + 1) if 0 <= j < n] for i in range(n)}
    index = hand_index(kata, x, [chain])
    call = describe_call("search_layer", f"chain of {n}", q, [entry], ef, 0)
    check_found(kata.search_layer(index, q, [entry], ef, 0), x, q, min(ef, n), call)


@given(seed=seeds(), n=st.integers(2, 8), ef=st.integers(1, 8))
def test_search_layer_uses_the_requested_layer(kata, seed, n, ef):
    x = points(seed, n, 2)
    q = np.zeros(2)
    complete = {i: [j for j in range(n) if j != i] for i in range(n)}
    isolated = {i: [] for i in range(n)}
    index = hand_index(kata, x, [complete, isolated])
    found = kata.search_layer(index, q, [0], ef, 1)
    want = [(index.distance(q, 0), 0)]
    call = describe_call("search_layer", "layers [complete, no links]", q, [0], ef, 1)
    assert [(round(float(d), 9), int(i)) for d, i in found] == [(round(want[0][0], 9), 0)], (
        f"{call} returned {found}, expected only the entry point {want}: layer 1 has no links")
    check_found(kata.search_layer(index, q, [0], ef, 0), x, q, min(ef, n), call.replace(", 1)", ", 0)"))


def levels_of(index) -> list[int]:   # noqa: ANN001
    return [max(lev for lev, layer in enumerate(index.layers) if i in layer) for i in range(len(index.vectors))]


@given(seed=seeds(), n=st.integers(1, 40), M=st.integers(2, 5), ef_c=st.integers(1, 12))
@settings(max_examples=20)
@example(seed=3, n=30, M=2, ef_c=4)
def test_build_structure(kata, seed, n, M, ef_c):
    x = points(seed, n, 3)
    call = describe_call("build", x, M=M, ef_construction=ef_c, seed=seed)
    index = kata.build(x, M=M, ef_construction=ef_c, seed=seed)
    rng = np.random.default_rng(seed)
    m_l = 1 / math.log(M)
    want_levels = [math.floor(-math.log(1.0 - rng.random()) * m_l) for _ in range(n)]
    assert_equal(levels_of(index), want_levels, name="top layer of each node (one random_level draw per insert)", call=call)
    assert len(index.layers) == max(want_levels) + 1, f"{call} has {len(index.layers)} layers, expected {max(want_levels) + 1}"
    top = len(index.layers) - 1
    assert index.entry_point in index.layers[top], f"{call}: entry point {index.entry_point} is not in the top layer"
    assert index.entry_point == want_levels.index(max(want_levels)), (
        f"{call}: entry point {index.entry_point}, expected the first node that reached the top layer")
    for lev, layer in enumerate(index.layers):
        cap = 2 * M if lev == 0 else M
        for i, links in layer.items():
            assert len(links) <= cap, f"{call}: node {i} has {len(links)} links in layer {lev}, the cap is {cap}"
            assert i not in links, f"{call}: node {i} links to itself in layer {lev}"
            assert len(set(links)) == len(links), f"{call}: node {i} has duplicate links {links} in layer {lev}"
            assert all(j in layer for j in links), f"{call}: node {i} links to nodes outside layer {lev}: {links}"


@given(seed=seeds(), M=st.integers(2, 5), d=st.integers(1, 4), data=st.data())
def test_small_index_has_a_complete_layer_zero(kata, seed, M, d, data):
    """With n <= M + 1 nothing is ever pruned: every node links to every other in layer 0."""
    n = data.draw(st.integers(1, M + 1))
    x = points(seed, n, d)
    index = kata.build(x, M=M, ef_construction=n, seed=seed)
    call = describe_call("build", x, M=M, ef_construction=n, seed=seed)
    for i in range(n):
        assert sorted(index.layers[0][i]) == [j for j in range(n) if j != i], (
            f"{call}: node {i} links to {sorted(index.layers[0][i])} in layer 0, expected every other node "
            "(each new node links to its M nearest, and each of them links back)")


@given(seed=seeds(), M=st.integers(2, 3), d=st.integers(1, 4))
def test_insert_links_and_prunes_to_the_nearest(kata, seed, M, d):
    """One insert into a full layer 0 (2M + 1 nodes, every list at its cap of 2M, in shuffled order)."""
    rng = np.random.default_rng(seed)
    cap, n = 2 * M, 2 * M + 1
    x = rng.standard_normal((n + 1, d)).astype(np.float32)
    layer = {i: [int(j) for j in rng.permutation([j for j in range(n) if j != i])] for i in range(n)}
    old = {i: list(links) for i, links in layer.items()}
    index = kata.HNSW(vectors=x, M=M, ef_construction=n, m_l=1 / math.log(M), layers=[layer], entry_point=0)
    level_seed = next(s for s in range(seed % 1000, seed % 1000 + 200)
                      if np.random.default_rng(s).random() < 1 - math.exp(-math.log(M)))   # draws level 0
    call = describe_call("insert", f"full layer 0 of {n} nodes, M={M}", n, f"default_rng({level_seed})")
    kata.insert(index, n, np.random.default_rng(level_seed))
    dist = lambda a, b: float(((x[a].astype(np.float64) - x[b]) ** 2).sum())   # noqa: E731
    nearest = sorted(range(n), key=lambda j: (dist(n, j), j))[:M]
    assert sorted(index.layers[0][n]) == sorted(nearest), (
        f"{call}: the new node links to {sorted(index.layers[0][n])}, expected its {M} nearest {sorted(nearest)}")
    for e in range(n):
        if e in nearest:
            want = sorted(sorted(old[e] + [n], key=lambda u, e=e: (dist(e, u), u))[:cap])
        else:
            want = sorted(old[e])
        assert sorted(index.layers[0][e]) == want, (
            f"{call}: node {e} links to {sorted(index.layers[0][e])}, expected {want} "
            + ("(its nearest among its old links and the new node)" if e in nearest else "(unchanged)"))


@given(seed=seeds(), M=st.integers(2, 5), d=st.integers(1, 4), k=st.integers(1, 8), ef=st.integers(1, 8), data=st.data())
@example(seed=0, M=4, d=2, k=5, ef=1, data=None)
def test_search_is_exact_on_a_small_index(kata, seed, M, d, k, ef, data):
    n = data.draw(st.integers(1, M + 1)) if data is not None else M + 1
    x = points(seed, n, d)
    index = kata.build(x, M=M, ef_construction=n, seed=seed)
    q = np.random.default_rng(seed + 7).standard_normal(d)
    call = describe_call("search", q, k, ef_search=ef)
    dists, ids = kata.search(index, q, k, ef)
    want_d, want_i = exact(x, q)
    kk = min(k, n)
    assert_equal(np.asarray(ids)[:kk], want_i[:kk], name="ids", call=call)
    assert_close(np.asarray(dists)[:kk], want_d[:kk], rtol=1e-12, atol=1e-12, name="distances", call=call)
    assert_equal(np.asarray(ids)[kk:], np.full(k - kk, -1), name="ids of the missing places", call=call)
    assert np.all(np.isposinf(np.asarray(dists)[kk:])), f"{call} padded with {dists[kk:]}, expected +inf"


# A hand-made 3-layer index whose layer-0 graph is split into pieces: only the exact descent
# (greedy, ef = 1, through layer 2 then layer 1, then the beam in layer 0) reaches the nodes 5, 6, 7
# nearest to the origin. Skipping a layer, widening the descent's beam, or a greedy pass in layer 0
# before the beam all end in a piece without them. Squared distances to the origin in the comments.
MAZE_POINTS = np.array([[3, 0], [0, 1.5], [0, -2], [0.5, -0.5], [1, 0], [0.3, 0], [0, 0.4], [-0.5, 0], [0, 0]],
                       dtype=np.float32)   # 9, 2.25, 4, 0.5, 1, 0.09, 0.16, 0.25; row 8 = the origin, inserted later
MAZE_LAYERS = [
    {0: [], 1: [], 2: [], 3: [], 4: [5, 6, 7], 5: [], 6: [], 7: []},   # layer 0: only 4 leads to 5, 6, 7
    {0: [], 1: [4], 2: [], 3: [], 4: [1]},                               # layer 1: 1 -> 4
    {0: [1, 2], 1: [0], 2: [0, 3], 3: [2]},                              # layer 2: 0 -> 1 greedy; ef=2 reaches 3
]


def maze(kata, M: int = 3):   # noqa: ANN001, ANN201
    layers = [{i: list(v) for i, v in layer.items()} for layer in MAZE_LAYERS]
    return kata.HNSW(vectors=MAZE_POINTS, M=M, ef_construction=3, m_l=1 / math.log(M), layers=layers, entry_point=0)


@given(k=st.integers(1, 3), ef=st.integers(1, 3))
@example(k=3, ef=3)
def test_search_descends_layer_by_layer_greedily(kata, k, ef):
    index = maze(kata)
    call = describe_call("search", "3-layer hand-made index", np.zeros(2), k, ef_search=ef)
    dists, ids = kata.search(index, np.zeros(2), k, ef)
    want_ids, want_d = [5, 6, 7][:k], [0.09, 0.16, 0.25][:k]
    assert_equal(np.asarray(ids), want_ids, name="ids (reached via 0 -> 1 in layer 2, 1 -> 4 in layer 1)", call=call)
    assert_close(np.asarray(dists), want_d, rtol=1e-6, atol=1e-7, name="distances", call=call)


def test_insert_descends_layer_by_layer_greedily(kata):
    index = maze(kata)
    level_seed = next(s for s in range(200) if np.random.default_rng(s).random() < 1 - math.exp(-math.log(3)))
    kata.insert(index, 8, np.random.default_rng(level_seed))   # the origin, at level 0
    call = describe_call("insert", "3-layer hand-made index", 8, f"default_rng({level_seed})")
    assert sorted(index.layers[0].get(8, [])) == [5, 6, 7], (
        f"{call}: the new node links to {index.layers[0].get(8)} in layer 0, expected [5, 6, 7] "
        "(descend greedily with ef = 1 through layers 2 and 1 to node 4, then search layer 0 from there)")
    for e in (5, 6, 7):
        assert index.layers[0][e] == [8], f"{call}: node {e} links to {index.layers[0][e]}, expected [8]"
    assert 8 not in index.layers[1] and index.entry_point == 0, f"{call}: a level-0 node changed the upper layers"


@given(k=st.integers(1, 3), ef=st.integers(1, 3))
def test_search_on_an_empty_index(kata, k, ef):
    index = kata.HNSW(vectors=np.zeros((0, 2), np.float32), M=4, ef_construction=8, m_l=1 / math.log(4))
    dists, ids = kata.search(index, np.zeros(2), k, ef)
    assert_equal(ids, np.full(k, -1), name="ids", call=describe_call("search", "empty index", k, ef))
    assert np.all(np.isposinf(dists)), f"search on an empty index returned distances {dists}, expected +inf"


@given(k=st.integers(-1, 2), ef=st.integers(-1, 2))
@example(k=0, ef=1)
@example(k=1, ef=0)
def test_invalid_k_or_ef_is_rejected(kata, k, ef):
    if k >= 1 and ef >= 1:
        k = 0
    index = kata.build(points(0, 5, 2), M=2, ef_construction=4, seed=0)
    with pytest.raises(ValueError):
        kata.search(index, np.zeros(2), k, ef)
        pytest.fail(f"search(k={k}, ef_search={ef}) returned instead of raising ValueError")


@given(seed=st.sampled_from([0, 1, 2, 3]))
@settings(max_examples=4)
def test_recall_against_ef_search_tracks_faiss(kata, seed):
    """recall@5 on 200 Gaussian points, M = 6, efConstruction = 24, for efSearch in 5, 10, 20, 40."""
    n, d, k, M, ef_c = 200, 8, 5, 6, 24
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d)).astype(np.float32)
    queries = rng.standard_normal((20, d)).astype(np.float32)
    flat = faiss.IndexFlatL2(d)
    flat.add(x)
    truth = flat.search(queries, k)[1]
    reference = faiss.IndexHNSWFlat(d, M)
    reference.hnsw.efConstruction = ef_c
    reference.add(x)
    index = kata.build(x, M=M, ef_construction=ef_c, seed=seed)
    ours, theirs = [], []
    for ef in (5, 10, 20, 40):
        ours.append(np.mean([len(set(kata.search(index, q, k, ef)[1].tolist()) & set(t.tolist())) / k
                             for q, t in zip(queries, truth, strict=True)]))
        reference.hnsw.efSearch = ef
        found = reference.search(queries, k)[1]
        theirs.append(np.mean([len(set(f.tolist()) & set(t.tolist())) / k for f, t in zip(found, truth, strict=True)]))
    call = f"recall@{k} of build(x, M={M}, ef_construction={ef_c}, seed={seed}) at efSearch 5, 10, 20, 40"
    # FAISS prunes with the diversity heuristic, this kata with the simple rule: measured gap <= 0.12
    assert all(o >= t - 0.15 for o, t in zip(ours, theirs, strict=True)), (
        f"{call}: yours {np.round(ours, 2).tolist()}, IndexHNSWFlat {np.round(theirs, 2).tolist()}")
    assert ours[-1] >= 0.95, f"{call}: recall at efSearch 40 is {ours[-1]:.2f}, expected >= 0.95"
    assert ours[-1] >= ours[0], f"{call}: recall fell from {ours[0]:.2f} to {ours[-1]:.2f} as efSearch grew"
