"""Tests for arch-03-5, latent diffusion in a small autoencoder's latent space.

References: the scale factor against the population standard deviation (numpy); the loss against
its definition with a recording noise model and an encoder whose gradient is watched; the sampler
against DDPM's ancestral loop replayed with the same generator stream; and a real run: an autoencoder
and a noise model trained here (the noise model by your loss), whose decoded samples must reproduce
the data's two modes and their spread.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, call_unmodified, describe_call

pytestmark = pytest.mark.slow


@given(b=st.integers(1, 6), d=st.integers(1, 4), loc=st.sampled_from([0.0, 3.0]), seed=seeds())
@example(b=1, d=2, loc=0.0, seed=0)
@example(b=4, d=1, loc=3.0, seed=1)
def test_latent_scale_is_inverse_std(kata, b, d, loc, seed):
    z = loc + 2.5 * torch.randn(b, d, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    z[0, 0] += 1.0                   # never all equal
    call = describe_call("latent_scale", z)
    got = call_unmodified(kata.latent_scale, z, fn_name="latent_scale")
    assert isinstance(got, float), f"{call} returned {type(got).__name__}, expected a Python float"
    assert_close(got, 1 / np.std(z.numpy()), rtol=1e-10, atol=0, call=call)


def schedule(steps: int, g: torch.Generator) -> torch.Tensor:
    return 0.02 + torch.rand(steps, generator=g, dtype=torch.float64) * 0.3


@given(b=st.integers(1, 4), steps=st.integers(1, 10), scale=st.sampled_from([1.0, 0.3]), seed=seeds())
@example(b=1, steps=1, scale=1.0, seed=0)
def test_loss_diffuses_the_scaled_latent(kata, b, steps, scale, seed):
    g = torch.Generator().manual_seed(seed)
    betas = schedule(steps, g)
    x = torch.randn(b, 5, generator=g, dtype=torch.float64)
    enc_w = torch.randn(5, 2, generator=g, dtype=torch.float64).requires_grad_(True)
    noise = torch.randn(b, 2, generator=g, dtype=torch.float64)
    t = torch.randint(steps, (b,), generator=g)
    w = torch.randn(steps, generator=g, dtype=torch.float64)
    seen = []

    def encoder(v: torch.Tensor) -> torch.Tensor:
        return torch.tanh(v @ enc_w)

    def eps_model(z: torch.Tensor, tt: torch.Tensor) -> torch.Tensor:
        seen.append((z.detach().clone(), tt.clone()))
        return 0.5 * z + w[tt].reshape(-1, 1)

    call = describe_call("latent_diffusion_loss", "eps_model", "encoder", x, t, betas, noise, scale)
    got = call_unmodified(kata.latent_diffusion_loss, eps_model, encoder, x, t, betas, noise, scale,
                          fn_name="latent_diffusion_loss")
    ab = torch.cumprod(1 - betas, 0)[t].reshape(-1, 1)
    z_t = ab.sqrt() * scale * torch.tanh(x @ enc_w.detach()) + (1 - ab).sqrt() * noise
    want = ((0.5 * z_t + w[t].reshape(-1, 1) - noise) ** 2).mean()
    assert len(seen) == 1, f"{call} called eps_model {len(seen)} times, expected once"
    assert_close(seen[0][0], z_t, rtol=1e-12, atol=1e-12, name="z_t given to eps_model", call=call)
    assert torch.equal(seen[0][1], t), f"{call} gave eps_model the times {seen[0][1].tolist()}, expected {t.tolist()}"
    assert_close(got, want, rtol=1e-12, atol=1e-12, call=call)
    if got.requires_grad:
        got.backward()
    assert enc_w.grad is None or not enc_w.grad.any(), (
        f"{call}: the loss sends gradient into the frozen encoder; encode under torch.no_grad()")


def replay(eps_model, decoder, n, d, betas, scale, seed):
    g = torch.Generator().manual_seed(seed)
    ab = torch.cumprod(1 - betas, 0)
    z = torch.randn(n, d, generator=g, dtype=betas.dtype)
    for s in reversed(range(len(betas))):
        eps = eps_model(z, torch.full((n,), s))
        x0 = (z - (1 - ab[s]).sqrt() * eps) / ab[s].sqrt()
        prev = ab[s - 1] if s > 0 else torch.ones((), dtype=betas.dtype)
        # the posterior q(z_{s-1} | z_s, x0) in its eq. 7 form, at the predicted x0
        mean = prev.sqrt() * betas[s] / (1 - ab[s]) * x0 + (1 - betas[s]).sqrt() * (1 - prev) / (1 - ab[s]) * z
        var = (1 - prev) / (1 - ab[s]) * betas[s]
        z = mean + var.sqrt() * torch.randn(z.shape, generator=g, dtype=z.dtype)
    return decoder(z / scale)


@given(n=st.integers(1, 4), d=st.integers(1, 3), steps=st.integers(1, 6), scale=st.sampled_from([1.0, 0.4]),
       seed=seeds())
@example(n=1, d=1, steps=1, scale=1.0, seed=0)
@example(n=3, d=2, steps=5, scale=0.4, seed=2)
def test_sample_matches_ancestral_replay(kata, n, d, steps, scale, seed):
    g = torch.Generator().manual_seed(seed + 1)
    betas = schedule(steps, g)
    w = torch.randn(steps, generator=g, dtype=torch.float64)
    dec_w = torch.randn(d, 3, generator=g, dtype=torch.float64)

    def eps_model(z: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return torch.sin(z) * w[t].reshape(-1, 1)

    def decoder(z: torch.Tensor) -> torch.Tensor:
        return z @ dec_w + z.pow(2).sum(-1, keepdim=True)

    call = describe_call("sample", "eps_model", "decoder", n, d, betas, scale, seed)
    got = call_unmodified(kata.sample, eps_model, decoder, n, d, betas, scale, seed, fn_name="sample")
    assert_close(got, replay(eps_model, decoder, n, d, betas, scale, seed), rtol=1e-9, atol=1e-10, call=call)


@given(seed=seeds())
def test_sample_is_seeded(kata, seed):
    betas = torch.full((3,), 0.1, dtype=torch.float64)
    assert_seeded(lambda s: kata.sample(lambda z, t: 0.1 * z, lambda z: z, 4, 2, betas, 1.0, s), seed,
                  name="decoded samples")


@settings(max_examples=5)
@given(nd=st.sampled_from([(0, 2), (2, 0), (0, 0), (-1, 2)]))
@example(nd=(0, 2))
@example(nd=(2, 0))
def test_sample_rejects_empty_shapes(kata, nd):
    n, d = nd
    with pytest.raises(ValueError):
        kata.sample(lambda z, t: z, lambda z: z, n, d, torch.full((2,), 0.1), 1.0, 0)
        pytest.fail(f"sample(n={n}, latent_dim={d}) returned instead of raising ValueError")


MODES = torch.tensor([[-2.0, 0.0], [2.0, 0.0]])
T = 40


class EpsNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(3, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 2))

    def forward(self, z: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return self.net(torch.cat([z, (t.float() / T)[:, None]], 1))


def test_latent_diffusion_generates_the_data(kata):
    """Data: a two-mode mixture on a 2-D plane in R^8. Train an autoencoder (8 -> 2 -> 8), then a noise
    model on its scaled latents with your loss; decoded samples must land in both modes with the data's spread."""
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    plane = torch.linalg.qr(torch.randn(8, 2, generator=g))[0]

    def data(n: int) -> torch.Tensor:
        u = MODES[torch.randint(2, (n,), generator=g)] + 0.4 * torch.randn(n, 2, generator=g)
        return u @ plane.T

    enc = nn.Sequential(nn.Linear(8, 32), nn.SiLU(), nn.Linear(32, 2))
    dec = nn.Sequential(nn.Linear(2, 32), nn.SiLU(), nn.Linear(32, 8))
    opt = torch.optim.Adam([*enc.parameters(), *dec.parameters()], lr=1e-2)
    for _ in range(200):
        x = data(128)
        loss = (dec(enc(x)) - x).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        scale = kata.latent_scale(enc(data(1000)))
    betas = torch.linspace(1e-3, 0.2, T)
    eps = EpsNet()
    opt = torch.optim.Adam(eps.parameters(), lr=3e-3)
    for _ in range(800):
        t = torch.randint(T, (128,), generator=g)
        loss = kata.latent_diffusion_loss(eps, enc, data(128), t, betas, torch.randn(128, 2, generator=g), scale)
        opt.zero_grad()
        loss.backward()
        opt.step()
    u = kata.sample(eps, dec, 1000, 2, betas, scale, 1).detach() @ plane
    right = float((u[:, 0] > 0).float().mean())
    spread = float((u - MODES[(u[:, 0] > 0).long()]).std())
    what = "1000 decoded samples of a latent DDPM (T = 40) trained with your loss on a two-mode mixture (std 0.4)"
    assert 0.4 < right < 0.6, f"{what}: {right:.3f} of them in the right-hand mode, expected about 0.5"
    assert 0.3 < spread < 0.58, f"{what}: spread around their mode {spread:.3f}, expected about 0.4"
