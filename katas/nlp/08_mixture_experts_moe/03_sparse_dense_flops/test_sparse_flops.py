"""Tests for nlp-08-3, sparse/dense swaps and FLOP savings.

Reference: torch.utils.flop_counter.FlopCounterMode run by the tests themselves (on the given
sparse path, on a dense reference and on plain matmul chains), the dense loop over experts with
the gate matrix in float64, the closed form 2·m·k·n per matmul, and the exact identity
upcycled_moe(x) = ffn(x). A `benchmark` test prints real timings of both paths.
"""
import time

import numpy as np
import pytest
import torch
import torch._dynamo  # noqa: F401  FlopCounterMode imports it on first use (~3 s): pay that once, at collection
import torch.nn.functional as F
from hypothesis import assume, example, given
from hypothesis import strategies as st
from torch.utils.flop_counter import FlopCounterMode

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, describe_call, smoke

TOL = 1e-10  # float64 on both sides; only the order of summation differs


def measured(fn, *args) -> int:
    with FlopCounterMode(display=False) as counter:
        fn(*args)
    return int(counter.get_total_flops())


def formula(n: int, d: int, d_ff: int, e: int, k: int, dense: bool) -> int:
    return 2 * n * d * e + (n * (e if dense else k)) * 4 * d * d_ff


def clear_top_k(logits: np.ndarray) -> bool:
    s = np.sort(logits, axis=-1)
    return bool(np.all(np.diff(s, axis=-1) > 1e-6))


def random_moe(kata, d_model: int, d_ff: int, n_experts: int, top_k: int, renormalize: bool, seed: int):
    torch.manual_seed(seed)
    moe = kata.MoE(d_model, d_ff, n_experts, top_k, renormalize=renormalize).double()
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for p in moe.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.7)
    return moe


def dense_reference(moe, flat: torch.Tensor) -> torch.Tensor:
    probs = torch.softmax(F.linear(flat, moe.router.weight), dim=-1)
    idx = torch.from_numpy(np.argsort(-probs.detach().numpy(), axis=-1, kind="stable")[:, :moe.top_k].copy())
    keep = torch.zeros_like(probs, dtype=torch.bool).scatter(1, idx, True)
    gates = torch.where(keep, probs, torch.zeros_like(probs))
    if moe.renormalize:
        gates = gates / gates.sum(-1, keepdim=True)
    out = torch.zeros_like(flat)
    for e, ex in enumerate(moe.experts):
        out = out + gates[:, e, None] * F.linear(F.gelu(F.linear(flat, ex.fc1.weight, ex.fc1.bias)), ex.fc2.weight,
                                                 ex.fc2.bias)
    return out


@given(leading=st.sampled_from([(6,), (2, 3), (1,)]), d_model=dims(1, 5), d_ff=dims(1, 6), n_experts=st.integers(2, 5),
       seed=seeds(), renormalize=st.booleans(), data=st.data())
@example(leading=(2, 3), d_model=4, d_ff=5, n_experts=4, seed=0, renormalize=False, data=None)
@example(leading=(5,), d_model=3, d_ff=4, n_experts=3, seed=1, renormalize=True, data=None)
def test_dense_simulation_equals_the_sparse_path(kata, leading, d_model, d_ff, n_experts, seed, renormalize, data):
    top_k = data.draw(st.integers(1, n_experts), label="top_k") if data is not None else 2
    moe = random_moe(kata, d_model, d_ff, n_experts, top_k, renormalize, seed)
    x = torch.randn(*leading, d_model, generator=torch.Generator().manual_seed(seed + 2), dtype=torch.float64)
    flat = x.reshape(-1, d_model)
    assume(clear_top_k((flat @ moe.router.weight.T).detach().numpy()))
    call = describe_call(f"MoE(d_model={d_model}, d_ff={d_ff}, n_experts={n_experts}, top_k={top_k}, "
                         f"renormalize={renormalize}).forward_dense", x)
    with torch.no_grad():
        got = moe.forward_dense(x)
        want = dense_reference(moe, flat).reshape(x.shape)
        sparse = moe.forward_sparse(x)
    assert_close(got, want, rtol=TOL, atol=TOL, call=call)
    assert_close(got, sparse, rtol=TOL, atol=TOL, name="result (vs forward_sparse)", call=call)


