"""Tests for dl-06-2, the VAE's reparameterization trick, ELBO and Gaussian KL.

References: torch.distributions.kl_divergence between Independent Normals; Bernoulli(logits)
.log_prob for the likelihood; torch.autograd for the pathwise derivatives of z; and a Monte Carlo
check that the reparameterised gradient of E[Σ z²] is unbiased (its closed form is known).
"""
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch.distributions import Bernoulli, Independent, Normal, kl_divergence

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, describe_call

SIZES = {"seed": seeds(), "N": st.integers(1, 5), "k": st.integers(1, 6)}


def gaussians(seed: int, N: int, k: int, spread: float = 2.0) -> tuple[torch.Tensor, ...]:
    g = torch.Generator().manual_seed(seed)
    return tuple(torch.randn(N, k, generator=g, dtype=torch.float64) * spread for _ in range(4))


def torch_kl(mu_q: torch.Tensor, lv_q: torch.Tensor, mu_p: torch.Tensor, lv_p: torch.Tensor) -> torch.Tensor:
    q = Independent(Normal(mu_q, (0.5 * lv_q).exp()), 1)
    p = Independent(Normal(mu_p, (0.5 * lv_p).exp()), 1)
    return kl_divergence(q, p)


@given(**SIZES, standard=st.booleans())
@example(seed=0, N=1, k=1, standard=True)
def test_kl_matches_torch_distributions(kata, seed, N, k, standard):
    mu_q, lv_q, mu_p, lv_p = gaussians(seed, N, k)
    if standard:
        got = kata.gaussian_kl(mu_q, lv_q)
        want = torch_kl(mu_q, lv_q, torch.zeros_like(mu_q), torch.zeros_like(lv_q))
        call = describe_call("gaussian_kl", mu_q, lv_q)
    else:
        got = kata.gaussian_kl(mu_q, lv_q, mu_p, lv_p)
        want = torch_kl(mu_q, lv_q, mu_p, lv_p)
        call = describe_call("gaussian_kl", mu_q, lv_q, mu_p, lv_p)
    assert_shape(got, (N,), name="KL per example (summed over latent dims)", call=call)
    assert_close(got, want, rtol=1e-10, atol=1e-10, name="KL(q ‖ p) (vs torch.distributions.kl_divergence)", call=call)


@given(**SIZES)
def test_kl_of_identical_gaussians_is_zero(kata, seed, N, k):
    mu, lv, _, _ = gaussians(seed, N, k)
    assert_close(kata.gaussian_kl(mu, lv, mu.clone(), lv.clone()), torch.zeros(N), rtol=0, atol=1e-12,
                 name="KL(q ‖ q)", call=describe_call("gaussian_kl", mu, lv, mu, lv))


@given(**SIZES)
def test_reparameterize_value_and_pathwise_gradients(kata, seed, N, k):
    mu, lv, eps, _ = gaussians(seed, N, k, spread=1.0)
    mu.requires_grad_(True)
    lv.requires_grad_(True)
    z = kata.reparameterize(mu, lv, eps)
    call = describe_call("reparameterize", mu, lv, eps)
    sigma = (0.5 * lv.detach()).exp()
    assert_close(z, mu.detach() + sigma * eps, rtol=1e-12, atol=1e-12, name="z = μ + σ ε", call=call)
    w = torch.randn(N, k, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    g_mu, g_lv = torch.autograd.grad((z * w).sum(), (mu, lv))
    assert_close(g_mu, w, rtol=1e-12, atol=1e-12, name="∂⟨w, z⟩/∂μ (= w: z moves one-for-one with μ)", call=call)
    assert_close(g_lv, w * 0.5 * sigma * eps, rtol=1e-12, atol=1e-12, name="∂⟨w, z⟩/∂logvar (= w · ½ σ ε)", call=call)


@settings(max_examples=5)
@given(seed=seeds(), k=st.integers(1, 3))
def test_reparameterised_gradient_is_unbiased(kata, seed, k):
    """∇ E[Σ z²] = (2μ, σ²) for z ~ N(μ, σ²); the mean pathwise gradient over 20 000 draws of ε must
    land within 6 Monte Carlo standard errors of it."""
    g = torch.Generator().manual_seed(seed)
    mu = torch.randn(1, k, generator=g, dtype=torch.float64).requires_grad_(True)
    lv = (torch.randn(1, k, generator=g, dtype=torch.float64) * 0.5).requires_grad_(True)
    M = 20_000
    eps = torch.randn(M, k, generator=g, dtype=torch.float64)
    z = kata.reparameterize(mu.expand(M, k), lv.expand(M, k), eps)
    g_mu, g_lv = torch.autograd.grad((z ** 2).sum() / M, (mu, lv))
    sigma2 = lv.detach().exp()
    # per-sample gradients: 2z (var 4σ²) for μ, and z·σ·ε (var ≤ ~(μ² + 3σ²)σ²) for logvar
    se_mu = (4 * sigma2 / M).sqrt()
    se_lv = ((mu.detach() ** 2 + 3 * sigma2) * sigma2 / M).sqrt()
    assert torch.all((g_mu - 2 * mu.detach()).abs() < 6 * se_mu), (
        f"mean pathwise gradient w.r.t. μ {g_mu.tolist()}, expected 2μ = {(2 * mu.detach()).tolist()}")
    assert torch.all((g_lv - sigma2).abs() < 6 * se_lv + 1e-12), (
        f"mean pathwise gradient w.r.t. logvar {g_lv.tolist()}, expected σ² = {sigma2.tolist()}")


@given(seed=seeds(), N=st.integers(1, 4), D=st.integers(1, 8), k=st.integers(1, 4),
       beta=st.sampled_from([0.0, 0.5, 1.0, 4.0]), soft=st.booleans(), scale=st.sampled_from([1.0, 40.0]))
@example(seed=1, N=2, D=3, k=2, beta=1.0, soft=False, scale=40.0)  # saturated logits: log σ must not underflow
def test_elbo_matches_torch_distributions(kata, seed, N, D, k, beta, soft, scale):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(N, D, generator=g, dtype=torch.float64)
    x = x if soft else (x > 0.5).double()
    logits = torch.randn(N, D, generator=g, dtype=torch.float64) * scale
    mu, lv = torch.randn(N, k, generator=g, dtype=torch.float64), torch.randn(N, k, generator=g, dtype=torch.float64)
    call = describe_call(f"elbo(beta={beta})", x, logits, mu, lv)
    got = kata.elbo(x, logits, mu, lv, beta=beta)
    log_lik = -torch.nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(-1)
    if not soft:
        log_lik = Independent(Bernoulli(logits=logits), 1).log_prob(x)
    want = log_lik - beta * torch_kl(mu, lv, torch.zeros_like(mu), torch.zeros_like(lv))
    assert_shape(got, (N,), name="ELBO per example", call=call)
    assert_close(got, want, rtol=1e-9, atol=1e-9, name="ELBO (vs Bernoulli.log_prob − β·kl_divergence)", call=call)
