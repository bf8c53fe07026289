"""Tests for nlp-11-2, loss curves of the three objectives and which one learns faster.

Reference: pandas' Series.ewm(alpha=1-beta, adjust=True).mean() (exactly the bias-corrected EMA),
the first crossing found by a plain loop over the smoothed curve, and the rendered figure's axes,
labels and line data (Agg backend).
"""
import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, describe_call

BETAS = st.sampled_from([0.0, 0.5, 0.9, 0.99])
NAMES = ("mlm", "clm", "prefix")


def pandas_ema(values: np.ndarray, beta: float) -> np.ndarray:
    return pd.Series(np.asarray(values, dtype=np.float64)).ewm(alpha=1.0 - beta, adjust=True).mean().to_numpy()


def noisy_curve(seed: int, n: int, start: float = 3.0, floor: float = 1.0) -> list[float]:
    """A decaying training loss with step-to-step noise, like the real ones."""
    rng = np.random.default_rng(seed)
    rate = rng.uniform(0.05, 0.3)
    return list(floor + (start - floor) * np.exp(-rate * np.arange(n)) + rng.normal(0, 0.25, n))


def make_log(seed: int, n: int) -> dict[str, list]:
    rng = np.random.default_rng(seed + 1)
    return {"loss": noisy_curve(seed, n), "scored": [int(s) for s in rng.integers(1, 200, n)]}


def ema_hint(got: np.ndarray, values: np.ndarray, beta: float) -> str:
    if got.shape != values.shape or beta == 0:
        return ""
    raw = np.empty_like(values)
    s = 0.0
    for t, v in enumerate(values):
        s = beta * s + (1 - beta) * v
        raw[t] = s
    if np.allclose(got, raw, rtol=1e-9, atol=1e-12):
        return "no bias correction: divide s_t by 1 - beta**(t+1), or the curve starts near 0"
    return ""


def with_hint(check, hint: str) -> None:
    try:
        check()
    except AssertionError as e:
        raise AssertionError(f"{e}\n  looks like: {hint}" if hint else str(e)) from None


def first_crossing(log: dict[str, list], threshold: float, beta: float) -> dict[str, int | None]:
    smooth = pandas_ema(np.array(log["loss"]), beta)
    for i, value in enumerate(smooth):
        if value <= threshold:
            return {"steps": i + 1, "tokens": int(sum(log["scored"][: i + 1]))}
    return {"steps": None, "tokens": None}


@given(values=st.lists(st.floats(-100, 100, allow_nan=False, width=32), min_size=1, max_size=40), beta=BETAS)
@example(values=[2.0], beta=0.9)
@example(values=[3.0, 3.0, 3.0, 3.0], beta=0.99)
def test_ema_matches_pandas(kata, values, beta):
    values = np.array(values)
    call = describe_call("ema", values, beta)
    got = np.asarray(kata.ema(values, beta), dtype=np.float64)
    # float64 recursions of at most 40 terms: 1e-9 relative covers reordering.
    with_hint(lambda: assert_close(got, pandas_ema(values, beta), rtol=1e-9, atol=1e-9, call=call),
              ema_hint(got, values, beta))


@given(value=st.floats(0.5, 5, width=32), n=dims(1, 30), beta=BETAS)
def test_ema_of_a_flat_curve_is_flat(kata, value, n, beta):
    """The bias correction makes the average of a constant the constant, from the first step on."""
    values = [value] * n
    got = np.asarray(kata.ema(values, beta), dtype=np.float64)
    with_hint(lambda: assert_close(got, np.full(n, value), rtol=1e-12, atol=1e-12,
                                   call=describe_call("ema", values, beta)), ema_hint(got, np.array(values), beta))


@given(beta=st.sampled_from([-0.1, 1.0, 1.5]))
def test_ema_rejects_bad_beta(kata, beta):
    with pytest.raises(ValueError):
        kata.ema([1.0, 2.0], beta)
        pytest.fail(f"ema([1.0, 2.0], {beta}) did not raise ValueError")


@given(seed=seeds(), n=dims(1, 60), beta=BETAS, q=st.floats(0.0, 1.0))
@example(seed=0, n=30, beta=0.9, q=0.3)
def test_learning_speed_is_the_first_smoothed_crossing(kata, seed, n, beta, q):
    log = make_log(seed, n)
    smooth = np.sort(pandas_ema(np.array(log["loss"]), beta))
    # a threshold strictly between two smoothed values (or below them all), never on one
    cut = smooth[int(q * (n - 1))]
    gaps = smooth[smooth < cut]
    threshold = (cut + gaps.max()) / 2 if gaps.size else cut - 0.5
    assume(np.min(np.abs(smooth - threshold)) > 1e-9)
    call = describe_call("learning_speed", f"log of {n} steps", threshold, beta)
    got = kata.learning_speed(log, threshold, beta)
    want = first_crossing(log, threshold, beta)
    assert got == want, f"{call} returned {got}, expected {want} (steps counts from 1; tokens include that step)"


