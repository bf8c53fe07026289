"""Tests for prod-01-3, perplexity and bits per byte.

References: scipy.special.log_softmax for the token log-probabilities; sklearn.metrics.log_loss
(mean cross-entropy in nats) for perplexity = exp(log loss); the definition of bits per byte on
UTF-8 text, and its invariance under re-tokenization: the same model probabilities grouped into
characters or into words give the same bits per byte, but different perplexities.
"""
import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.special import log_softmax, softmax
from sklearn.metrics import log_loss

from grader.strategies import float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call

CHARS = ["a", "b", " ", "é", "ß", "日", "本", "🙂"]   # 1, 2, 3 and 4 UTF-8 bytes


@given(seed=seeds(), t=st.integers(1, 6), v=st.integers(2, 7), scale=st.sampled_from([1.0, 30.0]),
       offset=st.sampled_from([0.0, 1e4, -1e4]), dtype=float_dtypes())
@example(seed=0, t=3, v=5, scale=1.0, offset=1e4, dtype=np.float64)   # exp(1e4) overflows without the max shift
@example(seed=1, t=4, v=2, scale=30.0, offset=-1e4, dtype=np.float32)
@example(seed=2, t=1, v=2, scale=1.0, offset=0.0, dtype=np.float64)
def test_token_logprobs_match_scipy_log_softmax(kata, seed, t, v, scale, offset, dtype):
    rng = np.random.default_rng(seed)
    logits = (rng.standard_normal((t, v)) * scale + offset).astype(dtype)
    targets = rng.integers(0, v, size=t)
    call = describe_call("token_logprobs", logits, targets)
    got = call_unmodified(kata.token_logprobs, logits, targets)
    assert_dtype(got, np.zeros(1), name="log-probabilities (float64)", call=call)
    want = log_softmax(logits.astype(np.float64), axis=1)[np.arange(t), targets]
    # reference from the same (rounded) inputs in float64; a float32 pipeline after the max shift is
    # good to ~1e-6 relative on values of size <= 60 * ln V
    tol = 1e-9 if dtype == np.float64 else 2e-4
    assert_close(got, want, rtol=tol, atol=tol, name="log-probabilities", call=call)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_token_logprobs_rows_spanning_thousands(kata, dtype):
    """Rows whose logits span more than exp can hold (about 709): only shifting by the maximum works."""
    logits = np.array([[0.0, 1000.0, -1000.0], [-1e4, 1e4, 0.0], [5.0, -800.0, 3.0]], dtype=dtype)
    targets = np.array([1, 2, 0])
    call = describe_call("token_logprobs", logits, targets)
    want = log_softmax(logits.astype(np.float64), axis=1)[np.arange(3), targets]
    assert_close(kata.token_logprobs(logits, targets), want, rtol=1e-9, atol=1e-9, name="log-probabilities", call=call)


@given(seed=seeds(), t=st.integers(1, 8), v=st.integers(2, 6), use_mask=st.booleans())
@example(seed=0, t=5, v=3, use_mask=True)
@example(seed=1, t=1, v=2, use_mask=False)
def test_perplexity_is_exp_of_sklearn_log_loss(kata, seed, t, v, use_mask):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((t, v)) * 2
    targets = rng.integers(0, v, size=t)
    lp = log_softmax(logits, axis=1)[np.arange(t), targets]
    mask = rng.random(t) < 0.6 if use_mask else None
    if mask is not None:
        mask[rng.integers(t)] = True
    call = describe_call("perplexity", lp, mask=mask)
    got = call_unmodified(kata.perplexity, lp, mask=mask)
    weights = None if mask is None else mask.astype(np.float64)
    want = math.exp(log_loss(targets, softmax(logits, axis=1), labels=list(range(v)), sample_weight=weights))
    # log_loss in float64 with probabilities far from its clipping eps: rounding only
    assert_close(got, want, rtol=1e-9, atol=0, name="perplexity", call=call)


@given(t=st.integers(1, 10), v=st.integers(1, 50000))
@example(t=1, v=1)
@example(t=7, v=50257)
def test_uniform_model_has_perplexity_v(kata, t, v):
    lp = np.full(t, -math.log(v))
    assert_close(kata.perplexity(lp), v, rtol=1e-12, atol=0, name="perplexity of a uniform model",
                 call=describe_call("perplexity", lp))


@given(seed=seeds(), t=st.integers(2, 8))
def test_mask_all_true_equals_no_mask_and_masked_tokens_do_not_count(kata, seed, t):
    rng = np.random.default_rng(seed)
    lp = -rng.exponential(2.0, size=t)
    call = describe_call("perplexity", lp, mask="all True")
    assert_close(kata.perplexity(lp, mask=np.ones(t, bool)), kata.perplexity(lp), rtol=1e-12, atol=0,
                 name="perplexity", call=call)
    mask = np.zeros(t, bool)
    mask[0] = True
    lp2 = lp.copy()
    lp2[1:] = -50.0          # wildly different values under the mask must not matter
    assert_close(kata.perplexity(lp2, mask=mask), math.exp(-lp[0]), rtol=1e-12, atol=0, name="perplexity",
                 call=describe_call("perplexity", lp2, mask=mask))


