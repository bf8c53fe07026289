"""Tests for nlp-13-1, training a ladder of model sizes and plotting loss against size.

References: parameter counts from named_parameters (and the closed form against the real
modules, and 12 L d^2 asymptotically); a float64 reference loop with the same seeds and batches
for train_ladder; the figure's scales, labels, line data and annotations (Agg); and a short seeded
ladder on toy English whose held-out loss must fall with every size step.
"""
import contextlib

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it, ~4 s: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, describe_call

SIZES = st.tuples(st.sampled_from([1, 2]), dims(1, 4)).map(lambda hd: (hd[0], hd[0] * hd[1]))   # (n_heads, d_model)


@contextlib.contextmanager
def single_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def lm_loss_reference(logits: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
    return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), idx[:, 1:].reshape(-1))


@given(size=SIZES, n_layers=dims(1, 3), vocab=dims(2, 20), max_len=dims(1, 16))
@example(size=(1, 1), n_layers=1, vocab=2, max_len=1)
def test_count_parameters(kata, size, n_layers, vocab, max_len):
    n_heads, d = size
    model = kata.TinyLM(vocab, d_model=d, n_heads=n_heads, n_layers=n_layers, max_len=max_len)
    everything = sum(p.numel() for p in model.parameters())
    body = sum(p.numel() for name, p in model.named_parameters() if name.split(".")[0] in ("blocks", "norm"))
    call = describe_call("count_parameters", f"TinyLM(vocab={vocab}, d_model={d}, n_layers={n_layers}, "
                                             f"max_len={max_len})")
    got_all, got_body = kata.count_parameters(model, non_embedding=False), kata.count_parameters(model)
    assert got_all == everything, f"{call[:-1]}, non_embedding=False) returned {got_all}, expected {everything}"
    assert got_body == body, (f"{call} returned {got_body}, expected {body}: every scalar except those of tok_emb, "
                              f"pos_emb and head")


@given(size=SIZES, n_layers=dims(1, 4), vocab=dims(2, 30), max_len=dims(1, 32), non_embedding=st.booleans())
@example(size=(2, 8), n_layers=2, vocab=14, max_len=16, non_embedding=True)
def test_parameter_formula_matches_the_modules(kata, size, n_layers, vocab, max_len, non_embedding):
    n_heads, d = size
    model = kata.TinyLM(vocab, d_model=d, n_heads=n_heads, n_layers=n_layers, max_len=max_len)
    keep = ("blocks", "norm") if non_embedding else ("blocks", "norm", "tok_emb", "pos_emb", "head")
    want = sum(p.numel() for name, p in model.named_parameters() if name.split(".")[0] in keep)
    got = kata.parameter_formula(d, n_layers, vocab, max_len, non_embedding=non_embedding)
    hint = ""
    if non_embedding and got == 12 * n_layers * d * d:
        hint = " (12 L d^2 is only the leading term: add the biases and the LayerNorms)"
    assert got == want, (f"parameter_formula(d_model={d}, n_layers={n_layers}, vocab_size={vocab}, max_len={max_len}, "
                         f"non_embedding={non_embedding}) returned {got}, the modules hold {want}{hint}")


@given(n_layers=dims(1, 48), d=st.sampled_from([512, 1024, 4096]))
def test_parameter_formula_approaches_12_l_d_squared(kata, n_layers, d):
    got = kata.parameter_formula(d, n_layers, 50257, 1024)
    ratio = got / (12 * n_layers * d * d)
    # the exact count is 12 L d^2 + 13 L d + 2 d: relative excess (13 + 2/L) / (12 d) <= 0.3% at d >= 512
    assert 1.0 < ratio < 1.003, (f"parameter_formula(d_model={d}, n_layers={n_layers}, ...) = {got} is {ratio:.5f} "
                                 f"times 12 L d^2; the biases and norms add only O(L d)")


def reference_ladder(kata, configs, train, held, steps, batch_size, lr, seed):
    out = []
    for name, config in configs.items():
        torch.manual_seed(seed)
        model = kata.TinyLM(14, max_len=train.shape[1], **config).double()
        gen = torch.Generator().manual_seed(seed)
        opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
        for _ in range(steps):
            batch = train[torch.randint(len(train), (batch_size,), generator=gen)]
            loss = lm_loss_reference(model(batch), batch)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            held_loss = lm_loss_reference(model(held), held).item()
        n = sum(p.numel() for nm, p in model.named_parameters() if nm.split(".")[0] in ("blocks", "norm"))
        out.append({"name": name, "params": n, "loss": held_loss})
    return sorted(out, key=lambda r: r["params"])


