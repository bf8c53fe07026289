"""Tests for nlp-28-3, ablating data-ordering strategies and plotting convergence speed.

References: numpy's stable argsort (ascending and descending) and the same seeded torch.randperm for
the orders; the given train_in_order run with the reference orders for the ablation; a brute-force
scan for steps-to-threshold; the plotted lines read back from the matplotlib Figure. The measured
effect comes from real training runs (a small grader.lm CharGPT on English windows mixed with
scrambled ones, difficulty scored by the workbook's trained model): easy-to-hard reaches a loss
first but ends worst, because the hardest (noisiest) data comes last.
"""
from functools import lru_cache

import matplotlib
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

matplotlib.use("Agg")
pytestmark = pytest.mark.slow

STRATEGY = st.sampled_from(["random", "easy_to_hard", "hard_to_easy"])


def reference_order(strategy: str, scores: list[float], seed: int) -> np.ndarray:
    if strategy == "random":
        return torch.randperm(len(scores), generator=torch.Generator().manual_seed(seed)).numpy()
    s = np.array(scores)
    return np.argsort(s if strategy == "easy_to_hard" else -s, kind="stable")


@given(strategy=STRATEGY, scores=st.lists(st.sampled_from([0.5, 1.0, 2.0, 4.0]), min_size=1, max_size=12),
       seed=seeds(), dtype=st.sampled_from([torch.float32, torch.float64]))
@example(strategy="hard_to_easy", scores=[1.0, 2.0, 2.0, 1.0, 2.0], seed=0, dtype=torch.float64)   # ties
@example(strategy="easy_to_hard", scores=[2.0, 2.0, 2.0], seed=0, dtype=torch.float32)
@example(strategy="random", scores=[1.0], seed=0, dtype=torch.float64)
def test_epoch_order_visits_every_example_once(kata, strategy, scores, seed, dtype):
    s = torch.tensor(scores, dtype=dtype)
    call = describe_call("epoch_order", strategy, s, "generator")
    got = call_unmodified(kata.epoch_order, strategy, s, torch.Generator().manual_seed(seed))
    assert sorted(got.tolist()) == list(range(len(scores))), (
        f"{call} returned {got.tolist()}: one epoch must visit every example exactly once (a permutation)")
    assert_equal(got, reference_order(strategy, scores, seed), call=call,
                 name={"random": "torch.randperm(N, generator=generator)",
                       "easy_to_hard": "ascending scores, ties lower index first",
                       "hard_to_easy": "descending scores, ties lower index first"}[strategy])


@pytest.mark.parametrize("strategy", ["shuffle", "Random", "", "easy-to-hard"])
def test_epoch_order_rejects_unknown_strategies(kata, strategy):
    with pytest.raises(ValueError):
        kata.epoch_order(strategy, torch.tensor([1.0, 2.0]), torch.Generator().manual_seed(0))
        pytest.fail(f"epoch_order({strategy!r}, ...) returned instead of raising ValueError")


@settings(max_examples=4)
@given(strategies=st.permutations(["random", "easy_to_hard", "hard_to_easy"]).map(lambda p: p[:2]),
       seed=st.integers(0, 1000), batch_size=st.sampled_from([2, 4]), eval_every=st.sampled_from([1, 3]),
       lr=st.sampled_from([3e-3, 1e-2]))
