"""Tests for nlp-03-3, causal masking.

Reference: torch.nn.functional.scaled_dot_product_attention(is_causal=True) in float64 (weights
read off with identity values), a brute-force mask, and the causal property itself: perturbing
any token after position t never changes the output at t.
"""
import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_dtype, assert_equal, assert_shape, describe_call

BATCH_SHAPES = st.lists(dims(1, 3), max_size=2).map(tuple)
DTYPES = st.sampled_from(["float32", "float64"])
# float64: only summation order differs from torch; float32: ~1e-7 relative per operation.
TOL = {"float32": {"rtol": 1e-4, "atol": 1e-5}, "float64": {"rtol": 1e-9, "atol": 1e-11}}


def qkv(seed: int, batch: tuple, seq: int, d: int, dv: int, dtype: str = "float64") -> tuple:
    g = torch.Generator().manual_seed(seed)
    t = getattr(torch, dtype)
    return (torch.randn(*batch, seq, d, generator=g, dtype=torch.float64).to(t),
            torch.randn(*batch, seq, d, generator=g, dtype=torch.float64).to(t),
            torch.randn(*batch, seq, dv, generator=g, dtype=torch.float64).to(t))


@given(seq=dims(1, 12))
@example(seq=1)
@example(seq=4)
def test_causal_mask_is_lower_triangular(kata, seq):
    call = describe_call("causal_mask", seq)
    got = kata.causal_mask(seq)
    assert_shape(got, (seq, seq), call=call)
    assert got.dtype == torch.bool, f"{call} returned dtype {got.dtype}, expected torch.bool"
    want = np.array([[j <= i for j in range(seq)] for i in range(seq)])  # query i sees keys j <= i
    assert_equal(got, want, call=call)


@given(seq=dims(1, 6), device=st.sampled_from(["meta", torch.device("meta"), "cpu", None]))
@example(seq=3, device="meta")
def test_causal_mask_is_made_on_the_given_device(kata, seq, device):
    """`device` is honoured (the meta device stands in for a GPU: shapes and dtypes, no data)."""
    call = describe_call("causal_mask", seq, device=device)
    got = kata.causal_mask(seq, device=device)
    want = torch.device(device if device is not None else "cpu")
    assert got.device.type == want.type, f"{call} returned a tensor on {got.device}, expected {want}"
    assert tuple(got.shape) == (seq, seq), f"{call} returned shape {tuple(got.shape)}, expected {(seq, seq)}"
    assert got.dtype == torch.bool, f"{call} returned dtype {got.dtype}, expected torch.bool"


@given(batch=BATCH_SHAPES, seq=dims(1, 8), d=dims(1, 8), dv=dims(1, 6), seed=seeds(), dtype=DTYPES)
@example(batch=(2,), seq=5, d=4, dv=3, seed=0, dtype="float64")
@example(batch=(), seq=1, d=1, dv=1, seed=0, dtype="float32")
def test_matches_sdpa_is_causal(kata, batch, seq, d, dv, seed, dtype):
    q, k, v = qkv(seed, batch, seq, d, dv, dtype)
    call = describe_call("causal_attention", q, k, v)
    out, weights = kata.causal_attention(q, k, v)
    qd, kd, vd = q.double(), k.double(), v.double()
    want_out = F.scaled_dot_product_attention(qd, kd, vd, is_causal=True)
    want_w = F.scaled_dot_product_attention(qd, kd, torch.eye(seq, dtype=torch.float64).expand(*batch, seq, seq),
                                            is_causal=True)
    assert_shape(weights, (*batch, seq, seq), name="weights", call=call)
    assert_dtype(out, q, name="output", call=call)
    assert_dtype(weights, q, name="weights", call=call)
    assert_close(weights, want_w, name="weights", call=call, **TOL[dtype])
    assert_close(out, want_out, name="output", call=call, **TOL[dtype])


