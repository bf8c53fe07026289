"""Tests for nlp-32-3, per-task learning curves and negative transfer.

References: numpy means and ratios for the summaries (with the threshold pinned at an exact
boundary); the figure's structure through matplotlib's API. The trained effect: a shared encoder
with a one-unit bottleneck, trained on a task together with a related task (same target function,
other samples) does better on it than alone (positive transfer); trained together with a
conflicting task (an orthogonal target direction) it does far worse (negative transfer), and the
detector must tell the two apart.
"""
import matplotlib
import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

matplotlib.use("Agg")
pytestmark = pytest.mark.slow      # the last test trains five small models


@st.composite
def curves(draw, tasks=None):
    t = tasks or draw(dims(1, 3))
    steps = draw(dims(1, 30))
    rng = np.random.default_rng(draw(seeds()))
    return np.exp(rng.normal(0, 1, (t, steps)))


@given(c=curves(), frac=st.floats(0, 1))
@example(c=np.array([[3.0, 2.0, 1.0]]), frac=1.0)      # last = steps: the whole curve
@example(c=np.array([[3.0, 2.0, 1.0]]), frac=0.0)      # last = 1: the final point
def test_final_loss_averages_the_tail(kata, c, frac):
    last = 1 + int(frac * (c.shape[1] - 1))
    call = describe_call("final_loss", c, last=last)
    got = call_unmodified(kata.final_loss, c, last=last)
    assert_close(got, c[:, c.shape[1] - last:].mean(axis=1), rtol=1e-12, atol=0,
                 name=f"mean of the last {last} points per task", call=call)


def test_final_loss_default_last(kata):
    c = np.arange(60.0).reshape(2, 30)
    assert_close(kata.final_loss(c), c[:, -20:].mean(1), rtol=1e-12, atol=0, name="final loss",
                 call="final_loss(curves) with the default last = 20")


@given(last=st.sampled_from([0, -1, 6, 9]))
@example(last=0)
@example(last=6)
def test_final_loss_rejects_bad_last(kata, last):
    with pytest.raises(ValueError):
        kata.final_loss(np.ones((2, 5)), last=last)
        pytest.fail(f"final_loss(5-step curves, last={last}) returned instead of raising ValueError")


@given(data=st.data(), tolerance=st.sampled_from([0.0, 0.1, 0.5]))
def test_ratio_and_flags(kata, data, tolerance):
    t = data.draw(dims(1, 3))
    single, multi = data.draw(curves(t)), data.draw(curves(t))
    steps = min(single.shape[1], multi.shape[1])
    single, multi = single[:, :steps], multi[:, :steps]
    last = data.draw(st.integers(1, steps))
    call = describe_call("transfer_ratio", single, multi, last=last)
    ratio = call_unmodified(kata.transfer_ratio, single, multi, last=last)
    want = multi[:, -last:].mean(1) / single[:, -last:].mean(1)
    assert_close(ratio, want, rtol=1e-12, atol=0, name="multi-task / single-task final loss", call=call)
    call = describe_call("negative_transfer", single, multi, last=last, tolerance=tolerance)
    flags = call_unmodified(kata.negative_transfer, single, multi, last=last, tolerance=tolerance)
    assert_equal(np.asarray(flags, dtype=bool), want > 1 + tolerance, name="negative transfer flags", call=call)


def test_flag_boundary_and_defaults(kata):
    single = np.array([[9.0, 1.0], [9.0, 1.0]])
    multi = np.array([[9.0, 1.25], [9.0, 1.5]])            # ratios exactly 1.25 and 1.5 with last = 1
    got = kata.negative_transfer(single, multi, last=1, tolerance=0.25)
    assert_equal(np.asarray(got, dtype=bool), np.array([False, True]), name="flags",
                 call="negative_transfer(..., last=1, tolerance=0.25): a ratio exactly 1.25 is not above 1 + 0.25")
    single20, multi20 = np.ones((1, 40)), np.full((1, 40), 1.05)
    multi20[0, :20] = 9.0                                   # only the last 20 points count by default
    assert not kata.negative_transfer(single20, multi20)[0], (
        "negative_transfer with the defaults (last=20, tolerance=0.1): a 5 % worse tail is within tolerance")
    assert kata.negative_transfer(single20, multi20, tolerance=0.0)[0], "tolerance 0: 5 % worse is negative transfer"


