"""Tests for nlp-30-2, sweeping the LoRA rank: accuracy against trainable parameters.

References: peft's own trainable-parameter count (get_nb_trainable_parameters) for the closed form;
accuracy recomputed position by position; a LoRA fine-tuning loop written here with peft on the same
seeded batches; the plotted points read back from the matplotlib Figure. The measured effect comes
from real fine-tunes of the workbook's trained char GPT (grader.lm) on ROT13 text: every rank beats
the untouched model by a wide margin, and rank 16 (16x the parameters) beats rank 1.
"""
import copy
import warnings
from functools import lru_cache

import matplotlib
import numpy as np
import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it, ~4 s: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from peft import LoraConfig, get_peft_model
from torch import nn

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, describe_call

matplotlib.use("Agg")
pytestmark = pytest.mark.slow


def small_gpt(seed: int) -> lm.CharGPT:
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return lm.CharGPT(lm.LMConfig(n_layer=2, d_model=8, d_ff=12, n_head=2)).requires_grad_(False)


class Named(nn.Module):
    """Linear layers whose names trip up substring matching ('out' inside 'layout', 'qkv' inside 'qkv2')."""

    def __init__(self) -> None:
        super().__init__()
        self.qkv = nn.Linear(3, 9)
        self.qkv2 = nn.Linear(9, 4)
        self.layout = nn.Linear(4, 5)
        self.inner = nn.ModuleDict({"out": nn.Linear(5, 2), "proj": nn.Linear(2, 7, bias=False)})

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner["proj"](self.inner["out"](self.layout(self.qkv2(self.qkv(x)))))


def peft_count(model: nn.Module, targets, r: int) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wrapped = get_peft_model(copy.deepcopy(model), LoraConfig(r=r, target_modules=list(targets)))
    except ValueError:          # peft refuses a config that matches no module
        return 0
    return wrapped.get_nb_trainable_parameters()[0]


@given(which=st.sampled_from(["gpt", "named"]), r=st.integers(1, 8),
       targets=st.lists(st.sampled_from(["qkv", "proj", "fc", "out", "head", "layout"]), min_size=1, max_size=3,
                        unique=True))
@example(which="named", r=2, targets=["out", "qkv"])
@example(which="gpt", r=1, targets=["head"])
def test_trainable_params_match_peft(kata, which, r, targets):
    model = small_gpt(0) if which == "gpt" else Named()
    got = kata.lora_trainable_params(model, targets, r)
    want = peft_count(model, targets, r)
    assert got == want, (f"lora_trainable_params({which} model, {targets}, r={r}) = {got}; peft trains {want} "
                         f"scalars (r * (in + out) per matched nn.Linear; a name matches if it is the target or "
                         f"ends with '.' + target)")


@settings(max_examples=6)
@given(n=st.integers(1, 6), t=st.integers(1, 20), seed=seeds())
@example(n=1, t=1, seed=0)
def test_next_char_accuracy(kata, n, t, seed):
    model = lm.load_model()
    _, val = lm.corpus_splits()
    starts = torch.randint(len(val) - t - 1, (n,), generator=torch.Generator().manual_seed(seed))
    windows = torch.stack([val[s:s + t + 1] for s in starts.tolist()])
    got = kata.next_char_accuracy(model, windows)
    hits = 0
    with torch.no_grad():
        for row in windows:
            logits = model(row[None, :-1])[0]
            hits += sum(int(torch.argmax(logits[i])) == int(row[i + 1]) for i in range(t))
    want = hits / (n * t)
    assert abs(got - want) < 1e-12, (f"next_char_accuracy(CharGPT, windows {tuple(windows.shape)}) = {got!r}, expected "
                                     f"{want!r}: the argmax at position i is scored against windows[:, i + 1]")


def reference_finetune(base, r, windows, steps, alpha, lr, batch_size, seed, targets):
    with warnings.catch_warnings(), torch.random.fork_rng():
        warnings.simplefilter("ignore")
        torch.manual_seed(seed)
        model = get_peft_model(copy.deepcopy(base), LoraConfig(r=r, lora_alpha=alpha, target_modules=list(targets),
                                                               lora_dropout=0.0))
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.0)
    g = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        batch = windows[torch.randint(len(windows), (batch_size,), generator=g)]
        loss = F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.eval()


@lru_cache(maxsize=1)
def tiny_windows() -> torch.Tensor:
    return lm.encode(lm.corpus_text()[:900])[:891].view(99, 9)


@settings(max_examples=4)
@given(r=st.integers(1, 4), steps=st.integers(1, 3), alpha=st.sampled_from([1.0, 8.0, 32.0]),
       lr=st.sampled_from([1e-3, 3e-2]), batch_size=st.integers(1, 5), seed=st.integers(0, 100),
       targets=st.sampled_from([("qkv", "proj"), ("fc",), ("qkv", "proj", "fc", "out")]))
@example(r=2, steps=3, alpha=32.0, lr=3e-2, batch_size=4, seed=0, targets=("qkv", "proj", "fc", "out"))
def test_lora_finetune_matches_a_peft_reference(kata, r, steps, alpha, lr, batch_size, seed, targets):
    base = small_gpt(seed)
    before = {k: v.clone() for k, v in base.state_dict().items()}
    windows = tiny_windows()
    call = describe_call("lora_finetune", "CharGPT", r, windows, steps, alpha=alpha, lr=lr, batch_size=batch_size,
                         seed=seed, targets=targets)
    state = torch.random.get_rng_state()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = kata.lora_finetune(base, r, windows, steps, alpha=alpha, lr=lr, batch_size=batch_size, seed=seed,
                                 targets=targets)
    assert torch.equal(torch.random.get_rng_state(), state), (
        f"{call} changed the global RNG state: seed peft's initialisation inside torch.random.fork_rng()")
    assert sorted(base.state_dict()) == sorted(before) and all(
        torch.equal(base.state_dict()[k], v) for k, v in before.items()), f"{call} modified the base model"
    want = reference_finetune(base, r, windows, steps, alpha, lr, batch_size, seed, targets)
    x = windows[:4, :-1]
    with torch.no_grad():
        assert_close(got(x), want(x), rtol=1e-5, atol=1e-5, name="logits of the fine-tuned model", call=call)
    assert not got.training, f"{call} returned a model in training mode; return it in eval mode"


