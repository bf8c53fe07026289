"""Tests for nlp-10-2, ablating norms and activations.

Reference: F.cross_entropy in eval mode without a graph (evaluate); a reference AdamW loop with the
same seeds on a deep copy of the same model (train); a reference ablation built the same way
(run_ablation); and a property no implementation detail can fake: on XOR data a network with
neither norm nor activation is linear and stays at chance (log 2 = 0.693 nats) on train and test,
while the normalized GELU network fits it. The figure is checked for its bars and labels.
"""
import contextlib
import copy
import math

import numpy as np
import pytest
import torch
import torch._dynamo  # noqa: F401  torch.optim imports it on first use (~3 s): pay that once, at collection
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, describe_call

pytestmark = pytest.mark.slow   # the ablation trains tiny models: ~1 s per example

NORMS = st.sampled_from(["layernorm", "rmsnorm", "none"])
ACTS = st.sampled_from(["gelu", "relu", "swiglu", "none"])


@contextlib.contextmanager
def single_thread():
    """Tiny matmuls gain nothing from threads, and on a busy 2-core machine threads spin-wait."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def xor(n: int, d_in: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.randn(n, d_in, generator=g)
    return x, (x[:, 0] * x[:, 1] > 0).long()


def reference_train(model, x, y, steps: int, lr: float, batch_size: int, seed: int) -> list[float]:
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    g = torch.Generator().manual_seed(seed)
    model.train()
    out = []
    for _ in range(steps):
        idx = torch.randint(len(x), (batch_size,), generator=g)
        loss = F.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        out.append(loss.item())
    return out


def reference_eval(model, x, y) -> float:
    model.eval()
    with torch.no_grad():
        return float(F.cross_entropy(model(x), y))


@given(n=dims(1, 64), norm=NORMS, act=ACTS, seed=seeds(), start_training=st.booleans())
@example(n=32, norm="layernorm", act="gelu", seed=0, start_training=True)
def test_evaluate_is_eval_mode_cross_entropy(kata, n, norm, act, seed, start_training):
    torch.manual_seed(seed)
    model = kata.ToyNet(4, 8, 2, norm, act, dropout=0.5)    # heavy dropout: train mode would show
    model.train(start_training)
    x, y = xor(n, 4, torch.Generator().manual_seed(seed))
    call = describe_call("evaluate", f"ToyNet({norm}, {act}, dropout=0.5) in {'train' if start_training else 'eval'} mode",
                         x, y)
    got = kata.evaluate(model, x, y)
    assert model.training == start_training, (
        f"{call} left the model in {'train' if model.training else 'eval'} mode; restore the mode it was in")
    want = reference_eval(copy.deepcopy(model), x, y)
    assert isinstance(got, float), f"{call} returned {type(got).__name__}, expected a Python float"
    # float32 model, the same forward: identical up to rounding.
    assert_close(got, want, rtol=1e-5, atol=1e-6, name="loss (dropout must be off)", call=call)
    assert all(p.grad is None for p in model.parameters()), f"{call} left gradients behind: evaluate needs no graph"


@settings(max_examples=5)
@given(norm=NORMS, act=ACTS, steps=dims(1, 8), batch=dims(1, 32), seed=seeds(), dropout=st.sampled_from([0.0, 0.3]),
       start_eval=st.booleans())
@example(norm="layernorm", act="gelu", steps=5, batch=16, seed=0, dropout=0.3, start_eval=True)
def test_train_matches_the_reference_loop(kata, norm, act, steps, batch, seed, dropout, start_eval):
    with single_thread():
        torch.manual_seed(seed)
        model = kata.ToyNet(4, 8, 2, norm, act, dropout=dropout)
        if start_eval:
            model.eval()                        # e.g. left over from an evaluate call
        ref = copy.deepcopy(model)
        x, y = xor(48, 4, torch.Generator().manual_seed(seed + 1))
        call = describe_call("train", f"ToyNet({norm}, {act}, dropout={dropout})", x, y, steps, 1e-2, batch, seed)
        torch.manual_seed(seed + 2)                               # dropout's stream, the same for both runs
        got = kata.train(model, x, y, steps, 1e-2, batch, seed)
        torch.manual_seed(seed + 2)
        want = reference_train(ref, x, y, steps, 1e-2, batch, seed)
    assert len(got) == steps, f"{call} returned {len(got)} losses, expected one per step ({steps})"
    # float32, the same operations in the same order; 1e-5 absorbs harmless reorderings.
    assert_close(got, want, rtol=1e-5, atol=1e-6, name="per-step losses", call=call)
    for (name, p), q in zip(model.named_parameters(), ref.parameters(), strict=True):
        assert_close(p.detach(), q.detach(), rtol=1e-4, atol=1e-5, name=f"trained parameter {name}", call=call)


@settings(max_examples=1)  # plus the explicit example: each trains and re-trains two tiny models (~1 s)
@given(seed=seeds())
@example(seed=0)
def test_run_ablation(kata, seed):
    variants = {"baseline": ("layernorm", "gelu"), "linear": ("none", "none")}
    steps, lr, batch = 60, 1e-2, 64
    g = torch.Generator().manual_seed(seed)
    train_data, test_data = xor(256, 4, g), xor(512, 4, g)
    call = describe_call("run_ablation", variants, train_data, test_data, steps, lr, batch, seed=seed)
    with single_thread():
        res = kata.run_ablation(variants, train_data, test_data, steps, lr, batch_size=batch, seed=seed)
        assert list(res) == list(variants), f"{call} returned variants {list(res)}, expected {list(variants)} in order"
        for name, (norm, act) in variants.items():
            torch.manual_seed(seed)
            model = kata.ToyNet(4, 16, 2, norm, act, 0.0)
            curve = reference_train(model, *train_data, steps, lr, batch, seed)
            want = {"train_loss": reference_eval(model, *train_data), "test_loss": reference_eval(model, *test_data)}
            got = res[name]
            assert set(got) >= {"train_loss", "test_loss", "curve"}, f"{call}[{name!r}] has keys {sorted(got)}"
            hint = ""
            if abs(got["train_loss"] - curve[-1]) < 1e-6 and abs(want["train_loss"] - curve[-1]) > 1e-4:
                hint = " (it is the last minibatch's loss: evaluate the whole training set after training)"
            # float32 training replayed with the same seeds: identical up to harmless reorderings.
            assert_close(got["curve"], curve, rtol=1e-4, atol=1e-5, name=f"{name!r} curve (same seed for every variant?)",
                         call=call)
            for key in ("train_loss", "test_loss"):
                assert_close(got[key], want[key], rtol=1e-4, atol=1e-5, name=f"{name!r} {key}{hint}", call=call)
    lin, base = res["linear"], res["baseline"]
    chance = math.log(2)
    # Over 40 seeds: linear train >= 0.67 and test >= 0.69; baseline train <= 0.17 and test <= 0.29.
    assert lin["train_loss"] > 0.6 and lin["test_loss"] > 0.6, (
        f"without norm and activation the network is linear and cannot beat chance ({chance:.3f}) on XOR, "
        f"yet {call} reports train {lin['train_loss']:.3f} / test {lin['test_loss']:.3f}")
    assert base["train_loss"] < 0.4 and base["test_loss"] < 0.5, (
        f"the LayerNorm + GELU network should fit XOR (train < 0.4, test < 0.5 nats); got train "
        f"{base['train_loss']:.3f} / test {base['test_loss']:.3f}")


@settings(max_examples=3)
@given(seed=seeds(), d_model=st.sampled_from([4, 8]), n_blocks=dims(1, 3), dropout=st.sampled_from([0.0, 0.25]))
@example(seed=0, d_model=8, n_blocks=1, dropout=0.25)
def test_run_ablation_builds_the_requested_architecture(kata, seed, d_model, n_blocks, dropout):
    """d_model, n_blocks and dropout reach every ToyNet (a few steps are enough to tell)."""
    variants = {"rms+relu": ("rmsnorm", "relu")}
    steps, lr, batch = 3, 1e-2, 16
    g = torch.Generator().manual_seed(seed)
    train_data, test_data = xor(32, 4, g), xor(32, 4, g)
    call = describe_call("run_ablation", variants, train_data, test_data, steps, lr, batch, seed=seed,
                         d_model=d_model, n_blocks=n_blocks, dropout=dropout)
    with single_thread():
        res = kata.run_ablation(variants, train_data, test_data, steps, lr, batch_size=batch, seed=seed,
                                d_model=d_model, n_blocks=n_blocks, dropout=dropout)
        torch.manual_seed(seed)
        model = kata.ToyNet(4, d_model, n_blocks, "rmsnorm", "relu", dropout)
        curve = reference_train(model, *train_data, steps, lr, batch, seed)
    assert_close(res["rms+relu"]["curve"], curve, rtol=1e-4, atol=1e-5,
                 name=f"curve of ToyNet(4, d_model={d_model}, n_blocks={n_blocks}, dropout={dropout})", call=call)


@settings(max_examples=5)  # a figure per example costs ~50 ms; the structure does not depend on the numbers
@given(n=dims(1, 5), seed=seeds())
@example(n=3, seed=0)
def test_plot_ablation(kata, n, seed):
    import matplotlib.pyplot as plt
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure

    rng = np.random.default_rng(seed)
    results = {f"variant {i}": {"train_loss": float(rng.uniform(0, 1)), "test_loss": float(rng.uniform(0, 1)),
                                "curve": [1.0, 0.5]} for i in range(n)}
    fig = kata.plot_ablation(results)
    call = describe_call("plot_ablation", f"<{n} variants>")
    try:
        assert isinstance(fig, Figure), f"{call} returned {type(fig).__name__}, expected a matplotlib Figure"
        axes = [ax for ax in fig.axes if ax.containers]
        assert len(axes) == 1, f"{call}: {len(axes)} axes hold bars, expected 1"
        ax = axes[0]
        bars = {c.get_label(): c for c in ax.containers if isinstance(c, BarContainer)}
        assert set(bars) == {"train", "test"}, f"{call}: bar groups labelled {sorted(bars)}, expected 'train' and 'test'"
        for key, label in (("train_loss", "train"), ("test_loss", "test")):
            heights = [p.get_height() for p in bars[label].patches]
            assert_close(heights, [results[v][key] for v in results], rtol=0, atol=1e-12,
                         name=f"heights of the {label!r} bars (in variant order)", call=call)
        ticks = [t.get_text() for t in ax.get_xticklabels()]
        assert ticks == list(results), f"{call}: x tick labels {ticks}, expected the variant names {list(results)}"
        # Grouped bars: a variant's train and test bars sit side by side (no overlap) around its tick.
        for i, (name, tick) in enumerate(zip(results, ax.get_xticks(), strict=True)):
            spans = {label: (round(float(p.get_x()), 6), round(float(p.get_x() + p.get_width()), 6))
                     for label, p in (("train", bars["train"].patches[i]), ("test", bars["test"].patches[i]))}
            (l1, r1), (l2, r2) = sorted(spans.values())
            assert r1 <= l2 + 1e-9, f"{call}: the train and test bars of {name!r} overlap: x spans {spans}; draw them side by side"
            assert l1 <= tick <= r2, f"{call}: the tick of {name!r} at x = {tick} is not under its bars {spans}"
        assert ax.get_ylabel() == "loss", f"{call}: y label {ax.get_ylabel()!r}, expected 'loss'"
        assert ax.get_legend() is not None, f"{call}: no legend"
    finally:
        plt.close(fig)
