"""Tests for sys-03-4, FSDP-style parameter sharding with gather-on-use on 2 gloo processes.

References: the dense (unsharded) tanh network in float64 with torch autograd, on the union of the
ranks' batches; counts of gathered layers alive at once, taken with weakref finalizers on what
gather_layer returns. The sharded run is real: the test forks 2 local processes once per kata under
test and joins them into a gloo process group on a free localhost port; a rank that raises or hangs
is reported with its traceback and the group is restarted.
"""
import math
import weakref

import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader import distributed
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_no_alias, call_unmodified, describe_call

WORLD = 2


def run_ranks(kata, job, *args):
    """Run the job named `job` (a function of this module: job(kata, rank, world, *args)) on every rank
    of a real gloo group (grader.distributed)."""
    return distributed.run_ranks(kata, globals()[job], *args, world=WORLD)


# --- jobs: run inside each rank ---

def make_network(seed, widths):
    g = torch.Generator().manual_seed(seed)
    return [(torch.randn(o, i, generator=g, dtype=torch.float64), torch.randn(o, generator=g, dtype=torch.float64))
            for i, o in zip(widths[:-1], widths[1:], strict=True)]


def dense_forward(layers, x):
    for i, (w, b) in enumerate(layers):
        x = x @ w.T + b
        if i < len(layers) - 1:
            x = torch.tanh(x)
    return x


def padded_flat(w, b, world):
    flat = torch.cat([w.reshape(-1), b.reshape(-1)])
    size = math.ceil(flat.numel() / world)
    return torch.cat([flat, flat.new_zeros(size * world - flat.numel())]), size


def shapes_of(layers):
    return [(tuple(w.shape), tuple(b.shape)) for w, b in layers]


def _gather(kata, rank, world, w, b):
    shard = kata.shard_params(w, b, rank, world)
    weight, bias = kata.gather_layer(shard, tuple(w.shape), tuple(b.shape))
    return weight.detach(), bias.detach()


def _all_gather_directly(kata, rank, world, shards, grads):
    shard = shards[rank].clone().requires_grad_(True)
    full = kata.AllGatherShards.apply(shard)
    g = grads[rank].clone()
    full.backward(g)
    assert torch.equal(g, grads[rank]), "AllGatherShards.backward changed the incoming gradient in place; reduce a copy"
    return full.detach(), shard.grad


def _forward_counting(kata, rank, world, layers, x):
    """fsdp_forward under no_grad, counting the unsharded weights alive at each gather."""
    shards = [kata.shard_params(w, b, rank, world) for w, b in layers]
    original = kata.gather_layer
    count = {"live": 0, "max": 0, "calls": 0}

    def dead():
        count["live"] -= 1

    def tracked(*args, **kwargs):
        weight, bias = original(*args, **kwargs)
        count["calls"] += 1
        count["live"] += 1
        count["max"] = max(count["max"], count["live"])
        weakref.finalize(weight, dead)
        return weight, bias

    kata.gather_layer = tracked
    try:
        with torch.no_grad():
            out = kata.fsdp_forward(x[rank], shards, shapes_of(layers))
    finally:
        kata.gather_layer = original
    return out, count["max"], count["calls"]


def _backward(kata, rank, world, layers, x, gy):
    shards = [kata.shard_params(w, b, rank, world).requires_grad_(True) for w, b in layers]
    out = kata.fsdp_forward(x[rank], shards, shapes_of(layers))
    (out * gy[rank]).sum().backward()
    return out.detach(), [s.grad for s in shards]


WIDTHS = st.lists(st.integers(1, 4), min_size=2, max_size=4)


@given(seed=seeds(), n_in=st.integers(1, 4), n_out=st.integers(1, 4), world=st.integers(1, 4))
@example(seed=0, n_in=1, n_out=1, world=4)  # 2 numbers over 4 ranks: two shards are pure padding
@example(seed=0, n_in=2, n_out=1, world=2)  # 3 numbers: one padding zero
def test_shards_are_the_padded_flat_vector(kata, seed, n_in, n_out, world):
    (w, b), = make_network(seed, [n_in, n_out])
    flat, size = padded_flat(w, b, world)
    for r in range(world):
        call = describe_call("shard_params", w, b, r, world)
        got = call_unmodified(kata.shard_params, w, b, r, world, fn_name="shard_params")
        assert_equal(got, flat[r * size:(r + 1) * size], call=call, name=f"shard of rank {r}")
        assert_no_alias(got, w, b, call=call)


