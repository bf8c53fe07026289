"""Tests for nlp-29-1, catastrophic forgetting: train on task A, then task B, measure A's degradation.

References: a training loop written here (torch.optim.AdamW on the same seeded batches) for the task
trainer and the loss matrix; the forgetting and backward-transfer formulas of Chaudhry et al. (2018)
and Lopez-Paz & Ranzato (2017) by brute force on drawn matrices. The measured effect comes from a
real run: a small grader.lm CharGPT learns English (task A), then ROT13 English (task B), and its
English loss climbs back most of the way to where it started.
"""
from functools import lru_cache

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call

pytestmark = pytest.mark.slow


def reference_train(model, windows, steps, batch_size, lr, g):
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    out = []
    for _ in range(steps):
        batch = windows[torch.randint(len(windows), (batch_size,), generator=g)]
        loss = F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
        out.append(loss.item())
    return out


@lru_cache(maxsize=1)
def tiny_tasks():
    text = lm.corpus_text()
    return [lm.encode(text[i * 600:(i + 1) * 600])[:594].view(66, 9) for i in range(3)]


@settings(max_examples=6)
@given(steps=st.integers(0, 5), batch_size=st.integers(1, 6), lr=st.sampled_from([1e-3, 1e-2]), seed=seeds(),
       task=st.integers(0, 2))
@example(steps=0, batch_size=4, lr=1e-2, seed=0, task=0)
@example(steps=4, batch_size=6, lr=1e-2, seed=1, task=1)
def test_train_on_task_matches_a_reference_loop(kata, steps, batch_size, lr, seed, task):
    windows = tiny_tasks()[task]
    model, ref = kata.small_model(seed % 7, d_model=8), kata.small_model(seed % 7, d_model=8)
    g, g_ref = torch.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)
    call = describe_call("train_on_task", "CharGPT", windows, steps, batch_size, lr, "generator")
    got = call_unmodified(kata.train_on_task, model, windows, steps, batch_size, lr, g)
    want = reference_train(ref, windows, steps, batch_size, lr, g_ref)
    assert len(got) == steps, f"{call} returned {len(got)} losses, expected one per step ({steps})"
    # the same float32 computation in the same order: agreement to rounding
    assert_close(got, want, rtol=1e-5, atol=1e-5, name="per-step training losses", call=call)
    for (name, p), q in zip(model.named_parameters(), ref.parameters(), strict=True):
        assert_close(p.detach(), q.detach(), rtol=1e-4, atol=1e-5, name=f"weights {name} after training", call=call)
    assert torch.equal(g.get_state(), g_ref.get_state()), (
        f"{call} left the generator in a different state from {steps} draws of torch.randint(N, (batch_size,)): "
        f"use it for the batch draws and nothing else")


@settings(max_examples=4)
@given(n_tasks=st.integers(1, 3), steps=st.integers(1, 3), batch_size=st.integers(1, 4),
       lr=st.sampled_from([1e-3, 1e-2]), seed=st.integers(0, 100))
@example(n_tasks=3, steps=3, batch_size=4, lr=1e-2, seed=0)
def test_loss_matrix_matches_a_reference_run(kata, n_tasks, steps, batch_size, lr, seed):
    tasks = tiny_tasks()[:n_tasks]
    val = [t[:8] for t in tasks]
    train = [t[8:] for t in tasks]
    model, ref = kata.small_model(seed, d_model=8), kata.small_model(seed, d_model=8)
    call = describe_call("loss_matrix", "CharGPT", train, val, steps, batch_size=batch_size, lr=lr, seed=seed)
    got = call_unmodified(kata.loss_matrix, model, train, val, steps, batch_size=batch_size, lr=lr, seed=seed)
    g = torch.Generator().manual_seed(seed)
    rows = [[kata.eval_loss(ref, v) for v in val]]
    for task in train:
        reference_train(ref, task, steps, batch_size, lr, g)
        rows.append([kata.eval_loss(ref, v) for v in val])
    assert_shape(got, (n_tasks + 1, n_tasks), call=call)
    assert got.dtype == torch.float64, f"{call} returned dtype {got.dtype}, expected torch.float64"
    assert_close(got, np.array(rows), rtol=1e-5, atol=1e-5,
                 name="R[i + 1, j] = loss on task j after task i (row 0 before training)", call=call)


def test_loss_matrix_default_hyperparameters(kata):
    tasks = tiny_tasks()[:2]
    model, ref = kata.small_model(3, d_model=8), kata.small_model(3, d_model=8)
    got = kata.loss_matrix(model, tasks, tasks, 2)
    g = torch.Generator().manual_seed(0)
    rows = [[kata.eval_loss(ref, v) for v in tasks]]
    for task in tasks:
        reference_train(ref, task, 2, 16, 1e-2, g)
        rows.append([kata.eval_loss(ref, v) for v in tasks])
    assert_close(got, np.array(rows), rtol=1e-5, atol=1e-5, name="R with batch_size=16, lr=1e-2, seed=0",
                 call="loss_matrix(model, tasks, tasks, 2)")


