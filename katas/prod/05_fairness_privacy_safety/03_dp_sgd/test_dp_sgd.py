"""Tests for prod-05-3, DP-SGD.

References: per-sample gradients from a Python loop of torch.autograd.grad and from opacus'
GradSampleModule; one DP-SGD step against opacus' DPOptimizer with noise 0 (the clipping) and
against the noise draw the docstring fixes; opacus' RDP accountant (compute_rdp with sampling
rate 1); and the closed-form minimum of the RDP-to-DP conversion for the Gaussian mechanism.
"""
import copy
import math
import warnings

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from opacus import GradSampleModule
from opacus.accountants.analysis.rdp import compute_rdp
from opacus.optimizers import DPOptimizer
from torch import nn

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_seeded, call_unmodified, describe_call

LOSSES = {"cross_entropy": nn.functional.cross_entropy, "mse": lambda out, t: nn.functional.mse_loss(out, t)}


@st.composite
def problems(draw: st.DrawFn) -> tuple[nn.Module, object, torch.Tensor, torch.Tensor]:
    seed = draw(seeds())
    torch.manual_seed(seed)
    d, h, k, n = draw(st.integers(1, 4)), draw(st.integers(1, 5)), draw(st.integers(2, 3)), draw(st.integers(1, 6))
    model = nn.Sequential(nn.Linear(d, h), nn.Tanh(), nn.Linear(h, k)).double()
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=g, dtype=torch.float64) * draw(st.sampled_from([1.0, 5.0]))
    loss_name = draw(st.sampled_from(list(LOSSES)))
    y = (torch.randint(0, k, (n,), generator=g) if loss_name == "cross_entropy"
         else torch.randn(n, k, generator=g, dtype=torch.float64))
    return model, LOSSES[loss_name], x, y


