"""Tests for ml-11-4, a leak-free tabular pipeline with a cross-validated score.

Reference: sklearn Pipeline([ColumnTransformer([StandardScaler on the numeric columns,
OneHotEncoder(handle_unknown="ignore") on the categorical ones]), Ridge(alpha)]) run through
cross_validate / cross_val_score(scoring="r2") on the same folds: fold scores, fitted statistics and
coefficients. The leakage test perturbs the test rows of a fold and checks that the pipeline fitted
for that fold is unchanged: its statistics may come only from training rows.
"""
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, cross_val_score, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

# Small ridge solves in float64; sklearn centres before solving too. Agreement ~1e-12.
RTOL, ATOL = 1e-8, 1e-9
ALPHAS = st.sampled_from([0.1, 1.0, 10.0])


@st.composite
def datasets(draw: st.DrawFn) -> dict:
    seed = draw(seeds())
    rng = np.random.default_rng(seed)
    n = draw(st.integers(20, 60))
    n_num, n_cat = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    cols = rng.permutation(n_num + n_cat)
    num_cols, cat_cols = sorted(cols[:n_num].tolist()), sorted(cols[n_num:].tolist())
    X = np.empty((n, n_num + n_cat))
    X[:, num_cols] = rng.normal(size=(n, n_num)) * 10.0 ** rng.integers(-1, 3, size=n_num) + 5.0
    for j in cat_cols:  # skewed category frequencies: rare levels are often missing from a training fold
        k = rng.integers(2, 6)
        X[:, j] = rng.choice(k, size=n, p=rng.dirichlet(np.ones(k) * 0.7))
    y = (X[:, num_cols] / X[:, num_cols].std(axis=0)) @ rng.normal(size=n_num)
    y += sum(np.sin(X[:, j] * 1.3) for j in cat_cols) + 0.5 * rng.normal(size=n)
    k_folds = draw(st.integers(2, 5))
    folds = list(KFold(k_folds, shuffle=True, random_state=seed % 2**31).split(X))
    return dict(X=X, y=y, num_cols=num_cols, cat_cols=cat_cols, folds=folds, seed=seed)


def sklearn_pipeline(num_cols, cat_cols, alpha):
    prep = ColumnTransformer([("num", StandardScaler(), num_cols),
                              ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), cat_cols)])
    return Pipeline([("prep", prep), ("ridge", Ridge(alpha=alpha))])


def run_kata(kata, d, alpha, X=None):
    X = d["X"] if X is None else X
    call = describe_call("cross_val_scores", f"lambda: TabularPipeline({d['num_cols']}, {d['cat_cols']}, alpha={alpha})",
                         X, d["y"], f"{len(d['folds'])} folds")
    with threadpool_limits(1):
        scores, fitted = kata.cross_val_scores(lambda: kata.TabularPipeline(d["num_cols"], d["cat_cols"], alpha=alpha),
                                               X.copy(), d["y"].copy(), d["folds"])
    assert len(fitted) == len(d["folds"]), f"{call} returned {len(fitted)} fitted pipelines, one per fold expected"
    return np.asarray(scores, dtype=np.float64), fitted, call


@settings(max_examples=10)  # each example fits up to 10 column-transformer pipelines
@given(d=datasets(), alpha=ALPHAS)
def test_fold_scores_and_fits_match_sklearn_pipeline(kata, d, alpha):
    scores, fitted, call = run_kata(kata, d, alpha)
    with threadpool_limits(1):
        ref = cross_validate(sklearn_pipeline(d["num_cols"], d["cat_cols"], alpha), d["X"], d["y"], cv=d["folds"],
                             scoring="r2", return_estimator=True)
    for i, (pipe, est) in enumerate(zip(fitted, ref["estimator"], strict=True)):
        scaler = est.named_steps["prep"].named_transformers_["num"]
        encoder = est.named_steps["prep"].named_transformers_["cat"]
        ridge = est.named_steps["ridge"]
        assert_close(pipe.mean_, scaler.mean_, rtol=RTOL, atol=ATOL, name=f"mean_ of fold {i}", call=call)
        assert_close(pipe.scale_, scaler.scale_, rtol=RTOL, atol=ATOL, name=f"scale_ of fold {i}", call=call)
        for j, (c, w) in enumerate(zip(pipe.categories_, encoder.categories_, strict=True)):
            assert_equal(np.asarray(c, dtype=np.float64), w, name=f"categories_[{j}] of fold {i}", call=call)
        assert_close(pipe.coef_, ridge.coef_, rtol=RTOL, atol=ATOL,
                     name=f"coef_ of fold {i} (scaled numeric columns first, then the one-hot blocks)", call=call)
        assert_close(pipe.intercept_, ridge.intercept_, rtol=RTOL, atol=ATOL, name=f"intercept_ of fold {i}", call=call)
    assert_close(scores, ref["test_score"], rtol=RTOL, atol=ATOL, name="fold scores (R^2 on each test fold)", call=call)


@settings(max_examples=6)  # each example fits up to 15 pipelines
@given(d=datasets(), alpha=ALPHAS, fold=st.integers(0, 4), shift=st.sampled_from([1e3, -50.0]))
@example(d=None, alpha=1.0, fold=0, shift=1e3)
def test_test_rows_never_leak_into_the_fitted_pipeline(kata, d, alpha, fold, shift):
    """Make fold i's test rows wild (huge numeric values, unseen categories): the pipeline fitted for
    fold i must not change at all, and its score must still equal sklearn's on the perturbed data."""
    if d is None:
        rng = np.random.default_rng(5)
        X = np.column_stack([rng.normal(size=30) * 100 + 7, rng.integers(0, 3, size=30).astype(float)])
        y = X[:, 0] / 100 + X[:, 1] + rng.normal(size=30)
        d = dict(X=X, y=y, num_cols=[0], cat_cols=[1], folds=list(KFold(3).split(X)), seed=5)
    fold %= len(d["folds"])
    _, test = d["folds"][fold]
    X_bad = d["X"].copy()
    X_bad[np.ix_(test, d["num_cols"])] += shift
    X_bad[np.ix_(test, d["cat_cols"])] = 97.0  # a category no training row has
    _, clean, call = run_kata(kata, d, alpha)
    scores_bad, dirty, _ = run_kata(kata, d, alpha, X_bad)
    a, b = clean[fold], dirty[fold]
    what = f"fold {fold}'s fitted pipeline after perturbing only fold {fold}'s TEST rows"
    assert_close(b.mean_, a.mean_, rtol=0, atol=0, name=f"mean_ of {what} (statistics leaked from test rows?)", call=call)
    assert_close(b.scale_, a.scale_, rtol=0, atol=0, name=f"scale_ of {what}", call=call)
    for j, (cb, ca) in enumerate(zip(b.categories_, a.categories_, strict=True)):
        assert_equal(np.asarray(cb), np.asarray(ca), name=f"categories_[{j}] of {what} (fit the encoder on training rows)",
                     call=call)
    assert_close(b.coef_, a.coef_, rtol=0, atol=0, name=f"coef_ of {what}", call=call)
    with threadpool_limits(1):
        want = cross_val_score(sklearn_pipeline(d["num_cols"], d["cat_cols"], alpha), X_bad, d["y"], cv=d["folds"],
                               scoring="r2")
    assert_close(scores_bad, want, rtol=RTOL, atol=ATOL, name="fold scores on the perturbed data", call=call)
