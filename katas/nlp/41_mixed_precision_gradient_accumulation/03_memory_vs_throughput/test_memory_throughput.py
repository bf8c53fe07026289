"""Tests for nlp-41-3, measuring memory savings (exactly) and throughput (in a benchmark only).

References: autograd's own record of what it saved (walking the backward graph from the output and
reading every `_saved_*` attribute of every node), and the closed forms of the optimizers' state
(SGD: nothing; momentum: one buffer per parameter; Adam: two buffers plus a float32 `step` scalar per
parameter; AMSGrad: three buffers plus the scalar). Timings are printed by a benchmark, never asserted.
"""
import contextlib

import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import seeds
from grader.testing import assert_equal, call_unmodified, describe_call, smoke

LAYERS = st.lists(st.sampled_from(["linear", "relu", "gelu", "tanh", "layernorm"]), min_size=1, max_size=5)
AUTOCAST = st.sampled_from([None, torch.bfloat16])


def make_model(seed: int, d_in: int, layers: list[str], width: int, dtype: torch.dtype) -> nn.Module:
    """A Sequential of the drawn layers that always ends in a Linear (so something needs a gradient)."""
    torch.manual_seed(seed)
    mods, d = [], d_in
    for kind in layers:
        if kind == "linear":
            mods.append(nn.Linear(d, width))
            d = width
        elif kind == "layernorm":
            mods.append(nn.LayerNorm(d))
        else:
            mods.append({"relu": nn.ReLU(), "gelu": nn.GELU(), "tanh": nn.Tanh()}[kind])
    mods.append(nn.Linear(d, 3))
    return nn.Sequential(*mods).to(dtype)


