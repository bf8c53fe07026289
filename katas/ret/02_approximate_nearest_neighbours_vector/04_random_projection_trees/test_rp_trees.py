"""Tests for ret-02-4, Annoy-style random-projection trees.

References: faiss.IndexFlatL2 for exact neighbours (search over every leaf must be exact); the
bisector property |x - a| < |x - b| checked point by point; tree invariants (leaves partition the
ids, leaf sizes, every point on its side of every plane above it); and a second formulation of
Annoy's best-first search: a leaf's priority is the smallest signed margin on its root path, and
the candidates are the leaves taken in decreasing priority until search_k ids are reached.
"""
import faiss
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import float_dtypes, seeds
from grader.testing import assert_close, assert_equal, assert_seeded, describe_call

faiss.omp_set_num_threads(1)


def data(seed: int, n: int, d: int, duplicates: bool = False) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if duplicates:   # few distinct points: splits that leave one side empty happen
        return rng.integers(-1, 2, size=(n, d)).astype(np.float32)
    return rng.standard_normal((n, d)).astype(np.float32)


def walk(node, path_min: float, q: np.ndarray, out: list) -> None:   # noqa: ANN001
    """(priority, ids) of every leaf: the smallest signed margin on the path from the root."""
    if not hasattr(node, "normal"):
        out.append((path_min, node.ids))
        return
    m = float(q @ np.asarray(node.normal, dtype=np.float64) - node.offset)
    walk(node.right, min(path_min, m), q, out)
    walk(node.left, min(path_min, -m), q, out)


def check_node(node, x: np.ndarray, ids: np.ndarray, leaf_size: int, call: str) -> None:   # noqa: ANN001
    if not hasattr(node, "normal"):
        assert len(node.ids) <= leaf_size, f"{call}: a leaf holds {len(node.ids)} ids, leaf_size is {leaf_size}"
        assert_equal(np.asarray(node.ids), np.sort(ids), name="leaf ids (sorted)", call=call)
        return
    assert len(ids) > leaf_size, f"{call}: a node with {len(ids)} <= leaf_size = {leaf_size} ids was split"
    normal = np.asarray(node.normal, dtype=np.float64)
    left = np.concatenate([np.asarray(v) for v in _leaves(node.left)])
    right = np.concatenate([np.asarray(v) for v in _leaves(node.right)])
    assert_equal(np.sort(np.concatenate([left, right])), np.sort(ids), name="ids under a split", call=call)
    if np.any(normal != 0):
        side = x.astype(np.float64) @ normal - node.offset
        assert np.all(side[right] > 0) and np.all(side[left] <= 0), (
            f"{call}: a point is on the wrong side of its split (right needs side > 0, left side <= 0)")
        pts = x[ids].astype(np.float64)
        diffs = pts[:, None, :] - pts[None, :, :]
        assert np.any(np.all(np.abs(diffs - normal) <= 1e-6, axis=-1)), (
            f"{call}: a split normal is not x[i] - x[j] for any two ids under it")
    else:
        assert len(left) == len(ids) // 2, f"{call}: a fallback split put {len(left)} of {len(ids)} ids left, expected {len(ids) // 2}"
    check_node(node.left, x, left, leaf_size, call)
    check_node(node.right, x, right, leaf_size, call)


def _leaves(node) -> list:   # noqa: ANN001
    return [node.ids] if not hasattr(node, "normal") else _leaves(node.left) + _leaves(node.right)


@given(seed=seeds(), d=st.integers(1, 5), dtype=float_dtypes())
def test_bisector(kata, seed, d, dtype):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(d).astype(dtype), rng.standard_normal(d).astype(dtype)
    call = describe_call("bisector", a, b)
    normal, offset = kata.bisector(a, b)
    assert np.asarray(normal).dtype == np.float64, f"{call} returned a normal of dtype {np.asarray(normal).dtype}, expected float64"
    a, b = a.astype(np.float64), b.astype(np.float64)
    assert_close(normal, a - b, rtol=1e-12, atol=1e-12, name="normal", call=call)
    assert_close(offset, (a @ a - b @ b) / 2, rtol=1e-12, atol=1e-12, name="offset", call=call)
    pts = rng.standard_normal((50, d)) * 2
    closer_to_a = ((pts - a) ** 2).sum(1) < ((pts - b) ** 2).sum(1)
    assert_equal(pts @ np.asarray(normal) - offset > 0, closer_to_a, name="side > 0 (closer to a)", call=call)
    assert_close(((a + b) / 2) @ np.asarray(normal) - offset, 0.0, rtol=0, atol=1e-12,
                 name="side of the midpoint", call=call)