@settings(max_examples=8)
@given(seed=seeds(), steps=dims(1, 3), batch_size=dims(1, 4), order=st.permutations(["tiny", "small", "medium"]))
@example(seed=0, steps=2, batch_size=3, order=["medium", "tiny", "small"])
def test_train_ladder_matches_a_reference_loop(kata, seed, steps, batch_size, order):
    configs = {name: {"tiny": {"d_model": 2, "n_heads": 1, "n_layers": 1}, "small": {"d_model": 4, "n_heads": 2,
               "n_layers": 1}, "medium": {"d_model": 8, "n_heads": 2, "n_layers": 2}}[name] for name in order}
    g = torch.Generator().manual_seed(seed)
    train, held = torch.randint(14, (12, 8), generator=g), torch.randint(14, (4, 8), generator=g)
    call = describe_call("train_ladder", f"configs in order {order}", train, held, steps, batch_size, 1e-2, seed,
                         dtype="float64")
    with single_thread():
        got = kata.train_ladder(configs, train, held, steps, batch_size, 1e-2, seed, dtype=torch.float64)
        want = reference_ladder(kata, configs, train, held, steps, batch_size, 1e-2, seed)
    assert [r["name"] for r in got] == [r["name"] for r in want], (
        f"{call} returned the sizes in the order {[r['name'] for r in got]}, expected smallest first "
        f"{[r['name'] for r in want]}")
    for g_, w in zip(got, want, strict=True):
        assert g_["params"] == w["params"], f"{call}: {w['name']} has params={g_['params']}, expected {w['params']}"
        # float64, identical seeds and batches: rounding only
        assert_close(g_["loss"], w["loss"], rtol=1e-9, atol=1e-9, name=f"held-out loss of {w['name']}", call=call)


@given(seed=seeds(), n=dims(1, 6))
@example(seed=0, n=3)
def test_plot_loss_vs_size_is_log_log_and_labelled(kata, seed, n):
    rng = np.random.default_rng(seed)
    params = rng.choice(np.arange(10, 100000), size=n, replace=False)
    results = [{"name": f"m{i}", "params": int(p), "loss": float(1 + 3 * p ** -0.3)} for i, p in enumerate(params)]
    order = np.argsort(params)
    fig = kata.plot_loss_vs_size(results)
    try:
        axes = [ax for ax in fig.axes if ax.get_lines()]
        assert len(axes) == 1, f"plot_loss_vs_size drew lines on {len(axes)} axes, expected 1"
        ax = axes[0]
        assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log"), (
            f"scales are {ax.get_xscale()!r}/{ax.get_yscale()!r}: power laws are straight lines on log-log axes")
        assert "param" in ax.get_xlabel().lower(), f"xlabel is {ax.get_xlabel()!r}, expected it to mention param(eters)"
        assert "loss" in ax.get_ylabel().lower(), f"ylabel is {ax.get_ylabel()!r}, expected it to mention loss"
        line = ax.get_lines()[0]
        assert_close(np.asarray(line.get_xdata(), dtype=float), params[order], rtol=0, atol=0,
                     name="x data (params, smallest first)", call="plot_loss_vs_size(results)")
        assert_close(np.asarray(line.get_ydata(), dtype=float), [results[i]["loss"] for i in order], rtol=0, atol=0,
                     name="y data (losses in the same order)", call="plot_loss_vs_size(results)")
        texts = {t.get_text() for t in ax.texts}
        missing = {r["name"] for r in results} - texts
        assert not missing, f"points {sorted(missing)} are not annotated with their names (ax.texts: {sorted(texts)})"
    finally:
        plt.close(fig)


@pytest.mark.slow
@settings(max_examples=1)  # plus the explicit example: ~1.5 s per ladder
@given(seed=seeds())
@example(seed=0)
def test_bigger_models_reach_lower_loss_on_toy_english(kata, seed):
    with single_thread():
        data = kata.windows(kata.toy_english(1200, torch.Generator().manual_seed(seed)), 16)
        train, held = data[:-128], data[-128:]
        results = kata.train_ladder(kata.LADDER, train, held, 40, 32, 1e-2, seed)
    losses = {r["name"]: round(r["loss"], 3) for r in results}
    assert [r["name"] for r in results] == ["tiny", "small", "medium"], f"train_ladder returned {results}"
    # measured over 25 seeds after 40 steps: tiny 2.5-2.6, small 1.5-1.9, medium 1.2-1.4 nats; the gaps were
    # never below 0.66 and 0.15
    assert losses["small"] < losses["tiny"] - 0.3 and losses["medium"] < losses["small"] - 0.05, (
        f"held-out losses {losses}: each size step should buy a clearly lower loss at equal steps and data")
