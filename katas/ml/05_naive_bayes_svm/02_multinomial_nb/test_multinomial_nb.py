"""Tests for ml-05-2, multinomial naive Bayes with Laplace smoothing.

Reference: sklearn.naive_bayes.MultinomialNB(alpha, fit_prior, class_prior, force_alpha=True)
fitted on the same count matrix: fitted attributes, log-probabilities, probabilities, predictions
and scores. Some features never occur in some classes (smoothing matters), and some test
documents are thousands of tokens long (their joint log-likelihoods underflow in linear space).
"""
import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn.naive_bayes import MultinomialNB as SkMultinomialNB

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

LABEL_SETS = st.sampled_from([(0, 1), (0, 1, 2), (3, 7, 10), ("ham", "spam"), ("a", "b", "c", "d")])
ALPHAS = st.sampled_from([1.0, 0.5, 0.01, 2.5])
# Sums of integer counts are exact; logs of them agree with sklearn to a few ulps.
RTOL, ATOL = 1e-10, 1e-12


def make_counts(seed, n, V, labels, doc_len):
    rng = np.random.default_rng(seed)
    n = max(n, len(labels))
    y = np.array(labels)[rng.integers(len(labels), size=n)]
    y[: len(labels)] = labels  # every class present
    rates = {lab: rng.dirichlet(np.full(V, 0.3)) * (rng.random(V) < 0.7) + 1e-12 for lab in labels}
    X = np.stack([rng.multinomial(rng.integers(1, doc_len + 1), rates[lab] / rates[lab].sum()) for lab in y])
    return X, y


def queries(seed, V, long_docs):
    rng = np.random.default_rng(seed + 1)
    size = 3000 if long_docs else 8
    return rng.multinomial(size, rng.dirichlet(np.ones(V)), size=5)


@given(seed=seeds(), n=st.integers(2, 40), V=st.integers(2, 15), labels=LABEL_SETS, alpha=ALPHAS,
       doc_len=st.integers(1, 30))
@example(seed=0, n=2, V=2, labels=(0, 1), alpha=1.0, doc_len=1)
@example(seed=1, n=30, V=12, labels=("a", "b", "c", "d"), alpha=0.01, doc_len=20)
def test_fitted_attributes_match_sklearn(kata, seed, n, V, labels, alpha, doc_len):
    X, y = make_counts(seed, n, V, labels, doc_len)
    call = describe_call(f"MultinomialNB(alpha={alpha}).fit", X, y)
    model = call_unmodified(lambda X: kata.MultinomialNB(alpha=alpha).fit(X, y), X, fn_name="fit")  # labels may be strings: X is watched
    ref = SkMultinomialNB(alpha=alpha, force_alpha=True).fit(X, y)
    assert_equal(np.asarray(model.classes_), ref.classes_, name="classes_", call=call)
    assert_close(model.class_count_, ref.class_count_, rtol=0, atol=0, name="class_count_", call=call)
    assert_close(model.feature_count_, ref.feature_count_, rtol=0, atol=0, name="feature_count_", call=call)
    assert_close(model.feature_log_prob_, ref.feature_log_prob_, rtol=RTOL, atol=ATOL,
                 name="feature_log_prob_ (log P(v | c), smoothed)", call=call)
    assert_close(model.class_log_prior_, ref.class_log_prior_, rtol=RTOL, atol=ATOL, name="class_log_prior_",
                 call=call)


@given(seed=seeds(), n=st.integers(2, 40), V=st.integers(2, 15), labels=LABEL_SETS, alpha=ALPHAS,
       long_docs=st.booleans())
@example(seed=2, n=20, V=6, labels=("ham", "spam"), alpha=1.0, long_docs=True)
@example(seed=3, n=40, V=15, labels=(3, 7, 10), alpha=0.5, long_docs=False)
def test_probabilities_and_predictions_match_sklearn(kata, seed, n, V, labels, alpha, long_docs):
    X, y = make_counts(seed, n, V, labels, 20)
    Q = queries(seed, V, long_docs)
    model = call_unmodified(lambda X: kata.MultinomialNB(alpha=alpha).fit(X, y), X, fn_name="fit")  # labels may be strings: X is watched
    ref = SkMultinomialNB(alpha=alpha, force_alpha=True).fit(X, y)
    call = describe_call(f"MultinomialNB(alpha={alpha}).fit(X, y).predict_log_proba", Q)
    want_log = ref.predict_log_proba(Q)
    # Joint log-likelihoods of 3000-token documents are ~ -1e4: relative tolerance, plus an
    # absolute one for log-probabilities near 0.
    assert_close(model.predict_log_proba(Q), want_log, rtol=1e-8, atol=1e-9, name="log-probabilities", call=call)
    assert_close(model.predict_proba(Q), np.exp(want_log), rtol=1e-8, atol=1e-12, name="probabilities",
                 call=call.replace("predict_log_proba", "predict_proba"))
    assert_equal(np.asarray(model.predict(Q)), ref.predict(Q), name="predicted labels",
                 call=call.replace("predict_log_proba", "predict"))
    got_score = model.score(X, y)
    assert abs(got_score - ref.score(X, y)) < 1e-12, (
        f"{call.replace('predict_log_proba', 'score')} on the training data returned {got_score}, "
        f"sklearn's score is {ref.score(X, y)}")


@given(seed=seeds(), n=st.integers(2, 30), V=st.integers(2, 10), labels=LABEL_SETS,
       mode=st.sampled_from(["uniform", "explicit"]))
@example(seed=4, n=10, V=4, labels=(0, 1, 2), mode="explicit")
@example(seed=5, n=10, V=4, labels=(0, 1), mode="uniform")
def test_class_priors_follow_fit_prior_and_class_prior(kata, seed, n, V, labels, mode):
    X, y = make_counts(seed, n, V, labels, 10)
    kwargs = ({"fit_prior": False} if mode == "uniform"
              else {"class_prior": np.random.default_rng(seed).dirichlet(np.ones(len(labels)))})
    call = describe_call(f"MultinomialNB({', '.join(kwargs)}=...).fit", X, y)
    model = kata.MultinomialNB(**kwargs).fit(X, y)
    ref = SkMultinomialNB(force_alpha=True, **kwargs).fit(X, y)
    assert_close(model.class_log_prior_, ref.class_log_prior_, rtol=RTOL, atol=ATOL, name="class_log_prior_",
                 call=call)
    Q = queries(seed, V, False)
    assert_close(model.predict_log_proba(Q), ref.predict_log_proba(Q), rtol=1e-8, atol=1e-9,
                 name="log-probabilities", call=call + ".predict_log_proba(Q)")