@given(seed=seeds(), n=st.integers(1, 40), d=st.integers(1, 4), leaf_size=st.integers(1, 8), duplicates=st.booleans())
@settings(max_examples=25)
@example(seed=0, n=30, d=2, leaf_size=2, duplicates=True)
def test_build_tree_invariants(kata, seed, n, d, leaf_size, duplicates):
    x = data(seed, n, d, duplicates)
    ids = np.arange(n)
    call = describe_call("build_tree", x, ids, leaf_size, f"default_rng({seed})")
    root = kata.build_tree(x, ids, leaf_size, np.random.default_rng(seed))
    check_node(root, x, ids, leaf_size, call)


@given(seed=seeds(), n=st.integers(3, 30), leaf_size=st.integers(1, 2))
def test_first_split_uses_rng_choice(kata, seed, n, leaf_size):
    x = data(seed, n, 3)
    root = kata.build_tree(x, np.arange(n), leaf_size, np.random.default_rng(seed))
    i, j = np.random.default_rng(seed).choice(np.arange(n), size=2, replace=False)
    assert_close(root.normal, x[i].astype(np.float64) - x[j], rtol=0, atol=1e-6,
                 name=f"root normal (x[{i}] - x[{j}], from rng.choice(ids, size=2, replace=False))",
                 call=describe_call("build_tree", x, np.arange(n), leaf_size, f"default_rng({seed})"))


@given(seed=seeds(), n=st.integers(8, 30), n_trees=st.integers(1, 4), leaf_size=st.integers(1, 4))
def test_forest_is_seeded(kata, seed, n, n_trees, leaf_size):
    x = data(seed, n, 3)
    forest = assert_seeded(lambda s: [leaf for tree in kata.build_forest(x, n_trees, leaf_size, s)
                                      for leaf in kata.leaves(tree)], seed, name="forest leaves")
    assert len(kata.build_forest(x, n_trees, leaf_size, seed)) == n_trees, f"build_forest(n_trees={n_trees}) size"
    trees = kata.build_forest(x, n_trees, leaf_size, seed)
    rng = np.random.default_rng(seed)
    want_first = kata.build_tree(x, np.arange(n), leaf_size, rng)
    want_second = kata.build_tree(x, np.arange(n), leaf_size, rng)
    for got, want, which in ((trees[0], want_first, "first"), (trees[1] if n_trees > 1 else None, want_second, "second")):
        if got is None:
            continue
        for g, w in zip(kata.leaves(got), kata.leaves(want), strict=True):
            assert_equal(g, w, name=f"leaves of the {which} tree (trees share one generator)",
                         call=describe_call("build_forest", x, n_trees, leaf_size, seed))
    assert len(forest) >= 1


def reference_candidates(forest: list, q: np.ndarray, search_k: int) -> set[int]:
    """The documented queue, written out: (priority desc, push order asc) decides every pop."""
    queue = [(np.inf, i, root) for i, root in enumerate(forest)]
    pushed, found = len(forest), set()
    while queue and len(found) < search_k:
        best = min(range(len(queue)), key=lambda j: (-queue[j][0], queue[j][1]))
        p, _, node = queue.pop(best)
        if not hasattr(node, "normal"):
            found |= set(np.asarray(node.ids).tolist())
            continue
        m = float(q @ np.asarray(node.normal, dtype=np.float64) - node.offset)
        queue += [(min(p, m), pushed, node.right), (min(p, -m), pushed + 1, node.left)]
        pushed += 2
    return found


@given(seed=seeds(), n=st.integers(1, 40), n_trees=st.integers(1, 3), leaf_size=st.integers(1, 6),
       search_k=st.integers(1, 45), duplicates=st.booleans())
