"""Tests for nlp-26-2, self-evaluation scores for thought branches (Tree of Thoughts' value and vote prompts).

References: label parsing on generated evaluator outputs; the weighted sum of Yao et al. (sure 20,
likely 1, impossible 0.001); vote counting by brute force with its tie rule; sklearn.metrics.roc_auc_score
for the ranking quality of the values against exhaustive solvability; and the measured effect that
sampling the evaluator more often ranks states better.
"""
from collections import Counter

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from grader.strategies import seeds

LABELS = ["sure", "likely", "impossible"]
FILLER = st.text(alphabet="abc xyz,.0123", max_size=20)


@given(rationale=st.lists(FILLER, max_size=3), label=st.sampled_from(LABELS + [None]),
       case=st.sampled_from(["lower", "upper", "title"]), trailing=st.sampled_from(["", ".", "!"]))
@example(rationale=["is it sure? no"], label="impossible", case="lower", trailing="")
def test_parse_evaluation(kata, rationale, label, case, trailing):
    last = "" if label is None else getattr(label, case)() + trailing
    text = "\n".join(rationale + ([last] if last else []))
    got = kata.parse_evaluation(text)
    want = label
    if label is None:   # fall back to the rationale lines, read from the bottom
        want = None
        for line in reversed(text.strip().splitlines()):
            words = line.lower().replace(".", " ").replace(",", " ").split()
            hits = [w for w in ("impossible", "likely", "sure") if w in words]
            if hits:
                want = hits[0]
                break
    assert got == want, f"parse_evaluation({text!r}) = {got!r}, expected {want!r} (the label on the last line that has one)"


@given(labels=st.lists(st.sampled_from(LABELS + [None]), max_size=8))
def test_aggregate_value(kata, labels):
    w = {"sure": 20.0, "likely": 1.0, "impossible": 0.001}
    got = kata.aggregate_value(labels)
    want = sum(w[x] for x in labels if x is not None)
    assert abs(got - want) < 1e-9, f"aggregate_value({labels}) = {got}, expected {want} (sure 20, likely 1, impossible 0.001)"
    custom = {"sure": 1.0, "likely": 0.5, "impossible": 0.0}
    got = kata.aggregate_value(labels, custom)
    assert abs(got - sum(custom[x] for x in labels if x is not None)) < 1e-9, "aggregate_value ignores its weights"


@given(n=st.integers(1, 6), seed=seeds())
def test_value_state_samples_the_evaluator(kata, n, seed):
    calls = []

    def evaluate(rng):
        calls.append(1)
        return kata.scripted_evaluator((3, 4), 12, rng, accuracy=0.5)
    got = kata.value_state(evaluate, n, np.random.default_rng(seed))
    rng = np.random.default_rng(seed)
    want = kata.aggregate_value([kata.parse_evaluation(kata.scripted_evaluator((3, 4), 12, rng, 0.5)) for _ in range(n)])
    assert len(calls) == n and abs(got - want) < 1e-9, (
        f"value_state(n_samples={n}) called the evaluator {len(calls)} times and returned {got}; expected {want}")
    custom = {"sure": 3.0, "likely": 0.5, "impossible": -1.0}
    got = kata.value_state(evaluate, n, np.random.default_rng(seed), weights=custom)
    rng = np.random.default_rng(seed)
    want = kata.aggregate_value([kata.parse_evaluation(kata.scripted_evaluator((3, 4), 12, rng, 0.5)) for _ in range(n)],
                                custom)
    assert abs(got - want) < 1e-9, f"value_state(n_samples={n}, weights={custom}) returned {got}; expected {want}"


def test_value_state_rejects_no_samples(kata):
    with pytest.raises(ValueError):
        kata.value_state(lambda rng: "sure", 0, np.random.default_rng(0))


@given(votes=st.lists(st.integers(-1, 4), max_size=9), n=st.integers(1, 4))
@example(votes=[2, 1, 2, 1], n=3)     # tie: the lower index wins
def test_vote_best(kata, votes, n):
    valid = [v for v in votes if 0 <= v < n]
    if not valid:
        with pytest.raises(ValueError):
            kata.vote_best(votes, n)
        return
    counts = Counter(valid)
    want = min(c for c in counts if counts[c] == max(counts.values()))
    got = kata.vote_best(votes, n)
    assert got == want, f"vote_best({votes}, {n}) = {got}, expected {want} (most votes, ties to the lower index; out-of-range votes ignored)"


@given(values=st.lists(st.sampled_from([0.0, 1.0, 2.5, 20.0]), min_size=2, max_size=12), seed=seeds())
def test_ranking_auc_matches_sklearn(kata, values, seed):
    y = np.random.default_rng(seed).random(len(values)) < 0.5
    if y.all() or not y.any():
        with pytest.raises(ValueError):
            kata.ranking_auc(values, y)
        return
    got = kata.ranking_auc(values, y)
    assert abs(got - roc_auc_score(y, values)) < 1e-12, f"ranking_auc({values}, {y.tolist()}) = {got}, sklearn says {roc_auc_score(y, values)}"


@settings(max_examples=2)
@given(seed=seeds())
def test_more_samples_rank_better(kata, seed):
    rng = np.random.default_rng(seed)
    states = [(tuple(sorted(rng.integers(1, 8, 3))), int(rng.integers(1, 40))) for _ in range(60)]
    truth = [kata.solvable(n, t) for n, t in states]
    aucs = []
    for n_samples in (1, 7):
        vals = [kata.value_state(lambda r, n=n, t=t: kata.scripted_evaluator(n, t, r, 0.6), n_samples, rng)
                for n, t in states]
        aucs.append(kata.ranking_auc(vals, truth))
    assert aucs[1] > aucs[0], f"AUC of the values against true solvability: {aucs[0]:.3f} with 1 sample, {aucs[1]:.3f} with 7"
