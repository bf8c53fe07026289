"""Tests for arch-03-2, the DDPM objective and the ancestral sampling step.

References: the posterior q(x_{t-1} | x_t, x_0) from Bayes' rule as a product of two Gaussians
(prior N(sqrt(ab_prev) x0, 1 - ab_prev) times likelihood N(x_t; sqrt(alpha_t) x_{t-1}, beta_t)),
a different formula from the paper's eq. 7; the ancestral step against that posterior taken at the
x0 recovered from the predicted noise; the loss against its definition with a recording model.
"""
import numpy as np
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call

SHAPES = st.sampled_from([(3,), (2, 2), (1, 2, 3)])


def schedule(steps: int, g: torch.Generator) -> torch.Tensor:
    return 0.02 + torch.rand(steps, generator=g, dtype=torch.float64) * 0.3


def bayes_posterior(x0: np.ndarray, x_t: np.ndarray, t: np.ndarray, betas: np.ndarray):
    ab = np.cumprod(1 - betas)
    prev = np.concatenate([[1.0], ab[:-1]])
    shape = (-1,) + (1,) * (x0.ndim - 1)
    b, ab_prev = betas[t].reshape(shape), prev[t].reshape(shape)
    prior_var = 1 - ab_prev
    # At t = 0 the prior on x_{-1} := x0 is a point mass: the posterior is x0 with variance 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = 1 / prior_var + (1 - b) / b
        var = np.where(prior_var > 0, 1 / precision, 0.0)
        mean = np.where(prior_var > 0, var * (np.sqrt(ab_prev) * x0 / prior_var + np.sqrt(1 - b) * x_t / b), x0)
    return mean, np.broadcast_to(var, x0.shape)


@given(b=st.integers(1, 4), shape=SHAPES, steps=st.integers(1, 20), seed=seeds())
@example(b=2, shape=(3,), steps=1, seed=0)       # only t = 0: variance 0, mean x0
@example(b=3, shape=(2, 2), steps=10, seed=1)
def test_posterior_matches_bayes(kata, b, shape, steps, seed):
    g = torch.Generator().manual_seed(seed)
    betas = schedule(steps, g)
    x0 = torch.randn(b, *shape, generator=g, dtype=torch.float64)
    x_t = torch.randn(b, *shape, generator=g, dtype=torch.float64)
    t = torch.randint(steps, (b,), generator=g)
    t[-1] = steps - 1
    t[0] = 0                      # (with b = 1 the single example is at t = 0)
    call = describe_call("posterior_mean_variance", x0, x_t, t, betas)
    mean, var = call_unmodified(kata.posterior_mean_variance, x0, x_t, t, betas, fn_name="posterior_mean_variance")
    want_mean, want_var = bayes_posterior(x0.numpy(), x_t.numpy(), t.numpy(), betas.numpy())
    assert_shape(mean, (b, *shape), name="mean", call=call)
    assert_shape(var, (b, *shape), name="variance", call=call)
    # float64; the two formulas differ only in rounding.
    assert_close(mean, want_mean, rtol=1e-9, atol=1e-12, name="posterior mean", call=call)
    assert_close(var, want_var, rtol=1e-9, atol=1e-12, name="posterior variance", call=call)


@given(b=st.integers(1, 4), shape=SHAPES, steps=st.integers(1, 20), seed=seeds())
@example(b=2, shape=(3,), steps=1, seed=0)
def test_step_is_posterior_at_predicted_x0(kata, b, shape, steps, seed):
    g = torch.Generator().manual_seed(seed)
    betas = schedule(steps, g)
    x_t = torch.randn(b, *shape, generator=g, dtype=torch.float64)
    eps = torch.randn(b, *shape, generator=g, dtype=torch.float64)
    noise = torch.randn(b, *shape, generator=g, dtype=torch.float64)
    t = torch.randint(steps, (b,), generator=g)
    t[-1] = steps - 1
    t[0] = 0                      # (with b = 1 the single example is at t = 0)
    call = describe_call("p_sample_step", eps, x_t, t, betas, noise)
    got = call_unmodified(kata.p_sample_step, eps, x_t, t, betas, noise, fn_name="p_sample_step")
    ab = np.cumprod(1 - betas.numpy())[t.numpy()].reshape((-1,) + (1,) * len(shape))
    x0_hat = (x_t.numpy() - np.sqrt(1 - ab) * eps.numpy()) / np.sqrt(ab)
    mean, var = bayes_posterior(x0_hat, x_t.numpy(), t.numpy(), betas.numpy())
    want = mean + np.sqrt(var) * noise.numpy()
    assert_shape(got, (b, *shape), call=call)
    assert_close(got, want, rtol=1e-9, atol=1e-10, call=call)
    assert_close(got[0], mean[0], rtol=1e-9, atol=1e-10, name="x_{t-1} at t = 0 (no noise is added)", call=call)


@given(b=st.integers(1, 4), shape=SHAPES, steps=st.integers(1, 20), seed=seeds())
@example(b=1, shape=(3,), steps=1, seed=0)
def test_loss_is_noise_prediction_mse(kata, b, shape, steps, seed):
    g = torch.Generator().manual_seed(seed)
    betas = schedule(steps, g)
    x0 = torch.randn(b, *shape, generator=g, dtype=torch.float64)
    noise = torch.randn(b, *shape, generator=g, dtype=torch.float64)
    t = torch.randint(steps, (b,), generator=g)
    w = torch.randn(steps, generator=g, dtype=torch.float64)
    seen = []

    def eps_model(x: torch.Tensor, tt: torch.Tensor) -> torch.Tensor:
        seen.append((x.detach().clone(), tt.clone()))
        return 0.5 * x + w[tt].reshape(-1, *[1] * len(shape))

    call = describe_call("ddpm_loss", "eps_model", x0, t, betas, noise)
    got = call_unmodified(kata.ddpm_loss, eps_model, x0, t, betas, noise, fn_name="ddpm_loss")
    ab = torch.cumprod(1 - betas, 0)[t].reshape(-1, *[1] * len(shape))
    x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
    want = ((0.5 * x_t + w[t].reshape(-1, *[1] * len(shape)) - noise) ** 2).mean()
    assert len(seen) == 1, f"{call} called eps_model {len(seen)} times, expected once"
    assert_close(seen[0][0], x_t, rtol=1e-12, atol=1e-12, name="x_t passed to eps_model", call=call)
    assert torch.equal(seen[0][1], t), f"{call} passed timesteps {seen[0][1].tolist()}, expected {t.tolist()}"
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="loss", call=call)
