"""Tests for arch-03-6, denoising score matching and Langevin sampling.

References: the DSM loss against its formula with a recording model; the exact score of noised
Gaussian data giving a lower loss than perturbed scores; Langevin against its update replayed with
the same generator stream (float64); Langevin with the exact score of a two-mode 2-D mixture and with
a small MLP trained by your dsm_loss, checked by per-mode mass and within-mode spread.
"""
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, call_unmodified, describe_call

pytestmark = pytest.mark.slow

MODES = torch.tensor([[-2.0, 0.0], [2.0, 0.0]], dtype=torch.float64)
STD = 0.5


@given(b=st.integers(1, 6), d=st.integers(1, 3), sigma=st.sampled_from([0.1, 0.5, 2.0]), seed=seeds())
@example(b=1, d=1, sigma=0.1, seed=0)
def test_dsm_loss_formula(kata, b, d, sigma, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(b, d, generator=g, dtype=torch.float64)
    noise = torch.randn(b, d, generator=g, dtype=torch.float64)
    w = torch.randn(d, d, generator=g, dtype=torch.float64)
    seen = []

    def model(z: torch.Tensor) -> torch.Tensor:
        seen.append(z.clone())
        return torch.tanh(z @ w)

    call = describe_call("dsm_loss", "score_model", x, sigma, noise)
    got = call_unmodified(kata.dsm_loss, model, x, sigma, noise, fn_name="dsm_loss")
    x_noisy = x + sigma * noise
    want = 0.5 * sigma ** 2 * ((torch.tanh(x_noisy @ w) + noise / sigma) ** 2).sum(-1).mean()
    assert len(seen) == 1, f"{call} called score_model {len(seen)} times, expected once"
    assert_close(seen[0], x_noisy, rtol=1e-12, atol=1e-12, name="input given to score_model", call=call)
    assert_close(got, want, rtol=1e-12, atol=1e-12, call=call)


def test_exact_score_minimises_dsm(kata):
    """For x ~ N(0, 1) in 2-D, the noisy data is N(0, 1 + sigma^2) with score -x / (1 + sigma^2): DSM's minimiser."""
    g = torch.Generator().manual_seed(0)
    sigma = 0.7
    x = torch.randn(20000, 2, generator=g, dtype=torch.float64)
    noise = torch.randn(20000, 2, generator=g, dtype=torch.float64)
    losses = {c: float(kata.dsm_loss(lambda z, c=c: -c * z / (1 + sigma ** 2), x, sigma, noise))
              for c in (0.7, 1.0, 1.3)}
    assert losses[1.0] < min(losses[0.7], losses[1.3]), (
        f"dsm_loss of the exact score -x/(1+sigma^2) scaled by 0.7, 1, 1.3: {losses}; the exact score (1.0) "
        "must give the lowest loss")


@given(b=st.integers(1, 4), d=st.integers(1, 3), step=st.sampled_from([0.01, 0.1, 0.5]), n=st.integers(0, 5),
       seed=seeds())
@example(b=2, d=2, step=0.1, n=0, seed=0)          # no steps: the input back
@example(b=1, d=1, step=0.5, n=3, seed=1)
def test_langevin_update(kata, b, d, step, n, seed):
    x0 = torch.randn(b, d, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)

    def score(x: torch.Tensor) -> torch.Tensor:
        return -x ** 3 + x

    call = describe_call("langevin", "score", x0, step, n, seed)
    got = call_unmodified(kata.langevin, score, x0, step, n, seed, fn_name="langevin")
    g = torch.Generator().manual_seed(seed)
    x = x0.clone()
    for _ in range(n):
        z = torch.randn(x.shape, generator=g, dtype=x.dtype)
        x = x + 0.5 * step * score(x) + step ** 0.5 * z
    assert_close(got, x, rtol=1e-12, atol=1e-12, call=call)


@given(seed=seeds())
def test_langevin_is_seeded(kata, seed):
    x0 = torch.zeros(8, 2, dtype=torch.float64)
    assert_seeded(lambda s: kata.langevin(lambda x: -x, x0, 0.1, 5, s), seed, name="Langevin samples")


@given(step=st.sampled_from([0.0, -0.1]), n=st.sampled_from([-1, 3]))
@example(step=0.1, n=-1)
def test_langevin_rejects_bad_arguments(kata, step, n):
    with pytest.raises(ValueError):
        kata.langevin(lambda x: -x, torch.zeros(2, 2), step, n, 0)
        pytest.fail(f"langevin(step_size={step}, n_steps={n}) returned instead of raising ValueError")


def mixture_score(x: torch.Tensor, std: float = STD) -> torch.Tensor:
    """Exact score of the equal mixture of N(mode_k, std^2 I)."""
    diff = x[:, None, :] - MODES[None].to(x.dtype)
    w = torch.softmax(-(diff ** 2).sum(-1) / (2 * std ** 2), dim=1)
    return -(w[..., None] * diff).sum(1) / std ** 2


def check_samples(samples: torch.Tensor, what: str, mass_tol: float, spread: tuple[float, float]) -> None:
    right = float((samples[:, 0] > 0).double().mean())
    assert abs(right - 0.5) < mass_tol, f"{what}: a fraction {right:.3f} of samples in the right mode, expected 0.5"
    near = samples[samples[:, 0] > 0] - MODES[1].to(samples.dtype)
    std = float(near.std())
    assert spread[0] < std < spread[1], f"{what}: within-mode standard deviation {std:.3f}, expected in {spread}"


@settings(max_examples=3)
@given(seed=seeds())
def test_langevin_with_exact_score_samples_the_mixture(kata, seed):
    g = torch.Generator().manual_seed(seed)
    x_init = (torch.rand(2000, 2, generator=g, dtype=torch.float64) - 0.5) * 8     # uniform on [-4, 4]^2
    samples = kata.langevin(mixture_score, x_init, 0.02, 400, seed)
    check_samples(samples, "langevin(exact mixture score, 2000 chains, step 0.02, 400 steps)", 0.06, (0.42, 0.58))


def test_trained_score_samples_the_mixture(kata):
    """Train a small MLP with your dsm_loss at sigma = 0.3, then run your Langevin on it."""
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    net = nn.Sequential(nn.Linear(2, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 2))
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    sigma = 0.3
    for _ in range(600):
        idx = torch.randint(2, (256,), generator=g)
        x = MODES[idx].float() + STD * torch.randn(256, 2, generator=g)
        loss = kata.dsm_loss(net, x, sigma, torch.randn(256, 2, generator=g))
        opt.zero_grad()
        loss.backward()
        opt.step()
    x_init = (torch.rand(1000, 2, generator=g) - 0.5) * 8
    with torch.no_grad():
        samples = kata.langevin(net, x_init, 0.02, 300, 1).double()
    # The learned score is that of the data blurred by sigma = 0.3: spread sqrt(0.5^2 + 0.3^2) = 0.58.
    check_samples(samples, "langevin(MLP trained with dsm_loss, sigma=0.3)", 0.1, (0.45, 0.72))