@given(world=st.integers(1, 4))
def test_shard_params_rejects_bad_ranks(kata, world):
    (w, b), = make_network(0, [2, 2])
    for r, p in [(world, world), (-1, world), (0, 0)]:
        with pytest.raises(ValueError):
            kata.shard_params(w, b, r, p)
            pytest.fail(f"shard_params(w, b, rank={r}, world={p}) returned instead of raising ValueError")


@given(seed=seeds(), size=st.integers(1, 5))
def test_all_gather_shards_forward_and_backward(kata, seed, size):
    """Forward: the shards in rank order. Backward: the own piece of the sum of the ranks' gradients."""
    g = torch.Generator().manual_seed(seed)
    shards = torch.randn(WORLD, size, generator=g, dtype=torch.float64)
    grads = torch.randn(WORLD, WORLD * size, generator=g, dtype=torch.float64)
    total = grads.sum(0)
    for r, (full, grad) in enumerate(run_ranks(kata, "_all_gather_directly", shards, grads)):
        call = describe_call("AllGatherShards.apply", shards[r])
        assert_equal(full, shards.reshape(-1), call=call, name=f"gathered vector on rank {r}")
        assert_close(grad, total[r * size:(r + 1) * size], rtol=1e-12, atol=1e-12, call=call,
                     name=f"shard.grad on rank {r} (its piece of the sum of both ranks' gradients)")


@given(seed=seeds(), n_in=st.integers(1, 4), n_out=st.integers(1, 4))
@example(seed=0, n_in=2, n_out=1)
def test_gather_layer_rebuilds_the_parameters_on_every_rank(kata, seed, n_in, n_out):
    (w, b), = make_network(seed, [n_in, n_out])
    for r, (weight, bias) in enumerate(run_ranks(kata, "_gather", w, b)):
        call = describe_call("gather_layer", f"shard of rank {r}", tuple(w.shape), tuple(b.shape))
        assert_equal(weight, w, call=call, name=f"weight on rank {r}")
        assert_equal(bias, b, call=call, name=f"bias on rank {r}")


@given(seed=seeds(), widths=WIDTHS, batch=st.integers(1, 3))
@example(seed=0, widths=[3, 4, 2, 1], batch=2)
@example(seed=1, widths=[1, 1], batch=1)
def test_forward_equals_dense_and_holds_one_layer_at_a_time(kata, seed, widths, batch):
    layers = make_network(seed, widths)
    x = torch.randn(WORLD, batch, widths[0], generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    call = describe_call("fsdp_forward", "x", f"{len(layers)} shards", shapes_of(layers))
    for r, (out, max_live, calls) in enumerate(run_ranks(kata, "_forward_counting", layers, x)):
        assert_close(out, dense_forward(layers, x[r]), rtol=1e-12, atol=1e-12, call=call, name=f"output on rank {r}")
        assert calls == len(layers), (f"{call} on rank {r} called gather_layer {calls} times for {len(layers)} layers; "
                                      "gather each layer once, when it is used")
        assert max_live == 1, (f"{call} on rank {r} held {max_live} unsharded layers at once; FSDP holds only the one "
                               "it is computing: del the gathered weight and bias before gathering the next layer")


@given(seed=seeds(), widths=WIDTHS, batch=st.integers(1, 3))
@example(seed=0, widths=[3, 4, 2, 1], batch=2)
@example(seed=1, widths=[1, 1], batch=1)
def test_shard_gradients_are_shards_of_the_dense_gradient(kata, seed, widths, batch):
    """Each rank's shard.grad is its shard of the gradient of the sum of both ranks' losses."""
    layers = make_network(seed, widths)
    g = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(WORLD, batch, widths[0], generator=g, dtype=torch.float64)
    gy = torch.randn(WORLD, batch, widths[-1], generator=g, dtype=torch.float64)
    leaves = [(w.clone().requires_grad_(True), b.clone().requires_grad_(True)) for w, b in layers]
    sum((dense_forward(leaves, x[r]) * gy[r]).sum() for r in range(WORLD)).backward()
    call = describe_call("fsdp_forward(...).backward", "x", f"{len(layers)} shards", shapes_of(layers))
    for r, (out, grads) in enumerate(run_ranks(kata, "_backward", layers, x, gy)):
        assert_close(out, dense_forward(layers, x[r]), rtol=1e-12, atol=1e-12, call=call, name=f"output on rank {r}")
        for i, ((w, b), grad) in enumerate(zip(leaves, grads, strict=True)):
            flat, size = padded_flat(w.grad, b.grad, WORLD)
            assert_close(grad, flat[r * size:(r + 1) * size], rtol=1e-10, atol=1e-12, call=call,
                         name=f"shard.grad of layer {i} on rank {r} (summed over both ranks' batches)")
