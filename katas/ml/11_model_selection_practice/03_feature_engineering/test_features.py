"""Tests for ml-11-3, scaling, one-hot encoding and polynomial features.

Reference: sklearn.preprocessing.StandardScaler, MinMaxScaler, OneHotEncoder(sparse_output=False)
and PolynomialFeatures with the same options, fitted on the same data: fitted attributes,
transforms of new data, and inverse transforms.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn import preprocessing as skp

from grader.strategies import seeds
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_no_alias,
    call_unmodified,
    describe_call,
)

# float64 means, variances and products of a few numbers of size <= ~1e3.
RTOL, ATOL = 1e-10, 1e-10


@st.composite
def numeric(draw: st.DrawFn, min_rows: int = 1) -> np.ndarray:
    """A float64 matrix with columns on very different scales, some of them constant."""
    seed, n, d = draw(seeds()), draw(st.integers(min_rows, 30)), draw(st.integers(1, 5))
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * 10.0 ** rng.integers(-2, 3, size=d) + rng.normal(size=d) * 5
    constant = draw(st.lists(st.booleans(), min_size=d, max_size=d))
    X[:, constant] = rng.normal(size=int(np.sum(constant)))  # exactly constant columns
    return X


def new_rows(X: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(7, X.shape[1])) * (np.abs(X).max(axis=0) + 1)


@given(X=numeric(), with_mean=st.booleans(), with_std=st.booleans(), seed=seeds())
@example(X=np.array([[3.0, 1.0], [3.0, 2.0], [3.0, 6.0]]), with_mean=True, with_std=True, seed=0)  # constant column
@example(X=np.array([[5.0, -1.0]]), with_mean=True, with_std=True, seed=1)  # one row: every column constant
@example(X=np.array([[0.0, 1.0], [0.0, 2.0], [0.0, 4.0]]), with_mean=True, with_std=True, seed=0)  # an all-zero column
@example(X=np.array([[3, 1], [4, 2], [3, 6]]), with_mean=False, with_std=False, seed=0)  # integers, both off
def test_standard_scaler_matches_sklearn(kata, X, with_mean, with_std, seed):
    call = describe_call(f"StandardScaler(with_mean={with_mean}, with_std={with_std}).fit", X)
    got = call_unmodified(kata.StandardScaler(with_mean=with_mean, with_std=with_std).fit, X)
    ref = skp.StandardScaler(with_mean=with_mean, with_std=with_std).fit(X)
    assert_close(got.mean_, X.mean(axis=0), rtol=RTOL, atol=ATOL, name="mean_", call=call)
    assert_close(got.var_, X.var(axis=0), rtol=RTOL, atol=ATOL, name="var_ (population variance, ddof=0)", call=call)
    if with_std:
        assert_close(got.scale_, ref.scale_, rtol=RTOL, atol=ATOL, name="scale_ (1 for a constant column)", call=call)
    Xn = np.vstack([X, new_rows(X, seed).astype(X.dtype)])
    Z = call_unmodified(got.transform, Xn)
    assert_close(Z, ref.transform(Xn.astype(np.float64)), rtol=RTOL, atol=ATOL, name="transform", call=call)
    assert_dtype(Z, np.float64, name="transform (float64, also for integer X)", call=call)
    assert_no_alias(Z, Xn, name="transform (a new array)", call=call)
    back = call_unmodified(got.inverse_transform, Z)
    assert_close(back, Xn, rtol=RTOL, atol=1e-8, name="inverse_transform(transform(X))", call=call)
    assert_no_alias(back, Z, name="inverse_transform (a new array)", call=call)
    assert_dtype(call_unmodified(got.inverse_transform, Xn), np.float64, call=call,
                 name="inverse_transform of X itself (float64, also for integer input)")


@given(X=numeric(), lo=st.sampled_from([0.0, -1.0, 2.0]), width=st.sampled_from([1.0, 2.0, 10.0]), seed=seeds())
@example(X=np.array([[3.0, 1.0], [3.0, 2.0], [3.0, 6.0]]), lo=-1.0, width=2.0, seed=2)
def test_min_max_scaler_matches_sklearn(kata, X, lo, width, seed):
    rng_ = (lo, lo + width)
    call = describe_call(f"MinMaxScaler(feature_range={rng_}).fit", X)
    got = call_unmodified(kata.MinMaxScaler(feature_range=rng_).fit, X)
    ref = skp.MinMaxScaler(feature_range=rng_).fit(X)
    for name in ("data_min_", "data_max_", "scale_", "min_"):
        assert_close(getattr(got, name), getattr(ref, name), rtol=RTOL, atol=ATOL, name=name, call=call)
    Xn = np.vstack([X, new_rows(X, seed)])
    Z = call_unmodified(got.transform, Xn)
    assert_close(Z, ref.transform(Xn), rtol=RTOL, atol=ATOL, name="transform (training rows land in feature_range)",
                 call=call)
    assert_close(got.inverse_transform(Z), Xn, rtol=RTOL, atol=1e-8, name="inverse_transform(transform(X))", call=call)


@st.composite
def categorical(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Training categories (ints or strings, first appearance != sorted order) and new rows drawn from them."""
    seed, n, k = draw(seeds()), draw(st.integers(1, 25), label="n"), draw(st.integers(1, 3), label="k")
    rng = np.random.default_rng(seed)
    pool = draw(st.sampled_from([np.array([30, -2, 7, 11, 0]), np.array(["red", "blue", "green", "amber", "teal"])]))
    cols = [pool[rng.integers(0, rng.integers(1, 6), size=n)] for _ in range(k)]
    X = np.stack(cols, axis=1)
    X_new = np.stack([rng.choice(np.unique(c), size=6) for c in cols], axis=1)
    return X, X_new


