"""Tests for ml-08-5, comparing optimizers on one small network.

Reference: the test's own training loop driven by torch.optim (same float64 MLP, same seed, full
batch), compared with your loss curves step by step; invariants of a fair comparison (every
optimizer starts from the same initial weights, so every curve starts at the same loss); the
checkbox's claims (every sensibly tuned optimizer lowers the loss; a far too large step diverges
and is flagged); brute-force summaries; and the structure of the plot.
"""
import math
from contextlib import contextmanager

import matplotlib.figure
import numpy as np
import pytest
import torch
import torch._dynamo  # noqa: F401  torch.optim's first step imports it (seconds): do it at collection
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

pytestmark = pytest.mark.slow  # trains a tiny MLP a few dozen times

optim = torch.optim
OPTIMIZERS = {
    "gd": lambda p: optim.SGD(p, lr=0.1),
    "momentum": lambda p: optim.SGD(p, lr=0.05, momentum=0.9),
    "nesterov": lambda p: optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
    "rmsprop": lambda p: optim.RMSprop(p, lr=0.01),
    "adam": lambda p: optim.Adam(p, lr=0.02),
    "adamw": lambda p: optim.AdamW(p, lr=0.02, weight_decay=0.01),
}
HIDDEN = 8


@contextmanager
def one_thread():
    """Tiny float64 matrices: a second intra-op thread only adds synchronisation (and on a busy
    machine, a lot of it)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def regression_data(seed: int, n: int, d: int) -> tuple[torch.Tensor, torch.Tensor]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = np.sin(X @ rng.normal(size=(d, 1))) + 0.1 * rng.normal(size=(n, 1))
    return torch.tensor(X), torch.tensor(y)


def reference_mlp(d_in: int, hidden: int, d_out: int, seed: int) -> torch.nn.Sequential:
    """The same initialisation as the stub's make_mlp, written out independently."""
    g = torch.Generator().manual_seed(seed)
    lin1, lin2 = torch.nn.Linear(d_in, hidden).double(), torch.nn.Linear(hidden, d_out).double()
    with torch.no_grad():
        for lin in (lin1, lin2):
            lin.weight.copy_(torch.randn(lin.weight.shape, generator=g, dtype=torch.float64)
                             / math.sqrt(lin.weight.shape[1]))
            lin.bias.zero_()
    return torch.nn.Sequential(lin1, torch.nn.Tanh(), lin2)


def reference_curve(make_opt, X, y, steps: int, seed: int) -> np.ndarray:
    model = reference_mlp(X.shape[1], HIDDEN, y.shape[1], seed)
    opt = make_opt(model.parameters())
    out = []
    for _ in range(steps):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(X), y)
        out.append(loss.item())
        loss.backward()
        opt.step()
    with torch.no_grad():
        out.append(torch.nn.functional.mse_loss(model(X), y).item())
    return np.array(out)


@settings(max_examples=8)
@given(seed=seeds(), n=st.integers(4, 40), d=st.integers(1, 3), steps=st.integers(1, 20),
       names=st.lists(st.sampled_from(sorted(OPTIMIZERS)), min_size=1, max_size=3, unique=True))
@example(seed=0, n=16, d=2, steps=10, names=["gd", "adam"])
@example(seed=1, n=16, d=2, steps=10, names=["momentum", "nesterov", "rmsprop"])
def test_curves_match_torch_training_step_by_step(kata, seed, n, d, steps, names):
    """curve[t] is the full-batch loss after t optimizer steps (curve[0]: the initial weights)."""
    X, y = regression_data(seed, n, d)
    chosen = {k: OPTIMIZERS[k] for k in names}
    call = describe_call("compare_optimizers", chosen, X, y, hidden=HIDDEN, steps=steps, seed=seed)
    with one_thread():
        got = call_unmodified(kata.compare_optimizers, chosen, X, y, hidden=HIDDEN, steps=steps, seed=seed)
        assert set(got) == set(names), f"{call} returned curves for {sorted(got)}, expected {sorted(names)}"
        for name in names:
            want = reference_curve(OPTIMIZERS[name], X, y, steps, seed)
            # the same float64 operations in the same order: equal to rounding.
            assert_close(got[name], want, rtol=1e-9, atol=1e-12, name=f"loss curve of {name!r}", call=call)


@settings(max_examples=5)
@given(seed=seeds(), n=st.integers(4, 40), d=st.integers(1, 3))
@example(seed=2, n=30, d=3)
def test_every_optimizer_starts_from_the_same_weights_and_lowers_the_loss(kata, seed, n, d):
    X, y = regression_data(seed, n, d)
    steps = 20
    with one_thread():
        curves = kata.compare_optimizers(OPTIMIZERS, X, y, hidden=HIDDEN, steps=steps, seed=seed)
        with torch.no_grad():
            init = torch.nn.functional.mse_loss(reference_mlp(d, HIDDEN, 1, seed)(X), y).item()
    call = describe_call("compare_optimizers", OPTIMIZERS, X, y, hidden=HIDDEN, steps=steps, seed=seed)
    for name, curve in curves.items():
        assert len(curve) == steps + 1, f"{call}: curve {name!r} has {len(curve)} points, expected steps + 1 = {steps + 1}"
        # A fair comparison starts every optimizer from a fresh model with the same seed.
        assert_close(curve[0], init, rtol=1e-12, atol=0, call=call,
                     name=f"initial loss of {name!r} (a fresh make_mlp(..., seed) for EVERY optimizer)")
        assert curve[-1] < curve[0], (f"{call}: {name!r} ended at loss {curve[-1]:.6g} >= its initial "
                                      f"{curve[0]:.6g}; with these learning rates every optimizer should improve")


