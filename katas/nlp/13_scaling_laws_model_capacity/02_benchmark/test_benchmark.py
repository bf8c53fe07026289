"""Tests for nlp-13-2, benchmarking time, memory and throughput with deterministic counters.

References: torch.utils.flop_counter.FlopCounterMode on the real model (forward, and forward plus
backward); the bytes of the parameters, gradients and optimizer states that torch.optim actually
allocates after one step; the tensors autograd saves, recorded here with saved_tensors_hooks; and
a fake clock that makes timing exact. Real timings are printed by a `benchmark`-marked test, and
the memory prediction is compared with torch.cuda's allocator in a `gpu`-marked one.
"""
import statistics

import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it, ~4 s: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch.utils.flop_counter import FlopCounterMode

from grader.strategies import dims, seeds
from grader.testing import assert_close, describe_call, smoke

SIZES = st.tuples(st.sampled_from([1, 2]), dims(1, 4)).map(lambda hd: (hd[0], hd[0] * hd[1]))   # (n_heads, d_model)


def counted(model, idx: torch.Tensor, train: bool) -> int:
    with FlopCounterMode(display=False) as counter:
        logits = model(idx)
        if train:
            F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), idx[:, 1:].reshape(-1)).backward()
    return counter.get_total_flops()


def reference_saved_bytes(model, idx: torch.Tensor) -> int:
    params = {p.untyped_storage().data_ptr() for p in model.parameters()}
    seen: dict[int, int] = {}

    def pack(t):
        s = t.untyped_storage()
        if s.data_ptr() not in params:
            seen[s.data_ptr()] = s.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        logits = model(idx)
        F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), idx[:, 1:].reshape(-1))
    return sum(seen.values())


def flops_hint(got: int, want: int, no_attention: int) -> str:
    if got * 2 == want:
        return "half the reference: count 2 FLOPs (a multiply and an add) per multiply-accumulate"
    if got == no_attention:
        return "the attention products q @ k^T and weights @ v are missing (they grow with seq_len**2)"
    return ""


@settings(max_examples=12)  # ~50 ms per example: two counted passes
@given(size=SIZES, n_layers=dims(1, 3), vocab=dims(2, 20), seq_len=dims(1, 12), batch=dims(1, 3), seed=seeds())
@example(size=(2, 8), n_layers=2, vocab=14, seq_len=8, batch=2, seed=0)
def test_forward_and_training_flops_match_flop_counter_mode(kata, size, n_layers, vocab, seq_len, batch, seed):
    n_heads, d = size
    torch.manual_seed(seed)
    model = kata.TinyLM(vocab, d_model=d, n_heads=n_heads, n_layers=n_layers, max_len=seq_len)
    idx = torch.randint(vocab, (batch, seq_len), generator=torch.Generator().manual_seed(seed))
    fwd, train = counted(model, idx, False), counted(model, idx, True)
    args = (d, n_layers, vocab, seq_len, batch)
    no_attention = n_layers * 24 * batch * seq_len * d * d + 2 * batch * seq_len * d * vocab
    got = kata.forward_flops(*args)
    assert got == fwd, (f"forward_flops{args} returned {got}, FlopCounterMode counted {fwd}"
                        + (f"\n  looks like: {h}" if (h := flops_hint(got, fwd, no_attention)) else ""))
    got_train = kata.training_flops(*args)
    assert got_train == train, (f"training_flops{args} returned {got_train}, FlopCounterMode counted {train} for "
                                f"forward + backward ({train / fwd:g} x the forward)")


@settings(max_examples=10)
@given(size=SIZES, n_layers=dims(1, 2), seq_len=dims(1, 8), batch=dims(1, 3), train=st.booleans(), seed=seeds())
def test_measure_flops_uses_the_counter(kata, size, n_layers, seq_len, batch, train, seed):
    n_heads, d = size
    torch.manual_seed(seed)
    model = kata.TinyLM(14, d_model=d, n_heads=n_heads, n_layers=n_layers, max_len=8)
    idx = torch.randint(14, (batch, seq_len), generator=torch.Generator().manual_seed(seed))
    got = kata.measure_flops(model, idx, train=train)
    want = counted(model, idx, train)
    assert got == want, f"{describe_call('measure_flops', 'TinyLM', idx, train=train)} returned {got}, expected {want}"


OPTIMIZERS = {
    "sgd": lambda ps: torch.optim.SGD(ps, lr=0.1),
    "momentum": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
    "adamw": lambda ps: torch.optim.AdamW(ps, lr=0.1),
}


