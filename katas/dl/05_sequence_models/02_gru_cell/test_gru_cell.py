"""Tests for dl-05-2, the GRU cell.

References: torch.nn.GRUCell and torch.nn.GRU carrying your weights (copied in, gate order r, z, n),
in float64; batched and unbatched inputs, with and without biases; and the gate semantics
(an update gate saturated at 1 keeps the state).
"""
import numpy as np
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call


def weights(seed: int, D: int, H: int, dtype: type, bias: bool) -> tuple:
    rng = np.random.default_rng(seed)
    s = 1 / np.sqrt(H)
    w = [rng.uniform(-s, s, (3 * H, D)) * 3, rng.uniform(-s, s, (3 * H, H)) * 3]
    b = [rng.uniform(-1, 1, 3 * H), rng.uniform(-1, 1, 3 * H)] if bias else [None, None]
    return tuple(None if a is None else a.astype(dtype) for a in w + b)


def load(mod: torch.nn.Module, W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray | None, b_hh: np.ndarray | None,
         suffix: str = "") -> torch.nn.Module:
    with torch.no_grad():
        getattr(mod, "weight_ih" + suffix).copy_(torch.from_numpy(W_ih.astype(np.float64)))
        getattr(mod, "weight_hh" + suffix).copy_(torch.from_numpy(W_hh.astype(np.float64)))
        if b_ih is not None:
            getattr(mod, "bias_ih" + suffix).copy_(torch.from_numpy(b_ih.astype(np.float64)))
            getattr(mod, "bias_hh" + suffix).copy_(torch.from_numpy(b_hh.astype(np.float64)))
    return mod


def tol(dtype: type) -> tuple[float, float]:
    # float64: a few roundings. float32 against the float64 reference: gates of O(1), ~1e-6.
    return (1e-12, 1e-12) if dtype == np.float64 else (1e-5, 1e-5)


@given(seed=seeds(), N=st.one_of(st.none(), st.integers(1, 4)), D=st.integers(1, 5), H=st.integers(1, 5),
       bias=st.booleans(), dtype=float_dtypes())
@example(seed=0, N=None, D=2, H=3, bias=True, dtype=np.float64)
@example(seed=1, N=2, D=3, H=2, bias=False, dtype=np.float32)
def test_cell_matches_torch_grucell(kata, seed, N, D, H, bias, dtype):
    W_ih, W_hh, b_ih, b_hh = weights(seed, D, H, dtype, bias)
    rng = np.random.default_rng(seed + 1)
    x = rng.standard_normal((D,) if N is None else (N, D)).astype(dtype)
    h = rng.standard_normal((H,) if N is None else (N, H)).astype(dtype)
    call = describe_call("gru_cell", x, h, W_ih, W_hh, b_ih, b_hh)
    got = call_unmodified(kata.gru_cell, x, h, W_ih, W_hh, b_ih, b_hh, fn_name="gru_cell")
    cell = load(torch.nn.GRUCell(D, H, bias=bias).double(), W_ih, W_hh, b_ih, b_hh)
    want = cell(torch.from_numpy(x.astype(np.float64)), torch.from_numpy(h.astype(np.float64)))
    assert_shape(got, h.shape, call=call)
    assert_dtype(got, x, call=call)
    rtol, atol = tol(dtype)
    assert_close(got, want, rtol=rtol, atol=atol, name="h' (vs torch.nn.GRUCell)", call=call)


@given(seed=seeds(), T=st.integers(1, 6), N=st.integers(1, 3), D=st.integers(1, 4), H=st.integers(1, 4),
       bias=st.booleans())
def test_sequence_matches_torch_gru(kata, seed, T, N, D, H, bias):
    W_ih, W_hh, b_ih, b_hh = weights(seed, D, H, np.float64, bias)
    rng = np.random.default_rng(seed + 1)
    xs, h0 = rng.standard_normal((T, N, D)), rng.standard_normal((N, H))
    call = describe_call("gru_sequence", xs, h0, W_ih, W_hh, b_ih, b_hh)
    got = kata.gru_sequence(xs, h0, W_ih, W_hh, b_ih, b_hh)
    gru = load(torch.nn.GRU(D, H, bias=bias).double(), W_ih, W_hh, b_ih, b_hh, suffix="_l0")
    want, _ = gru(torch.from_numpy(xs), torch.from_numpy(h0)[None])
    assert_shape(got, (T, N, H), call=call)
    assert_close(got, want, rtol=1e-11, atol=1e-12, name="hidden states (vs torch.nn.GRU)", call=call)


@given(seed=seeds(), D=st.integers(1, 4), H=st.integers(1, 4))
def test_saturated_update_gate_keeps_the_state(kata, seed, D, H):
    """z = σ(large) = 1 makes h' = h whatever x is: the GRU's 'copy' path."""
    W_ih, W_hh, b_ih, b_hh = weights(seed, D, H, np.float64, True)
    b_ih = b_ih.copy()
    b_ih[H:2 * H] = 50.0  # the z block is the second one
    rng = np.random.default_rng(seed + 1)
    x, h = rng.standard_normal((2, D)), rng.standard_normal((2, H))
    assert_close(kata.gru_cell(x, h, W_ih, W_hh, b_ih, b_hh), h, rtol=0, atol=1e-12,
                 name="h' with the update gate saturated at 1 (= h)", call=describe_call("gru_cell", x, h))
