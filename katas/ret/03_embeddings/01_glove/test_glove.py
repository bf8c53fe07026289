"""Tests for ret-03-1, GloVe co-occurrence counts, weighting function and loss.

References: brute-force loops over position pairs for the counts (on drawn sequences and on real
words of the workbook's tiny-Shakespeare corpus), the total co-occurrence mass in closed form
(sum over d of (n - d) / d), the closed form of f, the loss as an explicit double loop, and
torch.autograd for the gradients.
"""
import re

import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


def brute(ids: list[int], vocab_size: int, window: int, symmetric: bool) -> np.ndarray:
    x = np.zeros((vocab_size, vocab_size))
    for p in range(len(ids)):
        for q in range(p + 1, min(len(ids), p + window + 1)):
            x[ids[p], ids[q]] += 1 / (q - p)
            if symmetric:
                x[ids[q], ids[p]] += 1 / (q - p)
    return x


@given(ids=st.lists(st.integers(0, 5), max_size=25), window=st.integers(1, 6), symmetric=st.booleans())
@example(ids=[0, 0, 0], window=2, symmetric=True)     # a word next to itself: the diagonal
@example(ids=[1, 2], window=5, symmetric=False)       # a window longer than the text
@example(ids=[3], window=1, symmetric=True)
def test_cooccurrence_matches_brute_force(kata, ids, window, symmetric):
    call = describe_call("cooccurrence", ids, 6, window, symmetric=symmetric)
    got = kata.cooccurrence(ids, 6, window, symmetric=symmetric)
    assert str(np.asarray(got).dtype) == "float64", f"{call} returned dtype {np.asarray(got).dtype}, expected float64"
    # sums of a few reciprocals
    assert_close(got, brute(ids, 6, window, symmetric), rtol=1e-12, atol=1e-12, name="co-occurrence matrix", call=call)


@given(ids=st.lists(st.integers(0, 4), max_size=20), window=st.integers(1, 4))
def test_cooccurrence_default_is_symmetric(kata, ids, window):
    got = kata.cooccurrence(ids, 5, window)
    assert_close(got, brute(ids, 5, window, True), rtol=1e-12, atol=1e-12, name="co-occurrence (default symmetric)",
                 call=describe_call("cooccurrence", ids, 5, window))


@given(start=st.integers(0, 100_000), window=st.integers(1, 10))
def test_cooccurrence_on_shakespeare(kata, start, window):
    words = re.findall(r"[a-z']+", lm.corpus_text()[start:start + 3000].lower())[:300]
    vocab = {w: i for i, w in enumerate(sorted(set(words)))}
    ids = [vocab[w] for w in words]
    call = describe_call("cooccurrence", f"{len(ids)} Shakespeare words", len(vocab), window)
    got = kata.cooccurrence(ids, len(vocab), window)
    want = brute(ids, len(vocab), window, True)
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="co-occurrence matrix", call=call)
    n = len(ids)
    mass = 2 * sum((n - d) / d for d in range(1, min(window, n - 1) + 1))
    assert_close(np.sum(got), mass, rtol=1e-12, atol=1e-9, name="total mass (2 * sum_d (n - d) / d)", call=call)
    assert_close(got, np.asarray(got).T, rtol=0, atol=1e-12, name="symmetric matrix", call=call)


@given(window=st.integers(-2, 0))
def test_cooccurrence_rejects_window_below_one(kata, window):
    with pytest.raises(ValueError):
        kata.cooccurrence([0, 1, 2], 3, window)
        pytest.fail(f"cooccurrence(window={window}) returned instead of raising ValueError")


@given(x=st.lists(st.floats(0, 300, width=32), min_size=1, max_size=10),
       x_max=st.sampled_from([10.0, 100.0]), alpha=st.sampled_from([0.5, 0.75, 1.0]))
@example(x=[0.0, 100.0, 99.5, 250.0], x_max=100.0, alpha=0.75)   # f(0) = 0, f(x_max) = 1 exactly, capped above
def test_glove_weight(kata, x, x_max, alpha):
    x = np.array(x)
    call = describe_call("glove_weight", x, x_max=x_max, alpha=alpha)
    got = call_unmodified(kata.glove_weight, x, x_max=x_max, alpha=alpha)
    want = np.array([(v / x_max) ** alpha if v < x_max else 1.0 for v in x])
    assert_close(got, want, rtol=1e-12, atol=1e-15, name="f(x)", call=call)


def test_glove_weight_defaults(kata):
    x = np.array([0.0, 1.0, 50.0, 100.0, 1000.0])
    want = np.array([0.0, 0.01**0.75, 0.5**0.75, 1.0, 1.0])
    assert_close(kata.glove_weight(x), want, rtol=1e-12, atol=0, name="f(x) with x_max=100, alpha=0.75",
                 call=describe_call("glove_weight", x))


