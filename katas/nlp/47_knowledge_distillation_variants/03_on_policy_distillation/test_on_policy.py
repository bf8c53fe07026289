"""Tests for nlp-47-3, on-policy distillation (the student's own samples, scored by the teacher).

References: a multinomial sampling loop written here with the same torch.Generator (exact tokens);
torch.nn.functional.kl_div in float64 on the positions that predict generated tokens; a reference
training loop; and the measured effect with the workbook's trained char GPT as teacher: the teacher's
NLL of the student's own samples falls.
"""
import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_no_alias, describe_call

pytestmark = pytest.mark.slow  # samples and trains a student against the trained teacher


def ref_sample(model, prompts, n_new, T, gen):
    seq = prompts.clone()
    with torch.no_grad():
        for _ in range(n_new):
            p = torch.softmax(model(seq)[:, -1] / T, dim=-1)
            seq = torch.cat([seq, torch.multinomial(p, 1, generator=gen)], dim=1)
    return seq


def rand_ids(seed, B, L):
    return torch.randint(65, (B, L), generator=torch.Generator().manual_seed(seed))


@given(B=st.integers(1, 3), P=st.integers(1, 4), n_new=st.integers(0, 5), T=st.sampled_from([0.5, 1.0, 2.0]),
       seed=seeds())
@example(B=2, P=3, n_new=4, T=0.5, seed=0)
@example(B=1, P=2, n_new=0, T=1.0, seed=1)
@settings(max_examples=10)
def test_sample_matches_reference_loop(kata, B, P, n_new, T, seed):
    model = kata.small_student(seed, d_model=16)
    prompts = rand_ids(seed, B, P)
    before = prompts.clone()
    call = describe_call("sample", "student", prompts, n_new, T, f"Generator(seed={seed})")
    got = kata.sample(model, prompts, n_new, T, torch.Generator().manual_seed(seed))
    assert torch.equal(prompts, before), f"{call} modified the prompts"
    assert_no_alias(got, prompts, call=call)   # a new tensor, even when n_new = 0
    assert_equal(got, ref_sample(model, prompts, n_new, T, torch.Generator().manual_seed(seed)), call=call,
                 name="prompts followed by the sampled tokens")


@pytest.mark.parametrize("T, n_new", [(0.0, 2), (-1.0, 2), (1.0, -1)])
def test_sample_rejects(kata, T, n_new):
    with pytest.raises(ValueError):
        kata.sample(kata.small_student(0, d_model=16), rand_ids(0, 1, 2), n_new, T, torch.Generator())
        pytest.fail(f"sample(..., n_new={n_new}, temperature={T}) returned instead of raising ValueError")


@given(B=st.integers(1, 3), L=st.integers(2, 8), data=st.data(), seed=seeds())
@example(B=2, L=6, data=None, seed=0)
@settings(max_examples=10)
def test_loss_is_forward_kl_on_generated_positions(kata, B, L, data, seed):
    P = 3 if data is None else data.draw(st.integers(1, L - 1), label="prompt_len")
    student, teacher = kata.small_student(seed, d_model=16), kata.small_student(seed + 1, d_model=16)
    seqs = rand_ids(seed, B, L)
    call = describe_call("on_policy_loss", "student", "teacher", seqs, P)
    got = kata.on_policy_loss(student, teacher, seqs, P)
    x = seqs[:, :-1]
    s, t = student(x)[:, P - 1:].double(), teacher(x)[:, P - 1:].double()
    want = F.kl_div(F.log_softmax(s, -1).flatten(0, 1), F.log_softmax(t, -1).flatten(0, 1), log_target=True,
                    reduction="batchmean")
    # float32 logits; the reference takes the KL in float64
    assert_close(got.detach(), want.detach(), rtol=1e-5, atol=1e-6, call=call,
                 name="KL(teacher || student) averaged over the positions predicting sequences[:, prompt_len:]")
    got.backward()
    assert all(p.grad is None for p in teacher.parameters()), f"{call}: gradient reached the teacher"
    assert student.head.weight.grad is not None, f"{call}: no gradient reached the student"


def reference_loop(student, teacher, prompts, steps, n_new, T, lr, seed):
    opt = torch.optim.AdamW(student.parameters(), lr=lr, weight_decay=0.0)
    gen = torch.Generator().manual_seed(seed)
    out = []
    for _ in range(steps):
        seqs = ref_sample(student, prompts, n_new, T, gen)
        x, P = seqs[:, :-1], prompts.shape[1]
        s = F.log_softmax(student(x)[:, P - 1:], -1).flatten(0, 1)
        with torch.no_grad():
            t = F.log_softmax(teacher(x)[:, P - 1:], -1).flatten(0, 1)
        loss = F.kl_div(s, t, log_target=True, reduction="batchmean")
        opt.zero_grad()
        loss.backward()
        opt.step()
        out.append(loss.item())
    return out


@given(steps=st.integers(1, 3), n_new=st.integers(1, 4), T=st.sampled_from([0.7, 1.0]),
       lr=st.sampled_from([0.01, 0.003]), seed=seeds())
@example(steps=2, n_new=3, T=0.7, lr=0.01, seed=0)
@settings(max_examples=4)
def test_training_matches_reference_loop(kata, steps, n_new, T, lr, seed):
    teacher = lm.load_model()
    a, b = kata.small_student(seed), kata.small_student(seed)
    prompts = rand_ids(seed, 3, 4)
    call = describe_call("on_policy_distill", "student", "char_gpt", prompts, steps, n_new, temperature=T, lr=lr, seed=seed)
    got = kata.on_policy_distill(a, teacher, prompts, steps, n_new, temperature=T, lr=lr, seed=seed)
    want = reference_loop(b, teacher, prompts, steps, n_new, T, lr, seed)
    assert_close(got, want, rtol=1e-4, atol=1e-5, call=call, name="loss per step")
    for (name, p), q in zip(a.named_parameters(), b.parameters(), strict=True):
        assert_close(p.detach(), q.detach(), rtol=1e-4, atol=1e-5, call=call, name=f"student parameter {name}")


def test_teacher_finds_the_students_samples_more_plausible(kata):
    """Measured: 20 on-policy steps cut the teacher's NLL of the student's own samples by > 2 nats."""
    teacher = lm.load_model()
    before_teacher = [p.detach().clone() for p in teacher.parameters()]
    student = kata.small_student(0)
    _, val = lm.corpus_splits()
    prompts = val[:64].view(8, 8)
    start = kata.teacher_nll(teacher, kata.sample(student, prompts, 12, 1.0, torch.Generator().manual_seed(1)), 8)
    kata.on_policy_distill(student, teacher, prompts, 20, 12, temperature=1.0, lr=0.02, seed=0)
    end = kata.teacher_nll(teacher, kata.sample(student, prompts, 12, 1.0, torch.Generator().manual_seed(1)), 8)
    assert end < start - 2.0, (f"the teacher's NLL of the student's samples went from {start:.3f} to {end:.3f} nats: "
                               "expected a drop of more than 2")
    for p, q in zip(teacher.parameters(), before_teacher, strict=True):
        assert torch.equal(p, q), "on_policy_distill changed the teacher"
