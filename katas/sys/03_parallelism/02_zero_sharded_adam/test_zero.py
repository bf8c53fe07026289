"""Tests for sys-03-2, ZeRO stage 1: Adam with optimizer state sharded over 2 gloo processes.

Reference: torch.optim.Adam on one process, trained on the union of the ranks' batches, float64.
The sharded run is real: the test forks 2 local processes once per kata under test, joins them into
a gloo process group on a free localhost port, and sends each drawn training run to both ranks; a
rank that raises or hangs is reported with its traceback and the group is restarted.
"""
import math

import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader import distributed
from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified

WORLD = 2


def run_ranks(kata, job, *args):
    """Run the job named `job` (a function of this module: job(kata, rank, world, *args)) on every rank
    of a real gloo group (grader.distributed)."""
    return distributed.run_ranks(kata, globals()[job], *args, world=WORLD)


# --- jobs: run inside each rank ---

def model(params, x):
    w, b, v = params
    return torch.tanh(x @ w.T + b) @ v


def make_problem(seed, d, h, batch):
    g = torch.Generator().manual_seed(seed)
    params = [torch.randn(h, d, generator=g, dtype=torch.float64), torch.randn(h, generator=g, dtype=torch.float64),
              torch.randn(h, generator=g, dtype=torch.float64)]
    x = torch.randn(WORLD * batch, d, generator=g, dtype=torch.float64)
    y = torch.randn(WORLD * batch, generator=g, dtype=torch.float64)
    return params, x, y


def _train(kata, rank, world, params, x, y, steps, hp):
    params = [p.clone().requires_grad_(True) for p in params]
    batch = x.shape[0] // world
    xs, ys = x[rank * batch:(rank + 1) * batch], y[rank * batch:(rank + 1) * batch]
    opt = kata.ZeroAdam(params, rank, world, **hp)
    trajectory = []
    for _ in range(steps):
        for p in params:
            p.grad = None
        ((model(params, xs) - ys) ** 2).mean().backward()
        opt.step()
        trajectory.append(torch.cat([p.detach().reshape(-1) for p in params]))
    return trajectory, opt.state_numel()


def reference_trajectory(params, x, y, steps, hp):
    params = [p.clone().requires_grad_(True) for p in params]
    opt = torch.optim.Adam(params, **hp)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        ((model(params, x) - y) ** 2).mean().backward()
        opt.step()
        out.append(torch.cat([p.detach().reshape(-1) for p in params]))
    return out


HP = st.fixed_dictionaries({
    "lr": st.sampled_from([0.01, 0.05, 0.2]),
    "betas": st.sampled_from([(0.9, 0.999), (0.5, 0.9), (0.0, 0.99)]),
    "eps": st.sampled_from([1e-8, 1e-3, 0.1]),
    "weight_decay": st.sampled_from([0.0, 0.1, 0.5]),
})


@given(numel=st.integers(1, 40), world=st.integers(1, 4))
@example(numel=7, world=2)   # padding: the last shard is half padding
@example(numel=3, world=4)   # more ranks than half the entries: the last rank owns only padding
@example(numel=8, world=4)
def test_shard_bounds_are_equal_ceil_sized_blocks(kata, numel, world):
    size = math.ceil(numel / world)
    got = [kata.shard_bounds(numel, r, world) for r in range(world)]
    want = [(r * size, (r + 1) * size) for r in range(world)]
    assert got == want, f"shard_bounds({numel}, rank, {world}) for rank = 0..{world - 1} gave {got}, expected {want}"


@given(numel=st.integers(1, 20), world=st.integers(1, 4))
def test_shard_bounds_rejects_bad_arguments(kata, numel, world):
    for args in [(0, 0, world), (-numel, 0, world), (numel, world, world), (numel, -1, world), (numel, 0, 0)]:
        with pytest.raises(ValueError):
            kata.shard_bounds(*args)
            pytest.fail(f"shard_bounds{args} returned instead of raising ValueError")


@given(seed=seeds(), d=st.integers(1, 4), h=st.integers(1, 5), world=st.integers(1, 4))
@example(seed=0, d=1, h=1, world=2)  # 3 parameters over 2 ranks: shards of 2
def test_each_rank_holds_only_its_share_of_the_state(kata, seed, d, h, world):
    params, _, _ = make_problem(seed, d, h, 1)
    numel = sum(p.numel() for p in params)
    for r in range(world):
        opt = call_unmodified(kata.ZeroAdam, params, r, world, fn_name="ZeroAdam")
        got = opt.state_numel()
        want = 2 * math.ceil(numel / world)
        assert got == want, (f"ZeroAdam(params with {numel} elements, rank={r}, world={world}).state_numel() = {got}, "
                             f"expected {want}: m and v of one ceil({numel}/{world})-element shard"
                             + (" (that is the unsharded state)" if got == 2 * numel and world > 1 else ""))


@given(lr=st.sampled_from([0.0, -0.1]), eps=st.sampled_from([0.0, -1e-8]), wd=st.sampled_from([-0.1, -1e-3]),
       beta=st.sampled_from([1.0, -0.1, 1.5]))
def test_rejects_bad_hyperparameters(kata, lr, eps, wd, beta):
    params, _, _ = make_problem(0, 2, 2, 1)
    for kwargs in [dict(lr=lr), dict(eps=eps), dict(weight_decay=wd), dict(betas=(beta, 0.999)), dict(betas=(0.9, beta))]:
        with pytest.raises(ValueError):
            kata.ZeroAdam(params, 0, 2, **kwargs)
            pytest.fail(f"ZeroAdam(params, 0, 2, {kwargs}) returned instead of raising ValueError")


def test_default_hyperparameters_are_torchs(kata):
    params, x, y = make_problem(3, 3, 3, 2)
    (traj, _), (traj1, _) = run_ranks(kata, "_train", params, x, y, 3, {})
    want = reference_trajectory(params, x, y, 3, {})
    for t, (got, got1, ref) in enumerate(zip(traj, traj1, want, strict=True)):
        for r, g in enumerate((got, got1)):
            assert_close(g, ref, rtol=1e-9, atol=1e-12, name=f"parameters on rank {r} after step {t + 1}",
                         call="ZeroAdam(params, rank, 2) with default lr, betas, eps, weight_decay")


@given(seed=seeds(), d=st.integers(1, 4), h=st.integers(1, 5), batch=st.integers(1, 3), steps=st.integers(1, 5), hp=HP)
@example(seed=0, d=1, h=1, batch=1, steps=5, hp=dict(lr=0.05, betas=(0.9, 0.999), eps=0.1, weight_decay=0.5))
@example(seed=1, d=2, h=3, batch=2, steps=5, hp=dict(lr=0.2, betas=(0.5, 0.9), eps=1e-8, weight_decay=0.0))
def test_sharded_adam_equals_unsharded_adam(kata, seed, d, h, batch, steps, hp):
    """After every step both ranks hold the parameters single-process Adam reaches on the whole batch."""
    params, x, y = make_problem(seed, d, h, batch)
    want = reference_trajectory(params, x, y, steps, hp)
    call = f"ZeroAdam(params ({d=}, {h=}), rank, world=2, **{hp}) for {steps} steps"
    for r, (traj, _) in enumerate(run_ranks(kata, "_train", params, x, y, steps, hp)):
        assert len(traj) == steps
        for t, (got, ref) in enumerate(zip(traj, want, strict=True)):
            # float64 and the same formula up to rearrangement: agreement to ~1e-12 relative.
            assert_close(got, ref, rtol=1e-9, atol=1e-12, name=f"parameters on rank {r} after step {t + 1}", call=call)
