"""Tests for nlp-03-1, dot-product attention for one token and for a batch.

Reference: torch.nn.functional.scaled_dot_product_attention evaluated in float64. Its attention
weights are read off by attending over identity values (V = I gives output = weights), so the
reference never goes through code written here. Plus the properties that pin softmax attention
down: weights form a distribution, a constant added to every score changes nothing, one key gets
all the weight.
"""
import math

import torch
import torch.nn.functional as F
from hypothesis import assume, example, given
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

DTYPES = st.sampled_from(["float32", "float64"])
SCALES = st.sampled_from([0.5, 1.0, 2.0])
BATCH_SHAPES = st.lists(dims(1, 3), max_size=2).map(tuple)


def randn(gen: torch.Generator, *shape: int, scale: float = 1.0, dtype: str = "float64") -> torch.Tensor:
    return (torch.randn(*shape, generator=gen, dtype=torch.float64) * scale).to(getattr(torch, dtype))


def tolerances(dtype: str, scale: float) -> dict:
    if dtype == "float64":
        # float64 in, float64 reference: only summation order differs.
        return {"rtol": 1e-9, "atol": 1e-10}
    # float32 scores carry ~1e-7 relative error; with inputs scaled by `scale` the scores grow like
    # scale**2, and a score error e moves a weight by up to e/4.
    return {"rtol": 1e-4, "atol": 2e-6 * max(1.0, scale**2)}


