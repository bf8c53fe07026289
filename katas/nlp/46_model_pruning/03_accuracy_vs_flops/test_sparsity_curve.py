"""Tests for nlp-46-3, a pruned model's loss against its FLOPs reduction.

References: torch.nn.utils.prune.global_unstructured (L1) + prune.remove for the pruned weights;
torch.utils.flop_counter.FlopCounterMode for the dense linear FLOPs; count_nonzero for the sparse
ones; grader.lm.evaluate_loss on the workbook's trained char GPT for the measured curve; the figure's
structure (Agg backend).
"""
import copy

import pytest
import torch
import torch.nn.utils.prune as prune
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

pytestmark = pytest.mark.slow  # evaluates the trained model at several sparsities


def mlp(seed):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(5, 7), nn.ReLU(), nn.Linear(7, 3), nn.Sequential(nn.Linear(3, 4)))


@given(sparsity=st.sampled_from([0.0, 0.1, 0.33, 0.5, 0.8, 1.0]), seed=seeds())
@example(sparsity=0.5, seed=0)
@settings(max_examples=15)
def test_pruning_matches_torch_global_unstructured(kata, sparsity, seed):
    model = mlp(seed)
    before = copy.deepcopy(model.state_dict())
    call = describe_call("prune_linear_weights", "mlp", sparsity)
    got = kata.prune_linear_weights(model, sparsity)
    ref = copy.deepcopy(model)
    params = [(m, "weight") for m in ref.modules() if isinstance(m, nn.Linear)]
    prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=sparsity)
    for m, name in params:
        prune.remove(m, name)
    for (name, p), q in zip(got.state_dict().items(), ref.state_dict().values(), strict=True):
        assert_close(p, q, rtol=0, atol=0, call=call, name=f"{name} (torch global_unstructured L1 + remove)")
    for name, p in model.state_dict().items():
        assert torch.equal(p, before[name]), f"{call} changed the original model's {name}"
    hooked = [n for n, m in got.named_modules() if m._forward_pre_hooks]
    assert not hooked, f"{call} left pruning hooks on {hooked}: make the pruning permanent (prune.remove)"


@pytest.mark.parametrize("sparsity", [-0.1, 1.5])
def test_pruning_rejects_bad_sparsity(kata, sparsity):
    with pytest.raises(ValueError):
        kata.prune_linear_weights(mlp(0), sparsity)
        pytest.fail(f"prune_linear_weights(model, {sparsity}) returned instead of raising ValueError")


@given(n_tokens=st.integers(1, 40), sparsity=st.sampled_from([0.0, 0.5, 0.9]), seed=seeds())
@example(n_tokens=7, sparsity=0.0, seed=0)
@settings(max_examples=10)
def test_linear_flops(kata, n_tokens, sparsity, seed):
    model = mlp(seed)
    if sparsity:
        params = [(m, "weight") for m in model.modules() if isinstance(m, nn.Linear)]
        prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=sparsity)
        for m, name in params:
            prune.remove(m, name)
    call = describe_call("linear_flops", f"mlp at sparsity {sparsity}", n_tokens)
    got = kata.linear_flops(model, n_tokens)
    dense = 0
    for m in model.modules():
        if isinstance(m, nn.Linear):
            with FlopCounterMode(display=False) as counter:
                m(torch.zeros(n_tokens, m.in_features))
            dense += counter.get_total_flops()
    nnz = sum(int((m.weight != 0).sum()) for m in model.modules() if isinstance(m, nn.Linear))
    numel = sum(m.weight.numel() for m in model.modules() if isinstance(m, nn.Linear))
    assert_equal(got, dense * nnz // numel, call=call,
                 name="FLOPs (FlopCounterMode's dense count scaled by the fraction of nonzero weights)")


def test_curve_on_the_trained_model_and_its_plot(kata):
    model = lm.load_model()
    _, val = lm.corpus_splits()
    val = val[:1024]   # 1023 targets: 31 whole windows of 32, 992 tokens (not 1024)
    sparsities = [0.0, 0.3, 0.7, 0.9]
    call = describe_call("sparsity_curve", "char_gpt", sparsities, val, context=32)
    curve = kata.sparsity_curve(model, sparsities, val, context=32)
    assert [c[0] for c in curve] == sparsities, f"{call} returned sparsities {[c[0] for c in curve]}"
    n_tokens = ((len(val) - 1) // 32) * 32
    want = []
    for s in sparsities:
        ref = copy.deepcopy(model)
        params = [(m, "weight") for m in ref.modules() if isinstance(m, nn.Linear)]
        prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=s)
        for m, name in params:
            prune.remove(m, name)
        nnz = sum(int((m.weight != 0).sum()) for m, _ in params)
        want.append((s, 2 * n_tokens * nnz, lm.evaluate_loss(ref, val, context=32)))
    assert_equal([c[1] for c in curve], [w[1] for w in want], call=call, name="linear FLOPs per point")
    assert_close([c[2] for c in curve], [w[2] for w in want], rtol=1e-9, atol=0, call=call, name="validation losses")
    longer = lm.corpus_splits()[1][:1025]
    one = kata.sparsity_curve(model, [0.0], longer, context=32)   # 1024 targets: exactly 32 windows
    assert_equal(one[0][1], 2 * 1024 * sum(m.weight.numel() for m in model.modules() if isinstance(m, nn.Linear)),
                 call=describe_call("sparsity_curve", "char_gpt", [0.0], longer, context=32),
                 name="dense linear FLOPs for 1024 scored tokens")
    losses = [c[2] for c in curve]
    assert losses[-1] > losses[0] + 1.0 and losses[1] < losses[0] + 0.3, (
        f"measured losses {[round(x, 3) for x in losses]} at sparsities {sparsities}: expected mild damage at 30 % "
        "and a large loss increase at 90 %")
    check_plot(kata, curve)


def check_plot(kata, curve):
    fig = kata.plot_curve(curve)
    ax, = fig.axes
    assert ax.get_xlabel() == "FLOPs reduction" and ax.get_ylabel() == "validation loss (nats)", (
        f"plot_curve: axis labels {ax.get_xlabel()!r}, {ax.get_ylabel()!r}")
    line, = ax.get_lines()
    x, y = line.get_data()
    assert_close(list(x), [1 - c[1] / curve[0][1] for c in curve], rtol=1e-12, atol=1e-12, call="plot_curve(curve)",
                 name="x data (FLOPs reduction)")
    assert_close(list(y), [c[2] for c in curve], rtol=1e-12, atol=0, call="plot_curve(curve)",
                 name="y data (validation loss)")
    assert line.get_marker() not in (None, "None", ""), "plot_curve: draw a marker at each point"


def test_plot_uses_flops_reduction_not_sparsity(kata):
    """Layer-wise sparsity or dense layers make the FLOPs reduction differ from the sparsity."""
    check_plot(kata, [(0.0, 1000, 1.5), (0.5, 700, 1.6), (0.9, 200, 3.0)])