@example(seed=0, n=34, n_trees=1, leaf_size=1, search_k=4, duplicates=False)    # equal priorities at the cut
@example(seed=0, n=20, n_trees=1, leaf_size=1, search_k=10, duplicates=False)
@example(seed=1, n=30, n_trees=3, leaf_size=4, search_k=7, duplicates=True)
def test_candidates_follow_the_priority_queue(kata, seed, n, n_trees, leaf_size, search_k, duplicates):
    """The candidates are the leaves popped, in the documented order, until search_k ids are in.
    Cross-check: a leaf's priority is the smallest signed margin on its root path, and no leaf of
    higher priority than every leaf taken may be left out."""
    x = data(seed, n, 3, duplicates)
    forest = kata.build_forest(x, n_trees, leaf_size, seed)
    q = np.random.default_rng(seed + 1).standard_normal(3)
    call = describe_call("candidates", f"forest of {n_trees}", q, search_k)
    got = np.asarray(kata.candidates(forest, q, search_k))
    want = reference_candidates(forest, q, search_k)
    assert_equal(got, np.array(sorted(want), dtype=np.int64), name="candidate ids (sorted, distinct)", call=call)
    ranked: list = []
    for tree in forest:
        walk(tree, np.inf, q, ranked)
    taken = [p for p, ids in ranked if set(np.asarray(ids).tolist()) <= want]
    skipped = [p for p, ids in ranked if not set(np.asarray(ids).tolist()) <= want]
    assert not skipped or not taken or max(skipped) <= max(taken), f"{call}: the best leaf was not taken"


@given(seed=seeds(), n=st.integers(1, 40), n_trees=st.integers(1, 4), leaf_size=st.integers(1, 6),
       k1=st.integers(1, 45), k2=st.integers(1, 45))
def test_candidates_grow_with_search_k(kata, seed, n, n_trees, leaf_size, k1, k2):
    x = data(seed, n, 3)
    forest = kata.build_forest(x, n_trees, leaf_size, seed)
    q = np.random.default_rng(seed + 1).standard_normal(3)
    small, large = sorted((k1, k2))
    a = set(np.asarray(kata.candidates(forest, q, small)).tolist())
    b = set(np.asarray(kata.candidates(forest, q, large)).tolist())
    call = describe_call("candidates", f"forest of {n_trees}", q, f"{small} then {large}")
    assert a <= b, f"{call}: ids {sorted(a - b)} found with search_k={small} are missing with search_k={large}"
    assert len(b) >= min(large, n), f"{call}: {len(b)} candidates for search_k={large}, expected >= {min(large, n)}"
    if large >= n:
        assert b == set(range(n)), f"{call}: search_k >= n must return every id, got {sorted(b)}"


@given(seed=seeds(), n=st.integers(2, 40), leaf_size=st.integers(1, 5))
def test_one_leaf_is_where_the_query_routes(kata, seed, n, leaf_size):
    x = data(seed, n, 2)
    tree = kata.build_forest(x, 1, leaf_size, seed)[0]
    q = np.random.default_rng(seed + 5).standard_normal(2)
    node = tree
    while hasattr(node, "normal"):
        node = node.right if q @ np.asarray(node.normal, dtype=np.float64) - node.offset > 0 else node.left
    call = describe_call("candidates", "one tree", q, 1)
    assert_equal(kata.candidates([tree], q, 1), node.ids, name="the leaf q routes to", call=call)


@given(seed=seeds(), n=st.integers(1, 40), n_trees=st.integers(1, 3), leaf_size=st.integers(1, 6), k=st.integers(1, 8),
       duplicates=st.booleans())
@example(seed=0, n=5, n_trees=1, leaf_size=2, k=8, duplicates=False)   # k > n: padding
def test_searching_every_leaf_is_exact(kata, seed, n, n_trees, leaf_size, k, duplicates):
    x = data(seed, n, 3, duplicates)
    forest = kata.build_forest(x, n_trees, leaf_size, seed)
    q = np.random.default_rng(seed + 1).standard_normal(3).astype(np.float32)
    call = describe_call("forest_search", f"forest of {n_trees}", x, q, k, search_k=n)
    dists, ids = kata.forest_search(forest, x, q, k, n)
    d = ((x.astype(np.float64) - q) ** 2).sum(1)
    order = np.argsort(d, kind="stable")[:k]
    kk = min(k, n)
    flat = faiss.IndexFlatL2(3)
    flat.add(x)
    want_d = flat.search(q[None], kk)[0][0]
    assert_close(np.asarray(dists)[:kk], want_d, rtol=1e-5, atol=1e-5, name="distances (vs IndexFlatL2)", call=call)
    assert_equal(np.asarray(ids)[:kk], order, name="ids (ties by increasing id)", call=call)
    assert_equal(np.asarray(ids)[kk:], np.full(k - kk, -1), name="ids of the missing places", call=call)
    assert np.all(np.isposinf(np.asarray(dists)[kk:])), f"{call} padded with {dists[kk:]}, expected +inf"
    assert np.asarray(ids).dtype == np.int64, f"{call} returned ids of dtype {np.asarray(ids).dtype}, expected int64"


