"""Tests for arch-07-1, FGSM, PGD and an adversarial-training step.

References: the attacks' formulas evaluated with torch autograd in float64; for a linear (hence
convex-loss) model, first-order guarantees: FGSM raises the loss, and every PGD step keeps it from
falling; the L-infinity ball and the pixel range; an SGD step on the PGD batch written out.
"""
import copy

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, call_unmodified, describe_call

EPS = st.sampled_from([0.01, 0.05, 0.1, 0.3])


def setup(seed: int, linear: bool = True, b: int = 6, d: int = 5, c: int = 3) -> tuple:
    torch.manual_seed(seed)   # the model's initial weights only
    model = (nn.Linear(d, c) if linear else nn.Sequential(nn.Linear(d, 8), nn.Tanh(), nn.Linear(8, c))).double()
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(b, d, generator=g, dtype=torch.float64)
    x[0, 0], x[0, 1] = 0.0, 1.0       # pixels on the edges of the valid range
    y = torch.randint(0, c, (b,), generator=g)
    return model, x, y


def grad_of(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    xx = x.clone().requires_grad_()
    F.cross_entropy(model(xx), y).backward()
    return xx.grad


def per_sample_loss(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return F.cross_entropy(model(x), y, reduction="none")


@given(seed=seeds(), eps=EPS, linear=st.booleans())
def test_fgsm_is_the_signed_gradient_step(kata, seed, eps, linear):
    model, x, y = setup(seed, linear)
    before = copy.deepcopy(model.state_dict())
    call = describe_call("fgsm", "model", x, y, eps)
    got = call_unmodified(kata.fgsm, model, x, y, eps, fn_name="fgsm")
    want = (x + eps * grad_of(copy.deepcopy(model), x, y).sign()).clamp(0, 1)
    assert_close(got, want, rtol=0, atol=1e-12, name="adversarial batch", call=call)
    assert not got.requires_grad, f"{call} returned a tensor that requires grad: detach it"
    assert all(p.grad is None for p in model.parameters()), f"{call} left gradients on the model's parameters"
    for k, v in model.state_dict().items():
        assert torch.equal(v, before[k]), f"{call} changed the model parameter {k}"


@given(seed=seeds(), eps=EPS)
def test_fgsm_raises_the_loss_of_a_linear_model(kata, seed, eps):
    model, x, y = setup(seed)
    adv = kata.fgsm(model, x, y, eps)
    lo, hi = per_sample_loss(model, x, y), per_sample_loss(model, adv, y)
    assert bool((hi >= lo - 1e-12).all()) and float(hi.sum()) > float(lo.sum()), (
        f"fgsm(eps={eps}) did not raise the loss of a linear model: {lo.tolist()} -> {hi.tolist()} (the loss is "
        "convex in x, so a step along sign(grad) cannot lower it)")


@given(seed=seeds(), eps=EPS, alpha=st.sampled_from([0.01, 0.05]), steps=st.integers(0, 6), random=st.booleans(),
       linear=st.booleans())
def test_pgd_stays_in_the_ball_and_matches_the_iteration(kata, seed, eps, alpha, steps, random, linear):
    model, x, y = setup(seed, linear)
    gen = torch.Generator().manual_seed(seed + 1) if random else None
    call = describe_call("pgd", "model", x, y, eps, alpha, steps, generator=gen)
    got = call_unmodified(kata.pgd, model, x, y, eps, alpha, steps, generator=gen, fn_name="pgd")
    assert all(p.grad is None for p in model.parameters()), f"{call} left gradients on the model's parameters"
    twin = copy.deepcopy(model)
    ref = x.clone()
    if random:
        ref = (ref + eps * (torch.rand(x.shape, generator=torch.Generator().manual_seed(seed + 1),
                                       dtype=x.dtype) * 2 - 1)).clamp(0, 1)
    for _ in range(steps):
        ref = ref + alpha * grad_of(twin, ref, y).sign()
        ref = torch.minimum(torch.maximum(ref, x - eps), x + eps).clamp(0, 1)
    assert_close(got, ref, rtol=0, atol=1e-12, name="adversarial batch", call=call)
    assert float((got - x).abs().max()) <= eps + 1e-12, f"{call} left the eps-ball around x"
    assert float(got.min()) >= 0 and float(got.max()) <= 1, f"{call} left the pixel range [0, 1]"


@given(seed=seeds(), eps=EPS)
def test_one_pgd_step_of_size_eps_is_fgsm(kata, seed, eps):
    model, x, y = setup(seed, linear=False)
    assert_close(kata.pgd(model, x, y, eps, eps, 1), kata.fgsm(model, x, y, eps), rtol=0, atol=1e-12,
                 name="pgd(steps=1, alpha=eps) vs fgsm", call=describe_call("pgd", "model", x, y, eps, eps, 1))


@settings(max_examples=10)
@given(seed=seeds(), eps=EPS)
def test_pgd_random_start_is_seeded(kata, seed, eps):
    model, x, y = setup(seed, linear=False)
    # one short step from the random start: the run has not reached a corner of the box yet
    assert_seeded(lambda s: kata.pgd(model, x, y, eps, eps / 10, 1, generator=torch.Generator().manual_seed(s)), seed)


@settings(max_examples=10)
@given(seed=seeds(), eps=st.sampled_from([0.05, 0.1]))
def test_pgd_never_lowers_a_convex_loss(kata, seed, eps):
    model, x, y = setup(seed)
    losses = [float(per_sample_loss(model, kata.pgd(model, x, y, eps, eps / 4, k), y).sum()) for k in range(6)]
    assert all(b >= a - 1e-10 for a, b in zip(losses, losses[1:], strict=False)) and losses[-1] > losses[0], (
        f"pgd's loss over steps 0..5 on a linear model: {[round(v, 6) for v in losses]}; each projected sign step "
        "should keep it from falling")


def test_pgd_rejects_negative_steps(kata):
    model, x, y = setup(0)
    with pytest.raises(ValueError):
        kata.pgd(model, x, y, 0.1, 0.01, -1)
        pytest.fail("pgd(steps=-1) returned instead of raising ValueError")


class PlainSGD:
    """The optimizer interface the step uses (zero_grad, step), without torch.optim's first-use import cost."""

    def __init__(self, params: list, lr: float) -> None:
        self.params, self.lr = list(params), lr

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self) -> None:
        for p in self.params:
            if p.grad is not None:
                p -= self.lr * p.grad


@settings(max_examples=10)
@given(seed=seeds(), steps=st.integers(2, 3), lr=st.sampled_from([0.1, 0.5]))
def test_training_step_is_sgd_on_the_pgd_batch(kata, seed, steps, lr):
    model, x, y = setup(seed, linear=False)
    twin = copy.deepcopy(model)
    opt = PlainSGD(model.parameters(), lr=lr)
    for p in model.parameters():
        p.grad = torch.ones_like(p)       # stale gradients must be cleared first
    loss = kata.adversarial_training_step(model, opt, x, y, 0.06, 0.05, steps)   # the ball binds from step 2
    x_adv = x.clone()
    for _ in range(steps):
        x_adv = x_adv + 0.05 * grad_of(twin, x_adv, y).sign()
        x_adv = torch.minimum(torch.maximum(x_adv, x - 0.06), x + 0.06).clamp(0, 1)
    twin.zero_grad()
    want_loss = F.cross_entropy(twin(x_adv), y)
    want_loss.backward()
    with torch.no_grad():
        for p in twin.parameters():
            p -= lr * p.grad
    assert isinstance(loss, float), f"adversarial_training_step returned {type(loss).__name__}, expected a float"
    assert_close(loss, want_loss.item(), rtol=1e-10, atol=1e-12, name="returned loss (on the PGD batch)",
                 call="adversarial_training_step(...)")
    for (name, p), q in zip(model.named_parameters(), twin.parameters(), strict=True):
        assert_close(p.detach(), q.detach(), rtol=1e-9, atol=1e-12, name=f"parameter {name} after the step",
                     call="adversarial_training_step(...)")
