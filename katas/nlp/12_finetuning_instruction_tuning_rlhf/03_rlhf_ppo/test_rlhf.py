"""Tests for nlp-12-3, RLHF: a hand-made reward model and a few PPO steps.

References: the reward model's mean of hand-set token scores; log-probabilities from
torch.log_softmax gathered one position earlier; the KL-penalised rewards, reward-to-go and
whitening in closed form (numpy); PPO's clipped surrogate in closed form with its gradient from
torch autograd of an independent float64 formula (and the zero gradient where the clip is active);
one full PPO iteration replayed by a float64 loop written here; and short seeded runs in which 10
PPO steps raise the mean reward, and without a KL penalty the policy hacks the reward model.
"""
import contextlib
import copy

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it, ~4 s: pay that at collection, not in a test)
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_shape, describe_call

V = 8


@contextlib.contextmanager
def single_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def reference_logprobs(policy, tokens: torch.Tensor, p: int) -> torch.Tensor:
    logp = torch.log_softmax(policy(tokens).double(), dim=-1)
    return torch.stack([logp[:, t - 1].gather(-1, tokens[:, t:t + 1]).squeeze(-1) for t in range(p, tokens.shape[1])],
                       dim=1)


def reference_rewards(scores: np.ndarray, logp: np.ndarray, logp_ref: np.ndarray, beta: float) -> np.ndarray:
    r = -beta * (logp - logp_ref)
    r[:, -1] += scores
    return r


def reference_advantages(rewards: np.ndarray) -> np.ndarray:
    g = np.cumsum(rewards[:, ::-1], axis=1)[:, ::-1]
    return (g - g.mean()) / (g.std(ddof=1) + 1e-8)


def reference_clip_loss(logp_new: torch.Tensor, logp_old: torch.Tensor, adv: torch.Tensor, eps: float) -> torch.Tensor:
    ratio = torch.exp(logp_new - logp_old)
    return -torch.where(adv >= 0, torch.clamp(ratio, max=1 + eps) * adv, torch.clamp(ratio, min=1 - eps) * adv).mean()


@given(liked=st.lists(st.integers(0, V - 1), max_size=3, unique=True),
       disliked=st.lists(st.integers(0, V - 1), max_size=3, unique=True), b=dims(1, 4), length=dims(1, 6), seed=seeds())
@example(liked=[1, 2], disliked=[5, 6], b=2, length=3, seed=0)
def test_hacked_reward_model_averages_token_scores(kata, liked, disliked, b, length, seed):
    disliked = [d for d in disliked if d not in liked]
    score = np.zeros(V)
    score[liked], score[disliked] = 1.0, -1.0
    responses = torch.randint(V, (b, length), generator=torch.Generator().manual_seed(seed))
    call = describe_call("hack_reward_model", V, liked, disliked)
    model = kata.hack_reward_model(V, liked, disliked)
    assert isinstance(model, torch.nn.EmbeddingBag), f"{call} returned {type(model).__name__}, expected nn.EmbeddingBag"
    assert_close(model.weight.detach().reshape(-1), score, rtol=0, atol=0, name="weight (per-token scores)", call=call)
    got = model(responses)
    assert_shape(got, (b, 1), name="reward", call=call + f" applied to {describe_call('', responses)}")
    assert_close(got.detach().reshape(-1), score[responses.numpy()].mean(axis=1), rtol=1e-6, atol=1e-6,  # float32
                 name="reward (mean token score)", call=call)


@given(b=dims(1, 3), p=dims(1, 3), length=dims(1, 5), seed=seeds())
@example(b=1, p=1, length=1, seed=0)
def test_response_logprobs_match_log_softmax(kata, b, p, length, seed):
    torch.manual_seed(seed)
    policy = kata.TinyLM().double()
    tokens = torch.randint(V, (b, p + length), generator=torch.Generator().manual_seed(seed))
    call = describe_call("response_logprobs", "TinyLM(float64)", tokens, p)
    got = kata.response_logprobs(policy, tokens, p)
    with torch.no_grad():
        want = reference_logprobs(policy, tokens, p)
    assert_shape(got, (b, length), name="log-probs", call=call)
    assert got.requires_grad, f"{call} returned log-probs without a gradient: PPO needs to differentiate them"
    assert_close(got, want, rtol=1e-10, atol=1e-10, name="log-probs", call=call)   # float64, same formula


