"""Tests for sys-03-1, Megatron-style tensor parallelism on torch.distributed (gloo, 2 processes).

Reference: the dense layer, torch.nn.functional.linear / gelu with autograd, in float64 on the very
same inputs. The parallel code runs for real: the test forks 2 local processes once per kata under
test, joins them into a gloo process group on a free localhost port, and sends each drawn case to
both ranks; a rank that raises or hangs is reported with its traceback and the group is restarted.
"""

import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st

from grader import distributed
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

WORLD = 2


def run_ranks(kata, job, *args):
    """Run the job named `job` (a function of this module: job(kata, rank, world, *args)) on every rank
    of a real gloo group (grader.distributed)."""
    return distributed.run_ranks(kata, globals()[job], *args, world=WORLD)


# --- jobs: run inside each rank ---

def _column_forward(kata, rank, world, x, w, b):
    return kata.column_parallel_linear(x, *kata.column_shard(w, b, rank, world)).detach()


def _row_forward(kata, rank, world, x, w, b):
    start, stop = kata.shard_range(x.shape[-1], rank, world)
    return kata.row_parallel_linear(x[:, start:stop], kata.row_shard(w, rank, world), b).detach()


def _mlp_backward(kata, rank, world, x, w1, b1, w2, b2, grad_out):
    leaves = [t.clone().requires_grad_(True) for t in (x, w1, b1, w2, b2)]
    y = kata.parallel_mlp(*leaves, rank, world)
    (y * grad_out).sum().backward()
    return [y.detach()] + [t.grad if t.grad is not None else torch.zeros_like(t) for t in leaves]


def _grad_of_x_through_column(kata, rank, world, x, w, b, grad_out):
    x = x.clone().requires_grad_(True)
    w_shard, b_shard = kata.column_shard(w, b, rank, world)
    start, stop = kata.shard_range(w.shape[0], rank, world)
    (kata.column_parallel_linear(x, w_shard, b_shard) * grad_out[:, start:stop]).sum().backward()
    return x.grad


def _functions_directly(kata, rank, world, t, gy):
    part = t * (rank + 1)  # a different tensor on each rank
    summed = call_unmodified(kata.ReduceFromParallel.apply, part, fn_name="ReduceFromParallel.apply")
    x = t.clone().requires_grad_(True)
    y = kata.CopyToParallel.apply(x)
    g = gy * (rank + 1)
    g_before = g.clone()
    y.backward(g)
    assert torch.equal(g, g_before), "CopyToParallel.backward changed the incoming gradient in place; reduce a clone"
    return summed.detach(), y.detach(), x.grad


DTYPES = st.sampled_from([torch.float32, torch.float64])
TOL = {torch.float32: dict(rtol=1e-5, atol=1e-5), torch.float64: dict(rtol=1e-10, atol=1e-12)}  # summation order only


def draw_linear(seed, batch, n_in, n_out, dtype):
    g = torch.Generator().manual_seed(seed)
    return tuple(t.to(dtype) for t in (torch.randn(batch, n_in, generator=g, dtype=torch.float64),
                                       torch.randn(n_out, n_in, generator=g, dtype=torch.float64),
                                       torch.randn(n_out, generator=g, dtype=torch.float64)))