@given(seed=st.sampled_from([0, 1, 2]))
@settings(max_examples=3)
def test_recall_grows_with_search_k_and_trees(kata, seed):
    n, d, k = 300, 8, 10
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d)).astype(np.float32)
    queries = rng.standard_normal((20, d)).astype(np.float32)
    flat = faiss.IndexFlatL2(d)
    flat.add(x)
    truth = flat.search(queries, k)[1]

    def recall(forest: list, search_k: int) -> float:
        return float(np.mean([len(set(kata.forest_search(forest, x, q, k, search_k)[1].tolist()) & set(t.tolist())) / k
                              for q, t in zip(queries, truth, strict=True)]))

    one, many = kata.build_forest(x, 1, 10, seed), kata.build_forest(x, 10, 10, seed)
    curve = [recall(many, s) for s in (10, 40, 100, 300)]
    call = f"recall@{k} of forest_search on {n} Gaussian points (seed {seed})"
    assert all(b >= a for a, b in zip(curve, curve[1:], strict=False)), f"{call}: recall fell as search_k grew: {curve}"
    assert curve[-1] == 1.0, f"{call}: search_k = n must be exact, got recall {curve[-1]}"
    assert recall(many, 100) > recall(one, 100), (
        f"{call}: 10 trees gave recall {recall(many, 100):.2f} at search_k=100, one tree {recall(one, 100):.2f}")


@given(n_trees=st.integers(1, 3), k=st.integers(1, 3), search_k=st.integers(1, 3))
def test_empty_database(kata, n_trees, k, search_k):
    x = np.zeros((0, 2), dtype=np.float32)
    forest = kata.build_forest(x, n_trees, 2, 0)
    call = describe_call("candidates", "forest over 0 points", np.zeros(2), search_k)
    got = np.asarray(kata.candidates(forest, np.zeros(2), search_k))
    assert got.shape == (0,) and got.dtype == np.int64, f"{call} returned {got!r}, expected an empty int64 array"
    dists, ids = kata.forest_search(forest, x, np.zeros(2), k, search_k)
    assert_equal(ids, np.full(k, -1), name="ids", call=describe_call("forest_search", "empty", k, search_k))
    assert np.all(np.isposinf(dists)), f"forest_search over no points returned distances {dists}, expected +inf"


@given(n_trees=st.integers(-1, 2), leaf_size=st.integers(-1, 2))
@example(n_trees=0, leaf_size=2)
@example(n_trees=2, leaf_size=0)
def test_build_forest_rejects_bad_sizes(kata, n_trees, leaf_size):
    if n_trees >= 1 and leaf_size >= 1:
        n_trees = 0
    with pytest.raises(ValueError):
        kata.build_forest(data(0, 5, 2), n_trees, leaf_size, 0)
        pytest.fail(f"build_forest(n_trees={n_trees}, leaf_size={leaf_size}) returned instead of raising ValueError")


@given(k=st.integers(-1, 2), search_k=st.integers(-1, 2))
@example(k=0, search_k=5)
@example(k=1, search_k=0)
def test_forest_search_rejects_bad_sizes(kata, k, search_k):
    if k >= 1 and search_k >= 1:
        k = 0
    x = data(0, 5, 2)
    forest = kata.build_forest(x, 1, 2, 0)
    with pytest.raises(ValueError):
        kata.forest_search(forest, x, np.zeros(2), k, search_k)
        pytest.fail(f"forest_search(k={k}, search_k={search_k}) returned instead of raising ValueError")
