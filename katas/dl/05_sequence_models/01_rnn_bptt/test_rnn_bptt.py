"""Tests for dl-05-1, a vanilla RNN with backpropagation through time.

Reference: torch.nn.RNN (one layer, time-major) with your weights copied into it, in float64, and
torch.autograd through it with a random gradient on every step's output: the same quantities BPTT
computes.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_no_alias, assert_shape, call_unmodified, describe_call

SIZES = {"T": st.integers(1, 7), "N": st.integers(1, 3), "D": st.integers(1, 4), "H": st.integers(1, 5),
         "seed": seeds(), "f": st.sampled_from(["tanh", "relu"])}


def draw(T: int, N: int, D: int, H: int, seed: int) -> tuple:
    rng = np.random.default_rng(seed)
    s = 1 / np.sqrt(H)
    return (rng.standard_normal((T, N, D)), rng.standard_normal((N, H)) * 0.5, rng.uniform(-s, s, (H, D)) * 2,
            rng.uniform(-s, s, (H, H)) * 2, rng.uniform(-s, s, H), rng.uniform(-s, s, H))


def torch_rnn(W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray, b_hh: np.ndarray, f: str) -> torch.nn.RNN:
    rnn = torch.nn.RNN(W_ih.shape[1], W_ih.shape[0], nonlinearity=f).double()
    with torch.no_grad():
        for name, v in (("weight_ih_l0", W_ih), ("weight_hh_l0", W_hh), ("bias_ih_l0", b_ih), ("bias_hh_l0", b_hh)):
            getattr(rnn, name).copy_(torch.from_numpy(v))
    return rnn


@given(**SIZES)
@example(T=1, N=1, D=1, H=1, seed=0, f="tanh")
@example(T=6, N=2, D=3, H=4, seed=1, f="relu")
def test_forward_matches_torch_rnn(kata, T, N, D, H, seed, f):
    x, h0, W_ih, W_hh, b_ih, b_hh = draw(T, N, D, H, seed)
    call = describe_call(f"rnn_forward(nonlinearity={f!r})", x, h0, W_ih, W_hh, b_ih, b_hh)
    hs, _ = call_unmodified(kata.rnn_forward, x, h0, W_ih, W_hh, b_ih, b_hh, nonlinearity=f, fn_name="rnn_forward")
    want, _ = torch_rnn(W_ih, W_hh, b_ih, b_hh, f)(torch.from_numpy(x), torch.from_numpy(h0)[None])
    assert_shape(hs, (T, N, H), name="hs", call=call)
    assert_close(hs, want, rtol=1e-12, atol=1e-12, name="hidden states (vs torch.nn.RNN)", call=call)


@given(**SIZES, last_only=st.booleans())
@example(T=1, N=1, D=1, H=1, seed=2, f="tanh", last_only=False)
@example(T=7, N=2, D=2, H=3, seed=3, f="tanh", last_only=True)   # a loss on h_T only: all credit flows back in time
@example(T=5, N=3, D=4, H=5, seed=4, f="relu", last_only=False)
def test_bptt_matches_autograd(kata, T, N, D, H, seed, f, last_only):
    x, h0, W_ih, W_hh, b_ih, b_hh = draw(T, N, D, H, seed)
    dhs = np.random.default_rng(seed + 1).standard_normal((T, N, H))
    if last_only:
        dhs[:-1] = 0.0
    _, cache = kata.rnn_forward(x, h0, W_ih, W_hh, b_ih, b_hh, nonlinearity=f)
    call = describe_call(f"rnn_backward (nonlinearity={f!r})", dhs, "cache")
    grads = call_unmodified(kata.rnn_backward, dhs, cache, fn_name="rnn_backward")
    rnn = torch_rnn(W_ih, W_hh, b_ih, b_hh, f)
    xt, h0t = torch.tensor(x, requires_grad=True), torch.tensor(h0[None], requires_grad=True)
    out, _ = rnn(xt, h0t)
    (out * torch.from_numpy(dhs)).sum().backward()
    want = {"dx": xt.grad, "dh0": h0t.grad[0], "dW_ih": rnn.weight_ih_l0.grad, "dW_hh": rnn.weight_hh_l0.grad,
            "db_ih": rnn.bias_ih_l0.grad, "db_hh": rnn.bias_hh_l0.grad}
    assert len(grads) == 6, f"{call} returned {len(grads)} arrays, expected 6 (dx, dh0, dW_ih, dW_hh, db_ih, db_hh)"
    for (name, w), got in zip(want.items(), grads, strict=True):
        assert_shape(got, tuple(w.shape), name=name, call=call)
        # float64 products along ≤ 7 steps: rounding only.
        assert_close(got, w, rtol=1e-9, atol=1e-11, name=f"{name} (vs torch.autograd through nn.RNN)", call=call)
    for i in range(1, 6):  # six arrays of their own: scaling one in place (clipping) must not change another
        assert_no_alias(grads[i], *grads[:i], name=list(want)[i], call=call)


@given(f=st.sampled_from(["sigmoid", "Tanh", "gelu"]))
def test_unknown_nonlinearity_raises(kata, f):
    x, h0, W_ih, W_hh, b_ih, b_hh = draw(2, 1, 2, 2, 0)
    with pytest.raises(ValueError):
        kata.rnn_forward(x, h0, W_ih, W_hh, b_ih, b_hh, nonlinearity=f)
