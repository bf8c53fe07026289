"""Tests for nlp-38-1, the DPO loss.

References: the closed form -log σ(β[(π_c - ref_c) - (π_r - ref_r)]) evaluated in float64 numpy with
np.logaddexp (stable at any margin); its gradient in closed form, -β σ(-z) / B, against the
autograd gradient of the learner's loss; sequence log-probabilities against
torch.distributions.Categorical and, on the trained workbook LM, against lm.evaluate_loss. The
trained effect: a softmax policy over a handful of responses, trained with the learner's loss on
preference pairs sampled from a Bradley-Terry model, recovers the hidden rewards as its implicit
reward β log π/π_ref.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import dims, seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

BETAS = st.sampled_from([0.01, 0.1, 0.5, 1.0, 3.0])


def draw_logps(seed: int, batch: int, scale: float, dtype: torch.dtype) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return [(-scale * torch.rand(batch, generator=g, dtype=torch.float64)).to(dtype) for _ in range(4)]


def closed_form(pc, pr, rc, rr, beta):
    pc, pr, rc, rr = (t.detach().double().numpy() for t in (pc, pr, rc, rr))
    z = beta * ((pc - rc) - (pr - rr))
    return np.logaddexp(0.0, -z).mean(), beta * (pc - rc), beta * (pr - rr), z


@given(seed=seeds(), batch=dims(1, 8), scale=st.sampled_from([1.0, 20.0, 200.0]), beta=BETAS,
       dtype=torch_float_dtypes())
@example(seed=0, batch=1, scale=1.0, beta=0.1, dtype=torch.float32)
@example(seed=1, batch=5, scale=200.0, beta=3.0, dtype=torch.float64)
def test_loss_and_rewards_match_closed_form(kata, seed, batch, scale, beta, dtype):
    pc, pr, rc, rr = draw_logps(seed, batch, scale, dtype)
    call = describe_call("dpo_loss", pc, pr, rc, rr, beta=beta)
    loss, chosen_r, rejected_r = call_unmodified(kata.dpo_loss, pc, pr, rc, rr, beta=beta)
    want, want_c, want_r, _ = closed_form(pc, pr, rc, rr, beta)
    assert_shape(loss, (), name="loss", call=call)
    assert_shape(chosen_r, (batch,), name="chosen rewards", call=call)
    assert_shape(rejected_r, (batch,), name="rejected rewards", call=call)
    for name, t in (("loss", loss), ("chosen rewards", chosen_r), ("rejected rewards", rejected_r)):
        assert_dtype(t, dtype, name=name, call=call)
    # float32 log-probs up to 200 in size: differences carry ~2e-5 absolute rounding, times beta <= 3
    tol = 1e-4 if dtype == torch.float32 else 1e-10
    assert_close(loss, want, rtol=1e-5, atol=tol, name="mean DPO loss", call=call)
    assert_close(chosen_r, want_c, rtol=1e-5, atol=tol, name="chosen rewards β(π_c - ref_c)", call=call)
    assert_close(rejected_r, want_r, rtol=1e-5, atol=tol, name="rejected rewards β(π_r - ref_r)", call=call)


@given(margin=st.sampled_from([-2000.0, -120.0, 120.0, 2000.0]), beta=BETAS, dtype=torch_float_dtypes())
@example(margin=-2000.0, beta=3.0, dtype=torch.float32)
def test_stable_at_huge_margins(kata, margin, beta, dtype):
    """log(sigmoid(z)) underflows to log(0) = -inf; the loss is softplus(-z), finite everywhere."""
    pc = torch.tensor([margin], dtype=dtype)
    zero = torch.zeros(1, dtype=dtype)
    loss, _, _ = kata.dpo_loss(pc, zero.clone(), zero.clone(), zero.clone(), beta=beta)
    want = np.logaddexp(0.0, -beta * margin)
    assert_close(loss, want, rtol=1e-6, atol=1e-6, name="loss at a huge margin",
                 call=describe_call("dpo_loss", f"[{margin}]", "[0.]", "[0.]", "[0.]", beta=beta))


@given(seed=seeds(), batch=dims(1, 6), beta=BETAS)
@example(seed=3, batch=1, beta=1.0)
def test_gradient_matches_closed_form(kata, seed, batch, beta):
    """dL/dπ_c = -β σ(-z) / B and dL/dπ_r = +β σ(-z) / B; the rewards carry no gradient."""
    pc, pr, rc, rr = draw_logps(seed, batch, 5.0, torch.float64)
    pc.requires_grad_(True)
    pr.requires_grad_(True)
    call = describe_call("dpo_loss", pc, pr, rc, rr, beta=beta)
    loss, chosen_r, rejected_r = kata.dpo_loss(pc, pr, rc, rr, beta=beta)
    assert not chosen_r.requires_grad and not rejected_r.requires_grad, (
        f"{call}: the returned rewards record gradients; they are for logging, detach them")
    loss.backward()
    _, _, _, z = closed_form(pc, pr, rc, rr, beta)
    w = beta / (1.0 + np.exp(z)) / batch
    assert_close(pc.grad, -w, rtol=1e-8, atol=1e-12, name="dL/d(policy chosen log-prob)", call=call)
    assert_close(pr.grad, w, rtol=1e-8, atol=1e-12, name="dL/d(policy rejected log-prob)", call=call)


@given(beta=st.sampled_from([0.0, -0.1, -1.0]))
@example(beta=0.0)
def test_rejects_beta_that_is_not_positive(kata, beta):
    x = torch.zeros(2)
    with pytest.raises(ValueError):
        kata.dpo_loss(x, x, x, x, beta=beta)
        pytest.fail(f"dpo_loss(..., beta={beta}) returned instead of raising ValueError")


@given(which=st.integers(0, 3), bad=st.sampled_from([(3,), (2, 1), ()]))
def test_rejects_mismatched_shapes(kata, which, bad):
    args = [torch.zeros(2) for _ in range(4)]
    args[which] = torch.zeros(bad)
    with pytest.raises(ValueError):
        kata.dpo_loss(*args, beta=0.1)
        pytest.fail(f"dpo_loss with argument {which} of shape {bad} and the rest (2,) returned")


def test_default_beta_is_one_tenth(kata):
    pc, pr, rc, rr = draw_logps(7, 4, 10.0, torch.float64)
    got, _, _ = kata.dpo_loss(pc, pr, rc, rr)
    assert_close(got, closed_form(pc, pr, rc, rr, 0.1)[0], rtol=1e-10, atol=1e-12, name="loss",
                 call="dpo_loss(pc, pr, rc, rr) with the default beta")


@given(seed=seeds(), batch=dims(1, 4), length=dims(1, 7), vocab=dims(2, 9), dtype=torch_float_dtypes())
@example(seed=0, batch=2, length=1, vocab=2, dtype=torch.float32)
def test_sequence_logprobs_sum_masked_token_logprobs(kata, seed, batch, length, vocab, dtype):
    g = torch.Generator().manual_seed(seed)
    logits = (3 * torch.randn(batch, length, vocab, generator=g, dtype=torch.float64)).to(dtype)
    labels = torch.randint(0, vocab, (batch, length), generator=g)
    mask = torch.rand(batch, length, generator=g) < 0.6
    mask[0] = False                     # a row with no response tokens: log-prob 0
    if batch > 1:
        mask[1] = True
    call = describe_call("sequence_logprobs", logits, labels, mask)
    got = call_unmodified(kata.sequence_logprobs, logits, labels, mask)
    assert_shape(got, (batch,), call=call)
    assert_dtype(got, dtype, call=call)
    per_token = torch.distributions.Categorical(logits=logits.double()).log_prob(labels)
    want = (per_token * mask).sum(-1)
    # float32 log-softmax of logits ~10: ~1e-6 per token, summed over <= 7 tokens
    assert_close(got, want, rtol=1e-5, atol=2e-5 if dtype == torch.float32 else 1e-10,
                 name="summed log-probs of the masked labels", call=call)


@given(bad=st.sampled_from(["labels", "mask", "logits"]))
def test_sequence_logprobs_rejects_mismatched_shapes(kata, bad):
    logits, labels, mask = torch.zeros(2, 3, 5), torch.zeros(2, 3, dtype=torch.long), torch.ones(2, 3, dtype=torch.bool)
    if bad == "labels":
        labels = torch.zeros(2, 4, dtype=torch.long)
    elif bad == "mask":
        mask = torch.ones(3, 2, dtype=torch.bool)
    else:
        logits = torch.zeros(2, 3)
    with pytest.raises(ValueError):
        kata.sequence_logprobs(logits, labels, mask)
        pytest.fail(f"sequence_logprobs returned with mismatched {bad}")


def test_sequence_logprobs_on_the_trained_lm(kata):
    """Summed over every position, the log-prob of real text is -(mean loss) x token count."""
    model = lm.load_model()
    _, val = lm.corpus_splits()
    x, y = lm.windows(val[:1000], 32, max_windows=3)
    with torch.no_grad():
        logps = kata.sequence_logprobs(model(x), y, torch.ones_like(y, dtype=torch.bool))
    want = -lm.evaluate_loss(model, val[:1000], context=32, max_windows=3) * y.numel()
    assert_close(logps.double().sum(), want, rtol=1e-5, atol=1e-3, name="total log-prob of 3 held-out windows",
                 call="sequence_logprobs(lm(x), y, all-ones mask)")


def sample_pairs(rewards: np.ndarray, n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, len(rewards), n)
    b = (a + rng.integers(1, len(rewards), n)) % len(rewards)
    a_wins = rng.random(n) < 1 / (1 + np.exp(-(rewards[a] - rewards[b])))
    return torch.as_tensor(np.where(a_wins, a, b)), torch.as_tensor(np.where(a_wins, b, a))


@settings(max_examples=2)
@given(seed=seeds(), beta=st.sampled_from([0.2, 1.0]))
@example(seed=5, beta=0.5)
def test_training_recovers_the_hidden_rewards(kata, seed, beta):
    """DPO's optimum: β log π(y)/π_ref(y) = r(y) + const when preferences follow Bradley-Terry in r."""
    rng = np.random.default_rng(seed)
    rewards = rng.normal(0, 1.5, 6)
    chosen, rejected = sample_pairs(rewards, 4000, seed)
    ref_logits = torch.as_tensor(rng.normal(0, 1, 6))
    ref = torch.log_softmax(ref_logits, -1)
    theta = ref_logits.clone().requires_grad_(True)
    opt = torch.optim.Adam([theta], lr=0.2)
    for _ in range(120):
        logp = torch.log_softmax(theta, -1)
        loss, _, _ = kata.dpo_loss(logp[chosen], logp[rejected], ref[chosen], ref[rejected], beta=beta)
        opt.zero_grad()
        loss.backward()
        opt.step()
    implicit = (beta * (torch.log_softmax(theta, -1) - ref)).detach().numpy()
    implicit, true = implicit - implicit.mean(), rewards - rewards.mean()
    err = np.abs(implicit - true).max()
    # 4000 Bradley-Terry pairs over 6 items: the MLE of each centred reward has sd ~0.1
    assert err < 0.5, (f"after 120 Adam steps on the DPO loss (beta={beta}) the implicit rewards "
                       f"{np.round(implicit, 2).tolist()} differ from the hidden rewards {np.round(true, 2).tolist()} "
                       f"by up to {err:.2f}: expected them to agree within 0.5 (centred)")