@given(m=dims(1, 9), k=dims(1, 9), n=dims(1, 9), p=dims(1, 9), seed=seeds(), with_linear=st.booleans())
@example(m=3, k=4, n=5, p=2, seed=0, with_linear=True)
def test_count_flops_matches_flop_counter_mode(kata, m, k, n, p, seed, with_linear):
    g = torch.Generator().manual_seed(seed)
    a, b, c = torch.randn(m, k, generator=g), torch.randn(k, n, generator=g), torch.randn(n, p, generator=g)
    lin = torch.nn.Linear(p, 3)

    def chain(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        y = torch.relu(a @ b) @ c
        return lin(y.unsqueeze(0)) if with_linear else y      # a Linear on a (1, m, p) input: bias is free

    want = 2 * m * k * n + 2 * m * n * p + (2 * m * p * 3 if with_linear else 0)
    call = describe_call("count_flops", "chain", a, b, c)
    got = kata.count_flops(chain, a, b, c)
    assert isinstance(got, int), f"{call} returned {type(got).__name__}, expected an int"
    hint = " (exactly half: multiply-adds instead of FLOPs?)" if 2 * got == want else ""
    assert got == want == measured(chain, a, b, c), f"{call} returned {got}, expected {want} FLOPs{hint}"
    assert kata.count_flops(lambda t: (t * 2 + 1).exp(), a) == 0, "elementwise ops must count 0 FLOPs"


@given(n_tokens=dims(1, 2048), d_model=dims(1, 512), d_ff=dims(1, 2048), n_experts=st.integers(2, 64),
       dense=st.booleans(), data=st.data())
@example(n_tokens=1024, d_model=512, d_ff=2048, n_experts=8, dense=False, data=None)
def test_moe_flops_closed_form(kata, n_tokens, d_model, d_ff, n_experts, dense, data):
    top_k = data.draw(st.integers(1, n_experts), label="top_k") if data is not None else 2
    call = describe_call("moe_flops", n_tokens, d_model, d_ff, n_experts, top_k, dense=dense)
    got = kata.moe_flops(n_tokens, d_model, d_ff, n_experts, top_k, dense)
    want = formula(n_tokens, d_model, d_ff, n_experts, top_k, dense)
    hints = {want - 2 * n_tokens * d_model * n_experts: "the router's matmul is missing",
             want // 2: "half the expected: multiply-adds, not FLOPs (2 per multiply-add)",
             formula(n_tokens, d_model, d_ff, n_experts, top_k, not dense): "dense and sparse swapped",
             2 * n_tokens * d_model * n_experts + (want - 2 * n_tokens * d_model * n_experts) // 2:
                 "only one of the expert's two matmuls counted"}
    assert got == want, f"{call} returned {got}, expected {want}" + (f"\n  looks like: {hints[got]}" if got in hints else "")


@given(n=dims(1, 24), d_model=dims(1, 6), d_ff=dims(1, 8), n_experts=st.integers(2, 6), seed=seeds(), data=st.data())
@example(n=16, d_model=4, d_ff=8, n_experts=4, seed=0, data=None)
def test_moe_flops_is_what_flop_counter_measures(kata, n, d_model, d_ff, n_experts, seed, data):
    """Measured with FlopCounterMode: the given sparse path, a dense reference, and your forward_dense."""
    top_k = data.draw(st.integers(1, n_experts), label="top_k") if data is not None else 1
    moe = random_moe(kata, d_model, d_ff, n_experts, top_k, False, seed)
    x = torch.randn(n, d_model, generator=torch.Generator().manual_seed(seed + 2), dtype=torch.float64)
    with torch.no_grad():
        sparse, dense = measured(moe.forward_sparse, x), measured(dense_reference, moe, x)
        yours = measured(moe.forward_dense, x)
    args = (n, d_model, d_ff, n_experts, top_k)
    for is_dense, want in ((False, sparse), (True, dense)):
        got = kata.moe_flops(*args, dense=is_dense)
        assert got == want, (f"{describe_call('moe_flops', *args, dense=is_dense)} returned {got}, but FlopCounterMode "
                             f"measures {want} for the {'dense' if is_dense else 'sparse'} forward")
    assert yours == dense, (f"FlopCounterMode measures {yours} FLOPs for your forward_dense on {n} tokens, expected the "
                            f"dense cost {dense}" + (" (less: is it secretly sparse?)" if yours < dense else
                                                     " (more: an extra matmul to combine the experts?)"))


@given(leading=st.sampled_from([(5,), (2, 3)]), d_model=dims(1, 6), d_ff=dims(1, 8), n_experts=st.integers(2, 6),
       seed=seeds(), data=st.data())
@example(leading=(2, 3), d_model=4, d_ff=8, n_experts=2, seed=0, data=None)
def test_upcycled_moe_computes_the_dense_ffn(kata, leading, d_model, d_ff, n_experts, seed, data):
    top_k = data.draw(st.integers(1, n_experts), label="top_k") if data is not None else 1
    torch.manual_seed(seed)
    ffn = kata.Expert(d_model, d_ff).double()
    x = torch.randn(*leading, d_model, generator=torch.Generator().manual_seed(seed + 2), dtype=torch.float64)
    call = describe_call("upcycle", f"Expert({d_model}, {d_ff})", n_experts, top_k)
    moe = kata.upcycle(ffn, n_experts, top_k)
    assert (moe.n_experts, moe.top_k, len(moe.experts)) == (n_experts, top_k, n_experts), \
        f"{call}: got n_experts={moe.n_experts}, top_k={moe.top_k}, {len(moe.experts)} experts"
    dtypes = {str(p.dtype) for p in moe.parameters()}
    assert dtypes == {"torch.float64"}, f"{call}: the MoE's parameters have dtypes {dtypes}, expected ffn's torch.float64"
    with torch.no_grad():
        want = ffn(x)
        assert_close(moe.forward_sparse(x), want, rtol=1e-12, atol=1e-12, name="upcycled output (vs the dense ffn)",
                     call=call)
        ffn_ptrs = {p.data_ptr() for p in ffn.parameters()}
        seen = set()
        for e, ex in enumerate(moe.experts):
            ptrs = {p.data_ptr() for p in ex.parameters()}
            assert not ptrs & ffn_ptrs, f"{call}: expert {e} shares tensors with ffn; copy the weights"
            assert not ptrs & seen, f"{call}: expert {e} shares tensors with another expert; each needs its own copy"
            seen |= ptrs
        for p in ffn.parameters():
            p.add_(1.0)                                     # changing the dense ffn must not change the MoE
        assert_close(moe.forward_sparse(x), want, rtol=1e-12, atol=1e-12,
                     name="upcycled output after ffn's weights changed", call=call)
    assert measured(moe.forward_sparse, x) == formula(x[..., 0].numel(), d_model, d_ff, n_experts, top_k, False)


@given(d_model=dims(1, 16), d_ff=dims(1, 32), n_experts=st.integers(2, 8), data=st.data())
@example(d_model=8, d_ff=32, n_experts=8, data=None)
def test_param_counts(kata, d_model, d_ff, n_experts, data):
    top_k = data.draw(st.integers(1, n_experts), label="top_k") if data is not None else 2
    moe = kata.MoE(d_model, d_ff, n_experts, top_k)
    per_expert = 2 * d_model * d_ff + d_ff + d_model
    want = (n_experts * per_expert + d_model * n_experts, top_k * per_expert + d_model * n_experts)
    got = tuple(int(v) for v in kata.param_counts(moe))
    call = describe_call("param_counts", f"MoE({d_model}, {d_ff}, n_experts={n_experts}, top_k={top_k})")
    assert_equal(np.array(got), np.array(want), name="(total, active)", call=call)


@pytest.mark.benchmark
def test_benchmark_sparse_vs_dense(kata):
    torch.manual_seed(0)
    n, d, d_ff = (64, 16, 32) if smoke() else (4096, 256, 1024)
    x = torch.randn(n, d)
    for n_experts, top_k in ((2, 1), (8, 2), (16, 1)):
        moe = kata.MoE(d, d_ff, n_experts, top_k).eval()
        with torch.no_grad():
            for path in ("sparse", "dense"):
                fn = moe.forward_sparse if path == "sparse" else moe.forward_dense
                fn(x)
                t0 = time.perf_counter()
                for _ in range(3):
                    fn(x)
                ms = (time.perf_counter() - t0) / 3 * 1e3
                flops = kata.moe_flops(n, d, d_ff, n_experts, top_k, dense=path == "dense")
                print(f"E={n_experts:2d} k={top_k} {path:6s}: {ms:8.2f} ms, {flops / 1e9:6.2f} GFLOP, "
                      f"{flops / ms * 1e-6:6.1f} GFLOP/s")
