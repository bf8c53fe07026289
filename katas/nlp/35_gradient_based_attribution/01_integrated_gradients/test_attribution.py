"""Tests for nlp-35-1, saliency and integrated gradients for tokens.

Reference: captum.attr.Saliency and captum.attr.IntegratedGradients (method="riemann_right") on the
same target_logit function, torch.autograd.grad for the gradient, all on a float64 copy of the
trained workbook LM (grader/lm.py) and real held-out text; completeness (attributions sum to
f(x) - f(baseline)) with a Riemann error that shrinks as the number of steps grows, on small random
float64 CharGPTs (the trained model's logits are sharp enough to need thousands of steps).
"""
import copy
from functools import lru_cache

import numpy as np
import pytest
import torch
from captum.attr import IntegratedGradients, Saliency
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call

TEXT_START = 1_003_854   # held-out text (the last 10 % of the corpus)


@lru_cache(maxsize=1)
def model64():
    return copy.deepcopy(lm.load_model()).double()


def real_ids(offset: int, length: int) -> torch.Tensor:
    return lm.encode(lm.corpus_text()[TEXT_START + offset:TEXT_START + offset + length])


def ref_ig(kata, model, x, x0, position, target, steps):
    """(x - x0) times the mean gradient at x0 + k/steps (x - x0), k = 1..steps, one autograd call per point."""
    total = torch.zeros_like(x[0])
    for k in range(1, steps + 1):
        point = (x0 + (k / steps) * (x - x0)).requires_grad_(True)
        (g,) = torch.autograd.grad(kata.target_logit(model, point, position, target).sum(), point)
        total += g[0]
    return (x - x0)[0] * total / steps


def f_of(kata, model, position, target):
    return lambda emb: kata.target_logit(model, emb, position, target)


@settings(max_examples=10)
@given(offset=st.integers(0, 5000), length=dims(1, 14), data=st.data(), target=st.integers(0, 64),
       wide=st.booleans())
@example(offset=0, length=1, data=None, target=0, wide=False)
def test_saliency_is_the_gradient_norm(kata, offset, length, data, target, wide):
    model = model64() if wide else lm.load_model()
    idx = real_ids(offset, length)
    position = length - 1 if data is None else data.draw(st.integers(0, length - 1))
    call = describe_call("saliency", f"CharGPT[{model.embed.weight.dtype}]", idx, position, target)
    got = call_unmodified(kata.saliency, model, idx, position, target)
    assert_shape(got, (length,), name="saliency", call=call)
    assert got.dtype == model.embed.weight.dtype, f"{call} returned dtype {got.dtype}, expected the model's"
    emb = model.embed(idx[None]).detach().requires_grad_(True)
    grad = Saliency(f_of(kata, model, position, target)).attribute(emb, abs=False)[0]
    (auto,) = torch.autograd.grad(kata.target_logit(model, emb, position, target).sum(), emb)
    assert_close(grad, auto[0], rtol=0, atol=1e-12, name="reference gradient (captum vs autograd)", call=call)
    tol = 1e-10 if wide else 1e-5   # float64 vs float32 backward passes through four blocks
    assert_close(got, grad.norm(dim=-1), rtol=tol, atol=tol, name="per-token L2 norm of the gradient", call=call)
    assert (got[position + 1:] == 0).all(), f"{call}: tokens after position {position} got saliency {got[position + 1:]}, expected exactly 0 (causal)"


@settings(max_examples=10)
@given(offset=st.integers(0, 5000), length=dims(1, 10), data=st.data(), target=st.integers(0, 64),
       steps=st.integers(1, 24), seed=st.one_of(st.none(), seeds()))
