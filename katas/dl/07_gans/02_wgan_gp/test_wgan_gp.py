"""Tests for dl-07-2, the WGAN-GP gradient penalty.

References: the penalty recomputed in the test with torch.autograd.grad at the interpolates
(create_graph=True), including its gradients with respect to the critic's parameters (a
double-backward); and the closed form λ(‖w‖ − 1)² for a linear critic x ↦ ⟨w, x⟩ + b.
"""
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, describe_call

SHAPES = st.sampled_from([(3,), (2, 4), (1, 3, 3)])


def batch(seed: int, N: int, shape: tuple) -> tuple[torch.Tensor, ...]:
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(N, *shape, generator=g, dtype=torch.float64),
            torch.randn(N, *shape, generator=g, dtype=torch.float64) + 1.0,
            torch.rand(N, generator=g, dtype=torch.float64))


def mlp_critic(seed: int, shape: tuple) -> torch.nn.Module:
    torch.manual_seed(seed)
    d = int(torch.tensor(shape).prod())
    return torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(d, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)).double()


def reference_gp(critic: torch.nn.Module, real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor,
                 lam: float) -> torch.Tensor:
    a = alpha.view(-1, *([1] * (real.dim() - 1)))
    x = (a * real + (1 - a) * fake).requires_grad_(True)
    (g,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return lam * ((g.flatten(1).norm(dim=1) - 1) ** 2).mean()


@given(seed=seeds(), N=st.integers(1, 5), shape=SHAPES)
@example(seed=0, N=2, shape=(1, 3, 3))
def test_interpolate(kata, seed, N, shape):
    real, fake, alpha = batch(seed, N, shape)
    got = kata.interpolate(real, fake, alpha)
    call = describe_call("interpolate", real, fake, alpha)
    assert_shape(got, real.shape, call=call)
    for i in range(N):
        assert_close(got[i], alpha[i] * real[i] + (1 - alpha[i]) * fake[i], rtol=1e-12, atol=1e-12,
                     name=f"sample {i} (α_i · real_i + (1 − α_i) · fake_i)", call=call)


@given(seed=seeds(), N=st.integers(1, 5), shape=SHAPES, lam=st.sampled_from([1.0, 10.0]))
@example(seed=1, N=3, shape=(2, 4), lam=10.0)
def test_penalty_and_its_parameter_gradients_match_autograd(kata, seed, N, shape, lam):
    real, fake, alpha = batch(seed, N, shape)
    critic = mlp_critic(seed, shape)
    call = describe_call(f"gradient_penalty(MLP critic, lam={lam})", real, fake, alpha)
    got = kata.gradient_penalty(critic, real, fake, alpha, lam=lam)
    want = reference_gp(critic, real, fake, alpha, lam)
    assert got.shape == (), f"{call} returned shape {tuple(got.shape)}, expected a 0-d tensor"
    assert_close(got, want, rtol=1e-10, atol=1e-12, name="λ · mean (‖∇ critic(x̂)‖ − 1)²", call=call)
    params = list(critic.parameters())
    assert got.requires_grad, f"{call} is not differentiable: use create_graph=True in torch.autograd.grad"
    g_got = torch.autograd.grad(got, params, allow_unused=True)
    g_want = torch.autograd.grad(want, params, allow_unused=True)
    for (name, _), a, b in zip(critic.named_parameters(), g_got, g_want, strict=True):
        assert a is not None or b is None, f"{call}: no gradient reaches critic parameter {name}"
        if b is not None:
            assert_close(a, b, rtol=1e-9, atol=1e-12, name=f"∂penalty/∂{name} (double backward)", call=call)


@given(seed=seeds(), N=st.integers(1, 5), d=st.integers(1, 6), scale=st.sampled_from([0.0, 0.3, 1.0, 3.0]),
       lam=st.sampled_from([1.0, 10.0]))
@example(seed=2, N=2, d=3, scale=0.0, lam=10.0)  # ‖w‖ = 0: the penalty is λ
def test_linear_critic_closed_form(kata, seed, N, d, scale, lam):
    real, fake, alpha = batch(seed, N, (d,))
    w = torch.randn(d, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    w = w / w.norm() * scale

    def critic(x: torch.Tensor) -> torch.Tensor:
        return x @ w + 0.5

    got = kata.gradient_penalty(critic, real, fake, alpha, lam=lam)
    assert_close(got, lam * (w.norm() - 1) ** 2, rtol=1e-12, atol=1e-12,
                 name="penalty of a linear critic (λ(‖w‖ − 1)², whatever the interpolates)",
                 call=describe_call(f"gradient_penalty(x ↦ ⟨w, x⟩ + 0.5 with ‖w‖ = {scale}, lam={lam})", real, fake))
    loss = kata.critic_loss(critic, real, fake, alpha, lam=lam)
    want = (fake @ w).mean() - (real @ w).mean() + lam * (w.norm() - 1) ** 2
    assert_close(loss, want, rtol=1e-12, atol=1e-12, name="critic loss (mean D(fake) − mean D(real) + GP)",
                 call=describe_call(f"critic_loss(linear critic, lam={lam})", real, fake))