@example(strategies=["easy_to_hard", "random"], seed=0, batch_size=4, eval_every=3, lr=1e-2)
def test_ablate_orderings_runs_each_strategy_from_the_same_start(kata, strategies, seed, batch_size, eval_every, lr):
    train, val = lm.corpus_splits()
    windows = train[:24 * 9].view(24, 9)
    val_windows = val[:4 * 9].view(4, 9)
    scores = torch.rand(24, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    call = describe_call("ablate_orderings", windows, scores, val_windows, strategies, seed, batch_size=batch_size,
                         eval_every=eval_every, lr=lr)
    got = call_unmodified(kata.ablate_orderings, windows, scores, val_windows, strategies, seed,
                          batch_size=batch_size, eval_every=eval_every, lr=lr)
    assert list(got) == list(strategies), f"{call} returned curves for {list(got)}, expected {list(strategies)}"
    for strategy in strategies:
        order = torch.as_tensor(reference_order(strategy, scores.tolist(), seed))
        want = kata.train_in_order(windows, order, val_windows, seed, batch_size, eval_every, lr)
        # the same deterministic float32 computation: only the order of the windows may differ
        assert_close(got[strategy], want, rtol=1e-6, atol=1e-6, call=call,
                     name=f"curve of {strategy!r} (train_in_order with epoch_order(..., Generator().manual_seed(seed)))")


@lru_cache(maxsize=1)
def noisy_mixture():
    """600 English windows and 200 scrambled ones (same characters, no spelling); English validation."""
    train, val = lm.corpus_splits()
    t, n_eng, n_scr = 24, 600, 200
    english = train[:n_eng * (t + 1)].view(n_eng, t + 1)
    g = torch.Generator().manual_seed(0)
    src = train[n_eng * (t + 1):(n_eng + n_scr) * (t + 1)].view(n_scr, t + 1)
    scrambled = torch.stack([row[torch.randperm(t + 1, generator=g)] for row in src])
    return torch.cat([english, scrambled]), val[:48 * (t + 1)].view(48, t + 1)


@settings(max_examples=1)
@given(seed=st.integers(0, 3))
def test_ordering_changes_convergence_on_a_real_run(kata, seed):
    torch.set_num_threads(1)
    windows, val_windows = noisy_mixture()
    scores = kata.difficulty(windows)
    curves = kata.ablate_orderings(windows, scores, val_windows, ["random", "easy_to_hard", "hard_to_easy"], seed)
    speed = {name: kata.steps_to_threshold(c, 10, 3.2) for name, c in curves.items()}
    never = float("inf")
    e2h, rnd, h2e = (speed[k] if speed[k] is not None else never for k in ("easy_to_hard", "random", "hard_to_easy"))
    finals = {name: round(c[-1], 3) for name, c in curves.items()}
    assert e2h <= rnd < h2e, (
        f"steps to reach validation loss 3.2: {speed}; easy-to-hard starts on clean English and should get there "
        f"no later than random order, hard-to-easy (scrambled text first) last")
    assert finals["random"] < finals["easy_to_hard"] and finals["hard_to_easy"] < finals["easy_to_hard"], (
        f"final validation losses {finals}: easy-to-hard ends on the scrambled windows and should end worst")


@given(curve=st.lists(st.sampled_from([4.0, 3.5, 3.0, 2.5, 2.0]), max_size=8), eval_every=st.integers(1, 50),
       threshold=st.sampled_from([3.0, 2.75, 1.0]))
@example(curve=[4.0, 3.0, 2.0], eval_every=10, threshold=3.0)    # exactly at the threshold counts
@example(curve=[4.0, 3.5], eval_every=5, threshold=1.0)          # never reached
@example(curve=[], eval_every=5, threshold=3.0)
@example(curve=[2.0, 4.0], eval_every=7, threshold=3.0)          # reached at the first evaluation
def test_steps_to_threshold(kata, curve, eval_every, threshold):
    want = next(((i + 1) * eval_every for i, x in enumerate(curve) if x <= threshold), None)
    got = kata.steps_to_threshold(curve, eval_every, threshold)
    assert got == want, (f"steps_to_threshold({curve}, {eval_every}, {threshold}) returned {got!r}, expected {want!r} "
                         f"(curve[i] is measured after (i + 1) * eval_every steps; <= threshold counts; None if never)")


@settings(max_examples=5)
@given(names=st.lists(st.sampled_from(["random", "easy_to_hard", "hard_to_easy", "competence"]), min_size=1,
                      max_size=4, unique=True),
       length=st.integers(1, 6), eval_every=st.integers(1, 20), threshold=st.sampled_from([None, 3.0]), seed=seeds())
@example(names=["random", "easy_to_hard"], length=3, eval_every=10, threshold=3.0, seed=0)
def test_plot_convergence_draws_the_curves(kata, names, length, eval_every, threshold, seed):
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(seed)
    curves = {name: list(3 + rng.random(length)) for name in names}
    fig = kata.plot_convergence(curves, eval_every, threshold=threshold)
    call = describe_call("plot_convergence", curves, eval_every, threshold=threshold)
    try:
        assert len(fig.axes) == 1, f"{call} drew {len(fig.axes)} axes, expected 1"
        ax = fig.axes[0]
        lines = {line.get_label(): line for line in ax.get_lines()}
        for name, curve in curves.items():
            assert name in lines, f"{call}: no line labelled {name!r} (labels: {list(lines)})"
            assert_close(lines[name].get_xdata(), [(i + 1) * eval_every for i in range(length)], rtol=0, atol=1e-12,
                         name=f"x data of {name!r} (training steps)", call=call)
            assert_close(lines[name].get_ydata(), curve, rtol=0, atol=1e-12, name=f"y data of {name!r}", call=call)
        if threshold is None:
            assert "threshold" not in lines, f"{call} drew a threshold line without a threshold"
        else:
            assert "threshold" in lines, f"{call}: no line labelled 'threshold'"
            assert np.allclose(np.asarray(lines["threshold"].get_ydata(), float), threshold), (
                f"{call}: the threshold line is not horizontal at y = {threshold}")
        assert "step" in ax.get_xlabel().lower(), f"{call}: x label {ax.get_xlabel()!r} should mention 'step'"
        assert "loss" in ax.get_ylabel().lower(), f"{call}: y label {ax.get_ylabel()!r} should mention 'loss'"
        legend = ax.get_legend()
        assert legend is not None, f"{call} drew no legend"
        shown = {t.get_text() for t in legend.get_texts()}
        assert set(names) <= shown, f"{call}: the legend shows {sorted(shown)}, expected every strategy {names}"
    finally:
        plt.close(fig)
