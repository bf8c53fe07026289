"""Tests for nlp-40-1, data parallelism on a real gloo process group.

References: torch.utils.data.DistributedSampler for the shard indices; single-process SGD on the
concatenation of every rank's (padded) shard, in float64, for both the hand-written all-reduce and
torch.nn.parallel.DistributedDataParallel. The ranks are real processes: grader.distributed forks 2
local workers into one gloo group and sends each drawn case to both.
"""
import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DistributedSampler

from grader.distributed import run_ranks
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

WORLD = 2


@given(n=st.integers(1, 20), world=st.integers(1, 5))
@example(n=5, world=4)     # 3 of 8 slots are padding
@example(n=1, world=3)     # padding wraps around more than once
@example(n=6, world=3)     # no padding
def test_shard_indices_match_distributed_sampler(kata, n, world):
    for rank in range(world):
        want = list(DistributedSampler(range(n), num_replicas=world, rank=rank, shuffle=False))
        assert_equal(kata.shard_indices(n, rank, world), want, call=describe_call("shard_indices", n, rank, world),
                     name="indices (torch.utils.data.DistributedSampler(shuffle=False))")


@given(n=st.integers(-1, 4), rank=st.integers(-1, 4), world=st.integers(-1, 4))
@example(n=0, rank=0, world=1)
@example(n=3, rank=2, world=2)
@example(n=3, rank=0, world=0)
def test_shard_indices_reject_bad_arguments(kata, n, rank, world):
    if n >= 1 and world >= 1 and 0 <= rank < world:
        rank = world
    with pytest.raises(ValueError):
        kata.shard_indices(n, rank, world)
        pytest.fail(f"shard_indices({n}, {rank}, {world}) returned instead of raising ValueError")


def make_model(seed):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()


def make_data(seed, n):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, 3, generator=g, dtype=torch.float64), torch.randn(n, 2, generator=g, dtype=torch.float64)


def shard(x, y, rank, world):
    idx = list(DistributedSampler(range(len(x)), num_replicas=world, rank=rank, shuffle=False))
    return x[idx], y[idx]


def reference(seed, x, y, steps, lr, world):
    """One process on the concatenation of every rank's shard (padding included)."""
    xs, ys = zip(*(shard(x, y, r, world) for r in range(world)), strict=True)
    model = make_model(seed)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        F.mse_loss(model(torch.cat(xs)), torch.cat(ys)).backward()
        opt.step()
    return [p.detach() for p in model.parameters()]


# --- jobs: run inside each rank ---

def _manual(kata, rank, world, seed, x, y, steps, lr):
    model = make_model(seed)
    xs, ys = shard(x, y, rank, world)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        F.mse_loss(model(xs), ys).backward()
        kata.all_reduce_gradients(model)
        opt.step()
    return [p.detach() for p in model.parameters()]


def _ddp(kata, rank, world, seed, x, y, steps, lr):
    xs, ys = shard(x, y, rank, world)
    out = kata.ddp_train(make_model(seed), xs, ys, steps, lr)
    return isinstance(out, DistributedDataParallel), [p.detach() for p in out.parameters()]


def check(per_rank, want, call):
    for rank, params in enumerate(per_rank):
        for i, (p, q) in enumerate(zip(params, want, strict=True)):
            # float64; averaging world gradients vs one mean over the concatenation reorders additions
            assert_close(p, q, rtol=1e-9, atol=1e-11, call=call,
                         name=f"parameter {i} on rank {rank} (reference: one process on the concatenated batch)")


@given(n=st.integers(2, 9), steps=st.integers(1, 3), lr=st.sampled_from([0.1, 0.5]), seed=seeds())
@example(n=5, steps=2, lr=0.5, seed=0)    # odd n: rank 1's shard is padded with sample 0
@settings(max_examples=8)
def test_hand_written_all_reduce_matches_one_process(kata, n, steps, lr, seed):
    x, y = make_data(seed, n)
    got = run_ranks(kata, _manual, seed, x, y, steps, lr, world=WORLD)
    check(got, reference(seed, x, y, steps, lr, WORLD),
          describe_call("all_reduce_gradients", "model") + f" in SGD on {n} samples over {WORLD} ranks, {steps} steps")


@given(n=st.integers(2, 9), steps=st.integers(1, 3), lr=st.sampled_from([0.1, 0.5]), seed=seeds())
@example(n=5, steps=2, lr=0.5, seed=1)
@settings(max_examples=6)
def test_ddp_train_matches_one_process(kata, n, steps, lr, seed):
    x, y = make_data(seed, n)
    got = run_ranks(kata, _ddp, seed, x, y, steps, lr, world=WORLD)
    call = describe_call("ddp_train", "model", "x_shard", "y_shard", steps, lr) + f" on {WORLD} ranks"
    assert all(is_ddp for is_ddp, _ in got), f"{call} did not return a DistributedDataParallel module"
    check([params for _, params in got], reference(seed, x, y, steps, lr, WORLD), call)