@given(case=st.sampled_from(["tasks differ", "one single curve", "negative tolerance"]))
@example(case="tasks differ")
@example(case="one single curve")      # (1, steps) against (3, steps) would broadcast silently
@example(case="negative tolerance")
def test_ratio_rejects_bad_input(kata, case):
    single, multi, tol = np.ones((2, 5)), np.ones((2, 5)), 0.1
    if case == "tasks differ":
        multi = np.ones((3, 5))
    elif case == "one single curve":
        single, multi = np.ones((1, 5)), np.ones((3, 5))
    else:
        tol = -0.1
    with pytest.raises(ValueError):
        kata.negative_transfer(single, multi, last=2, tolerance=tol)
        pytest.fail(f"negative_transfer with {case} returned instead of raising ValueError")


def test_plot_one_panel_per_task(kata):
    runs = {"alone": np.exp(-np.linspace(0, 2, (30))).reshape(1, 30).repeat(2, 0),
            "with B": np.exp(-np.linspace(0, 3, 30)).reshape(1, 30).repeat(2, 0),
            "with C": np.exp(-np.linspace(0, 1, 30)).reshape(1, 30).repeat(2, 0)}
    fig = kata.plot_task_curves(runs, ["task A", "task B"])
    assert len(fig.axes) == 2, f"{len(fig.axes)} axes; expected one panel per task (2)"
    for ax, name in zip(fig.axes, ["task A", "task B"], strict=True):
        assert ax.get_title() == name, f"panel titled {ax.get_title()!r}, expected {name!r}"
        lines = ax.get_lines()
        assert len(lines) == 3, f"panel {name!r} has {len(lines)} lines; expected one per run (3)"
        assert np.allclose(lines[1].get_ydata(), runs["with B"][0]), f"panel {name!r}: the 'with B' line is not its curve"
        labels = [t.get_text() for t in ax.get_legend().get_texts()] if ax.get_legend() else []
        assert labels == list(runs), f"panel {name!r} legend {labels}, expected {list(runs)}"
        assert ax.get_xlabel() and ax.get_ylabel(), f"panel {name!r}: label both axes"


def make_task(g, direction, n):
    x = torch.randn(n, 8, generator=g)
    return x, x @ direction + 0.1 * torch.randn(n, generator=g)


def test_detects_negative_transfer_from_a_conflicting_task(kata):
    g = torch.Generator().manual_seed(0)
    u, v = torch.randn(8, generator=g), torch.randn(8, generator=g)
    v = v - (v @ u) / (u @ u) * u                              # orthogonal: conflicts through a 1-unit bottleneck
    a = (*make_task(g, u, 12), *make_task(g, u, 200))
    b = (*make_task(g, u, 12), *make_task(g, u, 200))          # related: the same function, other samples
    c = (*make_task(g, v, 12), *make_task(g, v, 200))
    alone_a, alone_b = kata.train_curves([a], 1, 200, 0), kata.train_curves([b], 1, 200, 0)
    alone_c = kata.train_curves([c], 1, 200, 0)
    with_b, with_c = kata.train_curves([a, b], 1, 200, 0), kata.train_curves([a, c], 1, 200, 0)
    related = kata.transfer_ratio(np.vstack([alone_a, alone_b]), with_b)
    conflict = kata.negative_transfer(np.vstack([alone_a, alone_c]), with_c)
    shown = f"A with B (related): loss ratio {np.round(related, 3).tolist()}; A with C (conflicting): flags {conflict}"
    assert related[0] < 1, f"{shown}: pooling a related task should help task A (ratio < 1)"
    assert not kata.negative_transfer(np.vstack([alone_a, alone_b]), with_b).any(), f"{shown}: no negative transfer expected"
    assert conflict[0], f"{shown}: training A with an orthogonal task through a 1-unit bottleneck should be flagged"
