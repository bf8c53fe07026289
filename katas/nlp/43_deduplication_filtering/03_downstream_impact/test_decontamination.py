"""Tests for nlp-43-3, the impact of test-set contamination and decontamination on downstream accuracy.

References: n-gram overlap checked a second way (`difflib.SequenceMatcher`'s longest common run of
words between two texts is at least n exactly when they share a word n-gram); accuracies with numpy
boolean masks; a recording `fit` that shows what the study trains on. The trained test runs the whole
study on a real task (speaker attribution on tiny Shakespeare, TF-IDF + scikit-learn logistic
regression) with leaked test speeches, and checks the contamination effect that training produces.
"""
import difflib
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.testing import call_unmodified, describe_call

pytestmark = pytest.mark.slow

WORDS = st.lists(st.sampled_from(["a", "b", "c", "d", "to", "be"]), max_size=7)
SEPARATORS = st.sampled_from([" ", ", ", "\n", " -- ", "! "])


@st.composite
def texts(draw):
    """A text whose words() are a drawn word list, written with varied separators and letter case."""
    ws = draw(WORDS)
    out = ""
    for i, w in enumerate(ws):
        if i:
            out += draw(SEPARATORS)
        out += w.upper() if draw(st.booleans()) else w
    return out


def word_list(text: str) -> list[str]:
    return [w.lower() for w in "".join(ch if ch.isalpha() or ch == "'" else " " for ch in text).split()]


def shares_ngram(a: str, b: str, n: int) -> bool:
    """Reference: the longest common contiguous run of words of a and b has length >= n."""
    wa, wb = word_list(a), word_list(b)
    match = difflib.SequenceMatcher(None, wa, wb, autojunk=False).find_longest_match(0, len(wa), 0, len(wb))
    return match.size >= n


CORPUS = st.lists(texts(), max_size=5)
N = st.integers(1, 4)


@given(train=CORPUS, test=CORPUS, n=N)
@example(train=["to be or"], test=["TO BE, or not"], n=3)          # case and punctuation differ: still dirty
@example(train=["a b c d"], test=["b c d"], n=3)                     # the shared n-gram is the train text's last
@example(train=["a b"], test=["a b"], n=3)                           # fewer than n words: never dirty
@example(train=[], test=["a"], n=1)
@settings(max_examples=60)
def test_contamination_flags_match_longest_common_run(kata, train, test, n):
    call = describe_call("contamination_flags", train, test, n)
    got = call_unmodified(kata.contamination_flags, train, test, n)
    want = [any(shares_ngram(t, s, n) for s in train) for t in test]
    assert [bool(g) for g in got] == want, (
        f"{call} returned {list(got)}\n  expected {want} (dirty = shares at least one word {n}-gram with a training "
        "text; words are lowercase runs of letters and apostrophes)")


@given(train=CORPUS, test=CORPUS, n=N)
@example(train=["a b c", "d to be", "A, B!"], test=["x a b"], n=2)
@example(train=["a b c d"], test=["d"], n=1)
@settings(max_examples=60)
def test_decontaminate_keeps_exactly_the_texts_without_shared_ngrams(kata, train, test, n):
    call = describe_call("decontaminate", train, test, n)
    got = call_unmodified(kata.decontaminate, train, test, n)
    want = [i for i, s in enumerate(train) if not any(shares_ngram(s, t, n) for t in test)]
    assert [int(i) for i in got] == want, (
        f"{call} returned {list(got)}\n  expected the ascending indices {want} of the training texts that share "
        f"no word {n}-gram with any test text")


@given(text=texts(), n=N)
@example(text="To be, or NOT to be", n=2)
@example(text="a b", n=3)
def test_ngram_set_is_the_word_ngrams(kata, text, n):
    ws = word_list(text)
    want = {tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)}
    got = kata.ngram_set(text, n)
    assert got == want, f"ngram_set({text!r}, {n}) returned {got}, expected {want}"


@st.composite
def scored(draw):
    size = draw(st.integers(1, 8))
    labels = draw(st.lists(st.integers(0, 2), min_size=size, max_size=size))
    preds = draw(st.lists(st.integers(0, 2), min_size=size, max_size=size))
    flags = draw(st.lists(st.booleans(), min_size=size, max_size=size))
    return preds, labels, flags


def reference_accuracy(preds, labels, flags) -> dict:
    correct, dirty = np.asarray(preds) == np.asarray(labels), np.asarray(flags, dtype=bool)
    return {"all": correct.mean(),
            "clean": correct[~dirty].mean() if (~dirty).any() else math.nan,
            "dirty": correct[dirty].mean() if dirty.any() else math.nan}


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-12


