"""Tests for dl-05-3, the LSTM cell.

References: torch.nn.LSTMCell and torch.nn.LSTM carrying your weights (copied in, gate order
i, f, g, o), in float64; batched and unbatched inputs, with and without biases; and the gate
semantics (forget gate 1 and input gate 0 keep the cell).
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
    w = [rng.uniform(-s, s, (4 * H, D)) * 3, rng.uniform(-s, s, (4 * H, H)) * 3]
    b = [rng.uniform(-1, 1, 4 * H), rng.uniform(-1, 1, 4 * H)] if bias else [None, None]
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


@given(seed=seeds(), N=st.one_of(st.none(), st.integers(1, 4)), D=st.integers(1, 5), H=st.integers(1, 5),
       bias=st.booleans(), dtype=float_dtypes())
@example(seed=0, N=None, D=2, H=3, bias=True, dtype=np.float64)
@example(seed=1, N=2, D=3, H=2, bias=False, dtype=np.float32)
def test_cell_matches_torch_lstmcell(kata, seed, N, D, H, bias, dtype):
    W_ih, W_hh, b_ih, b_hh = weights(seed, D, H, dtype, bias)
    rng = np.random.default_rng(seed + 1)
    x = rng.standard_normal((D,) if N is None else (N, D)).astype(dtype)
    h = rng.standard_normal((H,) if N is None else (N, H)).astype(dtype)
    c = (rng.standard_normal((H,) if N is None else (N, H)) * 2).astype(dtype)
    call = describe_call("lstm_cell", x, h, c, W_ih, W_hh, b_ih, b_hh)
    h1, c1 = call_unmodified(kata.lstm_cell, x, h, c, W_ih, W_hh, b_ih, b_hh, fn_name="lstm_cell")
    cell = load(torch.nn.LSTMCell(D, H, bias=bias).double(), W_ih, W_hh, b_ih, b_hh)
    wh, wc = cell(torch.from_numpy(x.astype(np.float64)), (torch.from_numpy(h.astype(np.float64)),
                                                          torch.from_numpy(c.astype(np.float64))))
    # float64: a few roundings. float32 against the float64 reference: O(1) gates, ~1e-6.
    rtol, atol = (1e-12, 1e-12) if dtype == np.float64 else (1e-5, 1e-5)
    for name, got, want in (("h'", h1, wh), ("c'", c1, wc)):
        assert_shape(got, h.shape, name=name, call=call)
        assert_dtype(got, x, name=name, call=call)
        assert_close(got, want, rtol=rtol, atol=atol, name=f"{name} (vs torch.nn.LSTMCell)", call=call)


@given(seed=seeds(), T=st.integers(1, 6), N=st.integers(1, 3), D=st.integers(1, 4), H=st.integers(1, 4),
       bias=st.booleans())
def test_sequence_matches_torch_lstm(kata, seed, T, N, D, H, bias):
    W_ih, W_hh, b_ih, b_hh = weights(seed, D, H, np.float64, bias)
    rng = np.random.default_rng(seed + 1)
    xs, h0, c0 = rng.standard_normal((T, N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    call = describe_call("lstm_sequence", xs, h0, c0, W_ih, W_hh, b_ih, b_hh)
    hs, cT = kata.lstm_sequence(xs, h0, c0, W_ih, W_hh, b_ih, b_hh)
    lstm = load(torch.nn.LSTM(D, H, bias=bias).double(), W_ih, W_hh, b_ih, b_hh, suffix="_l0")
    want, (_, wc) = lstm(torch.from_numpy(xs), (torch.from_numpy(h0)[None], torch.from_numpy(c0)[None]))
    assert_shape(hs, (T, N, H), name="hs", call=call)
    assert_close(hs, want, rtol=1e-11, atol=1e-12, name="hidden states (vs torch.nn.LSTM)", call=call)
    assert_close(cT, wc[0], rtol=1e-11, atol=1e-12, name="final cell state (vs torch.nn.LSTM)", call=call)


@given(seed=seeds(), D=st.integers(1, 4), H=st.integers(1, 4))
def test_open_forget_closed_input_keeps_the_cell(kata, seed, D, H):
    """f = σ(50) = 1 and i = σ(−50) = 0 give c' = c exactly (to 1e-12): the constant error carousel."""
    W_ih, W_hh, b_ih, b_hh = weights(seed, D, H, np.float64, True)
    b_ih = b_ih.copy()
    b_ih[:H], b_ih[H:2 * H] = -50.0, 50.0  # i block first, f block second
    rng = np.random.default_rng(seed + 1)
    x, h, c = rng.standard_normal((2, D)), rng.standard_normal((2, H)), rng.standard_normal((2, H))
    _, c1 = kata.lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh)
    assert_close(c1, c, rtol=0, atol=1e-12, name="c' with f = 1, i = 0 (= c)", call=describe_call("lstm_cell", x, h, c))
