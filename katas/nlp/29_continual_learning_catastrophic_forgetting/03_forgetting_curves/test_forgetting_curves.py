"""Tests for nlp-29-3, forgetting curves across several task shifts.

References: a training-and-evaluation loop written here on the same seeded batches; the
after-shift forgetting matrix by brute force from the boundary rows; the plotted lines read back
from the matplotlib Figure. The measured effect comes from a real run of a small grader.lm CharGPT
through three tasks (English, ROT13, a shift-by-5 cipher): every task is best during its own phase
and forgotten after the next shift.
"""
import math
from functools import lru_cache

import matplotlib
import numpy as np
import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it, ~4 s: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call

matplotlib.use("Agg")
pytestmark = pytest.mark.slow


@lru_cache(maxsize=1)
def tiny_tasks():
    text = lm.corpus_text()
    return [lm.encode(text[i * 600:(i + 1) * 600])[:594].view(66, 9) for i in range(3)]


def reference_curves(kata, model, train, val, steps_per_task, eval_every, batch_size, lr, seed):
    g = torch.Generator().manual_seed(seed)
    rows = [[kata.eval_loss(model, v) for v in val]]
    step = 0
    for windows in train:
        opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
        for _ in range(steps_per_task):
            batch = windows[torch.randint(len(windows), (batch_size,), generator=g)]
            loss = F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % eval_every == 0:
                rows.append([kata.eval_loss(model, v) for v in val])
    return np.array(rows)


@settings(max_examples=4)
@given(n_tasks=st.integers(1, 3), per=st.sampled_from([1, 2, 3]), eval_every=st.sampled_from([1, 2]),
       batch_size=st.integers(1, 4), lr=st.sampled_from([1e-3, 1e-2]), seed=st.integers(0, 100))
@example(n_tasks=3, per=2, eval_every=2, batch_size=4, lr=1e-2, seed=0)
@example(n_tasks=2, per=3, eval_every=1, batch_size=2, lr=1e-2, seed=1)
def test_forgetting_curves_match_a_reference_run(kata, n_tasks, per, eval_every, batch_size, lr, seed):
    steps_per_task = per * eval_every
    tasks = tiny_tasks()[:n_tasks]
    train, val = [t[8:] for t in tasks], [t[:8] for t in tasks]
    model, ref = kata.small_model(seed, d_model=8), kata.small_model(seed, d_model=8)
    call = describe_call("forgetting_curves", "CharGPT", train, val, steps_per_task, eval_every,
                         batch_size=batch_size, lr=lr, seed=seed)
    got = call_unmodified(kata.forgetting_curves, model, train, val, steps_per_task, eval_every,
                          batch_size=batch_size, lr=lr, seed=seed)
    want = reference_curves(kata, ref, train, val, steps_per_task, eval_every, batch_size, lr, seed)
    assert_shape(got, want.shape, call=call)
    assert got.dtype == torch.float64, f"{call} returned dtype {got.dtype}, expected torch.float64"
    # the same float32 training in the same order: agreement to rounding
    assert_close(got, want, rtol=1e-5, atol=1e-5, name="row i: every task's loss after i * eval_every steps", call=call)


def test_forgetting_curves_default_hyperparameters(kata):
    tasks = tiny_tasks()[:2]
    model, ref = kata.small_model(2, d_model=8), kata.small_model(2, d_model=8)
    got = kata.forgetting_curves(model, tasks, tasks, 2, 1)
    want = reference_curves(kata, ref, tasks, tasks, 2, 1, 16, 1e-2, 0)
    assert_close(got, want, rtol=1e-5, atol=1e-5, name="curves with batch_size=16, lr=1e-2, seed=0",
                 call="forgetting_curves(model, tasks, tasks, 2, 1)")


@pytest.mark.parametrize("n_train,n_val,steps,every", [(0, 0, 2, 1), (2, 1, 2, 1), (1, 1, 3, 2), (1, 1, 2, 0),
                                                       (1, 1, 4, 3)])
def test_forgetting_curves_rejects_bad_arguments(kata, n_train, n_val, steps, every):
    tasks = tiny_tasks()
    with pytest.raises(ValueError):
        kata.forgetting_curves(kata.small_model(0, d_model=8), tasks[:n_train], tasks[:n_val], steps, every)
        pytest.fail(f"forgetting_curves with {n_train}/{n_val} tasks, steps_per_task={steps}, eval_every={every} "
                    f"returned instead of raising ValueError")


@given(n=st.integers(1, 4), per=st.integers(1, 3), eval_every=st.integers(1, 5), seed=seeds(),
       dtype=st.sampled_from([torch.float32, torch.float64]))
