"""Tests for nlp-07-3, perplexity vs context length.

Reference: every token scored on its own, one model call per token, with the context its window
gives it (token by token instead of window by window), on a cheap float64 test model whose
prediction depends on every token of its window and on the position in it; perplexity as exp of the
mean of those NLLs; the collapse point found by brute force over the curve. On the workbook's
trained LM (real text, real weights) the curve is recomputed window by window and its observed shape
checked: more context helps up to the training context, and perplexity collapses past it. Plus the
figure's structure and data.
"""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_shape, describe_call


def cheap_lm(vocab: int, seed: int):
    """A float64 test model: token j's logits are a decaying sum of embeddings of the window's tokens
    0..j plus an embedding of position j (counted from the window's start), so a window that starts
    one token early or late, or scores a token from the wrong window, changes the numbers."""
    g = torch.Generator().manual_seed(seed)
    emb = torch.randn(vocab, vocab, generator=g, dtype=torch.float64)
    pos = torch.randn(256, vocab, generator=g, dtype=torch.float64)

    def model(tokens: torch.Tensor) -> torch.Tensor:
        t = tokens.shape[0]
        lag = torch.arange(t)[:, None] - torch.arange(t)[None, :]
        weights = torch.where(lag >= 0, 0.6 ** lag.clamp(min=0).double(), 0.0)
        return torch.log_softmax(weights @ emb[tokens] + pos[:t], dim=-1)

    return model


def random_doc(seed: int, length: int, vocab: int) -> torch.Tensor:
    return torch.randint(vocab, (length,), generator=torch.Generator().manual_seed(seed))


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


