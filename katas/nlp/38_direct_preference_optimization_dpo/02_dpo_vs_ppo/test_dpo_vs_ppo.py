"""Tests for nlp-38-2, DPO against PPO on the same preferences.

References: the clipped surrogate and its gradient in closed form (float64 numpy); the PPO update
against a reference loop written from the documented algorithm (same generator, same Adam steps);
the KL-regularised optimum π_ref·exp(r/β) for convergence. The trained comparison, on one set of
Bradley-Terry preference pairs: DPO (offline, no reward model) and PPO (a reward model, then
on-policy samples) reach the same policy; PPO spends thousands of samples to get there, and without
its clipping an aggressive PPO run collapses while the clipped one stays near the optimum.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_seeded, call_unmodified, describe_call

pytestmark = pytest.mark.slow      # PPO and DPO runs

EPS = st.sampled_from([0.1, 0.2, 0.5])


@given(seed=seeds(), b=dims(1, 10), clip_eps=EPS, dtype=torch_float_dtypes())
@example(seed=0, b=1, clip_eps=0.2, dtype=torch.float32)
def test_clip_objective_and_gradient(kata, seed, b, clip_eps, dtype):
    rng = np.random.default_rng(seed)
    old = rng.normal(-1.5, 0.5, b)
    new = old + rng.normal(0, 0.4, b)                 # ratios from ~0.3 to ~3: clipped and not
    adv = rng.normal(0, 1, b)
    logp_new = torch.tensor(new, dtype=dtype, requires_grad=True)
    logp_old, advantages = torch.tensor(old, dtype=dtype), torch.tensor(adv, dtype=dtype)
    call = describe_call("ppo_clip_objective", logp_new, logp_old, advantages, clip_eps=clip_eps)
    loss = call_unmodified(kata.ppo_clip_objective, logp_new, logp_old, advantages, clip_eps=clip_eps)
    assert_dtype(loss, dtype, name="loss", call=call)
    ratio = np.exp(new - old)
    want = -np.minimum(ratio * adv, np.clip(ratio, 1 - clip_eps, 1 + clip_eps) * adv).mean()
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    assert_close(loss, want, rtol=1e-5, atol=tol, name="-mean(min(ρA, clip(ρ)A))", call=call)
    loss.backward()
    clipped = ((adv > 0) & (ratio > 1 + clip_eps)) | ((adv < 0) & (ratio < 1 - clip_eps))
    want_grad = np.where(clipped, 0.0, -ratio * adv / b)
    assert_close(logp_new.grad, want_grad, rtol=1e-5, atol=tol,
                 name="d loss / d logp_new (0 where the ratio is clipped in the advantage's direction)", call=call)


def test_clip_default(kata):
    new, old, adv = torch.tensor([0.5, -0.5]), torch.tensor([0.0, 0.0]), torch.tensor([1.0, -1.0])
    ratio = np.exp([0.5, -0.5])
    want = -np.minimum(ratio * [1, -1], np.clip(ratio, 0.8, 1.2) * [1, -1]).mean()
    assert_close(kata.ppo_clip_objective(new, old, adv), want, rtol=1e-6, atol=1e-7, name="loss",
                 call="ppo_clip_objective(...) with the default clip_eps = 0.2")


@given(clip_eps=st.sampled_from([0.0, -0.2]))
@example(clip_eps=0.0)
def test_clip_rejects_non_positive_eps(kata, clip_eps):
    x = torch.zeros(3)
    with pytest.raises(ValueError):
        kata.ppo_clip_objective(x, x, x, clip_eps=clip_eps)
        pytest.fail(f"ppo_clip_objective(..., clip_eps={clip_eps}) returned instead of raising ValueError")


@given(seed=seeds(), b=dims(1, 8), beta=st.sampled_from([0.0, 0.1, 1.0]))
def test_kl_penalised_advantages(kata, seed, b, beta):
    rng = np.random.default_rng(seed)
    r, lp, ref = (torch.as_tensor(rng.normal(size=b)) for _ in range(3))
    call = describe_call("kl_penalised_advantages", r, lp, ref, beta)
    got = call_unmodified(kata.kl_penalised_advantages, r, lp, ref, beta)
    shaped = (r - beta * (lp - ref)).numpy()
    assert_close(got, shaped - shaped.mean(), rtol=1e-12, atol=1e-12,
                 name="r - β(log π - log π_ref), minus its batch mean", call=call)


def reference_ppo(ref_logits, reward, beta, seed, iterations, batch, epochs, lr, clip_eps):
    g = torch.Generator().manual_seed(seed)
    ref = torch.log_softmax(torch.as_tensor(ref_logits, dtype=torch.float64), -1)
    r = torch.as_tensor(reward, dtype=torch.float64)
    theta = torch.tensor(ref_logits, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([theta], lr=lr)
    curve = []
    for _ in range(iterations):
        with torch.no_grad():
            old = torch.log_softmax(theta, -1)
            y = torch.multinomial(old.exp(), batch, replacement=True, generator=g)
            shaped = r[y] - beta * (old[y] - ref[y])
            adv = shaped - shaped.mean()
        for _ in range(epochs):
            ratio = torch.exp(torch.log_softmax(theta, -1)[y] - old[y])
            loss = -torch.minimum(ratio * adv, ratio.clamp(1 - clip_eps, 1 + clip_eps) * adv).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        curve.append((torch.softmax(theta, -1) * r).sum().item())
    return theta.detach().numpy(), np.array(curve)


@settings(max_examples=6)
@given(seed=seeds(), iterations=dims(1, 3), batch=dims(1, 16), epochs=dims(1, 3), lr=st.sampled_from([0.01, 0.3]),
       clip_eps=EPS, beta=st.sampled_from([0.1, 1.0]), dtype=st.sampled_from([np.float32, np.float64]))
@example(seed=0, iterations=2, batch=5, epochs=3, lr=0.3, clip_eps=0.1, beta=1.0, dtype=np.float64)
@example(seed=1, iterations=2, batch=5, epochs=2, lr=0.3, clip_eps=0.2, beta=0.1, dtype=np.float32)  # float64 θ anyway
def test_training_follows_the_documented_update(kata, seed, iterations, batch, epochs, lr, clip_eps, beta, dtype):
    rng = np.random.default_rng(seed)
    ref, reward = rng.normal(size=5).astype(dtype), rng.normal(size=5).astype(dtype)
    call = describe_call("train_ppo_bandit", ref, reward, beta, seed, iterations=iterations, batch=batch,
                         epochs=epochs, lr=lr, clip_eps=clip_eps)
    logits, curve, samples = call_unmodified(kata.train_ppo_bandit, ref, reward, beta, seed, iterations=iterations,
                                             batch=batch, epochs=epochs, lr=lr, clip_eps=clip_eps)
    want_logits, want_curve = reference_ppo(ref, reward, beta, seed, iterations, batch, epochs, lr, clip_eps)
    assert samples == iterations * batch, f"{call} reported {samples} samples, expected {iterations * batch}"
    assert_close(curve, want_curve, rtol=0, atol=1e-10, name="expected reward after each iteration", call=call)
    assert_close(logits, want_logits, rtol=0, atol=1e-10, name="final logits", call=call)


@given(seed=seeds())
def test_same_seed_same_run(kata, seed):
    ref, reward = np.array([0.0, 0.5, -0.5]), np.array([1.0, 0.0, -1.0])
    assert_seeded(lambda s: kata.train_ppo_bandit(ref, reward, 0.5, s, iterations=3, batch=8)[0], seed,
                  name="PPO logits")


def softmax(z):
    return np.exp(z - np.logaddexp.reduce(z))


def kl(p, q):
    return float((p * np.log(p / q)).sum())


def test_ppo_converges_to_the_kl_regularised_optimum(kata):
    rng = np.random.default_rng(0)
    ref, reward = rng.normal(size=6), rng.normal(size=6)
    logits, curve, samples = kata.train_ppo_bandit(ref, reward, 0.5, 0)
    optimum = softmax(np.log(softmax(ref)) + reward / 0.5)
    gap = kl(softmax(logits), optimum)
    assert len(curve) == 100 and samples == 6400, f"defaults: {len(curve)} iterations and {samples} samples, expected 100 and 6400"
    assert gap < 0.005, f"after the default 100 iterations KL(PPO policy ‖ π_ref·exp(r/β)) = {gap:.4f}; expected < 0.005"


def test_dpo_and_ppo_agree_but_ppo_pays_in_samples_and_needs_clipping(kata):
    rng = np.random.default_rng(1)
    k, beta = 6, 0.5
    ref, true_r = rng.normal(size=k), rng.normal(size=k)
    a, b = rng.choice(k, 3000, p=softmax(ref)), rng.choice(k, 3000, p=softmax(ref))
    a, b = a[a != b], b[a != b]
    a_wins = rng.random(len(a)) < 1 / (1 + np.exp(-(true_r[a] - true_r[b])))
    chosen, rejected = np.where(a_wins, a, b), np.where(a_wins, b, a)
    dpo = softmax(kata.dpo_policy(ref, chosen, rejected, beta))
    reward_model = kata.fit_reward_model(k, chosen, rejected)
    ppo_logits, _, samples = kata.train_ppo_bandit(ref, reward_model, beta, 0)
    gap = kl(softmax(ppo_logits), dpo)
    assert gap < 0.01, f"KL(PPO on the reward model ‖ DPO) = {gap:.4f}: on the same preferences both should reach the same policy"
    assert samples == 6400, f"PPO used {samples} on-policy samples; DPO used none"
    optimum = softmax(np.log(softmax(ref)) + reward_model / beta)
    for seed in (0, 1):
        clipped = kl(softmax(kata.train_ppo_bandit(ref, reward_model, beta, seed, lr=0.3, epochs=8)[0]), optimum)
        unclipped = kl(softmax(kata.train_ppo_bandit(ref, reward_model, beta, seed, lr=0.3, epochs=8,
                                                     clip_eps=100.0)[0]), optimum)
        assert clipped < 0.2 and unclipped > 0.3, (
            f"aggressive PPO (lr 0.3, 8 epochs per batch), seed {seed}: KL to the optimum {clipped:.3f} with clipping, "
            f"{unclipped:.3f} without; expected clipping to keep it < 0.2 and its absence to let it collapse (> 0.3)")