@given(case=scored())
@example(case=([1, 0, 0], [1, 1, 1], [True, False, False]))
@example(case=([0, 1], [0, 1], [False, False]))       # no dirty item: nan, not 0
@example(case=([0, 1], [0, 0], [True, True]))         # no clean item
@example(case=([0, 0, 0, 1], [0, 0, 0, 0], [True, False, False, False]))   # "all" is not the mean of the two
def test_subset_accuracy_matches_boolean_masks(kata, case):
    preds, labels, flags = case
    call = describe_call("subset_accuracy", preds, labels, flags)
    got = call_unmodified(kata.subset_accuracy, preds, labels, flags)
    want = reference_accuracy(preds, labels, flags)
    assert isinstance(got, dict) and set(got) == set(want), f"{call} returned {got!r}, expected keys {sorted(want)}"
    for key in want:
        assert isinstance(got[key], float), f"{call}[{key!r}] is {type(got[key]).__name__}, expected a Python float"
        assert same(got[key], want[key]), (
            f"{call}[{key!r}] = {got[key]}, expected {want[key]} (nan when the subset is empty)")


@given(sizes=st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)))
@example(sizes=(0, 0, 0))
@example(sizes=(2, 1, 2))
@example(sizes=(2, 2, 1))
def test_subset_accuracy_rejects_mismatched_or_empty_inputs(kata, sizes):
    if sizes[0] == sizes[1] == sizes[2] and sizes[0] > 0:
        sizes = (sizes[0], sizes[1] + 1, sizes[2])
    with pytest.raises(ValueError):
        kata.subset_accuracy([0] * sizes[0], [0] * sizes[1], [False] * sizes[2])
        pytest.fail(f"subset_accuracy with lengths {sizes} returned instead of raising ValueError")


