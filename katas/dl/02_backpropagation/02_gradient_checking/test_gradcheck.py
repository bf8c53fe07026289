"""Tests for dl-02-2, gradient checking by central differences.

References: the central difference of x³ is exactly 3x² + ε² (so the formula and ε are pinned);
torch.autograd.grad for smooth functions; and torch.autograd.gradcheck's verdict on correct torch
modules and on modules with deliberately broken custom backward passes, which a gradient checker
exists to catch.
"""
import numpy as np
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

SHAPES = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)


@given(shape=SHAPES, seed=seeds(), eps=st.sampled_from([1e-2, 1e-3, 1e-4]))
@example(shape=(1,), seed=0, eps=1e-2)
def test_central_difference_of_a_cubic_is_exact(kata, shape, seed, eps):
    """(f(x+ε) − f(x−ε)) / 2ε = 3x² + ε² for f = Σ x³: the forward difference would give 3x² + 3xε + ε²."""
    x = np.random.default_rng(seed).uniform(-2, 2, size=shape)
    call = describe_call("numerical_gradient", "lambda x: np.sum(x**3)", x, eps=eps)
    g = call_unmodified(kata.numerical_gradient, lambda v: float(np.sum(v ** 3)), x, eps=eps,
                        fn_name="numerical_gradient")
    # The difference quotient cancels digits: rounding error ~ 1e-16 · 24 / (2ε) relative to f.
    assert_close(g, 3 * x ** 2 + eps ** 2, rtol=0, atol=1e-10 / eps, name="central difference (3x² + ε²)", call=call)


@given(shape=SHAPES, seed=seeds())
def test_default_eps_matches_autograd_on_smooth_functions(kata, shape, seed):
    rng = np.random.default_rng(seed)
    x, A = rng.standard_normal(shape), rng.standard_normal(shape)

    def f(v: np.ndarray) -> float:
        return float(np.sum(np.tanh(A * v) * np.exp(0.3 * v)) + np.sum(v) ** 2)

    xt = torch.tensor(x, requires_grad=True)
    At = torch.tensor(A)
    (torch.sum(torch.tanh(At * xt) * torch.exp(0.3 * xt)) + torch.sum(xt) ** 2).backward()
    g = kata.numerical_gradient(f, x)
    # eps = 1e-6: truncation ~ eps² f''' ≈ 1e-12, rounding ~ 1e-16 · |f| / eps ≈ 1e-9.
    assert_close(g, xt.grad, rtol=1e-6, atol=1e-6, name="numerical gradient (vs torch.autograd)",
                 call=describe_call("numerical_gradient", "f", x))


@given(seed=seeds(), n=st.integers(1, 6), scale=st.sampled_from([1e-8, 1.0, 1e6]))
@example(seed=0, n=1, scale=1.0)
def test_relative_error(kata, seed, n, scale):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(n) * scale, rng.standard_normal(n) * scale
    call = describe_call("relative_error", a, b)
    want = np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))
    assert_close(kata.relative_error(a, b), want, rtol=1e-12, atol=0, name="‖a − b‖ / (‖a‖ + ‖b‖)", call=call)
    assert_close(kata.relative_error(a, a), 0.0, rtol=0, atol=0, name="relative_error(a, a)", call=call)
    assert_close(kata.relative_error(a, -a), 1.0, rtol=1e-12, atol=0, name="relative_error(a, -a)", call=call)


def test_relative_error_of_two_zero_gradients_is_zero(kata):
    z = np.zeros(3)
    got = kata.relative_error(z, z)
    assert got == 0.0, f"relative_error(zeros, zeros) returned {got}, expected 0.0 (not nan)"


class Scale2(torch.autograd.Function):
    """y = 2x with a backward pass chosen by `bug`."""

    @staticmethod
    def forward(ctx, x, bug):  # noqa: ANN001, ANN205
        ctx.bug = bug
        return 2 * x

    @staticmethod
    def backward(ctx, g):  # noqa: ANN001, ANN205
        if ctx.bug == "mean_upstream":  # right only when every upstream gradient is equal
            return 2 * g.mean().expand_as(g), None
        if ctx.bug == "off_by_10pct":
            return 2.2 * g, None
        return 2 * g, None


class Wrapped(torch.nn.Module):
    def __init__(self, d: int, bug: str) -> None:
        super().__init__()
        self.lin = torch.nn.Linear(d, d).double()
        self.bug = bug

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return Scale2.apply(self.lin(x), self.bug)