@given(data=categorical(), drop_first=st.booleans())
@example(data=(np.array([["b", "x"], ["a", "y"], ["c", "x"]]), np.array([["a", "y"], ["c", "x"]])), drop_first=False)
def test_one_hot_encoder_matches_sklearn(kata, data, drop_first):
    X, X_new = data
    drop = "first" if drop_first else None
    call = describe_call(f"OneHotEncoder(drop={drop!r}).fit", X)
    got = kata.OneHotEncoder(drop=drop).fit(X.copy())
    ref = skp.OneHotEncoder(sparse_output=False, drop=drop).fit(X)
    assert len(got.categories_) == X.shape[1], f"{call}: categories_ has {len(got.categories_)} entries, expected one per column"
    for j, (c, w) in enumerate(zip(got.categories_, ref.categories_, strict=True)):
        assert_equal(np.asarray(c), w, name=f"categories_[{j}] (sorted unique values)", call=call)
    for rows, what in ((X, "training rows"), (X_new, "new rows")):
        assert_close(got.transform(rows), ref.transform(rows), rtol=0, atol=0, name=f"transform of the {what}", call=call)


@given(data=categorical())
def test_one_hot_encoder_handles_unknown_categories(kata, data):
    X, _ = data
    unseen = np.array([999], dtype=X.dtype) if X.dtype.kind == "i" else np.array(["unseen"], dtype=X.dtype)
    X_new = np.vstack([X[:2], np.repeat(unseen, X.shape[1])[None, :]])
    call = describe_call("OneHotEncoder(handle_unknown='ignore').fit(X).transform", X_new)
    got = kata.OneHotEncoder(handle_unknown="ignore").fit(X.copy()).transform(X_new)
    want = skp.OneHotEncoder(sparse_output=False, handle_unknown="ignore").fit(X).transform(X_new)
    assert_close(got, want, rtol=0, atol=0, name="transform (an unknown category is a row of zeros)", call=call)
    with pytest.raises(ValueError):
        kata.OneHotEncoder(handle_unknown="error").fit(X.copy()).transform(X_new)


@given(seed=seeds(), n=st.integers(1, 10), d=st.integers(1, 4), degree=st.integers(0, 4),
       interaction_only=st.booleans(), include_bias=st.booleans())
@example(seed=3, n=3, d=2, degree=2, interaction_only=False, include_bias=True)  # 1, a, b, a^2, ab, b^2
@example(seed=4, n=3, d=3, degree=3, interaction_only=True, include_bias=False)
def test_polynomial_features_match_sklearn(kata, seed, n, d, degree, interaction_only, include_bias):
    if degree == 0 and not include_bias:
        degree = 1  # sklearn refuses an empty output
    X = np.random.default_rng(seed).normal(size=(n, d)) * 2
    opts = dict(degree=degree, interaction_only=interaction_only, include_bias=include_bias)
    call = describe_call("PolynomialFeatures(**opts).fit", X, **opts)
    got = call_unmodified(kata.PolynomialFeatures(**opts).fit, X)
    ref = skp.PolynomialFeatures(**opts).fit(X)
    assert_equal(np.asarray(got.powers_), ref.powers_, name="powers_ (one row of exponents per output column)", call=call)
    Xn = np.vstack([X, np.random.default_rng(seed + 1).normal(size=(4, d))])
    assert_close(got.transform(Xn), ref.transform(Xn), rtol=1e-12, atol=1e-12, name="transform", call=call)
    Xi = np.round(Xn * 2).astype(np.int64)  # integer input: float64 output
    out = got.transform(Xi)
    assert_dtype(out, np.float64, name="transform of an integer X (float64)", call=call)
    assert_close(out, ref.transform(Xi.astype(np.float64)), rtol=1e-12, atol=1e-12, name="transform of an integer X",
                 call=call)


@given(n=st.integers(1, 5), ints=st.booleans())
def test_one_hot_encoder_of_no_columns_is_empty(kata, n, ints):
    """k = 0 input columns: no categories, an (n, 0) output."""
    X = np.empty((n, 0), dtype=np.int64 if ints else "<U3")
    out = np.asarray(kata.OneHotEncoder().fit(X).transform(X))
    assert out.shape == (n, 0), f"OneHotEncoder().fit(X).transform(X) for X of shape {X.shape}: shape {out.shape}, expected ({n}, 0)"


@given(lo=st.sampled_from([0.0, 1.0, -2.0]), shrink=st.sampled_from([0.0, 1.0]))
def test_min_max_scaler_rejects_an_empty_range(kata, lo, shrink):
    with pytest.raises(ValueError):
        kata.MinMaxScaler(feature_range=(lo, lo - shrink)).fit(np.arange(6.0).reshape(3, 2))
