"""Tests for nlp-10-3, activation distributions layer by layer.

Reference: every intermediate tensor of the given residual stack recomputed by hand from its
layers' weights (F.layer_norm, F.linear, the activation) in float64; numpy for the statistics
(population std, ddof=0) and for histograms on shared edges (numpy.histogram); the exact property
that LayerNorm outputs (unit scale, zero shift) have zero mean and unit variance; and the data of
the StepPatch each axes draws.
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_dtype, assert_equal, describe_call

ACTS = {"gelu": F.gelu, "relu": F.relu, "tanh": torch.tanh}


def make_model(kata, depth: int, norm: str, activation: str, seed: int, gain: float = 1.0):
    torch.manual_seed(seed)
    return kata.ResidualStack(3, 6, depth, 10, norm=norm, activation=activation, init_gain=gain).double()


def reference_activations(model, x: torch.Tensor, activation: str) -> dict[str, torch.Tensor]:
    """Every submodule's output, recomputed from the weights."""
    def norm(mod, h):
        return F.layer_norm(h, (h.shape[-1],), mod.weight, mod.bias, mod.eps) if hasattr(mod, "eps") else h

    out = {}
    with torch.no_grad():
        h = F.linear(x, model.embed.weight, model.embed.bias)
        out["embed"] = h
        for i, blk in enumerate(model.blocks):
            n = norm(blk.norm, h)
            pre = F.linear(n, blk.fc1.weight, blk.fc1.bias)
            act = ACTS[activation](pre)
            f = F.linear(act, blk.fc2.weight, blk.fc2.bias)
            h = h + f
            out.update({f"blocks.{i}.norm": n, f"blocks.{i}.fc1": pre, f"blocks.{i}.act": act,
                        f"blocks.{i}.fc2": f, f"blocks.{i}": h})
        out["final_norm"] = norm(model.final_norm, h)
    return out


def hook_count(model) -> int:
    return sum(len(m._forward_hooks) for m in model.modules())


@given(depth=dims(1, 4), norm=st.sampled_from(["layernorm", "none"]), activation=st.sampled_from(list(ACTS)),
       n=dims(1, 16), seed=seeds(), data=st.data())
