"""Tests for arch-04-3, an energy-based model trained with contrastive divergence.

References: Langevin against its update replayed with a closed-form energy gradient and the same
generator stream (float64); its stationary spread on a Gaussian energy; the CD loss and its parameter
gradient against the formula; cd_step against a step replayed by hand on a copy of the network; and a
small MLP energy trained here with your cd_step on a two-mode 2-D mixture, whose energy landscape and
Langevin samples are checked.
"""
import copy

import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import seeds
from grader.testing import assert_close, assert_no_alias, assert_seeded, call_unmodified, describe_call

pytestmark = pytest.mark.slow

MODES = torch.tensor([[-2.0, 0.0], [2.0, 0.0]])
STD = 0.5


def quartic(w: torch.Tensor):
    """E(x) = sum(x^4) / 4 - |x w|^2 / 2, with grad_x E = x^3 - x w w^T (closed form, for the replay)."""
    def energy(x: torch.Tensor) -> torch.Tensor:
        return 0.25 * (x ** 4).sum(-1) - 0.5 * ((x @ w) ** 2).sum(-1)
    return energy


@given(b=st.integers(1, 4), d=st.integers(1, 3), step=st.sampled_from([0.01, 0.1, 0.5]), n=st.integers(0, 4),
       seed=seeds())
@example(b=2, d=2, step=0.1, n=0, seed=0)          # no steps: the input back
@example(b=1, d=1, step=0.5, n=3, seed=1)
def test_langevin_update(kata, b, d, step, n, seed):
    g = torch.Generator().manual_seed(seed + 1)
    x0 = torch.randn(b, d, generator=g, dtype=torch.float64)
    w = torch.randn(d, d, generator=g, dtype=torch.float64).requires_grad_(True)
    call = describe_call("langevin_sample", "energy", x0, step, n, seed)
    got = call_unmodified(kata.langevin_sample, quartic(w), x0, step, n, seed, fn_name="langevin_sample")
    rng = torch.Generator().manual_seed(seed)
    x, wd = x0.clone(), w.detach()
    for _ in range(n):
        z = torch.randn(x.shape, generator=rng, dtype=x.dtype)
        x = x - 0.5 * step * (x ** 3 - x @ wd @ wd.T) + step ** 0.5 * z
    assert_close(got, x, rtol=1e-10, atol=1e-10, call=call)
    assert_no_alias(got, x0, call=call)
    assert not got.requires_grad, f"{call} returned a tensor that requires grad; detach the samples"
    assert w.grad is None, (f"{call} left a gradient on the energy's parameter w (|grad| = {w.grad.norm():.3g}); "
                            "take grad_x with torch.autograd.grad(energy(x).sum(), x), not .backward()")


@given(seed=seeds())
def test_langevin_is_seeded(kata, seed):
    x0 = torch.zeros(8, 2, dtype=torch.float64)
    assert_seeded(lambda s: kata.langevin_sample(lambda x: 0.5 * (x ** 2).sum(-1), x0, 0.1, 5, s), seed,
                  name="Langevin samples")


@given(step=st.sampled_from([0.0, -0.1]), n=st.sampled_from([-1, 3]))
@example(step=0.1, n=-1)
def test_langevin_rejects_bad_arguments(kata, step, n):
    with pytest.raises(ValueError):
        kata.langevin_sample(lambda x: (x ** 2).sum(-1), torch.zeros(2, 2), step, n, 0)
        pytest.fail(f"langevin_sample(step_size={step}, n_steps={n}) returned instead of raising ValueError")


@settings(max_examples=3)
@given(scale=st.sampled_from([0.5, 1.0]), seed=seeds())
def test_langevin_samples_a_gaussian_energy(kata, scale, seed):
    """E(x) = |x - 1|^2 / (2 s^2) is N(1, s^2 I): long chains from 0 must reach that mean and spread."""
    x0 = torch.zeros(2000, 2, dtype=torch.float64)
    samples = kata.langevin_sample(lambda x: ((x - 1) ** 2).sum(-1) / (2 * scale ** 2), x0,
                                   0.1 * scale ** 2, 300, seed)
    call = f"langevin_sample(E = |x-1|^2 / (2 * {scale}^2), zeros(2000, 2), step {0.1 * scale ** 2}, 300 steps)"
    # 2000 chains: the sample mean's error is ~ s / 45; step 0.1 s^2 inflates the spread by ~1.3 %.
    assert_close(samples.mean(0), torch.ones(2, dtype=torch.float64), rtol=0, atol=0.1 * scale,
                 name="sample mean", call=call)
    assert_close(samples.std(0), torch.full((2,), scale, dtype=torch.float64), rtol=0.08, atol=0,
                 name="sample standard deviation", call=call)


