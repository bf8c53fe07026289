"""Tests for nlp-31-1, distilling a large teacher into a small student with a temperature-scaled KL.

References: the loss against its definition computed in float64 with torch.nn.functional.kl_div
(batchmean, log_target) and cross_entropy, its gradient against autograd of that reference, a
distillation loop written here on the same seeded batches. The measured effect comes from real
training: the workbook's trained 4-layer char GPT (grader.lm) teaches a one-layer student from only
64 windows of text, and the distilled student generalises far better than one trained on the labels.
"""
from functools import lru_cache

import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it, ~4 s: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call

pytestmark = pytest.mark.slow


def reference_loss(s, t, y, T, alpha):
    V = s.shape[-1]
    s64, t64 = s.double().reshape(-1, V), t.double().reshape(-1, V)
    soft = F.kl_div(F.log_softmax(s64 / T, -1), F.log_softmax(t64 / T, -1), log_target=True,
                    reduction="batchmean") * T ** 2
    hard = F.cross_entropy(s64, y.reshape(-1))
    return alpha * soft + (1 - alpha) * hard


def logits(seed, shape, dtype, scale=3.0):
    return (torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * scale).to(dtype)


@given(lead=st.sampled_from([(1,), (5,), (2, 3), (2, 1, 4)]), V=st.integers(2, 9),
       T=st.sampled_from([0.5, 1.0, 2.0, 4.0, 10.0]), alpha=st.sampled_from([0.0, 0.3, 0.5, 1.0]),
       dtype=torch_float_dtypes(), seed=seeds())
@example(lead=(2, 3), V=5, T=4.0, alpha=1.0, dtype=torch.float64, seed=0)
@example(lead=(1,), V=2, T=1.0, alpha=0.0, dtype=torch.float32, seed=0)   # alpha = 0: plain cross-entropy
def test_loss_matches_kl_div_and_cross_entropy(kata, lead, V, T, alpha, dtype, seed):
    s = logits(seed, (*lead, V), dtype).requires_grad_()
    t = logits(seed + 1, (*lead, V), dtype)
    y = torch.randint(V, lead, generator=torch.Generator().manual_seed(seed + 2))
    call = describe_call("distillation_loss", s, t, y, T, alpha)
    got = call_unmodified(kata.distillation_loss, s, t, y, T, alpha)
    want = reference_loss(s.detach(), t, y, T, alpha)
    assert got.dim() == 0, f"{call} returned shape {tuple(got.shape)}, expected a scalar"
    assert_dtype(got, s, call=call)
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == torch.float32 else dict(rtol=1e-10, atol=1e-12)
    assert_close(got.detach(), want, **tol, call=call,
                 name="alpha * T^2 * KL(softmax(t/T) || softmax(s/T)) [batchmean] + (1 - alpha) * CE")
    got.backward()
    s_ref = s.detach().double().requires_grad_()
    reference_loss(s_ref, t, y, T, alpha).backward()
    assert_close(s.grad, s_ref.grad, **tol, name="d loss / d student_logits", call=call)


@given(V=st.integers(2, 8), T=st.sampled_from([1.0, 3.0]), seed=seeds())
def test_no_gradient_reaches_the_teacher(kata, V, T, seed):
    s = logits(seed, (4, V), torch.float64).requires_grad_()
    t = logits(seed + 1, (4, V), torch.float64).requires_grad_()
    y = torch.randint(V, (4,), generator=torch.Generator().manual_seed(seed))
    kata.distillation_loss(s, t, y, T, 0.5).backward()
    assert t.grad is None or float(t.grad.abs().max()) == 0.0, (
        f"distillation_loss sent a gradient into teacher_logits (max |grad| {float(t.grad.abs().max()):.3g}): "
        f"detach the teacher")


@given(V=st.integers(2, 8), T=st.sampled_from([0.5, 2.0, 8.0]), seed=seeds())
def test_soft_term_vanishes_when_student_equals_teacher(kata, V, T, seed):
    s = logits(seed, (6, V), torch.float64)
    y = torch.randint(V, (6,), generator=torch.Generator().manual_seed(seed))
    got = float(kata.distillation_loss(s, s.clone(), y, T, 1.0))
    assert abs(got) < 1e-12, f"distillation_loss(s, s, y, T={T}, alpha=1) = {got}, expected 0: KL of equal distributions"


@pytest.mark.parametrize("T,alpha", [(0.0, 0.5), (-1.0, 0.5), (1.0, -0.1), (1.0, 1.5)])
def test_rejects_bad_temperature_or_alpha(kata, T, alpha):
    s = torch.zeros(2, 3)
    with pytest.raises(ValueError):
        kata.distillation_loss(s, s, torch.zeros(2, dtype=torch.long), T, alpha)
        pytest.fail(f"distillation_loss(..., temperature={T}, alpha={alpha}) returned instead of raising ValueError")


