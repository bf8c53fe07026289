"""Tests for dl-08-2, the empirical neural tangent kernel.

References: torch.func.jacrev through torch.func.functional_call for the parameter Jacobian; the
kernel's meaning, tested directly: after one small gradient step on a squared loss, every output
moves by −η Θ(x, X) ∂L/∂f(X) to first order; symmetry and positive semi-definiteness.
"""
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch.func import functional_call, jacrev

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, describe_call


def mlp(seed: int, D: int, width: int, depth: int) -> torch.nn.Module:
    torch.manual_seed(seed)
    layers, d = [], D
    for _ in range(depth):
        layers += [torch.nn.Linear(d, width), torch.nn.Tanh()]
        d = width
    return torch.nn.Sequential(*layers, torch.nn.Linear(d, 1)).double()


def jacobian_reference(model: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    params = {k: v.detach() for k, v in model.named_parameters()}
    jac = jacrev(lambda p: functional_call(model, p, (x,)).squeeze(-1))(params)
    return torch.cat([jac[k].reshape(len(x), -1) for k in params], dim=1)


@given(seed=seeds(), N=st.integers(1, 5), D=st.integers(1, 3), width=st.integers(1, 6), depth=st.integers(1, 2))
@example(seed=0, N=1, D=1, width=1, depth=1)
def test_jacobian_matches_jacrev(kata, seed, N, D, width, depth):
    model = mlp(seed, D, width, depth)
    for p in model.parameters():
        p.grad = torch.full_like(p, 3.0)
    x = torch.randn(N, D, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    call = describe_call(f"param_jacobian(MLP(width={width}, depth={depth}))", x)
    got = kata.param_jacobian(model, x)
    want = jacobian_reference(model, x)
    assert_shape(got, tuple(want.shape), name="J (rows: inputs, columns: parameters in model.parameters() order)",
                 call=call)
    assert_close(got, want, rtol=1e-10, atol=1e-12, name="J (vs torch.func.jacrev)", call=call)
    assert all(torch.equal(p.grad, torch.full_like(p, 3.0)) for p in model.parameters()), (
        f"{call} changed the parameters' .grad: use torch.autograd.grad, not .backward()")


@given(seed=seeds(), N1=st.integers(1, 5), N2=st.integers(1, 5), width=st.integers(1, 8))
def test_ntk_matches_jacrev_and_is_psd(kata, seed, N1, N2, width):
    model = mlp(seed, 2, width, 2)
    g = torch.Generator().manual_seed(seed)
    x1, x2 = torch.randn(N1, 2, generator=g, dtype=torch.float64), torch.randn(N2, 2, generator=g, dtype=torch.float64)
    call = describe_call(f"empirical_ntk(MLP(width={width}))", x1, x2)
    got = kata.empirical_ntk(model, x1, x2)
    want = jacobian_reference(model, x1) @ jacobian_reference(model, x2).T
    assert_shape(got, (N1, N2), call=call)
    assert_close(got, want, rtol=1e-10, atol=1e-12, name="Θ(x1, x2) (vs jacrev J1 J2ᵀ)", call=call)
    K = kata.empirical_ntk(model, x1, x1)
    assert_close(K, K.T, rtol=1e-12, atol=1e-12, name="Θ(x, x) (symmetric)", call=call)
    assert float(torch.linalg.eigvalsh(K).min()) > -1e-9 * float(K.diagonal().max()), f"{call}: Θ(x, x) is not PSD"


@settings(max_examples=10)
@given(seed=seeds(), width=st.integers(2, 16), eta=st.sampled_from([1e-4, 1e-5]))
def test_ntk_predicts_the_effect_of_a_gradient_step(kata, seed, width, eta):
    """f_after(x) − f_before(x) = −η Σ_j Θ(x, X_j) ∂L/∂f(X_j) + O(η²) for one GD step on L."""
    model = mlp(seed, 2, width, 1)
    g = torch.Generator().manual_seed(seed)
    X, y = torch.randn(6, 2, generator=g, dtype=torch.float64), torch.randn(6, generator=g, dtype=torch.float64)
    xt = torch.randn(4, 2, generator=g, dtype=torch.float64)
    K = kata.empirical_ntk(model, xt, X)
    with torch.no_grad():
        before, fX = model(xt).squeeze(-1), model(X).squeeze(-1)
    dL_df = (fX - y) / len(X)  # L = ½ mean (f − y)²
    loss = 0.5 * ((model(X).squeeze(-1) - y) ** 2).mean()
    grads = torch.autograd.grad(loss, list(model.parameters()))
    with torch.no_grad():
        for p, gr in zip(model.parameters(), grads, strict=True):
            p -= eta * gr
        after = model(xt).squeeze(-1)
    predicted = -eta * K @ dL_df
    scale = float(predicted.abs().max()) + 1e-300
    assert_close(after - before, predicted, rtol=0, atol=50 * eta * scale + 1e-14,
                 name="output change after one GD step (vs −η Θ ∂L/∂f, first order)",
                 call=describe_call(f"empirical_ntk(MLP(width={width})) used to predict a step of lr {eta}", xt, X))
