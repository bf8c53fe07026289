"""Tests for nlp-25-1, zero-shot CoT, few-shot CoT and self-consistency.

References: the prompt formats written out; answer extraction on chains with several, negative or no
answers; majority voting with its tie rule (first to appear) checked by brute force; self-consistency
driven by a scripted noisy reasoner (the stand-in for a sampled LLM); the exact accuracy of majority
voting (multinomial enumeration, ties shared by symmetry) checked against 4000 seeded simulations within
five standard errors, and the gain of self-consistency over a single chain.
"""
import math
import re
from collections import Counter

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds

WORDS = st.text(alphabet="abc +*?=", min_size=1, max_size=15)


@given(question=WORDS)
def test_zero_shot_prompt(kata, question):
    got = kata.zero_shot_cot_prompt(question)
    want = f"Q: {question}\nA: Let's think step by step."
    assert got == want, f"zero_shot_cot_prompt({question!r}) = {got!r}, expected {want!r}"


@given(question=WORDS, exemplars=st.lists(st.tuples(WORDS, WORDS, st.integers(-50, 50)), max_size=3))
@example(question="2 + 3 * 4?", exemplars=[("1 + 1 * 1?", "1 * 1 = 1. 1 + 1 = 2.", 2)])
def test_few_shot_prompt(kata, question, exemplars):
    got = kata.few_shot_cot_prompt(question, exemplars)
    want = "\n\n".join([f"Q: {q}\nA: {c} The answer is {a}." for q, c, a in exemplars] + [f"Q: {question}\nA:"])
    assert got == want, f"few_shot_cot_prompt({question!r}, {exemplars}) = {got!r}, expected {want!r}"


@given(pieces=st.lists(st.one_of(st.integers(-999, 999).map(lambda n: f"The answer is {n}."), WORDS), max_size=5))
@example(pieces=["x = 3. The answer is 4.", "so The answer is -12."])   # the last one counts
@example(pieces=["The answer is unknown."])
def test_extract_answer(kata, pieces):
    text = " ".join(pieces)
    found = [int(x) for x in re.findall(r"The answer is (-?\d+)", text)]
    want = found[-1] if found else None
    got = kata.extract_answer(text)
    assert got == want, f"extract_answer({text!r}) = {got!r}, expected {want!r} (the last 'The answer is N')"


@given(answers=st.lists(st.one_of(st.none(), st.integers(0, 3)), max_size=9))
@example(answers=[2, 1, 1, 2])       # tie: 2 appeared first
@example(answers=[None, None])
def test_majority_vote(kata, answers):
    votes = Counter(a for a in answers if a is not None)
    want = None
    if votes:
        best = max(votes.values())
        want = next(a for a in answers if a is not None and votes[a] == best)
    got = kata.majority_vote(answers)
    assert got == want, f"majority_vote({answers}) = {got!r}, expected {want!r} (most votes; ties: first to appear; None ignored)"


@given(n=st.integers(1, 9), seed=seeds())
def test_self_consistency_samples_n_chains(kata, n, seed):
    calls = []

    def sample(rng):
        calls.append(1)
        return kata.noisy_reasoner("3 + 4 * 5", rng, p_slip=0.5)
    answer, answers = kata.self_consistency(sample, n, np.random.default_rng(seed))
    assert len(calls) == n and len(answers) == n, f"self_consistency(n={n}) sampled {len(calls)} chains"
    rng = np.random.default_rng(seed)
    want = [int(kata.noisy_reasoner("3 + 4 * 5", rng, p_slip=0.5).split("The answer is ")[-1].rstrip(".")) for _ in range(n)]
    assert list(answers) == want, f"self_consistency: answers {answers}, expected those of the chains drawn in order {want}"
    assert answer == kata.majority_vote(want)


def test_self_consistency_rejects_n_below_one(kata):
    with pytest.raises(ValueError):
        kata.self_consistency(lambda rng: "The answer is 1.", 0, np.random.default_rng(0))


@settings(max_examples=4)
@given(p=st.sampled_from([0.2, 0.4, 0.6]), n_wrong=st.integers(1, 3), n=st.integers(1, 7), seed=seeds())
@example(p=0.4, n_wrong=2, n=2, seed=0)     # ties decide half the time
def test_majority_accuracy_matches_simulation(kata, p, n_wrong, n, seed):
    exact = kata.majority_accuracy(p, n_wrong, n)
    rng = np.random.default_rng(seed)
    trials = 4000
    draws = np.where(rng.random((trials, n)) < p, 0, 1 + rng.integers(0, n_wrong, (trials, n)))
    wins = sum(kata.majority_vote(list(row)) == 0 for row in draws)
    se = math.sqrt(max(exact * (1 - exact), 1e-4) / trials)
    assert abs(wins / trials - exact) <= 5 * se, (
        f"majority_accuracy({p}, {n_wrong}, {n}) = {exact:.4f}, but {trials} simulated votes were right "
        f"{wins / trials:.4f} of the time (5 standard errors = {5 * se:.4f})")
    if n == 1:
        assert abs(exact - p) < 1e-12, "with one chain, majority voting is right exactly with probability p"


def test_majority_accuracy_rejects_bad_arguments(kata):
    for args in ((0.5, 0, 3), (0.5, 2, 0), (1.5, 2, 3)):
        with pytest.raises(ValueError):
            kata.majority_accuracy(*args)


def test_self_consistency_beats_one_chain(kata):
    rng = np.random.default_rng(0)
    qs = [(int(a), int(b), int(c)) for a, b, c in rng.integers(1, 20, (150, 3))]
    single = voted = 0
    for a, b, c in qs:
        q = f"{a} + {b} * {c}"
        truth = a + b * c
        single += kata.extract_answer(kata.noisy_reasoner(q, rng)) == truth
        answer, _ = kata.self_consistency(lambda r, q=q: kata.noisy_reasoner(q, r), 9, rng)
        voted += answer == truth
    assert voted > single + 0.15 * len(qs), (
        f"on {len(qs)} questions: one chain right {single} times, majority of 9 chains {voted}: self-consistency "
        f"should help a lot when slips scatter the wrong answers")