@settings(max_examples=15)
@given(size=SIZES, n_layers=dims(1, 2), optimizer=st.sampled_from(list(OPTIMIZERS)),
       dtype=st.sampled_from([torch.float32, torch.float64]),
       frozen=st.lists(st.sampled_from(["tok_emb", "pos_emb", "blocks.0", "head"]), max_size=2, unique=True))
@example(size=(2, 8), n_layers=2, optimizer="adamw", dtype=torch.float32, frozen=["tok_emb"])
def test_state_bytes_match_what_torch_allocates(kata, size, n_layers, optimizer, dtype, frozen):
    n_heads, d = size
    model = kata.TinyLM(14, d_model=d, n_heads=n_heads, n_layers=n_layers, max_len=8).to(dtype)
    for name, p in model.named_parameters():
        p.requires_grad_(name.split(".")[0] not in frozen and ".".join(name.split(".")[:2]) not in frozen)
    call = describe_call("state_bytes", f"TinyLM(d_model={d}, n_layers={n_layers}, {str(dtype)[6:]})", optimizer) + \
        f" with {frozen} frozen"
    got = kata.state_bytes(model, optimizer)
    opt = OPTIMIZERS[optimizer]([p for p in model.parameters() if p.requires_grad])
    idx = torch.randint(14, (2, 8), generator=torch.Generator().manual_seed(0))
    logits = model(idx)
    F.cross_entropy(logits[:, :-1].reshape(-1, 14), idx[:, 1:].reshape(-1)).backward()
    opt.step()
    params = list(model.parameters())
    actual = {
        "params": sum(p.untyped_storage().nbytes() for p in params),
        "grads": sum(p.grad.untyped_storage().nbytes() for p in params if p.grad is not None),
        # per-parameter state tensors (exp_avg, exp_avg_sq, momentum_buffer), not Adam's scalar step counter
        "optimizer": sum(v.untyped_storage().nbytes() for p, s in opt.state.items() for v in s.values()
                         if torch.is_tensor(v) and v.shape == p.shape),
    }
    actual["total"] = sum(actual.values())
    for key, want in actual.items():
        assert got.get(key) == want, f"{call} returned {key}={got.get(key)}, torch allocated {want} bytes ({actual})"


def test_state_bytes_rejects_unknown_optimizers(kata):
    with pytest.raises(ValueError):
        kata.state_bytes(kata.TinyLM(14, d_model=4, n_heads=1, n_layers=1, max_len=4), "lion")
        pytest.fail("state_bytes(model, 'lion') did not raise ValueError")


@settings(max_examples=15)
@given(size=SIZES, n_layers=dims(1, 2), seq_len=dims(2, 8), batch=dims(1, 3), seed=seeds())
@example(size=(2, 8), n_layers=1, seq_len=8, batch=1, seed=0)
def test_saved_activation_bytes_match_the_autograd_hooks(kata, size, n_layers, seq_len, batch, seed):
    n_heads, d = size
    torch.manual_seed(seed)
    model = kata.TinyLM(14, d_model=d, n_heads=n_heads, n_layers=n_layers, max_len=8)
    idx = torch.randint(14, (batch, seq_len), generator=torch.Generator().manual_seed(seed))
    got = kata.saved_activation_bytes(model, idx)
    want = reference_saved_bytes(model, idx)
    param_bytes = sum(p.untyped_storage().nbytes() for p in model.parameters())
    hint = " (that is more than the whole model: are parameters counted?)" if got >= want + param_bytes // 2 else ""
    assert got == want, (f"{describe_call('saved_activation_bytes', 'TinyLM', idx)} returned {got} bytes, the saved "
                         f"tensors' distinct non-parameter storages hold {want}{hint}")


def test_activation_bytes_grow_with_the_batch(kata):
    torch.manual_seed(0)
    model = kata.TinyLM(14, d_model=16, n_heads=2, n_layers=2, max_len=16)
    sizes = [kata.saved_activation_bytes(model, torch.zeros(b, 16, dtype=torch.long)) for b in (1, 2, 4, 8)]
    ratio = sizes[-1] / sizes[-2]
    assert all(a < b for a, b in zip(sizes, sizes[1:], strict=False)) and 1.8 < ratio < 2.2, (
        f"saved activation bytes for batch 1, 2, 4, 8: {sizes}; activations scale with the batch (unlike "
        f"parameters), so doubling a large batch should about double them")