@given(batch=BATCH_SHAPES, seq=dims(2, 8), d=dims(1, 6), seed=seeds())
@example(batch=(), seq=3, d=2, seed=0)
def test_future_weights_are_exactly_zero_and_rows_sum_to_one(kata, batch, seq, d, seed):
    q, k, v = qkv(seed, batch, seq, d, 2)
    call = describe_call("causal_attention", q, k, v)
    _, weights = kata.causal_attention(q, k, v)
    future = torch.ones(seq, seq, dtype=torch.bool).triu(1).expand(weights.shape)
    leaked = weights[future]
    assert (leaked == 0).all(), (f"{call} put weight on future positions (j > i): {leaked[leaked != 0][:4].tolist()}; "
                                 "masked scores must be -inf before the softmax, not 0")
    # float64 sums of <= 8 terms.
    assert_close(weights.sum(-1), torch.ones(weights.shape[:-1]), rtol=0, atol=1e-12, name="row sums", call=call)


@given(batch=BATCH_SHAPES, seq=dims(2, 8), d=dims(1, 6), dv=dims(1, 4), seed=seeds(), data=st.data(),
       size=st.sampled_from([1.0, 10.0, 1000.0]), only_next=st.booleans())
@example(batch=(), seq=2, d=2, dv=2, seed=0, data=None, size=10.0, only_next=True)
def test_future_tokens_never_change_the_past(kata, batch, seq, d, dv, seed, data, size, only_next):
    """Perturb q, k and v at positions > t (all of them, or just t + 1): outputs at 0..t must not move."""
    t = data.draw(st.integers(0, seq - 2), label="t") if data is not None else 0
    q, k, v = qkv(seed, batch, seq, d, dv)
    noise = qkv(seed + 1, batch, seq, d, dv)
    stop = t + 2 if only_next else seq
    q2, k2, v2 = q.clone(), k.clone(), v.clone()
    for x, n in ((q2, noise[0]), (k2, noise[1]), (v2, noise[2])):
        x[..., t + 1:stop, :] += size * n[..., t + 1:stop, :]
    out, _ = kata.causal_attention(q, k, v)
    out2, _ = kata.causal_attention(q2, k2, v2)
    # Masked weights are exactly 0, so outputs 0..t are identical up to summation order (float64).
    assert_close(out2[..., : t + 1, :], out[..., : t + 1, :], rtol=0, atol=1e-12,
                 name=f"outputs at positions 0..{t} after perturbing positions {t + 1}..{stop - 1}",
                 call=describe_call("causal_attention", q2, k2, v2))


@given(batch=BATCH_SHAPES, seq=dims(1, 8), d=dims(1, 6), dv=dims(1, 4), seed=seeds())
@example(batch=(), seq=1, d=1, dv=1, seed=0)
@example(batch=(2,), seq=5, d=3, dv=2, seed=1)
def test_first_position_attends_only_to_itself(kata, batch, seq, d, dv, seed):
    q, k, v = qkv(seed, batch, seq, d, dv)
    call = describe_call("causal_attention", q, k, v)
    out, weights = kata.causal_attention(q, k, v)
    one_hot = torch.zeros(*batch, seq, dtype=torch.float64)
    one_hot[..., 0] = 1.0
    # softmax over a single finite score is exactly 1, and 1 * v[0] + 0 * ... is exactly v[0].
    assert_close(weights[..., 0, :], one_hot, rtol=0, atol=0, name="weights of position 0", call=call)
    assert_close(out[..., 0, :], v[..., 0, :], rtol=0, atol=0, name="output at position 0", call=call)


@given(batch=BATCH_SHAPES, seq=dims(2, 8), d=dims(1, 6), dv=dims(1, 4), seed=seeds(), data=st.data())
def test_running_on_a_prefix_gives_the_same_outputs(kata, batch, seq, d, dv, seed, data):
    """A causal model's outputs at 0..t only depend on tokens 0..t: truncating the input changes nothing."""
    t = data.draw(st.integers(1, seq - 1), label="prefix length")
    q, k, v = qkv(seed, batch, seq, d, dv)
    out, _ = kata.causal_attention(q, k, v)
    out_prefix, _ = kata.causal_attention(q[..., :t, :], k[..., :t, :], v[..., :t, :])
    # float64; different shapes may sum in a different order.
    assert_close(out_prefix, out[..., :t, :], rtol=1e-12, atol=1e-12, name=f"outputs on the first {t} tokens",
                 call=describe_call("causal_attention", q[..., :t, :], k[..., :t, :], v[..., :t, :]))
