"""Tests for nlp-43-2, perplexity filtering and heuristic quality filters.

References: the workbook's trained character GPT (grader.lm): perplexities against lm.evaluate_loss
where the text splits into whole windows and a direct float64 cross-entropy otherwise; the measured
effect on real text (held-out Shakespeare passages against the same characters shuffled); the Gopher
rules (Rae et al. 2021) written out here as their definition, with every bound hit exactly.
"""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

pytestmark = pytest.mark.slow  # loads the trained model


def val_text(start: int, length: int) -> str:
    _, val = lm.corpus_splits()
    start = start % (len(val) - length)
    return lm.decode(val[start:start + length])


def reference_perplexity(model, text: str, context: int) -> float:
    ids = lm.encode(text)
    nll = []
    with torch.no_grad():
        for c in range(math.ceil((len(ids) - 1) / context)):
            y = ids[c * context + 1:(c + 1) * context + 1]
            logits = model(ids[c * context:c * context + len(y)][None])[0].double()
            nll.append(F.cross_entropy(logits, y, reduction="none"))
    return math.exp(torch.cat(nll).mean().item())


@given(start=st.integers(0, 10 ** 6), length=st.integers(2, 150), context=st.sampled_from([64, 16, 7]))
@example(start=0, length=2, context=64)      # one target
@example(start=5, length=65, context=64)     # exactly one full window
@example(start=9, length=66, context=64)     # one full window and a one-character chunk
@example(start=3, length=129, context=16)
@settings(max_examples=12)
def test_perplexity_matches_the_definition(kata, start, length, context):
    model = lm.load_model()
    text = val_text(start, length)
    call = describe_call("text_perplexity", "char_gpt", text[:20] + "...", context=context)
    got = kata.text_perplexity(model, text, context=context)
    # float64 accumulation of float32 logits: the same numbers summed in another order
    assert_close(got, reference_perplexity(model, text, context), rtol=1e-9, atol=0, call=call,
                 name="perplexity exp(mean next-character NLL)")
    if (length - 1) % context == 0:
        want = math.exp(lm.evaluate_loss(model, lm.encode(text), context=context))
        assert_close(got, want, rtol=1e-9, atol=0, call=call, name="perplexity (exp of grader.lm.evaluate_loss)")


def test_default_context_is_the_models(kata):
    model = lm.load_model()
    text = val_text(77, 140)
    got = kata.text_perplexity(model, text)
    assert_close(got, reference_perplexity(model, text, lm.CONTEXT), rtol=1e-9, atol=0,
                 call="text_perplexity(char_gpt, text of 140 characters)", name="perplexity with the default context 64")


@pytest.mark.parametrize("text", ["", "a"])
def test_rejects_texts_without_a_target(kata, text):
    with pytest.raises(ValueError):
        kata.text_perplexity(lm.load_model(), text)
        pytest.fail(f"text_perplexity(model, {text!r}) returned instead of raising ValueError")


def shuffled(text: str, seed: int) -> str:
    return "".join(np.random.default_rng(seed).permutation(list(text)))


@given(seed=seeds(), n=st.integers(2, 4), pick=st.integers(0, 100), context=st.sampled_from([64, 32]))
@example(seed=0, n=3, pick=1, context=64)
@settings(max_examples=4)
def test_filter_keeps_shakespeare_and_drops_shuffled_text(kata, seed, n, pick, context):
    model = lm.load_model()
    rng = np.random.default_rng(seed)
    real = [val_text(int(rng.integers(10 ** 6)), 100) for _ in range(n)]
    texts = real + [shuffled(t, seed + i) for i, t in enumerate(real)]
    # the filter is defined through text_perplexity: a threshold exactly on one of its values must keep that text
    ppl = [kata.text_perplexity(model, t, context=context) for t in texts]
    threshold = sorted(ppl)[pick % len(ppl)]
    call = describe_call("perplexity_filter", "char_gpt", f"{n} real + {n} shuffled passages", threshold, context=context)
    assert_close(ppl, [reference_perplexity(model, t, context) for t in texts], rtol=1e-9, atol=0,
                 call=call, name="text_perplexity of each passage")
    got = kata.perplexity_filter(model, texts, threshold, context=context)
    assert_equal(list(got), [p <= threshold for p in ppl], call=call, name="keep mask")
    # the measured effect: real text sits near the model's validation perplexity (~4.5), shuffled far above
    got = kata.perplexity_filter(model, texts, 8.0, context=context)
    assert_equal(list(got), [True] * n + [False] * n, call=call.replace(str(threshold), "8.0"),
                 name=f"keep mask at perplexity 8 (measured perplexities {[round(p, 2) for p in ppl]})")