class FakeClock:
    """A clock that only moves when the benchmarked function runs: each call takes the next scripted duration."""

    def __init__(self, durations: list[float]) -> None:
        self.now, self.durations, self.calls, self.reads = 0.0, list(durations), 0, 0

    def clock(self) -> float:
        self.reads += 1
        return self.now

    def fn(self) -> None:
        self.now += self.durations[self.calls]
        self.calls += 1


@given(warmup=dims(0, 3), repeats=dims(1, 7), n_tokens=dims(1, 4096), seed=seeds())
@example(warmup=2, repeats=5, n_tokens=1024, seed=0)
@example(warmup=1, repeats=4, n_tokens=64, seed=1)
def test_measure_throughput_with_a_fake_clock(kata, warmup, repeats, n_tokens, seed):
    rng = torch.Generator().manual_seed(seed)
    warm = [10.0 + float(torch.rand((), generator=rng)) for _ in range(warmup)]          # slow first calls
    timed = [0.5 + float(torch.rand((), generator=rng)) for _ in range(repeats)]
    if repeats >= 3:
        timed[0] = 30.0                                                                  # one outlier
    fake = FakeClock(warm + timed)
    call = describe_call("measure_throughput", "fn", n_tokens, warmup=warmup, repeats=repeats, clock="fake clock")
    got = kata.measure_throughput(fake.fn, n_tokens, warmup=warmup, repeats=repeats, clock=fake.clock)
    assert fake.calls == warmup + repeats, f"{call} called fn {fake.calls} times, expected {warmup} + {repeats}"
    assert fake.reads == 2 * repeats, f"{call} read the clock {fake.reads} times, expected 2 per timed call"
    median = statistics.median(timed)
    # float64 sums of a few numbers: rounding only
    assert_close(got["median_s"], median, rtol=1e-9, atol=1e-12, name="median_s (timed calls only, the median)",
                 call=call + f" with call durations {[round(t, 3) for t in warm + timed]}")
    assert_close(got["tokens_per_s"], n_tokens / median, rtol=1e-9, atol=1e-9, name="tokens_per_s", call=call)


@pytest.mark.benchmark
def test_benchmark_the_ladder(kata):
    """Real timings: forward and training-step throughput, achieved FLOP/s and memory per size."""
    batch, seq_len = (2, 8) if smoke() else (16, 32)
    warmup, repeats = (1, 2) if smoke() else (3, 20)
    for name, config in kata.LADDER.items():
        torch.manual_seed(0)
        model = kata.TinyLM(14, max_len=seq_len, **config)
        idx = torch.randint(14, (batch, seq_len))
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3)

        def train_step(model=model, idx=idx, opt=opt) -> None:
            loss = kata.lm_loss(model(idx), idx)
            opt.zero_grad()
            loss.backward()
            opt.step()

        with torch.no_grad():
            fwd = kata.measure_throughput(lambda model=model, idx=idx: model(idx), batch * seq_len, warmup, repeats)
        step = kata.measure_throughput(train_step, batch * seq_len, warmup, repeats)
        args = (config["d_model"], config["n_layers"], 14, seq_len, batch)
        mem = kata.state_bytes(model, "adamw")
        print(f"{name:>6}: forward {fwd['tokens_per_s']:10.0f} tok/s "
              f"({kata.forward_flops(*args) / fwd['median_s'] / 1e9:6.2f} GFLOP/s), train step "
              f"{step['tokens_per_s']:9.0f} tok/s ({kata.training_flops(*args) / step['median_s'] / 1e9:6.2f} GFLOP/s), "
              f"state {mem['total'] / 1024:7.1f} KiB, activations {kata.saved_activation_bytes(model, idx) / 1024:7.1f} KiB")


@pytest.mark.gpu
def test_state_bytes_match_the_cuda_allocator(kata):
    torch.manual_seed(0)
    model = kata.TinyLM(14, d_model=256, n_heads=4, n_layers=4, max_len=64).cuda()
    predicted = kata.state_bytes(model, "adamw")
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    idx = torch.randint(14, (8, 64), device="cuda")
    kata.lm_loss(model(idx), idx).backward()
    opt.step()
    torch.cuda.synchronize()
    allocated = torch.cuda.memory_allocated()
    # the allocator rounds every block up to 512 bytes and holds the batch and a few small tensors
    assert predicted["total"] <= allocated <= 1.1 * predicted["total"] + 2**20, (
        f"state_bytes predicts {predicted}, torch.cuda.memory_allocated() after one AdamW step is {allocated}")
