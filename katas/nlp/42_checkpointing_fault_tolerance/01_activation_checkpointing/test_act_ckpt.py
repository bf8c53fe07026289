"""Tests for nlp-42-1, activation checkpointing.

References: plain autograd on the same float64 blocks from the same seed (outputs, input and
parameter gradients, and the RNG stream afterwards); torch.utils.checkpoint.checkpoint_sequential
(use_reentrant=True) for which blocks are recomputed (forward-call counts) and for the activation
bytes a checkpointed run saves (counted with torch.autograd.graph.saved_tensors_hooks).
"""
import pytest
import torch
import torch.utils.checkpoint as tuc
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

# float64 throughout; recomputation repeats the same ops, so only summation order can differ.
TOL = dict(rtol=1e-10, atol=1e-12)


def make_blocks(seed: int, n_blocks: int, d: int, p: float) -> list[nn.Module]:
    torch.manual_seed(seed)
    return [nn.Sequential(nn.Linear(d, 3 * d), nn.GELU(), nn.Dropout(p), nn.Linear(3 * d, d)).double()
            for _ in range(n_blocks)]


def make_input(seed: int, n: int, d: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=g, dtype=torch.float64)
    return x, torch.randn(n, d, generator=g, dtype=torch.float64)


def run(forward, blocks, x, w, seed):
    """Forward + backward of sum(w * out) from a seeded RNG: output, grads, forward counts, RNG after."""
    counts = [0] * len(blocks)
    handles = [b.register_forward_hook(lambda m, a, o, i=i: counts.__setitem__(i, counts[i] + 1))
               for i, b in enumerate(blocks)]
    for b in blocks:
        b.zero_grad(set_to_none=True)
    x = x.clone().requires_grad_(True)
    torch.manual_seed(seed)
    out = forward(x)
    (out * w).sum().backward()
    after = torch.rand(4, dtype=torch.float64)
    for h in handles:
        h.remove()
    grads = [p.grad.clone() for b in blocks for p in b.parameters()]
    return out.detach(), x.grad, grads, counts, after


def plain(blocks):
    def forward(h):
        for b in blocks:
            h = b(h)
        return h
    return forward


def saved_bytes(forward, blocks, x) -> int:
    """Bytes of non-parameter tensors autograd saves during forward."""
    params = {p.untyped_storage().data_ptr() for b in blocks for p in b.parameters()}
    total = [0]

    def pack(t):
        if t.untyped_storage().data_ptr() not in params:
            total[0] += t.nbytes
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        forward(x.clone().requires_grad_(True))
    return total[0]


CASES = dict(n_blocks=st.integers(1, 6), segments=st.integers(1, 6), n=st.integers(1, 4), d=st.integers(1, 4),
             p=st.sampled_from([0.0, 0.5]), seed=seeds())


@given(**CASES)
@example(n_blocks=4, segments=2, n=3, d=3, p=0.5, seed=0)
@example(n_blocks=5, segments=2, n=2, d=2, p=0.5, seed=1)   # remainder goes to the last segment
@example(n_blocks=3, segments=3, n=1, d=1, p=0.5, seed=2)   # one block per segment
@example(n_blocks=2, segments=1, n=2, d=2, p=0.0, seed=3)   # one segment: nothing checkpointed
@settings(max_examples=10)
def test_matches_plain_autograd_and_torch_recompute_counts(kata, n_blocks, segments, n, d, p, seed):
    segments = min(segments, n_blocks)
    blocks = make_blocks(seed, n_blocks, d, p)
    x, w = make_input(seed, n, d)
    call = describe_call("checkpoint_sequential", f"{n_blocks} blocks (dropout p={p})", x, segments)
    want = run(plain(blocks), blocks, x, w, seed + 1)
    got = run(lambda h: kata.checkpoint_sequential(blocks, h, segments), blocks, x, w, seed + 1)
    assert_close(got[0], want[0], **TOL, call=call, name="output")
    assert_close(got[1], want[1], **TOL, call=call, name="gradient wrt the input")
    for i, (g, r) in enumerate(zip(got[2], want[2], strict=True)):
        assert_close(g, r, **TOL, call=call, name=f"gradient of parameter tensor {i}")
    assert_close(got[4], want[4], rtol=0, atol=0, call=call,
                 name="torch.rand(4) after backward (the caller's RNG stream must continue as without checkpointing)")
    # reentrant: it recomputes whole segments (the non-reentrant one stops early, so hooks miss calls)
    ref = run(lambda h: tuc.checkpoint_sequential(blocks, segments, h, use_reentrant=True), blocks, x, w, seed + 1)
    assert_equal(got[3], ref[3], call=call,
                 name="forward calls per block over forward + backward (torch.utils.checkpoint.checkpoint_sequential)")


