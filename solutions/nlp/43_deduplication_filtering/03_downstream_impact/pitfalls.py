"""Plausible wrong ways to find contamination and measure its effect that the tests must reject."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from decontamination import contamination_flags, decontaminate, ngram_set, subset_accuracy, words


@pitfall(replaces="ngram_set", why="splits on whitespace: case and punctuation hide a verbatim leak ('TO BE,' != 'to be')")
def whitespace_words(text: str, n: int) -> set[tuple[str, ...]]:
    if n < 1:
        raise ValueError("n must be >= 1")
    w = text.split()
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


@pitfall(replaces="ngram_set", why="range(len(w) - n) misses the last n-gram")
def misses_last_ngram(text: str, n: int) -> set[tuple[str, ...]]:
    if n < 1:
        raise ValueError("n must be >= 1")
    w = words(text)
    return {tuple(w[i:i + n]) for i in range(len(w) - n)}


@pitfall(replaces="contamination_flags", why="exact-match decontamination: only verbatim copies of a whole test text count")
def exact_match_only(train_texts: Sequence[str], test_texts: Sequence[str], n: int) -> list[bool]:
    if n < 1:
        raise ValueError("n must be >= 1")
    seen = set(train_texts)
    return [text in seen for text in test_texts]


@pitfall(replaces="contamination_flags", why="flags a test text only if it shares an n-gram with the FIRST training text")
def first_train_text_only(train_texts: Sequence[str], test_texts: Sequence[str], n: int) -> list[bool]:
    if n < 1:
        raise ValueError("n must be >= 1")
    grams = ngram_set(train_texts[0], n) if train_texts else set()
    return [not ngram_set(text, n).isdisjoint(grams) for text in test_texts]


@pitfall(replaces="decontaminate", why="returns the indices of the removed texts instead of the kept ones")
def returns_removed(train_texts: Sequence[str], test_texts: Sequence[str], n: int) -> list[int]:
    if n < 1:
        raise ValueError("n must be >= 1")
    dirty = contamination_flags(test_texts, train_texts, n)
    return [i for i, d in enumerate(dirty) if d]


@pitfall(replaces="subset_accuracy", why="an empty subset scores 0.0 instead of nan: 'the model fails every dirty item'")
def empty_is_zero(predictions: Sequence[int], labels: Sequence[int], flags: Sequence[bool]) -> dict[str, float]:
    if not len(predictions) == len(labels) == len(flags) or len(labels) == 0:
        raise ValueError("bad lengths")
    correct = np.asarray(predictions) == np.asarray(labels)
    dirty = np.asarray(flags, dtype=bool)
    return {"all": float(correct.mean()),
            "clean": float(correct[~dirty].mean()) if (~dirty).any() else 0.0,
            "dirty": float(correct[dirty].mean()) if dirty.any() else 0.0}


@pitfall(replaces="subset_accuracy", why="'all' as the mean of the clean and dirty accuracies, not over all items")
def all_is_mean_of_subsets(predictions: Sequence[int], labels: Sequence[int], flags: Sequence[bool]) -> dict[str, float]:
    if not len(predictions) == len(labels) == len(flags) or len(labels) == 0:
        raise ValueError("bad lengths")
    correct = np.asarray(predictions) == np.asarray(labels)
    dirty = np.asarray(flags, dtype=bool)
    clean_acc = float(correct[~dirty].mean()) if (~dirty).any() else math.nan
    dirty_acc = float(correct[dirty].mean()) if dirty.any() else math.nan
    return {"all": float(np.nanmean([clean_acc, dirty_acc])), "clean": clean_acc, "dirty": dirty_acc}


@pitfall(replaces="contamination_study",
         why="judges the decontaminated model's dirty items against the decontaminated training set: nothing is dirty")
def flags_against_cleaned_set(train_texts: Sequence[str], train_labels: Sequence[int], test_texts: Sequence[str],
                              test_labels: Sequence[int], n: int, fit: Callable) -> dict:
    if len(train_texts) != len(train_labels) or len(test_texts) != len(test_labels):
        raise ValueError("bad lengths")
    flags = contamination_flags(train_texts, test_texts, n)
    keep = decontaminate(train_texts, test_texts, n)
    kept_texts = [train_texts[i] for i in keep]
    raw_model = fit(train_texts, train_labels)
    clean_model = fit(kept_texts, [train_labels[i] for i in keep])
    return {"raw": subset_accuracy(raw_model(test_texts), test_labels, flags),
            "decontaminated": subset_accuracy(clean_model(test_texts), test_labels,
                                              contamination_flags(kept_texts, test_texts, n)),
            "n_dirty": sum(flags), "n_removed": len(train_texts) - len(keep)}


@pitfall(replaces="contamination_study", why="keeps the labels of the first len(keep) training texts: labels no longer match")
def misaligned_labels(train_texts: Sequence[str], train_labels: Sequence[int], test_texts: Sequence[str],
                      test_labels: Sequence[int], n: int, fit: Callable) -> dict:
    if len(train_texts) != len(train_labels) or len(test_texts) != len(test_labels):
        raise ValueError("bad lengths")
    flags = contamination_flags(train_texts, test_texts, n)
    keep = decontaminate(train_texts, test_texts, n)
    raw_model = fit(train_texts, train_labels)
    clean_model = fit([train_texts[i] for i in keep], list(train_labels[:len(keep)]))
    return {"raw": subset_accuracy(raw_model(test_texts), test_labels, flags),
            "decontaminated": subset_accuracy(clean_model(test_texts), test_labels, flags),
            "n_dirty": sum(flags), "n_removed": len(train_texts) - len(keep)}