@given(b=dims(1, 4), length=dims(1, 6), beta=st.sampled_from([0.0, 0.05, 0.5]), seed=seeds())
@example(b=2, length=1, beta=0.5, seed=0)
def test_kl_penalized_rewards_closed_form(kata, b, length, beta, seed):
    rng = np.random.default_rng(seed)
    scores, logp, logp_ref = rng.normal(size=b), -rng.random((b, length)) * 3, -rng.random((b, length)) * 3
    call = describe_call("kl_penalized_rewards", scores, logp, logp_ref, beta)
    got = kata.kl_penalized_rewards(torch.tensor(scores), torch.tensor(logp), torch.tensor(logp_ref), beta)
    assert_close(got, reference_rewards(scores, logp, logp_ref, beta), rtol=1e-12, atol=1e-12, name="rewards", call=call)


@given(b=dims(2, 5), length=dims(1, 6), seed=seeds())
@example(b=2, length=1, seed=0)
def test_whitened_advantages_closed_form(kata, b, length, seed):
    rewards = np.random.default_rng(seed).normal(size=(b, length))
    call = describe_call("whitened_advantages", rewards)
    got = kata.whitened_advantages(torch.tensor(rewards))
    assert_close(got, reference_advantages(rewards), rtol=1e-9, atol=1e-9, name="advantages", call=call)


@given(b=dims(1, 4), length=dims(1, 6), eps=st.sampled_from([0.1, 0.2, 0.3]), seed=seeds())
@example(b=2, length=3, eps=0.2, seed=0)
def test_ppo_clip_loss_value_and_gradient(kata, b, length, eps, seed):
    g = torch.Generator().manual_seed(seed)
    logp_old = -torch.rand(b, length, generator=g, dtype=torch.float64) * 3
    logp_new = (logp_old + torch.randn(b, length, generator=g, dtype=torch.float64) * 0.4).requires_grad_(True)
    adv = torch.randn(b, length, generator=g, dtype=torch.float64)
    ratio = torch.exp(logp_new.detach() - logp_old)
    call = describe_call("ppo_clip_loss", logp_new, logp_old, adv, clip_eps=eps)
    got = kata.ppo_clip_loss(logp_new, logp_old, adv, eps)
    r, a = ratio.numpy(), adv.numpy()
    want = -np.mean(np.minimum(r * a, np.clip(r, 1 - eps, 1 + eps) * a))
    assert_shape(got, (), name="loss", call=call)
    assert_close(got.detach(), want, rtol=1e-12, atol=1e-12, name="loss", call=call)   # float64
    (grad,) = torch.autograd.grad(got, logp_new)
    (want_grad,) = torch.autograd.grad(reference_clip_loss(logp_new, logp_old, adv, eps), logp_new)
    assert_close(grad, want_grad, rtol=1e-10, atol=1e-12, name="d loss / d logp_new", call=call)


def test_ppo_clip_loss_stops_the_gradient_where_the_clip_binds(kata):
    """Ratios 1.5 with A > 0 and 0.5 with A < 0 (eps = 0.2) are clipped: no gradient; the others are not."""
    logp_old = torch.zeros(1, 4, dtype=torch.float64)
    logp_new = torch.log(torch.tensor([[1.5, 0.5, 1.5, 0.5]], dtype=torch.float64)).requires_grad_(True)
    adv = torch.tensor([[1.0, -1.0, -1.0, 1.0]], dtype=torch.float64)
    loss = kata.ppo_clip_loss(logp_new, logp_old, adv, 0.2)
    (grad,) = torch.autograd.grad(loss, logp_new)
    want_grad = torch.tensor([[0.0, 0.0, 1.5 / 4, -0.5 / 4]], dtype=torch.float64)   # -A * ratio / N where unclipped
    want_loss = -(1.2 * 1 + 0.8 * -1 + 1.5 * -1 + 0.5 * 1) / 4
    call = describe_call("ppo_clip_loss", "ratios [1.5, 0.5, 1.5, 0.5]", logp_old, "A [1, -1, -1, 1]", clip_eps=0.2)
    assert_close(loss.detach(), want_loss, rtol=0, atol=1e-12, name="loss", call=call)
    assert_close(grad, want_grad, rtol=0, atol=1e-12, name="gradient (zero where the clip is active)", call=call)