@example(depth=3, norm="layernorm", activation="relu", n=8, seed=0, data=None)
def test_capture_activations(kata, depth, norm, activation, n, seed, data):
    model = make_model(kata, depth, norm, activation, seed)
    x = torch.randn(n, 3, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    want = reference_activations(model, x, activation)
    if data is None:
        names = ["blocks.2.act", "blocks.0.act", "final_norm", "blocks.1"]   # not in the model's order
    else:
        names = data.draw(st.lists(st.sampled_from(sorted(want)), min_size=1, max_size=6, unique=True), label="names")
    call = describe_call("capture_activations", f"ResidualStack(depth={depth}, {norm}, {activation})", x, names)
    got = kata.capture_activations(model, x, names)
    assert list(got) == names, f"{call} returned keys {list(got)}, expected exactly {names} in that order"
    for name in names:
        assert not got[name].requires_grad, f"{call}: {name!r} still requires grad; detach or run under no_grad"
        hint = ""
        if got[name].shape != want[name].shape:
            hint = " (the shape of the module's input? record the hook's output argument)"
        assert_close(got[name], want[name], rtol=1e-12, atol=1e-12, name=f"output of {name!r}{hint}", call=call)
    assert hook_count(model) == 0, f"{call} left {hook_count(model)} forward hooks on the model; remove them"


def test_capture_removes_hooks_even_when_the_forward_fails(kata):
    model = make_model(kata, 2, "layernorm", "gelu", 0)
    with pytest.raises(RuntimeError):
        kata.capture_activations(model, torch.randn(4, 5, dtype=torch.float64), ["blocks.0.act"])   # wrong width
    assert hook_count(model) == 0, f"after a failing forward {hook_count(model)} hooks remain: remove them in a finally"
    with pytest.raises(KeyError):
        kata.capture_activations(model, torch.randn(4, 3, dtype=torch.float64), ["blocks.9.act"])
    assert hook_count(model) == 0, "an unknown name left hooks behind"
    calls = []
    model.register_forward_pre_hook(lambda m, args: calls.append(1))
    with pytest.raises(KeyError):     # a valid name first: its hook must not be left behind either
        kata.capture_activations(model, torch.randn(4, 3, dtype=torch.float64), ["blocks.0.act", "blocks.9.act"])
    assert hook_count(model) == 0, "capture_activations(..., ['blocks.0.act', 'blocks.9.act']) left hooks behind"
    assert not calls, ("capture_activations(..., ['blocks.0.act', 'blocks.9.act']) ran the model before raising "
                       "KeyError: check every name before running anything")


@given(n_tensors=dims(1, 4), seed=seeds(), relu=st.booleans(), dtype=st.sampled_from([torch.float32, torch.float64]))
@example(n_tensors=3, seed=0, relu=True, dtype=torch.float64)
@example(n_tensors=2, seed=1, relu=False, dtype=torch.float32)   # a float32 model's activations: stats in float64
def test_activation_stats_match_numpy(kata, n_tensors, seed, relu, dtype):
    g = torch.Generator().manual_seed(seed)
    acts = {f"layer {i}": (torch.randn(int(torch.randint(1, 5, (1,), generator=g)), 7, generator=g,
                                       dtype=torch.float64) * (i + 1) + i).to(dtype) for i in range(n_tensors)}
    if relu:
        acts = {k: torch.relu(v) for k, v in acts.items()}
    call = describe_call("activation_stats", f"<{n_tensors} {str(dtype)[6:]} tensors{' after ReLU' if relu else ''}>")
    got = kata.activation_stats(acts)
    assert list(got) == list(acts), f"{call} returned keys {list(got)}, expected {list(acts)}"
    for name, a in acts.items():
        v = a.double().numpy().reshape(-1)   # the float32 values, exactly, in float64
        want = {"mean": v.mean(), "std": v.std(ddof=0), "rms": np.sqrt(np.mean(v ** 2)), "abs_max": np.abs(v).max(),
                "frac_zero": np.mean(v == 0)}
        assert set(got[name]) >= set(want), f"{call}[{name!r}] has keys {sorted(got[name])}, expected {sorted(want)}"
        for stat, value in want.items():
            hint = ""
            if stat == "std" and v.size > 1 and np.isclose(got[name][stat], v.std(ddof=1), rtol=1e-9):
                hint = " (that is the unbiased std, ddof=1; use the population std, correction=0)"
            if stat == "frac_zero" and np.isclose(got[name][stat], np.mean(v <= 0), rtol=1e-9) and np.any(v < 0):
                hint = " (that counts negatives too; only exact zeros)"
            # float64 reductions on both sides (float32 inputs too: float32 sums would be off by ~1e-7).
            assert_close(got[name][stat], value, rtol=1e-10, atol=1e-12, name=f"{name!r} {stat}{hint}", call=call)


@given(depth=dims(1, 4), n=dims(2, 32), seed=seeds(), gain=st.sampled_from([0.5, 1.0, 3.0]))
@example(depth=4, n=16, seed=0, gain=3.0)
def test_layer_norm_outputs_are_standardized_at_every_depth(kata, depth, n, seed, gain):
    """Whatever the residual stream does with depth, LayerNorm standardizes every row:

    row mean 0 and row variance var / (var + eps), so over all elements mean 0 and
    std = sqrt(mean over rows of var_r / (var_r + eps)), just under 1.
    """
    model = make_model(kata, depth, "layernorm", "gelu", seed, gain)
    x = torch.randn(n, 3, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    names = [f"blocks.{i}.norm" for i in range(depth)] + ["final_norm"]
    stats = kata.activation_stats(kata.capture_activations(model, x, names))
    ref = reference_activations(model, x, "gelu")
    inputs = [ref["embed"]] + [ref[f"blocks.{i}"] for i in range(depth)]     # what each norm receives
    for name, h in zip(names, inputs, strict=True):
        var = h.var(dim=-1, correction=0)
        want_std = float(torch.sqrt((var / (var + 1e-5)).mean()))
        s = stats[name]
        # float64: the row means cancel to ~1e-16, the std follows from the closed form to ~1e-12.
        assert abs(s["mean"]) < 1e-9 and abs(s["std"] - want_std) < 1e-9, (
            f"LayerNorm output {name!r}: mean {s['mean']:.3g}, std {s['std']:.12g}; expected 0 and {want_std:.12g}")


@given(n_tensors=dims(1, 4), bins=st.sampled_from([1, 10, 16, 25, 40]), seed=seeds(), explicit=st.booleans(),
       dtype=st.sampled_from([torch.float32, torch.float64]))
@example(n_tensors=3, bins=10, seed=0, explicit=False, dtype=torch.float64)
@example(n_tensors=2, bins=16, seed=1, explicit=True, dtype=torch.float64)
@example(n_tensors=2, bins=25, seed=2, explicit=False, dtype=torch.float32)   # float32 activations: float64 edges
def test_shared_histograms_match_numpy(kata, n_tensors, bins, seed, explicit, dtype):
    g = torch.Generator().manual_seed(seed)
    acts = {f"blocks.{i}": (torch.randn(5, 6, generator=g, dtype=torch.float64) * (1 + i) + 0.3 * i).to(dtype)
            for i in range(n_tensors)}
    value_range = (-2.5, 3.0) if explicit else None
    call = describe_call("shared_histograms", f"<{n_tensors} {str(dtype)[6:]} tensors>", bins=bins, value_range=value_range)
    edges, counts = kata.shared_histograms(acts, bins=bins, value_range=value_range)
    assert_dtype(edges, np.float64, name="edges", call=call)
    assert_dtype(counts, np.int64, name="counts", call=call)
    values = [a.double().numpy().reshape(-1) for a in acts.values()]
    lo, hi = value_range or (min(v.min() for v in values), max(v.max() for v in values))
    want_edges = np.linspace(lo, hi, bins + 1)
    assert_close(edges, want_edges, rtol=1e-12, atol=1e-12, name="edges", call=call)
    want = np.stack([np.histogram(v, bins=want_edges)[0] for v in values])
    per_layer = np.stack([np.histogram(v, bins=bins)[0] for v in values])
    try:
        assert_equal(counts, want, name="counts", call=call)
    except AssertionError as e:
        hint = "each layer binned on its own range: the bins must be shared" if (
            not explicit and n_tensors > 1 and np.array_equal(np.asarray(counts), per_layer)) else ""
        raise AssertionError(f"{e}\n  looks like: {hint}" if hint else str(e)) from None
    if not explicit:
        assert int(np.sum(counts)) == sum(v.size for v in values), "with the default range every value is counted"


@settings(max_examples=5)  # a figure per example costs ~50 ms; the structure does not depend on the numbers
@given(depth=dims(1, 4), bins=st.sampled_from([10, 25]), seed=seeds())
@example(depth=3, bins=10, seed=0)
def test_plot_activation_distributions(kata, depth, bins, seed):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure
    from matplotlib.patches import StepPatch

    model = make_model(kata, depth, "none", "relu", seed, gain=1.5)
    x = torch.randn(32, 3, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    ref = reference_activations(model, x, "relu")
    acts = {f"blocks.{i}": ref[f"blocks.{i}"] for i in range(depth)}
    values = [a.numpy().reshape(-1) for a in acts.values()]
    edges = np.linspace(min(v.min() for v in values), max(v.max() for v in values), bins + 1)
    call = describe_call("plot_activation_distributions", f"<{depth} residual-stream tensors>", bins=bins)
    fig = kata.plot_activation_distributions(acts, bins=bins)
    try:
        assert isinstance(fig, Figure), f"{call} returned {type(fig).__name__}, expected a matplotlib Figure"
        axes = [ax for ax in fig.axes if any(isinstance(p, StepPatch) for p in ax.patches)]
        assert len(axes) == depth, f"{call}: {len(axes)} axes hold a stairs histogram, expected one per tensor ({depth})"
        assert len(fig.axes) == depth, f"{call}: the figure has {len(fig.axes)} axes, expected exactly one per tensor ({depth})"
        for ax, (name, v) in zip(axes, zip(acts, values, strict=True), strict=True):
            assert ax.get_title() == name, f"{call}: axes titled {ax.get_title()!r}, expected {name!r}"
            assert ax.get_ylabel() == "count", f"{call}: {name!r} y label {ax.get_ylabel()!r}, expected 'count'"
            step = next(p for p in ax.patches if isinstance(p, StepPatch))
            got_values, got_edges = step.get_data()[:2]
            assert_close(got_edges, edges, rtol=1e-12, atol=1e-12, name=f"{name!r} edges (shared by every layer)",
                         call=call)
            assert_close(got_values, np.histogram(v, bins=edges)[0], rtol=0, atol=0, name=f"{name!r} counts", call=call)
        assert axes[-1].get_xlabel() == "activation", \
            f"{call}: bottom axes x label {axes[-1].get_xlabel()!r}, expected 'activation'"
    finally:
        plt.close(fig)
