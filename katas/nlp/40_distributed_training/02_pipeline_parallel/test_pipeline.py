"""Tests for nlp-40-2, pipeline parallelism (GPipe schedule) on a real gloo process group.

References: numpy.array_split for the stage partition; the unsplit model's mean-squared-error loss
and autograd gradients on the whole batch (float64) for the pipelined step, run on 2 real
processes (grader.distributed), each holding one stage; the GPipe bubble formula.
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.distributed import run_ranks
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

WORLD = 2


@given(n_layers=st.integers(1, 12), world=st.integers(1, 6))
@example(n_layers=5, world=2)    # the first stage takes the extra layer
@example(n_layers=7, world=3)
def test_split_matches_array_split(kata, n_layers, world):
    if n_layers < world:
        n_layers = world
    want = [(int(p[0]), int(p[-1]) + 1) for p in np.array_split(np.arange(n_layers), world)]
    got = kata.split_stages(n_layers, world)
    assert all(isinstance(r, range) and r.step == 1 for r in got), f"split_stages({n_layers}, {world}) = {got}: expected ranges"
    assert_equal([(r.start, r.stop) for r in got], want, call=describe_call("split_stages", n_layers, world),
                 name="(start, stop) of each stage (np.array_split)")


@pytest.mark.parametrize("n_layers, world", [(2, 3), (4, 0), (0, 1)])
def test_split_rejects_empty_stages(kata, n_layers, world):
    with pytest.raises(ValueError):
        kata.split_stages(n_layers, world)
        pytest.fail(f"split_stages({n_layers}, {world}) returned instead of raising ValueError")


@given(s=st.integers(1, 8), m=st.integers(1, 32))
@example(s=1, m=1)   # one stage: no bubble
@example(s=4, m=4)
def test_bubble_fraction(kata, s, m):
    assert_close(kata.bubble_fraction(s, m), (s - 1) / (m + s - 1), rtol=1e-12, atol=0,
                 call=describe_call("bubble_fraction", s, m), name="(S - 1) / (M + S - 1)")


D = 3


def make_model(seed, n_layers):
    torch.manual_seed(seed)
    return nn.Sequential(*[nn.Sequential(nn.Linear(D, D), nn.Tanh()) for _ in range(n_layers)]).double()


def make_batch(seed, n):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, D, generator=g, dtype=torch.float64), torch.randn(n, D, generator=g, dtype=torch.float64)


# --- job: runs inside each rank ---

def _pipeline(kata, rank, world, seed, n_layers, n_micro, mb, stages):
    model = make_model(seed, n_layers)
    stage = nn.Sequential(*[model[i] for i in stages[rank]])
    x, y = make_batch(seed, n_micro * mb)
    xs, ys = list(x.split(mb)), list(y.split(mb))
    loss = kata.pipeline_step(stage, xs if rank == 0 else None, ys if rank == world - 1 else None, n_micro, (mb, D))
    return loss, [p.grad.clone() if p.grad is not None else None for p in stage.parameters()]


@given(n_layers=st.integers(2, 5), n_micro=st.integers(1, 4), mb=st.integers(1, 3), seed=seeds())
@example(n_layers=3, n_micro=3, mb=2, seed=0)
@example(n_layers=2, n_micro=1, mb=1, seed=1)
@settings(max_examples=8)
def test_pipelined_step_matches_the_unsplit_model(kata, n_layers, n_micro, mb, seed):
    # the stage partition is the reference one, so this test checks the schedule alone
    stages = [range(int(p[0]), int(p[-1]) + 1) for p in np.array_split(np.arange(n_layers), WORLD)]
    got = run_ranks(kata, _pipeline, seed, n_layers, n_micro, mb, stages, world=WORLD)
    model = make_model(seed, n_layers)
    x, y = make_batch(seed, n_micro * mb)
    loss = F.mse_loss(model(x), y)
    loss.backward()
    call = describe_call("pipeline_step", "stage", "micro_inputs", "micro_targets", n_micro, (mb, D)) + \
        f" on {WORLD} stages {[list(s) for s in stages]}"
    assert got[0][0] is None, f"{call}: rank 0 (not the last stage) returned {got[0][0]!r}, expected None"
    # float64: the mean over micro-batch means reorders the additions of one mean
    assert_close(got[-1][0], loss.item(), rtol=1e-10, atol=1e-12, call=call, name="loss on the last stage")
    for rank, (_, grads) in enumerate(got):
        params = [p for i in stages[rank] for p in model[i].parameters()]
        for k, (g, p) in enumerate(zip(grads, params, strict=True)):
            assert g is not None, f"{call}: parameter {k} of stage {rank} has no gradient"
            assert_close(g, p.grad, rtol=1e-9, atol=1e-11, call=call,
                         name=f"gradient of parameter {k} on stage {rank} (reference: the unsplit model)")
