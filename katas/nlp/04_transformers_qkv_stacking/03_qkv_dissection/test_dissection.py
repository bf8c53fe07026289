"""Tests for nlp-04-3, dissecting Q, K and V.

References: torch.nn.functional.scaled_dot_product_attention in float64 (weights read off with
identity values, gradients with autograd), scipy.special.softmax and scipy.stats.entropy, and
closed forms: zero queries give uniform weights and mean(V); swapping Q and K transposes the raw
scores; scaling Q by c is a temperature 1/c whose entropy falls with c towards the argmax.
"""
import math

import numpy as np
import scipy.special
import scipy.stats
import torch
import torch.nn.functional as F
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, assert_shape, describe_call

BATCH_SHAPES = st.lists(dims(1, 3), max_size=1).map(tuple)
# float64 throughout: only summation order differs from the references.
TOL = {"rtol": 1e-9, "atol": 1e-12}


def randn(gen: torch.Generator, *shape: int, scale: float = 1.0) -> torch.Tensor:
    return torch.randn(*shape, generator=gen, dtype=torch.float64) * scale


def sdpa_weights(q: torch.Tensor, k: torch.Tensor, scale: float | None = None) -> torch.Tensor:
    """torch's attention weights: SDPA with identity values."""
    eye = torch.eye(k.shape[-2], dtype=torch.float64).expand(*k.shape[:-1], k.shape[-2])
    return F.scaled_dot_product_attention(q, k, eye, scale=scale)


def double_centre(x: np.ndarray) -> np.ndarray:
    """Remove every row mean and column mean: what is left does not depend on per-row/per-column normalisers."""
    return x - x.mean(-1, keepdims=True) - x.mean(-2, keepdims=True) + x.mean((-2, -1), keepdims=True)


@given(batch=BATCH_SHAPES, lq=dims(1, 6), lk=dims(1, 6), d=dims(1, 8), seed=seeds())
@example(batch=(), lq=3, lk=5, d=4, seed=0)
def test_swap_qk_matches_torch(kata, batch, lq, lk, d, seed):
    g = torch.Generator().manual_seed(seed)
    q, k = randn(g, *batch, lq, d), randn(g, *batch, lk, d)
    call = describe_call("swap_qk_weights", q, k)
    got = kata.swap_qk_weights(q, k)
    assert_shape(got, (*batch, lk, lq), call=call)
    assert_close(got, sdpa_weights(k, q), name="weights (keys attending over queries)", call=call, **TOL)


@given(lq=dims(2, 6), lk=dims(2, 6), d=dims(1, 8), seed=seeds())
@example(lq=3, lk=4, d=2, seed=0)
def test_swap_qk_raw_scores_are_the_transpose(kata, lq, lk, d, seed):
    """log softmax differs from the scores by one constant per row, so after removing row and column
    means, log(swapped)ᵀ and log(original weights) must coincide: the raw score pattern is transposed."""
    g = torch.Generator().manual_seed(seed)
    q, k = randn(g, lq, d), randn(g, lk, d)
    got = kata.swap_qk_weights(q, k)
    original = sdpa_weights(q, k)
    assert_close(double_centre(np.log(np.asarray(got.detach(), dtype=np.float64)).T),
                 double_centre(np.log(original.numpy())), rtol=1e-8, atol=1e-9,
                 name="double-centred log(swapped)ᵀ (should equal that of the original weights)",
                 call=describe_call("swap_qk_weights", q, k))


@given(batch=BATCH_SHAPES, seq=dims(1, 6), d=dims(1, 8), seed=seeds())
def test_swap_qk_changes_nothing_when_q_equals_k(kata, batch, seq, d, seed):
    """Tied projections (W_q = W_k) give symmetric scores: swapping the roles is a no-op."""
    x = randn(torch.Generator().manual_seed(seed), *batch, seq, d)
    call = describe_call("swap_qk_weights", x, x)
    assert_close(kata.swap_qk_weights(x, x), sdpa_weights(x, x), name="weights with q = k", call=call, **TOL)