@example(n=3, per=2, eval_every=5, seed=0, dtype=torch.float64)
@example(n=1, per=1, eval_every=1, seed=0, dtype=torch.float64)
def test_forgetting_after_shifts_brute_force(kata, n, per, eval_every, seed, dtype):
    rng = np.random.default_rng(seed)
    curves = torch.tensor(rng.choice([0.1, 0.35, 1.3, 2.7, 5.9], size=(n * per + 1, n)), dtype=dtype)
    call = describe_call("forgetting_after_shifts", curves, per * eval_every, eval_every)
    got = call_unmodified(kata.forgetting_after_shifts, curves, per * eval_every, eval_every)
    c = curves.double().numpy()
    want = np.full((n, n), np.nan)
    for k in range(n):
        for j in range(k):
            want[k, j] = c[(k + 1) * per, j] - c[(j + 1) * per, j]
    assert_shape(got, (n, n), call=call)
    assert got.dtype == torch.float64, f"{call} returned dtype {got.dtype}, expected torch.float64"
    assert_equal(torch.isnan(got), np.isnan(want), name="NaN exactly where k <= j", call=call)
    assert_close(got[~torch.isnan(got)], want[~np.isnan(want)], rtol=0, atol=1e-12, call=call,
                 name="E[k, j] = loss_j at the end of phase k - loss_j at the end of phase j")


@settings(max_examples=5)
@given(n=st.integers(1, 4), per=st.integers(1, 4), eval_every=st.integers(1, 7), seed=seeds())
@example(n=3, per=2, eval_every=5, seed=0)
def test_plot_forgetting_curves(kata, n, per, eval_every, seed):
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(seed)
    curves = torch.tensor(2 + rng.random((n * per + 1, n)), dtype=torch.float64)
    names = [f"task {chr(65 + j)}" for j in range(n)]
    steps_per_task = per * eval_every
    call = describe_call("plot_forgetting_curves", curves, steps_per_task, eval_every, names)
    fig = kata.plot_forgetting_curves(curves, steps_per_task, eval_every, names)
    try:
        assert len(fig.axes) == 1, f"{call} drew {len(fig.axes)} axes, expected 1"
        ax = fig.axes[0]
        lines = {line.get_label(): line for line in ax.get_lines()}
        for j, name in enumerate(names):
            assert name in lines, f"{call}: no line labelled {name!r} (labels: {list(lines)})"
            assert_close(lines[name].get_xdata(), [i * eval_every for i in range(n * per + 1)], rtol=0, atol=1e-12,
                         name=f"x data of {name!r} (row i at step i * eval_every)", call=call)
            assert_close(lines[name].get_ydata(), curves[:, j], rtol=0, atol=1e-12, name=f"y data of {name!r}",
                         call=call)
        vertical = sorted(float(np.asarray(line.get_xdata(), float)[0]) for line in ax.get_lines()
                          if line.get_label() not in names and len(set(np.asarray(line.get_xdata(), float))) == 1)
        want = [float(k * steps_per_task) for k in range(1, n)]
        assert vertical == want, f"{call}: vertical lines at x = {vertical}, expected the task shifts at {want}"
        assert "step" in ax.get_xlabel().lower(), f"{call}: x label {ax.get_xlabel()!r} should mention 'step'"
        assert "loss" in ax.get_ylabel().lower(), f"{call}: y label {ax.get_ylabel()!r} should mention 'loss'"
        legend = ax.get_legend()
        assert legend is not None and set(names) <= {t.get_text() for t in legend.get_texts()}, (
            f"{call}: the legend must name every task {names}")
    finally:
        plt.close(fig)


@settings(max_examples=1)
@given(seed=st.integers(0, 2))
def test_each_shift_makes_the_model_forget_the_last_task(kata, seed):
    torch.set_num_threads(1)
    text = lm.corpus_text()
    shifts = [0, 13, 5]
    train = [kata.char_windows(kata.caesar(text[i * 50_000:(i + 1) * 50_000], s), 32) for i, s in enumerate(shifts)]
    val = [kata.char_windows(kata.caesar(text[1_000_000 + i * 3300:1_000_000 + (i + 1) * 3300], s), 32)
           for i, s in enumerate(shifts)]
    per, every = 60, 20
    curves = kata.forgetting_curves(kata.small_model(seed), train, val, per, every, seed=seed)
    E = kata.forgetting_after_shifts(curves, per, every)
    table = np.round(curves.numpy(), 2).tolist()
    assert E[1, 0] > 0.8 and E[2, 1] > 0.5, (
        f"forgetting after shifts {np.round(E.numpy(), 2).tolist()} from curves {table}: English should rise by more "
        f"than 0.8 nats after ROT13 and ROT13 by more than 0.5 after the shift-5 cipher")
    rows_per_phase = per // every
    for j in range(3):
        best = int(torch.argmin(curves[:, j]))
        assert j * rows_per_phase < best <= (j + 1) * rows_per_phase, (
            f"task {j} was at its best at row {best} of {table}; expected during its own phase, rows "
            f"{j * rows_per_phase + 1}..{(j + 1) * rows_per_phase}")
    assert math.isnan(float(E[0, 0])), "E[0, 0] should be NaN"