def build(kind: str, d: int, seed: int) -> torch.nn.Module:
    torch.manual_seed(seed)
    if kind == "mlp":
        return torch.nn.Sequential(torch.nn.Linear(d, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2)).double()
    if kind == "layernorm":
        ln = torch.nn.LayerNorm(d).double()
        with torch.no_grad():
            ln.weight.normal_()
            ln.bias.normal_()
        return ln
    if kind == "conv":
        return torch.nn.Conv1d(1, 2, kernel_size=min(d, 2)).double()
    return Wrapped(d, kind)


def inputs_for(kind: str, d: int, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    shape = (2, 1, d) if kind == "conv" else (2, d)
    return torch.randn(shape, generator=g, dtype=torch.float64)


@settings(max_examples=15)
@given(kind=st.sampled_from(["mlp", "layernorm", "conv", "correct", "mean_upstream", "off_by_10pct"]),
       d=st.integers(3, 5), seed=seeds(), stale=st.booleans())  # d = 2 LayerNorm has a zero input gradient
@example(kind="mean_upstream", d=3, seed=1, stale=False)
@example(kind="mlp", d=3, seed=2, stale=True)
def test_module_checker_agrees_with_torch_gradcheck(kata, kind, d, seed, stale):
    module, x = build(kind, d, seed), inputs_for(kind, d, seed)
    if stale:  # leftover gradients from an earlier step must not leak into the check
        for p in module.parameters():
            p.grad = torch.full_like(p, 5.0)
    before = {k: v.clone() for k, v in module.state_dict().items() if torch.is_tensor(v)}
    call = describe_call(f"check_module_gradients({type(module).__name__} [{kind}], seed={seed})", x)
    errors = call_unmodified(kata.check_module_gradients, module, x, seed, fn_name="check_module_gradients")
    names = ["input"] + [n for n, _ in module.named_parameters()]
    assert_equal(sorted(errors), sorted(names), name="the keys of the returned dict", call=call)
    for k, v in module.state_dict().items():
        if torch.is_tensor(v) and not torch.equal(v, before[k]):
            raise AssertionError(f"{call} changed parameter {k} (max change {float((v - before[k]).abs().max()):.3g}): "
                                 "restore every perturbed entry to its saved value, not by adding eps back")
    xr = x.clone().requires_grad_(True)
    params = [p for p in module.parameters()]
    torch_ok = torch.autograd.gradcheck(lambda inp, *ps: module(inp), (xr, *params), raise_exception=False,
                                        eps=1e-6, atol=1e-6, rtol=1e-4)
    worst = max(errors.values())
    if torch_ok:
        assert worst < 1e-6, f"{call}: torch.autograd.gradcheck passes this module, but you report errors {errors}"
    else:
        assert worst > 1e-3, f"{call}: torch.autograd.gradcheck rejects this module ({kind}), you report {errors}"


@given(seed=seeds(), eps=st.sampled_from([1e-3, 1e-5]), rows=st.sampled_from([2, 4]))
@example(seed=3, eps=1e-3, rows=4)  # 20 outputs: torch.randn draws other values for float32 than for float64
def test_module_checker_uses_eps(kata, seed, eps, rows):
    """A quadratic module's central difference is exact; for a cubic x ↦ x³ it errs by ε² per entry,
    weighted by R: the error pins both ε and the float64 R drawn from the seed."""

    class Cube(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x ** 3

    x = torch.randn((rows, 5), generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    errors = kata.check_module_gradients(Cube(), x, seed, eps=eps)
    R = torch.randn((rows, 5), generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    analytic = (3 * x ** 2 * R).numpy()
    numeric = ((3 * x ** 2 + eps ** 2) * R).numpy()
    want = np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric))
    # Rounding in the difference quotient is ~1e-16 · |L| / ε per entry: 1e-13 against ε² = 1e-6 for ε = 1e-3
    # (1e-4 relative is ample), 1e-11 against ε² = 1e-10 for ε = 1e-5 (5 %).
    assert_close(errors["input"], want, rtol=1e-4 if eps == 1e-3 else 0.05, atol=1e-10,
                 name="error for x³ (ε² per entry of the central difference)",
                 call=describe_call("check_module_gradients", "Cube()", x, seed, eps=eps))