class RecordingFit:
    """A stand-in `fit`: records what it is trained on; predicts the label of an identical training
    text, else the most common training label (else 0)."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], list[int]]] = []

    def __call__(self, texts, labels):
        texts, labels = list(texts), list(labels)
        self.calls.append((texts, labels))
        table = dict(zip(texts, labels, strict=True))
        default = max(set(labels), key=labels.count) if labels else 0
        return lambda new: np.array([table.get(t, default) for t in new])


@st.composite
def labelled(draw, min_size=0):
    items = draw(st.lists(st.tuples(texts(), st.integers(0, 2)), min_size=min_size, max_size=5))
    return [t for t, _ in items], [y for _, y in items]


@given(train=labelled(), test=labelled(min_size=1), n=N)
@example(train=(["a b c", "d to be", "x"], [1, 2, 0]), test=(["a b c", "be d"], [1, 2]), n=2)
@example(train=(["to be a", "b c d", "c d a"], [0, 1, 2]), test=(["to be a"], [0]), n=3)
@settings(max_examples=40)
def test_contamination_study_trains_on_raw_then_decontaminated(kata, train, test, n):
    (train_texts, train_labels), (test_texts, test_labels) = train, test
    fit = RecordingFit()
    call = describe_call("contamination_study", train_texts, train_labels, test_texts, test_labels, n, "fit")
    got = call_unmodified(kata.contamination_study, train_texts, train_labels, test_texts, test_labels, n, fit)
    flags = [any(shares_ngram(t, s, n) for s in train_texts) for t in test_texts]
    keep = [i for i, s in enumerate(train_texts) if not any(shares_ngram(s, t, n) for t in test_texts)]
    assert len(fit.calls) == 2, f"{call} called fit {len(fit.calls)} times, expected 2 (raw, then decontaminated)"
    assert fit.calls[0] == (list(train_texts), list(train_labels)), (
        f"{call}: the first fit must see the raw training set, got {fit.calls[0]}")
    want_clean = ([train_texts[i] for i in keep], [train_labels[i] for i in keep])
    assert fit.calls[1] == want_clean, (
        f"{call}: the second fit must see the kept training texts with their own labels {want_clean}, got {fit.calls[1]}")
    assert set(got) == {"raw", "decontaminated", "n_dirty", "n_removed"}, f"{call} returned keys {sorted(got)}"
    assert got["n_dirty"] == sum(flags) and got["n_removed"] == len(train_texts) - len(keep), (
        f"{call}: n_dirty={got['n_dirty']}, n_removed={got['n_removed']}; expected {sum(flags)} and "
        f"{len(train_texts) - len(keep)} (dirty is judged against the RAW training set)")
    for row, model in (("raw", fit.calls[0]), ("decontaminated", fit.calls[1])):
        default = max(set(model[1]), key=model[1].count) if model[1] else 0
        table = dict(zip(*model, strict=True))
        preds = [table.get(t, default) for t in test_texts]
        want = reference_accuracy(preds, test_labels, flags)
        for key in want:
            assert same(got[row][key], want[key]), (
                f"{call}[{row!r}][{key!r}] = {got[row][key]}, expected {want[key]} (the {row} model's accuracy on the "
                "test items split by contamination against the raw training set)")


NOT_POSITIVE = st.integers(-3, 0)


def expect_value_error(run, call: str) -> None:
    with pytest.raises(ValueError):
        run()
        pytest.fail(f"{call} returned instead of raising ValueError")


@given(n=NOT_POSITIVE)
@example(n=0)
def test_ngram_set_rejects_n_below_one(kata, n):
    expect_value_error(lambda: kata.ngram_set("a b", n), f"ngram_set('a b', {n})")


@given(n=NOT_POSITIVE)
@example(n=0)
def test_contamination_flags_rejects_n_below_one(kata, n):
    # empty lists too: the promise holds even when there is no text to take n-grams of
    expect_value_error(lambda: kata.contamination_flags(["a b"], ["a b"], n), f"contamination_flags(['a b'], ['a b'], {n})")
    expect_value_error(lambda: kata.contamination_flags([], [], n), f"contamination_flags([], [], {n})")


@given(n=NOT_POSITIVE)
@example(n=0)
def test_decontaminate_rejects_n_below_one(kata, n):
    expect_value_error(lambda: kata.decontaminate(["a b"], ["a b"], n), f"decontaminate(['a b'], ['a b'], {n})")
    expect_value_error(lambda: kata.decontaminate([], [], n), f"decontaminate([], [], {n})")


@given(n=NOT_POSITIVE)
@example(n=0)
def test_contamination_study_rejects_n_below_one(kata, n):
    expect_value_error(lambda: kata.contamination_study(["a b"], [0], ["a b"], [0], n, RecordingFit()),
                       f"contamination_study(..., n={n})")


@given(extra=st.sampled_from(["train", "test"]))
def test_contamination_study_rejects_mismatched_labels(kata, extra):
    train, labels, test, test_labels = ["a b"], [0], ["a b"], [0]
    if extra == "train":
        labels = [0, 1]
    else:
        test_labels = [0, 1]
    def lenient_fit(texts, labels):   # a fit that does not check lengths itself
        return lambda new: np.zeros(len(list(new)), dtype=int)

    with pytest.raises(ValueError):
        kata.contamination_study(train, labels, test, test_labels, 2, lenient_fit)
        pytest.fail(f"contamination_study with {extra} texts and labels of different lengths returned")


@given(seed=st.sampled_from([0, 1, 2, 3, 4, 5]))
@settings(max_examples=1)
def test_contamination_inflates_the_trained_models_score(kata, seed):
    """Measured on seeds 0-7: raw model dirty 1.00 vs clean 0.54-0.67; overall accuracy 0.77-0.84 raw,
    0.51-0.65 decontaminated; the decontaminated model's dirty accuracy 0.47-0.69."""
    train_texts, train_labels, test_texts, test_labels = kata.contaminated_split(seed)
    got = kata.contamination_study(train_texts, train_labels, test_texts, test_labels, 8, kata.fit_classifier)
    raw, dec = got["raw"], got["decontaminated"]
    report = (f"contamination_study on the leaked speaker split (seed {seed}, n=8): {got['n_dirty']} dirty test "
              f"items, {got['n_removed']} training texts removed; raw model all/clean/dirty "
              f"{raw['all']:.2f}/{raw['clean']:.2f}/{raw['dirty']:.2f}, decontaminated "
              f"{dec['all']:.2f}/{dec['clean']:.2f}/{dec['dirty']:.2f}")
    assert got["n_dirty"] >= 40, report + "\n  expected about half of the 144 test speeches to be found dirty"
    assert raw["dirty"] - raw["clean"] >= 0.2, report + "\n  expected the raw model to do far better on leaked items"
    assert raw["all"] - dec["all"] >= 0.1, report + "\n  expected the leak to inflate the overall score by >= 0.1"
    assert raw["dirty"] - dec["dirty"] >= 0.2, report + "\n  expected decontamination to remove the dirty items' advantage"
