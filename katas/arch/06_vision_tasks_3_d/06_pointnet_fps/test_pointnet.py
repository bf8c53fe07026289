"""Tests for arch-06-6, PointNet and farthest-point sampling.

References: farthest-point sampling as a brute-force loop over exact squared distances (numpy,
integer coordinates so ties are exact); the encoder against the per-point MLP and a max over the
valid points written out; permutation invariance; padded points set to huge values changing nothing.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call


def fps_reference(p: np.ndarray, k: int, start: int) -> list[int]:
    chosen = [start]
    for _ in range(k - 1):
        best, best_d = -1, -1
        for i in range(len(p)):
            d = min(int(((p[i] - p[j]) ** 2).sum()) for j in chosen)
            if d > best_d:
                best, best_d = i, d
        chosen.append(best)
    return chosen


@st.composite
def clouds(draw: st.DrawFn) -> np.ndarray:
    n, d = draw(st.integers(1, 12)), draw(st.integers(1, 3))
    return np.array(draw(st.lists(st.lists(st.integers(-4, 4), min_size=d, max_size=d), min_size=n, max_size=n)))


@given(p=clouds(), data=st.data())
@example(p=np.array([[0, 0], [2, 0], [-2, 0], [0, 0]]), data=None)     # a tie (two points at distance 4) and a duplicate
@example(p=np.array([[1, 1], [1, 1], [1, 1]]), data=None)              # all equal: every distance is 0
def test_fps_matches_brute_force(kata, p, data):
    n = len(p)
    k = n if data is None else data.draw(st.integers(1, n), label="k")
    start = 0 if data is None else data.draw(st.integers(0, n - 1), label="start")
    pts = torch.tensor(p, dtype=torch.float64)
    call = describe_call("farthest_point_sampling", pts, k, start=start)
    got = call_unmodified(kata.farthest_point_sampling, pts, k, start=start, fn_name="farthest_point_sampling")
    assert got.dtype == torch.int64, f"{call} returned dtype {got.dtype}, expected torch.int64"
    assert_equal(got, np.array(fps_reference(p, k, start)), name="chosen indices", call=call)


def test_fps_default_starts_at_zero(kata):
    pts = torch.tensor([[0.0], [10.0], [3.0], [7.0]])
    got = kata.farthest_point_sampling(pts, 3)
    # from 0: 10 is farthest; then min distances: 3 -> 9, 7 -> 9 (tie): the lower index, 2
    assert_equal(got, np.array([0, 1, 2]), name="indices with the default start 0",
                 call="farthest_point_sampling([[0], [10], [3], [7]], 3)")


@given(bad=st.sampled_from([(0, 0), (5, 0), (2, 4), (2, -1)]))
def test_fps_rejects_bad_arguments(kata, bad):
    with pytest.raises(ValueError):
        kata.farthest_point_sampling(torch.rand(4, 3), bad[0], start=bad[1])
        pytest.fail(f"farthest_point_sampling(k={bad[0]}, start={bad[1]}) on 4 points returned instead of raising")


def encoder(kata, seed: int, in_dim: int = 3) -> torch.nn.Module:
    torch.manual_seed(seed)   # the encoder's initial weights only
    return kata.PointNetEncoder(in_dim, hidden=8, out_dim=6).double()


@given(b=st.integers(1, 3), n=st.integers(1, 10), seed=seeds())
def test_encoder_is_a_max_over_point_features(kata, b, n, seed):
    enc = encoder(kata, seed)
    pts = torch.randn(b, n, 3, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    call = describe_call("PointNetEncoder.forward", pts)
    got = call_unmodified(enc, pts, fn_name="PointNetEncoder.forward")
    with torch.no_grad():
        want = torch.stack([torch.stack([enc.mlp(pts[i, j]) for j in range(n)]).max(dim=0).values for i in range(b)])
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="global feature", call=call)
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed + 1))
    assert_close(enc(pts[:, perm]), got, rtol=0, atol=1e-12, name="global feature of the permuted cloud", call=call)


@given(b=st.integers(1, 3), n=st.integers(2, 8), seed=seeds(), data=st.data())
def test_padded_points_do_not_matter(kata, b, n, seed, data):
    enc = encoder(kata, seed)
    g = torch.Generator().manual_seed(seed)
    pts = torch.randn(b, n, 3, generator=g, dtype=torch.float64)
    lengths = [data.draw(st.integers(1, n), label=f"valid points in cloud {i}") for i in range(b)]
    mask = torch.arange(n)[None, :] < torch.tensor(lengths)[:, None]
    padded = pts.masked_fill(~mask[..., None], 1e6)     # huge padding would win any unmasked max
    call = describe_call("PointNetEncoder.forward", padded, mask=mask)
    got = call_unmodified(enc, padded, mask=mask, fn_name="PointNetEncoder.forward")
    with torch.no_grad():
        want = torch.stack([enc(pts[i:i + 1, : lengths[i]])[0] for i in range(b)])
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="global feature of padded clouds (each = its valid points)",
                 call=call)


def test_encoder_rejects_a_cloud_without_valid_points(kata):
    enc = encoder(kata, 0)
    mask = torch.tensor([[True, False], [False, False]])
    with pytest.raises(ValueError):
        enc(torch.zeros(2, 2, 3, dtype=torch.float64), mask=mask)
        pytest.fail("PointNetEncoder.forward with an all-False mask row returned instead of raising ValueError")


@settings(max_examples=10)
@given(seed=seeds())
def test_encoder_trains(kata, seed):
    enc = encoder(kata, seed)
    pts = torch.randn(2, 5, 3, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    enc(pts).sum().backward()
    assert all(p.grad is not None for p in enc.parameters()), "a PointNetEncoder parameter got no gradient"
