"""Tests for ml-06-6, neighbourhood components analysis.

References: torch autograd of the NCA objective written out in float64 (value and gradient); the
closed form of the objective at A = 0 (every other point equally likely); and
sklearn.neighbors.NeighborhoodComponentsAnalysis started from the same init with the same
max_iter and tol. Both run scipy's L-BFGS-B on the same function, so the transformations agree
closely (1e-4 relative is asked; ~1e-9 is typical) and your final objective must be at least
sklearn's (up to rounding).
"""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn.datasets import load_iris, load_wine, make_classification
from sklearn.neighbors import NeighborhoodComponentsAnalysis as SkNCA

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call


def make_data(seed: int, n: int, d: int, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    X, y = make_classification(n_samples=n, n_features=d, n_informative=min(d, 2), n_redundant=0,
                               n_repeated=0, n_classes=n_classes, n_clusters_per_class=1, random_state=seed)
    return X, y


def torch_objective(A: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    At = torch.tensor(A, dtype=torch.float64, requires_grad=True)
    Z = torch.tensor(X, dtype=torch.float64) @ At.T
    D = ((Z[:, None, :] - Z[None, :, :]) ** 2).sum(-1)
    D = D.masked_fill(torch.eye(len(X), dtype=torch.bool), float("inf"))
    P = torch.softmax(-D, dim=1)
    same = torch.tensor(y[:, None] == y[None, :])
    f = (P * same).sum()
    f.backward()
    return float(f.detach()), At.grad.numpy()


def sklearn_nca(X: np.ndarray, y: np.ndarray, A0: np.ndarray, max_iter: int, tol: float) -> SkNCA:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SkNCA(n_components=A0.shape[0], init=A0, max_iter=max_iter, tol=tol).fit(X, y)


@given(seed=seeds(), n=st.integers(3, 30), d=st.integers(2, 5), k_frac=st.floats(0.0, 1.0),
       n_classes=st.integers(2, 3), scale=st.sampled_from([0.1, 0.5, 2.0]))
@example(seed=0, n=3, d=2, k_frac=0.0, n_classes=2, scale=0.5)
@example(seed=1, n=30, d=5, k_frac=1.0, n_classes=3, scale=2.0)  # large scale: peaked softmax
def test_objective_and_gradient_match_autograd(kata, seed, n, d, k_frac, n_classes, scale):
    n = max(n, 2 * n_classes)
    k = 1 + round(k_frac * (d - 1))
    X, y = make_data(seed, n, d, n_classes)
    A = np.random.default_rng(seed + 1).normal(size=(k, d)) * scale
    call = describe_call("nca_objective_and_gradient", A, X, y)
    f, grad = call_unmodified(kata.nca_objective_and_gradient, A, X, y)
    want_f, want_grad = torch_objective(A, X, y)
    assert_shape(grad, (k, d), name="gradient", call=call)
    # float64 sums of n^2 probabilities times coordinates of size ~3: ~1e-13 relative.
    assert_close(float(f), want_f, rtol=1e-9, atol=1e-10, name="objective f = sum_i p_i", call=call)
    assert_close(grad, want_grad, rtol=1e-7, atol=1e-9 * max(1.0, float(np.abs(want_grad).max())),
                 name="gradient df/dA (vs torch autograd)", call=call)


@given(seed=seeds(), n=st.integers(3, 30), d=st.integers(2, 5), n_classes=st.integers(2, 4))
@example(seed=2, n=4, d=2, n_classes=4)
def test_objective_at_zero_map_is_the_class_frequency(kata, seed, n, d, n_classes):
    """With A = 0 every other point is equally likely: f = sum_i (n_{y_i} - 1) / (n - 1)."""
    n = max(n, n_classes)
    X = np.random.default_rng(seed).normal(size=(n, d))
    y = np.random.default_rng(seed + 1).integers(0, n_classes, size=n)
    counts = np.bincount(y, minlength=n_classes)
    want = float(np.sum(counts[y] - 1) / (n - 1))
    call = describe_call("nca_objective_and_gradient", np.zeros((1, d)), X, y)
    f, _ = call_unmodified(kata.nca_objective_and_gradient, np.zeros((1, d)), X, y)
    assert_close(float(f), want, rtol=1e-12, atol=1e-12,
                 name="objective at A = 0 (a point must not be its own neighbour)", call=call)


def check_fit(kata, X: np.ndarray, y: np.ndarray, A0: np.ndarray, max_iter: int, tol: float = 1e-5) -> None:
    call = describe_call(f"NCA(init, max_iter={max_iter}).fit", X, y)
    model = kata.NCA(A0, max_iter=max_iter, tol=tol)
    assert call_unmodified(lambda X, y, A0: model.fit(X, y), X, y, A0, fn_name="fit") is model, f"{call} must return self"
    ref = sklearn_nca(X, y, A0, max_iter, tol)
    got_f = torch_objective(np.asarray(model.components_, dtype=np.float64), X, y)[0]
    ref_f = torch_objective(ref.components_, X, y)[0]
    init_f = torch_objective(A0, X, y)[0]
    assert got_f >= init_f - 1e-9, f"{call}: the objective fell from {init_f:.6f} at init to {got_f:.6f}"
    # Same optimiser, same function: over 1500 seeds the final objectives agree to ~1e-9 and the
    # transformations to <= 2e-6 relative (rounding differences can nudge a line search).
    assert got_f >= ref_f - 1e-5 * len(X), (
        f"{call}: your objective f(components_) = {got_f:.8f} is below sklearn's {ref_f:.8f} "
        f"after the same {max_iter} L-BFGS-B iterations from the same init")
    assert_close(model.objective_, got_f, rtol=1e-9, atol=1e-9, name="objective_ (f at components_)", call=call)
    scale = float(np.abs(ref.components_).max())
    assert_close(model.components_, ref.components_, rtol=0, atol=1e-4 * scale,
                 name="components_ (vs sklearn from the same init)", call=call)
    X_new = X[:3] + 0.5
    assert_close(model.transform(X_new), X_new @ np.asarray(model.components_).T, rtol=1e-12, atol=1e-12,
                 name="transform(X_new)", call=call)


@given(seed=seeds(), n=st.integers(8, 30), d=st.integers(2, 4), k_frac=st.floats(0.0, 1.0),
       n_classes=st.integers(2, 3), max_iter=st.integers(1, 10))
@example(seed=3, n=8, d=2, k_frac=0.0, n_classes=2, max_iter=1)
@example(seed=4, n=30, d=4, k_frac=1.0, n_classes=3, max_iter=10)
def test_fit_matches_sklearn(kata, seed, n, d, k_frac, n_classes, max_iter):
    k = 1 + round(k_frac * (d - 1))
    X, y = make_data(seed, n, d, n_classes)
    A0 = np.random.default_rng(seed + 1).normal(size=(k, d)) * 0.5
    check_fit(kata, X, y, A0, max_iter)


IRIS, WINE = load_iris(), load_wine()


@given(seed=seeds(), name=st.sampled_from(["iris", "wine"]), k=st.integers(1, 2), max_iter=st.integers(1, 5))
def test_fit_matches_sklearn_on_bundled_data(kata, seed, name, k, max_iter):
    data = IRIS if name == "iris" else WINE
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(data.target), size=40, replace=False)
    X = data.data[idx, :4]
    X = (X - X.mean(0)) / X.std(0)
    A0 = rng.normal(size=(k, 4)) * 0.5
    check_fit(kata, X, data.target[idx], A0, max_iter)


@given(d=st.integers(2, 4), extra=st.integers(1, 2))
def test_rejects_bad_init(kata, d, extra):
    X, y = make_data(0, 10, d, 2)
    for A0 in (np.zeros((1, d + extra)), np.zeros((d + extra, d)), np.zeros((0, d)), np.zeros(d)):
        with pytest.raises(ValueError, match=r"."):
            kata.NCA(A0).fit(X, y)
