"""nlp-43-3: measure the impact of decontamination on downstream accuracy. Edit this file; `grader check nlp-43-3` tests it."""
from __future__ import annotations

import math  # noqa: F401  (math.nan, for subset_accuracy)
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

# ----------------------------------------------------------------------------- given: tokenizer, task, classifier


def words(text: str) -> list[str]:
    """Given: lowercase words (runs of letters and apostrophes); the unit of every n-gram in this kata."""
    return re.findall(r"[a-z']+", text.lower())


@lru_cache(maxsize=1)
def speeches(n_speakers: int = 8, min_words: int = 25) -> tuple[tuple[str, int], ...]:
    """Given: (speech, speaker id) for the speeches of the `n_speakers` most frequent speakers of tiny
    Shakespeare with at least `min_words` words (482 speeches for the defaults)."""
    from grader import lm

    pairs = []
    for block in lm.corpus_text().split("\n\n"):
        head, _, body = block.partition("\n")
        if head.endswith(":") and len(body.split()) >= min_words:
            pairs.append((head[:-1], body.replace("\n", " ")))
    top = [name for name, _ in Counter(name for name, _ in pairs).most_common(n_speakers)]
    return tuple((body, top.index(name)) for name, body in pairs if name in top)


def contaminated_split(seed: int, leak_fraction: float = 0.5, drop_rate: float = 0.1,
                       test_fraction: float = 0.3) -> tuple[list[str], list[int], list[str], list[int]]:
    """Given: a speaker-attribution train/test split whose training set has leaked test speeches.

    The speeches are shuffled and split; then each test speech, with probability `leak_fraction`, is
    copied into the training set (with its label) after a scrape-like corruption: each word dropped
    with probability `drop_rate`, and one copy in three upper-cased. Returns
    (train_texts, train_labels, test_texts, test_labels).
    """
    rng = random.Random(seed)
    data = list(speeches())
    rng.shuffle(data)
    n_test = int(len(data) * test_fraction)
    test, train = data[:n_test], data[n_test:]
    for text, label in test:
        if rng.random() < leak_fraction:
            kept = " ".join(w for w in text.split() if rng.random() >= drop_rate)
            train.append((kept.upper() if rng.random() < 1 / 3 else kept, label))
    rng.shuffle(train)
    return [t for t, _ in train], [y for _, y in train], [t for t, _ in test], [y for _, y in test]


def fit_classifier(texts: Sequence[str], labels: Sequence[int]) -> Callable[[Sequence[str]], np.ndarray]:
    """Given: fit TF-IDF (word 1- and 2-grams) + logistic regression; returns predict(texts) -> labels."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    clf = LogisticRegression(C=20.0, max_iter=300).fit(vectorizer.fit_transform(list(texts)), list(labels))
    return lambda new: clf.predict(vectorizer.transform(list(new)))


# ----------------------------------------------------------------------------- to implement


def ngram_set(text: str, n: int) -> set[tuple[str, ...]]:
    """The set of word n-grams of `text` (tuples of n consecutive entries of `words(text)`).

    A text with fewer than n words has none.

    Raises:
        ValueError: if n < 1.
    """
    raise NotImplementedError("ngram_set: tuples of n consecutive words(text)")


def contamination_flags(train_texts: Sequence[str], test_texts: Sequence[str], n: int) -> list[bool]:
    """For each test text: True ("dirty") if it shares at least one word n-gram with any training text.

    This is the n-gram overlap test of GPT-3's contamination analysis (Brown et al. 2020, appendix C,
    with n = 13 there). Words are `words(text)`; a test text with fewer than n words is clean.

    Shapes:
        returns: a list of len(test_texts) bools, in the order of test_texts

    Raises:
        ValueError: if n < 1.
    """
    raise NotImplementedError("contamination_flags: does each test text share a word n-gram with the training texts?")


def decontaminate(train_texts: Sequence[str], test_texts: Sequence[str], n: int) -> list[int]:
    """Indices (ascending) of the training texts that share no word n-gram with any test text.

    Removing the other training texts is what makes the test set clean: after it, contamination_flags
    against the kept texts is False for every test text.

    Raises:
        ValueError: if n < 1.
    """
    raise NotImplementedError("decontaminate: indices of training texts sharing no n-gram with the test texts")


def subset_accuracy(predictions: Sequence[int], labels: Sequence[int], flags: Sequence[bool]) -> dict[str, float]:
    """Accuracy on all test items, on the clean ones (flag False) and on the dirty ones (flag True).

    Returns {"all": ..., "clean": ..., "dirty": ...} as Python floats; a subset with no items has
    accuracy nan (there is nothing to measure), never 0.

    Raises:
        ValueError: if the three sequences differ in length, or are empty.
    """
    raise NotImplementedError("subset_accuracy: accuracy on all, clean and dirty items (nan when empty)")


def contamination_study(train_texts: Sequence[str], train_labels: Sequence[int], test_texts: Sequence[str],
                        test_labels: Sequence[int], n: int,
                        fit: Callable[[Sequence[str], Sequence[int]], Callable[[Sequence[str]], np.ndarray]],
                        ) -> dict:
    """Train on the raw and on the decontaminated training set; score both on the same test split.

    `fit(texts, labels)` trains a classifier and returns `predict(texts) -> labels`. Call it twice: on
    the raw training set, then on the training texts `decontaminate` keeps (in their order, with their
    labels). The dirty/clean split of the test set is the one `contamination_flags` finds against the
    RAW training set, for both models, so the two rows compare the same test items.

    Returns:
        {"raw": subset_accuracy of the raw model, "decontaminated": subset_accuracy of the other,
         "n_dirty": number of dirty test items, "n_removed": number of training texts removed}

    Raises:
        ValueError: if n < 1, or train_texts / train_labels (or test_texts / test_labels) differ in length.
    """
    raise NotImplementedError("contamination_study: fit raw, fit decontaminated, score both on the same split")