def reference_ppo_step(kata, policy, ref_policy, opt, reward_model, prompts, length, beta, eps, epochs, gen):
    tokens = kata.sample_responses(policy, prompts, length, gen)
    p = prompts.shape[1]
    with torch.no_grad():
        old = reference_logprobs(policy, tokens, p)
        ref = reference_logprobs(ref_policy, tokens, p)
        scores = reward_model(tokens[:, p:]).reshape(-1).double()
        adv = torch.tensor(reference_advantages(reference_rewards(scores.numpy(), old.numpy(), ref.numpy(), beta)))
    for _ in range(epochs):
        loss = reference_clip_loss(reference_logprobs(policy, tokens, p), old, adv, eps)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return {"reward": scores.mean().item(), "kl": (old - ref).sum(1).mean().item()}


@settings(max_examples=10)
@given(seed=seeds(), beta=st.sampled_from([0.0, 0.1]), epochs=dims(1, 3), length=dims(2, 4),
       clip_eps=st.sampled_from([0.2, 0.02]))
@example(seed=0, beta=0.1, epochs=3, length=3, clip_eps=0.2)
@example(seed=1, beta=0.1, epochs=3, length=3, clip_eps=0.02)   # a tight clip binds from the second epoch on
def test_ppo_step_matches_a_reference_iteration(kata, seed, beta, epochs, length, clip_eps):
    torch.manual_seed(seed)
    ref_policy = kata.TinyLM().double().requires_grad_(False)
    policy = copy.deepcopy(ref_policy).requires_grad_(True)
    with torch.no_grad():   # a policy that has already drifted from the reference
        for p in policy.parameters():
            p.add_(torch.randn(p.shape, generator=torch.Generator().manual_seed(seed + 1), dtype=p.dtype) * 0.1)
    twin = copy.deepcopy(policy)
    reward_model = torch.nn.EmbeddingBag(V, 1, mode="mean").requires_grad_(False)
    with torch.no_grad():
        reward_model.weight.copy_(torch.tensor([[0.0], [1.0], [1.0], [0.5], [0.0], [-1.0], [-1.0], [-0.5]]))
    prompts = torch.zeros(8, 1, dtype=torch.long)
    with single_thread():
        opt = torch.optim.AdamW(policy.parameters(), lr=1e-2, weight_decay=0.0)
        got = kata.ppo_step(policy, ref_policy, opt, reward_model, prompts, length, beta, clip_eps, epochs,
                            torch.Generator().manual_seed(seed + 2))
        twin_opt = torch.optim.AdamW(twin.parameters(), lr=1e-2, weight_decay=0.0)
        want = reference_ppo_step(kata, twin, ref_policy, twin_opt, reward_model, prompts, length, beta, clip_eps,
                                  epochs, torch.Generator().manual_seed(seed + 2))
    call = describe_call("ppo_step", "TinyLM(float64)", "reference", "AdamW", "reward_model", prompts, length,
                         beta=beta, clip_eps=clip_eps, ppo_epochs=epochs)
    for key in ("reward", "kl"):
        assert key in got, f"{call} returned {got}, expected keys 'reward' and 'kl'"
        # the reward is a float32 mean; the KL a float64 sum
        assert abs(got[key] - want[key]) < 1e-6, f"{call} returned {key}={got[key]:.8g}, expected {want[key]:.8g}"
    for (name, p), q in zip(policy.named_parameters(), twin.parameters(), strict=True):
        # float64 AdamW steps on identical losses agree to rounding
        assert_close(p.detach(), q.detach(), rtol=1e-8, atol=1e-10, name=f"policy parameter {name} after the step",
                     call=call)


