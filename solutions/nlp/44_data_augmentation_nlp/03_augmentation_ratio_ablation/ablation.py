"""nlp-44-3: ablate the augmentation ratio and plot the generalization gain. Edit this file; `grader check nlp-44-3` tests it."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

Example = tuple[list[str], int]

# ----------------------------------------------------------------------------- given: task, augmenter, classifier

POSITIVE = {"good": ["fine", "great", "nice"], "happy": ["glad", "merry", "cheerful"],
            "kind": ["gentle", "gracious", "tender"], "brave": ["bold", "valiant", "fearless"]}
NEGATIVE = {"bad": ["poor", "awful", "vile"], "sad": ["sorry", "gloomy", "woeful"],
            "cruel": ["harsh", "brutal", "savage"], "weak": ["feeble", "frail", "faint"]}
NOUNS = {"king": ["monarch", "sovereign"], "lady": ["woman", "dame"], "friend": ["ally", "companion"],
         "lord": ["noble", "peer"]}
FILLER = ["the", "was", "is", "very", "truly", "indeed", "today", "so", "my"]
SYNONYMS: dict[str, list[str]] = {**POSITIVE, **NEGATIVE, **NOUNS}


def sentiment_task(seed: int, n_train: int = 24, n_test: int = 200) -> tuple[list[Example], list[Example]]:
    """Given: a sentiment task whose test set speaks in words the training set never uses.

    Each example is "<filler> <noun> <filler> <adjective> <filler>" (a few filler words around), label 1
    for a positive adjective, 0 for a negative one. Training sentences use only the head words of
    SYNONYMS (good, bad, king, ...); test sentences use only their synonyms (great, awful, monarch,
    ...). A classifier learns the synonyms only from augmented copies.
    """
    rng = np.random.default_rng(seed)

    def sentence(use_synonyms: bool) -> Example:
        label = int(rng.integers(2))
        adjectives = POSITIVE if label else NEGATIVE
        head_adj = list(adjectives)[int(rng.integers(len(adjectives)))]
        head_noun = list(NOUNS)[int(rng.integers(len(NOUNS)))]
        adj = str(rng.choice(adjectives[head_adj])) if use_synonyms else head_adj
        noun = str(rng.choice(NOUNS[head_noun])) if use_synonyms else head_noun
        fill = [str(w) for w in rng.choice(FILLER, size=3)]
        return [fill[0], noun, fill[1], adj, fill[2]], label

    return [sentence(False) for _ in range(n_train)], [sentence(True) for _ in range(n_test)]


def synonym_replace(tokens: list[str], synonyms: dict[str, list[str]], rate: float, seed: int) -> list[str]:
    """Given (nlp-44-1): replace round(rate * m) of the m tokens that have synonyms by a random synonym."""
    rng = np.random.default_rng(seed)
    eligible = [i for i, t in enumerate(tokens) if t in synonyms]
    out = list(tokens)
    k = int(round(rate * len(eligible)))
    if k:
        for i in rng.choice(eligible, k, replace=False):
            out[i] = str(rng.choice(synonyms[tokens[i]]))
    return out


def fit_bow_classifier(examples: Sequence[Example]) -> Callable[[Sequence[list[str]]], np.ndarray]:
    """Given: a bag-of-words logistic regression (scikit-learn); returns predict(list of token lists) -> labels."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = CountVectorizer(analyzer=lambda tokens: tokens, binary=True)
    clf = LogisticRegression(C=10.0, max_iter=500).fit(vectorizer.fit_transform([t for t, _ in examples]),
                                                       [y for _, y in examples])
    return lambda token_lists: clf.predict(vectorizer.transform(list(token_lists)))


# ----------------------------------------------------------------------------- to implement


def augment_with_ratio(examples: Sequence[Example], ratio: float, synonyms: dict[str, list[str]], rate: float,
                       seed: int) -> list[Example]:
    """The training set at augmentation ratio `ratio`: the originals, then round(ratio * N) augmented copies.

    The number of copies is Python's round(ratio * N) (halves go to the even integer). Copy j
    (j = 0, 1, ...) is `synonym_replace(tokens_i, synonyms, rate, seed_j)` of original i = j mod N
    (cycling through the originals in order) with original i's label, where
    seed_j = int(rng.integers(2**31)) is drawn in order from rng = np.random.default_rng(seed): the
    same seed gives the same set. ratio 0 returns a copy of the originals. Every returned token list
    is a new list; `examples` is not modified.

    Shapes:
        returns: N + round(ratio * N) (tokens, label) pairs

    Raises:
        ValueError: if ratio < 0, or examples is empty.
    """
    if ratio < 0 or len(examples) == 0:
        raise ValueError("need ratio >= 0 and at least one example")
    rng = np.random.default_rng(seed)
    out = [(list(tokens), label) for tokens, label in examples]
    for j in range(int(round(ratio * len(examples)))):
        tokens, label = examples[j % len(examples)]
        out.append((synonym_replace(tokens, synonyms, rate, int(rng.integers(2**31))), label))
    return out


def accuracy(predict: Callable[[Sequence[list[str]]], np.ndarray], examples: Sequence[Example]) -> float:
    """Fraction of `examples` whose label `predict` gets right, as a Python float."""
    labels = np.array([y for _, y in examples])
    return float(np.mean(np.asarray(predict([t for t, _ in examples])) == labels))


def ratio_ablation(train: Sequence[Example], test: Sequence[Example], ratios: Sequence[float],
                   synonyms: dict[str, list[str]], rate: float, seeds: Sequence[int],
                   fit: Callable[[Sequence[Example]], Callable[[Sequence[list[str]]], np.ndarray]]) -> dict:
    """Train one classifier per (ratio, seed) on augment_with_ratio(train, ratio, synonyms, rate, seed); score on test.

    Returns a table:
        {"ratios": list of the ratios (in the given order),
         "accuracy": (len(ratios), len(seeds)) float64 array, test accuracy of each run,
         "mean": per-ratio mean over seeds, "std": per-ratio standard deviation over seeds (ddof=0),
         "gain": mean minus the mean at ratio 0 (the un-augmented baseline)}
    `ratios` must contain 0.

    Raises:
        ValueError: if 0 is not among the ratios, or seeds is empty.
    """
    if 0 not in list(ratios) or len(seeds) == 0:
        raise ValueError("ratios must include the baseline 0 and seeds must be non-empty")
    acc = np.array([[accuracy(fit(augment_with_ratio(train, r, synonyms, rate, s)), test) for s in seeds]
                    for r in ratios])
    mean = acc.mean(axis=1)
    return {"ratios": list(ratios), "accuracy": acc, "mean": mean, "std": acc.std(axis=1),
            "gain": mean - mean[list(ratios).index(0)]}


def plot_ablation(table: dict) -> Figure:
    """One axes: test accuracy (the table's mean) against the augmentation ratio, with the per-ratio std as
    error bars, points in increasing ratio order; x label containing "ratio", y label containing "accuracy",
    a title. Returns the Figure.
    """
    order = np.argsort(table["ratios"], kind="stable")
    fig, ax = plt.subplots()
    ax.errorbar(np.asarray(table["ratios"])[order], np.asarray(table["mean"])[order],
                yerr=np.asarray(table["std"])[order], marker="o")
    ax.set_xlabel("augmentation ratio (augmented copies per original)")
    ax.set_ylabel("test accuracy")
    ax.set_title("Synonym-replacement augmentation: generalization gain")
    return fig