@pytest.mark.parametrize("n_train,n_val", [(0, 0), (2, 1), (1, 2)])
def test_loss_matrix_rejects_mismatched_tasks(kata, n_train, n_val):
    tasks = tiny_tasks()
    with pytest.raises(ValueError):
        kata.loss_matrix(kata.small_model(0, d_model=8), tasks[:n_train], tasks[:n_val], 1)
        pytest.fail(f"loss_matrix with {n_train} training and {n_val} validation tasks returned instead of raising")


@st.composite
def loss_matrices(draw, n_min=1):
    n = draw(st.integers(n_min, 5))
    vals = draw(st.lists(st.sampled_from([1.0, 1.5, 2.0, 2.5, 3.0, 4.0]), min_size=(n + 1) * n,
                         max_size=(n + 1) * n))
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    return torch.tensor(vals, dtype=dtype).view(n + 1, n)


@given(R=loss_matrices())
@example(R=torch.tensor([[4.0, 4.0], [2.0, 4.0], [3.5, 2.0]], dtype=torch.float64))
@example(R=torch.tensor([[1.0, 4.0, 4.0], [3.0, 4.0, 4.0], [2.0, 3.0, 4.0], [2.5, 2.0, 1.0]], dtype=torch.float64))
@example(R=torch.tensor([[4.0], [2.0]], dtype=torch.float64))
def test_forgetting_brute_force(kata, R):
    A = R[1:].double().numpy()
    n = A.shape[1]
    want = [A[n - 1, j] - min(A[row, j] for row in range(j, n - 1)) for j in range(n - 1)]
    call = describe_call("forgetting", R)
    got = call_unmodified(kata.forgetting, R)
    assert_shape(got, (n - 1,), call=call)
    assert got.dtype == torch.float64, f"{call} returned dtype {got.dtype}, expected torch.float64"
    assert_close(got, want, rtol=0, atol=1e-12, name="A[n-1, j] - min_{j <= l <= n-2} A[l, j]", call=call)


@given(R=loss_matrices(n_min=2))
@example(R=torch.tensor([[4.0, 4.0], [2.0, 4.0], [3.5, 2.0]], dtype=torch.float64))
@example(R=torch.tensor([[4.0] * 4, [1.0, 4.0, 4.0, 4.0], [2.0, 1.5, 4.0, 4.0], [3.0, 3.0, 2.0, 4.0],
                         [3.5, 2.5, 3.0, 1.0]], dtype=torch.float32))   # float32 input, a mean of thirds
def test_backward_transfer_brute_force(kata, R):
    A = R[1:].double().numpy()
    n = A.shape[1]
    want = float(np.mean([A[j, j] - A[n - 1, j] for j in range(n - 1)]))
    got = call_unmodified(kata.backward_transfer, R)
    assert abs(got - want) <= 1e-12, (f"backward_transfer({R.tolist()}) returned {got!r}, expected {want!r} "
                                      f"(mean of A[j, j] - A[n-1, j] over j < n - 1; negative = forgetting)")


def test_backward_transfer_needs_two_tasks(kata):
    with pytest.raises(ValueError):
        kata.backward_transfer(torch.tensor([[4.0], [2.0]], dtype=torch.float64))
        pytest.fail("backward_transfer of a single task returned instead of raising ValueError")


@settings(max_examples=1)
@given(seed=st.integers(0, 3))
def test_learning_task_b_makes_the_model_forget_task_a(kata, seed):
    torch.set_num_threads(1)
    text = lm.corpus_text()
    english, rot13 = kata.char_windows(text[:60_000], 32), kata.char_windows(kata.caesar(text[60_000:120_000], 13), 32)
    val_en = kata.char_windows(text[1_000_000:1_003_300], 32)
    val_rot = kata.char_windows(kata.caesar(text[1_003_300:1_006_600], 13), 32)
    R = kata.loss_matrix(kata.small_model(seed), [english, rot13], [val_en, val_rot], 100, seed=seed)
    f = kata.forgetting(R)
    bwt = kata.backward_transfer(R)
    table = np.round(R.numpy(), 2).tolist()
    assert R[1, 0] < R[0, 0] - 1.0 and R[2, 1] < R[1, 1] - 1.0, (
        f"loss matrix {table} (rows: before, after A, after B): each task should be learned (loss down > 1 nat)")
    assert f[0] > 0.8 and bwt < -0.8, (
        f"loss matrix {table}: forgetting of English {f.tolist()}, backward transfer {bwt:.3f}; after learning ROT13 "
        f"the English loss should climb back by more than 0.8 nats")
