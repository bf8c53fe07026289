"""Tests for dl-06-3, the β-VAE and latent traversals.

References: the loss rebuilt from torch.distributions (Bernoulli log-likelihood from logits,
Normal-to-Normal kl_divergence) on the model's own encoder and decoder; a training-loop twin with the
same noise stream; traversals recomputed from decode(); and a measured rate/distortion trade-off
on sklearn's digits: a larger β buys a smaller KL (fewer active units) with a worse reconstruction.
"""
import copy

import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_digits
from torch.distributions import Bernoulli, Independent, Normal, kl_divergence

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_shape, describe_call

pytestmark = pytest.mark.slow

X_ALL = torch.tensor(load_digits().data / 16.0)  # (1797, 64) in [0, 1]


def reference_loss(model: torch.nn.Module, x: torch.Tensor, eps: torch.Tensor, beta: float) -> tuple:
    mu, logvar = model.encode(x)
    std = (0.5 * logvar).exp()
    z = mu + std * eps
    logits = model.decode(z)
    # Bernoulli.log_prob needs x in {0, 1}: write the same cross-entropy for soft x via logsigmoid.
    ls = torch.nn.functional.logsigmoid
    recon = -(x * ls(logits) + (1 - x) * ls(-logits)).sum(-1)
    hard = (x == 0) | (x == 1)
    if bool(hard.all()):
        recon = -Independent(Bernoulli(logits=logits), 1).log_prob(x)
    kl = kl_divergence(Normal(mu, std), Normal(torch.zeros_like(mu), torch.ones_like(std))).sum(-1)
    return (recon + beta * kl).mean(), recon.mean(), kl.mean()


@given(seed=seeds(), N=st.integers(1, 6), k=st.integers(1, 4), beta=st.sampled_from([0.0, 0.5, 1.0, 4.0]),
       binary=st.booleans())
@example(seed=0, N=3, k=2, beta=4.0, binary=True)
def test_loss_matches_torch_distributions(kata, seed, N, k, beta, binary):
    torch.manual_seed(seed)
    model = kata.VAE(64, k, 16)
    x = X_ALL[seed % 1700: seed % 1700 + N]
    x = (x > 0.5).double() if binary else x
    eps = torch.randn(N, k, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    call = describe_call(f"beta_vae_loss(beta={beta})", "VAE(64, k, 16)", x, eps)
    loss, recon, kl = kata.beta_vae_loss(model, x, eps, beta)
    want = reference_loss(model, x, eps, beta)
    for name, got, w in (("loss", loss, want[0]), ("recon", recon, want[1]), ("kl", kl, want[2])):
        assert_close(got.detach(), w.detach(), rtol=1e-10, atol=1e-10, name=f"{name} (vs torch.distributions)", call=call)
    assert loss.requires_grad, f"{call} returned a loss without a graph: it must be differentiable"


@settings(max_examples=4)
@given(seed=seeds(), steps=st.integers(1, 6), beta=st.sampled_from([0.5, 2.0]))
def test_training_matches_the_twin(kata, seed, steps, beta):
    torch.manual_seed(seed)
    model = kata.VAE(64, 2, 8)
    twin = copy.deepcopy(model)
    X = X_ALL[:50]
    got = kata.train_beta_vae(model, X, beta, steps, 1e-2, seed)
    opt, g, want = torch.optim.Adam(twin.parameters(), lr=1e-2), torch.Generator().manual_seed(seed), []
    for _ in range(steps):
        eps = torch.randn(50, 2, generator=g, dtype=torch.float64)
        opt.zero_grad()
        loss = reference_loss(twin, X, eps, beta)[0]
        loss.backward()
        opt.step()
        want.append(float(loss.detach()))
    assert_close(got, want, rtol=1e-8, atol=1e-8, name="per-step losses (vs a twin with the same noise stream)",
                 call=describe_call(f"train_beta_vae(beta={beta}, steps={steps}, lr=0.01, seed={seed})", X))


@given(seed=seeds(), k=st.integers(1, 4), V=st.integers(1, 7), data=st.data())
def test_latent_traversal_sweeps_one_coordinate(kata, seed, k, V, data):
    dim = data.draw(st.integers(0, k - 1), label="dim")
    torch.manual_seed(seed)
    model = kata.VAE(64, k, 16)
    x = X_ALL[seed % 1797]
    values = torch.linspace(-3, 3, V, dtype=torch.float64)
    call = describe_call(f"latent_traversal(dim={dim})", x, values)
    got = kata.latent_traversal(model, x, dim, values)
    with torch.no_grad():
        z = model.encode(x[None])[0].repeat(V, 1)
        z[:, dim] = values
        want = torch.sigmoid(model.decode(z))
    assert_shape(got, (V, 64), call=call)
    assert not got.requires_grad, f"{call} recorded a graph: run it under torch.no_grad()"
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="decoded traversal (μ(x) with one coordinate swept)",
                 call=call)