def reference_failures(text, p):
    words, lines = text.split(), [x.strip() for x in text.splitlines() if x.strip()]
    out = []
    if len(words) < p["min_words"]:
        out.append("too_few_words")
    if len(words) > p["max_words"]:
        out.append("too_many_words")
    if words:
        mean = sum(map(len, words)) / len(words)
        if mean < p["min_mean_word_len"] or mean > p["max_mean_word_len"]:
            out.append("mean_word_length")
        if (text.count("#") + text.count("...") + text.count("…")) / len(words) > p["max_symbol_ratio"]:
            out.append("symbol_ratio")
        if sum(any(c.isalpha() for c in w) for w in words) / len(words) < p["min_alpha_word_frac"]:
            out.append("alpha_words")
    if lines and (len(lines) - len(set(lines))) / len(lines) > p["max_duplicate_line_frac"]:
        out.append("duplicate_lines")
    return out


def stats(text):
    words, lines = text.split(), [x.strip() for x in text.splitlines() if x.strip()]
    n = max(len(words), 1)
    return dict(min_words=len(words), max_words=len(words),
                min_mean_word_len=sum(map(len, words)) / n, max_mean_word_len=sum(map(len, words)) / n,
                max_symbol_ratio=(text.count("#") + text.count("...") + text.count("…")) / n,
                min_alpha_word_frac=sum(any(c.isalpha() for c in w) for w in words) / n,
                max_duplicate_line_frac=(len(lines) - len(set(lines))) / max(len(lines), 1))


WORDS = st.sampled_from(["the", "a", "King", "lord", "Ay,", "#", "...", "…", "42", "x-1", "forsooth", "!!", "o"])
LINES = st.lists(st.lists(WORDS, max_size=6).map(" ".join), max_size=8).map("\n".join)
RULES = ["min_words", "max_words", "min_mean_word_len", "max_mean_word_len", "max_symbol_ratio",
         "min_alpha_word_frac", "max_duplicate_line_frac"]
PARAMS = st.fixed_dictionaries(dict(
    min_words=st.integers(0, 12), max_words=st.integers(5, 40), min_mean_word_len=st.sampled_from([1.0, 2.0, 3.0]),
    max_mean_word_len=st.sampled_from([3.0, 4.0, 10.0]), max_symbol_ratio=st.sampled_from([0.0, 0.1, 0.25]),
    min_alpha_word_frac=st.sampled_from([0.5, 0.8, 1.0]), max_duplicate_line_frac=st.sampled_from([0.0, 0.3, 0.5])))


@given(text=LINES, params=PARAMS, on_bound=st.sets(st.sampled_from(RULES)))
@example(text="the King ...\nthe King ...\nlord a #\nAy, forsooth", params=dict(
    min_words=5, max_words=40, min_mean_word_len=3.0, max_mean_word_len=10.0, max_symbol_ratio=0.1,
    min_alpha_word_frac=0.8, max_duplicate_line_frac=0.3), on_bound=set())
@example(text="   \n  ", params=dict(min_words=0, max_words=5, min_mean_word_len=3.0, max_mean_word_len=4.0,
                                     max_symbol_ratio=0.0, min_alpha_word_frac=1.0, max_duplicate_line_frac=0.0),
         on_bound=set())
@settings(max_examples=60)
def test_quality_rules_match_their_definition(kata, text, params, on_bound):
    params = {**params, **{k: v for k, v in stats(text).items() if k in on_bound}}
    call = describe_call("quality_failures", text, **params)
    got = kata.quality_failures(text, **params)
    assert_equal(list(got), reference_failures(text, params), call=call, name="failed rules, in order")


BOUNDARY_TEXTS = [
    "the King said a word\nlord King ... forsooth the",          # mixed
    "the King\nthe King\nthe King\nlord a\nAy, o\nx-1 42\n# the\nKing lord\nforsooth the\na the",  # 2 of 10 lines repeat
    "42 x-1 the King lord 42 King the ... lord",
    "the King\nthe King\nthe King\nthe King\nlord a\nAy, o\nx-1 42\n# the\nKing lord\nforsooth",  # 3 of 10 repeat
]


def test_every_bound_is_inclusive(kata):
    """A statistic exactly on its bound passes; the defaults are Gopher's."""
    defaults = dict(min_words=50, max_words=100_000, min_mean_word_len=3.0, max_mean_word_len=10.0,
                    max_symbol_ratio=0.1, min_alpha_word_frac=0.8, max_duplicate_line_frac=0.3)
    for text in BOUNDARY_TEXTS:
        for rule in RULES:
            params = {rule: stats(text)[rule]}
            call = describe_call("quality_failures", text, **params)
            assert_equal(list(kata.quality_failures(text, **params)), reference_failures(text, {**defaults, **params}),
                         call=call, name="failed rules with one bound exactly on the text's statistic")
