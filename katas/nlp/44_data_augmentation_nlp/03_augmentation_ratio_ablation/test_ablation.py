"""Tests for nlp-44-3, an augmentation-ratio ablation and its plot.

References: the docstring's exact recipe for the augmented set (copy j from original j mod N, seeds
drawn in order from default_rng(seed), the given synonym_replace); numpy for the accuracy table
(mean, std with ddof=0, gain over the ratio-0 baseline) with a deterministic stand-in classifier;
the figure's own data (line x/y, error-bar half-lengths, labels). The trained test runs the real
sweep: a scikit-learn bag-of-words logistic regression on a sentiment task whose test set uses
only synonyms that augmentation can teach.
"""
import copy

import matplotlib
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from matplotlib.collections import LineCollection
from matplotlib.container import ErrorbarContainer

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, describe_call

pytestmark = pytest.mark.slow

SYN = {"good": ["fine", "great"], "bad": ["poor", "vile", "awful"], "king": ["monarch"]}
TOKENS = st.lists(st.sampled_from(["good", "bad", "king", "the", "was"]), min_size=1, max_size=5)


@st.composite
def datasets(draw, min_size=1, max_size=5):
    return [(draw(TOKENS), draw(st.integers(0, 1))) for _ in range(draw(st.integers(min_size, max_size)))]


RATIOS = st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0])
RATES = st.sampled_from([0.0, 0.3, 0.5, 1.0])


def reference_augmented(kata, examples, ratio, rate, seed):
    rng = np.random.default_rng(seed)
    out = [(list(t), y) for t, y in examples]
    for j in range(round(ratio * len(examples))):
        tokens, label = examples[j % len(examples)]
        out.append((kata.synonym_replace(tokens, SYN, rate, int(rng.integers(2**31))), label))
    return out


