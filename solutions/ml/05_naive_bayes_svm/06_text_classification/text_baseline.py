"""Reference solution for ml-05-6."""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sklearn.naive_bayes import MultinomialNB
from sklearn.svm import LinearSVC

TOKEN_PATTERN = re.compile(r"(?u)\b\w\w+\b")


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
    return TOKEN_PATTERN.findall(text.lower() if lowercase else text)


class BagOfWords:
    def __init__(self, lowercase: bool = True, min_df: int = 1, binary: bool = False) -> None:
        self.lowercase = lowercase
        self.min_df = min_df
        self.binary = binary

    def fit(self, texts: Iterable[str]) -> BagOfWords:
        df: dict[str, int] = {}
        for text in texts:
            for token in set(tokenize(text, self.lowercase)):
                df[token] = df.get(token, 0) + 1
        kept = sorted(t for t, count in df.items() if count >= self.min_df)
        if not kept:
            raise ValueError("empty vocabulary: no token occurs in at least min_df documents")
        self.vocabulary_ = {t: i for i, t in enumerate(kept)}
        return self

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        texts = list(texts)
        X = np.zeros((len(texts), len(self.vocabulary_)), dtype=np.int64)
        for row, text in enumerate(texts):
            for token in tokenize(text, self.lowercase):
                col = self.vocabulary_.get(token)
                if col is not None:
                    X[row, col] += 1
        return np.minimum(X, 1) if self.binary else X

    def fit_transform(self, texts: Iterable[str]) -> np.ndarray:
        texts = list(texts)
        return self.fit(texts).transform(texts)

    def get_feature_names_out(self) -> np.ndarray:
        return np.array(sorted(self.vocabulary_, key=self.vocabulary_.__getitem__), dtype=object)


def run_baselines(train_texts: list[str], train_labels: np.ndarray, test_texts: list[str],
                  test_labels: np.ndarray, alpha: float = 1.0, C: float = 1.0) -> BaselineReport:
    bow = BagOfWords().fit(train_texts)
    X_train, X_test = bow.transform(train_texts), bow.transform(test_texts)
    nb = MultinomialNB(alpha=alpha).fit(X_train, train_labels).predict(X_test)
    svm = LinearSVC(C=C, random_state=0).fit(X_train, train_labels).predict(X_test)
    test_labels = np.asarray(test_labels)
    return BaselineReport(float(np.mean(nb == test_labels)), float(np.mean(svm == test_labels)), nb, svm,
                          len(bow.vocabulary_))