def test_lora_finetune_defaults(kata):
    base = small_gpt(5)
    windows = tiny_windows()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = kata.lora_finetune(base, 2, windows, 2)
    want = reference_finetune(base, 2, windows, 2, 8.0, 1e-2, 16, 0, ("qkv", "proj", "fc", "out"))
    with torch.no_grad():
        assert_close(got(windows[:3, :-1]), want(windows[:3, :-1]), rtol=1e-5, atol=1e-5,
                     name="logits with alpha=8, lr=1e-2, batch_size=16, seed=0, all four targets",
                     call="lora_finetune(base, 2, windows, 2)")


@settings(max_examples=2)
@given(ranks=st.permutations([0, 1, 3]), seed=st.integers(0, 50))
def test_rank_sweep_entries(kata, ranks, seed):
    base = small_gpt(seed).requires_grad_(True)   # a trainable base: r = 0 still trains nothing
    windows = tiny_windows()
    val = windows[:10]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = kata.rank_sweep(base, ranks, windows, val, 2, lr=3e-2, seed=seed)
    call = describe_call("rank_sweep", "CharGPT", ranks, windows, val, 2, lr=3e-2, seed=seed)
    assert [e["r"] for e in got] == list(ranks), f"{call}: entries for ranks {[e['r'] for e in got]}, expected {ranks}"
    for e in got:
        r = e["r"]
        model = base if r == 0 else reference_finetune(base, r, windows, 2, 8.0, 3e-2, 16, seed,
                                                       ("qkv", "proj", "fc", "out"))
        want_trainable = 0 if r == 0 else sum(p.numel() for p in model.parameters() if p.requires_grad)
        with torch.no_grad():
            pred = model(val[:, :-1]).argmax(-1)
        want_acc = (pred == val[:, 1:]).double().mean().item()
        assert e["trainable"] == want_trainable, f"{call}: r={r} has trainable={e['trainable']}, expected {want_trainable}"
        assert abs(e["accuracy"] - want_acc) < 1e-9, f"{call}: r={r} has accuracy={e['accuracy']}, expected {want_acc}"


@settings(max_examples=5)
@given(ranks=st.lists(st.integers(0, 64), min_size=1, max_size=5, unique=True), seed=seeds())
@example(ranks=[8, 0, 2], seed=0)
def test_plot_rank_sweep(kata, ranks, seed):
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(seed)
    results = [{"r": r, "trainable": 1280 * r, "accuracy": float(rng.random())} for r in ranks]
    call = describe_call("plot_rank_sweep", results)
    fig = kata.plot_rank_sweep(results)
    try:
        assert len(fig.axes) == 1, f"{call} drew {len(fig.axes)} axes, expected 1"
        ax = fig.axes[0]
        pts = sorted(results, key=lambda e: e["trainable"])
        lines = [line for line in ax.get_lines() if len(line.get_xdata()) == len(results)]
        assert lines, f"{call}: no line with one point per rank"
        assert_close(lines[0].get_xdata(), [e["trainable"] for e in pts], rtol=0, atol=1e-9,
                     name="x data (trainable parameters, sorted)", call=call)
        assert_close(lines[0].get_ydata(), [e["accuracy"] for e in pts], rtol=0, atol=1e-12,
                     name="y data (accuracy, in order of trainable parameters)", call=call)
        texts = sorted(t.get_text() for t in ax.texts)
        assert texts == sorted(f"r={r}" for r in ranks), f"{call}: annotations {texts}, expected one 'r=<r>' per point"
        assert "param" in ax.get_xlabel().lower(), f"{call}: x label {ax.get_xlabel()!r} should mention 'param'"
        assert "accuracy" in ax.get_ylabel().lower(), f"{call}: y label {ax.get_ylabel()!r} should mention 'accuracy'"
    finally:
        plt.close(fig)


@settings(max_examples=1)
@given(seed=st.integers(0, 3))
def test_higher_rank_buys_accuracy_on_a_real_fine_tune(kata, seed):
    torch.set_num_threads(1)
    train = kata.rot13_windows(0, 40_000)
    val = kata.rot13_windows(1_000_000, 1_004_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = {e["r"]: e for e in kata.rank_sweep(lm.load_model(), [0, 1, 16], train, val, 40, seed=seed)}
    table = {r: (e["trainable"], round(e["accuracy"], 3)) for r, e in res.items()}
    assert res[16]["trainable"] == 16 * res[1]["trainable"] > 0 and res[0]["trainable"] == 0, (
        f"(trainable, accuracy) per rank: {table}; trainable parameters grow linearly in r")
    assert res[1]["accuracy"] > res[0]["accuracy"] + 0.1, f"(trainable, accuracy) per rank: {table}; rank 1 should help"
    assert res[16]["accuracy"] > res[1]["accuracy"] + 0.01, (
        f"(trainable, accuracy) per rank: {table}; rank 16 should beat rank 1 after 40 steps")