@given(n=st.integers(1, 24), world=st.integers(1, 4))
@example(n=6, world=3)
@example(n=4, world=4)
@example(n=5, world=1)
def test_shard_range_is_the_rank_th_contiguous_block(kata, n, world):
    n = n * world if n % world else n
    ranges = [kata.shard_range(n, r, world) for r in range(world)]
    want = [(r * n // world, (r + 1) * n // world) for r in range(world)]
    assert ranges == want, f"shard_range({n}, rank, {world}) for rank = 0..{world - 1} gave {ranges}, expected {want}"


@given(n=st.integers(1, 24), world=st.integers(2, 4))
@example(n=5, world=2)
@example(n=7, world=4)
def test_shard_range_rejects_bad_arguments(kata, n, world):
    if n % world == 0:
        n += 1
    for args in [(n, 0, world), (n * world, world, world), (n * world, -1, world), (n * world, 0, 0)]:
        with pytest.raises(ValueError):
            kata.shard_range(*args)
            pytest.fail(f"shard_range{args} returned instead of raising ValueError")


@given(seed=seeds(), n_in=st.integers(1, 6), half=st.integers(1, 4), world=st.sampled_from([1, 2, 4]))
def test_shards_are_the_documented_slices(kata, seed, n_in, half, world):
    n_out = 2 * half * (2 if world == 4 else 1)
    _, w, b = draw_linear(seed, 1, n_in, n_out, torch.float64)
    w2 = torch.randn(n_in, n_out, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    size = n_out // world
    for r in range(world):
        ws, bs = call_unmodified(kata.column_shard, w, b, r, world, fn_name="column_shard")
        call = describe_call("column_shard", w, b, r, world)
        assert_equal(ws, w[r * size:(r + 1) * size], name="weight shard (rows of weight)", call=call)
        assert_equal(bs, b[r * size:(r + 1) * size], name="bias shard", call=call)
        call = describe_call("row_shard", w2, r, world)
        assert_equal(call_unmodified(kata.row_shard, w2, r, world, fn_name="row_shard"),
                     w2[:, r * size:(r + 1) * size], name="weight shard (columns of weight)", call=call)


@given(seed=seeds(), batch=st.integers(1, 4), n_in=st.integers(1, 6), half=st.integers(1, 4), dtype=DTYPES)
@example(seed=0, batch=1, n_in=1, half=1, dtype=torch.float64)
def test_column_parallel_outputs_concatenate_to_the_dense_layer(kata, seed, batch, n_in, half, dtype):
    x, w, b = draw_linear(seed, batch, n_in, 2 * half, dtype)
    outs = run_ranks(kata, "_column_forward", x, w, b)
    got = torch.cat(outs, dim=-1)
    assert_close(got, F.linear(x.double(), w.double(), b.double()), **TOL[dtype],
                 name="rank outputs concatenated along the last axis",
                 call=describe_call("column_parallel_linear", x, w, b))


@given(seed=seeds(), batch=st.integers(1, 4), half=st.integers(1, 4), n_out=st.integers(1, 6), dtype=DTYPES)
@example(seed=0, batch=1, half=1, n_out=1, dtype=torch.float64)
def test_row_parallel_output_is_the_dense_layer_on_every_rank(kata, seed, batch, half, n_out, dtype):
    x, w, b = draw_linear(seed, batch, 2 * half, n_out, dtype)
    outs = run_ranks(kata, "_row_forward", x, w, b)
    want = F.linear(x.double(), w.double(), b.double())
    for r, got in enumerate(outs):
        assert_close(got, want, **TOL[dtype], name=f"output on rank {r}",
                     call=describe_call("row_parallel_linear", x, w, b))


@given(seed=seeds(), n=st.integers(1, 6), dtype=DTYPES)
def test_copy_and_reduce_functions(kata, seed, n, dtype):
    """Rank r passes t * (r + 1): g's forward must give the sum 3t (world 2) on both ranks and leave
    the input alone; f's forward is the identity and its backward gives the sum of the ranks' grads."""
    g = torch.Generator().manual_seed(seed)
    t, gy = (torch.randn(2, n, generator=g, dtype=torch.float64).to(dtype) for _ in range(2))
    total = sum(r + 1 for r in range(WORLD))
    for r, (summed, y, xgrad) in enumerate(run_ranks(kata, "_functions_directly", t, gy)):
        assert_close(summed, t.double() * total, **TOL[dtype], name=f"ReduceFromParallel output on rank {r}",
                     call=describe_call("ReduceFromParallel.apply", t))
        assert_equal(y, t, name=f"CopyToParallel output on rank {r}", call=describe_call("CopyToParallel.apply", t))
        assert_close(xgrad, gy.double() * total, **TOL[dtype], name=f"x.grad through CopyToParallel on rank {r}",
                     call=describe_call("CopyToParallel.apply(x).backward", gy))


@given(seed=seeds(), batch=st.integers(1, 4), n_in=st.integers(1, 5), half=st.integers(1, 4))
def test_column_parallel_backward_sums_the_input_gradient(kata, seed, batch, n_in, half):
    """Each rank sees only its slice of the output, so x.grad on a rank is only part of the dense one
    until CopyToParallel's backward adds the parts of every rank."""
    x, w, b = draw_linear(seed, batch, n_in, 2 * half, torch.float64)
    grad_out = torch.randn(batch, 2 * half, generator=torch.Generator().manual_seed(seed + 7), dtype=torch.float64)
    xr = x.clone().requires_grad_(True)
    (F.linear(xr, w, b) * grad_out).sum().backward()
    for r, got in enumerate(run_ranks(kata, "_grad_of_x_through_column", x, w, b, grad_out)):
        assert_close(got, xr.grad, **TOL[torch.float64], name=f"x.grad on rank {r}",
                     call=describe_call("column_parallel_linear(x, ...).backward", x, w, b))


@given(seed=seeds(), batch=st.integers(1, 4), d=st.integers(1, 5), half=st.integers(1, 4), dtype=DTYPES)
@example(seed=1, batch=2, d=3, half=2, dtype=torch.float64)
def test_parallel_mlp_matches_the_dense_mlp_and_its_gradients(kata, seed, batch, d, half, dtype):
    """Megatron's MLP: column-parallel, GeLU, row-parallel. Output and x.grad are whole on every rank;
    each rank's weight gradient is its shard of the dense one, so they sum to the dense gradient."""
    g = torch.Generator().manual_seed(seed)
    hidden = 2 * half
    x, w1, b1, w2, b2, grad_out = (torch.randn(*s, generator=g, dtype=torch.float64).to(dtype) for s in
                                   [(batch, d), (hidden, d), (hidden,), (d, hidden), (d,), (batch, d)])
    leaves = [t.double().clone().requires_grad_(True) for t in (x, w1, b1, w2, b2)]
    want = F.linear(F.gelu(F.linear(leaves[0], leaves[1], leaves[2])), leaves[3], leaves[4])
    (want * grad_out.double()).sum().backward()
    outs = run_ranks(kata, "_mlp_backward", x, w1, b1, w2, b2, grad_out)
    call = describe_call("parallel_mlp", x, w1, b1, w2, b2)
    names = ["x.grad", "w1.grad", "b1.grad", "w2.grad", "b2.grad"]
    for r, (y, *grads) in enumerate(outs):
        assert_close(y, want, **TOL[dtype], name=f"output on rank {r}", call=call)
        for name, got, leaf in zip(names, grads, leaves, strict=True):
            if name in ("x.grad", "b2.grad"):
                assert_close(got, leaf.grad, **TOL[dtype], name=f"{name} on rank {r}", call=call)
    for i, (name, leaf) in enumerate(zip(names, leaves, strict=True)):
        if name in ("w1.grad", "b1.grad", "w2.grad"):
            summed = sum(out[1 + i] for out in outs)
            assert_close(summed, leaf.grad, **TOL[dtype], name=f"{name} summed over ranks (each rank fills its shard)",
                         call=call)
