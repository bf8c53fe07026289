"""Tests for nlp-47-1, progressive distillation (teacher -> assistant -> student).

References: the distillation loss against torch.nn.functional.kl_div (batchmean, log_target) in
float64 and autograd; the chain of stages against a reference loop on the same seeded batches; the
measured effect with the workbook's trained char GPT as the first teacher: after the chain, the small
student's held-out loss against the real text has fallen well below that of its untrained self.
"""
import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, describe_call

pytestmark = pytest.mark.slow  # trains a chain of students against the trained teacher


def ref_kd(s, t, T):
    V = s.shape[-1]
    return F.kl_div(F.log_softmax(s.double().reshape(-1, V) / T, -1), F.log_softmax(t.double().reshape(-1, V) / T, -1),
                    log_target=True, reduction="batchmean") * T ** 2


@given(lead=st.sampled_from([(1,), (4,), (2, 3)]), V=st.integers(2, 7), T=st.sampled_from([0.5, 1.0, 2.0, 4.0]),
       seed=seeds())
@example(lead=(2, 3), V=5, T=4.0, seed=0)
@settings(max_examples=20)
def test_kd_loss_matches_kl_div(kata, lead, V, T, seed):
    g = torch.Generator().manual_seed(seed)
    s = (torch.randn(*lead, V, generator=g, dtype=torch.float64) * 3).requires_grad_()
    t = (torch.randn(*lead, V, generator=g, dtype=torch.float64) * 3).requires_grad_()
    call = describe_call("kd_loss", s, t, T)
    got = kata.kd_loss(s, t, T)
    assert_close(got.detach(), ref_kd(s.detach(), t.detach(), T), rtol=1e-10, atol=1e-12, call=call,
                 name="T^2 * KL(softmax(t/T) || softmax(s/T)), batchmean over positions")
    got.backward()
    assert t.grad is None, f"{call}: gradient flowed into the teacher's logits"
    s_ref = s.detach().clone().requires_grad_()
    ref_kd(s_ref, t.detach(), T).backward()
    assert_close(s.grad, s_ref.grad, rtol=1e-9, atol=1e-12, call=call, name="gradient wrt the student logits")


@pytest.mark.parametrize("T", [0.0, -1.0])
def test_kd_loss_rejects_temperatures(kata, T):
    with pytest.raises(ValueError):
        kata.kd_loss(torch.zeros(2, 3), torch.zeros(2, 3), T)
        pytest.fail(f"kd_loss(..., temperature={T}) returned instead of raising ValueError")


def train_windows(n=64, T=32):
    train, _ = lm.corpus_splits()
    x, y = lm.windows(train[:n * T + 1], T)
    return torch.cat([x, y[:, -1:]], dim=1)


def reference_chain(teacher, chain, windows, steps, T, lr, batch_size, seed):
    out = []
    for k, student in enumerate(chain):
        prev = teacher if k == 0 else chain[k - 1]
        opt = torch.optim.AdamW(student.parameters(), lr=lr, weight_decay=0.0)
        g = torch.Generator().manual_seed(seed + k)
        losses = []
        for _ in range(steps):
            x = windows[torch.randint(len(windows), (batch_size,), generator=g)][:, :-1]
            with torch.no_grad():
                target = prev(x)
            loss = ref_kd(student(x), target, T).float()
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        out.append(losses)
    return out


@given(steps=st.integers(1, 3), T=st.sampled_from([1.0, 2.0]), lr=st.sampled_from([0.01, 0.003]),
       batch_size=st.integers(2, 5), seed=seeds())
@example(steps=2, T=2.0, lr=0.01, batch_size=4, seed=0)
@settings(max_examples=4)
def test_chain_matches_reference_loop(kata, steps, T, lr, batch_size, seed):
    teacher = lm.load_model()
    widths = [(2, 32), (1, 16)]
    a, b = kata.make_chain(seed, widths), kata.make_chain(seed, widths)
    windows = train_windows()
    call = describe_call("progressive_distill", "char_gpt", "[assistant(2x32), student(1x16)]", windows, steps,
                         temperature=T, lr=lr, batch_size=batch_size, seed=seed)
    got = kata.progressive_distill(teacher, a, windows, steps, temperature=T, lr=lr, batch_size=batch_size, seed=seed)
    want = reference_chain(teacher, b, windows, steps, T, lr, batch_size, seed)
    # float32 models; the reference takes its KL in float64: agreement to ~1e-4
    assert_close(got, want, rtol=1e-3, atol=1e-4, call=call, name="losses of every stage")
    for k, (m1, m2) in enumerate(zip(a, b, strict=True)):
        for (name, p), q in zip(m1.named_parameters(), m2.parameters(), strict=True):
            assert_close(p.detach(), q.detach(), rtol=1e-3, atol=1e-4, call=call, name=f"stage {k} parameter {name}")


def test_student_learns_through_the_assistant(kata):
    """Measured: after teacher -> assistant -> student, the student's held-out loss has dropped by > 0.7 nats."""
    teacher = lm.load_model()
    before = [p.detach().clone() for p in teacher.parameters()]
    chain = kata.make_chain(0, [(2, 32), (1, 16)])
    _, val = lm.corpus_splits()
    start = lm.evaluate_loss(chain[-1], val[:2049], context=32)
    kata.progressive_distill(teacher, chain, train_windows(128), 60, temperature=2.0, lr=0.01, batch_size=16, seed=0)
    end = lm.evaluate_loss(chain[-1], val[:2049], context=32)
    assert end < start - 0.7, (f"the student's held-out loss went from {start:.3f} to {end:.3f} nats after "
                               "progressive distillation: expected a drop of more than 0.7")
    for p, q in zip(teacher.parameters(), before, strict=True):
        assert torch.equal(p, q), "progressive_distill changed the teacher's parameters"
