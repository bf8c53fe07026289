"""Tests for nlp-44-1, text augmentation.

References: the seeded procedures the docstrings state, re-run here (exact outputs), and the
properties that make an augmentation usable: length kept, only eligible positions changed, exactly
round(rate * m) words replaced, the masking rate within its binomial bound on long inputs, unknown
words kept by the dictionary round trip, labels preserved, inputs untouched.
"""
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_equal, describe_call

SYN = {"good": ["fine", "great"], "film": ["movie"], "bad": ["poor", "awful", "lousy"], "very": ["really"]}
WORDS = st.sampled_from(["good", "film", "bad", "very", "the", "a", "plot", "was", "fine"])
RATES = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 1.0])


def ref_synonym(tokens, rate, seed):
    rng = np.random.default_rng(seed)
    eligible = [i for i, t in enumerate(tokens) if t in SYN]
    n = round(rate * len(eligible))
    out = list(tokens)
    if n:
        for i in rng.choice(eligible, n, replace=False):
            out[i] = SYN[tokens[i]][rng.integers(len(SYN[tokens[i]]))]
    return out, n


@given(tokens=st.lists(WORDS, max_size=12), rate=RATES, seed=seeds())
@example(tokens=["good", "film", "bad", "very"], rate=0.5, seed=0)
@example(tokens=["the", "plot"], rate=1.0, seed=0)       # nothing eligible
@example(tokens=[], rate=0.5, seed=0)
@settings(max_examples=40)
def test_synonym_replace(kata, tokens, rate, seed):
    before = list(tokens)
    call = describe_call("synonym_replace", tokens, "SYN", rate, seed)
    got = kata.synonym_replace(tokens, SYN, rate, seed)
    assert tokens == before, f"{call} modified its input list"
    want, n = ref_synonym(before, rate, seed)
    assert_equal(got, want, call=call, name="augmented tokens (the stated rng procedure)")
    changed = [i for i, (a, b) in enumerate(zip(before, got, strict=True)) if a != b]
    assert len(changed) == n and all(before[i] in SYN and got[i] in SYN[before[i]] for i in changed), (
        f"{call}: changed positions {changed}, expected exactly {n} replaceable words swapped for their synonyms")


@pytest.mark.parametrize("rate, syn", [(-0.1, SYN), (1.5, SYN), (0.5, {"good": []}), (0.5, {"good": ["good", "fine"]})])
def test_synonym_replace_rejects(kata, rate, syn):
    with pytest.raises(ValueError):
        kata.synonym_replace(["good"], syn, rate, 0)
        pytest.fail(f"synonym_replace(['good'], {syn}, {rate}, 0) returned instead of raising ValueError")


@given(tokens=st.lists(WORDS, max_size=15), rate=RATES, seed=seeds(), mask=st.sampled_from(["[MASK]", "<unk>"]))
@example(tokens=["a"] * 4, rate=1.0, seed=0, mask="<unk>")
@settings(max_examples=30)
def test_random_mask_follows_the_seeded_draws(kata, tokens, rate, seed, mask):
    before = list(tokens)
    call = describe_call("random_mask", tokens, rate, seed, mask_token=mask)
    got = kata.random_mask(tokens, rate, seed, mask_token=mask)
    assert tokens == before, f"{call} modified its input list"
    u = np.random.default_rng(seed).random(len(tokens))
    assert_equal(got, [mask if x < rate else t for t, x in zip(before, u, strict=True)], call=call,
                 name="masked tokens (position i masked when default_rng(seed).random(n)[i] < rate)")


def test_random_mask_default_token_and_rate(kata):
    n = 4000
    got = kata.random_mask(["w"] * n, 0.15, 7)
    k = got.count("[MASK]")
    assert set(got) <= {"w", "[MASK]"}, f"random_mask used tokens {set(got)}"
    bound = 5 * math.sqrt(n * 0.15 * 0.85)
    assert abs(k - 0.15 * n) <= bound, f"random_mask(4000 tokens, 0.15) masked {k}, expected 600 +- {bound:.0f}"


@pytest.mark.parametrize("rate", [-0.5, 1.01])
def test_random_mask_rejects_rates(kata, rate):
    with pytest.raises(ValueError):
        kata.random_mask(["a"], rate, 0)
        pytest.fail(f"random_mask(['a'], {rate}, 0) returned instead of raising ValueError")


FWD = {"good": "bon", "fine": "bon", "film": "film", "movie": "film", "bad": "mauvais", "plot": "intrigue"}
BWD = {"bon": "fine", "film": "movie", "mauvais": "bad"}   # no entry for "intrigue": kept as "plot"


@given(tokens=st.lists(WORDS, max_size=12))
@example(tokens=["the", "good", "film", "plot"])
def test_back_translate_round_trip(kata, tokens):
    call = describe_call("back_translate", tokens, "FWD", "BWD")
    got = kata.back_translate(tokens, FWD, BWD)
    want = [BWD[FWD[t]] if t in FWD and FWD[t] in BWD else t for t in tokens]
    assert_equal(got, want, call=call, name="round-trip tokens (unknown words kept)")


@given(n_ex=st.integers(0, 4), n_aug=st.integers(0, 3), rate=RATES, seed=seeds())
@example(n_ex=2, n_aug=3, rate=0.5, seed=0)
@settings(max_examples=20)
def test_augment_dataset_keeps_labels(kata, n_ex, n_aug, rate, seed):
    rng = np.random.default_rng(seed)
    words = ["good", "film", "bad", "very", "the", "plot"]
    examples = [([str(w) for w in rng.choice(words, 6)], int(rng.integers(2))) for _ in range(n_ex)]
    call = describe_call("augment_dataset", examples, n_aug, "SYN", rate, seed)
    got = kata.augment_dataset(examples, n_aug, SYN, rate, seed)
    want = []
    for i, (tokens, label) in enumerate(examples):
        want.append((tokens, label))
        want += [(ref_synonym(tokens, rate, seed + i * n_aug + j)[0], label) for j in range(n_aug)]
    assert_equal([lab for _, lab in got], [lab for _, lab in want], call=call, name="labels (preserved, in order)")
    assert_equal([" ".join(t) for t, _ in got], [" ".join(t) for t, _ in want], call=call,
                 name="examples, each followed by its copies (copy j of example i seeded seed + i*n_aug + j)")


def test_augment_dataset_rejects_negative_copies(kata):
    with pytest.raises(ValueError):
        kata.augment_dataset([(["good"], 1)], -1, SYN, 0.5, 0)
        pytest.fail("augment_dataset(..., n_aug=-1) returned instead of raising ValueError")


@given(seed=seeds())
@example(seed=0)
@settings(max_examples=5)
def test_random_mask_boundary_is_strict(kata, seed):
    """A draw exactly equal to the rate is not masked (u < rate, strictly)."""
    rate = float(np.random.default_rng(seed).random(1)[0])   # the first token's own draw
    got = kata.random_mask(["a", "b"], rate, seed)
    assert got[0] == "a", (f"random_mask(['a', 'b'], rate={rate!r}, seed={seed}) masked token 0, whose draw equals "
                           "the rate exactly: the rule is u < rate")