def params(seed: int, vocab_size: int, dim: int, dtype: torch.dtype) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(vocab_size, dim, generator=g, dtype=dtype) * 0.3,
            torch.randn(vocab_size, dim, generator=g, dtype=dtype) * 0.3,
            torch.randn(vocab_size, generator=g, dtype=dtype) * 0.1,
            torch.randn(vocab_size, generator=g, dtype=dtype) * 0.1]


def counts(seed: int, vocab_size: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.exponential(5.0, size=(vocab_size, vocab_size)) * (rng.random((vocab_size, vocab_size)) < 0.5)
    x[0, 0] = 150.0   # above x_max: weight 1
    return x


def loop_loss(p: list[torch.Tensor], x: np.ndarray, x_max: float, alpha: float) -> float:
    w, wt, b, bt = (t.double().numpy() for t in p)
    total = 0.0
    for i in range(len(x)):
        for j in range(len(x)):
            if x[i, j] > 0:
                f = (x[i, j] / x_max) ** alpha if x[i, j] < x_max else 1.0
                total += f * (w[i] @ wt[j] + b[i] + bt[j] - np.log(x[i, j])) ** 2
    return total


@given(seed=seeds(), vocab_size=st.integers(1, 6), dim=st.integers(1, 4), x_max=st.sampled_from([10.0, 100.0]),
       alpha=st.sampled_from([0.5, 0.75]), dtype=st.sampled_from([torch.float32, torch.float64]))
def test_glove_loss_matches_the_double_loop(kata, seed, vocab_size, dim, x_max, alpha, dtype):
    p = params(seed, vocab_size, dim, dtype)
    x = counts(seed, vocab_size)
    call = describe_call("glove_loss", *p, x, x_max=x_max, alpha=alpha)
    got = kata.glove_loss(*p, x, x_max=x_max, alpha=alpha)
    assert got.dtype == dtype, f"{call} returned dtype {got.dtype}, expected {dtype}"
    tol = 1e-5 if dtype == torch.float32 else 1e-10    # a sum of up to 36 terms of order 10
    assert_close(got.item(), loop_loss(p, x, x_max, alpha), rtol=tol, atol=tol, name="loss", call=call)
    assert_close(kata.glove_loss(*p, x).item(), loop_loss(p, x, 100.0, 0.75), rtol=tol, atol=tol,
                 name="loss with the default x_max=100, alpha=0.75", call=describe_call("glove_loss", *p, x))


@given(seed=seeds(), vocab_size=st.integers(1, 6), dim=st.integers(1, 4), x_max=st.sampled_from([10.0, 100.0]),
       alpha=st.sampled_from([0.5, 0.75]), dtype=st.sampled_from([torch.float32, torch.float64]))
def test_glove_grads_match_autograd(kata, seed, vocab_size, dim, x_max, alpha, dtype):
    """Autograd runs in float64 on the same values; float32 gradients agree to ~1e-5."""
    p32 = params(seed, vocab_size, dim, dtype)
    p = [t.double() for t in p32]
    x = counts(seed, vocab_size)
    leaves = [t.clone().requires_grad_(True) for t in p]
    w, wt, b, bt = leaves
    i, j = np.nonzero(x)
    ii, jj = torch.as_tensor(i), torch.as_tensor(j)
    f = torch.as_tensor(np.where(x[i, j] < x_max, (x[i, j] / x_max) ** alpha, 1.0))
    err = (w[ii] * wt[jj]).sum(-1) + b[ii] + bt[jj] - torch.as_tensor(np.log(x[i, j]))
    (f * err**2).sum().backward()
    call = describe_call("glove_grads", *p32, x, x_max=x_max, alpha=alpha)
    got = kata.glove_grads(*p32, x, x_max=x_max, alpha=alpha)
    tol = 1e-4 if dtype == torch.float32 else 1e-10
    for name, g, leaf in zip(["dJ/dw", "dJ/dw_tilde", "dJ/db", "dJ/db_tilde"], got, leaves, strict=True):
        assert g.dtype == dtype, f"{call} returned {name} of dtype {g.dtype}, expected {dtype} (the parameters' dtype)"
        assert_close(g, leaf.grad, rtol=tol, atol=tol, name=name, call=call)
    defaults = kata.glove_grads(*p, x)
    leaves2 = [t.clone().requires_grad_(True) for t in p]
    w, wt, b, bt = leaves2
    f = torch.as_tensor(np.where(x[i, j] < 100.0, (x[i, j] / 100.0) ** 0.75, 1.0))
    err = (w[ii] * wt[jj]).sum(-1) + b[ii] + bt[jj] - torch.as_tensor(np.log(x[i, j]))
    (f * err**2).sum().backward()
    for name, g, leaf in zip(["dJ/dw", "dJ/dw_tilde", "dJ/db", "dJ/db_tilde"], defaults, leaves2, strict=True):
        assert_close(g, leaf.grad, rtol=1e-10, atol=1e-10, name=name + " (default x_max, alpha)",
                     call=describe_call("glove_grads", *p, x))