def reference(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
              mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """torch's SDPA in float64; weights = SDPA with identity values."""
    q, k, v = q.double(), k.double(), v.double()
    eye = torch.eye(k.shape[-2], dtype=torch.float64).expand(*k.shape[:-1], k.shape[-2])
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    weights = F.scaled_dot_product_attention(q, k, eye, attn_mask=mask)
    return out, weights


@given(n=dims(1, 12), d=dims(1, 16), dv=dims(1, 8), seed=seeds(), dtype=DTYPES, scale=SCALES)
@example(n=1, d=3, dv=2, seed=0, dtype="float64", scale=1.0)
@example(n=5, d=8, dv=4, seed=1, dtype="float32", scale=16.0)   # scores ~ 250: exp overflows float32
@example(n=5, d=8, dv=4, seed=2, dtype="float64", scale=32.0)   # scores ~ 1000: exp overflows float64
def test_attend_matches_torch_sdpa(kata, n, d, dv, seed, dtype, scale):
    g = torch.Generator().manual_seed(seed)
    q, k, v = randn(g, d, scale=scale, dtype=dtype), randn(g, n, d, scale=scale, dtype=dtype), randn(g, n, dv, dtype=dtype)
    call = describe_call("attend", q, k, v)
    out, weights = kata.attend(q, k, v)
    want_out, want_w = reference(q[None], k, v)
    assert_shape(weights, (n,), name="weights", call=call)
    assert_shape(out, (dv,), name="output", call=call)
    assert_dtype(out, q, name="output", call=call)
    assert_dtype(weights, q, name="weights", call=call)
    tol = tolerances(dtype, scale)
    assert_close(weights, want_w[0], name="weights", call=call, **tol)
    assert_close(out, want_out[0], name="output", call=call, **tol)


@given(n=dims(2, 12), d=dims(2, 16), seed=seeds())
@example(n=6, d=8, seed=0)
def test_attend_log_weights_are_the_scaled_scores(kata, n, d, seed):
    """log softmax(s) = s - logsumexp(s): centred log-weights give back the centred scores q·k/sqrt(d)."""
    g = torch.Generator().manual_seed(seed)
    q, k, v = randn(g, d), randn(g, n, d), randn(g, n, 3)
    _, weights = kata.attend(q, k, v)
    log_w = torch.log(weights.double())
    scores = (k @ q) / math.sqrt(d)
    # float64 throughout; N(0, 1) scores keep every weight far above underflow, so the log is accurate to ~1e-14.
    assert_close(log_w - log_w.mean(), scores - scores.mean(), rtol=1e-7, atol=1e-8,
                 name="centred log-weights (= centred scores)", call=describe_call("attend", q, k, v))


@given(n=dims(1, 12), d=dims(1, 16), seed=seeds(), scale=st.sampled_from([1.0, 4.0, 16.0]))
@example(n=7, d=4, seed=3, scale=16.0)
def test_attend_weights_form_a_distribution(kata, n, d, seed, scale):
    g = torch.Generator().manual_seed(seed)
    q, k, v = randn(g, d, scale=scale, dtype="float32"), randn(g, n, d, scale=scale, dtype="float32"), randn(g, n, 2, dtype="float32")
    call = describe_call("attend", q, k, v)
    _, weights = kata.attend(q, k, v)
    assert torch.isfinite(weights).all(), f"{call} returned non-finite weights {weights}: subtract the max score before exp"
    assert (weights >= 0).all(), f"{call} returned negative weights {weights}"
    # float32 sum of n <= 12 terms in [0, 1].
    assert_close(weights.sum(), 1.0, rtol=0, atol=1e-5, name="sum of the weights", call=call)


@given(n=dims(1, 10), d=dims(1, 12), seed=seeds(), shift=st.floats(-1000.0, 1000.0, width=32))
@example(n=4, d=6, seed=0, shift=1000.0)
@example(n=4, d=6, seed=0, shift=-1000.0)
def test_attend_ignores_a_constant_added_to_every_score(kata, n, d, seed, shift):
    """Adding u to every key with q·u/sqrt(d) = shift adds `shift` to every score: softmax does not move."""
    g = torch.Generator().manual_seed(seed)
    q, k, v = randn(g, d), randn(g, n, d), randn(g, n, 3)
    assume(float(q @ q) > 0.25)  # keeps u = shift·sqrt(d)·q/|q|² of moderate size
    u = shift * math.sqrt(d) * q / (q @ q)
    call = describe_call("attend", q, k + u, v)
    out0, w0 = kata.attend(q, k, v)
    out1, w1 = kata.attend(q, k + u, v)
    # float64; the shifted scores carry rounding error ~ |shift| * 1e-16 * d.
    assert_close(w1, w0, rtol=1e-9, atol=1e-9, name="weights after the shift", call=call)
    assert_close(out1, out0, rtol=1e-9, atol=1e-9, name="output after the shift", call=call)


@given(d=dims(1, 16), dv=dims(1, 8), seed=seeds(), scale=st.sampled_from([0.5, 1.0, 64.0]), dtype=DTYPES)
@example(d=4, dv=3, seed=0, scale=64.0, dtype="float32")
def test_attend_one_key_takes_all_the_weight(kata, d, dv, seed, scale, dtype):
    g = torch.Generator().manual_seed(seed)
    q, k, v = randn(g, d, scale=scale, dtype=dtype), randn(g, 1, d, scale=scale, dtype=dtype), randn(g, 1, dv, dtype=dtype)
    call = describe_call("attend", q, k, v)
    out, weights = kata.attend(q, k, v)
    # exp(s - s) = 1 exactly; the output is 1 * v[0].
    assert_close(weights, torch.ones(1), rtol=0, atol=0, name="weights", call=call)
    assert_close(out, v[0], rtol=0, atol=0, name="output", call=call)


@given(batch=BATCH_SHAPES, lq=dims(1, 6), lk=dims(1, 7), d=dims(1, 8), dv=dims(1, 6), seed=seeds(),
       dtype=DTYPES, masked=st.sampled_from(["none", "full", "broadcast", "keys", "key_row", "one"]))
@example(batch=(2,), lq=3, lk=5, d=8, dv=2, seed=0, dtype="float64", masked="none")
@example(batch=(2, 3), lq=4, lk=4, d=4, dv=3, seed=1, dtype="float32", masked="broadcast")
@example(batch=(), lq=1, lk=1, d=1, dv=1, seed=0, dtype="float64", masked="full")
@example(batch=(2,), lq=3, lk=5, d=4, dv=2, seed=3, dtype="float32", masked="keys")     # (B, 1, Lk) padding mask
@example(batch=(2, 2), lq=2, lk=4, d=4, dv=2, seed=4, dtype="float64", masked="key_row")  # (Lk,)
@example(batch=(2,), lq=4, lk=6, d=4, dv=2, seed=5, dtype="float32", masked="one")     # one key left per row
def test_sdpa_matches_torch_sdpa(kata, batch, lq, lk, d, dv, seed, dtype, masked):
    """Every promised mask form: (..., Lq, Lk), (Lq, Lk), a key-padding (..., 1, Lk) or (Lk,) mask, and
    rows with all keys but one masked."""
    g = torch.Generator().manual_seed(seed)
    q, k, v = randn(g, *batch, lq, d, dtype=dtype), randn(g, *batch, lk, d, dtype=dtype), randn(g, *batch, lk, dv, dtype=dtype)
    mask = None
    if masked != "none":
        shape = {"full": (*batch, lq, lk), "broadcast": (lq, lk), "keys": (*batch, 1, lk), "key_row": (lk,),
                 "one": (*batch, lq, lk)}[masked]
        mask = torch.rand(shape, generator=g) < (0.0 if masked == "one" else 0.5)
        keep = torch.randint(lk, shape[:-1], generator=g)      # one allowed key per query row
        mask.scatter_(-1, keep[..., None], True)
    call = describe_call("scaled_dot_product_attention", q, k, v, mask=mask)
    out, weights = call_unmodified(kata.scaled_dot_product_attention, q, k, v, mask=mask,
                                   fn_name="scaled_dot_product_attention")
    assert_dtype(out, q, name="output", call=call)
    assert_dtype(weights, q, name="weights", call=call)
    want_out, want_w = reference(q, k, v, None if mask is None else mask.expand(*batch, lq, lk))
    assert_shape(weights, (*batch, lq, lk), name="weights", call=call)
    assert_shape(out, (*batch, lq, dv), name="output", call=call)
    tol = tolerances(dtype, 1.0)
    assert_close(weights, want_w, name="weights", call=call, **tol)
    assert_close(out, want_out, name="output", call=call, **tol)
    if mask is not None:
        hidden = weights.masked_select(~mask.expand(weights.shape))
        assert (hidden == 0).all(), f"{call} put weight on masked keys: {hidden[hidden != 0][:5].tolist()} (should be exactly 0)"