def loop_grads(model: nn.Module, loss_fn: object, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
    names = [name for name, _ in model.named_parameters()]
    params = [p for _, p in model.named_parameters()]
    rows = [torch.autograd.grad(loss_fn(model(x[i:i + 1]), y[i:i + 1]), params) for i in range(x.shape[0])]
    return {name: torch.stack([r[j] for r in rows]) for j, name in enumerate(names)}


def reference_clip_and_noise(grads: dict, max_norm: float, sigma: float, seed: int) -> dict[str, np.ndarray]:
    n = next(iter(grads.values())).shape[0]
    flat = np.concatenate([g.reshape(n, -1).double().numpy() for g in grads.values()], axis=1)
    factor = np.minimum(1.0, max_norm / (np.linalg.norm(flat, axis=1) + 1e-6))
    gen = torch.Generator().manual_seed(seed)
    out = {}
    for name, g in grads.items():
        z = torch.randn(g.shape[1:], generator=gen, dtype=g.dtype).double().numpy()
        out[name] = (np.tensordot(factor, g.double().numpy(), axes=1) + sigma * max_norm * z) / n
    return out


@settings(max_examples=12)
@given(problem=problems())
def test_per_sample_grads_match_a_loop(kata, problem):
    model, loss_fn, x, y = problem
    before = {k: v.clone() for k, v in model.state_dict().items()}
    call = describe_call("per_sample_grads", model, loss_fn, x, y)
    got = call_unmodified(kata.per_sample_grads, model, loss_fn, x, y)
    want = loop_grads(model, loss_fn, x, y)
    assert set(got) == set(want), f"{call} returned keys {sorted(got)}, expected the parameter names {sorted(want)}"
    for name in want:
        # float64 backward passes of a tiny MLP: rounding only
        assert_close(got[name], want[name], rtol=1e-10, atol=1e-12, name=f"per-sample gradient of {name}", call=call)
    for k, v in model.state_dict().items():
        assert torch.equal(v, before[k]), f"{call} changed the model's parameter {k}"
    assert all(p.grad is None for p in model.parameters()), f"{call} wrote .grad into the model's parameters"


@settings(max_examples=5)
@given(problem=problems())
def test_per_sample_grads_match_opacus(kata, problem):
    model, loss_fn, x, y = problem
    got = kata.per_sample_grads(model, loss_fn, x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gsm = GradSampleModule(copy.deepcopy(model), loss_reduction="sum")
        # both losses average over the batch: n times the batch loss is the sum of the per-example losses
        (loss_fn(gsm(x), y) * x.shape[0]).backward()
    call = describe_call("per_sample_grads", model, loss_fn, x, y)
    for name, p in gsm.named_parameters():
        assert_close(got[name.removeprefix("_module.")], p.grad_sample, rtol=1e-10, atol=1e-12,
                     name=f"per-sample gradient of {name} (opacus grad_sample)", call=call)


@given(seed=seeds(), n=st.integers(1, 6), max_norm=st.sampled_from([0.1, 1.0, 5.0]),
       sigma=st.sampled_from([0.0, 0.5, 1.3]))
@example(seed=0, n=1, max_norm=1.0, sigma=0.0)
def test_clip_and_noise_matches_the_formula(kata, seed, n, max_norm, sigma):
    g = torch.Generator().manual_seed(seed + 1)
    grads = {"w": torch.randn(n, 3, 2, generator=g, dtype=torch.float64) * 2,
             "b": torch.randn(n, 2, generator=g, dtype=torch.float64)}
    gen = torch.Generator().manual_seed(seed)
    call = describe_call("clip_and_noise", grads, max_norm, sigma, gen)
    got = call_unmodified(kata.clip_and_noise, grads, max_norm, sigma, gen)
    want = reference_clip_and_noise(grads, max_norm, sigma, seed)
    for name in ("w", "b"):
        assert_close(got[name], want[name], rtol=1e-10, atol=1e-12, name=f"noisy mean gradient of {name!r}", call=call)


@given(seed=seeds(), max_norm=st.sampled_from([0.5, 2.0]))
def test_clipping_bounds_each_example_and_spares_small_ones(kata, seed, max_norm):
    """One example at a time: a large gradient comes back with norm max_norm, a small one unchanged."""
    g = torch.Generator().manual_seed(seed)
    direction = {"w": torch.randn(1, 4, generator=g, dtype=torch.float64), "b": torch.randn(1, 1, generator=g,
                                                                                              dtype=torch.float64)}
    norm = math.sqrt(sum(float(v.pow(2).sum()) for v in direction.values()))
    for scale, want_norm in ((10 * max_norm / norm, max_norm), (0.5 * max_norm / norm, 0.5 * max_norm)):
        grads = {k: v * scale for k, v in direction.items()}
        out = kata.clip_and_noise(grads, max_norm, 0.0, torch.Generator().manual_seed(0))
        got = math.sqrt(sum(float(v.pow(2).sum()) for v in out.values()))
        # 1e-6 is opacus' guard in the clip factor
        assert_close(got, want_norm, rtol=1e-5, atol=0, name=f"norm after clipping a gradient of norm {scale * norm:.3g}",
                     call=describe_call("clip_and_noise", grads, max_norm, 0.0))


def test_noise_has_standard_deviation_sigma_times_max_norm_over_n(kata):
    grads = {"w": torch.zeros(4, 20000, dtype=torch.float64)}
    out = kata.clip_and_noise(grads, 2.0, 1.5, torch.Generator().manual_seed(0))["w"]
    # 20000 draws: the sample std is within 2 % of sigma * C / n = 0.75 with overwhelming probability
    assert_close(float(out.std()), 1.5 * 2.0 / 4, rtol=0.02, atol=0, name="standard deviation of the noise",
                 call=describe_call("clip_and_noise", grads, 2.0, 1.5))


@given(seed=seeds())
def test_clip_and_noise_is_seeded(kata, seed):
    grads = {"w": torch.ones(3, 5, dtype=torch.float64)}
    assert_seeded(lambda s: kata.clip_and_noise(grads, 1.0, 1.0, torch.Generator().manual_seed(s))["w"], seed,
                  name="noisy gradient")


@given(dtype=st.sampled_from([torch.float32, torch.float64]))
def test_clip_and_noise_keeps_the_dtype(kata, dtype):
    grads = {"w": torch.ones(3, 5, dtype=dtype)}
    out = kata.clip_and_noise(grads, 1.0, 1.0, torch.Generator().manual_seed(0))["w"]
    assert out.dtype == dtype, f"clip_and_noise on {dtype} gradients returned {out.dtype}"


@settings(max_examples=5)
@given(problem=problems(), lr=st.sampled_from([0.1, 1.0]), max_norm=st.sampled_from([0.05, 1.0]))
def test_step_without_noise_matches_opacus(kata, problem, lr, max_norm):
    model, loss_fn, x, y = problem
    theirs = copy.deepcopy(model)
    call = describe_call("dp_sgd_step", model, loss_fn, x, y, lr, max_norm, 0.0)
    kata.dp_sgd_step(model, loss_fn, x, y, lr, max_norm, 0.0, torch.Generator().manual_seed(0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gsm = GradSampleModule(theirs, loss_reduction="mean")
        opt = DPOptimizer(torch.optim.SGD(gsm.parameters(), lr=lr), noise_multiplier=0.0, max_grad_norm=max_norm,
                          expected_batch_size=x.shape[0], loss_reduction="mean")
        opt.zero_grad()
        loss_fn(gsm(x), y).backward()
        opt.step()
    for (name, p), (_, q) in zip(model.named_parameters(), theirs.named_parameters(), strict=True):
        assert_close(p.detach(), q.detach(), rtol=1e-10, atol=1e-12, name=f"parameter {name} after one step (opacus)",
                     call=call)


@settings(max_examples=10)
@given(problem=problems(), sigma=st.sampled_from([0.7, 2.0]), seed=seeds())
def test_step_with_noise_matches_the_formula(kata, problem, sigma, seed):
    model, loss_fn, x, y = problem
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    noisy = reference_clip_and_noise(loop_grads(model, loss_fn, x, y), 0.5, sigma, seed)
    kata.dp_sgd_step(model, loss_fn, x, y, 0.3, 0.5, sigma, torch.Generator().manual_seed(seed))
    call = describe_call("dp_sgd_step", model, loss_fn, x, y, 0.3, 0.5, sigma)
    for name, p in model.named_parameters():
        assert_close(p.detach(), before[name].numpy() - 0.3 * noisy[name], rtol=1e-10, atol=1e-12,
                     name=f"parameter {name} after one step", call=call)


@given(sigma=st.sampled_from([0.5, 1.1, 4.0]), steps=st.sampled_from([0, 1, 100, 10000]))
def test_gaussian_rdp_matches_opacus(kata, sigma, steps):
    orders = np.array([1.25, 2.0, 3.5, 8.0, 32.0, 256.0])
    call = describe_call("gaussian_rdp", sigma, steps, orders)
    got = call_unmodified(kata.gaussian_rdp, sigma, steps, orders)
    assert_close(got, compute_rdp(q=1.0, noise_multiplier=sigma, steps=steps, orders=orders), rtol=1e-12, atol=0,
                 name="RDP at each order", call=call)


@given(sigma=st.sampled_from([0.8, 1.1, 3.0]), steps=st.sampled_from([1, 50, 1000]),
       delta=st.sampled_from([1e-5, 1e-3]))
def test_epsilon_approaches_the_closed_form(kata, sigma, steps, delta):
    """On a dense grid of orders, min over alpha of T alpha / (2 s^2) + log(1/delta) / (alpha - 1) is
    T / (2 s^2) + sqrt(2 T log(1/delta)) / s, at alpha* = 1 + s sqrt(2 log(1/delta) / T)."""
    orders = 1 + np.geomspace(1e-3, 1e4, 20000)
    rdp = kata.gaussian_rdp(sigma, steps, orders)
    call = describe_call("rdp_to_epsilon", rdp, orders, delta)
    eps, order = call_unmodified(kata.rdp_to_epsilon, rdp, orders, delta)
    want = steps / (2 * sigma**2) + math.sqrt(2 * steps * math.log(1 / delta)) / sigma
    assert_close(eps, want, rtol=1e-4, atol=0, name="epsilon", call=call)   # grid spacing 0.08 %
    assert_close(order, 1 + sigma * math.sqrt(2 * math.log(1 / delta) / steps), rtol=0.02, atol=0, name="best order",
                 call=call)


def test_rdp_to_epsilon_takes_the_first_order_on_a_tie(kata):
    orders, delta = np.array([2.0, 3.0, 5.0]), math.exp(-2.0)     # log(1/delta) = 2
    rdp = np.array([1.0, 1.0, 2.5])                                 # eps: 1 + 2, 1 + 1, 2.5 + 0.5 -> 3, 2, 3
    assert_close(kata.rdp_to_epsilon(rdp, orders, delta), (2.0, 3.0), rtol=1e-12, atol=0, name="(epsilon, order)",
                 call=describe_call("rdp_to_epsilon", rdp, orders, delta))
    rdp = np.array([1.0, 2.0, 2.5])                                 # eps 3, 3, 3: the first order
    assert_equal(kata.rdp_to_epsilon(rdp, orders, delta)[1], 2.0, name="order on a three-way tie",
                 call=describe_call("rdp_to_epsilon", rdp, orders, delta))


def test_rejects_bad_arguments(kata):
    grads, gen = {"w": torch.ones(2, 3)}, torch.Generator().manual_seed(0)
    orders = np.array([2.0, 4.0])
    cases = [(lambda: kata.clip_and_noise(grads, 0.0, 1.0, gen), "clip_and_noise with max_norm=0"),
             (lambda: kata.clip_and_noise(grads, 1.0, -0.1, gen), "clip_and_noise with noise_multiplier=-0.1"),
             (lambda: kata.gaussian_rdp(0.0, 10, orders), "gaussian_rdp with noise_multiplier=0"),
             (lambda: kata.gaussian_rdp(1.0, -1, orders), "gaussian_rdp with steps=-1"),
             (lambda: kata.gaussian_rdp(1.0, 10, np.array([1.0, 2.0])), "gaussian_rdp with order 1"),
             (lambda: kata.rdp_to_epsilon(np.ones(2), orders, 0.0), "rdp_to_epsilon with delta=0"),
             (lambda: kata.rdp_to_epsilon(np.ones(2), orders, 1.0), "rdp_to_epsilon with delta=1")]
    for fn, why in cases:
        with pytest.raises(ValueError):
            fn()
            pytest.fail(f"{why} returned instead of raising ValueError")