@given(length=dims(2, 40), vocab=dims(2, 8), context_len=dims(2, 12), seed=seeds(), data=st.data())
@example(length=20, vocab=5, context_len=6, seed=0, data=None)   # stride 3
@example(length=9, vocab=3, context_len=2, seed=1, data=None)    # stride 1, one token of context
@example(length=5, vocab=4, context_len=12, seed=2, data=None)   # one window holds everything
@example(length=2, vocab=4, context_len=2, seed=3, data=None)    # one token to score
@example(length=1, vocab=4, context_len=3, seed=4, data=None)    # nothing to score: an empty result
def test_sequence_nll_scores_each_token_once_with_its_window(kata, length, vocab, context_len, seed, data):
    stride = data.draw(st.integers(1, context_len - 1), label="stride") if data is not None else max(1, context_len // 2)
    model = cheap_lm(vocab, seed)
    tokens = random_doc(seed, length, vocab)
    call = describe_call("sequence_nll", "test_lm", tokens, context_len, stride)
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
@given(length=dims(10, 48), vocab=dims(2, 8), seed=seeds(), fraction=st.sampled_from([0.25, 0.5, 0.75, 1.0]))
@example(length=30, vocab=5, seed=0, fraction=0.5)
@example(length=30, vocab=5, seed=0, fraction=1.0)    # stride c would leave tokens without context: c - 1
def test_perplexity_vs_context_is_exp_of_the_mean_token_nll(kata, length, vocab, seed, fraction):
    model = cheap_lm(vocab, seed)
    tokens = random_doc(seed, length, vocab)
    lens = [2, 3, 5, 8, 13]
    call = describe_call("perplexity_vs_context", "test_lm", tokens, lens, stride_fraction=fraction)
    got = kata.perplexity_vs_context(model, tokens, lens, stride_fraction=fraction)
    want = [math.exp(ref_nll(model, tokens, c, min(max(1, int(c * fraction)), c - 1)).mean()) for c in lens]
    # float64: exp of a mean of at most 47 logs.
    assert_close(np.asarray(got, dtype=np.float64), want, rtol=1e-9, atol=0, name="perplexities", call=call)


@given(ppl=st.lists(st.floats(1.0, 1000.0, width=32), min_size=1, max_size=10), factor=st.sampled_from([1.5, 2.0, 4.0]),
       form=st.sampled_from(["list", "float32", "float64"]))
@example(ppl=[50.0, 1.0, 1.5, 3.0, 1.0], factor=2.0, form="list")   # bad short contexts before the best are not a collapse
@example(ppl=[1.0, 3.0, 1.0, 5.0], factor=2.0, form="list")         # ties for the minimum: the first one counts
@example(ppl=[9.0, 2.0, 3.0], factor=2.0, form="float64")           # never collapses
@example(ppl=[3.0, 1.5, 3.0, 3.5], factor=2.0, form="list")         # exactly factor x the best is not yet a collapse
@example(ppl=[1.0, 1.6, 3.0], factor=1.5, form="list")              # factor is used: 1.6 > 1.5x, not 2x
@example(ppl=[2.0, 1.0, 1.0], factor=0.5, form="list")              # factor < 1: the best itself never counts
# float64 comparison: 1.5 * (1 + 2^-23) rounds up to 1.5 + 2^-22 in float32, which then would not exceed it
@example(ppl=[1 + 2 ** -23, 1.5 + 2 ** -22], factor=1.5, form="float32")
def test_find_collapse_point_matches_brute_force(kata, ppl, factor, form):
    lens = [2 ** (i + 1) for i in range(len(ppl))]
    given_ppl = ppl if form == "list" else np.array(ppl, dtype=form)   # the drawn values are float32-exact
    call = describe_call("find_collapse_point", lens, given_ppl, factor=factor)
    got = kata.find_collapse_point(lens, given_ppl, factor=factor)
    want = ref_collapse(lens, ppl, factor)
    assert got == want, (f"{call} returned {got!r}, expected {want!r}: the first context length after the best "
                         f"perplexity {min(ppl)} (at {lens[ppl.index(min(ppl))]}) whose perplexity exceeds {factor}x it")


def ref_lm_perplexity(tokens: torch.Tensor, context_len: int, stride: int) -> float:
    """The trained LM's strided perplexity, all windows in one batch: with L >= c every window is c long,
    and the window ending at e scores the tokens after the previous end (tokens 1.. for the first)."""
    from grader import lm
    ends = window_ends(len(tokens), context_len, stride)
    windows = torch.stack([tokens[e - context_len:e] for e in ends])
    with torch.no_grad():
        logp = torch.log_softmax(lm.load_model()(windows).double(), dim=-1)
    total, prev = 0.0, 1
    for w, end in enumerate(ends):
        start = end - context_len
        rows = torch.arange(prev, end)
        total -= float(logp[w, rows - start - 1, tokens[rows]].sum())
        prev = end
    return math.exp(total / (len(tokens) - 1))


LENS = [4, 8, 16, 32, 64, 128, 256]   # context lengths on both sides of the training context (64)


@settings(max_examples=1)  # one real curve costs ~0.5 s (about 500 windows); the doc's start is drawn
@given(start=st.integers(0, 100_000))
@example(start=0)
def test_the_trained_model_collapses_past_its_training_context(kata, start):
    model = kata.workbook_lm()
    tokens = kata.held_out_text(512, start)
    call = describe_call("perplexity_vs_context", "workbook_lm()", tokens, LENS)
    got = np.asarray(kata.perplexity_vs_context(model, tokens, LENS), dtype=np.float64)
    want = [ref_lm_perplexity(tokens, c, c // 2) for c in LENS]
    # The same float32 network on the same windows, batched here: float32 logits may differ in the
    # last bits (~1e-7 relative); the sums are float64.
    assert_close(got, want, rtol=1e-5, atol=0, name="perplexities of the trained LM", call=call)
    curve = dict(zip(LENS, np.round(got, 2).tolist(), strict=True))
    assert got[LENS.index(64)] < 0.9 * got[0], (
        f"{call}: perplexities {curve}: within its training context (64) more context should help")
    assert min(got) == min(got[:LENS.index(64) + 1]), f"{call}: perplexities {curve}: the best context is <= 64"
    collapse = kata.find_collapse_point(LENS, got)
    assert collapse == ref_collapse(LENS, got.tolist(), 2.0) and collapse is not None and collapse > 64, (
        f"{call}: perplexities {curve}: find_collapse_point returned {collapse!r}; the trained model collapses "
        f"past its training context of 64, at {ref_collapse(LENS, got.tolist(), 2.0)}")


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
