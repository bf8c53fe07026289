"""Tests for arch-06-7, DGCNN EdgeConv.

References: k-NN by a brute-force sort of exact integer squared distances (numpy lexsort: distance,
then index), cross-checked with sklearn.neighbors.NearestNeighbors where distances are distinct;
EdgeConv written as a loop over points and neighbours; permutation equivariance.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.neighbors import NearestNeighbors
from torch import nn

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call


@st.composite
def int_clouds(draw: st.DrawFn) -> np.ndarray:
    n, d = draw(st.integers(1, 10)), draw(st.integers(1, 3))
    return np.array(draw(st.lists(st.lists(st.integers(-3, 3), min_size=d, max_size=d), min_size=n, max_size=n)))


def knn_reference(p: np.ndarray, k: int) -> np.ndarray:
    d = ((p[:, None] - p[None]) ** 2).sum(-1)
    return np.stack([np.lexsort((np.arange(len(p)), d[i]))[:k] for i in range(len(p))])


@given(p=int_clouds(), data=st.data())
@example(p=np.array([[0], [1], [-1], [0]]), data=None)     # ties at distance 1 and a duplicate point
def test_knn_matches_brute_force(kata, p, data):
    k = len(p) if data is None else data.draw(st.integers(1, len(p)), label="k")
    x = torch.tensor(p, dtype=torch.float64)
    call = describe_call("knn_indices", x, k)
    got = call_unmodified(kata.knn_indices, x, k, fn_name="knn_indices")
    assert got.dtype == torch.int64, f"{call} returned dtype {got.dtype}, expected torch.int64"
    assert_equal(got, knn_reference(p, k), name="neighbour indices (by distance, ties by index)", call=call)


@given(n=st.integers(2, 12), k=st.integers(1, 5), seed=seeds())
def test_knn_agrees_with_sklearn(kata, n, k, seed):
    k = min(k, n)
    p = np.random.default_rng(seed).standard_normal((n, 3))
    _, want = NearestNeighbors(n_neighbors=k).fit(p).kneighbors(p)
    assert_equal(kata.knn_indices(torch.from_numpy(p), k), want, name="neighbour indices (vs sklearn)",
                 call=describe_call("knn_indices", p, k))


@given(k=st.sampled_from([0, -1, 5, 9]))
def test_knn_rejects_bad_k(kata, k):
    with pytest.raises(ValueError):
        kata.knn_indices(torch.rand(4, 2), k)
        pytest.fail(f"knn_indices(k={k}) on 4 points returned instead of raising ValueError")


def make_mlp(d: int, seed: int) -> nn.Module:
    torch.manual_seed(seed)   # weights of the test's MLP only
    return nn.Sequential(nn.Linear(2 * d, 8), nn.Tanh(), nn.Linear(8, 5)).double()


@given(p=int_clouds(), seed=seeds(), data=st.data())
def test_edge_conv_matches_a_loop(kata, p, seed, data):
    k = data.draw(st.integers(1, len(p)), label="k")
    x = torch.tensor(p, dtype=torch.float64) + 0.1 * torch.randn(len(p), p.shape[1],
                                                                  generator=torch.Generator().manual_seed(seed),
                                                                  dtype=torch.float64)
    mlp = make_mlp(p.shape[1], seed)
    call = describe_call("edge_conv", x, k, "mlp")
    got = call_unmodified(kata.edge_conv, x, k, mlp, fn_name="edge_conv")
    xn = x.numpy()
    d = ((xn[:, None] - xn[None]) ** 2).sum(-1)
    want = []
    with torch.no_grad():
        for i in range(len(xn)):
            js = np.lexsort((np.arange(len(xn)), d[i]))[:k]
            feats = [mlp(torch.cat([x[i], x[j] - x[i]])) for j in js]
            want.append(torch.stack(feats).max(dim=0).values)
    assert_close(got, torch.stack(want), rtol=1e-12, atol=1e-12, name="EdgeConv features", call=call)


@settings(max_examples=15)
@given(n=st.integers(2, 10), k=st.integers(1, 4), seed=seeds())
def test_edge_conv_is_permutation_equivariant(kata, n, k, seed):
    k = min(k, n)
    x = torch.randn(n, 3, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    mlp = make_mlp(3, seed)
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed + 1))
    with torch.no_grad():
        out, out_perm = kata.edge_conv(x, k, mlp), kata.edge_conv(x[perm], k, mlp)
    assert_close(out_perm, out[perm], rtol=0, atol=1e-12, name="EdgeConv of the permuted cloud (expected the "
                 "permuted output)", call=describe_call("edge_conv", x[perm], k, "mlp"))


def test_edge_conv_is_translation_aware_through_the_centre_term(kata):
    """[x_i, x_j - x_i]: the offset part is translation invariant, the centre part is not."""
    x = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]], dtype=torch.float64)
    offsets_only = lambda e: e[..., 2:]      # noqa: E731  keeps only x_j - x_i
    got = kata.edge_conv(x, 2, offsets_only)
    # neighbours: 0 -> (0, 1), 1 -> (1, 0), 2 -> (2, 0); max over offsets
    want = torch.tensor([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]], dtype=torch.float64)
    assert_close(got, want, rtol=0, atol=0, name="max over neighbours of x_j - x_i",
                 call="edge_conv([[0, 0], [1, 0], [0, 2]], 2, offsets)")
    centre_only = lambda e: e[..., :2]       # noqa: E731
    assert_close(kata.edge_conv(x, 2, centre_only), x, rtol=0, atol=0, name="max over neighbours of x_i (= x_i)",
                 call="edge_conv([[0, 0], [1, 0], [0, 2]], 2, centre)")