@given(batch=BATCH_SHAPES, lq=dims(1, 6), lk=dims(1, 6), d=dims(1, 8), seed=seeds())
@example(batch=(), lq=2, lk=5, d=3, seed=0)
@example(batch=(2,), lq=1, lk=1, d=1, seed=0)
def test_identity_values_return_the_weights(kata, batch, lq, lk, d, seed):
    g = torch.Generator().manual_seed(seed)
    q, k = randn(g, *batch, lq, d), randn(g, *batch, lk, d)
    call = describe_call("identity_value_output", q, k)
    got = kata.identity_value_output(q, k)
    assert_shape(got, (*batch, lq, lk), call=call)
    closed_form = scipy.special.softmax(np.einsum("...id,...jd->...ij", q.numpy(), k.numpy()) / math.sqrt(d), axis=-1)
    assert_close(got, closed_form, name="output with V = I (= softmax(q kᵀ/sqrt d))", call=call, **TOL)
    eye = torch.eye(lk, dtype=torch.float64).expand(*batch, lk, lk)
    assert_close(got, F.scaled_dot_product_attention(q, k, eye), name="output with V = I", call=call, **TOL)


@given(batch=BATCH_SHAPES, lq=dims(1, 6), lk=dims(1, 6), d=dims(1, 8), dv=dims(1, 5), seed=seeds())
@example(batch=(), lq=3, lk=4, d=2, dv=2, seed=0)
def test_zero_query_gives_uniform_weights_and_the_mean_value(kata, batch, lq, lk, d, dv, seed):
    g = torch.Generator().manual_seed(seed)
    q, k, v = randn(g, *batch, lq, d), randn(g, *batch, lk, d), randn(g, *batch, lk, dv)
    q_before = q.clone()
    call = describe_call("zero_query", q, k, v)
    out, weights = kata.zero_query(q, k, v)
    assert_equal(q, q_before, name="q after the call (must not be modified in place)", call=call)
    assert_shape(weights, (*batch, lq, lk), name="weights", call=call)
    assert_close(weights, torch.full((*batch, lq, lk), 1.0 / lk, dtype=torch.float64), name="weights (should be 1/Lk)",
                 call=call, **TOL)
    assert_close(out, v.mean(-2, keepdim=True).expand(*batch, lq, dv), name="output (should be mean of v)", call=call,
                 **TOL)
    assert_close(out, F.scaled_dot_product_attention(torch.zeros_like(q), k, v), name="output", call=call, **TOL)


@given(batch=BATCH_SHAPES, lq=dims(1, 5), lk=dims(1, 6), d=dims(1, 8), seed=seeds(),
       c=st.floats(0.0, 16.0, width=32))
@example(batch=(), lq=3, lk=4, d=4, seed=0, c=0.0)
@example(batch=(), lq=3, lk=4, d=4, seed=0, c=3.0)
def test_scaled_query_matches_torch(kata, batch, lq, lk, d, seed, c):
    g = torch.Generator().manual_seed(seed)
    q, k = randn(g, *batch, lq, d), randn(g, *batch, lk, d)
    q_before = q.clone()
    call = describe_call("scaled_query_weights", q, k, c)
    got = kata.scaled_query_weights(q, k, c)
    assert_equal(q, q_before, name="q after the call (must not be modified in place)", call=call)
    assert_shape(got, (*batch, lq, lk), call=call)
    # c·q·k/sqrt(d) = q·k · (c/sqrt(d)): SDPA with an explicit scale.
    assert_close(got, sdpa_weights(q, k, scale=c / math.sqrt(d)), name=f"weights with q scaled by {c}", call=call, **TOL)


@given(lq=dims(1, 4), lk=dims(2, 6), d=dims(1, 8), seed=seeds(),
       cs=st.lists(st.floats(0.0, 32.0, width=32), min_size=2, max_size=5, unique=True).map(sorted))
