"""Tests for dl-06-1, an autoencoder with a bottleneck.

References: sklearn.decomposition.PCA (fit, transform, inverse_transform) for the best rank-k
reconstruction error; the theorem of Baldi & Hornik (1989) that a linear autoencoder trained to
the minimum reaches exactly that error and its decoder spans the principal subspace, measured with
scipy.linalg.subspace_angles; and the error of trained autoencoders falling as the bottleneck widens.
"""
import copy

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.linalg import subspace_angles
from sklearn.decomposition import PCA

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call

pytestmark = pytest.mark.slow


def low_rank_data(seed: int, n: int, d: int, rank: int, noise: float = 0.1) -> np.ndarray:
    """Points near a rank-`rank` affine subspace, with a nonzero mean and unequal directions."""
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, rank)) * np.linspace(3, 1, rank)
    A = np.linalg.qr(rng.standard_normal((d, d)))[0][:rank]
    return Z @ A + rng.normal(2, 1, d) + noise * rng.standard_normal((n, d))


@given(seed=seeds(), n=st.integers(2, 40), d=st.integers(1, 8), data=st.data())
@example(seed=0, n=5, d=3, data=None)
def test_pca_error_matches_sklearn(kata, seed, n, d, data):
    k = 1 if data is None else data.draw(st.integers(0, min(n, d)), label="k")
    X = np.random.default_rng(seed).standard_normal((n, d)) * np.arange(1, d + 1) + 5
    call = describe_call(f"pca_reconstruction_mse(k={k})", X)
    got = call_unmodified(kata.pca_reconstruction_mse, X, k, fn_name="pca_reconstruction_mse")
    if k == 0:
        want = np.mean((X - X.mean(axis=0)) ** 2)  # nothing kept: the mean is the best reconstruction
    else:
        pca = PCA(n_components=k, svd_solver="full").fit(X)
        want = np.mean((X - pca.inverse_transform(pca.transform(X))) ** 2)
    assert_close(got, want, rtol=1e-8, atol=1e-12, name="rank-k reconstruction MSE (vs sklearn PCA)", call=call)


@given(seed=seeds(), d=st.integers(2, 6), k=st.integers(1, 3), hidden=st.sampled_from([0, 5]), N=st.integers(1, 5))
def test_shapes_and_composition(kata, seed, d, k, hidden, N):
    torch.manual_seed(seed)
    model = kata.Autoencoder(d, k, hidden)
    x = torch.randn(N, d, dtype=torch.float64)
    call = describe_call(f"Autoencoder({d}, {k}, hidden={hidden})", x)
    z = model.encode(x)
    assert_shape(z, (N, k), name="encode(x) (the bottleneck)", call=call)
    assert_close(model(x), model.decoder(z), rtol=1e-12, atol=1e-12, name="forward(x) = decoder(encode(x))", call=call)
    n_params = sum(p.numel() for p in model.parameters())
    want = (d * k + k + k * d + d) if not hidden else (d * hidden + hidden + hidden * k + k) * 2 + d - k
    assert n_params == want, f"{call} has {n_params} parameters, expected {want}"


@settings(max_examples=5)
@given(seed=seeds(), lr=st.sampled_from([1e-3, 0.1]), steps=st.integers(1, 6), hidden=st.sampled_from([0, 4]))
@example(seed=3, lr=1e-3, steps=4, hidden=0)
def test_training_matches_a_torch_adam_twin(kata, seed, lr, steps, hidden):
    """Step for step the same losses as torch.optim.Adam(lr) on F.mse_loss from the same weights."""
    X = torch.from_numpy(low_rank_data(seed, 20, 5, 2))
    torch.manual_seed(seed)
    model = kata.Autoencoder(5, 2, hidden)
    twin = copy.deepcopy(model)
    losses = kata.train_autoencoder(model, X, steps=steps, lr=lr)
    opt, want = torch.optim.Adam(twin.parameters(), lr=lr), []
    for _ in range(steps):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(twin(X), X)
        loss.backward()
        opt.step()
        want.append(float(loss.detach()))
    # float64 on both sides, a handful of identical Adam steps: rounding only.
    assert_close(losses, want, rtol=1e-9, atol=1e-12, name="loss before each step (vs a torch.optim.Adam twin)",
                 call=describe_call(f"train_autoencoder(steps={steps}, lr={lr})", X))


@settings(max_examples=1)
@given(seed=seeds(), k=st.integers(1, 3))
@example(seed=1, k=2)
def test_linear_autoencoder_converges_to_pca(kata, seed, k):
    """Measured (Baldi & Hornik 1989): trained to convergence, a linear autoencoder with a k-unit
    bottleneck has PCA's reconstruction error and its decoder spans the top-k principal subspace
    (largest principal angle ≤ 0.016 rad in 15 simulated runs of 2000 Adam steps; 0.1 allowed)."""
    X = low_rank_data(seed, 300, 8, 3)
    torch.manual_seed(seed)
    model = kata.Autoencoder(8, k)
    losses = kata.train_autoencoder(model, torch.from_numpy(X), steps=2000, lr=0.03)
    pca_err = float(np.mean((X - (lambda p: p.inverse_transform(p.transform(X)))(PCA(k).fit(X))) ** 2))
    final = float(torch.nn.functional.mse_loss(model(torch.from_numpy(X)), torch.from_numpy(X)).detach())
    assert len(losses) == 2000 and losses[-1] < 0.5 * losses[0], (
        f"train_autoencoder returned {len(losses)} losses (expected 2000), first {losses[0]:.4g}, last {losses[-1]:.4g}")
    total = float(np.mean((X - X.mean(axis=0)) ** 2))
    # Excess over the optimum, relative to the data's variance: ≤ 2.4e-4 in 15 simulated runs; 2e-3 allowed.
    assert final - pca_err < 2e-3 * total, (f"trained linear AE MSE {final:.4g}, PCA's optimum {pca_err:.4g}, "
                                            f"data variance {total:.4g} (k={k})")
    W = model.decoder.weight.detach().numpy()  # (d, k): the decoder's column space
    angles = subspace_angles(W, PCA(k).fit(X).components_.T)
    assert np.max(angles) < 0.1, f"largest principal angle to PCA's subspace {np.max(angles):.3f} rad (k={k})"


@settings(max_examples=1)
@given(seed=seeds())
def test_wider_bottleneck_reconstructs_better(kata, seed):
    """Measured: the trained error falls as k grows to the data's rank (3) and then sits at the noise
    floor (about 0.006 here; 0.0058–0.0066 over 5 seeds of the reference solution, 2000 Adam steps)."""
    X = torch.from_numpy(low_rank_data(seed, 300, 8, 3))
    errs = []
    for k in (1, 2, 3):
        torch.manual_seed(seed)
        model = kata.Autoencoder(8, k)
        kata.train_autoencoder(model, X, steps=2000, lr=0.03)
        errs.append(float(torch.nn.functional.mse_loss(model(X), X).detach()))
    assert errs[0] > errs[1] > errs[2], f"MSE by bottleneck k = 1..3: {np.round(errs, 4)}: should fall up to the rank 3"
    assert errs[2] < 0.02, f"MSE by bottleneck k = 1..3: {np.round(errs, 4)}: at k = 3 only the noise (≈ 0.006) remains"