def tanh_energy(w: torch.Tensor):
    def energy(x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(x @ w).sum(-1) + (x ** 2).sum(-1)
    return energy


@given(b=st.integers(1, 5), m=st.integers(1, 5), d=st.integers(1, 3), alpha=st.sampled_from([0.0, 0.1, 1.0]),
       seed=seeds())
@example(b=1, m=1, d=1, alpha=0.0, seed=0)
@example(b=3, m=1, d=2, alpha=1.0, seed=2)        # unequal batch sizes: each term is its own mean
def test_cd_loss_value_and_gradient(kata, b, m, d, alpha, seed):
    g = torch.Generator().manual_seed(seed)
    x_data = torch.randn(b, d, generator=g, dtype=torch.float64)
    x_model = torch.randn(m, d, generator=g, dtype=torch.float64).requires_grad_(True)
    w = torch.randn(d, 3, generator=g, dtype=torch.float64).requires_grad_(True)
    call = describe_call("cd_loss", "energy", x_data, x_model, alpha=alpha)
    got = call_unmodified(kata.cd_loss, tanh_energy(w), x_data, x_model, alpha=alpha, fn_name="cd_loss")
    got.backward()
    w2 = w.detach().clone().requires_grad_(True)
    e_pos, e_neg = tanh_energy(w2)(x_data), tanh_energy(w2)(x_model.detach())
    want = e_pos.mean() - e_neg.mean() + alpha * ((e_pos ** 2).mean() + (e_neg ** 2).mean())
    want.backward()
    assert_close(got.detach(), want.detach(), rtol=1e-12, atol=1e-12, call=call)
    assert_close(w.grad, w2.grad, rtol=1e-10, atol=1e-12, name="gradient of the loss w.r.t. the energy's weights",
                 call=call)
    assert x_model.grad is None, (f"{call}: after backward, x_model.grad is set; the negative samples must be "
                                  "constants (detach them)")


def small_energy(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1), nn.Flatten(0)).double()


def reference_langevin(energy: nn.Module, x: torch.Tensor, step: float, n: int, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    x = x.clone()
    for _ in range(n):
        x.requires_grad_(True)
        (grad,) = torch.autograd.grad(energy(x).sum(), x)
        x = (x - 0.5 * step * grad + step ** 0.5 * torch.randn(x.shape, generator=g, dtype=x.dtype)).detach()
    return x


@settings(max_examples=15)
@given(b=st.integers(1, 6), step=st.sampled_from([0.01, 0.2]), n=st.integers(0, 3),
       alpha=st.sampled_from([0.0, 0.5]), seed=seeds())
@example(b=4, step=0.2, n=0, alpha=0.0, seed=0)   # CD-0: negatives are the data themselves
@example(b=3, step=0.2, n=3, alpha=0.5, seed=1)
def test_cd_step_matches_a_replay(kata, b, step, n, alpha, seed):
    """Two cd_step calls (seeds s, s + 1) against the same two steps done by hand on a copy of the network."""
    net = small_energy(seed)
    ref = copy.deepcopy(net)
    for p in net.parameters():        # stale gradients from elsewhere must not leak into the step
        p.grad = torch.ones_like(p)
    opt, ref_opt = torch.optim.SGD(net.parameters(), lr=0.1), torch.optim.SGD(ref.parameters(), lr=0.1)
    x_data = torch.randn(b, 2, generator=torch.Generator().manual_seed(seed + 7), dtype=torch.float64)
    for k in range(2):
        call = describe_call("cd_step", "energy", "SGD(lr=0.1)", x_data, step, n, seed + k, alpha=alpha)
        got = call_unmodified(kata.cd_step, net, opt, x_data, step, n, seed + k, alpha=alpha, fn_name="cd_step")
        negatives = reference_langevin(ref, x_data, step, n, seed + k)
        ref_opt.zero_grad()
        e_pos, e_neg = ref(x_data), ref(negatives)
        loss = e_pos.mean() - e_neg.mean() + alpha * ((e_pos ** 2).mean() + (e_neg ** 2).mean())
        loss.backward()
        ref_opt.step()
        assert isinstance(got, float), f"{call} returned {type(got).__name__}, expected a Python float"
        assert_close(got, float(loss), rtol=1e-9, atol=1e-12, name=f"loss returned by step {k + 1}", call=call)
        for (name, p), q in zip(net.named_parameters(), ref.parameters(), strict=True):
            assert_close(p.detach(), q.detach(), rtol=1e-9, atol=1e-12,
                         name=f"parameter {name} after step {k + 1}", call=call)


def test_trained_energy_models_the_mixture(kata):
    """Train a small MLP energy with your cd_step on a two-mode 2-D mixture, then sample it with your Langevin."""
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    net = nn.Sequential(nn.Linear(2, 32), nn.SiLU(), nn.Linear(32, 32), nn.SiLU(), nn.Linear(32, 1), nn.Flatten(0))
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    for it in range(200):
        x = MODES[torch.randint(2, (128,), generator=g)] + STD * torch.randn(128, 2, generator=g)
        kata.cd_step(net, opt, x, 0.05, 10, it, alpha=0.1)
    probes = torch.tensor([[-2.0, 0.0], [2.0, 0.0], [0.0, 0.0], [0.0, 3.0], [4.0, 4.0]])
    with torch.no_grad():
        e = net(probes)
    what = "an MLP energy trained by 200 cd_step calls (CD-10, step 0.05, alpha 0.1) on modes (+-2, 0), std 0.5"
    assert max(e[0], e[1]) < e[2] < min(e[3], e[4]), (
        f"{what}: energies at the modes {e[:2].tolist()}, between them {e[2]:.3f}, far away {e[3:].tolist()}; "
        "expected modes < midpoint < far away (did the loss push data energy down and sample energy up?)")
    x_init = (torch.rand(1000, 2, generator=g) - 0.5) * 8      # uniform on [-4, 4]^2: 22 % near a mode
    samples = kata.langevin_sample(net, x_init, 0.02, 200, 1)
    right = float((samples[:, 0] > 0).float().mean())
    near = float(((samples[:, None] - MODES[None]).norm(dim=-1).min(1).values < 1.5).float().mean())
    assert 0.35 < right < 0.65, f"{what}: {right:.3f} of Langevin samples in the right-hand mode, expected about 0.5"
    assert near > 0.7, (f"{what}: only {near:.3f} of 1000 Langevin samples (200 steps of 0.02 from uniform "
                        "on [-4, 4]^2) within 1.5 of a mode, expected > 0.7 (22 % at the start)")
