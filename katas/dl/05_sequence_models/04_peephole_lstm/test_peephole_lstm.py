"""Tests for dl-05-4, the peephole LSTM.

References: torch.nn.LSTMCell (all peepholes zero must reduce to it, with b split over b_ih and
b_hh); the peephole equations written here in torch, float64, for random peepholes; and gates
computed by hand when the weight matrices are zero, which pins which cell state each gate sees.
"""
import numpy as np
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call


def params(seed: int, D: int, H: int) -> tuple:
    rng = np.random.default_rng(seed)
    s = 1 / np.sqrt(H)
    return (rng.uniform(-s, s, (4 * H, D)) * 3, rng.uniform(-s, s, (4 * H, H)) * 3, rng.uniform(-1, 1, 4 * H),
            rng.normal(0, 1, H), rng.normal(0, 1, H), rng.normal(0, 1, H))


def torch_peephole(x: np.ndarray, h: np.ndarray, c: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray, b: np.ndarray,
                   p_i: np.ndarray, p_f: np.ndarray, p_o: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    T = torch.from_numpy
    a_i, a_f, a_g, a_o = (T(x) @ T(W_ih).T + T(h) @ T(W_hh).T + T(b)).chunk(4, dim=-1)
    c1 = torch.sigmoid(a_f + T(p_f) * T(c)) * T(c) + torch.sigmoid(a_i + T(p_i) * T(c)) * torch.tanh(a_g)
    return torch.sigmoid(a_o + T(p_o) * c1) * torch.tanh(c1), c1


@given(seed=seeds(), N=st.integers(1, 4), D=st.integers(1, 4), H=st.integers(1, 5))
@example(seed=0, N=1, D=1, H=1)
def test_cell_matches_the_equations(kata, seed, N, D, H):
    W_ih, W_hh, b, p_i, p_f, p_o = params(seed, D, H)
    rng = np.random.default_rng(seed + 1)
    x, h, c = rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H)) * 2
    call = describe_call("peephole_lstm_cell", x, h, c, W_ih, W_hh, b, p_i, p_f, p_o)
    h1, c1 = call_unmodified(kata.peephole_lstm_cell, x, h, c, W_ih, W_hh, b, p_i, p_f, p_o,
                             fn_name="peephole_lstm_cell")
    wh, wc = torch_peephole(x, h, c, W_ih, W_hh, b, p_i, p_f, p_o)
    assert_shape(h1, (N, H), name="h'", call=call)
    assert_close(c1, wc, rtol=1e-12, atol=1e-12, name="c' (vs the peephole equations)", call=call)
    assert_close(h1, wh, rtol=1e-12, atol=1e-12, name="h' (vs the peephole equations)", call=call)


@given(seed=seeds(), N=st.integers(1, 3), D=st.integers(1, 4), H=st.integers(1, 4))
def test_zero_peepholes_are_torch_lstmcell(kata, seed, N, D, H):
    W_ih, W_hh, b, _, _, _ = params(seed, D, H)
    z = np.zeros(H)
    rng = np.random.default_rng(seed + 1)
    x, h, c = rng.standard_normal((N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    h1, c1 = kata.peephole_lstm_cell(x, h, c, W_ih, W_hh, b, z, z, z)
    cell = torch.nn.LSTMCell(D, H).double()
    with torch.no_grad():
        cell.weight_ih.copy_(torch.from_numpy(W_ih))
        cell.weight_hh.copy_(torch.from_numpy(W_hh))
        cell.bias_ih.copy_(torch.from_numpy(b / 2))
        cell.bias_hh.copy_(torch.from_numpy(b / 2))
    wh, wc = cell(torch.from_numpy(x), (torch.from_numpy(h), torch.from_numpy(c)))
    call = describe_call("peephole_lstm_cell(p_i = p_f = p_o = 0)", x, h, c)
    assert_close(h1, wh, rtol=1e-12, atol=1e-12, name="h' (vs torch.nn.LSTMCell)", call=call)
    assert_close(c1, wc, rtol=1e-12, atol=1e-12, name="c' (vs torch.nn.LSTMCell)", call=call)


@given(c=st.floats(-3, 3), p=st.sampled_from([(1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0), (0.5, -2.0, 3.0)]),
       bias=st.sampled_from([(0.0, 0.0, 1.0, 0.0), (0.3, -0.7, -1.2, 0.4)]))
@example(c=2.0, p=(0.0, 0.0, 1.0), bias=(0.0, 0.0, 1.0, 0.0))
def test_each_gate_peeks_at_the_right_cell_state(kata, c, p, bias):
    """Zero weight matrices: the gates see only biases and peepholes, so the answer is a few scalars."""
    def s(v: float) -> float:
        return 1 / (1 + np.exp(-v))

    b_i, b_f, b_g, b_o = bias
    p_i, p_f, p_o = p
    c1 = s(b_f + p_f * c) * c + s(b_i + p_i * c) * np.tanh(b_g)
    h1 = s(b_o + p_o * c1) * np.tanh(c1)
    got_h, got_c = kata.peephole_lstm_cell(np.ones((1, 1)), np.zeros((1, 1)), np.array([[c]]), np.zeros((4, 1)),
                                           np.zeros((4, 1)), np.array(bias), np.array([p_i]), np.array([p_f]),
                                           np.array([p_o]))
    call = describe_call(f"peephole_lstm_cell(c={c}, peepholes (p_i, p_f, p_o)={p}, b={bias}, zero weights)")
    assert_close(got_c, [[c1]], rtol=1e-12, atol=1e-12, name="c' (i and f peek at the old cell c)", call=call)
    assert_close(got_h, [[h1]], rtol=1e-12, atol=1e-12, name="h' (o peeks at the new cell c')", call=call)


@given(seed=seeds(), T=st.integers(1, 6), N=st.integers(1, 3), D=st.integers(1, 3), H=st.integers(1, 4))
def test_sequence_carries_both_states(kata, seed, T, N, D, H):
    W_ih, W_hh, b, p_i, p_f, p_o = params(seed, D, H)
    rng = np.random.default_rng(seed + 1)
    xs, h, c = rng.standard_normal((T, N, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H))
    call = describe_call("peephole_lstm_sequence", xs, h, c)
    hs, cT = kata.peephole_lstm_sequence(xs, h, c, W_ih, W_hh, b, p_i, p_f, p_o)
    want = []
    for t in range(T):
        ht, ct = torch_peephole(xs[t], h, c, W_ih, W_hh, b, p_i, p_f, p_o)
        h, c = ht.numpy(), ct.numpy()
        want.append(h)
    assert_shape(hs, (T, N, H), name="hs", call=call)
    assert_close(hs, np.stack(want), rtol=1e-11, atol=1e-12, name="hidden states", call=call)
    assert_close(cT, c, rtol=1e-11, atol=1e-12, name="final cell state", call=call)