@given(n_blocks=st.integers(2, 6), segments=st.integers(2, 6), n=st.integers(1, 4), d=st.integers(1, 4), seed=seeds())
@example(n_blocks=4, segments=2, n=2, d=2, seed=0)
@settings(max_examples=10)
def test_saves_only_segment_inputs(kata, n_blocks, segments, n, d, seed):
    segments = min(segments, n_blocks)
    blocks = make_blocks(seed, n_blocks, d, 0.5)
    x, _ = make_input(seed, n, d)
    got = saved_bytes(lambda h: kata.checkpoint_sequential(blocks, h, segments), blocks, x)
    ref = saved_bytes(lambda h: tuc.checkpoint_sequential(blocks, segments, h, use_reentrant=True), blocks, x)
    full = saved_bytes(plain(blocks), blocks, x)
    bound = ref + segments * x.nbytes  # room for one extra input-sized tensor per segment
    assert got <= bound, (
        f"checkpoint_sequential({n_blocks} blocks, x={tuple(x.shape)}, segments={segments}) saved {got} bytes of "
        f"activations for backward; torch's reentrant checkpoint saves {ref} (bound {bound}), no checkpointing "
        f"saves {full}. Run the checkpointed segments under torch.no_grad() and save only their input.")


@given(n=st.integers(1, 4), d=st.integers(1, 4), p=st.sampled_from([0.0, 0.5]), seed=seeds())
@example(n=2, d=3, p=0.5, seed=0)
@settings(max_examples=10)
def test_checkpoint_one_function(kata, n, d, p, seed):
    blocks = make_blocks(seed, 1, d, p)
    x, w = make_input(seed, n, d)
    call = describe_call("checkpoint", "block", x)
    want = run(plain(blocks), blocks, x, w, seed + 1)
    got = run(lambda h: kata.checkpoint(blocks[0], h), blocks, x, w, seed + 1)
    assert_close(got[0], want[0], **TOL, call=call, name="output")
    assert_close(got[1], want[1], **TOL, call=call, name="gradient wrt the input")
    for i, (g, r) in enumerate(zip(got[2], want[2], strict=True)):
        assert_close(g, r, **TOL, call=call, name=f"gradient of parameter tensor {i}")
    assert_close(got[4], want[4], rtol=0, atol=0, call=call, name="torch.rand(4) after backward")
    saved = saved_bytes(lambda h: kata.checkpoint(blocks[0], h), blocks, x)
    assert saved <= x.nbytes, (f"{call} saved {saved} bytes of activations for backward, expected only x "
                               f"({x.nbytes} bytes); plain autograd saves {saved_bytes(plain(blocks), blocks, x)}")


@given(n_blocks=st.integers(1, 5), segments=st.integers(-2, 8))
@example(n_blocks=3, segments=0)
@example(n_blocks=3, segments=4)
def test_rejects_bad_segment_counts(kata, n_blocks, segments):
    if 1 <= segments <= n_blocks:
        segments = n_blocks + 1
    blocks = make_blocks(0, n_blocks, 2, 0.0)
    x = torch.randn(2, 2, dtype=torch.float64, requires_grad=True)
    with pytest.raises(ValueError):
        kata.checkpoint_sequential(blocks, x, segments)
        pytest.fail(f"checkpoint_sequential({n_blocks} blocks, x, segments={segments}) returned instead of raising")