def test_entropy_falls_as_q_is_scaled_up(kata, lq, lk, d, seed, cs):
    """d/dc H(softmax(c s)) = -c Var_w(s) <= 0: a colder softmax is never more spread out."""
    g = torch.Generator().manual_seed(seed)
    q, k = randn(g, lq, d), randn(g, lk, d)
    entropies = [scipy.stats.entropy(kata.scaled_query_weights(q, k, c).detach().numpy(), axis=-1) for c in cs]
    for i in range(len(cs) - 1):
        c0, h0, c1, h1 = cs[i], entropies[i], cs[i + 1], entropies[i + 1]
        # float64 entropies; 1e-9 absorbs rounding where two scales give nearly identical weights.
        assert np.all(h1 <= h0 + 1e-9), (f"scaled_query_weights(q={list(q.shape)}, k={list(k.shape)}, c): row entropies "
                                          f"rose from {h0} at c={c0} to {h1} at c={c1}; scaling q up must sharpen")


@given(lq=dims(1, 4), lk=dims(2, 6), d=dims(1, 8), seed=seeds())
@example(lq=2, lk=3, d=2, seed=0)
def test_large_scale_tends_to_the_argmax(kata, lq, lk, d, seed):
    g = torch.Generator().manual_seed(seed)
    q, k = randn(g, lq, d), randn(g, lk, d)
    scores = (q @ k.T).numpy()
    top2 = np.sort(scores, axis=-1)[:, -2:]
    gap = float((top2[:, 1] - top2[:, 0]).min())
    assume(gap > 1e-3)  # a unique maximum in every row
    c = 60.0 * math.sqrt(d) / gap  # every losing weight <= exp(-60)
    call = describe_call("scaled_query_weights", q, k, c)
    got = kata.scaled_query_weights(q, k, c)
    one_hot = np.eye(lk)[scores.argmax(-1)]
    assert_close(got, one_hot, rtol=0, atol=1e-20, name="weights at a very large scale (should be one-hot)", call=call)


@given(lead=st.lists(dims(1, 3), max_size=2).map(tuple), n=dims(1, 8), seed=seeds(),
       zeros=st.sampled_from(["none", "some", "one-hot"]))
@example(lead=(4,), n=5, seed=0, zeros="none")
@example(lead=(2,), n=5, seed=0, zeros="one-hot")
@example(lead=(), n=1, seed=0, zeros="none")
def test_entropy_matches_scipy(kata, lead, n, seed, zeros):
    g = torch.Generator().manual_seed(seed)
    w = torch.softmax(randn(g, *lead, n, scale=2.0), -1)
    if zeros == "some":
        keep = torch.rand(*lead, n, generator=g) < 0.6
        keep[..., 0] = True
        w = w * keep
        w = w / w.sum(-1, keepdim=True)
    elif zeros == "one-hot":
        w = F.one_hot(torch.randint(n, lead, generator=g), n).double()
    call = describe_call("attention_entropy", w)
    got = kata.attention_entropy(w)
    assert_shape(got, lead, call=call)
    assert_close(got, scipy.stats.entropy(w.numpy(), axis=-1), name="entropy (nats)", call=call, **TOL)


@given(n=dims(1, 16))
def test_entropy_of_uniform_rows_is_log_n(kata, n):
    w = torch.full((3, n), 1.0 / n, dtype=torch.float64)
    assert_close(kata.attention_entropy(w), np.full(3, math.log(n)), name="entropy of uniform rows (log n)",
                 call=describe_call("attention_entropy", w), rtol=1e-12, atol=1e-12)


def reference_diagnostics(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, scaled: bool) -> dict:
    scale = None if scaled else 1.0
    qq = q.clone().requires_grad_(True)
    F.scaled_dot_product_attention(qq, k, v, scale=scale).sum().backward()
    s = (q @ k.T).numpy() * (1 / math.sqrt(q.shape[-1]) if scaled else 1.0)
    w = sdpa_weights(q, k, scale=scale).numpy()
    return {"score_std": float(np.std(s, ddof=1)), "max_weight": float(w.max(-1).mean()),
            "entropy": float(scipy.stats.entropy(w, axis=-1).mean()), "grad_norm": float(qq.grad.norm())}