@example(offset=0, length=1, data=None, target=5, steps=1, seed=None)
@example(offset=3, length=8, data=None, target=1, steps=7, seed=2)
def test_integrated_gradients_match_captum(kata, offset, length, data, target, steps, seed):
    model = model64()
    idx = real_ids(offset, length)
    position = length - 1 if data is None else data.draw(st.integers(0, length - 1))
    D = model.cfg.d_model
    baseline = None if seed is None else torch.randn(length, D, generator=torch.Generator().manual_seed(seed),
                                                    dtype=torch.float64) * 0.3
    call = describe_call("integrated_gradients", "CharGPT[float64]", idx, position, target,
                         baseline=baseline, steps=steps)
    got = call_unmodified(kata.integrated_gradients, model, idx, position, target, baseline=baseline, steps=steps)
    x = model.embed(idx[None]).detach()
    x0 = (model.embed.weight.mean(0).expand(length, D) if baseline is None else baseline)[None].detach()
    want = ref_ig(kata, model, x, x0, position, target, steps)
    assert_shape(got, (length, D), name="attributions", call=call)
    assert got.dtype == torch.float64, f"{call} returned dtype {got.dtype}, expected the model's float64"
    # float64 gradients averaged over <= 24 points: agreement to ~1e-12
    assert_close(got, want, rtol=1e-9, atol=1e-10,
                 name="attributions (right Riemann sum; default baseline = mean embedding row)", call=call)
    if steps > 1:   # captum needs two steps; it forms its path with float32 step sizes (~1e-7 relative)
        theirs = IntegratedGradients(f_of(kata, model, position, target)).attribute(
            x, baselines=x0, n_steps=steps, method="riemann_right")[0]
        assert_close(got, theirs, rtol=1e-4, atol=1e-6, name="attributions vs captum (riemann_right)", call=call)


def test_default_steps_is_fifty(kata):
    model = model64()
    idx = real_ids(40, 6)
    x = model.embed(idx[None]).detach()
    x0 = model.embed.weight.mean(0).expand_as(x).detach()
    want = IntegratedGradients(f_of(kata, model, 5, 3)).attribute(x, baselines=x0, n_steps=50, method="riemann_right")[0]
    assert_close(kata.integrated_gradients(model, idx, 5, 3), want, rtol=1e-5, atol=1e-7,
                 name="attributions", call="integrated_gradients(model, idx, 5, 3) with the default steps")


def small_gpt(seed: int):
    """A float64 CharGPT with random weights (2 layers, d_model 8): a smooth f, cheap to integrate finely."""
    cfg = lm.LMConfig(vocab_size=11, n_layer=2, n_head=2, d_model=8, d_ff=16, context=8)
    model = lm.CharGPT(cfg).double().eval()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.5)
    return model, torch.randint(0, 11, (6,), generator=g)


@settings(max_examples=3)
@given(seed=seeds(), target=st.integers(0, 10))
@example(seed=0, target=3)
def test_completeness_error_shrinks_with_steps(kata, seed, target):
    model, idx = small_gpt(seed)
    x = model.embed(idx[None]).detach()
    x0 = model.embed.weight.detach().mean(0).expand_as(x)
    f = f_of(kata, model, 5, target)
    with torch.no_grad():
        delta = (f(x) - f(x0)).item()
    errs = {s: abs(kata.integrated_gradients(model, idx, 5, target, steps=s).sum().item() - delta) for s in (4, 256)}
    assert errs[256] < 0.02 * max(1.0, abs(delta)), (
        f"integrated_gradients(..., steps=256) sums to within {errs[256]:.4f} of f(x) - f(x') = {delta:.4f}: "
        "completeness should hold up to a small Riemann error")
    assert errs[256] < errs[4], f"completeness error {errs}: expected it to shrink with more steps"


@given(length=dims(1, 6), steps=st.integers(-2, 0))
@example(length=1, steps=0)
def test_rejects_bad_positions_and_steps(kata, length, steps):
    model = lm.load_model()
    idx = real_ids(0, length)
    for position in (-1, length):
        for fn, args in (("saliency", ()), ("integrated_gradients", ())):
            with pytest.raises(ValueError):
                getattr(kata, fn)(model, idx, position, 0, *args)
                pytest.fail(f"{fn}(model, idx of length {length}, position={position}, 0) returned")
    with pytest.raises(ValueError):
        kata.integrated_gradients(model, idx, length - 1, 0, steps=steps)
        pytest.fail(f"integrated_gradients(..., steps={steps}) returned")
    assert np.isfinite(kata.integrated_gradients(model, idx, length - 1, 0, steps=1).numpy()).all()


def test_attributions_keep_the_models_dtype(kata):
    """A float64 baseline given to the float32 trained model: the attributions stay float32."""
    model = lm.load_model()
    idx = real_ids(77, 5)
    baseline = torch.zeros(5, model.cfg.d_model, dtype=torch.float64) + 0.01
    got = kata.integrated_gradients(model, idx, 4, 2, baseline=baseline, steps=3)
    assert got.dtype == torch.float32, (
        f"integrated_gradients(float32 model, ..., baseline=float64[5, 80], steps=3) returned {got.dtype}, "
        "expected the model's float32: cast the baseline to the embedding's dtype")
