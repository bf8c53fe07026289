"""Tests for nlp-18-2, sparse attention patterns (local, strided, global tokens).

References: each mask against its definition written as a double loop over (query, key) pairs; the
gathered sparse attention against torch.nn.functional.scaled_dot_product_attention with the same
boolean mask (True = may attend), for single patterns, their unions (Sparse Transformer's
local + strided, Longformer's local + global) and random masks; the padded neighbour lists against
the mask row by row.
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_shape,
    call_unmodified,
    describe_call,
)

LENGTHS = st.integers(1, 24)


def loop_mask(t: int, allowed) -> np.ndarray:
    return np.array([[bool(allowed(i, j)) for j in range(t)] for i in range(t)], dtype=bool).reshape(t, t)


def check_mask(got: torch.Tensor, want: np.ndarray, call: str) -> None:
    assert isinstance(got, torch.Tensor) and got.dtype == torch.bool, (
        f"{call} returned {type(got).__name__} {getattr(got, 'dtype', '')}, expected a torch.bool tensor")
    assert_equal(got, want, name="mask (True = query row may attend to key column)", call=call)


@given(t=LENGTHS, window=st.integers(1, 30), causal=st.booleans())
@example(t=5, window=1, causal=False)    # only the diagonal
@example(t=6, window=2, causal=True)
@example(t=4, window=4, causal=False)    # exactly dense at the far corners: |i - j| = 3 < 4
def test_local_mask(kata, t, window, causal):
    if causal:
        want = loop_mask(t, lambda i, j: 0 <= i - j < window)
    else:
        want = loop_mask(t, lambda i, j: abs(i - j) < window)
    check_mask(kata.local_mask(t, window, causal=causal), want, describe_call("local_mask", t, window, causal=causal))


@given(t=LENGTHS, stride=st.integers(1, 30), causal=st.booleans())
@example(t=7, stride=3, causal=True)
@example(t=5, stride=1, causal=False)    # stride 1 is dense
@example(t=4, stride=9, causal=False)    # stride past the end: only the diagonal
def test_strided_mask(kata, t, stride, causal):
    want = loop_mask(t, lambda i, j: (i - j) % stride == 0 and (j <= i or not causal))
    check_mask(kata.strided_mask(t, stride, causal=causal), want, describe_call("strided_mask", t, stride, causal=causal))


@given(t=LENGTHS, n_global=st.integers(0, 26))
@example(t=5, n_global=0)    # only the diagonal
@example(t=5, n_global=5)    # all global: dense
@example(t=6, n_global=2)
def test_global_mask(kata, t, n_global):
    want = loop_mask(t, lambda i, j: i == j or i < n_global or j < n_global)
    check_mask(kata.global_mask(t, n_global), want, describe_call("global_mask", t, n_global))


@given(bad=st.integers(-3, 0))
def test_bad_sizes_raise(kata, bad):
    with pytest.raises(ValueError):
        kata.local_mask(4, bad)
    with pytest.raises(ValueError):
        kata.strided_mask(4, bad)
    with pytest.raises(ValueError):
        kata.global_mask(4, bad - 1)


@st.composite
def patterns(draw: st.DrawFn) -> tuple[str, torch.Tensor]:
    """A mask with every diagonal entry allowed: a named pattern, a union of two, or random."""
    t = draw(LENGTHS, label="seq_len")
    kind = draw(st.sampled_from(["local+strided", "local+global", "random"]))
    w, s, g = draw(st.integers(1, 5)), draw(st.integers(1, 6)), draw(st.integers(0, 3))
    causal = draw(st.booleans())
    i, j = np.arange(t)[:, None], np.arange(t)[None, :]
    if kind == "local+strided":
        m = ((np.abs(i - j) < w) | ((i - j) % s == 0)) & ((j <= i) | (not causal))
    elif kind == "local+global":
        m = (np.abs(i - j) < w) | (i < g) | (j < g)
    else:
        m = np.random.default_rng(draw(seeds())).random((t, t)) < 0.3
        m |= np.eye(t, dtype=bool)
    return f"{kind}(w={w}, s={s}, g={g}, causal={causal})", torch.as_tensor(m)


@given(pattern=patterns())
@example(pattern=("diagonal", torch.eye(3, dtype=torch.bool)))
@example(pattern=("one row dense", torch.eye(4, dtype=torch.bool) | (torch.arange(4)[:, None] == 0)))
@example(pattern=("empty sequence", torch.zeros(0, 0, dtype=torch.bool)))   # T = 0: m = 0
def test_neighbors_list_the_allowed_keys(kata, pattern):
    name, mask = pattern
    t = mask.shape[0]
    call = describe_call("neighbors", mask) + f" for {name}"
    idx, valid = call_unmodified(kata.neighbors, mask)
    m = int(mask.sum(-1).max()) if t else 0
    assert_shape(idx, (t, m), name="idx (padded to the largest row count)", call=call)
    assert_shape(valid, (t, m), name="valid", call=call)
    want_idx = np.zeros((t, m), dtype=np.int64)
    want_valid = np.zeros((t, m), dtype=bool)
    for r in range(t):
        cols = np.nonzero(mask[r].numpy())[0]
        want_idx[r, :len(cols)] = cols
        want_valid[r, :len(cols)] = True
    assert_equal(valid, want_valid, name="valid (True for the first mask.sum(row) slots)", call=call)
    assert_equal(idx, want_idx, name="idx (allowed key columns in ascending order, padding 0)", call=call)


@given(pattern=patterns(), b=st.integers(1, 2), h=st.integers(1, 2), d=st.sampled_from([1, 4, 8]),
       dtype=torch_float_dtypes(), seed=seeds())
@example(pattern=("diagonal", torch.eye(3, dtype=torch.bool)), b=1, h=1, d=4, dtype=torch.float32, seed=0)
def test_sparse_attention_matches_masked_sdpa(kata, pattern, b, h, d, dtype, seed):
    name, mask = pattern
    t = mask.shape[0]
    g = torch.Generator().manual_seed(seed)
    q, k, v = (torch.randn(b, h, t, d, generator=g, dtype=torch.float64).to(dtype) for _ in range(3))
    m = int(mask.sum(-1).max())
    idx = torch.zeros(t, m, dtype=torch.long)
    valid = torch.zeros(t, m, dtype=torch.bool)
    for r in range(t):
        cols = torch.nonzero(mask[r]).flatten()
        idx[r, :len(cols)] = cols
        valid[r, :len(cols)] = True
    call = describe_call("sparse_attention", q, k, v, idx, valid) + f" for {name}"
    got = call_unmodified(kata.sparse_attention, q, k, v, idx, valid)
    want = F.scaled_dot_product_attention(q.double(), k.double(), v.double(), attn_mask=mask)
    assert_dtype(got, q, call=call)
    # float32 inputs: a handful of ulps of O(1) values; float64: rounding only.
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == torch.float32 else dict(rtol=1e-10, atol=1e-12)
    assert_close(got, want, **tol, call=call)
