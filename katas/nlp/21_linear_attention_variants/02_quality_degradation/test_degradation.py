"""Tests for nlp-21-2, quality loss of approximate attention inside a trained model.

The model is the workbook's character-level GPT trained on tiny Shakespeare (grader.lm), evaluated on
held-out text. References: causal Performer against its masked quadratic form
D^-1 ((phi(Q) phi(K)^T) * tril) V; the captured q, k, v against the model's own split_heads; relative
error and loss against direct torch computations (F.scaled_dot_product_attention, F.cross_entropy);
the sliding window against SDPA with the band mask. The measured effects (Performer's error shrinks
with more features, yet costs far more loss than a local window of 8) come from the trained weights.
"""
from functools import lru_cache

import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call


@lru_cache(maxsize=1)
def held_out() -> tuple[torch.Tensor, torch.Tensor]:
    _, val = lm.corpus_splits()
    return lm.windows(val[1000:], 32, 2)


def rand(seed: int, *shape: int, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(dtype)


@given(b=st.integers(1, 2), t=st.integers(1, 10), d=st.integers(1, 6), m=st.integers(1, 12),
       dtype=torch_float_dtypes(), seed=seeds())
@example(b=1, t=1, d=1, m=1, dtype=torch.float64, seed=0)
def test_causal_performer_equals_masked_quadratic_form(kata, b, t, d, m, dtype, seed):
    q, k, v = (rand(seed + i, b, t, d, dtype=dtype) for i in range(3))
    omega = rand(seed + 3, m, d, dtype=dtype)
    call = describe_call("causal_performer", q, k, v, omega)
    got = call_unmodified(kata.causal_performer, q, k, v, omega)
    s = d ** -0.25
    qd, kd, om = q.double() * s, k.double() * s, omega.double()
    phi_q = torch.exp(qd @ om.T - (qd ** 2).sum(-1, keepdim=True) / 2)
    phi_k = torch.exp(kd @ om.T - (kd ** 2).sum(-1, keepdim=True) / 2)
    a_hat = (phi_q @ phi_k.transpose(-2, -1)) * torch.ones(t, t, dtype=torch.float64).tril()
    want = (a_hat / a_hat.sum(-1, keepdim=True)) @ v.double()
    assert_dtype(got, q, call=call)
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == torch.float32 else dict(rtol=1e-9, atol=1e-11)
    assert_close(got, want, **tol, name="D^-1 ((phi(Q) phi(K)^T) * causal mask) V", call=call)


@given(layer=st.integers(0, 3))
def test_capture_qkv_returns_the_layers_inputs(kata, layer):
    model = lm.load_model()
    x, _ = held_out()
    q, k, v = kata.capture_qkv(model, x, layer)
    h = model.embed(x)
    positions = torch.arange(x.shape[1])
    with torch.no_grad():
        for block in model.blocks[:layer]:
            h = block(h, positions)
        want = model.blocks[layer].attn.split_heads(model.blocks[layer].ln1(h), positions)
    for name, got, ref in zip("qkv", (q, k, v), want, strict=True):
        assert_close(got, ref, rtol=1e-5, atol=1e-5, name=f"captured {name} of layer {layer}",
                     call=describe_call("capture_qkv", "model", x, layer))


@given(shape=st.sampled_from([(3,), (2, 4), (1, 2, 5)]), seed=seeds())
def test_relative_error(kata, shape, seed):
    a, e = rand(seed, *shape), rand(seed + 1, *shape)
    got = kata.relative_error(a, e)
    want = torch.linalg.vector_norm(a - e) / torch.linalg.vector_norm(e)
    assert_close(float(got), float(want), rtol=1e-12, atol=0, name="||approx - exact|| / ||exact||",
                 call=describe_call("relative_error", a, e))


@given(window=st.integers(1, 40), t=st.integers(1, 12), seed=seeds())
@example(window=1, t=5, seed=0)     # each query sees only itself
def test_local_attend(kata, window, t, seed):
    q, k, v = (rand(seed + i, 1, 2, t, 4) for i in range(3))
    got = kata.local_attend(window)(q, k, v)
    i, j = torch.arange(t)[:, None], torch.arange(t)[None, :]
    want = F.scaled_dot_product_attention(q, k, v, attn_mask=(j <= i) & (i - j < window))
    assert_close(got, want, rtol=1e-10, atol=1e-12, name="sliding-window causal attention",
                 call=describe_call("local_attend(window)", q, k, v))


def test_local_attend_rejects_empty_window(kata):
    with pytest.raises(ValueError):
        kata.local_attend(0)


@settings(max_examples=5)
@given(counts=st.lists(st.integers(1, 16), min_size=1, max_size=3), n_draws=st.integers(1, 3), seed=seeds())
@example(counts=[2], n_draws=1, seed=0)
def test_error_curve(kata, counts, n_draws, seed):
    q, k, v = (rand(seed + i, 1, 2, 8, 4) * 0.5 for i in range(3))
    got = kata.error_curve(q, k, v, counts, n_draws, seed)
    exact = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    want = []
    for m in counts:
        errs = [float((kata.causal_performer(q, k, v, torch.randn(m, 4, generator=torch.Generator().manual_seed(seed + r),
                                                                   dtype=torch.float64)) - exact).norm() / exact.norm())
                for r in range(n_draws)]
        want.append(sum(errs) / n_draws)
    assert_close(torch.as_tensor(got), want, rtol=1e-9, atol=1e-12,
                 name="mean relative error per feature count (omega of draw r from manual_seed(seed + r))",
                 call=describe_call("error_curve", q, k, v, counts, n_draws, seed))


def test_error_curve_needs_a_draw(kata):
    q = rand(0, 1, 1, 4, 2)
    with pytest.raises(ValueError):
        kata.error_curve(q, q, q, [4], 0, 0)


@given(window=st.integers(1, 40))
@settings(max_examples=3)
def test_loss_gap(kata, window):
    model = lm.load_model()
    x, y = held_out()
    attend = kata.local_attend(window)
    got = kata.loss_gap(model, x, y, attend)
    with torch.no_grad():
        exact = F.cross_entropy(model(x).flatten(0, 1).double(), y.flatten()).item()
        approx = F.cross_entropy(model(x, attention=attend).flatten(0, 1).double(), y.flatten()).item()
    assert_close(float(got), approx - exact, rtol=1e-9, atol=1e-9, name="held-out loss with the attention minus exact",
                 call=describe_call("loss_gap", "model", x, y, f"local_attend({window})"))


def test_measured_degradation_on_the_trained_model(kata):
    model = lm.load_model()
    x, y = held_out()
    q, k, v = kata.capture_qkv(model, x, 0)
    errors = kata.error_curve(q, k, v, [4, 256], 2, 0)
    assert float(errors[1]) < float(errors[0]), (
        f"on the trained model's layer-0 q, k, v the Performer error should shrink with more features: "
        f"{float(errors[0]):.3f} at m=4, {float(errors[1]):.3f} at m=256")
    omega = torch.randn(64, q.shape[-1], generator=torch.Generator().manual_seed(0))
    performer = kata.loss_gap(model, x, y, lambda q, k, v: kata.causal_performer(q, k, v, omega))
    local = kata.loss_gap(model, x, y, kata.local_attend(8))
    assert performer > 0.5 > 0.1 > local, (
        f"dropping Performer (64 features) into a model trained with softmax costs {performer:.3f} nats of held-out "
        f"loss, a window of 8 characters only {local:.3f}: the approximation's bias, not the window, hurts")