@given(k=st.integers(1, 4), offset=st.sampled_from([0, 1, 5]))
def test_latent_traversal_rejects_bad_dims(kata, k, offset):
    model = kata.VAE(64, k, 8)
    with pytest.raises(ValueError):
        kata.latent_traversal(model, X_ALL[0], k + offset, torch.zeros(3, dtype=torch.float64))
    with pytest.raises(ValueError):
        kata.latent_traversal(model, X_ALL[0], -1 - offset, torch.zeros(3, dtype=torch.float64))


@given(seed=seeds(), k=st.integers(1, 5), threshold=st.sampled_from([0.0, 0.01, 0.5, 5.0]), dead=st.booleans())
@example(seed=0, k=2, threshold=0.0, dead=True)  # a KL of exactly 0 does not exceed a threshold of 0
def test_active_units_counts_informative_dimensions(kata, seed, k, threshold, dead):
    torch.manual_seed(seed)
    model = kata.VAE(64, k, 16)
    with torch.no_grad():
        model.enc[2].weight[: k // 2] *= 0.0  # some means pinned to the bias: a spread of per-dimension KLs
        if dead:  # latent 0 is exactly the prior: μ = 0 and log σ² = 0 for every x, a KL of exactly 0
            model.enc[2].weight[[0, k]] = 0.0
            model.enc[2].bias[[0, k]] = 0.0
        mu, logvar = model.encode(X_ALL[:100])
        std = (0.5 * logvar).exp()
        per_dim = kl_divergence(Normal(mu, std), Normal(torch.zeros_like(mu), torch.ones_like(std))).mean(0)
    assert_equal(kata.active_units(model, X_ALL[:100], threshold=threshold), int((per_dim > threshold).sum()),
                 name=f"active units (mean per-dimension KL {per_dim.numpy().round(3)} > {threshold})",
                 call=describe_call(f"active_units(threshold={threshold})", X_ALL[:100]))


@settings(max_examples=1)
@given(seed=seeds())
def test_beta_trades_reconstruction_for_rate(kata, seed):
    """Measured on digits: β = 4 drives the KL (the rate) to about 0 and switches latent units off, at the
    price of a worse reconstruction than β = 0.5 (which keeps several active units)."""
    held_out, results = X_ALL[1000:1600], {}
    for beta in (0.5, 4.0):
        torch.manual_seed(seed)
        model = kata.VAE(64, 6, 32)
        kata.train_beta_vae(model, X_ALL[:400], beta, 150, 1e-2, seed)
        with torch.no_grad():
            _, recon, kl = kata.beta_vae_loss(model, held_out, torch.zeros(600, 6, dtype=torch.float64), beta)
        results[beta] = (float(recon), float(kl), kata.active_units(model, held_out))
    report = ", ".join(f"β={b}: recon {r:.2f}, KL {k:.2f}, active {a}" for b, (r, k, a) in results.items())
    (r_lo, k_lo, a_lo), (r_hi, k_hi, a_hi) = results[0.5], results[4.0]
    assert k_hi < 0.5 * k_lo and r_hi > r_lo + 1.0 and a_hi < a_lo and a_lo >= 2, report