@lru_cache(maxsize=1)
def train_windows() -> torch.Tensor:
    train, _ = lm.corpus_splits()
    return train[:64 * 33].view(64, 33)


def reference_distill(student, teacher, windows, steps, T, alpha, lr, batch_size, seed):
    opt = torch.optim.AdamW(student.parameters(), lr=lr, weight_decay=0.0)
    g = torch.Generator().manual_seed(seed)
    out = []
    for _ in range(steps):
        batch = windows[torch.randint(len(windows), (batch_size,), generator=g)]
        x = batch[:, :-1]
        with torch.no_grad():
            t = teacher(x)
        s = student(x)
        V = s.shape[-1]
        soft = F.kl_div(F.log_softmax(s.reshape(-1, V) / T, -1), F.log_softmax(t.reshape(-1, V) / T, -1),
                        log_target=True, reduction="batchmean") * T ** 2
        loss = alpha * soft + (1 - alpha) * F.cross_entropy(s.reshape(-1, V), batch[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        out.append(loss.item())
    return out


@settings(max_examples=4)
@given(steps=st.integers(1, 3), T=st.sampled_from([1.0, 2.0, 5.0]), alpha=st.sampled_from([0.0, 0.5, 1.0]),
       lr=st.sampled_from([1e-3, 1e-2]), batch_size=st.integers(1, 6), seed=st.integers(0, 100))
@example(steps=3, T=5.0, alpha=0.5, lr=1e-2, batch_size=4, seed=0)
def test_distill_matches_a_reference_loop(kata, steps, T, alpha, lr, batch_size, seed):
    teacher = kata.small_student(seed + 1, d_model=16).requires_grad_(False)
    before = {k: v.clone() for k, v in teacher.state_dict().items()}
    student, ref = kata.small_student(seed, d_model=8), kata.small_student(seed, d_model=8)
    windows = train_windows()[:, :9]
    call = describe_call("distill", "student", "teacher", windows, steps, temperature=T, alpha=alpha, lr=lr,
                         batch_size=batch_size, seed=seed)
    got = call_unmodified(kata.distill, student, teacher, windows, steps, temperature=T, alpha=alpha, lr=lr,
                          batch_size=batch_size, seed=seed)
    want = reference_distill(ref, teacher, windows, steps, T, alpha, lr, batch_size, seed)
    assert_close(got, want, rtol=1e-5, atol=1e-5, name="per-step losses", call=call)
    for (n, p), q in zip(student.named_parameters(), ref.parameters(), strict=True):
        assert_close(p.detach(), q.detach(), rtol=1e-4, atol=1e-5, name=f"student {n} after training", call=call)
    assert all(torch.equal(v, teacher.state_dict()[k]) for k, v in before.items()), f"{call} changed the teacher"


def test_distill_defaults(kata):
    teacher = kata.small_student(9, d_model=16).requires_grad_(False)
    student, ref = kata.small_student(3, d_model=8), kata.small_student(3, d_model=8)
    windows = train_windows()[:, :9]
    got = kata.distill(student, teacher, windows, 2)
    want = reference_distill(ref, teacher, windows, 2, 2.0, 1.0, 1e-2, 16, 0)
    assert_close(got, want, rtol=1e-5, atol=1e-5, name="losses with T=2, alpha=1, lr=1e-2, batch_size=16, seed=0",
                 call="distill(student, teacher, windows, 2)")


@settings(max_examples=1)
@given(seed=st.integers(0, 3))
def test_distilled_student_beats_label_training_on_little_data(kata, seed):
    torch.set_num_threads(1)
    teacher = lm.load_model()
    _, val = lm.corpus_splits()
    val = val[:8000]
    hard, soft = kata.small_student(seed), kata.small_student(seed)
    kata.distill(hard, teacher, train_windows(), 100, temperature=1.0, alpha=0.0, seed=seed)
    kata.distill(soft, teacher, train_windows(), 100, temperature=2.0, alpha=1.0, seed=seed)
    loss_hard = lm.evaluate_loss(hard, val, context=32)
    loss_soft = lm.evaluate_loss(soft, val, context=32)
    teacher_loss = lm.evaluate_loss(teacher, val, context=32)
    assert loss_soft < loss_hard - 0.25, (
        f"held-out loss after 100 steps on 64 windows: labels only {loss_hard:.3f}, distilled (T=2) {loss_soft:.3f}, "
        f"teacher {teacher_loss:.3f}; the teacher's full distributions should generalise much better than labels")