@settings(max_examples=5)
@given(seed=seeds(), lr=st.sampled_from([20.0, 50.0]))
def test_far_too_large_a_step_diverges_and_is_flagged(kata, seed, lr):
    X, y = regression_data(seed, 20, 2)
    chosen = {"sgd_huge": lambda p: optim.SGD(p, lr=lr, momentum=0.9), "adam": OPTIMIZERS["adam"]}
    with one_thread(), np.errstate(all="ignore"):
        curves = kata.compare_optimizers(chosen, X, y, hidden=HIDDEN, steps=25, seed=seed)
        summary = kata.summarize(curves)
    call = describe_call("summarize", curves)
    assert summary["sgd_huge"]["diverged"] is True, (
        f"{call}: SGD(lr={lr}, momentum=0.9) reached losses {np.round(curves['sgd_huge'][:8], 3).tolist()}... "
        "but was not flagged as diverged")
    assert summary["adam"]["diverged"] is False, f"{call}: Adam(lr=0.02) was flagged as diverged: {curves['adam']}"


def brute_steps_to_fraction(curve, fraction):
    for t, v in enumerate(curve):
        if v <= fraction * curve[0]:
            return t
    return -1


@st.composite
def curves(draw: st.DrawFn) -> np.ndarray:
    vals = draw(st.lists(st.one_of(st.floats(0.0625, 64.0), st.just(math.inf), st.just(math.nan)),
                         min_size=1, max_size=12))
    vals[0] = draw(st.floats(0.0625, 64.0))  # the initial loss is always finite
    return np.array(vals)


@given(curve=curves(), fraction=st.sampled_from([0.1, 0.5, 0.9, 1.0]), factor=st.sampled_from([2.0, 10.0]))
@example(curve=np.array([1.0, 0.7, 0.5, 0.4]), fraction=0.5, factor=10.0)  # reached exactly: <=, not <
@example(curve=np.array([1.0, 0.9, math.nan, math.nan]), fraction=0.5, factor=10.0)  # NaN: diverged
@example(curve=np.array([1.0]), fraction=1.0, factor=10.0)
@example(curve=np.array([1.0, 2.0, 0.5]), fraction=0.5, factor=2.0)  # exactly factor * curve[0]: not "larger than"
@example(curve=np.array([1.0, 3.0, 0.5]), fraction=0.5, factor=2.0)  # diverged for factor 2, not for the default 10
def test_summary_matches_brute_force(kata, curve, fraction, factor):
    call = describe_call("summarize", {"opt": curve}, fraction=fraction, factor=factor)
    got = call_unmodified(kata.summarize, {"opt": curve}, fraction=fraction, factor=factor)["opt"]
    finite = curve[np.isfinite(curve)]
    want = {"final_loss": curve[-1], "best_loss": finite.min(),
            "steps_to_fraction": brute_steps_to_fraction(curve, fraction),
            "diverged": bool(any(not math.isfinite(v) or v > factor * curve[0] for v in curve))}
    # The two summaries are also functions of their own.
    assert kata.steps_to_fraction(curve, fraction) == want["steps_to_fraction"], (
        f"{describe_call('steps_to_fraction', curve, fraction)} = {kata.steps_to_fraction(curve, fraction)}, "
        f"expected {want['steps_to_fraction']}")
    assert kata.diverged(curve, factor) == want["diverged"], (
        f"{describe_call('diverged', curve, factor)} = {kata.diverged(curve, factor)}, expected {want['diverged']} "
        "(any NaN or inf, or any loss larger than factor * curve[0])")
    for key in ("final_loss", "best_loss"):
        assert np.array_equal(got[key], want[key], equal_nan=True), f"{call}: {key} = {got[key]}, expected {want[key]}"
    assert got["steps_to_fraction"] == want["steps_to_fraction"], (
        f"{call}: steps_to_fraction = {got['steps_to_fraction']}, expected {want['steps_to_fraction']} "
        f"(first t with curve[t] <= {fraction} * curve[0], or -1)")
    assert got["diverged"] == want["diverged"], (
        f"{call}: diverged = {got['diverged']}, expected {want['diverged']} (NaN and inf count as diverged: "
        "note that every comparison with NaN is False)")


@settings(max_examples=5)
@given(k=st.integers(1, 6), length=st.integers(2, 30), seed=seeds())
def test_plot_has_one_labelled_line_per_optimizer_on_a_log_scale(kata, k, length, seed):
    rng = np.random.default_rng(seed)
    data = {f"opt{i}": np.exp(-np.linspace(0, rng.uniform(0.5, 3), length)) for i in range(k)}
    fig = kata.plot_loss_curves(data)
    call = describe_call("plot_loss_curves", data)
    assert isinstance(fig, matplotlib.figure.Figure), f"{call} returned {type(fig).__name__}, expected a Figure"
    assert len(fig.axes) == 1, f"{call}: expected one axes, got {len(fig.axes)}"
    ax = fig.axes[0]
    labels = sorted(line.get_label() for line in ax.get_lines())
    assert labels == sorted(data), f"{call}: line labels {labels}, expected one per optimizer {sorted(data)}"
    assert all(len(line.get_xdata()) == length for line in ax.get_lines()), f"{call}: every line needs all {length} points"
    assert ax.get_yscale() == "log", f"{call}: losses span orders of magnitude; use a log y-axis"
    assert ax.get_xlabel() and ax.get_ylabel(), f"{call}: label both axes"
    assert ax.get_legend() is not None, f"{call}: add a legend so the curves can be told apart"
