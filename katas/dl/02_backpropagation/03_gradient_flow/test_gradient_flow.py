"""Tests for dl-02-3, per-layer gradient norms and vanishing gradients.

References: the closed-form gradients of a deep linear network computed in numpy; loss.backward()
and p.grad on a deep copy of the model (forward hooks with retain_grad for the pre-activations);
the chain-rule bound ‖δ_l‖ ≤ max|f'| · ‖W_{l+1}‖₂ · ‖δ_{l+1}‖ with torch.linalg.matrix_norm(ord=2);
and the measured contrast between deep sigmoid nets (gradients vanish) and He-initialised ReLU nets.
"""
import copy

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

ACTS = st.sampled_from(["sigmoid", "tanh", "relu"])


def data(seed: int, n: int, d_in: int, d_out: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(n, d_in, generator=g, dtype=torch.float64),
            torch.randn(n, d_out, generator=g, dtype=torch.float64))


def linear_chain_reference(model: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> tuple[list, list]:
    """Backprop by hand in numpy for a stack of Linear layers with no activation."""
    Ws = [m.weight.detach().numpy() for m in model]
    bs = [m.bias.detach().numpy() for m in model]
    hs = [x.numpy()]
    for W, b in zip(Ws, bs, strict=True):
        hs.append(hs[-1] @ W.T + b)
    delta = 2 * (hs[-1] - y.numpy()) / y.numel()
    dW, dh = [], []
    for i in reversed(range(len(Ws))):
        dh.append(np.linalg.norm(delta))
        dW.append(np.linalg.norm(delta.T @ hs[i]))
        delta = delta @ Ws[i]
    return dW[::-1], dh[::-1]


def torch_reference(model: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> tuple[list, list]:
    twin = copy.deepcopy(model)
    outs = []

    def keep(mod: torch.nn.Module, inp: tuple, out: torch.Tensor) -> None:
        out.retain_grad()
        outs.append(out)

    for m in twin:
        if isinstance(m, torch.nn.Linear):
            m.register_forward_hook(keep)
    torch.nn.functional.mse_loss(twin(x), y).backward()
    lins = [m for m in twin if isinstance(m, torch.nn.Linear)]
    return [float(m.weight.grad.norm()) for m in lins], [float(o.grad.norm()) for o in outs]


def sentinel_grads(model: torch.nn.Sequential) -> dict:
    for i, p in enumerate(model.parameters()):
        p.grad = None if i % 2 else torch.full_like(p, 7.0)
    return {n: None if p.grad is None else p.grad.clone() for n, p in model.named_parameters()}


def assert_grads_untouched(model: torch.nn.Sequential, before: dict, call: str) -> None:
    for n, p in model.named_parameters():
        same = (p.grad is None) if before[n] is None else (p.grad is not None and torch.equal(p.grad, before[n]))
        assert same, (f"{call} changed {n}.grad (it was {'None' if before[n] is None else 'filled with 7.0'}): "
                      "use torch.autograd.grad, which returns gradients without touching .grad")


@given(seed=seeds(), depth=st.integers(1, 5), width=st.integers(1, 6), n=st.integers(1, 5))
@example(seed=0, depth=1, width=3, n=1)
def test_linear_chain_matches_closed_form(kata, seed, depth, width, n):
    model = kata.deep_mlp(depth, width, 3, 2, "linear", seed)
    x, y = data(seed, n, 3, 2)
    call = describe_call(f"weight_grad_norms(deep_mlp({depth}, {width}, 3, 2, 'linear'))", x, y)
    want_w, want_h = linear_chain_reference(model, x, y)
    # float64 products of a few small matrices: 1e-10 relative is rounding.
    assert_close(kata.weight_grad_norms(model, x, y), want_w, rtol=1e-10, atol=1e-14,
                 name="‖∂L/∂W_l‖ per layer, first layer first (vs numpy backprop)", call=call)
    assert_close(kata.preactivation_grad_norms(model, x, y), want_h, rtol=1e-10, atol=1e-14,
                 name="‖∂L/∂h_l‖ per layer, first layer first (vs numpy backprop)",
                 call=call.replace("weight_grad_norms", "preactivation_grad_norms"))


@given(seed=seeds(), depth=st.integers(2, 6), width=st.integers(2, 8), n=st.integers(1, 6), act=ACTS)
@example(seed=1, depth=4, width=5, n=3, act="sigmoid")
def test_nonlinear_nets_match_backward_and_leave_grad_alone(kata, seed, depth, width, n, act):
    model = kata.deep_mlp(depth, width, 4, 3, act, seed)
    x, y = data(seed, n, 4, 3)
    before = sentinel_grads(model)
    want_w, want_h = torch_reference(model, x, y)
    call = describe_call(f"weight_grad_norms(deep_mlp({depth}, {width}, 4, 3, {act!r}))", x, y)
    got_w = kata.weight_grad_norms(model, x, y)
    assert_grads_untouched(model, before, call)
    assert_close(got_w, want_w, rtol=1e-10, atol=1e-14, name="‖∂L/∂W_l‖ (vs loss.backward() + p.grad)", call=call)
    call = call.replace("weight_grad_norms", "preactivation_grad_norms")
    got_h = kata.preactivation_grad_norms(model, x, y)
    assert_grads_untouched(model, before, call)
    assert_close(got_h, want_h, rtol=1e-10, atol=1e-14,
                 name="‖∂L/∂h_l‖, h_l the output of the l-th Linear (vs retain_grad)", call=call)


@given(seed=seeds(), depth=st.integers(2, 8), act=st.sampled_from(["sigmoid", "tanh"]))
def test_chain_rule_bound_between_layers(kata, seed, depth, act):
    """δ_l = f'(h_l) ⊙ (δ_{l+1} W_{l+1}), so ‖δ_l‖ ≤ max|f'| · ‖W_{l+1}‖₂ · ‖δ_{l+1}‖ (¼ for σ, 1 for tanh)."""
    model = kata.deep_mlp(depth, 16, 4, 2, act, seed)
    x, y = data(seed, 8, 4, 2)
    norms = kata.preactivation_grad_norms(model, x, y)
    lins = [m for m in model if isinstance(m, torch.nn.Linear)]
    slope = 0.25 if act == "sigmoid" else 1.0
    for i in range(depth - 1):
        bound = slope * float(torch.linalg.matrix_norm(lins[i + 1].weight.detach(), ord=2)) * norms[i + 1]
        assert norms[i] <= bound * (1 + 1e-9), (
            f"preactivation_grad_norms of a depth-{depth} {act} net: layer {i} has {norms[i]:.4g}, above the "
            f"chain-rule bound {bound:.4g} from layer {i + 1} ({norms[i + 1]:.4g}): is the list in input-to-output order?")


@settings(max_examples=5)
@given(seed=seeds())
def test_sigmoid_gradients_vanish_relu_he_do_not(kata, seed):
    """Measured at depth 12, width 32: the first layer of a sigmoid net gets ~1e-10 of the last layer's
    weight gradient (σ' ≤ ¼ per layer); a He-initialised ReLU net keeps it within a factor of ~15."""
    x, y = data(seed, 64, 8, 4)
    sig = kata.weight_grad_norms(kata.deep_mlp(12, 32, 8, 4, "sigmoid", seed), x, y)
    relu = kata.weight_grad_norms(kata.deep_mlp(12, 32, 8, 4, "relu", seed), x, y)
    r_sig, r_relu = sig[0] / sig[-1], relu[0] / relu[-1]
    assert r_sig < 1e-6, f"sigmoid net: first/last weight-gradient norm {r_sig:.3g}, expected a vanishing gradient"
    assert 1e-2 < r_relu < 1e2, f"He ReLU net: first/last weight-gradient norm {r_relu:.3g}, expected O(1)"
    d_sig, d_relu = kata.decay_per_layer(sig), kata.decay_per_layer(relu)
    assert d_sig < 0.3 and 0.6 < d_relu < 1.5, (f"decay_per_layer: sigmoid {d_sig:.3f} (expected < 0.3: σ' ≤ 1/4), "
                                                f"He ReLU {d_relu:.3f} (expected ≈ 1)")


@given(norms=st.lists(st.floats(1e-6, 1e6), min_size=2, max_size=8))
@example(norms=[4.0, 2.0, 1.0])
@example(norms=[1.0, 1.0])
def test_decay_per_layer(kata, norms):
    want = np.exp(np.mean(np.diff(-np.log(norms))))  # geometric mean of norms[l] / norms[l + 1]
    assert_close(kata.decay_per_layer(norms), want, rtol=1e-9, atol=0, name="decay_per_layer",
                 call=describe_call("decay_per_layer", norms))


@given(norms=st.sampled_from([[], [1.0], [1.0, 0.0], [2.0, -1.0, 3.0], [0.0, 1.0]]))
def test_decay_per_layer_rejects_bad_input(kata, norms):
    with pytest.raises(ValueError):
        kata.decay_per_layer(norms)


def test_order_is_input_to_output_for_a_two_layer_example(kata):
    """Layer 1 has weights 1e3 × larger gradients than layer 2 here, so a reversed list cannot pass."""
    model = kata.deep_mlp(2, 2, 2, 1, "linear", 0)
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 1.0]]) * 1e3)
        model[1].weight.copy_(torch.tensor([[1.0, 1.0]]))
        model[0].bias.zero_()
        model[1].bias.zero_()
    x, y = torch.tensor([[1e-3, 0.0]], dtype=torch.float64), torch.tensor([[0.0]], dtype=torch.float64)
    got = kata.weight_grad_norms(model, x, y)
    want = linear_chain_reference(model, x, y)[0]
    assert_equal(np.argsort(got), np.argsort(want), name="order of the per-layer norms",
                 call=describe_call("weight_grad_norms", "two-layer net", x, y))
