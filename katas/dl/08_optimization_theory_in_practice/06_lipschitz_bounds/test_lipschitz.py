"""Tests for dl-08-6, Lipschitz bounds from spectral norms.

References: torch.linalg.matrix_norm(ord=2) for every spectral norm and for the product bound;
observed ratios ‖f(x) − f(y)‖ / ‖x − y‖ on random pairs and the test's own Jacobian norms, which a
valid upper bound may never undercut; tightness of the bound for a single linear layer.
"""
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, describe_call

ACTS = st.sampled_from(["relu", "tanh", "sigmoid", "leaky", "leaky_steep", "identity"])


def activation(name: str) -> torch.nn.Module:
    return {"relu": torch.nn.ReLU(), "tanh": torch.nn.Tanh(), "sigmoid": torch.nn.Sigmoid(),
            "leaky": torch.nn.LeakyReLU(0.1), "leaky_steep": torch.nn.LeakyReLU(-2.0), "identity": torch.nn.Identity()}[name]


def build(seed: int, widths: list[int], act: str) -> torch.nn.Sequential:
    torch.manual_seed(seed)
    mods: list[torch.nn.Module] = []
    for i, (a, b) in enumerate(zip(widths, widths[1:], strict=False)):
        mods.append(torch.nn.Linear(a, b))
        if i < len(widths) - 2:
            mods.append(activation(act))
    return torch.nn.Sequential(*mods).double()


def product_bound(model: torch.nn.Sequential) -> float:
    const = {torch.nn.ReLU: 1.0, torch.nn.Tanh: 1.0, torch.nn.Sigmoid: 0.25, torch.nn.Identity: 1.0}
    b = 1.0
    for m in model:
        if isinstance(m, torch.nn.Linear):
            b *= float(torch.linalg.matrix_norm(m.weight.detach(), ord=2))
        elif isinstance(m, torch.nn.LeakyReLU):
            b *= max(1.0, abs(m.negative_slope))
        else:
            b *= const[type(m)]
    return b


@given(seed=seeds(), m=st.integers(1, 8), n=st.integers(1, 8), cond=st.sampled_from([1.0, 3.0, 100.0]))
@example(seed=0, m=3, n=3, cond=100.0)
def test_spectral_norm_matches_matrix_norm(kata, seed, m, n, cond):
    g = torch.Generator().manual_seed(seed)
    U = torch.linalg.qr(torch.randn(m, m, generator=g, dtype=torch.float64))[0]
    V = torch.linalg.qr(torch.randn(n, n, generator=g, dtype=torch.float64))[0]
    s = torch.zeros(m, n, dtype=torch.float64)
    k = min(m, n)
    s[range(k), range(k)] = torch.linspace(cond, 1.0, k, dtype=torch.float64) if k > 1 else torch.tensor([cond], dtype=torch.float64)
    W = U @ s @ V.T
    call = describe_call(f"spectral_norm(iters=200, seed={seed})", W)
    got = kata.spectral_norm(W, iters=200, seed=seed)
    assert_close(got, torch.linalg.matrix_norm(W, ord=2), rtol=1e-6, atol=1e-12,
                 name="σ_max (vs torch.linalg.matrix_norm(ord=2))", call=call)


