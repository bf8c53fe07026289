"""Tests for rl-05-2, the GAIL discriminator and its reward.

References: torch.nn.functional.binary_cross_entropy_with_logits for the discriminator loss (and its
gradient, by autograd); the three reward forms in closed form in float64 (stable for confident
discriminators); and the optimal discriminator of Goodfellow et al.: for expert data N(1, 1) and policy
data N(-1, 1), a discriminator trained with your loss must learn D* = p_E / (p_E + p_pi), i.e. the
logit 2x.
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_no_alias,
    assert_seeded,
    call_unmodified,
    describe_call,
)

KINDS = ["-log(1-D)", "log(D)", "logit"]


def logits_of(seed: int, n: int, scale: float, dtype: torch.dtype) -> torch.Tensor:
    return (torch.randn(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * scale).to(dtype)


@given(n_e=st.integers(1, 12), n_p=st.integers(1, 12), scale=st.sampled_from([1.0, 5.0, 60.0]),
       dtype=torch_float_dtypes(), seed=seeds())
@example(n_e=1, n_p=3, scale=60.0, dtype=torch.float32, seed=0)  # confident, and unequal batch sizes
def test_discriminator_loss_is_binary_cross_entropy(kata, n_e, n_p, scale, dtype, seed):
    le = logits_of(seed, n_e, scale, dtype).requires_grad_(True)
    lp = logits_of(seed + 1, n_p, scale, dtype).requires_grad_(True)
    call = describe_call("discriminator_loss", le, lp)
    loss = call_unmodified(kata.discriminator_loss, le, lp, fn_name="discriminator_loss")
    assert_dtype(loss, dtype, call=call)
    le64, lp64 = le.detach().double().requires_grad_(True), lp.detach().double().requires_grad_(True)
    want = (F.binary_cross_entropy_with_logits(le64, torch.ones_like(le64))
            + F.binary_cross_entropy_with_logits(lp64, torch.zeros_like(lp64)))
    tol = 1e-5 if dtype == torch.float32 else 1e-10
    assert_close(loss, want.detach(), rtol=tol, atol=tol,
                 name="loss -mean log D(expert) - mean log(1 - D(policy)) (expert = class 1; a mean per batch)",
                 call=call)
    g = torch.autograd.grad(loss, (le, lp))
    w = torch.autograd.grad(want, (le64, lp64))
    for got, ref, which in zip(g, w, ("expert", "policy"), strict=True):
        assert_close(got, ref, rtol=tol, atol=tol, name=f"gradient w.r.t. the {which} logits", call=call)


def reward_ref(x: np.ndarray, kind: str) -> np.ndarray:
    log_d = -np.logaddexp(0, -x)  # log sigmoid(x)
    log_1md = -np.logaddexp(0, x)  # log(1 - sigmoid(x))
    return {"-log(1-D)": -log_1md, "log(D)": log_d, "logit": log_d - log_1md}[kind]


@given(n=st.integers(1, 12), scale=st.sampled_from([1.0, 5.0, 60.0]), kind=st.sampled_from(KINDS),
       dtype=torch_float_dtypes(), seed=seeds())
@example(n=4, scale=60.0, kind="-log(1-D)", dtype=torch.float32, seed=0)
@example(n=4, scale=60.0, kind="log(D)", dtype=torch.float32, seed=1)
def test_reward_forms(kata, n, scale, kind, dtype, seed):
    x = logits_of(seed, n, scale, dtype)
    call = describe_call("gail_reward", x, kind=kind)
    got = call_unmodified(kata.gail_reward, x, kind=kind, fn_name="gail_reward")
    assert_dtype(got, dtype, call=call)
    assert_no_alias(got, x, name="reward (a new tensor, also for kind='logit')", call=call)
    tol = 1e-5 if dtype == torch.float32 else 1e-10
    assert_close(got, reward_ref(x.double().numpy(), kind), rtol=tol, atol=tol,
                 name=f"reward {kind} with D = sigmoid(logit), computed stably", call=call)


@given(kind=st.sampled_from(KINDS))
def test_reward_increases_with_d(kata, kind):
    x = torch.linspace(-30, 30, 61, dtype=torch.float64)
    r = kata.gail_reward(x, kind=kind).numpy()
    assert np.all(np.diff(r) > 0), f"gail_reward(kind={kind!r}) should increase with D (the 'expert-likeness')"
    if kind == "-log(1-D)":
        assert np.all(r > 0), "-log(1-D) rewards are all positive (a survival bonus)"
    if kind == "log(D)":
        assert np.all(r < 0), "log(D) rewards are all negative (a per-step cost)"


def test_reward_rejects_unknown_kind(kata):
    with pytest.raises(ValueError):
        kata.gail_reward(torch.zeros(2), kind="D")


@settings(max_examples=2)
@given(seed=seeds())
def test_trained_discriminator_is_optimal(kata, seed):
    """Expert samples ~ N(1, 1), policy samples ~ N(-1, 1): the optimal logit is log p_E - log p_pi = 2x."""
    rng = np.random.default_rng(seed)
    xe, xp = rng.normal(1, 1, size=(2000, 1)), rng.normal(-1, 1, size=(2000, 1))
    disc = kata.train_discriminator(xe, xp, seed)
    grid = torch.linspace(-2, 2, 9).unsqueeze(1)
    with torch.no_grad():
        learned = disc(grid).squeeze(-1).numpy()
    # 2000 samples per class: the logistic fit's slope and intercept are within ~0.15 of (2, 0).
    assert_close(learned, 2 * grid.squeeze(1).numpy(), rtol=0, atol=0.6,
                 name="learned logit on [-2, 2] (vs the optimal discriminator's 2x)",
                 call=f"train_discriminator(N(1,1) vs N(-1,1) samples, seed={seed})")
    assert_seeded(lambda s: [p.detach().clone() for p in kata.train_discriminator(xe[:50], xp[:50], s, steps=2)
                             .parameters()], seed, name="discriminator parameters")
    # Exactly  Adam steps from the seeded initialisation: replay them with torch's own BCE loss.
    for k in (1, 3):
        torch.manual_seed(seed)
        ref = torch.nn.Linear(1, 1)
        opt = torch.optim.Adam(ref.parameters(), lr=0.05)
        te, tp = torch.as_tensor(xe[:50], dtype=torch.float32), torch.as_tensor(xp[:50], dtype=torch.float32)
        for _ in range(k):
            loss = (F.binary_cross_entropy_with_logits(ref(te).squeeze(-1), torch.ones(50))
                    + F.binary_cross_entropy_with_logits(ref(tp).squeeze(-1), torch.zeros(50)))
            opt.zero_grad()
            loss.backward()
            opt.step()
        got = kata.train_discriminator(xe[:50], xp[:50], seed, steps=k)
        for name, a, b in zip(("weight", "bias"), got.parameters(), ref.parameters(), strict=True):
            # float32 Adam steps of size lr = 0.05 from the same start; the two losses differ by rounding only.
            assert_close(a.detach(), b.detach(), rtol=0, atol=1e-5, name=f"{name} after steps={k} Adam steps",
                         call=f"train_discriminator(50 expert, 50 policy samples, seed={seed}, steps={k})")
    few = kata.train_discriminator(xe, xp, seed, steps=1)
    slow = kata.train_discriminator(xe, xp, seed, steps=150, lr=1e-4)
    with torch.no_grad():
        for name, d in (("steps=1", few), ("steps=150, lr=1e-4", slow)):
            err = np.abs(d(grid).squeeze(-1).numpy() - 2 * grid.squeeze(1).numpy()).max()
            assert err > 0.6, f"train_discriminator with {name} is as good as the default ({err:.3f}): argument ignored?"
