"""Tests for arch-01-7, DeBERTa disentangled attention.

References: explicit Python loops over every (query, key) pair, straight from He et al. (2021),
equations 2-4, in float64; with all position embeddings zero, ordinary softmax attention scaled by
1/sqrt(3d) (torch.nn.functional.scaled_dot_product_attention).
"""
import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call


def delta(i: int, j: int, k: int) -> int:
    """The paper's definition, case by case."""
    if i - j <= -k:
        return 0
    if i - j >= k:
        return 2 * k - 1
    return i - j + k


@given(n=st.integers(1, 12), k=st.integers(1, 8))
@example(n=5, k=1)        # only two buckets
@example(n=1, k=3)
@example(n=10, k=3)       # distances beyond k on both sides
def test_relative_index_matches_definition(kata, n, k):
    call = describe_call("relative_index", n, k)
    got = kata.relative_index(n, k)
    want = torch.tensor([[delta(i, j, k) for j in range(n)] for i in range(n)])
    assert got.dtype == torch.int64, f"{call} returned dtype {got.dtype}, expected torch.int64"
    assert_equal(got, want, call=call)


@given(n=st.integers(-2, 3), k=st.integers(-2, 3))
@example(n=0, k=2)
@example(n=3, k=0)
def test_relative_index_rejects_bad_sizes(kata, n, k):
    if n >= 1 and k >= 1:
        kata.relative_index(n, k)
        return
    with pytest.raises(ValueError):
        kata.relative_index(n, k)
        pytest.fail(f"relative_index({n}, {k}) returned instead of raising ValueError")


def loop_scores(qc, kc, qr, kr, k):
    b, n, _ = qc.shape
    c2c, c2p, p2c = (torch.zeros(b, n, n, dtype=torch.float64) for _ in range(3))
    for bb in range(b):
        for i in range(n):
            for j in range(n):
                c2c[bb, i, j] = qc[bb, i] @ kc[bb, j]
                c2p[bb, i, j] = qc[bb, i] @ kr[delta(i, j, k)]
                p2c[bb, i, j] = kc[bb, j] @ qr[delta(j, i, k)]
    return c2c, c2p, p2c


@given(b=st.integers(1, 2), n=st.integers(1, 7), d=st.integers(1, 4), k=st.integers(1, 5), seed=seeds())
@example(b=1, n=6, d=2, k=2, seed=0)     # |i - j| beyond k: clamped buckets
@example(b=2, n=3, d=3, k=4, seed=1)     # k larger than any distance
@example(b=1, n=1, d=1, k=1, seed=2)
def test_scores_match_loops(kata, b, n, d, k, seed):
    g = torch.Generator().manual_seed(seed)
    qc, kc = (torch.randn(b, n, d, generator=g, dtype=torch.float64) for _ in range(2))
    qr, kr = (torch.randn(2 * k, d, generator=g, dtype=torch.float64) for _ in range(2))
    call = describe_call("disentangled_scores", qc, kc, qr, kr, k)
    got = call_unmodified(kata.disentangled_scores, qc, kc, qr, kr, k, fn_name="disentangled_scores")
    want = loop_scores(qc, kc, qr, kr, k)
    for name, g_, w_ in zip(["c2c", "c2p", "p2c"], got, want, strict=True):
        assert_shape(g_, (b, n, n), name=name, call=call)
        # float64 dot products of <= 4 terms.
        assert_close(g_, w_, rtol=1e-12, atol=1e-12, name=name, call=call)


def weights_for(d_model: int, d: int, g: torch.Generator) -> list[torch.Tensor]:
    return [torch.randn(d_model, d, generator=g, dtype=torch.float64) / math.sqrt(d_model) for _ in range(5)]


@given(b=st.integers(1, 2), n=st.integers(1, 6), d_model=st.integers(1, 5), d=st.integers(1, 4),
       k=st.integers(1, 4), seed=seeds())
@example(b=2, n=5, d_model=4, d=3, k=2, seed=0)
def test_attention_matches_loops(kata, b, n, d_model, d, k, seed):
    g = torch.Generator().manual_seed(seed)
    h = torch.randn(b, n, d_model, generator=g, dtype=torch.float64)
    rel = torch.randn(2 * k, d_model, generator=g, dtype=torch.float64)
    w_qc, w_kc, w_vc, w_qr, w_kr = weights_for(d_model, d, g)
    call = describe_call("disentangled_attention", h, rel, "w_qc", "w_kc", "w_vc", "w_qr", "w_kr", k)
    out, weights = call_unmodified(kata.disentangled_attention, h, rel, w_qc, w_kc, w_vc, w_qr, w_kr, k,
                                   fn_name="disentangled_attention")
    c2c, c2p, p2c = loop_scores(h @ w_qc, h @ w_kc, rel @ w_qr, rel @ w_kr, k)
    want_w = torch.softmax((c2c + c2p + p2c) / math.sqrt(3 * d), dim=-1)
    assert_shape(weights, (b, n, n), name="weights", call=call)
    assert_close(weights, want_w, rtol=1e-10, atol=1e-12, name="weights", call=call)
    assert_close(out, want_w @ (h @ w_vc), rtol=1e-10, atol=1e-12, name="output", call=call)


@given(n=st.integers(1, 6), d=st.integers(1, 4), k=st.integers(1, 3), seed=seeds())
def test_zero_positions_give_plain_attention(kata, n, d, k, seed):
    """With every relative embedding zero only c2c is left: softmax(q k^T / sqrt(3d)) v."""
    g = torch.Generator().manual_seed(seed)
    h = torch.randn(1, n, 4, generator=g, dtype=torch.float64)
    w_qc, w_kc, w_vc, w_qr, w_kr = weights_for(4, d, g)
    out, _ = kata.disentangled_attention(h, torch.zeros(2 * k, 4, dtype=torch.float64), w_qc, w_kc, w_vc, w_qr,
                                         w_kr, k)
    want = F.scaled_dot_product_attention(h @ w_qc, h @ w_kc, h @ w_vc, scale=1 / math.sqrt(3 * d))
    assert_close(out, want, rtol=1e-10, atol=1e-12, name="output with zero position embeddings",
                 call=describe_call("disentangled_attention", h, "zeros(2k, 4)", k))


@given(k=st.integers(1, 4), extra=st.sampled_from([-1, 1, 2]))
def test_attention_rejects_wrong_table(kata, k, extra):
    g = torch.Generator().manual_seed(0)
    h = torch.randn(1, 3, 4, generator=g)
    rows = max(2 * k + extra, 1)
    ws = [torch.randn(4, 2, generator=g) for _ in range(5)]
    with pytest.raises(ValueError):
        kata.disentangled_attention(h, torch.randn(rows, 4, generator=g), *ws, k)
        pytest.fail(f"disentangled_attention with a {rows}-row table and k={k} returned instead of raising")