def twin_power_iteration(W: torch.Tensor, iters: int, seed: int) -> float:
    v = torch.randn(W.shape[1], generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    v = v / v.norm()
    for _ in range(iters):
        w = W.T @ W @ v
        v = w / w.norm()
    return float((W @ v).norm())


@given(seed=seeds(), iters=st.integers(0, 3))
@example(seed=0, iters=0)  # no iteration: ‖W v₀‖ of the normalised start
def test_spectral_norm_follows_the_specified_iteration(kata, seed, iters):
    W = torch.randn(4, 3, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    assert_close(kata.spectral_norm(W, iters=iters, seed=seed), twin_power_iteration(W, iters, seed), rtol=1e-10,
                 atol=1e-12, name=f"‖W v‖ after {iters} iteration(s) from the seeded start",
                 call=describe_call(f"spectral_norm(iters={iters}, seed={seed})", W))


@given(m=st.integers(1, 4), n=st.integers(1, 4))
def test_spectral_norm_of_a_zero_matrix_is_zero(kata, m, n):
    W = torch.zeros(m, n, dtype=torch.float64)
    assert_close(kata.spectral_norm(W, iters=5), 0.0, rtol=0, atol=0, name="σ_max of a zero matrix (not nan)",
                 call=describe_call("spectral_norm(iters=5)", W))


@given(seed=seeds(), iters=st.integers(1, 2))
def test_upper_bound_passes_iters_on(kata, seed, iters):
    """Each σ_max comes from spectral_norm(W, iters) with the default seed 0: a short run is reproduced."""
    model = build(seed, [4, 5, 3], "relu")
    want = 1.0
    for m in model:
        if isinstance(m, torch.nn.Linear):
            want *= twin_power_iteration(m.weight.detach(), iters, 0)
    assert_close(kata.lipschitz_upper_bound(model, iters=iters), want, rtol=1e-10, atol=1e-12,
                 name=f"Π ‖W v‖ after {iters} power iteration(s) per layer",
                 call=describe_call(f"lipschitz_upper_bound(MLP [4, 5, 3], iters={iters})"))


@given(seed=seeds(), widths=st.lists(st.integers(1, 6), min_size=2, max_size=5), act=ACTS)
@example(seed=1, widths=[3, 4, 4, 2], act="sigmoid")
@example(seed=2, widths=[2, 5, 1], act="leaky_steep")
def test_upper_bound_is_the_product_and_is_never_undercut(kata, seed, widths, act):
    model = build(seed, widths, act)
    call = describe_call(f"lipschitz_upper_bound(MLP {widths}, {act})")
    bound = kata.lipschitz_upper_bound(model, iters=300)
    assert_close(bound, product_bound(model), rtol=1e-5, atol=1e-12,
                 name="Π σ_max(W_l) · Π Lip(activation) (vs matrix_norm)", call=call)
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(64, widths[0], generator=g, dtype=torch.float64)
    y = x + torch.randn(64, widths[0], generator=g, dtype=torch.float64) * 0.3
    with torch.no_grad():
        ratios = (model(x) - model(y)).norm(dim=1) / (x - y).norm(dim=1)
    assert float(ratios.max()) <= bound * (1 + 1e-9), (
        f"{call} = {bound:.4g} is below an observed ratio ‖f(x) − f(y)‖/‖x − y‖ = {float(ratios.max()):.4g}")
    lower = kata.jacobian_lower_bound(model, x[:8])
    assert lower <= bound * (1 + 1e-9), f"jacobian_lower_bound {lower:.4g} exceeds the upper bound {bound:.4g}"


@given(seed=seeds(), n_in=st.integers(1, 5), n_out=st.integers(1, 5), N=st.integers(1, 6),
       act=st.sampled_from(["tanh", "relu"]))
def test_jacobian_lower_bound_matches_torch(kata, seed, n_in, n_out, N, act):
    model = build(seed, [n_in, 4, n_out], act)
    x = torch.randn(N, n_in, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    want = max(float(torch.linalg.matrix_norm(torch.autograd.functional.jacobian(model, r), ord=2)) for r in x)
    assert_close(kata.jacobian_lower_bound(model, x), want, rtol=1e-9, atol=1e-12,
                 name="max_i ‖∂f/∂x (x_i)‖₂", call=describe_call("jacobian_lower_bound", x))


@given(seed=seeds(), m=st.integers(1, 5), n=st.integers(1, 5))
def test_bound_is_tight_for_one_linear_layer(kata, seed, m, n):
    model = build(seed, [n, m], "relu")
    x = torch.randn(3, n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    up, low = kata.lipschitz_upper_bound(model, iters=300), kata.jacobian_lower_bound(model, x)
    assert_close(up, low, rtol=1e-6, atol=1e-12, name="upper bound vs Jacobian norm of a single Linear (equal)",
                 call=describe_call("lipschitz_upper_bound / jacobian_lower_bound on one Linear layer"))


@given(mod=st.sampled_from([torch.nn.Softplus(), torch.nn.GELU(), torch.nn.Dropout(0.5)]))
def test_unknown_modules_raise(kata, mod):
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), mod, torch.nn.Linear(2, 1)).double()
    with pytest.raises(ValueError):
        kata.lipschitz_upper_bound(model)