def graph_saved_bytes(model: nn.Module, x: torch.Tensor, dtype: torch.dtype | None) -> int:
    """Reference: every tensor autograd's nodes hold in `_saved_*`, distinct storages, parameters left out."""
    ctx = torch.autocast("cpu", dtype=dtype) if dtype is not None else contextlib.nullcontext()
    with ctx:
        out = model(x)
    params = {p.untyped_storage().data_ptr() for p in model.parameters()}
    storages: dict[int, int] = {}
    seen, stack = set(), [out.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        for attr in dir(node):
            if attr.startswith("_saved_"):
                value = getattr(node, attr)
                for t in value if isinstance(value, list | tuple) else [value]:
                    if isinstance(t, torch.Tensor) and t.untyped_storage().data_ptr() not in params:
                        storages[t.untyped_storage().data_ptr()] = t.untyped_storage().nbytes()
        stack.extend(nxt for nxt, _ in node.next_functions)
    return sum(storages.values())


def draw_setup(seed, batch, d_in, layers, width, autocast, double):
    # autocast on CPU lowers float32 ops only: float64 models are measured in their own precision.
    dtype = torch.float64 if double and autocast is None else torch.float32
    model = make_model(seed, d_in, layers, width, dtype)
    x = torch.randn(batch, d_in, generator=torch.Generator().manual_seed(seed + 1), dtype=dtype)
    return model, x


@given(seed=seeds(), batch=st.integers(1, 6), d_in=st.integers(1, 6), layers=LAYERS, width=st.integers(1, 8),
       autocast=AUTOCAST, double=st.booleans())
@example(seed=0, batch=4, d_in=5, layers=["linear", "relu", "linear"], width=7, autocast=None, double=False)
@example(seed=0, batch=4, d_in=5, layers=["linear", "relu", "linear"], width=7, autocast=torch.bfloat16, double=False)
@example(seed=1, batch=3, d_in=4, layers=["tanh"], width=2, autocast=None, double=True)
@settings(max_examples=25)
def test_saved_activation_bytes_matches_the_autograd_graph(kata, seed, batch, d_in, layers, width, autocast, double):
    model, x = draw_setup(seed, batch, d_in, layers, width, autocast, double)
    before = [p.detach().clone() for p in model.parameters()]
    call = describe_call("saved_activation_bytes", f"Sequential({', '.join(layers)}, linear)", x, dtype=autocast)
    got = call_unmodified(kata.saved_activation_bytes, model, x, dtype=autocast)
    assert isinstance(got, int), f"{call} returned {type(got).__name__}, expected a Python int (bytes)"
    assert_equal(got, graph_saved_bytes(model, x, autocast), call=call,
                 name="bytes saved for backward (reference: the storages autograd's graph nodes hold, "
                      "each once, parameters left out)")
    for p, q in zip(model.parameters(), before, strict=True):
        assert torch.equal(p.detach(), q) and p.grad is None, \
            f"{call} changed the model (a parameter's value or its .grad): only a forward pass is allowed"


@given(seed=seeds(), batch=st.integers(64, 96), width=st.integers(8, 16))
@settings(max_examples=5)
def test_saved_activation_bytes_bfloat16_halves_the_activations(kata, seed, batch, width):
    """The memory saving the section is about: activations stored in 2 bytes instead of 4."""
    model, x = draw_setup(seed, batch, 8, ["linear", "relu", "linear", "gelu"], width, None, False)
    fp32 = kata.saved_activation_bytes(model, x)
    bf16 = kata.saved_activation_bytes(model, x, dtype=torch.bfloat16)
    # bfloat16 halves every saved activation; its weight copies are new storages, a few % at batch >= 4 * width
    # (measured 0.51-0.55 of float32 over this range).
    assert 0.45 * fp32 <= bf16 <= 0.6 * fp32, (
        f"saved_activation_bytes: float32 {fp32} bytes, bfloat16 autocast {bf16} bytes; expected about half")


@given(seed=seeds(), n=st.integers(1, 9), m=st.integers(1, 10), autocast=AUTOCAST,
       layers=LAYERS, width=st.integers(1, 6))
@example(seed=0, n=5, m=2, autocast=None, layers=["linear", "relu"], width=4)     # last micro-batch is 1 row
@example(seed=0, n=6, m=3, autocast=torch.bfloat16, layers=["linear", "gelu"], width=4)
@example(seed=0, n=4, m=4, autocast=None, layers=["linear"], width=3)            # one micro-batch: the full batch
@example(seed=0, n=3, m=1, autocast=None, layers=["layernorm", "linear"], width=3)
@settings(max_examples=20)
def test_peak_activation_bytes_is_the_largest_micro_batch(kata, seed, n, m, autocast, layers, width):
    model, x = draw_setup(seed, n, 4, layers, width, autocast, False)
    want = max(graph_saved_bytes(model, x[s:s + m], autocast) for s in range(0, n, m))
    call = describe_call("peak_activation_bytes", f"Sequential({', '.join(layers)}, linear)", x, m, dtype=autocast)
    got = call_unmodified(kata.peak_activation_bytes, model, x, m, dtype=autocast)
    assert_equal(got, want, call=call,
                 name="peak saved bytes (reference: the largest micro-batch's graph, one graph alive at a time)")
    if m >= n:
        assert_equal(got, graph_saved_bytes(model, x, autocast), call=call, name="micro_batch_size >= N: full batch")


@given(m=st.integers(-3, 0))
@example(m=0)
def test_peak_activation_bytes_rejects_micro_batch_below_one(kata, m):
    model, x = draw_setup(0, 4, 3, ["linear"], 3, None, False)
    with pytest.raises(ValueError):
        kata.peak_activation_bytes(model, x, m)
        pytest.fail(f"peak_activation_bytes(model, x, {m}) returned instead of raising ValueError")


OPTIMIZERS = st.sampled_from(["sgd", "momentum", "adam", "amsgrad"])


def make_optimizer(kind: str, params) -> torch.optim.Optimizer:
    if kind == "sgd":
        return torch.optim.SGD(params, lr=0.1)
    if kind == "momentum":
        return torch.optim.SGD(params, lr=0.1, momentum=0.9)
    return torch.optim.Adam(params, lr=0.01, amsgrad=kind == "amsgrad")


def closed_form_state(kind: str, trainable: list[torch.Tensor], stepped: bool) -> int:
    if not stepped or kind == "sgd":
        return 0
    nbytes = sum(p.nbytes for p in trainable)
    if kind == "momentum":
        return nbytes
    buffers = 3 if kind == "amsgrad" else 2
    return buffers * nbytes + 4 * len(trainable)  # + one float32 `step` scalar per parameter


@given(seed=seeds(), kind=OPTIMIZERS, steps=st.integers(0, 2), backward=st.booleans(), freeze=st.booleans(),
       double=st.booleans(), width=st.integers(1, 6))
@example(seed=0, kind="adam", steps=1, backward=True, freeze=False, double=False, width=4)
@example(seed=0, kind="amsgrad", steps=2, backward=True, freeze=True, double=True, width=3)
@example(seed=0, kind="momentum", steps=0, backward=False, freeze=False, double=False, width=2)
@example(seed=0, kind="momentum", steps=1, backward=True, freeze=True, double=False, width=2)
@settings(max_examples=20)
def test_training_state_bytes_matches_the_closed_form(kata, seed, kind, steps, backward, freeze, double, width):
    model = make_model(seed, 3, ["linear", "relu"], width, torch.float64 if double else torch.float32)
    if freeze:
        model[0].requires_grad_(False)   # the first layer is frozen: in memory, no gradient, no state
    trainable = [p for p in model.parameters() if p.requires_grad]
    opt = make_optimizer(kind, trainable)
    x = torch.randn(4, 3, dtype=next(model.parameters()).dtype)
    for _ in range(steps):
        opt.zero_grad()
        model(x).square().mean().backward()
        opt.step()
    if steps == 0 and backward:
        model(x).square().mean().backward()
    has_grads = steps > 0 or backward
    want = {"parameters": sum(p.nbytes for p in model.parameters()),
            "gradients": sum(p.nbytes for p in trainable) if has_grads else 0,
            "optimizer_state": closed_form_state(kind, trainable, steps > 0)}
    call = describe_call("training_state_bytes", f"MLP ({'float64' if double else 'float32'}, "
                         f"{'first layer frozen' if freeze else 'all trainable'})", f"{kind} after {steps} step(s)")
    got = kata.training_state_bytes(model, opt)
    assert isinstance(got, dict) and set(got) == set(want), f"{call} returned {got!r}, expected the keys {sorted(want)}"
    for key in want:
        assert_equal(got[key], want[key], call=call, name=f'"{key}" bytes')


@pytest.mark.benchmark
def test_benchmark_throughput_vs_memory(kata):
    """Prints samples/second next to the counted bytes: what each saving costs or gains in speed."""
    n, d, width = (8, 16, 32) if smoke() else (256, 256, 1024)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(d, width), nn.GELU(), nn.Linear(width, width), nn.GELU(), nn.Linear(width, 10))
    x, y = torch.randn(n, d), torch.randint(10, (n,))
    opt = torch.optim.Adam(model.parameters())
    F.cross_entropy(model(x), y).backward()
    opt.step()
    state = kata.training_state_bytes(model, opt)
    print(f"\ntraining state: {state}")
    print(f"{'precision':>10} {'micro-batch':>12} {'peak activations (B)':>21} {'samples/s':>10}")
    for dtype in (None, torch.bfloat16):
        for m in (n, n // 4):
            peak = kata.peak_activation_bytes(model, x, m, dtype=dtype)
            speed = kata.samples_per_second(model, x, y, m, dtype=dtype, steps=1 if smoke() else 10)
            print(f"{'bf16' if dtype else 'fp32':>10} {m:>12} {peak:>21} {speed:>10.0f}")