def test_perplexity_rejects_no_tokens(kata):
    with pytest.raises(ValueError):
        kata.perplexity(np.zeros(0))
        pytest.fail("perplexity of an empty array returned instead of raising ValueError")
    with pytest.raises(ValueError):
        kata.perplexity(np.array([-1.0, -2.0]), mask=np.array([False, False]))
        pytest.fail("perplexity with every token masked returned instead of raising ValueError")


@st.composite
def segmented_text(draw: st.DrawFn) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """A text, its characters with model log-probs, and a random grouping of the characters into words."""
    chars = draw(st.lists(st.sampled_from(CHARS), min_size=1, max_size=12))
    seed = draw(seeds())
    rng = np.random.default_rng(seed)
    char_lp = -rng.exponential(1.5, size=len(chars))
    cuts = sorted(set(draw(st.lists(st.integers(1, len(chars)), max_size=4))) | {len(chars)})
    words, lps, start = [], [], 0
    for end in cuts:
        words.append("".join(chars[start:end]))
        lps.append(char_lp[start:end].sum())    # P(word) = product of its characters' probabilities
        start = end
    return chars, words, np.array(lps), char_lp


@given(text=segmented_text())
@example(text=(["a"], ["a"], np.array([-math.log(256)]), np.array([-math.log(256)])))   # uniform over bytes: 8 bits
@example(text=(["日", "本"], ["日本"], np.array([-2.0]), np.array([-1.5, -0.5])))       # 6 bytes, not 2 characters
def test_bits_per_byte_is_tokenization_invariant(kata, text):
    chars, words, word_lp, char_lp = text
    n_bytes = len("".join(chars).encode("utf-8"))
    want = -char_lp.sum() / math.log(2) / n_bytes
    for tokens, lp in [(chars, char_lp), (words, word_lp)]:
        call = describe_call("bits_per_byte", lp, tokens)
        got = call_unmodified(kata.bits_per_byte, lp, tokens)
        assert_close(got, want, rtol=1e-12, atol=1e-15, name="bits per byte", call=call)
    # perplexity is not invariant: it is 2 ** (bits per byte * bytes per token)
    call = describe_call("perplexity", word_lp)
    assert_close(kata.perplexity(word_lp), 2 ** (want * n_bytes / len(words)), rtol=1e-9, atol=0,
                 name="perplexity per word", call=call)


@given(seed=seeds(), text=st.lists(st.sampled_from(CHARS + ["ab", "日本語", ""]), min_size=2, max_size=8))
@example(seed=0, text=["", "é", "a"])
def test_bits_per_byte_with_mask(kata, seed, text):
    rng = np.random.default_rng(seed)
    lp = -rng.exponential(1.0, size=len(text))
    mask = rng.random(len(text)) < 0.5
    mask[[i for i, tok in enumerate(text) if tok][:1]] = True     # at least one token with bytes
    call = describe_call("bits_per_byte", lp, text, mask=mask)
    got = call_unmodified(kata.bits_per_byte, lp, text, mask=mask)
    n_bytes = sum(len(tok.encode("utf-8")) for tok, m in zip(text, mask, strict=True) if m)
    assert_close(got, -lp[mask].sum() / math.log(2) / n_bytes, rtol=1e-12, atol=1e-15, name="bits per byte", call=call)


def test_token_logprobs_rejects_bad_inputs(kata):
    logits = np.zeros((3, 4))
    for targets, why in [(np.array([0, 1, 4]), "a target equal to V"), (np.array([0, -1, 2]), "a negative target"),
                         (np.array([0, 1]), "2 targets for 3 rows"), (np.array([2]), "1 target for 3 rows"),
                         (np.array([[0], [1], [2]]), "targets of shape (3, 1)")]:
        with pytest.raises(ValueError):
            kata.token_logprobs(logits, targets)
            pytest.fail(f"token_logprobs with {why} returned instead of raising ValueError")


def test_bits_per_byte_rejects_bad_inputs(kata):
    with pytest.raises(ValueError):
        kata.bits_per_byte(np.array([-1.0, -2.0]), ["a"])
        pytest.fail("bits_per_byte with 2 log-probs for 1 token returned instead of raising ValueError")
    with pytest.raises(ValueError):
        kata.bits_per_byte(np.array([-1.0]), [""])
        pytest.fail("bits_per_byte of tokens with no bytes returned instead of raising ValueError")
    with pytest.raises(ValueError):
        kata.bits_per_byte(np.array([-1.0, -2.0]), ["a", "b"], mask=np.array([False, False]))
        pytest.fail("bits_per_byte with every token masked returned instead of raising ValueError")