@given(lq=dims(1, 6), lk=dims(2, 6), d=dims(1, 16), dv=dims(1, 4), seed=seeds(), scaled=st.booleans())
@example(lq=4, lk=4, d=16, dv=2, seed=0, scaled=False)
@example(lq=4, lk=4, d=16, dv=2, seed=0, scaled=True)
def test_explosion_diagnostics_match_reference(kata, lq, lk, d, dv, seed, scaled):
    g = torch.Generator().manual_seed(seed)
    q, k, v = randn(g, lq, d), randn(g, lk, d), randn(g, lk, dv)
    before = [x.clone() for x in (q, k, v)]
    call = describe_call("explosion_diagnostics", q, k, v, scaled=scaled)
    got = kata.explosion_diagnostics(q, k, v, scaled=scaled)
    want = reference_diagnostics(q, k, v, scaled)
    assert isinstance(got, dict) and set(got) == set(want), f"{call} returned keys {sorted(got)}, expected {sorted(want)}"
    for key in want:
        assert isinstance(got[key], float), f"{call}[{key!r}] is a {type(got[key]).__name__}, expected a Python float"
        # float64; the entropy of nearly one-hot rows is the least accurate (~1e-12).
        assert_close(got[key], want[key], rtol=1e-8, atol=1e-10, name=f"{key!r}", call=call)
    for name, x, x0 in zip("qkv", (q, k, v), before, strict=True):
        assert_equal(x, x0, name=f"{name} after the call", call=call)
        assert x.grad is None and not x.requires_grad, f"{call} attached a gradient to the caller's {name}"


@settings(max_examples=8)  # each example runs d = 512 with 256 queries
@given(seed=seeds())
@example(seed=0)
def test_unscaled_attention_saturates_as_d_grows(kata, seed):
    """Unit-variance q and k: q·k has variance d. Without 1/sqrt(d) the scores blow up with d, the
    softmax saturates (max weight -> 1, entropy -> 0) and the q-gradient turns erratic and large;
    with the scale nothing depends on d. Every threshold held, with room, on 1500 seeds checked offline."""
    res = {}
    for d in (4, 512):
        g = torch.Generator().manual_seed(seed)
        q, k, v = randn(g, 256, d), randn(g, 16, d), randn(g, 16, 4)
        res[d] = {s: kata.explosion_diagnostics(q, k, v, scaled=s) for s in (False, True)}
    small_u, big_u, small_s, big_s = res[4][False], res[512][False], res[4][True], res[512][True]
    msg = f"explosion_diagnostics at d=4: {res[4]}\n  at d=512: {res[512]}\n  "
    assert 0.8 < big_u["score_std"] / math.sqrt(512) < 1.2, msg + "unscaled score std should be about sqrt(d)"
    assert 0.8 < big_s["score_std"] < 1.2, msg + "scaled score std should be about 1 at any d"
    assert big_u["max_weight"] > small_u["max_weight"] + 0.2, msg + "unscaled: the max weight should climb towards 1"
    assert big_u["entropy"] < small_u["entropy"] - 0.75, msg + "unscaled: the entropy should collapse"
    assert abs(big_s["max_weight"] - small_s["max_weight"]) < 0.2, msg + "scaled: the max weight should not depend on d"
    assert abs(big_s["entropy"] - small_s["entropy"]) < 0.5, msg + "scaled: the entropy should not depend on d"
    ratio_small = small_u["grad_norm"] / small_s["grad_norm"]
    ratio_big = big_u["grad_norm"] / big_s["grad_norm"]
    assert ratio_big > 2 * ratio_small, msg + (f"unscaled/scaled q-gradient ratio went {ratio_small:.3g} -> {ratio_big:.3g};"
                                               " it should grow with d")