@given(examples=datasets(), ratio=RATIOS, rate=RATES, seed=seeds())
@example(examples=[(["good", "king"], 1), (["bad"], 0), (["the"], 1)], ratio=0.5, rate=0.5, seed=0)  # round(1.5) = 2
@example(examples=[(["good", "king"], 1), (["bad"], 0)] * 2 + [(["was"], 1)], ratio=0.5, rate=1.0, seed=1)  # round(2.5) = 2
@example(examples=[(["good", "bad"], 1)], ratio=3.0, rate=0.5, seed=2)     # three copies of one original
@example(examples=[(["the"], 0)], ratio=0.0, rate=1.0, seed=0)
@settings(max_examples=40)
def test_augment_with_ratio_follows_the_recipe(kata, examples, ratio, rate, seed):
    before = copy.deepcopy(examples)
    call = describe_call("augment_with_ratio", examples, ratio, "synonyms", rate, seed)
    got = kata.augment_with_ratio(examples, ratio, SYN, rate, seed)
    assert examples == before, f"{call} modified its input examples: {before} -> {examples}"
    want = reference_augmented(kata, examples, ratio, rate, seed)
    assert len(got) == len(want), (
        f"{call} returned {len(got)} examples, expected N + round(ratio * N) = {len(examples)} + "
        f"{len(want) - len(examples)} (Python's round: halves to even)")
    got = [(list(t), int(y)) for t, y in got]
    assert got == want, (f"{call} returned\n  {got}\n  expected\n  {want}\n  (originals first, then copy j of original "
                         "j mod N with seed_j = int(rng.integers(2**31)) from default_rng(seed))")
    raw = kata.augment_with_ratio(examples, ratio, SYN, rate, seed)
    for (tokens, _), (orig, _) in zip(raw, examples * (1 + len(raw) // len(examples)), strict=False):
        assert tokens is not orig, f"{call} returned one of the input token lists itself; every list must be new"


@given(seed=seeds())
def test_augment_with_ratio_is_seeded(kata, seed):
    examples = [(["good", "bad", "king", "good"], 1), (["bad", "bad", "good"], 0)]
    vocab = sorted({w for ws in SYN.values() for w in ws} | set(SYN))
    assert_seeded(lambda s: [[vocab.index(w) for w in t] for t, _ in kata.augment_with_ratio(examples, 3.0, SYN, 0.5, s)],
                  seed,
                  name="augment_with_ratio(examples, 3.0, synonyms, 0.5, seed) tokens")


@given(ratio=st.sampled_from([-1.0, -0.25, -1e-9, 0.5]), empty=st.booleans())
@example(ratio=-1e-9, empty=False)
@example(ratio=0.5, empty=True)
def test_augment_with_ratio_rejects_negative_ratio_or_no_examples(kata, ratio, empty):
    examples = [] if empty or ratio >= 0 else [(["good"], 1)]
    with pytest.raises(ValueError):
        kata.augment_with_ratio(examples, ratio, SYN, 0.5, 0)
        pytest.fail(f"augment_with_ratio({examples}, {ratio}, ...) returned instead of raising ValueError")


def overlap_fit(examples):
    """A deterministic stand-in classifier: the label of the training example sharing most tokens (first on ties)."""
    train = [(set(t), y) for t, y in examples]

    def predict(token_lists):
        return np.array([max(train, key=lambda ex: len(ex[0] & set(t)))[1] for t in token_lists])
    return predict


@given(examples=datasets(min_size=1, max_size=6), test=datasets(min_size=1, max_size=6))
def test_accuracy_matches_numpy(kata, examples, test):
    predict = overlap_fit(examples)
    want = float(np.mean(predict([t for t, _ in test]) == np.array([y for _, y in test])))
    got = kata.accuracy(predict, test)
    assert isinstance(got, float), f"accuracy returned {type(got).__name__}, expected a Python float"
    assert_close(got, want, rtol=0, atol=1e-12, call=describe_call("accuracy", "predict", test))


@given(train=datasets(min_size=2, max_size=5), test=datasets(min_size=3, max_size=8),
       ratios=st.permutations([0.0, 0.5, 2.0]).map(list) | st.just([0.0]) | st.just([1.0, 0.0]),
       seed_list=st.lists(seeds(), min_size=1, max_size=3, unique=True), rate=st.sampled_from([0.0, 0.5, 1.0]))
@example(train=[(["good", "king"], 1), (["bad", "the"], 0)], test=[(["great", "monarch"], 1), (["vile"], 0),
                                                                 (["fine"], 1), (["poor"], 0)],
         ratios=[2.0, 0.0, 0.5], seed_list=[0, 1, 2], rate=1.0)
@example(train=[(["good", "king"], 1), (["bad", "the"], 0)], test=[(["the", "great"], 1), (["vile"], 0),
                                                                 (["fine"], 1), (["awful"], 0)],
         ratios=[0.0, 2.0], seed_list=[3], rate=0.0)     # rate 0: the copies teach nothing
@settings(max_examples=15)
def test_ratio_ablation_table(kata, train, test, ratios, seed_list, rate):
    call = describe_call("ratio_ablation", train, test, ratios, "synonyms", rate, seed_list, "fit")
    got = kata.ratio_ablation(train, test, ratios, SYN, rate, seed_list, overlap_fit)
    acc = np.array([[np.mean(overlap_fit(reference_augmented(kata, train, r, rate, s))([t for t, _ in test])
                             == np.array([y for _, y in test])) for s in seed_list] for r in ratios])
    mean = acc.mean(axis=1)
    want = {"accuracy": acc, "mean": mean, "std": acc.std(axis=1), "gain": mean - mean[ratios.index(0.0)]}
    assert set(got) == {"ratios", "accuracy", "mean", "std", "gain"}, f"{call} returned keys {sorted(got)}"
    assert list(got["ratios"]) == ratios, f"{call}['ratios'] = {got['ratios']}, expected {ratios} (given order)"
    for key, value in want.items():
        # means of a few 0/1 outcomes in float64.
        assert_close(np.asarray(got[key], dtype=np.float64), value, rtol=0, atol=1e-12, call=call, name=f"[{key!r}]")


@given(case=st.sampled_from(["no zero", "no seeds"]))
def test_ratio_ablation_rejects_missing_baseline_or_seeds(kata, case):
    ratios, seed_list = ([0.5, 1.0], [0]) if case == "no zero" else ([0.0, 1.0], [])
    with pytest.raises(ValueError):
        kata.ratio_ablation([(["good"], 1)], [(["fine"], 1)], ratios, SYN, 0.5, seed_list, overlap_fit)
        pytest.fail(f"ratio_ablation(ratios={ratios}, seeds={seed_list}) returned instead of raising ValueError")


@st.composite
def tables(draw):
    ratios = draw(st.permutations([0.0, 0.5, 1.0, 2.0, 4.0]).map(list))[: draw(st.integers(2, 5))]
    if 0.0 not in ratios:
        ratios[0] = 0.0
    mean = np.array([draw(st.floats(0.3, 1.0)) for _ in ratios])
    std = np.array([draw(st.floats(0.0, 0.1)) for _ in ratios])
    return {"ratios": ratios, "accuracy": mean[:, None], "mean": mean, "std": std,
            "gain": mean - mean[ratios.index(0.0)]}


@given(table=tables())
@example(table={"ratios": [4.0, 0.0, 1.0], "accuracy": np.array([[0.8], [0.5], [0.6]]),
                "mean": np.array([0.8, 0.5, 0.6]), "std": np.array([0.02, 0.05, 0.0]),
                "gain": np.array([0.3, 0.0, 0.1])})
@settings(max_examples=10)
def test_plot_ablation_draws_the_table(kata, table):
    matplotlib.use("Agg")
    fig = kata.plot_ablation(table)
    assert fig.axes, "plot_ablation returned a figure without axes"
    ax = fig.axes[0]
    order = np.argsort(table["ratios"], kind="stable")
    x, y, s = np.asarray(table["ratios"])[order], table["mean"][order], table["std"][order]
    containers = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    assert containers, "plot_ablation: no error bars found (use ax.errorbar with yerr=std)"
    data_line = containers[0].lines[0]
    assert data_line is not None, "plot_ablation: the error-bar plot has no data line"
    assert_close(np.asarray(data_line.get_xdata(), dtype=float), x, rtol=0, atol=1e-12,
                 name="line x data (the ratios, increasing)", call="plot_ablation(table)")
    assert_close(np.asarray(data_line.get_ydata(), dtype=float), y, rtol=0, atol=1e-12,
                 name="line y data (mean accuracy, in increasing ratio order)", call="plot_ablation(table)")
    bars = [c for c in containers[0].lines[2] if isinstance(c, LineCollection)]
    assert bars, "plot_ablation: the error bars carry no y extent (yerr missing)"
    segs = sorted((seg[0][0], abs(seg[1][1] - seg[0][1]) / 2) for seg in bars[0].get_segments())
    assert_close(np.array([h for _, h in segs]), s, rtol=0, atol=1e-9,
                 name="error-bar half-lengths (the per-ratio std)", call="plot_ablation(table)")
    assert "ratio" in ax.get_xlabel().lower() and "accuracy" in ax.get_ylabel().lower() and ax.get_title(), (
        f"plot_ablation: labels {ax.get_xlabel()!r} / {ax.get_ylabel()!r}, title {ax.get_title()!r}; expected an x "
        "label with 'ratio', a y label with 'accuracy' and a title")
    matplotlib.pyplot.close(fig)


@given(task_seed=st.sampled_from([0, 1, 2, 3]))
@settings(max_examples=1)
def test_augmentation_ratio_sweep_generalizes(kata, task_seed):
    """Measured on task seeds 0-3 (3 augmentation seeds each): mean test accuracy 0.46-0.53 without augmentation,
    0.61-0.69 at ratio 2 and 0.66-0.85 at ratio 8."""
    train, test = kata.sentiment_task(task_seed)
    table = kata.ratio_ablation(train, test, [0.0, 2.0, 8.0], kata.SYNONYMS, 0.5, [0, 1, 2], kata.fit_bow_classifier)
    report = (f"ratio_ablation on sentiment_task({task_seed}) with the real classifier: mean accuracy "
              f"{dict(zip(table['ratios'], np.round(table['mean'], 3).tolist(), strict=True))}")
    assert table["gain"][2] >= 0.1, report + "\n  expected augmentation at ratio 8 to gain >= 0.1 accuracy"
    assert table["mean"][2] > table["mean"][1] > table["mean"][0], report + "\n  expected the gain to grow with the ratio"
    fig = kata.plot_ablation(table)
    matplotlib.pyplot.close(fig)