def test_learning_speed_smooths_before_comparing(kata):
    """The raw loss dips below 1.6 at step 2, a noisy fluke; the smoothed curve only at step 7."""
    log = {"loss": [3.0, 1.0, 3.0, 3.0, 2.0, 1.5, 1.2, 1.0, 1.0], "scored": [10, 10, 10, 10, 10, 10, 10, 10, 10]}
    want = first_crossing(log, 1.6, 0.5)
    assert want == {"steps": 7, "tokens": 70}
    got = kata.learning_speed(log, 1.6, 0.5)
    assert got == want, (f"learning_speed(log, threshold=1.6, beta=0.5) returned {got}, expected {want}; "
                         f"raw losses {log['loss']}, smoothed {np.round(pandas_ema(np.array(log['loss']), 0.5), 3)}")


@given(seed=seeds(), by=st.sampled_from(["steps", "tokens"]), n_reached=st.integers(0, 3))
@example(seed=0, by="steps", n_reached=1)
@example(seed=1, by="tokens", n_reached=0)
def test_fastest_ignores_runs_that_never_got_there(kata, seed, by, n_reached):
    rng = np.random.default_rng(seed)
    names = list(rng.permutation(NAMES))
    values = rng.choice(np.arange(1, 1000), size=3, replace=False)      # distinct: no ties
    speeds = {name: ({"steps": int(v), "tokens": int(v) * 7 % 991 + 1} if i < n_reached else
                     {"steps": None, "tokens": None}) for i, (name, v) in enumerate(zip(names, values, strict=True))}
    reached = {name: s[by] for name, s in speeds.items() if s[by] is not None}
    assume(len(set(reached.values())) == len(reached))
    want = min(reached, key=reached.get) if reached else None
    got = kata.fastest(speeds, by)
    assert got == want, f"fastest({speeds}, by={by!r}) returned {got!r}, expected {want!r} (None = never reached)"


def line_data(ax) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    return {ln.get_label(): (np.asarray(ln.get_xdata(), dtype=float), np.asarray(ln.get_ydata(), dtype=float))
            for ln in ax.get_lines()}


@settings(max_examples=8)  # each figure costs ~60 ms to build
@given(seed=seeds(), n=dims(1, 40), beta=st.sampled_from([0.0, 0.8]))
@example(seed=0, n=1, beta=0.8)
def test_plot_loss_curves_draws_smoothed_curves_against_steps_and_tokens(kata, seed, n, beta):
    logs = {name: make_log(seed + i, n) for i, name in enumerate(NAMES)}
    call = describe_call("plot_loss_curves", f"logs of {n} steps", beta=beta)
    fig = kata.plot_loss_curves(logs, beta=beta)
    try:
        axes = [ax for ax in fig.axes if ax.get_lines()]
        assert len(axes) == 2, f"{call} drew lines on {len(axes)} axes, expected 2 (loss vs steps, loss vs tokens)"
        ax_steps, ax_tokens = sorted(axes, key=lambda ax: ax.get_position().x0)
        assert "step" in ax_steps.get_xlabel().lower(), f"left xlabel is {ax_steps.get_xlabel()!r}, expected 'step'"
        assert "token" in ax_tokens.get_xlabel().lower(), f"right xlabel is {ax_tokens.get_xlabel()!r}, expected 'token'"
        for ax, which in ((ax_steps, "steps"), (ax_tokens, "tokens")):
            assert "loss" in ax.get_ylabel().lower(), f"the {which} panel's ylabel is {ax.get_ylabel()!r}"
            assert ax.get_legend() is not None, f"the {which} panel has no legend"
            lines = line_data(ax)
            assert set(NAMES) <= set(lines), f"the {which} panel's lines are labelled {sorted(lines)}, expected {NAMES}"
            for name in NAMES:
                x, y = lines[name]
                want_x = np.arange(1, n + 1) if which == "steps" else np.cumsum(logs[name]["scored"])
                assert_equal(x, want_x, name=f"x data of the {name} line ({which} panel)", call=call)
                assert_close(y, pandas_ema(np.array(logs[name]["loss"]), beta), rtol=1e-9, atol=1e-9,
                             name=f"y data of the {name} line ({which} panel, the smoothed loss)", call=call)
    finally:
        plt.close(fig)


def test_learning_speed_on_a_slow_and_a_fast_objective(kata):
    """Worked example: per step the causal LM wins, per scored token the masked LM does."""
    n = 40
    clm = {"loss": [3.0 * math.exp(-0.1 * t) + 1.0 for t in range(n)], "scored": [240] * n}
    mlm = {"loss": [3.0 * math.exp(-0.05 * t) + 1.0 for t in range(n)], "scored": [36] * n}
    speeds = {"clm": kata.learning_speed(clm, 2.0, 0.0), "mlm": kata.learning_speed(mlm, 2.0, 0.0)}
    want = {"clm": {"steps": 12, "tokens": 2880}, "mlm": {"steps": 23, "tokens": 828}}
    assert speeds == want, f"learning_speed on exact exponential curves returned {speeds}, expected {want}"
    got = (kata.fastest(speeds, "steps"), kata.fastest(speeds, "tokens"))
    assert got == ("clm", "mlm"), f"fastest by steps and by tokens returned {got}, expected ('clm', 'mlm')"