def run_ppo(kata, seed: int, beta: float, steps: int = 10) -> list[dict]:
    torch.manual_seed(seed)
    policy = kata.TinyLM()
    ref_policy = copy.deepcopy(policy).requires_grad_(False)
    reward_model = kata.hack_reward_model(V, [1, 2], [5, 6])
    opt = torch.optim.AdamW(policy.parameters(), lr=1e-2, weight_decay=0.0)
    gen = torch.Generator().manual_seed(seed + 1)
    prompts = torch.zeros(64, 1, dtype=torch.long)
    return [kata.ppo_step(policy, ref_policy, opt, reward_model, prompts, 6, beta, 0.2, 4, gen) for _ in range(steps)]


@pytest.mark.slow
@settings(max_examples=1)  # plus the explicit example: two pairs of 10-step runs, ~0.7 s each
@given(seed=seeds())
@example(seed=0)
def test_ten_ppo_steps_raise_the_reward_and_the_kl_penalty_restrains_hacking(kata, seed):
    with single_thread():
        tamed = run_ppo(kata, seed, beta=0.1)
        hacked = run_ppo(kata, seed, beta=0.0)
    rewards = [round(h["reward"], 3) for h in tamed]
    # measured over seeds: the mean reward climbs from about 0.05 to 0.6-0.75 (beta = 0.1), and to
    # 0.98-1.0 without the penalty, where the KL ends at least 2.8 nats higher
    assert np.mean(rewards[-3:]) > rewards[0] + 0.25, f"10 PPO steps (beta=0.1) gave mean rewards {rewards}"
    assert hacked[-1]["reward"] > 0.8, (f"without a KL penalty the policy should learn to emit only liked tokens "
                                        f"(reward -> 1); rewards were {[round(h['reward'], 3) for h in hacked]}")
    assert hacked[-1]["kl"] > tamed[-1]["kl"] + 1.0, (
        f"the KL to the reference after 10 steps is {hacked[-1]['kl']:.2f} nats without a penalty and "
        f"{tamed[-1]['kl']:.2f} with beta=0.1: the penalty should keep the policy much closer")


@settings(max_examples=8)  # each figure costs ~80 ms to build
@given(n=dims(1, 12), seed=seeds())
@example(n=1, seed=0)
def test_plot_rewards_draws_reward_and_kl_per_step(kata, n, seed):
    rng = np.random.default_rng(seed)
    history = [{"reward": float(r), "kl": float(k)} for r, k in zip(rng.random(n), rng.random(n) * 5, strict=True)]
    fig = kata.plot_rewards(history)
    try:
        axes = [ax for ax in fig.axes if ax.get_lines()]
        assert len(axes) == 2, f"plot_rewards drew lines on {len(axes)} axes, expected 2 (reward, KL)"
        want = {"reward": [h["reward"] for h in history], "kl": [h["kl"] for h in history]}
        for ax, key, ylabel in zip(sorted(axes, key=lambda a: a.get_position().x0), ("reward", "kl"), ("reward", "kl"),
                                   strict=True):
            lines = ax.get_lines()
            assert len(lines) == 1 and lines[0].get_label() == key, (
                f"the {key} panel holds lines {[ln.get_label() for ln in lines]}, expected one labelled {key!r}")
            assert "step" in ax.get_xlabel().lower(), f"the {key} panel's xlabel is {ax.get_xlabel()!r}"
            assert ylabel in ax.get_ylabel().lower(), f"the {key} panel's ylabel is {ax.get_ylabel()!r}"
            assert_close(np.asarray(lines[0].get_xdata(), dtype=float), np.arange(1, n + 1), rtol=0, atol=0,
                         name=f"x data of the {key} line (steps 1..n)", call="plot_rewards(history)")
            assert_close(np.asarray(lines[0].get_ydata(), dtype=float), want[key], rtol=0, atol=0,
                         name=f"y data of the {key} line", call="plot_rewards(history)")
    finally:
        plt.close(fig)
