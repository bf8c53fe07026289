"""Tests for nlp-35-2, which input characters drive a prediction.

Reference: integrated gradients written out with torch.autograd.grad, one call per Riemann point, on
a float64 copy of the trained workbook LM (grader/lm.py) and real held-out text; completeness of the
per-character scores; numpy.lexsort for the ranking; the bar chart read back from matplotlib (Agg).
Observed on the trained model: its own predictions are driven mostly by the last few characters.
"""
import copy
from functools import lru_cache

import matplotlib
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_rgba

from grader import lm
from grader.strategies import dims
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call

matplotlib.use("Agg")
TEXT_START = 1_003_854   # held-out text (the last 10 % of the corpus)


@lru_cache(maxsize=1)
def model64():
    return copy.deepcopy(lm.load_model()).double()


def real_ids(offset: int, length: int) -> torch.Tensor:
    return lm.encode(lm.corpus_text()[TEXT_START + offset:TEXT_START + offset + length])


def ref_scores(kata, model, idx, position, target, steps):
    x = model.embed(idx[None]).detach()
    x0 = model.embed.weight.detach().mean(0).expand_as(x)
    total = torch.zeros_like(x[0])
    for k in range(1, steps + 1):
        point = (x0 + (k / steps) * (x - x0)).requires_grad_(True)
        (g,) = torch.autograd.grad(kata.target_logit(model, point, position, target).sum(), point)
        total += g[0]
    return ((x - x0)[0] * total / steps).sum(-1)


@settings(max_examples=8)
@given(offset=st.integers(0, 5000), length=dims(1, 10), data=st.data(),
       target=st.one_of(st.none(), st.integers(0, 64)), steps=st.integers(2, 12))
@example(offset=0, length=1, data=None, target=None, steps=2)
@example(offset=5, length=9, data=None, target=7, steps=12)
def test_scores_are_integrated_gradients_per_character(kata, offset, length, data, target, steps):
    model = model64()
    idx = real_ids(offset, length)
    position = length - 1 if data is None else data.draw(st.integers(0, length - 1))
    call = describe_call("token_attributions", "CharGPT[float64]", idx, position, target, steps=steps)
    got = call_unmodified(kata.token_attributions, model, idx, position, target, steps=steps)
    if target is None:
        with torch.no_grad():
            target = int(model(idx[None])[0, position].argmax())
    want = ref_scores(kata, model, idx, position, target, steps)
    assert_shape(got, (length,), name="scores", call=call)
    assert got.dtype == torch.float64, f"{call} returned dtype {got.dtype}, expected the model's float64"
    # captum forms its path with float32 step sizes: ~1e-7 relative
    assert_close(got, want, rtol=1e-4, atol=1e-6, name="per-character IG scores (target None = the model's argmax)",
                 call=call)
    assert (got[position + 1:] == 0).all(), f"{call}: characters after position {position} scored {got[position + 1:]}"


def test_default_steps_is_32(kata):
    model = model64()
    idx = real_ids(91, 7)
    assert_close(kata.token_attributions(model, idx, 6, 4), ref_scores(kata, model, idx, 6, 4, 32),
                 rtol=1e-4, atol=1e-6, name="scores", call="token_attributions(model, idx, 6, 4) with the default steps")


@given(values=st.lists(st.integers(-3, 3), min_size=0, max_size=8), data=st.data())
@example(values=[1, -1, 1, 0], data=None)        # |ties|: increasing position
@example(values=[2], data=None)
@example(values=[], data=None)
def test_top_drivers_rank_by_magnitude(kata, values, data):
    scores = torch.tensor(values, dtype=torch.float64) * 0.5
    k = len(values) if data is None else data.draw(st.integers(0, len(values)))
    call = describe_call("top_drivers", scores, k)
    got = call_unmodified(kata.top_drivers, scores, k)
    want = np.lexsort((np.arange(len(values)), -np.abs(np.array(values, dtype=float))))[:k].tolist()
    assert_equal(np.array(got, dtype=int), np.array(want, dtype=int),
                 name="positions (largest |score| first, ties by position)", call=call)
    for bad in (-1, len(values) + 1):
        with pytest.raises(ValueError):
            kata.top_drivers(scores, bad)
            pytest.fail(f"top_drivers(scores of length {len(values)}, {bad}) returned")


@settings(max_examples=4)
@given(length=dims(1, 8), data=st.data())
@example(length=1, data=None)
def test_plot_is_one_bar_per_character(kata, length, data):
    import matplotlib.pyplot as plt
    text = "to be, \nor"[:length]
    scores = torch.linspace(-1.0, 1.5, length, dtype=torch.float64)
    position = length - 1 if data is None else data.draw(st.integers(0, length - 1))
    call = describe_call("plot_drivers", repr(text), scores, position)
    fig = kata.plot_drivers(text, scores, position)
    try:
        assert len(fig.axes) == 1, f"{call}: {len(fig.axes)} axes, expected 1"
        ax = fig.axes[0]
        bars = ax.patches
        assert len(bars) == length, f"{call}: {len(bars)} bars, expected one per character ({length})"
        assert_close(np.array([b.get_height() for b in bars]), scores.numpy(), rtol=0, atol=1e-12,
                     name="bar heights", call=call)
        assert_close(np.array([b.get_x() + b.get_width() / 2 for b in bars]), np.arange(length), rtol=0,
                     atol=1e-9, name="bar centres (character i at x = i)", call=call)
        colors = [b.get_facecolor() for b in bars]
        want = [to_rgba("tab:red") if i == position else to_rgba("tab:blue") for i in range(length)]
        assert colors == want, f"{call}: bar colours {colors}, expected tab:red at {position} and tab:blue elsewhere"
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert labels == [{" ": "␣", "\n": "⏎"}.get(c, c) for c in text], f"{call}: x tick labels {labels}"
        assert ax.get_title() == f"drivers of the prediction at position {position}", f"{call}: title {ax.get_title()!r}"
        assert ax.get_ylabel() == "attribution", f"{call}: y label {ax.get_ylabel()!r}"
    finally:
        plt.close(fig)
    with pytest.raises(ValueError):
        kata.plot_drivers(text + "!", scores, position)
        pytest.fail(f"plot_drivers accepted {length + 1} characters for {length} scores")


def test_trained_model_is_driven_by_recent_characters(kata):
    """Observed on the trained LM, held-out text: the last 4 of 24 characters carry most of the attribution."""
    model = lm.load_model()
    fractions = []
    for offset in range(0, 2000, 400):
        idx = real_ids(offset, 24)
        s = kata.token_attributions(model, idx, 23).abs()
        fractions.append((s[-4:].sum() / s.sum()).item())
    assert np.mean(fractions) > 0.5, (
        f"share of |attribution| on the last 4 of 24 characters {np.round(fractions, 3).tolist()}: expected "
        "most of it on the recent characters (a uniform share would be 1/6)")
