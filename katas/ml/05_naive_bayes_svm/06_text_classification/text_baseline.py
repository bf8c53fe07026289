"""ml-05-6: text-classification baseline, naive Bayes vs linear SVM on one corpus.
Edit this file; `grader check ml-05-6` tests it."""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sklearn.naive_bayes import MultinomialNB  # noqa: F401  (the naive Bayes baseline)
from sklearn.svm import LinearSVC  # noqa: F401  (the linear SVM baseline)

TOKEN_PATTERN = re.compile(r"(?u)\b\w\w+\b")  # CountVectorizer's default: runs of 2+ word characters


class BaselineReport(NamedTuple):
    """What `run_baselines` returns (given)."""

    nb_accuracy: float
    svm_accuracy: float
    nb_predictions: np.ndarray
    svm_predictions: np.ndarray
    vocabulary_size: int


def load_corpus(path: str | Path) -> tuple[list[str], np.ndarray]:
    """Texts and labels of a `label<TAB>text` file, one example per line (given)."""
    texts, labels = [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            label, text = line.split("\t", 1)
            labels.append(label)
            texts.append(text)
    return texts, np.array(labels)


def tokenize(text: str, lowercase: bool = True) -> list[str]:
    """The tokens of text, in order: lowercase it (if asked), then every match of TOKEN_PATTERN.

    "Don't panic, I'm 42!" -> ["don", "panic", "42"]   (one-character tokens are dropped)
    """
    raise NotImplementedError("tokenize: lowercase, then TOKEN_PATTERN.findall")


class BagOfWords:
    """Bag-of-words counts, a twin of sklearn's CountVectorizer(lowercase, min_df, binary).

    Hyperparameters (stored unchanged by __init__):
        lowercase: lowercase before tokenizing
        min_df:    keep a token only if it occurs in at least min_df documents (an int)
        binary:    1 for "token present" instead of its count
    Fitted attribute:
        vocabulary_: dict token -> column index; columns in alphabetical order of the tokens
    """

    def __init__(self, lowercase: bool = True, min_df: int = 1, binary: bool = False) -> None:
        self.lowercase = lowercase
        self.min_df = min_df
        self.binary = binary

    def fit(self, texts: Iterable[str]) -> BagOfWords:
        """Build vocabulary_ from the documents; returns self.

        Raises:
            ValueError: if no token survives (empty vocabulary), as CountVectorizer does.
        """
        raise NotImplementedError("fit: document frequencies, min_df filter, sorted vocabulary")

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        """Count matrix of the documents over vocabulary_; tokens not in it are ignored.

        Shapes:
            returns: (n_documents, len(vocabulary_)) int64
        """
        raise NotImplementedError("transform: count every known token of every document")

    def fit_transform(self, texts: Iterable[str]) -> np.ndarray:
        """fit(texts) then transform(texts)."""
        raise NotImplementedError("fit_transform: fit then transform")

    def get_feature_names_out(self) -> np.ndarray:
        """(V,) the tokens in column order."""
        raise NotImplementedError("get_feature_names_out: tokens sorted by column")


def run_baselines(train_texts: list[str], train_labels: np.ndarray, test_texts: list[str],
                  test_labels: np.ndarray, alpha: float = 1.0, C: float = 1.0) -> BaselineReport:
    """Fit both baselines on the training split and score them on the test split.

    Fit a BagOfWords() on the TRAINING texts only, transform both splits, then train
    sklearn's MultinomialNB(alpha=alpha) and LinearSVC(C=C, random_state=0) on the training counts
    (or your own estimators from ml-05-2 / ml-05-3) and predict the test split.

    Returns:
        BaselineReport(nb_accuracy, svm_accuracy, nb_predictions, svm_predictions, vocabulary_size)
        with accuracies as fractions of the test split and vocabulary_size = len(vocabulary_).
    """
    raise NotImplementedError("run_baselines: vectorize on train, fit NB and SVM, report test accuracies")
