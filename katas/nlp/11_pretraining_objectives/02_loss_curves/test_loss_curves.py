"""Tests for nlp-11-2, loss curves of the three objectives and which one learns faster.

Reference: pandas' Series.ewm(alpha=1-beta, adjust=True).mean() (exactly the bias-corrected EMA),
the first crossing found by a plain loop over the smoothed curve, the rendered figure's axes,
labels and line data (Agg backend), the documented training loop written out independently, and the
curves of three real 60-step runs driven by your train_objective (slow-marked): who gets where first.
"""
import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it, ~2 s: do it at collection, untimed)
import torch.nn.functional as F
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
@example(values=[1, 2, 4], beta=0.5)      # integer losses: the result is still float64
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


def test_learning_speed_counts_a_loss_exactly_on_the_threshold(kata):
    """<= threshold: with beta = 0 the smoothed curve is the raw one, and 2.0 reaches 2.0 at step 2."""
    log = {"loss": [3.0, 2.0, 1.0], "scored": [5, 7, 9]}
    got = kata.learning_speed(log, 2.0, 0.0)
    assert got == {"steps": 2, "tokens": 12}, (
        f"learning_speed({log}, threshold=2.0, beta=0.0) returned {got}, expected {{'steps': 2, 'tokens': 12}}: "
        "a smoothed loss equal to the threshold has reached it")


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


# ---------------------------------------------------------------------------------------------
# The real runs: your train_objective trains a TinyLM per objective
# ---------------------------------------------------------------------------------------------


def reference_run(kata, objective: str, batches, init_state, prefix_len: int, lr: float, seed: int) -> dict:
    """The training loop of train_objective's docstring, written out independently."""
    seq_len = batches[0].shape[1]
    model = kata.TinyLM(len(kata.WORDS), max_len=seq_len)
    model.load_state_dict(init_state)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    mask = kata.attention_mask(objective, seq_len, prefix_len)
    gen = torch.Generator().manual_seed(seed)
    out = {"loss": [], "scored": []}
    for batch in batches:
        inputs, targets, scored = kata.make_example(objective, batch, prefix_len, gen)
        logits = model(inputs, mask)
        loss = F.cross_entropy(logits[scored], targets[scored])
        opt.zero_grad()
        loss.backward()
        opt.step()
        out["loss"].append(loss.item())
        out["scored"].append(int(scored.sum()))
    return out


@pytest.mark.slow
@settings(max_examples=6)  # a few tiny training steps per example
@given(objective=st.sampled_from(NAMES), seed=seeds(), steps=dims(1, 5), seq_len=dims(8, 12), prefix_len=dims(1, 6),
       lr=st.sampled_from([1e-3, 1e-2]))
@example(objective="mlm", seed=0, steps=4, seq_len=10, prefix_len=3, lr=1e-2)
@example(objective="mlm", seed=5, steps=2, seq_len=8, prefix_len=2, lr=1e-2)     # a seed other than the default
@example(objective="prefix", seed=1, steps=3, seq_len=8, prefix_len=5, lr=1e-2)
@example(objective="clm", seed=2, steps=2, seq_len=12, prefix_len=1, lr=1e-3)
def test_train_objective_is_the_documented_training_loop(kata, objective, seed, steps, seq_len, prefix_len, lr):
    stream = kata.toy_english(30, torch.Generator().manual_seed(seed))
    batches = [kata.random_windows(stream, 4, seq_len, torch.Generator().manual_seed(seed + 1 + s))
               for s in range(steps)]
    torch.manual_seed(seed)
    init = kata.TinyLM(len(kata.WORDS), max_len=seq_len).state_dict()
    before = {k: v.clone() for k, v in init.items()}
    call = describe_call("train_objective", objective, f"<{steps} batches of (4, {seq_len})>", "init_state",
                         prefix_len, lr, seed + 2)
    got = kata.train_objective(objective, batches, init, prefix_len, lr, seed + 2)
    assert all(torch.equal(init[k], before[k]) for k in init), f"{call} modified init_state"
    want = reference_run(kata, objective, batches, init, prefix_len, lr, seed + 2)
    assert_equal(np.asarray(got["scored"]), np.asarray(want["scored"]), name="scored positions per step", call=call)
    # the same float32 operations in the same order
    assert_close(np.asarray(got["loss"], dtype=np.float64), np.asarray(want["loss"]), rtol=1e-5, atol=1e-6,
                 name="training loss per step", call=call)
    with pytest.raises(ValueError):
        kata.train_objective("span", batches, init, prefix_len, lr, seed)
        pytest.fail("train_objective('span', ...) returned instead of raising ValueError")


@pytest.mark.slow
@settings(max_examples=1)  # three real 60-step runs (~0.5 s); the data and initial weights are drawn
@given(seed=st.integers(0, 10_000))
@example(seed=0)
def test_the_real_runs_show_who_learns_faster_per_step(kata, seed):
    logs = kata.run_objectives(seed=seed)
    call = f"run_objectives(seed={seed}) (60 steps, batches of 16 x 16 tokens, prefix 6)"
    scored = {k: np.asarray(v["scored"]) for k, v in logs.items()}
    assert np.all(scored["clm"] == 16 * 15) and np.all(scored["prefix"] == 16 * 10), (
        f"{call}: scored per step clm {scored['clm'][:3]}..., prefix {scored['prefix'][:3]}...: "
        "expected 240 (T - 1 per row) and 160 (T - prefix_len per row)")
    assert 0.1 * 256 < scored["mlm"].mean() < 0.2 * 256, f"{call}: mlm scores {scored['mlm'].mean():.1f} per step"
    smooth = {k: kata.ema(v["loss"], 0.9) for k, v in logs.items()}
    summary = {k: (round(v["loss"][0], 3), round(float(smooth[k][-1]), 3)) for k, v in logs.items()}
    for name in NAMES:
        assert smooth[name][-1] < logs[name]["loss"][0] - 0.2, f"{call}: (first loss, final smoothed loss) {summary}"
    speeds = {k: kata.learning_speed(v, 2.5, 0.9) for k, v in logs.items()}
    assert kata.fastest(speeds, "steps") in ("clm", "prefix") and speeds["mlm"]["steps"] is not None, (
        f"{call}: speeds to a smoothed loss of 2.5: {speeds}; per step the objectives that score most positions win")
    assert speeds["mlm"]["steps"] > 2 * max(speeds["clm"]["steps"], speeds["prefix"]["steps"]), (
        f"{call}: speeds to 2.5: {speeds}")
    # per scored token the masked LM's handicap shrinks: it scores ~6x fewer positions per step
    ratio_steps = speeds["mlm"]["steps"] / speeds["clm"]["steps"]
    ratio_tokens = speeds["mlm"]["tokens"] / speeds["clm"]["tokens"]
    assert ratio_tokens < ratio_steps / 3, f"{call}: speeds to 2.5: {speeds}"
    reached = {k: kata.learning_speed(v, 2.0, 0.9)["steps"] for k, v in logs.items()}
    assert reached["mlm"] is None and reached["clm"] is not None and reached["prefix"] is not None, (
        f"{call}: steps to a smoothed loss of 2.0: {reached}: in 60 steps the causal and prefix LMs get there, "
        "the masked LM (15 % of the positions, predicted from both sides) does not")
