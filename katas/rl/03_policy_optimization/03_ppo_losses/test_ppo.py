"""Tests for rl-03-3, PPO's clipped surrogate, value clipping and entropy bonus.

References: each loss in closed form in float64 numpy; the policy loss's gradient against the
hand-derived one (-r A / B where the unclipped term is the minimum, 0 where clipping is active);
the entropy against torch.distributions.Categorical; limits (a huge clip range gives the plain
importance-weighted objective); the combined loss and its diagnostics against their formulas.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call

EPS = st.sampled_from([0.2, 0.1, 0.3]) | st.floats(0.05, 0.5)


def draw(seed: int, n: int, dtype: torch.dtype, spread: float = 0.4) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    r = lambda scale: (torch.randn(n, generator=g, dtype=torch.float64) * scale).to(dtype)
    old = -torch.rand(n, generator=g, dtype=torch.float64).to(dtype) * 2
    return {"new": old + r(spread), "old": old, "adv": r(1.5), "values": r(2.0), "old_values": r(2.0),
            "returns": r(2.0), "logits": (torch.randn(n, 4, generator=g, dtype=torch.float64) * 2).to(dtype)}


def np64(x: torch.Tensor) -> np.ndarray:
    return x.detach().double().numpy()


def policy_ref(new: np.ndarray, old: np.ndarray, adv: np.ndarray, eps: float) -> tuple[float, np.ndarray]:
    ratio = np.exp(new - old)
    unclipped, clipped = ratio * adv, np.clip(ratio, 1 - eps, 1 + eps) * adv
    loss = -np.minimum(unclipped, clipped).mean()
    # d/d new_log_prob: -r A / n where the unclipped term is the strict minimum or the ratio is inside the range
    inside = (ratio > 1 - eps) & (ratio < 1 + eps)
    grad = np.where(inside | (unclipped < clipped), -ratio * adv / len(adv), 0.0)
    on_kink = np.isclose(ratio, 1 - eps, rtol=0, atol=1e-6) | np.isclose(ratio, 1 + eps, rtol=0, atol=1e-6)
    return loss, np.where(on_kink, np.nan, grad)


@given(n=st.integers(1, 16), eps=EPS, dtype=torch_float_dtypes(), seed=seeds(), spread=st.sampled_from([0.05, 0.4, 1.0]))
@example(n=4, eps=0.2, dtype=torch.float64, seed=0, spread=1.0)
def test_policy_loss_and_gradient(kata, n, eps, dtype, seed, spread):
    d = draw(seed, n, dtype, spread)
    new = d["new"].clone().requires_grad_(True)
    call = describe_call("ppo_policy_loss", new, d["old"], d["adv"], eps)
    loss = call_unmodified(kata.ppo_policy_loss, new, d["old"], d["adv"], eps, fn_name="ppo_policy_loss")
    assert loss.dim() == 0, f"{call} returned shape {tuple(loss.shape)}, expected a scalar"
    assert_dtype(loss, dtype, call=call)
    want, want_grad = policy_ref(np64(new), np64(d["old"]), np64(d["adv"]), eps)
    tol = 1e-5 if dtype == torch.float32 else 1e-10
    assert_close(loss, want, rtol=tol, atol=tol,
                 name="loss -mean(min(r A, clip(r, 1 - eps, 1 + eps) A)), r = exp(new - old)", call=call)
    (grad,) = torch.autograd.grad(loss, new)
    keep = ~np.isnan(want_grad)
    assert_close(np64(grad)[keep], want_grad[keep], rtol=tol, atol=tol,
                 name="d loss / d new_log_probs (-r A / B where unclipped, 0 where the clip is active)", call=call)


@given(n=st.integers(1, 8), seed=seeds())
@example(n=3, seed=-1)
def test_clipped_samples_have_no_gradient(kata, n, seed):
    """A ratio beyond 1 + eps with A > 0 (or below 1 - eps with A < 0) gets zero gradient."""
    if seed == -1:
        new = torch.log(torch.tensor([1.5, 0.5, 1.1], dtype=torch.float64)).requires_grad_(True)
        old, adv = torch.zeros(3, dtype=torch.float64), torch.tensor([1.0, -1.0, 1.0], dtype=torch.float64)
    else:
        g = torch.Generator().manual_seed(seed)
        adv = torch.randn(n, generator=g, dtype=torch.float64)
        new = (torch.sign(adv) * 0.7).requires_grad_(True)  # ratio e^0.7 ~ 2.0 with A > 0, e^-0.7 ~ 0.5 with A < 0
        old = torch.zeros(n, dtype=torch.float64)
    loss = kata.ppo_policy_loss(new, old, adv, 0.2)
    (grad,) = torch.autograd.grad(loss, new)
    ratio = np.exp(np64(new))
    outside = ((ratio > 1.2) & (np64(adv) > 0)) | ((ratio < 0.8) & (np64(adv) < 0))
    assert np.all(np64(grad)[outside] == 0), (
        f"ppo_policy_loss(ratios {np.round(ratio, 3).tolist()}, advantages {np.round(np64(adv), 3).tolist()}, 0.2): "
        f"gradient {np.round(np64(grad), 4).tolist()} is non-zero where the clip is active")


@given(n=st.integers(1, 10), seed=seeds())
def test_huge_clip_range_is_the_plain_surrogate(kata, n, seed):
    d = draw(seed, n, torch.float64)
    got = kata.ppo_policy_loss(d["new"], d["old"], d["adv"], 1e6)
    assert_close(got, -(np.exp(np64(d["new"]) - np64(d["old"])) * np64(d["adv"])).mean(), rtol=1e-10, atol=1e-10,
                 name="loss with clip_eps = 1e6 (-mean(r A))", call="ppo_policy_loss(..., clip_eps=1e6)")


def value_ref(v: np.ndarray, old: np.ndarray, ret: np.ndarray, eps: float | None) -> float:
    unclipped = (v - ret) ** 2
    if eps is None:
        return 0.5 * unclipped.mean()
    return 0.5 * np.maximum(unclipped, (old + np.clip(v - old, -eps, eps) - ret) ** 2).mean()


@given(n=st.integers(1, 16), eps=EPS | st.none(), dtype=torch_float_dtypes(), seed=seeds())
@example(n=2, eps=0.2, dtype=torch.float64, seed=-1)
def test_value_loss(kata, n, eps, dtype, seed):
    if seed == -1:  # the new value overshoots the return: the clipped error (larger) is used
        d = {"values": torch.tensor([3.0, 0.0], dtype=dtype), "old_values": torch.tensor([0.0, 0.0], dtype=dtype),
             "returns": torch.tensor([2.0, 0.0], dtype=dtype)}
    else:
        d = draw(seed, n, dtype)
    v = d["values"].clone().requires_grad_(True)
    call = describe_call("ppo_value_loss", v, d["old_values"], d["returns"], eps)
    loss = call_unmodified(kata.ppo_value_loss, v, d["old_values"], d["returns"], eps, fn_name="ppo_value_loss")
    assert_dtype(loss, dtype, call=call)
    tol = 1e-5 if dtype == torch.float32 else 1e-10
    assert_close(loss, value_ref(np64(v), np64(d["old_values"]), np64(d["returns"]), eps), rtol=tol, atol=tol,
                 name="0.5 * mean(max((V - R)^2, (V_old + clip(V - V_old, -eps, eps) - R)^2))"
                      if eps is not None else "0.5 * mean((V - R)^2) (clip_eps=None: no clipping)", call=call)


@given(n=st.integers(1, 8), n_actions=st.integers(1, 6), dtype=torch_float_dtypes(), seed=seeds(),
       scale=st.sampled_from([0.1, 3.0, 30.0]))
@example(n=1, n_actions=3, dtype=torch.float32, seed=0, scale=30.0)  # nearly deterministic: no NaN from 0 * log 0
def test_entropy_matches_torch(kata, n, n_actions, dtype, seed, scale):
    logits = (torch.randn(n, n_actions, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
              * scale + 5.0).to(dtype)
    call = describe_call("categorical_entropy", logits)
    got = call_unmodified(kata.categorical_entropy, logits, fn_name="categorical_entropy")
    assert_dtype(got, dtype, call=call)
    want = torch.distributions.Categorical(logits=logits.double()).entropy().mean()
    tol = 1e-5 if dtype == torch.float32 else 1e-10
    assert_close(got, want, rtol=tol, atol=tol, name="mean entropy (vs torch.distributions.Categorical)", call=call)


@given(n=st.integers(1, 12), eps=EPS, vf=st.sampled_from([0.5, 1.0, 0.0]), ent=st.sampled_from([0.01, 0.0, 0.1]),
       clip_value=st.booleans(), seed=seeds())
def test_combined_loss_and_diagnostics(kata, n, eps, vf, ent, clip_value, seed):
    d = draw(seed, n, torch.float64, spread=0.5)
    call = describe_call("ppo_loss", "...", clip_eps=eps, vf_coef=vf, ent_coef=ent, clip_value=clip_value)
    out = call_unmodified(kata.ppo_loss, d["new"], d["old"], d["adv"], d["values"], d["old_values"], d["returns"],
                          d["logits"], clip_eps=eps, vf_coef=vf, ent_coef=ent, clip_value=clip_value, fn_name="ppo_loss")
    pol, _ = policy_ref(np64(d["new"]), np64(d["old"]), np64(d["adv"]), eps)
    val = value_ref(np64(d["values"]), np64(d["old_values"]), np64(d["returns"]), eps if clip_value else None)
    entropy = float(torch.distributions.Categorical(logits=d["logits"]).entropy().mean())
    log_r = np64(d["new"]) - np64(d["old"])
    r = np.exp(log_r)
    want = {"loss": pol + vf * val - ent * entropy, "policy": pol, "value": val, "entropy": entropy,
            "clip_fraction": float((np.abs(r - 1) > eps).mean()), "approx_kl": float(((r - 1) - log_r).mean())}
    for key, value in want.items():
        assert key in out, f"{call} returned keys {sorted(out)}; missing {key!r}"
        assert_close(out[key], value, rtol=1e-9, atol=1e-9, name=f"{key!r} (policy + vf_coef * value - ent_coef * "
                     "entropy; clip_fraction = mean(|r - 1| > eps); approx_kl = mean((r - 1) - log r))", call=call)


def test_clip_fraction_counts_ratios_strictly_outside(kata):
    """Ratios exactly on 1 +- clip_eps (exp(log r) == r exactly for these) are not clipped: |r - 1| > eps is strict."""
    ratios = torch.tensor([1.25, 0.75, 1.5, 0.5, 1.0], dtype=torch.float64)
    new, zeros = torch.log(ratios), torch.zeros(5, dtype=torch.float64)
    out = kata.ppo_loss(new, zeros, torch.ones(5, dtype=torch.float64), zeros, zeros, zeros,
                        torch.zeros(5, 2, dtype=torch.float64), clip_eps=0.25)
    assert_close(out["clip_fraction"], 0.4, rtol=0, atol=1e-12,
                 name="'clip_fraction' (mean(|r - 1| > eps), strict: the ratios 1.25 and 0.75 on the edges do "
                      "not count)", call="ppo_loss(ratios [1.25, 0.75, 1.5, 0.5, 1.0], ..., clip_eps=0.25)")


@given(case=st.sampled_from(["eps0", "eps_negative", "shape", "2d", "value_eps0"]))
def test_rejects_bad_arguments(kata, case):
    a, b = torch.zeros(3), torch.zeros(3)
    with pytest.raises(ValueError):
        if case == "eps0":
            kata.ppo_policy_loss(a, b, a, 0.0)
        elif case == "eps_negative":
            kata.ppo_policy_loss(a, b, a, -0.2)
        elif case == "shape":
            kata.ppo_policy_loss(a, b, torch.zeros(2), 0.2)
        elif case == "2d":
            kata.ppo_value_loss(torch.zeros(3, 1), torch.zeros(3, 1), torch.zeros(3, 1), 0.2)
        else:
            kata.ppo_value_loss(a, b, a, 0.0)
