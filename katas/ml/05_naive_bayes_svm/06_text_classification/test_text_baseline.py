"""Tests for ml-05-6, a text-classification baseline: naive Bayes vs a linear SVM on one corpus.

References: sklearn.feature_extraction.text.CountVectorizer (its analyzer for tokenize; the
vocabulary and count matrix for BagOfWords), and the scikit-learn pipeline CountVectorizer ->
MultinomialNB / LinearSVC fitted on the same train/test split of the shipped corpus (corpus.tsv,
480 labelled sentences about sports, cooking, weather and tech).
"""
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import MultinomialNB
from sklearn.svm import LinearSVC

from grader.strategies import seeds
from grader.testing import assert_equal, describe_call

CORPUS = Path(__file__).with_name("corpus.tsv")  # in a notebook, __file__ points into the kata's data folder
# Letters (upper case and accented too), digits, the underscore (a word character), punctuation.
TEXTS = st.text(alphabet="abcdeABCDEéÉ01_ .,;'!?-\n", max_size=40)
DOCS = st.lists(TEXTS, min_size=1, max_size=8)


def read_corpus():
    texts, labels = [], []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        label, text = line.split("\t", 1)
        labels.append(label)
        texts.append(text)
    return texts, np.array(labels)


@given(text=TEXTS, lowercase=st.booleans())
@example(text="Don't panic, I'm 42!", lowercase=True)
@example(text="snake_case and CamelCase, x y z", lowercase=False)
def test_tokenize_matches_countvectorizer(kata, text, lowercase):
    call = describe_call("tokenize", text, lowercase=lowercase)
    want = CountVectorizer(lowercase=lowercase).build_analyzer()(text)
    got = list(kata.tokenize(text, lowercase=lowercase))
    assert got == want, f"{call} returned {got}, CountVectorizer's analyzer gives {want}"


@given(docs=DOCS, new_docs=DOCS, lowercase=st.booleans(), min_df=st.integers(1, 3), binary=st.booleans())
@example(docs=["the cat sat", "The cat ran!", "a dog"], new_docs=["cat cat zebra"], lowercase=True, min_df=1,
         binary=False)
@example(docs=["bb aa aa", "cc aa", "aa bb", "dd dd"], new_docs=["aa aa bb bb cc"], lowercase=True, min_df=2,
         binary=True)  # dd occurs twice but in one document only
def test_bag_of_words_matches_countvectorizer(kata, docs, new_docs, lowercase, min_df, binary):
    ref = CountVectorizer(lowercase=lowercase, min_df=min_df, binary=binary)
    call = describe_call(f"BagOfWords(lowercase={lowercase}, min_df={min_df}, binary={binary}).fit_transform", docs)
    try:
        want = ref.fit_transform(docs).toarray()
    except ValueError:  # empty vocabulary
        with pytest.raises(ValueError):
            kata.BagOfWords(lowercase=lowercase, min_df=min_df, binary=binary).fit(docs)
        return
    bow = kata.BagOfWords(lowercase=lowercase, min_df=min_df, binary=binary)
    got = np.asarray(bow.fit_transform(docs))
    assert dict(bow.vocabulary_) == {k: int(v) for k, v in ref.vocabulary_.items()}, (
        f"{call}: vocabulary_ is {dict(bow.vocabulary_)}\n  CountVectorizer's is {dict(sorted(ref.vocabulary_.items()))}"
        "\n  (tokens in alphabetical order, kept when their document frequency is >= min_df)")
    assert_equal(got, want, name="count matrix", call=call)
    assert list(bow.get_feature_names_out()) == list(ref.get_feature_names_out()), (
        f"{call}: get_feature_names_out() is {list(bow.get_feature_names_out())}, expected "
        f"{list(ref.get_feature_names_out())}")
    counts = np.asarray(bow.transform(new_docs))
    assert counts.dtype == np.int64, f"BagOfWords.transform returned dtype {counts.dtype}; counts are int64"
    assert_equal(counts, ref.transform(new_docs).toarray(),
                 name="count matrix of new documents (unknown tokens ignored)", call=call.replace("fit_transform",
                                                                                                  "transform"))


@given(docs=st.lists(st.sampled_from(["", "a", "! ?", "x y z"]), min_size=1, max_size=4))
@example(docs=[""])
def test_empty_vocabulary_raises(kata, docs):
    with pytest.raises(ValueError):
        kata.BagOfWords().fit(docs)


@given(seed=seeds(), test_size=st.sampled_from([0.2, 0.25, 0.3]), alpha=st.sampled_from([0.1, 0.5, 1.0]),
       C=st.sampled_from([0.1, 1.0]))
@example(seed=0, test_size=0.25, alpha=1.0, C=1.0)
def test_baselines_match_the_sklearn_pipeline(kata, seed, test_size, alpha, C):
    texts, labels = read_corpus()
    tr_x, te_x, tr_y, te_y = train_test_split(texts, labels, test_size=test_size, random_state=seed,
                                              stratify=labels)
    vec = CountVectorizer().fit(tr_x)  # the vocabulary comes from the training split only
    A, B = vec.transform(tr_x), vec.transform(te_x)
    nb_ref = MultinomialNB(alpha=alpha).fit(A, tr_y).predict(B)
    svm_ref = LinearSVC(C=C, random_state=0).fit(A, tr_y).predict(B)
    call = describe_call("run_baselines", f"<{len(tr_x)} train texts>", tr_y, f"<{len(te_x)} test texts>", te_y,
                         alpha=alpha, C=C)
    report = kata.run_baselines(tr_x, tr_y, te_x, te_y, alpha=alpha, C=C)
    assert int(report.vocabulary_size) == len(vec.vocabulary_), (
        f"{call}: vocabulary_size {report.vocabulary_size}, expected {len(vec.vocabulary_)} (fit the vectorizer on "
        "the training texts only: test words must stay unknown)")
    assert_equal(np.asarray(report.nb_predictions), nb_ref, name="naive Bayes predictions", call=call)
    assert abs(report.nb_accuracy - np.mean(nb_ref == te_y)) < 1e-12, (
        f"{call}: nb_accuracy {report.nb_accuracy}, expected {np.mean(nb_ref == te_y)}")
    svm_pred = np.asarray(report.svm_predictions)
    assert svm_pred.shape == te_y.shape, f"{call}: svm_predictions has shape {svm_pred.shape}, expected {te_y.shape}"
    assert abs(report.svm_accuracy - np.mean(svm_pred == te_y)) < 1e-12, (
        f"{call}: svm_accuracy {report.svm_accuracy} is not the accuracy of svm_predictions, "
        f"{np.mean(svm_pred == te_y)}")
    # LinearSVC on the same features gives the same predictions; your own linear SVM (ml-05-3)
    # may land on another near-optimal hyperplane, so allow 5 points of accuracy.
    assert abs(report.svm_accuracy - np.mean(svm_ref == te_y)) <= 0.05, (
        f"{call}: svm_accuracy {report.svm_accuracy:.3f}, LinearSVC on CountVectorizer features reaches "
        f"{np.mean(svm_ref == te_y):.3f}")
