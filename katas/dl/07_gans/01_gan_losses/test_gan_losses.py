"""Tests for dl-07-1, GAN losses.

References: torch.nn.functional.binary_cross_entropy_with_logits in float64 (also at logits of
±200, where a naive log(sigmoid) gives inf); torch.autograd for the gradients, whose closed forms
σ(l)/N (minimax) and (1 − σ(l))/N (non-saturating) show where the minimax loss saturates.
"""
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, describe_call

SCALES = st.sampled_from([1.0, 10.0, 200.0])


def logits(seed: int, n: int, scale: float) -> torch.Tensor:
    return torch.randn(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * scale


@given(seed=seeds(), n_real=st.integers(1, 8), n_fake=st.integers(1, 8), scale=SCALES,
       smooth=st.sampled_from([0.0, 0.1, 0.25, 0.49]))
@example(seed=0, n_real=3, n_fake=5, scale=200.0, smooth=0.1)
def test_discriminator_loss_matches_bce(kata, seed, n_real, n_fake, scale, smooth):
    real, fake = logits(seed, n_real, scale), logits(seed + 1, n_fake, scale)
    call = describe_call(f"discriminator_loss(smooth={smooth})", real, fake)
    got = kata.discriminator_loss(real, fake, smooth=smooth)
    want = (F.binary_cross_entropy_with_logits(real, torch.full_like(real, 1 - smooth))
            + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake)))
    assert got.shape == (), f"{call} returned shape {tuple(got.shape)}, expected a 0-d tensor"
    assert_close(got, want, rtol=1e-12, atol=1e-8,
                 name="loss (vs BCE with logits; real target 1 − smooth, fake target 0)", call=call)


@given(smooth=st.sampled_from([-0.1, 0.5, 0.9, 1.0]))
def test_smoothing_outside_range_raises(kata, smooth):
    with pytest.raises(ValueError):
        kata.discriminator_loss(torch.zeros(2, dtype=torch.float64), torch.zeros(2, dtype=torch.float64), smooth=smooth)


@given(seed=seeds(), n=st.integers(1, 8), scale=SCALES)
@example(seed=1, n=4, scale=200.0)
def test_generator_losses_and_gradients(kata, seed, n, scale):
    l_mm = logits(seed, n, scale).requires_grad_(True)
    l_ns = l_mm.detach().clone().requires_grad_(True)
    mm, ns = kata.generator_loss_minimax(l_mm), kata.generator_loss_nonsaturating(l_ns)
    call_mm, call_ns = describe_call("generator_loss_minimax", l_mm), describe_call("generator_loss_nonsaturating", l_ns)
    ref = l_mm.detach()
    # log(1 − D) = −BCE(l, target 0); −log D = BCE(l, target 1). softplus switches to the identity above
    # l = 20 (an error below e^-20 ≈ 2e-9), so values get atol 1e-8 and gradients rtol 1e-8.
    assert_close(mm, -F.binary_cross_entropy_with_logits(ref, torch.zeros_like(ref)), rtol=1e-12, atol=1e-8,
                 name="mean log(1 − D(G(z)))", call=call_mm)
    assert_close(ns, F.binary_cross_entropy_with_logits(ref, torch.ones_like(ref)), rtol=1e-12, atol=1e-8,
                 name="−mean log D(G(z))", call=call_ns)
    (g_mm,) = torch.autograd.grad(mm, l_mm)
    (g_ns,) = torch.autograd.grad(ns, l_ns)
    s = torch.sigmoid(ref)
    assert_close(g_mm, -s / n, rtol=1e-8, atol=1e-300, name="∂/∂logit of the minimax loss (−σ(l)/N)", call=call_mm)
    assert_close(g_ns, -torch.sigmoid(-ref) / n, rtol=1e-8, atol=1e-300, name="∂/∂logit of the NS loss (−(1 − σ(l))/N)",
                 call=call_ns)


@given(n=st.integers(1, 16), logit=st.sampled_from([-8.0, -15.0, -30.0]))
def test_minimax_saturates_where_nonsaturating_does_not(kata, n, logit):
    """Early in training D rejects fakes confidently (logit ≪ 0): the minimax gradient all but vanishes
    (σ(l) ≈ e^l), the non-saturating one stays ≈ 1/N — the reason Goodfellow et al. recommend it."""
    l1 = torch.full((n,), logit, dtype=torch.float64, requires_grad=True)
    l2 = torch.full((n,), logit, dtype=torch.float64, requires_grad=True)
    (g_mm,) = torch.autograd.grad(kata.generator_loss_minimax(l1), l1)
    (g_ns,) = torch.autograd.grad(kata.generator_loss_nonsaturating(l2), l2)
    ratio = float(g_ns.abs().sum() / g_mm.abs().sum())
    assert ratio > 1000, f"at logit {logit}: |∇ NS| / |∇ minimax| = {ratio:.3g}, expected about e^{-logit:.0f}"
