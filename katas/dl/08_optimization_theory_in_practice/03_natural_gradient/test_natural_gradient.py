"""Tests for dl-08-3, the natural gradient with the Fisher information.

References: torch.autograd.functional.hessian of the mean negative log-likelihood (for logistic
regression the Fisher equals the Hessian, whatever the labels); torch.autograd per-example
gradients for the empirical Fisher; and the defining property of the natural gradient, measured:
its step gives the same predictions whether or not the features are linearly reparameterised,
while plain gradient descent does not.
"""
import numpy as np
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


def data(seed: int, n: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * rng.uniform(0.5, 2, d)
    w = rng.standard_normal(d) * 0.7
    y = (rng.random(n) < 1 / (1 + np.exp(-X @ w))).astype(float)
    return w, X, y


def nll_torch(X: np.ndarray, y: np.ndarray):
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    return lambda w: torch.nn.functional.binary_cross_entropy_with_logits(Xt @ w, yt)


@given(seed=seeds(), n=st.integers(1, 30), d=st.integers(1, 5))
@example(seed=0, n=1, d=2)
def test_fisher_is_the_hessian_of_the_nll(kata, seed, n, d):
    w, X, y = data(seed, n, d)
    call = describe_call("fisher", w, X)
    got = call_unmodified(kata.fisher, w, X, fn_name="fisher")
    H = torch.autograd.functional.hessian(nll_torch(X, y), torch.from_numpy(w))
    assert_close(got, H, rtol=1e-10, atol=1e-12, name="F(w) (vs the Hessian of the mean NLL)", call=call)


@given(seed=seeds(), n=st.integers(1, 30), d=st.integers(1, 5))
def test_empirical_fisher_from_per_example_gradients(kata, seed, n, d):
    w, X, y = data(seed, n, d)
    call = describe_call("empirical_fisher", w, X, y)
    got = call_unmodified(kata.empirical_fisher, w, X, y, fn_name="empirical_fisher")
    wt = torch.from_numpy(w).requires_grad_(True)
    G = torch.stack([torch.autograd.grad(nll_torch(X[i:i + 1], y[i:i + 1])(wt), wt)[0] for i in range(n)])
    assert_close(got, G.T @ G / n, rtol=1e-10, atol=1e-12, name="(1/n) Σ g_i g_iᵀ (vs autograd per-example gradients)",
                 call=call)


@given(seed=seeds(), n=st.integers(8, 40), d=st.integers(1, 4), lr=st.sampled_from([0.1, 1.0]),
       damping=st.sampled_from([0.0, 0.1, 2.0]))
def test_step_solves_the_damped_fisher_system(kata, seed, n, d, lr, damping):
    w, X, y = data(seed, n, d)
    call = describe_call(f"natural_gradient_step(lr={lr}, damping={damping})", w, X, y)
    got = call_unmodified(kata.natural_gradient_step, w, X, y, lr=lr, damping=damping, fn_name="natural_gradient_step")
    wt = torch.from_numpy(w)
    H = torch.autograd.functional.hessian(nll_torch(X, y), wt)
    g = torch.autograd.functional.jacobian(nll_torch(X, y), wt)
    want = wt - lr * torch.linalg.solve(H + damping * torch.eye(d, dtype=torch.float64), g)
    assert_close(got, want, rtol=1e-8, atol=1e-10,
                 name="w − lr (F + λI)⁻¹ ∇L (with damping 0 and lr 1: a Newton step)", call=call)


@given(seed=seeds(), n=st.integers(10, 40), d=st.integers(2, 4))
@example(seed=1, n=20, d=3)
def test_natural_gradient_is_invariant_to_reparameterisation(kata, seed, n, d):
    """Features X' = X A with w' = A⁻¹ w give the same predictions; after one natural-gradient step they
    still do (the step is defined by the model's distributions, not its coordinates). A plain
    gradient step breaks the tie."""
    w, X, y = data(seed, n, d)
    A = np.random.default_rng(seed + 1).standard_normal((d, d)) + 2 * np.eye(d)
    X2, w2 = X @ A, np.linalg.solve(A, w)
    ng1, ng2 = kata.natural_gradient_step(w, X, y, lr=0.5), kata.natural_gradient_step(w2, X2, y, lr=0.5)
    assert_close(X2 @ ng2, X @ ng1, rtol=1e-8, atol=1e-9, name="logits after one natural-gradient step (X A vs X)",
                 call=describe_call("natural_gradient_step", w2, X2, y))
    gd1, gd2 = w - 0.5 * kata.gradient(w, X, y), w2 - 0.5 * kata.gradient(w2, X2, y)
    assert not np.allclose(X2 @ gd2, X @ gd1, rtol=1e-6, atol=1e-8), "(test self-check) plain GD should not be invariant"
