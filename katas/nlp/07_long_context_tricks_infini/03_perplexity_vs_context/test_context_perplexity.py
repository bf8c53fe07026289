"""Tests for nlp-07-3, perplexity vs context length.

Reference: every token scored on its own, one model call per token, with the context its window
gives it (token by token instead of window by window); perplexity as exp of the mean of those
NLLs; the collapse point found by brute force over the curve, and on the given toy model, whose
positions stop working at trained_len, exactly at the first context length past it. Plus the
figure's structure and data.
"""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_shape, describe_call


def random_doc(seed: int, length: int, vocab: int) -> torch.Tensor:
    return torch.randint(vocab, (length,), generator=torch.Generator().manual_seed(seed))


def periodic_doc(seed: int, period: int, length: int, vocab: int) -> torch.Tensor:
    """A segment of `period` distinct tokens repeated: token t + 1 == token t + 1 - period."""
    segment = torch.randperm(vocab, generator=torch.Generator().manual_seed(seed))[:period]
    return segment.repeat(length // period + 1)[:length]


def window_ends(length: int, context_len: int, stride: int) -> list[int]:
    ends = [min(context_len, length)]
    while ends[-1] < length:
        ends.append(min(ends[-1] + stride, length))
    return ends


def ref_nll(model, tokens: torch.Tensor, context_len: int, stride: int) -> np.ndarray:
    """Token i (i >= 1), scored alone: its window is the first one ending after it."""
    ends = window_ends(len(tokens), context_len, stride)
    out = []
    for i in range(1, len(tokens)):
        end = next(e for e in ends if e > i)
        start = max(0, end - context_len)
        out.append(-float(model(tokens[start:i])[-1, tokens[i]]))
    return np.array(out)


def ref_collapse(context_lens: list[int], ppl: list[float], factor: float) -> int | None:
    best = min(range(len(ppl)), key=lambda i: (ppl[i], i))
    later = [context_lens[i] for i in range(best + 1, len(ppl)) if ppl[i] > factor * ppl[best]]
    return later[0] if later else None


@given(length=dims(2, 40), vocab=dims(2, 8), lag=dims(1, 6), trained_len=st.sampled_from([4, 64]),
       context_len=dims(2, 12), seed=seeds(), data=st.data())
@example(length=20, vocab=5, lag=2, trained_len=64, context_len=6, seed=0, data=None)   # stride 3
@example(length=9, vocab=3, lag=1, trained_len=64, context_len=2, seed=1, data=None)    # stride 1, one token of context
@example(length=5, vocab=4, lag=3, trained_len=4, context_len=12, seed=2, data=None)    # one window holds everything
def test_sequence_nll_scores_each_token_once_with_its_window(kata, length, vocab, lag, trained_len, context_len,
                                                             seed, data):
    stride = data.draw(st.integers(1, context_len - 1), label="stride") if data is not None else max(1, context_len // 2)
    model = kata.make_toy_lm(vocab, lag, trained_len)
    tokens = random_doc(seed, length, vocab)
    call = describe_call("sequence_nll", "toy_lm", tokens, context_len, stride)
    got = kata.sequence_nll(model, tokens, context_len, stride)
    assert_shape(got, (length - 1,), name="per-token NLL", call=call)
    # float64, the same model on the same tokens: only the batch of positions differs.
    assert_close(got, ref_nll(model, tokens, context_len, stride), rtol=1e-9, atol=1e-9,
                 name="per-token NLL (entry i - 1 is token i's)", call=call)


@given(context_len=dims(1, 8), seed=seeds())
def test_sequence_nll_rejects_strides_that_leave_tokens_without_context(kata, context_len, seed):
    def model(t: torch.Tensor) -> torch.Tensor:
        return torch.full((t.shape[0], 4), -math.log(4), dtype=torch.float64)   # uniform over 4 tokens

    tokens = random_doc(seed, 12, 4)
    for stride in (0, context_len, context_len + 1):
        with pytest.raises(ValueError):
            kata.sequence_nll(model, tokens, context_len, stride)
            pytest.fail(f"sequence_nll(context_len={context_len}, stride={stride}) returned instead of raising ValueError")


@settings(max_examples=10)
@given(length=dims(10, 48), vocab=dims(2, 8), lag=dims(1, 5), trained_len=st.sampled_from([6, 64]), seed=seeds(),
       fraction=st.sampled_from([0.25, 0.5, 0.75]))
@example(length=30, vocab=5, lag=3, trained_len=64, seed=0, fraction=0.5)
def test_perplexity_vs_context_is_exp_of_the_mean_token_nll(kata, length, vocab, lag, trained_len, seed, fraction):
    model = kata.make_toy_lm(vocab, lag, trained_len)
    tokens = random_doc(seed, length, vocab)
    lens = [2, 3, 5, 8, 13]
    call = describe_call("perplexity_vs_context", "toy_lm", tokens, lens, stride_fraction=fraction)
    got = kata.perplexity_vs_context(model, tokens, lens, stride_fraction=fraction)
    want = [math.exp(ref_nll(model, tokens, c, min(max(1, int(c * fraction)), c - 1)).mean()) for c in lens]
    # float64: exp of a mean of at most 47 logs.
    assert_close(np.asarray(got, dtype=np.float64), want, rtol=1e-9, atol=0, name="perplexities", call=call)


@given(ppl=st.lists(st.floats(1.0, 1000.0, width=32), min_size=1, max_size=10), factor=st.sampled_from([1.5, 2.0, 4.0]))
@example(ppl=[50.0, 1.0, 1.5, 3.0, 1.0], factor=2.0)   # bad short contexts before the best are not a collapse
@example(ppl=[1.0, 3.0, 1.0, 5.0], factor=2.0)         # ties for the minimum: the first one counts
@example(ppl=[9.0, 2.0, 3.0], factor=2.0)              # never collapses
def test_find_collapse_point_matches_brute_force(kata, ppl, factor):
    lens = [2 ** (i + 1) for i in range(len(ppl))]
    assume(all(abs(p - factor * min(ppl)) > 1e-6 for p in ppl))   # no value on the threshold itself
    call = describe_call("find_collapse_point", lens, ppl, factor=factor)
    got = kata.find_collapse_point(lens, ppl, factor=factor)
    want = ref_collapse(lens, ppl, factor)
    assert got == want, (f"{call} returned {got!r}, expected {want!r}: the first context length after the best "
                         f"perplexity {min(ppl)} (at {lens[ppl.index(min(ppl))]}) whose perplexity exceeds {factor}x it")


@settings(max_examples=5)  # about 700 model calls per example
@given(period=dims(3, 8), trained_len=st.sampled_from([16, 32]), seed=seeds())
@example(period=6, trained_len=16, seed=0)
def test_the_toy_model_collapses_just_past_its_trained_length(kata, period, trained_len, seed):
    vocab = 10
    tokens = periodic_doc(seed, period, 8 * trained_len, vocab)
    model = kata.make_toy_lm(vocab, period - 1, trained_len)
    lens = [2 ** i for i in range(1, int(math.log2(4 * trained_len)) + 1)]
    ppl = np.asarray(kata.perplexity_vs_context(model, tokens, lens), dtype=np.float64)
    got = kata.find_collapse_point(lens, ppl)
    assert got == 2 * trained_len, (
        f"on a document that repeats every {period} tokens, a model trained to {trained_len} positions has perplexities "
        f"{dict(zip(lens, np.round(ppl, 3).tolist(), strict=True))}; find_collapse_point returned {got!r}, expected "
        f"{2 * trained_len} (the first length on the grid past {trained_len})")


@settings(max_examples=3)  # a figure per example costs ~50 ms; the structure does not depend on the inputs
@given(n=dims(2, 8), seed=seeds(), collapse=st.booleans())
@example(n=5, seed=0, collapse=True)
def test_plot_perplexity_vs_context(kata, n, seed, collapse):
    lens = [2 ** (i + 1) for i in range(n)]
    ppl = np.exp(np.random.default_rng(seed).random(n) * 5)
    at = lens[-1] if collapse else None
    call = describe_call("plot_perplexity_vs_context", lens, ppl, collapse_at=at)
    fig = kata.plot_perplexity_vs_context(lens, ppl, collapse_at=at)
    try:
        axes = [ax for ax in fig.axes if ax.get_lines()]
        assert len(axes) == 1, f"{call}: {len(axes)} axes hold lines, expected 1"
        ax = axes[0]
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("context length", "perplexity"), (
            f"{call}: labels x={ax.get_xlabel()!r}, y={ax.get_ylabel()!r}")
        assert ax.get_yscale() == "log", f"{call}: y scale is {ax.get_yscale()!r}, expected 'log'"
        lines = ax.get_lines()
        assert len(lines) == (2 if collapse else 1), f"{call}: {len(lines)} lines, expected {2 if collapse else 1}"
        assert_close(np.asarray(lines[0].get_xdata(), dtype=np.float64), lens, rtol=0, atol=0, name="curve x", call=call)
        assert_close(np.asarray(lines[0].get_ydata(), dtype=np.float64), ppl, rtol=0, atol=0, name="curve y", call=call)
        if collapse:
            xs = np.asarray(lines[1].get_xdata(), dtype=np.float64)
            assert np.all(xs == at), f"{call}: the marker line has x = {xs.tolist()}, expected a vertical line at {at}"
    finally:
        plt.close(fig)
