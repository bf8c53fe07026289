"""Plausible wrong text-baseline implementations that the tests must reject."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from text_baseline import TOKEN_PATTERN, BagOfWords, BaselineReport, LinearSVC, MultinomialNB, tokenize


@pitfall(replaces="tokenize", why="str.split(): keeps punctuation ('cat!') and one-letter words")
def whitespace_split(text: str, lowercase: bool = True) -> list[str]:
    return (text.lower() if lowercase else text).split()


@pitfall(replaces="tokenize", why="never lowercases")
def no_lowercase(text: str, lowercase: bool = True) -> list[str]:
    return TOKEN_PATTERN.findall(text)


@pitfall(replaces="BagOfWords.fit", why="columns in order of first appearance instead of alphabetical")
def first_seen_order(self: BagOfWords, texts: Iterable[str]) -> BagOfWords:
    df: dict[str, int] = {}
    for text in texts:
        for token in dict.fromkeys(tokenize(text, self.lowercase)):
            df[token] = df.get(token, 0) + 1
    kept = [t for t, count in df.items() if count >= self.min_df]
    if not kept:
        raise ValueError("empty vocabulary")
    self.vocabulary_ = {t: i for i, t in enumerate(kept)}
    return self


@pitfall(replaces="BagOfWords.fit", why="min_df compared with the total count instead of the number of documents")
def min_df_on_total_count(self: BagOfWords, texts: Iterable[str]) -> BagOfWords:
    total: dict[str, int] = {}
    for text in texts:
        for token in tokenize(text, self.lowercase):
            total[token] = total.get(token, 0) + 1
    kept = sorted(t for t, count in total.items() if count >= self.min_df)
    if not kept:
        raise ValueError("empty vocabulary")
    self.vocabulary_ = {t: i for i, t in enumerate(kept)}
    return self


@pitfall(replaces="BagOfWords.transform", why="binary=True ignored: always counts")
def ignores_binary(self: BagOfWords, texts: Iterable[str]) -> np.ndarray:
    texts = list(texts)
    X = np.zeros((len(texts), len(self.vocabulary_)), dtype=np.int64)
    for row, text in enumerate(texts):
        for token in tokenize(text, self.lowercase):
            if token in self.vocabulary_:
                X[row, self.vocabulary_[token]] += 1
    return X


@pitfall(replaces="run_baselines", why="fits the vocabulary on train + test texts (test words leak into the features)")
def vocabulary_leak(train_texts: list[str], train_labels: np.ndarray, test_texts: list[str],
                    test_labels: np.ndarray, alpha: float = 1.0, C: float = 1.0) -> BaselineReport:
    bow = BagOfWords().fit(list(train_texts) + list(test_texts))
    X_train, X_test = bow.transform(train_texts), bow.transform(test_texts)
    nb = MultinomialNB(alpha=alpha).fit(X_train, train_labels).predict(X_test)
    svm = LinearSVC(C=C, random_state=0).fit(X_train, train_labels).predict(X_test)
    test_labels = np.asarray(test_labels)
    return BaselineReport(float(np.mean(nb == test_labels)), float(np.mean(svm == test_labels)), nb, svm,
                          len(bow.vocabulary_))


@pitfall(replaces="run_baselines", why="reports training accuracy instead of test accuracy")
def training_accuracy(train_texts: list[str], train_labels: np.ndarray, test_texts: list[str],
                      test_labels: np.ndarray, alpha: float = 1.0, C: float = 1.0) -> BaselineReport:
    bow = BagOfWords().fit(train_texts)
    X_train, X_test = bow.transform(train_texts), bow.transform(test_texts)
    nb_model = MultinomialNB(alpha=alpha).fit(X_train, train_labels)
    svm_model = LinearSVC(C=C, random_state=0).fit(X_train, train_labels)
    return BaselineReport(float(nb_model.score(X_train, train_labels)), float(svm_model.score(X_train, train_labels)),
                          nb_model.predict(X_test), svm_model.predict(X_test), len(bow.vocabulary_))
