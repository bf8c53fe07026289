"""ret-01-1: a TF-IDF vectorizer. Edit this file; `grader check ret-01-1` tests it."""
from __future__ import annotations

import numpy as np


def build_vocabulary(docs: list[list[str]]) -> dict[str, int]:
    """Every distinct token of the tokenized documents, mapped to its column index.

    Columns follow the sorted order of the tokens (Python string order), as scikit-learn's
    vectorizers do: the alphabetically first token gets column 0.

    Shapes:
        docs: n_docs lists of tokens; returns: a dict of V tokens -> 0..V-1

    Raises:
        ValueError: if the documents contain no token at all (an empty vocabulary).
    """
    raise NotImplementedError("build_vocabulary: collect, sort and number the distinct tokens")


def count_matrix(docs: list[list[str]], vocab: dict[str, int]) -> np.ndarray:
    """Raw term counts: counts[i, vocab[t]] = how many times token t occurs in docs[i].

    Tokens that are not in vocab are ignored (a query word the corpus never saw).

    Shapes:
        docs: n lists of tokens; returns: (n, len(vocab)), float64
    """
    raise NotImplementedError("count_matrix: count every in-vocabulary token of each document")


def inverse_document_frequency(counts: np.ndarray, smooth_idf: bool = True) -> np.ndarray:
    """idf of every column of a count matrix, natural log, scikit-learn's formulas:

        smooth_idf=True:   idf(t) = ln((1 + n) / (1 + df(t))) + 1
        smooth_idf=False:  idf(t) = ln(n / df(t)) + 1

    n = number of rows (documents), df(t) = number of rows where column t is non-zero.
    counts is left unchanged.

    Shapes:
        counts: (n, V); returns: (V,), float64

    Raises:
        ValueError: if smooth_idf is False and some column is zero in every row (infinite idf).
    """
    raise NotImplementedError("inverse_document_frequency: document frequencies, then the log ratio")


def tfidf_transform(counts: np.ndarray, idf: np.ndarray, sublinear_tf: bool = False,
                    norm: str | None = "l2") -> np.ndarray:
    """TF-IDF rows: tf(t, d) * idf(t), then each row normalized.

    tf is the raw count, or 1 + ln(count) for non-zero counts when sublinear_tf (zeros stay 0).
    norm "l2" divides each row by its Euclidean norm, "l1" by the sum of its absolute values,
    None leaves rows as they are; an all-zero row stays all zero. counts and idf are left unchanged.

    Shapes:
        counts: (n, V), integer or float; idf: (V,); returns: (n, V), float64

    Raises:
        ValueError: if norm is not "l2", "l1" or None.
    """
    raise NotImplementedError("tfidf_transform: weight the counts, then normalize each row")
