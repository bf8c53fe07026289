"""Tests for arch-03-4, classifier-free guidance.

References: the combination eps_u + w (eps_c - eps_u) against two separate model calls (float64);
exact noise predictors of a two-class 1-D Gaussian mixture (class k ~ N(mu_k, s^2), the null
condition = the mixture), sampled with deterministic DDIM: w = 0 gives the mixture, w = 1 the class,
w > 1 pushes further; binomial bounds on the dropout rate.
"""
import math

import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, call_unmodified, describe_call

NULL = 2
T = 200
ALPHA_BAR = torch.cumprod(1 - torch.linspace(1e-4, 0.05, T, dtype=torch.float64), 0)
MU = torch.tensor([-1.0, 1.0], dtype=torch.float64)
S = 0.5


def toy_model(x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
    """A model whose conditional and unconditional predictions differ everywhere."""
    return torch.sin(x * (1 + cond.reshape(-1, *[1] * (x.dim() - 1)))) + 0.01 * t.reshape(-1, *[1] * (x.dim() - 1))


@given(b=st.integers(1, 5), w=st.sampled_from([0.0, 1.0, 3.0, 7.5, -0.5]), seed=seeds())
@example(b=1, w=0.0, seed=0)
@example(b=3, w=1.0, seed=1)
def test_guided_eps_combination(kata, b, w, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(b, 2, generator=g, dtype=torch.float64)
    t = torch.randint(T, (b,), generator=g)
    cond = torch.randint(2, (b,), generator=g)
    calls = []

    def model(xx: torch.Tensor, tt: torch.Tensor, cc: torch.Tensor) -> torch.Tensor:
        calls.append(xx.shape[0])
        return toy_model(xx, tt, cc)

    call = describe_call("guided_eps", "eps_model", x, t, cond, NULL, w)
    got = call_unmodified(kata.guided_eps, model, x, t, cond, NULL, w, fn_name="guided_eps")
    eps_c = toy_model(x, t, cond)
    eps_u = toy_model(x, t, torch.full_like(cond, NULL))
    assert calls == [2 * b], f"{call} called eps_model with batch sizes {calls}, expected one call with 2B = {2 * b}"
    assert_close(got, eps_u + w * (eps_c - eps_u), rtol=1e-12, atol=1e-12, call=call)


def exact_eps(x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
    """eps* = -sqrt(1 - ab) * score of the noised data: one Gaussian per class, the mixture for NULL."""
    ab = ALPHA_BAR[t].reshape(-1, 1)
    var = ab * S ** 2 + 1 - ab
    means = ab.sqrt() * MU.reshape(1, 2)                          # (B, 2)
    eps_k = (1 - ab).sqrt() * (x - means) / var                    # (B, 2): each class's eps
    logw = -(x - means) ** 2 / (2 * var)
    mix = (torch.softmax(logw, dim=1) * eps_k).sum(1, keepdim=True)
    own = eps_k.gather(1, cond.clamp(max=1).reshape(-1, 1))
    return torch.where((cond == NULL).reshape(-1, 1), mix, own)


def guided_samples(kata, w: float, n: int, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    ts = list(range(T - 1, -1, -4))
    ab0 = float(ALPHA_BAR[ts[0]])
    x = math.sqrt(ab0 * S ** 2 + 1 - ab0) * torch.randn(n, 1, generator=g, dtype=torch.float64)  # mixture marginal
    cond = torch.ones(n, dtype=torch.int64)
    for i, t in enumerate(ts):
        eps = kata.guided_eps(exact_eps, x, torch.full((n,), t), cond, NULL, w)
        ab, ab_prev = float(ALPHA_BAR[t]), float(ALPHA_BAR[ts[i + 1]]) if i + 1 < len(ts) else 1.0
        x = math.sqrt(ab_prev) * (x - math.sqrt(1 - ab) * eps) / math.sqrt(ab) + math.sqrt(1 - ab_prev) * eps
    return x


@settings(max_examples=3)
@given(seed=seeds())
def test_guidance_moves_samples_to_the_class(kata, seed):
    n = 2000
    frac = {w: float((guided_samples(kata, w, n, seed) > 0).double().mean()) for w in (0.0, 1.0, 4.0)}
    call = "DDIM with guided_eps(exact eps of a two-class mixture, cond = class 1 at +1)"
    # w = 0: the mixture, half the mass on each side. w = 1: class 1 alone, P(N(1, 0.25) > 0) = 0.977.
    assert abs(frac[0.0] - 0.5) < 0.06, f"{call}, w=0: a fraction {frac[0.0]:.3f} > 0, expected ~0.5 (the mixture)"
    assert abs(frac[1.0] - 0.977) < 0.03, f"{call}, w=1: a fraction {frac[1.0]:.3f} > 0, expected ~0.977 (the class)"
    assert frac[4.0] > max(frac[1.0], 0.99), (f"{call}, w=4: a fraction {frac[4.0]:.3f} > 0, expected more than "
                                              f"at w=1 ({frac[1.0]:.3f}): guidance beyond 1 sharpens the class")


@pytest.mark.parametrize("p", [0.1, 0.5])
def test_dropout_rate(kata, p):
    cond = torch.randint(2, (20000,), generator=torch.Generator().manual_seed(0))
    call = describe_call("drop_condition", cond, NULL, p, 3)
    out = call_unmodified(kata.drop_condition, cond, NULL, p, 3, fn_name="drop_condition")
    dropped = out == NULL
    rate = float(dropped.double().mean())
    se = math.sqrt(p * (1 - p) / len(cond))
    assert abs(rate - p) < 5 * se, f"{call}: dropped a fraction {rate:.4f}, expected {p} (± {5 * se:.4f})"
    assert torch.equal(out[~dropped], cond[~dropped]), f"{call}: labels that were not dropped changed"


@given(p=st.sampled_from([0.0, 1.0]))
def test_dropout_edges(kata, p):
    cond = torch.tensor([0, 1, 1, 0, 1])
    out = kata.drop_condition(cond, NULL, p, 0)
    want = cond if p == 0.0 else torch.full_like(cond, NULL)
    assert torch.equal(out, want), f"drop_condition({cond.tolist()}, {NULL}, {p}, 0) returned {out.tolist()}"


@given(seed=seeds())
def test_dropout_is_seeded(kata, seed):
    cond = torch.zeros(64, dtype=torch.int64)
    assert_seeded(lambda s: kata.drop_condition(cond, NULL, 0.5, s), seed, name="dropped labels")


@given(p=st.sampled_from([-0.1, 1.1, 2.0]))
def test_dropout_rejects_bad_rate(kata, p):
    with pytest.raises(ValueError):
        kata.drop_condition(torch.zeros(3, dtype=torch.int64), NULL, p, 0)
        pytest.fail(f"drop_condition(p_uncond={p}) returned instead of raising ValueError")
